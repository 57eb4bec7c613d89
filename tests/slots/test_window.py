"""Acceptable hours and days as people write them, and the candidate days of `lc slots`."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from letsconnect_cli.slots import (
    ALL_DAYS,
    Window,
    next_days,
    parse_day,
    parse_days,
    parse_hours,
    parse_week,
    starts_on,
    window,
)

H = 3600


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("08:00-21:00", (8 * H, 21 * H)),
        ("8-21", (8 * H, 21 * H)),
        (" 08:30 - 21:15 ", (8 * H + 1800, 21 * H + 900)),
        ("18:00-01:00", (18 * H, 1 * H)),  # crosses midnight
        ("00:00-24:00", (0, 24 * H)),
        ("20:00-00:00", (20 * H, 24 * H)),  # closes at midnight
        ("8\u201321", (8 * H, 21 * H)),  # an en dash, as word processors write it
    ],
)
def test_hours(text: str, expected: tuple[int, int]) -> None:
    assert parse_hours(text) == expected


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("8am-9pm", "write it like 08:00-21:00"),
        ("25:00-26:00", "hours run from 00:00 to 24:00"),
        ("08:61-21:00", "hours run from 00:00 to 24:00"),
        ("24:00-08:00", "cannot open at 24:00"),
        ("09:00-09:00", "for all day write 00:00-24:00"),
        ("", "write it like"),
    ],
)
def test_bad_hours_say_how_to_write_them(text: str, phrase: str) -> None:
    with pytest.raises(ValueError, match=phrase):
        parse_hours(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("sat,sun", {5, 6}),
        ("Saturday, Sunday", {5, 6}),
        ("mon-fri", {0, 1, 2, 3, 4}),
        ("fri-mon", {4, 5, 6, 0}),  # a range wraps round the week
        ("weekdays", {0, 1, 2, 3, 4}),
        ("weekend", {5, 6}),
        ("all", set(range(7))),
        ("tu th", {1, 3}),
        ("thurs", {3}),
    ],
)
def test_days(text: str, expected: set[int]) -> None:
    assert parse_days(text) == frozenset(expected)


@pytest.mark.parametrize("text", ["funday", "s", "t", "", "mon-xyz"])
def test_bad_days_list_what_is_allowed(text: str) -> None:
    with pytest.raises(ValueError, match=r"sat,sun|mon, tue"):
        parse_days(text)


def test_window_describes_itself() -> None:
    assert window().describe() == "08:00-21:00 local time"
    assert window("18:00-01:00", "sat,sun").describe() == (
        "18:00-01:00 local time on Saturday and Sunday"
    )
    assert window("9-17", "weekdays").day_names == "Monday to Friday"
    assert window("18:00-01:00").span == 7 * H
    assert window().days == ALL_DAYS


def test_a_window_refuses_impossible_values() -> None:
    with pytest.raises(ValueError):
        Window(0, 25 * H)
    with pytest.raises(ValueError):
        Window(8 * H, 21 * H, frozenset())


def test_week_is_the_iso_week_monday_to_sunday() -> None:
    days = parse_week("2023-W13")
    assert days[0] == date(2023, 3, 27) and days[-1] == date(2023, 4, 2)
    assert len(days) == 7
    assert parse_week("2023w13") == days
    with pytest.raises(ValueError, match="2023 has no week 60"):
        parse_week("2023-W60")
    with pytest.raises(ValueError, match="like 2023-W13"):
        parse_week("2023-13")


def test_date_and_next_days() -> None:
    assert parse_day("2023-04-02") == date(2023, 4, 2)
    with pytest.raises(ValueError, match="like 2023-04-02"):
        parse_day("2023-02-30")
    assert next_days(date(2023, 12, 30)) == [date(2023, 12, 30 + n) for n in range(2)] + [
        date(2024, 1, n) for n in range(1, 6)
    ]


def test_starts_every_30_minutes_over_whole_utc_days() -> None:
    starts = starts_on([date(2023, 4, 2)])
    assert len(starts) == 48
    assert starts[0] == datetime(2023, 4, 2, 0, 0, tzinfo=UTC)
    assert starts[-1] == datetime(2023, 4, 2, 23, 30, tzinfo=UTC)
    assert len(starts_on(parse_week("2023-W13"))) == 7 * 48
