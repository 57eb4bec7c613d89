"""Secrets out of messages: every form in which a server may echo a password back.

A wiki or mail server that refuses a login may quote what it was sent: the password as typed, in
a form body (URL-encoded), in an SMTP AUTH exchange (base64 of the password, of AUTH PLAIN's
"\\0user\\0password", of AUTH LOGIN's parts), or inside a longer base64 text. `Masker.mask` replaces
each of these with `***` before the text reaches a message. A base64 text holding the password at
any position is caught too: the characters that depend on the password alone are looked for, for
each of the three positions a byte can take in base64's groups of three.
"""

from __future__ import annotations

import base64
import html
import json
from urllib.parse import quote, quote_plus

MASK = "***"
#: A base64 run shorter than this is too likely to occur by chance to be masked.
_MIN_CORE = 6


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _base64_cores(secret: bytes) -> list[str]:
    """For each alignment, the base64 characters that only the secret's bits determine."""
    cores = []
    for offset in range(3):
        encoded = _b64(b"\0" * offset + secret).rstrip("=")
        first = -(-8 * offset // 6)  # ceil: the first character with no bit of the prefix
        last = 8 * (offset + len(secret)) // 6  # the characters wholly inside the secret
        core = encoded[first:last]
        if len(core) >= _MIN_CORE:
            cores += [core, core.replace("+", "-").replace("/", "_")]  # and URL-safe base64
    return cores


def secret_forms(secret: str, *, username: str | None = None) -> list[str]:
    """Every text form of `secret` a server may echo, longest first."""
    if not secret:
        return []
    raw = secret.encode("utf-8")
    forms = {
        secret,
        quote(secret, safe=""),
        quote_plus(secret),
        quote(secret, safe="").lower(),
        quote_plus(secret).lower(),
        html.escape(secret),
        json.dumps(secret)[1:-1],
        _b64(raw),
        *_base64_cores(raw),
    }
    if username is not None:
        user = username.encode("utf-8")
        for plain in (b"\0" + user + b"\0" + raw, user + b"\0" + user + b"\0" + raw):
            forms |= {_b64(plain), *_base64_cores(plain)}
    return sorted((f for f in forms if f), key=len, reverse=True)


class Masker:
    """Masks the secrets it was given, in every form, in any text."""

    def __init__(self) -> None:
        self._forms: list[str] = []

    def __repr__(self) -> str:  # never the secrets
        return "Masker(...)"

    def add(self, secret: str | None, *, username: str | None = None, min_length: int = 1) -> None:
        """Mask `secret` from now on (a token shorter than `min_length` is left: too common)."""
        if secret and len(secret) >= min_length:
            self._forms = sorted(
                set(self._forms) | set(secret_forms(secret, username=username)),
                key=len,
                reverse=True,
            )

    def mask(self, text: str) -> str:
        for form in self._forms:
            if form in text:
                text = text.replace(form, MASK)
            lowered = text.lower()
            if form.lower() != form and form.lower() in lowered:  # %2F as %2f, any case
                text = _replace_folded(text, form)
        return text


def _replace_folded(text: str, needle: str) -> str:
    lowered, needle = text.lower(), needle.lower()
    out, start = [], 0
    while (found := lowered.find(needle, start)) >= 0:
        out += [text[start:found], MASK]
        start = found + len(needle)
    out.append(text[start:])
    return "".join(out)
