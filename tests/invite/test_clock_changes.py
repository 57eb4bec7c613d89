"""Clock changes within a day of a session, said beside the rows and cities they touch: in the
local-time table of `lc invite` (and `lc new-clinic`) and in announcements."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from letsconnect_cli.places.timezones import clock_change_near, local_time
from tests.conftest import invoke
from tests.invite.conftest import write_clinic

#: Sydney and Auckland go back on the morning of Sunday 4 April 2027 (at 03:00 local time).
COMMONS = "2027-04-04-commons-in-the-pacific"
START = datetime(2027, 4, 4, 0, 0, tzinfo=UTC)


def at(hours: float) -> datetime:
    return START + timedelta(hours=hours)


@pytest.mark.parametrize(
    ("zone", "start", "text"),
    [
        ("Australia/Sydney", START, "clocks go back 1 h that morning (03:00, +11:00 to +10:00)"),
        ("Pacific/Auckland", START, "clocks go back 1 h that morning (03:00, +13:00 to +12:00)"),
        (
            "Australia/Lord_Howe",
            START,
            "clocks go back 30 min that morning (02:00, +11:00 to +10:30)",
        ),
        # A Saturday-evening session in Sydney: the change comes the next morning.
        (
            "Australia/Sydney",
            at(-16),
            "clocks go back 1 h the next morning (03:00, +11:00 to +10:00)",
        ),
        # A session at midnight, Monday in Sydney: the change was the day before.
        ("Australia/Sydney", at(14), "clocks go back 1 h the day before (03:00, +11:00 to +10:00)"),
        # 15:30-17:30 UTC: 02:30 Sydney daylight time, the clocks go back during the session.
        (
            "Australia/Sydney",
            at(-8.5),
            "clocks go back 1 h during the session (03:00, +11:00 to +10:00)",
        ),
        # Spring: Sydney goes forward at 02:00 on 3 October 2027.
        (
            "Australia/Sydney",
            datetime(2027, 10, 3, 0, 0, tzinfo=UTC),
            "clocks go forward 1 h that morning (02:00, +10:00 to +11:00)",
        ),
    ],
)
def test_a_change_within_a_day_is_described_against_the_session(
    zone: str, start: datetime, text: str
) -> None:
    row = local_time(start, start + timedelta(hours=2), zone)
    assert row.clock_note() == text


def test_no_change_further_than_a_day_or_in_a_zone_without_one() -> None:
    assert clock_change_near("Asia/Manila", START, at(2)) is None
    assert clock_change_near("Australia/Sydney", at(48), at(50)) is None  # Tuesday: 2 days on
    assert clock_change_near("Australia/Sydney", at(-48), at(-46)) is None
    change = clock_change_near("Australia/Sydney", START, at(2))
    assert change is not None and change.at == datetime(2027, 4, 3, 16, 0, tzinfo=UTC)


@pytest.fixture
def commons(project: Path) -> Path:
    write_clinic(
        project / "clinics",
        COMMONS,
        title="Wikimedia Commons campaigns in the Pacific",
        status="scheduled",
        start=START,
        regions=["ESEAP"],
        calendar_uid="commons-2027@letsconnect",
    )
    return project


def test_the_invite_table_says_so_beside_the_affected_rows(
    runner: CliRunner, commons: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "200")  # a row a line
    result = invoke(runner, "invite", COMMONS, "--dry-run")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    noted = {
        lines[i - 1].split(",")[0].split(" (")[0]
        for i, line in enumerate(lines)
        if line.startswith("clocks go back")
    }
    assert noted == {"Adelaide", "Sydney", "Lord Howe", "Norfolk", "Auckland", "Chatham"}
    sydney = next(i for i, line in enumerate(lines) if line.startswith("Sydney"))
    assert lines[sydney + 1] == "clocks go back 1 h that morning"
    manila = next(i for i, line in enumerate(lines) if line.startswith("Manila"))
    assert not lines[manila + 1].startswith("clocks")
    data = json.loads(invoke(runner, "invite", COMMONS, "--dry-run", "--json").stdout)
    rows = {row["zone"]: row for row in data[0]["local_times"]}
    assert rows["Pacific/Auckland"]["clock_change"]["from"] == "+13:00"
    assert rows["Asia/Manila"]["clock_change"] is None


def test_announcements_say_so_beside_the_city(runner: CliRunner, commons: Path) -> None:
    text = invoke(runner, "announce", COMMONS, "-F", "text")
    assert text.exit_code == 0, text.output
    assert "10:00 Sydney (clocks go back 1 hour at 03:00 on Sun, 4 Apr)" in text.stdout
    assert "08:00 Manila ·" in text.stdout  # Manila keeps its clock: no note
    japanese = invoke(runner, "announce", COMMONS, "-F", "text", "--lang", "ja")
    assert "シドニー 10:00 \uff084月4日(日) 3:00に時計が1 時間戻ります\uff09" in japanese.stdout
    wiki = invoke(runner, "announce", COMMONS, "-F", "wikitext")
    assert "(clocks go back 1 hour at 03:00 on Sun, 4 Apr)" in wiki.stdout
