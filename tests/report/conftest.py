"""Fixtures for `lc report`: a project with the seed clinics and copies of the export samples."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from letsconnect_cli.cli import app
from letsconnect_cli.clinic.clinics import load_clinics
from letsconnect_cli.clinic.models import Clinic
from tests.conftest import DATA, SEED_CLINICS

SAMPLES = DATA / "exports"  # the format samples, copied from the program's shared formats folder
REPORT_DATA = DATA / "report"


@pytest.fixture(autouse=True)
def fixed_report_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """The time a report says it was made (its header): fixed, for the golden files."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")


@pytest.fixture
def exports(project: Path) -> Path:
    """The project (current folder), the format samples in ./exports, the fixtures in ./data."""
    shutil.copytree(SAMPLES, project / "exports")
    shutil.copytree(REPORT_DATA, project / "data", ignore=shutil.ignore_patterns("golden"))
    return project


@pytest.fixture
def clinics() -> list[Clinic]:
    return load_clinics(SEED_CLINICS)


def run(runner: CliRunner, *args: str) -> Any:
    return runner.invoke(app, ["report", *args])


def run_json(runner: CliRunner, *args: str) -> dict[str, Any]:
    result = run(runner, *args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    data: dict[str, Any] = json.loads(result.stdout)
    return data
