"""`lc affiliates update` against a real MediaWiki holding a Module:Organizational_Informations
shaped like Meta-Wiki's (Scribunto's Module namespace when Lua is installed, as on Meta-Wiki).

Skips with the reason when PHP or MediaWiki is missing; fails instead under LC_REQUIRE_SERVERS=1.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import DATA, integration_only, invoke
from tests.mediawiki import LUA, Wiki, require_mediawiki, start_wiki

pytestmark = pytest.mark.integration

FIXTURES = DATA / "report" / "affiliates"
MODULE = (FIXTURES / "Organizational_Informations.lua").read_text(encoding="utf-8")
TITLE = "Module:Organizational_Informations"
LIST = Path("clinics") / "wikimedia-affiliates.tsv"


@pytest.fixture(scope="module")
def wiki(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Wiki]:
    require_mediawiki()
    server = start_wiki(tmp_path_factory.mktemp("mediawiki"), scribunto=True)
    try:
        server.human_edit(TITLE, MODULE, "the affiliates' data")
        yield server
    finally:
        server.stop()


@pytest.fixture
def site(project: Path, wiki: Wiki, monkeypatch: pytest.MonkeyPatch) -> Wiki:
    """The project pointed at the test wiki; a bot password in the environment, never sent."""
    integration_only("a real MediaWiki")
    monkeypatch.setenv("LC_WIKI_API_URL", wiki.api_url)
    monkeypatch.setenv("LC_WIKI_USERNAME", wiki.bot_user)
    monkeypatch.setenv("LC_WIKI_PASSWORD", wiki.bot_password)
    return wiki


def _requests(wiki: Wiki) -> str:
    return wiki.log.read_text(errors="replace")


def test_update_writes_the_list_then_the_report_uses_it(
    runner: CliRunner, project: Path, site: Wiki
) -> None:
    before = len(_requests(site))
    result = invoke(runner, "affiliates", "update")
    assert result.exit_code == 0, result.stderr
    assert "Wrote clinics/wikimedia-affiliates.tsv: 8 affiliates (8 new, 0 gone)" in result.stderr
    text = LIST.read_text(encoding="utf-8")
    expected = (FIXTURES / "wikimedia-affiliates.tsv").read_text(encoding="utf-8")
    body = [line for line in text.splitlines() if not line.startswith("# ")]
    assert body == [line for line in expected.splitlines() if not line.startswith("# ")]
    assert "# complete: yes" in text and f"# source: {site.api_url}" in text
    assert "Contact" not in text  # the module's contacts never reach the file
    if LUA.is_file():  # the page is a Scribunto module, as on Meta-Wiki
        page = site.query({"action": "query", "titles": TITLE, "prop": "info"})["query"]["pages"]
        assert page[0]["ns"] == 828 and page[0]["contentmodel"] == "Scribunto"
    # Read-only and anonymous: no login, no token asked for, no POST.
    log = _requests(site)[before:]
    assert "action=login" not in log and "POST" not in log and "tokens" not in log

    # The report matches against it, and gives the share of all affiliates.
    shutil.copytree(DATA / "exports", project / "exports")
    result = invoke(runner, "report", "exports", "--min-count", "2", "--json")
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    found = report["reach"]["affiliates"]
    assert found["list"]["complete"] and found["list"]["affiliates"] == 8
    assert found["engaged"] == 3 and found["share"] == round(3 / 8, 4)

    # Again: nothing changed on the wiki, nothing written.
    stamp = LIST.stat().st_mtime_ns
    result = invoke(runner, "affiliates", "update")
    assert result.exit_code == 0 and "no change" in result.stderr
    assert LIST.stat().st_mtime_ns == stamp

    # lc affiliates shows the list in use.
    shown = invoke(runner, "affiliates", "--json")
    info = json.loads(shown.stdout)
    assert info["affiliates"] == 8 and info["complete"] is True


def test_update_keeps_aliases_and_follows_the_wiki(
    runner: CliRunner, project: Path, site: Wiki
) -> None:
    assert invoke(runner, "affiliates", "update").exit_code == 0
    lines = LIST.read_text(encoding="utf-8").splitlines()
    lines = [
        line + "\tWM Ghana" if line.startswith("Wikimedians of Ghana") else line for line in lines
    ]
    LIST.write_text("\n".join(lines) + "\n", encoding="utf-8")
    # On the wiki: a new user group recognised, Amical derecognised.
    site.human_edit(
        TITLE,
        MODULE.replace(
            "return {",
            "return {\n\t{\n\t\tgroup_name = 'Wikimedians of Tonga User Group',\n"
            "\t\torg_type = 'User Group',\n\t\trecognition_status = 'recognised',\n\t},",
            1,
        ).replace(
            "group_name = 'Amical Wikimedia',\n\t\torg_type = 'Thematic Organization',\n"
            "\t\trecognition_status = 'recognised'",
            "group_name = 'Amical Wikimedia',\n\t\torg_type = 'Thematic Organization',\n"
            "\t\trecognition_status = 'derecognised'",
        ),
    )
    try:
        dry = invoke(runner, "affiliates", "update", "--dry-run")
        assert (
            dry.exit_code == 0 and "Would write" in dry.stderr and "(1 new, 1 gone)" in dry.stderr
        )
        assert "Tonga" not in LIST.read_text(encoding="utf-8")
        result = invoke(runner, "affiliates", "update")
        assert result.exit_code == 0 and "(1 new, 1 gone)" in result.stderr
        text = LIST.read_text(encoding="utf-8")
        assert "Wikimedians of Tonga User Group" in text and "Amical" not in text
        assert "Wikimedians of Ghana User Group\tWM Ghana\n" in text  # the alias stays
    finally:
        site.human_edit(TITLE, MODULE, "back")


def test_a_list_of_ones_own_is_replaced_only_with_force(
    runner: CliRunner, project: Path, site: Wiki
) -> None:
    LIST.write_text("Wikimedia Indonesia\tWM Indo\n", encoding="utf-8")
    result = invoke(runner, "affiliates", "update")
    assert result.exit_code == 2 and "--force" in result.stderr
    assert LIST.read_text(encoding="utf-8") == "Wikimedia Indonesia\tWM Indo\n"
    result = invoke(runner, "affiliates", "update", "--force")
    assert result.exit_code == 0, result.stderr
    assert "Wikimedia Indonesia\tWMID\tWM Indo\n" in LIST.read_text(encoding="utf-8")
    # -o writes another file: the clinics folder's list stays as it is.
    result = invoke(runner, "affiliates", "update", "-o", "other.tsv")
    assert result.exit_code == 0 and Path("other.tsv").is_file()


def test_a_page_of_another_shape_or_another_origin_writes_nothing(
    runner: CliRunner, project: Path, site: Wiki
) -> None:
    site.human_edit(TITLE, "return { 'a list of strings' }", "another shape")
    try:
        result = invoke(runner, "affiliates", "update")
        assert result.exit_code == 4 and "no recognised affiliate" in result.stderr
        assert not LIST.exists()
    finally:
        site.human_edit(TITLE, MODULE, "back")
    # Another wiki over plain http is refused before anything is sent (https, or this computer).
    result = invoke(
        runner, "affiliates", "update", "--api-url", "http://wiki.example.org/w/api.php"
    )
    assert result.exit_code == 2 and "https" in result.stderr
    assert not LIST.exists()
