"""Issue 18's figures in the disclosure model: attendees, returning attendees and skills are cells
of the one model, and the auditor reads their relations."""

from __future__ import annotations

import copy
import shutil
from pathlib import Path

from typer.testing import CliRunner

from tests.conftest import DATA
from tests.privacy.auditor import audit, build
from tests.report.conftest import run_json
from tests.report.test_learning_report import _exports


def test_few_returning_attendees_stay_hidden(project: Path, runner: CliRunner) -> None:
    """12 attendees, 3 of them twice: attendances - attendees = 3 repeat visits would give the
    returning attendees. The model hides enough that the auditor narrows nothing down."""
    _exports(project / "ex", returning=3)
    report = run_json(runner, "ex")
    assert report["returning_attendees"] is None
    assert audit(report) == []
    # The auditor knows the relation: with the attendances and attendees both shown, it finds the
    # repeat visits (and with them the returning attendees) pinned to a few values.
    leaked = copy.deepcopy(report)
    for key, value in (("attendees", 12), ("attended", 15)):
        leaked[key] = value
        if key in leaked["suppressed"]:
            leaked["suppressed"].remove(key)
    found = {f.cell for f in audit(leaked)}
    assert "repeat_attendances" in found or "returning_attendees" in found, found


def test_skills_per_region_are_audited(project: Path, runner: CliRunner) -> None:
    """data/skills at K=5: per region counts are small and hidden; a region's count is bounded by
    the region's people and the category's total; nothing is narrowed down."""
    shutil.copytree(DATA / "report" / "skills", project / "skills")
    report = run_json(runner, "skills")
    cells = build(report).cells
    assert "skills.funding.wanting.SSA" in cells and "skills.funding.wanting.no_region" in cells
    assert audit(report) == []
    # A total shown with all but one of its regions: the last one is the difference.
    leaked = copy.deepcopy(report)
    funding = next(c for c in leaked["skills"]["categories"] if c["skill"] == "funding")
    funding["wanting"], funding["suppressed"] = 3, ["offering"]
    assert any(f.cell.startswith("skills.funding.wanting") for f in audit(leaked))
