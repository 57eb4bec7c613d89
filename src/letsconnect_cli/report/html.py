"""HTML: one self-contained page (inline CSS and SVG, no external requests), screen and print."""

from __future__ import annotations

from typing import Any

from letsconnect_cli.escaping import strip_controls
from letsconnect_cli.report.markdown import _privacy_note
from letsconnect_cli.report.text import NUMERIC_COLUMNS, quality_lines, sections, summary_rows


def render_html(report: dict[str, Any]) -> str:
    from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

    environment = Environment(
        loader=PackageLoader("letsconnect_cli", "templates"),
        undefined=StrictUndefined,
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
        # Jinja escapes the markup of every value; control characters are dropped here.
        finalize=lambda value: strip_controls(value) if isinstance(value, str) else value,
    )
    template = environment.get_template("report.html.j2")
    return template.render(
        report=report,
        summary=summary_rows(report),
        sections=sections(report),
        quality=quality_lines(report, listed=50),
        privacy=_privacy_note(report).strip("*"),
        numeric=NUMERIC_COLUMNS,
    )
