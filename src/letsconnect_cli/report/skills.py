"""Skills and reach: what the region's people want to learn and can share, and how far the program
reaches (countries, home wikis).

Skills are counts of people per category (the program's five), wanting and offering, in all and per
region; each category's regions sum to its total, so they are declared to the disclosure model as a
total and its parts (the people without a region a part never shown). Reach is counts of distinct
countries and home wikis, not of people: they name no one and no place.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from letsconnect_cli.ingest.skills import BIT, SKILLS
from letsconnect_cli.report.attendees import Model, Shown
from letsconnect_cli.report.stats import Counts

_SIDES = (("wanting", "want"), ("offering", "offer"))


def _side(counts: Counts, side: str) -> Mapping[tuple[int, str], int]:
    return counts.skills_wanted if side == "want" else counts.skills_offered


def declare(model: Model, counts: Counts) -> None:
    """Each category's total = its regions + people without a region (never shown); a category's
    people are among those who answered, a region's among the region's people; those who answered
    are among the participants, and each of them named at least one category."""
    if not counts.with_skills:
        return
    people = model.count("skills.people", counts.with_skills, priority=2)
    if "participants" in model.index:
        model.at_most(people, model.index["participants"])
    totals = []
    for _, side in _SIDES:
        table = _side(counts, side)
        for key, bit in BIT.items():
            regions = {region: n for (b, region), n in table.items() if b == bit}
            total = model.count(f"skills.{side}.{key}", sum(regions.values()))
            totals.append(total)
            model.at_most(total, people)
            parts = []
            for region, n in sorted(regions.items()):
                if region:
                    part = model.count(f"skills.{side}.{key}.{region}", n)
                    whole = model.index.get(f"region.{region}")
                    if whole is not None:
                        model.at_most(part, whole)
                else:
                    part = model.implicit(f"skills.{side}.{key}.no_region", n)
                parts.append(part)
            model.equal(total, parts)
    # Everyone who answered named at least one category, wanted or offered.
    model.row({**dict.fromkeys(totals, 1.0), people: -1.0}, lo=0.0)


def figures(shown: Shown, counts: Counts, region_names: Mapping[str, str]) -> dict[str, Any]:
    """`skills`: people who answered, and per category the people wanting and offering, in all
    and per region (hidden counts None, their names in `suppressed`)."""
    if not counts.with_skills:
        return {"people": 0, "categories": []}
    categories = []
    regions = sorted(
        {r for (_, r) in counts.skills_wanted} | {r for (_, r) in counts.skills_offered} - {""}
    )
    for key, name in SKILLS.items():
        entry: dict[str, Any] = {"skill": key, "name": name, "suppressed": []}
        for label, side in _SIDES:
            cell = f"skills.{side}.{key}"
            entry[label] = shown(cell)
            if shown.hidden(cell):
                entry["suppressed"].append(label)
        by_region = []
        for region in regions:
            row: dict[str, Any] = {
                "region": region,
                "name": region_names.get(region, region),
                "suppressed": [],
            }
            present = False
            for label, side in _SIDES:
                cell = f"skills.{side}.{key}.{region}"
                if cell not in shown:
                    row[label] = 0
                    continue
                present = True
                row[label] = shown(cell)
                if shown.hidden(cell):
                    row["suppressed"].append(label)
            if present:
                by_region.append(row)
        entry["by_region"] = by_region
        categories.append(entry)
    return {"people": shown("skills.people"), "categories": categories}


def reach(counts: Counts, countries: int) -> dict[str, Any]:
    """Distinct countries the report names (hidden ones included: their codes are listed; grouped
    protected countries not counted one by one, as their number would bound their counts) and
    home wikis (None when no source asks for one)."""
    return {"countries": countries, "home_wikis": counts.home_wikis}
