"""`lc invite` on the terminal and with --json: which clinics, local-time table, zones, errors."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path

from typer.testing import CliRunner

from tests.conftest import ROOT, invoke
from tests.invite.conftest import SEED_ID, write_clinic


def _invite(runner: CliRunner, *args: str, code: int = 0):
    result = invoke(runner, "invite", *args)
    assert result.exit_code == code, result.stderr + result.stdout
    return result


def _rows(stdout: str) -> dict[str, str]:
    """Table rows by their first word(s) before two spaces: 'Manila, Perth, ...' -> the row."""
    rows = {}
    for line in stdout.splitlines():
        if re.search(r"  [+-]\d\d:\d\d  ", line):
            rows[line.split(",")[0].split(" (")[0].split("  ")[0]] = line
    return rows


def test_table_for_the_seed_clinic(runner: CliRunner, project: Path) -> None:
    result = _invite(runner, SEED_ID, "--region", "ESEAP")
    out = result.stdout
    assert out.startswith(
        "2023-04-02-travel-scholarships (done): Guidelines, best practices, and\n"
        "documented learnings related to travel scholarships\n"
        "Sunday 2 April 2023, 06:00-08:00 UTC; local times for ESEAP\n"
    )
    assert all(len(line) <= 80 and line == line.rstrip() for line in out.splitlines())
    rows = _rows(out)
    assert re.fullmatch(
        r"Pago Pago, Niue, Midway \(AS +-11:00  Sat 2023-04-01  19:00-21:00   -1",
        rows["Pago Pago"],
    )
    assert re.fullmatch(
        r"Pitcairn \(PN\) +-08:00  Sat 2023-04-01  22:00-00:00   -1  outside", rows["Pitcairn"]
    )
    assert "+08:00  Sun 2023-04-02  14:00-16:00" in rows["Manila"]
    assert "+09:00  Sun 2023-04-02  15:00-17:00" in rows["Tokyo"]
    assert "+10:00  Sun 2023-04-02  16:00-18:00" in rows["Sydney"]  # DST ended that morning
    assert "+12:45  Sun 2023-04-02  18:45-20:45" in rows["Chatham"]
    assert "+14:00  Sun 2023-04-02  20:00-22:00" in rows["Kiritimati"]
    assert "(WS KI TK TO)" in out.replace("\n", " ")  # Apia's group: Samoa, Kanton, Tokelau, Tonga
    assert out.rstrip().endswith(
        "inside 08:00-21:00 local time ([slots] hours) for 18 of 23 zone groups; 93% of\n"
        "ESEAP's countries (each country alike)"
    )


def test_json_shape(runner: CliRunner, project: Path) -> None:
    result = _invite(runner, SEED_ID, "--zone", "Asia/Kathmandu", "--json")
    (item,) = json.loads(result.stdout)
    assert item["id"] == SEED_ID
    assert item["title"].startswith("Guidelines, best practices")
    assert item["start_utc"] == "2023-04-02T06:00:00+00:00"
    assert item["end_utc"] == "2023-04-02T08:00:00+00:00"
    assert item["ics"] == f"invites/{SEED_ID}.ics"
    assert (item["uid"], item["sequence"], item["method"]) == (
        "bdc55479-7c80-4fe5-b6e0-b2b8675f451c@letsconnect",
        0,
        "PUBLISH",
    )
    rows = {row["zone"]: row for row in item["local_times"]}
    assert set(rows["Asia/Manila"]) == {
        "zone",
        "label",
        "zones",
        "countries",
        "utc_offset",
        "start",
        "end",
        "day_offset",
        "night",
        "inside_hours",
        "clock_change",
    }
    manila = rows["Asia/Manila"]
    assert (
        manila["label"] == "Manila" and "PH" in manila["countries"] and "CN" in manila["countries"]
    )
    assert (manila["utc_offset"], manila["start"], manila["end"]) == (
        "+08:00",
        "2023-04-02T14:00:00+08:00",
        "2023-04-02T16:00:00+08:00",
    )
    assert rows["Pacific/Pago_Pago"]["day_offset"] == -1
    assert rows["Pacific/Pago_Pago"]["start"] == "2023-04-01T19:00:00-11:00"
    assert rows["Pacific/Pitcairn"]["night"] is True and manila["night"] is False
    assert rows["Pacific/Pitcairn"]["inside_hours"] is False and manila["inside_hours"] is True
    assert manila["clock_change"] is None
    assert rows["Australia/Sydney"]["clock_change"] == {
        "at_utc": "2023-04-01T16:00:00+00:00",
        "local": "2023-04-02T03:00",
        "from": "+11:00",
        "to": "+10:00",
    }
    assert rows["Pacific/Chatham"]["utc_offset"] == "+12:45"
    kathmandu = item["local_times"][-1]  # an extra zone comes after the region's groups
    assert (kathmandu["zone"], kathmandu["countries"], kathmandu["start"]) == (
        "Asia/Kathmandu",
        ["NP"],
        "2023-04-02T11:45:00+05:45",
    )
    assert result.stderr  # messages go to stderr, the document alone to stdout


def test_all_zones_lists_every_zone(runner: CliRunner, project: Path) -> None:
    result = _invite(runner, SEED_ID, "--all-zones", "--json")
    zones = [row["zone"] for row in json.loads(result.stdout)[0]["local_times"]]
    assert len(zones) == len(set(zones)) > 60
    assert {"Asia/Manila", "Asia/Shanghai", "Australia/Perth", "Pacific/Apia"} <= set(zones)
    table = _invite(runner, SEED_ID, "--all-zones").stdout
    assert "zone (countries)" in table and "Australia/Lord_Howe (AU)" in table
    assert f"of {len(zones)} zones" in table


def test_zone_aliases_are_accepted_and_unknown_zones_refused(
    runner: CliRunner, project: Path
) -> None:
    bad = _invite(runner, SEED_ID, "--zone", "Asia/Manilla", code=2)
    assert "unknown time zone 'Asia/Manilla'" in bad.stderr and "Asia/Manila" in bad.stderr
    assert "Traceback" not in bad.stderr
    assert not (project / "invites").exists()
    result = _invite(
        runner, SEED_ID, "--zone", "Asia/Saigon", "--zone", "pacific/honolulu", "--json"
    )
    rows = {row["zone"]: row for row in json.loads(result.stdout)[0]["local_times"]}
    # Asia/Saigon is Asia/Ho_Chi_Minh, already in the region's rows: no second row for it
    assert "Asia/Saigon" not in rows
    (vietnam,) = [row for row in rows.values() if "Asia/Ho_Chi_Minh" in row["zones"]]
    assert vietnam["start"] == "2023-04-02T13:00:00+07:00"
    assert rows["Pacific/Honolulu"]["start"] == "2023-04-01T20:00:00-10:00"
    assert rows["Pacific/Honolulu"]["countries"] == ["US"]


def test_region_choice_clinic_then_configuration(runner: CliRunner, project: Path) -> None:
    write_clinic(
        project / "clinics",
        "2023-06-01-no-region",
        title="No region",
        status="scheduled",
        start=datetime(2023, 6, 1, 12, tzinfo=UTC),
    )
    result = _invite(runner, "2023-06-01-no-region", "--json")
    assert json.loads(result.stdout)[0]["regions"] == ["ESEAP"]  # lc.toml's default_region
    result = _invite(runner, "2023-06-01-no-region", "--region", "sa", "--region", "NWE", "--json")
    item = json.loads(result.stdout)[0]
    assert item["regions"] == ["SA", "NWE"]
    zones = {row["zone"] for row in item["local_times"]}
    assert {"Asia/Kolkata", "Asia/Kathmandu", "Europe/London"} <= zones
    bad = _invite(runner, "2023-06-01-no-region", "--region", "ESAEP", code=2)
    assert "unknown region 'ESAEP'" in bad.stderr and "ESEAP" in bad.stderr


def test_no_region_anywhere_shows_utc_and_warns(
    runner: CliRunner, empty_project: Path, monkeypatch
) -> None:
    monkeypatch.setenv("LC_ORGANISER_EMAIL", "team@example.org")
    write_clinic(
        empty_project / "clinics",
        "2023-06-01-x",
        title="X",
        status="scheduled",
        start=datetime(2023, 6, 1, 12, tzinfo=UTC),
    )
    result = _invite(runner, "2023-06-01-x")
    assert "names no region and none is configured" in result.stderr
    assert "Thursday 1 June 2023, 12:00-14:00 UTC" in result.stdout


def test_default_selection_is_the_clinics_still_to_come(runner: CliRunner, project: Path) -> None:
    clinics = project / "clinics"
    start = datetime(2099, 3, 1, 6, tzinfo=UTC)
    registration = "https://example.org/register"
    for status in ("scheduled", "confirmed", "done", "cancelled"):
        write_clinic(
            clinics,
            f"2099-03-01-{status}",
            title=f"Clinic {status}",
            status=status,
            start=start,
            regions=["ESEAP"],
            registration_url=registration,
        )
    result = _invite(runner, "--json")
    assert [item["id"] for item in json.loads(result.stdout)] == [
        "2099-03-01-confirmed",
        "2099-03-01-scheduled",
    ]
    # A clinic invited before and cancelled since: its cancellation goes out by default.
    path = clinics / "2099-03-01-scheduled.toml"
    path.write_text(path.read_text().replace('"scheduled"', '"cancelled"', 1), encoding="utf-8")
    result = _invite(runner, "--json")
    items = {item["id"]: item for item in json.loads(result.stdout)}
    assert sorted(items) == ["2099-03-01-confirmed", "2099-03-01-scheduled"]
    cancelled = items["2099-03-01-scheduled"]
    # published files stay METHOD:PUBLISH; the event says STATUS:CANCELLED with a higher SEQUENCE
    assert (cancelled["method"], cancelled["status"], cancelled["sequence"]) == (
        "PUBLISH",
        "cancelled",
        1,
    )


def test_nothing_to_invite_is_not_an_error(runner: CliRunner, project: Path) -> None:
    result = _invite(runner)  # the seed clinics are all in 2023
    assert "no clinics to invite" in result.stderr and result.stdout == ""
    assert json.loads(_invite(runner, "--json").stdout) == []
    assert not (project / "invites").exists()


def test_bad_selections_are_usage_errors(runner: CliRunner, project: Path) -> None:
    result = _invite(runner, "2023-04-02-travel-scholarhsips", code=2)
    assert "no clinic '2023-04-02-travel-scholarhsips'" in result.stderr
    assert f"Did you mean {SEED_ID}" in result.stderr
    result = _invite(runner, "proposed-wiktionary-and-lexemes-on-wikidata", code=2)
    assert "proposed and has no date yet" in result.stderr
    result = _invite(runner, SEED_ID, "--all", code=2)
    assert "not both" in result.stderr
    assert _invite(runner, f"clinics/{SEED_ID}.toml").exit_code == 0  # a path works as an id


def test_a_broken_clinic_file(runner: CliRunner, project: Path) -> None:
    (project / "clinics" / "2023-07-01-broken.toml").write_text('title = "x"\nstatus = "later"\n')
    result = _invite(runner, "--all", code=3)
    assert "2023-07-01-broken.toml" in result.stderr and "lc validate" in result.stderr
    result = _invite(runner, SEED_ID)  # an unrelated broken file only warns
    assert "1 other clinic file(s) have problems" in result.stderr


def test_the_docs_show_the_real_table(runner: CliRunner, project: Path) -> None:
    """The invitations page's example is this command's output for the seed's 2 April 2023 clinic
    (stdout, then the two lines of stderr)."""
    page = (ROOT / "docs" / "guide" / "invitations.md").read_text(encoding="utf-8")
    match = re.search(
        r"\$ lc invite 2023-04-02-travel-scholarships --region ESEAP\n(.*?)```", page, re.DOTALL
    )
    assert match, "docs/guide/invitations.md lacks the lc invite example"
    result = _invite(runner, SEED_ID, "--region", "ESEAP")
    assert match[1].splitlines()[:-2] == [line.rstrip() for line in result.stdout.splitlines()]


def test_help_is_fast_to_import() -> None:
    """`lc --help` must not import ics, icalendar or pydantic-heavy calendar code."""
    import subprocess
    import sys

    code = (
        "import sys, letsconnect_cli.cli; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('ics', 'arrow', 'tatsu')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
