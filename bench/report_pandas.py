"""The headline figures of `lc report`, computed with pandas: the benchmark's point of comparison.

    python bench/report_pandas.py FOLDER   # FOLDER as written by bench/report_bench.py

Reads `registrations.csv` and `feedback.csv` (Google Forms layout) and the project's clinic titles,
cleans as lc does (emails trimmed and lower-cased, countries from names or codes through the
Foundation's country table, the region from the country), deduplicates registrations per clinic
and person, and prints one JSON document of the same figures lc's JSON holds.
"""

from __future__ import annotations

import json
import sys
import tomllib
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
TABLE = ROOT / "src" / "letsconnect_cli" / "data" / "wikimedia-countries.tsv"
REGIONS = {
    "Central & Eastern Europe & Central Asia": "CEE",
    "East, Southeast Asia, & Pacific": "ESEAP",
    "Latin America & Caribbean": "LAC",
    "Middle East & North Africa": "MENA",
    "North America": "NA",
    "Northern & Western Europe": "NWE",
    "South Asia": "SA",
    "Sub-Saharan Africa": "SSA",
}


def main(folder: Path) -> None:
    table = pd.read_csv(TABLE, sep="\t", dtype=str, keep_default_na=False)
    lookup: dict[str, str] = {}
    for code, alpha3, name in zip(table.iso_code, table.iso_alpha3_code, table.name, strict=True):
        for key in (code, alpha3, name):
            lookup[key.casefold()] = code
    region_of = dict(zip(table.iso_code, table.wikimedia_region.map(REGIONS), strict=True))
    titles = {}
    for path in (folder / "clinics").glob("*.toml"):
        titles[tomllib.loads(path.read_text())["title"].casefold()] = path.stem

    reg = pd.read_csv(folder / "exports" / "registrations.csv", dtype=str, keep_default_na=False)
    reg.columns = [
        "timestamp",
        "email",
        "name",
        "username",
        "country",
        "region",
        "role",
        "languages",
        "clinic",
    ]
    reg["email"] = reg["email"].str.strip().str.lower()
    reg["clinic"] = reg["clinic"].str.strip().str.casefold().map(titles)
    countries = reg["country"].str.strip().str.casefold()
    reg["code"] = countries.map({value: lookup.get(value) for value in countries.unique()})
    unique = reg.drop_duplicates(["clinic", "email"])
    per_person = unique.groupby("email", sort=False)
    clinics_per_person = per_person.size()
    # A person's country: the first one given, in any row (a repeated registration still tells).
    country = reg[reg["code"].notna()].groupby("email", sort=False)["code"].first()
    # Without a known country, the region the person gave (when it is one of the 8) stands.
    names = {name.casefold(): code for name, code in REGIONS.items()}
    names.update({code.casefold(): code for code in REGIONS.values()})
    reported = reg["region"].str.strip().str.casefold().map(names)
    fallback = (
        reg[reported.notna()]
        .assign(reported=reported)
        .groupby("email", sort=False)["reported"]
        .first()
    )
    fallback = fallback[~fallback.index.isin(country.index)]
    regions = pd.concat([country.map(region_of), fallback]).value_counts()
    top = country.value_counts()

    feedback = pd.read_csv(folder / "exports" / "feedback.csv", dtype=str, keep_default_na=False)
    feedback.columns = ["timestamp", "email", "clinic", "rating", "next"]
    feedback["email"] = feedback["email"].str.strip().str.lower()
    feedback["clinic"] = feedback["clinic"].str.strip().str.casefold().map(titles)
    # An answer outside 1-5 is a finding, not a response; of the rest, one per person and clinic.
    feedback["score"] = pd.to_numeric(feedback["rating"], errors="coerce")
    feedback = feedback[feedback["score"].between(1, 5) & (feedback["score"] % 1 == 0)]
    answers = len(feedback)
    feedback = feedback.drop_duplicates(["clinic", "email"])
    ratings = feedback["score"]

    figures = {
        "clinics": int(unique["clinic"].nunique()),
        "registrations": len(unique),
        "participants": len(clinics_per_person),
        "returning_participants": int((clinics_per_person > 1).sum()),
        "average_registrations_per_clinic": round(len(unique) / unique["clinic"].nunique(), 1),
        "duplicates": len(reg) - len(unique) + answers - len(feedback),
        "regions": {code: int(n) for code, n in regions.items()},
        "top_countries": {code: int(n) for code, n in top.head(5).items()},
        "satisfaction_responses": len(ratings),
        "satisfaction_mean": round(float(ratings.mean()), 2),
    }
    json.dump(figures, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
