"""From the SOURCE arguments to a stream of cleaned, attributed records: the ingest pipeline.

Sources are files, folders (every .csv and .json inside, at any depth) and http(s) URLs; `ID=SOURCE`
gives the clinic of a source's rows that name none. Each source is decoded, recognised by its first
rows, read by its reader, and every record is cleaned and attributed to a clinic. Records stream
through: nothing holds more than one row of a source at a time.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path
from typing import IO

from letsconnect_cli.clinic.models import Clinic
from letsconnect_cli.errors import InputUnreadable, UsageError
from letsconnect_cli.ingest.attribution import ClinicMatcher
from letsconnect_cli.ingest.campaignevents import read_participants
from letsconnect_cli.ingest.cleaning import Cleaner
from letsconnect_cli.ingest.context import ReadContext
from letsconnect_cli.ingest.records import IngestLog, Record, SourceInfo
from letsconnect_cli.ingest.remote import FetchOptions, display_url, fetch, is_url
from letsconnect_cli.ingest.tabular import Table
from letsconnect_cli.ingest.textio import detect_encoding, sniff_delimiter, text_stream
from letsconnect_cli.ingest.zoom_report import is_zoom_report, read_zoom_report
from letsconnect_cli.vocab import Scheme

SUFFIXES = (".csv", ".json", ".tsv", ".txt")
_LEAD_LINES = 50


@dataclass(frozen=True)
class SourceSpec:
    """One source: a path or URL, and the clinic of its rows that name none (from `ID=SOURCE`)."""

    location: str
    clinic: str | None = None
    root: Path | None = None  # the folder it was found in, when given a folder

    @property
    def name(self) -> str:
        return display_url(self.location) if is_url(self.location) else self.location


@dataclass
class ReadOptions:
    """How to read: the region scheme, a forced encoding, the user's column map, --clinic."""

    scheme: Scheme = Scheme.WIKIMEDIA
    encoding: str | None = None
    columns: Mapping[str, str] = field(default_factory=dict)  # normalised header -> field
    clinic: str | None = None  # clinic of rows that name none; the report keeps only this clinic
    clinic_names: Mapping[str, str] = field(default_factory=dict)  # other names of clinics -> id
    countries: Mapping[str, str] = field(default_factory=dict)  # folded spelling -> country code
    fetch: FetchOptions = field(default_factory=FetchOptions)


def expand_sources(items: Sequence[str], clinic_ids: Sequence[str] = ()) -> list[SourceSpec]:
    """Files, folders and URLs as a list of sources; InputUnreadable for a missing path."""
    ids = {c.casefold(): c for c in clinic_ids}
    specs: list[SourceSpec] = []
    for item in items:
        clinic = None
        head, sep, rest = item.partition("=")
        if sep and head.casefold() in ids and rest:
            clinic, item = ids[head.casefold()], rest
        if is_url(item):
            specs.append(SourceSpec(item, clinic))
            continue
        path = Path(item)
        if path.is_dir():
            found = sorted(
                p
                for p in path.rglob("*")
                if p.is_file()
                and p.suffix.lower() in (".csv", ".json")
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
            if not found:
                raise InputUnreadable(f"{path} holds no .csv or .json files")
            specs.extend(SourceSpec(str(p), clinic, path) for p in found)
        elif path.is_file():
            specs.append(SourceSpec(str(path), clinic))
        else:
            raise InputUnreadable(
                f"{item}: no such file or folder",
                hint="Give export files, folders of them, or http(s) links.",
            )
    return specs


def read_records(
    sources: Sequence[str | SourceSpec],
    clinics: Sequence[Clinic],
    options: ReadOptions | None = None,
    log: IngestLog | None = None,
) -> Iterator[Record]:
    """Every cleaned record of the sources that belongs to a clinic, in source order.

    Rows that cannot be attributed, ragged rows and the like are counted in `log`, never yielded.
    Raises InputUnreadable (exit 4) for a source lc cannot read, RemoteError (5) for a URL.
    """
    options = options or ReadOptions()
    log = log if log is not None else IngestLog()
    matcher = ClinicMatcher(clinics, options.clinic_names)
    only = None
    if options.clinic is not None:
        only = matcher.match(options.clinic)
        if only is None:
            from letsconnect_cli.places.regions import suggestion

            raise UsageError(
                f"--clinic {options.clinic!r} is no clinic",
                hint=(
                    suggestion(options.clinic, list(matcher.clinics), "clinic")
                    + " `lc list` shows the ids."
                ).strip(),
            )
    ids = list(matcher.clinics)
    specs = [s if isinstance(s, SourceSpec) else None for s in sources]
    expanded: list[SourceSpec] = []
    for spec, item in zip(specs, sources, strict=True):
        expanded.extend([spec] if spec is not None else expand_sources([str(item)], ids))
    cleaner = Cleaner(options.scheme, log, options.countries)
    return _pipeline(expanded, matcher, cleaner, options, log, only)


def _pipeline(
    specs: list[SourceSpec],
    matcher: ClinicMatcher,
    cleaner: Cleaner,
    options: ReadOptions,
    log: IngestLog,
    only: str | None,
) -> Iterator[Record]:
    for spec in specs:
        ctx = ReadContext(spec.name, options.columns, matcher, log, cleaner, only=only)
        ctx.clinic = spec.clinic
        if ctx.clinic is None and not is_url(spec.location):
            ctx.clinic = matcher.match_file(Path(spec.location), spec.root)
        info = SourceInfo(spec.name, "unknown")
        log.sources.append(info)
        with _open(spec, options) as handle:
            yield from _records(handle, ctx, info, options.encoding, log)
        info.format = ctx.format
        info.rows = ctx.rows
        log.rows_read += ctx.rows
        if info.rows == 0:
            log.warn(f"{spec.name}: no data rows")
        log.warnings.extend(f"{spec.name}: {note}" for note in ctx.notes)


def _open(spec: SourceSpec, options: ReadOptions) -> IO[bytes]:
    if is_url(spec.location):
        return fetch(spec.location, options.fetch)
    try:
        return Path(spec.location).open("rb")
    except OSError as error:
        raise InputUnreadable(f"cannot read {spec.location}: {error.strerror or error}") from error


def _records(
    handle: IO[bytes],
    ctx: ReadContext,
    info: SourceInfo,
    known: str | None,
    log: IngestLog,
) -> Iterator[Record]:
    if known:
        encoding = known
    else:
        encoding, warning = detect_encoding(handle, ctx.name)
        if warning:
            log.warn(warning)
    info.encoding = encoding
    stream = text_stream(handle, encoding)
    reader = None
    try:
        lead: list[str] = []
        first = ""
        while len(lead) < _LEAD_LINES:
            line = stream.readline()
            if not line:
                break
            lead.append(line)
            if line.strip():
                first = line
                break
        if not first:
            raise InputUnreadable(f"{ctx.name} is empty")
        if first.lstrip().startswith(("[", "{")):
            yield from read_participants("".join(lead) + stream.read(), ctx)
            return
        reader = csv.reader(chain(lead, stream), delimiter=sniff_delimiter(first))
        header = next((row for row in reader if any(cell.strip() for cell in row)), None)
        if header is None:
            raise InputUnreadable(f"{ctx.name} has no header row, only empty cells")
        if is_zoom_report(header):
            yield from read_zoom_report(reader, ctx)
        else:
            yield from Table(header, reader, ctx).records()
    except UnicodeDecodeError as error:
        raise InputUnreadable(
            f"{ctx.name} cannot be read as {encoding}: {error.reason}",
            hint="Leave out --encoding to let lc detect it, or name the right one.",
        ) from None
    except csv.Error as error:
        where = f", line {reader.line_num}" if reader is not None else ""
        raise InputUnreadable(
            f"{ctx.name}{where}: not readable as CSV ({error})",
            hint="The file may be truncated or not a CSV export; export it again.",
        ) from None
    finally:
        stream.detach()
