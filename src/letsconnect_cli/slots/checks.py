"""The time check of `lc validate` and `lc new-clinic`: does a clinic start at a reasonable local
hour for most of its target regions, and if not, which start nearby does better?

A clinic gets a warning (never an error) when, for a region it targets, the session falls outside
the acceptable local hours for more than half of that region's weight (every country alike; a
country spread over several zones shared among them). The warning names the best start within
12 hours, for the clinic's regions together. Results are cached per (regions, start, duration,
window): clinic files on the same slot cost one computation.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, tzinfo
from functools import cache, lru_cache
from typing import TYPE_CHECKING, NamedTuple

from letsconnect_cli.slots.scoring import (
    EPOCH,
    ONE_CHANGE_SPAN,
    Candidate,
    WeightedZone,
    best_nearby,
    score_at,
    zone_fits,
)
from letsconnect_cli.slots.weights import equal_region_weights, heaviest_first
from letsconnect_cli.slots.window import ALL_DAYS, DAY_SECONDS, Window
from letsconnect_cli.vocab import Status

if TYPE_CHECKING:
    from letsconnect_cli.clinic.models import Clinic

#: A region is badly served when the session is acceptable for less than this share of it.
THRESHOLD = 0.5
#: How far from the clinic's start the alternative is looked for.
NEARBY = timedelta(hours=12)


class RegionShare(NamedTuple):
    region: str
    score: float  # share of the region's weight for whom the session is acceptable
    outside_examples: tuple[str, ...]  # "23:00-01:00 in Manila", main cities outside the window


class TimeCheck(NamedTuple):
    """The clinic's start against the window: the regions it serves badly, and a better start."""

    start: datetime
    end: datetime
    window: Window
    poor: tuple[RegionShare, ...]  # regions for which the share is under THRESHOLD
    alternative: Candidate  # the best start within NEARBY, for all the regions together
    alternative_shares: tuple[tuple[str, float], ...]  # (region, share) at the alternative
    alternative_examples: tuple[str, ...]  # local times of the alternative in main cities

    @property
    def improves(self) -> bool:
        """Whether the alternative serves every poorly served region better than the start."""
        shares = dict(self.alternative_shares)
        return (
            any(round(shares[p.region], 9) > round(p.score, 9) for p in self.poor)
            and self.alternative.start != self.start
        )

    def message(self) -> str:
        """'15:00-17:00 UTC is outside 08:00-21:00 local time for 100% of ESEAP's countries
        (23:00-01:00 in Manila, ...); better nearby: 2023-02-21T03:00:00Z, inside for 100%
        (11:00-13:00 in Manila, ...); more: lc slots --region ESEAP --date 2023-02-21'."""
        parts = []
        for item in self.poor:
            examples = f" ({', '.join(item.outside_examples)})" if item.outside_examples else ""
            parts.append(f"{_percent(1 - item.score)} of {item.region}'s countries{examples}")
        text = (
            f"{self.start:%H:%M}-{self.end:%H:%M} UTC is outside {self.window.describe()} "
            f"for {'; '.join(parts)}"
        )
        if self.improves:
            codes = [p.region for p in self.poor]
            shares = ", ".join(
                f"{_percent(share)}" + (f" of {code}" if len(codes) > 1 else "")
                for code, share in self.alternative_shares
                if code in codes
            )
            where = (
                f" ({', '.join(self.alternative_examples)})" if self.alternative_examples else ""
            )
            moment = self.alternative.start.isoformat().replace("+00:00", "Z")
            text += f"; better nearby: {moment}, inside for {shares}{where}"
        else:
            text += "; no start within 12 hours does better, consider another day"
        regions = " ".join(f"--region {code}" for code, _ in self.alternative_shares)
        return text + f"; more: lc slots {regions} --date {self.start:%Y-%m-%d}"


def _percent(share: float) -> str:
    return f"{round(share * 100)}%"


def check_clinic(clinic: Clinic, window: Window) -> TimeCheck | None:
    """The time check of one clinic, or None when it is fine or has nothing to check
    (no start, no region, cancelled)."""
    if clinic.start is None or not clinic.regions or clinic.status == Status.CANCELLED:
        return None
    return check_start(tuple(clinic.regions), clinic.start, clinic.length, window)


@lru_cache(maxsize=1024)
def check_start(
    regions: tuple[str, ...], start: datetime, duration: timedelta, window: Window
) -> TimeCheck | None:
    """The time check of a session for regions (every country weighted alike); None when every
    region is served well enough."""
    start = start.astimezone(UTC)
    poor = []
    for code in regions:
        score = score_at(heaviest_first((code,)), start, duration, window, enough=THRESHOLD)
        if score < THRESHOLD:  # then the count was complete: the score is exact
            poor.append(
                RegionShare(code, score, _examples(code, start, duration, window, ok=False))
            )
    if not poor:
        return None
    key = _steady_key(regions, start, duration, window)
    known = _STEADY.get(key) if key is not None else None
    if known is not None:  # the same search made for another day: moved by whole days
        by = start - known[0]
        alternative, shares, examples = known[1:]
        alternative = alternative._replace(start=alternative.start + by, end=alternative.end + by)
    else:
        alternative, shares, examples = _alternative(regions, poor, start, duration, window)
        if key is not None:
            if len(_STEADY) >= _STEADY_SIZE:
                _STEADY.clear()
            _STEADY[key] = (start, alternative, shares, examples)
    return TimeCheck(
        start, start + duration, window, tuple(poor), alternative, shares, examples[:2]
    )


def _alternative(
    regions: tuple[str, ...],
    poor: list[RegionShare],
    start: datetime,
    duration: timedelta,
    window: Window,
) -> tuple[Candidate, tuple[tuple[str, float], ...], tuple[str, ...]]:
    """The best start within NEARBY for the regions together, each region's share there, and
    local times there in the poorly served regions' main cities."""
    together = equal_region_weights(regions).zones
    alternative = best_nearby(together, start, duration, window, NEARBY)
    if len(regions) == 1:
        shares: tuple[tuple[str, float], ...] = ((regions[0], alternative.score),)
    else:
        shares = tuple(
            (
                code,
                score_at(equal_region_weights((code,)).zones, alternative.start, duration, window),
            )
            for code in regions
        )
    examples = tuple(
        text
        for item in poor
        for text in _examples(item.region, alternative.start, duration, window, ok=True)
    )
    return alternative, shares, examples


#: Searches for a better start already made, by what they depend on (see _steady_key): the
#: start they were made for, and what they found.
_STEADY: dict[
    tuple[object, ...],
    tuple[datetime, Candidate, tuple[tuple[str, float], ...], tuple[str, ...]],
] = {}
_STEADY_SIZE = 4096


def _steady_key(
    regions: tuple[str, ...], start: datetime, duration: timedelta, window: Window
) -> tuple[object, ...] | None:
    """What the search for a better start depends on, when no clock it reads (the regions'
    zones and main cities) changes from NEARBY before the start to NEARBY after the end: then
    it depends on the start only through its time of day (of week, when the window has
    weekdays) and those clocks' offsets, and a search made for another day with the same
    offsets gives the same start, moved by whole days. No clock of the tz database changes
    twice within 48 hours (scoring.ONE_CHANGE_SPAN, tested for every zone), so a clock with
    the same offset at both ends of a shorter span keeps it throughout. None when that cannot
    be said (a clock changes, a span over 48 hours, before 1970, fractions of a second): the
    search is made afresh."""
    if start.microsecond:
        return None
    seconds = (start - EPOCH) // timedelta(seconds=1)
    length = duration // timedelta(seconds=1)
    low, high = start - NEARBY, start + duration + NEARBY
    if (
        timedelta(seconds=length) != duration
        or low < EPOCH
        or (high - low).total_seconds() > ONE_CHANGE_SPAN
    ):
        return None
    offsets = []
    for tz in _clocks(regions):
        before, after = low.astimezone(tz).utcoffset(), high.astimezone(tz).utcoffset()
        if before != after:
            return None
        offsets.append(before)
    period = DAY_SECONDS if window.days == ALL_DAYS else 7 * DAY_SECONDS
    return (regions, length, window, seconds % period, tuple(offsets))


@cache
def _clocks(regions: tuple[str, ...]) -> tuple[tzinfo, ...]:
    """Every clock the check of the regions reads: their zones and their main cities."""
    zones = [zone.tz for zone in equal_region_weights(regions).zones]
    zones += [zone.tz for code in regions for zone in _main_cities(code)]
    return tuple(dict.fromkeys(zones))


def _examples(
    code: str, start: datetime, duration: timedelta, window: Window, *, ok: bool
) -> tuple[str, ...]:
    """Up to two of the region's main cities where the session is (ok) or is not acceptable,
    as '23:00-01:00 in Manila'."""
    from letsconnect_cli.places.timezones import city_of

    found = []
    for fit in zone_fits(_main_cities(code), start, duration, window):
        if fit.ok is ok:
            found.append(
                f"{fit.local_start:%H:%M}-{fit.local_end:%H:%M} in {city_of(fit.zone.name)}"
            )
    return tuple(found[:2])


@cache
def _main_cities(code: str) -> tuple[WeightedZone, ...]:
    from zoneinfo import ZoneInfo

    from letsconnect_cli.places.regions import region

    return tuple(WeightedZone(z, ZoneInfo(z), 1.0) for z in region(code).main_cities)


_START = re.compile(r"""\s*(?:start|"start"|'start')\s*=""")


def start_line(text: str) -> int | None:
    """The line of the top-level `start = ...` of a clinic file's text (before any [table])."""
    for number, line in enumerate(text.splitlines(), start=1):
        if line.startswith("["):
            return None
        if _START.match(line):
            return number
    return None
