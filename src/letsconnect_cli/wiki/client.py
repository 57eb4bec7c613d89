"""A small MediaWiki Action API client (httpx): bot-password login, reading a page, editing it.

Follows the API etiquette of Wikimedia wikis: a User-Agent naming lc and a contact, `maxlag=5` on
every request, `assert=user` on edits, the CSRF token last in the POST body, timeouts, and a bounded
number of retries with exponential backoff for maxlag, HTTP 429 and 5xx, honouring Retry-After.
The password is sent in one POST body and is never part of a message, a log line or a repr: a
wiki's answer that quotes it (or a token), in any encoding, is masked. Plain http:// is refused
except to this computer, and a redirect to another origin (scheme, host, port) is never followed:
the login and the edit token go to the configured address only.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlencode, urlsplit

import httpx

from letsconnect_cli import __version__
from letsconnect_cli.errors import RemoteError, UsageError
from letsconnect_cli.loopback import is_loopback
from letsconnect_cli.masking import Masker

MAXLAG = 5
#: Never wait longer than this for one retry, whatever Retry-After says; fail instead.
MAX_WAIT = 120.0
_RETRY_STATUSES = {429, 500, 502, 503, 504}
_RETRY_CODES = {"maxlag", "ratelimited", "readonly"}
#: Redirects followed within the wiki's own origin, at most.
MAX_REDIRECTS = 5
#: Tokens (login, CSRF) are masked in messages from this length on (MediaWiki's have 42 characters).
TOKEN_MIN = 8


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
        check_api_url(api_url)
        self.api_url = api_url
        self.max_retries = max_retries
        self.timeout = timeout
        self._sleep = sleep
        self._client = httpx.Client(
            headers={"User-Agent": user_agent(contact), "Accept": "application/json"},
            timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)),
            transport=transport,
            follow_redirects=False,  # followed by hand, within the wiki's origin only
        )
        self._csrf: str | None = None
        self._masker = Masker()

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
                response = self._send(method, pairs)
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

    def _send(self, method: str, pairs: list[tuple[str, str]]) -> httpx.Response:
        """One request; redirects followed only within the wiki's origin, keeping the method."""
        if method == "GET":
            request = self._client.build_request("GET", self.api_url, params=tuple(pairs))
        else:  # the body keeps the order given: the token stays last
            request = self._client.build_request(
                "POST",
                self.api_url,
                content=urlencode(pairs).encode(),
                headers={"Content-Type": "application/x-www-form-urlencoded"},
            )
        for _ in range(MAX_REDIRECTS + 1):
            response = self._client.send(request)
            following = response.next_request
            if not response.is_redirect or following is None:
                return response
            response.close()
            status = response.status_code
            if _origin(following.url) != _origin(request.url):
                raise WikiError(
                    f"{self.api_url}: the wiki answered HTTP {status} with a redirect to "
                    f"{_origin(following.url)}, another site; lc sends its login and edits to "
                    "the configured address only",
                    code="redirect",
                    hint="If the wiki moved, set [wiki] api_url (or --api-url) to its new api.php.",
                )
            if following.method != request.method:
                raise WikiError(
                    f"{self.api_url}: the wiki answered HTTP {status} with a redirect that would "
                    f"turn the {request.method} into a {following.method}",
                    code="redirect",
                    hint="Set [wiki] api_url (or --api-url) to the address it redirects to.",
                )
            request = following
        raise WikiError(
            f"{self.api_url}: more than {MAX_REDIRECTS} redirects",
            code="redirect",
            hint="Set [wiki] api_url (or --api-url) to the wiki's final api.php address.",
        )

    @contextlib.contextmanager
    def _masking(self) -> Iterator[None]:
        """Every WikiError leaving the block with the password and tokens masked."""
        try:
            yield
        except WikiError as error:
            masked = WikiError(
                self._masker.mask(error.message),
                code=error.code,
                hint=None if error.hint is None else self._masker.mask(error.hint),
            )
            raise masked from None

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
        self._masker.add(credentials.password, username=credentials.username)
        with self._masking():
            self._login(credentials)

    def _login(self, credentials: Credentials) -> None:
        if "@" not in credentials.username:
            raise WikiError(
                f"{credentials.username!r} is not a bot password's login name",
                hint="Bot passwords log in as Name@App: create one at Special:BotPasswords.",
            )
        token = self._call("GET", [("action", "query"), ("meta", "tokens"), ("type", "login")])
        login_token = str(_tokens(token).get("logintoken", ""))
        if not login_token:
            raise WikiError(f"{self.api_url}: the wiki's answer holds no login token")
        self._masker.add(login_token, min_length=TOKEN_MIN)
        data = self._call(
            "POST",
            [
                ("action", "login"),
                ("lgname", credentials.username),
                ("lgpassword", credentials.password),
                ("lgtoken", login_token),
            ],
        )
        result = data.get("login")
        if not isinstance(result, dict):
            raise WikiError(f"{self.api_url}: the wiki's answer to the login is malformed")
        if result.get("result") != "Success":
            reason = result.get("reason") or result.get("result") or "no reason given"
            if isinstance(reason, dict):
                reason = reason.get("text") or reason.get("code") or str(reason)
            reason = " ".join(str(reason).split())
            raise WikiError(
                f"login to {self.api_url} as {credentials.username} failed: {reason}",
                code="login-failed",
                hint="Check LC_WIKI_USERNAME (Name@App from Special:BotPasswords) and the bot "
                "password (LC_WIKI_PASSWORD or [wiki] password_file).",
            )
        self._csrf = None

    def read_page(self, title: str) -> Page:
        """The page's current text and revision (or that it does not exist)."""
        with self._masking():
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
            try:
                return _page(title, data)
            except (AttributeError, KeyError, IndexError, TypeError, ValueError):
                raise WikiError(
                    f"{self.api_url}: the wiki's answer about {title!r} is malformed "
                    "(not what MediaWiki's API gives)",
                    code="malformed",
                    hint="Is this the address of a MediaWiki api.php ([wiki] api_url or --api-url)?",
                ) from None

    def csrf_token(self) -> str:
        if self._csrf is None:
            with self._masking():
                data = self._call(
                    "GET", [("action", "query"), ("meta", "tokens"), ("type", "csrf")]
                )
                token = _tokens(data).get("csrftoken")
                if not isinstance(token, str) or not token:
                    raise WikiError(f"{self.api_url}: the wiki's answer holds no edit token")
                self._masker.add(token, min_length=TOKEN_MIN)
                self._csrf = token
        return self._csrf

    def edit(self, base: Page, text: str, *, summary: str) -> EditResult:
        """Save `text` over `base` (the page as read); MediaWiki refuses if it changed since."""
        with self._masking():
            return self._edit(base, text, summary=summary)

    def _edit(self, base: Page, text: str, *, summary: str) -> EditResult:
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
        result = data.get("edit")
        if not isinstance(result, dict):
            raise WikiError(f"{self.api_url}: the wiki's answer to the edit is malformed")
        if result.get("result") != "Success":
            raise WikiError(f"the edit of {base.title} did not succeed: {result}")
        revid = result.get("newrevid")
        return EditResult(
            revid=revid if isinstance(revid, int) and not isinstance(revid, bool) else None,
            timestamp=str(result["newtimestamp"]) if result.get("newtimestamp") else None,
            nochange=bool(result.get("nochange")),
        )


def _origin(url: httpx.URL) -> tuple[str, str, int | None]:
    """(scheme, host, port), the port made explicit: what a redirect may not change."""
    port = url.port or {"http": 80, "https": 443}.get(url.scheme)
    return (url.scheme, url.host.lower(), port)


def check_api_url(url: str) -> None:
    """An api.php address lc may send a password to: https, or http to this computer only."""
    parts = urlsplit(url)
    if parts.scheme == "https":
        return
    if parts.scheme == "http" and parts.hostname and is_loopback(parts.hostname):
        return
    raise UsageError(
        f"{url}: lc sends the wiki's password and edit tokens over https only "
        "(plain http only to this computer: localhost, 127.0.0.1, ::1)",
        hint="Use the https:// address of the wiki's api.php ([wiki] api_url or --api-url).",
    )


def _tokens(data: dict[str, Any]) -> dict[str, Any]:
    query = data.get("query")
    tokens = query.get("tokens") if isinstance(query, dict) else None
    return tokens if isinstance(tokens, dict) else {}


def _page(title: str, data: dict[str, Any]) -> Page:
    """The page in a query's answer; AttributeError, KeyError ... when it is malformed."""
    query = data.get("query", {})
    pages = query.get("pages", [])
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
    if not isinstance(text, str):
        raise TypeError("content is not text")
    revid = revision["revid"]
    if not isinstance(revid, int) or isinstance(revid, bool):
        raise TypeError("revid is not a number")
    return Page(str(page["title"]), True, text, revid, str(revision["timestamp"]), read_at)


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
