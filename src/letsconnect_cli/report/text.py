"""Formatting shared by the renderers: counts ("hidden" when hidden), percentages, bars, section rows.

Every renderer shows the same sections with the same columns; `sections()` defines them once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from letsconnect_cli.escaping import one_line

_EIGHTHS = " ▏▎▍▌▋▊▉"

#: Columns of numbers: right-aligned in every format.
NUMERIC_COLUMNS = frozenset(
    {
        "participants",
        "share",
        "of region",
        "responses",
        "registrations",
        "attended",
        "satisfaction",
        "wanting",
        "offering",
    }
)


def count(value: int | None, suppressed: bool) -> str:
    """A count as text; "hidden" for every hidden one (a small count and one hidden to protect it
    look the same, or the difference would tell which is small)."""
    if suppressed:
        return "hidden"
    return "" if value is None else f"{value:,}"


def percent(share: float | None) -> str:
    return "" if share is None else f"{share * 100:.1f}%"


def bar(share: float | None, width: int = 20) -> str:
    """A horizontal bar of `width` cells for a share 0..1, in eighths of a cell."""
    if not share:
        return ""
    eighths = round(max(0.0, min(share, 1.0)) * width * 8)
    full, rest = divmod(eighths, 8)
    return "█" * full + (_EIGHTHS[rest] if rest else "")


@dataclass(frozen=True)
class Section:
    """One table of the report: a title, column names, rows of cells, and the shares for bars."""

    key: str
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    shares: tuple[float | None, ...]
    note: str = ""


def summary_rows(report: dict[str, Any]) -> list[tuple[str, str]]:
    k = report["min_count"]
    hidden = set(report["suppressed"])

    def people(key: str) -> str:
        return count(report[key], key in hidden)

    rows = [
        ("Learning clinics", f"{report['clinics']:,}"),
        ("Registered participants (unique people)", people("registered_participants")),
        ("Registrations (per person and clinic)", people("registrations")),
        ("Returning participants (2+ clinics)", people("returning_participants")),
        (
            "Average registrations per clinic",
            _number(
                report["average_registrations_per_clinic"],
                "average_registrations_per_clinic" in hidden,
                k,
            ),
        ),
    ]
    if report["attended"] is not None or "attended" in hidden:
        rows += [
            ("Attendees (unique people who attended)", people("attendees")),
            ("Returning attendees (attended 2+ clinics)", people("returning_attendees")),
            ("Attendances (people per clinic, summed)", people("attended")),
            (
                "Average attendance per clinic",
                _number(
                    report["average_attendance_per_clinic"],
                    "average_attendance_per_clinic" in hidden,
                    k,
                ),
            ),
            (
                "Attendance rate of registrants",
                percent(report["attendance_rate"])
                or ("hidden" if "attendance_rate" in hidden else ""),
            ),
        ]
    else:
        rows.append(("Attendance", "no attendance data given"))
    reach = report.get("reach") or {}
    if reach.get("countries"):
        rows.append(("Countries reached", f"{reach['countries']:,}"))
    if reach.get("home_wikis") is not None:
        rows.append(("Home wikis (language editions, projects)", f"{reach['home_wikis']:,}"))
    return rows


def _number(value: float | None, hidden: bool, k: int) -> str:
    if hidden:
        return "hidden"
    return "" if value is None else f"{value:,.1f}"


def sections(report: dict[str, Any]) -> list[Section]:
    """The tables every format shows, from the figures."""
    k = report["min_count"]
    found = [
        _entries(
            report,
            "regions",
            f"Regions ({_scheme_name(report['scheme'])})",
            "region",
            _of(report, "with_region", "participants with a known region"),
        ),
        _countries(report, k),
        _entries(
            report,
            "roles",
            "Roles in the movement",
            "role",
            _of(report, "with_role", "participants who gave a role"),
        ),
        _entries(
            report,
            "languages",
            "Interpretation wanted",
            "language",
            _of(report, "with_languages", "participants who asked for interpretation"),
        ),
        _satisfaction(report["satisfaction"], k),
        _clinics(report["per_clinic"], k),
    ]
    found.insert(-2, _skills(report))
    return [section for section in found if section is not None]


def _skills(report: dict[str, Any]) -> Section | None:
    """The skills table every format shows: a row per category, then its regions."""
    found = report.get("skills") or {}
    if not found.get("categories"):
        return None
    rows = []
    for entry in found["categories"]:
        items = [(entry, (entry["skill"], entry["name"], "all"))]
        items += [(row, ("", "", row["region"])) for row in entry["by_region"]]
        for item, labels in items:
            hidden = set(item["suppressed"])
            rows.append(
                labels
                + tuple(count(item[side], side in hidden) for side in ("wanting", "offering"))
            )
    people = found["people"]
    note = (
        f"people wanting to learn and able to share each kind of skill, of {people:,} who answered"
        if people is not None
        else "people wanting to learn and able to share each kind of skill"
    ) + "; a person may name several"
    columns = ("skill", "name", "region", "wanting", "offering")
    return Section(
        "skills",
        "Skills wanted and offered",
        columns,
        tuple(rows),
        tuple(None for _ in rows),
        note,
    )


def _of(report: dict[str, Any], key: str, who: str) -> str:
    """The note under a table: what its shares are of, with the (published) denominator."""
    total = report[key]
    if total is None:
        return f"share of the {who} (their number hidden, so no share is shown)"
    return f"share of the {total:,} {who}"


def _entries(report: dict[str, Any], key: str, title: str, code: str, note: str) -> Section | None:
    items = report[key]
    if not items:
        return None
    from letsconnect_cli.report.language_scripts import label

    rows = tuple(
        (
            str(e[code] or ""),
            label(e),
            count(e["participants"], e["suppressed"]),
            percent(e["share"]),
        )
        for e in items
    )
    columns = (code, "name", "participants", "share")
    return Section(key, title, columns, rows, tuple(e["share"] for e in items), note)


def _countries(report: dict[str, Any], k: int) -> Section | None:
    countries = report["countries"]
    protected = report["protected_countries"]
    has_protected = bool(protected["participants"] or protected["suppressed"])
    if not countries and not has_protected:
        return None
    rows = [
        (
            e["country"],
            e["name"] + (" (protected)" if e["protected"] else ""),
            e["region"] or "",
            count(e["participants"], e["suppressed"]),
            percent(e["share"]),
            percent(e["share_of_region"]),
        )
        for e in countries
    ]
    shares = [e["share"] for e in countries]
    if has_protected:
        participants = count(protected["participants"], protected["suppressed"])
        rows.append(("", protected["name"], "", participants, percent(protected["share"]), ""))
        shares.append(protected["share"])
    note = _of(report, "with_country", "participants with a known country")
    if not report["show_protected"]:
        note += (
            "; countries on the Foundation's protection list are counted together, never one by one"
        )
    columns = ("country", "name", "region", "participants", "share", "of region")
    return Section("countries", "Countries", columns, tuple(rows), tuple(shares), note)


def _satisfaction(satisfaction: dict[str, Any], k: int) -> Section | None:
    hidden_fields = set(satisfaction["suppressed"])
    responses = satisfaction["responses"]
    if not responses and "responses" not in hidden_fields:
        return None
    rows = []
    shares = []
    for score, n in satisfaction["distribution"].items():
        hidden = f"distribution.{score}" in hidden_fields or "distribution" in hidden_fields
        share = n / responses if n is not None and responses else None
        rows.append((score, count(n, hidden), percent(share)))
        shares.append(share)
    mean = satisfaction["mean"]
    if responses is not None and mean is not None:
        note = (
            f"{responses:,} responses to how much the session met expectations (1 = not at all, "
            f"5 = completely); mean {mean:.2f}, median {satisfaction['median']:g}"
        )
    else:
        note = "the number of responses is hidden, and with it the mean and the median"
    columns = ("score", "responses", "share")
    title = "Satisfaction, 1 to 5"
    return Section("satisfaction", title, columns, tuple(rows), tuple(shares), note)


def _clinics(per_clinic: list[dict[str, Any]], k: int) -> Section | None:
    if not per_clinic:
        return None
    rows = []
    for clinic in per_clinic:
        hidden = set(clinic["suppressed"])
        mean = clinic["satisfaction_mean"]
        satisfaction = "" if mean is None else f"{mean:.2f}"
        rows.append(
            (
                clinic["date"] or "",
                one_line(clinic["title"]),  # a title's line breaks would break a row
                count(clinic["registrations"], "registrations" in hidden),
                count(clinic["attended"], "attended" in hidden),
                "hidden" if "satisfaction_mean" in hidden else satisfaction,
            )
        )
    columns = ("date", "clinic", "registrations", "attended", "satisfaction")
    shares = tuple(None for _ in rows)
    return Section("per_clinic", "Per clinic", columns, tuple(rows), shares)


def quality_lines(report: dict[str, Any], listed: int = 10) -> list[str]:
    quality = report["data_quality"]
    lines = [
        f"{quality['rows_read']:,} rows read from {len(report['sources'])} source(s); "
        f"{quality['duplicates']:,} duplicates removed (registrations and feedback answers "
        "given twice); "
        f"{quality['rejoins']:,} rejoins (the same person joining a clinic again) counted once; "
        f"{quality['region_corrected']:,} self-reported regions corrected from the country; "
        f"{quality['unknown_country']:,} unrecognised countries; "
        f"{quality['unattributed']:,} rows without a clinic."
    ]
    if quality["hidden_users"]:
        lines[0] += (
            f" {quality['hidden_users']:,} registrations of hidden or deleted Meta-Wiki accounts, "
            "counted as people who match no other export."
        )
    lines += spelling_lines(quality, listed)
    for skip in quality["skipped"][:listed]:
        where = f"{skip['file']}:{skip['line']}" if skip["line"] else skip["file"]
        lines.append(f"skipped {where}: {skip['reason']}")
    more = quality["skipped_total"] - min(listed, len(quality["skipped"]))
    if more > 0:
        lines.append(
            f"... and {more:,} more skipped rows (all of them in --format json, up to 200)"
        )
    return lines


def spelling_lines(quality: dict[str, Any], listed: int = 10) -> list[str]:
    """The spellings lc guessed or did not know, one line each, most rows first."""
    import json

    def shown(item: dict[str, Any]) -> str:
        value = item["value"]
        return "(other values)" if value is None else json.dumps(value, ensure_ascii=False)

    lines = []
    for key, what in (
        ("country_guessed", "country guessed"),
        ("unknown_countries", "unknown country"),
        ("unknown_languages", "unknown language"),
    ):
        items = quality.get(key) or []
        for item in items[:listed]:
            became = f" -> {item['country']}" if "country" in item else ""
            lines.append(
                f"{what}: {shown(item)}{became} ({item['rows']:,} row(s), first {item['first']})"
            )
        if len(items) > listed:
            lines.append(f"... and {len(items) - listed:,} more ({key} in --format json)")
    if quality.get("unknown_countries") or quality.get("country_guessed"):
        lines.append(
            'map a spelling with [report.countries] in lc.toml or --map-country "SPELLING=CODE"'
        )
    return lines


def _scheme_name(scheme: str) -> str:
    return (
        "the Foundation's 8 regions" if scheme == "wikimedia" else "the 7 grant-committee regions"
    )
