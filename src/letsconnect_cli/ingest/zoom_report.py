"""Zoom webinar attendee reports, 2020 and 2025 layouts.

The file is a run of sections, each a title line ("Attendee Report,", "Host Details,", "Attendee
Details,", "Other Attended," ...), a header row and data rows. The first section holds the webinar:
its topic and actual start, which tell the clinic. Hosts and panelists are not participants.
Attendee rows are registrants: `Yes` attended, `No` registered but absent; a person who rejoined has
one row per join and counts once. "Other Attended" rows attended without registering.
2025 pads every row with trailing commas and names people `User Name (Original Name)`.
"""

from __future__ import annotations

from collections.abc import Iterator

from letsconnect_cli.ingest.cleaning import email_cell, role_key
from letsconnect_cli.ingest.context import ReadContext, ragged, yes_no
from letsconnect_cli.ingest.fields import map_header, normalise_header
from letsconnect_cli.ingest.records import Record
from letsconnect_cli.ingest.tabular import RowReader
from letsconnect_cli.ingest.timestamps import parse_timestamp

FORMAT = "zoom-attendee-report"
_SECTIONS = frozenset(
    {
        "attendee report",
        "host details",
        "panelist details",
        "attendee details",
        "other attended",
        "panelist report",
        "registration report",
    }
)
_OVERRIDES = {"user name": "name", "user name original name": "name", "topic": "clinic"}


def is_zoom_report(first_row: list[str]) -> bool:
    cells = [c.strip() for c in first_row]
    return bool(cells) and normalise_header(cells[0]) in _SECTIONS and not any(cells[1:])


def read_zoom_report(rows: RowReader, ctx: ReadContext) -> Iterator[Record]:
    """Records of the attendee sections; the webinar's clinic goes to `ctx.clinic`."""
    ctx.format = FORMAT
    section = "attendee report"
    columns: dict[str, int] | None = None
    width = 0
    seen: set[str] = set()  # people already met in this section: later rows are rejoins
    end = rows.line_num  # the last line of the row before
    for row in rows:
        start, end = end + 1, rows.line_num
        cells = [c.strip() for c in row]
        if not any(cells):
            continue
        title = normalise_header(cells[0])
        if title in _SECTIONS and not any(cells[1:]):
            section, columns, seen = title, None, set()
            continue
        if section == "attendee report":
            if title.startswith("report generated"):
                continue
            if columns is None:
                columns = _columns(cells, ctx)
                continue
            _meeting(cells, columns, ctx)
            continue
        if section not in ("attendee details", "other attended"):
            continue  # hosts, panelists and sections lc does not use
        if columns is None:
            columns = _columns(cells, ctx)
            width = max(i for i, cell in enumerate(cells) if cell) + 1  # 2025 pads with empties
            continue
        ctx.rows += 1
        if len(cells) < width or any(cells[width:]):
            ctx.log.skip(ctx.name, start, ragged(len(cells), width, end - start + 1, start))
            continue
        line, other = rows.line_num, section == "other attended"
        attended_cell = _cell(cells, columns.get("attended"))
        attended = True if other else (yes_no(attended_cell) if attended_cell else None)
        if attended is None:
            ctx.log.skip(ctx.name, line, "the Attended column is neither Yes nor No")
            continue
        email, name = _cell(cells, columns.get("email")), _name(cells, columns)
        who = email or (name or "").casefold() or f"line {line}"
        rejoin = who in seen  # another join of the same registrant
        seen.add(who)
        clinic = ctx.clinic_of(None, line)
        if clinic is not None:
            registered = not other and not rejoin
            yield _record(cells, columns, ctx, line, clinic, name, registered, attended)


def _columns(header: list[str], ctx: ReadContext) -> dict[str, int]:
    columns = map_header(header, ctx.columns, _OVERRIDES)
    for index, title in enumerate(header):
        key = normalise_header(title)
        if key == "actual start time" or (key == "start time" and "start" not in columns):
            columns["start"] = index
    return columns


def _meeting(cells: list[str], columns: dict[str, int], ctx: ReadContext) -> None:
    if ctx.clinic is not None:
        return
    topic = _cell(cells, columns.get("clinic"))
    start_text = _cell(cells, columns.get("start"))
    start = parse_timestamp(start_text) if start_text else None
    ctx.clinic = ctx.matcher.match_meeting(topic, start)
    if ctx.clinic is None:
        ctx.notes.append("the webinar's topic and start match no clinic file")
        ctx.other_meeting = bool(topic or start)


def _cell(cells: list[str], index: int | None) -> str | None:
    if index is None or index >= len(cells):
        return None
    return cells[index] or None


def _name(cells: list[str], columns: dict[str, int]) -> str | None:
    name = _cell(cells, columns.get("name"))
    if name is None:
        parts = (_cell(cells, columns.get("first_name")), _cell(cells, columns.get("last_name")))
        name = " ".join(p for p in parts if p) or None
    return name


def _record(
    cells: list[str],
    columns: dict[str, int],
    ctx: ReadContext,
    line: int,
    clinic: str,
    name: str | None,
    registered: bool,
    attended: bool,
) -> Record:
    email, email_as_written = email_cell(_cell(cells, columns.get("email")))
    country = _cell(cells, columns.get("country"))
    place = ctx.cleaner.country_and_region(
        None if country == "--" else country, None, ctx.name, line
    )
    role = _cell(cells, columns.get("role"))
    return Record(
        source=ctx.name,
        line=line,
        format=FORMAT,
        clinic=clinic,
        registered=registered,
        attended=attended,
        email=email,
        email_as_given=email_as_written,
        name=name,
        country=place.country,
        region=place.region,
        role=role_key(role) if role else None,
        timestamp=_cell(cells, columns.get("timestamp")),
    )
