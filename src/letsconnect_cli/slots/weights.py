"""Who a schedule is for: the zones of regions, weighted per country (alike, or by registrants)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, NamedTuple

from letsconnect_cli.slots.scoring import WeightedZone

if TYPE_CHECKING:
    from letsconnect_cli.ingest.records import Record
    from letsconnect_cli.places.regions import Region


class RegionWeights(NamedTuple):
    """The zones of one or more regions with their weights, and what was left out and why."""

    zones: tuple[WeightedZone, ...]
    countries: tuple[str, ...]  # every country of the regions, ISO codes
    without_zone: tuple[str, ...]  # countries the tz database lists no zone for (uninhabited)
    unweighted: tuple[str, ...]  # countries with a zone but weight 0 (no registrants)

    @property
    def total(self) -> float:
        return sum(z.weight for z in self.zones)


def region_weights(
    regions: Sequence[Region], country_weights: Mapping[str, float] | None = None
) -> RegionWeights:
    """Each country's weight (1 each when `country_weights` is None; missing countries weigh 0),
    split equally across the country's zones, summed per zone. Zones in tz database order."""
    from zoneinfo import ZoneInfo

    from letsconnect_cli.places.timezones import zones_of_country

    members: dict[str, None] = {}
    for item in regions:
        for country in item.countries:
            members.setdefault(country.code, None)
    weight_of: dict[str, float] = {}
    countries_of: dict[str, list[str]] = {}
    without_zone: list[str] = []
    unweighted: list[str] = []
    for code in members:
        zones = zones_of_country(code)
        if not zones:
            without_zone.append(code)
            continue
        weight = 1.0 if country_weights is None else float(country_weights.get(code, 0))
        if weight <= 0:
            unweighted.append(code)
        for zone in zones:
            weight_of[zone] = weight_of.get(zone, 0.0) + weight / len(zones)
            countries_of.setdefault(zone, []).append(code)
    zones_out = tuple(
        WeightedZone(zone, ZoneInfo(zone), weight, tuple(countries_of[zone]))
        for zone, weight in weight_of.items()
    )
    return RegionWeights(zones_out, tuple(members), tuple(without_zone), tuple(unweighted))


@cache
def equal_region_weights(codes: tuple[str, ...], scheme: str = "wikimedia") -> RegionWeights:
    """Every country of the regions weighted alike (cached: `lc validate` asks for each clinic).
    Zones in tz database order; `heaviest_first` gives them by weight."""
    from letsconnect_cli.places.regions import region
    from letsconnect_cli.vocab import Scheme

    return region_weights([region(code, Scheme(scheme)) for code in codes])


@cache
def heaviest_first(codes: tuple[str, ...], scheme: str = "wikimedia") -> tuple[WeightedZone, ...]:
    """The zones of `equal_region_weights`, heaviest first (a country's only zone before the
    zones of countries with several), so that `score_at(..., enough=...)` stops early."""
    zones = equal_region_weights(codes, scheme).zones
    return tuple(sorted(zones, key=lambda z: -z.weight))


# --- registrants as weights ------------------------------------------------------------------


class Registrants(NamedTuple):
    """Unique people of registration exports per country, and those lc could not place."""

    by_country: dict[str, int]
    people: int = 0
    without_country: int = 0


@dataclass(slots=True)
class _Registrant:
    counted: bool = False  # registered or attended (not feedback only)
    country: str | None = None
    country_trust: int = 0  # see `ingest.people.country_trust`

    def merge(self, other: _Registrant) -> None:
        self.counted = self.counted or other.counted
        if other.country_trust > self.country_trust:
            self.country, self.country_trust = other.country, other.country_trust


def count_registrants(records: Iterable[Record]) -> Registrants:
    """Unique registrants (and attendees) per country, from `ingest.read_records`' records.

    People are the report's (`ingest.people`): rows sharing an email address or a username are
    one person, however the rows spread them; rows with neither count once each, but for a
    display name on attendance rows. A country typed in a form outranks the one a Zoom report
    guesses from the network address."""
    from letsconnect_cli.ingest.people import People, country_trust

    people: People[_Registrant] = People(_Registrant, _Registrant.merge)
    for record in records:
        person = people.of(record)
        if not (record.registered or record.attended):
            continue
        person.counted = True
        trust = country_trust(record)
        if trust > person.country_trust:
            person.country, person.country_trust = record.country, trust
    by_country: dict[str, int] = {}
    counted = [person for person in people if person.counted]
    for person in counted:
        if person.country is not None:
            by_country[person.country] = by_country.get(person.country, 0) + 1
    without = sum(person.country is None for person in counted)
    return Registrants(by_country, len(counted), without)


def registrant_weights(regions: Sequence[Region], registrants: Registrants) -> RegionWeights:
    """The regions' zones weighted by registrants per country (countries without any weigh 0)."""
    return region_weights(regions, {code: float(n) for code, n in registrants.by_country.items()})
