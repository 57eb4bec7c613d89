"""`lc report` on a terminal: the headline, then Rich tables with horizontal bars."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from letsconnect_cli.report.text import NUMERIC_COLUMNS, bar, quality_lines, sections, summary_rows

if TYPE_CHECKING:
    from rich.console import Console


def render_table(report: dict[str, Any], out: Console) -> None:
    from rich.text import Text

    from letsconnect_cli.cli.output import new_table

    out.print(Text(report["headline"], style="bold"))
    out.print()
    summary = new_table()
    summary.add_column("figure")
    summary.add_column("value", justify="right")
    for label, value in summary_rows(report):
        summary.add_row(label, value)
    out.print(summary)
    for section in sections(report):
        out.print()
        table = new_table(section.title)
        with_bars = any(share for share in section.shares)
        for column in section.columns:
            numeric = column in NUMERIC_COLUMNS
            table.add_column(
                column,
                justify="right" if numeric else "left",
                no_wrap=numeric,
                overflow="fold",
                max_width=None if numeric else 44,
            )
        if with_bars:
            table.add_column("", no_wrap=True, style="cyan")
        for row, share in zip(section.rows, section.shares, strict=True):
            cells = [Text(cell) for cell in row]
            if with_bars:
                cells.append(Text(bar(share, 16)))
            table.add_row(*cells)
        out.print(table)
        if section.note:
            out.print(Text(f"{section.note}.", style="dim"))
    out.print()
    for line in quality_lines(report):
        out.print(Text(line, style="dim"))
