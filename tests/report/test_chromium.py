"""The HTML report in a real browser: headless Chromium (Debian's `chromium`) renders it, the charts
and the world map are in the page it builds, no request leaves the file, and a screenshot is kept in
the test's folder. Skips without Chromium; fails instead under LC_REQUIRE_SERVERS=1 (CI: `.ci/run`
installs it)."""

from __future__ import annotations

import json
import os
import re
import shutil
import struct
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.report.conftest import run

BROWSERS = ("chromium", "chromium-browser", "google-chrome")


def _browser() -> str:
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    reason = "headless Chromium not available (apt-get install chromium)"
    if os.environ.get("LC_REQUIRE_SERVERS") == "1":
        pytest.fail(reason + " — LC_REQUIRE_SERVERS=1 makes this a failure")
    pytest.skip(reason)


def _chromium(browser: str, folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    from tests.conftest import integration_only

    integration_only("headless Chromium")
    return subprocess.run(
        [
            browser,
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={folder / 'profile'}",
            "--window-size=1200,9000",
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


def _requests(netlog: Path) -> list[str]:
    """The URLs the page asked for, from Chromium's net log: requests started by the page, not by
    the browser itself (its update and account checks have no initiating origin)."""
    text = netlog.read_text(encoding="utf-8", errors="replace").rstrip().rstrip(",")
    if not text.endswith("}"):
        text += "]}"  # a log cut short when the browser exits: close its list of events
    log = json.loads(text)
    start = log["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"]
    urls = []
    for event in log.get("events", []):
        params = event.get("params") or {}
        if event.get("type") != start or "url" not in params:
            continue
        if params.get("initiator") != "not an origin":
            urls.append(str(params["url"]))
    return urls


@pytest.mark.integration
def test_the_net_log_sees_a_page_request(tmp_path: Path) -> None:
    """The check below can fail: a page that loads an image from the network is caught."""
    browser = _browser()
    page = tmp_path / "leaky.html"
    page.write_text('<p>x</p><img src="http://127.0.0.1:9/pixel.png">', encoding="utf-8")
    done = _chromium(
        browser, tmp_path, f"--log-net-log={tmp_path / 'net.json'}", "--dump-dom", page.as_uri()
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "http://127.0.0.1:9/pixel.png" in _requests(tmp_path / "net.json")


@pytest.mark.integration
@pytest.mark.slow
def test_the_html_report_in_headless_chromium(
    exports: Path, runner: CliRunner, tmp_path: Path
) -> None:
    browser = _browser()
    result = run(runner, "data/hand", "--min-count", "0", "--format", "html", "-o", "report.html")
    assert result.exit_code == 0, result.stderr
    page = (exports / "report.html").resolve()
    url = page.as_uri()

    dom = _chromium(browser, tmp_path, f"--log-net-log={tmp_path / 'dom.json'}", "--dump-dom", url)
    assert dom.returncode == 0, dom.stderr[-2000:]
    # The browser's own DOM: the four charts are SVG elements of their figures, with the map's
    # countries as SVG groups (an XML prefix such as ns0: would make them unknown HTML elements).
    for name in ("clinics", "regions", "world", "scores"):
        assert re.search(rf'<figure class="chart" id="chart-{name}"><svg ', dom.stdout), name
    assert '<g class="ng country map-element color-0' in dom.stdout
    assert "Registered participants by country" in dom.stdout

    shot = tmp_path / "report.png"
    done = _chromium(
        browser, tmp_path, f"--log-net-log={tmp_path / 'shot.json'}", f"--screenshot={shot}", url
    )
    assert done.returncode == 0, done.stderr[-2000:]
    data = shot.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == (1200, 9000)
    assert len(data) > 50_000  # a page with charts, not a blank one

    for log in ("dom.json", "shot.json"):
        outside = [u for u in _requests(tmp_path / log) if not u.startswith("file:")]
        assert outside == [], outside


def test_missing_chromium_fails_under_require_servers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda _name: None)
    monkeypatch.setenv("LC_REQUIRE_SERVERS", "1")
    with pytest.raises(pytest.fail.Exception, match="LC_REQUIRE_SERVERS=1 makes this a failure"):
        _browser()
    monkeypatch.delenv("LC_REQUIRE_SERVERS")
    with pytest.raises(pytest.skip.Exception):
        _browser()
