"""Who came: unique attendees and returning attendees, next to the registered participants.

`declare` puts their counts and relations into the report's disclosure model (`privacy.Disclosure`,
built in `figures._model`); `figures` reads what the model lets the report publish.
"""

from __future__ import annotations

from typing import Any, Protocol

from letsconnect_cli.report.stats import Counts


class Model(Protocol):
    """The calls of a disclosure model the learning-report figures use."""

    k: int
    index: dict[str, int]

    def count(self, key: str, value: int, *, priority: int = ..., primary: bool = ...) -> int: ...
    def implicit(self, key: str, value: int) -> int: ...
    def free(self, key: str, value: int) -> int: ...
    def row(self, terms: dict[int, float], lo: float = ..., hi: float = ...) -> None: ...
    def equal(self, total: int, parts: list[int]) -> None: ...
    def at_most(self, part: int, whole: int) -> None: ...


class Shown(Protocol):
    """The published outcome of the model: a count (rounded) or None when hidden."""

    def __call__(self, key: str) -> int | None: ...
    def hidden(self, key: str) -> bool: ...
    def __contains__(self, key: str) -> bool: ...


def cell(model: Model, key: str, value: int, priority: int = 0) -> int:
    """The cell of a count, declared once (the figures of `figures` may have declared it)."""
    found = model.index.get(key)
    return found if found is not None else model.count(key, value, priority=priority)


def declare(model: Model, counts: Counts) -> None:
    """Attendees = returning attendees + people who attended one clinic; attendees are among the
    participants; attendances = attendees + repeat visits, between A + R and A + (n - 1) R."""
    if not counts.attendance_clinics:
        return
    participants = cell(model, "participants", counts.participants, priority=3)
    attendees = model.count("attendees", counts.attendees, priority=3)
    returning = model.count("returning_attendees", counts.returning_attendees)
    once = model.implicit("single_clinic_attendees", counts.attendees - counts.returning_attendees)
    model.equal(attendees, [returning, once])
    model.at_most(attendees, participants)
    if "returning_participants" in model.index:
        model.at_most(returning, model.index["returning_participants"])
    # Attendances (people per clinic, summed) = attendees + their repeat visits: published next
    # to the attendees, a small number of repeat visits would bound the returning attendees.
    attended = cell(model, "attended", counts.attended, priority=1)
    repeats = model.implicit("repeat_attendances", counts.attended - counts.attendees)
    model.equal(attended, [attendees, repeats])
    n = len(counts.attendance_clinics)
    model.row({attended: 1.0, attendees: -1.0, returning: -1.0}, lo=0.0)
    model.row({attended: 1.0, attendees: -1.0, returning: -float(max(n - 1, 0))}, hi=0.0)
    # Each clinic's attendances are people who came to it: at most the attendees.
    for clinic in sorted(counts.attendance_clinics):
        found = model.index.get(f"clinic.{clinic}.attended")
        if found is not None:
            model.at_most(found, attendees)


def figures(shown: Shown, counts: Counts) -> tuple[dict[str, Any], list[str]]:
    """`attendees` and `returning_attendees` (None without attendance data or when hidden) and the
    keys hidden."""
    if not counts.attendance_clinics:
        return {"attendees": None, "returning_attendees": None}, []
    keys = ("attendees", "returning_attendees")
    return {key: shown(key) for key in keys}, [key for key in keys if shown.hidden(key)]
