"""Broken exports: truncated, missing header, ragged rows, binary, empty, header only; encodings."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from letsconnect_cli.clinic.models import Clinic
from letsconnect_cli.ingest import IngestLog, ReadOptions, Record, read_records
from tests.report.conftest import SAMPLES, run

CSV_SAMPLES = [
    "google-forms-registration.csv",
    "google-forms-feedback.csv",
    "zoom-attendee-report-2020-layout.csv",
    "zoom-attendee-report-2025-layout.csv",
]
TRAVEL = "2023-04-02-travel-scholarships"


def _records(
    path: Path, clinics: list[Clinic], **options: object
) -> tuple[list[Record], IngestLog]:
    log = IngestLog()
    records = list(read_records([str(path)], clinics, ReadOptions(**options), log))  # type: ignore[arg-type]
    return records, log


@pytest.mark.parametrize("name", CSV_SAMPLES)
def test_truncated_csv_skips_the_cut_row_and_says_where(
    tmp_path: Path, clinics: list[Clinic], name: str
) -> None:
    data = (SAMPLES / name).read_bytes().rstrip(b"\r\n")
    whole, _ = _records(SAMPLES / name, clinics)
    cut = tmp_path / name
    last_line = data.rfind(b"\n") + 1
    cut.write_bytes(data[: last_line + (len(data) - last_line) // 3])  # a third into the last row
    records, log = _records(cut, clinics)
    assert len(records) == len(whole) - 1
    assert log.skipped and "fields" in log.skipped[-1].reason
    assert log.skipped[-1].line == data.count(b"\n") + 1


_FIRST_PERSON = {
    "google-forms-registration.csv": "jose.iyer201@",
    "google-forms-feedback.csv": "ana.kealoha301@",
    "zoom-attendee-report-2020-layout.csv": "lani.mwangi1@",
    "zoom-attendee-report-2025-layout.csv": "wei.sato101@",
}


@pytest.mark.parametrize("name", CSV_SAMPLES)
def test_ragged_rows_are_skipped_and_listed(
    tmp_path: Path, clinics: list[Clinic], name: str
) -> None:
    lines = (SAMPLES / name).read_text(encoding="utf-8-sig").splitlines()
    target = next(i for i, line in enumerate(lines) if _FIRST_PERSON[name] in line)
    lines[target] = lines[target] + ',"extra","cells"'
    broken = tmp_path / name
    broken.write_text("\n".join(lines) + "\n", encoding="utf-8")
    whole, _ = _records(SAMPLES / name, clinics)
    records, log = _records(broken, clinics)
    assert len(records) == len(whole) - 1
    assert log.skipped[0].line == target + 1
    assert "fields" in log.skipped[0].reason


def test_short_rows_are_skipped(tmp_path: Path, clinics: list[Clinic]) -> None:
    path = tmp_path / "forms.csv"
    path.write_text(
        '"Email address","Country","Clinic"\n"a@b.org","Ghana"\n'
        '"c@d.org","Ghana","Travel scholarships"\n'
    )
    records, log = _records(path, clinics)
    assert [r.email for r in records] == ["c@d.org"]
    assert (log.skipped[0].line, log.skipped[0].reason) == (2, "row has 2 fields, the header 3")


@pytest.mark.parametrize("name", [*CSV_SAMPLES, "campaignevents-participants.json"])
def test_header_only_gives_no_rows_and_a_warning(
    tmp_path: Path, clinics: list[Clinic], name: str
) -> None:
    path = tmp_path / name
    if name.endswith(".json"):
        path.write_text("[]\n")
    else:
        lines = (SAMPLES / name).read_text(encoding="utf-8-sig").splitlines()
        rows = [line for line in lines if "@" not in line and not line.startswith('"Phone')]
        path.write_text("\n".join(rows) + "\n")
    records, log = _records(path, clinics)
    assert records == [] and log.rows_read == 0
    assert any("no data rows" in w for w in log.warnings)


@pytest.mark.parametrize("name", [*CSV_SAMPLES, "campaignevents-participants.json", "other.csv"])
def test_empty_file_is_an_input_error(exports: Path, runner: CliRunner, name: str) -> None:
    (exports / name).write_bytes(b"" if name != "other.csv" else b"\n\n  \n")
    result = run(runner, name)
    assert result.exit_code == 4
    assert f"{name} is empty" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file"),
        (b"PK\x03\x04\x14\x00\x06\x00", "Excel workbook"),
        (b"%PDF-1.7\n", "PDF"),
    ],
)
def test_binary_files_are_input_errors(
    exports: Path, runner: CliRunner, content: bytes, expected: str
) -> None:
    (exports / "export.csv").write_bytes(content + bytes(range(256)))
    result = run(runner, "export.csv")
    assert result.exit_code == 4
    assert "export.csv" in result.stderr and expected in result.stderr


def test_only_separators_is_an_input_error(exports: Path, runner: CliRunner) -> None:
    (exports / "commas.csv").write_text(",,,\n,,,\n")
    result = run(runner, "commas.csv")
    assert result.exit_code == 4 and "commas.csv has no header row" in result.stderr


def test_missing_header_is_named(exports: Path, runner: CliRunner) -> None:
    lines = (SAMPLES / "google-forms-registration.csv").read_text().splitlines()[1:]
    (exports / "no-header.csv").write_text("\n".join(lines) + "\n")
    result = run(runner, "no-header.csv")
    assert result.exit_code == 4
    assert "no-header.csv, line 1: the first row holds data, not column titles" in result.stderr
    assert "@example.org" not in result.stderr


def test_unrecognised_csv_names_the_file_and_what_was_expected(
    exports: Path, runner: CliRunner
) -> None:
    (exports / "budget.csv").write_text("Item,Amount,Currency\nCoffee,12,EUR\n")
    result = run(runner, "budget.csv")
    assert result.exit_code == 4
    assert "budget.csv, line 1: unrecognised export: none of its 3 column(s)" in result.stderr
    # Without a header row these would be a person's data: never quoted (issue 15).
    assert not any(cell in result.stderr for cell in ("Item", "Amount", "Currency", "Coffee"))
    assert "--map" in result.stderr


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('[{"participant_id": 41, "user_name": "Amina', "not valid JSON at line 1"),
        ('{"error": "forbidden"}', "not a list of CampaignEvents participants"),
        ('[{"a": 1}]', "no participant_id or user_name"),
    ],
)
def test_broken_json(exports: Path, runner: CliRunner, text: str, expected: str) -> None:
    (exports / "participants.json").write_text(text)
    result = run(runner, "participants.json")
    assert result.exit_code == 4
    assert expected in result.stderr and "participants.json" in result.stderr


def test_truncated_json_sample(exports: Path, runner: CliRunner) -> None:
    data = (SAMPLES / "campaignevents-participants.json").read_bytes()
    (exports / "cut.json").write_bytes(data[: len(data) // 2])
    result = run(runner, "cut.json")
    assert result.exit_code == 4
    assert "cut.json: not valid JSON" in result.stderr and "truncated" in result.stderr


def test_json_object_with_participants_list_is_read(tmp_path: Path, clinics: list[Clinic]) -> None:
    items = json.loads((SAMPLES / "campaignevents-participants.json").read_text())
    path = tmp_path / f"{TRAVEL}.json"
    path.write_text(json.dumps({"participants": items}))
    records, _ = _records(path, clinics)
    assert len(records) == 6


def test_missing_path(exports: Path, runner: CliRunner) -> None:
    result = run(runner, "nowhere.csv")
    assert result.exit_code == 4
    assert "nowhere.csv: no such file or folder" in result.stderr


def test_empty_folder(exports: Path, runner: CliRunner) -> None:
    (exports / "empty").mkdir()
    result = run(runner, "empty")
    assert result.exit_code == 4 and "holds no .csv or .json files" in result.stderr


# --- encodings and separators ------------------------------------------------------------------


def _registration_text() -> str:
    return (SAMPLES / "google-forms-registration.csv").read_text(encoding="utf-8")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16"])
def test_utf8_with_and_without_bom_and_utf16(
    tmp_path: Path, clinics: list[Clinic], encoding: str
) -> None:
    text = _registration_text().replace("Jose Iyer", "José Iyer")
    path = tmp_path / "forms.csv"
    path.write_bytes(text.encode(encoding))
    records, log = _records(path, clinics)
    assert len(records) == 10 and not log.warnings
    assert records[0].name == "José Iyer"
    assert records[0].email == "jose.iyer201@example.org"  # no BOM left in the first header


def test_cp1252_is_read_with_a_warning(tmp_path: Path, clinics: list[Clinic]) -> None:
    text = _registration_text().replace("Jose Iyer", "José Iyer").replace("Romania", "România")
    path = tmp_path / "excel.csv"
    path.write_bytes(text.encode("cp1252"))
    records, log = _records(path, clinics)
    assert len(records) == 10
    assert records[0].name == "José Iyer" and records[5].country == "RO"
    assert any("not UTF-8" in w and "cp1252" in w for w in log.warnings)


def test_forced_encoding_that_does_not_fit(exports: Path, runner: CliRunner) -> None:
    (exports / "forms.csv").write_bytes(
        _registration_text().replace("Jose", "José").encode("utf-8")
    )
    result = run(runner, "forms.csv", "--encoding", "ascii")
    assert result.exit_code == 4 and "cannot be read as ascii" in result.stderr


def test_unknown_encoding_is_a_usage_error(exports: Path, runner: CliRunner) -> None:
    result = run(runner, "exports", "--encoding", "klingon-8")
    assert result.exit_code == 2 and "unknown encoding 'klingon-8'" in result.stderr


@pytest.mark.parametrize("separator", [";", "\t"])
def test_semicolon_and_tab_separated(tmp_path: Path, clinics: list[Clinic], separator: str) -> None:
    import csv
    import io

    rows = list(csv.reader(io.StringIO(_registration_text())))
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=separator).writerows(rows)
    path = tmp_path / "excel.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    records, _ = _records(path, clinics)
    assert [r.country for r in records][:3] == ["PH", "FJ", "JP"]
    assert records[0].languages == ("id", "tl")


def test_excel_unicode_text_is_utf16_tab_separated(tmp_path: Path, clinics: list[Clinic]) -> None:
    text = "Email\tCountry\tClinic\r\nx@y.org\tNamibia\tTravel scholarships\r\n"
    path = tmp_path / "unicode.txt.csv"
    path.write_bytes(text.encode("utf-16"))
    records, _ = _records(path, clinics)
    assert (records[0].email, records[0].country, records[0].clinic) == ("x@y.org", "NA", TRAVEL)
