"""Headers to fields: forgiving aliases (case, spaces, punctuation), question titles, and user maps.

A header is normalised (case-folded, punctuation to spaces, spaces collapsed), then looked up in the
user's map (`--map`, `[report.columns]`), then in the aliases, then matched by the keywords of a
question title ("Which country are you based in?" is the country). The first column wins a field.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence

from letsconnect_cli.errors import UsageError

#: Every field a column can map to; `ignore` drops a column.
FIELDS: tuple[str, ...] = (
    "clinic",
    "email",
    "username",
    "name",
    "first_name",
    "last_name",
    "country",
    "region",
    "role",
    "languages",
    "preferred_language",
    "rating",
    "attended",
    "timestamp",
    "affiliation",
    "waiting_room",
    "skills_wanted",
    "skills_offered",
    "home_wiki",
)
IGNORE = "ignore"

_ALIASES: dict[str, str] = {
    "email": "email",
    "email address": "email",
    "e mail": "email",
    "e mail address": "email",
    "user email": "email",
    "mail": "email",
    "username": "username",
    "user name": "username",
    "user": "username",
    "wikimedia username": "username",
    "wikipedia username": "username",
    "wiki username": "username",
    "name": "name",
    "full name": "name",
    "your name": "name",
    "participant": "name",
    "participant name": "name",
    "display name": "name",
    "first name": "first_name",
    "given name": "first_name",
    "last name": "last_name",
    "surname": "last_name",
    "family name": "last_name",
    "country": "country",
    "country code": "country",
    "country region": "country",
    "country region name": "country",
    "country territory": "country",
    "location": "country",
    "region": "region",
    "wikimedia region": "region",
    "role": "role",
    "main role": "role",
    "languages": "languages",
    "language": "languages",
    "interpretation": "languages",
    "preferred language": "preferred_language",
    "communication language": "preferred_language",
    "language of communication": "preferred_language",
    "preferred language of communication": "preferred_language",
    "preferred language for communication": "preferred_language",
    "clinic": "clinic",
    "clinic id": "clinic",
    "learning clinic": "clinic",
    "event": "clinic",
    "topic": "clinic",
    "rating": "rating",
    "score": "rating",
    "satisfaction": "rating",
    "attended": "attended",
    "attendance": "attended",
    "present": "attended",
    "timestamp": "timestamp",
    "registration time": "timestamp",
    "registered at": "timestamp",
    "submitted at": "timestamp",
    "affiliation": "affiliation",
    "organisation": "affiliation",
    "organization": "affiliation",
    "in waiting room": "waiting_room",
    "skills wanted": "skills_wanted",
    "skills to learn": "skills_wanted",
    "skills offered": "skills_offered",
    "skills to share": "skills_offered",
    "home wiki": "home_wiki",
    "home project": "home_wiki",
    "wiki": "home_wiki",
}

#: Columns of the known exports that look like a field by their words but are not one.
_NOT_FIELDS: frozenset[str] = frozenset(
    {
        "time in session minutes",
        "join time",
        "leave time",
        "duration minutes",
        "approval status",
        "is guest",
        "guest",
        "phone",
        "webinar id",
        "meeting id",
        "source name",
    }
)

_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), name)
    for pattern, name in (
        # the language to write to the person in (emailed invites), before `languages` and `email`
        (
            r"\bpreferred language\b|\blanguage (of|for) (communication|correspondence)\b",
            "preferred_language",
        ),
        # "What skills do you want to learn?" / "What skills can you share?" (skills directory)
        (r"\bskills?\b.*\b(learn|want|need|gain|develop|improve)", "skills_wanted"),
        (r"\bskills?\b.*\b(share|offer|teach|can|have)", "skills_offered"),
        (r"\bhome (wiki|project)\b|\bwiki(pedia)? (you|do you) (edit|contribute)", "home_wiki"),
        (r"expectation|satisf|\brating\b|\brate\b|\bscore\b|scale of 1|1 5\b", "rating"),
        (r"\be ?mail\b", "email"),
        (r"username|\buser name\b", "username"),
        (r"\bclinic\b|\bwhich (session|event|webinar|meeting)\b", "clinic"),
        (r"\bcountry\b|\bterritory\b", "country"),
        (r"\bregion\b", "region"),
        (r"\brole\b", "role"),
        (r"language|interpretation", "languages"),
        (r"affiliat|organi[sz]ation", "affiliation"),
        (r"\b(first|given) name\b", "first_name"),
        (r"\b(last|family) name\b|\bsurname\b", "last_name"),
        (r"\bname\b", "name"),
        (r"\battend", "attended"),
        (r"timestamp", "timestamp"),
    )
)

_PUNCT = re.compile(r"[\W_]+")


def normalise_header(text: str) -> str:
    """'Which country are you based in?  ' -> 'which country are you based in'."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return _PUNCT.sub(" ", folded).strip()


def parse_maps(items: Sequence[str]) -> dict[str, str]:
    """`--map HEADER=FIELD` values as {normalised header: field}; UsageError on a bad one."""
    result: dict[str, str] = {}
    for item in items:
        header, sep, field = item.rpartition("=")
        if not sep or not header.strip():
            raise UsageError(
                f"--map {item!r} is not HEADER=FIELD",
                hint='Example: --map "Home country=country".',
            )
        result.update(check_column_map({header: field}, "--map"))
    return result


def check_column_map(columns: Mapping[str, str], where: str) -> dict[str, str]:
    """{normalised header: field} from a user's table, checking each field name."""
    result: dict[str, str] = {}
    for header, field in columns.items():
        name = field.strip().lower().replace("-", "_")
        if name not in FIELDS and name != IGNORE:
            raise UsageError(
                f"{where}: {field!r} is not a field lc knows (for column {header!r})",
                hint=f"Fields: {', '.join(FIELDS)}; or {IGNORE!r} to leave a column out.",
            )
        result[normalise_header(header)] = name
    return result


def field_of(header: str, user_map: Mapping[str, str], overrides: Mapping[str, str]) -> str | None:
    """The field one header maps to, or None; `overrides` are a reader's own (Zoom's User Name)."""
    key = normalise_header(header)
    if not key:
        return None
    for table in (user_map, overrides, _ALIASES):
        if key in table:
            found = table[key]
            return None if found == IGNORE else found
    if key in _NOT_FIELDS:
        return None
    for pattern, name in _RULES:
        if pattern.search(key):
            return name
    return None


def map_header(
    header: Sequence[str],
    user_map: Mapping[str, str],
    overrides: Mapping[str, str] | None = None,
) -> dict[str, int]:
    """{field: column index} for a header row; the first column of a field wins."""
    columns: dict[str, int] = {}
    for index, title in enumerate(header):
        field = field_of(title, user_map, overrides or {})
        if field is not None and field not in columns:
            columns[field] = index
    return columns
