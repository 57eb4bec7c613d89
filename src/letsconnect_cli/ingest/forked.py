"""A large CSV table's rows, read by a second process while the first one counts them.

The csv module's parsing is a third of what `lc report` does per row of a large export. On a
machine with two cores, a forked child reads the table (`Table.attributed`: parsing, ragged rows,
clinics, ratings) and sends the rows that count through a pipe, in marshalled batches, while the
parent tallies. The child starts as a copy of the parent, standing where the parent stands in the
file, so it reads exactly what the parent would have; when it is done it sends what reading
found (rows read, rows skipped and why, unattributed rows, notes) and the parent takes that over.
The parent's figures and log are the same as when it reads alone; only the time differs.

Used on Linux only (fork is cheap and safe there; lc runs no threads while reading), with at
least two usable cores, for files of `FORK_MIN_BYTES` or more: below that, forking costs more
than it saves. An error in the child (a malformed CSV line, bytes not of the encoding) reaches
the parent as the same error, with the line the child stopped at.
"""

from __future__ import annotations

import contextlib
import csv
import marshal
import os
import pickle
import signal
import struct
import sys
from collections.abc import Iterator
from typing import IO, Any

from letsconnect_cli.errors import InputUnreadable, LcError
from letsconnect_cli.ingest.tabular import Table

#: Files at least this large are read by a second process (about 100,000 rows of a Google Form).
FORK_MIN_BYTES = 16 << 20
_BATCH_ROWS = 2000
_HEADER = struct.Struct("<BI")  # message kind, payload length
_ROWS, _DONE, _FAILED = 1, 2, 3

AttributedRow = tuple[list[str], int, str, int | None]


class RowsReaderError(csv.Error):
    """The csv module's error in the reading process, with the line it stopped at."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.line = line


def attributed_rows(table: Table) -> Iterator[AttributedRow]:
    """`table.attributed()`, read by a second process when the table is large enough."""
    if not _worth_forking(table.size):
        return table.attributed()
    return _from_child(table)


def _worth_forking(size: int | None) -> bool:
    if size is None or size < FORK_MIN_BYTES or not sys.platform.startswith("linux"):
        return False
    return len(os.sched_getaffinity(0)) >= 2


def _from_child(table: Table) -> Iterator[AttributedRow]:
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: read, send, and leave without running the parent's exit code
        code = 1
        try:
            os.close(read_end)
            code = _child(table, write_end)
        finally:
            os._exit(code)
    os.close(write_end)
    finished = False
    try:
        with os.fdopen(read_end, "rb", buffering=1 << 16) as pipe:
            while True:
                kind, payload = _receive(pipe)
                if kind == _ROWS:
                    yield from marshal.loads(payload)
                elif kind == _DONE:
                    _take_over(table, pickle.loads(payload))  # our own child's
                    finished = True
                    return
                else:
                    raise _rebuilt(pickle.loads(payload))
    finally:
        if not finished:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)


def _child(table: Table, write_end: int) -> int:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    with os.fdopen(write_end, "wb", buffering=1 << 16) as pipe:
        try:
            batch: list[AttributedRow] = []
            for item in table.attributed():
                batch.append(item)
                if len(batch) == _BATCH_ROWS:
                    _send(pipe, _ROWS, marshal.dumps(batch))
                    batch = []
            if batch:
                _send(pipe, _ROWS, marshal.dumps(batch))
            _send(pipe, _DONE, pickle.dumps(_found(table)))
            return 0
        except BrokenPipeError:
            return 1  # the parent stopped listening: nothing to tell
        except BaseException as error:  # every error goes to the parent
            _send(pipe, _FAILED, pickle.dumps(_portable(error, table.rows.line_num)))
            return 1


def _send(pipe: IO[bytes], kind: int, payload: bytes) -> None:
    pipe.write(_HEADER.pack(kind, len(payload)))
    pipe.write(payload)


def _receive(pipe: IO[bytes]) -> tuple[int, bytes]:
    header = pipe.read(_HEADER.size)
    if len(header) < _HEADER.size:
        raise InputUnreadable(
            "the process reading the export stopped without a word (killed, or out of memory?)",
            hint="Run lc report again; if it happens again, report it with the file's size.",
        )
    kind, length = _HEADER.unpack(header)
    payload = pipe.read(length)
    if len(payload) < length:
        raise InputUnreadable("the process reading the export stopped mid-way")
    return kind, payload


def _found(table: Table) -> dict[str, Any]:
    """What reading the table found, besides its rows: all the child changed in the log."""
    ctx, log = table.ctx, table.ctx.log
    return {
        "rows": ctx.rows,
        "notes": ctx.notes,
        "skips_total": log.skips_total,
        "skipped": log.skipped,
        "skip_reasons": log.skip_reasons,
        "unattributed": log.unattributed,
        "unknown_clinics": log.unknown_clinics,
        "other_clinics": log.other_clinics,
    }


def _take_over(table: Table, found: dict[str, Any]) -> None:
    ctx, log = table.ctx, table.ctx.log
    ctx.rows, ctx.notes = found["rows"], found["notes"]
    for name in ("skips_total", "skipped", "skip_reasons", "unattributed"):
        setattr(log, name, found[name])
    log.unknown_clinics, log.other_clinics = found["unknown_clinics"], found["other_clinics"]


def _portable(error: BaseException, line: int) -> tuple[str, Any, str, str | None, int]:
    """An error as the parent can rebuild it: (kind, class, message, hint, line)."""
    if isinstance(error, csv.Error):
        return ("csv", None, str(error), None, line)
    if isinstance(error, LcError):
        return ("lc", type(error), error.message, error.hint, line)
    if isinstance(error, UnicodeDecodeError):
        return ("unicode", error.args, "", None, line)
    return ("other", None, f"{type(error).__name__}: {error}", None, line)


def _rebuilt(portable: tuple[str, Any, str, str | None, int]) -> BaseException:
    kind, detail, message, hint, line = portable
    if kind == "csv":
        return RowsReaderError(message, line)
    if kind == "lc":
        return detail(message, hint=hint)  # type: ignore[no-any-return]
    if kind == "unicode":
        return UnicodeDecodeError(*detail)
    return RuntimeError(f"the process reading the export failed: {message}")
