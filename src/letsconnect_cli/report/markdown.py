"""Markdown: the headline, then pipe tables with bars, ready for a Meta-Wiki or blog draft."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from letsconnect_cli.escaping import escape_markdown, one_line
from letsconnect_cli.report.header import EXAMPLE_BANNER, TITLE, header_rows
from letsconnect_cli.report.text import NUMERIC_COLUMNS, bar, quality_lines, sections, summary_rows


def _cell(text: str) -> str:
    """Text in a table cell, list item or line: on one line, markup escaped (the announcements'
    escaper: HTML, wiki links and templates, Markdown)."""
    return escape_markdown(one_line(text))


def _table(
    columns: tuple[str, ...], rows: Sequence[tuple[str, ...]], numeric: set[int]
) -> list[str]:
    lines = ["| " + " | ".join(_cell(c) for c in columns) + " |"]
    lines.append(
        "|" + "|".join("---:" if i in numeric else "---" for i in range(len(columns))) + "|"
    )
    lines.extend("| " + " | ".join(_cell(c) for c in row) + " |" for row in rows)
    return lines


def render_markdown(report: dict[str, Any]) -> str:
    lines = [f"# {TITLE}", ""]
    if report.get("example_data"):
        lines += [f"> **{EXAMPLE_BANNER}**: invented people, not a report on real clinics.", ""]
    lines += [f"- **{_cell(label)}**: {_cell(text)}" for label, text in header_rows(report)]
    lines += ["", _cell(report["headline"]), ""]
    lines += _table(("figure", "value"), summary_rows(report), {1})
    for section in sections(report):
        lines += ["", f"## {_cell(section.title)}", ""]
        with_bars = any(share for share in section.shares)
        columns = section.columns + (("",) if with_bars else ())
        rows = [
            row + ((bar(share, 16),) if with_bars else ())
            for row, share in zip(section.rows, section.shares, strict=True)
        ]
        numeric = {i for i, c in enumerate(section.columns) if c in NUMERIC_COLUMNS}
        lines += _table(columns, rows, numeric)
        if section.note:
            lines += ["", f"*{_cell(section.note)}.*"]
    lines += ["", "## Data quality", ""]
    lines += [f"- {_cell(line)}" for line in quality_lines(report)]
    lines += ["", _privacy_note(report)]
    return "\n".join(lines) + "\n"


def _privacy_note(report: dict[str, Any]) -> str:
    k = report["min_count"]
    base = report["privacy"]["round"]
    rounded = f" Counts are rounded to multiples of {base}, each on its own." if base else ""
    if not k or k == 1:
        return f"*Small counts are shown (--min-count 0).{rounded}*"
    return (
        f"*Counts of fewer than {k} people are hidden, and other counts with them where arithmetic "
        "on the rest would give them back (all shown as hidden); shares are of all participants, "
        f"hidden ones included.{rounded}*"
    )
