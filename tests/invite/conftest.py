"""Helpers for `lc invite` tests: clinic files, two independent parsers, raw-byte checks."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import icalendar
import pytest
from ical.calendar import Calendar as IcalCalendar
from ical.calendar_stream import IcsCalendarStream

from letsconnect_cli import tomltext

#: DTSTAMP in every test unless a test says otherwise: 2023-03-28T10:40:00Z.
PINNED_EPOCH = 1680000000
PINNED = datetime.fromtimestamp(PINNED_EPOCH, UTC)
SEED_ID = "2023-04-02-travel-scholarships"
SEED_UID = "bdc55479-7c80-4fe5-b6e0-b2b8675f451c@letsconnect"


@pytest.fixture(autouse=True)
def calendar_environment(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No calendar settings from the machine; DTSTAMP pinned."""
    for name in ("LC_CALENDAR_OUT_DIR", "LC_CALENDAR_REMINDER", "LC_CALENDAR_LOCATION"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(PINNED_EPOCH))
    yield


def wide_feed_window(monkeypatch: pytest.MonkeyPatch) -> None:
    """A feed window reaching back to the seed clinics of 2023 (the default is 90 days)."""
    monkeypatch.setenv("LC_CALENDAR_FEED_PAST_DAYS", "36500")


def write_clinic(folder: Path, clinic_id: str, **fields: Any) -> Path:
    """A clinic file with these top-level keys; `sharers` as a list of dicts, `calendar_uid`."""
    lines = []
    sharers = fields.pop("sharers", [])
    uid = fields.pop("calendar_uid", None)
    links = fields.pop("links", {})
    for key, value in fields.items():
        lines.append(f"{key} = {tomltext.value(value)}")
    for sharer in sharers:
        lines.append("[[sharers]]")
        lines.extend(f"{k} = {tomltext.value(v)}" for k, v in sharer.items())
    if links:
        lines.append("[links]")
        lines.extend(f"{k} = {tomltext.value(v)}" for k, v in links.items())
    if uid is not None:
        lines += ["[calendar]", f"uid = {tomltext.value(uid)}"]
    path = folder / f"{clinic_id}.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def parse_both(data: bytes) -> tuple[icalendar.Calendar, IcalCalendar]:
    """The file as read by `icalendar` and by the stricter `ical` (which raises on bad input)."""
    lenient = icalendar.Calendar.from_ical(data)
    strict = IcsCalendarStream.calendar_from_ics(data.decode("utf-8"))
    return lenient, strict


def events_of(calendar: icalendar.Calendar) -> list[icalendar.Event]:
    return list(calendar.events)


def check_raw(data: bytes) -> None:
    """RFC 5545 at the byte level: CRLF only, last line too; no line over 75 octets; folds on
    UTF-8 character boundaries; METHOD before the first component."""
    assert data.endswith(b"END:VCALENDAR\r\n")
    assert b"\r" not in data.replace(b"\r\n", b""), "a CR outside CRLF"
    assert b"\n" not in data.replace(b"\r\n", b""), "a LF outside CRLF"
    lines = data.split(b"\r\n")[:-1]
    for number, line in enumerate(lines, start=1):
        assert len(line) <= 75, f"line {number} has {len(line)} octets"
        line.decode("utf-8")  # a fold never splits a character
    assert lines[:2] == [b"BEGIN:VCALENDAR", b"VERSION:2.0"]
    assert lines[2].startswith(b"PRODID:") and lines[3].startswith(b"METHOD:")
    assert lines.index(b"BEGIN:VEVENT") > 3


def unfolded(data: bytes) -> list[str]:
    """Content lines after unfolding, as text."""
    return data.decode("utf-8").replace("\r\n ", "").split("\r\n")[:-1]
