"""What the readers yield: one `Record` per data row, and the log of what was skipped or fixed.

A record is one row of one export, cleaned: email lower-cased, username as MediaWiki writes it,
country as an ISO 3166 code, region from the country, clinic resolved to a clinic id. It still
holds the person's name and email: the report never outputs them, but invites (issue 6) need them.
Who is the same person across records is `people.People`'s to say.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

#: How many skipped rows are listed one by one; the rest are only counted.
MAX_LISTED_SKIPS = 200
#: How many distinct unknown or guessed values are listed; the rows of others are counted under
#: one entry whose value is null.
MAX_LISTED_VALUES = 500


@dataclass(slots=True)
class Record:
    """One row of an export, cleaned (see `cleaning`); readers build it with keyword arguments."""

    source: str  # the file or URL, as the user named it (URLs without query or credentials)
    line: int  # 1-based line of the row in its file (the item's position for JSON)
    format: str  # the reader's format name, e.g. "google-forms-registration"
    registered: bool = False  # the row is a registration
    attended: bool | None = None  # True/False from attendance data; None when the row says nothing
    clinic: str | None = None  # clinic id once attributed; before that the row's clinic text
    email: str | None = None
    username: str | None = None  # Wikimedia username, "First letter upper, spaces not _"
    name: str | None = None  # display or full name; never reaches a report
    country: str | None = None  # ISO 3166-1 alpha-2 (XK for Kosovo) once cleaned
    region: str | None = None  # region code in the report's scheme, from the country
    region_corrected: bool = False  # the reported region contradicted the country
    role: str | None = None  # a key of `cleaning.ROLES` once cleaned
    languages: tuple[str, ...] = ()  # interpretation wanted: BCP 47 language codes once cleaned
    rating: int | None = None  # feedback score 1-5
    affiliation: str | None = None
    timestamp: str | None = None  # registration or response time as the export writes it
    preferred_language: str | None = None  # language to write to the person in (BCP 47), if asked
    email_as_given: str | None = None  # the address as the person wrote it (invitations use it)
    skills_wanted: int = 0  # skill categories the person wants to learn (bits of skills.BIT)
    skills_offered: int = 0  # skill categories the person can share
    home_wiki: str | None = None  # key of the person's home wiki ("en.wikipedia"), if asked


@dataclass(frozen=True)
class Skip:
    """A row left out of the figures, and why (the reason never quotes the row's values)."""

    file: str
    line: int | None
    reason: str


@dataclass
class SourceInfo:
    """One source read: its name, the format recognised, and how many data rows it gave."""

    name: str
    format: str
    rows: int = 0
    encoding: str = "utf-8"


@dataclass
class IngestLog:
    """Everything reading and cleaning found in the data, for `data_quality` and warnings."""

    rows_read: int = 0
    unattributed: int = 0
    unknown_country: int = 0  # rows with a country value that names no country
    other_clinics: int = 0  # rows of clinics left out by a clinic filter
    hidden_users: int = 0  # CampaignEvents registrations of suppressed or missing accounts
    skips_total: int = 0
    skipped: list[Skip] = field(default_factory=list)
    skip_reasons: Counter[str] = field(default_factory=Counter)
    sources: list[SourceInfo] = field(default_factory=list)
    fields: set[str] = field(default_factory=set)  # fields some source has a column for
    warnings: list[str] = field(default_factory=list)
    first_unknown_country: tuple[str, int] | None = None
    country_guessed: int = 0  # rows whose country value is a near miss lc accepted
    # Distinct values, as a report may show them: value -> [rows, "file:line" of the first, code].
    unknown_countries: dict[str, list[Any]] = field(default_factory=dict)
    guessed_countries: dict[str, list[Any]] = field(default_factory=dict)
    unknown_languages: dict[str, list[Any]] = field(default_factory=dict)
    unknown_clinics: Counter[str] = field(default_factory=Counter)  # clinic names matching none
    # where the first of them is: file, line, column (the name itself is a cell: never shown)
    first_unknown_clinic: tuple[str, int, int | None] | None = None

    def skip(self, file: str, line: int | None, reason: str) -> None:
        self.skips_total += 1
        self.skip_reasons[reason] += 1
        if len(self.skipped) < MAX_LISTED_SKIPS:
            self.skipped.append(Skip(file, line, reason))

    def note(
        self, table: dict[str, list[Any]], raw: str, file: str, line: int | None, code: Any = None
    ) -> None:
        """Count a row of a distinct cell value (at most MAX_LISTED_VALUES values are kept; the
        rows of others add to the entry "" ...)."""
        from letsconnect_cli.ingest.folding import shown_value

        value = shown_value(raw)
        entry = table.get(value)
        if entry is None:
            if len(table) >= MAX_LISTED_VALUES:
                value = ""
                entry = table.get(value)
            if entry is None:
                where = f"{file}:{line}" if line else file
                entry = table[value] = [0, where, code]
        entry[0] += 1

    def value_lists(self, hidden_codes: frozenset[str] = frozenset()) -> dict[str, Any]:
        """`data_quality`'s lists of spellings: each {"value", "rows", "first"} (and "country" for
        a guess), most rows first. Guesses of `hidden_codes` (protected countries) are left out."""

        def listed(table: dict[str, list[Any]], guessed: bool = False) -> list[dict[str, Any]]:
            items = []
            for value, (rows, first, code) in table.items():
                if guessed and code in hidden_codes:
                    continue
                item: dict[str, Any] = {"value": value or None, "rows": rows, "first": first}
                if guessed:
                    item["country"] = code
                items.append(item)
            return sorted(items, key=lambda i: (i["value"] is None, -i["rows"], i["value"] or ""))

        return {
            "country_guessed": listed(self.guessed_countries, guessed=True),
            "unknown_countries": listed(self.unknown_countries),
            "unknown_languages": listed(self.unknown_languages),
        }

    def warn(self, text: str) -> None:
        self.warnings.append(text)

    def unknown_clinic(self, text: str, file: str, line: int, column: int | None) -> None:
        """A row names a clinic no clinic file matches."""
        self.unknown_clinics[text.strip()[:80]] += 1
        if self.first_unknown_clinic is None:
            self.first_unknown_clinic = (file, line, column)

    def all_warnings(self) -> list[str]:
        """The warnings, then the rows naming a clinic no clinic file matches: where the first
        one is, never the names (cells of an export are never quoted in a message)."""
        if not self.unknown_clinics or self.first_unknown_clinic is None:
            return list(self.warnings)
        file, line, column = self.first_unknown_clinic
        where = f"{file}, line {line}" + (f", column {column}" if column else "")
        rows, names = self.unknown_clinics.total(), len(self.unknown_clinics)
        found = (
            f"{rows} row(s) name {names} clinic(s) that match no clinic file (the first: {where}); "
            "add each to [report.clinic_names] in lc.toml, or see `lc list`"
        )
        return [*self.warnings, found]
