"""Issue 15: Hypothesis titles and cells through lc's escapers and renderers (the library, fast).

Whatever a title or a cell holds, the terminal gets no raw control character, a CSV cell stays one
neutralised cell, a Markdown or wikitext table cell stays in its cell and renders as the text.
"""

from __future__ import annotations

import csv
import html
import io
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from letsconnect_cli.cli import app
from letsconnect_cli.escaping import escape_csv_cell, escape_terminal
from tests.hostile import corpus
from tests.hostile.corpus import cells, csv_shown, one_line, raw_controls, titles

FAST = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@pytest.mark.slow
@given(titles())
@FAST
def test_the_terminal_gets_no_raw_control_character(text: str) -> None:
    shown = escape_terminal(text)
    assert not raw_controls(shown, bidi=True)
    assert escape_terminal(shown) == shown  # nothing left to escape


@given(st.lists(cells(), min_size=1, max_size=6))
@FAST
def test_csv_cells_stay_one_neutralised_cell(row: list[str]) -> None:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_NONNUMERIC).writerow(
        [escape_csv_cell(cell) for cell in row]
    )
    text = buffer.getvalue()
    assert text.count("\n") == 1 and "\r" not in text
    assert list(csv.reader(io.StringIO(text))) == [[csv_shown(cell) for cell in row]]


@pytest.fixture(scope="module")
def figures(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The report of the hostile corpus, as `lc report --format json` gives it."""
    import os

    root = tmp_path_factory.mktemp("figures")
    ids = corpus.make_project(root, {"a": "A clinic", "b": "B clinic"})
    corpus.write_exports(root / "exports", ids)
    here = Path.cwd()
    os.chdir(root)
    try:
        result = CliRunner().invoke(
            app, ["report", "exports", "--format", "json", "--min-count", "0"]
        )
    finally:
        os.chdir(here)
    assert result.exit_code == 0, result.stderr
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def _with_titles(figures: dict[str, Any], names: list[str]) -> dict[str, Any]:
    changed: dict[str, Any] = json.loads(json.dumps(figures))
    for clinic, name in zip(changed["per_clinic"], names, strict=False):
        clinic["title"] = name
    return changed


@pytest.mark.slow
@given(st.lists(titles(), min_size=2, max_size=2))
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_report_csv_markdown_html_keep_each_title_in_its_cell(
    figures: dict[str, Any], names: list[str]
) -> None:
    from letsconnect_cli.report.csv_out import render_csv
    from letsconnect_cli.report.html import render_html
    from letsconnect_cli.report.markdown import render_markdown

    report = _with_titles(figures, names)
    rows = corpus.parse_csv(render_csv(report))
    assert all(len(row) == 6 for row in rows)
    assert {row[2] for row in rows if row[0] == "per_clinic"} == {csv_shown(n) for n in names}

    markdown = render_markdown(report)
    assert corpus.markdown_html_tokens(markdown) == []
    table = [r for r in corpus.markdown_table_cells(markdown) if r and r[0].startswith("2031-")]
    assert sorted(r[1] for r in table) == sorted(one_line(n) for n in names)
    assert all(len(r) == 5 for r in table)

    tags, texts = corpus.parse_html(render_html(report))
    assert {"img", "script", "b"}.isdisjoint(tags)
    assert not raw_controls("".join(data for _, data in texts))
    shown = {" ".join(data.split()) for tag, data in texts if tag == "td"}
    assert {one_line(n) for n in names} <= shown


@pytest.mark.slow
@given(titles(), titles())
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_report_table_shows_no_raw_control(figures: dict[str, Any], a: str, b: str) -> None:
    from letsconnect_cli.cli.output import console
    from letsconnect_cli.cli.report_view import render_table

    buffer = io.StringIO()
    render_table(_with_titles(figures, [a, b]), console(file=buffer, width=100, no_color=True))
    assert not raw_controls(buffer.getvalue(), bidi=True)


def _clinic(title: str, sharer: str, platform: str, index: int = 0) -> Any:
    from letsconnect_cli.clinic.clinics import clinic_from_mapping

    raw = {
        "title": title,
        "status": "confirmed",
        "start": datetime(2031, 3, 10 + index, 6, tzinfo=UTC),
        "duration": "2h",
        "language": "en",
        "regions": ["ESEAP"],
        "platform": platform,
        "registration_url": "https://example.org/register",
        "sharers": [{"name": sharer}],
        "calendar": {"uid": f"p{index}@letsconnect"},
    }
    clinic, problems = clinic_from_mapping(f"2031-03-{10 + index}-property-{index}", raw)
    assert clinic is not None, problems
    return clinic


@pytest.mark.slow
@given(titles(), titles())
@settings(max_examples=80, deadline=None)
def test_index_cells_stay_in_their_cells(title: str, sharer: str) -> None:
    from letsconnect_cli.announce.index_page import render_index
    from letsconnect_cli.places.i18n import resolve_language

    clinics = [_clinic(title, sharer, "Zoom"), _clinic("Next", "Ann", "Zoom", 1)]
    page = render_index(
        clinics,
        resolve_language("en"),
        now=datetime(2031, 1, 1, tzinfo=UTC),
        page_of=lambda clinic: f"Clinics/{clinic.id}",
    )
    assert not raw_controls(page)
    templates, links = corpus.wikitext_nodes(page)
    assert templates == []
    assert sorted(links) == sorted(f"Clinics/{c.id}" for c in clinics)
    rows = [r for r in corpus.wikitext_table_rows(page) if not (r and r[0].startswith("Date"))]
    assert [len(r) for r in rows] == [6, 6]
    assert (rows[0][2], rows[0][3]) == (one_line(title), one_line(sharer))


@pytest.mark.slow
@given(titles(), titles())
@settings(max_examples=40, deadline=None)
@example("0 #", "0")  # a heading's closing #s (CommonMark) would drop it
def test_announcements_keep_values_in_place(title: str, platform: str) -> None:
    from letsconnect_cli.announce.render import Organiser, announce
    from letsconnect_cli.places.i18n import resolve_language
    from letsconnect_cli.places.regions import all_regions

    clinic = _clinic(title, "Ann", platform)
    regions = [r for r in all_regions() if r.code == "ESEAP"]
    heading = "Let's Connect Learning Clinic: " + one_line(title)
    shown_platform = one_line(platform)

    def render(fmt: str) -> str:
        text = announce(
            clinic,
            fmt,
            resolve_language("en"),
            regions=regions,
            organiser=Organiser("O", "o@x.org"),
        ).text
        assert not raw_controls(text.replace("\r\n", "\n")), fmt
        return text

    blocks = corpus.markdown_blocks(render("markdown"))
    assert ("heading", heading) in blocks
    assert ("list_item", "Platform: " + shown_platform) in blocks

    wikitext = render("wikitext")
    templates, links = corpus.wikitext_nodes(wikitext)
    assert templates == [] and links == []
    lines = wikitext.splitlines()
    assert sum(line.startswith("== ") for line in lines) == 1
    platform_lines = [line for line in lines if "Platform:" in line]
    assert len(platform_lines) == 1
    assert html.unescape(platform_lines[0]).endswith(shown_platform)

    tags, texts = corpus.parse_html(render("html"))
    assert {"img", "script", "b"}.isdisjoint(tags)
    assert ("h2", heading) in texts
