"""`lc invite` without the terminal: which clinics, their local times, the invites, writing them.

For each chosen clinic: the UID (from its file, else from the ledger, else derived from the id),
the event's content, the SEQUENCE from the ledger, the local times of the chosen regions (and
zones), and one `.ics` file (METHOD:PUBLISH; a cancelled clinic's event carries STATUS:CANCELLED
and a higher SEQUENCE).

The feed (`feed.ics`, METHOD:PUBLISH) is a function of the clinics folder and the ledger, never of
the clinics named on the command line: every dated clinic that ends after the start of the day
`feed_past_days` days before today, plus every cancelled clinic that was ever issued (as
STATUS:CANCELLED with its higher SEQUENCE, so that subscribed calendars remove it). An issued
clinic whose file is now missing or invalid keeps the event the previous feed held, with a
warning: a subscriber's event disappears only by cancellation or by leaving the window.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from letsconnect_cli.errors import FileExistsRefusal, Problem, UsageError, ValidationFailed
from letsconnect_cli.invites import ics_event, icsfix
from letsconnect_cli.vocab import Status

if TYPE_CHECKING:
    from letsconnect_cli.clinic.clinics import ClinicFile
    from letsconnect_cli.clinic.models import Clinic
    from letsconnect_cli.config import Config
    from letsconnect_cli.emails import Organiser
    from letsconnect_cli.invites.ledger import Ledger, Revision
    from letsconnect_cli.places.timezones import LocalTime

FEED_NAME = "feed.ics"
FEED_TITLE = "Let's Connect Learning Clinics"
_OURS = ("PRODID:" + ics_event.PRODID).encode("utf-8")


@dataclass(frozen=True)
class View:
    """What the local times show: --region codes, extra --zone names, --all-zones."""

    regions: tuple[str, ...] = ()
    zones: tuple[str, ...] = ()
    all_zones: bool = False


@dataclass(frozen=True)
class Settings:
    """What configuration decides for invites."""

    organizer: Organiser
    reminder: timedelta | None = None
    default_location: str | None = None
    default_region: str | None = None
    main_cities: dict[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass
class Invite:
    """One clinic's invite, ready to be written."""

    clinic: Clinic
    content: ics_event.EventContent
    regions: tuple[str, ...]
    local_times: list[LocalTime]
    revision: Revision
    path: Path
    data: bytes = b""

    @property
    def sequence(self) -> int:
        return self.revision.entry.sequence

    @property
    def method(self) -> str:
        """The METHOD of the published file: always PUBLISH (a cancelled clinic's event says
        STATUS:CANCELLED; METHOD:CANCEL is for emailed cancellations, which name attendees)."""
        return ics_event.PUBLISH


@dataclass(frozen=True)
class FeedSource:
    """What the feed is made of: every valid clinic of the folder, the ids of clinic files that
    have problems, the window, and the feed written before (its events are kept for issued
    clinics whose file went missing or became invalid)."""

    clinics: list[Clinic]
    now: datetime
    past_days: int = 90
    previous: bytes | None = None

    @property
    def since(self) -> datetime:
        """The window's start: 00:00 UTC, `past_days` days before today."""
        day = self.now.astimezone(UTC).date() - timedelta(days=self.past_days)
        return datetime.combine(day, time(0), UTC)


@dataclass
class InvitePlan:
    """Everything one `lc invite` run writes, and what it has to say about it."""

    invites: list[Invite]
    feed_path: Path
    feed: bytes
    warnings: list[str]
    feed_events: int = 0


def settings_from(config: Config) -> Settings:
    """What lc.toml decides for invites; UsageError when it names no organiser's email."""
    return Settings(
        organizer=ics_event.organizer_from(config.organiser),
        reminder=config.calendar.reminder,
        default_location=config.calendar.location,
        default_region=config.default_region,
        main_cities=config.main_cities(),
    )


def now() -> datetime:
    """The current time, UTC (one place, so that tests can move the clock)."""
    return datetime.now(UTC)


# --- which clinics ---------------------------------------------------------------------------


def select(
    directory: Path,
    files: list[ClinicFile],
    ids: list[str],
    *,
    every: bool,
    now: datetime,
    ledger: Ledger,
) -> tuple[list[Clinic], list[str], ValidationFailed | None]:
    """The clinics to invite, warnings, and the error naming broken clinic files (or None).

    A broken file never keeps the others from being invited: without ids it is left out and
    named in the error (exit 3 once the rest is done); with ids it is only warned about.

    Given ids: those (they must be valid and dated). --all: every dated clinic. Otherwise the
    scheduled and confirmed clinics that have not started, and the cancelled ones that have not
    started but were invited before (so that their cancellation goes out).
    """
    from letsconnect_cli.clinic.clinics import find_clinic, usable_clinics

    if ids and every:
        raise UsageError("give clinic ids or --all, not both")
    if ids:
        chosen: list[Clinic] = []
        for raw in ids:
            clinic = find_clinic(directory, Path(raw).name)
            if not clinic.is_dated:
                raise UsageError(
                    f"clinic {clinic.id} is proposed and has no date yet",
                    hint='Give it a start and status = "scheduled" first; then it can be invited.',
                )
            if clinic not in chosen:
                chosen.append(clinic)
        others = [f for f in files if not f.ok and f.id not in {c.id for c in chosen}]
        warnings = []
        if others:
            warnings.append(f"{len(others)} other clinic file(s) have problems; see `lc validate`")
        return chosen, warnings, None
    clinics, broken = usable_clinics(files)
    dated = [c for c in clinics if c.start is not None]
    if every:
        return dated, [], broken

    def wanted(clinic: Clinic) -> bool:
        if clinic.start is None or clinic.start <= now:
            return False
        if clinic.status in (Status.SCHEDULED, Status.CONFIRMED):
            return True
        known = clinic.uid in ledger.entries or ledger.uid_of_clinic(clinic.id) is not None
        return clinic.status is Status.CANCELLED and known

    return [c for c in dated if wanted(c)], [], broken


def resolve_uid(clinic: Clinic, ledger: Ledger, taken: set[str]) -> tuple[str, str | None]:
    """The clinic's UID and a warning: a file that lost its uid line gets the issued one back."""
    issued = ledger.uid_of_clinic(clinic.id)
    written = clinic.calendar.uid
    if written:
        if issued and issued != written and issued not in taken:
            return written, (
                f"{clinic.id}: its invites went out with UID {issued}, but its file now says "
                f'{written}; calendars will show a second event. Put uid = "{issued}" back under '
                "[calendar] unless that is meant."
            )
        return written, None
    if issued:
        return issued, (
            f"{clinic.id} has no [calendar] uid; using {issued}, the UID its invites went out "
            f'with. Add uid = "{issued}" under [calendar] in its file.'
        )
    return clinic.uid, None


# --- the view ---------------------------------------------------------------------------------


def local_times(
    clinic: Clinic, regions: tuple[str, ...], view: View, settings: Settings
) -> list[LocalTime]:
    """The clinic's time in each zone group (or zone) of the regions, then the extra zones."""
    from letsconnect_cli.places import regions as regions_lib
    from letsconnect_cli.places import timezones

    if clinic.start is None or clinic.end is None:
        return []
    chosen = [regions_lib.region(code, main_cities=settings.main_cities) for code in regions]
    if view.all_zones:
        rows = timezones.local_times_for_zones(
            clinic.start, clinic.end, regions_lib.region_zones(chosen)
        )
    else:
        groups = regions_lib.zone_groups(chosen, clinic.start) if chosen else []
        rows = timezones.local_times_for_groups(clinic.start, clinic.end, groups)
    shown = {zone for row in rows for zone in (row.zones or (row.zone,))}
    for name in view.zones:
        zone = timezones.canonical_zone(name)  # an alias is the zone it names: no second row
        if zone not in shown:
            shown.add(zone)
            rows.append(
                timezones.local_time(
                    clinic.start, clinic.end, zone, countries=timezones.countries_using(zone)
                )
            )
    return rows


# --- planning and writing ------------------------------------------------------------------------


def plan(
    clinics: list[Clinic],
    view: View,
    *,
    settings: Settings,
    ledger: Ledger,
    dtstamp: datetime,
    out_dir: Path,
    taken_uids: set[str] | None = None,
    feed: FeedSource | None = None,
) -> InvitePlan:
    """Build every invite and the feed (in memory), recording them in the ledger (not yet saved).

    Without `feed` (emailed invitations) no feed is built.
    """
    warnings: list[str] = []
    taken = set(taken_uids or ())
    invites = [
        _invite(clinic, view, settings, ledger, dtstamp, out_dir, taken, warnings)
        for clinic in clinics
    ]
    _check_unique([(invite.content.uid, invite.clinic.id) for invite in invites])

    for invite in invites:
        text = ics_event.description(invite.content, invite.local_times, ", ".join(invite.regions))
        invite.data = ics_event.calendar_bytes(
            [ics_event.CalendarEvent(invite.content, invite.sequence, text)],
            method=invite.method,
            dtstamp=dtstamp,
            organizer=settings.organizer,
            reminder=settings.reminder,
        )
    data, count = b"", 0
    if feed is not None:
        data, count = _feed(
            feed,
            {i.clinic.id for i in invites},
            settings,
            ledger,
            dtstamp,
            out_dir,
            taken,
            warnings,
        )
    return InvitePlan(invites, out_dir / FEED_NAME, data, list(dict.fromkeys(warnings)), count)


def _invite(
    clinic: Clinic,
    view: View,
    settings: Settings,
    ledger: Ledger,
    dtstamp: datetime,
    out_dir: Path,
    taken: set[str],
    warnings: list[str],
) -> Invite:
    """One clinic's invite, recorded in the ledger."""
    from letsconnect_cli.clinic.values import uid_problem

    uid, warning = resolve_uid(clinic, ledger, taken)
    if warning:
        warnings.append(warning)
    problem = uid_problem(uid)
    if problem:
        raise ValidationFailed(
            f"clinic {clinic.id} cannot have an invite",
            [Problem("calendar.uid", None, problem)],
            source=f"{clinic.id}.toml",
        )
    content = ics_event.event_content(clinic, uid=uid, default_location=settings.default_location)
    regions = view.regions or tuple(clinic.regions)
    if not regions and settings.default_region:
        regions = (settings.default_region,)
    if not regions and not view.zones:
        warnings.append(
            f"{clinic.id} names no region and none is configured: its invite shows UTC only; "
            "give --region or --zone, or set default_region in lc.toml"
        )
    rows = local_times(clinic, regions, view, settings)
    revision = ledger.record(
        uid, clinic.id, content.fingerprint, content.method, content.start, dtstamp
    )
    return Invite(clinic, content, regions, rows, revision, out_dir / f"{clinic.id}.ics")


def _check_unique(used: list[tuple[str, str]]) -> None:
    """Each UID belongs to one clinic: ValidationFailed naming two clinics that share one."""
    seen: dict[str, str] = {}
    for uid, clinic_id in used:
        key = uid.casefold()  # calendars differ on whether a UID's case matters
        if key in seen and seen[key] != clinic_id:
            raise ValidationFailed(
                f"clinics {seen[key]} and {clinic_id} would share the UID {uid}",
                [Problem("calendar.uid", None, "give each clinic its own [calendar] uid")],
                source=f"{clinic_id}.toml",
            )
        seen[key] = clinic_id


def feed_clinics(source: FeedSource, ledger: Ledger, taken: set[str]) -> list[Clinic]:
    """The clinics the feed holds: dated ones ending inside the window (cancelled ones only if
    they were ever issued), and every cancelled clinic ever issued, whatever its date."""
    since = source.since
    chosen = []
    for clinic in sorted(source.clinics, key=lambda c: c.sort_key()):
        if clinic.start is None or clinic.end is None:
            continue
        if clinic.status is Status.CANCELLED:
            uid, _ = resolve_uid(clinic, ledger, taken)
            if uid in ledger.entries:
                chosen.append(clinic)
        elif clinic.end > since:
            chosen.append(clinic)
    return chosen


def _feed(
    source: FeedSource,
    chosen: set[str],
    settings: Settings,
    ledger: Ledger,
    dtstamp: datetime,
    out_dir: Path,
    taken: set[str],
    warnings: list[str],
) -> tuple[bytes, int]:
    """The feed's bytes and how many events it holds (b"" when it would hold none)."""
    feed: list[Invite] = []
    for clinic in feed_clinics(source, ledger, taken):
        # The feed's local times do not depend on the command line's --region/--zone.
        # A clinic invited in this run was recorded a moment ago: its warnings are said already.
        said = [] if clinic.id in chosen else warnings
        feed.append(_invite(clinic, View(), settings, ledger, dtstamp, out_dir, taken, said))
    _check_unique([(item.content.uid, item.clinic.id) for item in feed])
    events = [
        ics_event.CalendarEvent(
            item.content,
            item.sequence,
            ics_event.description(item.content, item.local_times, ", ".join(item.regions)),
        )
        for item in feed
    ]
    kept = _kept_events(source, ledger, {item.content.uid for item in feed}, warnings)
    if not events and not kept:
        return b"", 0
    data = ics_event.calendar_bytes(
        events,
        method=ics_event.PUBLISH,
        dtstamp=dtstamp,
        organizer=settings.organizer,
        reminder=settings.reminder,
        name=FEED_TITLE,
    )
    return (icsfix.with_events(data, kept) if kept else data), len(events) + len(kept)


def _kept_events(
    source: FeedSource, ledger: Ledger, present: set[str], warnings: list[str]
) -> list[bytes]:
    """The previous feed's events of issued clinics that no valid clinic file gives any more."""
    since = source.since - timedelta(hours=12)  # the ledger knows the start, not the end
    missing = [
        entry
        for entry in sorted(ledger.entries.values(), key=lambda e: (e.start, e.uid))
        if entry.uid not in present and (entry.method == ics_event.CANCEL or entry.start > since)
    ]
    if not missing:
        return []
    previous = icsfix.event_blocks(source.previous) if source.previous else {}
    kept = []
    for entry in missing:
        block = previous.get(entry.uid)
        if block is not None:
            kept.append(block)
            warnings.append(
                f"{entry.clinic} was issued (UID {entry.uid}) but no valid clinic file gives it "
                "now; the feed keeps its event as last written. Fix the file (see `lc validate`), "
                'or set status = "cancelled" to remove it from calendars.'
            )
        else:
            warnings.append(
                f"{entry.clinic} was issued (UID {entry.uid}) but no valid clinic file gives it "
                "and the previous feed does not hold it: subscribed calendars may keep a stale "
                "event. Restore the file (see `lc validate`)."
            )
    return kept


def write_file(path: Path, data: bytes, *, force: bool = False) -> str:
    """Write an invite atomically: 'created', 'updated' or 'unchanged' (identical bytes).

    lc replaces the invites it wrote before (their PRODID is lc's); any other existing file
    only with force.
    """
    from letsconnect_cli.files import unwritable, write_bytes_atomic

    try:
        existing = path.read_bytes()
    except (FileNotFoundError, NotADirectoryError):
        existing = None  # a path through a file: the write says so
    except OSError as error:
        raise unwritable(path, error) from None
    if existing == data:
        return "unchanged"
    if existing is not None and not force and _OURS not in existing[:4096]:
        raise FileExistsRefusal(
            f"{path} exists and was not written by lc",
            hint="Give --force to overwrite it, or --out another folder.",
        )
    write_bytes_atomic(path, data, force=existing is not None)
    return "created" if existing is None else "updated"


# --- one run -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Request:
    """What one `lc invite` run (without --registrations) is asked to do."""

    clinic_ids: tuple[str, ...] = ()
    view: View = field(default_factory=View)
    every: bool = False
    out_dir: Path | None = None  # default: [calendar] out_dir, else invites/ beside the clinics
    dry_run: bool = False
    force: bool = False


@dataclass
class IssueResult:
    """What a run did: the plan, what became of each file, and what it has to say. `broken` (a
    clinic file with problems) is for the caller to raise once it has shown the rest."""

    plan: InvitePlan | None
    warnings: list[str]
    outcomes: dict[Path, str] = field(default_factory=dict)
    ledger_path: Path | None = None
    ledger_written: bool = False
    broken: ValidationFailed | None = None

    @property
    def nothing(self) -> bool:
        """No clinic to invite and no feed: nothing was planned."""
        return self.plan is None


def issue(
    clinics_dir: Path,
    request: Request,
    config: Config,
    *,
    dtstamp: datetime,
    at: datetime | None = None,
) -> IssueResult:
    """One `lc invite` run: under the ledger's lock, read the clinics folder and the ledger,
    choose the clinics, plan the invites and the feed, write them (unless a dry run) and save
    the ledger. The feed is left as it was while a clinic file has problems."""
    from letsconnect_cli.clinic.clinics import read_clinics
    from letsconnect_cli.invites.ledger import LEDGER_NAME, Ledger, hold

    with hold(clinics_dir):  # one run at a time reads and writes the ledger
        moment = at or now()
        files = read_clinics(clinics_dir)
        ledger = Ledger.load(clinics_dir / LEDGER_NAME)
        clinics, warnings, broken = select(
            clinics_dir,
            files,
            list(request.clinic_ids),
            every=request.every,
            now=moment,
            ledger=ledger,
        )
        settings = settings_from(config)
        out_dir = request.out_dir or config.calendar.out_dir or clinics_dir.parent / "invites"
        feed_path = out_dir / FEED_NAME
        # Without a broken file's clinic the feed would lose its event: then it is left as it was.
        feed = None
        if broken is None:
            feed = FeedSource(
                clinics=[f.clinic for f in files if f.ok and f.clinic is not None],
                now=moment,
                past_days=config.calendar.feed_past_days,
                previous=previous_feed(feed_path),
            )
        planned = plan(
            clinics,
            request.view,
            settings=settings,
            ledger=ledger,
            dtstamp=dtstamp,
            out_dir=out_dir,
            taken_uids={f.clinic.calendar.uid for f in files if f.clinic and f.clinic.calendar.uid},
            feed=feed,
        )
        warnings += planned.warnings
        if not clinics and not planned.feed:
            return IssueResult(None, warnings, broken=broken)
        result = IssueResult(planned, warnings, ledger_path=ledger.path, broken=broken)
        if broken is not None:
            kept = "left as it was, while a clinic file has problems"
            result.outcomes[planned.feed_path] = ("would be " if request.dry_run else "") + kept
        if not request.dry_run:
            for item in planned.invites:
                result.outcomes[item.path] = write_file(item.path, item.data, force=request.force)
            if planned.feed:
                result.outcomes[planned.feed_path] = write_file(
                    planned.feed_path, planned.feed, force=request.force
                )
            result.ledger_written = ledger.save()
    return result


def previous_feed(path: Path) -> bytes | None:
    """The feed written before, if lc wrote it (its events are kept for clinics gone invalid)."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    return data if _OURS in data[:4096] else None
