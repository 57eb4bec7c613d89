"""The six ways issue 16 got hidden numbers back from one report, as exports (invented people).

Each attack writes its exports into a folder and names the `lc report` arguments; the JSON the
code before issue 16 printed for each is kept in tests/data/privacy/before/ (see test_attacks).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

JAN = "2023-01-14-building-a-wikimedia-affiliate-group"
FEB = "2023-02-21-copyright-clinic-awareness-education"
_HEADER = "Email;Wikimedia username;Country;Role;Interpretation;Clinic\n"
_FEEDBACK = (
    '"Timestamp","Email address","Which Learning Clinic did you attend?",'
    '"How much did the session meet your expectations? (1 = not at all, 5 = completely)"\n'
)


def _people(prefix: str, n: int, country: str, clinic: str = JAN, language: str = "") -> list[str]:
    return [
        f"{prefix}{i}@example.org;{prefix.title()}_{i};{country};Individual volunteer editor;"
        f"{language};{clinic}\n"
        for i in range(n)
    ]


def _write(folder: Path, rows: list[str], feedback: list[str] | None = None) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "registrations.csv").write_text(_HEADER + "".join(rows))
    if feedback is not None:
        (folder / "feedback.csv").write_text(_FEEDBACK + "".join(feedback))


def protected_line_by_subtraction(folder: Path) -> list[str]:
    """1. The hidden protected line (3 from Iran) = MENA 13 - Morocco 10."""
    _write(
        folder,
        _people("ng", 20, "Nigeria") + _people("ma", 10, "Morocco") + _people("ir", 3, "Iran"),
    )
    return [str(folder)]


def protected_people_per_region(folder: Path) -> list[str]:
    """2. SA 12 - India 10 = 2 from Afghanistan, Bangladesh or Pakistan, the line being visible."""
    rows = _people("ng", 20, "Nigeria") + _people("in", 10, "India") + _people("pk", 2, "Pakistan")
    _write(folder, rows + _people("ir", 5, "Iran"))
    return [str(folder)]


def language_from_share(folder: Path) -> list[str]:
    """3. fr 20 at share 0.9091: 22 asked for interpretation, so the hidden sw = 2."""
    rows = _people("fr", 20, "Nigeria", language="French") + _people(
        "sw", 2, "Nigeria", language="Swahili"
    )
    _write(folder, rows + _people("ng", 10, "Nigeria"))
    return [str(folder)]


def returning_from_registrations(folder: Path) -> list[str]:
    """4. Hidden returning (2) = registrations 42 - participants 40, with two clinics."""
    rows = _people("a", 20, "Nigeria", JAN) + _people("b", 18, "Nigeria", FEB)
    rows += _people("c", 2, "Nigeria", JAN) + _people("c", 2, "Nigeria", FEB)
    _write(folder, rows)
    return [str(folder)]


def clinic_scores_from_totals(folder: Path) -> list[str]:
    """5. A clinic's 2 hidden responses and their mean from the totals; the hidden bins too."""
    rows = _people("a", 10, "Nigeria", JAN) + _people("b", 10, "Nigeria", FEB)
    when = "2023/04/02 4:07:10 PM GMT+8"
    feedback = [f'"{when}","a{i}@example.org","{JAN}","{4 if i < 5 else 5}"\n' for i in range(10)]
    feedback += [f'"{when}","b{i}@example.org","{FEB}","1"\n' for i in range(2)]
    _write(folder, rows, feedback)
    return [str(folder)]


def across_reports(folder: Path) -> list[str]:
    """6. All clinics say PH 32, `--clinic JAN` says 30: 2 in the other clinic. (Two reports.)"""
    rows = _people("a", 30, "Philippines", JAN) + _people("b", 2, "Philippines", FEB)
    _write(folder, rows + _people("ng", 20, "Nigeria", FEB))
    return [str(folder)]


#: name -> (writer, the cell the attack recovers in the report before issue 16)
ATTACKS: dict[str, tuple[Callable[[Path], list[str]], str]] = {
    "protected-line": (protected_line_by_subtraction, "protected_countries"),
    "protected-per-region": (protected_people_per_region, "protected_in.SA"),
    "language-share": (language_from_share, "language.sw"),
    "returning": (returning_from_registrations, "returning_participants"),
    "clinic-scores": (clinic_scores_from_totals, f"clinic.{FEB}.satisfaction_responses"),
}
