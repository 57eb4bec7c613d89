"""Markdown: the headline, then pipe tables with bars, ready for a Meta-Wiki or blog draft."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from letsconnect_cli.report.header import EXAMPLE_BANNER, TITLE, header_rows
from letsconnect_cli.report.text import NUMERIC_COLUMNS, bar, quality_lines, sections, summary_rows


def _cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


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
    lines += ["", report["headline"], ""]
    lines += _table(("figure", "value"), summary_rows(report), {1})
    for section in sections(report):
        lines += ["", f"## {section.title}", ""]
        with_bars = any(share for share in section.shares)
        columns = section.columns + (("",) if with_bars else ())
        rows = [
            row + ((bar(share, 16),) if with_bars else ())
            for row, share in zip(section.rows, section.shares, strict=True)
        ]
        numeric = {i for i, c in enumerate(section.columns) if c in NUMERIC_COLUMNS}
        lines += _table(columns, rows, numeric)
        if section.note:
            lines += ["", f"*{section.note}.*"]
    lines += ["", "## Data quality", ""]
    lines += [f"- {_cell(line)}" for line in quality_lines(report)]
    lines += ["", _privacy_note(report)]
    return "\n".join(lines) + "\n"


def _privacy_note(report: dict[str, Any]) -> str:
    k = report["min_count"]
    if not k or k == 1:
        return "*Small counts are shown (--min-count 0).*"
    return (
        f'*Counts of fewer than {k} people are hidden (shown as <{k}); "hidden" marks a count '
        "that is not small but is withheld so that a small one cannot be worked out from the "
        "others (by subtraction from a total); shares are of all participants, hidden ones "
        "included.*"
    )
