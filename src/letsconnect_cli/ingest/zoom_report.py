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
        record = _record(cells, columns, ctx, rows.line_num, section == "other attended")
        if record is None:
            continue
        who = record.email or (record.name or "").casefold() or f"line {record.line}"
        if who in seen:
            record.registered = False  # a rejoin: another join of the same registrant
        seen.add(who)
        record.clinic = ctx.clinic_of(None, record.line)
        if record.clinic is not None and ctx.cleaner.clean(record):
            yield record


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


def _cell(cells: list[str], index: int | None) -> str | None:
    if index is None or index >= len(cells):
        return None
    return cells[index] or None


def _record(
    cells: list[str], columns: dict[str, int], ctx: ReadContext, line: int, other: bool
) -> Record | None:
    attended_text = _cell(cells, columns.get("attended"))
    attended = True if other else (yes_no(attended_text) if attended_text else None)
    if attended is None:
        ctx.log.skip(ctx.name, line, "the Attended column is neither Yes nor No")
        return None
    record = Record(ctx.name, line, FORMAT, registered=not other, attended=attended)
    record.email = _cell(cells, columns.get("email"))
    name = _cell(cells, columns.get("name"))
    if name is None:
        parts = (_cell(cells, columns.get("first_name")), _cell(cells, columns.get("last_name")))
        name = " ".join(p for p in parts if p) or None
    record.name = name
    country = _cell(cells, columns.get("country"))
    record.country = None if country in (None, "--") else country
    record.role = _cell(cells, columns.get("role"))
    record.timestamp = _cell(cells, columns.get("timestamp"))
    return record
