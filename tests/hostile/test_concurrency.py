"""Two runs at once lose nothing: the ledger's read-modify-write is locked; a write killed halfway
leaves no temporary file beside committed ones for long; folders of addresses stay out of git."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from letsconnect_cli.invites import ledger as ledger_module
from tests.conftest import invoke

LEDGER_NAME = ".lc-issued.toml"

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX processes and signals")

FIRST = "2023-01-14-building-a-wikimedia-affiliate-group"
SECOND = "2023-04-02-travel-scholarships"

#: Runs lc with the ledger's write slowed down (as on a busy disk): what lc read is then
#: certainly stale by the time it writes, unless a lock kept the other run out meanwhile.
SLOW_LEDGER = """
import sys, time
from letsconnect_cli.invites import ledger
save = ledger.Ledger.save
delay = float(sys.argv[1])
def slow(self):
    time.sleep(delay)
    return save(self)
ledger.Ledger.save = slow
from letsconnect_cli.cli import main
sys.argv = ["lc", *sys.argv[2:]]
main()
"""

#: Writes the ledger and hangs inside the write (after the temporary file is made), to be killed.
HANG_IN_WRITE = """
import os, sys, time
from pathlib import Path
import letsconnect_cli.files as files
def hang(fd):
    print("writing", flush=True)
    time.sleep(60)
files.os.fsync = hang
files.write_text_atomic(Path(sys.argv[1]), "format = 1\\n", force=True)
"""


def _env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("LC_")}


def _entries(project: Path) -> set[str]:
    data = tomllib.loads((project / "clinics" / LEDGER_NAME).read_text(encoding="utf-8"))
    return {entry["clinic"] for entry in data["invites"].values()}


@pytest.mark.slow
def test_two_invites_at_once_both_survive_in_the_ledger(project: Path) -> None:
    runs = [
        subprocess.Popen(
            [sys.executable, "-c", SLOW_LEDGER, "1.5", "invite", clinic, "--out", f"out-{n}"],
            cwd=project,
            env=_env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n, clinic in enumerate((FIRST, SECOND))
    ]
    results = [run.communicate(timeout=120) for run in runs]
    for run, (_, err) in zip(runs, results, strict=True):
        assert run.returncode == 0, err
        assert "recorded in" in err
    assert _entries(project) == {FIRST, SECOND}


def test_a_second_run_that_waits_too_long_stops_with_exit_2(
    runner: CliRunner, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ledger_module, "LOCK_WAIT", 0.3, raising=False)
    from letsconnect_cli.invites.ledger import hold

    with hold(project / "clinics"):
        started = time.monotonic()
        result = invoke(runner, "invite", FIRST)
        waited = time.monotonic() - started
    assert result.exit_code == 2, result.stderr
    assert "another lc run is recording invites" in result.stderr
    assert LEDGER_NAME in result.stderr
    assert waited >= 0.3
    assert not (project / "clinics" / LEDGER_NAME).exists()
    assert invoke(runner, "invite", FIRST).exit_code == 0  # free again: it runs


def test_a_second_run_waits_for_the_first(
    runner: CliRunner, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A lock held for a moment (another run writing) is waited for, not an error."""
    with subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path; from letsconnect_cli.invites.ledger import hold\n"
            "with hold(Path(sys.argv[1])):\n    print('held', flush=True); time.sleep(1)",
            str(project / "clinics"),
        ],
        stdout=subprocess.PIPE,
        text=True,
    ) as holder:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        result = invoke(runner, "invite", FIRST)
        holder.wait(30)
    assert result.exit_code == 0, result.stderr
    assert _entries(project) == {FIRST}


def _git(project: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=project, check=True, capture_output=True, text=True
    ).stdout


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_a_write_killed_halfway_leaves_no_untracked_file_after_the_next_run(
    runner: CliRunner, project: Path
) -> None:
    _git(project, "init", "-q")
    _git(project, "add", "clinics")
    ledger = project / "clinics" / LEDGER_NAME
    with subprocess.Popen(
        [sys.executable, "-c", HANG_IN_WRITE, str(ledger)],
        env=_env(),
        stdout=subprocess.PIPE,
        text=True,
    ) as process:
        assert process.stdout is not None and process.stdout.readline().strip() == "writing"
        process.send_signal(signal.SIGKILL)
        process.wait(30)
    left = [p.name for p in (project / "clinics").iterdir() if p.name.endswith(".tmp")]
    assert len(left) == 1 and left[0].startswith(f".{LEDGER_NAME}.lc{process.pid}.")
    # another run's temporary file, still being written, is not touched
    alive = project / "clinics" / f".{LEDGER_NAME}.lc{os.getpid()}.abcdefgh.tmp"
    alive.write_text("", encoding="utf-8")
    result = invoke(runner, "invite", FIRST)
    assert result.exit_code == 0, result.stderr
    assert not (project / "clinics" / left[0]).exists()
    alive.unlink()
    untracked = _git(project, "status", "--porcelain", "--untracked-files=all", "clinics")
    assert [line for line in untracked.splitlines() if line.startswith("??")] == [
        f"?? clinics/{LEDGER_NAME}"
    ]


def _mail_project(project: Path) -> None:
    from tests.mail.conftest import EXPORTS, set_clinic, upcoming

    set_clinic(
        project,
        start=upcoming(),
        status="confirmed",
        registration_url="https://meta.wikimedia.org/wiki/Event:x",
    )
    (project / "exports").mkdir()
    (project / "exports" / "r.csv").write_bytes(EXPORTS[0].read_bytes())


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
@pytest.mark.parametrize("existing", ["", "notes.txt\n", "# mine\n*.log"])
def test_an_existing_out_folder_of_messages_gets_a_gitignore(
    runner: CliRunner, project: Path, existing: str
) -> None:
    _mail_project(project)
    out = project / "mail-out"
    out.mkdir()
    (out / "keep.txt").write_text("the user's own file\n", encoding="utf-8")
    if existing:
        (out / ".gitignore").write_text(existing, encoding="utf-8")
    _git(project, "init", "-q")
    args = [
        "invite",
        SECOND,
        "--region",
        "ESEAP",
        "--registrations",
        "exports",
        "--out",
        "mail-out",
    ]
    result = invoke(runner, *args)
    assert result.exit_code == 0, result.stderr
    emls = sorted(p.name for p in out.glob("*.eml"))
    assert emls
    untracked = _git(project, "status", "--porcelain", "--untracked-files=all", "mail-out")
    assert ".eml" not in untracked
    assert "mail-out/keep.txt" in untracked  # only lc's files are ignored, not the user's
    ignore = (out / ".gitignore").read_text(encoding="utf-8")
    assert ignore.startswith(existing) and ignore.count("*.eml") == 1
    again = invoke(runner, *args)  # run again: the line is not added twice
    assert again.exit_code == 0 and (out / ".gitignore").read_text(encoding="utf-8") == ignore


def test_two_publish_runs_keep_both_records(tmp_path: Path) -> None:
    """Two runs that read the publish records before either wrote: both records survive."""
    from letsconnect_cli.wiki.publish import Published, PublishState

    path = tmp_path / "clinics" / ".lc-published.toml"
    path.parent.mkdir()
    first, second = PublishState(path), PublishState(path)  # both read an empty file

    def record(title: str) -> Published:
        return Published("https://w/api.php", title, "x", "en", 1, "t", "0" * 40, "page")

    first.put(record("A"))
    second.put(record("B"))
    assert set(PublishState(path).records) == {
        ("https://w/api.php", "A"),
        ("https://w/api.php", "B"),
    }
