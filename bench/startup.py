"""Start-up and validation benchmarks for lc, written to BENCHMARKS.md.

    python bench/startup.py [--runs 21]

Measures, as separate processes (process start included):
- `lc --help` against the floor's `--help` (bench/floor_app.py: a minimal Typer app of two commands
  with the same Typer settings as lc);
- `lc validate` on the bundled clinics against the floor's `hello` command, cold (`--no-cache`) and
  warm (every file's result in lc's validation cache);
- `lc validate` over 500 generated clinic files: cold (`--no-cache`), with an empty cache (which the
  run fills), warm (no file changed since the last run) and with one file edited before each run.
Runs are interleaved, so load on the machine falls on all alike. Reports the median wall time, the
median CPU time (user + system) and the peak resident memory; with valgrind, instructions too.
lc's modules are compiled to bytecode first, as an installed package has them (with
PYTHONDONTWRITEBYTECODE set, every run would compile them all again). lc's cache lives in
bench/.work/, never in the user's cache folder.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "bench" / ".work"
RESULTS = ROOT / "BENCHMARKS.md"
SECTION = "## Start-up and validation"
#: Hand-written analysis under this heading, in the section, is kept when the section is rewritten.
ANALYSIS = "### Where time goes"
CACHE = WORK / "cache"  # XDG_CACHE_HOME of the measured lc runs
EMPTY_CACHE = WORK / "cache-emptied"  # the cache of the runs that start from an empty one


def environment(cache: Path = CACHE) -> dict[str, str]:
    return {**os.environ, "NO_COLOR": "1", "XDG_CACHE_HOME": str(cache)}


@dataclass
class Sample:
    wall: float
    cpu: float
    peak_kib: int


def run_once(argv: list[str], cwd: Path, env: dict[str, str] | None = None) -> Sample:
    started = time.perf_counter()
    process = subprocess.Popen(
        argv,
        cwd=cwd,
        env=env or environment(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode not in (0,):
        raise RuntimeError(f"{' '.join(argv)} exited {process.returncode}")
    # ru_maxrss is in KiB on Linux.
    return Sample(wall, usage.ru_utime + usage.ru_stime, int(usage.ru_maxrss))


@dataclass
class Step:
    """One measured command: its row's name, argv, folder, environment, and what to do before
    each run (not timed)."""

    name: str
    argv: list[str]
    cwd: Path = ROOT
    env: dict[str, str] | None = None
    before: Callable[[], None] | None = None

    def run(self) -> Sample:
        if self.before is not None:
            self.before()
        return run_once(self.argv, self.cwd, self.env)


@dataclass
class Result:
    name: str
    command: str
    samples: list[Sample]

    @property
    def wall(self) -> float:
        return statistics.median(s.wall for s in self.samples)

    @property
    def cpu(self) -> float:
        return statistics.median(s.cpu for s in self.samples)

    @property
    def peak_mib(self) -> float:
        return max(s.peak_kib for s in self.samples) / 1024


def instructions(step: Step) -> int | None:
    """Instructions the process executes, counted by valgrind (the same on a busy machine)."""
    if shutil.which("valgrind") is None:
        return None
    if step.before is not None:
        step.before()
    out = WORK / "callgrind.out"
    result = subprocess.run(
        ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", *step.argv],
        cwd=step.cwd,
        env=step.env or environment(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        check=False,
    )
    out.unlink(missing_ok=True)
    for line in result.stderr.splitlines():
        if "Collected :" in line:
            return int(line.rsplit(":", 1)[1].strip())
    return None


def measure(steps: list[Step], runs: int) -> list[Result]:
    """Interleave the commands run by run; one warm-up run each first (file system cache, and
    lc's validation cache for the warm rows)."""
    for step in steps:
        step.run()
    results = [
        Result(
            step.name, " ".join(Path(a).name if i == 0 else a for i, a in enumerate(step.argv)), []
        )
        for step in steps
    ]
    for _ in range(runs):
        for result, step in zip(results, steps, strict=True):
            result.samples.append(step.run())
    return results


def compile_lc() -> None:
    """Bytecode for lc's modules, as `pip install` writes it for an installed package."""
    import compileall

    import letsconnect_cli

    compileall.compile_dir(Path(letsconnect_cli.__file__).parent, quiet=1)


def empty_cache() -> None:
    shutil.rmtree(EMPTY_CACHE, ignore_errors=True)


class Editor:
    """Edits one clinic file before each run (its title, a new one each time), so that the run
    finds one file it has not seen among the others; restores it at the end."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.original = path.read_text(encoding="utf-8")
        self.edits = 0

    def __call__(self) -> None:
        self.edits += 1
        text = self.original.replace('title = "', f'title = "Edit {self.edits}: ', 1)
        self.path.write_text(text, encoding="utf-8")

    def restore(self) -> None:
        self.path.write_text(self.original, encoding="utf-8")


def generate_clinics(folder: Path, count: int) -> None:
    """`count` valid clinic files, written by lc itself, varied like real ones."""
    from letsconnect_cli.clinic.clinics import clinic_from_mapping, write_clinic

    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    start = datetime(2024, 1, 6, 6, tzinfo=UTC)
    regions = ["ESEAP", "SSA", "LAC", "CEE", "SA", "MENA", "NWE", "NA"]
    languages = [
        ["ja", "zh"],
        ["fr", "sw"],
        ["es", "pt"],
        ["ru"],
        ["hi", "bn"],
        ["ar"],
        [],
        ["fil", "id"],
    ]
    for index in range(count):
        moment = start + timedelta(days=3 * index, hours=index % 12)
        raw = {
            "title": f"Learning Clinic {index}: sharing what worked, part {index % 7}",
            "category": ["funding", "tactics", "organisational", "technical", "interpersonal"][
                index % 5
            ],
            "status": ["scheduled", "confirmed", "done"][index % 3],
            "start": moment,
            "duration": ["2h", "90m", "1h30m"][index % 3],
            "language": "en",
            "interpretation": languages[index % 8],
            "regions": [regions[index % 8]],
            "sharers": [
                {"name": f"Sharer {index}", "affiliation": "Wikimedia Example", "role": "Volunteer"}
            ],
            "platform": "Zoom",
            "registration_url": f"https://meta.wikimedia.org/wiki/Event:Clinic_{index}",
            "description": "What participants learn.\nA second line.",
            "calendar": {"uid": f"bench-{index}@letsconnect"},
        }
        clinic, problems = clinic_from_mapping(f"{moment.date().isoformat()}-clinic-{index}", raw)
        assert clinic is not None, problems
        write_clinic(folder, clinic)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--generate", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.generate:
        generate_clinics(args.generate, 500)
        return 0

    bin_dir = Path(sys.executable).parent
    lc = str(bin_dir / "lc")
    floor = [sys.executable, str(ROOT / "bench" / "floor_app.py")]
    many = WORK / "clinics-500"
    # In a child process: this one stays small, as every measured process is forked from it and
    # the peak memory the kernel reports for a child counts what it inherited before exec.
    subprocess.run([sys.executable, __file__, "--generate", str(many)], check=True)
    compile_lc()
    shutil.rmtree(CACHE, ignore_errors=True)
    editor = Editor(sorted(many.glob("*.toml"))[0])
    dir_500 = ["--clinics-dir", str(many), "validate"]

    help_steps = [Step("floor --help", [*floor, "--help"]), Step("lc --help", [lc, "--help"])]
    validate_steps = [
        Step("floor hello", [*floor, "hello"]),
        Step("lc validate --no-cache (5 bundled clinics, cold)", [lc, "validate", "--no-cache"]),
        Step("lc validate (5 bundled clinics, warm cache)", [lc, "validate"]),
    ]
    many_steps = [
        Step("lc validate --no-cache (500 files, cold)", [lc, *dir_500, "--no-cache"]),
        Step(
            "lc validate (500 files, empty cache)",
            [lc, *dir_500],
            env=environment(EMPTY_CACHE),
            before=empty_cache,
        ),
        Step("lc validate (500 files, warm cache)", [lc, *dir_500]),
        Step("lc validate (500 files, 1 edited, warm cache)", [lc, *dir_500], before=editor),
    ]
    try:
        help_rows = measure(help_steps, args.runs)
        validate_rows = measure(validate_steps, args.runs)
        many_rows = measure(many_steps, args.runs)
        counted = {
            step.name: instructions(step) for step in (*help_steps, *validate_steps, *many_steps)
        }
    finally:
        editor.restore()

    rows = [*help_rows, *validate_rows, *many_rows]
    floor_help, lc_help = help_rows
    floor_hello, cold_5, warm_5 = validate_rows
    lines = [
        SECTION,
        "",
        f"Rerun: `python bench/startup.py --runs {args.runs}` (from the repository, in lc's virtualenv).",
        f"Measured {datetime.now(UTC):%Y-%m-%d} on {platform.machine()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}; {args.runs} interleaved runs each, after one warm-up run; "
        "process start included; lc's modules compiled to bytecode first, as installed. "
        "*Cold*: `--no-cache`, every file read and checked; *empty cache*: the cache folder "
        "removed before each run, which then fills it; *warm*: no file changed since the run "
        "before; *1 edited*: one file changed before each run.",
        "",
        "| command | median wall (s) | median CPU (s) | peak memory (MiB) |",
        "|---|---:|---:|---:|",
    ]
    lines += [f"| `{r.name}` | {r.wall:.3f} | {r.cpu:.3f} | {r.peak_mib:.1f} |" for r in rows]
    lines += [
        "",
        f"- `lc --help` / floor `--help`: {lc_help.wall / floor_help.wall:.2f}x wall, "
        f"{lc_help.cpu / floor_help.cpu:.2f}x CPU (target: within 1.3x).",
        f"- `lc validate` (5 bundled) / floor `hello`: cold {cold_5.wall / floor_hello.wall:.2f}x "
        f"wall, {cold_5.cpu / floor_hello.cpu:.2f}x CPU; warm {warm_5.wall / floor_hello.wall:.2f}x "
        f"wall, {warm_5.cpu / floor_hello.cpu:.2f}x CPU (target: within 1.3x).",
        "- `lc validate` over 500 files (target: under 0.5 s): "
        + "; ".join(
            f"{r.name.split('(500 files, ')[1].rstrip(')')} {r.wall:.3f} s" for r in many_rows
        )
        + ".",
    ]
    if all(counted.values()):
        lines += [
            "",
            "Instructions executed, counted by `valgrind --tool=callgrind` (one run each; unlike "
            "wall time, the same on a busy machine):",
            "",
            "| command | instructions (millions) |",
            "|---|---:|",
            *(f"| `{name}` | {count / 1e6:.0f} |" for name, count in counted.items() if count),
            "",
            f"- `lc --help` / floor `--help`: "
            f"{(counted[lc_help.name] or 0) / (counted[floor_help.name] or 1):.2f}x.",
            f"- `lc validate` (5 bundled) / floor `hello`: cold "
            f"{(counted[cold_5.name] or 0) / (counted[floor_hello.name] or 1):.2f}x, "
            f"warm {(counted[warm_5.name] or 0) / (counted[floor_hello.name] or 1):.2f}x.",
        ]
    lines.append("")
    section = "\n".join(lines)
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Benchmarks\n\n"
    if SECTION in text:
        before, _, after = text.partition(SECTION)
        rest = after.split("\n## ", 1)
        old_section = rest[0]
        if ANALYSIS in old_section:  # keep the hand-written analysis
            section += "\n" + ANALYSIS + old_section.split(ANALYSIS, 1)[1].rstrip("\n") + "\n"
        text = before + section + ("\n## " + rest[1] if len(rest) > 1 else "")
    else:
        text = text.rstrip("\n") + "\n\n" + section
    RESULTS.write_text(text, encoding="utf-8")
    print(section)
    return 0


if __name__ == "__main__":
    sys.exit(main())
