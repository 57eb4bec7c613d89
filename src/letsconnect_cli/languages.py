"""BCP 47 language tags: checked against ISO 639 (languages), ISO 15924 (scripts), ISO 3166 (regions).

The registries come from the Unicode CLDR through Babel (one small load, and the languages lc can
format dates in); a language CLDR does not know is looked up in ISO 639-3 through pycountry, which
is slower to load and so only asked when needed.
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


@cache
def _cldr_codes() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """Language, script and territory codes that CLDR names in English."""
    from babel import Locale

    english = Locale("en")
    languages = frozenset(str(code) for code in english.languages if "_" not in str(code))
    return languages, frozenset(english.scripts), frozenset(english.territories)


def _is_language(code: str) -> bool:
    if code in _cldr_codes()[0]:
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
        raise LanguageTagError(
            f"{value!r}: {language!r} is not an ISO 639 language code{_name_hint(language)}"
        )
    parts = [language]
    if match["script"]:
        script = match["script"].title()
        if script not in _cldr_codes()[1]:
            raise LanguageTagError(f"{value!r}: {script!r} is not an ISO 15924 script code")
        parts.append(script)
    if match["region"]:
        region = match["region"].upper()
        if region not in _cldr_codes()[2]:
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


def language_name(tag: str) -> str:
    """The English name of a tag's language: 'zh-Hant' -> 'Chinese'."""
    import pycountry

    code = tag.split("-", 1)[0]
    language = pycountry.languages.get(**{f"alpha_{len(code)}": code})
    return str(language.name) if language is not None else tag
