"""BCP 47 language tags: checked against ISO 639 (languages), ISO 15924 (scripts), ISO 3166 (regions).

The registries come from the Unicode CLDR through Babel, in three tiers, each asked only when the
one before cannot vouch for a code (this check runs at every `lc validate`, so it is kept cheap):
1. the names of Babel's locale data files (`ja`, `zh_Hant_TW`, `fil` ...): a code lc can format
   dates in is certainly valid; listing them costs a millisecond and needs no Babel import;
2. every language, script and territory CLDR names in English (one locale load, ~40 ms);
3. for a language CLDR does not know, ISO 639-3 through pycountry (slower to load).
"""

from __future__ import annotations

import re
from functools import cache

_TAG = re.compile(
    r"""^(?P<language>[A-Za-z]{2,3})
        (?:-(?P<script>[A-Za-z]{4}))?
        (?:-(?P<region>[A-Za-z]{2}|[0-9]{3}))?
        (?P<variants>(?:-(?:[A-Za-z0-9]{5,8}|[0-9][A-Za-z0-9]{3}))*)$""",
    re.VERBOSE,
)


class LanguageTagError(ValueError):
    """A language tag that is not a valid BCP 47 tag, with a hint how to fix it."""


Codes = tuple[frozenset[str], frozenset[str], frozenset[str]]


@cache
def _locale_file_codes() -> Codes:
    """Language, script and territory codes in the names of Babel's locale data files."""
    identifiers = _locale_identifiers()
    languages, scripts, territories = set(), set(), set()
    for identifier in identifiers:
        head, *rest = identifier.split("_")
        if 2 <= len(head) <= 3:  # not "root"
            languages.add(head)
        for part in rest:
            if len(part) == 4 and part.istitle():
                scripts.add(part)
            elif (len(part) == 2 and part.isupper()) or (len(part) == 3 and part.isdigit()):
                territories.add(part)  # not variants such as POSIX or VALENCIA
    return frozenset(languages), frozenset(scripts), frozenset(territories)


def babel_locale_data() -> str | None:
    """The folder of Babel's locale data files (found without importing Babel); None when Babel
    is not installed."""
    import importlib.util
    import os

    spec = importlib.util.find_spec("babel")
    if spec is None or spec.origin is None:
        return None
    return os.path.join(os.path.dirname(spec.origin), "locale-data")  # noqa: PTH118, PTH120


def _locale_identifiers() -> list[str]:
    """Babel's locale identifiers; read from its data folder when that is where Babel keeps them
    (as it has for years), which spares importing Babel; else through Babel's public API."""
    import os

    folder = babel_locale_data()
    if folder is not None:
        try:  # os.listdir: a thousand pathlib objects cost more than the listing
            names = [n[:-4] for n in os.listdir(folder) if n.endswith(".dat")]  # noqa: PTH208
        except OSError:
            names = []
        if len(names) > 100:
            return names
    from babel.localedata import locale_identifiers

    return list(locale_identifiers())


def _known(code: str, tier: int) -> bool:
    """Whether a language (0), script (1) or territory (2) code is in CLDR: files first."""
    return code in _locale_file_codes()[tier] or code in _cldr_codes()[tier]


@cache
def _cldr_codes() -> Codes:
    """Language, script and territory codes that CLDR names in English."""
    from babel import Locale

    english = Locale("en")
    languages = frozenset(str(code) for code in english.languages if "_" not in str(code))
    return languages, frozenset(english.scripts), frozenset(english.territories)


def _is_language(code: str) -> bool:
    if _known(code, 0):
        return True
    import pycountry

    return pycountry.languages.get(**{f"alpha_{len(code)}": code}) is not None


@cache
def normalise_language_tag(value: str) -> str:
    """Return the tag in canonical case (`zh-Hant-TW`), or raise LanguageTagError saying why."""
    text = value.strip()
    if "_" in text:
        fixed = text.replace("_", "-")
        raise LanguageTagError(
            f"{value!r} is not a BCP 47 language tag: use '-' between its parts, e.g. {fixed!r}"
        )
    match = _TAG.match(text)
    if match is None:
        raise LanguageTagError(
            f"{value!r} is not a BCP 47 language tag{_name_hint(text)}; "
            "use codes like 'en', 'ja', 'zh-Hans', 'zh-TW' or 'fil'"
        )
    language = match["language"].lower()
    if not _is_language(language):
        where = "" if language == value.strip().lower() else f"{value!r}: "
        raise LanguageTagError(
            f"{where}{language!r} is not an ISO 639 language code{_name_hint(language)}"
        )
    parts = [language]
    if match["script"]:
        script = match["script"].title()
        if not _known(script, 1):
            raise LanguageTagError(f"{value!r}: {script!r} is not an ISO 15924 script code")
        parts.append(script)
    if match["region"]:
        region = match["region"].upper()
        if not _known(region, 2):
            raise LanguageTagError(
                f"{value!r}: {region!r} is not an ISO 3166 country or UN M49 area code"
            )
        parts.append(region)
    if match["variants"]:
        parts.extend(v.lower() for v in match["variants"].split("-") if v)
    return "-".join(parts)


def _name_hint(text: str) -> str:
    """', did you mean 'ja'?' when the text is a language's English name."""
    import pycountry

    try:
        language = pycountry.languages.lookup(text)
    except LookupError:
        return ""
    code = getattr(language, "alpha_2", None) or language.alpha_3
    return f" (did you mean {code!r} for {language.name}?)"


def english_name(tag: str) -> str:
    """The English name of a tag's language: 'zh-Hant' -> 'Chinese'.

    The Unicode CLDR's name (Babel, one locale) first; ISO 639's (pycountry, whose full table
    takes longer to load) only for languages CLDR does not name; the tag itself for neither.
    """
    code = tag.split("-", 1)[0].lower()
    name = _cldr_english_names().get(code)
    if name is not None:
        return name
    import pycountry

    language = pycountry.languages.get(**{f"alpha_{len(code)}": code})
    return str(language.name) if language is not None else tag


@cache
def _cldr_english_names() -> dict[str, str]:
    from babel import Locale

    return {str(code): str(name) for code, name in Locale("en").languages.items() if code != "und"}
