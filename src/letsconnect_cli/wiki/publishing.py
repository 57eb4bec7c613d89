"""One `lc publish` run without the terminal: log in (unless a dry run), read the page, decide
(`publish.plan`), edit and record what lc published; and the bot password it logs in with.

    target = Target(api, title, owned_text, what="2027-03-13-lexemes", lang="en")
    result = publish_page(target, Connection(contact="team@example.org"), state_path, ...)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from letsconnect_cli.errors import RemoteError, UsageError

if TYPE_CHECKING:
    from letsconnect_cli.wiki.client import Credentials
    from letsconnect_cli.wiki.publish import PageEdit

Done = Literal["dry-run", "nochange", "created", "updated"]


@dataclass(frozen=True)
class Target:
    """What to publish where: the wiki's api.php, the page title, the text lc owns there, what
    it is (a clinic id, or "index") and its language tag."""

    api: str
    title: str
    owned: str
    what: str
    lang: str


@dataclass(frozen=True)
class Connection:
    """How to reach the wiki: the contact of the User-Agent, the timeout and retries."""

    contact: str
    timeout: float = 30.0
    max_retries: int = 3


@dataclass(frozen=True)
class PublishResult:
    """What the run did (`done`), what it decided, and the revision the page is at now."""

    done: Done
    decision: PageEdit
    api: str
    revid: int | None
    url: str
    state_path: Path

    @property
    def title(self) -> str:
        return self.decision.page.title


def page_url(api: str, title: str, revid: int | None) -> str:
    """The page (at a revision) on the wiki's index.php."""
    from urllib.parse import quote

    index = api.rsplit("/", 1)[0] + "/index.php"
    url = f"{index}?title={quote(title.replace(' ', '_'), safe='/:')}"
    return url + (f"&oldid={revid}" if revid is not None else "")


def publish_page(
    target: Target,
    connection: Connection,
    state_path: Path,
    *,
    credentials: Credentials | None,
    section: bool = False,
    force: bool = False,
    dry_run: bool = False,
    summary: str | None = None,
) -> PublishResult:
    """Publish `target.owned` to its page, never over someone else's edit of lc's text unless
    `force`: RemoteError (nothing changed) when lc refuses. A dry run reads the page as anyone
    may (no login) and changes nothing; its result carries the refusal for the caller to show
    before it raises."""
    from letsconnect_cli.wiki.client import MediaWiki
    from letsconnect_cli.wiki.publish import PublishState, diff_link, plan, record_for

    api = target.api
    state = PublishState(state_path)
    with MediaWiki(
        api,
        contact=connection.contact,
        timeout=connection.timeout,
        max_retries=connection.max_retries,
    ) as wiki:
        if credentials is not None and not dry_run:
            wiki.login(credentials)
        current = wiki.read_page(target.title)
        record = state.get(api, current.title)
        decision = plan(
            current,
            target.owned,
            record,
            section=section,
            force=force,
            diff_url=diff_link(api, record.revid if record else None, current.revid),
        )
        if dry_run:
            revid = decision.page.revid
            return PublishResult(
                "dry-run", decision, api, revid, page_url(api, current.title, revid), state.path
            )
        if decision.refusal:
            raise RemoteError(f"refused, nothing changed: {decision.refusal}", hint=decision.hint)
        revid = current.revid
        done: Done
        if decision.action == "nochange":
            done = "nochange"
            if record is None or record.revid != revid:
                state.put(record_for(api, current, what=target.what, lang=target.lang))
        else:
            default_summary = (
                "lc: calendar of upcoming Let's Connect Learning Clinics"
                if target.what == "index"
                else f"lc: Let's Connect Learning Clinic {target.what} ({target.lang})"
            )
            result = wiki.edit(current, decision.new_text, summary=summary or default_summary)
            saved = wiki.read_page(current.title)
            state.put(record_for(api, saved, what=target.what, lang=target.lang))
            revid = result.revid if result.revid is not None else saved.revid
            done = "created" if decision.action == "create" else "updated"
    return PublishResult(
        done, decision, api, revid, page_url(api, current.title, revid), state.path
    )


@dataclass(frozen=True)
class BotPassword:
    """The bot password found (or None) and a warning about its file, if any."""

    credentials: Credentials | None
    warning: str | None = None


def bot_password(
    username: str | None,
    password_file: Path | None,
    environ: Mapping[str, str] | None = None,
    *,
    required: bool,
    needed_by: str = "lc publish",
    grants: str = "grants: Edit existing pages; Create, edit, and move pages",
) -> BotPassword:
    """The bot password from LC_WIKI_PASSWORD or [wiki] password_file, never from a flag; with
    `required`, UsageError saying how to make one when it is missing. (Also the organiser's
    login of `--include-private`: `needed_by`, `grants`.)"""
    from letsconnect_cli.passwords import read_secret
    from letsconnect_cli.wiki.client import Credentials

    secret = read_secret("LC_WIKI_PASSWORD", password_file, "[wiki] password_file", environ)
    warning = secret.warning if secret is not None else None
    password = secret.value if secret is not None else None
    if username and password:
        return BotPassword(Credentials(username, password), warning)
    if not required:
        return BotPassword(None, warning)
    missing = "LC_WIKI_USERNAME" if not username else "LC_WIKI_PASSWORD (or [wiki] password_file)"
    raise UsageError(
        f"{needed_by} needs a bot password: {missing} is not set",
        hint=f"Create one at Special:BotPasswords ({grants}), then export "
        "LC_WIKI_USERNAME=Name@App and LC_WIKI_PASSWORD, or name a file holding "
        "the password in [wiki] password_file. Passwords are never given as flags.",
    )
