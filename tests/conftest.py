"""Shared fixtures: a predictable terminal, an isolated configuration, and a CLI runner."""

from __future__ import annotations

import atexit
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from letsconnect_cli.cli import app

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
#: The tests' own copy of the example project: its clinic files and lc.toml, copied from the
#: repository's `clinics/` and `lc.toml` (issue 21). Tests never read those user-facing files of the
#: working tree, which hold whatever the Quick start or the user wrote there (the ledger of
#: `lc invite`, new clinics, settings); `working_tree_guard` below fails a test that does.
SEED = DATA / "project"
SEED_FILES = tuple(sorted(p.name for p in (SEED / "clinics").glob("*.toml")))


def copy_seed_clinics(folder: Path) -> Path:
    """Copy the tests' example clinic files (tests/data/project/clinics) into `folder`; return it."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in SEED_FILES:
        shutil.copy(SEED / "clinics" / name, folder / name)
    return folder


#: A read-only copy of the seed clinics for tests that only read them, made once per run.
SEED_CLINICS = copy_seed_clinics(Path(tempfile.mkdtemp(prefix="lc-seed-")) / "clinics")
atexit.register(shutil.rmtree, SEED_CLINICS.parent, True)

#: The user-facing files of the working tree no test may read, and the one test that does: the
#: Quick start test runs the README's first command on the repository's own example clinics.
WORKING_TREE = (str(ROOT / "clinics"), str(ROOT / "lc.toml"))
READS_THE_WORKING_TREE = {
    "tests/test_quick_start.py::test_the_quick_start_invite_leaves_the_shipped_ledger_as_it_is"
}


class WorkingTreeRead(Exception):
    """A test read the working tree's `clinics/` or `lc.toml` (see `working_tree_guard`)."""


class _Guard:
    """An audit hook (PEP 578) that sees every file a test opens and every folder it lists."""

    EVENTS = frozenset({"open", "os.listdir", "os.scandir"})

    def __init__(self) -> None:
        self.active = False
        self.reads: list[str] = []

    def __call__(self, event: str, args: tuple[object, ...]) -> None:
        if not self.active or event not in self.EVENTS:
            return
        path = args[0] if args else None
        if path is None and event != "open":
            path = "."
        if not isinstance(path, str | bytes | os.PathLike):
            return  # a file descriptor
        full = os.path.normpath(os.path.join(os.getcwd(), os.fsdecode(path)))  # noqa: PTH109, PTH118
        if any(full == target or full.startswith(target + os.sep) for target in WORKING_TREE):
            self.reads.append(full)
            raise WorkingTreeRead(f"a test read {full}: copy tests/data/project instead")


_GUARD = _Guard()
sys.addaudithook(_GUARD)


@pytest.fixture(autouse=True)
def working_tree_guard(request: pytest.FixtureRequest) -> Iterator[None]:
    """Fail a test that opens or lists the working tree's `clinics/` or `lc.toml`, even where the
    code under test catches the error (the one exception: READS_THE_WORKING_TREE)."""
    if request.node.nodeid in READS_THE_WORKING_TREE:
        yield
        return
    _GUARD.reads.clear()
    _GUARD.active = True
    try:
        yield
    finally:
        _GUARD.active = False
    reads = sorted(set(_GUARD.reads))
    _GUARD.reads.clear()
    assert not reads, f"the test read the working tree's {reads}: copy tests/data/project instead"


POSIX_LOCALE_VARIABLES = {
    "LC_ALL",
    "LC_CTYPE",
    "LC_COLLATE",
    "LC_MESSAGES",
    "LC_MONETARY",
    "LC_NUMERIC",
    "LC_TIME",
    "LC_ADDRESS",
    "LC_IDENTIFICATION",
    "LC_MEASUREMENT",
    "LC_NAME",
    "LC_PAPER",
    "LC_TELEPHONE",
}
#: Switches of the test suite itself, kept: regenerate golden files; fail where a server is missing.
TEST_SWITCHES = {"LC_UPDATE_GOLDEN", "LC_REQUIRE_SERVERS"}


class Golden:
    """Compares an output with its golden file under tests/data/, byte for byte.

    The one rule: `LC_UPDATE_GOLDEN=1` (exactly "1"; any other value compares) rewrites the golden
    files of the tests that run instead, e.g. `LC_UPDATE_GOLDEN=1 pytest tests/report`; read the diff
    (`git diff tests/data`) before committing it. Text is compared as its UTF-8 bytes: no newline
    translation, so CRLF files (calendars, email) stay as they are.
    """

    def __init__(self, update: bool) -> None:
        self.update = update

    def __call__(self, name: str | Path, actual: str | bytes) -> None:
        """Check `actual` against tests/data/`name` (or rewrite that file under the switch)."""
        path = DATA / name
        data = actual.encode("utf-8") if isinstance(actual, str) else actual
        if self.update and (not path.is_file() or path.read_bytes() != data):
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        shown = path.relative_to(ROOT)
        setting = os.environ.get("LC_UPDATE_GOLDEN")
        hint = "if the change is wanted, regenerate with LC_UPDATE_GOLDEN=1 (exactly 1" + (
            f"; it is {setting!r} now)" if setting else ")"
        )
        assert path.is_file(), f"no golden file {shown}; {hint}"
        expected = path.read_bytes()
        if data == expected:
            return
        if isinstance(actual, str):
            # The text diff pytest shows, where the golden file is text.
            assert actual == expected.decode("utf-8", errors="replace"), f"{shown} differs; {hint}"
        assert data == expected, f"{shown} differs; {hint}"


@pytest.fixture
def golden() -> Golden:
    """`golden(name, output)`: compare with tests/data/<name>, or rewrite it under LC_UPDATE_GOLDEN=1."""
    return Golden(update=os.environ.get("LC_UPDATE_GOLDEN") == "1")


@pytest.fixture(autouse=True)
def predictable_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """No colour, 80 columns, no user or project configuration leaking in from the machine."""
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setenv("TERM", "dumb")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path_factory.mktemp("xdg-config")))
    # A cache folder of each test's own (lc validate's cache), on every system.
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("xdg-cache")))
    for name in list(os.environ):
        # Every LC_* setting of lc (LC_WIKI_PASSWORD, LC_ANNOUNCE_TO ...), not the POSIX locale ones.
        if name.startswith("LC_") and name not in POSIX_LOCALE_VARIABLES | TEST_SWITCHES:
            monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)


_RUNNING: list[pytest.Item] = []


@pytest.fixture(autouse=True)
def running_test(request: pytest.FixtureRequest) -> Iterator[None]:
    """The test that runs now, for `integration_only`."""
    _RUNNING.append(request.node)
    yield
    _RUNNING.pop()


def integration_only(what: str) -> None:
    """Fail a test that starts `what` (a real server or program) without the `integration` marker,
    so that `pytest -m "not integration"` leaves out every test that needs one. The helpers that
    start them call this: tests/mediawiki.py, tests/mail/smtpserver.py, Chromium, GNU date."""
    if _RUNNING and _RUNNING[-1].get_closest_marker("integration") is None:
        pytest.fail(f"{_RUNNING[-1].nodeid} uses {what}: mark it @pytest.mark.integration")


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A working tree with a copy of the seed clinics and lc.toml (tests/data/project), as the
    current folder."""
    copy_seed_clinics(tmp_path / "clinics")
    shutil.copy(SEED / "lc.toml", tmp_path / "lc.toml")
    monkeypatch.chdir(tmp_path)
    yield tmp_path


@pytest.fixture
def empty_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A working tree with an empty clinics folder and no lc.toml."""
    (tmp_path / "clinics").mkdir()
    monkeypatch.chdir(tmp_path)
    yield tmp_path


def invoke(runner: CliRunner, *args: str, input: str | None = None):
    return runner.invoke(app, list(args), input=input)
