"""`lc new-clinic`: flags, prompts, time zones typed by people, safe writes."""

from __future__ import annotations

import json
import os
import tomllib
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from letsconnect_cli.cli import context, prompts
from letsconnect_cli.clinic.clinics import read_clinic_file
from tests.conftest import invoke


@pytest.fixture(autouse=True)
def before_the_seed_clinics(monkeypatch: pytest.MonkeyPatch) -> None:
    """Now is 1 January 2023: the clinics of these tests (2023) are still to come."""
    monkeypatch.setattr(context, "now", lambda: datetime(2023, 1, 1, tzinfo=UTC))


TRAVEL = [
    "new-clinic",
    "--title",
    "Guidelines, best practices, and documented learnings related to travel scholarships",
    "--start",
    "2023-04-02T06:00Z",
    "--region",
    "ESEAP",
    "--language",
    "en",
    "--interpretation",
    "ja",
    "--interpretation",
    "zh",
    "--platform",
    "Zoom",
    "--no-input",
]


def test_creates_a_valid_commented_file_and_shows_local_times(
    runner: CliRunner, empty_project: Path
) -> None:
    result = invoke(
        runner,
        *TRAVEL,
        "--category",
        "funding",
        "--sharer",
        "Imelda R. Brazal|Wiki Advocates Philippines User Group|Executive Director and Co-founder",
        "--registration-url",
        "https://meta.wikimedia.org/wiki/Event:Lets_Connect?x=1;y=2",
        "--status",
        "confirmed",
    )
    assert result.exit_code == 0, result.output
    path = Path("clinics/2023-04-02-guidelines-best-practices-and-documented.toml")
    assert result.stderr == f"Created {path}\n"
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# Let's Connect Learning Clinic.")
    assert "#   funding         Specific funding-related issues" in text
    loaded = read_clinic_file(path)
    assert loaded.ok, loaded.errors
    clinic = loaded.clinic
    assert clinic is not None
    assert clinic.start is not None and clinic.start.isoformat() == "2023-04-02T06:00:00+00:00"
    assert clinic.end is not None and clinic.end.isoformat() == "2023-04-02T08:00:00+00:00"
    assert clinic.interpretation == ["ja", "zh"]
    assert clinic.sharers[0].role == "Executive Director and Co-founder"
    assert clinic.calendar.uid and clinic.calendar.uid.endswith("@letsconnect")
    lines = result.stdout.splitlines()
    manila = next(line for line in lines if line.startswith("Manila"))
    assert "+08:00" in manila and "Sun 2023-04-02" in manila and "14:00-16:00" in manila
    pago = next(line for line in lines if line.startswith("Pago Pago"))
    assert "Sat 2023-04-01" in pago and "19:00-21:00" in pago and "-1" in pago
    # Outside 08:00-21:00 ([slots] hours, as the time check) in 06:00-08:00 UTC: Rarotonga
    # 20:00-22:00, Marquesas 20:30-22:30, Gambier 21:00-23:00, Pitcairn 22:00-00:00 and
    # Kiritimati 20:00-22:00; Pago Pago's 19:00-21:00 ends as the hours close.
    outside = [line.split()[0] for line in lines[3:] if line.endswith("outside")]
    assert outside == ["Rarotonga,", "Marquesas", "Gambier", "Pitcairn", "Kiritimati"]
    assert " ".join(lines[-2:]) == (
        "inside 08:00-21:00 local time ([slots] hours) for 18 of 23 zone groups; 93% of "
        "ESEAP's countries (each country alike)"
    )


def test_json_prints_only_id_and_path(runner: CliRunner, empty_project: Path) -> None:
    result = invoke(runner, *TRAVEL, "--json", "--id", "2023-04-02-travel")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {
        "id": "2023-04-02-travel",
        "path": "clinics/2023-04-02-travel.toml",
    }
    assert result.stderr == ""


def test_refuses_to_overwrite_without_force_and_keeps_uid_with_force(
    runner: CliRunner, empty_project: Path
) -> None:
    assert invoke(runner, *TRAVEL, "--id", "2023-04-02-travel").exit_code == 0
    path = Path("clinics/2023-04-02-travel.toml")
    before = path.read_bytes()
    uid = tomllib.loads(before.decode())["calendar"]["uid"]
    again = invoke(runner, *TRAVEL, "--id", "2023-04-02-travel", "--duration", "90m")
    assert again.exit_code == 2
    assert "already exists" in again.stderr and "--force" in again.stderr
    assert path.read_bytes() == before
    assert sorted(p.name for p in Path("clinics").iterdir()) == [
        "2023-04-02-travel.toml"
    ]  # no temp left
    forced = invoke(runner, *TRAVEL, "--id", "2023-04-02-travel", "--duration", "90m", "--force")
    assert forced.exit_code == 0, forced.output
    data = tomllib.loads(path.read_text())
    assert data["duration"] == "1h30m"
    assert data["calendar"]["uid"] == uid


def test_local_time_with_tz(runner: CliRunner, empty_project: Path) -> None:
    result = invoke(
        runner,
        "new-clinic",
        "--title",
        "Manila evening",
        "--start",
        "2023-04-02 14:00",
        "--tz",
        "Asia/Manila",
        "--no-input",
        "--json",
    )
    assert result.exit_code == 0, result.output
    data = tomllib.loads(Path(json.loads(result.stdout)["path"]).read_text())
    assert data["start"].isoformat() == "2023-04-02T06:00:00+00:00"


@pytest.mark.parametrize(
    ("start", "zone", "phrase", "candidates"),
    [
        # Sydney's clocks went back at 03:00 on 2 April 2023: 02:30 happened twice.
        (
            "2023-04-02T02:30",
            "Australia/Sydney",
            "happens twice",
            ["2023-04-02T02:30:00+11:00", "2023-04-02T02:30:00+10:00"],
        ),
        # Sydney's clocks went forward at 02:00 on 1 October 2023: 02:30 never happened.
        ("2023-10-01T02:30", "Australia/Sydney", "does not exist", ["+10:00", "+11:00"]),
        # Lord Howe moves by 30 minutes: 02:15 on 1 October 2023 never happened.
        ("2023-10-01T02:15", "Australia/Lord_Howe", "does not exist", ["+10:30", "+11:00"]),
    ],
)
def test_dst_gaps_and_repeats_show_both_candidates(
    runner: CliRunner,
    empty_project: Path,
    start: str,
    zone: str,
    phrase: str,
    candidates: list[str],
) -> None:
    result = invoke(
        runner, "new-clinic", "--title", "DST", "--start", start, "--tz", zone, "--no-input"
    )
    assert result.exit_code == 2
    assert phrase in result.stderr
    for candidate in candidates:
        assert candidate in result.stderr
    assert not list(Path("clinics").iterdir())


def test_naive_start_without_tz_names_the_fix(runner: CliRunner, empty_project: Path) -> None:
    result = invoke(
        runner, "new-clinic", "--title", "T", "--start", "2023-04-02T06:00", "--no-input"
    )
    assert result.exit_code == 2
    assert "has no time zone" in result.stderr
    assert "2023-04-02T06:00Z" in result.stderr and "--tz" in result.stderr


@pytest.mark.parametrize(
    ("args", "flag"),
    [
        (["--start", "2023-04-02T06:00Z"], "--title is required"),
        (["--title", "No start"], "--start is required"),
    ],
)
def test_no_input_fails_naming_the_missing_flag(
    runner: CliRunner, empty_project: Path, args: list[str], flag: str
) -> None:
    result = invoke(runner, "new-clinic", *args, "--no-input")
    assert result.exit_code == 2
    assert flag in result.stderr
    assert "Traceback" not in result.output


def test_proposed_clinic_needs_no_date(runner: CliRunner, empty_project: Path) -> None:
    result = invoke(
        runner,
        "new-clinic",
        "--title",
        "Wiktionary and Lexemes on Wikidata",
        "--status",
        "proposed",
        "--no-input",
        "--json",
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["id"] == "proposed-wiktionary-and-lexemes-on-wikidata"


def test_invalid_values_are_reported_by_flag_and_nothing_is_written(
    runner: CliRunner, empty_project: Path
) -> None:
    result = invoke(
        runner,
        "new-clinic",
        "--title",
        "Bad",
        "--start",
        "2023-04-02T06:00Z",
        "--duration",
        "5m",
        "--interpretation",
        "Japanese",
        "--region",
        "ESAP",
        "--status",
        "confirmed",
        "--meeting-url",
        "zoom.us/j/1",
        "--no-input",
    )
    assert result.exit_code == 3
    err = result.stderr
    assert "nothing was written" in err
    assert "--duration: duration is 5 minutes" in err
    assert "--interpretation: 'Japanese' is not a BCP 47 language tag (did you mean 'ja'" in err
    assert "--region: unknown region 'ESAP'" in err and "'ESEAP'" in err
    assert "--meeting-url: 'zoom.us/j/1' is not an http(s) link" in err
    assert "--registration-url: a confirmed clinic needs registration_url" in err
    assert not list(Path("clinics").iterdir())


def test_bad_sharer_and_zone_are_usage_errors(runner: CliRunner, empty_project: Path) -> None:
    sharer = invoke(runner, *TRAVEL, "--sharer", "|Nobody")
    assert sharer.exit_code == 2 and "Name|Affiliation|Role|username" in sharer.stderr
    zone = invoke(
        runner,
        "new-clinic",
        "--title",
        "T",
        "--start",
        "2023-04-02T06:00",
        "--tz",
        "Asia/Manilla",
        "--no-input",
    )
    assert zone.exit_code == 2
    assert "unknown time zone 'Asia/Manilla'" in zone.stderr and "Asia/Manila" in zone.stderr


def test_prompts_for_what_is_missing_on_a_terminal(
    runner: CliRunner, empty_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(prompts, "stdin_is_interactive", lambda: True)
    answers = "\n".join(
        [
            "Copyright Clinic: Awareness + Education",  # title
            "2023-02-21T15:00Z",  # start
            "sheduled",  # status, mistyped: asked again
            "scheduled",
            "",  # duration: 2h
            "",  # category: skipped
            "ESEAP NWE",  # regions
            "",  # language: en
            "",  # interpretation: none
            "",  # sharers: none
            "",  # registration link: skipped
            "",  # description: skipped
        ]
    )
    result = invoke(runner, "new-clinic", "--json", input=answers + "\n")
    assert result.exit_code == 0, result.output
    # The questions go to stderr. CliRunner echoes the typed answers to stdout as a terminal
    # would show them; the JSON document follows them.
    assert "Title:" not in result.stdout
    path = Path(json.loads(result.stdout[result.stdout.index("{") :])["path"])
    clinic = read_clinic_file(path).clinic
    assert clinic is not None
    assert clinic.title == "Copyright Clinic: Awareness + Education"
    assert clinic.regions == ["ESEAP", "NWE"]
    assert clinic.category is None
    assert "'sheduled' is not one of" in result.stderr
    assert "Title:" in result.stderr


def test_default_region_comes_from_configuration(runner: CliRunner, empty_project: Path) -> None:
    Path("lc.toml").write_text('default_region = "ssa"\n')
    result = invoke(
        runner, "new-clinic", "--title", "For Africa", "--start", "2023-06-01T09:00Z", "--no-input"
    )
    assert result.exit_code == 0, result.output
    clinic = read_clinic_file(Path("clinics/2023-06-01-for-africa.toml")).clinic
    assert clinic is not None and clinic.regions == ["SSA"]
    assert "Lagos" in result.stdout


def test_written_file_gets_the_usual_permissions(runner: CliRunner, empty_project: Path) -> None:
    old = os.umask(0o022)
    try:
        assert invoke(runner, *TRAVEL, "--id", "2023-04-02-travel").exit_code == 0
    finally:
        os.umask(old)
    path = Path("clinics/2023-04-02-travel.toml")
    assert path.stat().st_mode & 0o777 == 0o644
    path.chmod(0o600)
    assert invoke(runner, *TRAVEL, "--id", "2023-04-02-travel", "--force").exit_code == 0
    assert path.stat().st_mode & 0o777 == 0o600  # replacing a file keeps its permissions
