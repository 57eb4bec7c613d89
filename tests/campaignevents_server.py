"""A stand-in for Meta-Wiki's event registration on loopback: CampaignEvents' participants endpoint
and the Action API's bot-password login, on one HTTP server, following the extension's code.

No CI machine can run MediaWiki >= 1.47 with CampaignEvents (Debian ships 1.39), so this server
follows, line by line, wikimedia/mediawiki-extensions-CampaignEvents at commit
`EXTENSION_COMMIT` (21 August 2026):

- `src/Rest/campaignevents.v0.json`: `GET /campaignevents/v0/event_registration/{id}/participants`
  is `ListParticipantsHandler` (served under `/w/rest.php`);
- `ListParticipantsHandler::getParamSettings`: `include_private` is a REQUIRED boolean query
  parameter (ParamValidator's BooleanDef: true/t/yes/y/on/1, false/f/no/n/off/0/empty, else
  `badbool`); `last_participant_id` an integer; `username_filter` a string (empty: 400
  `campaignevents-rest-list-participants-empty-filter`). Parameters are validated before `run()`,
  so a missing `include_private` is 400 even for an event that does not exist;
- `run()`: no such event: 404 `campaignevents-rest-event-not-found` (EventIDParamTrait);
  `include_private=true` without `PermissionChecker::userCanViewPrivateParticipants` (an organiser
  of the event, or the `campaignevents-view-private-participants` right): 403
  `campaignevents-rest-list-participants-cannot-see-private`;
- `ParticipantsStore::getEventParticipants`: `RES_LIMIT` = 20 a page, ordered by participant id
  (`cep_id`), `cep_id > last_participant_id`, private registrations left out unless
  include_private;
- `getResponseData()`: `participant_id`, `user_id`, `user_registered_at` (TS_MW),
  `user_registered_at_formatted`, `private`; then `hidden: true` (suppressed) or `not_found: true`
  with nothing more, else `user_name`, `user_page` {path, title, classes} and, for organisers who
  may email participants, `user_is_valid_recipient`; `non_pii_answers` only for organisers and an
  event not over: the aggregated message string once the person's answers were aggregated, else a
  list of `{"message", "questionID"}` for each non-PII question the event asks (4 confidence,
  5 affiliate; EventQuestionsRegistry), "No response" when unanswered, the option's label, then
  MediaWiki's colon-separator and the free text (affiliate "Yes" with a name);
- MediaWiki's REST errors (ResponseFactory::createLocalizedHttpError): a JSON body with
  `errorKey`, `messageTranslations`, `httpCode`, `httpReason`.

Login: `GET api.php?action=query&meta=tokens&type=login` starts a session (cookie) and gives its
login token; `POST action=login` with lgname (Name@App), lgpassword and lgtoken logs the session in
as Name (a new session id, as MediaWiki renews it). Only that cookie makes a request an
organiser's.
"""

from __future__ import annotations

import contextlib
import json
import re
import secrets
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, parse_qsl, urlsplit

EXTENSION_COMMIT = "8cee23927764445408a89542d7fe5048245d320e"
REST_PREFIX = "/w/rest.php/campaignevents/v0/event_registration/"
API_PATH = "/w/api.php"
SESSION_COOKIE = "metawiki_session"
RES_LIMIT = 20
_TRUE = ("true", "t", "yes", "y", "on", "1")
_FALSE = ("false", "f", "no", "n", "off", "0", "")
#: English texts of the extension's messages (i18n/en.json) and MediaWiki's colon-separator.
NO_RESPONSE = "No response"
AGGREGATED = "This participant's responses have been aggregated and deleted"
COLON_SEPARATOR = ":&#32;"  # core's en.json; the text formatter leaves the entity as it is
OPTIONS = {
    4: {
        0: "Prefer not to say",
        1: "I have never contributed to a Wikimedia project before",
        2: "I have some experience, but don't feel confident",
        3: "I have some experience, and feel confident contributing, but would like to learn more",
        4: "I am confident that I can contribute without any support",
    },
    5: {1: "Yes", 2: "No"},
}
MESSAGES = {
    "campaignevents-rest-event-not-found": "There is no event with this ID.",
    "campaignevents-rest-list-participants-empty-filter": (
        "The username filter, if specified, must be a non-empty string."
    ),
    "campaignevents-rest-list-participants-cannot-see-private": (
        "You are not authorized to view participants who registered privately for this event."
    ),
}
_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


@dataclass
class Participant:
    participant_id: int
    user_id: int
    name: str | None  # None: the account is hidden (suppressed), or missing with `missing`
    registered_at: str  # TS_MW, YYYYMMDDHHMMSS
    private: bool = False
    missing: bool = False  # not_found instead of hidden
    answers: dict[int, tuple[int, str | None]] = field(default_factory=dict)  # q -> (option, text)
    aggregated: bool = False
    valid_recipient: bool = True


@dataclass
class Event:
    id: int
    organisers: set[str]
    participants: list[Participant]
    questions: tuple[int, ...] = (4, 5)  # non-PII questions the event asks
    past: bool = False


@dataclass
class Wiki:
    """The server's state, and what it saw (for assertions)."""

    events: dict[int, Event]
    bot_passwords: dict[str, str]  # "Name@App" -> password
    sessions: dict[str, str | None] = field(default_factory=dict)  # session id -> user or None
    login_tokens: dict[str, str] = field(default_factory=dict)  # session id -> token
    requests: list[tuple[str, str, str | None]] = field(default_factory=list)  # method, path, user
    lock: threading.Lock = field(default_factory=threading.Lock)


def _formatted(stamp: str) -> str:
    """Language::userTimeAndDate in English: '06:15, 26 March 2023'."""
    month = _MONTHS[int(stamp[4:6]) - 1]
    return f"{stamp[8:10]}:{stamp[10:12]}, {int(stamp[6:8])} {month} {stamp[:4]}"


def _item(participant: Participant, event: Event, organiser: bool) -> dict[str, Any]:
    """One participant as ListParticipantsHandler::getResponseData writes it."""
    item: dict[str, Any] = {
        "participant_id": participant.participant_id,
        "user_id": participant.user_id,
        "user_registered_at": participant.registered_at,
        "user_registered_at_formatted": _formatted(participant.registered_at),
        "private": participant.private,
    }
    if participant.name is None:
        item["not_found" if participant.missing else "hidden"] = True
    else:
        title = f"User:{participant.name}"
        item["user_name"] = participant.name
        item["user_page"] = {
            "path": "/wiki/" + title.replace(" ", "_"),
            "title": title,
            "classes": "mw-userlink",
        }
        if organiser:  # userCanEmailParticipants: an organiser with the email right
            item["user_is_valid_recipient"] = participant.valid_recipient
    if organiser and not event.past:  # userCanViewNonPIIParticipantsData, event not over
        if participant.aggregated:
            item["non_pii_answers"] = AGGREGATED
        else:
            answers = []
            for question in event.questions:
                message = NO_RESPONSE
                if question in participant.answers:
                    option, text = participant.answers[question]
                    message = OPTIONS[question][option]
                    if text:
                        message += COLON_SEPARATOR + text
                answers.append({"message": message, "questionID": question})
            item["non_pii_answers"] = answers
    return item


class _Handler(BaseHTTPRequestHandler):
    wiki: Wiki

    def log_message(self, format: str, *args: object) -> None:
        pass

    # --- plumbing -------------------------------------------------------------------------------

    def _session(self) -> str | None:
        cookie = SimpleCookie(self.headers.get("Cookie", ""))
        morsel = cookie.get(SESSION_COOKIE)
        return morsel.value if morsel is not None and morsel.value in self.wiki.sessions else None

    def _json(self, status: int, data: Any, session: str | None = None) -> None:
        body = json.dumps(data).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        if session is not None:
            self.send_header("Set-Cookie", f"{SESSION_COOKIE}={session}; path=/; HttpOnly")
        self.end_headers()
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.wfile.write(body)

    def _error(self, status: int, key: str, **extra: Any) -> None:
        reasons = {400: "Bad Request", 403: "Forbidden", 404: "Not Found"}
        text = MESSAGES.get(key, key)
        self._json(
            status,
            {
                **extra,
                "messageTranslations": {"en": text},
                "errorKey": key,
                "httpCode": status,
                "httpReason": reasons[status],
            },
        )

    def _param_error(self, name: str, code: str, value: Any = None) -> None:
        self._error(
            400,
            f"paramvalidator-{code}",
            error="parameter-validation-failed",
            name=name,
            value=value,
            failureCode=code,
            failureData=None,
        )

    # --- the Action API: bot-password login ------------------------------------------------------

    def do_POST(self) -> None:
        parts = urlsplit(self.path)
        length = int(self.headers.get("Content-Length", "0"))
        form = dict(parse_qsl(self.rfile.read(length).decode(), keep_blank_values=True))
        session = self._session()
        with self.wiki.lock:
            self.wiki.requests.append(("POST", self.path, self.wiki.sessions.get(session or "")))
        if parts.path != API_PATH or form.get("action") != "login":
            self._json(200, {"error": {"code": "badvalue", "info": "Unrecognized value."}})
            return
        token = self.wiki.login_tokens.get(session or "")
        if token is None or form.get("lgtoken") != token:
            self._json(200, {"login": {"result": "Failed", "reason": "Session timed out."}})
            return
        name = form.get("lgname", "")
        if self.wiki.bot_passwords.get(name) != form.get("lgpassword"):
            self._json(
                200,
                {
                    "login": {
                        "result": "Failed",
                        "reason": "Incorrect username or password entered. Please try again.",
                    }
                },
            )
            return
        user = name.split("@", 1)[0]
        fresh = secrets.token_hex(16)  # MediaWiki renews the session id on login
        with self.wiki.lock:
            self.wiki.sessions.pop(session or "", None)
            self.wiki.sessions[fresh] = user
        self._json(200, {"login": {"result": "Success", "lguserid": 7, "lgusername": user}}, fresh)

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        session = self._session()
        user = self.wiki.sessions.get(session or "")
        with self.wiki.lock:
            self.wiki.requests.append(("GET", self.path, user))
        if parts.path == API_PATH:
            self._tokens(parse_qs(parts.query), session)
        elif parts.path.startswith(REST_PREFIX) and parts.path.endswith("/participants"):
            self._participants(parts.path[len(REST_PREFIX) : -len("/participants")], parts, user)
        else:
            self._json(
                404, {"httpCode": 404, "httpReason": "Not Found", "errorKey": "rest-no-match"}
            )

    def _tokens(self, query: dict[str, list[str]], session: str | None) -> None:
        if query.get("meta") != ["tokens"] or query.get("type") != ["login"]:
            self._json(200, {"error": {"code": "badvalue", "info": "Unrecognized value."}})
            return
        new = session is None
        if session is None:
            session = secrets.token_hex(16)
        token = secrets.token_hex(16) + "+\\"
        with self.wiki.lock:
            self.wiki.sessions.setdefault(session, None)
            self.wiki.login_tokens[session] = token
        self._json(
            200,
            {"batchcomplete": True, "query": {"tokens": {"logintoken": token}}},
            session if new else None,
        )

    # --- ListParticipantsHandler ----------------------------------------------------------------

    def _participants(self, raw_id: str, parts: Any, user: str | None) -> None:
        query = parse_qs(parts.query, keep_blank_values=True)
        # Parameter validation (Validator, before run()): the path id, then the query parameters.
        if not re.fullmatch(r"-?\d+", raw_id):
            self._param_error("id", "badinteger", raw_id)
            return
        if "include_private" not in query:
            self._param_error("include_private", "missingparam")
            return
        flag = query["include_private"][-1].lower()
        if flag not in _TRUE + _FALSE:
            self._param_error("include_private", "badbool", flag)
            return
        include_private = flag in _TRUE
        last = query.get("last_participant_id", [None])[-1]
        if last is not None and not re.fullmatch(r"-?\d+", last):
            self._param_error("last_participant_id", "badinteger", last)
            return
        username_filter = query.get("username_filter", [None])[-1]
        # run()
        event = self.wiki.events.get(int(raw_id))
        if event is None:
            self._error(404, "campaignevents-rest-event-not-found")
            return
        if username_filter == "":
            self._error(400, "campaignevents-rest-list-participants-empty-filter")
            return
        organiser = user is not None and user in event.organisers
        if include_private and not organiser:
            self._error(403, "campaignevents-rest-list-participants-cannot-see-private")
            return
        chosen = sorted(event.participants, key=lambda p: p.participant_id)
        if last is not None:
            chosen = [p for p in chosen if p.participant_id > int(last)]
        if not include_private:
            chosen = [p for p in chosen if not p.private]
        if username_filter is not None:
            needle = username_filter.casefold()
            chosen = [p for p in chosen if p.name and needle in p.name.casefold()]
        page = [_item(p, event, organiser) for p in chosen[:RES_LIMIT]]
        self._json(200, page)


@contextlib.contextmanager
def serve(wiki: Wiki) -> Iterator[str]:
    """The wiki on 127.0.0.1 (a free port) while the block runs; yields its base URL."""
    handler = type("Handler", (_Handler,), {"wiki": wiki})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)
