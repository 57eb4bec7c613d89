"""The five output formats against golden files, and each read back by an independent parser.

Regenerate the golden files after an intended change with `LC_UPDATE_GOLDEN=1 pytest tests/report`,
and read the diff before committing it.
"""

from __future__ import annotations

import csv
import io
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import ClassVar

import pytest
from typer.testing import CliRunner

from tests.conftest import Golden
from tests.report.conftest import REPORT_DATA, run

GOLDEN = REPORT_DATA / "golden"
ARGS = ("exports", "data/hand", "--min-count", "2")
SUFFIX = {"table": "txt", "json": "json", "csv": "csv", "markdown": "md", "html": "html"}


_CHART = re.compile(r'(<figure class="chart" id="chart-(\w+)">)<svg .*?</svg>(</figure>)', re.S)


def _charts_named(html: str) -> str:
    """The page with each chart's SVG (pygal's drawing, a megabyte for the map) as its name: the
    charts are checked on their own (test_charts); the golden file stays a page one can read."""
    return _CHART.sub(lambda m: f"{m[1]}[chart {m[2]}]{m[3]}", html)


@pytest.mark.parametrize("fmt", list(SUFFIX))
def test_golden(exports: Path, runner: CliRunner, golden: Golden, fmt: str) -> None:
    result = run(runner, *ARGS, "--format", fmt)
    assert result.exit_code == 0, result.stderr
    text = _charts_named(result.stdout) if fmt == "html" else result.stdout
    golden(GOLDEN / f"report.{SUFFIX[fmt]}", text)


def test_json_is_one_document_with_the_contract_keys(exports: Path, runner: CliRunner) -> None:
    result = run(runner, *ARGS, "--json")
    data = json.loads(result.stdout)
    assert list(data) == [
        "scheme",
        "min_count",
        "show_protected",
        "privacy",
        "clinics",
        "registrations",
        "registered_participants",
        "participants",
        "returning_participants",
        "average_registrations_per_clinic",
        "attended",
        "average_attendance_per_clinic",
        "attendance_rate",
        "attendees",
        "returning_attendees",
        "with_region",
        "with_country",
        "with_role",
        "with_languages",
        "regions",
        "countries",
        "protected_countries",
        "roles",
        "languages",
        "satisfaction",
        "per_clinic",
        "skills",
        "reach",
        "data_quality",
        "sources",
        "period",
        "suppressed",
        "headline",
        "generated",
        "lc_version",
        "example_data",
    ]
    assert set(data["regions"][0]) == {
        "region",
        "name",
        "participants",
        "share",
        "suppressed",
    }
    assert set(data["countries"][0]) == {
        "country",
        "name",
        "region",
        "participants",
        "share",
        "share_of_region",
        "suppressed",
        "protected",
    }
    assert set(data["satisfaction"]) == {
        "responses",
        "mean",
        "median",
        "distribution",
        "suppressed",
    }
    assert data["privacy"] == {"min_count": 2, "round": None, "protected_countries": "grouped"}
    assert list(data["satisfaction"]["distribution"]) == ["1", "2", "3", "4", "5"]
    assert set(data["per_clinic"][0]) == {
        "clinic",
        "title",
        "date",
        "registrations",
        "attended",
        "satisfaction_mean",
        "satisfaction_responses",
        "suppressed",
    }
    assert set(data["data_quality"]) == {
        "rows_read",
        "duplicates",
        "rejoins",
        "region_corrected",
        "unknown_country",
        "country_guessed_rows",
        "country_guessed",
        "unknown_countries",
        "unknown_languages",
        "unattributed",
        "hidden_users",
        "skipped_total",
        "skipped",
    }
    assert set(data["data_quality"]["skipped"][0]) == {"file", "line", "reason"}
    assert "warning" in result.stderr  # messages go to stderr, never into the document


def test_csv_reads_back(exports: Path, runner: CliRunner) -> None:
    text = run(runner, *ARGS, "--format", "csv").stdout
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0]) == ["section", "key", "name", "metric", "value", "suppressed"]
    figures = {(r["section"], r["key"], r["metric"]): r for r in rows}
    assert figures[("summary", "", "participants")]["value"] == "42"
    assert figures[("regions", "SSA", "participants")]["value"] == "10"
    hidden = [r for r in rows if r["suppressed"] == "true"]
    assert hidden and all(r["value"] == "" for r in hidden)


class _Page(HTMLParser):
    VOID: ClassVar[set[str]] = {"meta", "br", "img", "link", "input", "hr", "rect"}

    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []
        self.tags: list[str] = []
        self.urls: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.urls += [v or "" for k, v in attrs if k in ("src", "href", "xlink:href")]
        if tag not in self.VOID:
            self.open.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.open and self.open[-1] == tag, f"</{tag}> closes <{self.open[-1:]}>"
        self.open.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_html_is_self_contained_and_well_formed(exports: Path, runner: CliRunner) -> None:
    page = _Page()
    page.feed(run(runner, *ARGS, "--format", "html").stdout)
    page.close()
    assert page.open == []
    assert page.urls == []  # no external requests: no src, no href
    assert "script" not in page.tags and "link" not in page.tags and "img" not in page.tags
    assert page.tags.count("svg") >= 10  # bars for regions, countries, roles, languages, scores
    text = " ".join("".join(page.text).split())
    assert "Sub-Saharan Africa" in text and "Protected countries" in text
    assert "@media print" in text


def test_markdown_tables_are_regular(exports: Path, runner: CliRunner) -> None:
    text = run(runner, *ARGS, "--format", "markdown").stdout
    table: list[str] = []
    for line in [*text.splitlines(), ""]:
        if line.startswith("|"):
            table.append(line)
            continue
        if table:
            widths = {len(row.replace("\\|", "").split("|")) for row in table}
            assert len(widths) == 1, table
            table = []
    assert text.startswith("# Let's Connect learning clinics")
