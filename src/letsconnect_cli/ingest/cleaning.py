"""What the cells of exports mean: emails, usernames, countries, regions, roles, languages, ratings.

The readers build each `Record` from these: functions of one cell, and a `Cleaner` for what
depends on the region scheme or is noted in the log. Every lookup of a value that exports repeat
(a country, a role, languages) is cached, so each distinct value is worked out once.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from functools import cache
from typing import TYPE_CHECKING, NamedTuple

from letsconnect_cli.ingest.records import IngestLog
from letsconnect_cli.places.regions import countries
from letsconnect_cli.vocab import GRANT_COMMITTEE_REGIONS, SCHEME_REGIONS, WIKIMEDIA_REGIONS, Scheme

if TYPE_CHECKING:
    from letsconnect_cli.ingest.countries import Place

#: The main roles of the program's registration forms, by key.
ROLES: dict[str, str] = {
    "paid-staff": "Paid staff of an affiliate",
    "volunteer-staff": "Volunteer staff of an affiliate",
    "organiser": "Volunteer organiser",
    "executive-director": "Executive director",
    "board-member": "Board member",
    "editor": "Individual volunteer editor",
    "other": "Other role",
}
_ROLE_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), key)
    for pattern, key in (
        (r"executive director|\bed\b|\bceo\b", "executive-director"),
        (r"\bboard\b|\bchair", "board-member"),
        (r"volunteer staff", "volunteer-staff"),
        (r"\bstaff\b|employee|\bpaid\b", "paid-staff"),
        (r"organi[sz]er|organi[sz]ing", "organiser"),
        (r"editor|contributor|individual|wikipedian", "editor"),
    )
)

#: Answers that mean "nothing": no country given, no interpretation wanted.
_BLANK = frozenset(
    {
        "",
        "-",
        "--",
        "n a",
        "na n",
        "none",
        "no",
        "nil",
        "unknown",
        "not applicable",
        "prefer not to say",
        "no interpretation",
        "not needed",
        "no need",
        "null",
    }
)

_PUNCT = re.compile(r"[\W_]+")
_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """Case, accents, punctuation and spacing folded away: 'Côte d'Ivoire' -> 'cote d ivoire'."""
    if not text.isascii():  # ASCII has no accents: spares the per-character pass (most names)
        text = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.casefold().replace("&", " and ")
    return _PUNCT.sub(" ", text).strip()


def email_as_given(value: str, cleaned: str | None) -> str | None:
    """The address as the person wrote it, when that differs from the cleaned (lower-cased) one:
    invitations write it so (RFC 5321 2.4: the local part is case-sensitive)."""
    text = value.strip()
    if text[:7].lower() == "mailto:":
        text = text[7:]
    return text if cleaned is not None and text != cleaned else None


def email_cell(cell: str | None) -> tuple[str | None, str | None]:
    """(the address cleaned, the address as written when that differs) of an email cell."""
    if not cell:
        return None, None
    email = clean_email(cell)
    return email, (email_as_given(cell, email) if email is not None and email != cell else None)


def clean_email(value: str) -> str | None:
    """Trimmed and lower-cased; None when the cell holds no address."""
    text = value.strip().lower()
    if text.startswith("mailto:"):
        text = text[7:]
    return text if "@" in text and " " not in text else None


#: Username answers that mean "none", as typed (compared lower-cased, spaces trimmed).
_NO_USERNAME = frozenset(
    {"", "-", "--", "n/a", "na", "n.a.", "none", "no", "nil", "null", "unknown"}
)


def clean_username(value: str) -> str | None:
    """As MediaWiki writes it: no 'User:' prefix, '_' as space, first letter upper-case."""
    text = value.strip()
    if ":" in text and text[:5].lower() == "user:":
        text = text[5:].strip()
    if "_" in text:
        text = text.replace("_", " ").strip()
    if "  " in text or "\t" in text:
        text = _SPACES.sub(" ", text)
    if len(text) < 8 and text.lower() in _NO_USERNAME:
        return None
    first = text[0]
    if first.isupper() or not first.isalpha():
        return text
    upper = first.upper()
    return (upper if len(upper) == 1 else first) + text[1:]


def country_code(value: str) -> str | None:
    """ISO 3166-1 alpha-2 of a country name (in any script), variant, code or near miss; '' when
    blank; None when unknown (see `countries.resolve`)."""
    from letsconnect_cli.ingest.countries import BLANK_VALUE, resolve

    place = resolve(value)
    return "" if place.how == BLANK_VALUE else place.code


@cache
def _region_names() -> dict[str, str]:
    names: dict[str, str] = {}
    for table in (WIKIMEDIA_REGIONS, GRANT_COMMITTEE_REGIONS):
        for code, name in table.items():
            names[code.casefold()] = code
            names[fold(name)] = code
            names[fold(name).replace(" and ", " ")] = code
    names.update({"latin america": "LAC", "sub saharan africa": "SSA", "mena": "MENA"})
    return names


@cache
def region_code(value: str) -> str | None:
    """A self-reported region as a code of either scheme, or None when it names none."""
    return _region_names().get(fold(value))


@cache
def role_key(value: str) -> str | None:
    """A role answer as a key of ROLES ('other' for any other answer), None when blank."""
    key = fold(value)
    if key in _BLANK:
        return None
    for pattern, role in _ROLE_RULES:
        if pattern.search(key):
            return role
    return "other"


@cache
def language_codes(value: str) -> tuple[str, ...]:
    """Interpretation wanted, as BCP 47 tags ('und' for a language lc cannot name); see
    `language_names.parse_languages`."""
    from letsconnect_cli.ingest.language_names import parse_languages

    return parse_languages(value).codes


@cache
def preferred_language(value: str) -> str | None:
    """The language a person asked to be written to: a BCP 47 tag ('zh-Hant') or a language's
    name in any language ('Japanese', '日本語'); None when blank or when lc cannot name it."""
    from letsconnect_cli.ingest.language_names import parse_languages

    parts = [p for p in parse_languages(value).codes if p != "und"]
    return parts[0] if parts else None


def parse_rating(value: str) -> int | None:
    """A 1-5 score from '4', ' 4 ', '4.0'; None for anything else."""
    text = value.strip()
    try:
        number = float(text)
    except ValueError:
        return None
    if not 1 <= number <= 5 or number != int(number):  # NaN, inf and 1e309 fail the range first
        return None
    return int(number)


class Cleaner:
    """What the cells of an export mean, for one region scheme: the readers pick a row's cells,
    the cleaner gives each field's value, and notes in the log what it could not read.

    Each distinct country cell, with each region cell it comes with, is worked out once and kept:
    exports repeat the same few hundred values across millions of rows.
    """

    def __init__(
        self, scheme: Scheme, log: IngestLog, country_map: Mapping[str, str] | None = None
    ) -> None:
        self.scheme = scheme
        self.log = log
        self.country_map = dict(country_map or {})  # folded spelling -> code (lc.toml, flags)
        table = countries()
        self._region_of = {code: c.region_in(scheme) for code, c in table.items()}
        self._both = {code: (c.region, c.grant_committee_region) for code, c in table.items()}
        self._scheme_codes = frozenset(SCHEME_REGIONS[scheme])
        self._countries: dict[str, Place] = {}  # country cell -> what it names
        self._places: dict[tuple[str | None, str | None], CountryAndRegion] = {}

    def country_and_region(
        self, country: str | None, region: str | None, source: str, line: int
    ) -> CountryAndRegion:
        """What a row's country and region cells say (either may be empty or None). A country
        that names none, or only nearly (a guess), is noted in the log."""
        found = self._places.get((country, region)) or self._place(country, region)
        if found.note:
            self._note_country(country or "", found, source, line)
        return found

    def languages(self, cell: str | None, source: str, line: int) -> tuple[str, ...]:
        """Interpretation wanted, as BCP 47 tags; the parts of the cell that name no language are
        noted in the log (they give 'und')."""
        if not cell:
            return ()
        codes = language_codes(cell)
        if "und" in codes:
            from letsconnect_cli.ingest.language_names import parse_languages

            for part in parse_languages(cell).unknown:
                self.log.note(self.log.unknown_languages, part, source, line)
        return codes

    def _place(self, country: str | None, region: str | None) -> CountryAndRegion:
        code = found = None
        note = 0
        if country:
            from letsconnect_cli.ingest import countries as how

            place = self._countries.get(country) or how.resolve(country, self.country_map)
            self._countries[country] = place
            code = place.code
            found = self._region_of[code] if code else None
            note = (
                UNKNOWN if place.how == how.UNKNOWN else GUESSED if place.how == how.GUESSED else 0
            )
        corrected = False
        if region:
            # The country's region, corrected when the answer names another region of either
            # scheme; without a country, the answer when it names a region of the scheme.
            given = region_code(region)
            if code is not None:
                corrected = given is not None and given not in self._both[code]
            else:
                found = given if given in self._scheme_codes else None
        result = self._places[(country, region)] = CountryAndRegion(code, found, corrected, note)
        return result

    def _note_country(self, cell: str, place: CountryAndRegion, source: str, line: int) -> None:
        """Note a row whose country cell names no country, or only nearly (a guess)."""
        log = self.log
        if place.note == UNKNOWN:
            log.unknown_country += 1
            if log.first_unknown_country is None:
                log.first_unknown_country = (source, line)
            log.note(log.unknown_countries, cell, source, line)
        else:
            log.country_guessed += 1
            log.note(log.guessed_countries, cell, source, line, place.country)


class CountryAndRegion(NamedTuple):
    """What a row's country and region cells say."""

    country: str | None  # ISO 3166-1 alpha-2
    region: str | None  # in the scheme: the country's, else the one the person gave
    region_corrected: bool  # the region the person gave contradicts the country
    note: int  # the country cell names no country (UNKNOWN), or only nearly (GUESSED); else 0


#: Notes of a country cell (`CountryAndRegion.note`).
UNKNOWN, GUESSED = 1, 2

BAD_RATING = "rating is not a whole number from 1 to 5; left out of satisfaction"
