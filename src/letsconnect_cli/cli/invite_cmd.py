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
    from letsconnect_cli.invites.issuing import Invite, InvitePlan, IssueResult
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
    from letsconnect_cli.invites import issuing
    from letsconnect_cli.places.regions import normalise_region_code
    from letsconnect_cli.places.timezones import canonical_zone, resolve_zone

    context = app_context(ctx)
    config = context.config
    request = issuing.Request(
        clinic_ids=tuple(clinic_ids or ()),
        view=issuing.View(
            regions=tuple(dict.fromkeys(normalise_region_code(r) for r in region or [])),
            zones=tuple(dict.fromkeys(canonical_zone(resolve_zone(z).key) for z in zone or [])),
            all_zones=all_zones,
        ),
        every=every,
        out_dir=out,
        dry_run=dry_run,
        force=force,
    )
    result = issuing.issue(context.clinics_dir, request, config, dtstamp=context.env.stamp())
    _render(context, result, json_output=json_output, all_zones=all_zones, dry_run=dry_run)
    if result.broken is not None:
        raise result.broken


def _render(
    context: "AppContext",
    result: "IssueResult",
    *,
    json_output: bool,
    all_zones: bool,
    dry_run: bool,
) -> None:
    """The invites (or their JSON) on stdout; warnings and what became of each file on stderr."""
    from letsconnect_cli.cli.output import message, print_json, shown, warning

    config = context.config
    err = context.err()
    plan = result.plan
    if plan is None:
        for text in result.warnings:
            warning(err, text)
        message(
            err,
            "no clinics to invite: none is scheduled or confirmed and still to come; "
            "give clinic ids, or --all for every clinic with a date",
        )
        if json_output:
            print_json([])
        return

    if json_output:
        window = config.slots.window()
        print_json([_as_json(item, window) for item in plan.invites])
    else:
        _show(context, plan, all_zones)
    for text in result.warnings:
        warning(err, text)
    outcomes = result.outcomes
    for item in plan.invites:
        state = outcomes.get(item.path, "would write")
        message(
            err,
            f"{shown(item.path)}: {state} ({item.method}, SEQUENCE {item.sequence}; "
            f"clinic {item.revision.change})",
        )
    if result.broken is not None:
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
    elif result.ledger_written and result.ledger_path is not None:
        message(err, f"recorded in {shown(result.ledger_path)}: commit it with the clinics")


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
