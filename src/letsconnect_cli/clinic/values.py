"""The checked kinds of value of clinic files and lc.toml: links, text, language tags, region
codes. Apart from the clinic model (models.py), so that reading lc.toml does not build it."""

import re
from typing import Annotated, Any
from urllib.parse import urlsplit

from pydantic import AfterValidator, BeforeValidator

from letsconnect_cli.errors import UsageError
from letsconnect_cli.places.languages import normalise_language_tag
from letsconnect_cli.places.regions import normalise_region_code

#: An email address as lc checks one (with fullmatch): something@domain.tld, no spaces.
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


_HOST_CHARS = frozenset(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$&'()*+,;="
)
_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_IP_LITERAL = re.compile(r"\[(?:[0-9A-Fa-f:.]+|v[0-9A-Fa-f]+\.[\w.~!$&'()*+,;=:-]+)\]")


def check_url(value: str) -> str:
    """An http(s) link, checked against RFC 3986: what is malformed is refused (a `%` not
    followed by two hex digits, a second `#`, a bad host, port or user part, spaces, control
    characters). Characters RFC 3986 leaves out that have one meaning (non-ASCII letters of RFC
    3987, and [ ] | { } ^ < > " and the backquote outside the host) are accepted: lc percent-encodes them where it
    writes the link as a URI, and writes an internationalised host in punycode (IDNA)."""
    text = value.strip()
    try:
        parts = urlsplit(text)
    except ValueError as error:  # e.g. a bracketed host that is no IPv6 address
        raise ValueError(f"{value!r} is not a valid link: {error}") from None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise ValueError(f"{value!r} is not an http(s) link; write the full address, https://...")
    if len(text.split()) > 1:  # whitespace inside (the ends are stripped)
        raise ValueError(f"{value!r} contains spaces; encode them as %20")
    if _CONTROL.search(text):
        raise ValueError(f"{value!r} contains control characters")
    bad = _PERCENT.search(text)
    if bad:
        raise ValueError(
            f"{value!r}: {text[bad.start() : bad.start() + 3]!r} is not a percent-encoded byte "
            "(% and two hex digits); write %25 for a % sign"
        )
    rest = text[len(parts.scheme) + 3 + len(parts.netloc) :]
    if rest.count("#") > 1:
        raise ValueError(
            f"{value!r}: a link has one # (before its fragment); write a later # as %23"
        )
    _check_authority(value, parts.netloc)
    return text


def _check_authority(value: str, netloc: str) -> None:
    """userinfo@host:port of RFC 3986, the host a name (IDNA-encodable), IPv4 or [IPv6]."""
    userinfo, _, hostport = netloc.rpartition("@")
    if any(c.isascii() and c not in _HOST_CHARS | {":", "%"} for c in userinfo):
        raise ValueError(f"{value!r}: the user part of the link is not valid (RFC 3986)")
    if hostport.startswith("["):
        host, _, port = hostport.partition("]")
        host += "]"
        port = port.removeprefix(":")
        if not _IP_LITERAL.fullmatch(host):
            raise ValueError(f"{value!r}: {host} is not an IP address in brackets")
    else:
        host, _, port = hostport.partition(":")
        if not host:
            raise ValueError(f"{value!r} has no host name")
        if any(c.isascii() and c not in _HOST_CHARS for c in host):
            raise ValueError(f"{value!r}: {host!r} is not a host name")
        if not host.isascii():
            try:
                ascii_host(host)
            except ValueError:
                raise ValueError(
                    f"{value!r}: {host!r} is not a valid internationalised domain name (IDNA)"
                ) from None
    if port and (not port.isdigit() or int(port) > 65535):
        raise ValueError(f"{value!r}: {port!r} is not a port number")


def ascii_host(host: str) -> str:
    """An internationalised host name in punycode (IDNA 2008 with UTS 46 mapping):
    'bücher.example' -> 'xn--bcher-kva.example'. ValueError if it cannot be one."""
    import idna

    try:
        return str(idna.encode(host, uts46=True).decode("ascii"))
    except idna.IDNAError as error:
        raise ValueError(str(error)) from None


def idna_url(text: str) -> str:
    """The link with its host in punycode (the rest as it is)."""
    parts = urlsplit(text)
    userinfo, at, hostport = parts.netloc.rpartition("@")
    if hostport.isascii() or hostport.startswith("["):
        return text
    host, colon, port = hostport.partition(":")
    netloc = f"{userinfo}{at}{ascii_host(host)}{colon}{port}"
    start = len(parts.scheme) + 3
    return text[:start] + netloc + text[start + len(parts.netloc) :]


#: What a calendar UID must not hold: calendars read such UIDs differently.
_UNSAFE_UID = re.compile(r'[\s\x00-\x1f\x7f,;\\"]')


def uid_problem(uid: str) -> str | None:
    """Why a UID cannot go into invites unchanged, or None."""
    if _UNSAFE_UID.search(uid):
        return (
            f'{uid!r} contains spaces, control characters or one of , ; \\ "; calendars read such '
            "UIDs differently; use letters, digits and - . @ only"
        )
    return None


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
