"""The generated parts of the docs are current (scripts/build_docs.py), the reference pages cover
every command, and the README stays short and links to pages that exist."""

from __future__ import annotations

import json
import re
import struct
from pathlib import Path

import pytest
from scripts import build_docs
from typer.testing import CliRunner

from tests.conftest import ROOT, invoke
from tests.docs import examples

DOCS = ROOT / "docs"


def test_the_command_reference_is_generated_from_the_app() -> None:
    text = build_docs.REFERENCE.read_text(encoding="utf-8")
    assert text == build_docs.render_reference(), "run: python scripts/build_docs.py"


def test_the_reference_has_every_command_of_the_app(runner: CliRunner) -> None:
    text = build_docs.REFERENCE.read_text(encoding="utf-8")
    names = build_docs.command_names()
    assert {"init", "new-clinic", "validate", "list", "regions", "invite", "report"} <= set(names)
    for name in names:
        assert f"## `lc {name}`" in text
        assert invoke(runner, name, "--help").exit_code == 0


@pytest.mark.parametrize("picture", build_docs.PICTURES, ids=lambda p: p.name)
def test_each_terminal_picture_shows_what_lc_prints_now(
    picture: build_docs.Picture, tmp_path: Path
) -> None:
    path = build_docs.ASSETS / f"{picture.name}.svg"
    assert path.exists(), "run: python scripts/build_docs.py"
    committed = build_docs.svg_text(path.read_text(encoding="utf-8"))
    assert committed.startswith("$ lc ")
    again = build_docs.svg_text(
        build_docs.picture_svg(picture, make=examples.make_project, under=tmp_path)
    )
    assert committed == again, f"{path.name} is stale: run python scripts/build_docs.py"


def test_every_picture_is_used_and_none_loads_a_web_font() -> None:
    pages = "\n".join(
        p.read_text(encoding="utf-8") for p in [ROOT / "README.md", *DOCS.rglob("*.md")]
    )
    for path in build_docs.ASSETS.iterdir():
        assert path.name in pages, f"{path.name} is in no page"
        if path.suffix == ".svg":
            assert "@font-face" not in path.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("name", "size"), [("report.png", (1200, 1800)), ("report-world.png", (1600, 1000))]
)
def test_the_report_pictures_are_pngs_of_the_page_and_the_map(
    name: str, size: tuple[int, int]
) -> None:
    """Made by `python scripts/build_docs.py --screenshot` (pixels differ between browsers and
    Cairo versions, so they are not compared)."""
    data = (build_docs.ASSETS / name).read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    assert struct.unpack(">II", data[16:24]) == size
    assert len(data) > 50_000  # a page with charts, a map: not a blank one


#: `--json` runs on the example data, for each command that has it, and the section of the JSON
#: page that documents it.
JSON_RUNS = {
    "validate": (["validate", "--json"], "lc validate --json"),
    "list": (["list", "--json"], "lc list --json"),
    "regions": (["regions", "--json"], "lc regions --json"),
    "invite": (
        ["invite", "2023-04-02-travel-scholarships", "--dry-run", "--json"],
        "lc invite --json",
    ),
    "announce": (["announce", "travel", "--json"], "lc announce --json"),
    "report": (["report", "--json"], "lc report --format json"),
    "slots": (["slots", "--region", "ESEAP", "--week", "2099-W14", "--json"], "lc slots --json"),
    "new-clinic": (
        ["new-clinic", "-t", "A title", "--start", "2099-04-04T06:00Z", "--no-input", "--json"],
        "lc new-clinic --json",
    ),
    "init": (["init", "started", "--no-input", "--json"], "lc init --json"),
    "affiliates": (["affiliates", "--json"], "lc affiliates --json"),
}


def test_the_json_page_documents_every_command_and_its_keys(runner: CliRunner, project) -> None:
    """Each command's `--json` keys (of the document, or of its first item) are in its entry."""
    import shutil

    shutil.copytree(ROOT / "examples" / "exports", project / "examples" / "exports")
    page = (DOCS / "reference" / "json.md").read_text(encoding="utf-8")
    for name in build_docs.command_names():
        assert "--json" in invoke(runner, name, "--help").stdout, f"lc {name} has no --json"
        assert f"`lc {name}" in page, f"the JSON page lacks lc {name}"
    missing = set(build_docs.command_names()) - set(JSON_RUNS) - {"publish"}
    assert missing == set(), f"add a --json run for {missing}"
    for name, (args, entry) in JSON_RUNS.items():
        result = invoke(runner, *args)
        assert result.exit_code == 0, (name, result.output)
        document = json.loads(result.stdout)
        item = document[0] if isinstance(document, list) else document
        start = page.index(f"`{entry}")
        section = page[start : page.index("\n- `lc ", start + 1)]
        for key in item:
            assert f'"{key}"' in section, f"the JSON page's {entry} lacks {key!r}"


README_LIMIT = 10_000


def test_the_readme_is_short_and_its_links_lead_somewhere() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(text) <= README_LIMIT, len(text)
    for target in re.findall(r"\]\(([^)#]+)(?:#[^)]*)?\)", text):
        if not target.startswith(("http://", "https://")):
            assert (ROOT / target).exists(), target


def test_the_readme_month_has_ten_commands_each_with_why() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## A liaison's month", 1)[1].split("\n## ", 1)[0]
    block = section.split("```sh\n", 1)[1].split("```", 1)[0]
    why = re.findall(r"^# (\d+)\. ", block, re.MULTILINE)
    assert why == [str(n) for n in range(1, 11)]
    commands = [line for line in block.splitlines() if line.startswith("lc ")]
    assert len(commands) == 9  # the ninth step is an edit of the clinic file
    for word in (
        "init",
        "slots",
        "new-clinic",
        "validate",
        "invite",
        "announce",
        "publish",
        "report",
    ):
        assert any(c.startswith(f"lc {word}") for c in commands), word
    assert any("--registrations" in c and "--send" in c for c in commands)


def test_every_page_is_in_the_navigation() -> None:
    nav = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    for page in DOCS.rglob("*.md"):
        assert str(page.relative_to(DOCS)) in nav, (
            f"add {page.relative_to(DOCS)} to mkdocs.yml's nav"
        )


#: Paths the pages name as examples of what is not written yet (the architecture page's new command).
HYPOTHETICAL = {"cli/frobnicate_cmd.py"}


def test_the_files_the_docs_name_exist() -> None:
    """Paths of the repository in the pages (`src/...`, `bench/x.py`, `report/privacy.py`) exist,
    the package's own relative to src/letsconnect_cli/: a moved module is a stale page."""
    package = ROOT / "src" / "letsconnect_cli"
    pages = [ROOT / "README.md", *DOCS.rglob("*.md")]
    for page in pages:
        text = page.read_text(encoding="utf-8")
        for path in re.findall(
            r"`((?:src|bench|examples|tests|scripts)/[\w./-]+|[\w/]+\.py)`", text
        ):
            path = path.rstrip("/")
            if "/." in path or path in HYPOTHETICAL:
                continue
            if "/" not in path:  # a module named alone: anywhere in the package, tests or scripts
                found = any(
                    next((ROOT / top).rglob(path), None)
                    for top in ("src", "tests", "scripts", "bench")
                )
            else:
                found = (ROOT / path).exists() or (package / path).exists()
            assert found, f"{page.name}: {path}"
