"""Generate the docs site's generated parts from lc itself: the command reference and the pictures.

    python scripts/build_docs.py                 # rewrite docs/reference/commands.md and the terminal pictures
    python scripts/build_docs.py --screenshot    # also the HTML report's screenshot (headless Chromium)
    python scripts/build_docs.py --check         # exit 1 when the reference or a terminal picture is stale

- The command reference walks the Typer app (its Click group: every command it lists) and writes
  each command's `--help`, as lc prints it 100 columns wide, into `docs/reference/commands.md`.
- The terminal pictures (`docs/assets/*.svg`) are real runs of lc on the example data (the
  repository's `clinics/`, `lc.toml` and `examples/exports/`, copied into a temporary folder),
  recorded by Rich (`Console(record=True)`, `save_svg`), with the clock pinned where the output
  depends on the date.
- The screenshot (`docs/assets/report.png`) is `lc report --format html` on the example exports,
  rendered by headless Chromium (`chromium`, `chromium-browser` or `google-chrome`); with it,
  `docs/assets/report-world.png`, the world map `lc report --charts` draws (needs the png extra).

Tests (tests/docs/) check that the reference and the pictures' text are current; they run lc on the
tests' own copy of the example data (tests/data/project or the tracked clinic files, and
tests/data/docs/lc-issued.toml, the ledger this script copies), never on the working tree's.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from html import unescape
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
REFERENCE = DOCS / "reference" / "commands.md"
ASSETS = DOCS / "assets"
HELP_WIDTH = "100"
#: Every picture is made with DTSTAMP, Date and "generated" pinned (reproducible output).
SOURCE_DATE_EPOCH = "1680300000"  # 2023-03-31T22:00:00Z
BROWSERS = ("chromium", "chromium-browser", "google-chrome")
#: The world map of the example report, as `lc report --charts` writes it (made with --screenshot).
WORLD_MAP = ASSETS / "report-world.png"


@dataclass(frozen=True)
class Picture:
    """One terminal capture: `lc ARGS` run on the example data."""

    name: str
    args: tuple[str, ...]
    width: int = 100
    #: The clock of the run (ISO 8601), where the output depends on today's date.
    now: str | None = None
    title: str = ""


PICTURES = (
    # Zone groups are zones whose clocks agree all year, as the tz database has it for the year of
    # the run: every picture runs at a fixed date, so that a new year does not make one stale.
    Picture(
        "invite-eseap",
        ("invite", "2023-04-02-travel-scholarships", "--region", "ESEAP"),
        now="2026-12-01T00:00:00+00:00",
    ),
    Picture("list", ("list", "--tz", "Asia/Manila"), now="2023-03-01T00:00:00+00:00"),
    Picture("validate", ("validate",), now="2023-02-20T00:00:00+00:00"),
    Picture(
        "slots",
        ("slots", "--region", "ESEAP", "--date", "2023-04-02", "--top", "3"),
        width=114,  # the narrowest terminal that gets the day's 24 hours in one table
        now="2023-03-01T00:00:00+00:00",
    ),
    Picture(
        "regions-eseap",
        ("regions", "ESEAP", "--at", "2023-04-02T06:00Z"),
        now="2026-12-01T00:00:00+00:00",
    ),
    Picture(
        "announce-text",
        ("announce", "2023-04-02-travel-scholarships", "--format", "text"),
        width=120,
        now="2026-12-01T00:00:00+00:00",
    ),
    Picture(
        "new-clinic",
        (
            "new-clinic",
            "--title",
            "Wikidata for librarians",
            "--start",
            "2027-04-04T06:00Z",
            "--region",
            "ESEAP",
            "--no-input",
            "--dry-run",
        ),
        now="2027-03-01T00:00:00+00:00",
    ),
    Picture("report-clinic", ("report", "--clinic", "travel"), now="2026-12-01T00:00:00+00:00"),
)


# --- the command reference -----------------------------------------------------------------------


def _group() -> object:
    import typer

    from letsconnect_cli.cli import app

    return typer.main.get_command(app)


def command_names() -> list[str]:
    """The commands of lc, in the order `lc --help` lists them (walked from the Click group)."""
    group: Any = _group()
    # Typer vendors Click: the group's own Context class, not click's.
    with group.context_class(group, info_name="lc") as ctx:
        return list(group.list_commands(ctx))


def help_text(*args: str) -> str:
    from typer.testing import CliRunner

    from letsconnect_cli.cli import app

    result = CliRunner().invoke(
        app,
        [*args, "--help"],
        env={"COLUMNS": HELP_WIDTH, "NO_COLOR": "1", "TERM": "dumb"},
        prog_name="lc",
    )
    if result.exit_code != 0:
        raise RuntimeError(f"lc {' '.join(args)} --help failed: {result.output}")
    return "\n".join(line.rstrip() for line in result.stdout.strip("\n").splitlines())


def summaries(root_help: str) -> dict[str, str]:
    """Each command's one line, from the Commands section of `lc --help`."""
    section = root_help.split("Commands:\n", 1)[1].split("\n\n", 1)[0]
    found: dict[str, str] = {}
    last = ""
    for line in section.splitlines():
        match = re.match(r"  (\S+)\s{2,}(.*)", line)
        if match:
            last = match[1]
            found[last] = match[2].strip()
        elif last:
            found[last] += " " + line.strip()
    return found


def render_reference() -> str:
    names = command_names()
    texts = {name: help_text(name) for name in names}
    root = help_text()
    summary = summaries(root)
    parts = [
        "# Commands",
        "",
        "<!-- Generated by `python scripts/build_docs.py` from lc's Typer app: do not edit by hand;",
        "     tests/docs/test_reference.py fails when it is stale. -->",
        "",
        "Every command's `--help`, as lc prints it. Generated from the program by",
        "`python scripts/build_docs.py`; a test fails when this page is out of date.",
        "",
        "| command | what it does |",
        "|---|---|",
        *(f"| [`lc {name}`](#lc-{name}) | {summary.get(name, '')} |" for name in names),
        "",
        "## `lc`",
        "",
        "```text",
        root,
        "```",
    ]
    for name in names:
        parts += ["", f"## `lc {name}`", "", "```text", texts[name], "```"]
    return "\n".join(parts) + "\n"


# --- the terminal pictures ------------------------------------------------------------------------


#: The tests' copy of the example clinics' ledger (the tests never read the working tree's
#: clinics/): kept equal to clinics/.lc-issued.toml by this script (`--check` says when it is not).
LEDGER_COPY = ROOT / "tests" / "data" / "docs" / "lc-issued.toml"


def repository_example(folder: Path) -> None:
    """Copy the repository's example data into `folder`: the clinic files git tracks (not what the
    Quick start or a user added) with their ledger, lc.toml and examples/exports/."""
    try:
        listed = subprocess.run(
            ["git", "ls-files", "-z", "clinics"], cwd=ROOT, capture_output=True, check=True
        ).stdout.decode()
        names = [Path(p).name for p in listed.split("\0") if p]
    except (OSError, subprocess.CalledProcessError):
        names = [p.name for p in (ROOT / "clinics").iterdir() if p.suffix == ".toml"]
    (folder / "clinics").mkdir(parents=True)
    for name in names:
        shutil.copy(ROOT / "clinics" / name, folder / "clinics" / name)
    shutil.copy(ROOT / "lc.toml", folder / "lc.toml")
    shutil.copytree(ROOT / "examples" / "exports", folder / "examples" / "exports")


@contextlib.contextmanager
def example_folder(
    make: Callable[[Path], object] = repository_example, under: Path | None = None
) -> Iterator[Path]:
    """A copy of the example data (made by `make`: the repository's, or the tests' own copy) in a
    new folder under `under` (a temporary folder when None); the current folder while it is open."""
    with contextlib.ExitStack() as stack:
        if under is None:
            under = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="lc-docs-")))
        folder = Path(tempfile.mkdtemp(prefix="project-", dir=under))
        shutil.rmtree(folder)
        make(folder)
        before = Path.cwd()
        os.chdir(folder)
        try:
            yield folder
        finally:
            os.chdir(before)


@contextlib.contextmanager
def clock(moment: str | None) -> Iterator[None]:
    """Pin the clock of lc's run (time-machine: every `datetime.now` lc calls, wherever it is)."""
    if moment is None:
        yield
        return
    import time_machine

    with time_machine.travel(datetime.fromisoformat(moment).astimezone(UTC), tick=False):
        yield


@contextlib.contextmanager
def environment(values: dict[str, str | None]) -> Iterator[None]:
    saved = {name: os.environ.get(name) for name in values}
    for name, value in values.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _isolated_env(folder: Path, width: int, colour: bool) -> dict[str, str | None]:
    env: dict[str, str | None] = {
        name: None for name in os.environ if name.startswith("LC_") and name != "LC_ALL"
    }
    env.update(
        {
            "COLUMNS": str(width),
            "LINES": "60",
            "XDG_CONFIG_HOME": str(folder / ".config"),
            "XDG_CACHE_HOME": str(folder / ".cache"),
            "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH,
            "NO_COLOR": None if colour else "1",
            "FORCE_COLOR": "1" if colour else None,
            "TERM": "xterm-256color" if colour else "dumb",
        }
    )
    return env


def run_lc(args: tuple[str, ...], width: int, now: str | None, colour: bool) -> tuple[int, str]:
    """lc ARGS in the current folder; the exit code and stdout then stderr (ANSI when colour)."""
    import uuid
    from unittest import mock

    from typer.testing import CliRunner

    from letsconnect_cli.cli import app

    # A new clinic's calendar UID is random: the pictures show a fixed one, so they stay the same.
    fixed = uuid.UUID("0f6a2c1e-4d3b-4a5e-9c7d-2b8e1f0a3c5d")
    with (
        environment(_isolated_env(Path.cwd(), width, colour)),
        clock(now),
        mock.patch("uuid.uuid4", return_value=fixed),
    ):
        result = CliRunner().invoke(app, list(args), prog_name="lc")
    return result.exit_code, result.stdout + result.stderr


def picture_svg(
    picture: Picture,
    make: Callable[[Path], object] = repository_example,
    under: Path | None = None,
) -> str:
    from rich.console import Console
    from rich.text import Text

    with example_folder(make, under):
        code, output = run_lc(picture.args, picture.width, picture.now, colour=True)
    if code != 0:
        raise RuntimeError(f"lc {' '.join(picture.args)} exited {code}: {output}")
    # Rich reads COLUMNS over a width it is given: the recording console sees the picture's own.
    with environment({"COLUMNS": str(picture.width), "NO_COLOR": None, "TERM": "xterm-256color"}):
        console = Console(
            record=True,
            width=picture.width,
            force_terminal=True,
            color_system="truecolor",
            file=io.StringIO(),
            legacy_windows=False,
        )
        command = "$ lc " + " ".join(_quote(a) for a in picture.args)
        console.print(Text(command, style="bold"))
        console.print(Text.from_ansi(output.rstrip("\n")))
        svg = console.export_svg(title=picture.title or command[2:], unique_id=f"lc-{picture.name}")
    # No web font: Rich's SVG would load Fira Code from a CDN; the reader's monospace font serves.
    return re.sub(r"\s*@font-face \{.*?\}", "", svg, flags=re.DOTALL)


def _quote(arg: str) -> str:
    return f'"{arg}"' if re.search(r"[\s'|&;]", arg) else arg


def svg_text(svg: str) -> str:
    """The text a terminal picture shows, line by line, each span put back at its column (what must
    stay current; the drawing itself, styles and spans, may differ between Rich versions)."""
    spans = []
    for match in re.finditer(
        r'<text class="[^"]*" x="([\d.]+)" y="([\d.]+)" textLength="([\d.]+)"[^>]*>(.*?)</text>',
        svg,
        re.DOTALL,
    ):
        x, y, length, content = match.groups()
        text = unescape(content).replace("\xa0", " ")
        if text.strip("\n"):
            spans.append((float(y), float(x), float(length), text))
    widths = [length / len(text) for _, _, length, text in spans if len(text) == len(text.strip())]
    cell = min(widths) if widths else 1.0
    rows: dict[float, dict[int, str]] = {}
    for y, x, _, text in spans:
        row = rows.setdefault(y, {})
        for offset, char in enumerate(text):
            row[round(x / cell) + offset] = char
    lines = []
    for y in sorted(rows):
        row = rows[y]
        lines.append("".join(row.get(i, " ") for i in range(max(row) + 1)).rstrip())
    return "\n".join(lines).strip("\n")


# --- the screenshot --------------------------------------------------------------------------------


def browser() -> str | None:
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    return None


def screenshot(target: Path = ASSETS / "report.png") -> None:
    """The HTML report of the example exports, as headless Chromium draws it (1200 x 1800)."""
    found = browser()
    if found is None:
        raise RuntimeError("headless Chromium not found (apt-get install chromium)")
    with example_folder() as folder:
        code, output = run_lc(
            ("report", "--format", "html", "-o", "report.html"), 100, None, colour=False
        )
        if code != 0:
            raise RuntimeError(f"lc report exited {code}: {output}")
        done = subprocess.run(
            [
                found,
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--hide-scrollbars",
                f"--user-data-dir={folder / 'profile'}",
                "--window-size=1200,1800",
                f"--screenshot={folder / 'report.png'}",
                (folder / "report.html").as_uri(),
            ],
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
        )
        if done.returncode != 0 or not (folder / "report.png").exists():
            raise RuntimeError(f"chromium failed: {done.stderr[-2000:]}")
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(folder / "report.png", target)
        # The world map as lc draws it for --charts (PNG through CairoSVG: the png extra).
        code, output = run_lc(
            ("report", "--charts", "charts", "-o", "again.html"), 100, None, False
        )
        if code != 0 or not (folder / "charts" / "world.png").exists():
            raise RuntimeError(f"lc report --charts: {output} (pip install -e '.[png]')")
        shutil.copy(folder / "charts" / "world.png", WORLD_MAP)


# --- main ----------------------------------------------------------------------------------------


def stale() -> list[str]:
    """What is out of date: the reference, and each picture whose text lc no longer prints."""
    found = []
    current = REFERENCE.read_text(encoding="utf-8") if REFERENCE.exists() else ""
    if current != render_reference():
        found.append(str(REFERENCE.relative_to(ROOT)))
    ledger = (ROOT / "clinics" / ".lc-issued.toml").read_bytes()
    if not LEDGER_COPY.exists() or LEDGER_COPY.read_bytes() != ledger:
        found.append(str(LEDGER_COPY.relative_to(ROOT)))
    for picture in PICTURES:
        path = ASSETS / f"{picture.name}.svg"
        old = path.read_text(encoding="utf-8") if path.exists() else ""
        if svg_text(old) != svg_text(picture_svg(picture)):
            found.append(str(path.relative_to(ROOT)))
    return found


def write_all() -> None:
    REFERENCE.write_text(render_reference(), encoding="utf-8")
    LEDGER_COPY.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "clinics" / ".lc-issued.toml", LEDGER_COPY)
    ASSETS.mkdir(parents=True, exist_ok=True)
    for picture in PICTURES:
        (ASSETS / f"{picture.name}.svg").write_text(picture_svg(picture), encoding="utf-8")


def main(argv: list[str]) -> int:
    if "--check" in argv:
        out_of_date = stale()
        for path in out_of_date:
            print(f"{path} is out of date: run python scripts/build_docs.py")
        return 1 if out_of_date else 0
    write_all()
    if "--screenshot" in argv:
        screenshot()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
