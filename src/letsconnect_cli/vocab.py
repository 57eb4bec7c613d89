"""The program's fixed vocabulary: skill categories, clinic statuses, region codes.

Kept free of heavy imports: the CLI uses these for option choices at start-up.
"""

from __future__ import annotations

from enum import StrEnum


class Category(StrEnum):
    """The five skill categories of Let's Connect, by short key."""

    FUNDING = "funding"
    TACTICS = "tactics"
    ORGANISATIONAL = "organisational"
    TECHNICAL = "technical"
    INTERPERSONAL = "interpersonal"

    @property
    def label(self) -> str:
        return CATEGORY_LABELS[self]


CATEGORY_LABELS: dict[Category, str] = {
    Category.FUNDING: "Specific funding-related issues",
    Category.TACTICS: "Programmatic tactics",
    Category.ORGANISATIONAL: "Organisational skills / capacities / sustainability",
    Category.TECHNICAL: "Technical skills for wiki projects",
    Category.INTERPERSONAL: "Interpersonal skills",
}


class Status(StrEnum):
    """Where a clinic is in its life: an idea, a date, open for registration, held, or called off."""

    PROPOSED = "proposed"
    SCHEDULED = "scheduled"
    CONFIRMED = "confirmed"
    DONE = "done"
    CANCELLED = "cancelled"


class Scheme(StrEnum):
    """Region schemes: the Foundation's 8 regions of 2022, or the 7 grant-committee regions."""

    WIKIMEDIA = "wikimedia"
    GRANT_COMMITTEE = "grant-committee"


#: The Foundation's 8 regions (2022) by short code, with the names used in its country table.
WIKIMEDIA_REGIONS: dict[str, str] = {
    "CEE": "Central & Eastern Europe & Central Asia",
    "ESEAP": "East, Southeast Asia, & Pacific",
    "LAC": "Latin America & Caribbean",
    "MENA": "Middle East & North Africa",
    "NA": "North America",
    "NWE": "Northern & Western Europe",
    "SA": "South Asia",
    "SSA": "Sub-Saharan Africa",
}

#: The 7 regions grant committees used until mid-2023 (one Middle East & Africa region).
GRANT_COMMITTEE_REGIONS: dict[str, str] = {
    "CEE": "Central & Eastern Europe & Central Asia",
    "ESEAP": "East, Southeast Asia, & Pacific",
    "LAC": "Latin America & Caribbean",
    "MEA": "Middle East & Africa",
    "NA": "North America",
    "NWE": "Northern & Western Europe",
    "SA": "South Asia",
}

SCHEME_REGIONS: dict[Scheme, dict[str, str]] = {
    Scheme.WIKIMEDIA: WIKIMEDIA_REGIONS,
    Scheme.GRANT_COMMITTEE: GRANT_COMMITTEE_REGIONS,
}
