"""Folding names for look-up in any script: case, Latin accents, punctuation and spacing away.

`fold_name('Côte d'Ivoire') == 'cote d ivoire'`, `fold_name('Việt Nam') == 'viet nam'`, while
`台灣`, `ไทย` or `हिन्दी` keep every character: marks are dropped only after Latin, Greek and
Cyrillic letters (where they are accents); in other scripts they are part of the letter.
"""

from __future__ import annotations

import re
import unicodedata

_ASCII_PUNCT = re.compile(r"[^a-z0-9]+")
#: Letters, marks and digits are kept; punctuation, symbols, separators and controls are spaces.
_KEPT = frozenset("LMN")
#: Below this code point (Latin, Greek, Cyrillic, Armenian) a mark is an accent.
_ACCENTED_BELOW = 0x0590


def fold_name(text: str) -> str:
    """The look-up key of a name (see the module's text)."""
    if text.isascii():
        return _ASCII_PUNCT.sub(" ", text.casefold().replace("&", " and ")).strip()
    decomposed = unicodedata.normalize("NFKD", text.casefold().replace("&", " and "))
    out: list[str] = []
    base = 0
    for char in decomposed:
        kind = unicodedata.category(char)[0]
        if kind == "M":
            if base < _ACCENTED_BELOW:
                continue
            out.append(char)
        elif kind in _KEPT:
            base = ord(char)
            out.append(char)
        else:
            base = 0
            out.append(" ")
    folded = unicodedata.normalize("NFC", "".join(out))
    return " ".join(folded.split())


#: Characters that never reach an output from a cell: controls, bidi overrides and the like.
_UNSAFE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn"})
MAX_SHOWN = 40
#: Terminal escape sequences (colours, cursor moves): removed whole, not only their ESC.
_ESCAPES = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|.)?")


def shown_value(text: str, limit: int = MAX_SHOWN) -> str:
    """A cell as a report may list it: control and format characters removed, spaces collapsed,
    at most `limit` characters (an ellipsis marks a cut)."""
    text = _ESCAPES.sub("", text)
    kept = "".join(
        " " if char.isspace() else char
        for char in text
        if char.isspace() or unicodedata.category(char) not in _UNSAFE_CATEGORIES
    )
    value = " ".join(kept.split())
    return value if len(value) <= limit else value[: limit - 1] + "\u2026"
