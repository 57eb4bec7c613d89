"""Fetching exports over http(s): a published Google Sheets CSV link, or a CampaignEvents endpoint.

httpx with timeouts and a size limit; the body goes to a temporary file, then is read like a local
one. CampaignEvents participants come 20 at a time, ordered by `participant_id`: the next page is
asked for with `last_participant_id` set to the last id of the page before, until a page comes back
empty. The endpoint requires `include_private` (HTTP 400 without it): lc adds `include_private=false`
when the link has none, and `true` with `FetchOptions.include_private`, which needs an organiser's
session: a bot-password login on the wiki's api.php (as `lc publish` logs in), whose session cookie
goes with every page.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from letsconnect_cli.errors import InputUnreadable, RemoteError, UsageError

if TYPE_CHECKING:
    import httpx

    from letsconnect_cli.wiki.client import Credentials

#: progress(source name, bytes so far, total bytes or None)
Progress = Callable[[str, int, int | None], None]

MAX_PAGES = 10_000
#: Who may see the participants who registered privately (CampaignEvents' PermissionChecker).
WHO_SEES_PRIVATE = (
    "only the event's organisers, and accounts with the right "
    "'campaignevents-view-private-participants' (administrators by default) on the wiki where "
    "the event was created, may see them"
)
_USER_AGENT = "lc (Let's Connect toolkit; https://meta.wikimedia.org/wiki/Let%27s_Connect)"


@dataclass
class WikiLogin:
    """An organiser's bot password for CampaignEvents links: logs in once per wiki, on demand."""

    credentials: Credentials
    contact: str = "https://meta.wikimedia.org/wiki/Let%27s_Connect"  # for the User-Agent
    max_retries: int = 4
    _cookies: dict[str, Any] = field(default_factory=dict, repr=False)

    def cookies(self, api_url: str, timeout: float, transport: Any = None) -> httpx.Cookies:
        """The session cookies of a logged-in session on the wiki of `api_url`."""
        if api_url not in self._cookies:
            from letsconnect_cli.wiki.client import MediaWiki

            with MediaWiki(
                api_url,
                contact=self.contact,
                timeout=timeout,
                max_retries=self.max_retries,
                transport=transport,
            ) as wiki:
                wiki.login(self.credentials)
                self._cookies[api_url] = wiki.cookies
        cookies: httpx.Cookies = self._cookies[api_url]
        return cookies


@dataclass(frozen=True)
class FetchOptions:
    timeout: float = 30.0
    max_bytes: int = 100 * 1024 * 1024
    progress: Progress | None = None
    transport: Any = None  # an httpx transport, for tests of failures
    include_private: bool = False  # CampaignEvents: ask for private participants too (a login)
    login: WikiLogin | None = None  # the organiser's login for include_private


def is_url(text: str) -> bool:
    return text.startswith(("http://", "https://"))


def display_url(url: str) -> str:
    """The URL without credentials or query string: what reports and messages show."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    return urlunsplit((parts.scheme, host, parts.path, "", ""))


def is_campaignevents(url: str) -> bool:
    path = urlsplit(url).path
    return "/campaignevents/" in path and path.rstrip("/").endswith("/participants")


def participants_url(url: str, include_private: bool) -> str:
    """The link with `include_private`: `true` when asked for, else the link's own value, else
    `false` (the endpoint answers 400 without it)."""
    query = dict(parse_qsl(urlsplit(url).query, keep_blank_values=True))
    if include_private:
        return _with_query(url, include_private="true")
    if "include_private" in query:
        return url
    return _with_query(url, include_private="false")


def asks_private(url: str) -> bool:
    """Whether the link asks for private participants (MediaWiki's boolean true values)."""
    query = dict(parse_qsl(urlsplit(url).query, keep_blank_values=True))
    return query.get("include_private", "").lower() in ("true", "t", "yes", "y", "on", "1")


def api_url_of(url: str) -> str:
    """The api.php of the wiki serving a rest.php link (where lc logs in)."""
    parts = urlsplit(url)
    head, found, _ = parts.path.partition("/rest.php/")
    if not found:
        raise UsageError(
            f"{display_url(url)}: lc cannot tell the wiki's api.php from this link "
            "(it has no /rest.php/) to log in for --include-private",
            hint="Give the link as the wiki shows it: "
            "https://meta.wikimedia.org/w/rest.php/campaignevents/v0/event_registration/ID/participants",
        )
    return urlunsplit((parts.scheme, parts.netloc, head + "/api.php", "", ""))


def fetch(url: str, options: FetchOptions) -> IO[bytes]:
    """The body of a URL (all pages of a CampaignEvents list), in a temporary file at offset 0."""
    import httpx

    name = display_url(url)
    timeout = httpx.Timeout(options.timeout, connect=min(options.timeout, 10.0))
    cookies = None
    if is_campaignevents(url):
        url = participants_url(url, options.include_private)
        if asks_private(url) and options.login is not None:
            cookies = options.login.cookies(api_url_of(url), options.timeout, options.transport)
    try:
        with httpx.Client(
            timeout=timeout,
            follow_redirects=True,
            transport=options.transport,
            headers={"User-Agent": _USER_AGENT},
            cookies=cookies,
        ) as client:
            if is_campaignevents(url):
                return _fetch_pages(client, url, name, options, logged_in=cookies is not None)
            handle = tempfile.TemporaryFile()  # noqa: SIM115 (the caller closes it)
            try:
                _download(client, url, name, handle, options, 0)
            except BaseException:
                handle.close()
                raise
            handle.seek(0)
            return handle
    except httpx.TimeoutException:
        raise RemoteError(
            f"{name}: no answer within {options.timeout:g} seconds",
            hint="Check the link and your connection; a published sheet link ends in output=csv.",
        ) from None
    except httpx.HTTPError as error:
        raise RemoteError(f"{name}: {type(error).__name__}: {error}") from None


def _download(
    client: httpx.Client,
    url: str,
    name: str,
    sink: IO[bytes],
    options: FetchOptions,
    done: int,
    refused: Callable[[httpx.Response], RemoteError] | None = None,
) -> int:
    with client.stream("GET", url) as response:
        if response.status_code >= 400:
            if refused is not None:
                response.read()
                raise refused(response)
            raise RemoteError(
                f"{name}: HTTP {response.status_code} {response.reason_phrase}",
                hint="Is the sheet published to the web as CSV, the participant list public?",
            )
        kind = response.headers.get("content-type", "")
        if "text/html" in kind:
            raise InputUnreadable(
                f"{name} answered with a web page, not a CSV or JSON export",
                hint="For Google Sheets: File > Share > Publish to web > CSV, and give that link.",
            )
        length = response.headers.get("content-length")
        # Progress counts every page of a list together: what came before plus this body.
        expected = done + int(length) if length and length.isdigit() else None
        if expected is not None and expected > options.max_bytes:
            raise _too_large(name, options.max_bytes)
        for chunk in response.iter_bytes():
            done += len(chunk)
            if done > options.max_bytes:
                raise _too_large(name, options.max_bytes)
            sink.write(chunk)
            if options.progress is not None:
                options.progress(name, done, expected)
    return done


def _fetch_pages(
    client: httpx.Client, url: str, name: str, options: FetchOptions, *, logged_in: bool
) -> IO[bytes]:
    participants: list[Any] = []
    done = 0
    last: int | None = None

    def refused(response: httpx.Response) -> RemoteError:
        return _refusal(response, name, private=asks_private(url), logged_in=logged_in)

    for _ in range(MAX_PAGES):
        page_url = url if last is None else _with_query(url, last_participant_id=str(last))
        with tempfile.SpooledTemporaryFile(max_size=1 << 20) as buffer:
            done = _download(client, page_url, name, buffer, options, done, refused)
            buffer.seek(0)
            try:
                page = json.load(buffer)
            except (ValueError, UnicodeDecodeError, RecursionError):
                raise InputUnreadable(f"{name}: a page of participants is not JSON") from None
        if not isinstance(page, list):
            raise InputUnreadable(
                f"{name}: expected a JSON list of participants, got {type(page).__name__}"
            )
        ids = [p.get("participant_id") for p in page if isinstance(p, dict)]
        numbers = [i for i in ids if isinstance(i, int)]
        if not page or (last is not None and (not numbers or max(numbers) <= last)):
            break  # the end, or a server that ignores last_participant_id: stop, no loop
        participants.extend(page)
        if not numbers:
            break  # no ids to page on
        last = max(numbers)
    handle = tempfile.TemporaryFile()  # noqa: SIM115 (the caller closes it)
    handle.write(json.dumps(participants).encode("utf-8"))
    handle.seek(0)
    return handle


def _error_key(response: httpx.Response) -> str:
    """The REST API's `errorKey` (an identifier: word characters, '-' and '.' only), or ''."""
    import re

    try:
        body = response.json()
    except (ValueError, UnicodeDecodeError):
        return ""
    key = body.get("errorKey") if isinstance(body, dict) else None
    if isinstance(key, str) and re.fullmatch(r"[\w.-]{1,100}", key, re.ASCII):
        return key
    return ""


def _refusal(response: httpx.Response, name: str, *, private: bool, logged_in: bool) -> RemoteError:
    """A CampaignEvents error answer as a message that says what to do."""
    status = response.status_code
    key = _error_key(response)
    what = f"{name}: HTTP {status} {response.reason_phrase}" + (f" ({key})" if key else "")
    if status == 403 and private:
        account = "to the account lc logged in as" if logged_in else "without a login"
        return RemoteError(
            f"{name}: the wiki refuses to show the participants who registered privately "
            f"{account} (HTTP 403): {WHO_SEES_PRIVATE}",
            hint="Log in as one of the event's organisers: --include-private with "
            "LC_WIKI_USERNAME=Name@App (that account's Special:BotPasswords) and "
            "LC_WIKI_PASSWORD, or [wiki] username and password_file; "
            "or leave out --include-private (and include_private=true from the link) to count "
            "the public participants only.",
        )
    if status == 404:
        return RemoteError(
            f"{what}: the wiki has no event registration with this id",
            hint="Check the event id in the link (Special:EventDetails/ID on the wiki).",
        )
    if status == 400:
        return RemoteError(
            f"{what}: the wiki refused the query",
            hint="lc asks for include_private and last_participant_id only; check the link's "
            "other parameters.",
        )
    return RemoteError(what, hint="Try again later; check the link.")


def _with_query(url: str, **params: str) -> str:
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in params]
    query.extend(params.items())
    return urlunsplit(parts._replace(query=urlencode(query)))


def _too_large(name: str, limit: int) -> InputUnreadable:
    return InputUnreadable(
        f"{name} is larger than the limit of {limit // (1024 * 1024)} MiB",
        hint="Raise [report] max_download_mb in lc.toml, or download the file and give its path.",
    )
