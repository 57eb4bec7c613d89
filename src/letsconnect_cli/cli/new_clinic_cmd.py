"""`lc new-clinic`: create a clinic file from flags, asking for what is missing on a terminal."""

from typing import TYPE_CHECKING, Annotated, Any

import typer

from letsconnect_cli.cli import completion
from letsconnect_cli.cli.context import app_context
from letsconnect_cli.cli.options import ForceOption, JsonOption, RegionsOption
from letsconnect_cli.errors import UsageError
from letsconnect_cli.vocab import Category, Status

if TYPE_CHECKING:
    from datetime import datetime

    from letsconnect_cli.cli.context import AppContext
    from letsconnect_cli.clinic.creation import Created
    from letsconnect_cli.clinic.models import Clinic

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
    "translations": "--translate",
    "file name": "--id",
}


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
            help="Start, ISO 8601 with Z or an offset (2027-04-04T06:00Z, 2027-04-04T14:00+08:00); "
            "a local time (2027-04-04 14:00) with --tz, or asked for its zone on a terminal.",
        ),
    ] = None,
    tz: Annotated[
        str | None,
        typer.Option(
            "--tz",
            metavar="ZONE",
            help="Read a --start without offset as local time in this IANA zone.",
            autocompletion=completion.time_zones,
        ),
    ] = None,
    duration: Annotated[
        str | None,
        typer.Option(
            "--duration",
            "-d",
            metavar="DURATION",
            help="Length: 2h, 90m, 1h30m (15 minutes to 12 hours) [default: 2h].",
        ),
    ] = None,
    category: Annotated[
        Category | None, typer.Option("--category", "-c", help="Skill category.")
    ] = None,
    status: Annotated[
        Status | None,
        typer.Option(
            "--status",
            help="[default: scheduled with a start (asked on a terminal), proposed without]",
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
        str | None,
        typer.Option(
            "--language",
            "-l",
            metavar="LANG",
            help="The session's language, a BCP 47 code [default: en].",
            autocompletion=completion.language_tags,
        ),
    ] = None,
    interpretation: Annotated[
        list[str] | None,
        typer.Option(
            "--interpretation",
            "-i",
            metavar="LANG",
            help="An interpretation language (BCP 47); repeatable.",
            autocompletion=completion.language_tags,
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
    translate: Annotated[
        list[str] | None,
        typer.Option(
            "--translate",
            metavar="LANG",
            help="Also hold the title, description and roles in this language (asked for on a "
            "terminal, else written as commented fields to fill); repeatable.",
            autocompletion=completion.language_tags,
        ),
    ] = None,
    force: ForceOption = False,
    dry_run: Annotated[
        bool,
        typer.Option("--dry-run", "-n", help="Print the file it would write; write nothing."),
    ] = False,
    no_input: Annotated[
        bool, typer.Option("--no-input", help="Never ask; fail naming the missing flag.")
    ] = False,
    json_output: JsonOption = False,
) -> None:
    """Create a clinic file in the clinics folder from flags, asking for the rest on a terminal.

    On a terminal, every value the flags leave out is asked for and checked where it is typed
    (asked again with the reason); a local time asks for its zone, and one that a clock change
    repeats or skips shows both instants to choose from. A start in the past or more than 2
    years ahead, or an --id naming another date, is a warning (on a terminal, a question).
    Checks the clinic before writing, writes atomically, never overwrites without --force, and
    shows the start in the target regions' local times against the acceptable hours ([slots]
    of lc.toml), warning (on stderr) when most of a target region is outside them.
    Ctrl-C at a question writes nothing (exit 130).
    """
    from letsconnect_cli.cli import prompts
    from letsconnect_cli.clinic import creation

    context = app_context(ctx)
    interactive = prompts.stdin_is_interactive() and not no_input
    _require_clinics_dir(context)

    fields: dict[str, Any] = {
        "title": title,
        "category": category.value if category else None,
        "status": status.value if status else None,
        "start": None,
        "duration": duration,
        "language": language,
        "interpretation": interpretation,
        "regions": region or [],
        "sharers": [parse_sharer(text) for text in sharer] if sharer else None,
        "platform": platform,
        "meeting_url": meeting_url,
        "registration_url": registration_url,
        "description": description,
        "contact": contact,
        "capacity": capacity,
    }
    if interactive:
        from letsconnect_cli.cli.new_clinic_ask import converse

        _check_flags(fields, {name for name, value in fields.items() if value}, clinic_id)
        fields = converse(context, fields, start_text=start, tz=tz)
    else:
        _from_flags(context, fields, start, tz)
    fields = creation.complete(fields, default_region=context.config.default_region)
    if translate:
        from letsconnect_cli.cli.translate_prompts import add_translations

        add_translations(fields, translate, interactive)

    new_id = _choose_id(clinic_id, fields["title"], fields["start"], interactive)
    created = creation.create_clinic(
        context.clinics_dir, new_id, fields, force=force, dry_run=dry_run, names=FLAG_OF_FIELD
    )
    _render(context, created, json_output=json_output)


def _from_flags(
    context: "AppContext", fields: dict[str, Any], start: str | None, tz: str | None
) -> None:
    """Without questions: --title, and --start unless the clinic is proposed, are required."""
    if fields["title"] is None:
        raise UsageError(
            "--title is required",
            hint="Give it, or run in a terminal without --no-input to be asked.",
        )
    if start is None and fields["status"] != Status.PROPOSED.value:
        raise UsageError(
            "--start is required (or --status proposed for an idea without a date)",
            hint="e.g. --start 2027-04-04T06:00:00Z",
        )
    fields["start"] = parse_start(start, tz) if start else None
    fields["status"] = fields["status"] or (
        Status.SCHEDULED.value if start else Status.PROPOSED.value
    )
    _warn_about_start(context, fields["start"])


def _render(context: "AppContext", created: "Created", *, json_output: bool) -> None:
    """The file (a dry run's text, or its JSON) on stdout; what was done, the local times and
    the time check's warning on stderr."""
    from letsconnect_cli.cli.output import message, print_json, warning
    from letsconnect_cli.clinic.creation import time_warning

    clinic = created.clinic
    err = context.err()
    if json_output:
        data: dict[str, Any] = {"id": clinic.id, "path": str(created.path)}
        if not created.written:
            data.update(dry_run=True, text=created.text())
        print_json(data)
    elif not created.written:
        context.env.out.write(created.text())
        message(err, f"dry run: would write {created.path}; nothing was written")
    else:
        message(err, f"Created {created.path}")
        _show_local_times(context, clinic)
    settings = context.config.slots
    problem = time_warning(clinic, settings.window() if settings.warn else None)
    if problem:
        warning(err, problem)


def _require_clinics_dir(context: "AppContext") -> None:
    """A clinics folder must exist: lc never creates ./clinics/ by surprise (lc init does)."""
    folder = context.clinics_dir
    if folder.is_dir():
        return
    raise UsageError(
        f"there is no clinics folder here ({folder} does not exist)",
        hint="Start a folder with `lc init` (lc.toml, clinics/ and a .gitignore), run lc from "
        "the folder that holds clinics/, or give --clinics-dir DIR.",
    )


def _check_flags(fields: dict[str, Any], given: set[str], clinic_id: str | None) -> None:
    """Before any question: the values given as flags (and --id), by the clinic rules, so a
    bad flag fails before anything is asked and no answer is lost to it."""
    from letsconnect_cli.clinic.drafts import field_problems, id_problems
    from letsconnect_cli.errors import Problem, ValidationFailed

    problems = [
        Problem(FLAG_OF_FIELD.get(name, name), None, text)
        for name in sorted(given - {"status"})
        for text in field_problems(fields, name)
    ]
    if clinic_id is not None:
        problems += [Problem("--id", None, text) for text in id_problems(clinic_id)]
    if problems:
        raise ValidationFailed("the flags are not valid; nothing was asked or written", problems)


def _warn_about_start(context: "AppContext", start: "datetime | None") -> None:
    from letsconnect_cli.cli.output import warning
    from letsconnect_cli.clinic.creation import start_warnings

    for text in start_warnings(start, context.now()):
        warning(context.err(), text)


def _choose_id(
    clinic_id: str | None, title: str, start: "datetime | None", interactive: bool
) -> str:
    """--id, or <date>-<slug>; an --id naming another date than the start's is a warning (on a
    terminal, a question: write it under the id of its date instead?)."""
    from letsconnect_cli.clinic.clinics import clinic_id_for
    from letsconnect_cli.clinic.drafts import id_warning

    derived = clinic_id_for(title, start)
    if clinic_id is None:
        return derived
    problem = id_warning(clinic_id, start)
    if problem is None:
        return clinic_id
    if not interactive:
        from letsconnect_cli.cli.output import stderr, warning

        warning(stderr(), problem)
        return clinic_id
    from letsconnect_cli.cli import prompts
    from letsconnect_cli.cli.output import stderr, warning

    warning(stderr(), problem)
    if prompts.confirm(f"Write it as {derived} instead?", default=True):
        return derived
    return clinic_id


def parse_start(text: str, tz: str | None) -> "datetime":
    """--start as an aware UTC datetime; a local time needs --tz and must exist exactly once there."""
    from datetime import UTC, datetime

    from letsconnect_cli.errors import UsageError
    from letsconnect_cli.places.timezones import localize, resolve_zone

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
        try:
            return moment.astimezone(UTC)
        except OverflowError:  # 0001-01-01T00:00+05:00 is before the first date Python knows
            raise UsageError(
                f"--start {text!r} is out of range", hint="Give a date from 1900 to 9998."
            ) from None
    if tz is None:
        raise UsageError(
            f"--start {text!r} has no time zone",
            hint=f"Add Z for UTC ({text}Z) or an offset ({text}+08:00), or give --tz Asia/Manila "
            "to read it as local time there.",
        )
    try:
        return localize(moment, tz)
    except OverflowError:
        raise UsageError(
            f"--start {text!r} is out of range", hint="Give a date from 1900 to 9998."
        ) from None


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


def _show_local_times(context: "AppContext", clinic: "Clinic") -> None:
    from rich.text import Text

    from letsconnect_cli.cli.output import hours_summary, local_time_table, print_block
    from letsconnect_cli.clinic.creation import local_times

    rows = local_times(clinic, context.config.main_cities())
    if not rows:
        return
    title = f"{clinic.title} — {', '.join(clinic.regions)}"
    window = context.config.slots.window()
    print_block(
        context.out(),
        local_time_table(rows, window, title=title),
        Text(hours_summary(rows, window, list(clinic.regions))),
    )
