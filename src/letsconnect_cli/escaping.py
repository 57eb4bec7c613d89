"""Escaping text for every output lc writes, one place per kind, so no value can change the markup.

Every `{{ value }}` of an announcement template passes through the format's escape (HTML through
Jinja's autoescape; wikitext, Markdown and plain text through `escape_for`); links go through
`url_for`. A value marked safe (`|safe`, a Markup) is left alone: that is the template's choice.
The report's CSV cells go through `escape_csv_cell`, its Markdown through `escape_markdown`; text
for a terminal through `escape_terminal` (applied by `cli/output.py` to everything lc prints);
the TEXT value of an iCalendar line lc adds itself through `escape_ics_text`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

FORMATS = ("wikitext", "markdown", "text", "html", "email")

#: Control characters no output keeps: C0 but tab and line feed, DEL, and C1 (U+0080-U+009F:
#: U+009B is a terminal's CSI, U+0085 a line break to some readers).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def strip_controls(text: str) -> str:
    """`text` without control characters (tab and line feed kept)."""
    return _CONTROL.sub("", text)


_ANY_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def control_character(text: str, *, multiline: bool = False) -> tuple[int, str] | None:
    """The first control character of `text` and its position (0-based), or None. Tab and line
    feed count only when the text is not `multiline`."""
    for match in (_CONTROL if multiline else _ANY_CONTROL).finditer(text):
        return match.start(), match[0]
    return None


def one_line(text: str) -> str:
    """`text` on one line: every run of white space or line breaks (CR, LF, VT, FF, NEL,
    U+2028, U+2029 ...) one space, control characters dropped, no space at either end."""
    return " ".join(_CONTROL.sub(" ", text).split())


# --- terminals ------------------------------------------------------------------------------------

#: What a terminal must never get raw: C0 controls but tab and line feed (and CR of a CRLF line
#: end), DEL, C1, and (with bidi) the bidirectional embeddings, overrides and isolates that
#: reorder a line on screen (CVE-2021-42574, "Trojan Source").
_TERMINAL_CONTROL = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]|\r(?!\n)"
_TERMINAL = re.compile(_TERMINAL_CONTROL + r"|[\u202a-\u202e\u2066-\u2069]")
_TERMINAL_NO_BIDI = re.compile(_TERMINAL_CONTROL)


def _visible(match: re.Match[str]) -> str:
    code = ord(match[0])
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def escape_terminal(text: str, *, bidi: bool = True) -> str:
    """Text a terminal shows as it is: each control character written visibly (ESC as `\\x1b`)."""
    return (_TERMINAL if bidi else _TERMINAL_NO_BIDI).sub(_visible, text)


_NAME = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def escape_name(text: str) -> str:
    """A file name or TOML key inside a line of a message: line breaks and tabs written visibly
    too (`\\x0a`), so that a name can never start a line of its own ("ok   fake.toml")."""
    return _NAME.sub(_visible, text)


# --- wikitext ------------------------------------------------------------------------------------

_WIKI_ALWAYS = {
    "<": "&lt;",
    ">": "&gt;",
    "[": "&#91;",
    "]": "&#93;",
    "{": "&#123;",
    "}": "&#125;",
    "|": "&#124;",
    "=": "&#61;",
}
_WIKI_CHARS = re.compile("[" + re.escape("".join(_WIKI_ALWAYS)) + "]")
_WIKI_ENTITY_LIKE = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
# '' and ''' make italics and bold; a quote at either end of a value can join the template's own.
_WIKI_QUOTES = re.compile(r"^'|'$|'(?=')|(?<=')'")
_WIKI_TILDES = re.compile(r"~{3,}")  # ~~~ signs, ~~~~~ dates, on save
_WIKI_UNDERSCORES = re.compile(r"_{2,}")  # __NOTOC__ and other behaviour switches
_WIKI_INDENT = re.compile(r"^[ \t]+", re.MULTILINE)  # a leading space makes preformatted text
_WIKI_LINE_START = re.compile(r"^([*#:;!]|-(?=---))", re.MULTILINE)


def escape_wikitext(text: str) -> str:
    """Text that renders as itself on a MediaWiki page wherever a template puts it."""
    text = _CONTROL.sub("", text)
    text = _WIKI_ENTITY_LIKE.sub("&amp;", text)
    text = _WIKI_CHARS.sub(lambda m: _WIKI_ALWAYS[m[0]], text)
    text = _WIKI_QUOTES.sub("&#39;", text)
    text = _WIKI_TILDES.sub(lambda m: "&#126;" * len(m[0]), text)
    text = _WIKI_UNDERSCORES.sub(lambda m: "&#95;" * len(m[0]), text)
    text = _WIKI_INDENT.sub("", text)
    return _WIKI_LINE_START.sub(lambda m: f"&#{ord(m[0])};", text)


def wikitext_url(url: str) -> str:
    """A URL safe inside `[url label]`: the characters that end or break the link are %-encoded."""
    return quote(_CONTROL.sub("", url), safe="/:?#@!$&()*+,;=%-._~")


# --- Markdown (CommonMark, with GitHub's tables and strikethrough) --------------------------------

_MD_ALWAYS = re.compile(r"([\\`*_\[\]<>|~{}])")  # { } make wiki templates, [[ ]] links
_MD_ENTITY_LIKE = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
_MD_LINE_START = re.compile(
    r"^(#|[-+](?=[ \t]|$)|=+[ \t]*$|-+[ \t]*$|(\d+)([.)])(?=[ \t]|$))", re.MULTILINE
)
#: #s at the end of a line after a space or tab: in a heading, CommonMark takes them for its
#: optional closing sequence and drops them ("## Title: C #" would show "Title: C").
_MD_CLOSING_HASHES = re.compile(r"(?<=[ \t])#(?=#*[ \t]*$)", re.MULTILINE)


def _md_line_start(match: re.Match[str]) -> str:
    if match[2] is not None:  # "1. " starts an ordered list
        return f"{match[2]}\\{match[3]}"
    return "\\" + match[1]


def escape_markdown(text: str) -> str:
    """Text that renders as itself in Markdown: markup characters escaped with a backslash."""
    text = _CONTROL.sub("", text)
    text = _MD_ALWAYS.sub(r"\\\1", text)
    text = _MD_ENTITY_LIKE.sub("&amp;", text)
    lines = [line.lstrip(" \t") for line in text.split("\n")]  # indentation would make code blocks
    text = _MD_CLOSING_HASHES.sub(r"\\#", "\n".join(lines))
    return _MD_LINE_START.sub(_md_line_start, text)


def markdown_url(url: str) -> str:
    """A URL safe inside `[label](url)`: spaces, brackets and parentheses %-encoded."""
    return quote(_CONTROL.sub("", url), safe="/:?#@!$&*+,;=%-._~")


# --- CSV (spreadsheets) --------------------------------------------------------------------------

#: What makes a spreadsheet run a cell as a formula (OWASP's list): such a cell gets a leading '.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(value: Any) -> Any:
    """A text cell a spreadsheet would evaluate, made inert by a leading '; numbers unchanged."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def escape_csv_cell(value: Any) -> Any:
    """A CSV cell that stays one cell of one row in every reader and runs no formula: text on
    one line (no CR or LF a naive reader splits on, no control character), then neutralised.
    The writer quotes every text cell (csv.QUOTE_NONNUMERIC); numbers pass unchanged."""
    if isinstance(value, str):
        return neutralise_formula(one_line(value))
    return value


# --- plain text and email ------------------------------------------------------------------------


_BIDI_CLOSER = {
    **dict.fromkeys("\u202a\u202b\u202d\u202e", "\u202c"),  # embeddings, overrides: PDF
    **dict.fromkeys("\u2066\u2067\u2068", "\u2069"),  # isolates: PDI
}


def close_bidi(text: str) -> str:
    """`text` with every bidi embedding, override or isolate it leaves open closed at its end, so
    that an unclosed RLO in a value cannot reorder the text that follows it ("Invitation: <title>
    (date)" shown with the date reversed). Closed and ordinary text is returned unchanged."""
    stack: list[str] = []
    for char in text:
        if char in _BIDI_CLOSER:
            stack.append(_BIDI_CLOSER[char])
        elif char in ("\u202c", "\u2069") and char in stack:
            while stack and stack.pop() != char:
                pass
    return text + "".join(reversed(stack))


def escape_plain_text(text: str) -> str:
    """Plain text needs no escaping, only control characters removed (they confuse terminals)
    and the bidi controls a value opens closed (they would reorder what follows it)."""
    return close_bidi(_CONTROL.sub("", text))


def escape_ics_text(text: str) -> str:
    """An iCalendar TEXT value (RFC 5545 3.3.11: backslash, semicolon, comma and newline
    escaped) for a content line lc adds itself; `ics` escapes only the values it writes."""
    from ics.utils import escape_string

    return str(escape_string(text))


def escape_for(output_format: str) -> Callable[[str], str]:
    """The escape of a format other than HTML (which Jinja autoescapes)."""
    return {
        "wikitext": escape_wikitext,
        "markdown": escape_markdown,
        "text": escape_plain_text,
        "email": escape_plain_text,
    }[output_format]


def url_for(output_format: str) -> Callable[[str], str]:
    return {
        "wikitext": wikitext_url,
        "markdown": markdown_url,
    }.get(output_format, escape_plain_text)
