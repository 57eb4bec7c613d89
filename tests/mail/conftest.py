"""Helpers for emailed invitations: a project with an upcoming clinic, exports, message checks."""

from __future__ import annotations

import csv
import re
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import icalendar
import pytest
from ical.calendar_stream import IcsCalendarStream
from typer.testing import CliRunner

from tests.conftest import DATA, invoke

SEED_ID = "2023-04-02-travel-scholarships"
SEED_UID = "bdc55479-7c80-4fe5-b6e0-b2b8675f451c@letsconnect"
ORGANISER = "letsconnectteam@wikimedia.org"
CLINIC_FILE = f"clinics/{SEED_ID}.toml"
EXPORTS = [
    DATA / "exports" / "google-forms-registration.csv",
    DATA / "mail" / "registrations-late.csv",
    DATA / "mail" / "registrations-preferred.csv",
]
#: The ESEAP registrants of the first export (the Google Forms one): 6 people.
FIRST_ESEAP = {
    "jose.iyer201@example.org",
    "lani.iyer202@example.org",
    "ravi.mwangi203@example.org",
    "ioana.fifita205@example.org",
    "siti.haddad209@example.org",
    "ana.popescu210@example.org",
}
#: ESEAP people who registered later (second and third exports), never seen before.
LATE_ESEAP = {
    "mele.taufa301@example.org",
    "an.nguyen302@example.net",
    "haruto.sato401@example.jp",
    "mei.lin402@example.tw",
    "somchai.k403@example.th",
}
#: A late registrant who gave no country: invited by default (registered for this clinic), left
#: out with --skip-unknown-country.
LATE_UNKNOWN_COUNTRY = {"noel.santos304@example.org"}
_EMAIL = re.compile(r"[A-Za-z0-9._%+'!#$&*/=?~-]+@[A-Za-z0-9.-]+")


def upcoming(days: int = 45) -> datetime:
    """A start a few weeks ahead, 06:00 UTC (clinics that started cannot be invited to)."""
    day = (datetime.now(UTC) + timedelta(days=days)).date()
    return datetime(day.year, day.month, day.day, 6, tzinfo=UTC)


def set_clinic(project: Path, **values: Any) -> None:
    """Change top-level keys of the seed clinic's file (start, status, title ...)."""
    from letsconnect_cli import tomltext

    path = project / CLINIC_FILE
    lines = path.read_text(encoding="utf-8").splitlines()
    for key, value in values.items():
        text = f"{key} = {tomltext.value(value)}"
        for index, line in enumerate(lines):
            if re.match(rf"#? ?{key} = ", line):
                lines[index] = text
                break
        else:
            lines.insert(5, text)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def set_smtp(project: Path, **values: Any) -> None:
    """Write lc.toml's [smtp] section (replacing an earlier one)."""
    from letsconnect_cli import tomltext

    path = project / "lc.toml"
    text = path.read_text(encoding="utf-8").split("\n[smtp]\n")[0].rstrip("\n")
    lines = [f"{key} = {tomltext.value(value)}" for key, value in values.items()]
    path.write_text(text + "\n\n[smtp]\n" + "\n".join(lines) + "\n", encoding="utf-8")


@pytest.fixture
def mail_project(project: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The seed project with the ESEAP clinic moved weeks ahead and confirmed, and the exports."""
    set_clinic(
        project,
        start=upcoming(),
        status="confirmed",
        registration_url="https://meta.wikimedia.org/wiki/Event:Travel_scholarships_clinic",
        meeting_url="https://zoom.us/j/81234567890?pwd=abc",
    )
    exports = project / "exports"
    exports.mkdir()
    shutil.copy(EXPORTS[0], exports / "registrations.csv")
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    yield project


def add_late_exports(project: Path) -> None:
    for source in EXPORTS[1:]:
        shutil.copy(source, project / "exports" / source.name)


def lc(runner: CliRunner, *args: str, code: int | None = 0) -> Any:
    result = invoke(runner, *args)
    if code is not None:
        assert result.exit_code == code, (result.exit_code, result.stdout, result.stderr)
    return result


def invite_args(*extra: str) -> list[str]:
    return ["invite", SEED_ID, "--region", "ESEAP", "--registrations", "exports", *extra]


def registrant_addresses() -> set[str]:
    """Every address in the test exports, as written and lower-cased (the bad one included)."""
    found: set[str] = set()
    for path in EXPORTS:
        for row in csv.reader(path.read_text(encoding="utf-8").splitlines()):
            for cell in row:
                if "@" in cell:
                    found.add(cell.strip())
                    found.add(cell.strip().lower())
    return found


def decoded_text(message: EmailMessage) -> str:
    """Every header and every part's decoded content, the calendar unfolded."""
    texts = [f"{name}: {value}" for name, value in message.items()]
    for part in message.walk():
        texts += [f"{name}: {value}" for name, value in part.items()]
        if part.is_multipart():
            continue
        content = part.get_content()
        text = content.decode("utf-8") if isinstance(content, bytes) else content
        texts.append(text.replace("\r\n ", "").replace("\r\n", "\n"))
    return "\n".join(texts)


def check_invitation(
    data: bytes, recipient: str, method: str, sequence: int, *, sender: str | None = None
) -> dict[str, Any]:
    """Everything an emailed invitation must be; returns what a test may look at further.

    `sender`: the [smtp] from_address when it is not the organiser's (then Sender: and SENT-BY).
    """
    message = message_from_bytes(data, policy=policy.default)
    assert isinstance(message, EmailMessage)
    assert b"\r\n" in data and b"\n" not in data.replace(b"\r\n", b""), "CRLF line ends only"
    assert max(len(line) for line in data.split(b"\r\n")) <= 78
    data.decode("ascii")  # 7-bit clean
    assert not message.defects and all(not part.defects for part in message.walk())
    # one recipient, no other address anywhere
    assert message.get_all("To") == [recipient]
    for header in ("Cc", "Bcc", "Reply-To"):
        assert message.get_all(header) is None, header
    # From is the organiser, as ORGANIZER; a sending address of another is Sender: and SENT-BY
    assert message["From"].addresses[0].addr_spec == ORGANISER
    if sender is None:
        assert message.get_all("Sender") is None
    else:
        assert message["Sender"].addresses[0].addr_spec == sender
    assert message["Message-ID"] and message["Date"] and message["Subject"]
    assert message["MIME-Version"] == "1.0"
    text = decoded_text(message)
    others = {a.lower() for a in registrant_addresses()} - {recipient.lower()}
    found = {a.lower().strip(".") for a in _EMAIL.findall(text)} | {
        a.lower().strip(".") for a in _EMAIL.findall(data.decode("ascii"))
    }
    # the recipient, the organiser, the sender, the UID and the Message-ID look like addresses
    allowed = {recipient.lower(), ORGANISER, SEED_UID.lower(), (sender or ORGANISER).lower()}
    domain = (sender or ORGANISER).split("@")[1]
    assert {a for a in found if not a.endswith(f".invite@{domain}")} <= allowed, found
    assert not (found & others)
    for other in others:
        assert other not in text.lower()
    # structure: multipart/mixed [multipart/alternative [text/plain, text/calendar], invite.ics]
    assert message.get_content_type() == "multipart/mixed"
    outer = list(message.iter_parts())
    assert [p.get_content_type() for p in outer] == ["multipart/alternative", "application/ics"]
    alternative, attachment = outer
    parts = list(alternative.iter_parts())
    assert [p.get_content_type() for p in parts] == ["text/plain", "text/calendar"]
    plain, cal = parts
    assert plain.get_content_charset() == "utf-8"
    assert cal.get_param("method") == method
    assert str(cal.get_param("charset")).upper() == "UTF-8"
    ics = cal.get_payload(decode=True)
    assert isinstance(ics, bytes)
    # the attachment: invite.ics, the same calendar (same METHOD)
    assert attachment.get_content_disposition() == "attachment"
    assert attachment.get_filename() == "invite.ics" == attachment.get_param("name")
    assert attachment.get_payload(decode=True) == ics
    lenient = icalendar.Calendar.from_ical(ics)
    strict = IcsCalendarStream.calendar_from_ics(ics.decode("utf-8"))
    assert str(lenient["METHOD"]) == method == strict.method
    (event,) = list(lenient.events)
    assert len(strict.events) == 1
    attendees = event.get("ATTENDEE")
    assert not isinstance(attendees, list), "exactly one ATTENDEE"
    assert str(attendees) == f"mailto:{recipient}"
    assert [a.uri for a in strict.events[0].attendees] == [f"mailto:{recipient}"]
    if method == "REQUEST":
        assert attendees.params["RSVP"] == "TRUE"
        assert attendees.params["PARTSTAT"] == "NEEDS-ACTION"
        assert strict.events[0].attendees[0].rsvp is True
    organizer = event["ORGANIZER"]
    assert str(organizer) == f"mailto:{ORGANISER}"
    if sender is None:
        assert "SENT-BY" not in organizer.params
    else:
        assert organizer.params["SENT-BY"] == f"mailto:{sender}"
    assert str(event["UID"]) == SEED_UID == strict.events[0].uid
    assert int(str(event["SEQUENCE"])) == sequence == strict.events[0].sequence
    body = plain.get_content()
    if method == "CANCEL":
        assert str(event["STATUS"]) == "CANCELLED"
    else:
        # what a client showing only text needs: the links and the local times
        assert str(event["URL"]) in body
        if str(event["STATUS"]) == "CONFIRMED":
            assert str(event["LOCATION"]).startswith("https://") and str(event["LOCATION"]) in body
        assert "(UTC+08:00)" in body  # the zone group of Manila
    return {
        "message": message,
        "text": body,
        "event": event,
        "strict": strict.events[0],
        "language": plain["Content-Language"],
    }
