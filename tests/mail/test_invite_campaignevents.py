"""`lc invite --registrations` with a Meta-Wiki event registration link (CampaignEvents).

The server is `tests/campaignevents_server.py`, CampaignEvents' `ListParticipantsHandler` as the
extension's commit 8cee23927764445408a89542d7fe5048245d320e writes it, with the Action API's
bot-password login. Event registration gives usernames, never addresses: its people are counted
"without an email address", and lc says how to reach them (the event's "Email participants").
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.campaignevents_server import REST_PREFIX, Event, Participant, Wiki, serve
from tests.mail.conftest import SEED_ID, lc

ORGANISER_LOGIN = "Travel Organiser@lc"
ORGANISER_PASSWORD = "organiser-bot-password-0123456789"


def _people() -> list[Participant]:
    return [
        Participant(
            participant_id=10 + i,
            user_id=500 + i,
            # Jose Iyer also registered in the Google Form, with an address: one person.
            name=None if i == 4 else ("Jose Iyer" if i == 0 else f"Registrant {i:02d}"),
            registered_at="20230320101500",
            private=i % 7 == 6,
            valid_recipient=i % 2 == 0,
            answers={5: (1, "Wikimedia Deutschland")},
        )
        for i in range(25)
    ]


@pytest.fixture
def wiki() -> Wiki:
    return Wiki(
        events={77: Event(77, {"Travel Organiser"}, _people())},
        bot_passwords={ORGANISER_LOGIN: ORGANISER_PASSWORD},
    )


@pytest.fixture
def url(wiki: Wiki) -> Iterator[str]:
    with serve(wiki) as base:
        yield f"{base}{REST_PREFIX}77/participants"


def _args(url: str, *extra: str) -> list[str]:
    return [
        "invite",
        SEED_ID,
        "--region",
        "ESEAP",
        "--registrations",
        "exports",
        "--registrations",
        url,
        "--dry-run",
        "--json",
        *extra,
    ]


def test_event_registrants_are_counted_without_an_address(
    runner: CliRunner, mail_project: Path, wiki: Wiki, url: str
) -> None:
    result = lc(runner, *_args(url))
    data = json.loads(result.stdout)
    # 25 registrations, 3 private (6, 13, 20): 22 listed; Jose Iyer has an address in the form.
    assert data["not_invited"]["without_address"] == 21
    assert data["not_invited"]["without_address_meta_wiki"] == 21
    assert data["counts"]["new"] == 6  # the form's ESEAP registrants, as without the link
    message = " ".join(result.stderr.split())
    assert "21 of those without an email address registered on Meta-Wiki" in message
    assert '"Email participants" feature' in message
    assert "Wikimedia Deutschland" not in result.stdout + result.stderr
    assert all("include_private=false" in p for m, p, _ in wiki.requests if "rest.php" in p)


def test_include_private_reads_every_page_logged_in(
    runner: CliRunner,
    mail_project: Path,
    wiki: Wiki,
    url: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("LC_WIKI_USERNAME", ORGANISER_LOGIN)
    monkeypatch.setenv("LC_WIKI_PASSWORD", ORGANISER_PASSWORD)
    data = json.loads(lc(runner, *_args(url, "--include-private")).stdout)
    assert data["not_invited"]["without_address"] == 24
    rest = [(p, user) for m, p, user in wiki.requests if "rest.php" in p]
    assert len(rest) == 3  # 20 + 5, then an empty page
    assert all("include_private=true" in p and user == "Travel Organiser" for p, user in rest)


def test_include_private_goes_with_registrations(runner: CliRunner, mail_project: Path) -> None:
    result = lc(runner, "invite", SEED_ID, "--include-private", code=2)
    assert "go with --registrations" in result.stderr


def test_include_private_refused(
    runner: CliRunner,
    mail_project: Path,
    url: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    result = lc(runner, *_args(url + "?include_private=yes"), code=5)
    assert "only the event's organisers" in " ".join(result.stderr.split())
