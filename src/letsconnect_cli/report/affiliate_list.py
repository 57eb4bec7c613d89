"""The list of Wikimedia movement affiliates the report matches affiliation cells against.

The maintained source is Meta-Wiki's `Module:Organizational_Informations`: the Lua data table of
the Wikimedia Affiliates Data Portal, kept by the Affiliations Committee and the Foundation's staff
through their forms. One table per affiliate, `group_name`, `affiliate_code`, `org_type` ("Chapter",
"Thematic Organization", "User Group", "Allied or other organization"), `recognition_status`
("recognised", "derecognised") and fields lc never reads (contacts among them: they are not kept).
`lc affiliates update` reads it anonymously through the wiki client and writes the recognised
chapters, thematic organizations and user groups to a file the user commits.

The file (and any list a liaison keeps instead) is UTF-8 text, one affiliate a line: its name, then
other names it goes by, tab-separated; `#` starts a comment. Lines `# source: ...`, `# revision:
...` and `# complete: yes` say where it came from; only a complete list (the maintained one) gives a
share of all affiliates.

Matching (`AffiliateList.match`): a cell is folded (case, accents, punctuation and spacing away),
"WM" read as "Wikimedia", "UG" and "Usergroup" as "User Group", "Wikimedian" as "Wikimedians"; it
matches a name or alias folded the same way; failing that, when it names the movement (Wikimedia,
Wikimedians, User Group), its words other than those (and "community", "of", "the", ...) match the
same words of exactly one affiliate; failing that, a cell naming several (split at ; , / | +) matches
each part; words in brackets are left out when the rest matches ("Wikimedia Indonesia
(volunteer)"). Abbreviations such as "WMID" match only where the list gives them as aliases.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from letsconnect_cli.errors import InputUnreadable, UsageError
from letsconnect_cli.ingest.folding import fold_name, shown_value

#: Meta-Wiki's page of the Wikimedia Affiliates Data Portal's organisational information.
MODULE_TITLE = "Module:Organizational_Informations"
#: The file `lc affiliates update` writes in the clinics folder, and the report reads by default.
DEFAULT_FILE = "wikimedia-affiliates.tsv"
#: The affiliate types the list keeps (the module also holds allied organisations).
AFFILIATE_TYPES = ("Chapter", "Thematic Organization", "User Group")
MAX_NAME = 200

_REWRITE = {
    "wm": ("wikimedia",),
    "wikimedian": ("wikimedians",),
    "ug": ("user", "group"),
    "usergroup": ("user", "group"),
    "organisation": ("organization",),
}
_MOVEMENT = frozenset({"wikimedia", "wikimedians", "group"})
_GENERIC = frozenset(
    {"wikimedia", "wikimedians", "user", "group", "community", "of", "the", "in", "for", "chapter"}
)
_SPLIT = re.compile(r"[;,/|+\n]+")
_BRACKETS = re.compile(r"\([^()]*\)")
#: Answers that name no affiliation (folded).
NONE_ANSWERS = frozenset(
    {
        "none",
        "no",
        "nil",
        "null",
        "na",
        "n a",
        "not applicable",
        "nothing",
        "no affiliation",
        "no affiliate",
        "not affiliated",
        "unaffiliated",
        "independent",
        "not yet",
        "none yet",
        "i am not affiliated",
        "not a member",
        "no response",
    }
)


def words(text: str) -> tuple[str, ...]:
    """A name's words as matching sees them (see the module's text)."""
    out: list[str] = []
    for word in fold_name(text).split():
        out.extend(_REWRITE.get(word, (word,)))
    if out and out[0] == "the":
        del out[0]
    return tuple(out)


def _core(key: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(w for w in key if w not in _GENERIC)


@dataclass(frozen=True)
class Affiliate:
    name: str
    aliases: tuple[str, ...] = ()
    kind: str = ""  # Chapter, Thematic Organization, User Group ("" when the list does not say)


@dataclass
class AffiliateList:
    """Affiliates, where they came from, and the look-ups matching needs."""

    affiliates: list[Affiliate]
    file: str  # the list's file, as given
    complete: bool = False  # the maintained list whole: a share of all affiliates is meaningful
    revision: str | None = None  # of the wiki page it was read from (`# revision:`)
    origin: str | None = None  # the wiki and page it was read from (`# source:`)
    _exact: dict[tuple[str, ...], int] = field(default_factory=dict, repr=False)
    _core: dict[tuple[str, ...], int | None] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for number, affiliate in enumerate(self.affiliates):
            for text in (affiliate.name, *affiliate.aliases):
                key = words(text)
                if key:
                    self._exact.setdefault(key, number)
                core = _core(key)
                if core:
                    # A core two affiliates share tells them apart from neither: not used.
                    seen = self._core.get(core, number)
                    self._core[core] = number if seen == number else None

    def __len__(self) -> int:
        return len(self.affiliates)

    def match(self, cell: str) -> frozenset[int] | None:
        """The affiliates a cell names (by position), empty for an answer naming none (blank,
        "None", "N/A", ...), None when it names something the list does not hold."""
        key = words(cell)
        if not key or " ".join(key) in NONE_ANSWERS:
            return frozenset()
        found = self._one(key)
        if found is None and "(" in cell:  # "Wikimedia Indonesia (volunteer)"
            found = self._one(words(_BRACKETS.sub(" ", cell)))
        if found is not None:
            return frozenset((found,))
        parts = [words(_BRACKETS.sub(" ", part)) for part in _SPLIT.split(cell)]
        hits = {self._one(part) for part in parts if part}
        hits.discard(None)
        return frozenset(hit for hit in hits if hit is not None) or None

    def _one(self, key: tuple[str, ...]) -> int | None:
        found = self._exact.get(key)
        if found is None and (_MOVEMENT.intersection(key) or len(_core(key)) > 1):
            core = _core(key)
            found = self._core.get(core) if core else None
        return found


# --- the file --------------------------------------------------------------------------------


def clean_name(text: str) -> str:
    """A name as the file keeps it: control characters away, spaces (tabs too) collapsed."""
    return shown_value(text.replace("\t", " "), MAX_NAME)


def read_list(path: Path) -> AffiliateList:
    """A list file (lc's or a liaison's); InputUnreadable when it cannot be read."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise UsageError(
            f"{path}: no such affiliates list",
            hint="Run lc affiliates update to fetch the maintained list from Meta-Wiki, or set "
            '[report] affiliates = "FILE" to a list of your own (one name a line).',
        ) from None
    except OSError as error:
        raise InputUnreadable(f"cannot read {path}: {error.strerror or error}") from None
    except UnicodeDecodeError:
        raise InputUnreadable(f"{path} is not UTF-8 text; save it as UTF-8") from None
    return parse_list(text, str(path))


def parse_list(text: str, source: str) -> AffiliateList:
    affiliates: list[Affiliate] = []
    meta: dict[str, str] = {}
    for line in text.splitlines():
        if line.startswith("#"):
            key, colon, value = line[1:].partition(":")
            if colon and key.strip().lower() in ("source", "revision", "complete"):
                meta[key.strip().lower()] = clean_name(value)
            continue
        fields = [clean_name(f) for f in line.split("\t")]
        fields = [f for f in fields if f]
        if not fields:
            continue
        if not affiliates and fields[0].lower() == "name":
            continue  # a header row
        affiliates.append(Affiliate(fields[0], tuple(fields[1:])))
    if not affiliates:
        raise InputUnreadable(
            f"{source}: no affiliate in this list",
            hint="One affiliate a line: its name, then other names it goes by (tab-separated).",
        )
    complete = meta.get("complete", "").lower() == "yes"
    return AffiliateList(affiliates, source, complete, meta.get("revision"), meta.get("source"))


HEADER = """\
# Wikimedia movement affiliates: the chapters, thematic organizations and user groups recognised
# by the Affiliations Committee, as lc affiliates update read them from Meta-Wiki. One affiliate
# a line: its name, then other names it goes by, tab-separated. Add an alias at the end of a line
# (a tab, then the name): the next update keeps it. lc report matches affiliation answers to
# these names; it never prints them.
"""


def format_list(
    affiliates: Sequence[Affiliate], *, source: str, revision: str, keep: AffiliateList | None
) -> str:
    """The file's text: lc's header, then each affiliate with its code and the aliases the old
    list (`keep`) gave it."""
    kept: dict[tuple[str, ...], tuple[str, ...]] = {}
    if keep is not None:
        for old in keep.affiliates:
            kept[words(old.name)] = old.aliases
    lines = [HEADER.rstrip("\n"), f"# source: {source}", f"# revision: {revision}"]
    lines.append("# complete: yes")
    for affiliate in affiliates:
        names = dict.fromkeys(
            (affiliate.name, *affiliate.aliases, *kept.get(words(affiliate.name), ()))
        )
        lines.append("\t".join(names))
    return "\n".join(lines) + "\n"


# --- the maintained source: Meta-Wiki's Lua data module ----------------------------------------


def parse_module(text: str) -> list[Affiliate]:
    """The recognised affiliates of `Module:Organizational_Informations` (a Lua `return { {...},
    ... }`), sorted by name; InputUnreadable when the page is not such a table."""
    try:
        table = _Lua(text).document()
    except _LuaError as error:
        raise InputUnreadable(
            f"{MODULE_TITLE} is not the Lua data table lc expects: {error}",
            hint="The page's shape changed: keep your current list, and report this to lc's "
            "maintainers.",
        ) from None
    entries = table.get("list", []) if isinstance(table, dict) else []
    found: dict[str, Affiliate] = {}
    for entry in entries:
        if not isinstance(entry, dict):
            continue
        name = entry.get("group_name")
        kind = entry.get("org_type")
        status = entry.get("recognition_status", "recognised")
        if not isinstance(name, str) or kind not in AFFILIATE_TYPES:
            continue
        if not isinstance(status, str) or status.lower().startswith("derecogni"):
            continue
        name = clean_name(name)
        code = entry.get("affiliate_code")
        aliases: tuple[str, ...] = ()
        if isinstance(code, str) and re.fullmatch(r"[A-Za-z][A-Za-z0-9-]{1,15}", code.strip()):
            aliases = (code.strip(),)
        if name and words(name) and name not in found:
            found[name] = Affiliate(name, aliases, str(kind))
    if not found:
        raise InputUnreadable(
            f"{MODULE_TITLE} holds no recognised affiliate",
            hint="The page's shape changed: keep your current list, and report this to lc's "
            "maintainers.",
        )
    return sorted(found.values(), key=lambda a: fold_name(a.name))


class _LuaError(ValueError):
    pass


_LUA_TOKEN = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<comment>--(?:\[(?P<ceq>=*)\[[\s\S]*?\](?P=ceq)\]|[^\n]*))
  | (?P<long>\[(?P<eq>=*)\[[\s\S]*?\](?P=eq)\])
  | (?P<string>"(?:[^"\\\n]|\\[\s\S])*"|'(?:[^'\\\n]|\\[\s\S])*')
  | (?P<number>0[xX][0-9a-fA-F]+|\d+(?:\.\d*)?(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)
  | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<op>[{}\[\]=,;-])
    """,
    re.VERBOSE,
)
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "a": "\a", "b": "\b", "f": "\f", "v": "\v"}
_ESCAPE = re.compile(r"\\(?:(\d{1,3})|x([0-9a-fA-F]{2})|u\{([0-9a-fA-F]+)\}|z\s*|([\s\S]))")
_MAX_DEPTH = 20


def _unescape(body: str) -> str:
    def one(match: re.Match[str]) -> str:
        decimal, hexa, code, other = match.groups()
        if decimal:
            return chr(int(decimal) % 256)
        if hexa:
            return chr(int(hexa, 16))
        if code:
            value = int(code, 16)
            return chr(value) if value < 0x110000 else "\ufffd"
        if other is None:
            return ""  # \z skips the spaces after it
        return _ESCAPES.get(other, other)

    return _ESCAPE.sub(one, body)


class _Lua:
    """A Lua table constructor read as data, never run: strings, numbers, booleans, nil and
    nested tables (`{ key = value, ["key"] = value, value, ... }` -> {"list": [...], key: ...})."""

    def __init__(self, text: str) -> None:
        self.tokens: list[tuple[str, str]] = []
        position = 0
        while position < len(text):
            match = _LUA_TOKEN.match(text, position)
            if match is None:
                raise _LuaError(f"unexpected character at offset {position}")
            kind = match.lastgroup or ""
            if kind in ("ceq", "eq"):
                kind = "comment" if match.group("comment") else "long"
            if kind not in ("space", "comment"):
                self.tokens.append((kind, match.group(0)))
            position = match.end()
        self.at = 0

    def peek(self) -> tuple[str, str]:
        return self.tokens[self.at] if self.at < len(self.tokens) else ("end", "")

    def take(self, value: str | None = None) -> tuple[str, str]:
        token = self.peek()
        if value is not None and token[1] != value:
            raise _LuaError(f"expected {value!r}, found {token[1][:20]!r}")
        self.at += 1
        return token

    def document(self) -> object:
        if self.peek() == ("name", "return"):
            self.take()
        value = self.value(0)
        if self.peek()[0] != "end":
            raise _LuaError("more after the table")
        return value

    def value(self, depth: int) -> object:
        kind, text = self.peek()
        if text == "{":
            return self.table(depth + 1)
        self.take()
        if kind == "string":
            return _unescape(text[1:-1])
        if kind == "long":
            body = text[text.index("[", 1) + 1 : text.rindex("]", 0, -1)]
            return body[1:] if body.startswith("\n") else body
        if kind == "number":
            return float.fromhex(text) if text[:2] in ("0x", "0X") else float(text)
        if text == "-" and self.peek()[0] == "number":
            return -float(self.take()[1])
        if kind == "name" and text in ("true", "false", "nil"):
            return {"true": True, "false": False, "nil": None}[text]
        raise _LuaError(f"unexpected {text[:20]!r}")

    def table(self, depth: int) -> dict[str, object]:
        if depth > _MAX_DEPTH:
            raise _LuaError("tables nested too deep")
        self.take("{")
        result: dict[str, object] = {}
        items: list[object] = []
        while self.peek()[1] != "}":
            kind, text = self.peek()
            if kind == "name" and self.tokens[self.at + 1 : self.at + 2] == [("op", "=")]:
                self.take()
                self.take("=")
                result[text] = self.value(depth)
            elif text == "[":
                self.take()
                key = self.value(depth)
                self.take("]")
                self.take("=")
                result[str(key)] = self.value(depth)
            else:
                items.append(self.value(depth))
            if self.peek()[1] in (",", ";"):
                self.take()
            elif self.peek()[1] != "}":
                raise _LuaError(f"expected ',' or '}}', found {self.peek()[1][:20]!r}")
        self.take("}")
        if items:
            result["list"] = items
        return result


def fetch_module(
    api_url: str, *, contact: str, title: str = MODULE_TITLE, **client: object
) -> tuple[list[Affiliate], str, str]:
    """The recognised affiliates of the wiki's module, read anonymously (no login, no token):
    (affiliates, source, revision)."""
    from letsconnect_cli.wiki.client import MediaWiki, WikiError

    with MediaWiki(api_url, contact=contact, **client) as wiki:  # type: ignore[arg-type]
        page = wiki.read_page(title)
    if not page.exists:
        raise WikiError(
            f"{api_url}: the wiki has no page {title}",
            hint="lc reads the affiliates from Meta-Wiki ([wiki] api_url); is this the wiki?",
        )
    affiliates = parse_module(page.text)
    return affiliates, f"{api_url} {page.title}", f"{page.revid} ({page.timestamp})"


@dataclass(frozen=True)
class UpdatePlan:
    """What `lc affiliates update` writes, and how it differs from the list it replaces."""

    text: str
    count: int
    added: int
    removed: int
    source: str
    revision: str
    changed: bool


def update_plan(
    path: Path,
    api_url: str,
    *,
    contact: str | None,
    force: bool = False,
    timeout: float = 30.0,
    max_retries: int = 4,
) -> UpdatePlan:
    """The maintained list, read from the wiki, as the file at `path` would hold it. A file lc
    did not write (no `# complete: yes`) is replaced only with `force`; aliases added to the
    lines of a list lc wrote are kept."""
    from letsconnect_cli.clinic.values import check_url
    from letsconnect_cli.errors import FileExistsRefusal
    from letsconnect_cli.wiki.client import check_api_url

    try:
        api = check_url(api_url)
    except ValueError as error:
        raise UsageError(f"--api-url: {error}") from None
    check_api_url(api)
    if not contact:
        raise UsageError(
            "lc names a contact in its User-Agent when it reads a wiki, as Wikimedia's API "
            "policy asks",
            hint="Set [organiser] email in lc.toml, or LC_ORGANISER_EMAIL.",
        )
    old_text = None
    old: AffiliateList | None = None
    if path.exists():
        try:
            old_text = path.read_text(encoding="utf-8-sig")
            old = parse_list(old_text, str(path))
        except (OSError, UnicodeDecodeError, InputUnreadable):
            old = None
        if (old is None or not old.complete) and not force:
            raise FileExistsRefusal(
                f"{path} already exists and is not a list lc affiliates update wrote",
                hint="Give --force to replace it (its lines are kept as aliases where they "
                "name the same affiliate), or -o another file.",
            )
    affiliates, source, revision = fetch_module(
        api, contact=contact, timeout=timeout, max_retries=max_retries
    )
    text = format_list(affiliates, source=source, revision=revision, keep=old)
    new_keys = {words(a.name) for a in affiliates}
    old_keys = {words(a.name) for a in old.affiliates} if old is not None else set()
    return UpdatePlan(
        text,
        len(affiliates),
        len(new_keys - old_keys),
        len(old_keys - new_keys),
        source,
        revision,
        text != old_text,
    )


def default_path(clinics_dir: Path) -> Path:
    return clinics_dir / DEFAULT_FILE


def list_in_use(given: Path | None, clinics_dir: Path) -> AffiliateList | None:
    """The list a report matches against: the one given (which must exist), else the clinics
    folder's, else None (the report then says it has no list)."""
    if given is not None:
        return read_list(given)
    path = default_path(clinics_dir)
    return read_list(path) if path.is_file() else None
