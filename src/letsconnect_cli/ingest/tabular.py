"""CSV exports with one header row: Google Forms (registration, feedback), Zoom meeting
participants, and any other CSV whose headers lc can map to fields.

Rows are read with the csv module and turned into records by column index: per row, only the cells
of mapped columns are touched (a column the file lacks reads the empty cell appended to each row).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Protocol

from letsconnect_cli.errors import InputUnreadable
from letsconnect_cli.ingest.cleaning import (
    BAD_RATING,
    clean_username,
    email_cell,
    parse_rating,
    preferred_language,
    role_key,
)
from letsconnect_cli.ingest.context import (
    ReadContext,
    joined_rows,
    ragged,
    unbalanced_quote,
    yes_no,
)
from letsconnect_cli.ingest.fields import map_header, normalise_header
from letsconnect_cli.ingest.records import Record
from letsconnect_cli.ingest.skills import home_wiki, skill_mask

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


class Table:
    """A CSV export whose header is read: where each field is, and what its rows are.

    `records()` turns its rows into cleaned records.
    """

    def __init__(self, header: list[str], rows: RowReader, ctx: ReadContext) -> None:
        overrides = _ZOOM_OVERRIDES if _looks_like_zoom(header) else {}
        self.columns = map_header(header, ctx.columns, overrides)
        self.format = table_format(header, self.columns)
        ctx.format = self.format
        if not any(f in self.columns for f in _IDENTITY):
            raise _unrecognised(ctx.name, header)
        ctx.log.fields.update(self.columns)
        self.rows, self.ctx, self.width = rows, ctx, len(header)
        self.registered = self.format not in (
            "zoom-participants",
            "google-forms-feedback",
            "csv-feedback",
        )
        self.has_attended = "attended" in self.columns
        self.attended_default = True if self.format == "zoom-participants" else None
        self._two_names = "name" not in self.columns and "first_name" in self.columns
        self._first_last = (self.index("first_name"), self.index("last_name"))

    def index(self, field: str) -> int:
        """The cell of a field; a field the file lacks reads the empty cell appended at the end."""
        return self.columns.get(field, self.width)

    def attributed(self) -> Iterator[tuple[list[str], int, str, int | None]]:
        """(cells, line, clinic id, rating) of each row that counts, an empty cell appended.

        Empty rows are passed over; ragged rows, rows of no clinic, waiting-room rows and
        feedback with a bad rating are counted and logged, never given.
        """
        rows, ctx, width = self.rows, self.ctx, self.width
        name, log = ctx.name, ctx.log
        resolved, clinic_of, only = ctx.resolved.get, ctx.clinic_of, ctx.only
        i_clinic, i_rating, i_wait = map(self.index, ("clinic", "rating", "waiting_room"))
        # A feedback row whose rating is unusable tells nothing else.
        drop_bad_rating = not self.registered and not self.has_attended
        end = rows.line_num  # the last line of the row before
        for row in rows:
            start, end = end + 1, rows.line_num
            if len(row) != width:
                if not any(row):
                    continue
                ctx.rows += 1
                if len(row) < width or any(row[width:]):
                    log.skip(name, start, ragged(len(row), width, end - start + 1, start))
                    continue
            else:
                ctx.rows += 1
                row.append("")
            if end > start and joined_rows(row, width):
                log.skip(name, start, unbalanced_quote(start, end))
                continue
            line = rows.line_num
            text = row[i_clinic]
            clinic = resolved(text) if text else None
            if not clinic or (only is not None and clinic != only):
                clinic = clinic_of(text, line, i_clinic + 1 if i_clinic < width else None)
                if clinic is None:
                    continue
            if row[i_wait] and yes_no(row[i_wait]):
                log.skip(name, line, "in the waiting room, never admitted")
                continue
            rating = None
            raw = row[i_rating]
            if raw and raw.strip():
                rating = parse_rating(raw)
                if rating is None:
                    log.skip(name, line, BAD_RATING)
                    if drop_bad_rating:
                        continue
            yield row, line, clinic, rating

    def two_names(self, row: list[str]) -> str | None:
        """First and last name joined; None when the row gives neither."""
        first, last = self._first_last
        return " ".join(p for p in (row[first].strip(), row[last].strip()) if p) or None

    def records(self) -> Iterator[Record]:
        """A cleaned record per row that counts."""
        source, format, registered = self.ctx.name, self.format, self.registered
        cleaner = self.ctx.cleaner
        country_and_region, languages = cleaner.country_and_region, cleaner.languages
        cell = self.index
        i_email, i_user, i_country, i_region = map(cell, ("email", "username", "country", "region"))
        i_role, i_lang, i_att, i_time = map(cell, ("role", "languages", "attended", "timestamp"))
        i_aff, i_pref, i_wiki = map(cell, ("affiliation", "preferred_language", "home_wiki"))
        i_want, i_offer = map(cell, ("skills_wanted", "skills_offered"))
        i_name, two_names = cell("name"), self._two_names
        has_attended, attended_default = self.has_attended, self.attended_default
        for row, line, clinic, rating in self.attributed():
            email, email_as_written = email_cell(row[i_email])
            place = country_and_region(row[i_country], row[i_region], source, line)
            name = self.two_names(row) if two_names else row[i_name].strip() or None
            record = Record(
                source=source,
                line=line,
                format=format,
                clinic=clinic,
                registered=registered,
                attended=yes_no(row[i_att]) if has_attended else attended_default,
                email=email,
                username=clean_username(row[i_user]) if row[i_user] else None,
                name=name,
                country=place.country,
                region=place.region,
                region_corrected=place.region_corrected,
                role=role_key(row[i_role]) if row[i_role] else None,
                languages=languages(row[i_lang], source, line) if row[i_lang] else (),
                rating=rating,
            )
            # The cells most exports lack, or the report does not count.
            if email_as_written is not None:
                record.email_as_given = email_as_written
            if row[i_time]:
                record.timestamp = row[i_time]
            if row[i_aff] and row[i_aff].strip():
                record.affiliation = row[i_aff].strip()
            if row[i_pref]:
                record.preferred_language = preferred_language(row[i_pref])
            if row[i_want]:
                record.skills_wanted = skill_mask(row[i_want])
            if row[i_offer]:
                record.skills_offered = skill_mask(row[i_offer])
            if row[i_wiki]:
                record.home_wiki = home_wiki(row[i_wiki])
            yield record


def read_table(header: list[str], rows: RowReader, ctx: ReadContext) -> Iterator[Record]:
    """Records from the rows after a header row; ragged rows are skipped and logged."""
    return Table(header, rows, ctx).records()


def _looks_like_zoom(header: Sequence[str]) -> bool:
    titles = {normalise_header(h) for h in header}
    return "join time" in titles or "name original name" in titles


def _unrecognised(name: str, header: Sequence[str]) -> InputUnreadable:
    """The error of a first row with no column lc knows. Its cells are never quoted: without a
    header row they are a person's data (a name, an address)."""
    at = next((i for i, cell in enumerate(header, 1) if "@" in cell), None)
    if at is not None:
        return InputUnreadable(
            f"{name}, line 1: the first row holds data, not column titles (the header row is "
            f"missing: column {at} holds an email address)",
            hint="Export the file again with its header row, or add one: Email,Country,Clinic,...",
        )
    titled = sum(1 for cell in header if cell.strip())
    return InputUnreadable(
        f"{name}, line 1: unrecognised export: none of its {len(header)} column(s) "
        f"({titled} with a title) is an email, username, name, country or rating; or the header "
        "row is missing (the cells are not shown: they may be personal data)",
        hint=(
            "lc reads Google Forms and Zoom exports, CampaignEvents JSON, and CSVs with columns "
            "such as "
            'Email, Username, Country, Clinic. Map other headers with --map "HEADER=FIELD" or '
            "[report.columns] in lc.toml."
        ),
    )
