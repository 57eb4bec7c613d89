"""The learning report (issue 18): registered participants apart from attendees, rejoins apart from
duplicates, the period, the header block, the example-data banner, charts and the world map."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from tests.conftest import ROOT
from tests.report.conftest import run, run_json

JAN = "2023-01-14-building-a-wikimedia-affiliate-group"
FEB = "2023-02-21-copyright-clinic-awareness-education"
ZOOM_HEADER = "Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest\n"


def _zoom(path: Path, joins: list[int], day: str) -> None:
    rows = [
        f"P{n} Person,p{n}@example.org,{day} 06:0{i % 10}:00 AM,{day} 07:00:00 AM,50,Yes\n"
        for i, n in enumerate(joins)
    ]
    path.write_text(ZOOM_HEADER + "".join(rows), encoding="utf-8")


def _exports(folder: Path, returning: int) -> Path:
    """12 people registered for January (p3 twice) and came (p1 joined three times); the first
    `returning` of them came in February too (p2 joined twice)."""
    folder.mkdir()
    lines = ["Email,Country,Clinic\n"]
    for n in range(1, 13):
        lines.append(f"p{n}@example.org,Nigeria,{JAN}\n")
        if n == 3:
            lines.append(f"p{n}@example.org,Nigeria,{JAN}\n")  # resubmitted
    (folder / "registrations.csv").write_text("".join(lines), encoding="utf-8")
    _zoom(folder / f"{JAN}-zoom.csv", [*range(1, 13), 1, 1], "01/14/2023")
    _zoom(folder / f"{FEB}-zoom.csv", [*range(1, returning + 1), 2], "02/21/2023")
    return folder


def test_registered_participants_attendees_and_rejoins(project: Path, runner: CliRunner) -> None:
    _exports(project / "ex", returning=6)
    report = run_json(runner, "ex")
    assert report["registered_participants"] == report["participants"] == 12
    assert report["attendees"] == 12
    assert report["returning_attendees"] == 6
    assert report["attended"] == 18  # 12 in January, 6 in February
    assert report["data_quality"]["duplicates"] == 1  # p3's resubmitted registration
    assert report["data_quality"]["rejoins"] == 3  # p1 twice more in January, p2 in February
    assert report["period"] == {
        "first": "2023-01-14",
        "last": "2023-02-21",
        "clinics": [JAN, FEB],
        "undated": [],
    }
    assert report["headline"].startswith("12 registered participants in 2 learning clinics")
    assert "12 attended (average 9 per clinic)" in report["headline"]
    assert "6 attended two or more" in report["headline"]
    assert "from Sub-Saharan Africa" in report["headline"]


def test_hand_fixture_attendees(exports: Path, runner: CliRunner) -> None:
    """data/hand: f (joined twice), h, i and a phone caller attended the one clinic with Zoom."""
    report = run_json(runner, "data/hand", "--min-count", "0")
    assert (report["registered_participants"], report["attendees"]) == (11, 4)
    assert report["returning_attendees"] == 0
    assert report["data_quality"]["rejoins"] == 1
    assert report["data_quality"]["duplicates"] == 2


def test_hidden_by_default(project: Path, runner: CliRunner) -> None:
    """3 returning attendees: hidden; with the 12 attendees, 15 attendances would give the 3
    repeat visits back, so the disclosure model hides one of those too (its choice which), and every
    hidden count reads "hidden"."""
    _exports(project / "ex", returning=3)
    report = run_json(runner, "ex")
    assert report["returning_attendees"] is None
    assert report["attendees"] is None or report["attended"] is None
    assert "returning_attendees" in report["suppressed"]
    assert "secondary" not in report
    assert "2 or more" not in report["headline"] and "two or more" not in report["headline"]
    table = run(runner, "ex").stdout
    assert re.search(r"Returning attendees \(attended 2\+ clinics\)\s+hidden", table)
    assert "<5" not in table
    shown = run_json(runner, "ex", "--min-count", "0")
    assert (shown["attendees"], shown["returning_attendees"]) == (12, 3)


def test_markdown_and_html_headers(project: Path, runner: CliRunner) -> None:
    _exports(project / "ex", returning=6)
    markdown = run(runner, "ex", "--format", "markdown").stdout
    assert "- **Period**: 2023-01-14 to 2023-02-21: 2 learning clinics" in markdown
    assert "- **Generated**: 2023-11-14 22:13:20 UTC" in markdown  # SOURCE_DATE_EPOCH
    assert "- **Made with**: lc " in markdown
    assert "ex/registrations.csv (" in markdown and ", 13 rows)" in markdown
    assert "- **Privacy**: counts of fewer than 5 people hidden (--min-count 5)" in markdown
    assert "Example data" not in markdown
    html = run(runner, "ex", "--format", "html").stdout
    assert "<dt>Period</dt>" in html and "<dt>Generated</dt>" in html and "<dt>Sources</dt>" in html
    assert "Example data: synthetic" not in html
    assert '<td class="date">2023-01-14</td>' in html
    assert ".date, td.date { white-space: nowrap; }" in html
    assert "@page { size: A4;" in html and "section { break-before: page; }" in html
    assert "and other counts with them where arithmetic on the rest would give them back" in html
    assert "from Sub-Saharan Africa" in html


def test_example_banner(project: Path, runner: CliRunner) -> None:
    shutil.copytree(ROOT / "examples" / "exports", project / "examples" / "exports")
    for args in ((), ("examples/exports",)):
        html = run(runner, *args, "--format", "html").stdout
        assert '<p class="banner" role="note">Example data: synthetic.' in html
        markdown = run(runner, *args, "--format", "markdown").stdout
        assert "> **Example data: synthetic**" in markdown
        assert json.loads(run(runner, *args, "--json").stdout)["example_data"] is True


def _charts(html: str) -> dict[str, str]:
    return dict(
        re.findall(r'<figure class="chart" id="chart-(\w+)">(<svg .*?</svg>)</figure>', html, re.S)
    )


def test_html_charts_and_map_are_inline_and_private(exports: Path, runner: CliRunner) -> None:
    html = run(runner, "data/hand", "--min-count", "0", "--format", "html").stdout
    charts = _charts(html)
    assert set(charts) == {"clinics", "regions", "world", "scores"}
    assert not re.search(r"<script|<link|@import|(?:src|href)=\"(?:https?:)?//", html)
    world = charts["world"]
    # Nigeria has data; Viet Nam (protected) is drawn exactly as a country without any (France).
    assert '<g class="ng country map-element color-0' in world
    assert '<g class="vn country map-element">' in world
    assert '<g class="fr country map-element">' in world
    assert "ns0:" not in world
    hidden = run(runner, "data/hand", "--format", "html").stdout
    world = _charts(hidden)["world"]
    assert "Hidden (fewer than 5, or withheld)" in world
    assert '<g class="vn country map-element">' in world
    # Every country the disclosure model hides is drawn in the hidden series, with no count.
    report = json.loads(run(runner, "data/hand", "--json").stdout)
    hidden_codes = [c["country"].lower() for c in report["countries"] if c["suppressed"]]
    assert hidden_codes
    for code in hidden_codes:
        drawn = re.search(rf'<g class="{code} country map-element ([^"]*)".*?</g>', world, re.S)
        assert drawn and "serie-1" in drawn[1], code
        assert '<desc class="value">hidden</desc>' in drawn[0], code


@pytest.mark.slow
def test_charts_dir(exports: Path, runner: CliRunner) -> None:
    result = run(runner, "data/hand", "--min-count", "0", "--charts", "slides")
    assert result.exit_code == 0, result.stderr
    names = sorted(p.name for p in (exports / "slides").iterdir())
    svgs = [n for n in names if n.endswith(".svg")]
    assert svgs == ["clinics.svg", "regions.svg", "scores.svg", "world.svg"]
    pytest.importorskip("cairosvg")
    assert (exports / "slides" / "world.png").read_bytes().startswith(b"\x89PNG")
    again = run(runner, "data/hand", "--charts", "slides")
    assert again.exit_code == 2 and "already exists" in again.stderr
    assert run(runner, "data/hand", "--charts", "slides", "--force").exit_code == 0


@pytest.mark.slow
def test_table_does_not_import_pygal(exports: Path, runner: CliRunner) -> None:
    import subprocess
    import sys

    code = (
        "import sys; from letsconnect_cli.cli import main; sys.argv = ['lc', 'report', "
        "'data/hand']\ntry:\n    main()\nexcept SystemExit:\n    pass\n"
        "assert 'pygal' not in sys.modules, 'pygal imported'"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def _skill(report: dict[str, Any], key: str) -> dict[str, Any]:
    return next(c for c in report["skills"]["categories"] if c["skill"] == key)


def test_skills_and_reach(exports: Path, runner: CliRunner) -> None:
    """data/skills: p1, p2 (Nigeria), p3 (Ghana) SSA; p4, p5 (Philippines) ESEAP; p6 no country.
    Wanting: funding p1, p2 ("grant writing"), p6; technical p1, p3; organisational p5.
    Offering: interpersonal p1, funding p3, technical and programmatic p4. Home wikis:
    en.wikipedia (p1 en.wikipedia.org, p2 enwiki), tw.wikipedia, "tagalog wikipedia", wikidata."""
    report = run_json(runner, "data/skills", "--min-count", "0")
    assert report["reach"] == {"countries": 3, "home_wikis": 4}
    assert report["skills"]["people"] == 6
    funding = _skill(report, "funding")
    assert (funding["wanting"], funding["offering"]) == (3, 1)
    assert [(r["region"], r["wanting"], r["offering"]) for r in funding["by_region"]] == [
        ("SSA", 2, 1)
    ]
    technical = _skill(report, "technical")
    assert (technical["wanting"], technical["offering"]) == (2, 1)
    assert [(r["region"], r["wanting"], r["offering"]) for r in technical["by_region"]] == [
        ("ESEAP", 0, 1),
        ("SSA", 2, 0),
    ]
    assert (
        _skill(report, "organisational")["wanting"],
        _skill(report, "interpersonal")["offering"],
    ) == (1, 1)
    assert report["headline"].startswith("6 registered participants from 3 countries")
    table = run(runner, "data/skills", "--min-count", "0").stdout
    assert "Skills wanted and offered" in table and "Home wikis" in table


def test_skills_hidden_by_default(exports: Path, runner: CliRunner) -> None:
    report = run_json(runner, "data/skills")
    funding = _skill(report, "funding")
    assert funding["wanting"] is None and "wanting" in funding["suppressed"]
    assert report["skills"]["people"] == 6  # people who answered: 6, not a small count
    for category in report["skills"]["categories"]:
        for row in category["by_region"]:
            assert row["wanting"] in (None, 0) and row["offering"] in (None, 0)
    assert re.search(
        r"funding\s+Funding\s+all\s+hidden\s+hidden", run(runner, "data/skills").stdout
    )
