"""Reach: how many Wikimedia affiliates the participants came from ("64% of Wikimedia affiliates
engaged"), from the affiliation cells of the exports matched to a list (`affiliate_list`).

A participant who gave affiliation cells is one of: naming a listed affiliate (`people`), naming
something the list does not hold (`unknown`: counted, never printed), or naming none or leaving it
blank (`none`); the three sum to the people asked (`asked`). `engaged` is the number of distinct
listed affiliates named, at most `people` and the list's length. All are cells of the disclosure
model, with those relations; the share of all affiliates is given only for the complete list.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from letsconnect_cli.report.attendees import Model, Shown
from letsconnect_cli.report.stats import Counts

if TYPE_CHECKING:
    from letsconnect_cli.report.affiliate_list import AffiliateList

KEYS = ("engaged", "people", "unknown", "none", "asked")
NO_LIST = (
    "no affiliates list: run lc affiliates update to fetch the maintained list from Meta-Wiki, "
    'or set [report] affiliates = "FILE" (one name a line)'
)


@dataclass
class Matched:
    """People per kind of answer, and the affiliates named."""

    people: int = 0
    unknown: int = 0
    none: int = 0
    engaged: set[int] = field(default_factory=set)

    @property
    def asked(self) -> int:
        return self.people + self.unknown + self.none


def match(counts: Counts, affiliates: AffiliateList) -> Matched:
    """Each group of people by their cells, matched once per distinct cell."""
    result = Matched()
    seen: dict[str, frozenset[int] | None] = {}
    for cells, n in (counts.affiliations or {}).items():
        named: set[int] = set()
        unknown = False
        for cell in cells:
            found = seen[cell] if cell in seen else seen.setdefault(cell, affiliates.match(cell))
            if found is None:
                unknown = True
            else:
                named |= found
        if named:
            result.people += n
            result.engaged |= named
        elif unknown:
            result.unknown += n
        else:
            result.none += n
    return result


def declare(model: Model, matched: Matched | None, listed: int) -> None:
    """The five counts and what the report says of them: people + unknown + none = asked <=
    participants; engaged <= people, and engaged <= the list's length (public)."""
    if matched is None:
        return
    asked = model.count("affiliates.asked", matched.asked, priority=2)
    if "participants" in model.index:
        model.at_most(asked, model.index["participants"])
    parts = [model.count(f"affiliates.{key}", getattr(matched, key)) for key in KEYS[1:4]]
    model.equal(asked, parts)
    engaged = model.count("affiliates.engaged", len(matched.engaged), priority=2)
    model.at_most(engaged, parts[0])
    model.row({engaged: 1.0}, hi=float(listed))


def figures(
    shown: Shown, counts: Counts, affiliates: AffiliateList | None, matched: Matched | None
) -> dict[str, Any] | None:
    """`reach.affiliates`: None when no source asks for an affiliation."""
    if counts.affiliations is None:
        return None
    if affiliates is None or matched is None:
        return {
            "list": None,
            **dict.fromkeys(KEYS),
            "share": None,
            "suppressed": [],
            "note": NO_LIST,
        }
    values = {key: shown(f"affiliates.{key}") for key in KEYS}
    engaged = values["engaged"]
    share = None
    if affiliates.complete and engaged is not None and len(affiliates):
        share = round(engaged / len(affiliates), 4)
    return {
        "list": {
            "file": affiliates.file,
            "source": affiliates.origin,
            "revision": affiliates.revision,
            "complete": affiliates.complete,
            "affiliates": len(affiliates),
        },
        **values,
        "share": share,
        "suppressed": [key for key in KEYS if shown.hidden(f"affiliates.{key}")],
        "note": None,
    }


def csv_rows(found: dict[str, Any] | None) -> list[tuple[Any, ...]]:
    """(section, key, name, metric, value, suppressed) rows of the CSV."""
    if found is None:
        return []
    if found["list"] is None:
        return [("reach", "affiliates", "no affiliates list", "engaged", None, False)]
    hidden = set(found["suppressed"])
    name = "complete list" if found["list"]["complete"] else "partial list"
    rows: list[tuple[Any, ...]] = [
        ("reach", "affiliates", name, "listed", found["list"]["affiliates"], False)
    ]
    for key in KEYS:
        rows.append(("reach", "affiliates", name, key, found[key], key in hidden))
    rows.append(("reach", "affiliates", name, "share", found["share"], False))
    return rows
