"""`lc invite`'s calendar files: golden files, two parsers, updates, cancellation, the ledger.

Golden files: tests/data/invites/. Regenerate them, after checking the change is wanted, with
    LC_UPDATE_GOLDEN=1 pytest tests/invite/test_invite_files.py
They depend on the tz database (zone.tab of the `tzdata` package, zone rules of the system).
"""

from __future__ import annotations

import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from letsconnect_cli.invites.ics_event import text_block
from tests.conftest import DATA, Golden, invoke
from tests.invite.conftest import (
    PINNED,
    SEED_ID,
    SEED_UID,
    check_raw,
    events_of,
    parse_both,
    unfolded,
    wide_feed_window,
    write_clinic,
)

GOLDEN = DATA / "invites"
REGISTRATION = "https://meta.wikimedia.org/w/index.php?title=Event:Clinic;lang=ja,zh&x=1"
MEETING = "https://zoom.us/j/8123?pwd=a;b,c"


def _invite(runner: CliRunner, *args: str, code: int = 0):
    result = invoke(runner, "invite", *args)
    assert result.exit_code == code, result.stderr + result.stdout
    return result


def _ics(project: Path, clinic_id: str = SEED_ID) -> bytes:
    return (project / "invites" / f"{clinic_id}.ics").read_bytes()


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


# --- the seed's 2 April 2023 clinic -----------------------------------------------------------


def test_seed_clinic_matches_the_golden_files(
    runner: CliRunner, project: Path, monkeypatch: pytest.MonkeyPatch, golden: Golden
) -> None:
    wide_feed_window(monkeypatch)  # the feed holds the seed's three dated clinics of 2023
    _invite(runner, SEED_ID)
    golden(GOLDEN / f"{SEED_ID}.ics", _ics(project))
    golden(GOLDEN / "feed.ics", (project / "invites" / "feed.ics").read_bytes())
    golden(GOLDEN / "lc-issued.toml", (project / "clinics" / ".lc-issued.toml").read_bytes())


def test_seed_clinic_reads_back_the_same_in_both_parsers(runner: CliRunner, project: Path) -> None:
    _invite(runner, SEED_ID)
    data = _ics(project)
    check_raw(data)
    lenient, strict = parse_both(data)
    (event,) = events_of(lenient)
    title = "Guidelines, best practices, and documented learnings related to travel scholarships"
    start, end = datetime(2023, 4, 2, 6, tzinfo=UTC), datetime(2023, 4, 2, 8, tzinfo=UTC)
    assert str(lenient["METHOD"]) == "PUBLISH" and strict.method == "PUBLISH"
    assert str(event["SUMMARY"]) == title == strict.events[0].summary
    assert event.decoded("DTSTART") == start == strict.events[0].dtstart
    assert event.decoded("DTEND") == end == strict.events[0].dtend
    assert str(event["UID"]) == SEED_UID == strict.events[0].uid
    assert event.sequence == 0 == strict.events[0].sequence
    assert event.decoded("DTSTAMP") == PINNED == strict.events[0].dtstamp
    assert str(event["STATUS"]) == "CONFIRMED"  # done: it took place as confirmed
    assert str(event["LOCATION"]) == "Zoom" == strict.events[0].location
    assert str(event["ORGANIZER"]) == "mailto:letsconnectteam@wikimedia.org"
    assert event["ORGANIZER"].params["CN"] == "Let's Connect team"
    assert strict.events[0].organizer is not None
    assert strict.events[0].organizer.common_name == "Let's Connect team"
    assert sorted(event.categories) == ["Learning Clinic", "Let's Connect"]
    description = str(event["DESCRIPTION"])
    assert description == strict.events[0].description
    assert "Language: English, with live interpretation into Japanese and Chinese." in description
    assert "Time: Sunday 2 April 2023, 06:00-08:00 UTC." in description
    assert "- Sun 2 Apr 14:00-16:00 (UTC+08:00): Manila, Perth, Brunei, Shanghai" in description
    assert "- Sat 1 Apr 19:00-21:00 (UTC-11:00): Pago Pago, Niue, Midway" in description
    assert "- Sun 2 Apr 18:45-20:45 (UTC+12:45): Chatham" in description
    assert "- Sun 2 Apr 20:00-22:00 (UTC+14:00): Kiritimati" in description


def test_same_clinic_files_give_byte_identical_files(runner: CliRunner, project: Path) -> None:
    _invite(runner, "--all")
    first = {p.name: p.read_bytes() for p in (project / "invites").iterdir()}
    ledger = (project / "clinics" / ".lc-issued.toml").read_bytes()
    result = _invite(runner, "--all")
    assert {p.name: p.read_bytes() for p in (project / "invites").iterdir()} == first
    assert (project / "clinics" / ".lc-issued.toml").read_bytes() == ledger
    assert "unchanged (PUBLISH, SEQUENCE 0; clinic unchanged)" in result.stderr
    assert "recorded in" not in result.stderr  # the ledger was not rewritten


def test_a_fresh_clone_continues_where_the_ledger_left_off(
    runner: CliRunner, project: Path, tmp_path_factory: pytest.TempPathFactory, monkeypatch
) -> None:
    _invite(runner, SEED_ID)
    _edit(
        project / "clinics" / f"{SEED_ID}.toml",
        "start = 2023-04-02T06:00:00Z",
        "start = 2023-04-02T07:00:00Z",
    )
    _invite(runner, SEED_ID)
    expected = _ics(project)
    clone = tmp_path_factory.mktemp("clone")
    shutil.copytree(project / "clinics", clone / "clinics")  # what git clone brings: no invites/
    shutil.copy(project / "lc.toml", clone / "lc.toml")
    monkeypatch.chdir(clone)
    _invite(runner, SEED_ID)
    assert _ics(clone) == expected
    assert "SEQUENCE:1" in unfolded(expected)


def test_dtstamp_is_now_without_source_date_epoch(
    runner: CliRunner, project: Path, monkeypatch
) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    before = datetime.now(UTC).replace(microsecond=0)
    _invite(runner, SEED_ID)
    lenient, strict = parse_both(_ics(project))
    stamp = events_of(lenient)[0].decoded("DTSTAMP")
    assert before <= stamp <= datetime.now(UTC) and stamp == strict.events[0].dtstamp


def test_a_bad_source_date_epoch_is_a_usage_error(
    runner: CliRunner, project: Path, monkeypatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    result = _invite(runner, SEED_ID, code=2)
    assert "SOURCE_DATE_EPOCH='yesterday' is not a time" in result.stderr
    assert not (project / "invites").exists()


# --- text, links and hostile input ----------------------------------------------------------------


def test_text_and_links_decode_to_the_clinics_values(runner: CliRunner, project: Path) -> None:
    description = (
        "旅費奨学金の経験を共有します。\n差旅奖学金：指南、最佳做法；\n"  # noqa: RUF001
        "Commas, semicolons; back\\slashes \\n and \\, stay;\r\nCRLF and\rCR become new lines."
    )
    write_clinic(
        project / "clinics",
        "2023-05-06-text",
        title="旅費奨学金 / 差旅奖学金: commas, semicolons; back\\slash",
        status="confirmed",
        start=datetime(2023, 5, 6, 6, tzinfo=UTC),
        language="ja",
        interpretation=["zh-Hant", "en"],
        regions=["ESEAP"],
        platform="Zoom",
        registration_url=REGISTRATION,
        meeting_url=MEETING,
        description=description,
        sharers=[
            {
                "name": "山田 花子",
                "affiliation": "Wikimedians of Japan, User Group",
                "role": "Co-chair",
            }
        ],
        links={"slides": "https://commons.wikimedia.org/wiki/File:Slides,_part_1;_final.pdf"},
    )
    _invite(runner, "2023-05-06-text")
    data = _ics(project, "2023-05-06-text")
    check_raw(data)
    lenient, strict = parse_both(data)
    (event,) = events_of(lenient)
    (other,) = strict.events
    title = "旅費奨学金 / 差旅奖学金: commas, semicolons; back\\slash"
    assert str(event["SUMMARY"]) == title == other.summary
    assert str(event["URL"]) == REGISTRATION == other.url
    assert str(event["LOCATION"]) == MEETING == other.location  # confirmed: the meeting link
    assert str(event["STATUS"]) == "CONFIRMED"
    text = str(event["DESCRIPTION"])
    assert text == other.description
    assert text_block(description) in text
    assert "\r" not in text and "CRLF and\nCR become new lines." in text
    assert "- 山田 花子, Co-chair, Wikimedians of Japan, User Group" in text
    assert (
        "Language: Japanese, with live interpretation into Chinese (zh-Hant) and English." in text
    )
    assert f"Register: {REGISTRATION}" in text
    assert f"Join (Zoom): {MEETING}" in text
    assert "Slides: https://commons.wikimedia.org/wiki/File:Slides,_part_1;_final.pdf" in text
    assert f"URL:{REGISTRATION}" in unfolded(data)  # a URI, not text-escaped


def test_a_hostile_title_cannot_inject_properties(runner: CliRunner, project: Path) -> None:
    write_clinic(
        project / "clinics",
        "2023-05-07-hostile",
        title="Clinic\r\nATTENDEE:mailto:x@example.org\r\nEND:VEVENT\nBEGIN:VEVENT",
        status="scheduled",
        start=datetime(2023, 5, 7, 6, tzinfo=UTC),
        regions=["ESEAP"],
        description="ok\r\nBEGIN:VALARM\r\nTRIGGER:-PT1M\r\nEND:VALARM",
        platform="Zoom\r\nORGANIZER:mailto:evil@example.org",
    )
    _invite(runner, "2023-05-07-hostile")
    data = _ics(project, "2023-05-07-hostile")
    check_raw(data)
    lines = unfolded(data)
    assert not any(line.startswith(("ATTENDEE", "BEGIN:VALARM")) for line in lines)
    assert [line for line in lines if line.startswith("ORGANIZER")] == [
        'ORGANIZER;CN="Let\'s Connect team":mailto:letsconnectteam@wikimedia.org'
    ]
    lenient, strict = parse_both(data)
    (event,) = events_of(lenient)
    assert "ATTENDEE" not in event and not list(event.walk("VALARM"))
    summary = "Clinic ATTENDEE:mailto:x@example.org END:VEVENT BEGIN:VEVENT"
    assert str(event["SUMMARY"]) == summary == strict.events[0].summary
    assert len(strict.events) == 1 and not strict.events[0].attendees
    assert str(event["LOCATION"]) == "Zoom ORGANIZER:mailto:evil@example.org"
    assert "ok\nBEGIN:VALARM\nTRIGGER:-PT1M\nEND:VALARM" in str(event["DESCRIPTION"])


def test_a_uid_that_calendars_would_misread_is_refused(runner: CliRunner, project: Path) -> None:
    _edit(project / "clinics" / f"{SEED_ID}.toml", SEED_UID, "one, two; three")
    result = _invite(runner, SEED_ID, code=3)
    assert "calendar.uid" in result.stderr and "UIDs differently" in result.stderr


# --- updates, cancellation, the ledger ------------------------------------------------------------


def _sequence(data: bytes) -> int:
    lenient, strict = parse_both(data)
    value = int(events_of(lenient)[0].sequence)
    assert value == strict.events[0].sequence
    return value


def test_an_update_keeps_the_uid_and_raises_sequence(runner: CliRunner, project: Path) -> None:
    clinic = project / "clinics" / f"{SEED_ID}.toml"
    _invite(runner, SEED_ID)
    assert _sequence(_ics(project)) == 0
    _edit(clinic, "start = 2023-04-02T06:00:00Z", "start = 2023-04-02T07:00:00Z")
    result = _invite(runner, SEED_ID)
    data = _ics(project)
    assert _sequence(data) == 1
    lenient, strict = parse_both(data)
    assert str(events_of(lenient)[0]["UID"]) == SEED_UID == strict.events[0].uid
    assert strict.events[0].dtstart == datetime(2023, 4, 2, 7, tzinfo=UTC)
    assert "SEQUENCE 1; clinic changed" in result.stderr
    # The same facts again: the SEQUENCE stays.
    _invite(runner, SEED_ID)
    assert _sequence(_ics(project)) == 1
    # A new title, then the old one back: each is a change calendars must see.
    _edit(clinic, 'title = "Guidelines', 'title = "Updated guidelines')
    _invite(runner, SEED_ID)
    assert _sequence(_ics(project)) == 2
    _edit(clinic, 'title = "Updated guidelines', 'title = "Guidelines')
    _invite(runner, SEED_ID)
    assert _sequence(_ics(project)) == 3
    # A link is a change too.
    _edit(clinic, '# registration_url = "https://..."', f'registration_url = "{REGISTRATION}"')
    _invite(runner, SEED_ID)
    assert _sequence(_ics(project)) == 4


def test_what_is_not_the_clinics_does_not_raise_sequence(
    runner: CliRunner, project: Path, monkeypatch
) -> None:
    _invite(runner, SEED_ID)
    first = _ics(project)
    _invite(runner, SEED_ID, "--region", "SA", "--zone", "Europe/London")  # another view
    monkeypatch.setenv("LC_CALENDAR_REMINDER", "30m")  # another reminder
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(PINNED.timestamp()) + 3600))  # later
    _invite(runner, SEED_ID)
    second = _ics(project)
    assert second != first
    assert _sequence(second) == 0
    assert "TRIGGER:-PT30M" in unfolded(second)


def test_a_published_cancellation_is_publish_with_status_cancelled(
    runner: CliRunner, project: Path, monkeypatch
) -> None:
    """Published files (and the feed) say STATUS:CANCELLED under METHOD:PUBLISH: what calendars
    that import or subscribe honour; METHOD:CANCEL without ATTENDEE is invalid (RFC 5546)."""
    wide_feed_window(monkeypatch)
    monkeypatch.setenv("LC_CALENDAR_REMINDER", "15m")
    _invite(runner, SEED_ID)
    assert "TRIGGER:-PT15M" in unfolded(_ics(project))
    _edit(project / "clinics" / f"{SEED_ID}.toml", 'status = "done"', 'status = "cancelled"')
    _invite(runner, SEED_ID)
    data = _ics(project)
    check_raw(data)
    lenient, strict = parse_both(data)
    (event,) = events_of(lenient)
    assert str(lenient["METHOD"]) == "PUBLISH" == strict.method
    assert "ATTENDEE" not in event
    assert str(event["STATUS"]) == "CANCELLED"
    assert str(event["SUMMARY"]).startswith("Cancelled: Guidelines")
    assert strict.events[0].status is not None and strict.events[0].status.value == "CANCELLED"
    assert str(event["UID"]) == SEED_UID and event.sequence == 1
    assert not list(event.walk("VALARM"))  # no reminder for what will not happen
    assert str(event["DESCRIPTION"]).startswith(
        "CANCELLED: this Learning Clinic will not take place."
    )
    feed_lenient, feed_strict = parse_both((project / "invites" / "feed.ics").read_bytes())
    assert str(feed_lenient["METHOD"]) == "PUBLISH" == feed_strict.method  # a feed stays PUBLISH
    (cancelled,) = [e for e in events_of(feed_lenient) if str(e["UID"]) == SEED_UID]
    assert str(cancelled["STATUS"]) == "CANCELLED" and cancelled.sequence == 1
    assert len(events_of(feed_lenient)) == 3  # the other two clinics stay


def test_a_lost_uid_line_gets_the_issued_uid_back(runner: CliRunner, project: Path) -> None:
    clinic = project / "clinics" / f"{SEED_ID}.toml"
    _invite(runner, SEED_ID)
    first = _ics(project)
    _edit(clinic, f'uid = "{SEED_UID}"', "")
    result = _invite(runner, SEED_ID)
    assert _ics(project) == first  # same UID, same SEQUENCE: nothing for calendars to do
    assert f"has no [calendar] uid; using {SEED_UID}" in result.stderr


def test_a_changed_uid_is_warned_about(runner: CliRunner, project: Path) -> None:
    _invite(runner, SEED_ID)
    _edit(project / "clinics" / f"{SEED_ID}.toml", SEED_UID, "new-uid@letsconnect")
    result = _invite(runner, SEED_ID)
    assert f"its invites went out with UID {SEED_UID}" in result.stderr


def test_a_renamed_clinic_keeps_its_uid_and_sequence(runner: CliRunner, project: Path) -> None:
    clinics = project / "clinics"
    _invite(runner, SEED_ID)
    first = _ics(project)
    renamed = "2023-04-02-travel-scholarships-guidelines"
    (clinics / f"{SEED_ID}.toml").rename(clinics / f"{renamed}.toml")
    _invite(runner, renamed)
    assert _ics(project, renamed) == first
    assert f'clinic = "{renamed}"' in (clinics / ".lc-issued.toml").read_text(encoding="utf-8")


def test_a_damaged_ledger_is_reported_not_ignored(runner: CliRunner, project: Path) -> None:
    _invite(runner, SEED_ID)
    ledger = project / "clinics" / ".lc-issued.toml"
    text = ledger.read_text(encoding="utf-8")
    ledger.write_text(
        text.replace(
            "sequence = 0", "<<<<<<< HEAD\nsequence = 0\n=======\nsequence = 1\n>>>>>>> other"
        )
    )
    result = _invite(runner, SEED_ID, code=4)
    assert "unresolved merge conflict markers" in result.stderr
    assert "keep the entry with the higher sequence" in result.stderr
    ledger.write_text(text.replace("sequence = 0", "sequence = -1"))
    result = _invite(runner, SEED_ID, code=4)
    assert "sequence must be a whole number >= 0" in result.stderr


def test_a_hand_raised_sequence_is_honoured(runner: CliRunner, project: Path) -> None:
    _invite(runner, SEED_ID)
    _edit(project / "clinics" / ".lc-issued.toml", "sequence = 0", "sequence = 7")
    _edit(project / "clinics" / f"{SEED_ID}.toml", '"2h"', '"90m"')
    _invite(runner, SEED_ID)
    assert _sequence(_ics(project)) == 8


# --- configuration and writing ------------------------------------------------------------------


def test_reminder_from_lc_toml(runner: CliRunner, project: Path) -> None:
    with (project / "lc.toml").open("a", encoding="utf-8") as handle:
        handle.write('\n[calendar]\nreminder = "1h"\nout_dir = "public/calendar"\n')
    _invite(runner, SEED_ID)
    data = (project / "public" / "calendar" / f"{SEED_ID}.ics").read_bytes()
    lenient, strict = parse_both(data)
    (alarm,) = events_of(lenient)[0].walk("VALARM")
    assert str(alarm["ACTION"]) == "DISPLAY"
    assert alarm.decoded("TRIGGER") == -timedelta(hours=1) == strict.events[0].alarm[0].trigger


def test_a_bad_reminder_names_where_it_comes_from(
    runner: CliRunner, project: Path, monkeypatch
) -> None:
    monkeypatch.setenv("LC_CALENDAR_REMINDER", "soon")
    result = _invite(runner, SEED_ID, code=2)
    assert "LC_*" in result.stderr and "calendar.reminder" in result.stderr


def test_invites_need_an_organiser_email(runner: CliRunner, empty_project: Path) -> None:
    write_clinic(
        empty_project / "clinics",
        "2023-05-07-x",
        title="X",
        status="scheduled",
        start=datetime(2023, 5, 7, 6, tzinfo=UTC),
    )
    result = _invite(runner, "2023-05-07-x", code=2)
    assert "organiser's email" in result.stderr and "LC_ORGANISER_EMAIL" in result.stderr
    assert not (empty_project / "invites").exists()


def test_a_file_lc_did_not_write_is_not_overwritten(runner: CliRunner, project: Path) -> None:
    target = project / "invites" / f"{SEED_ID}.ics"
    target.parent.mkdir()
    target.write_text("my own notes\n", encoding="utf-8")
    result = _invite(runner, SEED_ID, code=2)
    assert "was not written by lc" in result.stderr and "--force" in result.stderr
    assert target.read_text(encoding="utf-8") == "my own notes\n"
    _invite(runner, SEED_ID, "--force")
    assert target.read_bytes().startswith(b"BEGIN:VCALENDAR\r\n")


def test_dry_run_writes_nothing(runner: CliRunner, project: Path) -> None:
    result = _invite(runner, SEED_ID, "--dry-run")
    assert "Manila" in result.stdout and "would write" in result.stderr
    assert not (project / "invites").exists()
    assert not (project / "clinics" / ".lc-issued.toml").exists()


def test_out_folder(runner: CliRunner, project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    wide_feed_window(monkeypatch)
    _invite(runner, "--all", "--out", "elsewhere")
    names = sorted(p.name for p in (project / "elsewhere").iterdir())
    assert names == [
        "2023-01-14-building-a-wikimedia-affiliate-group.ics",
        "2023-02-21-copyright-clinic-awareness-education.ics",
        f"{SEED_ID}.ics",
        "feed.ics",
    ]
    lenient, strict = parse_both((project / "elsewhere" / "feed.ics").read_bytes())
    starts = [e.decoded("DTSTART") for e in events_of(lenient)]
    assert starts == sorted(starts) and len(strict.events) == 3
