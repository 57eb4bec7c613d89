"""`lc invite` without the terminal: which clinics, their local times, the invites, writing them.

For each chosen clinic: the UID (from its file, else from the ledger, else derived from the id),
the event's content, the SEQUENCE from the ledger, the local times of the chosen regions (and
zones), one `.ics` file (METHOD:PUBLISH, or METHOD:CANCEL for a cancelled clinic), and one feed
file with every event (METHOD:PUBLISH; cancelled events carry STATUS:CANCELLED).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from letsconnect_cli import calendar
from letsconnect_cli.errors import FileExistsRefusal, Problem, UsageError, ValidationFailed
from letsconnect_cli.vocab import Status

if TYPE_CHECKING:
    from letsconnect_cli.clinics import ClinicFile
    from letsconnect_cli.ledger import Ledger, Revision
    from letsconnect_cli.models import Clinic
    from letsconnect_cli.timezones import LocalTime

FEED_NAME = "feed.ics"
FEED_TITLE = "Let's Connect Learning Clinics"
_OURS = ("PRODID:" + calendar.PRODID).encode("utf-8")


@dataclass(frozen=True)
class View:
    """What the local times show: --region codes, extra --zone names, --all-zones."""

    regions: tuple[str, ...] = ()
    zones: tuple[str, ...] = ()
    all_zones: bool = False


@dataclass(frozen=True)
class Settings:
    """What configuration decides for invites."""

    organizer: calendar.Organizer
    reminder: timedelta | None = None
    default_location: str | None = None
    default_region: str | None = None
    main_cities: dict[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass
class Invite:
    """One clinic's invite, ready to be written."""

    clinic: Clinic
    content: calendar.EventContent
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
        return self.content.method


@dataclass
class Plan:
    """Everything one `lc invite` run writes, and what it has to say about it."""

    invites: list[Invite]
    feed_path: Path
    feed: bytes
    warnings: list[str]


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
    from letsconnect_cli.clinics import find_clinic, usable_clinics

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
    from letsconnect_cli import regions as regions_lib
    from letsconnect_cli import timezones

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
    shown = {row.zone for row in rows}
    for zone in view.zones:
        if zone not in shown:
            shown.add(zone)
            rows.append(
                timezones.local_time(
                    clinic.start, clinic.end, zone, countries=regions_lib.countries_using(zone)
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
) -> Plan:
    """Build every invite and the feed (in memory), recording them in the ledger (not yet saved)."""
    warnings: list[str] = []
    taken = set(taken_uids or ())
    used: dict[str, str] = {}
    invites: list[Invite] = []
    for clinic in clinics:
        uid, warning = resolve_uid(clinic, ledger, taken)
        if warning:
            warnings.append(warning)
        problem = calendar.uid_problem(uid)
        if problem:
            raise ValidationFailed(
                f"clinic {clinic.id} cannot have an invite",
                [Problem("calendar.uid", None, problem)],
                source=f"{clinic.id}.toml",
            )
        if uid.casefold() in used:  # calendars differ on whether a UID's case matters
            raise ValidationFailed(
                f"clinics {used[uid.casefold()]} and {clinic.id} would share the UID {uid}",
                [Problem("calendar.uid", None, "give each clinic its own [calendar] uid")],
                source=f"{clinic.id}.toml",
            )
        used[uid.casefold()] = clinic.id
        content = calendar.event_content(
            clinic, uid=uid, default_location=settings.default_location
        )
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
        invites.append(
            Invite(clinic, content, regions, rows, revision, out_dir / f"{clinic.id}.ics")
        )

    events = []
    for invite in invites:
        text = calendar.description(invite.content, invite.local_times, ", ".join(invite.regions))
        event = calendar.CalendarEvent(invite.content, invite.sequence, text)
        events.append(event)
        invite.data = calendar.calendar_bytes(
            [event],
            method=invite.method,
            dtstamp=dtstamp,
            organizer=settings.organizer,
            reminder=settings.reminder,
        )
    feed = b""
    if events:
        feed = calendar.calendar_bytes(
            events,
            method=calendar.PUBLISH,
            dtstamp=dtstamp,
            organizer=settings.organizer,
            reminder=settings.reminder,
            name=FEED_TITLE,
        )
    return Plan(invites, out_dir / FEED_NAME, feed, warnings)


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
