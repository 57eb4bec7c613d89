"""`lc invite`: calendar files for clinics, and what their UTC time means across a region."""

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from letsconnect_cli.cli import completion
from letsconnect_cli.cli.context import app_context
from letsconnect_cli.cli.options import (
    ForceOption,
    JsonOption,
    MapCountryOption,
    RegionsOption,
)

if TYPE_CHECKING:
    from letsconnect_cli.cli.context import AppContext
    from letsconnect_cli.invites.issuing import Invite, InvitePlan
    from letsconnect_cli.slots import Window


def invite(
    ctx: typer.Context,
    clinic_ids: Annotated[
        list[str] | None,
        typer.Argument(
            help="Clinic ids, unique prefixes (2027-03-13) or words only one id has (lexemes) "
            "[default: the scheduled and confirmed clinics that have not started, and cancelled "
            "ones invited before].",
            autocompletion=completion.clinic_ids,
            show_default=False,
            metavar="CLINIC_ID",
        ),
    ] = None,
    region: RegionsOption = None,
    zone: Annotated[
        list[str] | None,
        typer.Option(
            "--zone",
            "-z",
            metavar="ZONE",
            help="Also show this IANA zone, e.g. Pacific/Honolulu; repeatable.",
            autocompletion=completion.time_zones,
        ),
    ] = None,
    all_zones: Annotated[
        bool, typer.Option("--all-zones", help="One row per time zone instead of per zone group.")
    ] = False,
    every: Annotated[
        bool, typer.Option("--all", "-a", help="Every clinic with a date, past ones included.")
    ] = False,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            "-o",
            metavar="DIR",
            help="Folder for the .ics files [default: out_dir of lc.toml's [calendar], "
            "else invites/ beside the clinics folder]; with --registrations, for the .eml files "
            "[default: that folder's CLINIC_ID/mail/].",
        ),
    ] = None,
    dry_run: Annotated[
        bool,
        typer.Option(
            "--dry-run",
            "-n",
            help="Show the invites (or who would get what); write and send nothing.",
        ),
    ] = False,
    registrations: Annotated[
        list[str] | None,
        typer.Option(
            "--registrations",
            metavar="SOURCE",
            help="Email one invitation to each registrant of the clinic in the --region: "
            "registration exports (files, folders, links); repeatable. Writes .eml files unless "
            "--send.",
        ),
    ] = None,
    send: Annotated[
        bool,
        typer.Option(
            "--send",
            help="With --registrations: send through [smtp] (STARTTLS or TLS), at [smtp] "
            "rate_limit, logging each message so a second run sends only what is missing.",
        ),
    ] = False,
    show_addresses: Annotated[
        bool,
        typer.Option(
            "--show-addresses",
            help="With --registrations: show recipients' addresses [default: masked].",
        ),
    ] = False,
    skip_unknown_country: Annotated[
        bool,
        typer.Option(
            "--skip-unknown-country",
            help="With --registrations: leave out registrants whose country is blank or unknown "
            "[default: they are invited, as registrants of the clinic, and counted].",
        ),
    ] = False,
    map_country: MapCountryOption = None,
    include_private: Annotated[
        bool,
        typer.Option(
            "--include-private",
            help="With --registrations: Meta-Wiki event registration links list the "
            "participants who registered privately too, logged in as an organiser of the event "
            "with the bot password of lc publish (LC_WIKI_USERNAME, LC_WIKI_PASSWORD).",
        ),
    ] = False,
    force: ForceOption = False,
    json_output: JsonOption = False,
) -> None:
    """Write calendar invites (.ics) for clinics and show their local times across a region.

    One .ics per clinic (METHOD:PUBLISH; STATUS:CANCELLED once cancelled), and feed.ics, rewritten
    whole on every run from the clinics folder (not from the ids given): every clinic ending within
    [calendar] feed_past_days (90) days before today or later, and every cancelled clinic ever
    issued. A clinic keeps its UID; when its time, title, links or status change, SEQUENCE rises,
    recorded in the clinics folder's .lc-issued.toml (commit it). DTSTAMP is now, or
    SOURCE_DATE_EPOCH for reproducible files. Region: --region, else the clinic's regions, else
    default_region of lc.toml.

    With --registrations: one email per registrant of the clinic living in the --region
    (METHOD:REQUEST, the clinic's UID and SEQUENCE; an update after a change, METHOD:CANCEL once
    cancelled); registrants whose country is unknown are invited too (--skip-unknown-country
    leaves them out), and everyone left out is listed with the reason; as .eml files in --out [default: invites/CLINIC_ID/mail/], or sent with --send.
    Exit 5 when a message was not sent; run again to send only what is missing.
    """
    if (
        registrations
        or send
        or show_addresses
        or include_private
        or skip_unknown_country
        or (map_country)
    ):
        from letsconnect_cli.cli import invite_mail
        from letsconnect_cli.errors import UsageError

        if not registrations:
            raise UsageError(
                "--send, --show-addresses, --include-private, --skip-unknown-country and "
                "--map-country go with --registrations (the registrants to invite)"
            )
        from letsconnect_cli.places.timezones import canonical_zone, resolve_zone

        invite_mail.run(
            app_context(ctx),
            invite_mail.Request(
                clinic_ids=clinic_ids or [],
                regions=region or [],
                zones=tuple(dict.fromkeys(canonical_zone(resolve_zone(z).key) for z in zone or [])),
                all_zones=all_zones,
                every=every,
                registrations=registrations,
                out=out,
                send=send,
                dry_run=dry_run,
                show_addresses=show_addresses,
                force=force,
                json_output=json_output,
                skip_unknown_country=skip_unknown_country,
                map_country=tuple(map_country or ()),
                include_private=include_private,
            ),
        )
        return
    import os

    from letsconnect_cli.cli.output import message, print_json, shown, warning
    from letsconnect_cli.clinic.clinics import read_clinics
    from letsconnect_cli.invites import ics_event, issuing
    from letsconnect_cli.invites.ledger import LEDGER_NAME, Ledger, hold
    from letsconnect_cli.places.regions import normalise_region_code
    from letsconnect_cli.places.timezones import canonical_zone, resolve_zone

    context = app_context(ctx)
    config = context.config
    view = issuing.View(
        regions=tuple(dict.fromkeys(normalise_region_code(r) for r in region or [])),
        zones=tuple(dict.fromkeys(canonical_zone(resolve_zone(z).key) for z in zone or [])),
        all_zones=all_zones,
    )
    dtstamp = ics_event.dtstamp_from(os.environ)
    with hold(context.clinics_dir):  # one run at a time reads and writes the ledger
        now = issuing.now()
        files = read_clinics(context.clinics_dir)
        ledger = Ledger.load(context.clinics_dir / LEDGER_NAME)
        clinics, warnings, broken = issuing.select(
            context.clinics_dir,
            files,
            clinic_ids or [],
            every=every,
            now=now,
            ledger=ledger,
        )
        err = context.err()
        settings = issuing.Settings(
            organizer=ics_event.organizer_from(config.organiser.name, config.organiser.email),
            reminder=config.calendar.reminder,
            default_location=config.calendar.location,
            default_region=config.default_region,
            main_cities=config.main_cities(),
        )
        out_dir = out or config.calendar.out_dir or context.clinics_dir.parent / "invites"
        feed_path = out_dir / issuing.FEED_NAME
        # Without a broken file's clinic the feed would lose its event: then it is left as it was.
        feed = None
        if broken is None:
            feed = issuing.FeedSource(
                clinics=[f.clinic for f in files if f.ok and f.clinic is not None],
                now=now,
                past_days=config.calendar.feed_past_days,
                previous=_previous_feed(feed_path),
            )
        plan = issuing.plan(
            clinics,
            view,
            settings=settings,
            ledger=ledger,
            dtstamp=dtstamp,
            out_dir=out_dir,
            taken_uids={f.clinic.calendar.uid for f in files if f.clinic and f.clinic.calendar.uid},
            feed=feed,
        )
        warnings += plan.warnings
        if not clinics and not plan.feed:
            for text in warnings:
                warning(err, text)
            message(
                err,
                "no clinics to invite: none is scheduled or confirmed and still to come; "
                "give clinic ids, or --all for every clinic with a date",
            )
            if json_output:
                print_json([])
            if broken is not None:
                raise broken
            return
        outcomes: dict[Path, str] = {}
        ledger_written = False
        if broken is not None:
            kept = "left as it was, while a clinic file has problems"
            outcomes[plan.feed_path] = ("would be " if dry_run else "") + kept
        if not dry_run:
            for item in plan.invites:
                outcomes[item.path] = issuing.write_file(item.path, item.data, force=force)
            if plan.feed:
                outcomes[plan.feed_path] = issuing.write_file(
                    plan.feed_path, plan.feed, force=force
                )
            ledger_written = ledger.save()

    if json_output:
        window = context.config.slots.window()
        print_json([_as_json(item, window) for item in plan.invites])
    else:
        _show(context, plan, all_zones)
    for text in warnings:
        warning(err, text)
    for item in plan.invites:
        state = outcomes.get(item.path, "would write")
        message(
            err,
            f"{shown(item.path)}: {state} ({item.method}, SEQUENCE {item.sequence}; "
            f"clinic {item.revision.change})",
        )
    if broken is not None:
        message(err, f"{shown(plan.feed_path)}: {outcomes[plan.feed_path]}")
    elif plan.feed:
        state = outcomes.get(plan.feed_path, "would write")
        message(err, f"{shown(plan.feed_path)}: {state} ({plan.feed_events} event(s))")
    else:
        days = config.calendar.feed_past_days
        message(
            err,
            f"{shown(plan.feed_path)}: not written: no clinic ends within the last {days} day(s) "
            "or later, and none issued was cancelled ([calendar] feed_past_days)",
        )
    if dry_run:
        message(err, "dry run: no file was written")
    elif ledger_written:
        message(err, f"recorded in {shown(ledger.path)}: commit it with the clinics")
    if broken is not None:
        raise broken


def _previous_feed(path: Path) -> bytes | None:
    """The feed written before, if lc wrote it (its events are kept for clinics gone invalid)."""
    from letsconnect_cli.invites.ics_event import PRODID

    try:
        data = path.read_bytes()
    except OSError:
        return None
    return data if ("PRODID:" + PRODID).encode("utf-8") in data[:4096] else None


def _show(context: "AppContext", plan: "InvitePlan", all_zones: bool) -> None:
    from rich.text import Text

    from letsconnect_cli.cli.output import (
        clinic_heading,
        hours_summary,
        local_time_table,
        print_block,
    )
    from letsconnect_cli.invites.ics_event import when_utc

    out = context.out()
    window = context.config.slots.window()
    for index, item in enumerate(plan.invites):
        if index:
            out.print()
        content = item.content
        clinic = item.clinic
        where = f"; local times for {', '.join(item.regions)}" if item.regions else ""
        lines: list[Any] = [
            clinic_heading(clinic),
            Text(when_utc(content.start, content.end) + where),
        ]
        if item.local_times:
            lines.append(local_time_table(item.local_times, window, all_zones=all_zones))
            summary = hours_summary(
                item.local_times, window, list(item.regions), all_zones=all_zones
            )
            lines.append(Text(summary))
        print_block(out, *lines)


def _as_json(item: "Invite", window: "Window") -> dict[str, Any]:
    from letsconnect_cli.cli.output import inside_hours, shown

    content = item.content
    return {
        "id": item.clinic.id,
        "title": content.summary,
        "status": item.clinic.status.value,
        "start_utc": content.start.isoformat(),
        "end_utc": content.end.isoformat(),
        "uid": content.uid,
        "sequence": item.sequence,
        "method": item.method,
        "ics": shown(item.path),
        "regions": list(item.regions),
        "local_times": [
            {
                "zone": row.zone,
                "label": row.label,
                "zones": list(row.zones or (row.zone,)),
                "countries": list(row.countries),
                "utc_offset": row.utc_offset,
                "start": row.start.isoformat(),
                "end": row.end.isoformat(),
                "day_offset": row.day_offset,
                "night": row.night,
                "inside_hours": inside_hours(row, window),
                "clock_change": row.clock_change.as_json() if row.clock_change else None,
            }
            for row in item.local_times
        ],
    }
