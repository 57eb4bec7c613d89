"""HTML: one self-contained page (inline CSS and SVG, no external requests), screen and print."""

from __future__ import annotations

from typing import Any

from letsconnect_cli.escaping import strip_controls
from letsconnect_cli.report.markdown import _privacy_note
from letsconnect_cli.report.text import NUMERIC_COLUMNS, quality_lines, sections, summary_rows


def render_html(report: dict[str, Any], *, charts: dict[str, str] | None = None) -> str:
    """The page; `charts` (name -> SVG, from `charts.render_charts`) are drawn into their sections,
    made here when not given."""
    from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
    from markupsafe import Markup

    environment = Environment(
        loader=PackageLoader("letsconnect_cli", "templates"),
        undefined=StrictUndefined,
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
        # Jinja escapes the markup of every value; control characters are dropped here.
        # Markup (the charts' SVG) had them dropped before it was marked safe.
        finalize=lambda value: (
            strip_controls(value)
            if isinstance(value, str) and not isinstance(value, Markup)
            else value
        ),
    )

    from letsconnect_cli.report.charts import CHARTS, render_charts
    from letsconnect_cli.report.header import header_rows, source_lines

    drawn = render_charts(report) if charts is None else charts
    # pygal's SVG is serialised XML (its texts escaped by the serialiser): markup to keep as is.
    by_section = {CHARTS[name]: (name, Markup(strip_controls(svg))) for name, svg in drawn.items()}
    template = environment.get_template("report.html.j2")
    return template.render(
        header=header_rows(report),
        sources=source_lines(report),
        charts=by_section,
        report=report,
        summary=summary_rows(report),
        sections=sections(report),
        quality=quality_lines(report, listed=50),
        privacy=_privacy_note(report).strip("*"),
        numeric=NUMERIC_COLUMNS,
    )
