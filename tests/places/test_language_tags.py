"""BCP 47 language tags: canonical case, each subtag checked, helpful errors."""

from __future__ import annotations

import pytest

from letsconnect_cli.places import languages
from letsconnect_cli.places.languages import LanguageTagError, normalise_language_tag


@pytest.mark.parametrize(
    ("tag", "canonical"),
    [
        ("en", "en"),
        ("JA", "ja"),
        ("zh-hans", "zh-Hans"),
        ("zh-tw", "zh-TW"),
        ("ZH-hant-tw", "zh-Hant-TW"),
        ("fil", "fil"),
        ("tet", "tet"),
        ("yue", "yue"),
        ("es-419", "es-419"),
        ("ain", "ain"),
    ],
)
def test_valid_tags(tag: str, canonical: str) -> None:
    assert normalise_language_tag(tag) == canonical


@pytest.mark.parametrize(
    ("tag", "phrase"),
    [
        ("English", "did you mean 'en' for English?"),
        ("zh_TW", "use '-' between its parts, e.g. 'zh-TW'"),
        ("xx", "'xx' is not an ISO 639 language code"),
        ("zh-Xxxx", "not an ISO 15924 script code"),
        ("en-QQ", "not an ISO 3166 country or UN M49 area code"),
        ("e", "not a BCP 47 language tag"),
    ],
)
def test_invalid_tags(tag: str, phrase: str) -> None:
    with pytest.raises(LanguageTagError) as caught:
        normalise_language_tag(tag)
    assert phrase in str(caught.value)


def test_a_bad_one_part_tag_is_named_once() -> None:
    with pytest.raises(LanguageTagError) as caught:
        normalise_language_tag("xx")
    assert str(caught.value).startswith("'xx' is not an ISO 639")


def test_the_file_tier_vouches_only_for_real_codes() -> None:
    """The codes read from Babel's data file names: scripts and territories are all ones CLDR
    names; languages are 2-3 letter codes (CLDR has locales for a few it does not yet name)."""
    files = languages._locale_file_codes()
    names = languages._cldr_codes()
    assert "ja" in files[0] and "Hant" in files[1] and "TW" in files[2] and "419" in files[2]
    assert files[1] <= names[1] and files[2] <= names[2]
    assert all(code.isalpha() and code.islower() and 2 <= len(code) <= 3 for code in files[0])
    assert len(files[0] & names[0]) > 0.9 * len(files[0])


def test_babels_public_api_is_used_when_its_data_folder_is_elsewhere(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import importlib.util

    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)
    assert "fil" in languages._locale_identifiers()


@pytest.mark.parametrize(
    ("tag", "name"),
    [
        ("ja", "Japanese"),
        ("zh-Hant", "Chinese"),
        ("ZH-hans", "Chinese"),
        ("ne", "Nepali"),  # CLDR's name; ISO 639 says "Nepali (macrolanguage)"
        ("fil", "Filipino"),
        ("cbk", "Chavacano"),  # not named by CLDR: ISO 639-3 through pycountry
        ("qaa", "qaa"),  # reserved for local use: named by neither, the tag itself
    ],
)
def test_language_names_come_from_cldr_then_iso_639(tag: str, name: str) -> None:
    assert languages.english_name(tag) == name
