"""Privacy: no name, email or username of the input in any output format; small counts hidden so
subtraction cannot recover them; the protection list; spreadsheet formulas neutralised."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from letsconnect_cli.ingest.fields import normalise_header
from letsconnect_cli.report.csv_out import neutralise
from letsconnect_cli.report.privacy import Disclosure
from tests.conftest import ROOT
from tests.report.conftest import run, run_json

FORMATS = ("table", "json", "csv", "markdown", "html")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PERSON_COLUMNS = {
    "full name",
    "user name",
    "user name original name",
    "name original name",
    "first name",
    "last name",
    "wikimedia username",
    "username",
    "name",
}
_NOT_PEOPLE = {"Let's Connect Team"}  # the host account


def _people_in(path: Path) -> set[str]:
    """Every name, email and username in an export, found without lc's readers."""
    text = path.read_bytes().decode("utf-8-sig", errors="replace")
    found = set(_EMAIL.findall(text))
    if path.suffix == ".json":
        for item in json.loads(text):
            found.add(item.get("user_name", ""))
        return {f for f in found if len(f) > 3}
    columns: dict[int, str] = {}
    for row in csv.reader(
        io.StringIO(text), delimiter=";" if text.count(";") > text.count(",") else ","
    ):
        titles = {i: normalise_header(cell) for i, cell in enumerate(row)}
        if _PERSON_COLUMNS & set(titles.values()):
            columns = {i: t for i, t in titles.items() if t in _PERSON_COLUMNS}
            continue
        values = {t: row[i].strip() for i, t in columns.items() if i < len(row)}
        for value in values.values():
            found.add(value)
            found.add(value.replace("_", " "))
        if values.get("first name") and values.get("last name"):
            found.add(f"{values['first name']} {values['last name']}")
    return {f for f in found if len(f) > 3 and f not in _NOT_PEOPLE}


def _leaks(people: set[str], output: str) -> list[str]:
    """The people named in an output, as whole words ('Eric' is not in 'North America')."""
    folded = output.casefold()
    # One pass over the output for every name (the HTML report, with its map, is a megabyte);
    # the names found are then checked one by one, as before.
    names = sorted({p.casefold() for p in people}, key=len, reverse=True)
    anyone = re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, names)) + r")(?!\w)")
    if not names or anyone.search(folded) is None:
        return []
    return sorted(
        p for p in people if re.search(r"(?<!\w)" + re.escape(p.casefold()) + r"(?!\w)", folded)
    )


def _all_people(folder: Path) -> set[str]:
    people: set[str] = set()
    for path in folder.rglob("*"):
        if path.suffix in (".csv", ".json"):
            people |= _people_in(path)
    return people


@pytest.fixture
def everything(exports: Path) -> Path:
    shutil.copytree(ROOT / "examples" / "exports", exports / "examples")
    # A row whose clinic cell holds an email (columns shifted by hand): reported, never echoed.
    (exports / "shifted.csv").write_text(
        "Email,Country,Clinic\nbroken.row@example.org,Ghana,shifted.person@example.org\n"
        "Other: I am Kofi Mensah-Boateng,Ghana,Travel scholarships\n"
    )
    return exports


def test_the_check_finds_people(everything: Path) -> None:
    people = _all_people(everything)
    assert {
        "Jose Iyer",
        "Jose_Iyer",
        "jose.iyer201@example.org",
        "Lani",
        "Mwangi",
        "Amina Mwangi",
        "Wei Sato (Wei)",
        "D_four",
        "shifted.person@example.org",
    } <= people
    assert len(people) > 900


@pytest.mark.slow
@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("flags", [(), ("--min-count", "0", "--show-protected")])
def test_no_name_email_or_username_in_any_output(
    everything: Path, runner: CliRunner, fmt: str, flags: tuple[str, ...]
) -> None:
    result = run(runner, "exports", "data", "examples", "shifted.csv", "--format", fmt, *flags)
    assert result.exit_code == 0, result.stderr
    assert len(result.stdout) > 1000
    assert _leaks(_all_people(everything), result.stdout) == []
    assert _EMAIL.search(result.stdout) is None


@pytest.mark.slow
def test_output_file_has_no_people_either(everything: Path, runner: CliRunner) -> None:
    result = run(runner, "exports", "data", "examples", "--format", "html", "-o", "report.html")
    assert result.exit_code == 0 and result.stdout == ""
    text = (everything / "report.html").read_text()
    assert _leaks(_all_people(everything), text) == []


def test_small_counts_are_hidden_by_default(exports: Path, runner: CliRunner) -> None:
    report = run_json(runner, "data/hand")
    assert report["min_count"] == 5
    assert (
        report["returning_participants"] is None
        and "returning_participants" in report["suppressed"]
    )
    assert report["attended"] is None and report["attendance_rate"] is None
    assert all(r["participants"] is None and r["suppressed"] for r in report["regions"])
    assert all(c["participants"] is None and c["share"] is None for c in report["countries"])
    assert report["registrations"] == 11 and report["participants"] == 11
    table = run(runner, "data/hand")
    # Every hidden count looks the same: "<5" would tell a small one from one hidden to protect it.
    assert "hidden" in table.stdout and "<5" not in table.stdout


def test_min_count_zero_shows_everything(exports: Path, runner: CliRunner) -> None:
    report = run_json(runner, "data/hand", "--min-count", "0")
    assert report["suppressed"] == []
    assert not any(r["suppressed"] for r in report["regions"] + report["countries"])


def _group(counts: dict[str, int], k: int) -> set[str]:
    """The hidden members of one table whose total is published."""
    model = Disclosure(k)
    cells = [model.count(key, n) for key, n in counts.items()]
    model.equal(model.count("total", sum(counts.values()), priority=1), cells)
    model.suppress()
    return {key for key in counts if model.hidden(key)}


def test_hidden_counts_leave_k_values_possible() -> None:
    # One small count alone would be total minus the others: the smallest other goes too.
    assert _group({"SSA": 40, "ESEAP": 12, "SA": 2}, 5) == {"SA", "ESEAP"}
    # Two small ones: 2 + 3 = 5 leaves each 1..4, fewer than 5 values: one more.
    assert _group({"SSA": 40, "ESEAP": 12, "SA": 2, "LAC": 3}, 5) == {"SA", "LAC", "ESEAP"}
    assert _group({"A": 10, "B": 7}, 5) == set()
    assert _group({"A": 9, "B": 0}, 5) == set()  # zero tells nothing
    assert _group({"A": 9, "B": 1}, 0) == set()
    assert _group({"A": 9, "B": 1}, 1) == set()
    # Deterministic: ties go to the first (by size, then by order).
    assert _group({"A": 1, "B": 20, "C": 20}, 5) == {"A", "B"}


def test_a_small_total_is_hidden_with_a_part() -> None:
    model = Disclosure(5)
    a, b = model.count("a", 3), model.count("b", 0)
    model.equal(model.count("total", 3, priority=1), [a, b])
    model.suppress()
    assert model.hidden("a") and model.hidden("total")


def test_a_count_never_shown_is_protected_too() -> None:
    # The protected people of a region: region 12 - India 10 = 2 unless one of them is hidden.
    model = Disclosure(5)
    india, others = model.count("IN", 10), model.implicit("protected", 2)
    model.equal(model.count("SA", 12, priority=1), [india, others])
    model.suppress()
    assert model.hidden("IN") and not model.hidden("SA")


def test_secondary_suppression_is_shown_as_hidden(exports: Path, runner: CliRunner) -> None:
    report = run_json(runner, "data/eseap-review-2024.csv")
    marks = {r["region"]: r["suppressed"] for r in report["regions"]}
    # SA 2 and SSA 1 are small; ESEAP (14) is hidden only so that 17 - 14 does not give them away.
    assert marks == {"ESEAP": True, "SA": True, "SSA": True}
    assert all("secondary" not in r for r in report["regions"])  # no mark tells them apart
    text = run(runner, "data/eseap-review-2024.csv").stdout
    assert "ESEAP   East, Southeast Asia, & Pacific" in text
    assert "hidden" in text.split("ESEAP   East, Southeast Asia, & Pacific")[1].splitlines()[0]


def test_shares_stay_honest(exports: Path, runner: CliRunner) -> None:
    report = run_json(runner, "data/hand", "--min-count", "2")
    # SSA 4, ESEAP 2, SA 1: SA is hidden, and ESEAP with it (7 - 4 would give SA back).
    assert [(r["region"], r["participants"], r["share"]) for r in report["regions"]] == [
        ("SSA", 4, 0.5714),
        ("ESEAP", None, None),
        ("SA", None, None),
    ]
    # The share is of all 7 with a known region (published), not 4 of 4 = 100%.
    assert report["with_region"] == 7
    shown = [r for r in report["regions"] if not r["suppressed"]]
    assert sum(r["share"] for r in shown) == pytest.approx(4 / 7, abs=1e-4)
    # Hidden entries come last in code order: their position tells nothing of their size.
    hidden = [r["region"] for r in report["regions"] if r["suppressed"]]
    assert hidden == sorted(hidden)


def test_protected_countries_are_counted_together(exports: Path, runner: CliRunner) -> None:
    shutil.copytree(ROOT / "examples" / "exports", exports / "examples")
    report = run_json(runner, "examples", "--min-count", "0")
    codes = {c["country"] for c in report["countries"]}
    assert not codes & {"VN", "CN", "BD"}
    protected = report["protected_countries"]
    # Viet Nam 3, China 2 (ESEAP), Bangladesh 7 (SA), Egypt 5 (MENA).
    assert protected["participants"] == 3 + 2 + 7 + 5
    eseap = next(r for r in report["regions"] if r["region"] == "ESEAP")
    listed = sum(c["participants"] for c in report["countries"] if c["region"] == "ESEAP")
    assert eseap["participants"] == listed + 5  # still counted in their region
    shown = run_json(runner, "examples", "--min-count", "0", "--show-protected")
    vietnam = next(c for c in shown["countries"] if c["country"] == "VN")
    assert vietnam["participants"] == 3 and vietnam["protected"] is True
    result = run(runner, "examples", "--show-protected")
    assert "do not publish this" in " ".join(result.stderr.split())
    assert "Viet Nam (protected)" in result.stdout or "Vietnam (protected)" in result.stdout


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1", "'+1"),
        ("-cmd", "'-cmd"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("Nigeria", "Nigeria"),
        (12, 12),
        (0.5, 0.5),
    ],
)
def test_neutralise(cell: object, expected: object) -> None:
    assert neutralise(cell) == expected


def test_csv_output_neutralises_formulas(exports: Path, runner: CliRunner) -> None:
    clinic = exports / "clinics" / "2023-04-02-travel-scholarships.toml"
    text = clinic.read_text().replace(
        'title = "Guidelines, best practices, and documented learnings related to travel '
        'scholarships"',
        'title = "=HYPERLINK(\\"http://evil.example\\",\\"travel\\")"',
    )
    clinic.write_text(text)
    # The Zoom report finds the clinic by its start time.
    result = run(runner, "exports/zoom-attendee-report-2020-layout.csv", "--format", "csv")
    assert result.exit_code == 0, result.stderr
    rows = list(csv.reader(io.StringIO(result.stdout)))
    titles = {row[2] for row in rows if row[0] == "per_clinic"}
    assert titles == {'\'=HYPERLINK("http://evil.example","travel")'}
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)
