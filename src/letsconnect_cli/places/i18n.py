"""Languages of announcements: gettext catalogs for the fixed labels, Babel for dates, times, lists.

The labels' source language is English (the msgids); catalogs live in
`locale/<catalog>/LC_MESSAGES/lc.po` beside this module, compiled to `lc.mo` (committed, and
checked against the `.po` by the tests).
Translations not yet reviewed carry the translator comment "awaiting review by native speakers"
(not the fuzzy flag, which would make gettext ignore them).
Dates, times, durations, city and language names come from CLDR through Babel, never from the
catalogs: the translators translate only lc's own words.
"""

from __future__ import annotations

import gettext
import io
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING

from letsconnect_cli.errors import UsageError

if TYPE_CHECKING:
    from babel import Locale

DOMAIN = "lc"
#: The catalogs lc ships, by directory name (POSIX style, as Babel and gettext name them).
CATALOGS = ("fil", "id", "ja", "ko", "th", "vi", "zh_Hans", "zh_Hant")
#: English is the catalogs' source language: its labels are the msgids themselves.
SOURCE_LANGUAGE = "en"
#: Labels deliberately left in English in every language (names of products, say). A label missing
#: from a catalog and not listed here fails the tests (tests/test_i18n_catalogs.py).
ENGLISH_FALLBACK: frozenset[str] = frozenset()
#: Languages whose compact CLDR date ("2023年4月2日(日)") reads better than the full one.
_COMPACT_DATE = {"ja", "ko", "zh"}
#: Languages whose written form lc chooses when a tag names none: spoken Chinese ("zh") is read
#: in both scripts, so `--all-langs` writes both (see `written_forms`).
_DEFAULT_SCRIPT = {"zh": "Hans"}


@dataclass(frozen=True)
class Language:
    """A language an announcement is written in: its tag, CLDR locale and label catalog."""

    tag: str  # BCP 47, e.g. "zh-Hant"
    locale: Locale  # for dates and names, e.g. zh_Hant
    catalog: str | None  # the label catalog, e.g. "zh_Hant"; None for English (or no catalog)

    @property
    def has_labels(self) -> bool:
        """Whether lc has labels in this language (English always does)."""
        return self.catalog is not None or self.locale.language == SOURCE_LANGUAGE

    @property
    def direction(self) -> str:
        return str(self.locale.text_direction)


def resolve_language(tag: str) -> Language:
    """The language for a BCP 47 tag: 'ja', 'zh-TW', 'zh-Hant', 'fil', 'en-GB'; else UsageError."""
    from babel import Locale, UnknownLocaleError

    from letsconnect_cli.places.languages import LanguageTagError, normalise_language_tag

    try:
        normalised = normalise_language_tag(tag)
    except LanguageTagError as error:
        raise UsageError(str(error)) from None
    try:
        locale = Locale.parse(normalised, sep="-")
    except (UnknownLocaleError, ValueError):
        raise UsageError(
            f"lc cannot write dates in {tag!r}: CLDR has no locale for it",
            hint="Give a language such as en, ja, zh-Hans, zh-Hant, id, ko, th, vi or fil.",
        ) from None
    language = "fil" if locale.language == "tl" else locale.language
    if language == "en" and locale.territory is None:
        locale = Locale.parse("en_001")  # international English: "Sunday, 2 April 2023"
    script = locale.script or _DEFAULT_SCRIPT.get(language)
    catalog = None
    for candidate in (f"{language}_{script}" if script else None, language):
        if candidate in CATALOGS:
            catalog = candidate
            break
    if language == "zh" and locale.script is None:
        locale = Locale.parse(f"zh_{script}")
    return Language(
        tag=_tag_of(normalised, language, script, catalog), locale=locale, catalog=catalog
    )


def _tag_of(normalised: str, language: str, script: str | None, catalog: str | None) -> str:
    """The tag lc names files and pages by: the catalog's ('zh-Hant' for zh-TW), else the input."""
    if catalog is not None:
        return catalog.replace("_", "-")
    if language == "zh" and script:
        return f"zh-{script}"
    return normalised


def written_forms(tag: str) -> list[str]:
    """The written languages for one spoken language: 'zh' is read as zh-Hans and zh-Hant."""
    if tag == "zh":
        return ["zh-Hans", "zh-Hant"]
    return [tag]


@cache
def translations(catalog: str | None) -> gettext.NullTranslations:
    """The compiled catalog (read through importlib.resources, so an installed wheel works)."""
    from babel.support import NullTranslations, Translations

    if catalog is None:
        return NullTranslations()
    path = resources.files("letsconnect_cli").joinpath(
        "locale", catalog, "LC_MESSAGES", f"{DOMAIN}.mo"
    )
    return Translations(fp=io.BytesIO(path.read_bytes()), domain=DOMAIN)


REVIEW_PENDING = "awaiting review by native speakers"


@cache
def review_status(catalog: str | None) -> str | None:
    """'awaiting review by native speakers' while any entry of the catalog still carries that
    translator comment (reviewers delete it entry by entry); 'reviewed' after; None for English."""
    from babel.messages.pofile import read_po

    if catalog is None:
        return None
    path = resources.files("letsconnect_cli").joinpath(
        "locale", catalog, "LC_MESSAGES", f"{DOMAIN}.po"
    )
    with path.open("rb") as handle:
        entries = [m for m in read_po(handle) if m.id]
    pending = any(REVIEW_PENDING in m.user_comments for m in entries)
    return REVIEW_PENDING if pending else "reviewed"


# --- dates, times and names, per locale (CLDR through Babel) ------------------------------------


def format_date(moment: datetime, language: Language) -> str:
    """The weekday and date: 'Sunday, 2 April 2023', '2023年4月2日(日)'."""
    from babel.dates import format_date as babel_date
    from babel.dates import format_skeleton

    if language.locale.language in _COMPACT_DATE:
        return format_skeleton("yMMMEd", moment, locale=language.locale)
    return babel_date(moment, "full", locale=language.locale)


def format_time(moment: datetime, language: Language, *, weekday: bool = False) -> str:
    """A 24-hour time, '15:00' (with the weekday, 'Sat 20:00', when the day differs)."""
    from babel.dates import format_skeleton

    return format_skeleton("EHm" if weekday else "Hm", moment, locale=language.locale)


def format_time_range(start: datetime, end: datetime, language: Language) -> str:
    """'06:00 - 08:00' with the locale's own range pattern and dash (a wave dash in Japanese)."""
    pattern = language.locale.interval_formats.get(None, "{0} \u2013 {1}")
    return (
        str(pattern)
        .replace("{0}", format_time(start, language))
        .replace("{1}", format_time(end, language))
    )


def join_date_time(date_text: str, time_text: str, language: Language) -> str:
    """A date and a time joined as the locale joins them: '2023年4月2日(日) 15:00'."""
    pattern = str(language.locale.datetime_formats.get("medium", "{1} {0}"))
    return pattern.replace("{1}", date_text).replace("{0}", time_text)


def format_duration(value: timedelta, language: Language) -> str:
    """'2 hours', '1 hour, 30 minutes', '2 時間' (CLDR units)."""
    from babel.lists import format_list
    from babel.units import format_unit

    minutes = int(value.total_seconds() // 60)
    hours, minutes = divmod(minutes, 60)
    parts = []
    if hours:
        parts.append(format_unit(hours, "duration-hour", length="long", locale=language.locale))
    if minutes or not hours:
        parts.append(format_unit(minutes, "duration-minute", length="long", locale=language.locale))
    return format_list(parts, style="unit", locale=language.locale)


def format_list(items: list[str], language: Language) -> str:
    """'Japanese and Chinese', '日本語、中国語'."""
    from babel.lists import format_list as babel_list

    return babel_list(items, locale=language.locale) if items else ""


def language_name(tag: str, language: Language) -> str:
    """A language's name in the announcement's language: 'ja' -> 'Japanese', '日本語'."""
    from babel import Locale, UnknownLocaleError

    try:
        named = Locale.parse(tag, sep="-")
    except (UnknownLocaleError, ValueError):
        from letsconnect_cli.places.languages import english_name

        return english_name(tag)
    names = language.locale.languages
    for key in (
        f"{named.language}_{named.script}" if "-" in tag and named.script else None,
        f"{named.language}_{named.territory}" if "-" in tag and named.territory else None,
        named.language,
    ):
        if key and key in names:
            return str(names[key])
    return str(named.get_display_name(language.locale) or tag)


def city_name(zone: str, language: Language) -> str:
    """A zone's city in the announcement's language: 'Asia/Manila' -> 'Manila', 'マニラ'."""
    from babel.dates import get_timezone_location

    from letsconnect_cli.places.timezones import resolve_zone

    return str(get_timezone_location(resolve_zone(zone), locale=language.locale, return_city=True))
