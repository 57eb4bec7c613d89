"""`lc validate`: the seed clinics pass; every broken file gives exit 3 with file, line and field."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import DATA, SEED, SEED_CLINICS, invoke

BROKEN = DATA / "broken"


@pytest.fixture(autouse=True)
def in_a_folder_of_its_own(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`lc validate PATH` reads ./lc.toml: run it in a folder with the tests' copy (tests/data/project),
    never in the repository's folder (tests that take `project` move into theirs)."""
    folder = tmp_path_factory.mktemp("validate-cwd")
    shutil.copy(SEED / "lc.toml", folder / "lc.toml")
    monkeypatch.chdir(folder)


# file -> (field, line, a phrase the message must contain)
EXPECTED: dict[str, tuple[str | None, int | None, str]] = {
    "2023-05-01-syntax-error": (None, 4, "TOML syntax error at line 4, column 12"),
    "2023-05-02-naive-start": ("start", 3, "add Z for UTC (2023-05-02T06:00:00Z)"),
    "2023-05-03-unknown-key": ("regoins", 4, "did you mean 'regions'?"),
    "2023-05-04-unknown-category": ("category", 2, "did you mean 'technical'?"),
    "2023-05-05-unknown-region": ("regions[1]", 4, "unknown region 'ASIA'"),
    "2023-05-06-end-before-start": ("end", 4, "is not after start"),
    "2023-05-07-bad-url": ("registration_url", 4, "is not an http(s) link"),
    "2023-05-08-wrong-types": ("title", 1, "expected text in quotes"),
    "2023-05-09-empty": (None, None, "the file is empty"),
    "2023-05-10-binary": (None, None, "binary file"),
    "2023-05-11-not-utf8": (None, 1, "not UTF-8 text (byte 0xe9 at line 1)"),
    "2023-05-12-confirmed-without-registration": (
        "registration_url",
        None,
        "a confirmed clinic needs",
    ),
    "2023-05-13-bad-language": ("language", 4, "did you mean 'en' for English?"),
    "2023-05-14-too-long": ("duration", 4, "between 15 minutes and 12 hours"),
    "2023-05-15-missing-start": ("start", None, "required unless status is 'proposed'"),
    "2023-05-16-unknown-sharer-key": ("sharers[1].afiliation", 10, "did you mean 'affiliation'?"),
    "2023-05-17-date-only": ("start", 3, "has no time of day"),
}


def test_every_broken_file_has_an_expectation() -> None:
    assert sorted(p.stem for p in BROKEN.glob("*.toml")) == sorted(EXPECTED)


def test_seed_clinics_are_valid(runner: CliRunner, project: Path) -> None:
    result = invoke(runner, "validate")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    # The past clinics are done, as a real folder holds them: no warning. (The Copyright Clinic,
    # 15:00 UTC, was at night in most of ESEAP, but it is over: its hours no longer matter.)
    assert lines == [
        "ok   clinics/2023-01-14-building-a-wikimedia-affiliate-group.toml",
        "ok   clinics/2023-02-21-copyright-clinic-awareness-education.toml",
        "ok   clinics/2023-04-02-travel-scholarships.toml",
        "ok   clinics/proposed-partnership-building-wikimedia-indonesia.toml",
        "ok   clinics/proposed-wiktionary-and-lexemes-on-wikidata.toml",
        "5 file(s) checked: 5 valid, 0 with problems (0 error(s), 0 warning(s))",
    ]


@pytest.mark.parametrize("stem", sorted(EXPECTED))
def test_broken_file_gives_exit_3_with_file_field_and_line(runner: CliRunner, stem: str) -> None:
    path = BROKEN / f"{stem}.toml"
    field, line, phrase = EXPECTED[stem]
    result = invoke(runner, "validate", str(path))
    assert result.exit_code == 3, result.output
    assert "Traceback" not in result.output
    where = f"{path}:{line}:" if line else f"{path}:"
    matching = [row for row in result.stdout.splitlines() if row.strip().startswith(where)]
    assert matching, result.stdout
    assert any(phrase in row for row in matching), result.stdout
    if field:
        assert any(f" {field}: error:" in row for row in matching), result.stdout

    as_json = json.loads(invoke(runner, "validate", "--json", str(path)).stdout)
    assert as_json[0]["ok"] is False
    assert as_json[0]["file"] == str(path)
    assert as_json[0]["id"] == stem
    first = as_json[0]["errors"][0]
    assert (first["field"], first["line"]) == (field, line)
    assert phrase in first["message"]


def test_exact_output_for_one_broken_file(runner: CliRunner) -> None:
    path = BROKEN / "2023-05-03-unknown-key.toml"
    result = invoke(runner, "validate", str(path))
    assert result.stdout == (
        f"FAIL {path}\n"
        f"     {path}:4: regoins: error: unknown key 'regoins'; did you mean 'regions'? "
        "known keys here: title, category, status, start, duration, end, language, "
        "interpretation, regions, sharers, platform, meeting_url, registration_url, "
        "description, contact, capacity, links, calendar, translations\n"
        "1 file(s) checked: 0 valid, 1 with problems (1 error(s), 0 warning(s))\n"
    )


def test_all_errors_of_a_file_are_reported_at_once(runner: CliRunner) -> None:
    path = BROKEN / "2023-05-08-wrong-types.toml"
    data = json.loads(invoke(runner, "validate", "--json", str(path)).stdout)
    fields = [(e["field"], e["line"]) for e in data[0]["errors"]]
    assert fields == [("title", 1), ("interpretation", 4), ("capacity", 5)]


def test_a_very_large_file_is_refused_without_reading_it_all(
    runner: CliRunner, tmp_path: Path
) -> None:
    path = tmp_path / "2023-06-01-huge.toml"
    with path.open("w", encoding="utf-8") as handle:
        handle.write('title = "huge"\nstatus = "scheduled"\nstart = 2023-06-01T06:00:00Z\n')
        handle.write('description = """' + "x" * (3 * 1024 * 1024) + '"""\n')
    result = invoke(runner, "validate", str(path))
    assert result.exit_code == 3
    assert "over 1 MiB" in result.stdout
    assert "Traceback" not in result.output


def test_a_folder_mixing_valid_and_broken_files(runner: CliRunner, tmp_path: Path) -> None:
    folder = tmp_path / "clinics"
    shutil.copytree(SEED_CLINICS, folder)
    shutil.copy(BROKEN / "2023-05-06-end-before-start.toml", folder)
    result = invoke(runner, "validate", "--json", str(folder))
    assert result.exit_code == 3
    data = json.loads(result.stdout)
    assert [item["ok"] for item in data] == [True, True, True, False, True, True]
    summary = invoke(runner, "validate", str(folder)).stdout.splitlines()[-1]
    assert summary == "6 file(s) checked: 5 valid, 1 with problems (1 error(s), 0 warning(s))"


def test_duplicate_uids_are_an_error(runner: CliRunner, project: Path) -> None:
    original = project / "clinics" / "2023-04-02-travel-scholarships.toml"
    copy = project / "clinics" / "2023-04-09-travel-scholarships-again.toml"
    copy.write_text(
        original.read_text().replace("2023-04-02T06", "2023-04-09T06"), encoding="utf-8"
    )
    result = invoke(runner, "validate", "--json")
    assert result.exit_code == 3
    broken = [item for item in json.loads(result.stdout) if not item["ok"]]
    assert [item["id"] for item in broken] == ["2023-04-09-travel-scholarships-again"]
    assert broken[0]["errors"][0]["field"] == "calendar.uid"


def test_file_name_that_disagrees_with_the_date_is_a_warning(
    runner: CliRunner, project: Path
) -> None:
    path = project / "clinics" / "2023-04-02-travel-scholarships.toml"
    path.write_text(path.read_text().replace("2023-04-02T06:00:00Z", "2023-04-03T06:00:00Z"))
    result = invoke(runner, "validate", "--json")
    assert result.exit_code == 0
    item = next(i for i in json.loads(result.stdout) if i["id"] == "2023-04-02-travel-scholarships")
    assert item["ok"] is True
    assert item["warnings"][0]["field"] == "file name"
    assert "2023-04-03" in item["warnings"][0]["message"]


def test_missing_path_is_unreadable_input(runner: CliRunner, empty_project: Path) -> None:
    result = invoke(runner, "validate", "nowhere.toml")
    assert result.exit_code == 4
    assert "nowhere.toml does not exist" in result.stderr


def test_missing_clinics_folder_is_unreadable_input(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = invoke(runner, "validate")
    assert result.exit_code == 4
    assert "clinics folder clinics does not exist" in result.stderr
    assert "--clinics-dir" in result.stderr


def test_bom_and_crlf_are_accepted(runner: CliRunner, tmp_path: Path) -> None:
    text = 'title = "Saved on Windows"\r\nstatus = "scheduled"\r\nstart = 2023-06-02T06:00:00Z\r\n'
    path = tmp_path / "2023-06-02-windows.toml"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode())
    result = invoke(runner, "validate", str(path))
    assert result.exit_code == 0, result.output
