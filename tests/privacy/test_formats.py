"""One set of published figures: the table, CSV, Markdown and HTML show what the JSON publishes,
and of a hidden count nothing but "hidden"."""

from __future__ import annotations

import csv
import html
import io
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from tests.conftest import ROOT
from tests.report.conftest import run, run_json

SECTIONS = (
    ("regions", "region"),
    ("countries", "country"),
    ("roles", "role"),
    ("languages", "language"),
)


@pytest.fixture
def examples(project: Path) -> Path:
    shutil.copytree(ROOT / "examples" / "exports", project / "examples")
    return project


def _entries(report: dict[str, Any]) -> list[tuple[str, str, str, int | None]]:
    return [
        (section, code_key, e[code_key], e["participants"])
        for section, code_key in SECTIONS
        for e in report[section]
    ]


def _cells(line: str, separator: str) -> list[str]:
    return [c.strip() for c in line.strip().strip(separator).split(separator)]


@pytest.mark.parametrize("flags", [(), ("--round", "5"), ("--min-count", "10")])
def test_every_format_shows_the_published_figures(
    examples: Path, runner: CliRunner, flags: tuple[str, ...]
) -> None:
    report = run_json(runner, "examples", *flags)
    outputs = {
        fmt: run(runner, "examples", "--format", fmt, *flags).stdout
        for fmt in ("table", "csv", "markdown", "html")
    }
    entries = _entries(report)
    assert any(n is None for *_, n in entries) and any(n is not None for *_, n in entries)

    rows = list(csv.DictReader(io.StringIO(outputs["csv"])))
    by_key = {(r["section"], r["key"], r["metric"]): r for r in rows}
    for section, _, code, n in entries:
        row = by_key[(section, code, "participants")]
        assert row["value"] == ("" if n is None else str(n)), (section, code)
        assert row["suppressed"] == ("true" if n is None else "false")
        share = by_key[(section, code, "share")]["value"]
        assert (share == "") == (n is None or report[f"with_{_margin(section)}"] is None)
    for key in ("participants", "registrations", "with_region", "with_country", "with_languages"):
        value = report[key]
        assert by_key[("summary", "", key)]["value"] == ("" if value is None else str(value))

    markdown_rows = {
        (_cells(line, "|")[0]): _cells(line, "|")
        for line in outputs["markdown"].splitlines()
        if line.startswith("| ")
    }
    table_rows: dict[str, str] = {}
    for line in outputs["table"].splitlines():
        if line.strip():  # the first row of a code: the skills table's region rows come later
            table_rows.setdefault(line.split()[0], line)
    html_rows = {
        html.unescape(cells[0]): [html.unescape(c) for c in cells]
        for cells in (
            re.findall(r"<td[^>]*>([^<]*)</td>", row)
            for row in re.findall(r"<tr>(.*?)</tr>", outputs["html"], flags=re.S)
        )
        if cells
    }
    for _, _, code, n in entries:
        shown = "hidden" if n is None else f"{n:,}"
        # (The codes are unique across the sections of the examples: the rows are found by code.)
        assert shown in markdown_rows[code], (code, markdown_rows[code])
        assert re.search(rf"(?<![\d,]){re.escape(shown)}(?![\d,])", table_rows[code]), code
        assert shown in html_rows[code], (code, html_rows[code])
        if n is None:  # nothing else of it: no share, no share of region
            for cells in (markdown_rows[code], html_rows[code]):
                assert not [c for c in cells[2:] if re.search(r"\d", c)], (code, cells)
    hidden = sum(1 for *_, n in entries if n is None)
    in_markdown = len(re.findall(r"\| hidden(?= \|)", outputs["markdown"]))  # side by side too
    assert in_markdown >= hidden
    assert outputs["html"].count(">hidden</td>") == in_markdown


def _margin(section: str) -> str:
    return {"regions": "region", "countries": "country", "roles": "role", "languages": "languages"}[
        section
    ]


def test_the_headline_names_no_hidden_figure(examples: Path, runner: CliRunner) -> None:
    report = run_json(runner, "examples", "--min-count", "10")
    names = {
        e["name"] for section, _ in SECTIONS for e in report[section] if e["participants"] is None
    }
    assert names and not any(name in report["headline"] for name in names)
