"""An attacker with one report: every relation the report's JSON publishes, as linear constraints
over non-negative integers, and for each hidden count the smallest and largest value they allow.

Independent of lc's suppression code on purpose: it reads only the JSON (the documented contract)
and knows what the figures mean (a region's countries sum to it, shares are of their denominators,
a mean is a sum over a count, ...), nothing of how lc chose what to hide. The bounds are exact
integer bounds: each is a mixed-integer program (scipy's `milp`, HiGHS), not its LP relaxation.

The criterion (the README's): a count the report does not show (hidden, or never shown on its
own: the protected-country people of one region, the people in one clinic only) is protected when
everything published leaves at least K values possible for it, or proves it is at least K, or allows
it to be zero. Reports made before issue 16 marked small hidden counts "<K" (`"secondary": false`)
and the others "hidden" (`true`): for those the auditor takes the marks as known, and a "<K" count
is protected only when every value from 1 to K-1 stays possible (the figures tell no more than its
mark).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp

INF = math.inf
_SHARE = 0.5 * 10**-4 + 1e-9  # shares have 4 decimals
_MEAN = 0.005 + 1e-9  # satisfaction means have 2
_AVERAGE = 0.05 + 1e-9  # averages per clinic have 1
_CAP = 10**6  # more people than any report counts
# HiGHS's presolve answered "infeasible" for one objective of a system feasible for the others
# (found by the generated exports): off, on these small systems; and no gap: exact optima.
_OPTIONS = {"presolve": False, "mip_rel_gap": 0}


@dataclass
class Cell:
    name: str
    lo: float = 0
    hi: float = INF
    # "" not audited; "hidden"; "implicit" never shown on its own; before issue 16 "primary" (marked
    # <K) and "secondary" (marked as hidden to protect a smaller count, so at least K)
    audit: str = ""


@dataclass
class Finding:
    cell: str
    lo: float
    hi: float
    kind: str

    def __str__(self) -> str:
        return f"{self.cell} ({self.kind}) is in [{self.lo:g}, {self.hi:g}]"


@dataclass
class System:
    k: int
    rounding: int | None
    marks: bool = False  # the contract before issue 16: "<K" and "hidden" told apart
    cells: dict[str, Cell] = field(default_factory=dict)
    rows: list[tuple[dict[str, float], float, float]] = field(default_factory=list)

    def cell(self, name: str, lo: float = 0, hi: float = INF, audit: str = "") -> str:
        assert name not in self.cells, name
        self.cells[name] = Cell(name, lo, hi, audit)
        return name

    def count(self, name: str, value: int | None, hidden: bool, secondary: bool = False) -> str:
        """A published figure: its value (an interval under --round), or a hidden count."""
        if hidden:
            if not self.marks:
                return self.cell(name, 1, INF, "hidden")  # zero is never hidden
            if secondary:
                return self.cell(name, self.k, INF, "secondary")
            return self.cell(name, 1, max(self.k - 1, 1), "primary")
        if value is None:
            return self.cell(name, 0, 0)  # not in the report: nobody
        if self.rounding and self.rounding > 1:
            low = max(0, value - self.rounding // 2)
            return self.cell(name, low, value + (self.rounding - 1) // 2)
        return self.cell(name, value, value)

    def add(self, terms: dict[str, float], lo: float = -INF, hi: float = INF) -> None:
        self.rows.append((terms, lo, hi))

    def equal(self, total: str, parts: list[str]) -> None:
        terms: dict[str, float] = {total: -1.0}
        for p in parts:
            terms[p] = terms.get(p, 0.0) + 1.0
        self.add(terms, 0, 0)

    def share(self, part: str, whole: str, share: float | None) -> None:
        """part / whole rounded to `share`: (share - h) * whole <= part <= (share + h) * whole."""
        if share is None or self.rounding:  # under --round shares are of rounded counts
            return
        self.add({part: 1.0, whole: -(share + _SHARE)}, hi=0)
        self.add({part: 1.0, whole: -(share - _SHARE)}, lo=0)

    def bounds(self, name: str) -> tuple[float, float]:
        names = list(self.cells)
        index = {n: i for i, n in enumerate(names)}
        lower = np.array([self.cells[n].lo for n in names], dtype=float)
        # A finite cap for "no upper bound": HiGHS does not always prove a MIP unbounded (it
        # once answered 2 for a count nothing bounded); a bound at the cap means none.
        upper = np.array([min(self.cells[n].hi, _CAP) for n in names], dtype=float)
        constraints = []
        if self.rows:
            matrix = np.zeros((len(self.rows), len(names)))
            lows = np.empty(len(self.rows))
            highs = np.empty(len(self.rows))
            for r, (terms, lo, hi) in enumerate(self.rows):
                for n, a in terms.items():
                    matrix[r, index[n]] += a
                lows[r], highs[r] = lo, hi
            constraints.append(LinearConstraint(matrix, lows, highs))
        integrality = np.ones(len(names))
        found = milp(
            np.eye(len(names))[index[name]],
            integrality=integrality,
            bounds=Bounds(lower, upper),
            constraints=constraints,
            options=_OPTIONS,
        )
        assert found.status == 0, f"the published figures are inconsistent: {found.message}"
        lo = round(found.x[index[name]])
        found = milp(
            -np.eye(len(names))[index[name]],
            integrality=integrality,
            bounds=Bounds(lower, upper),
            constraints=constraints,
            options=_OPTIONS,
        )
        assert found.status == 0, found.message
        hi = round(found.x[index[name]])
        return lo, INF if hi >= _CAP else hi

    def findings(self) -> list[Finding]:
        found = []
        for cell in self.cells.values():
            if cell.audit not in ("primary", "hidden", "implicit"):
                continue
            lo, hi = self.bounds(cell.name)
            if not protected(lo, hi, self.k, cell.audit):
                found.append(Finding(cell.name, lo, hi, cell.audit))
        return found


def protected(lo: float, hi: float, k: int, kind: str) -> bool:
    if k <= 1:
        return True
    if kind == "primary":  # marked <K (before issue 16): nothing more may be known
        return lo <= 1 and hi >= k - 1
    return lo <= 0 or lo >= k or hi - lo + 1 >= k


def _entry_hidden(entry: dict[str, Any]) -> tuple[bool, bool]:
    return bool(entry.get("suppressed")), bool(entry.get("secondary"))


def build(report: dict[str, Any]) -> System:
    """The system of one report (either the current JSON contract or the one before issue 16)."""
    k = int(report["min_count"])
    privacy = report.get("privacy") or {}
    system = System(k, privacy.get("round"), marks="privacy" not in report)
    hidden_top = set(report["suppressed"])
    secondary_top = set(report.get("secondary", []))

    def top(key: str) -> str:
        return system.count(key, report[key], key in hidden_top, key in secondary_top)

    participants = top("participants")
    registrations = top("registrations")
    returning = top("returning_participants")
    has_attendance = report["attended"] is not None or "attended" in hidden_top
    attended = top("attended") if has_attendance else system.cell("attended", 0, 0)
    single = system.cell("single_clinic_people", 0, INF, "implicit")
    system.equal(participants, [returning, single])

    # Denominators: published (current contract) or only implied by the shares (before).
    def margin(key: str) -> str:
        value = report.get(key)
        hidden = key in hidden_top
        if key in report and (value is not None or hidden):
            name = system.count(key, value, hidden, key in secondary_top)
        else:
            name = system.cell(key)
        system.add({name: 1.0, participants: -1.0}, hi=0)  # a subset of the participants
        return name

    with_region = margin("with_region")
    with_country = margin("with_country")
    with_role = margin("with_role")
    with_languages = margin("with_languages")

    # Regions, and the countries in each.
    region_cells: dict[str, str] = {}
    for entry in report["regions"]:
        code = entry["region"]
        name = system.count(f"region.{code}", entry["participants"], *_entry_hidden(entry))
        region_cells[code] = name
        system.share(name, with_region, entry["share"])
    system.equal(with_region, list(region_cells.values()))
    show_protected = bool(report.get("show_protected"))
    in_region: dict[str, list[str]] = {code: [] for code in region_cells}
    country_cells = []
    for entry in report["countries"]:
        code = entry["country"]
        name = system.count(f"country.{code}", entry["participants"], *_entry_hidden(entry))
        country_cells.append(name)
        system.share(name, with_country, entry["share"])
        region = entry.get("region")
        if region:
            if region not in region_cells:  # a region with nobody listed: zero
                region_cells[region] = system.cell(f"region.{region}", 0, 0)
                in_region[region] = []
            in_region[region].append(name)
            system.share(name, region_cells[region], entry.get("share_of_region"))
    line = report["protected_countries"]
    protected_line = system.count("protected_countries", line["participants"], *_entry_hidden(line))
    system.share(protected_line, with_country, line.get("share"))
    protected_parts = []
    for region, members in in_region.items():
        extra = []
        if not show_protected:
            part = system.cell(f"protected_in.{region}", 0, INF, "implicit")
            protected_parts.append(part)
            extra.append(part)
        # People who gave this region and no country.
        extra.append(system.cell(f"no_country_in.{region}"))
        system.equal(region_cells[region], members + extra)
    if show_protected:
        system.equal(with_country, country_cells)
    else:
        # Every country of the protection list has a region, in both schemes.
        system.equal(protected_line, protected_parts)
        system.equal(with_country, [*country_cells, protected_line])

    # Roles: one per person who gave one.
    roles = []
    for entry in report["roles"]:
        name = system.count(f"role.{entry['role']}", entry["participants"], *_entry_hidden(entry))
        roles.append(name)
        system.share(name, with_role, entry["share"])
    system.equal(with_role, roles)

    # Languages: one or more per person who asked for interpretation.
    languages = []
    for entry in report["languages"]:
        code = entry["language"]
        name = system.count(f"language.{code}", entry["participants"], *_entry_hidden(entry))
        languages.append(name)
        system.share(name, with_languages, entry["share"])
        system.add({name: 1.0, with_languages: -1.0}, hi=0)
    if languages:
        system.add({**dict.fromkeys(languages, 1.0), with_languages: -1.0}, lo=0)
    else:
        system.add({with_languages: 1.0}, hi=0)

    # Satisfaction: scores 1-5, their mean and median; per clinic, responses and means.
    satisfaction = report["satisfaction"]
    s_hidden = set(satisfaction["suppressed"])
    s_secondary = set(satisfaction.get("secondary", []))
    responses = system.count(
        "satisfaction.responses",
        satisfaction["responses"],
        "responses" in s_hidden,
        "responses" in s_secondary,
    )
    bins = {}
    for score, n in satisfaction["distribution"].items():
        key = f"distribution.{score}"
        if "distribution" in s_hidden:  # all hidden with fewer than K responses: each may be 0
            bins[int(score)] = system.cell(f"satisfaction.{key}", 0, INF, "implicit")
            continue
        bins[int(score)] = system.count(
            f"satisfaction.{key}", n, key in s_hidden, key in s_secondary
        )
    system.equal(responses, list(bins.values()))
    score_sum = system.cell("satisfaction.sum")
    system.add({score_sum: -1.0, **{b: float(s) for s, b in bins.items()}}, 0, 0)
    mean = satisfaction["mean"]
    if mean is not None:
        system.add({score_sum: 1.0, responses: -(mean + _MEAN)}, hi=0)
        system.add({score_sum: 1.0, responses: -(mean - _MEAN)}, lo=0)
    median = satisfaction["median"]
    if median is not None:
        below = {bins[s]: 2.0 for s in bins if s < median}
        above = {bins[s]: 2.0 for s in bins if s > median}
        for side in (below, above):
            if side:
                system.add({**side, responses: -1.0}, hi=0)

    clinic_count = int(report["clinics"])
    reg_cells: list[str] = []
    att_cells: list[str] = []
    n_cells: list[str] = []
    sum_cells: list[str] = []
    registration_clinics = 0
    for clinic in report["per_clinic"]:
        cid = clinic["clinic"]
        hidden = set(clinic["suppressed"])
        secondary = set(clinic.get("secondary", []))
        for key, cells in (("registrations", reg_cells), ("attended", att_cells)):
            name = system.count(f"clinic.{cid}.{key}", clinic[key], key in hidden, key in secondary)
            cells.append(name)
            system.add({name: 1.0, participants: -1.0}, hi=0)
        if clinic["registrations"] is not None or "registrations" in hidden:
            registration_clinics += 1
        # Before issue 16 a hidden mean also hid its responses without saying so.
        responses_hidden = "satisfaction_responses" in hidden or (
            clinic["satisfaction_responses"] is None and "satisfaction_mean" in hidden
        )
        n = system.count(
            f"clinic.{cid}.satisfaction_responses",
            clinic["satisfaction_responses"],
            responses_hidden,
            "satisfaction_responses" in secondary,
        )
        n_cells.append(n)
        total = system.cell(f"clinic.{cid}.score_sum")
        sum_cells.append(total)
        system.add({total: 1.0, n: -1.0}, lo=0)
        system.add({total: 1.0, n: -5.0}, hi=0)
        m = clinic["satisfaction_mean"]
        if m is not None:
            system.add({total: 1.0, n: -(m + _MEAN)}, hi=0)
            system.add({total: 1.0, n: -(m - _MEAN)}, lo=0)
    if report["per_clinic"]:
        system.equal(registrations, reg_cells)
        if has_attendance:
            system.equal(attended, att_cells)
        system.equal(responses, n_cells)
        system.equal(score_sum, sum_cells)
    average = report.get("average_registrations_per_clinic")
    if average is not None and registration_clinics and not system.rounding:
        system.add({registrations: 1.0}, lo=(average - _AVERAGE) * registration_clinics)
        system.add({registrations: 1.0}, hi=(average + _AVERAGE) * registration_clinics)

    # Returning people: each participant is in 1 to `clinics` clinics; the returning in 2 or more.
    # sum over people of their clinics (C): P + R <= C <= P + (n - 1) R, max(REG, ATT) <= C <= REG +
    # ATT; without attendance data every participant registered, so C = REG.
    visits = system.cell("person_clinics")
    system.add({visits: 1.0, participants: -1.0, returning: -1.0}, lo=0)
    system.add({visits: 1.0, participants: -1.0, returning: -float(max(clinic_count - 1, 0))}, hi=0)
    system.add({visits: 1.0, registrations: -1.0}, lo=0)
    system.add({visits: 1.0, attended: -1.0}, lo=0)
    system.add({visits: 1.0, registrations: -1.0, attended: -1.0}, hi=0)
    if clinic_count <= 1:
        system.add({returning: 1.0}, hi=0)
    if has_attendance and "attendees" in report:
        attending = sum(
            1
            for c in report["per_clinic"]
            if c["attended"] is not None or "attended" in c["suppressed"]
        )
        _attendees(
            system, report, hidden_top, participants, returning, attended, att_cells, attending
        )
    if report.get("skills", {}).get("categories"):
        _skills(system, report["skills"], participants, region_cells)
    found = (report.get("reach") or {}).get("affiliates")
    if found and found.get("list"):
        _affiliates(system, found, participants)
    return system


def _affiliates(system: System, found: dict[str, Any], participants: str) -> None:
    """People naming a listed affiliate + one not listed + none or blank = people asked <=
    participants; affiliates engaged <= the people naming one, and <= the list's length; the
    share of all affiliates is engaged / listed."""
    hidden = set(found["suppressed"])
    cells = {
        key: system.count(f"affiliates.{key}", found[key], key in hidden)
        for key in ("engaged", "people", "unknown", "none", "asked")
    }
    system.equal(cells["asked"], [cells["people"], cells["unknown"], cells["none"]])
    system.add({cells["asked"]: 1.0, participants: -1.0}, hi=0)
    system.add({cells["engaged"]: 1.0, cells["people"]: -1.0}, hi=0)
    system.add({cells["engaged"]: 1.0}, hi=found["list"]["affiliates"])
    if found["share"] is not None and not system.rounding:
        listed = found["list"]["affiliates"]
        system.add({cells["engaged"]: 1.0}, lo=(found["share"] - _SHARE) * listed)
        system.add({cells["engaged"]: 1.0}, hi=(found["share"] + _SHARE) * listed)


def _attendees(
    system: System,
    report: dict[str, Any],
    hidden_top: set[str],
    participants: str,
    returning: str,
    attended: str,
    clinic_attended: list[str],
    n: int,
) -> None:
    """Attendees (A) = returning attendees (RA) + people who attended one clinic (never shown);
    A <= participants, RA <= returning participants; attendances = A + repeat visits (never shown),
    between A + RA and A + (n - 1) RA; each clinic's attended <= A."""
    people = system.count("attendees", report["attendees"], "attendees" in hidden_top)
    again = system.count(
        "returning_attendees", report["returning_attendees"], "returning_attendees" in hidden_top
    )
    once = system.cell("single_clinic_attendees", 0, INF, "implicit")
    system.equal(people, [again, once])
    system.add({people: 1.0, participants: -1.0}, hi=0)
    system.add({again: 1.0, returning: -1.0}, hi=0)
    repeats = system.cell("repeat_attendances", 0, INF, "implicit")
    system.equal(attended, [people, repeats])
    system.add({repeats: 1.0, again: -1.0}, lo=0)
    system.add({repeats: 1.0, again: -float(max(n - 1, 0))}, hi=0)
    for cell in clinic_attended:
        system.add({cell: 1.0, people: -1.0}, hi=0)


def _skills(
    system: System, skills: dict[str, Any], participants: str, regions: dict[str, str]
) -> None:
    """Per category and side (wanting, offering): its regions + the people without a region (never
    shown) = its total; a region's count <= the region's people; each total <= the people who
    answered (P_s) <= participants; every one of them named at least one category on one side."""
    answered = system.count("skills.people", skills["people"], skills["people"] is None)
    system.add({answered: 1.0, participants: -1.0}, hi=0)
    totals = []
    for category in skills["categories"]:
        key = category["skill"]
        for side in ("wanting", "offering"):
            total = system.count(
                f"skills.{key}.{side}", category[side], side in category["suppressed"]
            )
            totals.append(total)
            system.add({total: 1.0, answered: -1.0}, hi=0)
            parts = [system.cell(f"skills.{key}.{side}.no_region", 0, INF, "implicit")]
            for row in category["by_region"]:
                region = row["region"]
                part = system.count(
                    f"skills.{key}.{side}.{region}", row[side], side in row["suppressed"]
                )
                parts.append(part)
                if region in regions:
                    system.add({part: 1.0, regions[region]: -1.0}, hi=0)
            system.equal(total, parts)
    system.add({**dict.fromkeys(totals, 1.0), answered: -1.0}, lo=0)


def audit(report: dict[str, Any]) -> list[Finding]:
    """The hidden counts of a report that its published figures narrow down (empty: protected)."""
    return build(report).findings()
