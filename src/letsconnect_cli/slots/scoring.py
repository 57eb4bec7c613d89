"""Scoring start times: the share of the weight for whom a session is acceptable, and comfort."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import UTC, datetime, timedelta, tzinfo
from typing import NamedTuple

from letsconnect_cli.errors import UsageError
from letsconnect_cli.slots.window import ALL_DAYS, DAY_SECONDS, STEP, Window

#: Margins from the window's edges count up to this much towards comfort.
COMFORT_MARGIN = timedelta(hours=2)
#: Scores and comforts equal to this precision are ties (float sums in another order).
_PRECISION = 9
#: Scores and comforts are rounded to this many decimals.
_DECIMALS = 12
#: Instants are counted in seconds from here.
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
#: 1970-01-01 was a Thursday: the weekday (Monday 0) of day number 0.
_EPOCH_WEEKDAY = 3
#: No zone of the tz database changes its UTC offset twice within 72 hours: checked (tzdata
#: 2025b) against every zone's listed transitions from 1970 to 2100, and the yearly rules that
#: follow them change twice a year at most. So a zone with the same offset at two instants at
#: most this far apart keeps that offset between them, and offsets over a span are found by
#: bisection instead of one look-up per candidate (tests compare both ways for every zone).
ONE_CHANGE_SPAN = 48 * 3600


class WeightedZone(NamedTuple):
    """Some of the people a session is for: the zone they live by, and their weight."""

    name: str  # an IANA zone name, or a label for another tzinfo
    tz: tzinfo
    weight: float
    countries: tuple[str, ...] = ()  # ISO codes of the countries (of the regions) using the zone


# --- offsets ---------------------------------------------------------------------------------


def _seconds(moment: datetime) -> int:
    return int((moment - EPOCH).total_seconds())


def _offset_at(tz: tzinfo, seconds: int) -> int:
    offset = (EPOCH + timedelta(seconds=seconds)).astimezone(tz).utcoffset()
    return int(offset.total_seconds()) if offset is not None else 0


def offsets(tz: tzinfo, instants: Sequence[int]) -> list[int]:
    """The zone's UTC offset (seconds) at each instant (seconds since 1970, ascending).

    Exact, with a few look-ups per 48 hours instead of one per instant: see ONE_CHANGE_SPAN.
    Before 1970 every instant is looked up.
    """
    count = len(instants)
    if count == 0:
        return []
    if instants[0] < 0:
        return [_offset_at(tz, t) for t in instants]
    result = [0] * count

    def fill(low: int, high: int, at_low: int, at_high: int) -> None:
        while True:
            if at_low == at_high and instants[high] - instants[low] <= ONE_CHANGE_SPAN:
                result[low : high + 1] = [at_low] * (high - low + 1)
                return
            if high - low <= 1:
                result[low], result[high] = at_low, at_high
                return
            middle = (low + high) // 2
            at_middle = _offset_at(tz, instants[middle])
            fill(low, middle, at_low, at_middle)
            low, at_low = middle, at_middle

    fill(0, count - 1, _offset_at(tz, instants[0]), _offset_at(tz, instants[-1]))
    return result


# --- scoring ---------------------------------------------------------------------------------


class Candidate(NamedTuple):
    """One start time with its score (share of the weight inside the window) and comfort."""

    start: datetime
    end: datetime
    score: float
    comfort: float

    def key(self) -> tuple[float, float, datetime]:
        """Sort key: best first (score, then comfort, then the earlier start)."""
        return (-round(self.score, _PRECISION), -round(self.comfort, _PRECISION), self.start)


def _fitter(win: Window) -> Callable[[int, int], int]:
    """fit(local_start, local_end) -> seconds from the session to the nearer edge of the window
    holding it, or -1 when no window holds it. Local times are seconds since 1970-01-01 00:00
    on the local wall clock.

    Only one window can hold a session: the one opening the same local day when the session
    starts at or after the opening hour, else the one opening the day before (a window is open
    for at most 24 hours)."""
    opens, span, days = win.opens, win.span, win.days
    every_day = days == ALL_DAYS

    def fit(local_start: int, local_end: int) -> int:
        day, clock = divmod(local_start, DAY_SECONDS)
        if clock < opens:
            day -= 1
        if not every_day and (day + _EPOCH_WEEKDAY) % 7 not in days:
            return -1
        window_start = day * DAY_SECONDS + opens
        window_end = window_start + span
        if local_end > window_end:
            return -1
        before, after = local_start - window_start, window_end - local_end
        return before if before < after else after

    return fit


def _chunks(begin: Sequence[int], length: int) -> Iterable[tuple[int, int]]:
    """Index ranges of the starts whose sessions all lie within ONE_CHANGE_SPAN."""
    low = 0
    while low < len(begin):
        high = low + 1
        while high < len(begin) and begin[high] + length - begin[low] <= ONE_CHANGE_SPAN:
            high += 1
        yield low, high
        low = high


def _windows_holding(
    begin: Sequence[int], low: int, high: int, offset: int, length: int, win: Window
) -> Iterator[tuple[int, int, int]]:
    """For a clock `offset` seconds from UTC: (first, after, window_start) of each window (in
    local seconds) and the index range begin[first:after] of the starts (ascending, within
    begin[low:high]) whose whole session it holds, found by bisection."""
    span, days = win.span, win.days
    every_day = days == ALL_DAYS
    last_local = begin[high - 1] + offset
    day = (begin[low] + offset) // DAY_SECONDS - 1  # the window opening the day before may hold it
    while day * DAY_SECONDS + win.opens <= last_local:
        if every_day or (day + _EPOCH_WEEKDAY) % 7 in days:
            window_start = day * DAY_SECONDS + win.opens
            first = bisect_left(begin, window_start - offset, low, high)
            after = bisect_right(begin, window_start + span - length - offset, low, high)
            if first < after:
                yield first, after, window_start
        day += 1


def score_starts(
    zones: Sequence[WeightedZone],
    starts: Sequence[datetime],
    duration: timedelta,
    win: Window,
) -> list[Candidate]:
    """Score each start (aware datetimes, ascending) for sessions of `duration`.

    The weights need not sum to 1: scores are shares of their total. UsageError when they sum to
    nothing (no one to schedule for).

    Fast where it matters (`lc validate` checks every clinic): starts are taken in chunks of at
    most 48 hours; a zone with the same offset at both ends of a chunk keeps it throughout (see
    ONE_CHANGE_SPAN), so zones are pooled by offset and each pool is checked once per start;
    only a zone whose clock changes within the chunk is looked up start by start.
    """
    total = sum(z.weight for z in zones)
    if total <= 0:
        raise UsageError("no one to schedule for: every zone has weight 0")
    length = int(duration.total_seconds())
    utc_starts = [s.astimezone(UTC) for s in starts]
    begin = [_seconds(s) for s in utc_starts]
    cap = COMFORT_MARGIN.total_seconds()
    inside = [0.0] * len(begin)
    comfort = [0.0] * len(begin)

    fit = _fitter(win)

    def add(index: int, weight: float, margin: int) -> None:
        inside[index] += weight
        comfort[index] += weight * min(margin, cap) / cap

    for low, high in _chunks(begin, length):
        first = EPOCH + timedelta(seconds=begin[low])
        last = EPOCH + timedelta(seconds=begin[high - 1] + length)
        pools: dict[int, float] = {}
        changing: list[tuple[tzinfo, float]] = []
        for zone in zones:
            if zone.weight <= 0:
                continue
            at_first = first.astimezone(zone.tz).utcoffset()
            at_last = last.astimezone(zone.tz).utcoffset()
            if at_first == at_last:
                offset = int(at_first.total_seconds()) if at_first is not None else 0
                pools[offset] = pools.get(offset, 0.0) + zone.weight
            else:
                changing.append((zone.tz, zone.weight))
        span = win.span
        for offset, weight in pools.items():
            per_second = weight / cap
            for held, after, window_start in _windows_holding(
                begin, low, high, offset, length, win
            ):
                room = window_start + span - length - offset  # latest start that fits
                for index in range(held, after):
                    before = begin[index] + offset - window_start
                    margin = room - begin[index]
                    if before < margin:
                        margin = before
                    inside[index] += weight
                    comfort[index] += per_second * (margin if margin < cap else cap)
        for tz, weight in changing:
            part = begin[low:high]
            at_start = offsets(tz, part)
            at_end = offsets(tz, [b + length for b in part])
            for index, b, ob, oe in zip(range(low, high), part, at_start, at_end, strict=True):
                margin = fit(b + ob, b + length + oe)
                if margin >= 0:
                    add(index, weight, margin)
    return [
        Candidate(s, s + duration, _share(inside[i], total), _share(comfort[i], total))
        for i, s in enumerate(utc_starts)
    ]


def _share(part: float, total: float) -> float:
    """part / total in [0, 1], rounded to 12 decimals (weights split over zones add up to a
    hair under their sum in floating point: 12 twelfths of 1 are not always exactly 1)."""
    return min(max(round(part / total, _DECIMALS), 0.0), 1.0)


def score_at(
    zones: Sequence[WeightedZone],
    start: datetime,
    duration: timedelta,
    win: Window,
    *,
    enough: float | None = None,
) -> float:
    """The score of one start, as `score_starts` gives it, with less work (the time check of
    `lc validate` runs this for every clinic): zones are pooled by their offsets at the start
    and the end, and each pool is checked once.

    With `enough`, stop as soon as the score is known to reach it and return what is counted
    so far: a lower bound that is at least `enough` (put heavy zones first to stop sooner)."""
    total = sum(z.weight for z in zones if z.weight > 0)
    if total <= 0:
        raise UsageError("no one to schedule for: every zone has weight 0")
    start = start.astimezone(UTC)
    end = start + duration
    pools: dict[tuple[timedelta | None, timedelta | None], bool] = {}
    fit = _fitter(win)
    begin = _seconds(start)
    length = int(duration.total_seconds())
    goal = None if enough is None else enough * total
    inside = 0.0
    for zone in zones:
        weight = zone.weight
        if weight <= 0:
            continue
        key = (start.astimezone(zone.tz).utcoffset(), end.astimezone(zone.tz).utcoffset())
        ok = pools.get(key)
        if ok is None:
            at_start, at_end = (int(o.total_seconds()) if o else 0 for o in key)
            ok = pools[key] = fit(begin + at_start, begin + length + at_end) >= 0
        if ok:
            inside += weight
            if goal is not None and inside >= goal:
                break
    return _share(inside, total)


def rank(candidates: Iterable[Candidate]) -> list[Candidate]:
    """Best first: score, then comfort, then the earlier start."""
    return sorted(candidates, key=Candidate.key)


class ZoneFit(NamedTuple):
    """What one start means in one zone: local start and end, and whether that is acceptable."""

    zone: WeightedZone
    local_start: datetime
    local_end: datetime
    ok: bool


def zone_fits(
    zones: Sequence[WeightedZone], start: datetime, duration: timedelta, win: Window
) -> list[ZoneFit]:
    """The session's local times and verdict in every zone (for display and JSON)."""
    fit = _fitter(win)
    fits = []
    for zone in zones:
        local_start = start.astimezone(zone.tz)
        local_end = (start + duration).astimezone(zone.tz)
        offset_start = local_start.utcoffset() or timedelta(0)
        offset_end = local_end.utcoffset() or timedelta(0)
        begin = _seconds(start) + int(offset_start.total_seconds())
        end = _seconds(start + duration) + int(offset_end.total_seconds())
        fits.append(ZoneFit(zone, local_start, local_end, fit(begin, end) >= 0))
    return fits


def best_nearby(
    zones: Sequence[WeightedZone],
    start: datetime,
    duration: timedelta,
    win: Window,
    within: timedelta = timedelta(hours=12),
) -> Candidate:
    """The best start within `within` of `start` (every STEP, `start` included); among equals the
    one nearest to `start`."""
    count = int(within / STEP)
    starts = [start + STEP * n for n in range(-count, count + 1)]
    scored = score_starts(zones, starts, duration, win)
    return min(
        scored,
        key=lambda c: (
            -round(c.score, _PRECISION),
            -round(c.comfort, _PRECISION),
            abs(c.start - start),
            c.start,
        ),
    )
