"""`lc publish`'s work as a library call, without Typer: wiki.publishing.publish_page, bot_password."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from letsconnect_cli.errors import RemoteError, UsageError


@dataclass
class FakeWiki:
    """The MediaWiki client's surface that publish_page uses, with one page in memory."""

    pages: dict[str, str] = field(default_factory=dict)
    edits: list[str] = field(default_factory=list)
    logged_in: bool = False
    revid: int = 100

    def __call__(self, api: str, **options: Any) -> FakeWiki:
        return self

    def __enter__(self) -> FakeWiki:
        return self

    def __exit__(self, *exc: object) -> None:
        pass

    def login(self, credentials: Any) -> None:
        self.logged_in = True

    def read_page(self, title: str) -> Any:
        from letsconnect_cli.wiki.client import Page

        text = self.pages.get(title)
        revid = self.revid if text is not None else None
        return Page(title, text is not None, text or "", revid, None, "2027-01-01T00:00:00Z")

    def edit(self, page: Any, text: str, *, summary: str) -> Any:
        from letsconnect_cli.wiki.client import EditResult

        self.revid += 1
        self.pages[page.title] = text
        self.edits.append(summary)
        return EditResult(self.revid, None, False)


@pytest.fixture
def wiki(monkeypatch: pytest.MonkeyPatch) -> FakeWiki:
    from letsconnect_cli.wiki import client

    fake = FakeWiki()
    monkeypatch.setattr(client, "MediaWiki", fake)
    return fake


API = "https://meta.wikimedia.org/w/api.php"


def test_publish_page_creates_records_and_then_has_nothing_to_change(
    tmp_path: Path, wiki: FakeWiki
) -> None:
    from letsconnect_cli.wiki.client import Credentials
    from letsconnect_cli.wiki.publishing import Connection, Target, publish_page

    target = Target(API, "Let's Connect/Test", "Hello", "2027-03-13-x", "en")
    state = tmp_path / ".lc-published.toml"
    done = publish_page(
        target, Connection("team@example.org"), state, credentials=Credentials("A@b", "pw")
    )
    assert (done.done, done.revid, wiki.logged_in) == ("created", 101, True)
    assert wiki.edits == ["lc: Let's Connect Learning Clinic 2027-03-13-x (en)"]
    assert done.url.endswith("index.php?title=Let%27s_Connect/Test&oldid=101")
    assert state.is_file()
    again = publish_page(target, Connection("team@example.org"), state, credentials=None)
    assert again.done == "nochange" and len(wiki.edits) == 1


def test_publish_page_refuses_over_someone_elses_edit(tmp_path: Path, wiki: FakeWiki) -> None:
    from letsconnect_cli.wiki.publishing import Connection, Target, publish_page

    wiki.pages["P"] = "someone's page"
    target = Target(API, "P", "lc's text", "index", "en")
    dry = publish_page(
        target, Connection("t@example.org"), tmp_path / "s", credentials=None, dry_run=True
    )
    assert dry.done == "dry-run" and dry.decision.refusal and wiki.edits == []
    with pytest.raises(RemoteError, match="refused, nothing changed"):
        publish_page(target, Connection("t@example.org"), tmp_path / "s", credentials=None)
    forced = publish_page(
        target, Connection("t@example.org"), tmp_path / "s", credentials=None, force=True
    )
    assert forced.done == "updated" and wiki.pages["P"] == "lc's text"
    assert wiki.edits == ["lc: calendar of upcoming Let's Connect Learning Clinics"]


def test_bot_password_from_the_environment_or_a_clear_error(tmp_path: Path) -> None:
    from letsconnect_cli.wiki.publishing import bot_password

    found = bot_password("Name@App", None, {"LC_WIKI_PASSWORD": "secret"}, required=True)
    assert found.credentials is not None and found.credentials.password == "secret"
    assert bot_password(None, None, {}, required=False).credentials is None
    with pytest.raises(UsageError, match="LC_WIKI_USERNAME is not set"):
        bot_password(None, None, {"LC_WIKI_PASSWORD": "x"}, required=True)
