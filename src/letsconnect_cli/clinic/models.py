"""The clinic model: what a clinic file holds, and the rules a careful organiser expects of it."""

import re
import uuid
from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from letsconnect_cli.clinic.durations import parse_duration
from letsconnect_cli.clinic.values import (
    EMAIL,
    LanguageTag,
    OptionalText,
    OptionalUrl,
    RegionCode,
    Text,
    check_url,
    no_items,
)
from letsconnect_cli.places.timezones import MAX_YEAR, year_problem
from letsconnect_cli.vocab import Category, Status

DEFAULT_DURATION = timedelta(hours=2)
MIN_DURATION = timedelta(minutes=15)
MAX_DURATION = timedelta(hours=12)

#: A clinic id is its file name without `.toml`: `2023-04-02-travel-scholarships`, `proposed-lexemes`.
ID_PATTERN = re.compile(r"^(?:\d{4}-\d{2}-\d{2}|proposed)-[a-z0-9]+(?:-[a-z0-9]+)*$")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


def _translation_keys(value: dict[str, Any]) -> dict[str, Any]:
    """Translations keyed by BCP 47 tags, in canonical case; an unknown tag is an error."""
    from letsconnect_cli.places.languages import LanguageTagError, normalise_language_tag

    keys: dict[str, Any] = {}
    for key, item in value.items():
        try:
            tag = normalise_language_tag(str(key))
        except LanguageTagError as error:
            raise ValueError(f"translations: {error}") from None
        if tag in keys:
            raise ValueError(f"translations: {key!r} and another key are both {tag!r}; keep one")
        keys[tag] = item
    return keys


class SharerTranslation(_Strict):
    """A sharer's role and affiliation in one language: `translations.ja.role = "..."`."""

    role: OptionalText = None
    affiliation: OptionalText = None


class TextTranslation(_Strict):
    """The clinic's text in one language: `[translations.ja]` title and description."""

    title: OptionalText = None
    description: OptionalText = None


def _no_translations() -> dict[str, Any]:
    return {}


class Sharer(_Strict):
    """A person who shares their experience in a clinic."""

    name: Text
    affiliation: OptionalText = None
    role: OptionalText = None
    username: OptionalText = None  # Wikimedia username, without "User:"
    translations: dict[str, SharerTranslation] = Field(default_factory=_no_translations)

    @field_validator("translations", mode="before")
    @classmethod
    def _translations(cls, value: Any) -> Any:
        return _translation_keys(value) if isinstance(value, dict) else value

    @field_validator("username")
    @classmethod
    def _username(cls, value: str | None) -> str | None:
        if value is None:
            return None
        name = value.removeprefix("User:").replace("_", " ").strip()
        return name[:1].upper() + name[1:] if name else None


class Links(_Strict):
    """What the clinic left behind, added once it is done."""

    recording: OptionalUrl = None
    slides: OptionalUrl = None
    etherpad: OptionalUrl = None


class CalendarInfo(_Strict):
    """What keeps calendar invites updatable: the event's UID never changes once issued."""

    uid: OptionalText = None

    @field_validator("uid")
    @classmethod
    def _uid(cls, value: str | None) -> str | None:
        from letsconnect_cli.clinic.values import uid_problem  # what lc invite would refuse

        problem = uid_problem(value) if value else None
        if problem:
            raise ValueError(problem)
        return value


def derived_uid(clinic_id: str) -> str:
    """The calendar UID of a clinic whose file sets none: derived from its id, so stable too."""
    return f"{uuid.uuid5(uuid.NAMESPACE_URL, 'https://letsconnect/clinic/' + clinic_id)}@lc"


def _reject_non_datetime(value: Any) -> Any:
    """TOML gives dates, times and numbers their own types; only a date-time is a start/end."""
    if isinstance(value, datetime) or value is None:
        return value
    if isinstance(value, date):
        raise ValueError(
            f"{value.isoformat()} has no time of day; write e.g. {value.isoformat()}T06:00:00Z"
        )
    if isinstance(value, time):
        raise ValueError(f"{value.isoformat()} has no date; write e.g. 2023-04-02T{value}Z")
    if isinstance(value, bool | int | float):
        raise ValueError("write the date-time as ISO 8601 text, e.g. 2023-04-02T06:00:00Z")
    return value


StartEnd = Annotated[datetime | None, BeforeValidator(_reject_non_datetime)]


def _aware_utc(value: datetime, field: str) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        shown = value.replace(microsecond=0).isoformat()
        raise ValueError(
            f"{field} {shown} has no time zone; add Z for UTC ({shown}Z) or the offset of "
            f"the place the time is meant for ({shown}+08:00)"
        )
    try:
        utc = value.astimezone(UTC)
    except OverflowError:
        utc = None
    problem = year_problem(utc.year) if utc is not None else year_problem(0)
    if problem:
        raise ValueError(f"{field} {value.isoformat()} is {problem}")
    assert utc is not None
    return utc


class Clinic(_Strict):
    """One Learning Clinic. Times are stored in UTC; `end` is always start + duration."""

    id: str = Field(exclude=True)
    title: Text
    category: Category | None = None
    status: Status
    start: StartEnd = Field(default=None, validate_default=True)
    duration: timedelta | None = None
    end: StartEnd = Field(default=None, validate_default=True)
    language: LanguageTag = "en"
    interpretation: list[LanguageTag] = Field(default_factory=no_items)
    regions: list[RegionCode] = Field(default_factory=no_items)
    sharers: list[Sharer] = Field(default_factory=no_items)
    platform: OptionalText = None
    meeting_url: OptionalUrl = None
    registration_url: OptionalUrl = Field(default=None, validate_default=True)
    description: OptionalText = None
    contact: OptionalText = None
    capacity: int | None = Field(default=None, gt=0, strict=True)  # not true, not "100"
    links: Links = Field(default_factory=lambda: Links())
    calendar: CalendarInfo = Field(default_factory=lambda: CalendarInfo())
    translations: dict[str, TextTranslation] = Field(default_factory=_no_translations)

    @field_validator("translations", mode="before")
    @classmethod
    def _translations(cls, value: Any) -> Any:
        return _translation_keys(value) if isinstance(value, dict) else value

    @field_validator("id")
    @classmethod
    def _id(cls, value: str) -> str:
        if not ID_PATTERN.match(value):
            raise ValueError(
                f"{value!r} is not a clinic id; name the file <YYYY-MM-DD>-<slug>.toml "
                "(or proposed-<slug>.toml) with lower-case letters, digits and '-'"
            )
        return value

    @field_validator("start")
    @classmethod
    def _start(cls, value: datetime | None, info: ValidationInfo) -> datetime | None:
        if value is None:
            if info.data.get("status") not in (Status.PROPOSED, None):
                raise ValueError(
                    "start is required unless status is 'proposed'; "
                    "add e.g. start = 2023-04-02T06:00:00Z"
                )
            return None
        return _aware_utc(value, "start")

    @field_validator("duration", mode="before")
    @classmethod
    def _duration(cls, value: Any) -> Any:
        if value is None or isinstance(value, timedelta):
            return value
        if isinstance(value, str | int):
            duration = parse_duration(value)
        else:
            raise ValueError("write the duration as text such as '2h', '90m' or '1h30m'")
        return duration

    @field_validator("duration")
    @classmethod
    def _duration_range(cls, value: timedelta | None) -> timedelta | None:
        if value is not None:
            _check_duration(value, "duration")
        return value

    @field_validator("end")
    @classmethod
    def _end(cls, value: datetime | None, info: ValidationInfo) -> datetime | None:
        start: datetime | None = info.data.get("start")
        duration: timedelta | None = info.data.get("duration")
        if value is None:
            if start is None:
                return None
            return _later(start, duration or DEFAULT_DURATION)
        end = _aware_utc(value, "end")
        if "duration" in info.data and duration is not None:
            raise ValueError("give either end or duration, not both")
        if start is None:
            if "start" in info.data:
                raise ValueError("an end needs a start; add start, or remove end")
            return end  # start itself is invalid and reported
        if end <= start:
            raise ValueError(
                f"end {end.isoformat()} is not after start {start.isoformat()}; "
                "check the date and the offset"
            )
        _check_duration(end - start, "end - start")
        return end

    @field_validator("interpretation", "regions")
    @classmethod
    def _unique(cls, value: list[str]) -> list[str]:
        return list(dict.fromkeys(value))

    @field_validator("registration_url")
    @classmethod
    def _registration(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is None and info.data.get("status") == Status.CONFIRMED:
            raise ValueError(
                "a confirmed clinic needs registration_url: people must be able to register; "
                'add it, or set status = "scheduled"'
            )
        return value

    @field_validator("contact")
    @classmethod
    def _contact(cls, value: str | None) -> str | None:
        if value is None or EMAIL.fullmatch(value):
            return value
        try:
            return check_url(value)
        except ValueError:
            raise ValueError(f"{value!r} is neither an email address nor an http(s) link") from None

    @model_validator(mode="after")
    def _fill_duration(self) -> "Clinic":
        if self.start is not None and self.end is not None:
            self.duration = self.end - self.start
        elif self.duration is None:
            self.duration = DEFAULT_DURATION
        return self

    # --- derived values ------------------------------------------------------------------

    @property
    def length(self) -> timedelta:
        return self.duration or DEFAULT_DURATION

    @property
    def uid(self) -> str:
        """The calendar UID: the one in the file, else one derived from the id (stable too)."""
        if self.calendar.uid:
            return self.calendar.uid
        return derived_uid(self.id)

    @property
    def is_dated(self) -> bool:
        return self.start is not None

    def sort_key(self) -> tuple[int, datetime, str]:
        """By start, proposed (undated) clinics last."""
        if self.start is None:
            return (1, datetime.max.replace(tzinfo=UTC), self.id)
        return (0, self.start, self.id)


def _later(start: datetime, duration: timedelta) -> datetime:
    """start + duration; a ValueError (not an OverflowError) past the last date Python knows."""
    try:
        return start + duration
    except OverflowError:
        raise ValueError(
            f"start + duration is out of range: lc takes dates up to the year {MAX_YEAR}"
        ) from None


def _check_duration(value: timedelta, what: str) -> None:
    if value % timedelta(minutes=1):
        raise ValueError(f"{what} must be whole minutes")
    if not MIN_DURATION <= value <= MAX_DURATION:
        minutes = int(value.total_seconds() // 60)
        raise ValueError(
            f"{what} is {minutes} minutes; a clinic lasts between 15 minutes and 12 hours"
        )
