"""`lc invite CLINIC --region R --registrations SOURCE`: invitations by email to a region's
registrants, as .eml files, or sent with --send; --dry-run says who would get what."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from letsconnect_cli.cli.context import AppContext
    from letsconnect_cli.config import Config
    from letsconnect_cli.mail.deliver import Outcome
    from letsconnect_cli.mail.invitations import Prepared
    from letsconnect_cli.mail.plan import Delivery
    from letsconnect_cli.mail.smtp import Server
    from letsconnect_cli.regions import Region
    from letsconnect_cli.vocab import Scheme

KIND_LABELS = {
    "new": "invitation",
    "update": "update",
    "cancel": "cancellation",
    "current": "up to date",
}


@dataclass(frozen=True)
class Request:
    """The options of one run."""

    clinic_ids: list[str]
    regions: list[str]
    zones: tuple[str, ...]
    all_zones: bool
    every: bool
    registrations: list[str]
    out: Path | None
    send: bool
    dry_run: bool
    show_addresses: bool
    force: bool
    json_output: bool


def run(context: AppContext, request: Request) -> None:
    import contextlib
    import os
    from datetime import UTC, datetime

    from letsconnect_cli import calendar, invites
    from letsconnect_cli.cli.announce_cmd import organiser_of
    from letsconnect_cli.cli.output import message, warning
    from letsconnect_cli.clinics import find_clinic, read_clinics
    from letsconnect_cli.ledger import LEDGER_NAME, Ledger
    from letsconnect_cli.mail.invitations import MailSettings, prepare
    from letsconnect_cli.mail.sendlog import STATE_DIR, SendLog

    clinic_id = _check(request)
    config = context.config
    regions, scheme = _regions(request.regions, config)
    files = read_clinics(context.clinics_dir)
    clinic = find_clinic(context.clinics_dir, clinic_id)
    records = _records(context, request.registrations, files, clinic.id, scheme)
    organizer = calendar.organizer_from(config.organiser.name, config.organiser.email)
    settings = MailSettings(
        calendar=invites.Settings(
            organizer=organizer,
            reminder=config.calendar.reminder,
            default_location=config.calendar.location,
            default_region=config.default_region,
            main_cities=config.main_cities(),
        ),
        sender=config.smtp.from_address or organizer.email,
        organiser=organiser_of(config),
        user_dir=config.announce.templates_dir or context.clinics_dir.parent / "templates",
    )
    state_dir = config.smtp.state_dir or context.clinics_dir.parent / STATE_DIR
    log = SendLog.open(state_dir, create=not request.dry_run)
    ledger = Ledger.load(context.clinics_dir / LEDGER_NAME)
    # A sending run holds the send log from planning to the last message: no other run can send
    # to the same people in between.
    with log.lock() if request.send else contextlib.nullcontext():
        prepared = prepare(
            clinic,
            records,
            view=invites.View(_view_codes(regions), request.zones, request.all_zones),
            regions=regions,
            settings=settings,
            ledger=ledger,
            log=log,
            dtstamp=calendar.dtstamp_from(os.environ),
            now=datetime.now(UTC),
            taken_uids={f.clinic.calendar.uid for f in files if f.clinic and f.clinic.calendar.uid},
            build=not request.dry_run,
        )
        err = context.err()
        if log.torn:
            warning(
                err, f"{log.path}: its last line was cut short (a crash while writing); ignored"
            )
        for text in prepared.warnings:
            warning(err, text)
        if request.dry_run:
            _report(context, request, prepared, mode="dry-run")
            message(err, "dry run: nothing was sent or written")
            return
        server = _server(config, err) if request.send and prepared.outgoing else None
        if ledger.save():
            message(
                err, f"recorded SEQUENCE {prepared.invite.sequence} in {ledger.path}: commit it"
            )
        if server is None:
            if request.send:
                _report(context, request, prepared, mode="send", outcomes=[])
                message(err, _nothing(prepared))
            else:
                _write(context, request, prepared, config)
            return
        _send(context, request, prepared, config, log, settings.sender, server)


def _nothing(prepared: Prepared) -> str:
    current = prepared.plan.counts()["current"]
    return f"nothing to send: {current} up to date, nobody else needs a message (see above)"


def _server(config: Config, err: Any) -> Server:
    """The mail server and the password, checked before anything is recorded or sent."""
    from letsconnect_cli.cli.output import warning
    from letsconnect_cli.mail.smtp import server_from
    from letsconnect_cli.passwords import read_secret

    secret = read_secret("LC_SMTP_PASSWORD", config.smtp.password_file, "[smtp] password_file")
    if secret is not None and secret.warning:
        warning(err, secret.warning)
    return server_from(config.smtp, secret.value if secret is not None else None)


def _check(request: Request) -> str:
    from letsconnect_cli.errors import UsageError

    if request.every or len(request.clinic_ids) != 1:
        raise UsageError(
            "emailed invitations are for one clinic at a time: give exactly one CLINIC_ID "
            "(not --all)"
        )
    if not request.regions:
        raise UsageError(
            "--registrations invites the registrants of a region: give --region",
            hint="For example: lc invite CLINIC_ID --region ESEAP --registrations exports/",
        )
    if request.send and request.dry_run:
        raise UsageError("--send and --dry-run exclude each other; give one")
    if request.send and request.out is not None:
        raise UsageError("--out is the folder of .eml files, written without --send")
    return request.clinic_ids[0]


def _regions(codes: list[str], config: Config) -> tuple[list[Region], Scheme]:
    """The regions named, all of one scheme (the Foundation's 8, or the grant committees' 7)."""
    from letsconnect_cli.errors import UsageError
    from letsconnect_cli.regions import region
    from letsconnect_cli.vocab import SCHEME_REGIONS, Scheme

    schemes = [Scheme.WIKIMEDIA, Scheme.GRANT_COMMITTEE]
    found: list[Region] = []
    for code in dict.fromkeys(codes):
        scheme = next(
            (s for s in schemes if code.strip().upper() in SCHEME_REGIONS[s]), Scheme.WIKIMEDIA
        )
        found.append(region(code, scheme, main_cities=config.main_cities()))
    kinds = {item.scheme for item in found}
    if len(kinds) > 1:
        raise UsageError("give regions of one scheme: MEA (until mid-2023) replaced MENA and SSA")
    return found, found[0].scheme


def _view_codes(regions: list[Region]) -> tuple[str, ...]:
    """The regions whose local times the calendar shows: the Foundation's regions covering the
    countries (a grant-committee region such as MEA is shown as MENA and SSA)."""
    codes: dict[str, None] = {}
    for item in regions:
        for country in item.countries:
            if country.region:
                codes.setdefault(country.region, None)
    return (
        tuple(sorted(codes))
        if any(r.scheme.value != "wikimedia" for r in regions)
        else tuple(r.code for r in regions)
    )


def _records(
    context: AppContext, sources: list[str], files: list[Any], clinic_id: str, scheme: Scheme
) -> list[Any]:
    from letsconnect_cli.cli.output import warning
    from letsconnect_cli.ingest import FetchOptions, IngestLog, ReadOptions, read_records
    from letsconnect_cli.ingest.fields import check_column_map

    settings = context.config.report
    options = ReadOptions(
        scheme=scheme,
        columns=check_column_map(settings.columns, "[report.columns] in lc.toml"),
        clinic=clinic_id,
        clinic_names=settings.clinic_names,
        fetch=FetchOptions(
            timeout=settings.timeout, max_bytes=settings.max_download_mb * 1024 * 1024
        ),
    )
    log = IngestLog()
    clinics = [f.clinic for f in files if f.ok and f.clinic is not None]
    records = list(read_records(sources, clinics, options, log))
    err = context.err()
    for text in log.all_warnings():
        warning(err, text)
    if log.skips_total:
        warning(err, f"{log.skips_total} row(s) of the exports were left out (unreadable rows)")
    return records


# --- writing and sending ----------------------------------------------------------------------


def _write(context: AppContext, request: Request, prepared: Prepared, config: Config) -> None:
    from letsconnect_cli.cli.invite import shown
    from letsconnect_cli.cli.output import message
    from letsconnect_cli.mail.invitations import eml_name, write_eml

    folder = request.out or (
        (config.calendar.out_dir or context.clinics_dir.parent / "invites")
        / prepared.clinic.id
        / "mail"
    )
    outcomes = (
        write_eml(folder, prepared.outgoing, force=request.force) if prepared.outgoing else {}
    )
    files = {item.delivery.recipient: folder / eml_name(item) for item in prepared.outgoing}
    _report(context, request, prepared, mode="eml", files=files, states=outcomes)
    err = context.err()
    if outcomes:
        written = sum(1 for state in outcomes.values() if state != "unchanged")
        message(
            err,
            f"wrote {written} message(s) to {shown(folder)} ({len(outcomes) - written} unchanged); "
            "nothing was sent, and nothing is recorded as sent: --send sends them",
        )
    else:
        message(err, "no message to write: " + _nothing(prepared).split(": ", 1)[1])


def _send(
    context: AppContext,
    request: Request,
    prepared: Prepared,
    config: Config,
    log: Any,
    sender: str,
    server: Server,
) -> None:
    from letsconnect_cli.cli.output import message
    from letsconnect_cli.errors import RemoteError
    from letsconnect_cli.mail import deliver
    from letsconnect_cli.mail.smtp import Connection

    err = context.err()
    items = prepared.outgoing
    with _progress(context, len(items)) as advance, Connection(server) as connection:
        message(err, f"sending {len(items)} message(s) through {server.name}")
        outcomes = deliver.deliver(
            items,
            connection,
            log,
            sender=sender,
            clinic_id=prepared.clinic.id,
            uid=prepared.invite.content.uid,
            pace=deliver.Pace(config.smtp.rate_limit),
            on_outcome=lambda _outcome: advance(),
        )
    _report(context, request, prepared, mode="send", outcomes=outcomes)
    sent = sum(1 for o in outcomes if o.status == deliver.SENT)
    message(err, f"sent {sent} of {len(items)} message(s); recorded in {log.path}")
    unsent = len(items) - sent
    if unsent:
        raise RemoteError(
            f"{unsent} of {len(items)} message(s) were not sent (see the report above)",
            hint="Run the same command again to retry them: lc sends only to those not yet served.",
        )


def _progress(context: AppContext, total: int) -> Any:
    """A progress bar on stderr, on a terminal only; yields a function advancing it by one."""
    import contextlib

    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    console = context.err()

    @contextlib.contextmanager
    def bar() -> Any:
        if not console.is_terminal:
            yield lambda: None
            return
        with Progress(
            "sending",
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            console=console,
            transient=True,
        ) as progress:
            task = progress.add_task("sending", total=total)
            yield lambda: progress.update(task, advance=1, refresh=True)

    return bar()


# --- the report ---------------------------------------------------------------------------------


def mask(address: str) -> str:
    """'j***@e***.org': enough to tell people apart in a report, not to read the address."""
    local, _, domain = address.partition("@")
    labels = domain.split(".")
    return f"{local[:1]}***@{labels[0][:1]}***.{labels[-1]}"


def _report(
    context: AppContext,
    request: Request,
    prepared: Prepared,
    *,
    mode: str,
    files: dict[str, Path] | None = None,
    states: dict[str, str] | None = None,
    outcomes: list[Outcome] | None = None,
) -> None:
    from letsconnect_cli.cli.output import print_json

    by_recipient = {o.item.delivery.recipient: o for o in outcomes or []}
    rows = []
    for delivery in prepared.plan.deliveries:
        outcome = by_recipient.get(delivery.recipient)
        file = (files or {}).get(delivery.recipient)
        rows.append(_row(request, prepared, delivery, mode, outcome, file, states or {}))
    if request.json_output:
        print_json(_as_json(prepared, mode, rows, files))
        return
    _show(context, request, prepared, mode, rows)


def _row(
    request: Request,
    prepared: Prepared,
    delivery: Delivery,
    mode: str,
    outcome: Outcome | None,
    file: Path | None,
    states: dict[str, str],
) -> dict[str, Any]:
    message_id = next(
        (i.message_id for i in prepared.outgoing if i.delivery.recipient == delivery.recipient),
        None,
    )
    if not delivery.sends:
        state, detail = "up to date", ""
    elif mode == "dry-run":
        state, detail = "would send", ""
    elif mode == "eml":
        state, detail = "written", states.get(file.name, "") if file else ""
    elif outcome is not None:
        state, detail = outcome.status, outcome.detail
    else:
        state, detail = "not sent", ""
    return {
        "id": delivery.recipient[:16] if prepared.stable_ids else None,
        "address": delivery.address if request.show_addresses else mask(delivery.address),
        "country": delivery.country,
        "in_region": delivery.in_region,
        "kind": delivery.kind,
        "method": delivery.method,
        "sequence": delivery.sequence,
        "language": prepared.languages.get(delivery.recipient),
        "message_id": message_id if delivery.sends else None,
        "file": str(file) if file else None,
        "outcome": state,
        "detail": detail,
    }


def _as_json(
    prepared: Prepared, mode: str, rows: list[dict[str, Any]], files: dict[str, Path] | None
) -> dict[str, Any]:
    plan = prepared.plan
    people = plan.registrants
    data: dict[str, Any] = {
        "clinic": prepared.clinic.id,
        "uid": plan.uid,
        "status": prepared.clinic.status.value,
        "sequence": plan.sequence,
        "method": plan.method,
        "regions": list(plan.regions),
        "mode": mode,
        "counts": plan.counts(),
        "by_country": plan.by_country(),
        "not_invited": {
            "outside_region": plan.outside_region,
            "no_country": plan.no_country,
            "without_address": people.without_address,
            "bad_address": people.bad_address,
            "never_invited": plan.never_invited,
        },
        "unreachable": plan.unreachable,
        "registration_rows": people.rows,
        "recipients": rows,
    }
    if mode == "send":
        data["sent"] = sum(1 for r in rows if r["outcome"] == "sent")
        data["not_sent"] = sum(1 for r in rows if r["kind"] != "current" and r["outcome"] != "sent")
    return data


def _show(
    context: AppContext, request: Request, prepared: Prepared, mode: str, rows: list[dict[str, Any]]
) -> None:
    from rich.text import Text

    from letsconnect_cli.calendar import when_utc
    from letsconnect_cli.cli.output import new_table, print_block
    from letsconnect_cli.regions import countries

    plan = prepared.plan
    content = prepared.invite.content
    names = countries()
    blocks: list[Any] = [
        Text(f"{prepared.clinic.id} ({prepared.clinic.status.value}): {content.summary}"),
        Text(
            f"{when_utc(content.start, content.end)}; {plan.method}, SEQUENCE {plan.sequence}; "
            f"registrants in {', '.join(plan.regions)}"
        ),
    ]
    table = new_table()
    table.add_column("country")
    for kind in KIND_LABELS.values():
        table.add_column(kind, justify="right")
    totals = plan.counts()
    for code, counts in plan.by_country().items():
        label = f"{code} {names[code].name}" if code in names else "(unknown)"
        table.add_row(label, *(str(counts[k] or "") for k in KIND_LABELS))
    table.add_row("total", *(str(totals[k]) for k in KIND_LABELS))
    blocks.append(table)
    blocks.append(Text(_not_invited(prepared)))
    if mode != "dry-run" or request.show_addresses:
        detail = new_table()
        detail.add_column("recipient")
        detail.add_column("id")
        detail.add_column("country")
        detail.add_column("what")
        detail.add_column("lang")
        detail.add_column("outcome")
        for row in rows:
            outcome = row["outcome"]
            if row["detail"]:
                outcome += f": {row['detail']}"
            detail.add_row(
                row["address"],
                (row["id"] or "")[:8],
                row["country"] or "",
                KIND_LABELS[row["kind"]],
                row["language"] or "",
                outcome,
            )
        blocks.append(detail)
    print_block(context.out(), *blocks)


def _not_invited(prepared: Prepared) -> str:
    plan = prepared.plan
    people = plan.registrants
    parts = [
        (plan.outside_region, "in other regions"),
        (plan.no_country, "without a country"),
        (people.without_address, "without an email address"),
        (people.bad_address, "with an address lc cannot send to"),
        (plan.never_invited, "never invited (the clinic is cancelled)"),
    ]
    listed = [f"{count} {what}" for count, what in parts if count]
    line = "not invited: " + ("; ".join(listed) if listed else "none")
    if plan.unreachable:
        line += f"; unreachable (invited before, not in the exports now): {plan.unreachable}"
    return line
