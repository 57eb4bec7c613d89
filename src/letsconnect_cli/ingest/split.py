"""Cutting a large CSV export in two at a record boundary, so that two processes can read it.

A newline ends a record when an even number of quote characters comes before it: quotes inside a
field are doubled, so they never change that parity (RFC 4180, and every export lc reads). Counting
quotes and newlines is done on bytes, in C, at disk speed.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from letsconnect_cli.ingest.textio import detect_encoding, sniff_delimiter

#: Files smaller than this are read in one piece: a second process would not pay for itself.
SPLIT_MIN_BYTES = 8 * 1024 * 1024
_CHUNK = 1 << 22


@dataclass(frozen=True)
class Part:
    """A byte range of a CSV file. Later parts carry the header, separator and line offset."""

    start: int
    end: int | None
    encoding: str
    header: tuple[str, ...] | None = None  # None: the part starts with the file's own header
    delimiter: str = ","
    line_offset: int = 0  # physical lines before `start`

    def open(self, handle: IO[bytes]) -> IO[bytes]:
        return io.BufferedReader(_Range(handle, self.start, self.end), buffer_size=1 << 16)


class _Range(io.RawIOBase):
    """Bytes `start` to `end` of an open file."""

    def __init__(self, handle: IO[bytes], start: int, end: int | None) -> None:
        handle.seek(start)
        self._handle = handle
        self._left = None if end is None else end - start

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        view = memoryview(buffer).cast("B")
        if self._left is not None:
            if self._left <= 0:
                return 0
            view = view[: self._left]
        count = self._handle.readinto(view)  # type: ignore[attr-defined]
        if self._left is not None:
            self._left -= count
        return int(count)

    def close(self) -> None:
        self._handle.close()
        super().close()


def split_csv(path: Path, min_bytes: int | None = None) -> tuple[Part, Part] | None:
    """Two parts of a plain UTF-8 CSV export (not a Zoom report, not JSON), or None."""
    size = path.stat().st_size
    if size < (SPLIT_MIN_BYTES if min_bytes is None else min_bytes):
        return None
    with path.open("rb") as handle:
        try:
            encoding, warning = detect_encoding(handle, str(path))
        except Exception:  # the normal reading reports it properly
            return None
        if warning or encoding not in ("utf-8", "utf-8-sig"):
            return None
        head = handle.read(1 << 16).decode(encoding, errors="replace")
        first = next((line for line in head.splitlines() if line.strip()), "")
        if not first or first.lstrip().startswith(("[", "{")):
            return None
        delimiter = sniff_delimiter(first)
        header = next(csv.reader(io.StringIO(head), delimiter=delimiter), [])
        from letsconnect_cli.ingest.zoom_report import is_zoom_report

        if not header or is_zoom_report(header):
            return None
        found = _boundary(handle, size)
    if found is None:
        return None
    boundary, lines = found
    if boundary <= len(first.encode(encoding)) or boundary >= size:
        return None
    return (
        Part(0, boundary, encoding),
        Part(boundary, None, "utf-8", tuple(header), delimiter, lines),
    )


def _boundary(handle: IO[bytes], size: int) -> tuple[int, int] | None:
    """The first record boundary after the middle, and the lines before it."""
    middle = size // 2
    handle.seek(0)
    quotes = newlines = 0
    left = middle
    while left > 0:
        chunk = handle.read(min(_CHUNK, left))
        if not chunk:
            return None
        quotes += chunk.count(b'"')
        newlines += chunk.count(b"\n")
        left -= len(chunk)
    position = middle
    while True:
        chunk = handle.read(_CHUNK)
        if not chunk:
            return None
        start = 0
        while (end := chunk.find(b"\n", start)) != -1:
            quotes += chunk.count(b'"', start, end)
            newlines += 1
            if quotes % 2 == 0:
                return position + end + 1, newlines
            start = end + 1
        quotes += chunk.count(b'"', start)
        position += len(chunk)
