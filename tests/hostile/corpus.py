"""The hostile-input corpus of issue 15, shared by every test of `tests/hostile/`.

Texts an attacker (or a careless export) puts where lc reads text: clinic titles, sharers'
names, the platform, TOML keys, file names, export cells. Each is built into clinic folders and
exports under `tmp_path` by the helpers below; `RAW_CONTROL` says what must never reach a
terminal, and the `parse_*` helpers read each output format back with an independent parser.
Hypothesis strategies for titles and cells are at the end. Other files of this folder (servers,
concurrency, ...) import what they need from here.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

# --- the corpus ----------------------------------------------------------------------------------

#: Hostile texts, by name: control characters, line breaks, formula prefixes, markup of every
#: format lc writes, bidi overrides, very long strings.
HOSTILE_TEXTS: dict[str, str] = {
    "csv-formula-bare-cr": "Harmless\r=cmd|' /C calc'!A0",
    "csv-formula-lf": 'Harmless\n=HYPERLINK("http://evil.example","x")',
    "formula-prefixes": "=1+1 +2 -3 @SUM(A1) \t=tab",
    "leading-at": "@SUM(1+1)*cmd|' /C calc'!A0",
    "osc-title-set": "Clinic \x1b]0;PWNED\x07 title",
    "csi-colour": "\x1b[31mred\x1b[0m \x1b[2J\x1b[H cleared",
    "c1-csi": "C1 \x9b31m csi \x85 nel \x90 dcs \x9d osc",
    "bel-backspace-del": "bell\x07 back\x08space del\x7f vt\x0b ff\x0c",
    "nul-and-escape-x": "nul\x00 here \\x1b literal",
    "crlf-lines": "first line\r\nsecond line\rthird\nfourth",
    "unicode-line-breaks": "para\u2028line sep\u2029para sep",
    "html": "<img src=x onerror=alert(1)><script>alert(2)</script> &amp; &lt;b&gt;",
    "wiki-markup": "[[Category:Spam]] {{delete}} ~~~~ __NOTOC__ '''bold''' {| |}",
    "wiki-table-breakers": "a || b !! c |- d |} e\n|-\n| f",
    "markdown": "# head *em* _u_ `code` [link](http://x) ![img](http://y) | pipe ~~s~~",
    "markdown-line-starts": "1. one\n- two\n> quote\n    code\n===",
    "rich-markup": "[bold red]styled[/] [/unbalanced] [link=http://x]l[/link]",
    "bidi-overrides": "invoice \u202egnp.exe\u202c \u2066isolate\u2069 \u202dforce\u202c",
    "very-long": "long " + "x" * 5000 + " end",
    "mixed-script": "مرحبا Здравствуйте 你好 <b>&</b> \x1b[1m",
}

#: Texts for the wikitext index table: a sharer's name or platform that tries to leave its cell.
CELL_BREAKERS: dict[str, str] = {
    "newline-row": "Ann\n|-\n| injected row",
    "newline-list": "Zoom\n* injected item\n== heading ==",
    "pipes": "Bob || extra cell !! header",
}

#: A TOML key that sets the terminal title, and file names with escapes (issue 15).
#: (A key holding "[" is one of the 27 inputs that end in exit 1 of issue 15, handled apart.)
HOSTILE_KEYS = [
    "\x1b]0;PWNED\x07",
    "\x9b31mred",
    "speakers\u202e0",
    "bell\x07\x1bc",
    "a\nok   fake.toml\u2028",  # a line of its own would look like a valid file
]
HOSTILE_FILE_NAMES = ["2030-01-01-\x1b[31mred.toml", "\x1b]0;PWNED\x07.toml", "x\ry.toml"]

#: What must never reach a terminal raw: C0 controls but tab and LF (and the CR of a CRLF),
#: DEL, C1. `RAW_BIDI` is checked on stderr, where every line is a message.
RAW_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]|\r(?!\n)")
RAW_BIDI = re.compile(r"[\u202a-\u202e\u2066-\u2069]")

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def one_line(text: str) -> str:
    """What a single-line field shows: controls and line breaks a space, spaces collapsed
    (written here again, not imported, so that the tests do not trust the code they test)."""
    return " ".join(_CONTROLS.sub(" ", text).split())


def csv_shown(text: str) -> str:
    """What a CSV cell of this text holds: one line, neutralised (OWASP)."""
    shown = one_line(text)
    return "'" + shown if shown.startswith(_FORMULA_START) else shown


def raw_controls(text: str, *, bidi: bool = False) -> list[str]:
    """The control characters of `text` a terminal would act on (empty when clean)."""
    found = RAW_CONTROL.findall(text)
    if bidi:
        found += RAW_BIDI.findall(text)
    return found


# --- clinic folders ------------------------------------------------------------------------------


def toml_string(text: str) -> str:
    """A TOML basic string holding `text` exactly (control characters as \\uXXXX)."""
    out = []
    for char in text:
        if char in '"\\':
            out.append("\\" + char)
        elif ord(char) < 0x20 or 0x7F <= ord(char) <= 0x9F:
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def clinic_toml(
    title: str,
    *,
    start: str = "2031-03-10T06:00:00Z",
    status: str = "confirmed",
    sharer: str = "Imelda R. Brazal",
    platform: str = "Zoom",
    description: str = "A clinic.",
    username: str | None = None,
    uid: str,
    extra: str = "",
) -> str:
    return (
        f"title = {toml_string(title)}\n"
        f'status = "{status}"\n'
        f"start = {start}\n"
        'duration = "2h"\n'
        'language = "en"\n'
        'interpretation = ["fr"]\n'
        'regions = ["ESEAP"]\n'
        f"platform = {toml_string(platform)}\n"
        'registration_url = "https://example.org/register"\n'
        f"description = {toml_string(description)}\n"
        f"{extra}"
        "\n[[sharers]]\n"
        f"name = {toml_string(sharer)}\n"
        + (f"username = {toml_string(username)}\n" if username else "")
        + 'role = "Sharer"\n'
        "\n[calendar]\n"
        f'uid = "{uid}@letsconnect"\n'
    )


def clinic_id(index: int) -> str:
    return f"2031-03-{10 + index % 18:02d}-hostile-{index}"


def write_clinics(folder: Path, texts: dict[str, str]) -> dict[str, str]:
    """One confirmed clinic per hostile text (as its title, sharer, platform and description);
    returns {clinic id: text}."""
    folder.mkdir(parents=True, exist_ok=True)
    ids = {}
    for index, text in enumerate(texts.values()):
        cid = clinic_id(index)
        day = cid[:10]
        (folder / f"{cid}.toml").write_text(
            clinic_toml(
                text,
                start=f"{day}T06:00:00Z",
                sharer=f"Sharer {text}",
                platform=f"Zoom {text}",
                description=f"About {text}",
                username=f"U {text[:60]}",
                uid=f"hostile-{index}",
            ),
            encoding="utf-8",
        )
        ids[cid] = text
    return ids


LC_TOML = """clinics_dir = "clinics"
default_region = "ESEAP"

[organiser]
name = "Let's Connect team"
email = "letsconnectteam@wikimedia.org"

[report]
min_count = 0
"""


def make_project(root: Path, texts: dict[str, str] | None = None) -> dict[str, str]:
    """A working folder: lc.toml, and clinics/ with one clinic per hostile text."""
    (root / "lc.toml").write_text(LC_TOML, encoding="utf-8")
    return write_clinics(root / "clinics", HOSTILE_TEXTS if texts is None else texts)


# --- exports -------------------------------------------------------------------------------------

REGISTRATION_HEADER = [
    "Timestamp",
    "Email address",
    "Full name",
    "Wikimedia username",
    "Which country are you based in?",
    "What is your main role in the Wikimedia movement?",
    "Affiliation (if any)",
    "Which languages would you like interpretation into? (Select all that apply)",
    "Which Learning Clinic are you registering for?",
]


def marker(index: int) -> str:
    """A unique piece of a personal cell: found in any output, it is a leak."""
    return f"Pii{index:03d}q"


def registration_rows(clinic_ids: Iterable[str]) -> tuple[list[list[str]], list[str]]:
    """Rows of a Google Forms registration export with hostile personal cells, and the markers
    those cells carry (names, usernames, affiliations, unknown countries, unknown clinics)."""
    rows: list[list[str]] = []
    markers: list[str] = []
    # A NUL makes the file "binary" (exit 4, tested on its own); every other character is kept.
    texts = [text.replace("\x00", "") for text in HOSTILE_TEXTS.values()]
    n = 0
    for cid in clinic_ids:
        # (An unknown country's spelling is listed in the report's data quality, by design: it
        # carries no marker; its row's name, username and affiliation do.)
        for country in ("Philippines", "Fiji", "Atlantis"):
            text = texts[n % len(texts)][:200]
            m = marker(n)
            markers.append(m)
            rows.append(
                [
                    "2031/03/01 2:05:43 AM GMT+8",
                    f"{m.lower()}.person{n}@example.org",
                    f"{m} {text}",
                    f"{m}_{n}",
                    country,
                    f"{text} role {m}",
                    f"{m} {text}",
                    "French",
                    cid,
                ]
            )
            n += 1
    for index, text in enumerate(texts[:6]):  # clinics that exist nowhere
        m = marker(1000 + index)
        markers.append(m)
        unknown = f"Nowhere {m} {text[:5]}"  # (a whole title would match its clinic)
        rows.append(["", f"z{index}@example.org", m, "", "Fiji", "", "", "", unknown])
    return rows, markers


def write_csv(path: Path, header: list[str] | None, rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        if header is not None:
            writer.writerow(header)
        writer.writerows(rows)


def write_exports(folder: Path, clinic_ids: Iterable[str]) -> list[str]:
    """registrations.csv (hostile cells), feedback.csv (hostile ratings) and participants.json
    (CampaignEvents, hostile user names); returns the markers of their personal cells."""
    folder.mkdir(parents=True, exist_ok=True)
    ids = list(clinic_ids)
    rows, markers = registration_rows(ids)
    write_csv(folder / "registrations.csv", REGISTRATION_HEADER, rows)
    feedback = [["Timestamp", "Email address", "How satisfied were you? (1-5)", "Which clinic?"]]
    # (NaN, inf and 1e309 are the "27 inputs that end in exit 1" of issue 15, handled apart.)
    for index, rating in enumerate(["5", "=1+1", "-2", "\x1b[31m4", "4\r\n5", "@3", "x" * 500]):
        m = marker(2000 + index)
        markers.append(m)
        feedback.append(["", f"{m}@example.org", rating, ids[index % len(ids)]])
    write_csv(folder / "feedback.csv", None, feedback)
    people = []
    for index, text in enumerate(HOSTILE_TEXTS.values()):
        m = marker(3000 + index)
        markers.append(m)
        people.append(
            {"participant_id": index + 1, "user_name": f"{m} {text[:100]}".replace("\x00", "")}
        )
    (folder / f"{ids[0]}-participants.json").write_text(json.dumps(people), encoding="utf-8")
    return markers


#: The header-less export of issue 15: its first row is a person.
HEADERLESS_CSV = (
    "Piiname Nohead,Piiuser Nohead,Nigeria,Editor\nPiiname Two,Piiuser Two,Ghana,Editor\n"
)
HEADERLESS_CELLS = ["Piiname", "Piiuser", "Nohead", "Piiname Two"]


def leaked(text: str, markers: Iterable[str]) -> list[str]:
    return [m for m in markers if m.casefold() in text.casefold()]


# --- reading the outputs back --------------------------------------------------------------------


def parse_csv(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def markdown_table_cells(text: str) -> list[list[str]]:
    """The rows of every GitHub-style table of a Markdown document, as rendered text."""
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    rows: list[list[str]] = []
    row: list[str] | None = None
    for token in tokens:
        if token.type == "tr_open":
            row = []
        elif token.type == "tr_close" and row is not None:
            rows.append(row)
            row = None
        elif token.type == "inline" and row is not None:
            row.append(_inline_text(token))
    return rows


def _inline_text(token: Any) -> str:
    parts = []
    for child in token.children or []:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append("\n")
        elif child.type == "html_inline":
            parts.append("<HTML>")
    return "".join(parts)


def markdown_html_tokens(text: str) -> list[str]:
    """Raw HTML a Markdown renderer would pass through (none is allowed from a value)."""
    from markdown_it import MarkdownIt

    found = []
    for token in MarkdownIt("commonmark").enable("table").parse(text):
        if token.type == "html_block":
            found.append(token.content)
        for child in token.children or []:
            if child.type == "html_inline":
                found.append(child.content)
    return found


def markdown_blocks(text: str) -> list[tuple[str, str]]:
    """(block type, rendered text) of each inline run of a Markdown document."""
    from markdown_it import MarkdownIt

    blocks = []
    opened: list[str] = []
    for token in MarkdownIt("commonmark").enable("table").parse(text):
        if token.type.endswith("_open"):
            opened.append(token.type[: -len("_open")])
        elif token.type.endswith("_close") and opened:
            opened.pop()
        elif token.type == "inline":
            kind = "list_item" if "list_item" in opened else (opened or ["paragraph"])[-1]
            blocks.append((kind, _inline_text(token)))
    return blocks


class _Html(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.stack: list[str] = []
        self.texts: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag not in ("meta", "br", "rect", "col"):
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        while self.stack and self.stack.pop() != tag:
            pass

    def handle_data(self, data: str) -> None:
        self.texts.append((self.stack[-1] if self.stack else "", data))


def parse_html(text: str) -> tuple[list[str], list[tuple[str, str]]]:
    """(every start tag, (enclosing tag, text) of every text run) of an HTML document."""
    parser = _Html()
    parser.feed(text)
    parser.close()
    return parser.tags, parser.texts


def wikitext_table_rows(text: str) -> list[list[str]]:
    """The cells of each row of the first wikitext table, as plain text (entities decoded)."""
    import mwparserfromhell

    code = mwparserfromhell.parse(text)
    rows = []
    for table in code.filter_tags(matches=lambda node: node.tag == "table"):
        for row in table.contents.filter_tags(
            matches=lambda node: node.tag == "tr", recursive=False
        ):
            cells = row.contents.filter_tags(matches=lambda node: node.tag in ("td", "th"))
            rows.append([_wiki_text(cell.contents) for cell in cells])
        break
    return rows


def _wiki_text(code: Any) -> str:
    return str(code.strip_code(normalize=True, collapse=True)).strip()  # entities decoded once


def wikitext_nodes(text: str) -> tuple[list[str], list[str]]:
    """(template names, link targets) of a wikitext document."""
    import mwparserfromhell

    code = mwparserfromhell.parse(text)
    templates = [str(t.name) for t in code.filter_templates()]
    links = [str(link.title) for link in code.filter_wikilinks()]
    return templates, links


# --- Hypothesis ----------------------------------------------------------------------------------

_NASTY = (
    "\x00\x07\x08\t\n\x0b\x0c\r\x1b\x7f\x85\x9b\x9d\u2028\u2029\u202a\u202b\u202c\u202d\u202e"
    "\u2066\u2067\u2068\u2069=+-@'\"|!{}[]<>&#;*_`~\\:/ .,%$()1aZé漢"
)


def hostile_text(max_size: int = 60) -> st.SearchStrategy[str]:
    """Text built from what breaks outputs (controls, line breaks, markup, formula prefixes,
    bidi), mixed with any other characters."""
    return st.text(
        alphabet=st.one_of(st.sampled_from(_NASTY), st.characters(codec="utf-8")),
        min_size=1,
        max_size=max_size,
    )


def titles() -> st.SearchStrategy[str]:
    """Clinic titles: hostile text with at least one visible character."""
    return hostile_text(80).filter(lambda text: bool(one_line(text)))


def cells() -> st.SearchStrategy[str]:
    """Export cells: hostile text, sometimes a formula or a sample corpus entry."""
    return st.one_of(
        hostile_text(40),
        st.sampled_from(list(HOSTILE_TEXTS.values())).map(lambda text: text[:300]),
        st.builds(
            lambda prefix, rest: prefix + rest, st.sampled_from(_FORMULA_START), hostile_text(20)
        ),
    )
