"""The ledger of issued invites: what keeps invites updatable, whatever happens to the files.

`lc invite` records in `<clinics>/.lc-issued.toml`, committed with the clinics, one entry per
calendar UID: the clinic it belongs to, the SEQUENCE and METHOD of the last invite written, the
start, and a fingerprint of the calendar-relevant facts that invite showed. The next run compares
each clinic's facts with the fingerprint: the same facts keep the SEQUENCE (byte-identical files),
changed facts raise it by one, so calendars update the event instead of adding a second one.

Because the ledger is keyed by UID and lives in git beside the clinics, it survives hand edits of
a clinic file (a changed time is seen as a change), renames (the UID is kept), and fresh clones.
A clinic file that lost its `[calendar] uid` line gets back the UID its invites were issued with.
The file is written atomically, only when something in it changed, in a stable order, so that
concurrent branches merge cleanly. A run holds the clinics folder (`hold`) from reading the ledger
to writing it back, so that two runs at once cannot lose each other's entries: the second waits
for the first, up to LOCK_WAIT seconds, then stops with exit 2.
"""

from __future__ import annotations

import tomllib
from contextlib import AbstractContextManager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from letsconnect_cli import tomltext
from letsconnect_cli.errors import InputUnreadable

LEDGER_NAME = ".lc-issued.toml"
FORMAT = 1
#: How long a run waits for another that is writing the same ledger, in seconds.
LOCK_WAIT = 10.0
_HEADER = """\
# lc's record of the calendar invites it has written (`lc invite`). Commit it with the clinics:
# it is how lc knows, after any edit, rename or fresh clone, which SEQUENCE an invite must carry so
# that calendars update the event instead of adding a second one. Per calendar UID: the clinic,
# the last SEQUENCE and METHOD, the start, and a fingerprint of what that invite showed.
# Written by lc; by hand, only ever raise a sequence. In a merge conflict keep the higher sequence.
"""


@dataclass(frozen=True)
class Issued:
    """The last invite lc wrote for one calendar UID."""

    uid: str
    clinic: str
    sequence: int
    method: str
    start: datetime
    fingerprint: str
    issued: datetime


@dataclass(frozen=True)
class Revision:
    """The outcome of recording one invite: its entry and what changed against the ledger."""

    entry: Issued
    change: str  # "new", "changed" or "unchanged"


def hold(folder: Path) -> AbstractContextManager[None]:
    """Hold the ledger of a clinics folder for one read-modify-write (the folder is locked)."""
    from contextlib import nullcontext

    from letsconnect_cli.locking import exclusive

    if not folder.is_dir():  # reading the clinics says what is wrong with it
        return nullcontext()
    return exclusive(
        folder,
        busy=f"another lc run is recording invites in {folder / LEDGER_NAME}; waited "
        f"{LOCK_WAIT:g} s for it",
        hint="Run lc invite again once the other run has finished.",
        wait=LOCK_WAIT,
    )


class Ledger:
    """The issued-invites ledger of one clinics folder."""

    def __init__(self, path: Path, entries: dict[str, Issued] | None = None) -> None:
        self.path = path
        self.entries: dict[str, Issued] = dict(entries or {})
        self.dirty = False

    @classmethod
    def load(cls, path: Path) -> Ledger:
        """Read the ledger; a missing file is an empty ledger, a damaged one an InputUnreadable.

        The temporary files of writes killed halfway (kill -9) are removed from its folder."""
        from letsconnect_cli.files import remove_stale_temporaries

        remove_stale_temporaries(path.parent)
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return cls(path)
        except (OSError, UnicodeDecodeError) as error:
            raise InputUnreadable(f"cannot read {path}: {error}") from error
        if any(line.startswith(("<<<<<<<", ">>>>>>>")) for line in text.splitlines()):
            raise InputUnreadable(
                f"{path} has unresolved merge conflict markers",
                hint="Resolve them: for each UID keep the entry with the higher sequence, then run "
                "lc invite again.",
            )
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as error:
            raise InputUnreadable(
                f"{path} is not valid TOML: {error}",
                hint="Restore it from git (git checkout -- FILE); it records the invites sent.",
            ) from None
        if data.get("format") != FORMAT:
            raise InputUnreadable(
                f"{path}: format = {data.get('format')!r} is not {FORMAT}",
                hint="It was written by another version of lc; upgrade lc.",
            )
        invites = data.get("invites", {})
        if not isinstance(invites, dict):
            raise InputUnreadable(f"{path}: `invites` must be a table of UIDs")
        entries = {uid: _entry(path, uid, raw) for uid, raw in invites.items()}
        return cls(path, entries)

    def uid_of_clinic(self, clinic_id: str) -> str | None:
        """The UID the ledger knows for a clinic id (the one most recently issued), if any."""
        matches = [e for e in self.entries.values() if e.clinic == clinic_id]
        return max(matches, key=lambda e: e.issued).uid if matches else None

    def record(
        self, uid: str, clinic_id: str, fingerprint: str, method: str, start: datetime, at: datetime
    ) -> Revision:
        """Note an invite about to be written; returns the SEQUENCE it carries.

        Unchanged facts keep the SEQUENCE; any change (even back to earlier facts) raises it.
        """
        previous = self.entries.get(uid)
        if previous is None:
            entry = Issued(uid, clinic_id, 0, method, start, fingerprint, at)
            change = "new"
        elif previous.fingerprint == fingerprint and previous.method == method:
            entry = replace(previous, clinic=clinic_id)
            change = "unchanged"
        else:
            entry = Issued(uid, clinic_id, previous.sequence + 1, method, start, fingerprint, at)
            change = "changed"
        if entry != previous:
            self.entries[uid] = entry
            self.dirty = True
        return Revision(entry, change)

    def text(self) -> str:
        lines = [_HEADER, f"format = {FORMAT}"]
        for entry in sorted(self.entries.values(), key=lambda e: (e.clinic, e.uid)):
            lines += [
                "",
                f"[invites.{tomltext.string(entry.uid)}]",
                f"clinic = {tomltext.string(entry.clinic)}",
                f"sequence = {entry.sequence}",
                f"method = {tomltext.string(entry.method)}",
                f"start = {tomltext.value(entry.start)}",
                f"fingerprint = {tomltext.string(entry.fingerprint)}",
                f"issued = {tomltext.value(entry.issued)}",
            ]
        return "\n".join(lines) + "\n"

    def save(self) -> bool:
        """Write the ledger atomically if anything changed; True when it was written."""
        from letsconnect_cli.files import write_text_atomic

        if not self.dirty:
            return False
        write_text_atomic(self.path, self.text(), force=True)
        self.dirty = False
        return True


def _entry(path: Path, uid: str, raw: Any) -> Issued:
    def bad(key: str, what: str) -> InputUnreadable:
        return InputUnreadable(
            f"{path}: invites.{uid!r}.{key} must be {what}",
            hint="Restore the file from git; by hand, only ever raise a sequence.",
        )

    if not isinstance(raw, dict):
        raise bad("", "a table")
    values: dict[str, Any] = {}
    for key, kind, what in (
        ("clinic", str, "text"),
        ("sequence", int, "a whole number >= 0"),
        ("method", str, '"PUBLISH" or "CANCEL"'),
        ("start", datetime, "a date-time"),
        ("fingerprint", str, "text"),
        ("issued", datetime, "a date-time"),
    ):
        value = raw.get(key)
        if not isinstance(value, kind) or isinstance(value, bool):
            raise bad(key, what)
        if isinstance(value, datetime):
            if value.tzinfo is None:
                raise bad(key, "a date-time with Z")
            value = value.astimezone(UTC)
        values[key] = value
    if values["sequence"] < 0:
        raise bad("sequence", "a whole number >= 0")
    if values["method"] not in ("PUBLISH", "CANCEL"):
        raise bad("method", '"PUBLISH" or "CANCEL"')
    return Issued(uid=uid, **values)
