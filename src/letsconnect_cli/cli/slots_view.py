"""How `lc slots` shows its answer: the best starts, a day's heat map, and the JSON document;
and what it was asked (`SlotsQuery`), which `slots_cmd` resolves from the options."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from datetime import date

    from rich.console import Console
    from rich.table import Table

    from letsconnect_cli.places.regions import Region
    from letsconnect_cli.places.timezones import ZoneGroup
    from letsconnect_cli.slots import Candidate, RegionWeights, Window
    from letsconnect_cli.slots.heatmap import HeatRow


class SlotsQuery(NamedTuple):
    """What `lc slots` was asked, resolved: regions, days, session, window, weights."""

    regions: list[Region]
    days: list[date]
    days_given: bool  # --date or --week (else the next 7 days from today)
    duration: timedelta
    window: Window
    weights: RegionWeights
    weighting: str  # how the weights were made, for the header
    notes: list[str]  # what was left out, for stderr


#: The mark of a local time outside the acceptable hours (also shown in colour on a terminal).
OUTSIDE = "\u00d7"  # the multiplication sign
#: What the "comfort" column means, under the table (docs/guide/planning.md says more).
COMFORT_LINE = "comfort breaks ties: the mean margin from the hours' edges (100%: 2 h or more)"
#: Zone groups named per slot in "outside the hours" before "+N more".
NAMED_OUTSIDE = 3


def slots_json(plan: SlotsQuery, shown: list[Candidate]) -> list[dict[str, Any]]:
    """The documented shape: a list of {start_utc, end_utc, score, comfort, zones: [...]}."""
    from letsconnect_cli.slots import zone_fits

    items = []
    for slot in shown:
        fits = zone_fits(plan.weights.zones, slot.start, plan.duration, plan.window)
        fits.sort(key=lambda f: (f.local_start.utcoffset() or timedelta(0), f.zone.name))
        items.append(
            {
                "start_utc": slot.start.isoformat(),
                "end_utc": slot.end.isoformat(),
                "score": round(slot.score, 4),
                "comfort": round(slot.comfort, 4),
                "zones": [
                    {
                        "zone": fit.zone.name,
                        "countries": list(fit.zone.countries),
                        "local_start": fit.local_start.isoformat(),
                        "local_end": fit.local_end.isoformat(),
                        "ok": fit.ok,
                    }
                    for fit in fits
                ],
            }
        )
    return items


def render(out: Console, plan: SlotsQuery, shown: list[Candidate], scored: list[Candidate]) -> None:
    """The header, the best starts, and the heat map of one day, on stdout."""
    from letsconnect_cli.cli.output import print_block
    from letsconnect_cli.places import regions as regions_lib
    from letsconnect_cli.slots.heatmap import heat_map

    day = plan.days[0] if len(plan.days) == 1 or not shown else shown[0].start.date()
    groups = regions_lib.zone_groups(plan.regions, _noon(day))
    rows = heat_map(groups, day, plan.duration, plan.window)
    by_start = {c.start: c for c in scored}
    print_block(
        out,
        *_header(plan),
        "",
        _best_table(plan, shown, groups),
        COMFORT_LINE,
        "",
        *_heat_tables(plan, day, rows, by_start, out.width),
        "",
    )


def _noon(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 12, tzinfo=UTC)


def _header(plan: SlotsQuery) -> list[str]:
    from letsconnect_cli.clinic.durations import duration_literal

    counted = len(plan.weights.countries) - len(plan.weights.without_zone)
    if len(plan.days) == 1:
        when = f"{_day(plan.days[0])} (UTC)"
    else:
        when = f"{_day(plan.days[0])} to {_day(plan.days[-1])} UTC"
        if not plan.days_given:
            when += " (the next 7 days)"
    return [
        f"{', '.join(r.code for r in plan.regions)}: {counted} countries in "
        f"{len(plan.weights.zones)} time zones",
        f"weights: {plan.weighting}",
        f"starts: every 30 minutes, {when}",
        f"sessions: {duration_literal(plan.duration)}, all of it in {plan.window.describe()}",
    ]


def _day(day: date) -> str:
    return f"{day:%a %Y-%m-%d}"


def _best_table(plan: SlotsQuery, shown: list[Candidate], groups: list[ZoneGroup]) -> Table:
    from letsconnect_cli.cli.output import new_table
    from letsconnect_cli.slots.heatmap import groups_outside

    table = new_table("Best starts")
    table.add_column("#", justify="right")
    table.add_column("UTC", no_wrap=True)
    table.add_column("score", justify="right")
    table.add_column("comfort", justify="right")
    table.add_column("outside the hours (zone groups)")
    weight = {zone.name: zone.weight for zone in plan.weights.zones}
    weighed = [g for g in groups if sum(weight.get(z, 0.0) for z in g.zones) > 0]
    for number, slot in enumerate(shown, start=1):
        outside = groups_outside(weighed, slot.start, plan.duration, plan.window)
        named = ", ".join(outside[:NAMED_OUTSIDE])
        if len(outside) > NAMED_OUTSIDE:
            named += f" +{len(outside) - NAMED_OUTSIDE} more"
        table.add_row(
            str(number),
            f"{slot.start:%a %Y-%m-%d %H:%M}-{slot.end:%H:%M}",
            _percent(slot.score),
            _percent(slot.comfort),
            named or "none",
        )
    return table


def _percent(share: float) -> str:
    return f"{round(share * 100)}%"


def _heat_tables(
    plan: SlotsQuery,
    day: date,
    rows: list[HeatRow],
    by_start: dict[datetime, Candidate],
    width: int,
) -> list[Any]:
    """One table of 24 UTC hours when the terminal is wide enough, else two of 12."""
    from letsconnect_cli.places.timezones import format_offset

    label_width = max([len("zone group"), *(len(r.label) for r in rows)])
    full = label_width + 1 + 6 + 1 + 24 * 4
    spans = [range(24)] if full <= width else [range(12), range(12, 24)]
    title = f"Local start hour at each UTC start hour, {_day(day)}"
    midnight = datetime(day.year, day.month, day.day, tzinfo=UTC)
    tables: list[Any] = []
    for index, hours in enumerate(spans):
        table = _new_heat_table(title if index == 0 else None, hours)
        for number, row in enumerate(rows, start=1):
            table.add_row(
                row.label,
                format_offset(row.offset),
                *(_cell(row, hour) for hour in hours),
                end_section=number == len(rows),
            )
        scores = []
        for hour in hours:
            slot = by_start.get(midnight + timedelta(hours=hour))
            scores.append(str(round(slot.score * 100)) if slot else "")
        table.add_row("score %", "", *scores, style="bold")
        if index:
            tables.append("")
        tables.append(table)
    tables.append(
        f"{OUTSIDE} outside {plan.window.describe()}; UTC: the group's offset at 12:00 UTC"
    )
    return tables


def _new_heat_table(title: str | None, hours: range) -> Table:
    """new_table's style without cell padding: the box's column separator alone keeps the
    hour columns apart (4 characters an hour)."""
    from letsconnect_cli.cli.output import new_table

    table = new_table(title)
    table.padding = (0, 0, 0, 0)
    table.add_column("zone group", no_wrap=True)
    table.add_column("UTC", no_wrap=True)
    for hour in hours:
        table.add_column(f"{hour:02d}", justify="right", no_wrap=True, min_width=3)
    return table


def _cell(row: HeatRow, hour: int) -> Any:
    from rich.text import Text

    cell = row.cells[hour]
    text = f"{cell.local_start:%H}"
    if cell.ok:
        return Text(text, style="green")
    return Text(text + OUTSIDE, style="red")
