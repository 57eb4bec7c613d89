"""Which UTC start times suit the people of a region: candidate starts scored by local hours.

The model (docs/guide/planning.md says the same to users):

- A *window* is the acceptable local time: hours such as 08:00-21:00 (crossing midnight when the
  end is not after the start, e.g. 18:00-01:00) that open on allowed local weekdays.
- People are *weighted zones*: each IANA zone (or any `tzinfo`) with a weight, e.g. a country's
  share of a region, split equally across the zones the tz database lists for the country.
- A session is *acceptable* in a zone when the whole session, in that zone's wall-clock time (its
  real offset at the start and at the end, so daylight saving is right on every date), lies inside
  one window: from the opening hour of an allowed local day to the closing hour.
- A start's *score* is the share of the weight for which the session is acceptable (0 to 1).
  Its *comfort* breaks ties: the weighted mean, over everyone, of how far the session keeps from
  the nearer edge of the window, counted up to 2 hours (0 where it is not acceptable), so a start
  that leaves people an hour's margin beats one that ends on the stroke of the closing hour.
- Starts are ranked by score, then comfort, then time.

Modules: `window` (hours, days, candidate starts), `scoring` (scores, ranking, the best start
nearby), `weights` (regions' zones weighted per country, registrants), `heatmap` (a day per zone
group), `checks` (the warning of `lc validate` and `lc new-clinic`). Pure functions over plain
data: no printing, no Typer, no Rich. Times are aware datetimes in UTC.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from letsconnect_cli.slots.scoring import (
        COMFORT_MARGIN,
        Candidate,
        WeightedZone,
        ZoneFit,
        best_nearby,
        offsets,
        rank,
        score_at,
        score_starts,
        zone_fits,
    )
    from letsconnect_cli.slots.weights import (
        RegionWeights,
        Registrants,
        count_registrants,
        equal_region_weights,
        region_weights,
        registrant_weights,
    )

# The window's names are bound here, eagerly: `window` is also the name of their module, which
# would otherwise shadow the function once imported.
from letsconnect_cli.slots.window import (
    ALL_DAYS,
    STEP,
    Window,
    describe_days,
    next_days,
    parse_day,
    parse_days,
    parse_hours,
    parse_week,
    starts_on,
    window,
)

#: The other names of the package's API and their modules, imported when first used: `lc
#: validate` needs the window alone, unless a clinic is to be checked.
_HOMES = {
    "COMFORT_MARGIN": "scoring",
    "Candidate": "scoring",
    "RegionWeights": "weights",
    "Registrants": "weights",
    "WeightedZone": "scoring",
    "ZoneFit": "scoring",
    "best_nearby": "scoring",
    "count_registrants": "weights",
    "equal_region_weights": "weights",
    "offsets": "scoring",
    "rank": "scoring",
    "region_weights": "weights",
    "registrant_weights": "weights",
    "score_at": "scoring",
    "score_starts": "scoring",
    "zone_fits": "scoring",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{home}"), name)
    globals()[name] = value
    return value


__all__ = [
    "ALL_DAYS",
    "COMFORT_MARGIN",
    "STEP",
    "Candidate",
    "RegionWeights",
    "Registrants",
    "WeightedZone",
    "Window",
    "ZoneFit",
    "best_nearby",
    "count_registrants",
    "describe_days",
    "equal_region_weights",
    "next_days",
    "offsets",
    "parse_day",
    "parse_days",
    "parse_hours",
    "parse_week",
    "rank",
    "region_weights",
    "registrant_weights",
    "score_at",
    "score_starts",
    "starts_on",
    "window",
    "zone_fits",
]
