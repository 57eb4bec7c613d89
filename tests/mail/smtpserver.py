"""A real SMTP server on loopback for the tests (aiosmtpd), capturing what it accepts.

Behaviours a test can ask for: refuse every message after the first N (421, closing, as servers
do when a sender hits a limit), refuse some recipients (550), defer some (451), require STARTTLS
or speak TLS from the start with a certificate made for the test, require a login, or hold a
message in DATA until the test releases it (to kill the client mid-send).

aiosmtpd is in the test extra; should it be missing, the tests skip with the reason locally and
fail under LC_REQUIRE_SERVERS=1 (CI). Certificates come from the `openssl` command, likewise.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import ssl
import subprocess
import threading
import time
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import integration_only


def require(what: str, available: bool) -> None:
    """Skip (locally) or fail (CI, LC_REQUIRE_SERVERS=1) when a real component is missing."""
    if available:
        return
    reason = f"{what} is not available"
    if os.environ.get("LC_REQUIRE_SERVERS") == "1":
        pytest.fail(reason + " — LC_REQUIRE_SERVERS=1 makes this a failure")
    pytest.skip(reason)


def _has_aiosmtpd() -> bool:
    try:
        import aiosmtpd.controller  # noqa: F401
    except ImportError:
        return False
    return True


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Captured:
    """One message the server accepted."""

    mail_from: str
    rcpt_tos: list[str]
    data: bytes

    @property
    def message(self) -> EmailMessage:
        parsed = message_from_bytes(self.data, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        return parsed


@dataclass
class Behaviour:
    refuse_after: int | None = None  # accept N messages, then answer 421 to every RCPT
    refuse: set[str] = field(default_factory=set)  # recipients answered with 550
    defer: set[str] = field(default_factory=set)  # recipients answered with 451
    refuse_sender: bool = False  # answer MAIL FROM with 550
    reject_data: bool = False  # answer DATA with 554 (content refused)
    hold_after: int | None = None  # hold message N+1 in DATA until `release` is set
    held: threading.Event = field(default_factory=threading.Event)  # set when one is held
    release: threading.Event = field(default_factory=threading.Event)


class Handler:
    def __init__(self, behaviour: Behaviour) -> None:
        self.behaviour = behaviour
        self.messages: list[Captured] = []
        self.lock = threading.Lock()

    async def handle_MAIL(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if self.behaviour.refuse_sender:
            return f"550 5.7.1 <{address}>: Sender address rejected: not permitted"
        envelope.mail_from = address
        envelope.mail_options.extend(options)
        return "250 OK"

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        b = self.behaviour
        if b.refuse_after is not None and len(self.messages) >= b.refuse_after:
            return "421 4.7.0 Too many messages from you, closing connection"
        if address.lower() in b.refuse:
            return f"550 5.1.1 <{address}>: Recipient address rejected: User unknown"
        if address.lower() in b.defer:
            return f"451 4.2.0 <{address}>: greylisted, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        b = self.behaviour
        if b.reject_data:
            return "554 5.7.1 Message rejected as spam"
        if b.hold_after is not None and len(self.messages) >= b.hold_after:
            b.held.set()
            while not b.release.is_set():
                await asyncio.sleep(0.02)
            return "451 4.3.0 aborted by the test"
        with self.lock:
            self.messages.append(
                Captured(
                    envelope.mail_from,
                    list(envelope.rcpt_tos),
                    bytes(envelope.original_content or envelope.content),
                )
            )
        return "250 2.0.0 Message accepted for delivery"


class SmtpServer:
    """aiosmtpd's Controller on 127.0.0.1 and a free port."""

    def __init__(
        self,
        *,
        behaviour: Behaviour | None = None,
        certificate: tuple[Path, Path] | None = None,
        implicit_tls: bool = False,
        login: tuple[str, str] | None = None,
        starttls: bool = True,
    ) -> None:
        require("aiosmtpd (pip install aiosmtpd)", _has_aiosmtpd())
        integration_only("a real SMTP server")
        from aiosmtpd.controller import Controller
        from aiosmtpd.smtp import AuthResult

        self.behaviour = behaviour or Behaviour()
        self.handler = Handler(self.behaviour)
        self.port = free_port()
        kwargs: dict[str, Any] = {}
        context = None
        if certificate is not None:
            context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            context.load_cert_chain(str(certificate[0]), str(certificate[1]))
            if not implicit_tls and starttls:
                kwargs["tls_context"] = context
                kwargs["require_starttls"] = True
        self.logins: list[tuple[str, bool]] = []
        if login is not None:
            user, password = login

            def authenticator(
                server: Any, session: Any, envelope: Any, mechanism: str, data: Any
            ) -> Any:
                good = data.login.decode() == user and data.password.decode() == password
                self.logins.append((data.login.decode(), good))
                return AuthResult(
                    success=good, handled=False
                )  # handled=False: aiosmtpd replies 535

            kwargs["authenticator"] = authenticator
            kwargs["auth_required"] = True
            # aiosmtpd counts only STARTTLS as TLS; with TLS from the start the line is secure too
            kwargs["auth_require_tls"] = certificate is not None and not implicit_tls
        self.controller = Controller(
            self.handler,
            hostname="127.0.0.1",
            port=self.port,
            ssl_context=context if implicit_tls else None,
            server_hostname="localhost",
            ready_timeout=10,
            **kwargs,
        )

    @property
    def messages(self) -> list[Captured]:
        return self.handler.messages

    def __enter__(self) -> SmtpServer:
        self.controller.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.behaviour.release.set()
        self.controller.stop()

    def wait_for(self, count: int, timeout: float = 20.0) -> None:
        deadline = time.monotonic() + timeout
        while len(self.messages) < count:
            if time.monotonic() > deadline:
                raise AssertionError(f"the server got {len(self.messages)} of {count} messages")
            time.sleep(0.02)


def self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    """A certificate for localhost and 127.0.0.1, made by `openssl` for this test run."""
    integration_only("the openssl command")
    openssl = shutil.which("openssl")
    require("the openssl command (apt-get install openssl)", openssl is not None)
    assert openssl is not None
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            openssl,
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            "-subj",
            "/CN=localhost",
            "-addext",
            "subjectAltName=DNS:localhost,IP:127.0.0.1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    return cert, key
