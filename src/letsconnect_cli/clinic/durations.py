"""Durations as people write them in clinic files and flags: `2h`, `90m`, `1h30m`, `PT1H30M`."""

from __future__ import annotations

import re
from datetime import timedelta

_HUMAN = re.compile(
    r"^(?:(?P<h>\d+(?:\.\d+)?)\s*h(?:ours?|rs?)?)?\s*(?:(?P<m>\d+)\s*m(?:in(?:utes?)?)?)?$"
)
_ISO = re.compile(r"^PT(?:(?P<h>\d+)H)?(?:(?P<m>\d+)M)?$")


def parse_duration(value: str | int) -> timedelta:
    """`2h`, `90m`, `1h30m`, `1.5h`, `PT2H`; a bare integer means minutes. ValueError otherwise."""
    if isinstance(value, bool):
        raise ValueError("a duration is text such as '2h' or '90m', not true/false")
    try:
        if isinstance(value, int):
            return timedelta(minutes=value)
        text = value.strip().lower()
        if text.isdigit():
            return timedelta(minutes=int(text))
        match = _ISO.match(text.upper()) or _HUMAN.match(text)
        if match is None or not (match["h"] or match["m"]):
            raise ValueError(
                f"{_shown(value)} is not a duration; write it like '2h', '90m' or '1h30m'"
            )
        hours = float(match["h"] or 0)
        minutes = int(match["m"] or 0)
        return timedelta(hours=hours, minutes=minutes)
    except (OverflowError, ValueError) as error:  # too many digits for Python, or for timedelta
        if "is not a duration" in str(error):
            raise
        raise ValueError(
            f"{_shown(value)} is far too long for a duration; write it like '2h', '90m' or '1h30m'"
        ) from None


def _shown(value: str | int) -> str:
    """The value as written, cut short: a duration of 5,000 digits is not worth quoting whole."""
    text = repr(value) if isinstance(value, str) else _digits(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _digits(value: int) -> str:
    try:
        return str(value)
    except ValueError:  # more digits than Python converts
        return "a number of more than 4,300 digits"


def duration_literal(value: timedelta) -> str:
    """The short form lc writes: '2h', '1h30m', '45m' (seconds are dropped)."""
    minutes = int(value.total_seconds() // 60)
    hours, minutes = divmod(minutes, 60)
    if hours and minutes:
        return f"{hours}h{minutes}m"
    if hours:
        return f"{hours}h"
    return f"{minutes}m"
