"""TOML text helpers tomllib does not offer: where a key stands (its line), and value literals.

tomllib parses without positions; people fixing a clinic file need the line. `key_lines` scans
the text for table headers and `key =` lines and maps each key path to its line, which is
exact for the files lc writes and for hand edits in the usual TOML style.
"""

from __future__ import annotations

import math
import re
from datetime import UTC, datetime
from functools import cache
from typing import Any, NamedTuple

Path_ = tuple[str | int, ...]

_BARE = r"[A-Za-z0-9_-]+"
_QUOTED = r'"(?:[^"\\]|\\.)*"|\'[^\']*\''
_KEY = rf"(?:{_BARE}|{_QUOTED})"
_DOTTED = rf"{_KEY}(?:\s*\.\s*{_KEY})*"


class _Patterns(NamedTuple):
    header: re.Pattern[str]
    array_header: re.Pattern[str]
    assign: re.Pattern[str]
    key_part: re.Pattern[str]


@cache
def _patterns() -> _Patterns:
    """Compiled on first use: lines are looked for only when there is a problem to point at."""
    return _Patterns(
        re.compile(rf"^\s*\[\s*({_DOTTED})\s*\]\s*(?:#.*)?$"),
        re.compile(rf"^\s*\[\[\s*({_DOTTED})\s*\]\]\s*(?:#.*)?$"),
        re.compile(rf"^\s*({_DOTTED})\s*=\s*(.*)$"),
        re.compile(rf"{_BARE}|{_QUOTED}"),
    )


def _split_keys(dotted: str) -> tuple[str, ...]:
    parts = []
    for token in _patterns().key_part.findall(dotted):
        if token[0] in "\"'":
            token = token[1:-1]
        parts.append(token)
    return tuple(parts)


def key_lines(text: str) -> dict[Path_, int]:
    """Map key paths such as ("title",), ("sharers", 1, "name"), ("links",) to 1-based lines."""
    lines: dict[Path_, int] = {}
    table: Path_ = ()
    array_counts: dict[tuple[str, ...], int] = {}
    closing: str | None = None  # the delimiter of a multi-line string we are inside
    patterns = _patterns()
    for number, line in enumerate(text.splitlines(), start=1):
        if closing is not None:
            if closing in line:
                closing = None
            continue
        if match := patterns.array_header.match(line):
            keys = _split_keys(match[1])
            index = array_counts.get(keys, 0)
            array_counts[keys] = index + 1
            table = (*keys, index)
            lines.setdefault(table, number)
            lines.setdefault(keys, number)
            continue
        if match := patterns.header.match(line):
            table = _split_keys(match[1])
            lines.setdefault(table, number)
            continue
        if match := patterns.assign.match(line):
            path = (*table, *_split_keys(match[1]))
            lines.setdefault(path, number)
            value = match[2]
            for delimiter in ('"""', "'''"):
                if value.startswith(delimiter) and value.count(delimiter) == 1:
                    closing = delimiter
    return lines


def line_of(lines: dict[Path_, int], path: Path_) -> int | None:
    """The line of `path`, else of its nearest ancestor that has one."""
    for end in range(len(path), 0, -1):
        if path[:end] in lines:
            return lines[path[:end]]
    return None


# --- writing values ---------------------------------------------------------------------------

_ESCAPES = {
    "\b": "\\b",
    "\t": "\\t",
    "\n": "\\n",
    "\f": "\\f",
    "\r": "\\r",
    '"': '\\"',
    "\\": "\\\\",
}


def _escape(text: str, keep: str = "") -> str:
    out = []
    for ch in text:
        if ch in keep:
            out.append(ch)
        elif ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(ch)
    return "".join(out)


def string(text: str) -> str:
    """A TOML basic string that reads back as exactly `text`."""
    return '"' + _escape(text) + '"'


def multiline_string(text: str) -> str:
    """A TOML multi-line basic string (for descriptions), readable when edited by hand."""
    if "\n" not in text:
        return string(text)
    # The newline right after the opening quotes is not part of the value.
    return '"""\n' + _escape(text, keep="\n") + '"""'


def value(item: Any) -> str:
    """A TOML literal for a str, bool, int, float, UTC datetime or list of those."""
    if isinstance(item, str):
        return string(item)
    if isinstance(item, bool):
        return "true" if item else "false"
    if isinstance(item, int):
        return str(item)
    if isinstance(item, float):
        if math.isnan(item) or math.isinf(item):
            raise ValueError("TOML has nan and inf, but lc never writes them")
        return repr(item)
    if isinstance(item, datetime):
        moment = item.astimezone(UTC)
        text = moment.isoformat(timespec="microseconds" if moment.microsecond else "seconds")
        return text.replace("+00:00", "Z")
    if isinstance(item, list | tuple):
        return "[" + ", ".join(value(v) for v in item) + "]"
    raise TypeError(f"cannot write {type(item).__name__} as TOML")
