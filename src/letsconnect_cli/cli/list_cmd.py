"""`lc list`: the clinics, by start, with filters."""

from typing import TYPE_CHECKING, Annotated, Any

import typer

from letsconnect_cli.cli import completion
from letsconnect_cli.cli.context import app_context
from letsconnect_cli.cli.options import JsonOption, RegionsOption, TzOption
from letsconnect_cli.vocab import Status

if TYPE_CHECKING:
    from datetime import datetime

    from letsconnect_cli.clinic.models import Clinic


def list_clinics(
    ctx: typer.Context,
    upcoming: Annotated[
        bool, typer.Option("--upcoming", help="Only clinics not over yet (and proposed ones).")
    ] = False,
    past: Annotated[bool, typer.Option("--past", help="Only clinics that are over.")] = False,
    status: Annotated[
        list[Status] | None,
        typer.Option(
            "--status",
            "-s",
            metavar="STATUS",
            help="Only this status (proposed, scheduled, confirmed, done, cancelled); repeatable.",
        ),
    ] = None,
    region: RegionsOption = None,
    tz: TzOption = None,
    lang: Annotated[
        str | None,
        typer.Option(
            "--lang",
            "-l",
            metavar="LANG",
            help="Show the titles in this language (BCP 47) where the clinic file translates "
            "them; the others in English, marked *.",
            autocompletion=completion.language_tags,
        ),
    ] = None,
    json_output: JsonOption = False,
) -> None:
    """List clinics sorted by start (proposed ones last): id, status, start in UTC (and --tz), title, sharers."""

    from letsconnect_cli.cli.output import print_json
    from letsconnect_cli.clinic.clinics import read_clinics, usable_clinics
    from letsconnect_cli.errors import UsageError
    from letsconnect_cli.places.regions import normalise_region_code
    from letsconnect_cli.places.timezones import resolve_zone

    if upcoming and past:
        raise UsageError("--upcoming and --past exclude each other; give one of them")
    context = app_context(ctx)
    zone_name = tz or context.config.timezone
    zone = resolve_zone(zone_name) if zone_name else None
    wanted_regions = {normalise_region_code(r) for r in region or []}
    if lang is not None:
        from letsconnect_cli.places.languages import LanguageTagError, normalise_language_tag

        try:
            lang = normalise_language_tag(lang)
        except LanguageTagError as error:
            raise UsageError(f"--lang: {error}") from None
    now = context.now()

    # A broken file is named at the end (exit 3), after the list of all the others.
    usable, broken = usable_clinics(read_clinics(context.clinics_dir))
    clinics = []
    for clinic in usable:
        over = clinic.end is not None and clinic.end <= now
        if upcoming and (over or clinic.status in (Status.DONE, Status.CANCELLED)):
            continue
        if past and not over:
            continue
        if status and clinic.status not in status:
            continue
        if wanted_regions and not wanted_regions.intersection(clinic.regions):
            continue
        clinics.append(clinic)

    if json_output:
        print_json([_as_json(clinic, zone, lang) for clinic in clinics])
    else:
        _table(context, clinics, zone, lang)
    if broken is not None:
        raise broken


def _table(context: Any, clinics: "list[Clinic]", zone: Any, lang: str | None) -> None:
    from rich.console import Group
    from rich.text import Text

    from letsconnect_cli.cli.output import new_table, print_block
    from letsconnect_cli.escaping import escape_name, escape_terminal

    table = new_table()
    table.add_column("start (UTC)" if zone is None else f"start (UTC, {zone.key})", no_wrap=True)
    table.add_column("status", no_wrap=True)
    # The id is never wrapped or cut (people copy it and grep for it): the title and sharers wrap.
    widest_id = max((len(c.id) for c in clinics), default=0)
    table.add_column("clinic: id, title, sharers", overflow="fold", min_width=widest_id)
    for clinic in clinics:
        when = _when(clinic.start, None)
        if zone is not None and clinic.start is not None:
            when += "\n" + _when(clinic.start, zone)
        lines = [_one_line(_title(clinic, lang))]
        if clinic.sharers:
            lines.append(", ".join(_one_line(s.name) for s in clinic.sharers))
        # Text objects are built here, not by the console (Rich drops BEL and other controls
        # from a Text it is given): control characters are written visibly first.
        cell = Group(
            Text(escape_name(clinic.id), no_wrap=True, overflow="ignore"),
            Text(escape_terminal("\n".join(lines))),
        )
        table.add_row(when, clinic.status.value, cell)
    out = context.out()
    if clinics:
        print_block(out, table, crop=False)
    context.err().print(f"{len(clinics)} clinic(s)", markup=False)
    untranslated = sum(1 for c in clinics if lang and _translated(c, lang) is None)
    if untranslated:
        context.err().print(
            f"* {untranslated} title(s) have no {lang} translation: shown in English",
            markup=False,
        )


def _translated(clinic: "Clinic", lang: str) -> str | None:
    """The clinic's title in `lang`: its own when that is its language, else its translation."""
    from letsconnect_cli.clinic.translations import texts

    found = texts(clinic, lang)
    return None if "title" in found.fallbacks else found.title


def _title(clinic: "Clinic", lang: str | None) -> str:
    if lang is None:
        return clinic.title
    translated = _translated(clinic, lang)
    return translated if translated is not None else f"{clinic.title} *"


def _one_line(text: str) -> str:
    """A title or name on one line of its cell (its other control characters are shown)."""
    return " ".join(part.strip() for part in text.splitlines() if part.strip())


def _when(start: "datetime | None", zone: Any) -> str:
    if start is None:
        return "(no date)"
    if zone is None:
        return f"{start:%a %Y-%m-%d %H:%M}"

    from letsconnect_cli.places.timezones import format_offset

    local = start.astimezone(zone)
    return f"{local:%a %H:%M} {format_offset(local.utcoffset())}"


def _as_json(clinic: "Clinic", zone: Any, lang: str | None = None) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": clinic.id,
        "title": clinic.title,
        "status": clinic.status.value,
        "category": clinic.category.value if clinic.category else None,
        "start_utc": clinic.start.isoformat() if clinic.start else None,
        "end_utc": clinic.end.isoformat() if clinic.end else None,
    }
    if zone is not None:
        data["start_local"] = clinic.start.astimezone(zone).isoformat() if clinic.start else None
    data.update(
        {
            "regions": clinic.regions,
            "language": clinic.language,
            "interpretation": clinic.interpretation,
            "sharers": [s.model_dump(exclude={"translations"}) for s in clinic.sharers],
        }
    )
    if lang is not None:
        data["lang"] = lang
        data["title_translated"] = _translated(clinic, lang)
    return data
