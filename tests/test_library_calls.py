"""The work of `lc invite`, `lc new-clinic` and `lc publish` as library calls, without Typer:
what a command does once its flags are parsed, and what it renders."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from letsconnect_cli.config import Config, Organiser
from letsconnect_cli.errors import FileExistsRefusal, RemoteError, UsageError
from tests.conftest import copy_seed_clinics

STAMP = datetime(2023, 3, 1, tzinfo=UTC)


def _config(tmp_path: Path, **organiser: str) -> Config:
    return Config(
        clinics_dir=tmp_path / "clinics",
        organiser=Organiser(**organiser) if organiser else Organiser("Team", "team@example.org"),
    )


# --- lc invite: invites.issuing.issue -----------------------------------------------------------


def test_issue_writes_the_invites_and_the_feed_and_records_them(tmp_path: Path) -> None:
    from letsconnect_cli.invites import issuing

    clinics = copy_seed_clinics(tmp_path / "clinics")
    request = issuing.Request(clinic_ids=("2023-04-02-travel-scholarships",))
    result = issuing.issue(clinics, request, _config(tmp_path), dtstamp=STAMP, at=STAMP)

    assert result.plan is not None and result.broken is None
    [invite] = result.plan.invites
    assert invite.path == tmp_path / "invites" / "2023-04-02-travel-scholarships.ics"
    assert result.outcomes[invite.path] == "created"
    assert result.outcomes[result.plan.feed_path] == "created"
    assert invite.path.read_bytes() == invite.data
    assert result.ledger_written and result.ledger_path == clinics / ".lc-issued.toml"

    again = issuing.issue(clinics, request, _config(tmp_path), dtstamp=STAMP, at=STAMP)
    assert set(again.outcomes.values()) == {"unchanged"}
    assert not again.ledger_written


def test_issue_dry_run_writes_nothing(tmp_path: Path) -> None:
    from letsconnect_cli.invites import issuing

    clinics = copy_seed_clinics(tmp_path / "clinics")
    request = issuing.Request(every=True, dry_run=True, out_dir=tmp_path / "out")
    result = issuing.issue(clinics, request, _config(tmp_path), dtstamp=STAMP, at=STAMP)
    assert result.plan is not None and len(result.plan.invites) == 3
    assert result.outcomes == {} and not result.ledger_written
    assert not (tmp_path / "out").exists() and not (clinics / ".lc-issued.toml").exists()


def test_issue_with_nothing_to_invite_plans_nothing(tmp_path: Path) -> None:
    from letsconnect_cli.invites import issuing

    clinics = copy_seed_clinics(tmp_path / "clinics")
    later = datetime(2030, 1, 1, tzinfo=UTC)
    result = issuing.issue(clinics, issuing.Request(), _config(tmp_path), dtstamp=STAMP, at=later)
    assert result.nothing and result.outcomes == {}


def test_issue_needs_the_organisers_email(tmp_path: Path) -> None:
    from letsconnect_cli.invites import issuing

    clinics = copy_seed_clinics(tmp_path / "clinics")
    config = Config(clinics_dir=clinics)
    with pytest.raises(UsageError, match="organiser's email"):
        issuing.issue(clinics, issuing.Request(every=True), config, dtstamp=STAMP)


# --- lc new-clinic: clinic.creation -------------------------------------------------------------


def _fields(**changes: Any) -> dict[str, Any]:
    from letsconnect_cli.clinic.creation import complete

    fields = {
        "title": "Lexemes on Wikidata",
        "category": "technical",
        "status": "scheduled",
        "start": datetime(2027, 3, 13, 6, tzinfo=UTC),
        **changes,
    }
    return complete(fields, default_region="ESEAP")


def test_create_clinic_writes_a_file_that_reads_back(tmp_path: Path) -> None:
    from letsconnect_cli.clinic.clinics import read_clinic_file
    from letsconnect_cli.clinic.creation import create_clinic

    created = create_clinic(tmp_path, "2027-03-13-lexemes", _fields())
    assert created.written and created.path == tmp_path / "2027-03-13-lexemes.toml"
    back = read_clinic_file(created.path).clinic
    assert back == created.clinic
    assert back.regions == ["ESEAP"] and back.language == "en"
    assert back.calendar.uid and back.calendar.uid.endswith("@letsconnect")
    assert created.text() == created.path.read_text(encoding="utf-8")


def test_create_clinic_never_overwrites_without_force_and_keeps_the_uid(tmp_path: Path) -> None:
    from letsconnect_cli.clinic.creation import create_clinic

    first = create_clinic(tmp_path, "2027-03-13-lexemes", _fields())
    with pytest.raises(FileExistsRefusal):
        create_clinic(tmp_path, "2027-03-13-lexemes", _fields(title="Other"))
    with pytest.raises(FileExistsRefusal):
        create_clinic(tmp_path, "2027-03-13-lexemes", _fields(), dry_run=True)
    again = create_clinic(tmp_path, "2027-03-13-lexemes", _fields(title="Other"), force=True)
    assert again.clinic.calendar.uid == first.clinic.calendar.uid


def test_create_clinic_dry_run_writes_nothing_and_names_problems_by_flag(tmp_path: Path) -> None:
    from letsconnect_cli.clinic.creation import create_clinic
    from letsconnect_cli.errors import ValidationFailed

    dry = create_clinic(tmp_path, "2027-03-13-lexemes", _fields(), dry_run=True)
    assert not dry.written and not dry.path.exists() and "Lexemes on Wikidata" in dry.text()
    with pytest.raises(ValidationFailed) as caught:
        create_clinic(
            tmp_path, "2027-03-13-x", _fields(title="Bell\x07"), names={"title": "--title"}
        )
    assert [p.field for p in caught.value.problems] == ["--title"]


# --- lc publish: wiki.publishing ----------------------------------------------------------------


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
