"""`lc report` as a user runs it: the example exports, output files, options and their errors."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import ROOT
from tests.report.conftest import run, run_json

TRAVEL = "2023-04-02-travel-scholarships"


@pytest.fixture
def with_examples(exports: Path) -> Path:
    shutil.copytree(ROOT / "examples" / "exports", exports / "examples" / "exports")
    return exports


def test_no_source_reports_on_the_example_exports(with_examples: Path, runner: CliRunner) -> None:
    result = run(runner)
    assert result.exit_code == 0, result.stderr
    assert "example exports in examples/exports (synthetic data)" in " ".join(result.stderr.split())
    assert " ".join(result.stdout.split()).startswith(
        "315 registered participants from 24 countries in 3 learning clinics (353 registrations, "
    )
    assert "of which more than half from Nigeria, followed by Tanzania and Ghana" in " ".join(
        result.stdout.split()
    )
    assert "4.4 average score on a scale of 1 to 5" in " ".join(result.stdout.split())


def test_the_seed_figures_in_the_old_scheme(with_examples: Path, runner: CliRunner) -> None:
    report = run_json(runner, "--scheme", "grant-committee")
    assert report["regions"][0]["region"] == "MEA" and report["regions"][0]["share"] == 0.6063
    assert (
        "61% from the Middle East & Africa, of which more than half from Nigeria"
        in report["headline"]
    )


def test_no_source_and_no_examples_configured(empty_project: Path, runner: CliRunner) -> None:
    result = run(runner)
    assert result.exit_code == 2
    assert "no SOURCE given" in result.stderr and "lc report exports/" in result.stderr


def test_output_file_is_written_atomically_and_never_overwritten(
    exports: Path, runner: CliRunner
) -> None:
    result = run(runner, "exports", "-o", "out/report.md", "--format", "markdown")
    assert result.exit_code == 0 and result.stdout == ""
    first = (exports / "out" / "report.md").read_text()
    assert first.startswith("# Let's Connect")
    again = run(runner, "data/hand", "-o", "out/report.md", "--format", "markdown")
    assert again.exit_code == 2 and "already exists" in again.stderr and "--force" in again.stderr
    assert (exports / "out" / "report.md").read_text() == first
    forced = run(runner, "data/hand", "-o", "out/report.md", "--format", "markdown", "--force")
    assert forced.exit_code == 0 and (exports / "out" / "report.md").read_text() != first
    assert [p.name for p in (exports / "out").iterdir()] == ["report.md"]  # no temporary left


def test_table_to_a_file_is_plain_text(exports: Path, runner: CliRunner) -> None:
    assert run(runner, "exports", "-o", "report.txt").exit_code == 0
    text = (exports / "report.txt").read_text()
    assert "Regions" in text and "\x1b[" not in text


def test_json_flag(exports: Path, runner: CliRunner) -> None:
    result = run(runner, "exports", "--json")
    assert json.loads(result.stdout)["clinics"] == 2
    conflict = run(runner, "exports", "--json", "--format", "csv")
    assert conflict.exit_code == 2 and "exclude each other" in conflict.stderr


def test_unknown_clinic(exports: Path, runner: CliRunner) -> None:
    result = run(runner, "exports", "--clinic", "2023-04-02-travel-scholarhsips")
    assert result.exit_code == 2
    assert "--clinic '2023-04-02-travel-scholarhsips' is no clinic" in result.stderr
    assert TRAVEL in result.stderr  # did you mean


def test_clinic_by_title(exports: Path, runner: CliRunner) -> None:
    report = run_json(
        runner, "exports/campaignevents-participants.json", "--clinic", "Travel Scholarships"
    )
    assert report["per_clinic"][0]["clinic"] == TRAVEL


def test_map_option(exports: Path, runner: CliRunner) -> None:
    (exports / f"{TRAVEL}.csv").write_text("Correo,Pais\na@x.org,Ghana\nb@x.org,Namibia\n")
    unmapped = run(runner, f"{TRAVEL}.csv")
    assert unmapped.exit_code == 4 and "unrecognised export" in unmapped.stderr
    report = run_json(
        runner, f"{TRAVEL}.csv", "--map", "correo=email", "-m", "PAIS = country", "--min-count", "0"
    )
    assert {c["country"] for c in report["countries"]} == {"GH", "NA"}
    assert report["regions"] == [
        {
            "region": "SSA",
            "name": "Sub-Saharan Africa",
            "participants": 2,
            "share": 1.0,
            "suppressed": False,
        }
    ]


@pytest.mark.parametrize(
    ("value", "expected"),
    [("correo", "is not HEADER=FIELD"), ("correo=mail", "'mail' is not a field lc knows")],
)
def test_bad_map(exports: Path, runner: CliRunner, value: str, expected: str) -> None:
    result = run(runner, "exports", "--map", value)
    assert result.exit_code == 2 and expected in result.stderr


def _config(project: Path, text: str) -> None:
    (project / "lc.toml").write_text('clinics_dir = "clinics"\n' + text)


def test_columns_and_clinic_names_from_lc_toml(exports: Path, runner: CliRunner) -> None:
    (exports / "regs.csv").write_text("Correo,Pais,Sesion\na@x.org,Ghana,The travel one\n")
    _config(
        exports,
        '[report.clinic_names]\n"The travel one" = "2023-04-02-travel-scholarships"\n'
        '[report.columns]\n"Correo" = "email"\n"Pais" = "country"\n"Sesion" = "clinic"\n',
    )
    report = run_json(runner, "regs.csv", "--min-count", "0")
    assert report["per_clinic"][0]["clinic"] == TRAVEL and report["countries"][0]["country"] == "GH"


def test_bad_field_in_lc_toml(exports: Path, runner: CliRunner) -> None:
    _config(exports, '[report.columns]\n"Pais" = "land"\n')
    result = run(runner, "exports")
    assert result.exit_code == 2 and "[report.columns] in lc.toml" in result.stderr


def test_clinic_name_pointing_nowhere(exports: Path, runner: CliRunner) -> None:
    _config(exports, '[report.clinic_names]\n"Old name" = "2099-01-01-nothing"\n')
    result = run(runner, "exports")
    assert result.exit_code == 2 and "2099-01-01-nothing" in result.stderr


def test_bad_config_values(exports: Path, runner: CliRunner) -> None:
    config = exports / "lc.toml"
    config.write_text(config.read_text().replace("min_count = 5", "min_count = -1"))
    result = run(runner, "exports")
    assert result.exit_code == 2 and "report.min_count" in result.stderr


def test_min_count_from_the_environment(
    exports: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LC_REPORT_MIN_COUNT", "0")
    assert run_json(runner, "data/hand")["min_count"] == 0
    assert run_json(runner, "data/hand", "--min-count", "3")["min_count"] == 3


def test_negative_min_count_is_refused(exports: Path, runner: CliRunner) -> None:
    result = run(runner, "exports", "--min-count", "-1")
    assert result.exit_code == 2


def test_unattributed_rows_are_reported(exports: Path, runner: CliRunner) -> None:
    result = run(runner, "exports/campaignevents-participants.json")
    assert result.exit_code == 0
    assert "6 row(s) could not be given a clinic" in " ".join(result.stderr.split())
    assert "No registrations, attendance or feedback in the sources." in result.stdout
    assert "skipped exports/campaignevents-participants.json:1: no clinic" in " ".join(
        result.stdout.split()
    )


def test_help(runner: CliRunner) -> None:
    result = run(runner, "--help")
    assert result.exit_code == 0
    for option in (
        "--format",
        "--output",
        "--scheme",
        "--min-count",
        "--show-protected",
        "--clinic",
        "--map",
        "--encoding",
        "--json",
        "--force",
    ):
        assert option in result.stdout
