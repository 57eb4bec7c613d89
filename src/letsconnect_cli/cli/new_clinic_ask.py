"""The questions of `lc new-clinic` on a terminal: what the flags left out, each answer checked
where it is typed (by the clinic rules, `drafts.field_problems`) and asked again with the reason.

A start typed without a zone asks for the zone (offering `[ui] timezone` and this computer's
zone); a local time that a clock change repeats or skips shows both instants and asks which; a
start in the past or years ahead asks to confirm. Nothing is written here.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from letsconnect_cli.cli import prompts
from letsconnect_cli.cli.prompts import Invalid
from letsconnect_cli.vocab import Category, Status

if TYPE_CHECKING:
    from letsconnect_cli.cli.context import AppContext


def field_check(
    fields: dict[str, Any], name: str, convert: Callable[[str], Any] = lambda text: text or None
) -> Callable[[str], Any]:
    """A check of one answer by the clinic rules, given the answers so far."""
    from letsconnect_cli.clinic.drafts import field_problems

    def check(answer: str) -> Any:
        value = convert(answer)
        problems = field_problems({**fields, name: value}, name)
        if problems:
            raise Invalid("; ".join(problems))
        return value

    return check


def words(text: str) -> list[str]:
    """'ja, zh  ko' -> ['ja', 'zh', 'ko']; '-' alone -> [] (none, over a default)."""
    if text.strip() == "-":
        return []
    return text.replace(",", " ").split()


def converse(
    context: AppContext,
    fields: dict[str, Any],
    *,
    start_text: str | None,
    tz: str | None,
) -> dict[str, Any]:
    """Ask for every value the flags left as None (and for a zone or a choice the start needs);
    return the fields with the answers in."""
    fields = dict(fields)
    if not fields["title"]:
        fields["title"] = prompts.ask("Title", field_check(fields, "title", prompts.required))
    if fields["status"] != Status.PROPOSED.value or start_text is not None:
        # No start is a proposed clinic, unless --status asks for a date.
        fields["start"] = ask_start(context, start_text, tz, optional=fields["status"] is None)
    if fields["start"] is None:
        fields["status"] = Status.PROPOSED.value
    elif fields["status"] is None:
        fields["status"] = _choice("Status", Status, default=Status.SCHEDULED).value
    if fields["duration"] is None:
        fields["duration"] = prompts.ask(
            "Duration (e.g. 2h, 90m, 1h30m)", field_check(fields, "duration"), default="2h"
        )
    if fields["category"] is None:
        chosen = _choice("Category (Enter to skip)", Category, default=None)
        fields["category"] = chosen.value if chosen else None
    if not fields["regions"]:
        default = context.config.default_region or None
        fields["regions"] = prompts.ask(
            "Target regions (codes separated by spaces"
            + ("; - for none)" if default else "; Enter for none)"),
            field_check(fields, "regions", words),
            default=default,
        )
    if fields["language"] is None:
        fields["language"] = prompts.ask(
            "Language of the session (a BCP 47 tag: en, id, ja, zh-Hant ...)",
            field_check(fields, "language"),
            default="en",
        )
    if fields["interpretation"] is None:
        fields["interpretation"] = prompts.ask(
            "Interpretation languages (tags separated by spaces; Enter for none)",
            field_check(fields, "interpretation", words),
        )
    if fields["sharers"] is None:
        fields["sharers"] = ask_sharers(fields)
    if fields["registration_url"] is None:
        needed = fields["status"] == Status.CONFIRMED.value
        fields["registration_url"] = prompts.ask(
            "Registration link (http(s)" + ("" if needed else "; Enter to skip") + ")",
            field_check(fields, "registration_url"),
        )
    if fields["description"] is None:
        fields["description"] = prompts.ask(
            "Description: what participants learn (one paragraph; Enter to skip)",
            field_check(fields, "description"),
        )
    return fields


def ask_sharers(fields: dict[str, Any]) -> list[dict[str, str | None]]:
    """Sharers one by one: name, affiliation, role, username; an empty name ends the list."""
    sharers: list[dict[str, str | None]] = []
    while True:
        number = len(sharers) + 1
        name = prompts.ask(
            f"Sharer {number}: name (Enter {'for none' if number == 1 else 'when done'})",
            prompts.optional(str),
        )
        if name is None:
            return sharers
        person: dict[str, str | None] = {"name": name}
        for key, question in (
            ("affiliation", "affiliation"),
            ("role", "role"),
            ("username", "Wikimedia username"),
        ):
            person[key] = prompts.ask(
                f"Sharer {number}: {question} (Enter to skip)", prompts.optional(str)
            )
        from letsconnect_cli.clinic.drafts import field_problems

        problems = field_problems({**fields, "sharers": [*sharers, person]}, "sharers")
        if problems:
            prompts.say(f"  {'; '.join(problems)}; that sharer was left out, type them again")
            continue
        sharers.append(person)


def _choice(question: str, enum: type[Any], default: Any) -> Any:
    choices = ", ".join(item.value for item in enum)

    def check(answer: str) -> Any:
        if not answer and default is None:
            return None
        try:
            return enum(answer.lower())
        except ValueError:
            raise Invalid(f"{answer!r} is not one of: {choices}") from None

    return prompts.ask(
        f"{question} [{choices}]", check, default=default.value if default is not None else None
    )


# --- the start ----------------------------------------------------------------------------------


def start_question(tz: str | None, *, optional: bool = False) -> str:
    """The start's question: never "or a local time with --tz" when --tz was given."""
    skip = "; Enter: no date yet" if optional else ""
    if tz:
        return f"Start, local time in {tz} (2027-04-04 14:00) or UTC (2027-04-04T06:00Z){skip}"
    return f"Start: local (2027-04-04 14:00), UTC (2027-04-04T06:00Z) or with +08:00{skip}"


def parse_datetime(text: str) -> datetime:
    try:
        return datetime.fromisoformat(text.strip())
    except ValueError:
        raise Invalid(
            f"{text!r} is not a date and time; write e.g. 2027-04-04 14:00 or 2027-04-04T06:00Z"
        ) from None


def ask_start(
    context: AppContext, text: str | None, tz: str | None, *, optional: bool = False
) -> datetime | None:
    """The start as an aware UTC datetime: a --start flag or an answer, with the zone, the
    instant and the confirmation each asked for where needed; None for no answer (optional)."""
    from letsconnect_cli.clinic.drafts import start_warnings
    from letsconnect_cli.places.timezones import resolve_zone

    zone = tz
    if zone is not None:
        try:
            zone = resolve_zone(zone).key
        except Exception as error:  # a mistyped --tz: say why, ask for the zone below
            prompts.say(f"  --tz: {' '.join(str(error).split())}")
            zone = None
            tz = None
    while True:
        if text is None:
            check = prompts.optional(parse_datetime) if optional else parse_datetime
            moment = prompts.ask(start_question(tz, optional=optional), check)
            if moment is None:
                return None
        else:
            try:
                moment = parse_datetime(text)
            except Invalid as error:
                prompts.say(f"  --start: {error}")
                text = None
                continue
        if moment.tzinfo is None:
            instant = _local(context, moment, zone)
        else:
            from datetime import UTC

            instant = moment.astimezone(UTC)
        problems = start_warnings(instant, context.now())
        if problems and not _keep(problems):
            text = None
            continue
        return instant


def _local(context: AppContext, naive: datetime, zone: str | None) -> datetime:
    """A wall-clock time read in `zone` (asked for when None); a repeated or skipped time shows
    both instants and asks which."""
    from letsconnect_cli.places.timezones import wall_clock

    if zone is None:
        zone = ask_zone(context, naive)
    reading = wall_clock(naive, zone)
    if reading.kind is None:
        return reading.instants[0]
    prompts.say(reading.describe() + ":")
    index = prompts.choose(
        "Which one? (1 or 2)",
        [reading.candidate(i) for i in range(len(reading.instants))],
    )
    return reading.instants[index]


def ask_zone(context: AppContext, naive: datetime) -> str:
    """The zone of a local time: [ui] timezone, this computer's zone, or any IANA name."""
    from letsconnect_cli.cli.environment import current
    from letsconnect_cli.places.timezones import resolve_zone, system_zone

    offered: list[tuple[str, str]] = []
    if context.config.ui.timezone:
        offered.append((context.config.ui.timezone, "[ui] timezone of lc.toml"))
    here = system_zone(dict(current().env))
    if here and here not in [zone for zone, _ in offered]:
        offered.append((here, "this computer's zone"))
    prompts.say(f"{naive.isoformat(sep=' ', timespec='minutes')} has no time zone.")
    for number, (zone, where) in enumerate(offered, start=1):
        prompts.say(f"  {number}: {zone} ({where})")

    def check(answer: str) -> str:
        if answer.isdigit() and 1 <= int(answer) <= len(offered):
            return offered[int(answer) - 1][0]
        return resolve_zone(answer).key

    question = "Time zone (an IANA name such as Asia/Manila, or UTC"
    question += "; or a number above)" if offered else ")"
    return prompts.ask(question, check, default="1" if offered else None)


def _keep(problems: list[Any]) -> bool:
    from letsconnect_cli.cli.output import stderr, warning

    for problem in problems:
        warning(stderr(), problem.message)
    return prompts.confirm("Keep this start?", default=False)
