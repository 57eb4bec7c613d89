"""Bad input never ends in "unexpected error": each hostile input below gets the exit code the
README gives and a message naming the file (and the line or field where there is one); one bad
clinic file never keeps `lc list` or `lc invite` from the rest of the folder.

Each case runs in a fresh copy of the seed project. `python -m tests.hostile.test_inputs` runs
every case in a child process with a time limit and prints the counts (inputs tried, clean errors,
exit 1 or hangs, other outcomes): what the note of issue 15 reports, before and after.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import shutil
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from unittest import mock

import pytest

from tests.conftest import SEED as SEED_PROJECT
from tests.conftest import copy_seed_clinics

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"
SEED = "2023-04-02-travel-scholarships"
SEED_UID = "bdc55479-7c80-4fe5-b6e0-b2b8675f451c@letsconnect"
SEED_IDS = (
    "2023-01-14-building-a-wikimedia-affiliate-group",
    "2023-02-21-copyright-clinic-awareness-education",
    SEED,
)
HOSTILE = "2031-04-02-hostile"
BASE = 'title = "Hostile"\nstatus = "scheduled"\nregions = ["ESEAP"]\n'
DIGITS = "9" * 5000


@dataclass(frozen=True)
class Case:
    """One hostile input: lc's arguments, the exit code the README gives, what stderr must
    say (file, line, field), how to build it in the project, and what must hold afterwards."""

    name: str
    args: tuple[str, ...]
    code: int
    says: tuple[str, ...]
    setup: Callable[[Path], None] = lambda project: None
    patch: str | None = None  # a fault injected in the process: see `_patched`
    env: dict[str, str] = field(default_factory=dict)
    after: Callable[[Path, str, str], None] | None = None  # (project, stdout, stderr)
    child: bool = False  # run in a child process (it could block the test process)


# --- clinic files ------------------------------------------------------------------------------


def _clinic(text: str, name: str = HOSTILE) -> Callable[[Path], None]:
    def setup(project: Path) -> None:
        (project / "clinics" / f"{name}.toml").write_text(text, encoding="utf-8")

    return setup


def _rest_listed(project: Path, out: str, err: str) -> None:
    for clinic in SEED_IDS:
        assert clinic in out, f"{clinic} missing from lc list"


def _rest_invited(project: Path, out: str, err: str) -> None:
    for clinic in SEED_IDS:
        assert f"{clinic}.ics: would write" in err, f"{clinic} not invited"


def clinic_cases(
    label: str, line: str, where: tuple[str, ...], *, start: bool = True
) -> list[Case]:
    """validate, list and invite with a clinic file whose last line is `line`."""
    text = BASE + ("start = 2031-04-02T06:00:00Z\n" if start else "") + line + "\n"
    number = text.count("\n")
    says = (f"{HOSTILE}.toml", *(w.replace("{line}", str(number)) for w in where))
    setup = _clinic(text)
    return [
        Case(f"{label}/validate", ("validate", "--no-cache"), 3, says, setup),
        Case(f"{label}/list", ("list",), 3, (f"{HOSTILE}.toml",), setup, after=_rest_listed),
        Case(
            f"{label}/invite",
            ("invite", "--all", "--dry-run"),
            3,
            (f"{HOSTILE}.toml",),
            setup,
            after=_rest_invited,
        ),
    ]


def derived(clinic_id: str) -> str:
    return f"{uuid.uuid5(uuid.NAMESPACE_URL, 'https://letsconnect/clinic/' + clinic_id)}@lc"


def _two(project: Path) -> None:
    """A clinic without a uid, and one whose uid is the first one's derived UID."""
    _clinic(BASE + "start = 2031-05-01T06:00:00Z\n", "2031-05-01-first")(project)
    uid = derived("2031-05-01-first")
    _clinic(BASE + f'start = 2031-04-02T06:00:00Z\n[calendar]\nuid = "{uid}"\n')(project)


CLINICS = [
    *clinic_cases(
        "duration-20-digits", 'duration = "99999999999999999999h"', (":{line}", "duration")
    ),
    *clinic_cases("duration-int64", "duration = 9223372036854775807", (":{line}", "duration")),
    *clinic_cases("duration-5000-digits", f'duration = "{DIGITS}h"', (":{line}", "duration")),
    *clinic_cases("number-5000-digits", f"duration = {DIGITS}", (":{line}", "4,300 digits")),
    *clinic_cases(
        "start-9999",
        "start = 9999-12-31T23:00:00Z",
        (":{line}", "start", "out of range"),
        start=False,
    ),
    *clinic_cases(
        "start-0001",
        "start = 0001-01-01T00:00:00+05:00",
        (":{line}", "start", "out of range"),
        start=False,
    ),
    *clinic_cases(
        "key-with-bracket", '"speakers[0]" = "x"', (":{line}", "speakers[0]", "unknown key")
    ),
    *clinic_cases("arrays-5000-deep", "x = " + "[" * 5000 + "]" * 5000, ("nested",)),
    *clinic_cases("capacity-true", "capacity = true", (":{line}", "capacity", "whole number")),
    *clinic_cases("capacity-text", 'capacity = "100"', (":{line}", "capacity", "whole number")),
    Case(
        "uid-equals-a-derived-uid/validate",
        ("validate", "--no-cache"),
        3,
        (f"{HOSTILE}.toml", "calendar.uid", "2031-05-01-first"),
        _two,
    ),
    Case(
        "uid-equals-a-derived-uid/invite",
        ("invite", "--all", "--dry-run"),
        3,
        (f"{HOSTILE}.toml", "calendar.uid"),
        _two,
    ),
    *[
        Case(
            f"uid-differs-in-case/{command[0]}",
            command,
            3,
            (f"{HOSTILE}.toml", "calendar.uid"),
            _clinic(
                BASE + f'start = 2031-04-02T06:00:00Z\n[calendar]\nuid = "{SEED_UID.upper()}"\n'
            ),
        )
        for command in (("validate", "--no-cache"), ("invite", "--all", "--dry-run"))
    ],
]

# --- what a clinics folder holds ---------------------------------------------------------------


def _entry(kind: str) -> Callable[[Path], None]:
    def setup(project: Path) -> None:
        path = project / "clinics" / f"{HOSTILE}.toml"
        if kind == "loop":
            path.symlink_to(path.name)
        elif kind == "dangling":
            path.symlink_to("nothing-here.toml")
        elif kind == "folder":
            path.mkdir()
        elif kind == "fifo":
            os.mkfifo(path)

    return setup


ENTRIES = [
    case
    for kind, why in (
        ("loop", "symbolic link loop"),
        ("dangling", "does not exist"),
        ("folder", "a folder"),
        ("fifo", "not a regular file"),
    )
    for case in (
        Case(
            f"entry-{kind}/validate",
            ("validate", "--no-cache"),
            4,
            (f"{HOSTILE}.toml", why),
            _entry(kind),
            child=kind == "fifo",
        ),
        Case(
            f"entry-{kind}/list",
            ("list",),
            3,
            (f"{HOSTILE}.toml",),
            _entry(kind),
            after=_rest_listed,
            child=kind == "fifo",
        ),
        Case(
            f"entry-{kind}/invite",
            ("invite", "--all", "--dry-run"),
            3,
            (f"{HOSTILE}.toml",),
            _entry(kind),
            after=_rest_invited,
            child=kind == "fifo",
        ),
    )
] + [
    Case(
        "fifo-given-by-path",
        ("validate", f"clinics/{HOSTILE}.toml"),
        4,
        (f"{HOSTILE}.toml", "not a regular file"),
        _entry("fifo"),
        child=True,
    ),
    *[
        Case(
            f"clinics-folder-unreadable/{command[0]}",
            command,
            4,
            ("cannot read the clinics folder", "clinics", "Permission denied"),
            patch="unreadable-clinics",
        )
        for command in (("validate",), ("list",), ("invite", "--all", "--dry-run"))
    ],
]

# --- exports -----------------------------------------------------------------------------------


def _export(name: str, data: bytes | Callable[[], bytes]) -> Callable[[Path], None]:
    def setup(project: Path) -> None:
        (project / name).write_bytes(data() if callable(data) else data)

    return setup


def _big_participant_id() -> bytes:
    text = (DATA / "exports" / "campaignevents-participants.json").read_text(encoding="utf-8")
    items = json.loads(text)
    head = json.dumps(items[0])
    body = head.replace(
        f'"participant_id": {items[0]["participant_id"]}', f'"participant_id": {DIGITS}'
    )
    return ("[" + body + "]").encode()


def _feedback(rating: str) -> bytes:
    lines = (
        (DATA / "exports" / "google-forms-feedback.csv").read_text(encoding="utf-8").splitlines()
    )
    lines[1] = lines[1].replace('"5"', f'"{rating}"', 1)
    return ("\n".join(lines) + "\n").encode()


def _swallowing_quote() -> bytes:
    rows = ["Email,Country,Clinic"] + [f"p{n}@example.org,Fiji,{SEED}" for n in range(1, 15)]
    rows[2] = rows[2].replace(",Fiji,", ',"Fiji,')  # opened on line 3 ...
    rows[10] = rows[10].replace(",Fiji,", ',Fiji",')  # ... closed on line 11: 9 lines in a row
    return ("\n".join(rows) + "\n").encode()


def _utf16() -> bytes:
    text = (DATA / "exports" / "google-forms-registration.csv").read_text(encoding="utf-8")
    return text.encode("utf-16-le")


def _no_cell_quoted(project: Path, out: str, err: str) -> None:
    assert "p3@example.org" not in err and "p5@example.org" not in err


EXPORTS = [
    Case(
        "campaignevents-200k-deep",
        ("report", "deep.json"),
        4,
        ("deep.json", "nested"),
        _export("deep.json", b"[" * 200_000 + b"]" * 200_000),
    ),
    Case(
        "campaignevents-5000-digit-id",
        ("report", "ids.json"),
        4,
        ("ids.json", "4,300 digits"),
        _export("ids.json", _big_participant_id),
    ),
    *[
        Case(
            f"rating-{rating}",
            ("report", "feedback.csv", "--min-count", "0"),
            0,
            ("feedback.csv:2", "rating is not a whole number"),
            _export("feedback.csv", lambda rating=rating: _feedback(rating)),  # type: ignore[misc]
        )
        for rating in ("NaN", "inf", "1e309", "-Infinity")
    ],
    Case(
        "quote-swallowing-9-rows",
        ("report", "quote.csv", "--min-count", "0"),
        0,
        ("quote.csv:3", "unbalanced quote", "lines 3-11 (9 lines)"),
        _export("quote.csv", _swallowing_quote),
        after=_no_cell_quoted,
    ),
    Case(
        "utf16-without-bom",
        ("report", "utf16.csv"),
        4,
        ("utf16.csv", "UTF-16", "--encoding utf-16-le"),
        _export("utf16.csv", _utf16),
    ),
]

# --- outputs -----------------------------------------------------------------------------------

REPORT_SOURCE = str(DATA / "exports" / "google-forms-registration.csv")
NEW_CLINIC = ("new-clinic", "-t", "New one", "--start", "2031-01-01T06:00Z", "--no-input")
NEW_ID = "2031-01-01-new-one"


def _writers(target: str) -> list[tuple[str, tuple[str, ...], str]]:
    """(command, arguments writing to `target`, the file that is written)."""
    return [
        ("report", ("report", REPORT_SOURCE, "-o", target, "--force"), target),
        ("announce", ("announce", SEED, "-o", target, "--force"), target),
        ("invite", ("invite", SEED, "--out", target, "--force"), f"{target}/{SEED}.ics"),
        (
            "new-clinic",
            ("--clinics-dir", target, *NEW_CLINIC, "--force"),
            f"{target}/{NEW_ID}.toml",
        ),
    ]


def _nothing_left(folder: str, file: str) -> Callable[[Path, str, str], None]:
    def after(project: Path, out: str, err: str) -> None:
        assert not (project / file).is_file(), f"{file} was written"
        place = project / folder
        if place.is_dir():
            assert not list(place.rglob("*.tmp")), "a temporary file was left"

    return after


def _made_for(command: str, folder: str, target: str) -> Callable[[Path], None]:
    """`folder`; and for new-clinic its clinics folder `target` too (without one, new-clinic
    stops with a usage error pointing to lc init before it writes anything)."""
    return _made(folder, target) if command == "new-clinic" else _made(folder)


def _made(*folders: str) -> Callable[[Path], None]:
    def setup(project: Path) -> None:
        for name in folders:
            (project / name).mkdir(parents=True, exist_ok=True)
        (project / "a-file").write_text("not a folder\n", encoding="utf-8")

    return setup


def _folder_in_the_way(command: str) -> Callable[[Path], None]:
    def setup(project: Path) -> None:
        if command == "invite":
            (project / "out" / f"{SEED}.ics").mkdir(parents=True)
        elif command == "new-clinic":
            shutil.copytree(project / "clinics", project / "out")
            (project / "out" / f"{NEW_ID}.toml").mkdir()
        else:
            (project / "out").mkdir()

    return setup


OUTPUTS = (
    [
        case
        for command, args, file in _writers("ro/out")
        for case in [
            Case(
                f"read-only-folder/{command}",
                args,
                4,
                ("cannot write", "ro/out", "read-only"),
                _made_for(command, "ro", "ro/out"),
                patch="read-only",
                after=_nothing_left("ro", file),
            )
        ]
    ]
    + [
        Case(
            f"full-disk/{command}",
            args,
            4,
            ("cannot write", "full/out", "disk is full"),
            _made_for(command, "full", "full/out"),
            patch="full-disk",
            after=_nothing_left("full", file),
        )
        for command, args, file in _writers("full/out")
    ]
    + [
        Case(
            f"folder-in-the-way/{command}",
            args,
            4,
            ("cannot write", "out", "is a folder"),
            _folder_in_the_way(command),
            after=lambda project, out, err: None,
        )
        for command, args, file in _writers("out")
    ]
    + [
        Case(
            f"path-through-a-file/{command}",
            args,
            2 if command == "new-clinic" else 4,
            ("no clinics folder", "a-file/x")
            if command == "new-clinic"
            else ("cannot write", "a-file/x", "not a folder"),
            _made(),
            after=_nothing_left(".", file),
        )
        for command, args, file in _writers("a-file/x")
    ]
    + [
        Case(
            "full-disk/invite-ledger",
            ("invite", SEED, "--out", "elsewhere"),
            4,
            ("cannot write", ".lc-issued.toml", "disk is full"),
            patch="full-disk-ledger",
            after=_nothing_left("clinics", "clinics/.lc-issued.toml"),
        ),
    ]
)

# --- settings and flags ------------------------------------------------------------------------

FLAGS = [
    *[
        Case(
            f"organiser-name-crlf/{command[0]}",
            command,
            2,
            ("organiser.name", "line break"),
            env={"LC_ORGANISER_NAME": "Evil\r\nBcc: someone@example.org"},
        )
        for command in (("announce", SEED, "-F", "email"), ("invite", SEED, "--dry-run"))
    ],
    Case(
        "new-clinic-duration-20-digits",
        (*NEW_CLINIC, "--duration", "99999999999999999999h"),
        3,
        ("--duration", "too long"),
    ),
    Case(
        "new-clinic-start-0001",
        ("new-clinic", "-t", "x", "--start", "0001-01-01T00:00+05:00", "--no-input"),
        2,
        ("--start", "out of range"),
    ),
    Case(
        "regions-at-0001",
        ("regions", "--at", "0001-01-01T00:00+05:00"),
        2,
        ("--at", "out of range"),
    ),
    Case(
        "slots-date-9999",
        ("slots", "--region", "ESEAP", "--date", "9999-12-31"),
        2,
        ("--date", "out of range"),
    ),
    Case(
        "publish-as-of-0001",
        ("publish", "--index", "--dry-run", "--as-of", "0001-01-01T00:00+05:00"),
        2,
        ("--as-of", "out of range"),
    ),
]

CASES = CLINICS + ENTRIES + EXPORTS + OUTPUTS + FLAGS


# --- running a case ----------------------------------------------------------------------------


@contextlib.contextmanager
def _patched(name: str | None, project: Path) -> Iterator[None]:
    """Faults of the system, injected where lc meets it (root ignores permissions; a full disk
    cannot be made portably). They were also tried for real: tmpfs mounts, read-only and full."""
    if name is None:
        yield
        return
    if name == "unreadable-clinics":
        real_scandir = os.scandir

        def scandir(path: Any = ".") -> Any:
            if Path(path).name == "clinics":
                raise PermissionError(errno.EACCES, "Permission denied", str(path))
            return real_scandir(path)

        with mock.patch.object(os, "scandir", scandir):
            yield
        return
    if name == "read-only":
        real_mkstemp = tempfile.mkstemp

        readonly = (project / "ro").resolve()

        def mkstemp(*args: Any, **kwargs: Any) -> Any:
            if Path(str(kwargs.get("dir", "."))).resolve().is_relative_to(readonly):
                raise OSError(errno.EROFS, "Read-only file system")
            return real_mkstemp(*args, **kwargs)

        real_mkdir = Path.mkdir

        def mkdir(self: Path, *args: Any, **kwargs: Any) -> None:
            if self.resolve().is_relative_to(readonly) and not self.exists():
                raise OSError(errno.EROFS, "Read-only file system", str(self))
            real_mkdir(self, *args, **kwargs)

        with (
            mock.patch.object(tempfile, "mkstemp", mkstemp),
            mock.patch.object(Path, "mkdir", mkdir),
        ):
            yield
        return
    if name in ("full-disk", "full-disk-ledger"):
        real_fsync = os.fsync

        def fsync(descriptor: int) -> None:
            target = str(Path(f"/proc/self/fd/{descriptor}").readlink())
            ledger = ".lc-issued.toml" in target
            if (name == "full-disk" and "/full/" in target) or (name != "full-disk" and ledger):
                raise OSError(errno.ENOSPC, "No space left on device")
            real_fsync(descriptor)

        with mock.patch.object(os, "fsync", fsync):
            yield
        return
    raise AssertionError(name)


def make_project(folder: Path) -> Path:
    copy_seed_clinics(folder / "clinics")  # the tests' example clinics; no ledger
    shutil.copy(SEED_PROJECT / "lc.toml", folder / "lc.toml")
    return folder


def run_in_process(case: Case, project: Path) -> tuple[int, str, str]:
    """Run the case in this process (the current folder is the project); (code, out, err)."""
    from typer.testing import CliRunner

    from letsconnect_cli.cli import app

    case.setup(project)
    with _patched(case.patch, project), mock.patch.dict(os.environ, case.env):
        result = CliRunner().invoke(app, list(case.args))
    return result.exit_code, result.stdout, result.stderr


def run_in_child(case: Case, project: Path, timeout: float = 30.0) -> tuple[int | None, str, str]:
    """Run the case in a child process; code None when it did not finish in time."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("LC_")}
    env.update(NO_COLOR="1", COLUMNS="80", TERM="dumb", PYTHONPATH=os.pathsep.join(sys.path))
    code = (
        "import sys; from pathlib import Path; from tests.hostile.test_inputs import CASES, "
        "run_in_process\ncase = next(c for c in CASES if c.name == sys.argv[1])\n"
        "status, out, err = run_in_process(case, Path.cwd())\n"
        "sys.stdout.write(out); sys.stderr.write(err); sys.exit(status)"
    )
    try:
        done = subprocess.run(
            [sys.executable, "-c", code, case.name],
            cwd=project,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        return None, "", ""
    return done.returncode, done.stdout, done.stderr


def judge(case: Case, project: Path, code: int | None, out: str, err: str) -> str:
    """'clean', 'exit 1' (a crash or a hang) or what else went wrong."""
    if code is None:
        return "exit 1 (hang)"
    if code == 1 or "unexpected error" in err or "Traceback" in err:
        return "exit 1"
    if code != case.code:
        return f"exit {code}, not {case.code}"
    missing = [s for s in case.says if s not in out + err]  # lc validate reports on stdout
    if missing:
        return f"message lacks {missing}"
    if case.after is not None:
        try:
            case.after(project, out, err)
        except AssertionError as error:
            return f"after: {error}"
    return "clean"


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_hostile_input(
    case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> None:
    if case.child and sys.platform == "win32":
        pytest.skip("FIFOs are POSIX")
    project = make_project(tmp_path)
    monkeypatch.chdir(project)
    if case.child:
        code, out, err = run_in_child(case, project)
    else:
        code, out, err = run_in_process(case, project)
    verdict = judge(case, project, code, out, err)
    assert verdict == "clean", f"{verdict}\n--- stdout\n{out[-1500:]}\n--- stderr\n{err[-1500:]}"


def main() -> None:
    """Every case in a child process; the counts, and each case that is not clean."""
    counts: dict[str, int] = {}
    for case in CASES:
        with tempfile.TemporaryDirectory() as folder:
            project = make_project(Path(folder))
            code, out, err = run_in_child(case, project, timeout=20)
            verdict = judge(case, project, code, out, err)
        kind = (
            "clean" if verdict == "clean" else "exit 1" if verdict.startswith("exit 1") else "other"
        )
        counts[kind] = counts.get(kind, 0) + 1
        if verdict != "clean":
            print(f"{case.name}: {verdict}")
    print(f"inputs tried {len(CASES)}: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))


if __name__ == "__main__":
    main()


def test_validate_refuses_the_uids_invite_would_refuse(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A UID calendars read differently (a space, a comma) fails lc validate as it fails lc invite."""
    project = make_project(tmp_path)
    monkeypatch.chdir(project)
    case = Case(
        "uid-unsafe",
        ("validate", "--no-cache"),
        3,
        (f"{HOSTILE}.toml", "calendar.uid", "spaces"),
        _clinic(BASE + 'start = 2031-04-02T06:00:00Z\n[calendar]\nuid = "a b,c@lc"\n'),
    )
    code, out, err = run_in_process(case, project)
    assert judge(case, project, code, out, err) == "clean", out + err
