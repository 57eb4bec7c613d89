"""The README's Quick start leaves a clean clone, and the tests do not depend on it having run.

The first Quick start command runs `lc invite` on the example clinics, which writes the ledger
`clinics/.lc-issued.toml`. The repository ships that ledger in the state the command writes it, so
`git status` stays empty. This is the one test that reads the working tree's `clinics/` and
`lc.toml` (tests/conftest.py: READS_THE_WORKING_TREE): the others copy their own, tests/data/project.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import ROOT, SEED, SEED_FILES, copy_seed_clinics, invoke

LEDGER = ROOT / "clinics" / ".lc-issued.toml"


def _tracked(folder: str) -> list[str]:
    """The names of the files git tracks in `folder` of the repository (not the dot files)."""
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    listed = subprocess.run(
        ["git", "ls-files", folder], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    return sorted(Path(p).name for p in listed if not Path(p).name.startswith("."))


def _quick_start_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text.split("## Quick start", 1)[1].split("```sh\n", 1)[1].split("```", 1)[0]
    return block.strip().splitlines()


def test_the_quick_start_invite_leaves_the_shipped_ledger_as_it_is(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The ledger the repository ships is the one the Quick start's `lc invite` writes, on the
    example clinics the repository tracks."""
    (tmp_path / "clinics").mkdir()
    for name in _tracked("clinics"):
        shutil.copy(ROOT / "clinics" / name, tmp_path / "clinics" / name)
    shutil.copy(LEDGER, tmp_path / "clinics" / LEDGER.name)
    shutil.copy(ROOT / "lc.toml", tmp_path / "lc.toml")
    shutil.copytree(ROOT / "examples" / "exports", tmp_path / "examples" / "exports")
    monkeypatch.chdir(tmp_path)
    first = _quick_start_commands()[0]
    lc_commands = [part.strip() for part in first.split("&&") if part.strip().startswith("lc ")]
    assert any(c.startswith("lc invite ") for c in lc_commands)
    for command in lc_commands:
        result = invoke(runner, *command.split()[1:])
        assert result.exit_code == 0, (command, result.output)
    assert (tmp_path / "clinics" / LEDGER.name).read_bytes() == LEDGER.read_bytes()
    # Everything else it wrote goes to folders .gitignore lists.
    ignored = (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()
    written = {p.name for p in tmp_path.iterdir()} - {"clinics", "lc.toml", "examples"}
    assert written and all(f"/{name}/" in ignored for name in written), written


def test_the_tests_copy_every_tracked_clinic_and_nothing_else(tmp_path: Path) -> None:
    """The tests' clinics are the files tracked in tests/data/project/clinics, copied as they are."""
    assert sorted(SEED_FILES) == _tracked("tests/data/project/clinics")
    copied = copy_seed_clinics(tmp_path / "clinics")
    assert sorted(p.name for p in copied.iterdir()) == sorted(SEED_FILES)
    for name in SEED_FILES:
        assert (copied / name).read_bytes() == (SEED / "clinics" / name).read_bytes()


def test_the_project_fixture_ignores_what_the_working_tree_added(project: Path) -> None:
    """Whatever the Quick start (or a user) wrote into ./clinics, the tests see the seed only."""
    assert sorted(p.name for p in (project / "clinics").iterdir()) == sorted(SEED_FILES)
