"""Rendering helpers shared by commands: JSON on stdout, messages on stderr, local-time tables."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table

    from letsconnect_cli.timezones import LocalTime


def print_json(data: Any) -> None:
    """One JSON document on stdout, UTF-8, and nothing else."""
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def message(console: Console, text: str, *, style: str | None = None) -> None:
    console.print(text, style=style, markup=False, highlight=False)


def warning(console: Console, text: str) -> None:
    console.print(f"warning: {text}", style="yellow", markup=False, highlight=False)


def new_table(title: str | None = None) -> Table:
    """The table style every lc command uses: a header rule, no outer box."""
    from rich import box
    from rich.table import Table

    return Table(
        title=title,
        title_justify="left",
        box=box.SIMPLE_HEAD,
        show_edge=False,
        pad_edge=False,
        padding=(0, 1),
        collapse_padding=True,
    )


def local_time_table(rows: list[LocalTime], *, title: str | None = None, all_zones: bool = False) -> Table:
    """The session's time in each zone group: offset, local date, start-end, day shift, night mark."""
    table = new_table(title)
    table.add_column("zone" if all_zones else "zone group")
    table.add_column("countries" if not all_zones else "country")
    table.add_column("UTC", no_wrap=True)
    table.add_column("local date", no_wrap=True)
    table.add_column("local time", no_wrap=True)
    table.add_column("day", justify="right", no_wrap=True)
    table.add_column("night", no_wrap=True)
    for row in rows:
        shift = f"{row.day_offset:+d}" if row.day_offset else ""
        label = row.zone if all_zones else row.label
        table.add_row(
            label,
            " ".join(row.countries),
            row.utc_offset,
            row.start.strftime("%a %Y-%m-%d"),
            f"{row.start:%H:%M}-{row.end:%H:%M}",
            shift,
            "night" if row.night else "",
        )
    return table


def daytime_summary(rows: list[LocalTime], *, all_zones: bool = False) -> str:
    day = sum(1 for row in rows if not row.night)
    unit = "zones" if all_zones else "zone groups"
    return f"daytime (07:00-22:00) for {day} of {len(rows)} {unit}"
