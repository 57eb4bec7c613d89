"""The report's figures as one plain dict: the JSON contract every renderer reads (see README).

Privacy is applied here, once, so no renderer can get it wrong: counts of 1 to K-1 people are None
with `suppressed`, protected countries are folded into one line unless shown on purpose, and shares
are of everyone (hidden people included), so they never add up to more than the truth.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from letsconnect_cli.ingest.cleaning import ROLES
from letsconnect_cli.ingest.records import IngestLog
from letsconnect_cli.models import Clinic
from letsconnect_cli.regions import countries
from letsconnect_cli.report import attendees, skills
from letsconnect_cli.report.cells import Cells
from letsconnect_cli.report.header import period
from letsconnect_cli.report.privacy import small, suppress_group, suppress_within
from letsconnect_cli.report.stats import Counts
from letsconnect_cli.vocab import SCHEME_REGIONS, Scheme

SHARE_DIGITS = 4
_QUALIFIER = re.compile(r"\s*\([^)]*\)$")  # "Swahili (macrolanguage)" -> "Swahili"


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, SHARE_DIGITS) if whole else None


def _average(total: int, n: int) -> float | None:
    return round(total / n, 1) if n else None


def build_report(
    counts: Counts,
    log: IngestLog,
    clinics: Mapping[str, Clinic],
    *,
    scheme: Scheme = Scheme.WIKIMEDIA,
    min_count: int = 5,
    show_protected: bool = False,
) -> dict[str, Any]:
    """Figures, privacy applied, in the documented JSON shape."""
    k = max(min_count, 0)
    hidden: list[str] = []

    def people(name: str, n: int | None) -> int | None:
        if n is not None and small(n, k):
            hidden.append(name)
            return None
        return n

    registrations = people("registrations", counts.registrations)
    participants = people("participants", counts.participants)
    returning = people("returning_participants", counts.returning)
    has_attendance = bool(counts.attendance_clinics)
    attended = people("attended", counts.attended) if has_attendance else None
    n_reg_clinics = len(counts.registration_clinics)
    n_att_clinics = len(counts.attendance_clinics)
    average_reg = (
        _average(counts.registrations, n_reg_clinics) if registrations is not None else None
    )
    average_att = _average(counts.attended, n_att_clinics) if attended is not None else None
    rate = None
    if has_attendance and attended is not None and registrations is not None:
        rate = _share(counts.attended_registrants, counts.registrations_where_attendance)
    if registrations is None:
        hidden.append("average_registrations_per_clinic")
    if has_attendance and attended is None:
        hidden.extend(("average_attendance_per_clinic", "attendance_rate"))
    if "participants" in hidden:
        hidden.append("registered_participants")
    # The learning report's figures, declared as a disclosure model would take them.
    learning = Cells(k)
    attendees.declare(learning, counts)
    skills.declare(learning, counts)
    learning.suppress()
    attendance, attendance_hidden, withheld = attendees.figures(learning, counts)
    hidden.extend(attendance_hidden)

    report: dict[str, Any] = {
        "scheme": scheme.value,
        "min_count": k,
        "show_protected": show_protected,
        "clinics": len(counts.clinic_ids),
        "registrations": registrations,
        "registered_participants": participants,
        "participants": participants,  # deprecated alias of registered_participants
        "returning_participants": returning,
        "average_registrations_per_clinic": average_reg,
        "attended": attended,
        "average_attendance_per_clinic": average_att,
        "attendance_rate": rate,
        **attendance,
    }
    report["regions"] = _regions(counts, scheme, k)
    report["countries"], report["protected_countries"] = _countries(
        counts, scheme, k, show_protected, report["regions"]
    )
    report["roles"] = _roles(counts, k)
    report["languages"] = _languages(counts, k)
    report["satisfaction"] = _satisfaction(counts, k)
    report["per_clinic"] = _per_clinic(counts, clinics, k)
    report["skills"] = skills.figures(learning, counts, SCHEME_REGIONS[scheme])
    report["reach"] = skills.reach(counts)
    report["data_quality"] = {
        "rows_read": log.rows_read,
        "duplicates": counts.duplicates,
        "rejoins": counts.rejoins,
        "region_corrected": counts.region_corrected,
        "unknown_country": log.unknown_country,
        "unattributed": log.unattributed,
        "hidden_users": log.hidden_users,
        "skipped_total": log.skips_total,
        "skipped": [{"file": s.file, "line": s.line, "reason": s.reason} for s in log.skipped],
    }
    report["sources"] = [
        {"file": s.name, "format": s.format, "rows": s.rows, "encoding": s.encoding}
        for s in log.sources
    ]
    report["period"] = period(report["per_clinic"])
    report["suppressed"] = hidden
    report["secondary"] = withheld  # of `suppressed`: hidden to protect a small count
    from letsconnect_cli.report.headline import headline

    report["headline"] = headline(report)
    return report


def _entries(
    counts: Mapping[str, int],
    total: int,
    hidden: set[str],
    key: str,
    names: Mapping[str, str],
    k: int,
) -> list[dict[str, Any]]:
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    result = []
    for code, n in ordered:
        secret = code in hidden
        result.append(
            {
                key: code,
                "name": names.get(code, code),
                "participants": None if secret else n,
                "share": None if secret else _share(n, total),
                "suppressed": secret,
                "secondary": secret and not small(n, k),  # hidden to protect a smaller count
            }
        )
    # Hidden entries go last, in code order: their position would tell their size.
    return [e for e in result if not e["suppressed"]] + sorted(
        (e for e in result if e["suppressed"]), key=lambda e: str(e[key])
    )


def _regions(counts: Counts, scheme: Scheme, k: int) -> list[dict[str, Any]]:
    hidden = suppress_group(dict(counts.regions), k)
    names = SCHEME_REGIONS[scheme]
    return _entries(counts.regions, counts.with_region, hidden, "region", names, k)


def _countries(
    counts: Counts, scheme: Scheme, k: int, show_protected: bool, regions: list[dict[str, Any]]
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    table = countries()
    region_of = {code: table[code].region_in(scheme) or "" for code in counts.countries}
    protected = {code for code in counts.countries if table[code].protected}
    listed = {c: n for c, n in counts.countries.items() if show_protected or c not in protected}
    region_hidden = {e["region"] for e in regions if e["suppressed"]}
    hidden = {c for c in listed if region_of[c] in region_hidden}
    hidden = suppress_within(listed, region_of, k, hidden)
    region_totals = counts.regions
    entries = []
    for entry in _entries(
        listed, counts.with_country, hidden, "country", {c: table[c].name for c in listed}, k
    ):
        code = entry["country"]
        region = region_of[code] or None
        entry["region"] = region
        n = None if entry["suppressed"] else listed[code]
        entry["share_of_region"] = (
            _share(n, region_totals[region]) if n is not None and region is not None else None
        )
        entry["protected"] = code in protected
        entries.append(entry)
    protected_n = sum(counts.countries[c] for c in protected)
    secret = small(protected_n, k)
    line = {
        "name": "Protected countries",
        "participants": None if secret else protected_n,
        "share": None if secret else _share(protected_n, counts.with_country),
        "suppressed": secret,
        "secondary": False,
    }
    return entries, line


def _roles(counts: Counts, k: int) -> list[dict[str, Any]]:
    hidden = suppress_group(dict(counts.roles), k)
    return _entries(counts.roles, counts.with_role, hidden, "role", ROLES, k)


def _languages(counts: Counts, k: int) -> list[dict[str, Any]]:
    from letsconnect_cli.languages import language_name

    names = {
        code: "Other languages" if code == "und" else _QUALIFIER.sub("", language_name(code))
        for code in counts.languages
    }
    # Several languages per person: the counts add up to more than the total, which stays unknown.
    hidden = suppress_group(dict(counts.languages), k, total_known=False)
    return _entries(counts.languages, counts.with_languages, hidden, "language", names, k)


def _satisfaction(counts: Counts, k: int) -> dict[str, Any]:
    ratings = counts.ratings
    responses = sum(ratings.values())
    distribution = {str(score): ratings.get(score, 0) for score in range(1, 6)}
    suppressed: list[str] = []
    if small(responses, k):
        return {
            "responses": None,
            "mean": None,
            "median": None,
            "distribution": dict.fromkeys(distribution),
            "suppressed": ["responses", "mean", "median", "distribution"],
            "secondary": [],
        }
    hidden = suppress_group(distribution, k)
    shown: dict[str, int | None] = {
        s: (None if s in hidden else n) for s, n in distribution.items()
    }
    suppressed.extend(f"distribution.{s}" for s in sorted(hidden))
    return {
        "responses": responses,
        "mean": round(sum(s * n for s, n in ratings.items()) / responses, 2) if responses else None,
        "median": _median(ratings, responses) if responses else None,
        "distribution": shown,
        "suppressed": suppressed,
        "secondary": [f"distribution.{s}" for s in sorted(hidden) if not small(distribution[s], k)],
    }


def _median(ratings: Mapping[int, int], responses: int) -> float:
    """The median of the scores, from their counts (no list of every answer)."""

    def nth(position: int) -> int:
        seen = 0
        for score in sorted(ratings):
            seen += ratings[score]
            if seen > position:
                return score
        raise AssertionError("position beyond the responses")

    middle = responses // 2
    if responses % 2:
        return float(nth(middle))
    return (nth(middle - 1) + nth(middle)) / 2


def _per_clinic(counts: Counts, clinics: Mapping[str, Clinic], k: int) -> list[dict[str, Any]]:
    def order(clinic_id: str) -> tuple[int, str, str]:
        clinic = clinics.get(clinic_id)
        start = clinic.start.isoformat() if clinic and clinic.start else ""
        return (0 if start else 1, start, clinic_id)

    registrations = {c: counts.clinic_registrations[c] for c in counts.registration_clinics}
    attended = {c: counts.clinic_attended[c] for c in counts.attendance_clinics}
    hidden_reg = suppress_group(registrations, k)
    hidden_att = suppress_group(attended, k)
    result = []
    for clinic_id in sorted(counts.clinic_ids, key=order):
        clinic = clinics.get(clinic_id)
        hidden = [
            name
            for name, secret in (
                ("registrations", clinic_id in hidden_reg),
                ("attended", clinic_id in hidden_att),
            )
            if secret
        ]
        responses = counts.clinic_rating_n[clinic_id]
        mean = None
        if responses:
            if small(responses, k):
                hidden.append("satisfaction_mean")
            else:
                mean = round(counts.clinic_rating_sum[clinic_id] / responses, 2)
        result.append(
            {
                "clinic": clinic_id,
                "title": clinic.title if clinic else clinic_id,
                "date": clinic.start.date().isoformat() if clinic and clinic.start else None,
                "registrations": None if clinic_id in hidden_reg else registrations.get(clinic_id),
                "attended": None if clinic_id in hidden_att else attended.get(clinic_id),
                "satisfaction_mean": mean,
                "satisfaction_responses": None if "satisfaction_mean" in hidden else responses,
                "suppressed": hidden,
                "secondary": [
                    name
                    for name, value, secret in (
                        ("registrations", registrations.get(clinic_id, 0), clinic_id in hidden_reg),
                        ("attended", attended.get(clinic_id, 0), clinic_id in hidden_att),
                    )
                    if secret and not small(value, k)
                ],
            }
        )
    return result
