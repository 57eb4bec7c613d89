"""Meta-Wiki event registration (CampaignEvents extension): the participants list as JSON.

`GET /campaignevents/v0/event_registration/{id}/participants` gives a list of participants with
`participant_id`, `user_name`, `user_registered_at` (MediaWiki's `YYYYMMDDHHMMSS`), `private`, and,
for the event's organisers before the event ends, `non_pii_answers`. No emails, no countries: people
are matched to other exports by username. Private participants are visible to organisers only; they
count like the others, by username.

As the extension's `ListParticipantsHandler` writes it: a suppressed or missing account comes as
`"hidden": true` or `"not_found": true` without `user_name`; it is a registration all the same,
counted as an anonymous person who matches no other export (`IngestLog.hidden_users`).
`non_pii_answers` is a list of `{"message", "questionID"}` holding the answer as localised text
(question 4: confidence; 5: affiliate, "Yes: <the affiliate's name>"), or one message string once the
answers have been aggregated after the event (ignored). `user_is_valid_recipient` says whether the
organiser may email the person through the wiki; it is no address.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from typing import Any

from letsconnect_cli.errors import InputUnreadable
from letsconnect_cli.ingest.cleaning import clean_username
from letsconnect_cli.ingest.context import ReadContext
from letsconnect_cli.ingest.records import Record

FORMAT = "campaignevents-participants"
_EXPECTED = "lc reads the answer of GET .../campaignevents/v0/event_registration/{id}/participants."
#: The registration question ids of the extension's EventQuestionsRegistry that are not PII.
CONFIDENCE_QUESTION = 4
AFFILIATE_QUESTION = 5
#: The answer's option label, MediaWiki's colon-separator (':&#32;' in English, ' :' in French,
#: a full-width colon in Chinese and Japanese...), then the free text the person typed.
_SEPARATOR = re.compile(r"\s*[:\uff1a\ua789]\s*")


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


def affiliate_name(answers: Any) -> str | None:
    """The affiliate a person named in the registration's affiliate question, if any.

    Only the list form carries answers; the aggregated form (a message string) and anything else
    give None. "Yes" without a name, "No" and "No response" give None too.
    """
    if not isinstance(answers, list):
        return None
    for answer in answers:
        if not isinstance(answer, dict) or _question(answer) != AFFILIATE_QUESTION:
            continue
        message = answer.get("message")
        if not isinstance(message, str):
            return None
        parts = _SEPARATOR.split(html.unescape(message), maxsplit=1)
        name = parts[1].strip() if len(parts) == 2 else ""
        return name or None
    return None


def _question(answer: dict[str, Any]) -> int | None:
    value = answer.get("questionID")
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return None


def _records(data: list[dict[str, Any]], ctx: ReadContext) -> Iterator[Record]:
    for number, item in enumerate(data, start=1):
        ctx.rows += 1
        clinic = ctx.clinic_of(None, number)
        if clinic is None:
            continue
        user = item.get("user_name")
        if not (isinstance(user, str) and user.strip()):
            user = None  # "hidden"/"not_found", or no name at all: a registration of someone
            ctx.log.hidden_users += 1  # lc cannot match to any other export
        stamp = item.get("user_registered_at")
        yield Record(
            source=ctx.name,
            line=number,
            format=FORMAT,
            clinic=clinic,
            registered=True,
            username=clean_username(user) if user else None,
            timestamp=stamp if isinstance(stamp, str) else None,
            affiliation=affiliate_name(item.get("non_pii_answers")),
        )
