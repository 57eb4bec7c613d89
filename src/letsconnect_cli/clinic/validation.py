"""`lc validate`'s work, in two parts: each file on its own (reading, every field, the time
check), then what spans files (one calendar UID per clinic).

A file's outcome, the time check's warning included, is a small record of plain values
(`FileCheck`), which a cache of such records (`CheckCache`; `validation_cache` has lc's) keeps.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple, Protocol

from letsconnect_cli.errors import Problem

if TYPE_CHECKING:
    from letsconnect_cli.slots.window import Window

#: A problem as plain values: (field, line, message).
Item = tuple[str | None, int | None, str]


class FileCheck(NamedTuple):
    """One file checked on its own, the time check included."""

    valid: bool  # a clinic was read from it (then `errors` is empty)
    errors: tuple[Item, ...]
    warnings: tuple[Item, ...]
    uid: str | None  # the calendar UID the file sets, for the check across files
    time_warning: Item | None  # the time check's warning (kept only if the file stays valid)
    # For the checks that depend on the time of the run (never cached as results): the status,
    # its line, and the end in UTC (ISO 8601) of a valid clinic.
    status: str | None = None
    status_line: int | None = None
    end: str | None = None

    def to_plain(self) -> tuple[object, ...]:
        """Built-in types only (JSON takes them)."""
        return tuple(self)

    @classmethod
    def from_plain(cls, values: Sequence[object]) -> FileCheck:
        valid, errors, warnings, uid, time_warning, status, status_line, end = values
        if not isinstance(errors, Sequence) or not isinstance(warnings, Sequence):
            raise TypeError("not a file check")
        if status_line is not None and not isinstance(status_line, int):
            raise TypeError("not a line number")
        return cls(
            bool(valid),
            tuple(_item(e) for e in errors),
            tuple(_item(w) for w in warnings),
            None if uid is None else str(uid),
            None if time_warning is None else _item(time_warning),  # type: ignore[arg-type]
            None if status is None else str(status),
            status_line,
            None if end is None else str(end),
        )


def _item(values: Sequence[object]) -> Item:
    field, line, message = values
    if not (field is None or isinstance(field, str)) or not (line is None or isinstance(line, int)):
        raise TypeError("not a problem")
    return (field, line, str(message))


class CheckCache(Protocol):
    """Where the records of files checked before are kept, by a key of each file's name and
    bytes (`validation_cache.ValidationCache`, or a test's own)."""

    def key(self, path: Path, data: bytes) -> str: ...

    def get(self, key: str) -> FileCheck | None: ...

    def put(self, key: str, record: FileCheck) -> None: ...

    def save(self) -> None: ...


def check_bytes(path: Path, data: bytes, window: Window | None) -> FileCheck:
    """Check one clinic file's bytes (read from `path`, which gives the id), with the time
    check against `window` (None: none)."""
    from letsconnect_cli.clinic.clinics import clinic_file_from_bytes

    result = clinic_file_from_bytes(path, data)
    clinic = result.clinic
    time_warning = None
    if clinic is not None and window is not None and clinic.start and clinic.regions:
        from letsconnect_cli.slots.checks import check_clinic, start_line

        found = check_clinic(clinic, window)
        if found is not None:
            line = start_line(result.text) if result.text is not None else None
            time_warning = ("start", line, found.message())
    return FileCheck(
        clinic is not None,
        tuple((p.field, p.line, p.message) for p in result.errors),
        tuple((p.field, p.line, p.message) for p in result.warnings),
        None if clinic is None else clinic.calendar.uid,
        time_warning,
        None if clinic is None else clinic.status.value,
        _key_line(result.text, "status") if result.text is not None else None,
        None if clinic is None or clinic.end is None else clinic.end.isoformat(),
    )


def _key_line(text: str, key: str) -> int | None:
    """The line of the top-level `key = ...` of a clinic file (before any [table])."""
    import re

    pattern = re.compile(rf"\s*{re.escape(key)}\s*=")
    for number, text_line in enumerate(text.splitlines(), start=1):
        if text_line.lstrip().startswith("["):
            return None
        if pattern.match(text_line):
            return number
    return None


def current_time() -> datetime:
    """The time of the run (one place, which tests replace to check past clinics)."""
    return datetime.now(UTC)


def over_warnings(item: FileCheck, now: datetime) -> tuple[bool, list[Item]]:
    """What the time of the run says about a valid clinic: whether it is over (then the local
    hours of its start no longer matter), and a warning when it is over but still scheduled or
    confirmed (it should be marked done, or cancelled)."""
    if item.end is None:
        return False, []
    from datetime import datetime as _datetime

    end = _datetime.fromisoformat(item.end)
    if end > now:
        return False, []
    if item.status not in ("scheduled", "confirmed"):
        return True, []
    message = (
        f"this clinic ended on {end:%Y-%m-%d at %H:%M} UTC but its status is still "
        f'{item.status!r}: mark it done (status = "done"), or cancelled if it did not take place'
    )
    return True, [("status", item.status_line, message)]


class Report(NamedTuple):
    """What `lc validate` says about one file."""

    path: Path
    valid: bool
    errors: list[Problem]
    warnings: list[Problem]
    unreadable: bool = False  # it could not be read at all (a folder, a FIFO, no permission)

    @property
    def id(self) -> str:
        return self.path.stem

    @property
    def ok(self) -> bool:
        return self.valid and not self.errors


def validate_files(
    paths: Sequence[Path],
    window: Window | None,
    *,
    cache: CheckCache | None = None,
    now: datetime | None = None,
) -> list[Report]:
    """Check clinic files: each on its own (`check_files`), with the time check against
    `window` (None: none), then one calendar UID per clinic."""
    unreadable: set[int] = set()
    checks = check_files(paths, window, cache=cache, unreadable=unreadable)
    reports = [
        Report(
            path,
            item.valid,
            [Problem(*e) for e in item.errors],
            [Problem(*w) for w in item.warnings],
            index in unreadable,
        )
        for index, (path, item) in enumerate(zip(paths, checks, strict=True))
    ]
    from letsconnect_cli.clinic.clinics import duplicate_uids

    uids = [(report.id, item.uid, item.valid) for report, item in zip(reports, checks, strict=True)]
    for index, problem in duplicate_uids(uids):
        reports[index].errors.append(problem)
    when = now or current_time()
    for report, item in zip(reports, checks, strict=True):
        if not report.ok:
            continue
        over, warnings = over_warnings(item, when)
        if item.time_warning is not None and not over:
            report.warnings.append(Problem(*item.time_warning))
        report.warnings.extend(Problem(*w) for w in warnings)
    return reports


def check_files(
    paths: Sequence[Path],
    window: Window | None,
    *,
    cache: CheckCache | None = None,
    unreadable: set[int] | None = None,
) -> list[FileCheck]:
    """Check each file on its own; the records in the order of `paths`. Each file is read once;
    one that cannot be read (a folder, a FIFO, a broken link, no permission) gets a record with
    that one error, and its index goes into `unreadable`. The records of unchanged files come
    from `cache`, and the others go into it."""
    from letsconnect_cli.clinic.clinics import read_clinic_bytes, unreadable_problem
    from letsconnect_cli.errors import InputUnreadable

    records = []
    for index, path in enumerate(paths):
        try:
            data = read_clinic_bytes(path)
        except InputUnreadable as error:
            problem = (None, None, unreadable_problem(path, error))
            records.append(FileCheck(False, (problem,), (), None, None))
            if unreadable is not None:
                unreadable.add(index)
            continue
        if cache is None:
            records.append(check_bytes(path, data, window))
            continue
        key = cache.key(path, data)
        record = cache.get(key)
        if record is None:
            record = check_bytes(path, data, window)
            cache.put(key, record)
        records.append(record)
    if cache is not None:
        cache.save()
    return records
