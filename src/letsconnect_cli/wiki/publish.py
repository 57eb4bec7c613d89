"""Publishing to a wiki without ever overwriting someone else's edit.

lc records, per wiki and page, the revision it published last and a hash of the text it owns there
(`clinics/.lc-published.toml`, committed with the clinics). Before an edit it reads the page: when
the text lc owns changed since (someone edited it), it refuses unless forced. lc owns either the
whole page, or only the part between `<!-- lc:begin -->` and `<!-- lc:end -->` when the page has
those markers, leaving the human-written rest intact. The edit itself carries baserevid,
basetimestamp and starttimestamp, so MediaWiki's own conflict detection covers the race between
the read and the save.
"""

from __future__ import annotations

import contextlib
import difflib
import hashlib
import tomllib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Literal

from letsconnect_cli import tomltext
from letsconnect_cli.errors import ConfigError, InputUnreadable, RemoteError
from letsconnect_cli.wiki.client import Page

MARK_BEGIN = "<!-- lc:begin -->"
MARK_END = "<!-- lc:end -->"
STATE_FILE = ".lc-published.toml"
_TITLE_FORBIDDEN = set("#<>[]|{}")

Mode = Literal["page", "section"]
Action = Literal["create", "update", "nochange"]


# --- page titles --------------------------------------------------------------------------------


def page_title(
    pattern: str, *, clinic_id: str, start: datetime | None, lang: str, main_lang: str
) -> str:
    """The page of a clinic from `[wiki] page_title`; other languages go to /<lang> subpages
    (Meta-Wiki's convention) unless the pattern places {lang} itself."""
    values = {
        "id": clinic_id,
        "date": start.date().isoformat() if start else "",
        "year": str(start.year) if start else "",
        "lang": lang,
    }
    try:
        title = pattern.format(**values)
    except (KeyError, IndexError, ValueError) as error:
        raise ConfigError(
            f"[wiki] page_title {pattern!r} has an unknown placeholder {error}",
            hint="Use {id}, {date}, {year} and {lang}.",
        ) from None
    if lang != main_lang and "{lang}" not in pattern:
        title = f"{title}/{lang}"
    return check_title(title)


def check_title(title: str) -> str:
    text = " ".join(title.replace("_", " ").split())
    bad = sorted(_TITLE_FORBIDDEN.intersection(text))
    if not text or bad or len(text.encode()) > 255:
        why = f"it contains {' '.join(bad)}" if bad else "it is empty or longer than 255 bytes"
        raise ConfigError(f"{title!r} cannot be a wiki page title: {why}")
    return text


# --- the part of a page lc owns -----------------------------------------------------------------


@dataclass(frozen=True)
class Split:
    before: str
    owned: str
    after: str


def split_marked(text: str, title: str) -> Split | None:
    """The text around and between the markers, or None when the page has none."""
    begins, ends = text.count(MARK_BEGIN), text.count(MARK_END)
    if begins == 0 and ends == 0:
        return None
    start, end = text.find(MARK_BEGIN), text.find(MARK_END)
    if begins != 1 or ends != 1 or end < start:
        raise RemoteError(
            f"{title}: the markers {MARK_BEGIN} and {MARK_END} must appear once each, in that "
            "order "
            f"(found {begins} and {ends})",
            hint="Fix the markers on the wiki; lc writes only between them.",
        )
    inner = text[start + len(MARK_BEGIN) : end]
    return Split(text[:start], inner.strip("\n"), text[end + len(MARK_END) :])


def _normal(text: str) -> str:
    """The text as MediaWiki stores it: \\n line ends, no trailing whitespace."""
    return text.replace("\r\n", "\n").rstrip()


def fingerprint(text: str) -> str:
    return hashlib.sha1(_normal(text).encode()).hexdigest()


def owned_part(text: str, title: str) -> tuple[Mode, str]:
    split = split_marked(text, title)
    return ("page", text) if split is None else ("section", split.owned)


# --- what lc published ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Published:
    """What lc published last to one page of one wiki: one entry of the file of records."""

    wiki: str
    title: str
    what: str  # the clinic id, or "index"
    lang: str
    revid: int | None
    timestamp: str | None
    sha1: str
    mode: Mode


class PublishState:
    """The file of records (`clinics/.lc-published.toml`), read once and written atomically."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.records: dict[tuple[str, str], Published] = {}
        if path.is_file():
            self._load()

    def _load(self) -> None:
        try:
            data = tomllib.loads(self.path.read_text(encoding="utf-8"))
            for item in data.get("page", []):
                record = Published(
                    wiki=str(item["wiki"]),
                    title=str(item["title"]),
                    what=str(item.get("what", "")),
                    lang=str(item.get("lang", "")),
                    revid=int(item["revid"]) if "revid" in item else None,
                    timestamp=item.get("timestamp"),
                    sha1=str(item["sha1"]),
                    mode="section" if item.get("mode") == "section" else "page",
                )
                self.records[(record.wiki, record.title)] = record
        except (
            OSError,
            UnicodeDecodeError,
            tomllib.TOMLDecodeError,
            KeyError,
            TypeError,
            ValueError,
        ) as error:
            raise InputUnreadable(
                f"{self.path} is not a publish record lc can read: {error}",
                hint="Restore it from git (git checkout -- the file); lc writes it, not people.",
            ) from None

    def get(self, wiki: str, title: str) -> Published | None:
        return self.records.get((wiki, title))

    def put(self, record: Published) -> None:
        """Record a page, keeping what other runs recorded meanwhile: the file is read again and
        written back while lc holds its folder (one writer at a time, as for the ledger)."""
        from letsconnect_cli.invites.ledger import LOCK_WAIT
        from letsconnect_cli.locking import exclusive

        folder = self.path.parent
        with (
            exclusive(
                folder,
                busy=f"another lc run is writing in {folder}; waited {LOCK_WAIT:g} s for it",
                hint="Run lc publish again once the other run has finished; the page was published "
                "(lc will see its own text and record it).",
                wait=LOCK_WAIT,
            )
            if folder.is_dir()
            else contextlib.nullcontext()
        ):
            fresh = PublishState(self.path)
            fresh.records[(record.wiki, record.title)] = record
            self.records = fresh.records
            self._write()

    def _write(self) -> None:
        from letsconnect_cli.files import write_text_atomic

        lines = [
            "# Written by `lc publish`: the revision lc published last of each wiki page, and a",
            "# hash of the text it owns there, so that it never overwrites someone else's edit.",
            "# Commit this file with the clinics; do not edit it by hand.",
        ]
        for key in sorted(self.records):
            item = self.records[key]
            lines += ["", "[[page]]"]
            for name in ("wiki", "title", "what", "lang"):
                lines.append(f"{name} = {tomltext.string(getattr(item, name))}")
            if item.revid is not None:
                lines.append(f"revid = {item.revid}")
            if item.timestamp:
                lines.append(f"timestamp = {tomltext.string(item.timestamp)}")
            lines += [
                f"sha1 = {tomltext.string(item.sha1)}",
                f"mode = {tomltext.string(item.mode)}",
            ]
        write_text_atomic(self.path, "\n".join(lines) + "\n", force=True)


# --- deciding what to do --------------------------------------------------------------------------


@dataclass(frozen=True)
class PageEdit:
    """What `lc publish` would do to one page, and why it would refuse without --force."""

    page: Page
    action: Action
    mode: Mode
    new_text: str
    refusal: str | None  # why lc will not publish without --force
    hint: str | None = None

    def diff(self) -> str:
        old = _normal(self.page.text).splitlines(keepends=True) if self.page.exists else []
        new = _normal(self.new_text).splitlines(keepends=True)
        label = (
            f"{self.page.title} (revision {self.page.revid})"
            if self.page.exists
            else f"{self.page.title} (new page)"
        )
        lines = difflib.unified_diff(old, new, fromfile=label, tofile=f"{self.page.title} (lc)")
        return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


def wrap(owned: str) -> str:
    return f"{MARK_BEGIN}\n{_normal(owned)}\n{MARK_END}"


def plan(
    page: Page,
    owned_new: str,
    record: Published | None,
    *,
    section: bool = False,
    force: bool = False,
    diff_url: str | None = None,
) -> PageEdit:
    """What publishing `owned_new` to `page` would do, and whether lc must refuse."""
    refusal = hint = None
    if not page.exists:
        mode: Mode = "section" if section else "page"
        new_text = wrap(owned_new) if section else _normal(owned_new)
        if record is not None:
            refusal = f"{page.title} was deleted since lc published revision {record.revid}"
            hint = "Give --force to create it again, if the deletion was a mistake."
        return PageEdit(page, "create", mode, new_text, None if force else refusal, hint)

    split = split_marked(page.text, page.title)
    if split is not None:
        mode = "section"
        new_text = split.before + wrap(owned_new) + split.after
        current_owned = split.owned
    else:
        mode = "page"
        new_text = _normal(owned_new)
        current_owned = page.text
    action: Action = "nochange" if _normal(new_text) == _normal(page.text) else "update"
    where = "lc's section of " if mode == "section" else ""
    if record is None:
        if mode == "page" and action == "update":
            refusal = f"{page.title} exists and lc has no record of publishing it"
            hint = (
                f"Give --force to replace the whole page, or put {MARK_BEGIN} and {MARK_END} on it "
                "where lc's text belongs. (Published from another clone? Pull its "
                f"clinics/{STATE_FILE}.)"
            )
    elif fingerprint(current_owned) != record.sha1 and action == "update":
        refusal = (
            f"someone else edited {where}{page.title} since lc published revision {record.revid} "
            f"(now revision {page.revid})"
        )
        hint = (f"See the change: {diff_url}. " if diff_url else "") + (
            "Bring it into the clinic file (or the template), or give --force to overwrite it."
        )
    return PageEdit(page, action, mode, new_text, None if force else refusal, hint)


def record_for(wiki: str, page: Page, *, what: str, lang: str) -> Published:
    """The record of a page as lc just saved it (read back: what MediaWiki stored)."""
    mode, owned = owned_part(page.text, page.title)
    return Published(
        wiki, page.title, what, lang, page.revid, page.timestamp, fingerprint(owned), mode
    )


def diff_link(api_url: str, old: int | None, new: int | None) -> str | None:
    """The wiki's own diff page between two revisions."""
    if old is None or new is None:
        return None
    index = api_url.rsplit("/", 1)[0] + "/index.php"
    return f"{index}?diff={new}&oldid={old}"
