"""UTC -> local time at the hard cases of the tz database, and against a second source (GNU date).

Expectations for past instants come from the tz database as checked with GNU date and zdump
(calendar-facts.md); the property tests compare lc with GNU `date` reading the system's database
(the same files zoneinfo reads), so they hold whatever the database's version.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import zoneinfo
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from letsconnect_cli.errors import UsageError
from letsconnect_cli.places import regions
from letsconnect_cli.places.timezones import local_time, localize

TWO_HOURS = timedelta(hours=2)


def _utc(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


@pytest.mark.parametrize(
    ("instant", "zone", "wall", "offset"),
    [
        # Sydney: DST ends 2023-04-02 03:00 local; Brisbane has none; Adelaide half an hour later.
        ("2023-04-01T15:59:59Z", "Australia/Sydney", "2023-04-02T02:59:59", "+11:00"),
        ("2023-04-01T16:00:00Z", "Australia/Sydney", "2023-04-02T02:00:00", "+10:00"),
        ("2023-04-01T15:59:59Z", "Australia/Brisbane", "2023-04-02T01:59:59", "+10:00"),
        ("2023-04-01T16:29:59Z", "Australia/Adelaide", "2023-04-02T02:59:59", "+10:30"),
        ("2023-04-01T16:30:00Z", "Australia/Adelaide", "2023-04-02T02:00:00", "+09:30"),
        ("2023-04-01T16:30:00Z", "Australia/Darwin", "2023-04-02T02:00:00", "+09:30"),
        ("2023-01-15T00:00:00Z", "Australia/Darwin", "2023-01-15T09:30:00", "+09:30"),
        # Lord Howe: a 30-minute DST.
        ("2023-04-01T14:59:59Z", "Australia/Lord_Howe", "2023-04-02T01:59:59", "+11:00"),
        ("2023-04-01T15:00:00Z", "Australia/Lord_Howe", "2023-04-02T01:30:00", "+10:30"),
        ("2023-09-30T15:29:59Z", "Australia/Lord_Howe", "2023-10-01T01:59:59", "+10:30"),
        ("2023-09-30T15:30:00Z", "Australia/Lord_Howe", "2023-10-01T02:30:00", "+11:00"),
        # New Zealand: Auckland +13 -> +12 and Chatham +13:45 -> +12:45 at the same instant.
        ("2023-04-01T13:59:59Z", "Pacific/Auckland", "2023-04-02T02:59:59", "+13:00"),
        ("2023-04-01T14:00:00Z", "Pacific/Auckland", "2023-04-02T02:00:00", "+12:00"),
        ("2023-04-01T13:59:59Z", "Pacific/Chatham", "2023-04-02T03:44:59", "+13:45"),
        ("2023-04-01T14:00:00Z", "Pacific/Chatham", "2023-04-02T02:45:00", "+12:45"),
        # A Sunday clinic at 06:00 UTC, both sides of the date line.
        ("2023-04-02T06:00:00Z", "Asia/Manila", "2023-04-02T14:00:00", "+08:00"),
        ("2023-04-02T06:00:00Z", "Asia/Jakarta", "2023-04-02T13:00:00", "+07:00"),
        ("2023-04-02T06:00:00Z", "Asia/Tokyo", "2023-04-02T15:00:00", "+09:00"),
        ("2023-04-02T06:00:00Z", "Australia/Sydney", "2023-04-02T16:00:00", "+10:00"),
        ("2023-04-02T06:00:00Z", "Pacific/Auckland", "2023-04-02T18:00:00", "+12:00"),
        ("2023-04-02T06:00:00Z", "Pacific/Fiji", "2023-04-02T18:00:00", "+12:00"),
        ("2023-04-02T06:00:00Z", "Pacific/Chatham", "2023-04-02T18:45:00", "+12:45"),
        ("2023-04-02T06:00:00Z", "Pacific/Apia", "2023-04-02T19:00:00", "+13:00"),
        ("2023-04-02T06:00:00Z", "Pacific/Tongatapu", "2023-04-02T19:00:00", "+13:00"),
        ("2023-04-02T06:00:00Z", "Pacific/Kiritimati", "2023-04-02T20:00:00", "+14:00"),
        ("2023-04-02T06:00:00Z", "Pacific/Honolulu", "2023-04-01T20:00:00", "-10:00"),
        ("2023-04-02T06:00:00Z", "Pacific/Pago_Pago", "2023-04-01T19:00:00", "-11:00"),
        ("2023-04-02T06:00:00Z", "Pacific/Niue", "2023-04-01T19:00:00", "-11:00"),
        # Samoa skipped 30 December 2011; it has had no DST since 2021, Fiji none since 2022.
        ("2011-12-30T09:59:59Z", "Pacific/Apia", "2011-12-29T23:59:59", "-10:00"),
        ("2011-12-30T10:00:00Z", "Pacific/Apia", "2011-12-31T00:00:00", "+14:00"),
        ("2023-01-15T06:00:00Z", "Pacific/Apia", "2023-01-15T19:00:00", "+13:00"),
        ("2023-01-15T06:00:00Z", "Pacific/Fiji", "2023-01-15T18:00:00", "+12:00"),
        # Offsets of 30 and 45 minutes.
        ("2023-04-02T06:00:00Z", "Asia/Kolkata", "2023-04-02T11:30:00", "+05:30"),
        ("2023-04-02T06:00:00Z", "Asia/Kathmandu", "2023-04-02T11:45:00", "+05:45"),
    ],
)
def test_hard_cases(instant: str, zone: str, wall: str, offset: str) -> None:
    moment = _utc(instant)
    row = local_time(moment, moment + TWO_HOURS, zone)
    assert row.start.replace(tzinfo=None).isoformat() == wall
    assert row.utc_offset == offset
    assert row.day_offset == (date.fromisoformat(wall[:10]) - moment.date()).days


def test_the_date_line_in_day_shifts() -> None:
    sunday = _utc("2023-04-02T06:00:00Z")
    shifts = {
        z: local_time(sunday, sunday + TWO_HOURS, z).day_offset
        for z in (
            "Pacific/Apia",
            "Pacific/Tongatapu",
            "Pacific/Kiritimati",
            "Pacific/Pago_Pago",
            "Pacific/Niue",
            "Pacific/Honolulu",
        )
    }
    assert shifts == {
        "Pacific/Apia": 0,
        "Pacific/Tongatapu": 0,
        "Pacific/Kiritimati": 0,
        "Pacific/Pago_Pago": -1,
        "Pacific/Niue": -1,
        "Pacific/Honolulu": -1,
    }
    late = _utc("2023-04-02T12:00:00Z")
    assert local_time(late, late + TWO_HOURS, "Pacific/Kiritimati").day_offset == 1  # Monday 02:00
    assert local_time(late, late + TWO_HOURS, "Pacific/Honolulu").day_offset == 0  # Sunday 02:00


def test_samoas_skipped_day_cannot_be_typed_as_local_time() -> None:
    with pytest.raises(UsageError, match="does not exist in Pacific/Apia"):
        localize(datetime(2011, 12, 30, 12, 0), "Pacific/Apia")
    assert localize(datetime(2011, 12, 31, 0, 0), "Pacific/Apia") == _utc("2011-12-30T10:00:00Z")


def test_eseap_zone_groups_follow_the_clocks_of_2023() -> None:
    groups = regions.zone_groups([regions.region("ESEAP")], _utc("2023-04-02T06:00:00Z"))
    group_of = {zone: group.label for group in groups for zone in group.zones}
    assert group_of["Australia/Sydney"] != group_of["Australia/Brisbane"]  # DST against none
    assert group_of["Australia/Adelaide"] != group_of["Australia/Darwin"]
    assert group_of["Pacific/Auckland"] != group_of["Pacific/Fiji"]
    assert group_of["Pacific/Apia"] == group_of["Pacific/Tongatapu"]  # both +13 all year
    assert group_of["Pacific/Pago_Pago"] == group_of["Pacific/Niue"]
    assert group_of["Australia/Lord_Howe"] == "Lord Howe"
    assert group_of["Pacific/Chatham"] == "Chatham"
    assert "Pacific/Honolulu" not in group_of  # the United States are in NA, not ESEAP


def test_night_marks() -> None:
    start = _utc("2023-04-02T06:00:00Z")
    night = {
        z: local_time(start, start + TWO_HOURS, z).night
        for z in (
            "Pacific/Pitcairn",
            "Pacific/Rarotonga",
            "Pacific/Marquesas",
            "Asia/Manila",
            "Pacific/Kiritimati",
        )
    }
    # Pitcairn 22:00-00:00 and Marquesas 20:30-22:30 touch the night; 20:00-22:00 ends as it starts.
    assert night == {
        "Pacific/Pitcairn": True,
        "Pacific/Marquesas": True,
        "Pacific/Rarotonga": False,
        "Asia/Manila": False,
        "Pacific/Kiritimati": False,
    }


# --- a second source: GNU date with TZ= set ------------------------------------------------------

SYSTEM_ZONES = Path("/usr/share/zoneinfo")
DATE = shutil.which("date")


def _gnu_date_problem() -> str | None:
    if DATE is None:
        return "no `date` command"
    version = subprocess.run([DATE, "--version"], capture_output=True, text=True, check=False)
    if "GNU coreutils" not in version.stdout:
        return "`date` is not GNU date (install coreutils)"
    if not (SYSTEM_ZONES / "Asia" / "Manila").is_file():
        return "no system tz database in /usr/share/zoneinfo (install the tzdata package)"
    if str(SYSTEM_ZONES) not in zoneinfo.TZPATH:
        return "zoneinfo does not read /usr/share/zoneinfo (PYTHONTZPATH is set)"
    return None


PROBLEM = _gnu_date_problem()
if PROBLEM and os.environ.get("LC_REQUIRE_SERVERS"):
    raise RuntimeError(f"LC_REQUIRE_SERVERS is set but {PROBLEM}")
needs_gnu_date = pytest.mark.skipif(PROBLEM is not None, reason=f"second source missing: {PROBLEM}")


def _system_zones() -> list[str]:
    """Every zone name zoneinfo knows that the system database (which GNU date reads) has too."""
    if PROBLEM:
        return ["UTC"]
    first = next(Path(p) for p in zoneinfo.TZPATH if (Path(p) / "Asia" / "Manila").is_file())
    return sorted(
        z
        for z in zoneinfo.available_timezones()
        if (first / z).is_file() and not z.startswith(("posix/", "right/")) and z != "Factory"
    )


ZONES = _system_zones()
#: 1900 to 2100: historical local mean times, today's rules, and rules the database projects.
EARLIEST, LATEST = -2208988800, 4102444800


def _compare_with_gnu_date(zone: str, instants: list[int]) -> None:
    from tests.conftest import integration_only

    integration_only("GNU date")
    result = subprocess.run(
        [str(DATE), "-f", "-", "+%Y-%m-%dT%H:%M:%S %::z"],
        input="".join(f"@{i}\n" for i in instants),
        env={"TZ": zone, "LC_ALL": "C"},
        capture_output=True,
        text=True,
        check=True,
    )
    lines = result.stdout.splitlines()
    assert len(lines) == len(instants)
    for instant, line in zip(instants, lines, strict=True):
        wall, offset = line.split()
        moment = datetime.fromtimestamp(instant, UTC)
        row = local_time(moment, moment + TWO_HOURS, zone)
        # lc shows seconds only when there are some; `date` writes -00:00 where the tz database
        # says the local time is unknown (a base before it was inhabited): an offset of zero.
        expected_offset = "+00:00" if offset == "-00:00:00" else offset.removesuffix(":00")
        assert (row.start.replace(tzinfo=None).isoformat(), row.utc_offset) == (
            wall,
            expected_offset,
        ), f"{zone} at {moment.isoformat()}"
        assert row.day_offset == (date.fromisoformat(wall[:10]) - moment.date()).days


@pytest.mark.integration
@needs_gnu_date
@settings(max_examples=300, deadline=None)
@given(
    zone=st.sampled_from(ZONES),
    instants=st.lists(st.integers(EARLIEST, LATEST), min_size=1, max_size=25),
)
def test_random_instants_agree_with_gnu_date(zone: str, instants: list[int]) -> None:
    _compare_with_gnu_date(zone, instants)


@pytest.mark.integration
@pytest.mark.slow
@needs_gnu_date
def test_every_zone_agrees_with_gnu_date_around_clinic_times() -> None:
    """Every zone, each hour of a clinic Sunday, and the 1st and 15th of each month of 2023-24."""
    sunday = int(_utc("2023-04-02T00:00:00Z").timestamp())
    instants = [sunday + hour * 3600 for hour in range(24)]
    for year in (2023, 2024):
        for month in range(1, 13):
            for day in (1, 15):
                instants.append(int(datetime(year, month, day, 6, tzinfo=UTC).timestamp()))
    assert len(ZONES) > 300
    for zone in ZONES:
        _compare_with_gnu_date(zone, instants)
