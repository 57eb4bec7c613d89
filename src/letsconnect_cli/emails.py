"""Email addresses and the organiser: the one rule for an address lc writes into a header, the
one policy (7-bit, CRLF, 78 columns) of every message lc builds, and the one `Organiser`.

The organiser (lc.toml's [organiser], `config.Config.organiser`) is checked by this rule when the
configuration is loaded; it is the ORGANIZER of invites (`invites.ics_event`), the From of
invitations (`mail`) and announcements (`announce`), and the contact of announcements, which
build their From, To and Sender headers with `address`.
"""

from __future__ import annotations

import re
from email.headerregistry import Address
from email.policy import SMTP
from typing import Any

from pydantic import BaseModel, ConfigDict, field_validator

from letsconnect_cli.clinic.values import OptionalText
from letsconnect_cli.errors import UsageError

#: 7-bit clean (quoted-printable or base64 bodies), CRLF line ends, lines within 78 characters.
POLICY = SMTP.clone(cte_type="7bit", max_line_length=78)

#: Addresses lc writes and sends to: ASCII, `local@domain.tld`, a local part of characters that
#: stay the same in a `mailto:` URI (so that ORGANIZER and ATTENDEE name exactly the address the
#: message goes to), compared lower-cased.
_ADDRESS = re.compile(
    r"(?P<local>[a-z0-9!#$&'*+/=?~_.-]{1,64})@(?P<domain>[a-z0-9-]{1,63}(?:\.[a-z0-9-]{1,63})+)"
)


def usable_address(text: str) -> bool:
    """Whether `text` is one address lc can write into a header and send to: the one rule."""
    text = text.lower()
    match = _ADDRESS.fullmatch(text)
    if match is None or len(text) > 254:
        return False
    local, domain = match["local"], match["domain"]
    if local.startswith(".") or local.endswith(".") or ".." in local:
        return False
    return not any(label.startswith("-") or label.endswith("-") for label in domain.split("."))


def email_problem(text: str) -> str | None:
    """Why `text` is not an address lc can use, or None."""
    if usable_address(text):
        return None
    return (
        "is not an email address lc can use: ASCII local@domain.tld, without spaces, quotes, "
        "brackets, commas or semicolons"
    )


def address(
    text: str, what: str, display_name: str | None = None, *, private: bool = False
) -> Address:
    """An Address header value; UsageError when `text` is not one address (quoted in the message
    unless `private`: a registrant's address is never shown)."""
    text = text.strip()
    if not usable_address(text):
        shown = "" if private else f" {text!r}"
        raise UsageError(f"{what}{shown} is not an email address")
    local, _, domain = text.rpartition("@")
    return Address(display_name=display_name or "", username=local, domain=domain)


class Organiser(BaseModel):
    """Who sends invites and announcements: the program's team or a regional liaison. The one
    organiser type: lc.toml's [organiser], the ORGANIZER of invites, the From of emails, the
    contact of announcements. Checked when it is made (lc.toml is loaded): one line each, and an
    address lc can write into a header (`emails.email_problem`)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: OptionalText = None
    email: OptionalText = None

    def __init__(self, name: str | None = None, email: str | None = None, **data: Any) -> None:
        """`Organiser("Ana Reyes", "ana@example.org")`, as well as by keyword."""
        super().__init__(name=name, email=email, **data)

    @field_validator("name", "email")
    @classmethod
    def _one_line(cls, value: str | None) -> str | None:
        """The name goes into From and ORGANIZER headers: one line, no control character."""
        if value is not None and re.search(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]", value):
            raise ValueError(
                "holds a line break or another control character; write it on one line"
            )
        return value

    @field_validator("email")
    @classmethod
    def _address(cls, value: str | None) -> str | None:
        if value is None:
            return None
        value = value.removeprefix("mailto:")
        problem = email_problem(value)
        if problem:
            raise ValueError(f"{value!r} {problem}")
        return value

    def require_email(self, why: str) -> str:
        """The address; UsageError (`why` it is needed) saying where to set it when there is
        none."""
        from letsconnect_cli.errors import UsageError

        if not self.email:
            raise UsageError(
                why,
                hint='Set it in lc.toml: [organiser] email = "team@example.org", '
                "or in the environment: LC_ORGANISER_EMAIL.",
            )
        return self.email
