"""Start-up and validation benchmarks for lc, written to BENCHMARKS.md.

    python bench/startup.py [--runs 21]

Measures, as separate processes (process start included):
- `lc --help` against the floor's `--help` (bench/floor_app.py: a minimal Typer app of two commands
  with the same Typer settings as lc);
- `lc validate` on the bundled clinics against the floor's `hello` command;
- `lc validate` over 500 generated clinic files.
Runs of lc and of the floor are interleaved, so load on the machine falls on both alike. Reports
the median wall time, the median CPU time (user + system) and the peak resident memory.
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
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "bench" / ".work"
RESULTS = ROOT / "BENCHMARKS.md"
SECTION = "## Start-up and validation"


@dataclass
class Sample:
    wall: float
    cpu: float
    peak_kib: int


def run_once(argv: list[str], cwd: Path) -> Sample:
    env = {**os.environ, "NO_COLOR": "1"}
    started = time.perf_counter()
    process = subprocess.Popen(
        argv, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode not in (0,):
        raise RuntimeError(f"{' '.join(argv)} exited {process.returncode}")
    # ru_maxrss is in KiB on Linux.
    return Sample(wall, usage.ru_utime + usage.ru_stime, int(usage.ru_maxrss))


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


def instructions(argv: list[str], cwd: Path) -> int | None:
    """Instructions the process executes, counted by valgrind (the same on a busy machine)."""
    if shutil.which("valgrind") is None:
        return None
    out = WORK / "callgrind.out"
    result = subprocess.run(
        ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", *argv],
        cwd=cwd,
        env={**os.environ, "NO_COLOR": "1"},
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


def measure_pair(pairs: list[tuple[str, list[str], Path]], runs: int) -> list[Result]:
    """Interleave the commands run by run; one warm-up run each first (file system cache)."""
    for _, argv, cwd in pairs:
        run_once(argv, cwd)
    results = [
        Result(name, " ".join(Path(a).name if i == 0 else a for i, a in enumerate(argv)), [])
        for name, argv, cwd in pairs
    ]
    for _ in range(runs):
        for result, (_, argv, cwd) in zip(results, pairs, strict=True):
            result.samples.append(run_once(argv, cwd))
    return results


def generate_clinics(folder: Path, count: int) -> None:
    """`count` valid clinic files, written by lc itself, varied like real ones."""
    from letsconnect_cli.clinics import clinic_from_mapping, write_clinic

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
    # lc's modules as bytecode, as an install leaves them, even where PYTHONDONTWRITEBYTECODE
    # (set in this sandbox) keeps Python from writing it: an editable install would otherwise
    # parse lc's source on every run. The floor is one small script, compiled as it runs.
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "src")], check=True)

    help_pair = measure_pair(
        [("floor --help", [*floor, "--help"], ROOT), ("lc --help", [lc, "--help"], ROOT)], args.runs
    )
    validate_pair = measure_pair(
        [
            ("floor hello", [*floor, "hello"], ROOT),
            ("lc validate (5 bundled clinics)", [lc, "validate"], ROOT),
        ],
        args.runs,
    )
    many_result = measure_pair(
        [("lc validate (500 files)", [lc, "--clinics-dir", str(many), "validate"], ROOT)], args.runs
    )

    rows = [*help_pair, *validate_pair, *many_result]
    counted = {
        name: instructions(argv, ROOT)
        for name, argv in (
            ("floor --help", [*floor, "--help"]),
            ("lc --help", [lc, "--help"]),
            ("floor hello", [*floor, "hello"]),
            ("lc validate", [lc, "validate"]),
        )
    }
    ratio_help = help_pair[1].wall / help_pair[0].wall
    ratio_validate = validate_pair[1].wall / validate_pair[0].wall
    ratio_help_cpu = help_pair[1].cpu / help_pair[0].cpu
    ratio_validate_cpu = validate_pair[1].cpu / validate_pair[0].cpu
    lines = [
        SECTION,
        "",
        f"Rerun: `python bench/startup.py --runs {args.runs}` (from the repository, in lc's virtualenv).",
        f"Measured {datetime.now(UTC):%Y-%m-%d} on {platform.machine()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}; {args.runs} interleaved runs each, after one warm-up run; "
        "process start included.",
        "",
        "| command | median wall (s) | median CPU (s) | peak memory (MiB) |",
        "|---|---:|---:|---:|",
    ]
    lines += [f"| `{r.name}` | {r.wall:.3f} | {r.cpu:.3f} | {r.peak_mib:.1f} |" for r in rows]
    lines += [
        "",
        f"- `lc --help` / floor `--help`: {ratio_help:.2f}x wall, {ratio_help_cpu:.2f}x CPU (target: within 1.3x).",
        f"- `lc validate` / floor `hello`: {ratio_validate:.2f}x wall, {ratio_validate_cpu:.2f}x CPU (target: within 1.3x).",
        f"- `lc validate` over 500 files: {many_result[0].wall:.3f} s (target: under 0.5 s).",
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
            f"{(counted['lc --help'] or 0) / (counted['floor --help'] or 1):.2f}x.",
            f"- `lc validate` / floor `hello`: "
            f"{(counted['lc validate'] or 0) / (counted['floor hello'] or 1):.2f}x.",
        ]
    lines.append("")
    section = "\n".join(lines)
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Benchmarks\n\n"
    if SECTION in text:
        before, _, after = text.partition(SECTION)
        rest = after.split("\n## ", 1)
        text = before + section + ("\n## " + rest[1] if len(rest) > 1 else "")
    else:
        text = text.rstrip("\n") + "\n\n" + section
    RESULTS.write_text(text, encoding="utf-8")
    print(section)
    return 0


if __name__ == "__main__":
    sys.exit(main())
