"""CSV exports with one header row: Google Forms (registration, feedback), Zoom meeting
participants, and any other CSV whose headers lc can map to fields.

Rows are read with the csv module and turned into records by column index: per row, only the cells
of mapped columns are touched.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Protocol

from letsconnect_cli.errors import InputUnreadable
from letsconnect_cli.ingest.cleaning import language_codes
from letsconnect_cli.ingest.context import ReadContext, ragged, yes_no
from letsconnect_cli.ingest.fields import map_header, normalise_header
from letsconnect_cli.ingest.records import Record

_IDENTITY = ("email", "username", "name", "first_name", "country", "rating")
_REGISTRATION_HINTS = (
    "country",
    "role",
    "languages",
    "username",
    "region",
    "attended",
    "affiliation",
)
#: Zoom's meeting participants export calls the display name 'User Name' or 'Name (Original Name)'.
_ZOOM_OVERRIDES = {
    "name original name": "name",
    "user name original name": "name",
    "user name": "name",
}


class RowReader(Protocol):
    line_num: int

    def __iter__(self) -> Iterator[list[str]]: ...

    def __next__(self) -> list[str]: ...


def table_format(header: Sequence[str], columns: dict[str, int]) -> str:
    """The export a header row comes from: Google Forms, Zoom participants, or a plain CSV."""
    titles = [normalise_header(h) for h in header]
    if "join time" in titles and ("name original name" in titles or "user email" in titles):
        return "zoom-participants"
    feedback = "rating" in columns and not any(f in columns for f in _REGISTRATION_HINTS)
    if titles and titles[0] == "timestamp":
        return "google-forms-feedback" if feedback else "google-forms-registration"
    return "csv-feedback" if feedback else "csv"


def read_table(header: list[str], rows: RowReader, ctx: ReadContext) -> Iterator[Record]:
    """Records from the rows after a header row; ragged rows are skipped and logged."""
    overrides = _ZOOM_OVERRIDES if _looks_like_zoom(header) else {}
    columns = map_header(header, ctx.columns, overrides)
    fmt = table_format(header, columns)
    ctx.format = fmt
    if not any(f in columns for f in _IDENTITY):
        raise _unrecognised(ctx.name, header)
    registered = fmt not in ("zoom-participants", "google-forms-feedback", "csv-feedback")
    attended_default = True if fmt == "zoom-participants" else None
    return _rows(header, rows, ctx, columns, fmt, registered, attended_default)


def _rows(
    header: list[str],
    rows: RowReader,
    ctx: ReadContext,
    columns: dict[str, int],
    fmt: str,
    registered: bool,
    attended_default: bool | None,
) -> Iterator[Record]:
    width = len(header)
    name = ctx.name
    log = ctx.log
    get = columns.get
    i_clinic, i_email, i_user = get("clinic"), get("email"), get("username")
    i_name, i_first, i_last = get("name"), get("first_name"), get("last_name")
    i_country, i_region, i_role = get("country"), get("region"), get("role")
    i_lang, i_rating, i_att = get("languages"), get("rating"), get("attended")
    i_time, i_aff, i_wait = get("timestamp"), get("affiliation"), get("waiting_room")
    for row in rows:
        if len(row) != width:
            if not any(row):
                continue
            if len(row) < width or any(row[width:]):
                log.skip(name, rows.line_num, ragged(len(row), width))
                continue
        record = Record(name, rows.line_num, fmt, registered, attended_default)
        if i_clinic is not None:
            record.clinic = row[i_clinic].strip() or None
        if i_email is not None:
            record.email = row[i_email] or None
        if i_user is not None:
            record.username = row[i_user] or None
        if i_name is not None:
            record.name = row[i_name].strip() or None
        elif i_first is not None:
            parts = (row[i_first], row[i_last] if i_last is not None else "")
            record.name = " ".join(p.strip() for p in parts if p.strip()) or None
        if i_country is not None:
            record.country = row[i_country] or None
        if i_region is not None:
            record.reported_region = row[i_region] or None
        if i_role is not None:
            record.role = row[i_role] or None
        if i_lang is not None and row[i_lang]:
            record.languages = language_codes(row[i_lang])
        if i_rating is not None:
            record.raw_rating = row[i_rating]
        if i_att is not None:
            record.attended = yes_no(row[i_att])
        if i_time is not None:
            record.timestamp = row[i_time] or None
        if i_aff is not None:
            record.affiliation = row[i_aff].strip() or None
        if i_wait is not None and yes_no(row[i_wait]):
            log.skip(name, rows.line_num, "in the waiting room, never admitted")
            continue
        yield record


def _looks_like_zoom(header: Sequence[str]) -> bool:
    titles = {normalise_header(h) for h in header}
    return "join time" in titles or "name original name" in titles


def _unrecognised(name: str, header: Sequence[str]) -> InputUnreadable:
    if any("@" in cell for cell in header):
        return InputUnreadable(
            f"{name}: the first row holds data, not column titles (the header row is missing)",
            hint="Export the file again with its header row, or add one: Email,Country,Clinic,...",
        )
    shown = ", ".join(repr(h.strip()[:40]) for h in header[:8] if h.strip())
    return InputUnreadable(
        f"{name}: unrecognised export: no column is an email, username, name, country or rating "
        f"(columns: {shown or 'none'})",
        hint=(
            "lc reads Google Forms and Zoom exports, CampaignEvents JSON, and CSVs with columns "
            "such as "
            'Email, Username, Country, Clinic. Map other headers with --map "HEADER=FIELD" or '
            "[report.columns] in lc.toml."
        ),
    )
