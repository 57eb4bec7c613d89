"""CSV: one row per figure (section, key, name, metric, value), safe to open in a spreadsheet.

Every text cell is quoted, kept on one line, and prefixed with an apostrophe where a spreadsheet
would run it as a formula (starting with =, +, -, @, a tab or a carriage return): see
`escaping.escape_csv_cell`. Hidden counts have an empty value and `suppressed` true.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from letsconnect_cli.escaping import escape_csv_cell
from letsconnect_cli.escaping import neutralise_formula as neutralise

COLUMNS = ("section", "key", "name", "metric", "value", "suppressed")
__all__ = ["COLUMNS", "neutralise", "render_csv"]


def _rows(report: dict[str, Any]) -> list[tuple[Any, ...]]:
    hidden = set(report["suppressed"])
    rows: list[tuple[Any, ...]] = []
    for key in (
        "clinics",
        "registrations",
        "registered_participants",
        "participants",
        "returning_participants",
        "average_registrations_per_clinic",
        "attendees",
        "returning_attendees",
        "attended",
        "average_attendance_per_clinic",
        "attendance_rate",
        "with_region",
        "with_country",
        "with_role",
        "with_languages",
    ):
        rows.append(("summary", "", "", key, report[key], key in hidden))
    for section, code in (
        ("regions", "region"),
        ("countries", "country"),
        ("roles", "role"),
        ("languages", "language"),
    ):
        for entry in report[section]:
            for metric in ("participants", "share", "share_of_region"):
                if metric in entry:
                    rows.append(
                        (
                            section,
                            entry[code],
                            entry["name"],
                            metric,
                            entry[metric],
                            entry["suppressed"],
                        )
                    )
    protected = report["protected_countries"]
    for metric in ("participants", "share"):
        rows.append(
            (
                "protected_countries",
                "",
                protected["name"],
                metric,
                protected[metric],
                protected["suppressed"],
            )
        )
    satisfaction = report["satisfaction"]
    for metric in ("responses", "mean", "median"):
        rows.append(
            (
                "satisfaction",
                "",
                "",
                metric,
                satisfaction[metric],
                metric in satisfaction["suppressed"],
            )
        )
    for score, n in satisfaction["distribution"].items():
        secret = (
            f"distribution.{score}" in satisfaction["suppressed"]
            or "distribution" in satisfaction["suppressed"]
        )
        rows.append(("satisfaction", score, "", "distribution", n, secret))
    for clinic in report["per_clinic"]:
        for metric in (
            "date",
            "registrations",
            "attended",
            "satisfaction_mean",
            "satisfaction_responses",
        ):
            rows.append(
                (
                    "per_clinic",
                    clinic["clinic"],
                    clinic["title"],
                    metric,
                    clinic[metric],
                    metric in clinic["suppressed"],
                )
            )
    for entry in (report.get("skills") or {}).get("categories", ()):
        for item, key in (
            (entry, entry["skill"]),
            *((r, f"{entry['skill']}.{r['region']}") for r in entry["by_region"]),
        ):
            for metric in ("wanting", "offering"):
                rows.append(
                    (
                        "skills",
                        key,
                        item["name"],
                        metric,
                        item[metric],
                        metric in item["suppressed"],
                    )
                )
    reach = report.get("reach") or {}
    for metric, value in reach.items():
        if metric != "affiliates":
            rows.append(("reach", "", "", metric, value, False))
    from letsconnect_cli.report.affiliates import csv_rows

    rows += csv_rows(reach.get("affiliates"))
    quality = report["data_quality"]
    for metric in (
        "rows_read",
        "duplicates",
        "rejoins",
        "region_corrected",
        "unknown_country",
        "unattributed",
        "hidden_users",
        "skipped_total",
    ):
        rows.append(("data_quality", "", "", metric, quality[metric], False))
    return rows


def render_csv(report: dict[str, Any]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_NONNUMERIC)
    writer.writerow(COLUMNS)
    for row in _rows(report):
        *cells, secret = row
        value = cells[-1]
        cells[-1] = "" if value is None else value
        writer.writerow([escape_csv_cell(c) for c in cells] + ["true" if secret else "false"])
    return buffer.getvalue()
