"""Cleaning a record in place: emails, usernames, countries, regions, roles, languages, ratings.

Every lookup from a raw value is cached: exports repeat the same few hundred values across
millions of rows, so each distinct value is worked out once.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from letsconnect_cli.ingest.records import IngestLog, Record
from letsconnect_cli.regions import countries
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

#: Colloquial names missing from pycountry and the Foundation's table (which both come first).
_COUNTRY_VARIANTS: dict[str, str] = {
    "uk": "GB",
    "great britain": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "northern ireland": "GB",
    "usa": "US",
    "us": "US",
    "america": "US",
    "russia": "RU",
    "ivory coast": "CI",
    "turkey": "TR",
    "macau": "MO",
    "macau sar": "MO",
    "macao sar": "MO",
    "hong kong sar": "HK",
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
}

_PUNCT = re.compile(r"[\W_]+")
_SPACES = re.compile(r"\s+")
_LANGUAGE_SPLIT = re.compile(r"[;,/]|\band\b")
_PARENTHESES = re.compile(r"\([^)]*\)")


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


def _add_name(index: dict[str, str], name: str | None, code: str) -> None:
    if not name or code not in countries():
        return
    key = fold(name)
    index.setdefault(key, code)
    if key.startswith("the "):
        index.setdefault(key[4:], code)
    if ", " in name:  # "Korea, Republic of" is also written "Republic of Korea"
        head, _, tail = name.partition(", ")
        index.setdefault(fold(f"{tail} {head}"), code)
        index.setdefault(fold(head), code)


@cache
def _table_index() -> dict[str, str]:
    """Codes and names of the Foundation's table: most exports need nothing more."""
    index: dict[str, str] = {}
    for country in countries().values():
        index.setdefault(country.code.casefold(), country.code)
        index.setdefault(country.alpha3.casefold(), country.code)
        _add_name(index, country.name, country.code)
    return index


@cache
def _country_index() -> dict[str, str]:
    """The table's names, then pycountry's (official and common names), then colloquial ones."""
    import pycountry

    index = dict(_table_index())
    for item in pycountry.countries:
        for attribute in ("common_name", "name", "official_name"):
            _add_name(index, getattr(item, attribute, None), item.alpha_2)
    for name, code in _COUNTRY_VARIANTS.items():
        index.setdefault(name, code)
    return index


def _lookup(key: str) -> str | None:
    for index in (_table_index(), _country_index()):  # pycountry is loaded only on a miss
        if key in index:
            return index[key]
        if key.startswith("the ") and key[4:] in index:
            return index[key[4:]]
    return None


@cache
def country_code(value: str) -> str | None:
    """ISO 3166-1 alpha-2 of a country name, variant or code; '' when blank; None when unknown."""
    text = value.strip()
    if text.isupper() and text in countries():  # NA is Namibia and NO Norway, never "none"
        return text
    key = fold(text)
    if key in _BLANK:
        return ""
    found = _lookup(key)
    if found is None:
        bare = fold(_PARENTHESES.sub(" ", text))
        found = _lookup(bare) if bare else None
    return found


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
def _language_names() -> dict[str, str]:
    """ISO 639 names without their qualifier: 'Swahili (macrolanguage)' is also 'Swahili'."""
    import pycountry

    names: dict[str, str] = {}
    for language in pycountry.languages:
        code = getattr(language, "alpha_2", None) or language.alpha_3
        for name in (language.name, getattr(language, "common_name", None)):
            if name:
                bare = _PARENTHESES.sub(" ", name) if "(" in name else name
                names.setdefault(fold(bare), code)
    return names


@cache
def _cldr_language_names() -> dict[str, str]:
    """The languages the Unicode CLDR names in English, by folded name and code: a small table
    (Babel's, one locale) that answers the usual answers ('Japanese', 'ja') without pycountry's
    full ISO 639-3 table, which takes longer to load than a small export takes to read."""
    from babel import Locale

    names: dict[str, str] = {}
    for code, name in Locale("en").languages.items():
        code = str(code)
        if "_" in code or not 2 <= len(code) <= 3:
            continue  # "zh_Hant", "en_GB": regional names, asked for through the base language
        names.setdefault(code.casefold(), code)
        names.setdefault(fold(str(name)), code)
    return names


@cache
def language_codes(value: str) -> tuple[str, ...]:
    """Interpretation wanted, as language codes ('und' for a language lc cannot name)."""
    codes: list[str] = []
    for part in _LANGUAGE_SPLIT.split(value):
        text = _PARENTHESES.sub(" ", part).strip()
        if fold(text) in _BLANK:
            continue
        code = _cldr_language_names().get(fold(text)) or _iso_language_code(text)
        if code not in codes:
            codes.append(code)
    return tuple(codes)


def _iso_language_code(text: str) -> str:
    """A language CLDR does not name, looked up in ISO 639 (pycountry); 'und' if none."""
    import pycountry

    try:
        language = pycountry.languages.lookup(text)
    except LookupError:
        return _language_names().get(fold(text), "und")
    return str(getattr(language, "alpha_2", None) or language.alpha_3)


@cache
def preferred_language(value: str) -> str | None:
    """The language a person asked to be written to: a BCP 47 tag ('zh-Hant') or a language's
    name ('Japanese'); None when blank or when lc cannot name it."""
    from letsconnect_cli.languages import LanguageTagError, normalise_language_tag

    first = _LANGUAGE_SPLIT.split(value)[0]
    text = _PARENTHESES.sub(" ", first).strip()
    if fold(text) in _BLANK:
        return None
    try:
        return normalise_language_tag(text.replace("_", "-"))
    except LanguageTagError:
        pass
    codes = [code for code in language_codes(text) if code != "und"]
    if not codes:
        return None
    if codes[0] == "zh":  # "Chinese (Traditional)", "Traditional Chinese"
        script = fold(first)
        return (
            "zh-Hant" if "traditional" in script else "zh-Hans" if "simplified" in script else "zh"
        )
    return codes[0]


def parse_rating(value: str) -> int | None:
    """A 1-5 score from '4', ' 4 ', '4.0'; None for anything else."""
    text = value.strip()
    try:
        number = float(text)
    except ValueError:
        return None
    if number != int(number) or not 1 <= number <= 5:
        return None
    return int(number)


class Cleaner:
    """Cleans records in place for one scheme, counting what it fixes in the log.

    Each distinct country, region and role value is worked out once and kept: exports repeat the
    same few hundred values across millions of rows.
    """

    def __init__(self, scheme: Scheme, log: IngestLog) -> None:
        self.scheme = scheme
        self.log = log
        table = countries()
        self._region_of = {code: c.region_in(scheme) for code, c in table.items()}
        self._both = {code: (c.region, c.grant_committee_region) for code, c in table.items()}
        self._scheme_codes = frozenset(SCHEME_REGIONS[scheme])
        # raw country -> (code or None, region or None, unknown?)
        self.places: dict[str, tuple[str | None, str | None, bool]] = {}
        # (raw reported region, country code) -> (region, corrected?)
        self.reports: dict[tuple[str, str | None], tuple[str | None, bool]] = {}

    def place(self, raw: str) -> tuple[str | None, str | None, bool]:
        """(ISO code, region in the scheme, unknown?) of a country value."""
        found = self.places.get(raw)
        if found is None:
            code = country_code(raw)
            found = (code or None, self._region_of[code] if code else None, code is None)
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
            code, record.region, unknown = self.place(record.country)
            record.country = code
            if unknown:
                self.unknown(record)
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

    def unknown(self, record: Record) -> None:
        self.unknown_at(record.source, record.line)

    def unknown_at(self, source: str, line: int) -> None:
        """Count a row whose country value names no country."""
        self.log.unknown_country += 1
        if self.log.first_unknown_country is None:
            self.log.first_unknown_country = (source, line)


BAD_RATING = "rating is not a whole number from 1 to 5; left out of satisfaction"
