"""Fetching exports over http(s): a published Google Sheets CSV link, or a CampaignEvents endpoint.

httpx with timeouts and a size limit; the body goes to a temporary file, then is read like a local
one. CampaignEvents participants come 20 at a time: the next page is asked for with
`last_participant_id` set to the last id of the page before, until a page comes back empty.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from letsconnect_cli.errors import InputUnreadable, RemoteError

if TYPE_CHECKING:
    import httpx

#: progress(source name, bytes so far, total bytes or None)
Progress = Callable[[str, int, int | None], None]

MAX_PAGES = 10_000


@dataclass(frozen=True)
class FetchOptions:
    timeout: float = 30.0
    max_bytes: int = 100 * 1024 * 1024
    progress: Progress | None = None
    transport: Any = None  # an httpx transport, for tests of failures


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


def fetch(url: str, options: FetchOptions) -> IO[bytes]:
    """The body of a URL (all pages of a CampaignEvents list), in a temporary file at offset 0."""
    import httpx

    name = display_url(url)
    timeout = httpx.Timeout(options.timeout, connect=min(options.timeout, 10.0))
    try:
        with httpx.Client(
            timeout=timeout,
            follow_redirects=True,
            transport=options.transport,
            headers={
                "User-Agent": "lc (Let's Connect toolkit; https://meta.wikimedia.org/wiki/Let%27s_Connect)"
            },
        ) as client:
            if is_campaignevents(url):
                return _fetch_pages(client, url, name, options)
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
    client: httpx.Client, url: str, name: str, sink: IO[bytes], options: FetchOptions, done: int
) -> int:
    with client.stream("GET", url) as response:
        if response.status_code >= 400:
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


def _fetch_pages(client: httpx.Client, url: str, name: str, options: FetchOptions) -> IO[bytes]:
    participants: list[Any] = []
    done = 0
    last: int | None = None
    for _ in range(MAX_PAGES):
        page_url = url if last is None else _with_query(url, last_participant_id=str(last))
        with tempfile.SpooledTemporaryFile(max_size=1 << 20) as buffer:
            done = _download(client, page_url, name, buffer, options, done)
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
