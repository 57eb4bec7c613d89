"""feed.ics as a subscribed calendar sees it: after every step of a realistic sequence (invite
all; re-invite one; edit one; cancel one; a session starts; a session ends; time passes), the feed
is parsed with icalendar (and the strict `ical`), and no event ever disappears except by
cancellation (it stays, as STATUS:CANCELLED with a higher SEQUENCE) or by leaving the window.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from letsconnect_cli.invites import issuing
from tests.conftest import invoke
from tests.invite.conftest import check_raw, events_of, parse_both, write_clinic

#: The run's clock: the sequence starts at T0 and moves it.
T0 = datetime(2031, 5, 1, 9, tzinfo=UTC)


@dataclass(frozen=True)
class Seen:
    summary: str
    sequence: int
    status: str
    end: datetime


class Subscriber:
    """A calendar subscribed to the feed: what it holds after each refresh."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.events: dict[str, Seen] = {}

    def refresh(self, now: datetime, past_days: int = 90) -> dict[str, Seen]:
        data = self.path.read_bytes()
        check_raw(data)
        lenient, strict = parse_both(data)
        assert str(lenient["METHOD"]) == "PUBLISH" == strict.method
        assert len(strict.events) == len(events_of(lenient))
        current = {
            str(e["UID"]): Seen(
                str(e["SUMMARY"]), int(e.sequence), str(e["STATUS"]), e.decoded("DTEND")
            )
            for e in events_of(lenient)
        }
        since = datetime.combine(now.date() - timedelta(days=past_days), datetime.min.time(), UTC)
        for uid, before in self.events.items():
            if uid not in current:
                assert before.end <= since, f"{before.summary} disappeared inside the window"
                assert before.status != "CANCELLED", "a cancellation left the feed"
                continue
            after = current[uid]
            assert after.sequence >= before.sequence, f"{after.summary}: SEQUENCE went down"
            if (after.summary, after.status, after.end) != (
                before.summary,
                before.status,
                before.end,
            ):
                assert after.sequence > before.sequence, f"{after.summary} changed, same SEQUENCE"
        self.events = current
        return current


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> list[datetime]:
    moment = [T0]
    monkeypatch.setattr(issuing, "now", lambda: moment[0])
    return moment


def _clinic(folder: Path, clinic_id: str, start: datetime, **extra: object) -> None:
    values: dict[str, object] = {
        "title": f"Clinic {clinic_id[11:]}",
        "status": "scheduled",
        "start": start,
        "regions": ["ESEAP"],
    }
    values.update(extra)
    write_clinic(folder, clinic_id, **values)


def _lc(runner: CliRunner, *args: str) -> str:
    result = invoke(runner, "invite", *args)
    assert result.exit_code == 0, result.stderr
    return str(result.stderr)


def _set(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_no_event_disappears_from_the_feed(
    runner: CliRunner, empty_project: Path, monkeypatch: pytest.MonkeyPatch, clock: list[datetime]
) -> None:
    monkeypatch.setenv("LC_ORGANISER_EMAIL", "team@example.org")
    clinics = empty_project / "clinics"
    starts = {
        "2031-05-03-alpha": T0 + timedelta(days=2),
        "2031-05-10-bravo": T0 + timedelta(days=9),
        "2031-05-20-charlie": T0 + timedelta(days=19),
        "2031-04-01-done": T0 - timedelta(days=30),  # in the past window
        "2030-10-01-old": T0 - timedelta(days=212),  # before it
    }
    for clinic_id, start in starts.items():
        _clinic(clinics, clinic_id, start)
    _clinic(clinics, "2031-06-01-cancelled-never-issued", T0 + timedelta(days=31))
    _set(clinics / "2031-06-01-cancelled-never-issued.toml", '"scheduled"', '"cancelled"')
    feed = Subscriber(empty_project / "invites" / "feed.ics")
    titles = lambda events: sorted(e.summary for e in events.values())  # noqa: E731

    # 1. invite all (the clinics still to come); the feed holds the window's clinics
    err = _lc(runner)
    assert "feed.ics: created (4 event(s))" in err
    assert "warning" not in err  # nothing was issued before: no UID to point back to
    seen = feed.refresh(clock[0])
    assert titles(seen) == ["Clinic alpha", "Clinic bravo", "Clinic charlie", "Clinic done"]

    # 2. re-invite one clinic: the feed still holds every event (it held 1 before the fix)
    err = _lc(runner, "2031-05-10-bravo")
    assert "feed.ics: unchanged (4 event(s))" in err
    assert len(feed.refresh(clock[0])) == 4

    # 3. edit one clinic, re-invite another: the edit reaches the feed with a higher SEQUENCE
    _set(clinics / "2031-05-20-charlie.toml", 'title = "Clinic charlie"', 'title = "Charlie 2"')
    _lc(runner, "2031-05-03-alpha")
    seen = feed.refresh(clock[0])
    (charlie,) = [e for e in seen.values() if e.summary == "Charlie 2"]
    assert charlie.sequence == 1 and len(seen) == 4

    # 4. cancel one: it stays, STATUS:CANCELLED, SEQUENCE raised, whatever the ids given
    _set(clinics / "2031-05-10-bravo.toml", '"scheduled"', '"cancelled"')
    _lc(runner, "2031-05-03-alpha")
    seen = feed.refresh(clock[0])
    (bravo,) = [e for e in seen.values() if "bravo" in e.summary]
    assert (bravo.status, bravo.sequence, bravo.summary) == (
        "CANCELLED",
        1,
        "Cancelled: Clinic bravo",
    )

    # 5. a session starts: `lc invite` no longer selects it, the feed keeps it
    clock[0] = starts["2031-05-03-alpha"] + timedelta(minutes=30)
    err = _lc(runner)
    assert "2031-05-03-alpha.ics" not in err  # not selected: it has started
    assert "Clinic alpha" in titles(feed.refresh(clock[0]))

    # 6. the session ends: still there (inside the past window)
    clock[0] = starts["2031-05-03-alpha"] + timedelta(hours=3)
    _lc(runner)
    assert "Clinic alpha" in titles(feed.refresh(clock[0]))

    # 7. months pass: clinics leave the window; the cancelled one stays, so calendars remove it
    clock[0] = starts["2031-05-20-charlie"] + timedelta(days=92)
    err = _lc(runner)
    seen = feed.refresh(clock[0])
    assert titles(seen) == ["Cancelled: Clinic bravo"]
    assert "no clinics to invite" not in err


def test_a_shorter_window_and_a_clinic_file_gone_wrong(
    runner: CliRunner, empty_project: Path, monkeypatch: pytest.MonkeyPatch, clock: list[datetime]
) -> None:
    monkeypatch.setenv("LC_ORGANISER_EMAIL", "team@example.org")
    monkeypatch.setenv("LC_CALENDAR_FEED_PAST_DAYS", "7")
    clinics = empty_project / "clinics"
    _clinic(clinics, "2031-04-20-past", T0 - timedelta(days=11))
    _clinic(clinics, "2031-04-28-recent", T0 - timedelta(days=3))
    _clinic(clinics, "2031-05-08-next", T0 + timedelta(days=7))
    _clinic(clinics, "2031-05-09-later", T0 + timedelta(days=8))
    feed = Subscriber(empty_project / "invites" / "feed.ics")
    _lc(runner)
    seen = feed.refresh(clock[0], past_days=7)
    assert sorted(e.summary for e in seen.values()) == [
        "Clinic later",
        "Clinic next",
        "Clinic recent",
    ]
    # A typo breaks one issued clinic's file: its event is kept as last written, with a warning.
    _set(clinics / "2031-05-08-next.toml", 'status = "scheduled"', 'status = "sheduled"')
    err = _lc(runner, "2031-05-09-later")
    assert "2031-05-08-next was issued" in " ".join(err.split())
    assert len(feed.refresh(clock[0], past_days=7)) == 3
    # A deleted file: the same (cancel a clinic instead of deleting it).
    (clinics / "2031-05-09-later.toml").unlink()
    err = _lc(runner, "2031-04-28-recent")
    assert "2031-05-09-later was issued" in " ".join(err.split())
    assert len(feed.refresh(clock[0], past_days=7)) == 3


def test_the_feed_does_not_depend_on_the_view(
    runner: CliRunner, empty_project: Path, monkeypatch: pytest.MonkeyPatch, clock: list[datetime]
) -> None:
    monkeypatch.setenv("LC_ORGANISER_EMAIL", "team@example.org")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1900000000")
    clinics = empty_project / "clinics"
    _clinic(clinics, "2031-05-08-a", T0 + timedelta(days=7))
    _clinic(clinics, "2031-05-09-b", T0 + timedelta(days=8))
    _lc(runner)
    path = empty_project / "invites" / "feed.ics"
    first = path.read_bytes()
    _lc(runner, "2031-05-08-a", "--region", "SA", "--zone", "Europe/London")
    assert path.read_bytes() == first
    _lc(runner, "--all", "--all-zones")
    assert path.read_bytes() == first
