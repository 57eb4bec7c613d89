"""A small MediaWiki Action API client (httpx): bot-password login, reading a page, editing it.

Follows the API etiquette of Wikimedia wikis: a User-Agent naming lc and a contact, `maxlag=5` on
every request, `assert=user` on edits, the CSRF token last in the POST body, timeouts, and a bounded
number of retries with exponential backoff for maxlag, HTTP 429 and 5xx, honouring Retry-After.
The password is sent in one POST body and is never part of a message, a log line or a repr.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlencode

import httpx

from letsconnect_cli import __version__
from letsconnect_cli.errors import RemoteError

MAXLAG = 5
#: Never wait longer than this for one retry, whatever Retry-After says; fail instead.
MAX_WAIT = 120.0
_RETRY_STATUSES = {429, 500, 502, 503, 504}
_RETRY_CODES = {"maxlag", "ratelimited", "readonly"}


class WikiError(RemoteError):
    """The wiki refused or failed; `code` is the API's error code when there is one."""

    def __init__(self, message: str, *, code: str | None = None, hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.code = code


@dataclass(frozen=True)
class Credentials:
    """A bot password's login: the user is Name@App (Special:BotPasswords)."""

    username: str
    password: str = field(repr=False)


@dataclass(frozen=True)
class Page:
    """A page as read: its text and latest revision, and the server's time of the read."""

    title: str
    exists: bool
    text: str
    revid: int | None
    timestamp: str | None  # of the latest revision
    read_at: str  # the server's time when read: the edit's starttimestamp


@dataclass(frozen=True)
class EditResult:
    revid: int | None
    timestamp: str | None
    nochange: bool


def user_agent(contact: str) -> str:
    """The User-Agent Wikimedia's policy asks for: client/version (contact) library/version."""
    return (
        f"lc/{__version__} (Let's Connect operations toolkit; {contact}) httpx/{httpx.__version__}"
    )


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("retry-after")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return max(0.0, (moment - datetime.now(UTC)).total_seconds())


class MediaWiki:
    """One wiki's API, one session (cookies); use as a context manager."""

    def __init__(
        self,
        api_url: str,
        *,
        contact: str,
        timeout: float = 30.0,
        max_retries: int = 4,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.api_url = api_url
        self.max_retries = max_retries
        self.timeout = timeout
        self._sleep = sleep
        self._client = httpx.Client(
            headers={"User-Agent": user_agent(contact), "Accept": "application/json"},
            timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)),
            transport=transport,
            follow_redirects=True,
        )
        self._csrf: str | None = None

    def __enter__(self) -> MediaWiki:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    @property
    def cookies(self) -> httpx.Cookies:
        """A copy of the session's cookies (after `login`: the logged-in session)."""
        return httpx.Cookies(self._client.cookies)

    # --- transport ------------------------------------------------------------------------------

    def _call(self, method: str, params: list[tuple[str, str]]) -> dict[str, Any]:
        """One API request with retries; the API's error as a WikiError."""
        pairs = [("format", "json"), ("formatversion", "2"), ("maxlag", str(MAXLAG)), *params]
        failure = ""
        attempts = self.max_retries + 1
        for attempt in range(attempts):
            wait = min(2.0**attempt, 30.0)
            try:
                if method == "GET":
                    response = self._client.get(self.api_url, params=tuple(pairs))
                else:  # the body keeps the order given: the token stays last
                    response = self._client.post(
                        self.api_url,
                        content=urlencode(pairs).encode(),
                        headers={"Content-Type": "application/x-www-form-urlencoded"},
                    )
            except httpx.TimeoutException:
                failure = f"the wiki did not answer within {self.timeout:g} s"
            except httpx.ConnectError as error:
                failure = f"cannot reach the wiki: {error}"
                if attempt >= 1:  # nothing listens there, or no such host: one retry is enough
                    break
            except httpx.TransportError as error:
                failure = f"the connection to the wiki failed: {type(error).__name__}: {error}"
            else:
                data, failure, wait = self._read(response, wait)
                if data is not None:
                    return data
            if attempt + 1 < attempts:
                if wait > MAX_WAIT:
                    raise WikiError(
                        f"{self.api_url}: {failure}; the wiki asks to wait {wait:.0f} s",
                        hint="Try again later.",
                    )
                self._sleep(wait)
        raise WikiError(
            f"{self.api_url}: {failure} (gave up after {attempt + 1} attempts)",
            hint="Check the address ([wiki] api_url or --api-url) and the network, or try later.",
        )

    def _read(
        self, response: httpx.Response, wait: float
    ) -> tuple[dict[str, Any] | None, str, float]:
        """The JSON of a response, or (None, why, how long to wait) for a retry; raises the rest."""
        status = response.status_code
        if status in _RETRY_STATUSES:
            return None, f"HTTP {status} {response.reason_phrase}", _retry_after(response) or wait
        if status >= 400:
            raise WikiError(
                f"{self.api_url}: HTTP {status} {response.reason_phrase}",
                hint="Is this the address of the wiki's api.php ([wiki] api_url or --api-url)?",
            )
        try:
            data = response.json()
        except ValueError:
            return None, "the wiki's answer is not JSON (malformed or cut off)", wait
        if not isinstance(data, dict):
            return None, "the wiki's answer is not a JSON object", wait
        error = data.get("error")
        if isinstance(error, dict):
            code = str(error.get("code", ""))
            if code in _RETRY_CODES:
                info = str(error.get("info", code))
                default = float(error.get("lag", MAXLAG)) if code == "maxlag" else wait
                return None, f"{code}: {info}", _retry_after(response) or max(default, 1.0)
            raise _error(code, str(error.get("info", "")))
        return data, "", wait

    # --- API ------------------------------------------------------------------------------------

    def login(self, credentials: Credentials) -> None:
        """Log in with a bot password (action=login); WikiError saying why when it fails."""
        if "@" not in credentials.username:
            raise WikiError(
                f"{credentials.username!r} is not a bot password's login name",
                hint="Bot passwords log in as Name@App: create one at Special:BotPasswords.",
            )
        token = self._call("GET", [("action", "query"), ("meta", "tokens"), ("type", "login")])
        login_token = token["query"]["tokens"]["logintoken"]
        data = self._call(
            "POST",
            [
                ("action", "login"),
                ("lgname", credentials.username),
                ("lgpassword", credentials.password),
                ("lgtoken", login_token),
            ],
        )
        result = data.get("login", {})
        if result.get("result") != "Success":
            reason = result.get("reason") or result.get("result") or "no reason given"
            if isinstance(reason, dict):
                reason = reason.get("text") or reason.get("code") or str(reason)
            raise WikiError(
                f"login to {self.api_url} as {credentials.username} failed: {reason}",
                code="login-failed",
                hint="Check LC_WIKI_USERNAME (Name@App from Special:BotPasswords) and the bot "
                "password (LC_WIKI_PASSWORD or [wiki] password_file).",
            )
        self._csrf = None

    def read_page(self, title: str) -> Page:
        """The page's current text and revision (or that it does not exist)."""
        data = self._call(
            "GET",
            [
                ("action", "query"),
                ("prop", "revisions"),
                ("rvprop", "ids|timestamp|content"),
                ("rvslots", "main"),
                ("titles", title),
                ("curtimestamp", "1"),
            ],
        )
        pages = data.get("query", {}).get("pages", [])
        read_at = str(data.get("curtimestamp", ""))
        if not pages:
            raise WikiError(f"the wiki gave no page for {title!r}")
        page = pages[0]
        if page.get("invalid"):
            raise WikiError(f"{title!r} is not a valid page title: {page.get('invalidreason', '')}")
        if page.get("missing") or not page.get("revisions"):
            return Page(str(page.get("title", title)), False, "", None, None, read_at)
        revision = page["revisions"][0]
        text = revision.get("slots", {}).get("main", {}).get("content", "")
        return Page(
            str(page["title"]), True, text, int(revision["revid"]), revision["timestamp"], read_at
        )

    def csrf_token(self) -> str:
        if self._csrf is None:
            data = self._call("GET", [("action", "query"), ("meta", "tokens"), ("type", "csrf")])
            self._csrf = str(data["query"]["tokens"]["csrftoken"])
        return self._csrf

    def edit(self, base: Page, text: str, *, summary: str) -> EditResult:
        """Save `text` over `base` (the page as read); MediaWiki refuses if it changed since."""
        params = [("action", "edit"), ("title", base.title), ("text", text), ("summary", summary)]
        params += [("assert", "user"), ("starttimestamp", base.read_at)]
        if base.exists:
            params += [
                ("nocreate", "1"),
                ("baserevid", str(base.revid)),
                ("basetimestamp", str(base.timestamp)),
            ]
        else:
            params += [("createonly", "1")]
        for attempt in range(2):
            try:
                data = self._call("POST", [*params, ("token", self.csrf_token())])
                break
            except WikiError as error:
                if error.code != "badtoken" or attempt:
                    raise
                self._csrf = None  # the session's token expired: fetch a new one, once
        result = data.get("edit", {})
        if result.get("result") != "Success":
            raise WikiError(f"the edit of {base.title} did not succeed: {result}")
        return EditResult(
            revid=result.get("newrevid"),
            timestamp=result.get("newtimestamp"),
            nochange=bool(result.get("nochange")),
        )


_MESSAGES = {
    "blocked": "the account is blocked on this wiki",
    "autoblocked": "the account's address is blocked on this wiki",
    "protectedpage": "the page is protected",
    "cascadeprotected": "the page is protected (cascading protection)",
    "protectednamespace": "pages of this namespace are protected",
    "protectedtitle": "the title is protected from creation",
    "permissiondenied": "the account may not do this",
    "writeapidenied": "the account may not edit through the API",
    "mwoauth-invalid-authorization": "the bot password does not allow this",
    "cantcreate": "the account may not create pages",
    "noedit": "the account may not edit pages",
    "assertuserfailed": "lc is not logged in any more",
    "editconflict": "someone edited the page while lc was publishing",
    "pagedeleted": "the page was deleted while lc was publishing",
    "articleexists": "the page was created by someone else while lc was publishing",
    "missingtitle": "the page was deleted while lc was publishing",
}
_HINTS = {
    "permissiondenied": "Give the bot password the grants 'Edit existing pages' and 'Create, edit, "
    "and move pages' (Special:BotPasswords), or ask an administrator.",
    "mwoauth-invalid-authorization": "Give the bot password the grants 'Edit existing pages' and "
    "'Create, edit, and move pages' (Special:BotPasswords).",
    "protectedpage": "Ask an administrator to edit it, or publish to another page (--page).",
    "editconflict": "Run lc publish again: it will show whether the new edit touched lc's text.",
    "blocked": "Ask the wiki's administrators about the block.",
}


def _error(code: str, info: str) -> WikiError:
    what = _MESSAGES.get(code)
    if code.startswith("abusefilter"):
        what = "an abuse filter stopped the edit"
    if code == "badtoken":
        what = "the session's edit token expired"
    message = f"{what}: {info}" if what else f"the wiki refused ({code}): {info}"
    hint = _HINTS.get(code) or _HINTS.get(code.removeprefix("auto"))
    return WikiError(message, code=code, hint=hint)
