"""Clinic files: finding, reading and checking them, and writing new ones atomically.

A clinic file is `clinics/<YYYY-MM-DD>-<slug>.toml` (or `proposed-<slug>.toml`); its id is the
file stem. Reading never raises for what is inside a file: every problem becomes a `Problem`
with the field and line, so `lc validate` can report all of them at once.
"""

from __future__ import annotations

import difflib
import errno
import os
import re
import stat
import tomllib
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, get_args, get_origin

from letsconnect_cli import tomltext
from letsconnect_cli.errors import InputUnreadable, Problem, ValidationFailed
from letsconnect_cli.files import write_text_atomic

if TYPE_CHECKING:
    from pydantic import BaseModel, ValidationError

    from letsconnect_cli.clinic.models import Clinic

SUFFIX = ".toml"
#: Clinic files are a few kilobytes; anything this large is not one.
MAX_FILE_BYTES = 1024 * 1024


@dataclass
class ClinicFile:
    """The outcome of reading one clinic file: the clinic if valid, else the problems."""

    path: Path
    clinic: Clinic | None = None
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    text: str | None = field(default=None, repr=False, compare=False)  # as decoded, if it was
    unreadable: bool = False  # it could not be read at all (errors says why)

    @property
    def id(self) -> str:
        return self.path.stem

    @property
    def ok(self) -> bool:
        return self.clinic is not None and not self.errors


def clinic_paths(directory: Path) -> list[Path]:
    """The clinic files in a folder, by name (hidden files and `_*.toml` are not clinics)."""
    if not directory.is_dir():
        raise InputUnreadable(
            f"clinics folder {directory} does not exist",
            hint="Run lc from the folder that holds clinics/, or give --clinics-dir.",
        )
    # os.scandir: Path objects for every entry (and sorting them) cost more than the listing.
    # Every entry named like a clinic file is one, whatever it is: a folder, a FIFO or a broken
    # link named *.toml is reported when read, never skipped in silence.
    try:
        with os.scandir(directory) as entries:
            names = sorted(
                entry.name
                for entry in entries
                if entry.name.endswith(SUFFIX) and not entry.name.startswith((".", "_"))
            )
    except OSError as error:
        raise InputUnreadable(
            f"cannot read the clinics folder {directory}: {error.strerror or error}",
            hint="Check its permissions (lc needs to list and read it), or give --clinics-dir.",
        ) from None
    return [directory / name for name in names]


def _decode(path: Path, data: bytes) -> tuple[str | None, list[Problem]]:
    if not data.strip():
        return None, [
            Problem(
                None, None, "the file is empty; start from `lc new-clinic`, which writes a template"
            )
        ]
    if b"\x00" in data:
        return None, [Problem(None, None, "this is a binary file, not a TOML text file")]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        byte = data[error.start]
        return None, [
            Problem(
                None,
                line,
                f"not UTF-8 text (byte 0x{byte:02x} at line {line}); save the file as UTF-8",
            )
        ]
    return text.removeprefix("\ufeff"), []


_TOML_POSITION = re.compile(r"\(at line (\d+), column (\d+)\)")
_LONG_NUMBER = re.compile(r"[0-9_]{4300,}")


def _parse(text: str) -> tuple[dict[str, Any] | None, list[Problem]]:
    try:
        return tomllib.loads(text), []
    except RecursionError:
        return None, [
            Problem(
                None,
                None,
                "arrays or tables nested hundreds deep; a clinic file needs at most two levels",
            )
        ]
    except ValueError as error:
        if isinstance(error, tomllib.TOMLDecodeError):
            return None, _syntax_error(error)
        # Python refuses to convert numbers of more than 4,300 digits (int_max_str_digits).
        match = _LONG_NUMBER.search(text)
        line = text.count("\n", 0, match.start()) + 1 if match else None
        where = f" at line {line}" if line else ""
        return None, [
            Problem(None, line, f"a number of more than 4,300 digits{where}; no value needs one")
        ]


def _syntax_error(error: tomllib.TOMLDecodeError) -> list[Problem]:
    message = str(error)
    match = _TOML_POSITION.search(message)
    line = int(match[1]) if match else None
    detail = _TOML_POSITION.sub("", message).strip().rstrip(".")
    where = f"line {match[1]}, column {match[2]}" if match else "somewhere"
    hint = " (text values need quotes; dates look like 2023-04-02T06:00:00Z)"
    return [Problem(None, line, f"TOML syntax error at {where}: {detail}{hint}")]


def read_clinic_file(path: Path) -> ClinicFile:
    """Read and check one clinic file. Problems inside the file are collected, never raised;
    a file that cannot be read at all is a ClinicFile with that one problem (`unreadable`)."""
    try:
        data = read_clinic_bytes(path)
    except InputUnreadable as error:
        problem = Problem(None, None, unreadable_problem(path, error))
        return ClinicFile(path, errors=[problem], unreadable=True)
    return clinic_file_from_bytes(path, data)


def unreadable_problem(path: Path, error: InputUnreadable) -> str:
    """The message of a file that cannot be read, for a line that already names it."""
    return "cannot be read: " + error.message.removeprefix(f"cannot read {path}: ")


def _not_a_file(path: Path) -> str | None:
    """Why `path` is no file to read (a folder, a FIFO, a broken link ...), or None."""
    try:
        status = path.stat()
    except FileNotFoundError:
        if path.is_symlink():
            return "a symbolic link to something that does not exist"
        return "it does not exist"
    except OSError as error:
        if error.errno == errno.ELOOP:
            return "a symbolic link loop (it points, through links, to itself)"
        return None  # the read says why
    if stat.S_ISDIR(status.st_mode):
        return "a folder, not a clinic file: rename it (a clinic file is a TOML text file)"
    if not stat.S_ISREG(status.st_mode):
        return "not a regular file (a FIFO, socket or device); a clinic file is a TOML text file"
    return None


def read_clinic_bytes(path: Path) -> bytes:
    """The file's bytes (up to one more than MAX_FILE_BYTES); InputUnreadable if it cannot be read.

    Never blocks: a FIFO, a device or a folder is refused before it is opened, and the file is
    opened non-blocking and checked again once open (it may have been swapped in between)."""
    why = _not_a_file(path)
    if why is not None:
        raise InputUnreadable(f"cannot read {path}: {why}")
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        # Unbuffered, as much as the file holds, in one read: asking for MAX_FILE_BYTES at once
        # would have Python set aside a mebibyte for every file.
        with open(descriptor, "rb", buffering=0) as handle:  # noqa: PTH123
            if not stat.S_ISREG(os.fstat(descriptor).st_mode):
                raise InputUnreadable(f"cannot read {path}: not a regular file")
            size = os.fstat(handle.fileno()).st_size
            data = handle.read(min(size, MAX_FILE_BYTES) + 1) or b""
            # Grown since, cut short, or not a regular file: read on, up to the limit.
            while size != len(data) <= MAX_FILE_BYTES:
                more = handle.read(MAX_FILE_BYTES + 1 - len(data))
                if not more:
                    break
                data += more
            return data
    except OSError as error:
        raise InputUnreadable(f"cannot read {path}: {error.strerror or error}") from error


def clinic_file_from_bytes(path: Path, data: bytes) -> ClinicFile:
    """Check a clinic file's bytes, read from `path` (which gives the id)."""
    result = ClinicFile(path)
    if len(data) > MAX_FILE_BYTES:
        result.errors.append(
            Problem(None, None, "the file is over 1 MiB; a clinic file is a few kilobytes of TOML")
        )
        return result
    text, result.errors = _decode(path, data)
    if text is None:
        return result
    result.text = text
    raw, result.errors = _parse(text)
    if raw is None:
        return result
    clinic, problems = clinic_from_mapping(path.stem, raw)
    if problems:  # locate the keys only when there is something to point at
        clinic, problems = clinic_from_mapping(path.stem, raw, tomltext.key_lines(text))
    result.errors.extend(problems)
    if clinic is not None and not problems:
        result.clinic = clinic
        result.warnings.extend(_name_warnings(path, clinic))
        result.warnings.extend(_translation_warnings(clinic, text))
    return result


def _translation_warnings(clinic: Clinic, text: str) -> list[Problem]:
    """A confirmed clinic interpreted into a language its title has no translation in."""
    from letsconnect_cli.clinic.translations import untranslated_titles
    from letsconnect_cli.vocab import Status

    if clinic.status is not Status.CONFIRMED or not clinic.interpretation:
        return []
    missing = untranslated_titles(clinic)
    if not missing:
        return []
    line = tomltext.key_lines(text).get(("interpretation",))
    tables = ", ".join(f"[translations.{tag}]" for tag in missing)
    return [
        Problem(
            "translations",
            line,
            f"the clinic is interpreted into {', '.join(missing)} but has no title in "
            f"{'it' if len(missing) == 1 else 'them'}: announcements and invitations in "
            f"{'that language' if len(missing) == 1 else 'those languages'} show the English "
            f'title; add title = "..." under {tables}',
        )
    ]


def clinic_from_mapping(
    clinic_id: str, raw: dict[str, Any], lines: dict[tomltext.Path_, int] | None = None
) -> tuple[Clinic | None, list[Problem]]:
    """Validate a parsed clinic; return it, or the problems with field names and lines."""
    from pydantic import ValidationError

    from letsconnect_cli.clinic.models import Clinic

    lines = lines or {}
    if "id" in raw:
        return None, [
            Problem(
                "id",
                tomltext.line_of(lines, ("id",)),
                "remove `id`: a clinic's id is its file name without .toml",
            )
        ]
    try:
        return Clinic.model_validate({**raw, "id": clinic_id}), []
    except ValidationError as error:
        return None, problems_from(error, lines)


def problems_from(
    error: ValidationError, lines: dict[tomltext.Path_, int], model: type[BaseModel] | None = None
) -> list[Problem]:
    """Turn pydantic's errors into problems that say what to write instead."""
    from letsconnect_cli.clinic.models import Clinic

    root = model or Clinic
    problems = []
    for item in error.errors(include_url=False):
        raw = tuple(item["loc"])
        kind = item["type"]
        # Errors inside list items of a union carry the type name; keep the path readable. An
        # unknown key is the last part, and kept whatever it holds ("speakers[0]").
        keep = raw[-1:] if kind == "extra_forbidden" else ()
        body = raw[: len(raw) - len(keep)]
        loc = tuple(p for p in body if not (isinstance(p, str) and "[" in p)) + keep
        if not loc:
            loc = raw[-1:] or ("file",)
        path = _dotted(loc)
        if loc == ("id",):
            path = "file name"
        value = item.get("input")
        if kind == "extra_forbidden":
            owner = model_at(root, loc[:-1])
            known = [name for name in owner.model_fields if name != "id"] if owner else []
            close = difflib.get_close_matches(str(loc[-1]), known, n=1, cutoff=0.6)
            hint = f"did you mean {close[0]!r}? " if close else ""
            message = f"unknown key {loc[-1]!r}; {hint}known keys here: {', '.join(known)}"
        elif kind == "missing":
            message = f"required; add `{loc[-1]} = ...`"
        elif kind == "enum":
            expected = item.get("ctx", {}).get("expected", "")
            choices = re.findall(r"'([^']+)'", expected)
            close = difflib.get_close_matches(str(value).lower(), choices, n=1, cutoff=0.5)
            hint = f"did you mean {close[0]!r}? " if close else ""
            message = f"{value!r} is not allowed; {hint}use one of: {', '.join(choices)}"
        elif kind == "value_error":
            message = str(item["msg"]).removeprefix("Value error, ")
        elif kind in _EXPECTED:
            message = f"{_shown(value)} is the wrong kind of value: {_EXPECTED[kind]}"
        else:
            message = str(item["msg"])
        problems.append(Problem(path, tomltext.line_of(lines, loc), message))
    return problems


def model_at(model: type[BaseModel], loc: tuple[Any, ...]) -> type[BaseModel] | None:
    """The nested model a location points into: ("sharers", 0) -> Sharer."""
    from pydantic import BaseModel

    current: Any = model
    skip_key = False  # after a dict[str, Model] field, the next part is a key of that dict
    for part in loc:
        if isinstance(part, int) or skip_key:
            skip_key = False
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None
        info = current.model_fields.get(str(part))
        if info is None:
            return None
        current = info.annotation
        # Unwrap list[X], dict[str, X] and X | None down to a model.
        while not (isinstance(current, type) and issubclass(current, BaseModel)):
            skip_key = skip_key or get_origin(current) is dict
            args = [a for a in get_args(current) if a is not type(None)]
            if not args:
                break
            current = args[-1]
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


_EXPECTED = {
    "string_type": "expected text in quotes",
    "list_type": 'expected a list, e.g. ["ja", "zh"]',
    "int_type": "expected a whole number",
    "int_parsing": "expected a whole number",
    "model_type": "expected a table",
    "dict_type": "expected a table",
    "datetime_type": "expected a date-time such as 2023-04-02T06:00:00Z",
    "datetime_parsing": "expected a date-time such as 2023-04-02T06:00:00Z",
    "datetime_from_date_parsing": "expected a date-time such as 2023-04-02T06:00:00Z",
}


def _shown(value: Any) -> str:
    text = ("true" if value else "false") if isinstance(value, bool) else repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _dotted(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _name_warnings(path: Path, clinic: Clinic) -> list[Problem]:
    """The file name should say the clinic's UTC date; the id is kept, so this only warns."""
    stem = path.stem
    if clinic.start is None:
        return []
    day = clinic.start.date().isoformat()
    if stem.startswith("proposed-"):
        return [
            Problem(
                "file name",
                None,
                f"the clinic now has a date; rename the file to {day}-{stem.removeprefix('proposed-')}"
                ".toml (git mv) before invites go out, as the id is the file name",
            )
        ]
    if not stem.startswith(day):
        return [
            Problem(
                "file name",
                None,
                f"the file name says {stem[:10]} but the clinic starts {day} (UTC); "
                "rename it (git mv) before invites go out",
            )
        ]
    return []


def read_clinics(directory: Path) -> list[ClinicFile]:
    """Read every clinic file of a folder, with checks that span files (duplicate UIDs)."""
    files = [read_clinic_file(path) for path in clinic_paths(directory)]
    check_unique_uids(files)
    return files


def check_unique_uids(files: list[ClinicFile]) -> None:
    """One calendar UID per clinic: an error on each file whose UID another file has."""
    clinics = [
        (f.id, f.clinic.calendar.uid if f.clinic is not None else None, f.clinic is not None)
        for f in files
    ]
    for index, problem in duplicate_uids(clinics):
        files[index].errors.append(problem)


def duplicate_uids(
    clinics: Iterable[tuple[str, str | None, bool]],
) -> Iterator[tuple[int, Problem]]:
    """For clinics given as (id, the UID set in the file or None, whether the file is valid):
    the index and the problem of each whose UID another clinic already has, as `lc invite`
    would find it: the UIDs set in files and those derived from the ids of valid files that
    set none, compared regardless of case (calendars differ on whether case matters). A
    derived UID keeps it (the other file's uid line is the one to delete); else the first."""
    from letsconnect_cli.clinic.models import derived_uid

    items = list(clinics)
    owners: dict[str, tuple[str, str, bool]] = {}  # folded UID: (clinic id, UID, derived)
    # Derived UIDs first, in order; then the UIDs set in files, in order.
    order = sorted(range(len(items)), key=lambda i: (items[i][1] is not None, i))
    for index in order:
        clinic_id, written, valid = items[index]
        uid = written if written is not None else (derived_uid(clinic_id) if valid else None)
        if uid is None:
            continue
        key = uid.casefold()
        if key not in owners:
            owners[key] = (clinic_id, uid, written is None)
            continue
        owner, owned, derived = owners[key]
        if derived:
            what = f"{uid} is the UID lc derives for {owner}, which sets none"
        elif owned == uid:
            what = f"{uid} is also the UID of {owner}"
        else:
            what = (
                f"{uid} differs only in case from {owned}, the UID of {owner} (calendars may "
                "take them for one event)"
            )
        yield (
            index,
            Problem(
                "calendar.uid",
                None,
                f"{what}; every clinic needs its own: delete this uid line from the copied file "
                "(lc then derives one from the id)",
            ),
        )


def load_clinics(directory: Path) -> list[Clinic]:
    """Every clinic of a folder, sorted by start (proposed last); ValidationFailed if any is broken."""
    return valid_clinics(read_clinics(directory))


def valid_clinics(files: list[ClinicFile]) -> list[Clinic]:
    """The clinics of files already read, sorted by start; ValidationFailed if any is broken."""
    clinics, problem = usable_clinics(files)
    if problem is not None:
        raise problem
    return clinics


def usable_clinics(files: list[ClinicFile]) -> tuple[list[Clinic], ValidationFailed | None]:
    """The clinics of the valid files, sorted by start, and the error naming the broken files
    (None when there is none): one broken file does not keep the others from being used."""
    broken = [f for f in files if not f.ok]
    problem = None
    if broken:
        first = broken[0]
        names = ", ".join(f.path.name for f in broken[:5]) + (", ..." if len(broken) > 5 else "")
        problem = ValidationFailed(
            f"{len(broken)} clinic file(s) have problems ({names}); run `lc validate` for all "
            "of them",
            first.errors,
            source=str(first.path),
        )
    clinics = [f.clinic for f in files if f.ok and f.clinic is not None]
    return sorted(clinics, key=lambda c: c.sort_key()), problem


def find_clinic(directory: Path, clinic_id: str) -> Clinic:
    """One clinic by id (its file stem), a unique prefix of one, or a unique word (or words) of
    one's slug; a UsageError naming the matches when several match, or close ids when none."""
    wanted = resolve_clinic_id(directory, clinic_id)
    path = directory / f"{wanted}{SUFFIX}"
    result = read_clinic_file(path)
    if result.clinic is None or result.errors:
        raise ValidationFailed(f"{path} has problems", result.errors, source=str(path))
    return result.clinic


def resolve_clinic_id(directory: Path, clinic_id: str) -> str:
    """The id of the one clinic of `directory` that `clinic_id` names: the id itself, a unique
    prefix (`2027-03-13`), or a unique word or run of words of the id (`lexemes`,
    `wikimedia-commons`). A UsageError lists the matches when several match."""
    from letsconnect_cli.errors import UsageError

    wanted = clinic_id.removesuffix(SUFFIX)
    if (directory / f"{wanted}{SUFFIX}").is_file():
        return wanted
    ids = [p.stem for p in clinic_paths(directory)]
    matches = matching_ids(ids, wanted)
    if len(matches) == 1:
        return matches[0]
    if matches:
        shown = matches[:10]
        more = f" and {len(matches) - len(shown)} more" if len(matches) > len(shown) else ""
        raise UsageError(
            f"{clinic_id!r} matches {len(matches)} clinics: " + ", ".join(shown) + more,
            hint="Give more of the id, or a word only one of them has.",
        )
    close = difflib.get_close_matches(wanted, ids, n=3, cutoff=0.4)
    hint = ("Did you mean " + " or ".join(close) + "? ") if close else ""
    raise UsageError(
        f"no clinic {clinic_id!r} in {directory}", hint=hint + "`lc list` shows the ids."
    )


def matching_ids(ids: list[str], wanted: str) -> list[str]:
    """The ids that `wanted` names, in the first way that names any: the ids it starts; those
    holding its words in a row (`lexemes`, `wikimedia-commons`); those with words in a row
    that start with its words (`lexeme`, `wiki-comm`)."""
    wanted = wanted.strip().lower()
    if not wanted:
        return []
    prefixed = [i for i in ids if i.startswith(wanted)]
    if prefixed:
        return prefixed
    words = [w for w in wanted.split("-") if w]
    if not words:
        return []

    def holds(clinic_id: str, same: Callable[[str, str], bool]) -> bool:
        parts = clinic_id.split("-")
        return any(
            all(same(part, word) for part, word in zip(parts[start:], words, strict=False))
            for start in range(len(parts) - len(words) + 1)
        )

    exact = [i for i in ids if holds(i, str.__eq__)]
    return exact or [i for i in ids if holds(i, str.startswith)]


#: Words a slug never ends on: cut after them, an id reads as unfinished ("...-lexemes-and").
SLUG_DANGLING = frozenset(
    {"a", "an", "and", "at", "by", "for", "from", "in", "into", "of", "on", "or", "per", "the"}
    | {"to", "via", "vs", "with", "without", "about"}
)


def slugify(title: str, max_length: int = 48) -> str:
    """A file-name slug from a title: ASCII letters and digits joined by '-', cut at a word
    boundary within `max_length` characters, and never ending on a word such as and, with,
    the or of (SLUG_DANGLING)."""
    ascii_text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    words: list[str] = re.findall(r"[a-z0-9]+", ascii_text.lower())
    kept: list[str] = []
    for word in words:
        if len("-".join([*kept, word])) > max_length:
            break
        kept.append(word)
    if not kept and words:
        return words[0][:max_length]  # one word longer than a slug: its start
    while len(kept) > 1 and kept[-1] in SLUG_DANGLING:
        kept.pop()
    return "-".join(kept) or "clinic"


def clinic_id_for(title: str, start: datetime | None) -> str:
    prefix = start.astimezone(UTC).date().isoformat() if start else "proposed"
    return f"{prefix}-{slugify(title)}"


def render_clinic(clinic: Clinic) -> str:
    """The clinic as TOML text, from the commented template, so it reads back equal."""
    from jinja2 import Environment, PackageLoader, StrictUndefined

    from letsconnect_cli.clinic.durations import duration_literal
    from letsconnect_cli.vocab import CATEGORY_LABELS

    environment = Environment(
        loader=PackageLoader("letsconnect_cli", "templates"),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
    )
    environment.filters["toml"] = tomltext.value
    environment.filters["toml_text"] = tomltext.multiline_string
    environment.filters["toml_key"] = lambda key: (
        key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else tomltext.value(key)
    )
    template = environment.get_template("clinic.toml.j2")
    text = template.render(
        clinic=clinic,
        duration=duration_literal(clinic.length),
        categories=CATEGORY_LABELS,
    )
    return text.rstrip("\n") + "\n"


def write_clinic(directory: Path, clinic: Clinic, *, force: bool = False) -> Path:
    """Write a clinic to `<directory>/<id>.toml` atomically; the text is checked to read back equal."""
    text = render_clinic(clinic)
    raw = tomllib.loads(text)
    again, problems = clinic_from_mapping(clinic.id, raw)
    if again is None or again != clinic:  # a bug in lc, never the user's doing
        raise AssertionError(f"the written clinic does not read back equal: {problems}")
    path = directory / f"{clinic.id}{SUFFIX}"
    write_text_atomic(path, text, force=force)
    return path
