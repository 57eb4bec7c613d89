"""How commands read the program's exports: one place that turns `[report]` settings and flags
into the readers' options (used by `lc report`, `lc slots` and `lc invite --registrations`)."""

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from letsconnect_cli.config import Config
    from letsconnect_cli.ingest import ReadOptions
    from letsconnect_cli.vocab import Scheme


def read_options(
    config: "Config",
    *,
    scheme: "Scheme | None" = None,
    clinic: str | None = None,
    encoding: str | None = None,
    maps: list[str] | None = None,
    progress: Any = None,
) -> "ReadOptions":
    """The readers' options: `[report]` of lc.toml (column map, clinic names, download limits),
    then the command's flags (--scheme, --clinic, --encoding, --map) over them."""
    from letsconnect_cli.ingest import FetchOptions, ReadOptions
    from letsconnect_cli.ingest.fields import check_column_map, parse_maps
    from letsconnect_cli.ingest.textio import check_encoding

    settings = config.report
    columns = check_column_map(settings.columns, "[report.columns] in lc.toml")
    columns.update(parse_maps(maps or []))
    return ReadOptions(
        scheme=scheme or settings.scheme,
        encoding=check_encoding(encoding) if encoding else None,
        columns=columns,
        clinic=_clinic_id(config.clinics_dir, clinic),
        clinic_names=settings.clinic_names,
        fetch=FetchOptions(
            timeout=settings.timeout,
            max_bytes=settings.max_download_mb * 1024 * 1024,
            progress=progress,
        ),
    )


def _clinic_id(folder: Path, clinic: str | None) -> str | None:
    """--clinic as an id of the clinics folder when it names one of them (a unique prefix or
    word); as given otherwise (exports may name clinics that have no file here)."""
    from letsconnect_cli.clinics import clinic_paths, resolve_clinic_id
    from letsconnect_cli.errors import InputUnreadable

    if clinic is None or not folder.is_dir():
        return clinic
    try:
        ids = [p.stem for p in clinic_paths(folder)]
    except InputUnreadable:
        return clinic
    if clinic in ids:
        return clinic
    from letsconnect_cli.clinics import matching_ids

    if not matching_ids(ids, clinic):
        return clinic
    return resolve_clinic_id(folder, clinic)  # one match, or a UsageError listing them
