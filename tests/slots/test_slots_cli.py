"""`lc slots` from the command line: golden output, the JSON contract, weights from an export,
configuration, and every bad value giving exit 2 with the flag named.

Regenerate the golden files after an intended change with
`LC_UPDATE_GOLDEN=1 pytest tests/slots`, and read the diff before committing it.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from letsconnect_cli.cli import context
from tests.conftest import DATA, Golden, invoke

GOLDEN = DATA / "slots"
HEADER = (
    '"Timestamp","Email address","Full name","Wikimedia username",'
    '"Which country are you based in?  ","What is your main role in the Wikimedia movement?",'
    '"Affiliation (if any)","Which languages would you like interpretation into? '
    '(Select all that apply)","Which Learning Clinic are you registering for?"'
)
TRAVEL = "Guidelines, best practices, and documented learnings related to travel scholarships"


def export(folder: Path, people: dict[str, int]) -> Path:
    """A Google Forms registration export (the program's layout) with so many people a country."""
    rows = [HEADER]
    number = 0
    for country, count in people.items():
        for _ in range(count):
            number += 1
            rows.append(
                f'"2023/03/21 2:05:43 AM GMT+8","p{number}@example.org","Person {number}",'
                f'"","{country}","Volunteer organiser","","","{TRAVEL}"'
            )
    path = folder / "registrations.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_eseap_on_a_sunday_golden(runner: CliRunner, project: Path, golden: Golden) -> None:
    result = invoke(runner, "slots", "--region", "ESEAP", "--date", "2023-04-02")
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    golden(GOLDEN / "eseap-2023-04-02.txt", result.stdout)
    lines = result.stdout.splitlines()
    assert lines[0] == "ESEAP: 47 countries in 74 time zones"
    assert "1  Sun 2023-04-02 03:00-05:00   100%" in result.stdout
    assert max(len(line) for line in lines) <= 80


def test_a_wide_terminal_gets_one_heat_map_of_24_hours(
    runner: CliRunner, project: Path, monkeypatch: pytest.MonkeyPatch, golden: Golden
) -> None:
    monkeypatch.setenv("COLUMNS", "120")
    result = invoke(runner, "slots", "--region", "ESEAP", "--date", "2023-04-02")
    assert result.exit_code == 0, result.output
    golden(GOLDEN / "eseap-2023-04-02-wide.txt", result.stdout)
    assert max(len(line) for line in result.stdout.splitlines()) <= 120
    manila = next(line for line in result.stdout.splitlines() if line.startswith("Manila"))
    # 24 cells: 08 at 00:00 UTC ... 20x at 12:00 UTC ... 07x at 23:00 UTC.
    assert manila.split()[2:] == [
        *(f"{h:02d}" for h in range(8, 20)),
        *(f"{h % 24:02d}\u00d7" for h in range(20, 32)),
    ]


def test_json_is_the_documented_list(runner: CliRunner, project: Path, golden: Golden) -> None:
    result = invoke(runner, "slots", "-r", "ESEAP", "--date", "2023-04-02", "--top", "2", "--json")
    assert result.exit_code == 0, result.output
    golden(GOLDEN / "eseap-2023-04-02-top2.json", result.stdout)
    data = json.loads(result.stdout)
    assert [item["start_utc"] for item in data] == [
        "2023-04-02T03:00:00+00:00",
        "2023-04-02T02:30:00+00:00",
    ]
    first = data[0]
    assert set(first) == {"start_utc", "end_utc", "score", "comfort", "zones"}
    assert first["end_utc"] == "2023-04-02T05:00:00+00:00" and first["score"] == 1
    zones = {z["zone"]: z for z in first["zones"]}
    assert len(zones) == 74
    assert zones["Asia/Manila"] == {
        "zone": "Asia/Manila",
        "countries": ["PH"],
        "local_start": "2023-04-02T11:00:00+08:00",
        "local_end": "2023-04-02T13:00:00+08:00",
        "ok": True,
    }
    assert zones["Pacific/Pago_Pago"]["local_start"] == "2023-04-01T16:00:00-11:00"
    assert zones["Pacific/Chatham"]["local_start"] == "2023-04-02T15:45:00+12:45"
    for zone in first["zones"]:  # ISO 8601 with numeric offsets, both ends
        start = datetime.fromisoformat(zone["local_start"])
        end = datetime.fromisoformat(zone["local_end"])
        assert start.utcoffset() is not None and end - start == timedelta(hours=2)
        assert start.astimezone(UTC) == datetime(2023, 4, 2, 3, tzinfo=UTC)


def test_json_scores_agree_with_the_zones(runner: CliRunner, project: Path) -> None:
    result = invoke(runner, "slots", "-r", "ESEAP", "--date", "2023-04-02", "--top", "0", "--json")
    data = json.loads(result.stdout)
    assert len(data) == 48
    by_start = {item["start_utc"]: item for item in data}
    six = by_start["2023-04-02T06:00:00+00:00"]
    assert six["score"] == round(1 - (10 / 3) / 47, 4)
    outside = {z["zone"] for z in six["zones"] if not z["ok"]}
    assert outside == {
        "Pacific/Rarotonga", "Pacific/Tahiti", "Pacific/Marquesas", "Pacific/Gambier",
        "Pacific/Pitcairn", "Pacific/Kiritimati",
    }  # fmt: skip
    assert by_start["2023-04-02T15:00:00+00:00"]["score"] == 0
    assert [item["score"] for item in data] == sorted(
        (item["score"] for item in data), reverse=True
    )


def test_eseap_with_south_asia_on_the_week_end(runner: CliRunner, project: Path) -> None:
    result = invoke(
        runner, "slots", "-r", "ESEAP", "-r", "SA", "--week", "2023-W13", "--days", "sat,sun",
        "--json", "--top", "1",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    [best] = json.loads(result.stdout)
    assert best["start_utc"] == "2023-04-02T04:00:00+00:00"  # Sunday 09:30 in Kolkata
    assert best["score"] == round(54 / 55, 4)  # Pitcairn: 20:00-22:00
    not_ok = [z["zone"] for z in best["zones"] if not z["ok"]]
    assert not_ok == ["Pacific/Pitcairn"]
    text = invoke(runner, "slots", "-r", "ESEAP", "-r", "SA", "--week", "2023-W13").stdout
    assert text.splitlines()[:4] == [
        "ESEAP, SA: 55 countries in 82 time zones",
        "weights: every country alike",
        "starts: every 30 minutes, Mon 2023-03-27 to Sun 2023-04-02 UTC",
        "sessions: 2h, all of it in 08:00-21:00 local time",
    ]


def test_registrants_move_the_best_start(runner: CliRunner, project: Path) -> None:
    """Samoa (+13:00) against Indonesia (+07:00 to +09:00): the data decides."""
    samoa = export(project, {"Samoa": 30, "Indonesia": 10})
    args = ("slots", "-r", "ESEAP", "--date", "2023-04-02", "--top", "0", "--json")
    result = invoke(runner, *args, "--registrations", str(samoa))
    assert result.exit_code == 0, result.output
    scores = {i["start_utc"][11:16]: i["score"] for i in json.loads(result.stdout)}
    # 20:00 UTC: Apia Monday 09:00 (in); Jakarta 03:00, Makassar 04:00, Jayapura 05:00 (out).
    assert scores["20:00"] == 0.75
    # 03:00 UTC: Apia 16:00 and all of Indonesia are in.
    assert scores["03:00"] == 1
    # 09:00 UTC: Jakarta 16:00 in; Apia 22:00 out.
    assert scores["09:00"] == 0.25
    equal = {i["start_utc"][11:16]: i["score"] for i in json.loads(invoke(runner, *args).stdout)}
    assert scores["20:00"] > equal["20:00"]  # with the data, Samoa's morning counts for more

    jakarta = export(project, {"Indonesia": 40, "Samoa": 1})
    ranked = json.loads(invoke(runner, *args, "--registrations", str(jakarta)).stdout)
    assert ranked[0]["score"] == 1
    late = {i["start_utc"][11:16]: i["score"] for i in ranked}
    assert late["09:00"] == pytest.approx(40 / 41, abs=1e-4)
    assert late["20:00"] == pytest.approx(1 / 41, abs=1e-4)


def test_registrations_say_what_they_left_out(runner: CliRunner, project: Path) -> None:
    sample = DATA / "exports" / "google-forms-registration.csv"
    result = invoke(
        runner, "slots", "-r", "ESEAP", "--date", "2023-04-02", "--registrations", str(sample)
    )
    assert result.exit_code == 0, result.output
    assert (
        "weights: registrants (6 from 4 countries, 1 file(s)); 43 countries weigh 0"
        in result.stdout
    )
    notes = result.stderr.splitlines()
    assert "note: 4 registrant(s) from outside ESEAP not counted" in notes
    zero = next(n for n in notes if "weigh 0" in n)
    assert zero.startswith("note: 43 of the 47 countries have no registrant in the exports")
    # Countries of the Foundation's protection list are not named one by one.
    assert " CN," not in zero and " VN," not in zero and "of the protection list" in zero
    assert " PH," not in zero and " FJ," not in zero


def test_registrations_without_anyone_of_the_region(runner: CliRunner, project: Path) -> None:
    path = export(project, {"Ghana": 5})
    result = invoke(runner, "slots", "-r", "ESEAP", "--registrations", str(path))
    assert result.exit_code == 2
    assert "no registrant of the exports lives in ESEAP" in result.stderr


def test_defaults_next_7_days_and_the_default_region(
    runner: CliRunner, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    now = datetime(2026, 12, 7, 10, 10, tzinfo=UTC)
    monkeypatch.setattr(context, "now", lambda: now)
    result = invoke(runner, "slots")  # lc.toml: default_region = "ESEAP"
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[2] == (
        "starts: every 30 minutes, Mon 2026-12-07 to Sun 2026-12-13 UTC (the next 7 days)"
    )
    # The starts of today up to 10:00 UTC have passed: never proposed, and said so.
    assert result.stderr == "note: 21 start(s) before now (2026-12-07 10:10 UTC) left out\n"
    listed = json.loads(invoke(runner, "slots", "--json", "--top", "0").stdout)
    assert len(listed) == 7 * 48 - 21
    assert min(item["start_utc"] for item in listed) == "2026-12-07T10:30:00+00:00"


def test_never_proposes_a_start_that_has_passed(
    runner: CliRunner, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    now = datetime(2023, 4, 2, 3, 0, tzinfo=UTC)
    monkeypatch.setattr(context, "now", lambda: now)
    result = invoke(runner, "slots", "--region", "ESEAP", "--date", "2023-04-02", "--json")
    assert result.exit_code == 0, result.output
    starts = [item["start_utc"] for item in json.loads(result.stdout)]
    # Without the clock, 02:30 and 02:00 rank among the best (the golden file): gone now.
    assert starts and all(start > "2023-04-02T03:00" for start in starts)
    table = invoke(runner, "slots", "--region", "ESEAP", "--date", "2023-04-02")
    assert all("Sun 2023-04-02 0" + h in table.stdout for h in ("3:30", "4:00"))
    assert "02:00-04:00" not in table.stdout
    score_row = next(line for line in table.stdout.splitlines() if line.startswith("score %"))
    # The hours 00-03 have passed: their scores are blank (82 95 100 100 without the clock).
    assert score_row.split()[2:] == ["98", "96", "93", "79", "66", "55", "47", "36"]
    past = invoke(runner, "slots", "--region", "ESEAP", "--date", "2023-04-01")
    assert past.exit_code == 2
    assert "every candidate start has passed (now: 2023-04-02 03:00 UTC)" in past.stderr


def test_the_comfort_column_is_explained_in_one_line(runner: CliRunner, project: Path) -> None:
    result = invoke(runner, "slots", "--region", "ESEAP", "--date", "2023-04-02")
    lines = result.stdout.splitlines()
    header = next(i for i, line in enumerate(lines) if "comfort" in line and "score" in line)
    explained = [line for line in lines if line.startswith("comfort breaks ties:")]
    assert explained == [
        "comfort breaks ties: the mean margin from the hours' edges (100%: 2 h or more)"
    ]
    assert lines.index(explained[0]) > header


def test_no_region_and_no_default(runner: CliRunner, empty_project: Path) -> None:
    result = invoke(runner, "slots")
    assert result.exit_code == 2
    assert "no region given" in result.stderr and "--region" in result.stderr


@pytest.mark.parametrize(
    ("args", "phrase"),
    [
        (["--hours", "8am-9pm"], "--hours: '8am-9pm' is not a span of local hours"),
        (["--days", "funday"], "--days: 'funday': 'funday' is not a day"),
        (["--date", "2023-02-30"], "--date: '2023-02-30' is not a date"),
        (["--week", "2023-W60"], "--week: '2023-W60': 2023 has no week 60"),
        (["--date", "2023-04-02", "--week", "2023-W13"], "give --date or --week, not both"),
        (["--duration", "13h"], "a session lasts 15 minutes to 12 hours"),
        (["--duration", "soon"], "--duration: 'soon' is not a duration"),
        (["--duration", "3h", "--hours", "08:00-10:00"], "a 3h session never fits in 08:00-10:00"),
        (["--region", "ASIA"], "unknown region 'ASIA'"),
        (["--clinic", "2023-04-02-travel-scholarships"], "give --registrations too"),
        (["--top", "-1"], "'--top'"),
    ],
)
def test_bad_values_exit_2_naming_the_flag(
    runner: CliRunner, project: Path, args: list[str], phrase: str
) -> None:
    result = invoke(runner, "slots", *args)
    assert result.exit_code == 2, result.output
    assert phrase in result.stderr
    assert "Traceback" not in result.output and result.stdout == ""


def test_an_unreadable_export_exits_4(runner: CliRunner, project: Path) -> None:
    result = invoke(runner, "slots", "--registrations", "missing.csv")
    assert result.exit_code == 4
    assert "missing.csv" in result.stderr


def test_configuration_sets_the_hours_days_and_duration(
    runner: CliRunner, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = project / "lc.toml"
    config.write_text(
        config.read_text(encoding="utf-8")
        + '\n[slots]\nhours = "09:00-17:00"\ndays = "mon-fri"\nduration = "90m"\n',
        encoding="utf-8",
    )
    result = invoke(runner, "slots", "--date", "2023-04-03")
    assert result.exit_code == 0, result.output
    assert "sessions: 1h30m, all of it in 09:00-17:00 local time on Monday to Friday" in (
        result.stdout
    )
    # A flag beats the file; the environment beats the file too.
    flag = invoke(runner, "slots", "--date", "2023-04-03", "--hours", "08:00-21:00")
    assert "in 08:00-21:00 local time on Monday to Friday" in flag.stdout
    monkeypatch.setenv("LC_SLOTS_DAYS", "all")
    env = invoke(runner, "slots", "--date", "2023-04-03")
    assert "all of it in 09:00-17:00 local time\n" in env.stdout


def test_a_bad_configuration_value_names_file_and_line(runner: CliRunner, project: Path) -> None:
    config = project / "lc.toml"
    config.write_text(
        config.read_text(encoding="utf-8") + '\n[slots]\nhours = "late"\n', encoding="utf-8"
    )
    result = invoke(runner, "slots")
    assert result.exit_code == 2
    assert "lc.toml" in result.stderr and "slots.hours" in result.stderr
    assert "08:00-21:00" in result.stderr
