"""What a reader is handed: the source's name, the user's column map, and where to note things."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from letsconnect_cli.ingest.attribution import ClinicMatcher
from letsconnect_cli.ingest.cleaning import Cleaner
from letsconnect_cli.ingest.records import IngestLog

_YES = frozenset({"yes", "y", "true", "1", "x", "attended", "present", "si", "sí", "oui", "ja"})
_NO = frozenset({"no", "n", "false", "0", "absent", "non", "nein", ""})


@dataclass
class ReadContext:
    """One source being read. A reader may set `clinic` (a Zoom report's topic, say)."""

    name: str
    columns: Mapping[str, str]
    matcher: ClinicMatcher
    log: IngestLog
    cleaner: Cleaner
    clinic: str | None = None  # the clinic of rows that name none, as far as the source tells
    format: str = "csv"
    rows: int = 0  # data rows read, skipped ones included
    notes: list[str] = field(default_factory=list)


def ragged(fields: int, width: int) -> str:
    """The skip reason of a row whose cells do not line up with its header."""
    return f"row has {fields} fields, the header {width}"


def yes_no(value: str) -> bool | None:
    """'Yes'/'No' and friends as a bool; None for anything else."""
    text = value.strip().casefold()
    if text in _YES:
        return True
    if text in _NO:
        return False
    return None
