"""`lc invite CLINIC --region R --registrations SOURCE`: invitations by email to a region's
registrants, as .eml files, or sent with --send; --dry-run says who would get what."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from letsconnect_cli.cli.invite_mail_report import report

if TYPE_CHECKING:
    from letsconnect_cli.cli.context import AppContext
    from letsconnect_cli.config import Config
    from letsconnect_cli.mail.batch import Prepared
    from letsconnect_cli.mail.smtp import Server
    from letsconnect_cli.places.regions import Region
    from letsconnect_cli.vocab import Scheme


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
    include_private: bool = False  # CampaignEvents links: private participants too, logged in
    skip_unknown_country: bool = False
    map_country: tuple[str, ...] = ()


def run(context: AppContext, request: Request) -> None:
    import contextlib

    from letsconnect_cli.cli.output import message, warning
    from letsconnect_cli.clinic.clinics import find_clinic, read_clinics
    from letsconnect_cli.invites import issuing
    from letsconnect_cli.invites.ledger import LEDGER_NAME, Ledger, hold
    from letsconnect_cli.mail.batch import MailSettings, prepare
    from letsconnect_cli.mail.sendlog import STATE_DIR, SendLog

    clinic_id = _check(request)
    config = context.config
    regions, scheme = _regions(request.regions, config)
    files = read_clinics(context.clinics_dir)
    clinic = find_clinic(context.clinics_dir, clinic_id)
    records = _records(
        context,
        request.registrations,
        files,
        clinic.id,
        scheme,
        request.include_private,
        list(request.map_country),
    )
    calendar = issuing.settings_from(config)
    settings = MailSettings(
        calendar=calendar,
        sender=config.smtp.from_address or calendar.organizer.email or "",
        organiser=config.organiser,
        user_dir=config.announce.templates_dir or context.clinics_dir.parent / "templates",
    )
    state_dir = config.smtp.state_dir or context.clinics_dir.parent / STATE_DIR
    log = SendLog.open(state_dir, create=not request.dry_run)
    # The ledger is held from reading it to writing it back (one run at a time).
    ledger_held = contextlib.ExitStack()
    ledger_held.enter_context(hold(context.clinics_dir))
    try:
        ledger = Ledger.load(context.clinics_dir / LEDGER_NAME)
        # A sending run holds the send log from planning to the last message: no other run can send
        # to the same people in between.
        with log.lock() if request.send else contextlib.nullcontext():
            prepared = prepare(
                clinic,
                records,
                view=issuing.View(_view_codes(regions), request.zones, request.all_zones),
                regions=regions,
                settings=settings,
                ledger=ledger,
                log=log,
                dtstamp=context.env.stamp(),
                now=context.now(),
                taken_uids={
                    f.clinic.calendar.uid for f in files if f.clinic and f.clinic.calendar.uid
                },
                build=not request.dry_run,
                skip_unknown_country=request.skip_unknown_country,
            )
            err = context.err()
            if log.torn:
                warning(
                    err, f"{log.path}: its last line was cut short (a crash while writing); ignored"
                )
            for text in prepared.warnings:
                warning(err, text)
            if prepared.plan.registrants.meta_wiki:
                from letsconnect_cli.cli.invite_mail_report import META_WIKI_NOTE

                message(err, META_WIKI_NOTE.format(n=prepared.plan.registrants.meta_wiki))
            if request.dry_run:
                report(context, request, prepared, mode="dry-run")
                message(err, "dry run: nothing was sent or written")
                return
            server = _server(config, err) if request.send and prepared.outgoing else None
            if ledger.save():
                message(
                    err, f"recorded SEQUENCE {prepared.invite.sequence} in {ledger.path}: commit it"
                )
            ledger_held.close()  # written: other runs may record theirs while this one sends
            if server is None:
                if request.send:
                    report(context, request, prepared, mode="send", outcomes=[])
                    message(err, _nothing(prepared))
                else:
                    _write(context, request, prepared, config)
                return
            _send(context, request, prepared, config, log, settings.sender, server)
    finally:
        ledger_held.close()


def _nothing(prepared: Prepared) -> str:
    current = prepared.plan.counts()["current"]
    return f"nothing to send: {current} up to date, nobody else needs a message (see above)"


def _server(config: Config, err: Any) -> Server:
    """The mail server and the password, checked before anything is recorded or sent."""
    from letsconnect_cli.cli.environment import current
    from letsconnect_cli.cli.output import warning
    from letsconnect_cli.mail.smtp import server_from
    from letsconnect_cli.passwords import read_secret

    secret = read_secret(
        "LC_SMTP_PASSWORD", config.smtp.password_file, "[smtp] password_file", current().env
    )
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
    from letsconnect_cli.places.regions import region
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
    context: AppContext,
    sources: list[str],
    files: list[Any],
    clinic_id: str,
    scheme: Scheme,
    include_private: bool = False,
    country_maps: list[str] | None = None,
) -> list[Any]:
    from letsconnect_cli.cli.exports import organiser_login, read_options
    from letsconnect_cli.cli.output import warning
    from letsconnect_cli.ingest import IngestLog, read_records

    login = organiser_login(context, "lc invite") if include_private else None
    options = read_options(
        context.config, scheme=scheme, clinic=clinic_id, login=login, country_maps=country_maps
    )
    log = IngestLog()
    clinics = [f.clinic for f in files if f.ok and f.clinic is not None]
    records = list(read_records(sources, clinics, options, log))
    err = context.err()
    for text in log.all_warnings():
        warning(err, text)
    if log.skips_total:
        warning(err, f"{log.skips_total} row(s) of the exports were left out (unreadable rows)")
    counts = []
    if log.unknown_country:
        counts.append(f"{log.unknown_country} row(s) name a country lc does not know")
    if log.country_guessed:
        counts.append(f"{log.country_guessed} row(s) name a country by a near miss lc accepted")
    if counts:
        warning(
            err,
            "; ".join(counts) + "; see `lc report` on the same exports for each spelling, and "
            "map one with [report.countries] or --map-country",
        )
    return records


# --- writing and sending ----------------------------------------------------------------------


def _write(context: AppContext, request: Request, prepared: Prepared, config: Config) -> None:
    from letsconnect_cli.cli.output import message, shown
    from letsconnect_cli.mail.batch import eml_name, write_eml

    folder = request.out or (
        (config.calendar.out_dir or context.clinics_dir.parent / "invites")
        / prepared.clinic.id
        / "mail"
    )
    outcomes = (
        write_eml(folder, prepared.outgoing, force=request.force) if prepared.outgoing else {}
    )
    files = {item.delivery.recipient: folder / eml_name(item) for item in prepared.outgoing}
    report(context, request, prepared, mode="eml", files=files, states=outcomes)
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
    report(context, request, prepared, mode="send", outcomes=outcomes)
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
