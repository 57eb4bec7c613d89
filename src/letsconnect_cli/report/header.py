"""The report's header: title, period, when and with what it was made, sources, privacy applied.

Shared by the HTML and Markdown renderers (and the terminal table's first lines), worded once here.
"""

from __future__ import annotations

import os
from typing import Any

TITLE = "Let's Connect learning clinics: registrations, attendance and feedback"
EXAMPLE_BANNER = "Example data: synthetic"


def period(per_clinic: list[dict[str, Any]]) -> dict[str, Any]:
    """The first and last clinic date with data, and the clinics the report covers."""
    dates = sorted(c["date"] for c in per_clinic if c["date"])
    return {
        "first": dates[0] if dates else None,
        "last": dates[-1] if dates else None,
        "clinics": [c["clinic"] for c in per_clinic],
        "undated": [c["clinic"] for c in per_clinic if not c["date"]],
    }


def generated_at() -> str:
    """Now in UTC to the second, or the time of SOURCE_DATE_EPOCH (reproducible output)."""
    from letsconnect_cli import clock

    return clock.stamp(os.environ).strftime("%Y-%m-%dT%H:%M:%SZ")


def stamp(report: dict[str, Any], *, example_data: bool) -> None:
    """Add what the header tells beyond the figures: when, by which lc, from example data or not."""
    from letsconnect_cli import __version__

    report["generated"] = generated_at()
    report["lc_version"] = __version__
    report["example_data"] = example_data


def period_text(report: dict[str, Any]) -> str:
    found = report.get("period") or {}
    first, last = found.get("first"), found.get("last")
    n = len(found.get("clinics", ()))
    clinics = f"{n} learning clinic{'s' if n != 1 else ''}"
    if first is None:
        return f"{clinics} (no dates)" if n else "no clinics"
    span = first if first == last else f"{first} to {last}"
    undated = len(found.get("undated", ()))
    extra = f", {undated} without a date" if undated else ""
    return f"{span}: {clinics}{extra}"


def privacy_text(report: dict[str, Any]) -> str:
    k = report["min_count"]
    parts = [
        f"counts of fewer than {k} people hidden (--min-count {k})"
        if k > 1
        else "small counts shown (--min-count 0)"
    ]
    rounding = (report.get("privacy") or {}).get("round")
    if rounding:
        parts.append(f"counts rounded to multiples of {rounding}")
    parts.append(
        "protected countries shown one by one (--show-protected: not for publication)"
        if report["show_protected"]
        else "protected countries counted together"
    )
    return "; ".join(parts)


def source_lines(report: dict[str, Any]) -> list[str]:
    return [
        f"{s['file']} ({s['format']}, {s['rows']:,} row{'s' if s['rows'] != 1 else ''})"
        for s in report["sources"]
    ]


def header_rows(report: dict[str, Any]) -> list[tuple[str, str]]:
    """(label, text) pairs of the header block, sources joined."""
    rows = [("Period", period_text(report))]
    covered = [f"{c['date'] or 'no date'} {c['title']}" for c in report["per_clinic"]]
    if covered:
        rows.append(("Clinics", "; ".join(covered)))
    if "generated" in report:
        rows.append(("Generated", report["generated"].replace("T", " ").replace("Z", " UTC")))
        rows.append(("Made with", f"lc {report['lc_version']} (lc report)"))
    rows.append(("Sources", "; ".join(source_lines(report)) or "none"))
    rows.append(("Privacy", privacy_text(report)))
    return rows
