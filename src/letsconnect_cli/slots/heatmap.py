"""A day at a glance: the local start hour of each zone group at each UTC hour, acceptable or not."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING

from letsconnect_cli.slots.scoring import WeightedZone, zone_fits
from letsconnect_cli.slots.window import Window

if TYPE_CHECKING:
    from letsconnect_cli.places.timezones import ZoneGroup


@dataclass(frozen=True)
class HeatCell:
    local_start: datetime
    ok: bool


@dataclass(frozen=True)
class HeatRow:
    """One zone group (zones whose clocks agree all year) through one UTC day, hour by hour."""

    label: str
    zone: str
    zones: tuple[str, ...]
    countries: tuple[str, ...]
    offset: timedelta  # the group's UTC offset at noon UTC that day
    cells: tuple[HeatCell, ...]  # one per UTC hour, 00:00 to 23:00


def heat_map(
    groups: Sequence[ZoneGroup], day: date, duration: timedelta, win: Window
) -> list[HeatRow]:
    """For each zone group, the local start of a session starting at each full UTC hour of `day`,
    and whether the whole session is acceptable there."""
    from zoneinfo import ZoneInfo

    midnight = datetime(day.year, day.month, day.day, tzinfo=UTC)
    hours = [midnight + timedelta(hours=h) for h in range(24)]
    rows = []
    for group in groups:
        zone = WeightedZone(group.zone, ZoneInfo(group.zone), 1.0, group.countries)
        cells = tuple(
            HeatCell(fit.local_start, fit.ok)
            for start in hours
            for fit in zone_fits([zone], start, duration, win)
        )
        noon = (midnight + timedelta(hours=12)).astimezone(zone.tz).utcoffset() or timedelta(0)
        rows.append(HeatRow(group.label, group.zone, group.zones, group.countries, noon, cells))
    return rows


def groups_outside(
    groups: Sequence[ZoneGroup], start: datetime, duration: timedelta, win: Window
) -> list[str]:
    """The labels of the zone groups for which a session at `start` is not acceptable."""
    from zoneinfo import ZoneInfo

    zones = [WeightedZone(g.label, ZoneInfo(g.zone), 1.0) for g in groups]
    return [fit.zone.name for fit in zone_fits(zones, start, duration, win) if not fit.ok]
