"""The command examples of the docs (README.md and docs/**/*.md), read and run against the example data.

A page's fenced blocks are read in order:

- ```console blocks hold commands after `$ ` and, under each, what lc prints (stdout, then the
  stderr lines shown). Without a `...` line the output shown must be exactly the output: its lines
  that are lines of stderr are checked against stderr, in order; the rest must be stdout exactly.
  With `...` lines, every other line shown must appear in the output, in order (an excerpt).
- ```sh blocks hold commands only (one a line; `&&` chains; `#` comments): each must exit 0.
- A block of any language whose info string has `title="PATH"` is a file: it is written to PATH
  (from the current folder) before the commands after it run.

Only `lc ...`, `cd DIR` and `mkdir DIR` are run (in-process, through the Typer app); other shell
commands (pip, pytest, git, an editor) are not lc examples and are left alone. Each page runs in a
fresh copy of the example data: the tracked clinic files and their ledger, lc.toml, examples/exports.

A comment before a block steers it: `<!-- docs-test: KEY=VALUE; ... -->`; on a page of its own,
`<!-- docs-test-page: ... -->` steers every block of the page. Keys:

- `now=ISO-8601`: the clock of the run (the examples that depend on today's date);
- `exit=N`: the exit code every command of the block must give (default 0);
- `skip=REASON`: the block is not run (a wiki, a mail server, a terminal session);
- `not-run=TEXT,TEXT`: commands containing one of these texts are not run (same reasons);
- `width=N`: the terminal width (default 80);
- `copy=SOURCE>DEST`: before the block, copy SOURCE of the repository (a file or folder) to DEST
  of the page's folder (an example that needs exports where a new folder has none).

What is not run is collected, and tests/docs/test_examples.py lists what may be so.
"""

from __future__ import annotations

import contextlib
import os
import re
import shlex
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DIRECTIVE = re.compile(r"<!--\s*docs-test(-page)?:\s*(.*?)\s*-->")
FENCE = re.compile(r"^(```+|~~~+)\s*([\w-]*)([^\n]*)$")


@dataclass
class Block:
    page: Path
    line: int
    language: str
    info: str
    body: str
    options: dict[str, str] = field(default_factory=dict)

    @property
    def title(self) -> str | None:
        match = re.search(r'title="([^"]+)"', self.info)
        return match[1] if match else None

    @property
    def where(self) -> str:
        name = self.page.relative_to(ROOT) if self.page.is_relative_to(ROOT) else self.page
        return f"{name}:{self.line}"


@dataclass
class Command:
    text: str
    #: What the docs show under it (console blocks), None for sh blocks.
    shown: list[str] | None


@dataclass
class Outcome:
    ran: list[str] = field(default_factory=list)
    #: Commands shown with the single output line FILL (a page being written), with their output.
    fills: list[tuple[str, str]] = field(default_factory=list)
    not_run: list[tuple[str, str]] = field(default_factory=list)  # (where, command or block)
    failures: list[str] = field(default_factory=list)


def pages() -> list[Path]:
    """Every page whose examples are run: README.md and docs/, but not the generated reference."""
    found = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
    return [p for p in found if p.name != "commands.md"]


def _options(text: str) -> dict[str, str]:
    options = {}
    for part in text.split(";"):
        key, _, value = part.strip().partition("=")
        if key:
            options[key.strip()] = value.strip()
    return options


def read_blocks(page: Path) -> list[Block]:
    lines = page.read_text(encoding="utf-8").splitlines()
    page_options: dict[str, str] = {}
    pending: dict[str, str] = {}
    blocks = []
    index = 0
    while index < len(lines):
        line = lines[index]
        directive = DIRECTIVE.search(line)
        if directive:
            (page_options if directive[1] else pending).update(_options(directive[2]))
            index += 1
            continue
        fence = FENCE.match(line.strip())
        if not fence:
            if line.strip():
                pending = {} if not line.lstrip().startswith("<!--") else pending
            index += 1
            continue
        marker, language, info = fence[1], fence[2], fence[3]
        indent = len(line) - len(line.lstrip())
        body = []
        index += 1
        while index < len(lines) and not lines[index].strip().startswith(marker):
            body.append(lines[index][indent:])
            index += 1
        if index == len(lines):
            raise ValueError(
                f"{page}: the block opened at line {index - len(body)} is never closed"
            )
        blocks.append(
            Block(
                page,
                index - len(body),
                language,
                info,
                "\n".join(body),
                {**page_options, **pending},
            )
        )
        pending = {}
        index += 1
    return blocks


def commands(block: Block) -> list[Command]:
    if block.language == "console":
        found: list[Command] = []
        for line in block.body.splitlines():
            if line.startswith("$ "):
                found.append(Command(line[2:].strip(), []))
            elif found and found[-1].shown is not None:
                found[-1].shown.append(line)
        return found
    if block.language in ("sh", "bash", "shell"):
        text = re.sub(r"\\\n\s*", " ", block.body)
        found = []
        for line in text.splitlines():
            line = line.strip()
            if line and not line.startswith("#"):
                found.append(Command(line, None))
        return found
    return []


# --- running -------------------------------------------------------------------------------------


def make_project(folder: Path) -> Path:
    """A fresh copy of the example data in `folder`, from the tests' own copies (never the working
    tree's clinics/ or lc.toml): the clinics and lc.toml of tests/data/project, the ledger of
    tests/data/docs/lc-issued.toml (scripts/build_docs.py keeps it equal to the repository's), and
    examples/exports/."""
    from tests import conftest

    conftest.copy_seed_clinics(folder / "clinics")
    shutil.copy(
        ROOT / "tests" / "data" / "docs" / "lc-issued.toml", folder / "clinics" / ".lc-issued.toml"
    )
    shutil.copy(conftest.SEED / "lc.toml", folder / "lc.toml")
    shutil.copytree(ROOT / "examples" / "exports", folder / "examples" / "exports")
    return folder


@contextlib.contextmanager
def _clock(moment: str | None) -> Iterator[None]:
    if not moment:
        yield
        return
    import time_machine

    with time_machine.travel(datetime.fromisoformat(moment.replace("Z", "+00:00")).astimezone(UTC)):
        yield


def _words(command: str) -> list[str]:
    """The shell words of one command, without a trailing comment."""
    lexer = shlex.shlex(command, posix=True, punctuation_chars=False)
    lexer.whitespace_split = True
    lexer.commenters = "#"
    return list(lexer)


def _check_output(shown: list[str], stdout: str, stderr: str) -> str | None:
    """None when what the docs show is what lc printed; else what differs."""
    while shown and not shown[-1].strip():
        shown = shown[:-1]
    # Trailing spaces are not part of what the docs show (editors strip them).
    shown = [line.rstrip() for line in shown]
    out_lines = [x.rstrip() for x in stdout.rstrip("\n").split("\n")] if stdout.strip() else []
    err_lines = [x.rstrip() for x in stderr.rstrip("\n").split("\n")] if stderr.strip() else []
    if any(line.strip() == "..." for line in shown):
        streams = [list(out_lines), list(err_lines)]
        for line in shown:
            if line.strip() == "...":
                continue
            for stream in streams:
                if line in stream:
                    del stream[: stream.index(line) + 1]
                    break
            else:
                return f"line not printed (in this order): {line!r}"
        return None
    err_shown = [line for line in shown if line in err_lines]
    out_shown = [line for line in shown if line not in err_lines]
    if out_shown != out_lines:
        return (
            "stdout differs:\n--- docs\n"
            + "\n".join(out_shown)
            + "\n--- lc\n"
            + "\n".join(out_lines)
        )
    position = 0
    for line in err_shown:
        try:
            position = err_lines.index(line, position) + 1
        except ValueError:
            return f"stderr line out of order: {line!r}"
    return None


def _server(servers: dict[str, dict[str, str]], reason: str, command: str) -> dict[str, str] | None:
    """The environment of the server an unrun example needs, when the test runs one: "wiki" (a
    real MediaWiki) for `lc publish` and what needs a wiki, "mail" (an SMTP server) for `--send`."""
    if "wiki" in servers and ("needs a wiki" in reason or command.startswith("lc publish")):
        return servers["wiki"]
    if "mail" in servers and ("needs a mail server" in reason or "--send" in command):
        return servers["mail"]
    return None


def run_page(
    page: Path,
    folder: Path,
    show: bool = False,
    servers: dict[str, dict[str, str]] | None = None,
) -> Outcome:
    """Run a page's examples in a fresh copy of the example data under `folder`.

    With `servers`, the examples left unrun for want of a wiki or a mail server run against the
    ones given (their environment: LC_WIKI_*, LC_SMTP_*); only their exit code is checked then
    (a test wiki's revisions and pages are not Meta-Wiki's)."""
    servers = servers or {}
    from typer.testing import CliRunner

    from letsconnect_cli.cli import app

    outcome = Outcome()
    project = make_project(folder)
    cwd = project
    before = Path.cwd()
    try:
        for block in read_blocks(page):
            os.chdir(cwd)
            if block.title and block.language not in ("console", "sh"):
                target = cwd / block.title
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(block.body + "\n", encoding="utf-8")
                continue
            found = commands(block)
            if not found:
                continue
            skip = block.options.get("skip", "")
            server_env: dict[str, str] | None = None
            if "skip" in block.options:
                server_env = _server(servers, skip, "")
                if server_env is None:
                    outcome.not_run.append((block.where, skip))
                    continue
            if "copy" in block.options:
                source, _, dest = block.options["copy"].partition(">")
                if (ROOT / source).is_dir():
                    shutil.copytree(ROOT / source, project / dest, dirs_exist_ok=True)
                else:
                    (project / dest).parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy(ROOT / source, project / dest)
            not_run = [t for t in block.options.get("not-run", "").split(",") if t]
            expected_exit = int(block.options.get("exit", "0"))
            width = block.options.get("width", "80")
            for command in found:
                for part in command.text.split("&&"):
                    words = _words(part)
                    if not words:
                        continue
                    env = server_env
                    if any(t in part for t in not_run):
                        env = _server(servers, "", part.strip())
                        if env is None:
                            outcome.not_run.append((block.where, part.strip()))
                            continue
                    if words[0] == "cd":
                        cwd = (cwd / words[1]).resolve()
                        os.chdir(cwd)
                        continue
                    if words[0] == "mkdir":
                        for name in words[1:]:
                            if not name.startswith("-"):
                                (cwd / name).mkdir(parents=True, exist_ok=True)
                        continue
                    if words[0] != "lc":
                        continue
                    os.environ["COLUMNS"] = width
                    with _clock(block.options.get("now")):
                        result = CliRunner().invoke(app, words[1:], prog_name="lc", env=env)
                    outcome.ran.append(part.strip())
                    if show:
                        print(f"$ {part.strip()}   [exit {result.exit_code}]")
                        print(result.stdout + result.stderr)
                    if result.exit_code != expected_exit:
                        outcome.failures.append(
                            f"{block.where}: `{part.strip()}` exited {result.exit_code}, "
                            f"not {expected_exit}:\n{result.stdout}{result.stderr}"
                        )
                        continue
                    if env is not None:
                        continue  # a server of the tests, not the page's: the exit code only
                    if command.shown and [x.strip() for x in command.shown if x.strip()] == [
                        "FILL"
                    ]:
                        outcome.fills.append((command.text, result.stdout + result.stderr))
                        continue
                    if command.shown is not None and len(command.text.split("&&")) == 1:
                        problem = _check_output(command.shown, result.stdout, result.stderr)
                        if problem:
                            outcome.failures.append(f"{block.where}: `{part.strip()}`: {problem}")
    finally:
        os.chdir(before)
    return outcome


def fill(page: Path, fills: list[tuple[str, str]]) -> None:
    """Write each FILL command's output into the page (for whoever writes a page; read the diff)."""
    text = page.read_text(encoding="utf-8")
    for command, output in fills:
        lines = "\n".join(line.rstrip() for line in output.rstrip("\n").split("\n"))
        text = text.replace(f"$ {command}\nFILL\n", f"$ {command}\n{lines}\n", 1)
    page.write_text(text, encoding="utf-8")


if (
    __name__ == "__main__"
):  # python -m tests.docs.examples [--fill] PAGE...: what each example prints
    import sys
    import tempfile

    for name in sys.argv[1:]:
        if name == "--fill":
            continue
        with tempfile.TemporaryDirectory() as tmp:
            os.environ.setdefault("NO_COLOR", "1")
            os.environ["TERM"] = "dumb"
            os.environ["XDG_CACHE_HOME"] = tmp + "/cache"
            os.environ["XDG_CONFIG_HOME"] = tmp + "/config"
            result = run_page(Path(name).resolve(), Path(tmp) / "p", show="--fill" not in sys.argv)
            if "--fill" in sys.argv:
                fill(Path(name).resolve(), result.fills)
            print("FAILURES:", *result.failures, sep="\n")
            print("NOT RUN:", *result.not_run, sep="\n")
