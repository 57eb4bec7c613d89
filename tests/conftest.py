"""Shared fixtures: a predictable terminal, an isolated configuration, and a CLI runner."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from letsconnect_cli.cli import app

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
SEED_CLINICS = ROOT / "clinics"


@pytest.fixture(autouse=True)
def predictable_environment(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """No colour, 80 columns, no user or project configuration leaking in from the machine."""
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setenv("TERM", "dumb")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path_factory.mktemp("xdg-config")))
    for name in ("LC_CLINICS_DIR", "LC_DEFAULT_REGION", "LC_TIMEZONE", "LC_ORGANISER_NAME",
                 "LC_ORGANISER_EMAIL", "LC_CONFIG",
                 # lc announce / lc publish: no wiki account or mailing list of the machine leaks in
                 "LC_WIKI_API_URL", "LC_WIKI_USERNAME", "LC_WIKI_PASSWORD", "LC_WIKI_PASSWORD_FILE",
                 "LC_WIKI_PAGE_TITLE", "LC_WIKI_INDEX_PAGE", "LC_WIKI_MARKED_SECTION",
                 "LC_ANNOUNCE_TO", "LC_ANNOUNCE_TEMPLATES_DIR", "SOURCE_DATE_EPOCH"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A working tree with a copy of the seed clinics and lc.toml, as the current folder."""
    shutil.copytree(SEED_CLINICS, tmp_path / "clinics")
    shutil.copy(ROOT / "lc.toml", tmp_path / "lc.toml")
    monkeypatch.chdir(tmp_path)
    yield tmp_path


@pytest.fixture
def empty_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A working tree with an empty clinics folder and no lc.toml."""
    (tmp_path / "clinics").mkdir()
    monkeypatch.chdir(tmp_path)
    yield tmp_path


def invoke(runner: CliRunner, *args: str, input: str | None = None):  # noqa: A002
    return runner.invoke(app, list(args), input=input)
