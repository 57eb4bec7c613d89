"""The six attacks of issue 16: the auditor finds them in what the code before it published, and
finds nothing in what `lc report` publishes now."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from letsconnect_cli.cli import app
from tests.conftest import DATA
from tests.privacy.attacks import ATTACKS, JAN, across_reports
from tests.privacy.auditor import audit, build
from tests.report.conftest import run_json

BEFORE = DATA / "privacy" / "before"


def _before(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((BEFORE / f"{name}.json").read_text())
    return data


@pytest.mark.parametrize("name", sorted(ATTACKS))
def test_the_auditor_finds_each_attack_in_the_old_reports(name: str) -> None:
    cell = ATTACKS[name][1]
    found = {f.cell: f for f in audit(_before(name))}
    assert cell in found, found
    # The attack's number itself: recovered exactly (or, for the language, to within 2..4).
    lo, hi = found[cell].lo, found[cell].hi
    assert (lo, hi) == ((2, 4) if name == "language-share" else (found[cell].lo, found[cell].lo))


def test_the_old_clinic_report_also_gave_away_the_hidden_score_bin() -> None:
    found = {f.cell: (f.lo, f.hi) for f in audit(_before("clinic-scores"))}
    assert found["satisfaction.distribution.1"] == (2, 2)


@pytest.mark.parametrize("name", sorted(ATTACKS))
def test_each_attack_fails_now(project: Path, runner: CliRunner, name: str) -> None:
    write, cell = ATTACKS[name]
    args = write(project / name)
    report = run_json(runner, *args)
    assert [str(f) for f in audit(report)] == []
    # The count the attack recovered is still not shown, and now protected.
    assert build(report).cells[cell].audit in ("hidden", "implicit")
    assert report["privacy"] == {"min_count": 5, "round": None, "protected_countries": "grouped"}


def test_attack_figures_now(project: Path, runner: CliRunner) -> None:
    line = run_json(runner, *ATTACKS["protected-line"][0](project / "a"))
    assert line["protected_countries"]["participants"] is None
    assert line["with_country"] == 33
    per_region = run_json(runner, *ATTACKS["protected-per-region"][0](project / "b"))
    shown = {r["region"]: r["participants"] for r in per_region["regions"]}
    countries = {c["country"]: c["participants"] for c in per_region["countries"]}
    assert shown["SA"] is None or countries["IN"] is None
    returning = run_json(runner, *ATTACKS["returning"][0](project / "c"))
    assert returning["participants"] == 40 and returning["returning_participants"] is None
    scores = run_json(runner, *ATTACKS["clinic-scores"][0](project / "d"))
    # Opinions are not identities: the spread of scores is shown in full (12 responses).
    assert scores["satisfaction"]["distribution"] == {"1": 2, "2": 0, "3": 0, "4": 5, "5": 5}
    assert all(c["satisfaction_mean"] is None for c in scores["per_clinic"])


def _interval(value: int, base: int | None) -> tuple[int, int]:
    """The true counts a published one allows: itself, or the counts that round to it."""
    if not base:
        return value, value
    return max(0, value - base // 2), value + (base - 1) // 2


@pytest.mark.parametrize("base", [None, 5])
def test_across_reports_only_rounding_protects(
    project: Path, runner: CliRunner, base: int | None
) -> None:
    """6. One report cannot know another; with --round 5, the difference is no longer known."""
    args = across_reports(project / "across")
    extra = ["--round", str(base)] if base else []
    if base is None:
        everyone, jan = _before("across-all"), _before("across-jan")
    else:
        everyone = run_json(runner, *args, *extra)
        jan = run_json(runner, *args, *extra, "--clinic", JAN)
        assert everyone["privacy"]["round"] == 5

    def ph(report: dict[str, Any]) -> int:
        return int(next(c["participants"] for c in report["countries"] if c["country"] == "PH"))

    low_all, high_all = _interval(ph(everyone), base)
    low_jan, high_jan = _interval(ph(jan), base)
    # People from the Philippines in the other clinic only: all-clinics minus January.
    other = (max(0, low_all - high_jan), high_all - low_jan)
    if base is None:
        assert other == (2, 2)  # the attack
    else:
        assert other[0] <= 1 and other[1] >= 4  # anything from none to four


def test_round_rounds_every_published_count(project: Path, runner: CliRunner) -> None:
    args = across_reports(project / "across")
    exact = run_json(runner, *args, "--min-count", "0")
    rounded = run_json(runner, *args, "--min-count", "0", "--round", "5")
    assert rounded["privacy"] == {"min_count": 0, "round": 5, "protected_countries": "grouped"}
    # 52 people, 32 from the Philippines, 20 from Nigeria; registrations 52; each on its own.
    assert (exact["participants"], rounded["participants"]) == (52, 50)
    assert {c["country"]: c["participants"] for c in rounded["countries"]} == {"PH": 30, "NG": 20}
    assert rounded["with_country"] == 50 and rounded["countries"][0]["share"] == 0.6
    assert all(c["registrations"] % 5 == 0 for c in rounded["per_clinic"])
    assert run_json(runner, *args, "--round", "1")["privacy"]["round"] is None
    result = runner.invoke(app, ["report", *args, "--round", "0"])
    assert result.exit_code == 2
    markdown = runner.invoke(app, ["report", *args, "--round", "5", "--format", "markdown"])
    assert "rounded to multiples of 5" in markdown.stdout
