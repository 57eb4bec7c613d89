"""UTC <-> local conversions at the hard cases, zone lookup, night marks, zone grouping."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from letsconnect_cli.errors import UsageError
from letsconnect_cli.places.timezones import (
    format_offset,
    group_zones,
    local_time,
    localize,
    overlaps_night,
    resolve_zone,
)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Asia/Manila", "Asia/Manila"),
        ("asia/manila", "Asia/Manila"),
        ("Asia/Saigon", "Asia/Saigon"),
        ("Manila", "Asia/Manila"),
        ("ho chi minh", "Asia/Ho_Chi_Minh"),
        ("UTC", "UTC"),
    ],
)
def test_resolve_zone(name: str, expected: str) -> None:
    assert resolve_zone(name).key == expected


def test_unknown_zone_suggests_close_names() -> None:
    with pytest.raises(UsageError) as caught:
        resolve_zone("Asia/Manilla")
    assert "Did you mean Asia/Manila" in str(caught.value)


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (0, "+00:00"),
        (8 * 3600, "+08:00"),
        (-11 * 3600, "-11:00"),
        (5 * 3600 + 45 * 60, "+05:45"),
        (-(9 * 3600 + 30 * 60), "-09:30"),
        (12 * 3600 + 45 * 60, "+12:45"),
    ],
)
def test_format_offset(seconds: int, text: str) -> None:
    assert format_offset(timedelta(seconds=seconds)) == text


def test_localize_plain_and_dst_cases() -> None:
    assert localize(datetime(2023, 4, 2, 14, 0), "Asia/Manila") == datetime(
        2023, 4, 2, 6, 0, tzinfo=UTC
    )
    assert localize(datetime(2023, 4, 2, 11, 45), "Asia/Kathmandu") == datetime(
        2023, 4, 2, 6, 0, tzinfo=UTC
    )
    with pytest.raises(UsageError, match="happens twice"):
        localize(datetime(2023, 4, 2, 2, 30), "Australia/Sydney")
    with pytest.raises(UsageError, match="does not exist"):
        localize(datetime(2023, 10, 1, 2, 30), "Australia/Sydney")
    with pytest.raises(UsageError, match="does not exist"):
        # Samoa skipped 30 December 2011 when it crossed the date line.
        localize(datetime(2011, 12, 30, 12, 0), "Pacific/Apia")


def utc(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


@pytest.mark.parametrize(
    ("instant", "zone", "local", "offset"),
    [
        (utc(2023, 4, 1, 15, 59, 59), "Australia/Sydney", "2023-04-02T02:59:59", "+11:00"),
        (utc(2023, 4, 1, 16, 0, 0), "Australia/Sydney", "2023-04-02T02:00:00", "+10:00"),
        (utc(2023, 4, 1, 16, 0, 0), "Australia/Brisbane", "2023-04-02T02:00:00", "+10:00"),
        (utc(2023, 4, 1, 16, 29), "Australia/Adelaide", "2023-04-02T02:59:00", "+10:30"),
        (utc(2023, 4, 1, 16, 30), "Australia/Adelaide", "2023-04-02T02:00:00", "+09:30"),
        (utc(2023, 4, 1, 16, 30), "Australia/Darwin", "2023-04-02T02:00:00", "+09:30"),
        (utc(2023, 4, 1, 15, 0), "Australia/Lord_Howe", "2023-04-02T01:30:00", "+10:30"),
        (utc(2023, 9, 30, 15, 30), "Australia/Lord_Howe", "2023-10-01T02:30:00", "+11:00"),
        (utc(2023, 4, 1, 13, 59), "Pacific/Auckland", "2023-04-02T02:59:00", "+13:00"),
        (utc(2023, 4, 1, 14, 0), "Pacific/Auckland", "2023-04-02T02:00:00", "+12:00"),
        (utc(2023, 4, 1, 14, 0), "Pacific/Chatham", "2023-04-02T02:45:00", "+12:45"),
        (utc(2023, 4, 2, 6), "Asia/Manila", "2023-04-02T14:00:00", "+08:00"),
        (utc(2023, 4, 2, 6), "Asia/Jakarta", "2023-04-02T13:00:00", "+07:00"),
        (utc(2023, 4, 2, 6), "Asia/Tokyo", "2023-04-02T15:00:00", "+09:00"),
        (utc(2023, 4, 2, 6), "Australia/Sydney", "2023-04-02T16:00:00", "+10:00"),
        (utc(2023, 4, 2, 6), "Pacific/Fiji", "2023-04-02T18:00:00", "+12:00"),
        (utc(2023, 4, 2, 6), "Pacific/Apia", "2023-04-02T19:00:00", "+13:00"),
        (utc(2023, 4, 2, 6), "Pacific/Tongatapu", "2023-04-02T19:00:00", "+13:00"),
        (utc(2023, 4, 2, 6), "Pacific/Kiritimati", "2023-04-02T20:00:00", "+14:00"),
        (utc(2023, 4, 2, 6), "Pacific/Honolulu", "2023-04-01T20:00:00", "-10:00"),
        (utc(2023, 4, 2, 6), "Pacific/Pago_Pago", "2023-04-01T19:00:00", "-11:00"),
        (utc(2023, 4, 2, 6), "Pacific/Niue", "2023-04-01T19:00:00", "-11:00"),
        (utc(2023, 4, 2, 6), "Asia/Kolkata", "2023-04-02T11:30:00", "+05:30"),
        (utc(2023, 4, 2, 6), "Asia/Kathmandu", "2023-04-02T11:45:00", "+05:45"),
        (utc(2011, 12, 30, 10), "Pacific/Apia", "2011-12-31T00:00:00", "+14:00"),
        (utc(2011, 12, 30, 9, 59), "Pacific/Apia", "2011-12-29T23:59:00", "-10:00"),
    ],
)
def test_hard_cases(instant: datetime, zone: str, local: str, offset: str) -> None:
    row = local_time(instant, instant + timedelta(hours=2), zone)
    assert row.start.replace(tzinfo=None).isoformat() == local
    assert row.utc_offset == offset


def test_day_offset_and_night() -> None:
    start = utc(2023, 4, 2, 6)
    pago = local_time(start, start + timedelta(hours=2), "Pacific/Pago_Pago")
    kiritimati = local_time(start, start + timedelta(hours=2), "Pacific/Kiritimati")
    assert (pago.day_offset, pago.night) == (-1, False)
    assert (kiritimati.day_offset, kiritimati.night) == (0, False)
    manila = local_time(utc(2023, 2, 21, 15), utc(2023, 2, 21, 17), "Asia/Manila")
    assert (manila.start.hour, manila.end.hour, manila.night, manila.day_offset) == (23, 1, True, 0)
    tokyo = local_time(utc(2023, 2, 21, 15), utc(2023, 2, 21, 17), "Asia/Tokyo")
    assert tokyo.day_offset == 1


@pytest.mark.parametrize(
    ("start", "end", "night"),
    [
        ("20:00", "22:00", False),
        ("20:00", "22:01", True),
        ("07:00", "09:00", False),
        ("06:59", "08:00", True),
        ("23:00", "01:00", True),
        ("12:00", "14:00", False),
    ],
)
def test_night_boundaries(start: str, end: str, night: bool) -> None:
    zone = resolve_zone("Asia/Manila")
    day = datetime(2023, 4, 2)
    begin = datetime.combine(day.date(), datetime.strptime(start, "%H:%M").time(), tzinfo=zone)
    finish = datetime.combine(day.date(), datetime.strptime(end, "%H:%M").time(), tzinfo=zone)
    if finish <= begin:
        finish += timedelta(days=1)
    assert overlaps_night(begin, finish) is night


def test_group_zones_splits_on_any_difference_in_the_year() -> None:
    groups = group_zones(
        [
            "Australia/Sydney",
            "Australia/Melbourne",
            "Australia/Brisbane",
            "Australia/Lord_Howe",
            "Pacific/Fiji",
        ],
        2023,
    )
    # Ordered by offset on 1 January 2023 (summer: Sydney and Lord Howe both +11:00), then label.
    assert [g.zones for g in groups] == [
        ("Australia/Brisbane",),
        ("Australia/Lord_Howe",),
        ("Australia/Sydney", "Australia/Melbourne"),
        ("Pacific/Fiji",),
    ]
    # Fiji kept DST until 2021: in 2020 it does not share a year with any zone here either.
    assert len(group_zones(["Pacific/Fiji", "Pacific/Tarawa"], 2023)) == 1
    assert len(group_zones(["Pacific/Fiji", "Pacific/Tarawa"], 2020)) == 2
