"""The report's fast path (`Tally.add_table`, cells straight from CSV tables) against the records
path (`read_records` and `Tally.add`): both must count exactly alike, on any mix of exports.

Hypothesis writes exports of random rows drawn from small pools of messy values (emails in any
case, with spaces or `mailto:`, invalid; usernames with `_`, `User:` or "n/a"; countries as names,
codes, unknown or blank; regions that contradict the country; ratings out of range; clinics that
match none), in the layouts the tabular reader knows, and compares counts and logs.
"""

from __future__ import annotations

import csv
import tempfile
from dataclasses import asdict
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from letsconnect_cli.clinic.clinics import load_clinics
from letsconnect_cli.clinic.models import Clinic
from letsconnect_cli.ingest import IngestLog, ReadOptions, read_records
from letsconnect_cli.ingest.sources import read_sources
from letsconnect_cli.report.stats import Counts, Tally
from tests.conftest import SEED_CLINICS as SEED_FOLDER
from tests.report.conftest import REPORT_DATA, SAMPLES

SEED_CLINICS = load_clinics(SEED_FOLDER)  # read-only: shared by every generated example

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
LANGUAGES = ["", "French", "Japanese;Chinese", "Swahili", "Klingon", "none"]
RATINGS = ["", "5", "4", " 3 ", "4.0", "9", "good"]
YES_NO = ["Yes", "No", "", "maybe"]
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
}


@st.composite
def exports(draw: st.DrawFn) -> list[tuple[str, list[list[str]]]]:
    """One to four exports: (layout, rows), some rows ragged or empty."""
    files = []
    for _ in range(draw(st.integers(1, 4))):
        layout = draw(st.sampled_from(sorted(LAYOUTS)))
        pools = [pool for _, pool in LAYOUTS[layout]]
        row = st.tuples(*(st.sampled_from(pool) for pool in pools)).map(list)
        odd = st.sampled_from([[], ["only one cell"], ["", ""]])
        rows = draw(st.lists(st.one_of(row, row, row, odd), min_size=5, max_size=40))
        files.append((layout, rows))
    return files


def _write(folder: Path, files: list[tuple[str, list[list[str]]]]) -> list[str]:
    paths = []
    for number, (layout, rows) in enumerate(files):
        path = folder / f"{number}-{layout}.csv"
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow([title for title, _ in LAYOUTS[layout]])
            writer.writerows(rows)
        paths.append(str(path))
    return paths


def _reference_counts(tally: Tally) -> dict[str, Any]:
    """`Tally.counts()` the plain way: person by person, clinic by clinic, from the bits alone
    (`counts()` keeps per-clinic totals as it goes and counts in C; both must agree)."""
    people = tally._people
    clinics = tally._clinics
    active = [p for p in people if p.reg or p.att]
    expect = Counts(clinic_ids=list(clinics), duplicates=tally._duplicates, rejoins=tally._rejoins)
    expect.registration_clinics = {c for c, b in tally._bits.items() if b & tally._reg_clinics}
    expect.attendance_clinics = {c for c, b in tally._bits.items() if b & tally._att_clinics}
    expect.participants = len(active)
    for person in active:
        mine = [i for i in range(len(clinics)) if (person.reg | person.att) >> i & 1]
        expect.returning += len(mine) > 1
        came = [i for i in range(len(clinics)) if person.att >> i & 1]
        expect.attendees += bool(came)
        expect.returning_attendees += len(came) > 1
        for i in range(len(clinics)):
            registered, attended = person.reg >> i & 1, person.att >> i & 1
            expect.clinic_registrations[clinics[i]] += registered
            expect.clinic_attended[clinics[i]] += attended
            expect.attended_registrants += registered and attended
            expect.registrations_where_attendance += registered and tally._att_clinics >> i & 1
        expect.region_corrected += person.corrected
        for value, counter in (
            (person.region, expect.regions),
            (person.country, expect.countries),
            (person.role, expect.roles),
        ):
            if value is not None:
                counter[value] += 1
        expect.languages.update(person.langs)
        expect.with_languages += bool(person.langs)
        if person.want or person.offer:
            expect.with_skills += 1
            for i in range(5):
                if person.want >> i & 1:
                    expect.skills_wanted[(1 << i, person.region or "")] += 1
                if person.offer >> i & 1:
                    expect.skills_offered[(1 << i, person.region or "")] += 1
    for person in people:
        for i in range(len(clinics)):
            if person.fb >> i & 1:
                score = person.scores >> (3 * i) & 7
                expect.ratings[score] += 1
                expect.clinic_rating_sum[clinics[i]] += score
                expect.clinic_rating_n[clinics[i]] += 1
    for counter in (expect.clinic_registrations, expect.clinic_attended):
        for clinic in [c for c, n in counter.items() if not n]:
            del counter[clinic]
    expect.registrations = sum(expect.clinic_registrations.values())
    expect.attended = sum(expect.clinic_attended.values())
    expect.with_region = sum(expect.regions.values())
    expect.with_country = sum(expect.countries.values())
    expect.with_role = sum(expect.roles.values())
    if tally._wiki_column:
        expect.home_wikis = len({p.wiki for p in active if p.wiki is not None})
    return asdict(expect)


def _both(
    sources: list[str], clinics: list[Clinic], **options: Any
) -> tuple[dict[str, Any], dict[str, Any]]:
    """(counts, log) by records and by tables, each as plain dicts."""
    results = []
    for fast in (False, True):
        log = IngestLog()
        tally = Tally()
        read = ReadOptions(**options)
        if fast:
            tally.add_all(read_sources(sources, clinics, read, log, tables=tally.add_table))
        else:
            tally.add_all(read_records(sources, clinics, read, log))
        counts = asdict(tally.counts())
        assert counts == _reference_counts(tally)
        results.append((counts, asdict(log)))
    (slow_counts, slow_log), (fast_counts, fast_log) = results
    assert fast_counts == slow_counts
    assert fast_log == slow_log
    return fast_counts, fast_log


@pytest.mark.slow
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(files=exports())
# Found by Hypothesis: a name without email or username, attended "Yes" on one row and "maybe" on
# the next (a row that does not say who attended is not matched by name).
@example(
    files=[
        (
            "csv-attendance",
            [
                [
                    "",
                    "Ann Lee",
                    "",
                    "",
                    "",
                    "Yes",
                    "",
                    "Guidelines, best practices, and documented learnings related to travel scholarships",
                ],
                [
                    "",
                    "Ann Lee",
                    "",
                    "",
                    "",
                    "maybe",
                    "",
                    "Guidelines, best practices, and documented learnings related to travel scholarships",
                ],
            ],
        )
    ]
)
def test_tables_count_as_records_do(files: Any) -> None:
    with tempfile.TemporaryDirectory() as folder:
        _both(_write(Path(folder), files), SEED_CLINICS)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(files=exports())
def test_tables_count_as_records_do_for_one_clinic(files: Any) -> None:
    with tempfile.TemporaryDirectory() as folder:
        _both(_write(Path(folder), files), SEED_CLINICS, clinic="2023-04-02-travel-scholarships")


def test_the_samples_and_fixtures_count_alike(clinics: list[Clinic]) -> None:
    sources = sorted(str(p) for p in [*SAMPLES.glob("*.csv"), *SAMPLES.glob("*.json")])
    sources += sorted(str(p) for p in REPORT_DATA.rglob("*.csv") if "golden" not in p.parts)
    counts, _ = _both(sources, clinics)
    assert counts["participants"] > 20  # the comparison saw real data
