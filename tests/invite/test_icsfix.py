"""icsfix: each compensation for the `ics` package, against what ics writes on its own."""

from __future__ import annotations

import warnings
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from ics import Calendar, DisplayAlarm, Event
from ics.attendee import Organizer
from ics.grammar.parse import ContentLine

from letsconnect_cli.invites import icsfix
from tests.invite.conftest import check_raw, events_of, parse_both, unfolded

URL = "https://example.org/join?id=1;pw=a,b"


def _calendar(**event: object) -> Calendar:
    defaults: dict[str, object] = {
        "name": "Tanaka, Hanako; 日本語",
        "begin": datetime(2023, 4, 2, 6, tzinfo=UTC),
        "end": datetime(2023, 4, 2, 8, tzinfo=UTC),
        "uid": "one@test",
        "created": datetime(2023, 3, 28, tzinfo=UTC),
        "url": URL,
        "organizer": Organizer("team@example.org", "Tanaka, Hanako"),
        "description": "学習クリニック、差旅奖学金；" * 20,  # noqa: RUF001
    }
    defaults.update(event)
    calendar = Calendar()
    calendar.method = "PUBLISH"
    calendar.events.add(Event(**defaults))
    return calendar


def _raw_ics(calendar: Calendar) -> str:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        return str(calendar.serialize())


def test_what_ics_gets_wrong_on_its_own() -> None:
    """The defects icsfix exists for, as ics 0.7 shows them (if ics fixes one, revisit icsfix)."""
    raw = _raw_ics(_calendar())
    lines = raw.split("\r\n")
    assert not raw.endswith("\r\n")  # no CRLF after END:VCALENDAR
    assert max(len(line.encode()) for line in lines) > 75  # #215: no folding
    assert lines.index("METHOD:PUBLISH") > lines.index("END:VEVENT")  # METHOD after the event
    assert "URL:https://example.org/join?id=1\\;pw=a\\,b" in lines  # a URI text-escaped
    assert "ORGANIZER;CN=Tanaka\\, Hanako:mailto:team@example.org" in lines  # CN not quoted


def test_repaired_output_is_rfc_5545() -> None:
    data = icsfix.serialize(_calendar())
    check_raw(data)
    lines = unfolded(data)
    assert f"URL:{URL}" in lines
    assert 'ORGANIZER;CN="Tanaka, Hanako":mailto:team@example.org' in lines
    assert lines[:4] == ["BEGIN:VCALENDAR", "VERSION:2.0", lines[2], "METHOD:PUBLISH"]
    event = lines[lines.index("BEGIN:VEVENT") + 1 :]
    assert [line.split(":")[0] for line in event[:4]] == ["UID", "DTSTAMP", "DTSTART", "DTEND"]
    lenient, strict = parse_both(data)
    assert str(events_of(lenient)[0]["URL"]) == URL
    assert strict.events[0].url == URL
    assert strict.events[0].organizer is not None
    assert strict.events[0].organizer.common_name == "Tanaka, Hanako"
    assert strict.events[0].summary == "Tanaka, Hanako; 日本語"


def test_alarms_serialize_without_future_warning_and_zero_trigger_is_valid() -> None:
    calendar = _calendar(alarms=[DisplayAlarm(trigger=timedelta(0), display_text="now")])
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # #360: ics's own serialize() warns here
        data = icsfix.serialize(calendar)
    lines = unfolded(data)
    assert "TRIGGER:PT0S" in lines  # #269: ics writes "P"
    assert lines.index("BEGIN:VALARM") > lines.index("URL:" + URL)  # components after properties
    _, strict = parse_both(data)
    assert strict.events[0].alarm[0].trigger == timedelta(0)


def test_events_and_categories_come_in_a_stable_order() -> None:
    """#251, #306: ics keeps events and categories in sets; the output must not depend on that."""
    calendar = Calendar()
    calendar.method = "PUBLISH"
    for index, day in enumerate((5, 1, 3)):
        event = Event(
            name=f"event {index}",
            begin=datetime(2023, 4, day, tzinfo=UTC),
            end=datetime(2023, 4, day, 1, tzinfo=UTC),
            uid=f"e{index}@test",
            created=datetime(2023, 3, 1, tzinfo=UTC),
            categories=["zeta", "Alpha", "beta, with comma"],
        )
        calendar.events.add(event)
    lines = unfolded(icsfix.serialize(calendar))
    starts = [line for line in lines if line.startswith("DTSTART")]
    assert starts == [
        "DTSTART:20230401T000000Z",
        "DTSTART:20230403T000000Z",
        "DTSTART:20230405T000000Z",
    ]
    assert "CATEGORIES:Alpha,beta\\, with comma,zeta" in lines


def test_sequence_from_extra_content_line_lands_after_dtstamp() -> None:
    calendar = _calendar()
    event = next(iter(calendar.events))
    event.extra.append(ContentLine("SEQUENCE", value="3"))
    lines = unfolded(icsfix.serialize(calendar))
    assert lines.index("SEQUENCE:3") == lines.index("DTSTAMP:20230328T000000Z") + 1


def test_an_event_without_dtstamp_is_refused() -> None:
    """#200: ics writes DTSTAMP only when `created` is set; lc must never forget it."""
    calendar = _calendar(created=None)
    with pytest.raises(ValueError, match="DTSTAMP"):
        icsfix.serialize(calendar)


def test_a_control_character_in_a_value_is_never_written() -> None:
    line = ContentLine("UID", value="a\r\nATTENDEE:mailto:x@example.org")
    with pytest.raises(ValueError, match="control character"):
        icsfix.content_line(line)


def test_parameter_values_are_quoted_and_cannot_break_out() -> None:
    line = ContentLine("ORGANIZER", {"CN": ['Say "hi"; to:\r\nme, now']}, "mailto:a@b.org")
    assert icsfix.content_line(line) == "ORGANIZER;CN=\"Say 'hi'; to:  me, now\":mailto:a@b.org"
    plain = ContentLine("TRIGGER", {"VALUE": ["DATE-TIME"]}, "20230402T060000Z")
    assert icsfix.content_line(plain) == "TRIGGER;VALUE=DATE-TIME:20230402T060000Z"


@pytest.mark.parametrize(
    ("line", "pieces"),
    [
        ("A" * 75, ["A" * 75]),
        ("A" * 76, ["A" * 75, " A"]),
        ("A" * 74 + "日", ["A" * 74, " 日"]),  # 3 octets would make 77: the character moves whole
        ("A" * 74 + "\\,B", ["A" * 74, " \\,B"]),  # an escape stays in one piece
    ],
)
def test_fold_examples(line: str, pieces: list[str]) -> None:
    assert icsfix.fold_line(line).split("\r\n") == pieces


@given(st.text(alphabet=st.characters(blacklist_categories=["Cs", "Cc"]), max_size=400))
def test_fold_keeps_every_piece_within_75_octets_and_unfolds_to_the_line(text: str) -> None:
    line = "DESCRIPTION:" + text
    folded = icsfix.fold_line(line)
    pieces = folded.split("\r\n")
    assert all(len(piece.encode("utf-8")) <= 75 for piece in pieces)
    assert all(piece.startswith(" ") for piece in pieces[1:])
    assert folded.replace("\r\n ", "") == line


def _fold_by_characters(line: str) -> str:
    """The first, character-by-character fold: the specification the faster one must match."""
    if len(line.encode("utf-8")) <= 75:
        return line
    pieces: list[str] = []
    current: list[str] = []
    size, limit, index = 0, 75, 0
    while index < len(line):
        unit = line[index]
        if unit == "\\" and index + 1 < len(line):
            unit = line[index : index + 2]
        octets = len(unit.encode("utf-8"))
        if size + octets > limit:
            pieces.append("".join(current))
            current, size, limit = [], 0, 74
        current.append(unit)
        size += octets
        index += len(unit)
    pieces.append("".join(current))
    return "\r\n ".join(pieces)


@given(
    st.text(
        alphabet=st.sampled_from(["\\", "\\", ",", "n", "A", "é", "日", "𝄞", ";"]),
        max_size=400,
    )
)
def test_fold_cuts_where_the_character_by_character_fold_cuts(text: str) -> None:
    line = "DESCRIPTION:" + text
    assert icsfix.fold_line(line) == _fold_by_characters(line)
