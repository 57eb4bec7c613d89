"""`lc validate`'s work, in two parts: each file on its own (reading, every field, the time
check), then what spans files (one calendar UID per clinic).

A file's outcome, the time check's warning included, is a small record of plain values
(`FileCheck`), which the validation cache keeps.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from letsconnect_cli.errors import Problem

if TYPE_CHECKING:
    from letsconnect_cli.slots.window import Window
    from letsconnect_cli.validation_cache import ValidationCache

#: A problem as plain values: (field, line, message).
Item = tuple[str | None, int | None, str]


class FileCheck(NamedTuple):
    """One file checked on its own, the time check included."""

    valid: bool  # a clinic was read from it (then `errors` is empty)
    errors: tuple[Item, ...]
    warnings: tuple[Item, ...]
    uid: str | None  # the calendar UID the file sets, for the check across files
    time_warning: Item | None  # the time check's warning (kept only if the file stays valid)

    def to_plain(self) -> tuple[object, ...]:
        """Built-in types only (JSON takes them)."""
        return tuple(self)

    @classmethod
    def from_plain(cls, values: Sequence[object]) -> FileCheck:
        valid, errors, warnings, uid, time_warning = values
        if not isinstance(errors, Sequence) or not isinstance(warnings, Sequence):
            raise TypeError("not a file check")
        return cls(
            bool(valid),
            tuple(_item(e) for e in errors),
            tuple(_item(w) for w in warnings),
            None if uid is None else str(uid),
            None if time_warning is None else _item(time_warning),  # type: ignore[arg-type]
        )


def _item(values: Sequence[object]) -> Item:
    field, line, message = values
    if not (field is None or isinstance(field, str)) or not (line is None or isinstance(line, int)):
        raise TypeError("not a problem")
    return (field, line, str(message))


def check_bytes(path: Path, data: bytes, window: Window | None) -> FileCheck:
    """Check one clinic file's bytes (read from `path`, which gives the id), with the time
    check against `window` (None: none)."""
    from letsconnect_cli.clinics import clinic_file_from_bytes

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
    )


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
    cache: ValidationCache | None = None,
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
    from letsconnect_cli.clinics import duplicate_uids

    uids = [(report.id, item.uid, item.valid) for report, item in zip(reports, checks, strict=True)]
    for index, problem in duplicate_uids(uids):
        reports[index].errors.append(problem)
    for report, item in zip(reports, checks, strict=True):
        if item.time_warning is not None and report.ok:
            report.warnings.append(Problem(*item.time_warning))
    return reports


def check_files(
    paths: Sequence[Path],
    window: Window | None,
    *,
    cache: ValidationCache | None = None,
    unreadable: set[int] | None = None,
) -> list[FileCheck]:
    """Check each file on its own; the records in the order of `paths`. Each file is read once;
    one that cannot be read (a folder, a FIFO, a broken link, no permission) gets a record with
    that one error, and its index goes into `unreadable`. The records of unchanged files come
    from `cache`, and the others go into it."""
    from letsconnect_cli.clinics import read_clinic_bytes, unreadable_problem
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
