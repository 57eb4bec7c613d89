"""Issue 15: messages give file, line, column and the kind of problem, never a cell of an export."""

from __future__ import annotations

import pytest

from letsconnect_cli.errors import UsageError
from letsconnect_cli.ingest.records import IngestLog
from letsconnect_cli.mail.deliver import without_addresses
from letsconnect_cli.mail.messages import address


def test_unknown_clinic_names_are_counted_and_placed_not_quoted() -> None:
    log = IngestLog()
    log.unknown_clinic("Piiclinic Secret\x1b]0;x\x07", "regs.csv", 7, 9)
    log.unknown_clinic("Piiclinic Secret\x1b]0;x\x07", "regs.csv", 8, 9)
    log.unknown_clinic("Another Piiname", "regs.csv", 12, 9)
    (warning,) = log.all_warnings()
    assert "Pii" not in warning
    assert "3 row(s) name 2 clinic(s)" in warning
    assert "regs.csv, line 7, column 9" in warning


def test_a_registrants_address_is_not_quoted() -> None:
    with pytest.raises(UsageError) as caught:
        address("pii person@example.org", "a recipient", private=True)
    assert "pii" not in str(caught.value)
    with pytest.raises(UsageError) as caught:
        address("not an address", "[smtp] from_address")
    assert "'not an address'" in str(caught.value)  # lc.toml's own value: shown, to fix it


@pytest.mark.parametrize(
    "reply",
    [
        "550 5.1.1 <pii.person@example.org>: Recipient address rejected",
        "550 pii.person@example.org unknown",
        "452 4.2.2 mailbox full (pii.person+tag@sub.example.org)",
        '553 "Pii.Person@Example.ORG" refused',
    ],
)
def test_server_replies_lose_the_addresses_they_echo(reply: str) -> None:
    shown = without_addresses(reply)
    assert "pii" not in shown.casefold()
    assert shown.split()[0] == reply.split()[0]  # the code stays
