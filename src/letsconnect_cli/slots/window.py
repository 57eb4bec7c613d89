"""The acceptable local time (hours, weekdays) and the candidate start times of `lc slots`."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from typing import NamedTuple

#: Candidate starts are this far apart.
STEP = timedelta(minutes=30)
DAY_SECONDS = 86400

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
ALL_DAYS = frozenset(range(7))
_DAY_GROUPS = {
    "all": ALL_DAYS,
    "any": ALL_DAYS,
    "every": ALL_DAYS,
    "weekdays": frozenset(range(5)),
    "weekend": frozenset({5, 6}),
    "weekends": frozenset({5, 6}),
}


class _WindowFields(NamedTuple):
    opens: int  # seconds after local midnight, 0 <= opens < 86400
    closes: int  # seconds after local midnight, 0 < closes <= 86400; <= opens: the next day
    days: frozenset[int] = ALL_DAYS


class Window(_WindowFields):
    """Acceptable local hours, opening on allowed local weekdays (Monday 0 ... Sunday 6).

    A named tuple rather than a dataclass: cheaper to define, and `lc validate` imports it."""

    __slots__ = ()

    def __new__(cls, opens: int, closes: int, days: frozenset[int] = ALL_DAYS) -> Window:
        if not (0 <= opens < DAY_SECONDS and 0 < closes <= DAY_SECONDS):
            raise ValueError("window hours out of range")
        if not days or not days <= ALL_DAYS:
            raise ValueError("a window opens on at least one weekday, 0 (Monday) to 6")
        return super().__new__(cls, opens, closes, frozenset(days))

    @property
    def span(self) -> int:
        """How long the window stays open, in seconds."""
        if self.closes > self.opens:
            return self.closes - self.opens
        return self.closes + DAY_SECONDS - self.opens

    @property
    def hours(self) -> str:
        """'08:00-21:00'."""
        return f"{_clock(self.opens)}-{_clock(self.closes)}"

    @property
    def day_names(self) -> str:
        """'every day', 'Saturday and Sunday', 'Monday to Friday'."""
        return describe_days(self.days)

    def describe(self) -> str:
        """'08:00-21:00 local time', '08:00-21:00 local time on Saturday and Sunday'."""
        if self.days == ALL_DAYS:
            return f"{self.hours} local time"
        return f"{self.hours} local time on {self.day_names}"


def _clock(seconds: int) -> str:
    hours, rest = divmod(seconds, 3600)
    return f"{hours:02d}:{rest // 60:02d}"


_HOURS = re.compile(r"^\s*(\d{1,2})(?::(\d{2}))?\s*[-\u2013]\s*(\d{1,2})(?::(\d{2}))?\s*$")


def parse_hours(text: str) -> tuple[int, int]:
    """'08:00-21:00', '8-21', '18:00-01:00' (crossing midnight), '00:00-24:00' -> seconds."""
    match = _HOURS.match(text)
    if match is None:
        raise ValueError(
            f"{text!r} is not a span of local hours; write it like 08:00-21:00 (or 8-21)"
        )
    opens = int(match[1]) * 3600 + int(match[2] or 0) * 60
    closes = int(match[3]) * 3600 + int(match[4] or 0) * 60
    for value, minutes in ((opens, match[2]), (closes, match[4])):
        if value > DAY_SECONDS or (minutes is not None and int(minutes) > 59):
            raise ValueError(f"{text!r}: hours run from 00:00 to 24:00")
    if opens == DAY_SECONDS:
        raise ValueError(f"{text!r}: the window cannot open at 24:00; write 00:00")
    if closes == 0:
        closes = DAY_SECONDS  # 20:00-00:00 closes at midnight
    if closes == opens:
        raise ValueError(
            f"{text!r} opens and closes at the same time; for all day write 00:00-24:00"
        )
    return opens, closes


def parse_days(text: str) -> frozenset[int]:
    """'sat,sun', 'mon-fri', 'fri-mon', 'weekdays', 'weekend', 'all' -> weekday numbers."""
    days: set[int] = set()
    parts = [part.strip().casefold() for part in re.split(r"[,\s]+", text) if part.strip()]
    if not parts:
        raise ValueError("no days given; write e.g. sat,sun or mon-fri or all")
    for part in parts:
        if part in _DAY_GROUPS:
            days |= _DAY_GROUPS[part]
            continue
        first, dash, last = part.partition("-")
        begin = _weekday(first, text)
        end = _weekday(last, text) if dash else begin
        day = begin
        days.add(day)
        while day != end:
            day = (day + 1) % 7
            days.add(day)
    return frozenset(days)


def _weekday(word: str, text: str) -> int:
    """A day by name or by a prefix of two letters or more: 'sat', 'Saturday', 'tu', 'thurs'."""
    word = word.strip().casefold()
    found = [n for n, name in enumerate(WEEKDAY_NAMES) if name.casefold().startswith(word)]
    if len(word) >= 2 and len(found) == 1:
        return found[0]
    raise ValueError(
        f"{text!r}: {word!r} is not a day; use mon, tue, wed, thu, fri, sat, sun, "
        "ranges such as mon-fri, or weekdays, weekend, all"
    )


def describe_days(days: frozenset[int]) -> str:
    if days == ALL_DAYS:
        return "every day"
    if days == frozenset(range(5)):
        return "Monday to Friday"
    names = [WEEKDAY_NAMES[d] for d in sorted(days)]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def window(hours: str = "08:00-21:00", days: str = "all") -> Window:
    """A window from the texts people write; ValueError says what is wrong."""
    opens, closes = parse_hours(hours)
    return Window(opens, closes, parse_days(days))


# --- candidate times -------------------------------------------------------------------------


def starts_on(days: Iterable[date], step: timedelta = STEP) -> list[datetime]:
    """Every start on the given UTC days, `step` apart from 00:00 UTC."""
    result = []
    for day in sorted(set(days)):
        moment = datetime(day.year, day.month, day.day, tzinfo=UTC)
        end = moment + timedelta(days=1)
        while moment < end:
            result.append(moment)
            moment += step
    return result


_WEEK = re.compile(r"^\s*(\d{4})-?W(\d{1,2})\s*$", re.IGNORECASE)


def parse_week(text: str) -> list[date]:
    """'2023-W13' -> the 7 days (Monday to Sunday) of that ISO week."""
    match = _WEEK.match(text)
    if match is None:
        raise ValueError(f"{text!r} is not an ISO week; write it like 2023-W13")
    from letsconnect_cli.places.timezones import year_problem

    problem = year_problem(int(match[1]))
    if problem:
        raise ValueError(f"{text!r} is {problem}")
    try:
        monday = date.fromisocalendar(int(match[1]), int(match[2]), 1)
    except ValueError:
        raise ValueError(f"{text!r}: {match[1]} has no week {int(match[2])}") from None
    return [monday + timedelta(days=n) for n in range(7)]


def parse_day(text: str) -> date:
    from letsconnect_cli.places.timezones import year_problem

    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"{text!r} is not a date; write it like 2023-04-02") from None
    problem = year_problem(day.year)
    if problem:
        raise ValueError(f"{text!r} is {problem}")
    return day


def next_days(today: date, count: int = 7) -> list[date]:
    return [today + timedelta(days=n) for n in range(count)]
