"""The headline: the report's figures in one paragraph, in the words of the program's reports.

"310 registered participants, 61% from MEA, of which more than half from Nigeria, followed by
Tanzania and Ghana. Average per learning clinic: 30 people. 4.4 average score on a scale of 1 to 5."
Built from the figures after privacy rules: a hidden count is never named.
"""

from __future__ import annotations

from typing import Any


def _people(n: int | None, k: int, noun: str) -> str:
    if n is None:  # hidden, small or not (a hidden count never says which)
        return f"{noun} (their number hidden)"
    return f"{n:,} {noun if n != 1 else noun.rstrip('s')}"


def _percent(share: float) -> str:
    return f"{round(share * 100)}%"


_THE = frozenset(
    {"Philippines", "Netherlands", "Gambia", "Bahamas", "Maldives", "Comoros", "Seychelles"}
)


def _country(name: str) -> str:
    """'the Philippines', 'the United Kingdom', 'Nigeria'."""
    if name in _THE or name.startswith(("United ", "Republic ", "Democratic ", "Central African")):
        return "the " + name
    if name.endswith((" Islands", " Republic", " Emirates")):
        return "the " + name
    return name


def _join(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def headline(report: dict[str, Any]) -> str:
    k = report["min_count"]
    clinics = report["clinics"]
    if clinics == 0:
        return "No registrations, attendance or feedback in the sources."
    sentences = []
    first = (
        f"{_people(report['participants'], k, 'participants').capitalize()} "
        f"in {clinics} learning clinic{'s' if clinics != 1 else ''}"
    )
    if report["registrations"] is not None and report["registrations"] != report["participants"]:
        first += f" ({report['registrations']:,} registrations)"
    first += _regions_clause(report)
    sentences.append(first + ".")
    averages = []
    if report["average_registrations_per_clinic"] is not None:
        averages.append(f"{_number(report['average_registrations_per_clinic'])} registered")
    if report["average_attendance_per_clinic"] is not None:
        averages.append(f"{_number(report['average_attendance_per_clinic'])} attended")
    if averages:
        sentences.append("Average per learning clinic: " + ", ".join(averages) + ".")
    if report["attendance_rate"] is not None:
        sentences.append(f"{_percent(report['attendance_rate'])} of registrants attended.")
    if report["returning_participants"]:
        sentences.append(f"{report['returning_participants']:,} came to two or more clinics.")
    satisfaction = report["satisfaction"]
    if satisfaction["mean"] is not None:
        sentences.append(
            f"{satisfaction['mean']:.1f} average score on a scale of 1 to 5 "
            f"({satisfaction['responses']:,} responses)."
        )
    return " ".join(sentences)


def _number(value: float) -> str:
    return f"{value:.0f}" if value == int(value) else f"{value:.1f}"


def _regions_clause(report: dict[str, Any]) -> str:
    regions = [r for r in report["regions"] if not r["suppressed"]]
    if not regions or regions[0]["share"] is None:
        return ""
    top = regions[0]
    clause = f", {_percent(top['share'])} from {top['region']}"
    countries = [
        c for c in report["countries"] if c["region"] == top["region"] and not c["suppressed"]
    ]
    if not countries or countries[0]["share_of_region"] is None:
        return clause
    lead = countries[0]
    share = lead["share_of_region"]
    if share > 0.5:
        clause += f", of which more than half from {_country(lead['name'])}"
    else:
        clause += f", {_percent(share)} of them from {_country(lead['name'])}"
    following = [_country(c["name"]) for c in countries[1:3]]
    if following:
        clause += f", followed by {_join(following)}"
    return clause
