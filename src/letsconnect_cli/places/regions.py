"""Countries, the Foundation's regions, and each region's time zones.

Sources, both packaged so that lc needs nothing at run time beyond its own install:
- `data/wikimedia-countries.tsv`: the Wikimedia Foundation's canonical country table (regions of 2022,
  grant-committee regions, protection list); see `data/README.md`.
- the tz database's country-to-zone table `zone.tab`, through `timezones.zones_of_country`.
"""

from __future__ import annotations

import difflib
import tomllib
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, NamedTuple

from letsconnect_cli.errors import UsageError
from letsconnect_cli.places.timezones import zones_of_country
from letsconnect_cli.vocab import (
    GRANT_COMMITTEE_REGIONS,
    SCHEME_REGIONS,
    WIKIMEDIA_REGIONS,
    Scheme,
)

if TYPE_CHECKING:
    from letsconnect_cli.places.timezones import LocalTime, ZoneGroup


class Country(NamedTuple):
    """One row of the Foundation's country table (a named tuple: 250 are made at every start
    of a command that needs regions, and a frozen dataclass is slower to make)."""

    code: str  # ISO 3166-1 alpha-2 (XK for Kosovo)
    alpha3: str
    name: str
    region: str | None  # one of WIKIMEDIA_REGIONS
    grant_committee_region: str | None  # one of GRANT_COMMITTEE_REGIONS
    protected: bool

    def region_in(self, scheme: Scheme) -> str | None:
        return self.region if scheme is Scheme.WIKIMEDIA else self.grant_committee_region


@dataclass(frozen=True)
class Region:
    """A region of one scheme, with its countries and the zones they use."""

    code: str
    name: str
    scheme: Scheme
    countries: tuple[Country, ...]
    main_cities: tuple[str, ...]  # IANA zones named in announcements, preferred as group labels
    group_labels: tuple[str, ...] = ()  # further zones preferred as zone-group labels

    @property
    def zones(self) -> tuple[str, ...]:
        """Every zone used by the region's countries, in the tz database's order, each once."""
        seen: dict[str, None] = {}
        for country in self.countries:
            for zone in zones_of_country(country.code):
                seen.setdefault(zone, None)
        return tuple(seen)

    def countries_of_zone(self, zone: str) -> tuple[str, ...]:
        return tuple(c.code for c in self.countries if zone in zones_of_country(c.code))


def _data_text(name: str) -> str:
    return resources.files("letsconnect_cli.data").joinpath(name).read_text(encoding="utf-8")


@cache
def countries() -> dict[str, Country]:
    """The country table by ISO code (250 rows: ISO 3166-1 and Kosovo)."""
    by_name = {name: code for code, name in WIKIMEDIA_REGIONS.items()}
    gc_by_name = {name: code for code, name in GRANT_COMMITTEE_REGIONS.items()}
    table: dict[str, Country] = {}
    # Plain tab-separated text without quoting (a test checks it); read as plain strings:
    # Namibia's code "NA" must stay "NA", never a missing value.
    header, *rows = _data_text("wikimedia-countries.tsv").splitlines()
    columns = {name: index for index, name in enumerate(header.split("\t"))}
    code_at, alpha3_at, name_at = columns["iso_code"], columns["iso_alpha3_code"], columns["name"]
    region_at, gc_at = columns["wikimedia_region"], columns["grant_committee_region"]
    protected_at = columns["is_protected"]
    for line in rows:
        if not line.strip():
            continue
        row = [cell.strip() for cell in line.split("\t")]
        code = row[code_at]
        table[code] = Country(
            code,
            row[alpha3_at],
            row[name_at],
            by_name.get(row[region_at]),
            gc_by_name.get(row[gc_at]),
            row[protected_at] == "True",
        )
    return table


@cache
def _presentation() -> dict[str, dict[str, tuple[str, ...]]]:
    data = tomllib.loads(_data_text("regions.toml"))
    return {
        code: {key: tuple(values) for key, values in section.items()}
        for code, section in data.items()
    }


def region_codes(scheme: Scheme = Scheme.WIKIMEDIA) -> tuple[str, ...]:
    return tuple(SCHEME_REGIONS[scheme])


def normalise_region_code(value: str, scheme: Scheme = Scheme.WIKIMEDIA) -> str:
    """Turn a region code or name, in any case, into its code; raise UsageError naming close ones."""
    names = SCHEME_REGIONS[scheme]
    text = " ".join(value.split())
    upper = text.upper()
    if upper in names:
        return upper
    for code, name in names.items():
        if name.casefold() == text.casefold():
            return code
    raise UsageError(
        f"unknown region {value!r}",
        hint=(
            suggestion(value, list(names), "region") + f" Known regions: {', '.join(names)}."
        ).strip(),
    )


def suggestion(value: str, choices: list[str], what: str) -> str:
    """A 'did you mean' sentence for a mistyped value, or an empty string."""
    lowered = {c.casefold(): c for c in choices}
    close = difflib.get_close_matches(value.casefold(), list(lowered), n=3, cutoff=0.6)
    if not close:
        return ""
    options = " or ".join(repr(lowered[c]) for c in close)
    return f"Did you mean {options}?"


@cache
def _members(scheme: Scheme) -> dict[str, tuple[Country, ...]]:
    """Each region's countries, by name."""
    members: dict[str, list[Country]] = {}
    for country in sorted(countries().values(), key=lambda c: c.name):
        code = country.region_in(scheme)
        if code is not None:
            members.setdefault(code, []).append(country)
    return {code: tuple(found) for code, found in members.items()}


def region(
    code: str,
    scheme: Scheme = Scheme.WIKIMEDIA,
    main_cities: dict[str, tuple[str, ...]] | None = None,
) -> Region:
    """A region by code or name. `main_cities` (from configuration) overrides the packaged choice."""
    code = normalise_region_code(code, scheme)
    members = _members(scheme).get(code, ())
    packaged = _presentation().get(code, {})
    cities = (main_cities or {}).get(code) or packaged.get("main_cities", ())
    return Region(
        code=code,
        name=SCHEME_REGIONS[scheme][code],
        scheme=scheme,
        countries=members,
        main_cities=tuple(cities),
        group_labels=packaged.get("group_labels", ()),
    )


def all_regions(
    scheme: Scheme = Scheme.WIKIMEDIA, main_cities: dict[str, tuple[str, ...]] | None = None
) -> list[Region]:
    return [region(code, scheme, main_cities) for code in region_codes(scheme)]


def region_zones(regions: list[Region]) -> dict[str, tuple[str, ...]]:
    """Every zone of one or more regions (tz database order), with the region countries using it."""
    countries_of: dict[str, dict[str, None]] = {}
    for item in regions:
        for country in item.countries:
            for zone in zones_of_country(country.code):
                countries_of.setdefault(zone, {}).setdefault(country.code, None)
    return {zone: tuple(codes) for zone, codes in countries_of.items()}


def zone_groups(regions: list[Region], at: datetime) -> list[ZoneGroup]:
    """The zone groups of one or more regions, as their clocks run in the year of `at`."""
    from letsconnect_cli.places.timezones import group_zones

    preferred: list[str] = []
    for item in regions:
        preferred.extend(c for c in item.main_cities if c not in preferred)
    for item in regions:
        preferred.extend(c for c in item.group_labels if c not in preferred)
    countries_of = region_zones(regions)
    return group_zones(
        list(countries_of),
        at.year,
        preferred_labels=tuple(preferred),
        zone_counts={z: len(zones_of_country(c)) for z, cs in countries_of.items() for c in cs},
        countries_of_zone=countries_of,
        at=at,
    )


# --- times in the main cities (announcements, invites) ---------------------------------------


def main_city_zones(regions: list[Region]) -> tuple[str, ...]:
    """The main cities' zones of one or more regions, in their configured order, each once."""
    zones: dict[str, None] = {}
    for item in regions:
        for zone in item.main_cities:
            zones.setdefault(zone, None)
    return tuple(zones)


def main_city_times(
    regions: list[Region], start_utc: datetime, end_utc: datetime
) -> list[LocalTime]:
    """A session's time in the regions' main cities ("14:00 Manila · 13:00 Jakarta ..."), in order,
    for announcements and invites."""
    from letsconnect_cli.places.timezones import local_time

    times = []
    for zone in main_city_zones(regions):
        countries = tuple(c for item in regions for c in item.countries_of_zone(zone))
        times.append(local_time(start_utc, end_utc, zone, countries=countries))
    return times
