"""Hostile values in every format: checked with independent parsers (mwparserfromhell for wikitext,
markdown-it-py for Markdown, html.parser for HTML, email.parser for the message), so no title,
description or name can change the markup around it. A real MediaWiki renders one too
(tests/publish/test_publish_mediawiki.py)."""

from __future__ import annotations

import html
from datetime import UTC, datetime
from email import message_from_string
from email.policy import default
from html.parser import HTMLParser

import pytest

from letsconnect_cli.announce.render import Organiser, announce
from letsconnect_cli.clinic.models import Clinic
from letsconnect_cli.escaping import escape_markdown, escape_wikitext
from letsconnect_cli.places.i18n import resolve_language
from letsconnect_cli.places.regions import region

HOSTILE = (
    "Pipes | {{tpl|x=1}} [[Link]] ''it'' '''b''' <b>x</b> <!-- c --> </nowiki> ~~~~ __NOTOC__ "
    "&amp; a=b *star* _u_ [l](http://e.x) <http://y.z> `code` \\ ![i](x) ~~gone~~ -{zh}- end'"
)
DESCRIPTION = (
    "* not a list\n# not numbered\n----\n: not indented\n1. not a list\n> no quote\n"
    "=== no heading ==="
)


def hostile_clinic() -> Clinic:
    return Clinic.model_validate(
        {
            "id": "2023-04-02-hostile",
            "title": HOSTILE,
            "status": "confirmed",
            "start": datetime(2023, 4, 2, 6, tzinfo=UTC),
            "regions": ["ESEAP"],
            "interpretation": ["ja"],
            "platform": HOSTILE,
            "description": DESCRIPTION,
            "registration_url": "https://example.org/form?a=1&b=[2]|x'y''z",
            "sharers": [{"name": HOSTILE, "role": "'''Role'''", "affiliation": "[[Affiliation]]"}],
        }
    )


def render(output_format: str) -> str:
    return announce(
        hostile_clinic(),
        output_format,
        resolve_language("en"),
        regions=[region("ESEAP")],
        organiser=Organiser("Team | <x>", "team@example.org"),
        now=datetime(2023, 3, 20, tzinfo=UTC),
    ).text


HEADING = f"Let's Connect Learning Clinic: {HOSTILE}"


def test_wikitext_cannot_be_broken():
    import mwparserfromhell

    code = mwparserfromhell.parse(render("wikitext"))
    assert (
        code.filter_templates() == []
        and code.filter_wikilinks() == []
        and code.filter_comments() == []
    )
    tags = {str(tag.tag) for tag in code.filter_tags()}
    assert tags <= {"div", "b", "li", "dd", "dt"}, tags  # the template's own markup only
    [heading] = code.filter_headings()
    assert html.unescape(str(heading.title)).strip() == HEADING
    # Bare URLs inside a value become free links on a wiki too (their text unchanged); the
    # bracketed links, which can carry a label, are the template's own only.
    links = [str(link.url) for link in code.filter_external_links() if link.brackets]
    assert links == [
        "https://zonestamp.toolforge.org/1680415200",
        "https://example.org/form?a=1&b=%5B2%5D%7Cx%27y%27%27z",
        "mailto:team@example.org",
    ]
    lines = str(code).splitlines()
    for line in DESCRIPTION.splitlines():  # each line is there, and none starts a list or heading
        [escaped] = [t for t in lines if html.unescape(t) == line]
        assert not escaped.startswith(("*", "#", ":", ";", "=", "----", " "))


def test_markdown_cannot_be_broken():
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").enable(["table", "strikethrough"]).parse(render("markdown"))
    kinds = [t.type for t in tokens]
    heading = tokens[kinds.index("heading_open") + 1]
    assert [c.type for c in heading.children or []] == ["text"] and heading.children
    assert heading.children[0].content == HEADING
    assert kinds.count("heading_open") == 1 and "blockquote_open" not in kinds and "hr" not in kinds
    assert (
        "ordered_list_open" not in kinds and "table_open" not in kinds and "code_block" not in kinds
    )
    inline_kinds = {c.type for t in tokens for c in (t.children or [])}
    assert not inline_kinds & {"em_open", "s_open", "code_inline", "image", "html_inline"}
    hrefs = [c.attrs["href"] for t in tokens for c in (t.children or []) if c.type == "link_open"]
    assert hrefs == [
        "https://zonestamp.toolforge.org/1680415200",
        "https://example.org/form?a=1&b=%5B2%5D%7Cx%27y%27%27z",  # (markdown-it normalises ')
        "mailto:team@example.org",
    ]


class _Heading(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.text: dict[str, str] = {"h2": "", "title": ""}
        self.inside: str | None = None
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.inside:
            self.tags.append(tag)
        if tag in self.text:
            self.inside = tag

    def handle_endtag(self, tag: str) -> None:
        if tag == self.inside:
            self.inside = None

    def handle_data(self, data: str) -> None:
        if self.inside:
            self.text[self.inside] += data


def test_html_is_autoescaped():
    parser = _Heading()
    parser.feed(render("html"))
    assert parser.text["h2"] == HEADING and parser.text["title"] == HEADING
    assert parser.tags == []
    assert 'href="https://example.org/form?a=1&amp;b=[2]|x&#39;y&#39;&#39;z"' in render("html")


def test_text_keeps_values_as_they_are():
    text = render("text")
    assert f"{HEADING}\n" in text and f"Platform: {HOSTILE}\n" in text


def test_email_is_a_complete_message_and_the_subject_cannot_inject_headers():
    raw = render("email")
    assert raw.isascii() and "\r\n" in raw and "\n" not in raw.replace("\r\n", "")
    assert all(len(line) <= 78 for line in raw.split("\r\n"))
    message = message_from_string(raw, policy=default)
    for header in (
        "From",
        "Subject",
        "Date",
        "Message-ID",
        "MIME-Version",
        "Content-Type",
        "Content-Language",
    ):
        assert message[header], header
    assert str(message["From"]) == '"Team | <x>" <team@example.org>'
    assert str(message["Subject"]) == f"{HEADING} (Sunday, 2 April 2023)"
    body = message.get_content().replace("\r\n", "\n")
    assert f"Platform: {HOSTILE}\n" in body
    assert message.get_content_charset() == "utf-8"


def test_a_title_with_a_newline_stays_one_line_everywhere():
    clinic = hostile_clinic().model_copy(update={"title": "Two\nlines\r\nBcc: someone@example.org"})
    for output_format in ("wikitext", "markdown", "text", "email"):
        text = announce(
            clinic,
            output_format,
            resolve_language("en"),
            regions=[],
            organiser=Organiser(None, "team@example.org"),
            now=datetime(2023, 3, 20, tzinfo=UTC),
        ).text
        assert "Two lines Bcc: someone@example.org" in text.replace("\r\n ", " ")
        assert "\nBcc:" not in text and "\r\nBcc:" not in text


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Let's Connect", "Let's Connect"),  # a lone apostrophe stays readable
        ("'quoted'", "&#39;quoted&#39;"),  # at the edges it could join the template's ''
        ("a''b", "a&#39;&#39;b"),
        ("Q&A &amp; more", "Q&A &amp;amp; more"),
        ("~~~", "&#126;&#126;&#126;"),
        ("snake_case and __TOC__", "snake_case and &#95;&#95;TOC&#95;&#95;"),
        ("* item\n  # no", "&#42; item\n&#35; no"),
    ],
)
def test_wikitext_escapes(value: str, expected: str):
    assert escape_wikitext(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Awareness + Education", "Awareness + Education"),  # only where it would change meaning
        ("- item", "\\- item"),
        ("2023. A year", "2023\\. A year"),
        ("a_b *c*", "a\\_b \\*c\\*"),
        ("# title\n---", "\\# title\n\\---"),
    ],
)
def test_markdown_escapes(value: str, expected: str):
    assert escape_markdown(value) == expected
