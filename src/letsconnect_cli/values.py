"""The checked kinds of value of clinic files and lc.toml: links, text, language tags, region
codes. Apart from the clinic model (models.py), so that reading lc.toml does not build it."""

import re
from typing import Annotated, Any
from urllib.parse import urlsplit

from pydantic import AfterValidator, BeforeValidator

from letsconnect_cli.errors import UsageError
from letsconnect_cli.languages import normalise_language_tag
from letsconnect_cli.regions import normalise_region_code

#: An email address as lc checks one (with fullmatch): something@domain.tld, no spaces.
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def check_url(value: str) -> str:
    text = value.strip()
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"{value!r} is not an http(s) link; write the full address, https://...")
    if len(text.split()) > 1:  # whitespace inside (the ends are stripped)
        raise ValueError(f"{value!r} contains spaces; encode them as %20")
    return text


def check_language(value: str) -> str:
    return normalise_language_tag(value)  # LanguageTagError is a ValueError


def check_region(value: str) -> str:
    try:
        return normalise_region_code(value)
    except UsageError as error:
        raise ValueError(f"{error.message}; {error.hint}") from None


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty")
    return value.strip()


def no_items() -> list[Any]:
    """An empty list, as a default factory: a plain function, whose signature pydantic reads
    without the tokenizer (it parses builtins' text signatures, such as list's, with it)."""
    return []


def _blank_to_none(value: Any) -> Any:
    return None if isinstance(value, str) and not value.strip() else value


Url = Annotated[str, AfterValidator(check_url)]
OptionalUrl = Annotated[Url | None, BeforeValidator(_blank_to_none)]
OptionalText = Annotated[str | None, BeforeValidator(_blank_to_none)]
Text = Annotated[str, AfterValidator(_not_blank)]
LanguageTag = Annotated[str, AfterValidator(check_language)]
RegionCode = Annotated[str, AfterValidator(check_region)]
