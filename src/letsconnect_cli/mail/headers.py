"""Header fields lc writes itself, the same on every Python 3.11+.

Python's header folding (email.policy, `_header_value_parser`) damages non-ASCII subjects in
ways that change between versions: a space between two encoded-words is dropped by RFC 2047
decoders, encoded-words reach 76 characters (RFC 2047 allows 75), and on 3.13.0 two encoded-words
can be glued with no space between them (CPython gh-144156), which some servers reject. So lc
encodes Subject and display names itself:

- ASCII text that needs no encoding stays as it is, folded at its spaces (lines of 78 octets at
  most); anything else (non-ASCII, control characters, a long word, text that looks like an
  encoded-word) becomes UTF-8 base64 encoded-words (`=?utf-8?b?...?=`, RFC 2047 "B").
- Each encoded-word holds whole characters (never half of a UTF-8 sequence), and, where it can,
  whole grapheme clusters (a Thai vowel sign or an emoji's modifiers stay with their base).
- Each encoded-word is at most 75 characters, and on a line of its own: encoded-words are
  separated by folding whitespace (CRLF SP), which decoders remove, so the text decodes exactly.
- Every line is at most 78 octets.
"""

from __future__ import annotations

import base64
import re
import unicodedata

MAX_LINE = 78
MAX_WORD = 75
_PREFIX = "=?utf-8?b?"
_SUFFIX = "?="
_FOLD = "\r\n "
#: atext of RFC 5322 and the space: a display name of these needs no quoting.
_ATOMS = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~ -]*")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _word_length(octets: int) -> int:
    """The length of an encoded-word holding this many octets of UTF-8."""
    return len(_PREFIX) + 4 * ((octets + 2) // 3) + len(_SUFFIX)


def _clusters(text: str) -> list[str]:
    """Characters grouped so that marks, joiners, variation selectors and emoji modifiers stay
    with the character before them (close to Unicode's extended grapheme clusters)."""
    clusters: list[str] = []
    join_next = False
    for char in text:
        category = unicodedata.category(char)
        attach = bool(clusters) and (
            join_next
            or category in ("Mn", "Mc", "Me")
            or char == "\u200d"
            or "\ufe00" <= char <= "\ufe0f"
            or "\U0001f3fb" <= char <= "\U0001f3ff"
            or "\U000e0020" <= char <= "\U000e007f"  # tag characters of flag sequences
        )
        if attach:
            clusters[-1] += char
        else:
            clusters.append(char)
        join_next = char == "\u200d"
    return clusters


def encoded_words(text: str, first_room: int) -> list[str]:
    """`text` as encoded-words: the first at most `first_room` characters long, the others at
    most 75 (each follows a fold: CRLF and one space)."""
    pieces: list[str] = []
    current = ""
    room = min(MAX_WORD, first_room)
    for cluster in _clusters(text):
        for unit in [cluster] if _fits(cluster, MAX_WORD) else list(cluster):
            if current and not _fits(current + unit, room):
                pieces.append(current)
                current, room = "", MAX_WORD
            current += unit
    if current or not pieces:
        pieces.append(current)
    return [_encode(piece) for piece in pieces]


def _fits(text: str, room: int) -> bool:
    return _word_length(len(text.encode("utf-8"))) <= room


def _encode(text: str) -> str:
    return _PREFIX + base64.b64encode(text.encode("utf-8")).decode("ascii") + _SUFFIX


def _plain(text: str) -> bool:
    """Whether text can be written as it is: printable ASCII, no encoded-word look-alike."""
    return text.isascii() and not _CONTROL.search(text) and "=?" not in text


def unstructured(name: str, text: str) -> str:
    """A header field of free text (Subject), folded, without the final CRLF."""
    head = f"{name}: "
    if _plain(text) and text == text.strip() and "  " not in text:
        lines = [head]
        for word in text.split(" "):
            if len(lines[-1]) + len(word) + (0 if lines[-1] == head else 1) <= MAX_LINE:
                lines[-1] += word if lines[-1] == head else " " + word
            elif len(word) + 1 <= MAX_LINE and lines[-1] != head:
                lines.append(" " + word)
            else:
                break  # a word too long for any line: encode the text instead
        else:
            return "\r\n".join(lines)
    return head + _FOLD.join(encoded_words(text, MAX_LINE - len(head)))


def mailbox(name: str, address: str, display_name: str | None = None) -> str:
    """A header field of one mailbox (From, Sender, To): `Name <address>` or `address`.

    The display name is written as atoms, a quoted-string, or, where it is not ASCII, as words
    of ASCII atoms and encoded-words (RFC 2047 5(3)): `=?utf-8?b?...?= Let's Connect`. A run of
    non-ASCII words longer than one encoded-word holds is split into several; RFC 2047 decoders
    join them (Python's address parser, up to 3.13 at least, shows a space at each such split).
    The address is ASCII, as lc checked it.
    """
    head = f"{name}: "
    if not display_name:
        return head + address
    return _fill(head, [*_phrase(display_name, MAX_LINE - len(head)), f"<{address}>"])


def _phrase(text: str, first_room: int) -> list[str]:
    """The display name as pieces to be separated by whitespace."""
    if _plain(text) and _ATOMS.fullmatch(text) and text.strip():
        return text.split()
    if _plain(text):
        quoted = '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
        if len(quoted) <= MAX_LINE - 1:
            return [quoted]
        return encoded_words(text, first_room)
    pieces: list[str] = []
    run: list[str] = []  # words to encode together (the spaces between them inside)
    for word in text.split(" "):
        if word and _plain(word) and _ATOMS.fullmatch(word):
            if run:
                pieces += encoded_words(" ".join(run), first_room if not pieces else MAX_WORD)
                run = []
            pieces.append(word)
        else:
            run.append(word)
    if run:
        pieces += encoded_words(" ".join(run), first_room if not pieces else MAX_WORD)
    return pieces


def _fill(head: str, pieces: list[str]) -> str:
    """Pieces separated by one space, folded (CRLF SP) where a line would pass 78 octets;
    adjacent encoded-words always on lines of their own."""
    lines = [head]
    previous = ""
    for piece in pieces:
        first = lines[-1] == head
        both_encoded = previous.startswith(_PREFIX) and piece.startswith(_PREFIX)
        if first or (len(lines[-1]) + 1 + len(piece) <= MAX_LINE and not both_encoded):
            lines[-1] += piece if first else " " + piece
        else:
            lines.append(" " + piece)
        previous = piece
    return "\r\n".join(lines)
