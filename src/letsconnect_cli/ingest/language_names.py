"""A languages cell ("Bahasa Indonesia, 中文 / Tiếng Việt and English") as BCP 47 tags.

The cell is split at `,` `;` `/` `&` `+`, the ideographic comma `、`, the full-width comma and semicolon
and the word "and". Each part is looked up, cheapest first:
1. CLDR's English names and ISO 639 codes (`Japanese`, `ja`);
2. every name CLDR gives a language in any locale, endonyms and exonyms (`中文`, `日本語`,
   `Tiếng Việt`, `한국어`, `Filipino`, `繁體中文`; see `cldr_names`);
3. the same without a word for "language" around the name (`Bahasa Indonesia`, `ภาษาไทย`,
   `Wikang Tagalog`, `Japanese language`) and a few everyday names CLDR lacks (`Mandarin`,
   `普通话`, `廣東話`);
4. a BCP 47 tag (`zh-Hant`, `zh_TW`, `fil`);
5. ISO 639-3 through pycountry.
What none of them names is `und` and listed as an unknown spelling. A script written beside
Chinese (`Chinese (Traditional)`, `中文(繁體)` with full-width parentheses, `Simplified Chinese`) gives `zh-Hant`/`zh-Hans`;
a bare `zh` stays `zh` (the script is chosen later, by the person's place: see `chinese_script`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from letsconnect_cli.ingest.folding import fold_name

SPLIT = re.compile(r"[,;/&+、\uff0c\uff1b]|\band\b", re.IGNORECASE)
_PARENTHESES = re.compile(r"\(([^)]*)\)|\uff08([^\uff09]*)\uff09")

#: Answers that mean "no language" (folded).
BLANK = frozenset(
    {
        "",
        "n a",
        "na n",
        "none",
        "no",
        "nil",
        "null",
        "unknown",
        "not applicable",
        "no interpretation",
        "not needed",
        "no need",
        "prefer not to say",
        "tidak",
        "wala",
        "không",
        "なし",
        "无",
        "無",
    }
)

#: Words for "language" written before or after a language's name (folded).
_PREFIXES = (
    "bahasa ",
    "basa ",
    "tieng ",
    "wikang ",
    "lingua ",
    "langue ",
    "idioma ",
    "te reo ",
    "ภาษา",
    "ພາສາ",  # Lao
    "ភាសា",  # Khmer
)
_SUFFIXES = (" language", " languages", " lang", "語", "语", "어", " хэл")

#: Everyday names CLDR does not give (folded keys).
ALIASES: dict[str, str] = {
    "mandarin": "zh",
    "mandarin chinese": "zh",
    "普通话": "zh",
    "普通話": "zh",
    "国语": "zh",
    "國語": "zh",
    "华语": "zh",
    "華語": "zh",
    "汉语": "zh",
    "漢語": "zh",
    "中国语": "zh",
    "中文 简体": "zh-Hans",
    "简体": "zh-Hans",
    "簡體": "zh-Hans",
    "繁体": "zh-Hant",
    "繁體": "zh-Hant",
    "cantonese": "yue",
    "广东话": "yue",
    "廣東話": "yue",
    "粤语": "yue",
    "粵語": "yue",
    "bisaya": "ceb",
    "visayan": "ceb",
    "pilipino": "fil",
    "bahasa": "id",
    "bahasa malaysia": "ms",
    "malaysian": "ms",
    "tetun": "tet",
    "te reo": "mi",
    "english language": "en",
}

_TRADITIONAL = re.compile(r"traditional|繁|hant|\btw\b|\bhk\b", re.IGNORECASE)
_SIMPLIFIED = re.compile(r"simplified|简|簡|hans|\bcn\b|\bsg\b", re.IGNORECASE)


@dataclass(frozen=True)
class Parsed:
    """A cell's languages as tags (`und` for each part lc cannot name), and those parts."""

    codes: tuple[str, ...]
    unknown: tuple[str, ...]


@cache
def _english() -> dict[str, str]:
    """CLDR's English names and the codes themselves: one locale, the usual answers."""
    from babel import Locale

    names: dict[str, str] = {}
    for code, name in Locale("en").languages.items():
        parts = str(code).split("_")
        if not 2 <= len(parts[0]) <= 3 or parts[0] in ("und", "zxx", "mul"):
            continue
        tag = parts[0] if len(parts) == 1 or len(parts[1]) != 4 else f"{parts[0]}-{parts[1]}"
        if len(parts) == 1:
            names.setdefault(parts[0], parts[0])
        names.setdefault(fold_name(str(name)), tag)
    return names


def _all_locales() -> dict[str, str]:
    from letsconnect_cli.ingest.cldr_names import language_names

    return language_names()


def _named(key: str) -> str | None:
    for table in (_english(), ALIASES):
        if key in table:
            return table[key]
    return None


def _stripped(key: str) -> list[str]:
    """The name without a word for 'language' before or after it."""
    found = []
    for prefix in _PREFIXES:
        if key.startswith(prefix) and len(key) > len(prefix):
            found.append(key[len(prefix) :].strip())
    for suffix in _SUFFIXES:
        if key.endswith(suffix) and len(key) > len(suffix):
            found.append(key[: -len(suffix)].strip())
    return found


def _tag(text: str) -> str | None:
    from letsconnect_cli.places.languages import LanguageTagError, normalise_language_tag

    if not 2 <= len(text) <= 20 or " " in text:
        return None
    try:
        return normalise_language_tag(text.replace("_", "-"))
    except LanguageTagError:
        return None


def _iso(text: str) -> str | None:
    import pycountry

    try:
        language = pycountry.languages.lookup(text)
    except LookupError:
        return None
    return str(getattr(language, "alpha_2", None) or language.alpha_3)


def _with_script(code: str, text: str) -> str:
    """'zh' with the script the text writes beside it: 'Chinese (Traditional)' -> 'zh-Hant'."""
    if code != "zh":
        return code
    if _TRADITIONAL.search(text):
        return "zh-Hant"
    if _SIMPLIFIED.search(text):
        return "zh-Hans"
    return code


@cache
def language_tag(part: str) -> str | None:
    """One language's name or tag as a BCP 47 tag; '' when it means none; None when unknown."""
    text = part.strip()
    bare = _PARENTHESES.sub(" ", text).strip()
    key = fold_name(bare)
    if key in BLANK or not key:
        return "" if fold_name(text) in BLANK or not bare else None
    found = _named(key) or _named(fold_name(text))
    if found is None:
        table = _all_locales()
        found = table.get(key) or table.get(fold_name(text))
        for shorter in _stripped(key) if found is None else ():
            found = _named(shorter) or table.get(shorter)
            if found:
                break
    if found is None:
        found = _tag(bare)
        if found is not None:
            return found  # a tag says its script itself
    if found is None:
        found = _iso(bare)
    if found is None:
        return None
    return _with_script(found, text)


@cache
def parse_languages(value: str) -> Parsed:
    """The languages of a cell, each once, in its order; unknown parts as `und`."""
    codes: list[str] = []
    unknown: list[str] = []
    for part in _split(value):
        tag = language_tag(part)
        if tag == "":
            continue
        if tag is None:
            unknown.append(part.strip())
            tag = "und"
        if tag not in codes:
            codes.append(tag)
    return Parsed(tuple(codes), tuple(unknown))


def _split(value: str) -> list[str]:
    """Parts of a cell; separators inside parentheses do not split ('Chinese (繁體/正體)')."""
    parts: list[str] = []
    depth = 0
    start = 0
    text = value
    index = 0
    while index < len(text):
        char = text[index]
        if char in "(\uff08":
            depth += 1
        elif char in ")\uff09":
            depth = max(depth - 1, 0)
        elif depth == 0:
            match = SPLIT.match(text, index)
            if match:
                parts.append(text[start:index])
                start = index = match.end()
                continue
        index += 1
    parts.append(text[start:])
    return [p for p in parts if p.strip()]


#: Where Chinese is written in Traditional characters: CLDR's likely subtags give zh_Hant for
#: zh_TW, zh_HK and zh_MO (a test checks it against Babel); everywhere else lc writes zh-Hans.
TRADITIONAL_PLACES = frozenset({"TW", "HK", "MO"})


def chinese_script(tag: str, country: str | None) -> str:
    """`zh` written for a person of `country`: zh-Hant in Taiwan, Hong Kong and Macao, zh-Hans
    elsewhere; a tag with a script, or another language, is left as it is."""
    if tag != "zh":
        return tag
    return "zh-Hant" if country in TRADITIONAL_PLACES else "zh-Hans"


def script_of(tag: str) -> str | None:
    """The script a tag gives, itself ('zh-Hant') or through its region ('zh-TW' -> 'Hant');
    None when it gives none ('zh')."""
    parts = tag.split("-")
    if len(parts) < 2:
        return None
    if len(parts[1]) == 4:
        return parts[1]
    from babel.core import get_global

    full = get_global("likely_subtags").get(f"{parts[0]}_{parts[1]}")
    return full.split("_")[1] if full and full.count("_") >= 2 else None
