"""The census of issue 15's closing note: every hostile input through every command, classified.

    python -m tests.hostile.census                          # this tree
    PYTHONPATH=/path/to/other/src python -m tests.hostile.census   # another version of lc

Prints how many invocations were tried, how many were clean, how many ended in exit 1, wrote a raw
control character on stdout or stderr, quoted a cell of an export in a message, or (`lc new-clinic`)
accepted a control character. Everything happens in a temporary folder.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from typer.testing import CliRunner

from letsconnect_cli.cli import app
from tests.hostile import corpus
from tests.hostile.corpus import (
    HEADERLESS_CSV,
    HOSTILE_FILE_NAMES,
    HOSTILE_KEYS,
    HOSTILE_TEXTS,
    leaked,
    raw_controls,
)

BROKEN_EXPORTS = [
    HEADERLESS_CSV,
    "Piiname Nohead;Piiuser Nohead;piimail@example.org;Nigeria\n",
    "\x1b]0;PiiTitle\x07,Piiother\n1,2\n",
    "Email,Country,Clinic\npiione@example.org,Nigeria\x1b[31m,Piiclinic\n",
]
BROKEN_CELLS = ["Piiname", "Piiuser", "piimail", "PiiTitle", "Piiother", "piione", "Piiclinic"]
ESCAPES = "\x1b]0;PWNED\x07\x9b2J"


def invocations(root: Path) -> list[tuple[list[str], list[str] | None]]:
    """(arguments, the export cells no message may quote) of every run of the census."""
    ids = corpus.make_project(root)
    markers = corpus.write_exports(root / "exports", ids)
    first = next(iter(ids))
    runs: list[tuple[list[str], list[str] | None]] = []
    for args in (
        ["list"],
        ["list", "--json"],
        ["validate"],
        ["validate", "--json"],
        ["invite", "--all", "--dry-run"],
        ["invite", "--all", "--dry-run", "--json"],
    ):
        runs.append((args, None))
    for cid in ids:
        for fmt in ("wikitext", "markdown", "text", "html", "email"):
            runs.append((["announce", cid, "--format", fmt], None))
    for fmt in ("table", "json", "csv", "markdown", "html"):
        runs.append((["report", "exports", "--format", fmt, "--min-count", "0"], markers))
    for cid in list(ids)[:4]:
        args = ["invite", cid, "--region", "ESEAP", "--registrations", "exports", "--dry-run"]
        runs.append((args, markers))
    (root / "bad").mkdir()
    for index, content in enumerate(BROKEN_EXPORTS):
        path = root / "bad" / f"x{index}.csv"
        path.write_text(content, encoding="utf-8")
        runs.append((["report", str(path)], BROKEN_CELLS))
        args = ["invite", first, "--region", "ESEAP", "--dry-run", "--registrations", str(path)]
        runs.append((args, BROKEN_CELLS))
    source = root / "clinics" / f"{first}.toml"
    for index, key in enumerate(HOSTILE_KEYS):
        folder = root / f"key{index}"
        folder.mkdir()
        text = f"{corpus.toml_string(key)} = 1\n" + source.read_text(encoding="utf-8")
        (folder / source.name).write_text(text, encoding="utf-8")
        runs += [(["--clinics-dir", str(folder), "validate"], None)]
        runs += [(["--clinics-dir", str(folder), "list"], None)]
    for index, name in enumerate(HOSTILE_FILE_NAMES):
        folder = root / f"name{index}"
        folder.mkdir()
        shutil.copy(source, folder / name)
        runs += [(["--clinics-dir", str(folder), "validate"], None)]
        runs += [(["--clinics-dir", str(folder), "list"], None)]
    for args in (
        [ESCAPES],
        ["list", "--status", ESCAPES],
        ["announce", ESCAPES],
        ["validate", f"x{ESCAPES}.toml"],
        ["report", f"x{ESCAPES}.csv"],
        ["invite", ESCAPES],
        ["regions", ESCAPES],
    ):
        runs.append((args, None))
    for text in HOSTILE_TEXTS.values():
        for flag in ("--title", "--platform", "--sharer"):
            args = ["new-clinic", "--no-input", "--start", "2031-05-01T06:00Z", "--region", "ESEAP"]
            args += ["--id", "2031-05-01-census", "--force"]
            if flag != "--title":
                args += ["--title", "A clinic"]
            runs.append(([*args, flag, text], None))
    return runs


def census() -> dict[str, int]:
    counts = dict.fromkeys(
        ("tried", "clean", "exit 1", "raw control", "cell quoted", "control accepted"), 0
    )
    runner = CliRunner()
    here = Path.cwd()
    root = Path(tempfile.mkdtemp(prefix="lc-census-"))
    try:
        runs = invocations(root)
        os.chdir(root)
        for args, cells in runs:
            result = runner.invoke(app, args)
            found = {
                "exit 1": result.exit_code == 1,
                "raw control": bool(
                    raw_controls(result.stdout) or raw_controls(result.stderr, bidi=True)
                ),
                "cell quoted": bool(cells and leaked(result.stderr, cells)),
                "control accepted": args[0] == "new-clinic"
                and result.exit_code == 0
                and bool(raw_controls(args[-1]) or "\n" in args[-1]),
            }
            counts["tried"] += 1
            counts["clean"] += not any(found.values())
            for key, hit in found.items():
                counts[key] += hit
    finally:
        os.chdir(here)
        shutil.rmtree(root, ignore_errors=True)
    return counts


if __name__ == "__main__":
    print(census())
