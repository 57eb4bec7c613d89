"""Hostile servers on loopback: a wiki that redirects, echoes or answers nonsense, and an SMTP
server that echoes the AUTH data it was sent in its refusal.

Each records every request it gets, so a test can say what lc sent where. They are plain
standard-library servers in a thread (http.server, socketserver): no package to install.
"""

from __future__ import annotations

import base64
import json
import socketserver
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, quote, urlsplit

LOGIN_TOKEN = "4f7c1b2e9a0d3c5b6e8f1a2b3c4d5e6f7a8b9c0d+\\"


@dataclass
class Seen:
    """One request a fake server got."""

    method: str
    path: str
    params: dict[str, str]
    body: bytes


@dataclass
class FakeWiki:
    """A MediaWiki api.php double. `mode`:

    - "redirect": every request answered 307 to `redirect_to` (another origin);
    - "redirect-same": POSTs answered 307 to the same path with ?moved=1, then served normally;
    - "echo": the login fails with a reason quoting the request body it got (as a careless or
      hostile wiki might), and pages are missing;
    - "malformed": queries answered {"query": []};
    - "normal": logins succeed, pages are missing, edits succeed.
    """

    mode: str = "normal"
    host: str = "127.0.0.1"
    redirect_to: str = ""
    seen: list[Seen] = field(default_factory=list)

    def __post_init__(self) -> None:
        wiki = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:  # quiet
                pass

            def _answer(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                body = self.rfile.read(length) if length else b""
                split = urlsplit(self.path)
                params = dict(parse_qsl(split.query))
                params.update(dict(parse_qsl(body.decode("utf-8", "replace"))))
                wiki.seen.append(Seen(self.command, self.path, params, body))
                status, headers, data = wiki.respond(self.command, split.path, split.query, params)
                raw = json.dumps(data).encode() if data is not None else b""
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            do_GET = _answer
            do_POST = _answer

        self.server = ThreadingHTTPServer((self.host, 0), Handler)
        self.port = int(self.server.server_address[1])
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def api(self) -> str:
        return f"http://{self.host}:{self.port}/w/api.php"

    def __enter__(self) -> FakeWiki:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def logins(self) -> list[Seen]:
        return [s for s in self.seen if s.params.get("action") == "login"]

    def respond(
        self, method: str, path: str, query: str, params: dict[str, str]
    ) -> tuple[int, dict[str, str], Any]:
        if self.mode == "redirect":
            return 307, {"Location": self.redirect_to}, None
        if self.mode == "redirect-same" and method == "POST" and "moved=1" not in query:
            return 307, {"Location": f"{path}?moved=1"}, None
        action = params.get("action")
        if self.mode == "malformed" and action == "query" and params.get("meta") != "tokens":
            return 200, {}, {"query": []}
        if action == "query" and params.get("meta") == "tokens":
            kind = params.get("type", "csrf")
            return 200, {}, {"query": {"tokens": {f"{kind}token": LOGIN_TOKEN}}}
        if action == "login":
            if self.mode == "echo":
                body = "&".join(f"{k}={quote(v, safe='')}" for k, v in params.items())
                return 200, {}, {"login": {"result": "Failed", "reason": f"Bad request: {body}"}}
            return 200, {}, {"login": {"result": "Success", "lgusername": params.get("lgname")}}
        if action == "query":
            title = params.get("titles", "")
            return (
                200,
                {},
                {
                    "curtimestamp": "2023-03-20T00:00:00Z",
                    "query": {"pages": [{"title": title, "missing": True}]},
                },
            )
        if action == "edit":
            return 200, {}, {"edit": {"result": "Success", "newrevid": 7, "newtimestamp": "x"}}
        return 200, {}, {"error": {"code": "unknown", "info": "unknown action"}}


class EchoSmtp:
    """An SMTP server on 127.0.0.1 (plain, as lc allows to loopback) that offers AUTH `mechanism`
    and refuses the login with 535, quoting what it was sent in the form `echo` says:

    - "plain": the AUTH PLAIN base64 as received; "login": AUTH LOGIN's two base64 parts;
    - "password-b64": the base64 of the password alone (decoded from what it got);
    - "urlencoded": the password URL-encoded; "literal": the password as is;
    - "embedded": base64 of a longer text that holds the password (any alignment).
    """

    def __init__(self, mechanism: str, echo: str) -> None:
        self.mechanism = mechanism
        self.echo = echo
        self.received: list[str] = []
        smtp = self

        class Handler(socketserver.StreamRequestHandler):
            def send(self, line: str) -> None:
                self.wfile.write((line + "\r\n").encode())

            def handle(self) -> None:
                self.send("220 echo.test ESMTP")
                parts: list[str] = []
                while True:
                    raw = self.rfile.readline()
                    if not raw:
                        return
                    line = raw.decode("utf-8", "replace").rstrip("\r\n")
                    smtp.received.append(line)
                    verb = line.split(" ", 1)[0].upper()
                    if verb in ("EHLO", "HELO"):
                        self.send("250-echo.test")
                        self.send(f"250 AUTH {smtp.mechanism}")
                    elif verb == "AUTH":
                        words = line.split()
                        parts = words[2:]
                        if smtp.mechanism == "LOGIN":
                            if not parts:
                                self.send("334 VXNlcm5hbWU6")
                                parts.append(self.rfile.readline().decode().strip())
                            self.send("334 UGFzc3dvcmQ6")
                            parts.append(self.rfile.readline().decode().strip())
                        self.send("535 5.7.8 Authentication failed: " + smtp.reply(parts))
                    elif verb == "QUIT":
                        self.send("221 bye")
                        return
                    else:
                        self.send("250 OK")

        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = int(self.server.server_address[1])
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def reply(self, parts: list[str]) -> str:
        decoded = [base64.b64decode(p + "=" * (-len(p) % 4)) for p in parts]
        password = decoded[-1].split(b"\0")[-1]
        if self.echo in ("plain", "login"):
            return " ".join(parts)
        if self.echo == "password-b64":
            return "got " + base64.b64encode(password).decode()
        if self.echo == "urlencoded":
            return "password=" + quote(password.decode(), safe="")
        if self.echo == "literal":
            return "password " + password.decode()
        if self.echo == "embedded":
            return "trace " + base64.b64encode(b"session 42 auth-data=" + password + b";").decode()
        raise AssertionError(self.echo)

    def __enter__(self) -> EchoSmtp:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
