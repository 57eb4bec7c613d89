"""`lc report`: figures from registration, attendance and feedback exports, and their renderers.

    from letsconnect_cli.report import make_report
    figures = make_report(["exports/"], clinics, ReadOptions(), min_count=5)

`stats` aggregates records, `figures` applies privacy and builds the JSON contract, `headline`
words it, and `render_*` turn it into a terminal table, Markdown, CSV or HTML.
"""

from __future__ import annotations

import gc
from collections.abc import Sequence
from typing import Any

from letsconnect_cli.clinic.models import Clinic
from letsconnect_cli.ingest import IngestLog, ReadOptions
from letsconnect_cli.ingest.sources import read_records
from letsconnect_cli.report.figures import build_report
from letsconnect_cli.report.stats import Counts, Tally


def make_report(
    sources: Sequence[str],
    clinics: Sequence[Clinic],
    options: ReadOptions,
    *,
    min_count: int = 5,
    show_protected: bool = False,
    round_to: int | None = None,
    log: IngestLog | None = None,
) -> dict[str, Any]:
    """Read the sources; the figures, privacy applied (what `lc report --format json` prints)."""
    log = log if log is not None else IngestLog()
    # Records and people hold no reference cycles: the cyclic garbage collector would only walk
    # the growing set of people again and again. Reference counting frees what the pass drops.
    collecting = gc.isenabled()
    gc.disable()
    try:
        counts = _count(sources, clinics, options, log)
    finally:
        if collecting:
            gc.enable()
    return build_report(
        counts,
        log,
        {c.id: c for c in clinics},
        scheme=options.scheme,
        min_count=min_count,
        show_protected=show_protected,
        round_to=round_to,
    )


def _count(
    sources: Sequence[str], clinics: Sequence[Clinic], options: ReadOptions, log: IngestLog
) -> Counts:
    """The counts; the people behind them are freed on return, while the cyclic collector is
    still off (switched back on with them alive, its next pass would walk every one)."""
    tally = Tally().add_all(read_records(sources, clinics, options, log))
    return tally.counts(asked=log.fields)


__all__ = ["Counts", "Tally", "build_report", "make_report"]
