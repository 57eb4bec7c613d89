"""Talking to the mail server (smtplib): STARTTLS or TLS, a login, one message per recipient.

Certificates are verified against the system's trust store (and `[smtp] ca_file` when set).
Plain SMTP (`security = "none"`) is refused except to this computer (a loopback address), where
a local relay or a test server listens. The password is passed to the server's AUTH and nowhere
else: it is in no message, no repr, no log; a server's reply that quotes it (as typed,
URL-encoded, or in base64 as AUTH PLAIN or LOGIN sent it) is masked.
"""

from __future__ import annotations

import smtplib
import socket
import ssl
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from letsconnect_cli.errors import ConfigError, RemoteError, UsageError
from letsconnect_cli.loopback import is_loopback
from letsconnect_cli.masking import Masker

if TYPE_CHECKING:
    from letsconnect_cli.config import SmtpSettings

DEFAULT_PORTS = {"starttls": 587, "tls": 465, "none": 25}


@dataclass(frozen=True)
class Server:
    """Where and how to send."""

    host: str
    port: int
    security: str  # starttls, tls or none
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    timeout: float = 30.0
    ca_file: Path | None = None

    @property
    def name(self) -> str:
        return f"{self.host}:{self.port}"


def server_from(settings: SmtpSettings, password: str | None) -> Server:
    """The server of `[smtp]`; ConfigError saying what is missing or unsafe."""
    if not settings.host:
        raise ConfigError(
            "sending needs a mail server: [smtp] host is not set",
            hint='Set it in lc.toml ([smtp] host = "smtp.example.org") or LC_SMTP_HOST; '
            "or leave out --send to write the messages as .eml files.",
        )
    host = settings.host
    if settings.security == "none" and not is_loopback(host):
        raise ConfigError(
            f'[smtp] security = "none" sends in clear text; lc allows it only to this computer, '
            f"not to {host}",
            hint='Use security = "starttls" (port 587) or "tls" (port 465).',
        )
    if settings.username and not password:
        raise UsageError(
            f"[smtp] username is {settings.username!r} but no password is set",
            hint="Export LC_SMTP_PASSWORD, or name a file holding it in [smtp] password_file "
            "(chmod 600). Passwords are never given as flags.",
        )
    if settings.ca_file is not None and not settings.ca_file.is_file():
        raise ConfigError(f"[smtp] ca_file {settings.ca_file} is not a file")
    return Server(
        host=host,
        port=settings.port or DEFAULT_PORTS[settings.security],
        security=settings.security,
        username=settings.username,
        password=password if settings.username else None,
        timeout=settings.timeout,
        ca_file=settings.ca_file,
    )


class SendFailure(Exception):
    """One message not accepted. `stage`: recipient, sender, data or connection."""

    def __init__(self, stage: str, code: int | None, text: str) -> None:
        super().__init__(f"{code} {text}" if code else text)
        self.stage = stage
        self.code = code
        self.text = text

    @property
    def temporary(self) -> bool:
        return self.code is not None and 400 <= self.code < 500


class Connection:
    """One SMTP session: `open()` connects, secures and logs in; `send()` one message."""

    def __init__(self, server: Server, *, local_hostname: str | None = None) -> None:
        self.server = server
        self.local_hostname = local_hostname
        self._smtp: smtplib.SMTP | None = None
        self._masker = Masker()
        self._masker.add(server.password, username=server.username)

    def __enter__(self) -> Connection:
        self.open()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    def _context(self) -> ssl.SSLContext:
        context = ssl.create_default_context()
        if self.server.ca_file is not None:
            context.load_verify_locations(cafile=str(self.server.ca_file))
        return context

    def open(self) -> None:
        """Connect, secure, log in; RemoteError (exit 5) saying what failed, never the password."""
        server = self.server
        try:
            if server.security == "tls":
                smtp: smtplib.SMTP = smtplib.SMTP_SSL(
                    server.host,
                    server.port,
                    local_hostname=self.local_hostname,
                    timeout=server.timeout,
                    context=self._context(),
                )
            else:
                smtp = smtplib.SMTP(
                    server.host,
                    server.port,
                    local_hostname=self.local_hostname,
                    timeout=server.timeout,
                )
            self._smtp = smtp
            smtp.ehlo()
            if server.security == "starttls":
                if not smtp.has_extn("starttls"):
                    raise RemoteError(
                        f"the mail server {server.name} does not offer STARTTLS",
                        hint='Check [smtp] port (587 for STARTTLS), or set security = "tls" for '
                        "a server that speaks TLS from the start (port 465).",
                    )
                smtp.starttls(context=self._context())
                smtp.ehlo()
            if server.username:
                assert server.password is not None
                smtp.login(server.username, server.password)
        except RemoteError:
            self.close()
            raise
        except smtplib.SMTPAuthenticationError as error:
            self.close()
            raise RemoteError(
                f"the mail server {server.name} refused the login of {server.username!r}: "
                f"{self._reply(error.smtp_code, error.smtp_error)}",
                hint="Check [smtp] username and the password (LC_SMTP_PASSWORD or "
                "[smtp] password_file).",
            ) from None
        except smtplib.SMTPNotSupportedError:
            self.close()
            raise RemoteError(
                f"the mail server {server.name} offers no login (AUTH)",
                hint="Leave out [smtp] username if it takes mail without one, or check the port.",
            ) from None
        except ssl.SSLCertVerificationError as error:
            self.close()
            raise RemoteError(
                f"the mail server {server.name} has a certificate lc does not trust: "
                f"{error.verify_message or error}",
                hint="For a relay with a private CA, set [smtp] ca_file to its certificate (PEM).",
            ) from None
        except ssl.SSLError as error:
            self.close()
            raise RemoteError(
                f"TLS with the mail server {server.name} failed: {error.reason or error}",
                hint='Check [smtp] security: "starttls" (port 587) or "tls" (port 465).',
            ) from None
        except smtplib.SMTPResponseException as error:
            self.close()
            raise RemoteError(
                f"the mail server {server.name} said "
                f"{self._reply(error.smtp_code, error.smtp_error)}"
            ) from None
        except (smtplib.SMTPException, OSError) as error:
            self.close()
            reason = self._masker.mask(_os_reason(error))
            raise RemoteError(
                f"cannot talk to the mail server {server.name}: {reason}",
                hint="Check [smtp] host, port and security, and the network.",
            ) from None

    def send(self, sender: str, recipient: str, data: bytes) -> None:
        """Send one message to one recipient; SendFailure when it is not accepted."""
        smtp = self._smtp
        if smtp is None:
            raise SendFailure("connection", None, "not connected")
        try:
            smtp.sendmail(sender, [recipient], data)
        except smtplib.SMTPRecipientsRefused as error:
            code, text = error.recipients.get(recipient, (None, b""))
            self._after_failure(code)
            raise SendFailure("recipient", code, self._text(text, recipient)) from None
        except smtplib.SMTPSenderRefused as error:
            self._after_failure(error.smtp_code)
            raise SendFailure(
                "sender", error.smtp_code, self._text(error.smtp_error, recipient)
            ) from None
        except smtplib.SMTPDataError as error:
            self._after_failure(error.smtp_code)
            raise SendFailure(
                "data", error.smtp_code, self._text(error.smtp_error, recipient)
            ) from None
        except smtplib.SMTPResponseException as error:
            self._after_failure(error.smtp_code)
            raise SendFailure(
                "connection", error.smtp_code, self._text(error.smtp_error, recipient)
            ) from None
        except (smtplib.SMTPException, OSError) as error:
            self.close()
            raise SendFailure(
                "connection", None, self._text(_os_reason(error), recipient)
            ) from None

    def _after_failure(self, code: int | None) -> None:
        if code == 421:  # the server is closing the connection (smtplib closed it already)
            self.close()

    @property
    def connected(self) -> bool:
        return self._smtp is not None and self._smtp.sock is not None

    def close(self) -> None:
        smtp, self._smtp = self._smtp, None
        if smtp is None:
            return
        try:
            if smtp.sock is not None:
                smtp.quit()
        except (smtplib.SMTPException, OSError):
            pass
        finally:
            smtp.close()

    def _reply(self, code: int | None, text: bytes | str) -> str:
        reply = self._text(text, None)
        return f"{code} {reply}" if code else reply

    def _text(self, text: bytes | str, recipient: str | None) -> str:
        """A server's reply, one line, without the password or the recipient's address."""
        if isinstance(text, bytes):
            text = text.decode("utf-8", "replace")
        text = " ".join(text.split())
        text = self._masker.mask(text)
        if recipient:
            text = _replace_folded(text, recipient, "recipient")
        return text


def _replace_folded(text: str, needle: str, replacement: str) -> str:
    lowered = text.lower()
    needle = needle.lower()
    out, start = [], 0
    while (found := lowered.find(needle, start)) >= 0:
        out += [text[start:found], replacement]
        start = found + len(needle)
    out.append(text[start:])
    return "".join(out)


def _os_reason(error: BaseException) -> str:
    if isinstance(error, socket.timeout | TimeoutError):
        return "no answer in time ([smtp] timeout)"
    if isinstance(error, socket.gaierror):
        return f"unknown host ({error.strerror or error})"
    if isinstance(error, ConnectionRefusedError):
        return "connection refused (is the server running, is the port right?)"
    if isinstance(error, smtplib.SMTPServerDisconnected):
        return "the server closed the connection"
    if isinstance(error, OSError) and error.strerror:
        return error.strerror
    return str(error) or type(error).__name__
