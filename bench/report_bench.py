"""`lc report --format json` against a pandas script computing the same headline figures.

    pip install -e '.[bench]'
    python bench/report_bench.py [--sizes 10000 100000 1000000] [--runs 3]

For each size, generates (once, under bench/.work/report/) a project of 60 clinic files and Google
Forms exports of that many rows: 85% registrations (one person in three registers again, 2% of rows
twice, countries as names, codes or in lower case, some unknown, emails in any case) and 15%
feedback. Then runs, as separate processes (process start included), `lc report` and
`bench/report_pandas.py` alternately, checks that both give the same figures, and writes the median
wall time and the peak resident memory into the "lc report vs pandas" section of BENCHMARKS.md.
Alongside, `bench/report_floor.py`: the same rows read as lc reads them and barely counted, the
floor under any report that streams rows through Python.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "bench" / ".work" / "report"
RESULTS = ROOT / "BENCHMARKS.md"
SECTION = "## lc report vs pandas"
CLINICS = 60
TABLE = ROOT / "src" / "letsconnect_cli" / "data" / "wikimedia-countries.tsv"
ROLES = [
    "Individual volunteer editor",
    "Volunteer organiser",
    "Paid staff of an affiliate",
    "Board member",
]
LANGUAGES = ["", "", "", "French", "Japanese;Chinese", "Indonesian", "Swahili", "Arabic;French"]
REGION_NAMES = [
    "ESEAP",
    "Sub-Saharan Africa",
    "South Asia",
    "CEE",
    "Latin America & Caribbean",
    "MENA",
    "NWE",
    "NA",
]


def generate(rows: int, folder: Path) -> None:
    """A project folder: clinics/ and exports/registrations.csv, exports/feedback.csv."""
    if (folder / "exports" / "feedback.csv").exists():
        return
    rng = random.Random(rows)
    (folder / "clinics").mkdir(parents=True, exist_ok=True)
    (folder / "exports").mkdir(exist_ok=True)
    # Its own lc.toml, so that lc does not climb to the repository's and its clinics.
    (folder / "lc.toml").write_text('clinics_dir = "clinics"\n')
    titles = []
    for number in range(CLINICS):
        month, day = divmod(number, 28)
        title = f"Bench clinic {number:03d}: peer learning"
        titles.append(title)
        clinic_id = f"2024-{month + 1:02d}-{day + 1:02d}-bench-clinic-{number:03d}-peer-learning"
        (folder / "clinics" / f"{clinic_id}.toml").write_text(
            f'title = "{title}"\nstatus = "done"\n'
            f"start = 2024-{month + 1:02d}-{day + 1:02d}T06:00:00Z\n"
            'duration = "2h"\nregions = ["ESEAP"]\n'
        )
    with TABLE.open(encoding="utf-8") as handle:
        table = list(csv.DictReader(handle, delimiter="\t"))
    weights = [
        40 if row["iso_code"] in ("NG", "PH", "ID", "IN", "GH", "TZ") else 1 for row in table
    ]
    registration_rows = rows * 85 // 100
    people = max(registration_rows // 3, 1)
    chosen = rng.choices(table, weights=weights, k=people)
    with (folder / "exports" / "registrations.csv").open(
        "w", newline="", encoding="utf-8"
    ) as handle:
        writer = csv.writer(handle, quoting=csv.QUOTE_ALL)
        writer.writerow(
            [
                "Timestamp",
                "Email address",
                "Full name",
                "Wikimedia username",
                "Which country are you based in?",
                "Which Wikimedia region are you from?",
                "What is your main role in the Wikimedia movement?",
                "Which languages would you like interpretation into?",
                "Which Learning Clinic are you registering for?",
            ]
        )
        written = 0
        while written < registration_rows:
            person = rng.randrange(people)
            country = chosen[person]
            spelling = rng.random()
            if spelling < 0.8:
                place = country["name"]
            elif spelling < 0.9:
                place = country["iso_code"]
            elif spelling < 0.95:
                place = country["name"].lower()
            elif spelling < 0.995:
                place = country["iso_alpha3_code"]
            else:
                place = "Atlantis"
            email = f"person{person}@example.org"
            if rng.random() < 0.05:
                email = f" Person{person}@Example.org "
            row = [
                f"2024/01/{rng.randint(1, 28)} {rng.randint(1, 12)}:{rng.randint(10, 59)}:00 PM "
                "GMT+8",
                email,
                f"Person {person}",
                f"Person_{person}",
                place,
                rng.choice(REGION_NAMES),
                ROLES[person % len(ROLES)],
                LANGUAGES[person % len(LANGUAGES)],
                rng.choice(titles),
            ]
            writer.writerow(row)
            written += 1
            if rng.random() < 0.02 and written < registration_rows:
                writer.writerow(row)
                written += 1
    with (folder / "exports" / "feedback.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, quoting=csv.QUOTE_ALL)
        writer.writerow(
            [
                "Timestamp",
                "Email address",
                "Which Learning Clinic did you attend?",
                "How much did the session meet your expectations? (1 = not at all, 5 = completely)",
                "What would you like to learn next?",
            ]
        )
        for _ in range(rows - registration_rows):
            score = rng.choices(["5", "4", "3", "2", "1", "9"], weights=[50, 30, 10, 5, 4, 1])[0]
            writer.writerow(
                [
                    "2024/02/01 4:00:00 PM GMT+8",
                    f"person{rng.randrange(people)}@example.org",
                    rng.choice(titles),
                    score,
                    rng.choice(["", "Wikidata; Lexemes", 'More "grants"']),
                ]
            )


ANALYSIS = """\
**The engine (issue 21): one route.** Every reader yields a cleaned `Record` per row, built with keyword arguments; `Tally.add` counts records, one algorithm; who is the same person is `ingest/people.py`'s (the report, the invitations and `lc slots` weights share it); a `Person` holds its clinics as tuples of clinic ids under plain names, its scores as a dict, `counts()` plain loops. Before it, CSV tables took a second route (cells read straight from the rows, no Record, a person found by the email cell as written and a username cleaned only when it changed) and totals were computed in C over bit-packed people.

What the one route costs, in instructions (callgrind, 30,000 rows read in one process after imports; the same on a busy machine): 2,430M against the two routes' 1,680M (1.45x); about 590M of either is resolving each distinct country spelling once, so per row it is nearer 1.6x. Where the difference goes, a row: building the `Record` (about 12,600 instructions: CPython 3.11 hands keyword arguments to a class through a dict), cleaning each row's email, username, name and role (the second route did it once a person, by the raw cell: about 9,000), finding the person through `People.of` (about 5,000), and `counts()` in Python over people (about 7,000 a row's worth at 30,000 rows; people wanting the same languages or naming the same skills are counted as a group).

Tried and dropped, with what they gave: a person's clinics as sets (named sets, as the issue asks: 446 MiB at 1M rows, over half of pandas' peak, where tuples keep 259 MiB); caches of cleaned email and username cells in the cleaner (1.3% fewer instructions, 61 MiB more at 1M rows); a factory function building the `Record` from keywords and the class from positions (3% fewer instructions, and a second list of the record's 22 fields). Kept from before: the cyclic garbage collector off while rows are read, the people freed before it is switched back on; language names from CLDR; no Rich for the non-table formats; an ASCII fast path in fold(); the benchmark runs lc from bytecode, as an install leaves it.

**The floor** (`bench/report_floor.py`, the table's floor column): the same rows read as lc reads them, with the cyclic collector off as in lc, and per row one look-up of the email cell and one (person, clinic) pair noted, nothing else. Whatever lc does per row (cleaning, identities, countries, regions, roles, languages, feedback) comes on top of it; pandas, which parses and deduplicates in C column by column, has no such floor, and pulls ahead from about 100,000 rows on (importing pandas takes 0.7-0.9 s).

**A columnar reader, measured before** (pyarrow 26 in a separate virtualenv, on the 1M export; not part of lc): importing pyarrow costs 0.3 s on every run; turning its columns back into Python values for a row loop costs 0.8-1.1 s; only a report computed in C end to end would be faster, which means whole files in memory, a second implementation of the identity and deduplication rules, and a 150 MB dependency. Not taken.

This virtual machine is noisy even when idle: identical runs vary by up to 30% in wall time, so the ratios of one run matter more than its seconds.\
"""


@dataclass
class Sample:
    wall: float
    cpu: float  # user + system, of the process and the processes it waited for
    peak_kib: int


def run_once(argv: list[str], cwd: Path, output: Path) -> Sample:
    env = {**os.environ, "NO_COLOR": "1"}
    with output.open("wb") as sink:
        started = time.perf_counter()
        process = subprocess.Popen(argv, cwd=cwd, env=env, stdout=sink, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        raise RuntimeError(f"{' '.join(argv)} exited {code}")
    # ru_maxrss (KiB on Linux): the largest of the process and of the processes it waited for.
    return Sample(wall, usage.ru_utime + usage.ru_stime, int(usage.ru_maxrss))


def lc_figures(report: dict[str, Any]) -> dict[str, Any]:
    return {
        "clinics": report["clinics"],
        "registrations": report["registrations"],
        "participants": report["participants"],
        "returning_participants": report["returning_participants"],
        "average_registrations_per_clinic": report["average_registrations_per_clinic"],
        "duplicates": report["data_quality"]["duplicates"],
        "regions": {r["region"]: r["participants"] for r in report["regions"]},
        "top_countries": {c["country"]: c["participants"] for c in report["countries"][:5]},
        "satisfaction_responses": report["satisfaction"]["responses"],
        "satisfaction_mean": report["satisfaction"]["mean"],
    }


@dataclass
class Row:
    rows: int
    people: int
    lc: list[Sample]
    pandas: list[Sample]
    floor: list[Sample]

    @staticmethod
    def wall(samples: list[Sample]) -> float:
        return statistics.median(s.wall for s in samples)

    @staticmethod
    def cpu(samples: list[Sample]) -> float:
        return statistics.median(s.cpu for s in samples)

    @staticmethod
    def peak(samples: list[Sample]) -> float:
        return max(s.peak_kib for s in samples) / 1024


def measure(rows: int, runs: int) -> Row:
    folder = WORK / f"{rows}"
    generate(rows, folder)
    lc = [
        sys.executable,
        "-m",
        "letsconnect_cli",
        "report",
        "exports",
        "--format",
        "json",
        "--min-count",
        "0",
    ]
    pandas = [sys.executable, str(ROOT / "bench" / "report_pandas.py"), str(folder)]
    floor = [sys.executable, str(ROOT / "bench" / "report_floor.py"), str(folder)]
    lc_out, pandas_out, floor_out = (
        folder / "lc.json",
        folder / "pandas.json",
        folder / "floor.json",
    )
    result = Row(rows, 0, [], [], [])
    run_once(lc, folder, lc_out)  # warm-up: file system cache
    run_once(pandas, folder, pandas_out)
    run_once(floor, folder, floor_out)
    for _ in range(runs):
        result.lc.append(run_once(lc, folder, lc_out))
        result.pandas.append(run_once(pandas, folder, pandas_out))
        result.floor.append(run_once(floor, folder, floor_out))
    ours = lc_figures(json.loads(lc_out.read_text()))
    theirs = json.loads(pandas_out.read_text())
    if ours != theirs:
        raise SystemExit(
            f"lc and pandas disagree at {rows} rows:\nlc:     {ours}\npandas: {theirs}"
        )
    result.people = ours["participants"]
    return result


def write_results(results: list[Row], runs: int, command: str) -> str:
    today = datetime.now(UTC).date().isoformat()
    lines = [
        SECTION,
        "",
        f"Rerun: `{command}` (from the repository, in lc's virtualenv with the `bench` extra).",
        f"Measured {today} on {platform.machine()}, {os.cpu_count()} CPUs, Python "
        f"{platform.python_version()}, "
        f"pandas {_pandas_version()}; median of {runs} alternating runs after one warm-up each; "
        "process start "
        "included; peak = largest resident set of any run. Both compute the same headline figures "
        "(checked equal on every run): registrations deduplicated per clinic, unique participants, "
        "returning participants, average per clinic, regions and top countries from cleaned "
        "countries, satisfaction. lc computes the whole report besides (roles, languages, per "
        "clinic, "
        "privacy rules).",
        "",
        "| rows | people | lc wall (s) | pandas wall (s) | lc / pandas wall | floor wall (s) | "
        "floor / pandas wall | lc CPU (s) | pandas CPU (s) | lc peak (MiB) | pandas peak (MiB) | "
        "lc / pandas peak |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in results:
        lc_wall, pd_wall, floor_wall = Row.wall(row.lc), Row.wall(row.pandas), Row.wall(row.floor)
        lc_peak, pd_peak = Row.peak(row.lc), Row.peak(row.pandas)
        lines.append(
            f"| {row.rows:,} | {row.people:,} | {lc_wall:.2f} | {pd_wall:.2f} | "
            f"{lc_wall / pd_wall:.2f}x | {floor_wall:.2f} | {floor_wall / pd_wall:.2f}x "
            f"| {Row.cpu(row.lc):.2f} | {Row.cpu(row.pandas):.2f} "
            f"| {lc_peak:.0f} | {pd_peak:.0f} | {lc_peak / pd_peak:.2f}x |"
        )
    slower = [f"{r.rows:,}" for r in results if Row.wall(r.lc) > Row.wall(r.pandas)]
    largest = max(results, key=lambda r: r.rows)
    peak_ratio = Row.peak(largest.lc) / Row.peak(largest.pandas)
    lines += [
        "",
        "Targets: lc no slower than pandas at any size (wall ratio at most 1.00x), and at most "
        "half "
        "its peak memory at 1M rows (peak ratio at most 0.50x).",
        "",
        f"- Time: {'met' if not slower else 'missed at ' + ', '.join(slower) + ' rows'}.",
        f"- Memory at {largest.rows:,} rows: {peak_ratio:.2f}x pandas' peak: "
        f"{'met' if peak_ratio <= 0.5 else 'missed'}.",
        "",
        ANALYSIS,
    ]
    return "\n".join(lines) + "\n"


def _pandas_version() -> str:
    import pandas

    return str(pandas.__version__)


def update_section(text: str) -> None:
    current = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Benchmarks\n"
    if SECTION in current:
        start = current.index(SECTION)
        end = current.find("\n## ", start + len(SECTION))
        current = current[:start] + text + (current[end + 1 :] if end != -1 else "")
    else:
        current = current.rstrip("\n") + "\n\n" + text
    RESULTS.write_text(current, encoding="utf-8")


def compile_lc() -> None:
    """lc's modules as bytecode, as an install leaves them (pandas' are), even where
    PYTHONDONTWRITEBYTECODE keeps Python from writing it: otherwise an editable install parses
    lc's source on every run."""
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "src")], check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--no-write", action="store_true", help="Print, do not update BENCHMARKS.md."
    )
    args = parser.parse_args()
    compile_lc()
    results = []
    for rows in args.sizes:
        row = measure(rows, args.runs)
        print(
            f"{rows:>9,} rows: lc {Row.wall(row.lc):.2f} s {Row.peak(row.lc):.0f} MiB; "
            f"pandas {Row.wall(row.pandas):.2f} s {Row.peak(row.pandas):.0f} MiB; "
            f"floor {Row.wall(row.floor):.2f} s",
            flush=True,
        )
        results.append(row)
    sizes = " ".join(str(s) for s in args.sizes)
    command = f"python bench/report_bench.py --sizes {sizes} --runs {args.runs}"
    text = write_results(results, args.runs, command)
    if args.no_write:
        print(text)
    else:
        update_section(text)
        print(f"wrote the {SECTION[3:]!r} section of {RESULTS.name}")


if __name__ == "__main__":
    main()
