"""Sources over http(s): a real HTTP server on loopback for the happy paths, httpx.MockTransport for
faults a real server cannot be made to show (timeouts, refused connections)."""

from __future__ import annotations

import contextlib
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from typer.testing import CliRunner

from letsconnect_cli.clinic.models import Clinic
from letsconnect_cli.errors import InputUnreadable, RemoteError
from letsconnect_cli.ingest import FetchOptions, IngestLog, ReadOptions, read_records
from tests.report.conftest import SAMPLES, run, run_json

EVENT_PATH = "/w/rest.php/campaignevents/v0/event_registration/7/participants"
PARTICIPANTS: list[dict[str, Any]] = [
    {"participant_id": 100 + i, "user_name": f"Remote user {i}", "private": i % 5 == 0}
    for i in range(45)
]


class _Handler(BaseHTTPRequestHandler):
    requests: ClassVar[list[str]] = []

    def log_message(self, format: str, *args: object) -> None:
        pass

    def _send(self, status: int, body: bytes, kind: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.wfile.write(body)  # the client may stop reading: the size limit at work

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        type(self).requests.append(self.path)
        if parts.path == "/sheet.csv":
            self._send(200, (SAMPLES / "google-forms-registration.csv").read_bytes(), "text/csv")
        elif parts.path == "/moved":
            self.send_response(302)
            self.send_header("Location", "/sheet.csv")
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif parts.path == EVENT_PATH:
            last = int(parse_qs(parts.query).get("last_participant_id", ["0"])[0])
            page = [p for p in PARTICIPANTS if p["participant_id"] > last][:20]
            self._send(200, json.dumps(page).encode(), "application/json")
        elif parts.path == "/big.csv":
            self._send(
                200, b"Email,Country\n" + b"someone@example.org,Ghana\n" * 60_000, "text/csv"
            )
        elif parts.path == "/login":
            self._send(200, b"<html><body>Sign in</body></html>", "text/html; charset=utf-8")
        else:
            self._send(404, b"not found", "text/plain")


@pytest.fixture
def server() -> Iterator[str]:
    _Handler.requests = []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


def test_published_sheet_csv(exports: Path, runner: CliRunner, server: str) -> None:
    report = run_json(runner, f"{server}/sheet.csv?output=csv&token=secret", "--min-count", "0")
    assert report["registrations"] == 10
    assert report["sources"][0]["file"] == f"{server}/sheet.csv"  # no query string, no token
    assert report["sources"][0]["format"] == "google-forms-registration"


def test_redirects_are_followed(exports: Path, runner: CliRunner, server: str) -> None:
    report = run_json(runner, f"{server}/moved", "--min-count", "0")
    assert report["registrations"] == 10


def test_campaignevents_endpoint_is_paged(exports: Path, runner: CliRunner, server: str) -> None:
    url = f"2023-04-02-travel-scholarships={server}{EVENT_PATH}"
    report = run_json(runner, url, "--min-count", "0")
    assert report["registrations"] == 45 and report["participants"] == 45
    assert _Handler.requests == [
        f"{EVENT_PATH}?include_private=false",  # required by the endpoint: lc adds it
        f"{EVENT_PATH}?include_private=false&last_participant_id=119",
        f"{EVENT_PATH}?include_private=false&last_participant_id=139",
        f"{EVENT_PATH}?include_private=false&last_participant_id=144",
    ]


def test_http_error_is_a_remote_error(exports: Path, runner: CliRunner, server: str) -> None:
    result = run(runner, f"{server}/gone.csv")
    assert result.exit_code == 5
    assert "HTTP 404" in result.stderr and "gone.csv" in result.stderr


def test_a_web_page_is_not_an_export(exports: Path, runner: CliRunner, server: str) -> None:
    result = run(runner, f"{server}/login")
    assert result.exit_code == 4
    assert "answered with a web page" in result.stderr and "Publish to web" in result.stderr


def test_size_limit(exports: Path, runner: CliRunner, server: str) -> None:
    config = exports / "lc.toml"
    config.write_text(config.read_text().replace("[report]\n", "[report]\nmax_download_mb = 1\n"))
    result = run(runner, f"{server}/big.csv")
    assert result.exit_code == 4
    assert "larger than the limit of 1 MiB" in result.stderr and "max_download_mb" in result.stderr


def test_size_limit_without_content_length(clinics: list[Clinic]) -> None:
    def chunked(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            200, content=iter([b"Email\n", b"x" * 2000]), headers={"content-type": "text/csv"}
        )

    options = ReadOptions(
        fetch=FetchOptions(max_bytes=1000, transport=httpx.MockTransport(chunked))
    )
    with pytest.raises(InputUnreadable, match="larger than the limit"):
        list(read_records(["https://example.invalid/x.csv"], clinics, options))


def test_progress_is_reported(clinics: list[Clinic], server: str) -> None:
    seen: list[tuple[str, int, int | None]] = []
    options = ReadOptions(
        clinic="2023-04-02-travel-scholarships",
        fetch=FetchOptions(progress=lambda name, done, total: seen.append((name, done, total))),
    )
    list(read_records([f"{server}/sheet.csv"], clinics, options, IngestLog()))
    size = (SAMPLES / "google-forms-registration.csv").stat().st_size
    assert seen and seen[-1] == (f"{server}/sheet.csv", size, size)


def test_no_progress_bar_when_stderr_is_not_a_terminal(
    exports: Path, runner: CliRunner, server: str
) -> None:
    result = run(runner, f"{server}/sheet.csv", "--format", "json")
    assert result.exit_code == 0 and result.stderr == ""


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (httpx.ReadTimeout("timed out"), "no answer within 30 seconds"),
        (httpx.ConnectError("connection refused"), "ConnectError: connection refused"),
    ],
)
def test_network_faults_are_remote_errors(
    clinics: list[Clinic], error: Exception, expected: str
) -> None:
    def fail(request: httpx.Request) -> httpx.Response:
        raise error

    options = ReadOptions(fetch=FetchOptions(transport=httpx.MockTransport(fail)))
    with pytest.raises(RemoteError, match=expected) as raised:
        list(read_records(["https://user:pw@example.invalid/sheet.csv?key=1"], clinics, options))
    assert "pw" not in str(raised.value) and "key=1" not in str(raised.value)
    assert raised.value.exit_code == 5


def test_server_that_ignores_paging_does_not_loop(clinics: list[Clinic]) -> None:
    calls = []

    def same_page(request: httpx.Request) -> httpx.Response:
        calls.append(str(request.url))
        return httpx.Response(200, json=PARTICIPANTS[:20])

    options = ReadOptions(
        clinic="2023-04-02-travel-scholarships",
        fetch=FetchOptions(transport=httpx.MockTransport(same_page)),
    )
    records = list(read_records([f"https://meta.example.invalid{EVENT_PATH}"], clinics, options))
    assert len(records) == 20 and len(calls) == 2
