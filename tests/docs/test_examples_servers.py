"""The docs' examples that need a server run against real ones: `lc publish` against a MediaWiki
of the tests (tests/mediawiki.py), `lc invite --registrations --send` against an SMTP server on
loopback (tests/mail/smtpserver.py). Only their exit codes are checked: the pages show Meta-Wiki's
revisions and a real relay's answers. Skips locally without PHP and MediaWiki, or aiosmtpd; fails
instead under LC_REQUIRE_SERVERS=1 (CI)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.docs import examples
from tests.docs.examples import ROOT
from tests.mail.smtpserver import SmtpServer
from tests.mediawiki import Wiki, require_mediawiki, start_wiki

pytestmark = pytest.mark.integration

#: The pages whose examples need a wiki or a mail server, and how many each sends.
PAGES = {
    "README.md": 4,
    "docs/month.md": 4,
    "docs/guide/publishing.md": 0,
    "docs/guide/emailing.md": 4,
}


@pytest.fixture(scope="module")
def wiki(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Wiki]:
    require_mediawiki()
    server = start_wiki(tmp_path_factory.mktemp("mediawiki"))
    try:
        yield server
    finally:
        server.stop()


@pytest.mark.parametrize("name", sorted(PAGES))
def test_the_examples_that_need_a_server_run_against_one(
    name: str, wiki: Wiki, tmp_path: Path
) -> None:
    with SmtpServer() as smtp:
        servers = {
            "wiki": {
                "LC_WIKI_API_URL": wiki.api_url,
                "LC_WIKI_USERNAME": wiki.bot_user,
                "LC_WIKI_PASSWORD": wiki.bot_password,
                # a page of its own per docs page: one wiki serves them all
                "LC_WIKI_PAGE_TITLE": f"Docs {name}/{{id}}",
                "LC_WIKI_INDEX_PAGE": f"Docs {name}/calendar",
            },
            "mail": {
                "LC_SMTP_HOST": "127.0.0.1",
                "LC_SMTP_PORT": str(smtp.port),
                "LC_SMTP_SECURITY": "none",
                "LC_SMTP_RATE_LIMIT": "0",
            },
        }
        outcome = examples.run_page(ROOT / name, tmp_path / "project", servers=servers)
        assert outcome.failures == [], "\n\n".join(outcome.failures)
        left = [what for _, what in outcome.not_run if "https://" not in what]
        assert left == [], left
        assert len(smtp.messages) == PAGES[name]
