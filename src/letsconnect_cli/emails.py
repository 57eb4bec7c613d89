"""Email addresses and the email policy: the one rule for an address lc writes into a header,
and the one policy (7-bit, CRLF, 78 columns) of every message lc builds.

The organiser's address is checked by this rule when lc.toml is loaded (`config.Organiser`);
announcements (`announce.email_message`) and invitations (`mail.messages`) build their From,
To and Sender headers with `address`.
"""

from __future__ import annotations

import re
from email.headerregistry import Address
from email.policy import SMTP

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
