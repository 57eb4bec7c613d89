"""`lc publish` against a real MediaWiki (Debian's package, SQLite, PHP's built-in server).

Skips with the reason when PHP or MediaWiki is missing; fails instead under LC_REQUIRE_SERVERS=1
(as in CI).
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.conftest import integration_only, invoke
from tests.mediawiki import Wiki, require_mediawiki, start_wiki

CLINIC = "2023-04-02-travel-scholarships"
HOSTILE = (
    "Pipes | {{templates}} [[links]] ''italic'' '''bold''' <b>tags</b> ~~~~ "
    "__NOTOC__ &amp; = * end'"
)


@pytest.fixture(scope="session")
def wiki(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Wiki]:
    require_mediawiki()
    server = start_wiki(tmp_path_factory.mktemp("mediawiki"))
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def site(project: Path, wiki: Wiki, monkeypatch: pytest.MonkeyPatch) -> Wiki:
    """The project pointed at the test wiki, logged in with the administrator's bot password."""
    integration_only("a real MediaWiki")
    monkeypatch.setenv("LC_WIKI_API_URL", wiki.api_url)
    monkeypatch.setenv("LC_WIKI_USERNAME", wiki.bot_user)
    monkeypatch.setenv("LC_WIKI_PASSWORD", wiki.bot_password)
    return wiki


def announcement(runner, clinic: str = CLINIC) -> str:
    result = invoke(runner, "announce", clinic, "--format", "wikitext")
    assert result.exit_code == 0, result.stderr
    return str(result.stdout)


def records(project: Path) -> list[dict[str, object]]:
    return list(tomllib.loads((project / "clinics" / ".lc-published.toml").read_text())["page"])


@pytest.mark.integration
@pytest.mark.slow
def test_publish_creates_the_page_then_updates_it_when_the_clinic_changes(runner, project, site):
    page = "Test/create and update"
    result = invoke(runner, "publish", CLINIC, "--page", page)
    assert result.exit_code == 0, result.stderr
    assert "created Test/create and update: revision" in result.stderr
    assert site.text(page) == announcement(runner).rstrip()
    [record] = records(project)
    assert record["title"] == page and record["what"] == CLINIC and record["mode"] == "page"
    first = site.revisions(page)
    assert record["revid"] == first[0]["revid"]
    assert first[0]["user"] == "Admin" and CLINIC in str(first[0]["comment"])

    clinic_file = project / "clinics" / f"{CLINIC}.toml"
    clinic_file.write_text(
        clinic_file.read_text().replace('platform = "Zoom"', 'platform = "Zoom webinar"')
    )
    result = invoke(runner, "publish", CLINIC, "--page", page, "--summary", "platform changed")
    assert result.exit_code == 0, result.stderr
    assert "Zoom webinar" in (site.text(page) or "")
    revisions = site.revisions(page)
    assert len(revisions) == 2 and revisions[0]["comment"] == "platform changed"
    assert records(project)[0]["revid"] == revisions[0]["revid"]

    # Nothing changed: no edit, and lc says so.
    result = invoke(runner, "publish", CLINIC, "--page", page)
    assert result.exit_code == 0 and "no change" in result.stderr
    assert len(site.revisions(page)) == 2


@pytest.mark.integration
@pytest.mark.slow
def test_a_human_edit_in_between_makes_publish_refuse_and_force_overwrite(runner, project, site):
    page = "Test/human edit"
    assert invoke(runner, "publish", CLINIC, "--page", page).exit_code == 0
    human_text = (site.text(page) or "") + "\nAsk Anthony for the recording!"
    site.human_edit(page, human_text)
    human_revision = site.revisions(page)[0]["revid"]

    result = invoke(runner, "publish", CLINIC, "--page", page)
    assert result.exit_code == 5
    assert "someone else edited Test/human edit since lc published revision" in result.stderr
    assert f"diff={human_revision}" in result.stderr
    assert site.text(page) == human_text  # the human edit is intact
    assert site.revisions(page)[0]["revid"] == human_revision

    result = invoke(runner, "publish", CLINIC, "--page", page, "--force")
    assert result.exit_code == 0, result.stderr
    assert site.text(page) == announcement(runner).rstrip()
    # ... and from then on lc owns the page again.
    assert invoke(runner, "publish", CLINIC, "--page", page).exit_code == 0


@pytest.mark.integration
def test_dry_run_prints_a_diff_and_changes_nothing(runner, project, site):
    page = "Test/dry run"
    result = invoke(runner, "publish", CLINIC, "--page", page, "--dry-run")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("--- Test/dry run (new page)\n+++ Test/dry run (lc)\n")
    assert "+* '''Platform:''' Zoom" in result.stdout
    assert site.text(page) is None
    assert not (project / "clinics" / ".lc-published.toml").exists()

    assert invoke(runner, "publish", CLINIC, "--page", page).exit_code == 0
    before = site.revisions(page)
    clinic_file = project / "clinics" / f"{CLINIC}.toml"
    clinic_file.write_text(
        clinic_file.read_text().replace('platform = "Zoom"', 'platform = "Jitsi"')
    )
    result = invoke(runner, "publish", CLINIC, "--page", page, "-n", "--json")
    assert result.exit_code == 0, result.stderr
    import json

    data = json.loads(result.stdout)
    assert data["action"] == "update" and data["refusal"] is None
    assert "-* '''Platform:''' Zoom\n+* '''Platform:''' Jitsi\n" in data["diff"]
    assert site.revisions(page) == before


@pytest.mark.integration
def test_dry_run_needs_no_credentials_and_reports_a_refusal(runner, project, site, monkeypatch):
    page = "Test/dry run refusal"
    site.human_edit(page, "A page people wrote.")
    monkeypatch.delenv("LC_WIKI_PASSWORD")
    result = invoke(runner, "publish", CLINIC, "--page", page, "--dry-run")
    assert result.exit_code == 5
    assert "-A page people wrote." in result.stdout
    assert (
        "lc would refuse: Test/dry run refusal exists and lc has no record of publishing it"
        in result.stderr
    )
    assert site.text(page) == "A page people wrote."


@pytest.mark.integration
def test_a_wrong_password_fails_clearly_and_is_never_shown(runner, project, site, monkeypatch):
    monkeypatch.setenv("LC_WIKI_PASSWORD", "not-the-password-2718")
    result = invoke(runner, "publish", CLINIC, "--page", "Test/wrong password")
    assert result.exit_code == 5
    assert (
        f"login to {site.api_url} as Admin@lc failed: Incorrect username or password"
        in result.stderr
    )
    assert "not-the-password-2718" not in result.stdout + result.stderr
    assert site.text("Test/wrong password") is None


@pytest.mark.integration
def test_the_password_can_come_from_a_file(runner, project, site, monkeypatch):
    secret = project / "wiki-password"
    secret.write_text(site.bot_password + "\n")
    secret.chmod(0o600)
    monkeypatch.delenv("LC_WIKI_PASSWORD")
    with (project / "lc.toml").open("a") as config:
        config.write('\n[wiki]\npassword_file = "wiki-password"\n')
    result = invoke(runner, "publish", CLINIC, "--page", "Test/password file")
    assert result.exit_code == 0, result.stderr
    assert site.bot_password not in result.stdout + result.stderr
    assert "can be read by other users" not in result.stderr


@pytest.mark.integration
@pytest.mark.slow
def test_marked_section_mode_keeps_the_text_around_the_markers(runner, project, site):
    page = "Test/marked section"
    site.human_edit(
        page,
        "Intro by a human.\n<!-- lc:begin -->\nold text\n<!-- lc:end -->\n[[Category:Clinics]]",
    )
    result = invoke(runner, "publish", CLINIC, "--page", page)
    assert result.exit_code == 0, result.stderr
    expected = (
        "Intro by a human.\n<!-- lc:begin -->\n"
        + announcement(runner).rstrip()
        + "\n<!-- lc:end -->\n[[Category:Clinics]]"
    )
    assert site.text(page) == expected
    assert records(project)[0]["mode"] == "section"

    # Edits around the markers are the humans' own: lc keeps them and publishes.
    site.human_edit(page, (site.text(page) or "").replace("Intro by a human.", "A better intro."))
    clinic_file = project / "clinics" / f"{CLINIC}.toml"
    clinic_file.write_text(
        clinic_file.read_text().replace('platform = "Zoom"', 'platform = "Zoom webinar"')
    )
    result = invoke(runner, "publish", CLINIC, "--page", page)
    assert result.exit_code == 0, result.stderr
    text = site.text(page) or ""
    assert text.startswith("A better intro.\n<!-- lc:begin -->\n") and "Zoom webinar" in text
    assert text.endswith("<!-- lc:end -->\n[[Category:Clinics]]")

    # An edit inside lc's section is refused, and kept.
    inside = text.replace("Zoom webinar", "Zoom webinar (bring headphones)")
    site.human_edit(page, inside)
    result = invoke(runner, "publish", CLINIC, "--page", page)
    assert result.exit_code == 5 and "edited lc's section of Test/marked section" in result.stderr
    assert site.text(page) == inside


@pytest.mark.integration
def test_section_flag_creates_a_page_with_markers(runner, project, site):
    page = "Test/section flag"
    assert invoke(runner, "publish", CLINIC, "--page", page, "--section").exit_code == 0
    text = site.text(page) or ""
    assert text.startswith("<!-- lc:begin -->\n<div") and text.endswith("</div>\n<!-- lc:end -->")


@pytest.mark.integration
def test_an_existing_page_lc_did_not_write_is_refused_unless_forced(runner, project, site):
    page = "Test/human page"
    site.human_edit(page, "Written by people.")
    result = invoke(runner, "publish", CLINIC, "--page", page)
    assert result.exit_code == 5 and "lc has no record of publishing it" in result.stderr
    assert site.text(page) == "Written by people."
    assert invoke(runner, "publish", CLINIC, "--page", page, "--force").exit_code == 0
    assert site.text(page) == announcement(runner).rstrip()


@pytest.mark.integration
@pytest.mark.slow
def test_protected_page_blocked_user_and_missing_rights_fail_clearly(
    runner, project, site, monkeypatch
):
    page = "Test/protected"
    assert invoke(runner, "publish", CLINIC, "--page", page).exit_code == 0
    site.protect(page)
    user, password = site.add_bot("Plain Editor")
    monkeypatch.setenv("LC_WIKI_USERNAME", user)
    monkeypatch.setenv("LC_WIKI_PASSWORD", password)
    clinic_file = project / "clinics" / f"{CLINIC}.toml"
    clinic_file.write_text(
        clinic_file.read_text().replace('platform = "Zoom"', 'platform = "Jitsi"')
    )
    result = invoke(runner, "publish", CLINIC, "--page", page)
    assert result.exit_code == 5 and "the page is protected" in result.stderr, result.stderr

    user, password = site.add_bot("Read Only", grants="basic")
    monkeypatch.setenv("LC_WIKI_USERNAME", user)
    monkeypatch.setenv("LC_WIKI_PASSWORD", password)
    result = invoke(runner, "publish", CLINIC, "--page", "Test/no rights")
    assert result.exit_code == 5
    assert "may not" in result.stderr or "does not allow" in result.stderr, result.stderr
    assert "Special:BotPasswords" in result.stderr

    user, password = site.add_bot("Blocked Editor")
    site.block("Blocked Editor")
    monkeypatch.setenv("LC_WIKI_USERNAME", user)
    monkeypatch.setenv("LC_WIKI_PASSWORD", password)
    result = invoke(runner, "publish", CLINIC, "--page", "Test/blocked")
    assert result.exit_code == 5 and "blocked" in result.stderr, result.stderr
    assert site.text("Test/no rights") is None and site.text("Test/blocked") is None


class _Text(HTMLParser):
    """The text of each h2 and li of rendered HTML, and the tags found inside them."""

    def __init__(self) -> None:
        super().__init__()
        self.items: list[tuple[str, str, list[str]]] = []  # (tag, text, inner tags)
        self._open: list[int] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for index in self._open:
            self.items[index][2].append(tag)
        if tag in ("h2", "li"):
            self.items.append((tag, "", []))
            self._open.append(len(self.items) - 1)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("h2", "li") and self._open:
            self._open.pop()

    def handle_data(self, data: str) -> None:
        for index in self._open:
            tag, text, inner = self.items[index]
            self.items[index] = (tag, text + data, inner)


@pytest.mark.integration
def test_a_hostile_title_renders_literally_on_a_real_wiki(runner, project, site):
    clinic_file = project / "clinics" / f"{CLINIC}.toml"
    text = clinic_file.read_text()
    title_line = next(line for line in text.splitlines() if line.startswith("title = "))
    hostile = HOSTILE.replace("\\", "\\\\").replace('"', '\\"')
    text = text.replace(title_line, f'title = "{hostile}"')
    clinic_file.write_text(text.replace('platform = "Zoom"', f'platform = "{hostile}"'))
    page = "Test/hostile"
    result = invoke(runner, "publish", CLINIC, "--page", page)
    assert result.exit_code == 0, result.stderr
    parser = _Text()
    parser.feed(site.parse_html(site.text(page) or ""))
    [(_, heading, inner)] = [item for item in parser.items if item[0] == "h2"]
    assert heading.replace("[edit]", "").strip() == f"Let's Connect Learning Clinic: {HOSTILE}"
    assert set(inner) <= {
        "span",
        "a",
    }  # only the section-edit link: no <b>, <i>, links or templates
    [platform] = [item for item in parser.items if item[1].startswith("Platform:")]
    assert platform[1] == f"Platform: {HOSTILE}" and platform[2] == ["b"]  # the label's own bold
    assert parser.items[-1][1].startswith("Contact:")  # nothing after the list was swallowed


@pytest.mark.integration
def test_index_publishes_the_calendar_of_upcoming_clinics(runner, project, site):
    page = "Test/calendar"
    result = invoke(runner, "publish", "--index", "--page", page, "--as-of", "2023-03-01")
    assert result.exit_code == 0, result.stderr
    text = site.text(page) or ""
    assert '{| class="wikitable sortable"' in text
    assert (
        f"[[Grants:Knowledge Sharing/Connect/Learning Clinics/{CLINIC}|Guidelines, best practices"
        in text
    )
    assert "Copyright Clinic" not in text  # 21 February 2023 is over on 1 March
    assert "* Partnership Building Case Study with Wikimedia Indonesia" in text  # proposed, no date
    html = site.parse_html(text)
    assert html.count("<tr") == 2  # the header and the one upcoming clinic
    assert records(project)[0]["what"] == "index"

    # A month earlier the February clinic is upcoming too: the table grows, lc owns the page.
    result = invoke(runner, "publish", "--index", "--page", page, "--as-of", "2023-02-01")
    assert result.exit_code == 0, result.stderr
    assert site.parse_html(site.text(page) or "").count("<tr") == 3


def test_unreachable_wiki_fails_with_exit_5(runner, project, monkeypatch):
    from tests.mediawiki import free_port

    monkeypatch.setenv("LC_WIKI_USERNAME", "Someone@lc")
    monkeypatch.setenv("LC_WIKI_PASSWORD", "secret-123")
    result = invoke(
        runner, "publish", CLINIC, "--api-url", f"http://127.0.0.1:{free_port()}/w/api.php"
    )
    assert result.exit_code == 5
    assert "cannot reach the wiki" in result.stderr and "secret-123" not in result.stderr


def test_missing_mediawiki_skips_locally_and_fails_in_ci(monkeypatch):
    import shutil

    monkeypatch.setattr(shutil, "which", lambda name: None)
    monkeypatch.delenv("LC_REQUIRE_SERVERS", raising=False)
    with pytest.raises(pytest.skip.Exception, match=r"php missing.*apt-get install"):
        require_mediawiki()
    monkeypatch.setenv("LC_REQUIRE_SERVERS", "1")
    with pytest.raises(pytest.fail.Exception, match="LC_REQUIRE_SERVERS=1 makes this a failure"):
        require_mediawiki()
