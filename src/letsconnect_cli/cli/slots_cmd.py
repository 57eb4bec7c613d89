"""`lc slots`: which UTC start times suit a region's people, from the local hours they live by."""

from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer

from letsconnect_cli.cli import completion
from letsconnect_cli.cli.context import app_context
from letsconnect_cli.cli.options import JsonOption, RegionsOption
from letsconnect_cli.vocab import Scheme

if TYPE_CHECKING:
    from datetime import date, datetime

    from letsconnect_cli.cli.context import AppContext
    from letsconnect_cli.cli.slots_view import SlotsQuery
    from letsconnect_cli.places.regions import Region
    from letsconnect_cli.slots import RegionWeights

_T = TypeVar("_T")


def slots(
    ctx: typer.Context,
    region: RegionsOption = None,
    duration: Annotated[
        str | None,
        typer.Option(
            "--duration",
            "-d",
            metavar="DURATION",
            help="Session length: 2h, 90m, 1h30m [default: [slots] duration, else 2h].",
            show_default=False,
        ),
    ] = None,
    on_date: Annotated[
        str | None,
        typer.Option(
            "--date",
            metavar="YYYY-MM-DD",
            help="Candidate starts: this UTC day, every 30 minutes from 00:00 to 23:30.",
        ),
    ] = None,
    week: Annotated[
        str | None,
        typer.Option(
            "--week",
            metavar="YYYY-Www",
            help="Candidate starts: the 7 UTC days of this ISO week, e.g. 2023-W13 "
            "[default (no --date/--week): the next 7 days from today, UTC].",
        ),
    ] = None,
    hours: Annotated[
        str | None,
        typer.Option(
            "--hours",
            metavar="HH:MM-HH:MM",
            help="Acceptable local hours; the whole session must lie inside them "
            "[default: [slots] hours, else 08:00-21:00].",
            show_default=False,
        ),
    ] = None,
    days: Annotated[
        str | None,
        typer.Option(
            "--days",
            metavar="DAYS",
            help="Allowed local days: sat,sun; mon-fri; weekdays; weekend; all "
            "[default: [slots] days, else all].",
            show_default=False,
        ),
    ] = None,
    registrations: Annotated[
        list[str] | None,
        typer.Option(
            "--registrations",
            metavar="SOURCE",
            help="Weight each country by its registrants in these exports (files, folders, "
            "links, as for lc report) instead of equally; repeatable.",
        ),
    ] = None,
    clinic: Annotated[
        str | None,
        typer.Option(
            "--clinic",
            metavar="CLINIC_ID",
            autocompletion=completion.clinic_ids,
            help="With --registrations: count the registrants of this clinic only (and rows "
            "naming no clinic).",
        ),
    ] = None,
    scheme: Annotated[
        Scheme,
        typer.Option("--scheme", help="Regions: wikimedia (8) or grant-committee (7, with MEA)."),
    ] = Scheme.WIKIMEDIA,
    top: Annotated[
        int,
        typer.Option("--top", "-n", metavar="N", min=0, help="How many starts to list; 0: all."),
    ] = 5,
    json_output: JsonOption = False,
) -> None:
    """Rank UTC start times by the share of a region's people for whom the whole session falls
    in acceptable local hours, and show a day's local hours per zone group.

    Every country of the region counts alike (a country with several zones shared among them),
    or by its registrants with --registrations. Daylight saving is taken on each date.
    """
    from letsconnect_cli import slots as core

    context = app_context(ctx)
    now = context.now()
    plan = make_plan(
        context,
        region,
        duration=duration,
        on_date=on_date,
        week=week,
        hours=hours,
        days=days,
        registrations=registrations,
        clinic=clinic,
        scheme=scheme,
        today=now.date(),
    )
    _notes(context, plan.notes)
    starts, passed = _upcoming(core.starts_on(plan.days), now)
    if passed:
        _notes(context, [f"{passed} start(s) before now ({now:%Y-%m-%d %H:%M} UTC) left out"])
    scored = core.score_starts(plan.weights.zones, starts, plan.duration, plan.window)
    ranked = core.rank(scored)
    shown = ranked if top == 0 else ranked[:top]
    if json_output:
        from letsconnect_cli.cli.output import print_json
        from letsconnect_cli.cli.slots_view import slots_json

        print_json(slots_json(plan, shown))
        return
    from letsconnect_cli.cli.slots_view import render

    render(context.out(), plan, shown, scored)


def _upcoming(starts: "list[datetime]", now: "datetime") -> "tuple[list[datetime], int]":
    """The starts still to come (lc slots never proposes one that has passed), and how many
    were left out; UsageError when none is left."""
    from letsconnect_cli.errors import UsageError

    upcoming = [start for start in starts if start > now]
    if not upcoming:
        raise UsageError(
            f"every candidate start has passed (now: {now:%Y-%m-%d %H:%M} UTC)",
            hint="Give a later --date or --week, or neither for the next 7 days.",
        )
    return upcoming, len(starts) - len(upcoming)


def make_plan(
    context: "AppContext",
    codes: list[str] | None,
    *,
    duration: str | None,
    on_date: str | None,
    week: str | None,
    hours: str | None,
    days: str | None,
    registrations: list[str] | None,
    clinic: str | None,
    scheme: Scheme,
    today: "date",
) -> "SlotsQuery":
    """Resolve the options (flags over [slots] of lc.toml) into a SlotsQuery; UsageError naming the
    flag for a bad value."""
    from datetime import timedelta

    from letsconnect_cli import slots as core
    from letsconnect_cli.cli.slots_view import SlotsQuery
    from letsconnect_cli.clinic.durations import duration_literal, parse_duration
    from letsconnect_cli.errors import UsageError
    from letsconnect_cli.places import regions as regions_lib

    config = context.config
    settings = config.slots
    if not codes:
        if config.default_region is None:
            raise UsageError(
                "no region given",
                hint="Give --region CODE (e.g. --region ESEAP), or set default_region in lc.toml.",
            )
        codes = [config.default_region]
    main_cities = config.main_cities()
    chosen: list[Region] = []
    for code in codes:
        item = regions_lib.region(code, scheme, main_cities)
        if item.code not in [r.code for r in chosen]:
            chosen.append(item)

    length = _flag_value("--duration", parse_duration, duration or settings.duration)
    if not timedelta(minutes=15) <= length <= timedelta(hours=12):
        raise UsageError(
            f"--duration {duration_literal(length)}: a session lasts 15 minutes to 12 hours"
        )
    opens, closes = _flag_value("--hours", core.parse_hours, hours or settings.hours)
    allowed = _flag_value("--days", core.parse_days, days or settings.days)
    win = core.Window(opens, closes, allowed)
    if length.total_seconds() > win.span:
        raise UsageError(
            f"a {duration_literal(length)} session never fits in {win.hours}",
            hint="Give longer --hours or a shorter --duration.",
        )
    if on_date and week:
        raise UsageError("give --date or --week, not both")
    if on_date:
        chosen_days = [_flag_value("--date", core.parse_day, on_date)]
    elif week:
        chosen_days = _flag_value("--week", core.parse_week, week)
    else:
        chosen_days = core.next_days(today)

    notes: list[str] = []
    if registrations:
        weights, weighting = _registrant_weights(
            context, chosen, registrations, clinic, scheme, notes
        )
    else:
        if clinic:
            raise UsageError("--clinic counts registrants: give --registrations too")
        weights = core.region_weights(chosen)
        weighting = "every country alike"
    return SlotsQuery(
        regions=chosen,
        days=chosen_days,
        days_given=bool(on_date or week),
        duration=length,
        window=win,
        weights=weights,
        weighting=weighting,
        notes=notes,
    )


def _flag_value(flag: str, parse: Callable[[str], _T], text: str) -> _T:
    from letsconnect_cli.errors import UsageError

    try:
        return parse(text)
    except ValueError as error:
        raise UsageError(f"{flag}: {error}") from None


def _registrant_weights(
    context: "AppContext",
    chosen: "list[Region]",
    sources: list[str],
    clinic: str | None,
    scheme: Scheme,
    notes: list[str],
) -> "tuple[RegionWeights, str]":
    """Weights from registration exports: unique registrants per country of the regions."""
    from letsconnect_cli import slots as core
    from letsconnect_cli.cli.exports import read_options
    from letsconnect_cli.clinic.clinics import read_clinics
    from letsconnect_cli.errors import UsageError
    from letsconnect_cli.ingest import IngestLog, read_records
    from letsconnect_cli.places.regions import countries

    config = context.config
    clinics = []
    if context.clinics_dir.is_dir():
        clinics = [f.clinic for f in read_clinics(context.clinics_dir) if f.ok and f.clinic]
    options = read_options(config, scheme=scheme, clinic=clinic)
    log = IngestLog()
    registrants = core.count_registrants(read_records(sources, clinics, options, log))
    notes.extend(log.all_warnings())
    if log.unattributed:
        notes.append(
            f"{log.unattributed} row(s) left out: no clinic of {context.clinics_dir} matches them "
            "(give --clinic ID for exports of one clinic; `lc report` says more)"
        )
    if log.other_clinics:
        notes.append(f"{log.other_clinics} row(s) of other clinics left out (--clinic)")
    weights = core.registrant_weights(chosen, registrants)
    members = set(weights.countries)
    inside = sum(n for code, n in registrants.by_country.items() if code in members)
    outside = sum(n for code, n in registrants.by_country.items() if code not in members)
    names = " and ".join(r.code for r in chosen)
    if inside == 0:
        hint = "Check the exports and --region; without --registrations every country counts alike."
        if log.unattributed:
            hint = (
                f"{log.unattributed} row(s) were left out because no clinic of "
                f"{context.clinics_dir} matches them: give --clinic ID to count an export of "
                "one clinic. " + hint
            )
        raise UsageError(f"no registrant of the exports lives in {names}", hint=hint)
    if outside:
        notes.append(f"{outside} registrant(s) from outside {names} not counted")
    if registrants.without_country:
        notes.append(f"{registrants.without_country} registrant(s) without a country not counted")
    if weights.unweighted:
        table = countries()
        public = [c for c in weights.unweighted if not table[c].protected]
        hidden = len(weights.unweighted) - len(public)
        text = ", ".join(public) if public else ""
        if hidden:
            text += (", and " if text else "") + f"{hidden} of the protection list"
        notes.append(
            f"{len(weights.unweighted)} of the {len(weights.countries) - len(weights.without_zone)} "
            f"countries have no registrant in the exports and weigh 0: {text}"
        )
    counted = sum(1 for c in members if registrants.by_country.get(c))
    weighting = f"registrants ({inside} from {counted} countries, {len(log.sources)} file(s))"
    if weights.unweighted:
        weighting += f"; {len(weights.unweighted)} countries weigh 0"
    return weights, weighting


def _notes(context: "AppContext", notes: list[str]) -> None:
    from letsconnect_cli.cli.output import note

    for text in notes:
        note(context.err(), text)
