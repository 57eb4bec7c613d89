"""Skills and home wikis, as the program's registration form and skills directory ask them.

Skills are the program's five categories (funding, programmatic tactics, organisational, technical,
interpersonal): a cell of chosen answers ("Funding; Technical skills", "grant writing, bots") becomes
a bit mask of the categories its words name. A home wiki ("en.wikipedia.org", "enwiki", "Swahili
Wikipedia", "https://yo.wikipedia.org/wiki/...") becomes one key ("en.wikipedia"), so the report can
count distinct language editions; the key never reaches an output, only the count.
"""

from __future__ import annotations

import re
from functools import lru_cache

#: The categories, in the program's order: key -> name.
SKILLS: dict[str, str] = {
    "funding": "Funding",
    "programmatic": "Programmatic tactics",
    "organisational": "Organisational",
    "technical": "Technical",
    "interpersonal": "Interpersonal",
}
_WORDS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (key, re.compile(pattern))
    for key, pattern in (
        ("funding", r"fund|grant|financ|budget|donat|money|sponsor"),
        ("programmatic", r"program|tactic|campaign|event|edit.?a.?thon|outreach|contest|train"),
        (
            "organisational",
            r"organi[sz]ation|governance|board|strateg|manag|affiliate|admin|policy",
        ),
        ("technical", r"technic|tool|bot|code|coding|software|wikidata|template|lua|data|tech\b"),
        (
            "interpersonal",
            r"interpersonal|communicat|conflict|leadership|partner|mentor|facilitat|volunteer|"
            r"collaborat|public speaking|network",
        ),
    )
)
BIT = {key: 1 << i for i, key in enumerate(SKILLS)}


@lru_cache(maxsize=4096)
def skill_mask(text: str) -> int:
    """The categories a cell names, as bits of `BIT`; 0 for none."""
    folded = text.casefold()
    mask = 0
    for key, pattern in _WORDS:
        if pattern.search(folded):
            mask |= BIT[key]
    return mask


_PROJECTS = (
    "wikipedia",
    "wiktionary",
    "wikibooks",
    "wikiquote",
    "wikisource",
    "wikinews",
    "wikiversity",
    "wikivoyage",
)
_HOST = re.compile(
    r"(?:https?://)?([a-z][a-z0-9-]{1,15})(?:\.m)?\.(" + "|".join(_PROJECTS) + r")\.org"
)
_DBNAME = re.compile(r"([a-z][a-z0-9_]{1,15}?)(wiki|wiktionary|wikibooks|wikiquote|wikisource)$")
_SINGLE = re.compile(
    r"(commons|meta|species|incubator)\.wikimedia\.org|wikidata(\.org)?|(commons|meta)wiki"
)


@lru_cache(maxsize=4096)
def home_wiki(text: str) -> str | None:
    """A home wiki's key ("en.wikipedia", "wikidata"), or the cell folded when lc cannot tell."""
    folded = " ".join(text.casefold().split())
    if not folded or folded in {"-", "n/a", "none", "no"}:
        return None
    found = _HOST.search(folded)
    if found:
        return f"{found[1]}.{found[2]}"
    single = _SINGLE.search(folded)
    if single:
        return "wikidata" if "wikidata" in folded else (single[1] or single[3] or "wiki")
    found = _DBNAME.fullmatch(folded)
    if found:
        project = "wikipedia" if found[2] == "wiki" else found[2]
        return f"{found[1].replace('_', '-')}.{project}"
    return folded
