"""`lc list`: order, filters, extra time zone, JSON."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from tests.conftest import invoke


def lines(text: str) -> list[str]:
    return [line.rstrip() for line in text.splitlines()]


def test_table_sorted_by_start_with_proposed_last(runner: CliRunner, project: Path) -> None:
    result = invoke(runner, "list")
    assert result.exit_code == 0, result.output
    assert lines(result.stdout) == [
        "start (UTC)           status    clinic: id, title, sharers",
        "─" * 81,  # the widest id is never cut: the table may pass 80 columns
        "Sat 2023-01-14 06:00  done      2023-01-14-building-a-wikimedia-affiliate-group",
        "                                Building a Wikimedia Affiliate/Group",
        "                                Imelda R. Brazal",
        "Tue 2023-02-21 15:00  done      2023-02-21-copyright-clinic-awareness-education",
        "                                Copyright Clinic: Awareness + Education",
        "                                Eric Luth",
        "Sun 2023-04-02 06:00  done      2023-04-02-travel-scholarships",
        "                                Guidelines, best practices, and documented",
        "                                learnings related to travel scholarships",
        "(no date)             proposed  proposed-partnership-building-wikimedia-indonesia",
        "                                Partnership Building Case Study with Wikimedia",
        "                                Indonesia",
        "(no date)             proposed  proposed-wiktionary-and-lexemes-on-wikidata",
        "                                Wiktionary and Lexemes on Wikidata",
    ]
    assert result.stderr == "5 clinic(s)\n"


def test_json_with_tz(runner: CliRunner, project: Path) -> None:
    result = invoke(runner, "list", "--json", "--tz", "Asia/Tokyo")
    data = json.loads(result.stdout)
    assert [item["id"] for item in data][-2:] == [
        "proposed-partnership-building-wikimedia-indonesia",
        "proposed-wiktionary-and-lexemes-on-wikidata",
    ]
    travel = data[2]
    assert travel == {
        "id": "2023-04-02-travel-scholarships",
        "title": "Guidelines, best practices, and documented learnings related to travel scholarships",
        "status": "done",
        "category": None,
        "start_utc": "2023-04-02T06:00:00+00:00",
        "end_utc": "2023-04-02T08:00:00+00:00",
        "start_local": "2023-04-02T15:00:00+09:00",
        "regions": ["ESEAP"],
        "language": "en",
        "interpretation": ["ja", "zh"],
        "sharers": [],
    }
    assert data[3]["start_local"] is None


def test_tz_column_shows_local_time_with_offset(runner: CliRunner, project: Path) -> None:
    result = invoke(runner, "list", "--tz", "Pacific/Pago_Pago", "--status", "done")
    out = lines(result.stdout)
    assert out[0].startswith("start (UTC, Pacific/Pago_Pago)")
    assert out[-3].startswith("Sun 2023-04-02 06:00")
    assert out[-2].startswith("Sat 19:00 -11:00")


def test_filters(runner: CliRunner, project: Path) -> None:
    def ids(*args: str) -> list[str]:
        result = invoke(runner, "list", "--json", *args)
        assert result.exit_code == 0, result.output
        return [item["id"] for item in json.loads(result.stdout)]

    assert ids("--past") == [
        "2023-01-14-building-a-wikimedia-affiliate-group",
        "2023-02-21-copyright-clinic-awareness-education",
        "2023-04-02-travel-scholarships",
    ]
    assert ids("--upcoming") == [
        "proposed-partnership-building-wikimedia-indonesia",
        "proposed-wiktionary-and-lexemes-on-wikidata",
    ]
    assert ids("--status", "done", "--status", "scheduled") == ids("--past")
    assert ids("--region", "eseap") == ids()
    assert ids("--region", "SSA") == []


def test_upcoming_includes_future_dated_clinics(runner: CliRunner, project: Path) -> None:
    result = invoke(
        runner,
        "new-clinic",
        "--title",
        "Far future",
        "--start",
        "2099-01-04T06:00Z",
        "--no-input",
        "--json",
    )
    assert result.exit_code == 0, result.output
    data = json.loads(invoke(runner, "list", "--upcoming", "--json").stdout)
    assert data[0]["id"] == "2099-01-04-far-future"


def test_contradicting_filters_and_bad_values(runner: CliRunner, project: Path) -> None:
    both = invoke(runner, "list", "--upcoming", "--past")
    assert both.exit_code == 2 and "exclude each other" in both.stderr
    status = invoke(runner, "list", "--status", "finished")
    assert status.exit_code == 2
    zone = invoke(runner, "list", "--tz", "Asia/Saigon", "--json")  # an old alias is accepted
    assert zone.exit_code == 0
    region = invoke(runner, "list", "--region", "Asia")
    assert region.exit_code == 2 and "unknown region 'Asia'" in region.stderr


def test_a_broken_clinic_stops_list_with_exit_3(runner: CliRunner, project: Path) -> None:
    (project / "clinics" / "2023-07-01-broken.toml").write_text(
        'title = "x"\nstatus = "scheduled"\n'
    )
    result = invoke(runner, "list")
    assert result.exit_code == 3
    assert "run `lc validate`" in result.stderr
    assert "clinics/2023-07-01-broken.toml" in result.stderr
