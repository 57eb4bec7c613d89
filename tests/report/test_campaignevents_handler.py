"""`lc report` against Meta-Wiki's event registration as the server answers today.

The server is `tests/campaignevents_server.py`: CampaignEvents' `ListParticipantsHandler` as the
extension's commit 8cee23927764445408a89542d7fe5048245d320e writes it (include_private required,
20 a page by participant id, `last_participant_id`, 403 for private participants without an
organiser's session, hidden and missing accounts, `non_pii_answers` in both forms) and the Action
API's bot-password login (`action=query&meta=tokens&type=login`, then `action=login`), on one
loopback server.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from letsconnect_cli.clinic.models import Clinic
from letsconnect_cli.errors import RemoteError
from letsconnect_cli.ingest import FetchOptions, IngestLog, ReadOptions, read_records
from letsconnect_cli.ingest.campaignevents import affiliate_name
from letsconnect_cli.ingest.remote import WikiLogin
from letsconnect_cli.wiki.client import Credentials
from tests.campaignevents_server import (
    API_PATH,
    EXTENSION_COMMIT,
    REST_PREFIX,
    Event,
    Participant,
    Wiki,
    serve,
)
from tests.report.conftest import run, run_json

TRAVEL = "2023-04-02-travel-scholarships"
ORGANISER = "Travel Organiser"
ORGANISER_LOGIN = f"{ORGANISER}@lc"
ORGANISER_PASSWORD = "organiser-bot-password-0123456789"
OUTSIDER_LOGIN = "Someone Else@lc"
OUTSIDER_PASSWORD = "outsider-bot-password-0123456789"
AFFILIATES = ["Wikimedia Deutschland", "Wiki Cooperation: Pacific", "Wikimedia Indonesia"]
PRIVATE = {3, 11, 19, 27, 35, 43}
HIDDEN = {5, 19, 30}  # 19 is private too
MISSING = {40}
AGGREGATED = {7, 8}


def _participants() -> list[Participant]:
    people = []
    for i in range(47):
        answers: dict[int, tuple[int, str | None]] = {}
        if i % 3 == 0:
            answers = {4: (3, None), 5: (1, AFFILIATES[i // 3 % 3])}
        elif i % 3 == 1:
            answers = {5: (2, None)}
        people.append(
            Participant(
                participant_id=300 + 2 * i,  # gaps: paging goes by id, not by position
                user_id=9000 + i,
                name=None if i in HIDDEN | MISSING else f"Registrant {i:02d}",
                registered_at=f"202303{10 + i % 18:02d}0{i % 10}1530",
                private=i in PRIVATE,
                missing=i in MISSING,
                answers=answers,
                aggregated=i in AGGREGATED,
                valid_recipient=i % 4 != 0,
            )
        )
    return people


@pytest.fixture
def wiki() -> Wiki:
    return Wiki(
        events={123: Event(123, {ORGANISER}, _participants())},
        bot_passwords={ORGANISER_LOGIN: ORGANISER_PASSWORD, OUTSIDER_LOGIN: OUTSIDER_PASSWORD},
    )


@pytest.fixture
def server(wiki: Wiki) -> Iterator[str]:
    with serve(wiki) as base:
        yield base


def _url(server: str, event: int = 123) -> str:
    return f"{server}{REST_PREFIX}{event}/participants"


def _rest_requests(wiki: Wiki) -> list[tuple[str, str | None]]:
    return [(path, user) for method, path, user in wiki.requests if "/rest.php/" in path]


def _login(monkeypatch: pytest.MonkeyPatch, name: str, password: str) -> None:
    monkeypatch.setenv("LC_WIKI_USERNAME", name)
    monkeypatch.setenv("LC_WIKI_PASSWORD", password)


def test_the_server_follows_the_handler(server: str) -> None:
    """The contract the tests rely on, asked directly (extension commit EXTENSION_COMMIT)."""
    assert len(EXTENSION_COMMIT) == 40
    missing = httpx.get(_url(server))
    assert missing.status_code == 400
    assert missing.json()["errorKey"] == "paramvalidator-missingparam"
    assert missing.json()["name"] == "include_private"
    assert httpx.get(_url(server, 999) + "?include_private=0").status_code == 404
    assert httpx.get(_url(server, 999)).status_code == 400  # parameters are validated first
    assert httpx.get(_url(server) + "?include_private=maybe").status_code == 400
    assert httpx.get(_url(server) + "?include_private=1").status_code == 403
    page = httpx.get(_url(server) + "?include_private=false").json()
    assert len(page) == 20
    ids = [p["participant_id"] for p in page]
    assert ids == sorted(ids) and not any(p["private"] for p in page)
    assert page[4] == {  # 3 is private
        "participant_id": 310,
        "user_id": 9005,
        "user_registered_at": "20230315051530",
        "user_registered_at_formatted": "05:15, 15 March 2023",
        "private": False,
        "hidden": True,
    }
    assert "non_pii_answers" not in page[0] and "user_is_valid_recipient" not in page[0]
    after = httpx.get(_url(server) + f"?include_private=false&last_participant_id={ids[-1]}")
    assert after.json()[0]["participant_id"] > ids[-1]


def test_the_readme_example_works_as_written(wiki: Wiki, runner: CliRunner, project: Path) -> None:
    """`lc report CLINIC=.../event_registration/123/participants`, the link without a query."""
    with serve(wiki) as server:
        result = run(runner, f"{TRAVEL}={_url(server)}")
    assert result.exit_code == 0, result.stderr
    assert "41 registered participants" in result.stdout  # 47 registrations, 6 of them private
    requests = _rest_requests(wiki)
    path = f"{REST_PREFIX}123/participants"
    public = [300 + 2 * i for i in range(47) if i not in PRIVATE]
    assert requests == [
        (f"{path}?include_private=false", None),
        (f"{path}?include_private=false&last_participant_id={public[19]}", None),
        (f"{path}?include_private=false&last_participant_id={public[39]}", None),
        (f"{path}?include_private=false&last_participant_id={public[40]}", None),
    ]
    assert not any(API_PATH in path for _, path, _ in wiki.requests)  # no login without the flag


def test_figures_of_a_list_with_hidden_users(server: str, runner: CliRunner, project: Path) -> None:
    report = run_json(runner, f"{TRAVEL}={_url(server)}", "--min-count", "0")
    # 41 public registrations: 38 users and 3 accounts hidden or missing, each a person of its
    # own (they match nothing, not even each other).
    assert report["registrations"] == 41 and report["participants"] == 41
    assert report["data_quality"]["hidden_users"] == 3
    assert report["data_quality"]["rows_read"] == 41
    assert report["sources"][0]["format"] == "campaignevents-participants"
    assert report["sources"][0]["file"] == _url(server)  # no query string shown
    text = run(runner, f"{TRAVEL}={_url(server)}", "--min-count", "0")
    assert "3 registrations of hidden or deleted Meta-Wiki accounts" in " ".join(
        text.stdout.split()
    )


def test_include_private_logs_in_as_the_organiser(
    wiki: Wiki, server: str, runner: CliRunner, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _login(monkeypatch, ORGANISER_LOGIN, ORGANISER_PASSWORD)
    result = run(
        runner,
        f"{TRAVEL}={_url(server)}",
        "--include-private",
        "--format",
        "json",
        "--min-count",
        "0",
    )
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["registrations"] == 47 and report["data_quality"]["hidden_users"] == 4
    logins = [(m, p.split("?")[0]) for m, p, _ in wiki.requests if API_PATH in p]
    assert logins == [("GET", API_PATH), ("POST", API_PATH)]  # tokens, then action=login
    token_request = next(p for _, p, _ in wiki.requests if API_PATH in p)
    assert "meta=tokens" in token_request and "type=login" in token_request
    requests = _rest_requests(wiki)
    assert len(requests) == 4  # 20 + 20 + 7, then an empty page
    assert all("include_private=true" in path for path, _ in requests)
    assert {user for _, user in requests} == {ORGANISER}  # the session cookie on every page
    everything = result.stdout + result.stderr
    assert ORGANISER_PASSWORD not in everything
    assert not any(name in everything for name in AFFILIATES)
    assert "Registrant" not in everything


def test_private_participants_refused_to_someone_else(
    server: str, runner: CliRunner, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _login(monkeypatch, OUTSIDER_LOGIN, OUTSIDER_PASSWORD)
    result = run(runner, f"{TRAVEL}={_url(server)}", "--include-private")
    assert result.exit_code == 5
    message = " ".join(result.stderr.split())
    assert "refuses to show the participants who registered privately" in message
    assert "to the account lc logged in as (HTTP 403)" in message
    assert "only the event's organisers" in message
    assert "campaignevents-view-private-participants" in message
    assert "leave out --include-private" in message
    assert OUTSIDER_PASSWORD not in result.stderr


def test_include_private_true_in_the_link_without_a_login(
    server: str, runner: CliRunner, project: Path
) -> None:
    result = run(runner, f"{TRAVEL}={_url(server)}?include_private=true")
    assert result.exit_code == 5
    message = " ".join(result.stderr.split())
    assert "privately without a login (HTTP 403)" in message
    assert "LC_WIKI_USERNAME" in message


def test_include_private_needs_a_bot_password(
    server: str, runner: CliRunner, project: Path
) -> None:
    result = run(runner, f"{TRAVEL}={_url(server)}", "--include-private")
    assert result.exit_code == 2
    assert "lc report --include-private needs a bot password" in " ".join(result.stderr.split())


def test_a_wrong_bot_password_is_a_remote_error(
    server: str, runner: CliRunner, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _login(monkeypatch, ORGANISER_LOGIN, "not-the-password-0123")
    result = run(runner, f"{TRAVEL}={_url(server)}", "--include-private")
    assert result.exit_code == 5
    assert "login to" in result.stderr and "failed" in result.stderr
    assert "not-the-password-0123" not in result.stderr


def test_an_event_that_does_not_exist(server: str, runner: CliRunner, project: Path) -> None:
    result = run(runner, f"{TRAVEL}={_url(server, 999)}")
    assert result.exit_code == 5
    assert "no event registration with this id" in result.stderr


def test_answers_in_both_forms_and_the_affiliate(server: str, clinics: list[Clinic]) -> None:
    login = WikiLogin(Credentials(ORGANISER_LOGIN, ORGANISER_PASSWORD))
    options = ReadOptions(clinic=TRAVEL, fetch=FetchOptions(include_private=True, login=login))
    log = IngestLog()
    records = list(read_records([_url(server)], clinics, options, log))
    assert len(records) == 47 and log.hidden_users == 4
    by_user = {r.username: r for r in records if r.username}
    for i in range(47):
        name = f"Registrant {i:02d}"
        if i in HIDDEN | MISSING:
            continue
        expected = AFFILIATES[i // 3 % 3] if i % 3 == 0 and i not in AGGREGATED else None
        assert by_user[name].affiliation == expected, name
    # The colon inside an affiliate's name stays: only the first separator splits.
    assert by_user["Registrant 03"].affiliation == "Wiki Cooperation: Pacific"
    # A hidden account's answers count too (the handler sends them): 30 named one.
    hidden = [r for r in records if r.username is None]
    assert len(hidden) == 4
    assert [r.affiliation for r in hidden] == [None, None, "Wiki Cooperation: Pacific", None]


def test_a_login_is_made_once_per_wiki(wiki: Wiki, server: str, clinics: list[Clinic]) -> None:
    login = WikiLogin(Credentials(ORGANISER_LOGIN, ORGANISER_PASSWORD))
    options = ReadOptions(clinic=TRAVEL, fetch=FetchOptions(include_private=True, login=login))
    list(read_records([_url(server), _url(server)], clinics, options, IngestLog()))
    assert sum(1 for m, p, _ in wiki.requests if m == "POST" and API_PATH in p) == 1


def test_a_link_without_rest_php_cannot_log_in(clinics: list[Clinic]) -> None:
    from letsconnect_cli.errors import UsageError

    login = WikiLogin(Credentials(ORGANISER_LOGIN, ORGANISER_PASSWORD))
    options = ReadOptions(clinic=TRAVEL, fetch=FetchOptions(include_private=True, login=login))
    url = "https://wiki.example.invalid/api/campaignevents/v0/event_registration/1/participants"
    with pytest.raises(UsageError, match=r"api\.php"):
        list(read_records([url], clinics, options))


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ([{"message": "Yes:&#32;Wikimedia Deutschland", "questionID": 5}], "Wikimedia Deutschland"),
        ([{"message": "Yes: Wikimedia Deutschland", "questionID": 5}], "Wikimedia Deutschland"),
        ([{"message": "Oui\u00a0: Wikimédia France", "questionID": 5}], "Wikimédia France"),
        ([{"message": "Oui&#160;:&#32;Wikimédia France", "questionID": "5"}], "Wikimédia France"),
        ([{"message": "是\uff1a維基媒體台灣", "questionID": 5}], "維基媒體台灣"),
        ([{"message": "Yes", "questionID": 5}], None),  # an affiliate, but unnamed
        ([{"message": "No", "questionID": 5}], None),
        ([{"message": "No response", "questionID": 5}], None),
        ([{"message": "Yes: Wikimedia Deutschland", "questionID": 4}], None),  # not question 5
        ([{"message": "Volunteer organiser", "questionID": 2}], None),
        ("This participant's responses have been aggregated and deleted", None),
        ("Ravi Kealoha's responses have been aggregated.", None),
        ([{"message": None, "questionID": 5}], None),
        ([{"questionID": True, "message": "Yes: X"}], None),
        (None, None),
        ({"5": "Yes: X"}, None),
        (["Yes: X"], None),
    ],
)
def test_affiliate_name(answers: object, expected: str | None) -> None:
    assert affiliate_name(answers) == expected


def test_remote_errors_never_quote_the_server(clinics: list[Clinic]) -> None:
    """A refusal's body is read for its errorKey (an identifier) only."""

    def refuse(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            400, json={"errorKey": "\x1b]0;PWNED\x07", "messageTranslations": {"en": "\x1b[31m"}}
        )

    options = ReadOptions(clinic=TRAVEL, fetch=FetchOptions(transport=httpx.MockTransport(refuse)))
    url = f"https://meta.example.invalid{REST_PREFIX}1/participants"
    with pytest.raises(RemoteError) as raised:
        list(read_records([url], clinics, options))
    assert "\x1b" not in str(raised.value) and "HTTP 400" in str(raised.value)
