"""Calendar invites for clinics: what an event says, and its .ics bytes, built with `ics`.

`event_content` turns a clinic into the event's values (clean text, URIs, status, the facts
whose change raises SEQUENCE); `calendar_bytes` builds an `ics` calendar from them and hands it
to `icsfix`, the one module that compensates for the package's defects. Times are written in
UTC (`Z`), which every calendar program converts to its user's zone.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING
from urllib.parse import quote

from letsconnect_cli.errors import UsageError
from letsconnect_cli.escaping import escape_ics_text
from letsconnect_cli.invites import icsfix
from letsconnect_cli.places.languages import english_name
from letsconnect_cli.places.timezones import format_offset
from letsconnect_cli.vocab import Status

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from letsconnect_cli.clinic.models import Clinic
    from letsconnect_cli.emails import Organiser
    from letsconnect_cli.places.timezones import LocalTime

#: lc's product identifier; without a version, so a new lc release alone changes no file.
PRODID = "-//Wikimedia Let's Connect//lc//EN"
PUBLISH = "PUBLISH"
REQUEST = "REQUEST"  # an emailed invitation (iTIP, RFC 5546): one ATTENDEE, the recipient
CANCEL = "CANCEL"
PROGRAM_CATEGORIES = ("Let's Connect", "Learning Clinic")

#: A scheduled clinic has a tentative date; a done clinic took place as confirmed.
EVENT_STATUS = {
    Status.SCHEDULED: "TENTATIVE",
    Status.CONFIRMED: "CONFIRMED",
    Status.DONE: "CONFIRMED",
    Status.CANCELLED: "CANCELLED",
}

_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_WEEKDAYS_LONG = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS_LONG = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
#: Line breaks of every kind: CRLF, CR, LF, and Unicode's NEL, line and paragraph separators.
_BREAKS = re.compile(r"\r\n|[\r\n\x85\u2028\u2029]")
#: Characters a URI may hold as they are; everything else is percent-encoded.
_URI_SAFE = "!#$%&'()*+,/:;=?@[]~"
_URI_SAFE_AFTER_HOST = "!#$%&'()*+,/:;=?@~"


# --- clean values -----------------------------------------------------------------------------


def property_line(text: str) -> str:
    """Text for a one-line property (SUMMARY, LOCATION): line breaks become spaces, other
    control characters are dropped (`escaping.one_line` makes them spaces too)."""
    return " ".join(icsfix.CONTROL.sub("", _BREAKS.sub(" ", text)).split())


def text_block(text: str) -> str:
    """Text for DESCRIPTION: line breaks kept as LF, other control characters dropped."""
    lines = _BREAKS.sub("\n", text).split("\n")
    return "\n".join(icsfix.CONTROL.sub("", line).rstrip() for line in lines).strip("\n")


def uri(text: str) -> str:
    """A URI as RFC 3986 allows it: an internationalised host in punycode (IDNA), spaces,
    controls and other non-ASCII characters percent-encoded (RFC 3987's mapping)."""
    from urllib.parse import urlsplit

    from letsconnect_cli.clinic.values import idna_url

    text = text.strip()
    if "://" not in text:
        return quote(text, safe=_URI_SAFE)
    if not text.isascii():
        # the clinic model refuses a host that is no IDNA name; elsewhere it stays encoded
        with contextlib.suppress(ValueError):
            text = idna_url(text)
    try:
        parts = urlsplit(text)
    except ValueError:
        return quote(text, safe=_URI_SAFE)
    start = len(parts.scheme) + 3 + len(parts.netloc)  # brackets belong to an IPv6 host only
    return quote(text[:start], safe=_URI_SAFE) + quote(text[start:], safe=_URI_SAFE_AFTER_HOST)


# --- who sends -----------------------------------------------------------------------------


def organizer_from(organiser: Organiser) -> Organiser:
    """ORGANIZER: the configured organiser (its address checked on load); UsageError saying where
    to set it when it has no address."""
    organiser.require_email("invites need the organiser's email (RFC 5546 requires ORGANIZER)")
    return organiser


# --- what the event says -------------------------------------------------------------------


@dataclass(frozen=True)
class EventContent:
    """One clinic's event values, cleaned for iCalendar."""

    uid: str
    summary: str
    start: datetime
    end: datetime
    status: str  # TENTATIVE, CONFIRMED or CANCELLED
    location: str | None
    url: str | None
    about: str  # DESCRIPTION's part about the clinic (the local times follow it)
    categories: tuple[str, ...]
    facts: str  # canonical JSON of the clinic's calendar-relevant facts
    meeting: str | None = None  # the meeting link, once the clinic is confirmed

    @property
    def cancelled(self) -> bool:
        return self.status == "CANCELLED"

    @property
    def method(self) -> str:
        return CANCEL if self.cancelled else PUBLISH

    @property
    def fingerprint(self) -> str:
        """Changes exactly when a fact the invite shows changes: then SEQUENCE must rise."""
        return "sha256:" + hashlib.sha256(self.facts.encode("utf-8")).hexdigest()


def event_content(clinic: Clinic, *, uid: str, default_location: str | None = None) -> EventContent:
    """The event for a dated clinic. The meeting link is shown only once the clinic is confirmed."""
    if clinic.start is None or clinic.end is None:
        raise UsageError(f"clinic {clinic.id} has no date yet, so it cannot have an invite")
    summary = property_line(clinic.title)
    meeting = (
        uri(clinic.meeting_url)
        if clinic.meeting_url and clinic.status is Status.CONFIRMED
        else None
    )
    registration = uri(clinic.registration_url) if clinic.registration_url else None
    platform = property_line(clinic.platform) if clinic.platform else None
    location = (
        meeting or platform or (property_line(default_location) if default_location else None)
    )
    links = {
        "Recording": clinic.links.recording,
        "Slides": clinic.links.slides,
        "Etherpad": clinic.links.etherpad,
    }
    status = EVENT_STATUS.get(clinic.status, "TENTATIVE")

    lines: list[str] = []
    if status == "CANCELLED":
        lines += ["CANCELLED: this Learning Clinic will not take place.", ""]
    lines.append(f"Let's Connect Learning Clinic: {summary}")
    if clinic.description:
        lines += ["", text_block(clinic.description)]
    if clinic.sharers:
        lines += ["", "Sharers:" if len(clinic.sharers) > 1 else "Sharer:"]
        for sharer in clinic.sharers:
            parts = (sharer.name, sharer.role, sharer.affiliation)
            lines.append("- " + ", ".join(property_line(p) for p in parts if p))
    lines.append("")
    language = _language(clinic.language)
    if clinic.interpretation:
        others = [_language(tag) for tag in clinic.interpretation]
        language += ", with live interpretation into " + _and(others)
    lines.append(f"Language: {language}.")
    if clinic.category is not None:
        lines.append(f"Skill category: {clinic.category.label}.")
    if registration:
        lines.append(f"Register: {registration}")
    if meeting:
        lines.append(f"Join{f' ({platform})' if platform else ''}: {meeting}")
    elif platform and status != "CANCELLED":
        lines.append(
            f"Where: online, on {platform}; the link follows once the clinic is confirmed."
        )
    for label, link in links.items():
        if link:
            lines.append(f"{label}: {uri(link)}")
    if clinic.contact:
        lines.append(f"Contact: {property_line(clinic.contact)}")

    categories = (*PROGRAM_CATEGORIES, *([clinic.category.label] if clinic.category else []))
    facts: dict[str, object] = {
        "title": summary,
        "start": clinic.start.astimezone(UTC).isoformat(),
        "end": clinic.end.astimezone(UTC).isoformat(),
        "status": status,
        "location": location,
        "url": registration,
        "meeting_url": meeting,
        "description": text_block(clinic.description) if clinic.description else None,
        "sharers": [[s.name, s.role, s.affiliation] for s in clinic.sharers],
        "language": clinic.language,
        "interpretation": clinic.interpretation,
        "category": clinic.category.value if clinic.category else None,
        "links": {label.lower(): link for label, link in links.items()},
        "contact": clinic.contact,
    }
    titles = {tag: t.title for tag, t in sorted(clinic.translations.items()) if t.title}
    if titles:  # emailed invitations show a translated SUMMARY: changing one is a change
        facts["titles"] = titles
    return EventContent(
        uid=uid,
        summary=summary,
        start=clinic.start.astimezone(UTC),
        end=clinic.end.astimezone(UTC),
        status=status,
        location=location,
        url=registration,
        about="\n".join(lines),
        categories=categories,
        facts=json.dumps(facts, sort_keys=True, ensure_ascii=False, separators=(",", ":")),
        meeting=meeting,
    )


def _language(tag: str) -> str:
    """'Japanese'; a tag with a script or region keeps it: 'Chinese (zh-Hant)'."""
    name = english_name(tag)
    return name if "-" not in tag else f"{name} ({tag})"


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


# --- the local times in DESCRIPTION -------------------------------------------------------------


def short_day(moment: datetime) -> str:
    """'Sun 2 Apr', in English whatever the locale."""
    return f"{_WEEKDAYS[moment.weekday()]} {moment.day} {_MONTHS[moment.month - 1]}"


def span(start: datetime, end: datetime) -> str:
    """'Sun 2 Apr 14:00-16:00', or 'Sat 1 Apr 23:00-Sun 01:00' across midnight."""
    end_day = "" if end.date() == start.date() else f"{_WEEKDAYS[end.weekday()]} "
    return f"{short_day(start)} {start:%H:%M}-{end_day}{end:%H:%M}"


def when_utc(start: datetime, end: datetime) -> str:
    """'Sunday 2 April 2023, 06:00-08:00 UTC'."""
    start, end = start.astimezone(UTC), end.astimezone(UTC)
    weekday, month = _WEEKDAYS_LONG[start.weekday()], _MONTHS_LONG[start.month - 1]
    day = f"{weekday} {start.day} {month} {start.year}"
    end_day = "" if end.date() == start.date() else f"{short_day(end)} "
    return f"{day}, {start:%H:%M}-{end_day}{end:%H:%M} UTC"


def description(content: EventContent, local_times: Sequence[LocalTime], view: str) -> str:
    """DESCRIPTION: the clinic, its UTC time, and one line per zone group (or zone) of the view.

    A row whose clocks change during the session shows both offsets, and a note says so.
    """
    lines = [content.about, "", f"Time: {when_utc(content.start, content.end)}."]
    changes: list[str] = []
    if local_times:
        lines.append(f"Local times ({view}):" if view else "Local times:")
        for row in local_times:
            before = format_offset(row.start.utcoffset())
            after = format_offset(row.end.utcoffset())
            if before == after:
                shown = f"{span(row.start, row.end)} (UTC{before})"
            else:
                end_day = "" if row.end.date() == row.start.date() else f"{short_day(row.end)} "
                shown = (
                    f"{short_day(row.start)} {row.start:%H:%M} (UTC{before})-"
                    f"{end_day}{row.end:%H:%M} (UTC{after})"
                )
                changes.append(f"{row.label} (UTC{before} to UTC{after})")
            lines.append(f"- {shown}: {', '.join(row.cities)}")
    if changes:
        lines.append(
            "Note: the clocks change during the session in " + _and(changes) + "; the end is "
            "shown in the new time."
        )
    return "\n".join(lines)


# --- the .ics bytes -----------------------------------------------------------------------------


@dataclass(frozen=True)
class CalendarEvent:
    """An event as it goes into one calendar file."""

    content: EventContent
    sequence: int
    description: str


def calendar_bytes(
    events: Sequence[CalendarEvent],
    *,
    method: str,
    dtstamp: datetime,
    organizer: Organiser,
    reminder: timedelta | None = None,
    name: str | None = None,
    attendee: str | None = None,
    sent_by: str | None = None,
) -> bytes:
    """One VCALENDAR with these events, as RFC 5545 bytes (see icsfix for what that takes).

    `name` titles a feed in calendar programs that subscribe to it (X-WR-CALNAME). `attendee`,
    for METHOD:REQUEST and an emailed CANCEL, is the one recipient's address: the only ATTENDEE,
    asked to reply (RSVP=TRUE;PARTSTAT=NEEDS-ACTION) in a REQUEST. `sent_by`: the address that
    sends an emailed invitation on the organizer's behalf (ORGANIZER;SENT-BY, RFC 5545 3.2.18),
    when it is not the organizer's own.

    A published (METHOD:PUBLISH) cancelled event keeps STATUS:CANCELLED and its summary starts
    with "Cancelled: ", for the calendar programs that show STATUS:CANCELLED events as any other.
    """
    from ics import Calendar, DisplayAlarm, Event
    from ics.attendee import Attendee
    from ics.attendee import Organizer as IcsOrganizer
    from ics.grammar.parse import ContentLine

    if method == REQUEST and attendee is None:
        raise ValueError("METHOD:REQUEST needs its attendee")
    if attendee is not None and method not in (REQUEST, CANCEL):
        raise ValueError("an attendee goes with METHOD:REQUEST or CANCEL only")
    attendees = []
    if attendee is not None:
        address = uri(attendee)
        if method == REQUEST:  # ics writes RSVP as given: the string, not a bool (#411)
            person = Attendee(address, rsvp="TRUE", partstat="NEEDS-ACTION", role="REQ-PARTICIPANT")
        else:
            person = Attendee(address, role="REQ-PARTICIPANT")
        person.common_name = None  # ics would repeat the address as CN
        attendees.append(person)

    calendar = Calendar(creator=PRODID)
    calendar.method = method
    if name:
        calendar.extra.append(
            ContentLine("X-WR-CALNAME", value=escape_ics_text(property_line(name)))
        )
    for item in events:
        content = item.content
        alarms = []
        if reminder is not None and not content.cancelled and method != CANCEL:
            alarms.append(
                DisplayAlarm(trigger=-reminder, display_text=f"Reminder: {content.summary}")
            )
        summary = content.summary
        if content.cancelled and method == PUBLISH:
            summary = f"Cancelled: {summary}"
        event = Event(
            name=summary,
            begin=content.start,
            end=content.end,
            uid=content.uid,
            description=item.description,
            location=content.location,
            url=content.url,
            categories=list(content.categories),
            status=content.status,
            organizer=IcsOrganizer(
                uri(organizer.email or ""),
                property_line(organizer.name) if organizer.name else None,
                sent_by=f"mailto:{uri(sent_by)}" if sent_by else None,
            ),
            created=dtstamp.astimezone(UTC).replace(microsecond=0),  # written as DTSTAMP: #200
            alarms=alarms,
            attendees=attendees,
        )
        event.extra.append(ContentLine("SEQUENCE", value=str(item.sequence)))
        calendar.events.add(event)
    return icsfix.serialize(calendar)


def dtstamp_from(environ: Mapping[str, str], now: datetime | None = None) -> datetime:
    """DTSTAMP: SOURCE_DATE_EPOCH when set (reproducible builds), else now; whole seconds, UTC."""
    from letsconnect_cli import clock

    return clock.stamp(environ, now)
