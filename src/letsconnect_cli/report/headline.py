"""The headline: the report's figures in one paragraph, in the words of the program's reports.

The seed: "310+ Registered participants ... Average per learning clinic is 30 people", 61% from
the Middle East and Africa, of which more than half from Nigeria, followed by Tanzania and Ghana.
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
    """ "N registered participants in C learning clinics (R registrations), ...; M attended
    (average K per clinic)": registered people and people who came are never the same number."""
    k = report["min_count"]
    clinics = report["clinics"]
    if clinics == 0:
        return "No registrations, attendance or feedback in the sources."
    sentences = []
    registered = report["registered_participants"]
    first = f"{_people(registered, k, 'registered participants').capitalize()}"
    reach = report.get("reach") or {}
    if reach.get("countries", 0) > 1:
        first += f" from {reach['countries']:,} countries"
    first += f" in {clinics} learning clinic{'s' if clinics != 1 else ''}"
    if report["registrations"] is not None and report["registrations"] != registered:
        first += f" ({report['registrations']:,} registrations"
        if report["average_registrations_per_clinic"] is not None:
            first += f", average {_number(report['average_registrations_per_clinic'])} per clinic"
        first += ")"
    first += _regions_clause(report)
    sentences.append(first + ".")
    if report["attended"] is not None or "attended" in report["suppressed"]:
        attendees = report.get("attendees")
        average = report["average_attendance_per_clinic"]
        parts = []
        if attendees is not None:
            parts.append(f"{attendees:,} attended")
            if average is not None:
                parts[0] += f" (average {_number(average)} per clinic)"
        elif average is not None:
            parts.append(f"Average per learning clinic: {_number(average)} attended")
        if report["attendance_rate"] is not None:
            parts.append(f"{_percent(report['attendance_rate'])} of registrations were attended")
        if parts:
            text = "; ".join(parts)
            sentences.append(text[0].upper() + text[1:] + ".")
    returning = []
    if report["returning_participants"]:
        returning.append(
            f"{report['returning_participants']:,} registered for or attended two or more clinics"
        )
    if report.get("returning_attendees"):
        returning.append(f"{report['returning_attendees']:,} attended two or more")
    if returning:
        sentences.append(", ".join(returning) + ".")
    affiliates = reach.get("affiliates") or {}
    if affiliates.get("engaged"):  # the program's "64% of Wikimedia affiliates engaged"
        engaged = affiliates["engaged"]
        text = f"{engaged:,} Wikimedia affiliate{'s' if engaged != 1 else ''} engaged"
        if affiliates["share"] is not None:
            text += f" ({_percent(affiliates['share'])} of all affiliates)"
        sentences.append(text + ".")
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
    name = top["name"]
    if name.startswith(("Middle East", "Caribbean")):
        name = "the " + name
    clause = f", {_percent(top['share'])} from {name}"
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
