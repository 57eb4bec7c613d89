"""A country cell as an ISO 3166-1 code: every name lc knows, in every script, and near misses.

The look-up goes from cheap to costly and stops at the first answer:
1. the organiser's own spellings (`[report.countries]` in lc.toml, `--map-country SPELLING=CODE`);
2. ISO alpha-2 and alpha-3 codes and the names of the Foundation's table (most exports end here);
3. pycountry's names (official, common) and the colloquial names below (`ALIASES`);
4. every name the Unicode CLDR gives a country in any locale (`日本`, `台灣`, `Việt Nam`,
   `Pilipinas`, `Nouvelle-Zélande`, `Aotearoa`; see `cldr_names`);
5. a near miss of a name written in Latin letters (`Phillipines`, `Indonisia`, `Malysia`): the
   closest name by `difflib`'s ratio, when it is at least `GUESS_THRESHOLD` and no name of another
   country comes within `GUESS_MARGIN` of it; counted as `country_guessed` so the organiser can
   confirm it.

Names are compared folded (`folding.fold_name`): case, Latin accents, punctuation and spacing do
not matter; a parenthesised part is tried without too ("Korea (South)").
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

from letsconnect_cli.ingest.folding import fold_name, shown_value

#: A near miss is accepted from this `difflib.SequenceMatcher.ratio` up (1.0 is the same text):
#: "Phillipines" is 0.91 from "Philippines", "Indonisia" 0.89, "Malysia" 0.93.
GUESS_THRESHOLD = 0.85
#: ... unless another country has a name within this of the best ratio ("Austrlia": Australia
#: 0.94, Austria 0.93): then the value stays unknown.
GUESS_MARGIN = 0.05
#: Values shorter than this (folded) are never guessed: too many short names are one edit apart.
GUESS_MIN_LENGTH = 5

#: Answers that mean "nothing": no country given.
BLANK = frozenset(
    {
        "",
        "n a",
        "na n",
        "none",
        "no",
        "nil",
        "unknown",
        "not applicable",
        "prefer not to say",
        "null",
    }
)

#: Colloquial, former and local names that neither the Foundation's table, pycountry nor CLDR
#: give (folded keys).
ALIASES: dict[str, str] = {
    "uk": "GB",
    "great britain": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "northern ireland": "GB",
    "usa": "US",
    "us": "US",
    "u s a": "US",
    "america": "US",
    "russia": "RU",
    "ivory coast": "CI",
    "turkey": "TR",
    "macau": "MO",
    "macau sar": "MO",
    "macao sar": "MO",
    "hong kong sar": "HK",
    "hongkong": "HK",
    "burma": "MM",
    "swaziland": "SZ",
    "east timor": "TL",
    "cape verde": "CV",
    "drc": "CD",
    "dr congo": "CD",
    "congo kinshasa": "CD",
    "democratic republic of congo": "CD",
    "congo brazzaville": "CG",
    "holland": "NL",
    "vatican": "VA",
    "palestine": "PS",
    "kosovo": "XK",
    "micronesia": "FM",
    "uae": "AE",
    "aotearoa": "NZ",
    "aotearoa new zealand": "NZ",
    "new zealand aotearoa": "NZ",
    "nz": "NZ",
    "republic of china": "TW",
    "roc": "TW",
    "prc": "CN",
    "mainland china": "CN",
    "s korea": "KR",
    "south korea": "KR",
    "n korea": "KP",
    "north korea": "KP",
    "vietnam": "VN",
    "laos": "LA",
    "lao pdr": "LA",
    "lao p d r": "LA",
    "fiji islands": "FJ",
    "solomon is": "SB",
    "png": "PG",
    "timor leste": "TL",
    "the philippines": "PH",
    "phils": "PH",
    "ri": "ID",
    "bharat": "IN",
    "香港": "HK",
    "澳門": "MO",
    "澳门": "MO",
    "中國大陸": "CN",
    "中国大陆": "CN",
    "ประเทศไทย": "TH",
    "中華民國": "TW",
    "中华民国": "TW",
}

_PARENTHESES = re.compile(r"\([^)]*\)|\uff08[^\uff09]*\uff09")

EXACT, MAPPED, GUESSED, BLANK_VALUE, UNKNOWN = "exact", "mapped", "guessed", "blank", "unknown"


@dataclass(frozen=True)
class Place:
    """What a country cell names: the code (None when blank or unknown) and how it was found."""

    code: str | None
    how: str  # exact, mapped, guessed, blank or unknown


def _known() -> Mapping[str, object]:
    from letsconnect_cli.places.regions import countries

    return countries()


def _add_name(index: dict[str, str], name: str | None, code: str) -> None:
    if not name or code not in _known():
        return
    key = fold_name(name)
    index.setdefault(key, code)
    if key.startswith("the "):
        index.setdefault(key[4:], code)
    if ", " in name:  # "Korea, Republic of" is also written "Republic of Korea"
        head, _, tail = name.partition(", ")
        index.setdefault(fold_name(f"{tail} {head}"), code)
        index.setdefault(fold_name(head), code)


@cache
def table_index() -> dict[str, str]:
    """Codes and names of the Foundation's table: most exports need nothing more."""
    from letsconnect_cli.places.regions import countries

    index: dict[str, str] = {}
    for country in countries().values():
        index.setdefault(country.code.casefold(), country.code)
        index.setdefault(country.alpha3.casefold(), country.code)
        _add_name(index, country.name, country.code)
    return index


@cache
def names_index() -> dict[str, str]:
    """The table's names, then pycountry's (official and common names), then the aliases."""
    import pycountry

    index = dict(table_index())
    for item in pycountry.countries:
        for attribute in ("common_name", "name", "official_name"):
            _add_name(index, getattr(item, attribute, None), item.alpha_2)
    for name, code in ALIASES.items():
        index.setdefault(name, code)
    return index


def _cldr_index() -> dict[str, str]:
    from letsconnect_cli.ingest.cldr_names import country_names

    return country_names()


def _exact(key: str) -> str | None:
    for index in (table_index, names_index, _cldr_index):  # each loaded only on a miss
        table = index()
        if key in table:
            return table[key]
        if key.startswith("the ") and key[4:] in table:
            return table[key[4:]]
    return None


@cache
def _latin_names() -> dict[str, str]:
    """The names a near miss is compared with: every name in Latin letters."""
    names = {k: v for k, v in names_index().items() if len(k) >= GUESS_MIN_LENGTH}
    for key, code in _cldr_index().items():
        if len(key) >= GUESS_MIN_LENGTH and key.isascii():
            names.setdefault(key, code)
    return names


def guess(key: str) -> str | None:
    """The one country a folded Latin-letter value is a near miss of, else None."""
    if len(key) < GUESS_MIN_LENGTH or not key.isascii():
        return None
    names = _latin_names()
    close = difflib.get_close_matches(key, names, n=12, cutoff=GUESS_THRESHOLD - GUESS_MARGIN)
    best: dict[str, float] = {}
    for name in close:
        ratio = difflib.SequenceMatcher(None, key, name).ratio()
        code = names[name]
        best[code] = max(best.get(code, 0.0), ratio)
    if not best:
        return None
    ranked = sorted(best.items(), key=lambda item: -item[1])
    code, ratio = ranked[0]
    if ratio < GUESS_THRESHOLD:
        return None
    if len(ranked) > 1 and ranked[1][1] >= ratio - GUESS_MARGIN:
        return None  # two countries are about as close: ambiguous
    return code


#: A flag emoji: two regional indicator symbols, 🇯🇵 = J P.
_FLAG = re.compile("([\U0001f1e6-\U0001f1ff])([\U0001f1e6-\U0001f1ff])")


def _flag(text: str) -> Place | None:
    """A cell of flags alone ("🇯🇵"): their country, or unknown (never blank: it says something)."""
    pairs = _FLAG.findall(text)
    if not pairs or _FLAG.sub("", text).strip():
        return None
    codes = {"".join(chr(ord(c) - 0x1F1E6 + ord("A")) for c in pair) for pair in pairs}
    code = codes.pop() if len(codes) == 1 else None
    return Place(code, EXACT) if code in _known() else Place(None, UNKNOWN)


@cache
def _resolve(value: str) -> Place:
    text = value.strip()
    if text.isupper() and text in _known():  # NA is Namibia and NO Norway, never "none"
        return Place(text, EXACT)
    flag = _flag(text)
    if flag is not None:
        return flag
    key = fold_name(text)
    if key in BLANK or not key:
        return Place(None, BLANK_VALUE)
    found = _exact(key)
    if found is None:
        bare = fold_name(_PARENTHESES.sub(" ", text))
        if bare and bare != key:
            found = _exact(bare)
            if found is None and bare in BLANK:
                return Place(None, BLANK_VALUE)
        for inner in _PARENTHESES.findall(text) if found is None else ():
            found = _exact(fold_name(inner.strip("()\uff08\uff09")))  # "ROC (Taiwan)"
            if found is not None:
                break
    if found is not None:
        return Place(found, EXACT)
    guessed = guess(key)
    if guessed is not None:
        return Place(guessed, GUESSED)
    return Place(None, UNKNOWN)


def resolve(value: str, mapping: Mapping[str, str] | None = None) -> Place:
    """What a country cell names. `mapping`: folded spelling -> code (see `check_mapping`)."""
    if mapping:
        # The cell as written, else as a report lists it (escapes removed, cut at 40 with "…"):
        # the organiser maps what they read there.
        code = mapping.get(fold_name(value)) or mapping.get(fold_name(shown_value(value)))
        if code is not None:
            return Place(code, MAPPED)
    return _resolve(value)


def code_of(value: str) -> str | None:
    """An ISO alpha-2 or alpha-3 code, or a name lc knows exactly, as its alpha-2 code."""
    place = _resolve(value)
    return place.code if place.how == EXACT else None


def check_mapping(entries: Mapping[str, str], where: str) -> dict[str, str]:
    """`[report.countries]` or `--map-country` entries as folded spelling -> alpha-2 code;
    ValueError naming the entry when a code is no country."""
    mapping: dict[str, str] = {}
    for spelling, target in entries.items():
        code = code_of(str(target))
        if code is None:
            raise ValueError(
                f"{where}: {str(target)[:40]!r} (for {str(spelling)[:40]!r}) is no country; "
                "give an ISO 3166 code such as PH or PHL"
            )
        key = fold_name(str(spelling))
        if not key:
            raise ValueError(f"{where}: an empty spelling maps to {code}")
        mapping[key] = code
    return mapping


def parse_map_countries(items: list[str]) -> dict[str, str]:
    """`--map-country "SPELLING=CODE"` options as entries of `check_mapping`."""
    from letsconnect_cli.errors import UsageError

    entries: dict[str, str] = {}
    for item in items:
        spelling, sep, code = item.rpartition("=")
        if not sep or not spelling.strip() or not code.strip():
            raise UsageError(
                f"--map-country {item[:60]!r} is not SPELLING=CODE",
                hint='For example: --map-country "Phillipines=PH"',
            )
        entries[spelling.strip()] = code.strip()
    try:
        return check_mapping(entries, "--map-country")
    except ValueError as error:
        raise UsageError(str(error)) from None
