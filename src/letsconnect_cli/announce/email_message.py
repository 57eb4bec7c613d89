"""An announcement as a complete RFC 5322 message, ready to send to a mailing list.

Built with the standard library's `email` package: UTF-8 text, MIME headers, non-ASCII headers as
RFC 2047 encoded words, a body in quoted-printable or base64 (7-bit clean, so any mail server takes
it), CRLF line ends. The Message-ID is derived from the clinic, language, date and body, so a fixed
date (SOURCE_DATE_EPOCH) gives the same message byte for byte.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime
from typing import TYPE_CHECKING

from letsconnect_cli.emails import POLICY
from letsconnect_cli.emails import address as _address
from letsconnect_cli.errors import UsageError

if TYPE_CHECKING:
    from letsconnect_cli.emails import Organiser


def email_message(
    *,
    body: str,
    subject: str,
    sender: Organiser,
    to: list[str],
    language: str,
    identity: str,
    now: datetime,
) -> str:
    """The message as text with CRLF line ends. From is the organiser of the configuration."""
    if not sender.email:
        raise UsageError(
            "an email announcement needs a From address",
            hint="Set [organiser] email (and name) in lc.toml, or LC_ORGANISER_EMAIL.",
        )
    sender_address = _address(sender.email, "[organiser] email", sender.name)
    message = EmailMessage(policy=POLICY)
    message["From"] = sender_address
    if to:
        message["To"] = [_address(item, "--to", None) for item in to]
    message["Subject"] = subject
    message["Date"] = format_datetime(now.astimezone(UTC))
    digest = hashlib.sha256(
        "\n".join([identity, now.astimezone(UTC).isoformat(), subject, body]).encode()
    ).hexdigest()[:32]
    message["Message-ID"] = f"<lc.{digest}@{sender_address.domain}>"
    message.set_content(body, charset="utf-8")  # (this resets the Content-* headers)
    message["Content-Language"] = language
    return message.as_string()
