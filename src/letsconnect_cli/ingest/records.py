"""What the readers yield: one `Record` per data row, and the log of what was skipped or fixed.

A record is one row of one export, cleaned: email lower-cased, username as MediaWiki writes it,
country as an ISO 3166 code, region from the country, clinic resolved to a clinic id. It still
holds the person's name and email: the report never outputs them, but invites (issue 6) need them.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

#: How many skipped rows are listed one by one; the rest are only counted.
MAX_LISTED_SKIPS = 200


@dataclass(slots=True)
class Record:
    """One row of an export. Raw text from the reader; `cleaning.Cleaner` normalises it in place."""

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
    reported_region: str | None = None  # the region the person gave, as given
    region_corrected: bool = False  # the reported region contradicted the country
    role: str | None = None  # a key of `cleaning.ROLES` once cleaned
    languages: tuple[str, ...] = ()  # interpretation wanted: BCP 47 language codes once cleaned
    rating: int | None = None  # feedback score 1-5
    affiliation: str | None = None
    timestamp: str | None = None  # registration or response time as the export writes it
    raw_rating: str | None = field(default=None, repr=False)
    preferred_language: str | None = None  # language to write to the person in (BCP 47), if asked
    skills_wanted: int = 0  # skill categories the person wants to learn (bits of skills.BIT)
    skills_offered: int = 0  # skill categories the person can share
    home_wiki: str | None = None  # key of the person's home wiki ("en.wikipedia"), if asked

    @property
    def key(self) -> str | None:
        """The person's identity: the email, else the username, else None (anonymous)."""
        if self.email:
            return "e:" + self.email
        if self.username:
            return "u:" + self.username
        return None

    @property
    def identities(self) -> tuple[str, ...]:
        """Every identity of the row: a person is the same email, else the same username."""
        ids = []
        if self.email:
            ids.append("e:" + self.email)
        if self.username:
            ids.append("u:" + self.username)
        return tuple(ids)


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
    warnings: list[str] = field(default_factory=list)
    first_unknown_country: tuple[str, int] | None = None
    unknown_clinics: Counter[str] = field(default_factory=Counter)  # clinic names matching none

    def skip(self, file: str, line: int | None, reason: str) -> None:
        self.skips_total += 1
        self.skip_reasons[reason] += 1
        if len(self.skipped) < MAX_LISTED_SKIPS:
            self.skipped.append(Skip(file, line, reason))

    def warn(self, text: str) -> None:
        self.warnings.append(text)

    def all_warnings(self) -> list[str]:
        """The warnings, then the clinic names that matched no clinic file (the five most seen)."""
        found = [
            f"no clinic file matches the clinic {text!r} ({count} row(s)); "
            "add it to [report.clinic_names] in lc.toml, or see `lc list`"
            for text, count in self.unknown_clinics.most_common(5)
        ]
        return self.warnings + found
