"""Every name the Unicode CLDR gives a country or a language, in every locale, for look-ups.

Built from Babel's locale data: each language locale and each script locale (`zh_Hant`, `sr_Latn`;
not the regional ones such as `de_CH`, which repeat their parent's names), read without
inheritance. That is about 400 files and takes about a second, so the two tables are kept as one
JSON file in the user's cache folder (`names-<key>.json` beside `lc validate`'s cache), keyed by
Babel's version and lc's: the next run reads it in a few tens of milliseconds. The cache is
best-effort: a folder that cannot be written only means the tables are built again.

A folded name (`folding.fold_name`) that CLDR gives to two countries in different locales
(`Kongo`) goes to the country at least nine locales in ten mean, else to none.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from functools import cache
from typing import Any

FORMAT = 1
#: A name shared by two codes is kept for the most common one only if this share of locales agree.
_AGREEMENT = 0.9


def _cache_key() -> str:
    from importlib.metadata import PackageNotFoundError, version

    parts = [f"format{FORMAT}"]
    for package in ("babel", "letsconnect-cli"):
        try:
            parts.append(version(package))
        except PackageNotFoundError:
            parts.append("none")
    from letsconnect_cli.places.languages import babel_locale_data

    folder = babel_locale_data() or ""
    try:
        parts.append(str(os.stat(os.path.join(folder, "root.dat")).st_mtime_ns))  # noqa: PTH116, PTH118
    except OSError:
        parts.append("-")
    import hashlib

    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]


def _locales() -> list[str]:
    from babel.localedata import locale_identifiers

    found = []
    for identifier in locale_identifiers():
        parts = identifier.split("_")
        if parts[0] == "root":
            continue
        if len(parts) == 1 or (len(parts) == 2 and len(parts[1]) == 4):
            found.append(identifier)
    return sorted(found)


def _own_data(identifier: str) -> dict[str, Any]:
    """A locale's own data, without what it inherits. Read from Babel's file directly:
    `babel.localedata.load(..., merge_inherited=False)` would keep the partial data in Babel's
    cache, where later formatting in that locale would find it (and miss inherited patterns)."""
    import pickle

    from letsconnect_cli.places.languages import babel_locale_data

    folder = babel_locale_data()
    if folder is None:
        return {}
    try:
        with open(os.path.join(folder, f"{identifier}.dat"), "rb") as handle:  # noqa: PTH118, PTH123
            data = pickle.load(handle)  # Babel's own installed data files
    except (OSError, pickle.UnpicklingError, EOFError):
        return {}
    return data if isinstance(data, dict) else {}


def _agreed(votes: dict[str, Counter[str]]) -> dict[str, str]:
    table: dict[str, str] = {}
    for key, codes in votes.items():
        (code, n), *rest = codes.most_common()
        if not rest or n >= _AGREEMENT * sum(codes.values()):
            table[key] = code
    return table


def build() -> dict[str, dict[str, str]]:
    """The tables afresh: {"countries": {folded name: ISO code}, "languages": {folded name: tag}}.

    Languages map to BCP 47: a language (`ja`), or a language and script (`zh-Hant`) when CLDR
    names a script form; regional forms (`en_GB`, "British English") map to their language.
    """
    from letsconnect_cli.ingest.folding import fold_name
    from letsconnect_cli.places.regions import countries

    known = countries()
    places: dict[str, Counter[str]] = {}
    languages: dict[str, Counter[str]] = {}
    for identifier in _locales():
        data = _own_data(identifier)
        for code, name in data.get("territories", {}).items():
            if code in known and name:
                places.setdefault(fold_name(str(name)), Counter())[code] += 1
        for code, name in data.get("languages", {}).items():
            parts = str(code).split("_")
            if not name or not 2 <= len(parts[0]) <= 3 or parts[0] in ("und", "zxx", "mul"):
                continue
            tag = parts[0]
            if len(parts) > 1 and len(parts[1]) == 4:
                tag = f"{parts[0]}-{parts[1]}"
            languages.setdefault(fold_name(str(name)), Counter())[tag] += 1
    for table in (places, languages):
        table.pop("", None)
    return {"countries": _agreed(places), "languages": _agreed(languages)}


def _cache_path() -> str | None:
    from letsconnect_cli.clinic.validation_cache import cache_folder

    try:
        return str(cache_folder() / f"names-{_cache_key()}.json")
    except (OSError, RuntimeError):
        return None


@cache
def tables() -> dict[str, dict[str, str]]:
    """The tables, from the cache file when it is there and whole, else built (and cached)."""
    path = _cache_path()
    if path is not None:
        try:
            with open(path, encoding="utf-8") as handle:  # noqa: PTH123
                data: Any = json.load(handle)
            if isinstance(data, dict) and data.get("format") == FORMAT:
                return {"countries": data["countries"], "languages": data["languages"]}
        except (OSError, ValueError, KeyError, TypeError):
            pass
    built = build()
    if path is not None:
        _store(path, built)
    return built


def _store(path: str, built: dict[str, dict[str, str]]) -> None:
    import tempfile

    folder = os.path.dirname(path)  # noqa: PTH120
    try:
        os.makedirs(folder, exist_ok=True)  # noqa: PTH103
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".names-", suffix=".tmp")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump({"format": FORMAT, **built}, out, ensure_ascii=False, separators=(",", ":"))
        os.replace(temporary, path)  # noqa: PTH105
    except OSError:
        return


def country_names() -> dict[str, str]:
    return tables()["countries"]


def language_names() -> dict[str, str]:
    return tables()["languages"]
