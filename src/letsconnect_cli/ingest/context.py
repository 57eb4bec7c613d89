"""What a reader is handed: the source's name, the user's column map, and where to note things."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache

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
    only: str | None = None  # --clinic: rows of other clinics are left out
    notes: list[str] = field(default_factory=list)
    # A Zoom report names a meeting (topic, start) that is no clinic file: its rows are that
    # meeting's, never given to --clinic or to the clinic being invited.
    other_meeting: bool = False
    resolved: dict[str, str] = field(default_factory=dict)  # clinic text -> id, "" for none

    def clinic_of(self, text: str | None, line: int, column: int | None = None) -> str | None:
        """The clinic of a row naming `text` (in `column`, counted from 1) or none; None when
        the row is left out, counted."""
        if text:
            clinic = self.resolved.get(text)
            if clinic is None:
                clinic = self.resolved[text] = self.matcher.match(text) or ""
            if not clinic:
                self.log.unknown_clinic(text, self.name, line, column)
                self._unattributed(line, "the clinic it names matches no clinic file")
                return None
        elif self.other_meeting:
            reason = (
                "the webinar's topic and start match no clinic file; if it was this clinic's, "
                "name it: CLINIC=FILE"
            )
            self._unattributed(line, reason)
            return None
        else:
            clinic = self.clinic or self.only
            if clinic is None:
                reason = "no clinic: no clinic column, Zoom topic or file name; give --clinic"
                self._unattributed(line, reason)
                return None
        if self.only is not None and clinic != self.only:
            self.log.other_clinics += 1
            return None
        return clinic

    def _unattributed(self, line: int, reason: str) -> None:
        self.log.unattributed += 1
        self.log.skip(self.name, line, reason)


def ragged(fields: int, width: int, lines: int = 1, start: int = 0) -> str:
    """The skip reason of a row whose cells do not line up with its header. A row read from
    several lines is what an unbalanced quote makes of the lines up to the next quote."""
    reason = f"row has {fields} fields, the header {width}"
    if lines > 1:
        reason += "; " + unbalanced_quote(start, start + lines - 1)
    return reason


def unbalanced_quote(start: int, end: int) -> str:
    """The skip reason of lines an unbalanced quote joined into one row."""
    return (
        f'an unbalanced quote (") joined lines {start}-{end} ({end - start + 1} lines) into one '
        "row, all skipped; fix the quote in the file and run again"
    )


def joined_rows(cells: list[str], width: int) -> bool:
    """Whether a row read from several lines holds whole rows in a cell (what an unbalanced
    quote does), rather than a text of several lines (a comment, an address)."""
    if width < 2:
        return False
    for cell in cells:
        if "\n" not in cell and "\r" not in cell:
            continue
        for line in cell.splitlines()[1:]:
            if max(line.count(d) for d in ",;\t") >= width - 1:
                return True
    return False


@cache
def yes_no(value: str) -> bool | None:
    """'Yes'/'No' and friends as a bool; None for anything else (cached: a column repeats a few
    answers down every row)."""
    text = value.strip().casefold()
    if text in _YES:
        return True
    if text in _NO:
        return False
    return None
