"""UTC <-> local time: zone lookup, local times typed by people, zone groups, local-time tables.

One implementation for every command that shows a clinic's time across a region
(new-clinic, list, invite, announce, slots).

Which countries use a zone comes from the tz database's `zone.tab`, read from the same tz
database that `zoneinfo` uses for the zones' rules: the system's (`zoneinfo.TZPATH`) when it has
one, else the `tzdata` package, so the zone list and the clocks always come from one version.
Regions (`regions.py`) build on this module; it knows nothing of them.
"""

from __future__ import annotations

import contextlib
import difflib
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from letsconnect_cli.errors import UsageError

# --- the tz database's countries (zone.tab) ---------------------------------------------------

# ISO 3166 has no code for Kosovo and so the tz database lists no zone for XK; Kosovo keeps
# the time of Europe/Belgrade. This is the only country-to-zone fact lc adds to the tz database.
_ZONE_SUPPLEMENT: dict[str, tuple[str, ...]] = {"XK": ("Europe/Belgrade",)}


def city_of(zone: str) -> str:
    """The place a zone is named after: Asia/Ho_Chi_Minh -> Ho Chi Minh."""
    return zone.rsplit("/", 1)[-1].replace("_", " ")


def zone_tab_text() -> str:
    """zone.tab from the first tz database zoneinfo reads rules from (system first, then tzdata)."""
    import zoneinfo
    from importlib import resources
    from pathlib import Path

    for folder in zoneinfo.TZPATH:
        candidate = Path(folder) / "zone.tab"
        if candidate.is_file() and (Path(folder) / "UTC").is_file():
            return candidate.read_text(encoding="utf-8")
    return resources.files("tzdata").joinpath("zoneinfo", "zone.tab").read_text(encoding="utf-8")


@cache
def _zone_tab() -> dict[str, tuple[str, ...]]:
    zones: dict[str, list[str]] = {}
    text = zone_tab_text()
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        code, _coordinates, zone = line.split("\t")[:3]
        zones.setdefault(code, []).append(zone)
    result = {code: tuple(names) for code, names in zones.items()}
    for code, names in _ZONE_SUPPLEMENT.items():
        result.setdefault(code, names)
    return result


def zones_of_country(code: str) -> tuple[str, ...]:
    """The IANA zones the tz database (zone.tab) lists for a country, in its order."""
    return _zone_tab().get(code, ())


def countries_using(zone: str) -> tuple[str, ...]:
    """The countries whose zone.tab rows name this zone (none for an alias such as Asia/Saigon)."""
    return tuple(code for code, zones in _zone_tab().items() if zone in zones)


#: The years lc takes dates in: wide, but leaving room to compute local times and spans around a
#: date without leaving the calendar Python knows (years 1 to 9999).
MIN_YEAR = 1900
MAX_YEAR = 9998


def year_problem(year: int) -> str | None:
    """Why a date of this year is out of lc's range, or None."""
    if MIN_YEAR <= year <= MAX_YEAR:
        return None
    return f"out of range: lc takes dates from the year {MIN_YEAR} to {MAX_YEAR}"


#: A session is "at night" somewhere when any part of it falls in this local window.
NIGHT_START = time(22, 0)
NIGHT_END = time(7, 0)


@cache
def _zone_names() -> dict[str, str]:
    """Every zone name the tz database knows (links such as Asia/Saigon included), by casefold."""
    return {name.casefold(): name for name in available_timezones()}


def resolve_zone(name: str) -> ZoneInfo:
    """The zone for an IANA name (any case; old aliases accepted); UsageError naming close ones."""
    text = name.strip()
    canonical = _zone_names().get(text.casefold())
    if canonical is None:
        # A bare city ("Manila", "ho chi minh") is accepted when exactly one zone ends in it.
        city = text.replace(" ", "_").casefold()
        matches = [z for k, z in _zone_names().items() if k.rsplit("/", 1)[-1] == city]
        if len(matches) == 1:
            canonical = matches[0]
    if canonical is not None:
        try:
            return ZoneInfo(canonical)
        except (ZoneInfoNotFoundError, ValueError):  # pragma: no cover - listed but unreadable
            pass
    close = difflib.get_close_matches(text.casefold(), list(_zone_names()), n=3, cutoff=0.6)
    hint = "Use an IANA time zone name such as Asia/Manila, Australia/Sydney or UTC."
    if close:
        hint = "Did you mean " + " or ".join(_zone_names()[c] for c in close) + "? " + hint
    raise UsageError(f"unknown time zone {name!r}", hint=hint)


@cache
def _links() -> dict[str, str]:
    """Link name -> target of the tz database (tzdata.zi's `L TARGET LINK` lines), read from the
    database zoneinfo reads (the system's first, then the tzdata package's)."""
    from importlib import resources
    from pathlib import Path
    from zoneinfo import TZPATH

    text = ""
    for folder in TZPATH:
        candidate = Path(folder) / "tzdata.zi"
        if candidate.is_file():
            text = candidate.read_text(encoding="utf-8")
            break
    else:
        try:
            text = resources.files("tzdata").joinpath("zoneinfo", "tzdata.zi").read_text("utf-8")
        except (
            ModuleNotFoundError,
            FileNotFoundError,
        ):  # pragma: no cover - tzdata is a dependency
            return {}
    links = {}
    for line in text.splitlines():
        if line.startswith("L "):
            parts = line.split()
            if len(parts) == 3:
                links[parts[2]] = parts[1]
    return links


def canonical_zone(name: str) -> str:
    """The zone a country uses for an alias: Asia/Saigon -> Asia/Ho_Chi_Minh, Asia/Calcutta ->
    Asia/Kolkata. A name zone.tab lists, or one whose link leads to no listed zone (UTC), stays."""
    if countries_using(name):
        return name
    target, seen = name, {name}
    while target in _links() and _links()[target] not in seen:
        target = _links()[target]
        seen.add(target)
    return target if target != name and countries_using(target) else name


def format_offset(offset: timedelta | None) -> str:
    """A UTC offset as +HH:MM (never an abbreviation: Manila's PST and Shanghai's CST mislead)."""
    if offset is None:
        return "+00:00"
    total = int(offset.total_seconds())
    sign = "-" if total < 0 else "+"
    total = abs(total)
    hours, rest = divmod(total, 3600)
    minutes, seconds = divmod(rest, 60)
    text = f"{sign}{hours:02d}:{minutes:02d}"
    return text + f":{seconds:02d}" if seconds else text


def iso(moment: datetime) -> str:
    """ISO 8601 with a numeric offset (UTC as +00:00)."""
    return moment.isoformat()


@dataclass(frozen=True)
class WallClock:
    """What a wall-clock time typed by a person means in a zone: one instant, or two when a
    clock change repeats it ("twice") or skips it ("skipped", the nearest instants each side)."""

    naive: datetime
    zone: str
    instants: tuple[datetime, ...]  # in UTC, earlier first; one unless kind is set
    kind: str | None = None  # None, "twice" or "skipped"

    def describe(self) -> str:
        """'2023-04-02T02:30 happens twice in Australia/Sydney: the clocks repeat it ...'."""
        if self.kind == "twice":
            return (
                f"{self.naive.isoformat()} happens twice in {self.zone}: the clocks repeat it "
                "when daylight saving ends"
            )
        return (
            f"{self.naive.isoformat()} does not exist in {self.zone}: the clocks skip it for "
            "daylight saving"
        )

    def candidate(self, index: int) -> str:
        """'2023-04-02T02:30:00+11:00 (2023-04-01T15:30:00+00:00)': local time, then UTC."""
        moment = self.instants[index]
        return f"{iso(moment.astimezone(ZoneInfo(self.zone)))} ({iso(moment)})"


def wall_clock(naive: datetime, zone: str | tzinfo) -> WallClock:
    """Read a wall-clock time in `zone`: the instant it names, or both candidates when a clock
    change repeats or skips it (the person chooses; lc never guesses)."""
    tz = resolve_zone(zone) if isinstance(zone, str) else zone
    name = getattr(tz, "key", str(tz))
    naive = naive.replace(tzinfo=None)
    first = naive.replace(tzinfo=tz, fold=0)
    second = naive.replace(tzinfo=tz, fold=1)
    if first.utcoffset() == second.utcoffset():
        return WallClock(naive, name, (first.astimezone(UTC),))
    roundtrip_first = first.astimezone(UTC).astimezone(tz).replace(tzinfo=None)
    instants = tuple(sorted((first.astimezone(UTC), second.astimezone(UTC))))
    return WallClock(naive, name, instants, "twice" if roundtrip_first == naive else "skipped")


def localize(naive: datetime, zone: str | tzinfo) -> datetime:
    """A wall-clock time typed by a person, read in `zone`, as an aware UTC datetime.

    A time a DST change skips does not exist, and one it repeats exists twice: both are
    UsageErrors that show the candidates, so the person chooses instead of lc guessing.
    """
    reading = wall_clock(naive, zone)
    if reading.kind is None:
        return reading.instants[0]
    candidates = ", ".join(reading.candidate(i) for i in range(len(reading.instants)))
    if reading.kind == "skipped":
        hint = f"The nearest instants are {candidates}. Give the start with an explicit offset."
    else:
        hint = f"It is either {candidates}. Give the start with an explicit offset to choose."
    raise UsageError(reading.describe(), hint=hint)


def system_zone(environ: dict[str, str] | None = None) -> str | None:
    """The IANA name of this computer's time zone (TZ, else /etc/localtime's link, else
    /etc/timezone), or None when it cannot be named."""
    import os
    from pathlib import Path

    environ = dict(os.environ) if environ is None else environ
    names = []
    if environ.get("TZ"):
        names.append(environ["TZ"].removeprefix(":"))
    with contextlib.suppress(OSError):
        target = str(Path("/etc/localtime").readlink())
        if "zoneinfo/" in target:
            names.append(target.split("zoneinfo/", 1)[1])
    with contextlib.suppress(OSError, UnicodeDecodeError):
        names.append(Path("/etc/timezone").read_text(encoding="utf-8").strip())
    for name in names:
        canonical = _zone_names().get(name.strip().casefold())
        if canonical:
            return canonical
    return None


# --- clock changes ----------------------------------------------------------------------------

#: A clock change this close to a session is worth telling people about.
CLOCK_CHANGE_MARGIN = timedelta(days=1)


@dataclass(frozen=True)
class ClockChange:
    """A zone's clocks changing offset: at `at` (UTC) from `before` to `after`."""

    zone: str
    at: datetime
    before: timedelta
    after: timedelta

    @property
    def back(self) -> bool:
        return self.after < self.before

    @property
    def amount(self) -> timedelta:
        return abs(self.after - self.before)

    @property
    def local_at(self) -> datetime:
        """The wall-clock time at which the clocks change, as read before the change (03:00
        when Sydney's clocks go back from 03:00 to 02:00), without zone."""
        return (self.at + self.before).replace(tzinfo=None)

    def when(self, start: datetime, end: datetime) -> str:
        """When it happens, in words, against a session's local start and end: 'that morning',
        'the day before', 'during the session', ..."""
        if start.astimezone(UTC) < self.at < end.astimezone(UTC):
            return "during the session"
        session_day = start.astimezone(ZoneInfo(self.zone)).date()
        day, hour = self.local_at.date(), self.local_at.hour
        before = self.at <= start.astimezone(UTC)
        if day == session_day:
            if before:
                return "that morning" if hour < 12 else "earlier that day"
            return "later that day"
        if day < session_day:
            return "the evening before" if hour >= 18 else "the day before"
        return "the next morning" if hour < 12 else "the next day"

    def describe(self, start: datetime, end: datetime, *, detail: bool = True) -> str:
        """'clocks go back 1 h that morning (03:00, +11:00 to +10:00)'; without the
        parenthesis unless `detail`."""
        text = (
            f"clocks go {'back' if self.back else 'forward'} {_amount(self.amount)} "
            f"{self.when(start, end)}"
        )
        if not detail:
            return text
        return (
            f"{text} ({self.local_at:%H:%M}, {format_offset(self.before)} to "
            f"{format_offset(self.after)})"
        )

    def as_json(self) -> dict[str, str]:
        return {
            "at_utc": iso(self.at),
            "local": self.local_at.isoformat(timespec="minutes"),
            "from": format_offset(self.before),
            "to": format_offset(self.after),
        }


def _amount(value: timedelta) -> str:
    hours, rest = divmod(int(value.total_seconds()) // 60, 60)
    parts = ([f"{hours} h"] if hours else []) + ([f"{rest} min"] if rest else [])
    return " ".join(parts) or "0 min"


def clock_change_near(
    zone: str | tzinfo,
    start_utc: datetime,
    end_utc: datetime,
    margin: timedelta = CLOCK_CHANGE_MARGIN,
) -> ClockChange | None:
    """The first change of the zone's offset from `margin` before the start to `margin` after
    the end, pinned to the minute; None when its clocks keep one offset all that time."""
    tz = resolve_zone(zone) if isinstance(zone, str) else zone
    name = getattr(tz, "key", str(tz))

    def offset(moment: datetime) -> timedelta:
        return moment.astimezone(tz).utcoffset() or timedelta(0)

    low = start_utc.astimezone(UTC) - margin
    high = end_utc.astimezone(UTC) + margin
    step = timedelta(hours=1)
    moment, previous = low, offset(low)
    while moment < high:
        following = min(moment + step, high)
        current = offset(following)
        if current != previous:
            early, late = moment, following  # offset(early) == previous, offset(late) != it
            while late - early > timedelta(minutes=1):
                middle = (early + (late - early) / 2).replace(second=0, microsecond=0)
                if middle <= early:
                    middle = early + timedelta(minutes=1)
                if offset(middle) == previous:
                    early = middle
                else:
                    late = middle
            return ClockChange(name, late, previous, offset(late))
        moment = following
    return None


# --- zone groups -----------------------------------------------------------------------------


@cache
def _offset_signature(zone: str, year: int) -> tuple[tuple[datetime, timedelta], ...]:
    """The zone's UTC offset through a calendar year: (from, offset) pairs, exact to the minute.

    Samples each day at 00:00 UTC and pins every change down by bisection, so two zones get
    the same signature exactly when their clocks agree at every minute of the year.
    """
    tz = ZoneInfo(zone)
    start = datetime(year, 1, 1, tzinfo=UTC)
    days = (datetime(year + 1, 1, 1, tzinfo=UTC) - start).days

    def offset(moment: datetime) -> timedelta:
        value = moment.astimezone(tz).utcoffset()
        return value if value is not None else timedelta(0)

    changes: list[tuple[datetime, timedelta]] = [(start, offset(start))]
    previous_moment, previous = start, changes[0][1]
    for day in range(1, days + 1):
        moment = start + timedelta(days=day)
        current = offset(moment)
        if current != previous:
            low, high = previous_moment, moment  # offset(low) == previous, offset(high) != previous
            while high - low > timedelta(minutes=1):
                middle = low + (high - low) / 2
                middle = middle.replace(second=0, microsecond=0)
                if middle <= low:
                    middle = low + timedelta(minutes=1)
                if offset(middle) == previous:
                    low = middle
                else:
                    high = middle
            changes.append((high, offset(high)))
            previous = offset(high)
            if previous != current:  # two changes within one day: keep walking from here
                changes.append((moment, current))
                previous = current
        previous_moment = moment
    return tuple(changes)


@dataclass(frozen=True)
class ZoneGroup:
    """Zones whose clocks agree all year: shown as one row, labelled by a well-known city."""

    label: str  # the city, e.g. "Manila"
    zone: str  # the zone the label comes from
    zones: tuple[str, ...]
    countries: tuple[str, ...]  # ISO codes of the countries (of the region) using these zones

    @property
    def cities(self) -> tuple[str, ...]:
        return tuple(city_of(z) for z in self.zones)


def group_zones(
    zones: list[str] | tuple[str, ...],
    year: int,
    *,
    preferred_labels: tuple[str, ...] = (),
    countries_of_zone: dict[str, tuple[str, ...]] | None = None,
    zone_counts: dict[str, int] | None = None,
    at: datetime | None = None,
) -> list[ZoneGroup]:
    """Group zones that share the same local-time behaviour through `year`.

    Each group is labelled by the first of `preferred_labels` it contains, else by a zone that
    is the only zone of its country (`zone_counts`: how many zones that country has), else by
    its first zone. Groups come ordered by UTC offset at `at` (default: the start of the year),
    west to east, then by label.
    """
    by_signature: dict[tuple[tuple[datetime, timedelta], ...], list[str]] = {}
    for zone in zones:
        by_signature.setdefault(_offset_signature(zone, year), []).append(zone)
    countries_of_zone = countries_of_zone or {}
    zone_counts = zone_counts or {}
    moment = at or datetime(year, 1, 1, tzinfo=UTC)
    groups: list[tuple[timedelta, ZoneGroup]] = []
    for members in by_signature.values():
        preferred = [z for z in preferred_labels if z in members]
        single = [z for z in members if zone_counts.get(z, 0) == 1]
        label_zone = (preferred or single or members)[0]
        ordered = [label_zone, *(z for z in members if z != label_zone)]
        countries: dict[str, None] = {}
        for zone in ordered:
            for code in countries_of_zone.get(zone, ()):
                countries.setdefault(code, None)
        group = ZoneGroup(
            label=city_of(label_zone),
            zone=label_zone,
            zones=tuple(ordered),
            countries=tuple(countries),
        )
        offset = moment.astimezone(ZoneInfo(label_zone)).utcoffset() or timedelta(0)
        groups.append((offset, group))
    groups.sort(key=lambda item: (item[0], item[1].label))
    return [group for _, group in groups]


# --- local-time tables -----------------------------------------------------------------------


@dataclass(frozen=True)
class LocalTime:
    """What a session's UTC time means in one zone (or zone group)."""

    zone: str
    label: str
    countries: tuple[str, ...]
    start: datetime  # aware, in the zone
    end: datetime
    zones: tuple[str, ...] = ()  # every zone a group's row stands for (empty: just `zone`)
    clock_change: ClockChange | None = None  # within a day of the session (CLOCK_CHANGE_MARGIN)

    def clock_note(self, *, detail: bool = True) -> str | None:
        """'clocks go back 1 h that morning (03:00, +11:00 to +10:00)', or None."""
        if self.clock_change is None:
            return None
        return self.clock_change.describe(self.start, self.end, detail=detail)

    @property
    def cities(self) -> tuple[str, ...]:
        """The places the row stands for: a group's cities, else the zone's own."""
        return tuple(city_of(z) for z in (self.zones or (self.zone,)))

    @property
    def utc_offset(self) -> str:
        return format_offset(self.start.utcoffset())

    @property
    def day_offset(self) -> int:
        """The local date of the start against the UTC date: -1 still yesterday, +1 already tomorrow."""
        start_utc = self.start.astimezone(UTC)
        return (self.start.date() - start_utc.date()).days

    @property
    def night(self) -> bool:
        """Whether any part of the session falls between 22:00 and 07:00 local time."""
        return overlaps_night(self.start, self.end)


def overlaps_night(start: datetime, end: datetime) -> bool:
    """Whether the local wall-clock span [start, end) touches 22:00-07:00 on any night."""
    local_start = start.replace(tzinfo=None)
    local_end = end.astimezone(start.tzinfo).replace(tzinfo=None)
    day: date = local_start.date() - timedelta(days=1)
    while day <= local_end.date():
        night_from = datetime.combine(day, NIGHT_START)
        night_to = datetime.combine(day + timedelta(days=1), NIGHT_END)
        if local_start < night_to and local_end > night_from:
            return True
        day += timedelta(days=1)
    return False


def local_time(
    start_utc: datetime,
    end_utc: datetime,
    zone: str,
    label: str | None = None,
    countries: tuple[str, ...] = (),
    zones: tuple[str, ...] = (),
) -> LocalTime:
    tz = resolve_zone(zone)
    return LocalTime(
        zone=tz.key,
        label=label or city_of(tz.key),
        countries=countries,
        start=start_utc.astimezone(tz),
        end=end_utc.astimezone(tz),
        zones=zones,
        clock_change=clock_change_near(tz, start_utc, end_utc),
    )


def local_times_for_groups(
    start_utc: datetime, end_utc: datetime, groups: list[ZoneGroup]
) -> list[LocalTime]:
    return [local_time(start_utc, end_utc, g.zone, g.label, g.countries, g.zones) for g in groups]


def local_times_for_zones(
    start_utc: datetime, end_utc: datetime, zones: dict[str, tuple[str, ...]]
) -> list[LocalTime]:
    """One row per zone (zone -> its countries), west to east at the start, then by city."""
    rows = [local_time(start_utc, end_utc, zone, countries=codes) for zone, codes in zones.items()]
    return sorted(rows, key=lambda row: (row.start.utcoffset() or timedelta(0), row.label))
