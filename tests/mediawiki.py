"""A real MediaWiki for the tests: Debian's package, SQLite, PHP's built-in server on loopback.

`start_wiki(folder)` installs a wiki into `folder` (install.php), creates a bot password for the
administrator (createBotPassword.php), a second, human user and a weaker bot password, and serves it
with `php -S 127.0.0.1:<free port>`. Missing PHP or MediaWiki makes the tests SKIP with the reason,
or FAIL when LC_REQUIRE_SERVERS=1 (CI sets it; `.ci/run` installs the packages).
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import integration_only

MEDIAWIKI = Path("/usr/share/mediawiki")
MAINTENANCE = MEDIAWIKI / "maintenance"
INSTALL_HINT = (
    "apt-get install -y --no-install-recommends "
    "mediawiki php-cli php-sqlite3 php-intl php-mbstring php-xml"
)
ADMIN_PASSWORD = "Admin-pass-for-tests-1"
HUMAN = "Human Editor"
HUMAN_PASSWORD = "Human-pass-for-tests-1"


def require_mediawiki() -> None:
    """Skip (locally) or fail (CI, LC_REQUIRE_SERVERS=1) when PHP or MediaWiki is missing."""
    missing = []
    if shutil.which("php") is None:
        missing.append("php")
    if not (MAINTENANCE / "install.php").is_file():
        missing.append(str(MAINTENANCE / "install.php"))
    if not missing:
        return
    reason = f"real MediaWiki not available ({', '.join(missing)} missing); install: {INSTALL_HINT}"
    if os.environ.get("LC_REQUIRE_SERVERS") == "1":
        pytest.fail(reason + " — LC_REQUIRE_SERVERS=1 makes this a failure")
    pytest.skip(reason)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Wiki:
    folder: Path
    port: int
    process: subprocess.Popen[bytes] | None = None
    bot_user: str = "Admin@lc"
    bot_password: str = ""
    log: Path = field(init=False)

    def __post_init__(self) -> None:
        self.log = self.folder / "php-server.log"

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api.php"

    @property
    def env(self) -> dict[str, str]:
        return {**os.environ, "MW_CONFIG_FILE": str(self.folder / "LocalSettings.php")}

    def maintenance(self, script: str, *args: str, stdin: str | None = None) -> str:
        result = subprocess.run(
            ["php", str(MAINTENANCE / script), *args],
            input=stdin.encode() if stdin is not None else None,
            capture_output=True,
            env=self.env,
            cwd=self.folder,
            timeout=120,
            check=False,
        )
        output = (result.stdout + result.stderr).decode(errors="replace")
        if result.returncode != 0:
            raise RuntimeError(f"{script} failed ({result.returncode}): {output}")
        return output

    # --- what a person (or an administrator) does on the wiki, outside lc ---------------------

    def human_edit(self, title: str, text: str, summary: str = "a human edit") -> None:
        self.maintenance("edit.php", "-u", HUMAN, "-s", summary, title, stdin=text)

    def protect(self, title: str) -> None:
        """Full protection: only administrators may edit."""
        self.maintenance("protect.php", "--user", "Admin", "--reason", "test", title)

    def add_bot(
        self, user: str, grants: str = "basic,editpage,createeditmovepage"
    ) -> tuple[str, str]:
        """A new (non-administrator) user with a bot password: (login name, password)."""
        self.maintenance("createAndPromote.php", user, f"{user}-pass-for-tests-1".replace(" ", "-"))
        output = self.maintenance("createBotPassword.php", "--appid=lc", f"--grants={grants}", user)
        return f"{user}@lc", _PASSWORD.findall(output)[-1]

    def block(self, user: str) -> None:
        self.maintenance(
            "blockUsers.php", "--performer", "Admin", "--reason", "test block", stdin=user + "\n"
        )

    def text(self, title: str) -> str | None:
        data = self.query(
            {
                "action": "query",
                "prop": "revisions",
                "rvprop": "content",
                "rvslots": "main",
                "titles": title,
            }
        )
        page = data["query"]["pages"][0]
        if page.get("missing"):
            return None
        return str(page["revisions"][0]["slots"]["main"]["content"])

    def revisions(self, title: str) -> list[dict[str, Any]]:
        data = self.query(
            {
                "action": "query",
                "prop": "revisions",
                "rvprop": "ids|user|comment",
                "rvlimit": "50",
                "titles": title,
            }
        )
        return list(data["query"]["pages"][0].get("revisions", []))

    def parse_html(self, wikitext: str) -> str:
        data = self.query(
            {"action": "parse", "text": wikitext, "contentmodel": "wikitext", "prop": "text"},
            post=True,
        )
        return str(data["parse"]["text"])

    def query(self, params: dict[str, str], *, post: bool = False) -> dict[str, Any]:
        params = {**params, "format": "json", "formatversion": "2"}
        with httpx.Client(timeout=30) as client:
            response = (
                client.post(self.api_url, data=params)
                if post
                else client.get(self.api_url, params=params)
            )
        response.raise_for_status()
        return response.json()  # type: ignore[no-any-return]

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


_PASSWORD = re.compile(r"password:'([^']+)'")


def start_wiki(folder: Path) -> Wiki:
    """Install a fresh wiki into `folder` and serve it; the caller stops it."""
    integration_only("a real MediaWiki")
    wiki = Wiki(folder, free_port())
    subprocess.run(
        [
            "php",
            str(MAINTENANCE / "install.php"),
            "--dbtype=sqlite",
            f"--dbpath={folder}",
            f"--confpath={folder}",
            f"--server=http://127.0.0.1:{wiki.port}",
            "--scriptpath=",
            f"--pass={ADMIN_PASSWORD}",
            "lc Test Wiki",
            "Admin",
        ],
        check=True,
        capture_output=True,
        cwd=folder,
        timeout=300,
    )
    bot = wiki.maintenance(
        "createBotPassword.php", "--appid=lc", "--grants=basic,editpage,createeditmovepage", "Admin"
    )
    wiki.bot_password = _PASSWORD.findall(bot)[-1]
    wiki.maintenance("createAndPromote.php", HUMAN, HUMAN_PASSWORD)
    with wiki.log.open("wb") as log:
        wiki.process = subprocess.Popen(
            ["php", "-S", f"127.0.0.1:{wiki.port}", "-t", str(MEDIAWIKI)],
            env=wiki.env,
            cwd=folder,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    deadline = time.monotonic() + 30
    while True:
        try:
            wiki.query({"action": "query", "meta": "siteinfo"})
            return wiki
        except (httpx.HTTPError, ValueError):
            if time.monotonic() > deadline or wiki.process.poll() is not None:
                wiki.stop()
                raise RuntimeError(
                    f"the PHP server did not start: {wiki.log.read_text(errors='replace')}"
                ) from None
            time.sleep(0.2)
