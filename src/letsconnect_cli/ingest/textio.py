"""An export's bytes as text: byte-order marks, UTF-8, UTF-16, a cp1252 fallback, separators.

Exports come as UTF-8 with or without a BOM (Google, Zoom 2025), UTF-16 with a BOM (Excel's
"Unicode text"), or cp1252 (an old Excel re-save on Windows). The whole file is checked as UTF-8
first (a fast pass in C), so the choice is made before a single row is read.
"""

from __future__ import annotations

import codecs
import io
from typing import IO

from letsconnect_cli.errors import InputUnreadable, UsageError

_CHUNK = 1 << 20
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"PK\x03\x04", "a zip archive or an Excel workbook (.xlsx); save the sheet as CSV"),
    (b"\xd0\xcf\x11\xe0", "an old Excel workbook (.xls); save the sheet as CSV"),
    (b"%PDF", "a PDF document; export the data as CSV"),
    (b"\x1f\x8b", "a gzip archive; unpack it first"),
)


def check_encoding(name: str) -> str:
    """The codec's canonical name, or a UsageError for --encoding."""
    try:
        return codecs.lookup(name).name
    except LookupError:
        raise UsageError(
            f"unknown encoding {name!r}",
            hint="Use a Python codec name: utf-8, utf-16, cp1252, latin-1.",
        ) from None


def detect_encoding(handle: IO[bytes], name: str) -> tuple[str, str | None]:
    """(encoding, warning or None) for a seekable binary file; InputUnreadable if it is no text."""
    head = handle.read(4096)
    handle.seek(0)
    if not head.strip():
        raise InputUnreadable(
            f"{name} is empty",
            hint="Download the export again; lc expects CSV or JSON with a header.",
        )
    if head.startswith(codecs.BOM_UTF8):
        encoding = "utf-8-sig"
    elif head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16", None
    else:
        encoding = "utf-8"
    for magic, what in _MAGIC:
        if head.startswith(magic):
            raise InputUnreadable(f"{name} is {what}", hint=_EXPECTED)
    if b"\x00" in head:
        utf16 = _utf16_without_bom(head)
        if utf16 is not None:
            raise InputUnreadable(
                f"{name} looks like UTF-16 text without a byte-order mark, which lc cannot "
                "detect for sure",
                hint=f"Give --encoding {utf16} (or save the file as UTF-8).",
            )
        raise InputUnreadable(f"{name} is a binary file, not a CSV or JSON export", hint=_EXPECTED)
    if _is_utf8(handle):
        return encoding, None
    return "cp1252", (
        f"{name} is not UTF-8; read it as Windows-1252 (cp1252). Check accented names, or save "
        "the file as UTF-8 (or give --encoding) to silence this warning."
    )


def _utf16_without_bom(head: bytes) -> str | None:
    """'utf-16-le' or 'utf-16-be' when the bytes read as such text (mostly ASCII: every other
    byte zero, and it decodes); None otherwise."""
    pairs = len(head) // 2
    if pairs < 4:
        return None
    even = head[0 : pairs * 2 : 2].count(0)
    odd = head[1 : pairs * 2 : 2].count(0)
    encoding = "utf-16-le" if odd > 0.6 * pairs and even == 0 else None
    if even > 0.6 * pairs and odd == 0:
        encoding = "utf-16-be"
    if encoding is None:
        return None
    try:
        head[: pairs * 2].decode(encoding)
    except UnicodeDecodeError:
        return None
    return encoding


_EXPECTED = (
    "lc reads CSV exports (Google Forms, Zoom reports, any CSV with a header) and "
    "CampaignEvents participants JSON."
)


def _is_utf8(handle: IO[bytes]) -> bool:
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        while chunk := handle.read(_CHUNK):
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    finally:
        handle.seek(0)
    return True


def text_stream(handle: IO[bytes], encoding: str) -> io.TextIOWrapper:
    """A text view of the bytes for the csv module (newline='' keeps quoted line breaks)."""
    errors = "replace" if encoding == "cp1252" else "strict"
    return io.TextIOWrapper(handle, encoding=encoding, errors=errors, newline="")


def sniff_delimiter(first_line: str) -> str:
    """`,`, `;` or tab: the most frequent outside quotes in the first line (comma on a tie)."""
    counts = {",": 0, ";": 0, "\t": 0}
    quoted = False
    for char in first_line:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    best = max(counts, key=lambda c: (counts[c], c == ","))
    return best if counts[best] else ","
