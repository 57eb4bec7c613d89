"""Date-times as the exports write them, to aware UTC datetimes.

- Google Forms: `2023/03/21 2:05:43 AM GMT+8`, `2023/03/21 2:05:43 PM GMT+5:30` (offset in it);
- Zoom: `Apr 02, 2023 06:05:11`, `Apr 02, 2023 6:20 AM`, `10/05/2026 05:55:00 PM` (the account's
  zone, taken as UTC: the reports do not say);
- MediaWiki: `20230321011530` (UTC).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone

_FORMS = re.compile(
    r"^(?P<stamp>.+?)\s*GMT(?P<sign>[+-])(?P<hours>\d{1,2})(?::(?P<minutes>\d{2}))?$"
)
_FORMATS = (
    "%Y/%m/%d %I:%M:%S %p",
    "%Y/%m/%d %H:%M:%S",
    "%b %d, %Y %H:%M:%S",
    "%b %d, %Y %I:%M %p",
    "%b %d, %Y %I:%M:%S %p",
    "%b %d, %Y %H:%M",
    "%m/%d/%Y %I:%M:%S %p",
    "%m/%d/%Y %H:%M:%S",
    "%m/%d/%Y %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S",
    "%Y%m%d%H%M%S",
)


def parse_timestamp(value: str) -> datetime | None:
    """The moment an export's date-time names, in UTC; None when it is no date-time lc knows."""
    text = " ".join(value.split())
    if not text or text == "--":
        return None
    zone = UTC
    match = _FORMS.match(text)
    if match:
        offset = timedelta(hours=int(match["hours"]), minutes=int(match["minutes"] or 0))
        zone = timezone(offset if match["sign"] == "+" else -offset)
        text = match["stamp"]
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        parsed = None
    if parsed is None:
        for pattern in _FORMATS:
            try:
                parsed = datetime.strptime(text, pattern)
            except ValueError:
                continue
            break
    if parsed is None:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=zone)
    return parsed.astimezone(UTC)
