"""`lc new-clinic`'s work once the values are known, as a library call: clinic.creation."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from letsconnect_cli.errors import FileExistsRefusal


def _fields(**changes: Any) -> dict[str, Any]:
    from letsconnect_cli.clinic.creation import complete

    fields = {
        "title": "Lexemes on Wikidata",
        "category": "technical",
        "status": "scheduled",
        "start": datetime(2027, 3, 13, 6, tzinfo=UTC),
        **changes,
    }
    return complete(fields, default_region="ESEAP")


def test_create_clinic_writes_a_file_that_reads_back(tmp_path: Path) -> None:
    from letsconnect_cli.clinic.clinics import read_clinic_file
    from letsconnect_cli.clinic.creation import create_clinic

    created = create_clinic(tmp_path, "2027-03-13-lexemes", _fields())
    assert created.written and created.path == tmp_path / "2027-03-13-lexemes.toml"
    back = read_clinic_file(created.path).clinic
    assert back == created.clinic
    assert back.regions == ["ESEAP"] and back.language == "en"
    assert back.calendar.uid and back.calendar.uid.endswith("@letsconnect")
    assert created.text() == created.path.read_text(encoding="utf-8")


def test_create_clinic_never_overwrites_without_force_and_keeps_the_uid(tmp_path: Path) -> None:
    from letsconnect_cli.clinic.creation import create_clinic

    first = create_clinic(tmp_path, "2027-03-13-lexemes", _fields())
    with pytest.raises(FileExistsRefusal):
        create_clinic(tmp_path, "2027-03-13-lexemes", _fields(title="Other"))
    with pytest.raises(FileExistsRefusal):
        create_clinic(tmp_path, "2027-03-13-lexemes", _fields(), dry_run=True)
    again = create_clinic(tmp_path, "2027-03-13-lexemes", _fields(title="Other"), force=True)
    assert again.clinic.calendar.uid == first.clinic.calendar.uid


def test_create_clinic_dry_run_writes_nothing_and_names_problems_by_flag(tmp_path: Path) -> None:
    from letsconnect_cli.clinic.creation import create_clinic
    from letsconnect_cli.errors import ValidationFailed

    dry = create_clinic(tmp_path, "2027-03-13-lexemes", _fields(), dry_run=True)
    assert not dry.written and not dry.path.exists() and "Lexemes on Wikidata" in dry.text()
    with pytest.raises(ValidationFailed) as caught:
        create_clinic(
            tmp_path, "2027-03-13-x", _fields(title="Bell\x07"), names={"title": "--title"}
        )
    assert [p.field for p in caught.value.problems] == ["--title"]
