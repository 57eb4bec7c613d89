"""Escaping text for the formats announcements are written in, so no value can change the markup.

Every `{{ value }}` of an announcement template passes through the format's escape (HTML through
Jinja's autoescape; wikitext, Markdown and plain text through `escape_for`); links go through
`url_for`. A value marked safe (`|safe`, a Markup) is left alone: that is the template's choice.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import quote

FORMATS = ("wikitext", "markdown", "text", "html", "email")

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")

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

_MD_ALWAYS = re.compile(r"([\\`*_\[\]<>|~])")
_MD_ENTITY_LIKE = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
_MD_LINE_START = re.compile(
    r"^(#|[-+](?=[ \t]|$)|=+[ \t]*$|-+[ \t]*$|(\d+)([.)])(?=[ \t]|$))", re.MULTILINE
)


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
    return _MD_LINE_START.sub(_md_line_start, "\n".join(lines))


def markdown_url(url: str) -> str:
    """A URL safe inside `[label](url)`: spaces, brackets and parentheses %-encoded."""
    return quote(_CONTROL.sub("", url), safe="/:?#@!$&*+,;=%-._~")


# --- plain text and email ------------------------------------------------------------------------


def escape_text(text: str) -> str:
    """Plain text needs no escaping, only control characters removed (they confuse terminals)."""
    return _CONTROL.sub("", text)


def escape_for(output_format: str) -> Callable[[str], str]:
    """The escape of a format other than HTML (which Jinja autoescapes)."""
    return {
        "wikitext": escape_wikitext,
        "markdown": escape_markdown,
        "text": escape_text,
        "email": escape_text,
    }[output_format]


def url_for(output_format: str) -> Callable[[str], str]:
    return {
        "wikitext": wikitext_url,
        "markdown": markdown_url,
    }.get(output_format, escape_text)
