"""Reading sources into a tally, a large CSV file in two processes at once.

A plain CSV export larger than `split.SPLIT_MIN_BYTES` is cut at a record boundary near its middle
(`ingest.split`); a forked process reads the second half into its own tally while this one reads
the first, then the two tallies are joined (`Tally.absorb`). Forking (Linux) keeps it cheap: the
child inherits the clinics and options, and only its tally comes back, pickled.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from letsconnect_cli.errors import InputUnreadable, LcError
from letsconnect_cli.ingest import IngestLog, ReadOptions, SourceSpec, expand_sources, read_records
from letsconnect_cli.ingest.remote import FetchOptions, is_url
from letsconnect_cli.ingest.split import split_csv
from letsconnect_cli.models import Clinic
from letsconnect_cli.report.stats import Tally


def default_processes() -> int:
    """2 where forking is cheap and there is a second CPU to run on, else 1."""
    if not sys.platform.startswith("linux") or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return 2 if (os.cpu_count() or 1) > 1 else 1


def tally_sources(
    sources: Sequence[str],
    clinics: Sequence[Clinic],
    options: ReadOptions,
    log: IngestLog,
    processes: int | None = None,
) -> Tally:
    processes = default_processes() if processes is None else processes
    ids = [c.id for c in clinics]
    tally = Tally(ids)
    specs = expand_sources(sources, ids)
    pending: list[SourceSpec] = []  # read in one go, in order, between split files
    for spec in specs:
        parts = None
        if processes > 1 and not is_url(spec.location) and options.encoding is None:
            parts = split_csv(Path(spec.location))
        if parts is None:
            pending.append(spec)
            continue
        if pending:
            tally.add_all(read_records(pending, clinics, options, log))
            pending = []
        first, second = (replace(spec, part=part) for part in parts)
        _in_two(tally, first, second, clinics, options, log)
    if pending or not specs:
        tally.add_all(read_records(pending, clinics, options, log))
    return tally


def _in_two(
    tally: Tally,
    first: SourceSpec,
    second: SourceSpec,
    clinics: Sequence[Clinic],
    options: ReadOptions,
    log: IngestLog,
) -> None:
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    local = replace(options, fetch=FetchOptions())  # nothing to fetch; no callbacks to carry
    child = context.Process(target=_child, args=(send, second, clinics, local, tally.clinic_ids))
    child.start()
    send.close()
    try:
        tally.add_all(read_records([first], clinics, options, log))
        result = pickle.loads(receive.recv_bytes())
    except EOFError:
        raise InputUnreadable(f"{first.name}: the process reading its second half stopped") from None
    finally:
        receive.close()
        child.join()
    if isinstance(result, tuple) and result[0] == "error":
        raise InputUnreadable(result[1])
    other, other_log = result
    tally.absorb(other)
    log.absorb(other_log)


def _child(send: Any, spec: SourceSpec, clinics: Sequence[Clinic], options: ReadOptions, ids: list[str]) -> None:
    try:
        log = IngestLog()
        tally = Tally(ids).add_all(read_records([spec], clinics, options, log))
        send.send_bytes(pickle.dumps((tally, log), protocol=pickle.HIGHEST_PROTOCOL))
    except LcError as error:
        send.send_bytes(pickle.dumps(("error", str(error))))
    finally:
        send.close()
