"""The report's figures as one plain dict: the JSON contract every renderer reads (see docs/reference/json.md).

Privacy is applied here, once, so no renderer can get it wrong. Every count the report publishes
(and every count it never shows but which its figures relate, such as the protected-country people
of one region) is a cell of one disclosure model (`privacy.Disclosure`), with every relation the
report publishes between them; the model decides which cells are hidden, then `--round` rounds the
published ones, and the dict is built from the outcome only: a share is a published count over a
published denominator, a mean is shown only with its responses, the headline words the dict.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from letsconnect_cli.clinic.models import Clinic
from letsconnect_cli.ingest.cleaning import ROLES
from letsconnect_cli.ingest.records import IngestLog
from letsconnect_cli.places.regions import countries
from letsconnect_cli.report import affiliates, attendees, skills
from letsconnect_cli.report.header import period
from letsconnect_cli.report.privacy import Disclosure, rounded, small
from letsconnect_cli.report.stats import Counts
from letsconnect_cli.vocab import SCHEME_REGIONS, Scheme

if TYPE_CHECKING:
    from letsconnect_cli.report.affiliate_list import AffiliateList

SHARE_DIGITS = 4
_QUALIFIER = re.compile(r"\s*\([^)]*\)$")  # "Swahili (macrolanguage)" -> "Swahili"
_MARGINS = ("with_region", "with_country", "with_role", "with_languages")


def _share(part: int | None, whole: int | None) -> float | None:
    return round(part / whole, SHARE_DIGITS) if part is not None and whole else None


def _average(total: int | None, n: int) -> float | None:
    return round(total / n, 1) if total is not None and n else None


class _Published:
    """The outcome of the disclosure model: a published count (rounded) or None, and the marks."""

    def __init__(self, model: Disclosure, base: int | None) -> None:
        self.model = model
        self.base = base

    def __call__(self, key: str) -> int | None:
        if key not in self.model.index:
            return None
        value = self.model.shown(key)
        return None if value is None else rounded(value, self.base)

    def hidden(self, key: str) -> bool:
        return key in self.model.index and self.model.hidden(key)

    def __contains__(self, key: str) -> bool:
        return key in self.model.index


def build_report(
    counts: Counts,
    log: IngestLog,
    clinics: Mapping[str, Clinic],
    *,
    scheme: Scheme = Scheme.WIKIMEDIA,
    min_count: int = 5,
    show_protected: bool = False,
    round_to: int | None = None,
    affiliate_list: AffiliateList | None = None,
) -> dict[str, Any]:
    """Figures, privacy applied, in the documented JSON shape."""
    k = max(min_count, 0)
    base = round_to if round_to and round_to > 1 else None
    model, places = _model(counts, scheme, k, show_protected)
    matched = None
    if affiliate_list is not None and counts.affiliations is not None:
        matched = affiliates.match(counts, affiliate_list)
        affiliates.declare(model, matched, len(affiliate_list))
    model.suppress()
    shown = _Published(model, base)

    summary_keys = ("registrations", "participants", "returning_participants", "attended")
    hidden = [key for key in summary_keys if shown.hidden(key)]
    has_attendance = bool(counts.attendance_clinics)
    registrations = shown("registrations")
    attended = shown("attended") if has_attendance else None
    average_reg = _average(registrations, len(counts.registration_clinics))
    average_att = _average(attended, len(counts.attendance_clinics))
    rate = None
    # The rate is a share of registrations that came: it tells how many came and how many did not,
    # and (with the attendances) how many came without registering. Each must be 0 or >= K.
    came = counts.attended_registrants
    missed = counts.registrations_where_attendance - came
    unregistered = counts.attended - came
    if (
        has_attendance
        and attended is not None
        and registrations is not None
        and not any(small(n, k) for n in (came, missed, unregistered))
    ):
        rate = _share(counts.attended_registrants, counts.registrations_where_attendance)
    if "registrations" in hidden:
        hidden.append("average_registrations_per_clinic")
    if has_attendance and rate is None and counts.registrations_where_attendance:
        hidden.append("attendance_rate")
    if has_attendance and attended is None:
        hidden.append("average_attendance_per_clinic")
    if "participants" in hidden:
        hidden.append("registered_participants")
    attendance, attendance_hidden = attendees.figures(shown, counts)
    hidden.extend(attendance_hidden)
    report: dict[str, Any] = {
        "scheme": scheme.value,
        "min_count": k,
        "show_protected": show_protected,
        "privacy": {
            "min_count": k,
            "round": base,
            "protected_countries": "shown" if show_protected else "grouped",
        },
        "clinics": len(counts.clinic_ids),
        "registrations": registrations,
        "registered_participants": shown("participants"),
        "participants": shown("participants"),  # deprecated alias of registered_participants
        "returning_participants": shown("returning_participants"),
        "average_registrations_per_clinic": average_reg,
        "attended": attended,
        "average_attendance_per_clinic": average_att,
        "attendance_rate": rate,
        **attendance,
    }
    for key in _MARGINS:
        report[key] = shown(key)
        if shown.hidden(key):
            hidden.append(key)
    report["regions"] = _entries(
        shown, "region", counts.regions, SCHEME_REGIONS[scheme], report["with_region"]
    )
    report["countries"], report["protected_countries"] = _countries(
        shown, places, report["with_country"], report["regions"]
    )
    report["roles"] = _entries(shown, "role", counts.roles, ROLES, report["with_role"])
    report["languages"] = _languages(shown, counts, report["with_languages"])
    report["satisfaction"] = _satisfaction(shown, counts)
    report["per_clinic"] = _per_clinic(shown, counts, clinics)
    report["skills"] = skills.figures(shown, counts, SCHEME_REGIONS[scheme])
    report["reach"] = skills.reach(counts, len(report["countries"]))
    report["reach"]["affiliates"] = affiliates.figures(shown, counts, affiliate_list, matched)
    report["data_quality"] = {
        "rows_read": log.rows_read,
        "duplicates": counts.duplicates,
        "rejoins": counts.rejoins,
        "region_corrected": counts.region_corrected,
        "unknown_country": log.unknown_country,
        "country_guessed_rows": log.country_guessed,
        **log.value_lists(_protected_codes(show_protected)),
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
    from letsconnect_cli.report.headline import headline

    report["headline"] = headline(report)
    return report


class _Places:
    """Countries as the report lists them: code -> region, protected or not, listed or grouped."""

    def __init__(self, counts: Counts, scheme: Scheme, show_protected: bool) -> None:
        table = countries()
        self.region = {code: table[code].region_in(scheme) or "" for code in counts.countries}
        self.protected = {code for code in counts.countries if table[code].protected}
        self.listed = {
            c: n for c, n in counts.countries.items() if show_protected or c not in self.protected
        }
        self.names = {c: table[c].name for c in self.listed}
        self.show_protected = show_protected


def _model(
    counts: Counts, scheme: Scheme, k: int, show_protected: bool
) -> tuple[Disclosure, _Places]:
    """Every count the report publishes or relates, and every relation it publishes."""
    model = Disclosure(k)
    places = _Places(counts, scheme, show_protected)
    # Priorities: what is hidden last. 0 any count, 1 the totals of registrations and attendance,
    # 2 the denominators of shares, 3 the participants, 4 the spread of scores (only if needed).
    participants = model.count("participants", counts.participants, priority=3)
    registrations = model.count("registrations", counts.registrations, priority=1)
    has_attendance = bool(counts.attendance_clinics)
    attended = (
        model.count("attended", counts.attended, priority=1)
        if has_attendance
        else model.free("attended", 0)
    )
    if not has_attendance:
        model.row({attended: 1.0}, 0.0, 0.0)
    returning = model.count("returning_participants", counts.returning)
    single = model.implicit("single_clinic_people", counts.participants - counts.returning)
    model.equal(participants, [returning, single])
    # Each participant is in 1 to n clinics, the returning ones in 2 or more: the sum over people
    # of their clinics is between P + R and P + (n - 1) R, and between max(REG, ATT) and REG + ATT.
    n = len(counts.clinic_ids)
    visits = model.free("person_clinics", 0)
    model.row({visits: 1.0, participants: -1.0, returning: -1.0}, lo=0.0)
    model.row({visits: 1.0, participants: -1.0, returning: -float(max(n - 1, 0))}, hi=0.0)
    # The same with P - R = S, so that propagation sees it whichever two of P, R, S it knows.
    model.row({visits: 1.0, single: 1.0, participants: -2.0}, lo=0.0)
    model.row({visits: 1.0, single: float(max(n - 1, 0)), participants: -float(n)}, hi=0.0)
    model.row({visits: 1.0, single: -1.0, returning: -2.0}, lo=0.0)
    model.row({visits: 1.0, single: -1.0, returning: -float(n)}, hi=0.0)
    model.row({visits: 1.0, registrations: -1.0}, lo=0.0)
    model.row({visits: 1.0, attended: -1.0}, lo=0.0)
    model.row({visits: 1.0, registrations: -1.0, attended: -1.0}, hi=0.0)
    margins = {
        key: model.count(key, value, priority=2)
        for key, value in zip(
            _MARGINS,
            (counts.with_region, counts.with_country, counts.with_role, counts.with_languages),
            strict=True,
        )
    }
    for margin in margins.values():
        model.at_most(margin, participants)

    # Regions; in each, its listed countries, its protected people and those who gave no country.
    regions = {r: model.count(f"region.{r}", n_r) for r, n_r in counts.regions.items()}
    model.equal(margins["with_region"], list(regions.values()))
    listed = {c: model.count(f"country.{c}", n_c) for c, n_c in places.listed.items()}
    line = model.count("protected_countries", sum(counts.countries[c] for c in places.protected))
    no_country = model.free("no_country", 0)
    parts_of_none = []
    protected_parts = []
    for region, cell in regions.items():
        members = [listed[c] for c in listed if places.region[c] == region]
        parts = list(members)
        known = sum(places.listed[c] for c in listed if places.region[c] == region)
        if not show_protected:
            value = sum(counts.countries[c] for c in places.protected if places.region[c] == region)
            part = model.implicit(f"protected_in.{region}", value)
            protected_parts.append(part)
            parts.append(part)
            known += value
        rest = model.free(f"no_country_in.{region}", counts.regions[region] - known)
        parts_of_none.append(rest)
        parts.append(rest)
        model.equal(cell, parts)
    model.equal(no_country, parts_of_none)
    without_region = [listed[c] for c in listed if not places.region[c]]
    if show_protected:
        model.equal(margins["with_country"], list(listed.values()))
        model.equal(line, [listed[c] for c in listed if c in places.protected])
    else:
        model.equal(margins["with_country"], [*listed.values(), line])
        model.equal(line, protected_parts)
    # with_region + countries without a region = with_country + people with a region, no country
    terms = dict.fromkeys(without_region, 1.0)
    terms.update({margins["with_region"]: 1.0, margins["with_country"]: -1.0, no_country: -1.0})
    model.row(terms, 0.0, 0.0)

    roles = [model.count(f"role.{r}", n_r) for r, n_r in counts.roles.items()]
    model.equal(margins["with_role"], roles)
    # Languages: one or more per person who asked for interpretation.
    languages = [model.count(f"language.{c}", n_c) for c, n_c in counts.languages.items()]
    for cell in languages:
        model.at_most(cell, margins["with_languages"])
    wanted = dict.fromkeys(languages, 1.0)
    wanted[margins["with_languages"]] = -1.0
    model.row(wanted, lo=0.0)

    # Satisfaction: the spread of scores over all clinics is shown in full from K responses on
    # (opinions are not identities); per clinic, responses and their mean follow the rules.
    ratings = counts.ratings
    total = sum(ratings.values())
    full = not small(total, k)
    responses = model.count("responses", total, priority=4)
    bins = {}
    for score in range(1, 6):
        value = ratings.get(score, 0)
        key = f"distribution.{score}"
        bins[score] = (
            model.count(key, value, priority=4, primary=False) if full else model.free(key, value)
        )
    model.equal(responses, list(bins.values()))
    score_sum = model.free("score_sum", sum(s * n_s for s, n_s in ratings.items()))
    model.row({score_sum: -1.0, **{b: float(s) for s, b in bins.items()}}, 0.0, 0.0)

    clinic_regs, clinic_atts, clinic_ns, clinic_sums = [], [], [], []
    for clinic in counts.clinic_ids:
        if clinic in counts.registration_clinics:
            cell = model.count(
                f"clinic.{clinic}.registrations", counts.clinic_registrations[clinic]
            )
            model.at_most(cell, participants)
            clinic_regs.append(cell)
        if clinic in counts.attendance_clinics:
            cell = model.count(f"clinic.{clinic}.attended", counts.clinic_attended[clinic])
            model.at_most(cell, participants)
            clinic_atts.append(cell)
        answers = counts.clinic_rating_n[clinic]
        if answers:
            cell = model.count(f"clinic.{clinic}.responses", answers)
            clinic_ns.append(cell)
            scores = model.free(f"clinic.{clinic}.score_sum", counts.clinic_rating_sum[clinic])
            clinic_sums.append(scores)
            model.row({scores: 1.0, cell: -1.0}, lo=0.0)
            model.row({scores: 1.0, cell: -5.0}, hi=0.0)
    model.equal(registrations, clinic_regs)
    if has_attendance:
        model.equal(attended, clinic_atts)
    model.equal(responses, clinic_ns)
    model.equal(score_sum, clinic_sums)
    # The learning report's figures: attendees and returning attendees, skills per category/region.
    attendees.declare(model, counts)
    skills.declare(model, counts)
    return model, places


def _protected_codes(show_protected: bool) -> frozenset[str]:
    """The countries whose near-miss spellings data_quality does not list (a spelling names one)."""
    if show_protected:
        return frozenset()
    return frozenset(code for code, c in countries().items() if c.protected)


def _entries(
    shown: _Published,
    kind: str,
    counts: Mapping[str, int],
    names: Mapping[str, str],
    total: int | None,
) -> list[dict[str, Any]]:
    ordered = sorted(counts, key=lambda code: (-counts[code], code))
    result = []
    for code in ordered:
        key = f"{kind}.{code}"
        n = shown(key)
        result.append(
            {
                kind: code,
                "name": names.get(code, code),
                "participants": n,
                "share": _share(n, total),
                "suppressed": shown.hidden(key),
            }
        )
    # Hidden entries go last, in code order: their position would tell their size.
    return [e for e in result if not e["suppressed"]] + sorted(
        (e for e in result if e["suppressed"]), key=lambda e: str(e[kind])
    )


def _countries(
    shown: _Published, places: _Places, total: int | None, regions: list[dict[str, Any]]
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    region_total = {r["region"]: r["participants"] for r in regions}
    entries = []
    for entry in _entries(shown, "country", places.listed, places.names, total):
        code = entry["country"]
        region = places.region[code] or None
        entry["region"] = region
        entry["share_of_region"] = _share(entry["participants"], region_total.get(region))
        entry["protected"] = code in places.protected
        entries.append(entry)
    n = shown("protected_countries")
    line = {
        "name": "Protected countries",
        "participants": n,
        "share": _share(n, total),
        "suppressed": shown.hidden("protected_countries"),
    }
    return entries, line


def _languages(shown: _Published, counts: Counts, total: int | None) -> list[dict[str, Any]]:
    from letsconnect_cli.places.languages import english_name

    names = {
        code: "Other languages" if code == "und" else _QUALIFIER.sub("", english_name(code))
        for code in counts.languages
    }
    entries = _entries(shown, "language", counts.languages, names, total)
    from letsconnect_cli.report.language_scripts import add_scripts

    return add_scripts(
        entries, counts.language_scripts, shown.model.k, counts.languages, shown.base
    )


def _satisfaction(shown: _Published, counts: Counts) -> dict[str, Any]:
    ratings = counts.ratings
    responses = sum(ratings.values())
    scores = [str(score) for score in range(1, 6)]
    if shown.hidden("responses") and small(responses, shown.model.k):
        return {
            "responses": None,
            "mean": None,
            "median": None,
            "distribution": dict.fromkeys(scores),
            "suppressed": ["responses", "mean", "median", "distribution"],
        }
    distribution = {s: shown(f"distribution.{s}") for s in scores}
    hidden = [f"distribution.{s}" for s in scores if shown.hidden(f"distribution.{s}")]
    published = shown("responses")
    exact = responses and published is not None
    return {
        "responses": published,
        "mean": round(sum(s * n for s, n in ratings.items()) / responses, 2) if exact else None,
        "median": _median(ratings, responses) if exact else None,
        "distribution": distribution,
        "suppressed": (["responses", "mean", "median"] if published is None else []) + hidden,
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


def _per_clinic(
    shown: _Published, counts: Counts, clinics: Mapping[str, Clinic]
) -> list[dict[str, Any]]:
    def order(clinic_id: str) -> tuple[int, str, str]:
        clinic = clinics.get(clinic_id)
        start = clinic.start.isoformat() if clinic and clinic.start else ""
        return (0 if start else 1, start, clinic_id)

    result = []
    for clinic_id in sorted(counts.clinic_ids, key=order):
        clinic = clinics.get(clinic_id)
        keys = {
            "registrations": f"clinic.{clinic_id}.registrations",
            "attended": f"clinic.{clinic_id}.attended",
            "satisfaction_responses": f"clinic.{clinic_id}.responses",
        }
        responses = counts.clinic_rating_n[clinic_id]
        n = shown(keys["satisfaction_responses"]) if responses else 0
        mean = None
        if responses and n is not None:
            mean = round(counts.clinic_rating_sum[clinic_id] / responses, 2)
        hidden = [name for name, key in keys.items() if shown.hidden(key)]
        if "satisfaction_responses" in hidden:
            hidden.insert(hidden.index("satisfaction_responses"), "satisfaction_mean")
        result.append(
            {
                "clinic": clinic_id,
                "title": clinic.title if clinic else clinic_id,
                "date": clinic.start.date().isoformat() if clinic and clinic.start else None,
                "registrations": shown(keys["registrations"]),
                "attended": shown(keys["attended"]),
                "satisfaction_mean": mean,
                "satisfaction_responses": n,
                "suppressed": hidden,
            }
        )
    return result
