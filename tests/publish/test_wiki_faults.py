"""The MediaWiki client under faults a real wiki does not show on demand (httpx.MockTransport):
maxlag, 503 with Retry-After, 429, timeouts, malformed JSON; and the request etiquette itself."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import parse_qsl

import httpx
import pytest

from letsconnect_cli.errors import ExitCode, RemoteError
from letsconnect_cli.wiki.client import Credentials, MediaWiki, Page, WikiError

API = "https://wiki.example.org/w/api.php"
PASSWORD = "s3cret-bot-password"


def ok(data: dict[str, object], **headers: str) -> httpx.Response:
    return httpx.Response(200, json=data, headers=headers)


def page_data() -> dict[str, object]:
    return {
        "curtimestamp": "2023-03-20T00:00:00Z",
        "query": {
            "pages": [
                {
                    "title": "P",
                    "revisions": [
                        {
                            "revid": 7,
                            "timestamp": "2023-03-19T00:00:00Z",
                            "slots": {"main": {"content": "x"}},
                        }
                    ],
                }
            ]
        },
    }


class Wiki:
    """A scripted wiki: each request takes the next answer; requests and sleeps are recorded."""

    def __init__(
        self, answers: list[Callable[[httpx.Request], httpx.Response] | httpx.Response]
    ) -> None:
        self.answers = list(answers)
        self.requests: list[httpx.Request] = []
        self.sleeps: list[float] = []

    def handler(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        answer = self.answers.pop(0)
        return answer(request) if callable(answer) else answer

    def client(self, max_retries: int = 4) -> MediaWiki:
        return MediaWiki(
            API,
            contact="team@example.org",
            transport=httpx.MockTransport(self.handler),
            max_retries=max_retries,
            sleep=self.sleeps.append,
        )


def form(request: httpx.Request) -> list[tuple[str, str]]:
    return parse_qsl(request.content.decode(), keep_blank_values=True)


def test_maxlag_is_retried_after_the_wait_the_wiki_asks_for():
    lagged = ok(
        {
            "error": {
                "code": "maxlag",
                "info": "Waiting for a database server: 7 seconds lagged.",
                "lag": 7,
            }
        },
        **{"Retry-After": "7"},
    )
    wiki = Wiki([lagged, lagged, ok(page_data())])
    page = wiki.client().read_page("P")
    assert page.revid == 7 and page.text == "x"
    assert wiki.sleeps == [7.0, 7.0]
    params = dict(wiki.requests[0].url.params)
    assert params["maxlag"] == "5" and params["format"] == "json" and params["formatversion"] == "2"


def test_503_with_retry_after_is_honoured_then_gives_up_with_exit_5():
    busy = httpx.Response(
        503, headers={"Retry-After": "3"}, text="<html>Service Unavailable</html>"
    )
    wiki = Wiki([busy] * 3)
    with pytest.raises(WikiError) as caught:
        wiki.client(max_retries=2).read_page("P")
    assert wiki.sleeps == [3.0, 3.0]
    assert "HTTP 503 Service Unavailable (gave up after 3 attempts)" in str(caught.value)
    assert caught.value.exit_code == ExitCode.REMOTE


def test_429_without_retry_after_backs_off_exponentially():
    wiki = Wiki([httpx.Response(429), httpx.Response(429), httpx.Response(502), ok(page_data())])
    assert wiki.client().read_page("P").exists
    assert wiki.sleeps == [1.0, 2.0, 4.0]


def test_an_http_date_retry_after_is_understood():
    from datetime import UTC, datetime, timedelta
    from email.utils import format_datetime

    later = format_datetime(datetime.now(UTC) + timedelta(seconds=30), usegmt=True)
    wiki = Wiki([httpx.Response(503, headers={"Retry-After": later}), ok(page_data())])
    wiki.client().read_page("P")
    assert 25 <= wiki.sleeps[0] <= 31


def test_a_retry_after_beyond_two_minutes_fails_instead_of_hanging():
    wiki = Wiki([httpx.Response(503, headers={"Retry-After": "3600"})])
    with pytest.raises(WikiError, match="asks to wait 3600 s"):
        wiki.client().read_page("P")
    assert wiki.sleeps == []


def test_timeouts_are_retried_a_bounded_number_of_times():
    def timeout(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("timed out", request=request)

    wiki = Wiki([timeout] * 5)
    with pytest.raises(WikiError) as caught:
        wiki.client().read_page("P")
    assert len(wiki.requests) == 5 and wiki.sleeps == [1.0, 2.0, 4.0, 8.0]
    assert "did not answer within 30 s (gave up after 5 attempts)" in str(caught.value)


def test_malformed_json_is_a_clear_remote_error():
    broken = httpx.Response(
        200, text='{"query": {"pages": [', headers={"Content-Type": "application/json"}
    )
    wiki = Wiki([broken, broken])
    with pytest.raises(RemoteError, match="not JSON \\(malformed or cut off\\)"):
        wiki.client(max_retries=1).read_page("P")


def test_malformed_json_once_then_a_good_answer_succeeds():
    wiki = Wiki([httpx.Response(200, text="<html>proxy error</html>"), ok(page_data())])
    assert wiki.client().read_page("P").revid == 7


def test_a_404_is_not_retried_and_says_what_to_check():
    wiki = Wiki([httpx.Response(404, text="not here")])
    with pytest.raises(WikiError, match="HTTP 404") as caught:
        wiki.client().read_page("P")
    assert "api.php" in str(caught.value) and wiki.sleeps == []


def test_login_and_edit_follow_the_api_etiquette():
    base = Page("P", True, "old", 7, "2023-03-19T00:00:00Z", "2023-03-20T00:00:00Z")
    wiki = Wiki(
        [
            ok({"query": {"tokens": {"logintoken": "LOGIN+\\"}}}),
            ok({"login": {"result": "Success", "lgusername": "Bot"}}),
            ok({"query": {"tokens": {"csrftoken": "CSRF+\\"}}}),
            ok(
                {
                    "edit": {
                        "result": "Success",
                        "newrevid": 8,
                        "newtimestamp": "2023-03-20T00:00:01Z",
                    }
                }
            ),
        ]
    )
    client = wiki.client()
    client.login(Credentials("Bot@lc", PASSWORD))
    result = client.edit(base, "new | text & more", summary="lc: test")
    assert result.revid == 8 and not result.nochange

    login = form(wiki.requests[1])
    assert login[-1] == ("lgtoken", "LOGIN+\\")
    assert ("lgpassword", PASSWORD) in login and ("lgname", "Bot@lc") in login
    edit = form(wiki.requests[3])
    assert edit[-1] == ("token", "CSRF+\\")  # the token last: a cut-off body cannot save
    fields = dict(edit)
    assert fields["action"] == "edit" and fields["assert"] == "user" and fields["maxlag"] == "5"
    assert fields["text"] == "new | text & more" and fields["summary"] == "lc: test"
    assert fields["baserevid"] == "7" and fields["basetimestamp"] == "2023-03-19T00:00:00Z"
    assert fields["starttimestamp"] == "2023-03-20T00:00:00Z" and fields["nocreate"] == "1"
    for request in wiki.requests:
        agent = request.headers["User-Agent"]
        assert agent.startswith("lc/") and "team@example.org" in agent and "httpx/" in agent
    assert wiki.requests[3].method == "POST"
    assert wiki.requests[3].headers["Content-Type"] == "application/x-www-form-urlencoded"


def test_a_new_page_is_created_with_createonly():
    base = Page("New", False, "", None, None, "2023-03-20T00:00:00Z")
    wiki = Wiki(
        [
            ok({"query": {"tokens": {"csrftoken": "T"}}}),
            ok({"edit": {"result": "Success", "newrevid": 1}}),
        ]
    )
    wiki.client().edit(base, "text", summary="s")
    fields = dict(form(wiki.requests[1]))
    assert fields["createonly"] == "1" and "nocreate" not in fields and "baserevid" not in fields


def test_an_expired_token_is_fetched_again_once():
    base = Page("P", True, "old", 7, "t", "s")
    bad = ok({"error": {"code": "badtoken", "info": "Invalid CSRF token."}})
    wiki = Wiki(
        [
            ok({"query": {"tokens": {"csrftoken": "OLD"}}}),
            bad,
            ok({"query": {"tokens": {"csrftoken": "NEW"}}}),
            ok({"edit": {"result": "Success", "newrevid": 8}}),
        ]
    )
    assert wiki.client().edit(base, "t", summary="s").revid == 8
    assert form(wiki.requests[3])[-1] == ("token", "NEW")


def test_a_failed_login_never_shows_the_password():
    wiki = Wiki(
        [
            ok({"query": {"tokens": {"logintoken": "L"}}}),
            ok(
                {"login": {"result": "Failed", "reason": "Incorrect username or password entered."}}
            ),
        ]
    )
    with pytest.raises(WikiError) as caught:
        wiki.client().login(Credentials("Bot@lc", PASSWORD))
    text = str(caught.value) + repr(caught.value) + repr(Credentials("Bot@lc", PASSWORD))
    assert "Incorrect username or password" in text and PASSWORD not in text


def test_a_main_account_name_is_refused_before_sending_anything():
    wiki = Wiki([])
    with pytest.raises(WikiError, match="Name@App"):
        wiki.client().login(Credentials("Just A Name", PASSWORD))
    assert wiki.requests == []


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("protectedpage", "the page is protected"),
        ("blocked", "the account is blocked"),
        ("permissiondenied", "may not"),
        ("editconflict", "someone edited the page while lc was publishing"),
        ("abusefilter-disallowed", "an abuse filter stopped the edit"),
        ("somethingnew", "the wiki refused (somethingnew)"),
    ],
)
def test_api_errors_become_clear_messages(code: str, expected: str):
    base = Page("P", True, "old", 7, "t", "s")
    wiki = Wiki(
        [
            ok({"query": {"tokens": {"csrftoken": "T"}}}),
            ok({"error": {"code": code, "info": "Details."}}),
        ]
    )
    with pytest.raises(WikiError) as caught:
        wiki.client().edit(base, "t", summary="s")
    assert expected in str(caught.value) and "Details." in str(caught.value)
    assert caught.value.code == code and wiki.sleeps == []


def test_the_cli_maps_a_faulty_wiki_to_exit_5(runner, project, monkeypatch):
    """End to end through `lc publish`, with the transport swapped for one that always fails."""
    from tests.conftest import invoke

    calls: list[httpx.Request] = []

    def broken(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        return httpx.Response(200, text="{not json")

    real_init = MediaWiki.__init__

    def patched(self, api_url, **kwargs):
        kwargs["transport"] = httpx.MockTransport(broken)
        kwargs["sleep"] = lambda seconds: None
        real_init(self, api_url, **kwargs)

    monkeypatch.setattr(MediaWiki, "__init__", patched)
    result = invoke(runner, "publish", "2023-04-02-travel-scholarships", "--dry-run")
    assert result.exit_code == 5
    assert "not JSON" in result.stderr and "Traceback" not in result.stderr
    assert len(calls) == 5  # bounded: 1 try + 4 retries
