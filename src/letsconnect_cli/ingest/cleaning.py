"""Cleaning a record in place: emails, usernames, countries, regions, roles, languages, ratings.

Every lookup from a raw value is cached: exports repeat the same few hundred values across
millions of rows, so each distinct value is worked out once.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from functools import cache

from letsconnect_cli.ingest.records import IngestLog, Record
from letsconnect_cli.places.regions import countries
from letsconnect_cli.vocab import GRANT_COMMITTEE_REGIONS, SCHEME_REGIONS, WIKIMEDIA_REGIONS, Scheme

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
    """Cleans records in place for one scheme, counting what it fixes in the log.

    Each distinct country, region and role value is worked out once and kept: exports repeat the
    same few hundred values across millions of rows.
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
        # raw country -> (code or None, region or None, NOTED or GUESSED or 0)
        self.places: dict[str, tuple[str | None, str | None, int]] = {}
        # (raw reported region, country code) -> (region, corrected?)
        self.reports: dict[tuple[str, str | None], tuple[str | None, bool]] = {}

    def place(self, raw: str) -> tuple[str | None, str | None, int]:
        """(ISO code, region in the scheme, note) of a country value. The note is true for a value
        each row of which is to be noted (`unknown_at`): UNKNOWN, or GUESSED (a near miss)."""
        found = self.places.get(raw)
        if found is None:
            from letsconnect_cli.ingest.countries import GUESSED as HOW_GUESSED
            from letsconnect_cli.ingest.countries import UNKNOWN as HOW_UNKNOWN
            from letsconnect_cli.ingest.countries import resolve

            place = resolve(raw, self.country_map)
            code = place.code
            note = (
                UNKNOWN if place.how == HOW_UNKNOWN else GUESSED if place.how == HOW_GUESSED else 0
            )
            found = (code, self._region_of[code] if code else None, note)
            self.places[raw] = found
        return found

    def reported(self, raw: str, code: str | None) -> tuple[str | None, bool]:
        """(region, corrected?) for a self-reported region and the country's code."""
        key = (raw, code)
        found = self.reports.get(key)
        if found is None:
            given = region_code(raw)
            if code is not None:
                found = (self._region_of[code], given is not None and given not in self._both[code])
            else:
                found = (given if given in self._scheme_codes else None, False)
            self.reports[key] = found
        return found

    def clean(self, record: Record) -> bool:
        """Normalise a record; False (and a skip in the log) when nothing usable is left."""
        if record.email is not None:
            given = record.email
            record.email = clean_email(given)
            record.email_as_given = email_as_given(given, record.email) or record.email_as_given
        if record.username is not None:
            record.username = clean_username(record.username)
        code = None
        if record.country is not None:
            raw = record.country
            code, record.region, note = self.place(raw)
            record.country = code
            if note:
                self.unknown_at(record.source, record.line, raw)
        if record.reported_region:
            record.region, record.region_corrected = self.reported(record.reported_region, code)
        if record.role is not None:
            record.role = role_key(record.role)
        if record.raw_rating is not None and record.raw_rating.strip():
            record.rating = parse_rating(record.raw_rating)
            if record.rating is None:
                self.log.skip(record.source, record.line, BAD_RATING)
                if not record.registered and record.attended is None:
                    return False
        return True

    def unknown_at(self, source: str, line: int, raw: str) -> None:
        """Note a row whose country value names no country, or only nearly (a guess)."""
        note = self.places[raw][2]
        if note == UNKNOWN:
            self.log.unknown_country += 1
            if self.log.first_unknown_country is None:
                self.log.first_unknown_country = (source, line)
            self.log.note(self.log.unknown_countries, raw, source, line)
        elif note == GUESSED:
            self.log.country_guessed += 1
            self.log.note(self.log.guessed_countries, raw, source, line, self.places[raw][0])

    def unknown_languages(self, raw: str, source: str, line: int) -> None:
        """Note the parts of a languages cell that name no language (the cell gave `und`)."""
        from letsconnect_cli.ingest.language_names import parse_languages

        for part in parse_languages(raw).unknown:
            self.log.note(self.log.unknown_languages, part, source, line)


#: Notes of a country value (the third item of `Cleaner.place`).
UNKNOWN, GUESSED = 1, 2

BAD_RATING = "rating is not a whole number from 1 to 5; left out of satisfaction"
