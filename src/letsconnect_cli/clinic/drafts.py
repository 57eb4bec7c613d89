"""A new clinic's values, checked one at a time as `lc new-clinic` asks for them, by the same
rules as a clinic file (the model's), and the warnings about its start that a person may
overrule (in the past, years ahead, an id naming another date). No I/O here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

#: A start further ahead than this is probably a typo in the year.
FAR_AHEAD = timedelta(days=2 * 365)
#: The id used to check a value alone (a valid id that names no date).
_DRAFT_ID = "proposed-draft"


#: The fields that may hold several lines (tab and newline allowed); the others are one line.
MULTILINE_FIELDS = frozenset({"description"})
SHARER_PARTS = ("name", "affiliation", "role", "username")


def control_problem(text: str, *, multiline: bool = False) -> str | None:
    """Why a new value may not hold `text`'s control character (ESC, BEL, CR, ...), or None.
    It would reach the terminals, wikis and calendars the clinic is shown in."""
    from letsconnect_cli.escaping import control_character

    hit = control_character(text, multiline=multiline)
    if hit is None:
        return None
    position, character = hit
    allowed = "tab and newline are allowed" if multiline else "it must be one line"
    return (
        f"holds a control character (U+{ord(character):04X}) at character {position + 1}; "
        f"type the text without it ({allowed})"
    )


def text_problems(name: str, value: Any) -> list[str]:
    """The control characters of a new text field (a sharer's parts named)."""
    texts: list[tuple[str, str]] = []
    if isinstance(value, str):
        texts.append(("", value))
    elif name == "sharers" and isinstance(value, list):
        for sharer in value:
            texts += [(f"{part} ", sharer.get(part) or "") for part in SHARER_PARTS]
    found = []
    for prefix, text in texts:
        problem = control_problem(text, multiline=name in MULTILINE_FIELDS)
        if problem is not None:
            found.append(prefix + problem)
    return found


def field_problems(fields: dict[str, Any], name: str) -> list[str]:
    """What the clinic rules say about `fields[name]`, given the other values so far: the
    messages of the problems found in that field (empty when it is fine)."""
    from letsconnect_cli.clinic.clinics import clinic_from_mapping

    refused = text_problems(name, fields.get(name))
    if refused:
        return refused
    raw = {"title": "draft", "status": "proposed"}
    raw.update({key: value for key, value in fields.items() if value is not None})
    _clinic, problems = clinic_from_mapping(_DRAFT_ID, raw)
    return [p.message for p in problems if _head(p.field) == name]


def id_problems(clinic_id: str) -> list[str]:
    """What the clinic rules say about an id given by hand (empty when it is fine)."""
    from letsconnect_cli.clinic.clinics import clinic_from_mapping

    _clinic, problems = clinic_from_mapping(clinic_id, {"title": "draft", "status": "proposed"})
    return [p.message for p in problems if p.field == "file name"]


def _head(field: str | None) -> str | None:
    if field is None:
        return None
    return field.split(".", 1)[0].split("[", 1)[0]


@dataclass(frozen=True)
class StartWarning:
    """Something odd about a start that a person may mean: in the past, or years ahead."""

    kind: str  # "past" or "far"
    message: str


def start_warnings(start: datetime, now: datetime) -> list[StartWarning]:
    """'2023-04-02 06:00 UTC has passed (now: ...)' or '... is more than 2 years ahead'."""
    start, now = start.astimezone(UTC), now.astimezone(UTC)
    shown = f"{start:%Y-%m-%d %H:%M} UTC"
    if start <= now:
        return [
            StartWarning("past", f"the start {shown} has passed (now: {now:%Y-%m-%d %H:%M} UTC)")
        ]
    if start - now > FAR_AHEAD:
        return [
            StartWarning(
                "far",
                f"the start {shown} is more than 2 years ahead (now: {now:%Y-%m-%d}); "
                "check the year",
            )
        ]
    return []


def id_warning(clinic_id: str, start: datetime | None) -> str | None:
    """When an id given by hand names another date than the start's (UTC), or none."""
    if start is None:
        return None
    day = start.astimezone(UTC).date().isoformat()
    if clinic_id.startswith("proposed-"):
        return (
            f"--id {clinic_id} names no date but the clinic starts {day} (UTC); "
            f"lc validate will ask to rename it to {day}-{clinic_id.removeprefix('proposed-')}"
        )
    if not clinic_id.startswith(day):
        return (
            f"--id {clinic_id} says {clinic_id[:10]} but the clinic starts {day} (UTC); "
            "lc validate will warn about it (the id is the file name)"
        )
    return None
