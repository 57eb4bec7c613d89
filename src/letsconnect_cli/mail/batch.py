"""Emailed invitations for one clinic, without the terminal: from registrations to messages.

`prepare` checks the clinic, takes its UID and SEQUENCE from the ledger of issued invites (the
same as its .ics files, so a calendar that got both holds one event), finds the registrants in
the region, plans who gets what against the send log, and builds each message. `write_eml`
writes them as files; `deliver.deliver` sends them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from letsconnect_cli.errors import FileExistsRefusal, UsageError
from letsconnect_cli.invites import ics_event
from letsconnect_cli.mail import messages
from letsconnect_cli.mail.deliver import Outgoing
from letsconnect_cli.mail.plan import MailPlan, plan
from letsconnect_cli.mail.recipients import Person, registrants
from letsconnect_cli.vocab import Status

if TYPE_CHECKING:
    from letsconnect_cli.clinic.models import Clinic
    from letsconnect_cli.emails import Organiser
    from letsconnect_cli.ingest import Record
    from letsconnect_cli.invites.issuing import Invite, Settings, View
    from letsconnect_cli.invites.ledger import Ledger
    from letsconnect_cli.mail.sendlog import SendLog
    from letsconnect_cli.places.i18n import Language
    from letsconnect_cli.places.regions import Region

_GITIGNORE = (
    "# Invitations as .eml files: they hold registrants' addresses; never commit them.\n*\n"
)
#: What lc adds to the .gitignore of a folder it did not make (which may hold other files).
_GITIGNORE_EML = (
    "# lc: invitations as .eml files hold registrants' addresses; never commit them.\n*.eml\n"
)


def ignore_in_git(folder: Path) -> None:
    """Keep lc's .eml files out of git: a folder lc makes ignores everything, one it did not
    make gets `*.eml` in its .gitignore (added to one that is there, unless it has the line)."""
    ignore = folder / ".gitignore"
    try:  # OSError: the caller says the folder cannot be written
        text: str | None = ignore.read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        text = None
    lines = {line.strip() for line in (text or "").splitlines()}
    if lines & {"*", "*.eml", "/*", "/*.eml"}:
        return
    if text is None:
        ignore.write_text(_GITIGNORE_EML, encoding="utf-8")
    else:
        separator = "" if not text or text.endswith("\n") else "\n"
        with ignore.open("a", encoding="utf-8") as handle:
            handle.write(separator + _GITIGNORE_EML)


@dataclass(frozen=True)
class MailSettings:
    """What configuration decides for emailed invitations."""

    calendar: Settings  # ORGANIZER, reminder, default location, main cities (as `lc invite`)
    sender: str  # the envelope sender; also Sender: and SENT-BY when not the organiser
    organiser: Organiser  # the signature and contact of the text part
    user_dir: Path | None = None  # the user's templates folder


@dataclass
class Prepared:
    """One run, ready to write or send."""

    clinic: Clinic
    invite: Invite  # the clinic's event: content, SEQUENCE, local times
    plan: MailPlan
    outgoing: list[Outgoing]
    languages: dict[str, str]  # recipient hash -> language of its text part
    letters: dict[tuple[str, str], messages.Letter] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    stable_ids: bool = True  # False in a first dry run: the hashes come from a throwaway key


def check_invitable(clinic: Clinic, now: datetime) -> None:
    """A clinic that can still be invited to (or its cancellation sent); UsageError if not."""
    if clinic.start is None:
        raise UsageError(
            f"clinic {clinic.id} is proposed and has no date yet: there is nothing to invite to",
            hint='Give it a start and status = "scheduled" or "confirmed" first.',
        )
    if clinic.status is Status.DONE or clinic.start <= now:
        raise UsageError(
            f"clinic {clinic.id} started on {clinic.start:%Y-%m-%d %H:%M} UTC: invitations "
            "(and cancellations) are for clinics still to come",
            hint="Check the clinic's start; `lc list` shows the upcoming clinics.",
        )


def language_for(person: Person, clinic: Clinic) -> Language:
    """The text part's language: the person's preferred language, else the first language they
    asked interpretation into, when lc has labels in it; else the clinic's language. Chinese
    given without a script is written as the person's place writes it (zh-Hant in Taiwan, Hong
    Kong and Macao; zh-Hans elsewhere)."""
    from letsconnect_cli.ingest.language_names import chinese_script
    from letsconnect_cli.places.i18n import resolve_language

    for tag in (person.preferred_language, *person.interpretation):
        if not tag or tag == "und":
            continue
        try:
            language = resolve_language(chinese_script(tag, person.country))
        except UsageError:
            continue
        if language.has_labels:
            return language
    return resolve_language(clinic.language)


def prepare(
    clinic: Clinic,
    records: Iterable[Record],
    *,
    view: View,
    regions: list[Region],
    settings: MailSettings,
    ledger: Ledger,
    log: SendLog,
    dtstamp: datetime,
    now: datetime,
    taken_uids: set[str] | None = None,
    build: bool = True,
    skip_unknown_country: bool = False,
) -> Prepared:
    """Everything one run writes or sends (the ledger is updated in memory, not saved).

    Without `build` (a dry run) the texts are rendered (so a template error shows) but the
    messages are not assembled: their data is empty.
    """
    from letsconnect_cli.invites import issuing

    check_invitable(clinic, now)
    event = issuing.plan(
        [clinic],
        view,
        settings=settings.calendar,
        ledger=ledger,
        dtstamp=dtstamp,
        out_dir=Path(),
        taken_uids=taken_uids,
    )
    invite = event.invites[0]
    content = invite.content
    people = registrants(records, clinic.id)
    countries = frozenset(country.code for item in regions for country in item.countries)
    decided = plan(
        people,
        clinic_id=clinic.id,
        uid=content.uid,
        sequence=invite.sequence,
        cancelled=content.cancelled,
        region_countries=countries,
        regions=tuple(item.code for item in regions),
        log=log,
        skip_unknown_country=skip_unknown_country,
    )
    result = Prepared(clinic, invite, decided, [], {}, warnings=event.warnings + decided.warnings)
    result.stable_ids = log.stored
    if clinic.status is Status.SCHEDULED and decided.to_send:
        result.warnings.append(
            f"{clinic.id} is scheduled, not confirmed: calendars show it as tentative, without "
            "the meeting link; confirm it first unless that is meant"
        )
    description = ics_event.description(content, invite.local_times, ", ".join(invite.regions))
    events: dict[str, ics_event.CalendarEvent] = {}
    organizer = settings.calendar.organizer
    sender = messages.address(settings.sender, "[smtp] from_address")
    author = messages.address(organizer.email or "", "[organiser] email", organizer.name)
    on_behalf = sender.addr_spec.lower() != author.addr_spec.lower()
    composers: dict[tuple[str, str, str], messages.Composer] = {}
    for delivery in decided.deliveries:
        language = language_for(delivery.person, clinic)
        result.languages[delivery.recipient] = language.tag
        if not delivery.sends:
            continue
        key = (language.tag, delivery.kind)
        letter = result.letters.get(key)
        if letter is None:
            letter = result.letters[key] = messages.letter(
                clinic,
                language,
                delivery.kind,
                sequence=delivery.sequence,
                regions=regions,
                organiser=settings.organiser,
                user_dir=settings.user_dir,
                meeting_url=content.meeting,
                local_times=invite.local_times,
            )
        token = log.token(content.uid, str(delivery.sequence), delivery.method, delivery.recipient)
        message_id = f"<{token[:32]}.invite@{sender.domain}>"
        if not build:
            result.outgoing.append(Outgoing(delivery, b"", message_id))
            continue
        event_item = events.get(language.tag)
        if event_item is None:
            translated = _event_in(content, clinic, language.tag)
            event_item = ics_event.CalendarEvent(translated, invite.sequence, description)
            events[language.tag] = event_item
        data = ics_event.calendar_bytes(
            [event_item],
            method=delivery.method,
            dtstamp=dtstamp,
            organizer=organizer,
            reminder=settings.calendar.reminder,
            attendee=delivery.address,
            sent_by=sender.addr_spec if on_behalf else None,
        )
        composer = composers.get((letter.language, delivery.kind, delivery.method))
        if composer is None:
            composer = composers[(letter.language, delivery.kind, delivery.method)] = (
                messages.Composer(
                    author=author,
                    letter=letter,
                    method=delivery.method,
                    sender=sender if on_behalf else None,
                )
            )
        body = composer.message(
            recipient=delivery.address, calendar=data, message_id=message_id, date=dtstamp
        )
        result.outgoing.append(Outgoing(delivery, body, message_id))
    return result


def _event_in(content: ics_event.EventContent, clinic: Clinic, tag: str) -> ics_event.EventContent:
    """The event as a recipient reading `tag` sees it: SUMMARY is the clinic's title in that
    language when its file translates it (the rest of the event stays as `lc invite` writes it)."""
    from dataclasses import replace

    from letsconnect_cli.clinic.translations import texts

    title = texts(clinic, tag).title
    return (
        content
        if title == clinic.title
        else replace(content, summary=ics_event.property_line(title))
    )


def eml_name(item: Outgoing) -> str:
    """A file name that does not reveal the address: the recipient hash's start."""
    delivery = item.delivery
    return f"{delivery.recipient[:16]}-{delivery.method.lower()}-{delivery.sequence}.eml"


def write_eml(folder: Path, items: list[Outgoing], *, force: bool) -> dict[str, str]:
    """Write each message as `<hash>-<method>-<sequence>.eml`, atomically; per file name,
    'created', 'updated' or 'unchanged'. A file lc did not write is replaced only with force."""
    from letsconnect_cli.errors import OutputUnwritable
    from letsconnect_cli.files import unwritable, write_bytes_atomic

    try:
        if not folder.exists():
            folder.mkdir(parents=True)
            (folder / ".gitignore").write_text(_GITIGNORE, encoding="utf-8")
        elif folder.is_dir():
            ignore_in_git(folder)
    except OSError as error:
        raise unwritable(folder, error) from None
    if not folder.is_dir():
        raise OutputUnwritable(
            f"cannot write to {folder}: it is not a folder", hint="Give --out a folder."
        )
    outcomes: dict[str, str] = {}
    for item in items:
        path = folder / eml_name(item)
        try:
            existing: bytes | None = path.read_bytes()
        except FileNotFoundError:
            existing = None
        except OSError as error:
            raise unwritable(path, error) from None
        if existing == item.data:
            outcomes[path.name] = "unchanged"
            continue
        ours = existing is not None and b".invite@" in existing[:2048]
        if existing is not None and not ours and not force:
            raise FileExistsRefusal(
                f"{path} exists and was not written by lc",
                hint="Give --force to overwrite it, or --out another folder.",
            )
        write_bytes_atomic(path, item.data, force=existing is not None)
        outcomes[path.name] = "created" if existing is None else "updated"
    return outcomes
