"""`lc new-clinic`: create a clinic file from flags, asking for what is missing on a terminal."""

import sys
from typing import TYPE_CHECKING, Annotated, Any

import typer

from letsconnect_cli.cli.context import app_context
from letsconnect_cli.cli.options import ForceOption, JsonOption, RegionsOption
from letsconnect_cli.vocab import Category, Status

if TYPE_CHECKING:
    from datetime import datetime

    from letsconnect_cli.cli.context import AppContext
    from letsconnect_cli.errors import Problem
    from letsconnect_cli.models import Clinic

#: Which flag sets which field, so problems name what the user typed.
FLAG_OF_FIELD = {
    "title": "--title",
    "category": "--category",
    "status": "--status",
    "start": "--start",
    "duration": "--duration",
    "end": "--duration",
    "language": "--language",
    "interpretation": "--interpretation",
    "regions": "--region",
    "sharers": "--sharer",
    "platform": "--platform",
    "meeting_url": "--meeting-url",
    "registration_url": "--registration-url",
    "description": "--description",
    "contact": "--contact",
    "capacity": "--capacity",
    "file name": "--id",
}


def stdin_is_interactive() -> bool:
    """Whether lc may ask questions (a terminal on stdin); tests replace this."""
    return sys.stdin.isatty()


def new_clinic(
    ctx: typer.Context,
    title: Annotated[
        str | None, typer.Option("--title", "-t", metavar="TEXT", help="The clinic's title.")
    ] = None,
    start: Annotated[
        str | None,
        typer.Option(
            "--start",
            metavar="DATETIME",
            help="Start, ISO 8601 with Z or an offset (2023-04-02T06:00Z, 2023-04-02T14:00+08:00); "
            "without one, give --tz.",
        ),
    ] = None,
    tz: Annotated[
        str | None,
        typer.Option(
            "--tz",
            metavar="ZONE",
            help="Read a --start without offset as local time in this IANA zone.",
        ),
    ] = None,
    duration: Annotated[
        str,
        typer.Option(
            "--duration",
            "-d",
            metavar="DURATION",
            help="Length: 2h, 90m, 1h30m (15 minutes to 12 hours).",
        ),
    ] = "2h",
    category: Annotated[
        Category | None, typer.Option("--category", "-c", help="Skill category.")
    ] = None,
    status: Annotated[
        Status | None,
        typer.Option(
            "--status", help="[default: scheduled with --start, else proposed when asked]"
        ),
    ] = None,
    region: RegionsOption = None,
    sharer: Annotated[
        list[str] | None,
        typer.Option(
            "--sharer",
            metavar="SHARER",
            help='A sharer as "Name|Affiliation|Role|username" (all but the name optional); repeatable.',
        ),
    ] = None,
    language: Annotated[
        str,
        typer.Option(
            "--language", "-l", metavar="LANG", help="The session's language, a BCP 47 code."
        ),
    ] = "en",
    interpretation: Annotated[
        list[str] | None,
        typer.Option(
            "--interpretation",
            "-i",
            metavar="LANG",
            help="An interpretation language (BCP 47); repeatable.",
        ),
    ] = None,
    registration_url: Annotated[
        str | None,
        typer.Option(
            "--registration-url", metavar="URL", help="Registration link (needed once confirmed)."
        ),
    ] = None,
    meeting_url: Annotated[
        str | None, typer.Option("--meeting-url", metavar="URL", help="Meeting link.")
    ] = None,
    platform: Annotated[
        str | None, typer.Option("--platform", metavar="TEXT", help="e.g. Zoom.")
    ] = None,
    description: Annotated[
        str | None, typer.Option("--description", metavar="TEXT", help="What participants learn.")
    ] = None,
    contact: Annotated[
        str | None,
        typer.Option(
            "--contact",
            metavar="CONTACT",
            help="Contact email or link [default: lc.toml's organiser].",
        ),
    ] = None,
    capacity: Annotated[
        int | None, typer.Option("--capacity", metavar="N", help="Maximum participants.", min=1)
    ] = None,
    clinic_id: Annotated[
        str | None,
        typer.Option(
            "--id",
            metavar="ID",
            help="The clinic id (file name) [default: <date>-<slug of the title>].",
        ),
    ] = None,
    force: ForceOption = False,
    no_input: Annotated[
        bool, typer.Option("--no-input", help="Never ask; fail naming the missing flag.")
    ] = False,
    json_output: JsonOption = False,
) -> None:
    """Create a clinic file in the clinics folder from flags (asking for missing ones on a terminal).

    Checks the clinic before writing, writes atomically, never overwrites without --force, and
    shows the start in the target regions' local times, warning (on stderr) when it falls outside
    the acceptable local hours ([slots] of lc.toml) for most of a target region.
    """
    from letsconnect_cli import clinics as clinics_lib
    from letsconnect_cli.cli.output import message, print_json
    from letsconnect_cli.errors import UsageError

    context = app_context(ctx)
    interactive = stdin_is_interactive() and not no_input

    if title is None:
        title = _ask(interactive, "--title", "Title")
    if status is None and start is None and interactive:
        status = _prompt_choice("Status", Status, default=Status.SCHEDULED)
    if start is None and status is not Status.PROPOSED:
        if not interactive:
            raise UsageError(
                "--start is required (or --status proposed for an idea without a date)",
                hint="e.g. --start 2023-04-02T06:00:00Z",
            )
        start = typer.prompt("Start (e.g. 2023-04-02T06:00Z, or a local time with --tz)", err=True)
    if status is None:
        status = Status.SCHEDULED if start else Status.PROPOSED
    if interactive and category is None:
        category = _prompt_choice("Category (empty to skip)", Category, default=None)
    if interactive and not region:
        default_region = context.config.default_region or ""
        answer = typer.prompt(
            "Target regions (codes, space-separated; empty for none)",
            default=default_region,
            show_default=bool(default_region),
            err=True,
        )
        region = answer.split()
    if not region and context.config.default_region:
        region = [context.config.default_region]

    start_utc = parse_start(start, tz) if start else None
    fields: dict[str, Any] = {
        "title": title,
        "category": category.value if category else None,
        "status": status.value,
        "start": start_utc,
        "duration": duration,
        "language": language,
        "interpretation": interpretation or [],
        "regions": region or [],
        "sharers": [parse_sharer(text) for text in sharer or []],
        "platform": platform,
        "meeting_url": meeting_url,
        "registration_url": registration_url,
        "description": description,
        "contact": contact,
        "capacity": capacity,
    }
    new_id = clinic_id or clinics_lib.clinic_id_for(title, start_utc)
    target = context.clinics_dir / f"{new_id}{clinics_lib.SUFFIX}"
    uid = _existing_uid(target) if force else None
    fields["calendar"] = {"uid": uid or _new_uid()}
    clinic = _build(new_id, fields)

    path = clinics_lib.write_clinic(context.clinics_dir, clinic, force=force)
    if json_output:
        print_json({"id": clinic.id, "path": str(path)})
        _warn_about_time(context, clinic)
        return
    message(context.err(), f"Created {path}")
    _show_local_times(context, clinic)
    _warn_about_time(context, clinic)


def _ask(interactive: bool, flag: str, prompt: str) -> str:
    from letsconnect_cli.errors import UsageError

    if not interactive:
        raise UsageError(
            f"{flag} is required",
            hint="Give it, or run in a terminal without --no-input to be asked.",
        )
    return str(typer.prompt(prompt, err=True))


def _prompt_choice(prompt: str, enum: type[Any], default: Any) -> Any:
    """Ask until the answer is one of the enum's values (or empty, when there is no default)."""
    choices = ", ".join(item.value for item in enum)
    while True:
        answer = typer.prompt(
            f"{prompt} [{choices}]",
            default=default.value if default is not None else "",
            show_default=default is not None,
            err=True,
        ).strip()
        if not answer and default is None:
            return None
        try:
            return enum(answer.lower())
        except ValueError:
            typer.echo(f"{answer!r} is not one of: {choices}", err=True)


def parse_start(text: str, tz: str | None) -> "datetime":
    """--start as an aware UTC datetime; a local time needs --tz and must exist exactly once there."""
    from datetime import UTC, datetime

    from letsconnect_cli.errors import UsageError
    from letsconnect_cli.timezones import localize, resolve_zone

    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(
            f"--start {text!r} is not an ISO 8601 date-time",
            hint="Write e.g. 2023-04-02T06:00Z (UTC) or 2023-04-02T14:00+08:00.",
        ) from None
    if moment.tzinfo is not None:
        if tz:
            resolve_zone(tz)  # still report a mistyped zone
        return moment.astimezone(UTC)
    if tz is None:
        raise UsageError(
            f"--start {text!r} has no time zone",
            hint=f"Add Z for UTC ({text}Z) or an offset ({text}+08:00), or give --tz Asia/Manila "
            "to read it as local time there.",
        )
    return localize(moment, tz)


def parse_sharer(text: str) -> dict[str, str | None]:
    """'Name|Affiliation|Role|username' -> a sharer table (empty parts left out)."""
    from letsconnect_cli.errors import UsageError

    parts = [part.strip() for part in text.split("|")]
    if len(parts) > 4 or not parts[0]:
        raise UsageError(
            f"--sharer {text!r} is not Name|Affiliation|Role|username",
            hint='e.g. --sharer "Imelda R. Brazal|Wiki Advocates Philippines User Group|Executive Director"',
        )
    parts += [""] * (4 - len(parts))
    keys = ("name", "affiliation", "role", "username")
    return {key: value or None for key, value in zip(keys, parts, strict=True)}


def _new_uid() -> str:
    import uuid

    return f"{uuid.uuid4()}@letsconnect"


def _existing_uid(path: Any) -> str | None:
    """When --force replaces a clinic, it keeps the calendar UID so sent invites stay linked."""
    from letsconnect_cli.clinics import read_clinic_file

    if not path.is_file():
        return None
    existing = read_clinic_file(path)
    return existing.clinic.calendar.uid if existing.clinic else None


#: The fields that may hold several lines (tab and newline allowed); the others are one line.
MULTILINE_FIELDS = frozenset({"description"})
_SHARER_PARTS = ("name", "affiliation", "role", "username")


def control_problems(fields: dict[str, Any]) -> list["Problem"]:
    """A problem for each text field holding a control character (ESC, BEL, CR, ...): tab and
    newline only in a field of several lines. A control character would reach the terminals,
    wikis and calendars the clinic is shown in."""
    from letsconnect_cli.errors import Problem
    from letsconnect_cli.escaping import control_character

    found = []
    for key, value in fields.items():
        texts: list[tuple[str, str]] = []
        if isinstance(value, str):
            texts.append((FLAG_OF_FIELD.get(key, key), value))
        elif key == "sharers":
            for sharer in value:
                texts += [(f"--sharer ({part})", sharer[part] or "") for part in _SHARER_PARTS]
        for flag, text in texts:
            multiline = key in MULTILINE_FIELDS
            hit = control_character(text, multiline=multiline)
            if hit is None:
                continue
            position, character = hit
            allowed = "tab and newline are allowed" if multiline else "it must be one line"
            found.append(
                Problem(
                    flag,
                    None,
                    f"holds a control character (U+{ord(character):04X}) at character "
                    f"{position + 1}; type the text without it ({allowed})",
                )
            )
    return found


def _build(clinic_id: str, fields: dict[str, Any]) -> "Clinic":
    from letsconnect_cli.clinics import clinic_from_mapping
    from letsconnect_cli.errors import Problem, ValidationFailed

    refused = control_problems(fields)
    if refused:
        raise ValidationFailed("the new clinic is not valid; nothing was written", refused)
    raw = {key: value for key, value in fields.items() if value is not None}
    clinic, problems = clinic_from_mapping(clinic_id, raw)
    if clinic is None:
        named = [Problem(_flag_for(p.field), None, p.message) for p in problems]
        raise ValidationFailed("the new clinic is not valid; nothing was written", named)
    return clinic


def _flag_for(field: str | None) -> str | None:
    if field is None:
        return None
    head = field.split(".", 1)[0].split("[", 1)[0]
    return FLAG_OF_FIELD.get(head, field)


def _show_local_times(context: "AppContext", clinic: "Clinic") -> None:
    from letsconnect_cli import regions as regions_lib
    from letsconnect_cli.cli.output import daytime_summary, local_time_table, print_block
    from letsconnect_cli.timezones import local_times_for_groups

    if clinic.start is None or clinic.end is None or not clinic.regions:
        return
    main_cities = context.config.main_cities()
    chosen = [regions_lib.region(code, main_cities=main_cities) for code in clinic.regions]
    groups = regions_lib.zone_groups(chosen, clinic.start)
    rows = local_times_for_groups(clinic.start, clinic.end, groups)
    title = f"{clinic.title} — {', '.join(clinic.regions)}"
    print_block(context.out(), local_time_table(rows, title=title), daytime_summary(rows))


def _warn_about_time(context: "AppContext", clinic: "Clinic") -> None:
    """The time check of `lc validate`, as a warning on stderr (the clinic is written anyway)."""
    settings = context.config.slots
    if not settings.warn or clinic.start is None or not clinic.regions:
        return
    from letsconnect_cli.cli.output import warning
    from letsconnect_cli.slots.checks import check_clinic

    check = check_clinic(clinic, settings.window())
    if check is not None:
        warning(context.err(), f"{clinic.id}: start: {check.message()}")
