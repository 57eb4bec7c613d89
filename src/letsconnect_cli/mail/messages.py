"""One invitation as an RFC 5322 message: a text part for people, a calendar part for calendars,
and the same calendar as an `invite.ics` attachment, as Google Calendar and Outlook send them.

    multipart/mixed
      multipart/alternative
        text/plain; charset=utf-8          the letter: links, local times (announce/invite.j2)
        text/calendar; method=REQUEST; charset=UTF-8   (or CANCEL: `method` equals the METHOD)
      application/ics; name="invite.ics"   the same calendar, for clients that show only text

It names these addresses and no others: From (the organiser, as ORGANIZER), To (the one
recipient), and in the calendar ORGANIZER and ATTENDEE (the recipient). When the sending address
([smtp] from_address, also the envelope sender) is not the organiser's, the message is sent on
the organiser's behalf and says so twice: `Sender: <from_address>` (RFC 5322 3.6.2: the agent
that transmits a message written by From) and `ORGANIZER;SENT-BY="mailto:<from_address>"` (RFC
5545 3.2.18), so that clients comparing the sender with ORGANIZER (RFC 6047 3) find it matches,
as in Google Calendar's own invitations (From the organiser, Sender its notification address).
No Cc, no Bcc. Subject and display names are encoded by `headers`, not by Python's folding.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from email.headerregistry import Address
from email.message import MIMEPart
from email.utils import format_datetime
from pathlib import Path
from typing import TYPE_CHECKING

from letsconnect_cli.emails import POLICY
from letsconnect_cli.emails import address as address  # the one rule, for mail.batch

if TYPE_CHECKING:
    from collections.abc import Sequence

    from letsconnect_cli.clinic.models import Clinic
    from letsconnect_cli.emails import Organiser
    from letsconnect_cli.places.i18n import Language
    from letsconnect_cli.places.regions import Region
    from letsconnect_cli.places.timezones import LocalTime

ATTACHMENT = "invite.ics"
BODY_TEMPLATE = "invite"
SUBJECT_TEMPLATE = "invite-subject"


@dataclass(frozen=True)
class Letter:
    """What people read: the subject and the text part, in one language for one kind of message."""

    language: str
    subject: str
    body: str
    template: str


def letter(
    clinic: Clinic,
    language: Language,
    kind: str,
    *,
    sequence: int,
    regions: list[Region],
    organiser: Organiser,
    user_dir: Path | None,
    meeting_url: str | None = None,
    local_times: Sequence[LocalTime] = (),
) -> Letter:
    """The subject and text of an invitation (`kind`: new, update or cancel) in one language.

    The templates are `announce/invite.j2` and `announce/invite-subject.j2`, overridable by name
    like every announcement template, and rendered in the same sandbox. Besides the announcement's
    variables they get `invite.meeting_url` (a confirmed clinic's link) and `invite.local_times`
    (one line per zone group of the region, in the letter's language).
    """
    from letsconnect_cli.announce.render import (
        clinic_context,
        environment,
        load_template,
        render,
        template_name,
        template_origin,
    )

    context = clinic_context(clinic, language, regions, organiser)
    context["format"] = "text"
    context["invite"] = {
        "kind": kind,
        "sequence": sequence,
        "meeting_url": meeting_url,
        "local_times": [local_time_line(row, language) for row in local_times],
    }
    env = environment("text", language, user_dir=user_dir)
    body_template = load_template(env, template_name(BODY_TEMPLATE))
    body = render(body_template, context).rstrip() + "\n"
    subject = " ".join(render(load_template(env, template_name(SUBJECT_TEMPLATE)), context).split())
    return Letter(language.tag, subject, body, template_origin(body_template))


def local_time_line(row: LocalTime, language: Language) -> str:
    """'Sunday, 5 April 2099, 14:00-16:00 (UTC+08:00): Manila and Perth', as the language writes
    dates, times and lists; across a clock change both offsets: '02:00 (UTC+11:00) - 03:00
    (UTC+10:00)' (with an en dash, as the locale's time ranges)."""
    from letsconnect_cli.places.i18n import (
        city_name,
        format_date,
        format_list,
        format_time,
        format_time_range,
        join_date_time,
    )
    from letsconnect_cli.places.timezones import format_offset

    before = format_offset(row.start.utcoffset())
    after = format_offset(row.end.utcoffset())
    if before == after:
        times = f"{format_time_range(row.start, row.end, language)} (UTC{before})"
    else:
        other_day = row.end.date() != row.start.date()
        end = format_time(row.end, language, weekday=other_day)
        times = f"{format_time(row.start, language)} (UTC{before}) \u2013 {end} (UTC{after})"
    cities = format_list([city_name(zone, language) for zone in row.zones or (row.zone,)], language)
    return f"{join_date_time(format_date(row.start, language), times, language)}: {cities}"


class Composer:
    """Messages of one letter and method. The text part, the same for every recipient, is built
    once and shared (parts are never changed once built); each message gets its own headers and
    calendar parts."""

    def __init__(
        self,
        *,
        author: Address,
        letter: Letter,
        method: str,
        sender: Address | None = None,
    ) -> None:
        self.author = author  # From: the organiser
        self.sender = sender  # Sender: the address sending on the organiser's behalf, if another
        self.subject = letter.subject
        self.method = method
        text = MIMEPart(policy=POLICY)
        text.set_content(letter.body, charset="utf-8")
        text["Content-Language"] = letter.language
        self._text = text

    def message(self, *, recipient: str, calendar: bytes, message_id: str, date: datetime) -> bytes:
        """The whole message to one recipient, CRLF line ends, for SMTP or an .eml file."""
        from letsconnect_cli.mail import headers

        to = address(recipient, "a recipient", private=True)
        # Boundaries made from the Message-ID: the same message gives the same bytes. "=_" cannot
        # occur in base64 or quoted-printable text, so a boundary never appears inside a part.
        stem = "=_lc_" + message_id.strip("<>").split("@", 1)[0]
        mixed = MIMEPart(policy=POLICY)
        mixed.make_mixed(boundary=stem + "_m")
        alternative = MIMEPart(policy=POLICY)
        alternative.make_alternative(boundary=stem + "_a")
        part = MIMEPart(policy=POLICY)
        part.set_content(
            calendar,
            maintype="text",
            subtype="calendar",
            cte="base64",  # keeps the calendar's CRLF and folding byte for byte
            params={"method": self.method, "charset": "UTF-8"},
        )
        alternative.attach(self._text)
        alternative.attach(part)
        attachment = MIMEPart(policy=POLICY)
        attachment.set_content(
            calendar,
            maintype="application",
            subtype="ics",
            cte="base64",
            disposition="attachment",
            filename=ATTACHMENT,
            params={"name": ATTACHMENT},
        )
        mixed.attach(alternative)
        mixed.attach(attachment)
        lines = [
            headers.mailbox("From", self.author.addr_spec, self.author.display_name or None),
            *([headers.mailbox("Sender", self.sender.addr_spec)] if self.sender else []),
            headers.mailbox("To", to.addr_spec),
            headers.unstructured("Subject", self.subject),
            f"Date: {format_datetime(date.astimezone(UTC))}",
            f"Message-ID: {message_id}",
            "MIME-Version: 1.0",
        ]
        head = "".join(line + "\r\n" for line in lines).encode("ascii")
        return head + mixed.as_bytes(policy=POLICY)
