"""Large exports are read by a second process (`ingest/forked.py`): the same figures, the same log,
the same errors as reading in one process; a reader that dies or a tally that fails leaves no
process behind.

`FORK_MIN_BYTES` is set to 0 here, so that small files take the two-process path too.
"""

from __future__ import annotations

import csv
import json
import os
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from letsconnect_cli.ingest import forked
from tests.report.conftest import run

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="the reading process is forked on Linux only"
)

TITLE = "Guidelines, best practices, and documented learnings related to travel scholarships"
HEADER = [
    "Timestamp",
    "Email address",
    "Wikimedia username",
    "Which country are you based in?",
    "Which Wikimedia region are you from?",
    "Which Learning Clinic are you registering for?",
]


def _registrations(path: Path, rows: int) -> None:
    """`rows` registrations with the odd row a reader must skip or flag."""
    countries = ["Philippines", "Indonesia", "JP", "atlantis", "Nigeria", "Viet Nam"]
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for number in range(rows):
            person = number % 700
            clinic = TITLE if number % 97 else "A clinic no file describes"
            row = [
                "2023/03/21 2:05:43 AM GMT+8",
                f"person{person}@example.org",
                f"User_{person}" if number % 3 else "",
                countries[person % len(countries)],
                "ESEAP" if number % 5 else "Sub-Saharan Africa",
                clinic,
            ]
            if number % 450 == 449:
                row = row[:3]  # ragged
            elif number % 800 == 799:
                row[4] = "Line one\nline two"  # a quoted line break: the lines after shift
            writer.writerow(row)


def _report(runner: CliRunner, *args: str) -> tuple[int, Any, str]:
    result = run(runner, *args, "--format", "json", "--min-count", "0")
    data = json.loads(result.stdout) if result.exit_code == 0 else None
    return result.exit_code, data, result.stderr


def _no_children_left() -> bool:
    try:
        os.waitpid(-1, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


@pytest.fixture
def forking(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(forked, "FORK_MIN_BYTES", 0)
    monkeypatch.setattr(forked, "_BATCH_ROWS", 7)  # many batches, and one left over


def test_two_processes_give_the_figures_and_log_of_one(
    project: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    _registrations(project / "registrations.csv", 5000)
    alone = _report(runner, "registrations.csv")
    monkeypatch.setattr(forked, "FORK_MIN_BYTES", 0)
    monkeypatch.setattr(forked, "_BATCH_ROWS", 7)
    forked_run = _report(runner, "registrations.csv")
    assert alone[0] == 0
    assert forked_run == alone
    quality = alone[1]["data_quality"]
    # The odd rows were seen, by the second process, and reported by the first.
    assert quality["unattributed"] > 0
    assert {s["reason"] for s in quality["skipped"]} >= {"row has 3 fields, the header 6"}
    assert _no_children_left()


def test_a_csv_error_names_the_line_the_reader_stopped_at(
    project: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = project / "registrations.csv"
    _registrations(path, 3000)
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[2500] = lines[2500].replace("ESEAP", "x" * 200_000)  # over the csv module's field limit
    path.write_text("\n".join(lines), encoding="utf-8")
    alone = _report(runner, "registrations.csv")
    monkeypatch.setattr(forked, "FORK_MIN_BYTES", 0)
    both = _report(runner, "registrations.csv")
    assert alone[0] == both[0] == 4
    assert "registrations.csv, line 2501: not readable as CSV" in both[2]
    assert both[2] == alone[2]
    assert _no_children_left()


def test_bytes_not_of_the_encoding_are_reported_alike(
    project: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = project / "registrations.csv"
    _registrations(path, 3000)
    data = path.read_bytes()
    cut = data.index(b"person600@", len(data) * 3 // 4)
    path.write_bytes(data[:cut] + b"\xff\xfe" + data[cut:])
    alone = _report(runner, "registrations.csv", "--encoding", "utf-8")
    monkeypatch.setattr(forked, "FORK_MIN_BYTES", 0)
    both = _report(runner, "registrations.csv", "--encoding", "utf-8")
    assert alone[0] == both[0] == 4
    assert "cannot be read as utf-8" in both[2]
    assert both[2] == alone[2]


@pytest.mark.usefixtures("forking")
def test_a_reader_that_dies_is_an_error_not_a_short_report(
    project: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    _registrations(project / "registrations.csv", 2000)

    def dies(table: Any, write_end: int) -> int:
        os._exit(9)  # as if killed: nothing sent

    monkeypatch.setattr(forked, "_child", dies)
    code, _, stderr = _report(runner, "registrations.csv")
    assert code == 4
    assert "stopped without a word" in stderr
    assert "Traceback" not in stderr
    assert _no_children_left()


@pytest.mark.usefixtures("forking")
def test_a_tally_that_fails_leaves_no_reader_behind(
    project: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    _registrations(project / "registrations.csv", 20000)
    from letsconnect_cli.report import stats

    def fails(*args: Any) -> Any:
        raise RuntimeError("the tally broke")

    monkeypatch.setattr(stats, "clean_username", fails)
    result = run(runner, "registrations.csv", "--format", "json")
    assert result.exit_code == 1
    assert _no_children_left()
