"""The time check of `lc validate` and `lc new-clinic`: a warning (exit code unchanged) when a
clinic starts outside acceptable local hours for more than half of a target region."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from letsconnect_cli.slots import window
from letsconnect_cli.slots.checks import check_start
from tests.conftest import invoke

COPYRIGHT = "clinics/2023-02-21-copyright-clinic-awareness-education.toml"
TRAVEL = "clinics/2023-04-02-travel-scholarships.toml"


@pytest.fixture(autouse=True)
def before_the_seed_clinics(monkeypatch: pytest.MonkeyPatch) -> None:
    """These checks are about clinics still to come: run them as of New Year 2023, before the
    seed clinics (over now, and `lc validate` does not check the local hours of clinics over)."""
    from letsconnect_cli.clinic import validation

    monkeypatch.setattr(validation, "current_time", lambda: datetime(2023, 1, 1, tzinfo=UTC))


def warnings_of(runner: CliRunner) -> dict[str, list[dict[str, object]]]:
    result = invoke(runner, "validate", "--json")
    assert result.exit_code == 0, result.output
    return {item["file"]: item["warnings"] for item in json.loads(result.stdout)}


def test_the_copyright_clinic_gets_a_warning_naming_a_better_time(
    runner: CliRunner, project: Path
) -> None:
    warnings = warnings_of(runner)
    [warning] = warnings[COPYRIGHT]
    assert warning["field"] == "start" and warning["line"] == 17
    message = str(warning["message"])
    assert message.startswith(
        "15:00-17:00 UTC is outside 08:00-21:00 local time for 100% of ESEAP's countries "
        "(23:00-01:00 in Manila, 22:00-00:00 in Jakarta)"
    )
    # The best start within 12 hours: 03:00 UTC, 11:00-13:00 in Manila, for every country.
    assert "better nearby: 2023-02-21T03:00:00Z, inside for 100% (11:00-13:00 in Manila" in message
    assert message.endswith("more: lc slots --region ESEAP --date 2023-02-21")
    assert warnings[TRAVEL] == []  # 06:00 UTC on Sunday 2 April 2023: 93% of ESEAP
    assert all(not w for f, w in warnings.items() if f != COPYRIGHT)


def test_the_warning_in_text_output_keeps_the_exit_code(runner: CliRunner, project: Path) -> None:
    result = invoke(runner, "validate")
    assert result.exit_code == 0
    assert f"     {COPYRIGHT}:17: start: warning: 15:00-17:00 UTC is outside" in result.stdout
    assert result.stdout.splitlines()[-1].endswith("(0 error(s), 1 warning(s))")


def test_the_warning_can_be_switched_off(
    runner: CliRunner, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = project / "lc.toml"
    original = config.read_text(encoding="utf-8")
    config.write_text(original + "\n[slots]\nwarn = false\n", encoding="utf-8")
    assert warnings_of(runner)[COPYRIGHT] == []
    config.write_text(original, encoding="utf-8")
    monkeypatch.setenv("LC_SLOTS_WARN", "false")
    assert warnings_of(runner)[COPYRIGHT] == []


def test_the_acceptable_hours_come_from_the_configuration(runner: CliRunner, project: Path) -> None:
    config = project / "lc.toml"
    original = config.read_text(encoding="utf-8")
    config.write_text(original + '\n[slots]\nhours = "00:00-24:00"\n', encoding="utf-8")
    assert all(w == [] for w in warnings_of(runner).values())
    # Weekdays only: the Sunday clinic is on Sunday (or Saturday) nearly everywhere in ESEAP.
    config.write_text(original + '\n[slots]\ndays = "mon-fri"\n', encoding="utf-8")
    [warning] = warnings_of(runner)[TRAVEL]
    assert "outside 08:00-21:00 local time on Monday to Friday for" in str(warning["message"])


def test_cancelled_and_proposed_clinics_are_not_checked(runner: CliRunner, project: Path) -> None:
    path = project / COPYRIGHT
    path.write_text(
        path.read_text(encoding="utf-8").replace('status = "done"', 'status = "cancelled"'),
        encoding="utf-8",
    )
    assert all(w == [] for w in warnings_of(runner).values())


def test_a_clinic_for_two_regions_names_the_one_it_fails() -> None:
    # Tuesday 15:00 UTC: 11:00 in New York, 08:00 in Los Angeles (NA is fine); night in ESEAP.
    start = datetime(2023, 2, 21, 15, tzinfo=UTC)
    check = check_start(("NA", "ESEAP"), start, timedelta(hours=2), window())
    assert check is not None
    assert [p.region for p in check.poor] == ["ESEAP"]
    message = check.message()
    assert "of ESEAP's countries" in message and "of NA's countries" not in message
    assert message.endswith("lc slots --region NA --region ESEAP --date 2023-02-21")
    shares = dict(check.alternative_shares)
    assert shares["ESEAP"] > check.poor[0].score
    assert check_start(("NA",), start, timedelta(hours=2), window()) is None


def test_when_nothing_nearby_is_better_it_says_so() -> None:
    # Only Monday 03:00-05:00 local time: no start within 12 hours of Sunday 06:00 UTC reaches it.
    late = window("03:00-05:00", "mon")
    check = check_start(("SA",), datetime(2023, 4, 2, 6, tzinfo=UTC), timedelta(hours=2), late)
    assert check is not None
    assert not check.improves
    assert "no start within 12 hours does better, consider another day" in check.message()


def test_new_clinic_warns_on_stderr_and_still_writes(runner: CliRunner, project: Path) -> None:
    args = ("new-clinic", "--no-input", "--title", "Night owls", "--region", "ESEAP")
    result = invoke(runner, *args, "--start", "2023-02-21T15:00Z", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {
        "id": "2023-02-21-night-owls",
        "path": "clinics/2023-02-21-night-owls.toml",
    }
    assert "warning: 2023-02-21-night-owls: start: 15:00-17:00 UTC is outside" in result.stderr
    assert "better nearby: 2023-02-21T03:00:00Z" in result.stderr
    assert (project / "clinics" / "2023-02-21-night-owls.toml").is_file()
    fine = invoke(runner, *args, "--start", "2023-04-09T06:00Z", "--id", "2023-04-09-early-birds")
    assert fine.exit_code == 0, fine.output
    assert "warning" not in fine.stderr


def test_new_clinics_table_and_warning_count_the_same_hours_and_countries(
    runner: CliRunner, project: Path
) -> None:
    """One definition of acceptable hours per output: the table's marks, its last line and the
    warning all use [slots] hours (here changed to 07:00-22:00) and count countries alike."""
    with (project / "lc.toml").open("a", encoding="utf-8") as handle:
        handle.write('\n[slots]\nhours = "07:00-22:00"\n')
    args = ("new-clinic", "--no-input", "--title", "Night owls", "--region", "ESEAP")
    result = invoke(runner, *args, "--start", "2023-02-21T15:00Z")
    assert result.exit_code == 0, result.output
    summary = " ".join(result.stdout.splitlines()[-2:])
    inside = re.search(
        r"inside 07:00-22:00 local time \(\[slots\] hours\) for (\d+) of (\d+) zone groups; "
        r"(\d+)% of ESEAP's countries \(each country alike\)",
        summary,
    )
    assert inside, summary
    outside = re.search(
        r"is outside 07:00-22:00 local time for (\d+)% of ESEAP's countries", result.stderr
    )
    assert outside, result.stderr
    assert int(inside[3]) + int(outside[1]) == 100
    marked = [line for line in result.stdout.splitlines() if line.endswith("outside")]
    assert len(marked) == int(inside[2]) - int(inside[1])
    # 15:00-17:00 UTC is 23:00-01:00 in Manila: outside; 22:00 in Pago Pago the day before.
    assert any(line.startswith("Manila") for line in marked)
    assert "night" not in result.stdout and "daytime" not in result.stdout


# Starts around clock changes of both hemispheres (Sydney and Santiago in April, Europe and North
# America in March and October/November), at hours that give warnings for these regions.
_MEMO_DAYS = [datetime(2024, 3, 1, tzinfo=UTC) + timedelta(days=n) for n in range(0, 260, 3)]
_MEMO_REGIONS = [("ESEAP",), ("NA",), ("LAC",), ("ESEAP", "SA"), ("NA", "NWE", "CEE")]


@pytest.mark.slow
@pytest.mark.parametrize("regions", _MEMO_REGIONS, ids="+".join)
@pytest.mark.parametrize("weekdays", [False, True], ids=["every-day", "weekdays"])
def test_a_search_reused_for_another_day_equals_one_made_afresh(
    regions: tuple[str, ...], weekdays: bool
) -> None:
    """check_start reuses the search for a better start made for another day with the same
    clocks; every such reuse must equal the search made afresh (no reuse at all)."""
    from letsconnect_cli.slots import checks

    win = window("08:00-21:00", "weekdays" if weekdays else "all")
    starts = [day + timedelta(hours=hour) for day in _MEMO_DAYS for hour in (1, 9, 14, 22)]
    durations = [timedelta(hours=2), timedelta(minutes=90)]
    checks._STEADY.clear()
    check_start.cache_clear()
    reused = [check_start(regions, s, d, win) for s in starts for d in durations]
    assert len(checks._STEADY) < sum(r is not None for r in reused)  # some were reused
    afresh = []
    for s in starts:
        for d in durations:
            checks._STEADY.clear()
            check_start.cache_clear()
            afresh.append(check_start(regions, s, d, win))
    assert reused == afresh
    assert [r.message() for r in reused if r] == [r.message() for r in afresh if r]


def test_no_search_is_reused_across_a_clock_change() -> None:
    """Sydney moves its clocks on 2024-04-07 (03:00 back to 02:00 local): a start within 12 hours of
    it has no key, and the check is made afresh."""
    from letsconnect_cli.slots import checks

    win = window()
    near = datetime(2024, 4, 6, 10, tzinfo=UTC)  # 16:00 UTC on the 6th is the change
    assert checks._steady_key(("ESEAP",), near, timedelta(hours=2), win) is None
    far = datetime(2024, 4, 9, 10, tzinfo=UTC)
    assert checks._steady_key(("ESEAP",), far, timedelta(hours=2), win) is not None
