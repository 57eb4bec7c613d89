"""Meta-Wiki event registration (CampaignEvents extension): the participants list as JSON.

`GET /campaignevents/v0/event_registration/{id}/participants` gives a list of participants with
`participant_id`, `user_name`, `user_registered_at` (MediaWiki's `YYYYMMDDHHMMSS`), `private`, and
`non_pii_answers`. No emails, no countries: people are matched to other exports by username.
Private participants are visible to organisers only; they count like the others, by username.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from letsconnect_cli.errors import InputUnreadable
from letsconnect_cli.ingest.context import ReadContext
from letsconnect_cli.ingest.records import Record

FORMAT = "campaignevents-participants"
_EXPECTED = "lc reads the answer of GET .../campaignevents/v0/event_registration/{id}/participants."


def read_participants(text: str, ctx: ReadContext) -> Iterator[Record]:
    """Records of a participants list (one page or all pages joined)."""
    ctx.format = FORMAT
    try:
        data: Any = json.loads(text)
    except json.JSONDecodeError as error:
        raise InputUnreadable(
            f"{ctx.name}: not valid JSON at line {error.lineno}, column {error.colno} "
            f"({error.msg})",
            hint="The file may be truncated: download the participants list again.",
        ) from None
    except RecursionError:
        raise InputUnreadable(
            f"{ctx.name}: JSON nested hundreds of levels deep, not a CampaignEvents participants "
            "list",
            hint=_EXPECTED,
        ) from None
    except ValueError:  # Python converts no number of more than 4,300 digits
        raise InputUnreadable(
            f"{ctx.name}: JSON with a number of more than 4,300 digits, not a CampaignEvents "
            "participants list",
            hint=_EXPECTED,
        ) from None
    if isinstance(data, dict) and isinstance(data.get("participants"), list):
        data = data["participants"]
    if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
        raise InputUnreadable(
            f"{ctx.name}: JSON, but not a list of CampaignEvents participants",
            hint=_EXPECTED,
        )
    if data and not any("participant_id" in item or "user_name" in item for item in data):
        raise InputUnreadable(
            f"{ctx.name}: JSON, but its items have no participant_id or user_name",
            hint=_EXPECTED,
        )
    return _records(data, ctx)


def _records(data: list[dict[str, Any]], ctx: ReadContext) -> Iterator[Record]:
    for number, item in enumerate(data, start=1):
        user = item.get("user_name")
        record = Record(ctx.name, number, FORMAT, registered=True)
        record.username = user if isinstance(user, str) and user.strip() else None
        stamp = item.get("user_registered_at")
        record.timestamp = stamp if isinstance(stamp, str) else None
        ctx.rows += 1
        record.clinic = ctx.clinic_of(None, number)
        if record.clinic is not None and ctx.cleaner.clean(record):
            yield record
