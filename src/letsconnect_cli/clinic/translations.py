"""A clinic's own text in another language: the translations its file holds.

A clinic file may carry, per BCP 47 tag, its title and description (`[translations.ja]`) and each
sharer's role and affiliation (`translations.ja.role = "..."` inside the sharer's `[[sharers]]`
table). Announcements, invitation emails and their calendar summary use them; where a text has
no translation the clinic's own (English) text stays, and `Texts.fallbacks` names it.

A translation serves a language when its key is that language's tag (`ja` for ja), or names the
same language in the same written form (`zh-TW` and `zh-Hant` for zh-Hant; `zh` and `zh-CN` for
zh-Hans, as CLDR's likely subtags read them), or names the same language without a script or
region (`en` for en-GB). The most exact key wins.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from letsconnect_cli.clinic.models import Clinic

T = TypeVar("T")


def _written_form(tag: str) -> str:
    """'zh-TW' -> 'zh-Hant', 'zh' -> 'zh-Hans', 'ja' -> 'ja' (language and likely script)."""
    from babel.core import get_global

    parts = tag.split("-")
    language = parts[0]
    script = next((p for p in parts[1:] if len(p) == 4), None)
    if script is None:
        region = next((p for p in parts[1:] if len(p) in (2, 3)), None)
        likely = get_global("likely_subtags")
        full = likely.get(f"{language}_{region}" if region else language) or likely.get(language)
        pieces = str(full or "").split("_")
        script = pieces[1] if len(pieces) > 2 and len(pieces[1]) == 4 else None
    if language == "zh":
        return f"zh-{script or 'Hans'}"
    return language


def find(translations: Mapping[str, T], tag: str) -> T | None:
    """The translation serving `tag` (see the module's text), or None."""
    if not translations:
        return None
    if tag in translations:
        return translations[tag]
    form = _written_form(tag)
    for key, item in translations.items():
        if _written_form(key) == form and "-" in key:
            return item
    language = tag.split("-", 1)[0]
    for key, item in translations.items():
        if key.split("-", 1)[0] == language and _written_form(key) == form:
            return item
    return None


def same_language(tag: str, other: str) -> bool:
    """Whether two tags are one written language (the clinic's own needs no translation)."""
    return _written_form(tag) == _written_form(other)


@dataclass(frozen=True)
class SharerTexts:
    role: str | None
    affiliation: str | None


@dataclass(frozen=True)
class Texts:
    """A clinic's text in one language, and the fields that stayed in the clinic's language."""

    title: str
    description: str | None
    sharers: tuple[SharerTexts, ...]
    fallbacks: tuple[str, ...]  # e.g. ("title", "sharers[1].role")


def texts(clinic: Clinic, tag: str) -> Texts:
    """The clinic's title, description and sharers' roles and affiliations in `tag`."""
    own = same_language(tag, clinic.language)
    found = None if own else find(clinic.translations, tag)
    fallbacks: list[str] = []

    def pick(translated: str | None, original: str | None, name: str) -> str | None:
        if own or original is None:
            return original
        if translated:
            return translated
        fallbacks.append(name)
        return original

    title = pick(found.title if found else None, clinic.title, "title") or clinic.title
    description = pick(found.description if found else None, clinic.description, "description")
    sharers = []
    for index, sharer in enumerate(clinic.sharers, start=1):
        item = None if own else find(sharer.translations, tag)
        sharers.append(
            SharerTexts(
                role=pick(item.role if item else None, sharer.role, f"sharers[{index}].role"),
                affiliation=pick(
                    item.affiliation if item else None,
                    sharer.affiliation,
                    f"sharers[{index}].affiliation",
                ),
            )
        )
    return Texts(title, description, tuple(sharers), tuple(fallbacks))


def untranslated_titles(clinic: Clinic) -> list[str]:
    """The interpretation languages of a clinic whose title has no translation."""
    return [
        tag
        for tag in clinic.interpretation
        if not same_language(tag, clinic.language)
        and not ((found := find(clinic.translations, tag)) and found.title)
    ]
