"""The tally's counts (`report.stats.Tally`, before privacy rules and rounding) against figures
kept from before the report engine was rewritten as one route (issue 21).

`tests/data/report/golden/tally-counts.json` holds, for the format samples and fixtures and for 80
exports of random rows drawn from small pools of messy values (emails in any case, with spaces or
`mailto:`, invalid; usernames with `_`, `User:` or "n/a"; countries as names, codes, unknown or
blank; regions that contradict the country; ratings out of range; clinics that match none; the
same person under an email on one row and a username on another), every count and the ingest log,
as the old engine's report route gave them (`Tally.add_table`; its records route, proved equal by
a test but for one case, `home_wikis` of a home-wiki column left empty, counted alike). Written
once from that code; regenerate it (`LC_UPDATE_GOLDEN=1`) only for an intended change, and read
the diff.
"""

from __future__ import annotations

import csv
import json
import random
from collections import Counter
from dataclasses import asdict
from pathlib import Path
from typing import Any

import pytest

from letsconnect_cli.clinic.clinics import load_clinics
from letsconnect_cli.clinic.models import Clinic
from letsconnect_cli.ingest import IngestLog, ReadOptions, read_records
from letsconnect_cli.report.stats import Tally
from letsconnect_cli.vocab import Scheme
from tests.conftest import DATA, SEED_CLINICS, Golden

FIGURES = DATA / "report" / "golden" / "tally-counts.json"
CASES = 80

EMAILS = [
    "",
    "a@x.org",
    "A@X.org",
    " a@x.org ",
    "mailto:b@x.org",
    "b@x.org",
    "c@x.org",
    "not an email",
    "d@x.org",
]
USERS = ["", "Alpha", "alpha", "User:Alpha", "Beta_One", "Beta One", "n/a", "Gamma", "-"]
NAMES = ["", "Ann Lee", "ann lee", "Bo", "Phone caller"]
COUNTRIES = ["", "Nigeria", "NG", "nga", "Philippines", "PH", "Atlantis", "none", "Namibia", "NA"]
REGIONS = ["", "ESEAP", "Sub-Saharan Africa", "MENA", "NA", "Mars"]
ROLES = ["", "Volunteer organiser", "Board member", "Paid staff", "astronaut"]
LANGUAGES = ["", "French", "Japanese;Chinese", "Swahili", "Klingon", "none", "zh-TW"]
RATINGS = ["", "5", "4", " 3 ", "4.0", "9", "good", "1"]
YES_NO = ["Yes", "No", "", "maybe"]
SKILLS = ["", "Wikidata; Lexemes", "grants", "Organising events"]
WIKIS = ["", "en.wikipedia.org", "Wikidata", "tl"]
CLINIC_TEXTS = [
    "",
    "Guidelines, best practices, and documented learnings related to travel scholarships",
    "2023-01-14-building-a-wikimedia-affiliate-group",
    "copyright clinic awareness education",
    "No such clinic",
]

#: Layouts: the header row and the pools its cells are drawn from.
LAYOUTS: dict[str, list[tuple[str, list[str]]]] = {
    "registration": [
        ("Timestamp", ["2023/03/21 2:05:43 AM GMT+8"]),
        ("Email address", EMAILS),
        ("Full name", NAMES),
        ("Wikimedia username", USERS),
        ("Which country are you based in?", COUNTRIES),
        ("Which Wikimedia region are you from?", REGIONS),
        ("What is your main role in the Wikimedia movement?", ROLES),
        ("Which languages would you like interpretation into?", LANGUAGES),
        ("Which Learning Clinic are you registering for?", CLINIC_TEXTS),
    ],
    "feedback": [
        ("Timestamp", ["2023/04/03 4:00:00 PM GMT+8"]),
        ("Email address", EMAILS),
        ("Which Learning Clinic did you attend?", CLINIC_TEXTS),
        ("How would you rate the session? (1-5)", RATINGS),
    ],
    "zoom-participants": [
        ("Name (Original Name)", NAMES),
        ("User Email", EMAILS),
        ("Join Time", ["04/02/2023 06:01:00 AM"]),
        ("Leave Time", ["04/02/2023 07:00:00 AM"]),
        ("In Waiting Room", ["", "", "Yes", "No"]),
    ],
    "csv-attendance": [
        ("First name", NAMES),
        ("Last name", NAMES),
        ("Email", EMAILS),
        ("Username", USERS),
        ("Country", COUNTRIES),
        ("Attended", YES_NO),
        ("Rating", RATINGS),
        ("Clinic", CLINIC_TEXTS),
    ],
    "csv-skills": [
        ("Email", EMAILS),
        ("Username", USERS),
        ("Country", COUNTRIES),
        ("Skills you want to learn", SKILLS),
        ("Skills you can share", SKILLS),
        ("Home wiki", WIKIS),
        ("Clinic", CLINIC_TEXTS),
    ],
}


def _case(number: int, folder: Path) -> tuple[list[str], dict[str, Any]]:
    """The exports of one random case (written into `folder`), and its read options."""
    rng = random.Random(number)
    sources = []
    for index in range(rng.randint(1, 4)):
        layout = rng.choice(sorted(LAYOUTS))
        path = folder / f"{number}-{index}-{layout}.csv"
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow([title for title, _ in LAYOUTS[layout]])
            for _ in range(rng.randint(5, 40)):
                odd = rng.random()
                if odd < 0.05:
                    writer.writerow(rng.choice([[], ["only one cell"], ["", ""]]))
                else:
                    writer.writerow([rng.choice(pool) for _, pool in LAYOUTS[layout]])
        sources.append(path.name)
        if rng.random() < 0.1:
            sources.append(path.name)  # the same file given twice
    options: dict[str, Any] = {}
    if number % 5 == 1:
        options["clinic"] = "2023-04-02-travel-scholarships"
    if number % 7 == 2:
        options["scheme"] = Scheme.GRANT_COMMITTEE
    return sources, options


def _plain(value: Any) -> Any:
    """Counts and log as JSON: counters and sets as sorted lists, tuple keys as lists."""
    if isinstance(value, Counter):
        return sorted([*(k if isinstance(k, tuple) else (k,)), n] for k, n in value.items())
    if isinstance(value, set | frozenset):
        return sorted(value)
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _counts(sources: list[str], clinics: list[Clinic], **options: Any) -> dict[str, Any]:
    log = IngestLog()
    tally = Tally()
    tally.add_all(read_records(sources, clinics, ReadOptions(**options), log))
    counts = asdict(tally.counts(asked=log.fields))
    read = asdict(log)
    del read["fields"]  # new with the one route: the fields the sources have a column for
    return {"counts": _plain(counts), "log": _plain(read)}


def _all_figures(folder: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    clinics = load_clinics(SEED_CLINICS)
    figures: dict[str, Any] = {}
    monkeypatch.chdir(DATA)  # sources named as in the file, whatever the working folder
    samples = sorted(
        str(p.relative_to(DATA)) for p in (DATA / "exports").iterdir() if p.suffix != ".md"
    )
    fixtures = sorted(
        str(p.relative_to(DATA))
        for p in (DATA / "report").rglob("*.csv")
        if "golden" not in p.parts
    )
    figures["samples and fixtures"] = _counts(samples + fixtures, clinics)
    figures["samples and fixtures, one clinic"] = _counts(
        samples + fixtures, clinics, clinic="2023-04-02-travel-scholarships"
    )
    monkeypatch.chdir(folder)
    for number in range(CASES):
        sources, options = _case(number, folder)
        figures[f"random {number}"] = _counts(sources, clinics, **options)
    return figures


def test_the_tally_counts_as_before(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, golden: Golden
) -> None:
    text = json.dumps(_all_figures(tmp_path, monkeypatch), sort_keys=True) + "\n"
    if golden.update:
        golden(FIGURES.relative_to(DATA), text)
    figures = json.loads(text)
    expected = json.loads(FIGURES.read_text())
    assert figures["samples and fixtures"]["counts"]["participants"] > 20  # real data was seen
    assert sum(f["counts"]["participants"] for f in figures.values()) > 300
    for case, found in figures.items():
        assert found == expected[case], case  # a case at a time: the file is one long line
