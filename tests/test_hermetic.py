"""The tests are hermetic: none reads the working tree's user-facing `clinics/` or `lc.toml` (the
Quick start or a user writes there), at run time (the audit hook of tests/conftest.py) or by name in
its source. They copy tests/data/project instead; the Quick start test is the one exception."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import _GUARD, READS_THE_WORKING_TREE, ROOT, WorkingTreeRead, invoke


@pytest.fixture
def caught() -> Iterator[list[str]]:
    """What the guard caught in this test, taken away so that the test itself does not fail."""
    yield _GUARD.reads
    _GUARD.reads.clear()


def test_opening_or_listing_the_working_tree_is_caught(
    caught: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(WorkingTreeRead):
        (ROOT / "lc.toml").read_text()
    with pytest.raises(WorkingTreeRead):
        list((ROOT / "clinics").iterdir())
    monkeypatch.chdir(ROOT)  # a relative path from the repository's folder
    with pytest.raises(WorkingTreeRead):
        Path("clinics/2023-04-02-travel-scholarships.toml").read_bytes()
    assert len(caught) == 3


def test_lc_run_in_the_repositorys_folder_is_caught_even_if_it_handles_the_error(
    runner: CliRunner, caught: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A test that forgot to move into its own folder: lc would read ./lc.toml and ./clinics."""
    monkeypatch.chdir(ROOT)
    invoke(runner, "list")
    assert caught and all(
        path == str(ROOT / "lc.toml") or path.startswith(str(ROOT / "clinics")) for path in caught
    )


def test_the_project_fixture_reads_nothing_of_the_working_tree(project: Path) -> None:
    assert not _GUARD.reads


#: A path into the working tree's clinics/ or lc.toml, as test code would spell it.
NAMED = re.compile(r"""(ROOT|__file__\).*)\s*/\s*["'](clinics|lc\.toml)["']""")


def test_no_test_names_the_working_trees_clinics_or_lc_toml() -> None:
    """Subprocesses escape the audit hook: so no test module spells the path either."""
    allowed = {node.split("::")[0] for node in READS_THE_WORKING_TREE}
    offenders = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in sorted((ROOT / "tests").rglob("*.py"))
        if str(path.relative_to(ROOT))
        not in allowed | {"tests/conftest.py", "tests/test_hermetic.py"}
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if NAMED.search(line)
    ]
    assert offenders == []
