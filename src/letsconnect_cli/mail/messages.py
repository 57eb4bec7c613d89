"""One invitation as an RFC 5322 message: a text part for people, a calendar part for calendars.

The message is `multipart/alternative`: `text/plain` (the clinic's announcement in the recipient's
language, from the `announce/invite.j2` template) and `text/calendar; method=REQUEST` (or CANCEL)
with `charset=UTF-8`, whose `method` equals the METHOD inside (Outlook rejects a mismatch). It
names two addresses and no others: From (the organiser) and To (the one recipient), and in the
calendar ORGANIZER (the organiser) and ATTENDEE (the recipient). No Cc, no Bcc.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime
from pathlib import Path
from typing import TYPE_CHECKING

from letsconnect_cli.errors import UsageError

if TYPE_CHECKING:
    from letsconnect_cli.announce import Organiser
    from letsconnect_cli.i18n import Language
    from letsconnect_cli.models import Clinic
    from letsconnect_cli.regions import Region

#: 7-bit clean (quoted-printable or base64 bodies), CRLF line ends, lines within 78 characters.
POLICY = SMTP.clone(cte_type="7bit", max_line_length=78)
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
) -> Letter:
    """The subject and text of an invitation (`kind`: new, update or cancel) in one language.

    The templates are `announce/invite.j2` and `announce/invite-subject.j2`, overridable by name
    like every announcement template, and rendered in the same sandbox.
    """
    from letsconnect_cli.announce import (
        clinic_context,
        environment,
        load_template,
        render,
        template_name,
        template_origin,
    )

    context = clinic_context(clinic, language, regions, organiser)
    context["format"] = "text"
    context["invite"] = {"kind": kind, "sequence": sequence}
    env = environment("text", language, user_dir=user_dir)
    body_template = load_template(env, template_name(BODY_TEMPLATE))
    body = render(body_template, context).rstrip() + "\n"
    subject = " ".join(render(load_template(env, template_name(SUBJECT_TEMPLATE)), context).split())
    return Letter(language.tag, subject, body, template_origin(body_template))


def address(
    text: str, what: str, display_name: str | None = None, *, private: bool = False
) -> Address:
    """An Address header value; UsageError when `text` is not one address (quoted in the message
    unless `private`: a registrant's address is never shown)."""
    try:
        local, domain = text.strip().rsplit("@", 1)
        if not local or not domain or any(c.isspace() or c in '<>,;"()[]\\' for c in text.strip()):
            raise ValueError(text)
        return Address(display_name=display_name or "", username=local, domain=domain)
    except (ValueError, IndexError):
        shown = "" if private else f" {text!r}"
        raise UsageError(f"{what}{shown} is not an email address") from None


class Composer:
    """Messages of one letter and method. The text part, the same for every recipient, is built
    once and shared (parts are never changed once built); each message gets its own headers and
    calendar part."""

    def __init__(self, *, sender: Address, letter: Letter, method: str) -> None:
        self.sender = sender
        self.subject = letter.subject
        self.method = method
        text = EmailMessage(policy=POLICY)
        text.set_content(letter.body, charset="utf-8")
        del text["MIME-Version"]  # once, at the top
        text["Content-Language"] = letter.language
        self._text = text

    def message(self, *, recipient: str, calendar: bytes, message_id: str, date: datetime) -> bytes:
        """The whole message to one recipient, CRLF line ends, for SMTP or an .eml file."""
        message = EmailMessage(policy=POLICY)
        message["From"] = self.sender
        message["To"] = address(recipient, "a recipient", private=True)
        message["Subject"] = self.subject
        message["Date"] = format_datetime(date.astimezone(UTC))
        message["Message-ID"] = message_id
        message["MIME-Version"] = "1.0"
        # A boundary made from the Message-ID: the same message gives the same bytes. "=_" cannot
        # occur in base64 or quoted-printable text, so the boundary never appears inside a part.
        message.make_alternative(boundary="=_lc_" + message_id.strip("<>").split("@", 1)[0])
        part = EmailMessage(policy=POLICY)
        part.set_content(
            calendar,
            maintype="text",
            subtype="calendar",
            cte="base64",  # keeps the calendar's CRLF and folding byte for byte
            params={"method": self.method, "charset": "UTF-8"},
        )
        del part["MIME-Version"]
        message.attach(self._text)
        message.attach(part)
        return message.as_bytes(policy=POLICY)
