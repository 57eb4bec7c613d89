"""Regenerate the README's command reference from `lc --help` (run after changing a command).

    python scripts/update_readme.py          # rewrite the block in README.md
    python scripts/update_readme.py --check  # exit 1 if README.md is out of date

A test runs the check, so the README cannot drift from the commands.
"""

from __future__ import annotations

import sys
from pathlib import Path

from typer.testing import CliRunner

from letsconnect_cli.cli import app

README = Path(__file__).resolve().parent.parent / "README.md"
BEGIN = "<!-- BEGIN COMMAND REFERENCE -->"
END = "<!-- END COMMAND REFERENCE -->"
WIDTH = "100"


def command_names() -> list[str]:
    """The commands of lc, in the order `lc --help` lists them."""
    from letsconnect_cli.cli.app import COMMANDS

    return list(COMMANDS)


def help_text(*args: str) -> str:
    result = CliRunner().invoke(
        app,
        [*args, "--help"],
        env={"COLUMNS": WIDTH, "NO_COLOR": "1", "TERM": "dumb"},
        prog_name="lc",
    )
    if result.exit_code != 0:
        raise RuntimeError(f"lc {' '.join(args)} --help failed: {result.output}")
    return "\n".join(line.rstrip() for line in result.stdout.strip("\n").splitlines())


def render_reference() -> str:
    parts = [
        BEGIN,
        "## Command reference",
        "",
        "Generated from `--help` by `python scripts/update_readme.py`; a test keeps it true.",
        "",
        "### `lc`",
        "",
        "```text",
        help_text(),
        "```",
    ]
    for name in command_names():
        parts += ["", f"### `lc {name}`", "", "```text", help_text(name), "```"]
    parts.append(END)
    return "\n".join(parts)


def updated_readme(text: str) -> str:
    start = text.index(BEGIN)
    end = text.index(END) + len(END)
    return text[:start] + render_reference() + text[end:]


def main(argv: list[str]) -> int:
    text = README.read_text(encoding="utf-8")
    new = updated_readme(text)
    if "--check" in argv:
        if new != text:
            print(
                "README.md's command reference is out of date: run python scripts/update_readme.py"
            )
            return 1
        return 0
    if new != text:
        README.write_text(new, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
