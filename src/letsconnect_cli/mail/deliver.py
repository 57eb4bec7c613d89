"""Sending the planned messages: at a steady pace, one recipient each, every success logged.

A recipient the server refuses (a 5xx reply to RCPT) is reported and the run goes on; a
temporary refusal (4xx) is reported as deferred, for the next run. A connection the server drops
is opened again once; when that fails too, or the server refuses the sender, or too many
messages fail in a row, the run stops and the rest are reported as not sent. Each accepted
message is written to the send log before the next one goes, so running the command again
sends exactly to those not yet served.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from letsconnect_cli.errors import RemoteError, UsageError
from letsconnect_cli.mail.sendlog import Sent
from letsconnect_cli.mail.smtp import SendFailure

if TYPE_CHECKING:
    from letsconnect_cli.mail.plan import Delivery
    from letsconnect_cli.mail.sendlog import SendLog
    from letsconnect_cli.mail.smtp import Connection

SENT, REFUSED, DEFERRED, FAILED, NOT_SENT = "sent", "refused", "deferred", "failed", "not sent"
#: After this many failures in a row (refused or deferred recipients aside), the run stops.
MAX_FAILURES_IN_A_ROW = 5


@dataclass(frozen=True)
class Outgoing:
    """A planned delivery with its message."""

    delivery: Delivery
    data: bytes
    message_id: str


@dataclass(frozen=True)
class Outcome:
    item: Outgoing
    status: str  # sent, refused, deferred, failed or not sent
    detail: str = ""  # the server's reply (the address masked), or why it was not sent
    time: datetime | None = None


class Pace:
    """At most `per_minute` messages a minute, evenly spaced (0: no limit)."""

    def __init__(
        self,
        per_minute: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.interval = 60.0 / per_minute if per_minute > 0 else 0.0
        self.clock = clock
        self.sleep = sleep
        self._next: float | None = None

    def wait(self) -> None:
        now = self.clock()
        if self._next is not None and now < self._next:
            self.sleep(self._next - now)
            now = self._next
        self._next = now + self.interval


_ADDRESS_IN_TEXT = re.compile(r"[^\s<>()\[\]\"',;:@]+@[^\s<>()\[\]\"',;:]+")


def without_addresses(text: str) -> str:
    """A server's answer without the addresses it may echo (a registrant's, from the export):
    each one is written `<address>`."""
    return _ADDRESS_IN_TEXT.sub("<address>", text)


def deliver(
    items: Sequence[Outgoing],
    connection: Connection,
    log: SendLog,
    *,
    sender: str,
    clinic_id: str,
    uid: str,
    pace: Pace,
    on_outcome: Callable[[Outcome], None] | None = None,
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> list[Outcome]:
    """Send every item in order; returns one outcome per item."""
    outcomes: list[Outcome] = []
    stop: str | None = None
    failures = 0

    def record(outcome: Outcome) -> None:
        outcomes.append(outcome)
        if on_outcome is not None:
            on_outcome(outcome)

    for item in items:
        if stop is not None:
            record(Outcome(item, NOT_SENT, stop))
            continue
        pace.wait()
        try:
            _send(connection, sender, item)
        except SendFailure as failure:
            detail = without_addresses(str(failure))
            if failure.stage == "recipient":  # this recipient only: the next one may be fine
                record(Outcome(item, DEFERRED if failure.temporary else REFUSED, detail))
                continue
            failures += 1
            if failure.stage == "sender" and not failure.temporary:
                stop = f"the server refuses the sender {sender}: {detail}"
                record(Outcome(item, FAILED, detail))
                continue
            if failure.stage == "connection":
                stop = f"the server stopped taking messages: {detail}"
                record(Outcome(item, NOT_SENT, stop))
                continue
            record(Outcome(item, DEFERRED if failure.temporary else FAILED, detail))
            if failures >= MAX_FAILURES_IN_A_ROW:
                stop = f"{failures} messages in a row were not accepted; stopped"
            continue
        failures = 0
        at = now()
        delivery = item.delivery
        try:
            log.append(
                Sent(
                    uid=uid,
                    clinic=clinic_id,
                    recipient=delivery.recipient,
                    sequence=delivery.sequence,
                    method=delivery.method,
                    kind=delivery.kind,
                    time=at,
                    message_id=item.message_id,
                )
            )
        except OSError as error:
            raise UsageError(
                f"cannot write the send log {log.path}: {error.strerror or error}; the message "
                f"{item.message_id} was sent but is not recorded, and would be sent again",
                hint="Free the disk or fix the folder's permissions before running again.",
            ) from None
        record(Outcome(item, SENT, time=at))
    return outcomes


def _send(connection: Connection, sender: str, item: Outgoing) -> None:
    """One message; a dropped connection is opened again once and the message sent again."""
    for attempt in (1, 2):
        try:
            if not connection.connected:
                connection.open()
            connection.send(sender, item.delivery.address, item.data)
            return
        except RemoteError as error:  # opening the connection again failed
            raise SendFailure("connection", None, error.message) from None
        except SendFailure as failure:
            if failure.stage != "connection" and failure.code != 421:
                raise
            if attempt == 2:
                raise SendFailure("connection", failure.code, failure.text) from None
            connection.close()
