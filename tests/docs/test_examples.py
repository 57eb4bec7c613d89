"""Every command example of README.md and docs/ runs against the example data and prints what the
page shows (tests/docs/examples.py says how a page is read)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.docs import examples
from tests.docs.examples import ROOT

#: What the pages show but this test does not run, per page, and why: a wiki or a mail server (run
#: in test_examples_servers.py against real ones), a terminal session, a link to the Internet. A
#: new entry is a reviewed change.
NOT_RUN = {
    "README.md": {"lc publish wikidata", "--send"},
    "docs/month.md": {"needs a wiki", "needs a mail server"},
    "docs/guide/own-folder.md": {"a terminal session"},
    "docs/guide/emailing.md": {"needs a mail server"},
    "docs/guide/publishing.md": {"needs a wiki"},
    "docs/guide/reports.md": {"https://"},
}


#: Pages whose examples take over 2 s (the README's month reads country names in every language).
SLOW = {"README.md"}


@pytest.mark.parametrize(
    "page",
    [
        pytest.param(
            page,
            id=str(page.relative_to(ROOT)),
            marks=[pytest.mark.slow] if str(page.relative_to(ROOT)) in SLOW else [],
        )
        for page in examples.pages()
    ],
)
def test_the_examples_of_a_page_run_as_shown(page: Path, tmp_path: Path) -> None:
    outcome = examples.run_page(page, tmp_path / "project")
    assert outcome.failures == [], "\n\n".join(outcome.failures)
    allowed = NOT_RUN.get(str(page.relative_to(ROOT)), set())
    unexpected = [
        (where, what) for where, what in outcome.not_run if not any(a in what for a in allowed)
    ]
    assert unexpected == [], f"examples left unrun without a reason listed in NOT_RUN: {unexpected}"
    assert not outcome.fills, "FILL left in the page: python -m tests.docs.examples --fill PAGE"


def test_the_pages_hold_examples_and_most_of_them_run(tmp_path: Path) -> None:
    """The runner finds the examples (a page whose blocks it stopped reading would pass silently)."""
    ran = 0
    for page in examples.pages():
        ran += sum(len(examples.commands(b)) for b in examples.read_blocks(page))
    assert ran >= 60, ran


def test_a_wrong_output_fails(tmp_path: Path) -> None:
    """The check itself: a page showing output lc does not print fails, and so does an exit code."""
    page = tmp_path / "page.md"
    page.write_text(
        "```console\n$ lc list --status proposed\nnothing here\n```\n\n"
        "<!-- docs-test: exit=3 -->\n```console\n$ lc validate\n...\n```\n",
        encoding="utf-8",
    )
    outcome = examples.run_page(page, tmp_path / "project")
    assert len(outcome.failures) == 2, outcome.failures
    assert "stdout differs" in outcome.failures[0]
    assert "exited 0, not 3" in outcome.failures[1]


def test_examples_with_a_prompt_are_console_blocks() -> None:
    """A `$ lc` example in a text block would never run: examples are console blocks."""
    for page in [*examples.pages(), ROOT / "docs" / "reference" / "commands.md"]:
        for block in examples.read_blocks(page):
            if block.language not in ("console", "sh", "bash", "shell"):
                assert not re.search(r"^\$ ", block.body, re.MULTILINE), block.where


def test_the_readme_month_registrants_are_the_month_pages() -> None:
    """The README's month runs on tests/data/docs/registrations.csv: the sheet docs/month.md shows."""
    page = (ROOT / "docs" / "month.md").read_text(encoding="utf-8")
    shown = page.split('```csv title="exports/registrations.csv"\n', 1)[1].split("```", 1)[0]
    data = ROOT / "tests" / "data" / "docs" / "registrations.csv"
    assert data.read_text(encoding="utf-8") == shown
