"""A cache of `lc validate`'s per-file records, as ruff and mypy keep one: a file whose name and
bytes are unchanged is not parsed and checked again, as long as nothing else its record depends
on has changed.

What a record depends on besides the file (its *fingerprint*): lc's own installed files (size
and time of each), Python's version, pydantic and pydantic-core (their messages), Babel and
pycountry (the language codes lc accepts), the tz database zoneinfo reads (its tables and the
folders of the regions' zones, the tzdata package), and the time check's window (`[slots]`
hours and days, or none when `warn = false`). Nothing in a check depends on today's date. A
different fingerprint is a different cache file: nothing of an older one is used. Checks across
files (one calendar UID per clinic) are not cached: they run over every file each time.

The cache is a JSON file per fingerprint and folder of clinic files (`validate-<hash>.json`, the
32 most recently written kept) in the user's cache folder (`$XDG_CACHE_HOME/lc/` when
XDG_CACHE_HOME is set; else `~/.cache/lc/`, `~/Library/Caches/lc/` on macOS,
`%LOCALAPPDATA%\\lc\\Cache\\` on Windows), readable by its owner only, written atomically. A
cache that cannot be read or makes no sense is ignored (and replaced); one that cannot be
written is left alone. `lc validate --no-cache`, `cache = false` in lc.toml or `LC_CACHE=false`
turn it off.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
import zoneinfo
from collections.abc import Iterator, Mapping, Sequence
from importlib.util import find_spec
from pathlib import Path
from typing import TYPE_CHECKING

from letsconnect_cli.clinic.validation import FileCheck
from letsconnect_cli.places.languages import babel_locale_data

if TYPE_CHECKING:
    from letsconnect_cli.slots.window import Window

#: One file per fingerprint and folder of clinic files: a run reads only its folder's records,
#: and folders checked with different settings keep theirs.
FILE_PATTERN = "validate-{}.json"
#: Cache files kept at most (the most recently written).
MAX_FILES = 32
#: The format of the cache file; a file of another format is ignored.
FORMAT = 2  # 2: a file's record holds its status, status line and end
#: Records kept per cache file at most (the most recently used first); about 200 bytes each.
MAX_ENTRIES = 5_000


def cache_folder(environ: Mapping[str, str] | None = None) -> Path:
    """The user's cache folder for lc: `$XDG_CACHE_HOME/lc` when XDG_CACHE_HOME is set (on any
    system), else the system's place for caches."""
    environ = os.environ if environ is None else environ
    if environ.get("XDG_CACHE_HOME"):
        return Path(environ["XDG_CACHE_HOME"]) / "lc"
    if sys.platform == "win32" and environ.get("LOCALAPPDATA"):
        return Path(environ["LOCALAPPDATA"]) / "lc" / "Cache"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "lc"
    return Path.home() / ".cache" / "lc"


def _stat(path: str) -> str:
    try:
        status = os.stat(path)  # noqa: PTH116 - a few hundred of these: os is cheaper
    except OSError:
        return f"{path}:-"
    return f"{path}:{status.st_size}:{status.st_mtime_ns}"


def _tree(folder: str) -> Iterator[str]:
    """Every file of a folder tree (names, sizes and times), in a stable order."""
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError:
        return
    for entry in entries:
        if entry.name == "__pycache__":
            continue
        if entry.is_dir(follow_symlinks=False):
            yield from _tree(entry.path)
        else:
            yield _stat(entry.path)


def _package(name: str) -> str:
    """Where a package is installed, and its first file's size and time (a new version
    rewrites it); `name:none` when it is not installed."""
    spec = find_spec(name)
    if spec is None or spec.origin is None:
        return f"{name}:none"
    return _stat(spec.origin)


#: What a tz database update changes: its version and tables, and the folders of the zones of
#: the Foundation's regions (installing a zone's new file changes its folder's time).
_TZ_ENTRIES = (
    "",
    "zone.tab",
    "zone1970.tab",
    "tzdata.zi",
    "+VERSION",
    "Africa",
    "America",
    "America/Argentina",
    "Antarctica",
    "Asia",
    "Atlantic",
    "Australia",
    "Europe",
    "Indian",
    "Pacific",
)


def fingerprint(window: Window | None) -> str:
    """What every record depends on besides its file, as one hash (see the module's text)."""
    import letsconnect_cli

    parts = [f"format {FORMAT}", sys.version]
    parts += _tree(os.path.dirname(letsconnect_cli.__file__))  # noqa: PTH120
    parts += map(_package, ("pydantic", "pydantic_core", "babel", "pycountry", "tzdata"))
    locale_data = babel_locale_data()
    if locale_data is not None:  # the names of its files vouch for language tags
        parts.append(_stat(locale_data))
    parts.append(repr(zoneinfo.TZPATH))
    for folder in zoneinfo.TZPATH:  # a new tz release replaces files in these folders
        for name in _TZ_ENTRIES:
            parts.append(_stat(os.path.join(folder, name)))  # noqa: PTH118
    if window is None:
        parts.append("no time check")
    else:
        parts.append(f"window {window.opens} {window.closes} {sorted(window.days)}")
    return hashlib.blake2b("\n".join(parts).encode(), digest_size=16).hexdigest()


class ValidationCache:
    """The records of files already checked, by a key of the file's name and bytes."""

    def __init__(self, path: Path, fingerprint: str) -> None:
        self.path = path
        self.fingerprint = fingerprint
        self._entries: dict[str, list[object]] = self._load()
        self._used: dict[str, list[object]] = {}
        self._changed = False

    @staticmethod
    def key(path: Path, data: bytes) -> str:
        """The file's name without .toml (the clinic's id) and its bytes: all a check reads."""
        digest = hashlib.blake2b(digest_size=20)
        digest.update(path.stem.encode("utf-8", "surrogateescape"))
        digest.update(b"\0")
        digest.update(data)
        return digest.hexdigest()

    def _load(self) -> dict[str, list[object]]:
        try:
            document = json.loads(self.path.read_bytes())
        except (OSError, ValueError, RecursionError):  # missing, unreadable, not JSON: afresh
            return {}
        if (
            not isinstance(document, dict)
            or document.get("format") != FORMAT
            or document.get("fingerprint") != self.fingerprint
            or not isinstance(document.get("entries"), dict)
        ):
            return {}
        return document["entries"]  # type: ignore[no-any-return]

    def get(self, key: str) -> FileCheck | None:
        values = self._entries.get(key)
        if not isinstance(values, list):
            return None
        try:
            record = FileCheck.from_plain(values)
        except (TypeError, ValueError):  # an entry that makes no sense: check the file again
            return None
        self._used[key] = values
        return record

    def put(self, key: str, record: FileCheck) -> None:
        self._used[key] = list(record.to_plain())
        self._changed = True

    def save(self) -> None:
        """Write the cache if anything was added: the records used in this run first, then the
        others, up to MAX_ENTRIES; atomically; silently not when the folder is not writable."""
        if not self._changed:
            return
        entries = dict(self._used)
        for key, values in self._entries.items():
            if len(entries) >= MAX_ENTRIES:
                break
            entries.setdefault(key, values)
        document = {"format": FORMAT, "fingerprint": self.fingerprint, "entries": entries}
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            handle, temporary = tempfile.mkstemp(dir=self.path.parent, prefix=".validate-")
            try:
                # json.dumps at once: json.dump would encode and write piece by piece.
                text = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
                with os.fdopen(handle, "w", encoding="utf-8") as out:
                    out.write(text)
                Path(temporary).replace(self.path)
            except BaseException:
                Path(temporary).unlink(missing_ok=True)
                raise
            _prune(self.path.parent, self.path)
        except OSError:
            return
        self._entries, self._changed = entries, False


def open_cache(
    window: Window | None, paths: Sequence[Path], environ: Mapping[str, str] | None = None
) -> ValidationCache:
    """The cache for checking `paths` against `window`: a file of the user's cache folder, for
    this fingerprint and these files' folders."""
    mark = fingerprint(window)
    parents = {os.path.dirname(path) for path in paths}  # noqa: PTH120
    folders = sorted({os.path.abspath(parent) for parent in parents})  # noqa: PTH100
    scope = hashlib.blake2b("\0".join([mark, *folders]).encode(), digest_size=16).hexdigest()
    return ValidationCache(cache_folder(environ) / FILE_PATTERN.format(scope), mark)


def _prune(folder: Path, keep: Path) -> None:
    """Remove the oldest cache files beyond MAX_FILES (another lc version's, other settings')."""
    try:
        found = [(p.stat().st_mtime, p) for p in folder.glob(FILE_PATTERN.format("*"))]
    except OSError:
        return
    found.sort(reverse=True)
    for _, path in [item for item in found if item[1] != keep][MAX_FILES - 1 :]:
        path.unlink(missing_ok=True)
