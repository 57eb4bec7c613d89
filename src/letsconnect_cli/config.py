"""Configuration: lc.toml files, LC_* environment variables and flags, in that rising precedence.

Order, lowest first: the user's config file (`~/.config/lc/lc.toml`, or `$XDG_CONFIG_HOME/lc`,
`%APPDATA%\\lc` on Windows), the `lc.toml` of the working tree (the current folder or the nearest
parent that has one; `LC_CONFIG` names another file), `LC_*` variables, then command-line flags.
Paths in a file are relative to that file's folder. Secrets are never read from here.
"""

import os
import sys
import tomllib
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from letsconnect_cli import tomltext
from letsconnect_cli.clinic.values import OptionalText, RegionCode, no_items
from letsconnect_cli.emails import Organiser as Organiser  # [organiser]: the one organiser type
from letsconnect_cli.errors import ConfigError
from letsconnect_cli.vocab import Scheme

if TYPE_CHECKING:
    from letsconnect_cli.slots.window import Window

FILE_NAME = "lc.toml"
ENV_PREFIX = "LC_"


def _no_entries() -> dict[str, Any]:
    return {}


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class RegionSettings(_Section):
    main_cities: list[str] = Field(default_factory=no_items)

    @field_validator("main_cities")
    @classmethod
    def _zones(cls, value: list[str]) -> list[str]:
        from letsconnect_cli.errors import UsageError
        from letsconnect_cli.places.timezones import resolve_zone

        zones = []
        for name in value:
            try:
                zones.append(resolve_zone(name).key)
            except UsageError as error:
                raise ValueError(str(error).replace("\n", " ")) from None
        return zones


class CalendarSettings(_Section):
    """`lc invite`: where the .ics files go, the optional reminder, the fallback LOCATION, and
    how far back feed.ics reaches."""

    out_dir: Path | None = None  # default: invites/ beside the clinics folder
    reminder: timedelta | None = None  # a VALARM this long before the start; unset: none
    location: OptionalText = None  # LOCATION when a clinic has neither meeting link nor platform
    # feed.ics keeps clinics that ended up to this many days before today (then they leave it).
    feed_past_days: int = Field(default=90, ge=0, le=36600)

    @field_validator("reminder", mode="before")
    @classmethod
    def _reminder(cls, value: Any) -> Any:
        from letsconnect_cli.clinic.durations import parse_duration

        if value is None or isinstance(value, timedelta):
            return value
        if isinstance(value, str) and value.strip().lower() in ("", "none", "off", "no"):
            return None
        if isinstance(value, bool) or not isinstance(value, str | int):
            raise ValueError("write the reminder as text such as '15m' or '1h', or 'off'")
        duration = parse_duration(value)
        if not timedelta(0) <= duration <= timedelta(days=7):
            raise ValueError("a reminder is between 0m (at the start) and 7 days before it")
        return duration


class AnnounceSettings(_Section):
    """`lc announce`: where a user's templates are, and whom email announcements go to."""

    templates_dir: Path | None = None  # default: templates/ beside the clinics folder
    to: list[str] = Field(default_factory=no_items)  # To: of email announcements (a mailing list)

    @field_validator("to", mode="before")
    @classmethod
    def _split(cls, value: Any) -> Any:
        """LC_ANNOUNCE_TO holds addresses separated by commas."""
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value


META_WIKI_API = "https://meta.wikimedia.org/w/api.php"


class WikiSettings(_Section):
    """`lc publish`: the wiki, its page titles, the bot account. The password is never here."""

    api_url: str = META_WIKI_API
    # Placeholders: {id} (the clinic id), {date} (its UTC date), {year}, {lang} (page language).
    page_title: str = "Grants:Knowledge Sharing/Connect/Learning Clinics/{id}"
    index_page: str = "Grants:Knowledge Sharing/Connect/Learning Clinics"
    username: OptionalText = None  # a bot password's login name, Name@App (or LC_WIKI_USERNAME)
    password_file: Path | None = None  # a file holding the bot password alone (or LC_WIKI_PASSWORD)
    marked_section: bool = False  # new pages get lc's text between <!-- lc:begin/end --> markers
    timeout: float = Field(default=30.0, gt=0)
    max_retries: int = Field(default=4, ge=0, le=10)

    @field_validator("api_url")
    @classmethod
    def _api_url(cls, value: str) -> str:
        from letsconnect_cli.clinic.values import check_url

        return check_url(value)


class ReportSettings(_Section):
    """`[report]`: defaults of `lc report` (flags override them)."""

    examples: Path | None = None  # exports reported on when no SOURCE is given
    scheme: Scheme = Scheme.WIKIMEDIA
    min_count: int = Field(default=5, ge=0)
    columns: dict[str, str] = Field(default_factory=_no_entries)  # header -> field, like --map
    # Other name of a clinic -> its id.
    clinic_names: dict[str, str] = Field(default_factory=_no_entries)
    # A spelling of a country -> its ISO code; kept folded (case, accents, punctuation away).
    countries: dict[str, str] = Field(default_factory=_no_entries)
    max_download_mb: int = Field(default=100, gt=0)
    timeout: float = Field(default=30.0, gt=0)

    @field_validator("countries")
    @classmethod
    def _countries(cls, value: dict[str, str]) -> dict[str, str]:
        if not value:
            return value
        from letsconnect_cli.ingest.countries import check_mapping

        return check_mapping(value, "[report.countries]")


class SlotSettings(_Section):
    """`[slots]`: the acceptable local time of `lc slots` and of the time check of `lc validate`."""

    hours: str = "08:00-21:00"  # acceptable local hours; crossing midnight: "18:00-01:00"
    days: str = "all"  # allowed local weekdays: "all", "sat,sun", "mon-fri", "weekdays", ...
    duration: str = "2h"  # session length of `lc slots` when --duration is not given
    warn: bool = True  # lc validate / new-clinic warn about a start at bad local hours

    @field_validator("hours")
    @classmethod
    def _hours(cls, value: str) -> str:
        from letsconnect_cli.slots.window import parse_hours

        parse_hours(value)
        return value

    @field_validator("days")
    @classmethod
    def _days(cls, value: str) -> str:
        from letsconnect_cli.slots.window import parse_days

        parse_days(value)
        return value

    @field_validator("duration")
    @classmethod
    def _duration(cls, value: str) -> str:
        from letsconnect_cli.clinic.durations import parse_duration

        if not timedelta(minutes=15) <= parse_duration(value) <= timedelta(hours=12):
            raise ValueError("a session lasts between 15 minutes and 12 hours")
        return value

    def window(self) -> "Window":
        """The acceptable local time as a `slots.Window`."""
        from letsconnect_cli.slots.window import window

        return window(self.hours, self.days)


class SmtpSettings(_Section):
    """`lc invite --send`: the mail server, the sender, the pace. The password is never here:
    LC_SMTP_PASSWORD, or a file named by password_file."""

    host: OptionalText = None
    port: int | None = Field(default=None, ge=1, le=65535)  # default: 587, 465 (tls), 25 (none)
    security: Literal["starttls", "tls", "none"] = "starttls"  # none: only to a loopback host
    username: OptionalText = None  # the login; none: send without logging in
    password_file: Path | None = None  # a file holding the password alone (or LC_SMTP_PASSWORD)
    from_address: OptionalText = None  # From and the envelope sender; default: [organiser] email
    rate_limit: float = Field(default=30.0, ge=0)  # messages per minute; 0: as fast as possible
    timeout: float = Field(default=30.0, gt=0)  # seconds for connecting and for each reply
    ca_file: Path | None = None  # trust this CA (PEM) too, for a relay with a private certificate
    state_dir: Path | None = None  # the send log and its key; default: .lc-mail/ beside clinics

    @field_validator("security", mode="before")
    @classmethod
    def _security(cls, value: Any) -> Any:
        return value.strip().lower() if isinstance(value, str) else value


def _zone_name(value: str | None) -> str | None:
    """An IANA zone name as the tz database spells it; ValueError naming close ones."""
    from letsconnect_cli.errors import UsageError
    from letsconnect_cli.places.timezones import resolve_zone

    if value is None:
        return None
    try:
        return resolve_zone(value).key
    except UsageError as error:
        raise ValueError(str(error).replace("\n", " ")) from None


class UiSettings(_Section):
    """`[ui]`: how lc talks with the person at the terminal."""

    # The zone you think in: `lc new-clinic` offers it for a start typed without a zone.
    timezone: OptionalText = None

    @field_validator("timezone")
    @classmethod
    def _timezone(cls, value: str | None) -> str | None:
        return _zone_name(value)


class Config(_Section):
    """Everything lc.toml can hold. Later commands add their sections here."""

    clinics_dir: Path = Path("clinics")
    # lc validate keeps the results of unchanged clinic files in the user's cache folder.
    cache: bool = True
    default_region: RegionCode | None = None
    timezone: OptionalText = None  # an extra zone for `lc list` (and --tz's default)
    organiser: Organiser = Field(default_factory=lambda: Organiser())
    regions: dict[str, RegionSettings] = Field(default_factory=_no_entries)
    calendar: CalendarSettings = Field(default_factory=lambda: CalendarSettings())
    announce: AnnounceSettings = Field(default_factory=lambda: AnnounceSettings())
    wiki: WikiSettings = Field(default_factory=lambda: WikiSettings())
    report: ReportSettings = Field(default_factory=lambda: ReportSettings())
    slots: SlotSettings = Field(default_factory=lambda: SlotSettings())
    smtp: SmtpSettings = Field(default_factory=lambda: SmtpSettings())
    ui: UiSettings = Field(default_factory=lambda: UiSettings())

    @field_validator("timezone")
    @classmethod
    def _timezone(cls, value: str | None) -> str | None:
        return _zone_name(value)

    def main_cities(self) -> dict[str, tuple[str, ...]]:
        return {
            code.upper(): tuple(s.main_cities) for code, s in self.regions.items() if s.main_cities
        }


def user_config_path(environ: Mapping[str, str] | None = None) -> Path:
    environ = os.environ if environ is None else environ
    if sys.platform == "win32" and environ.get("APPDATA"):
        return Path(environ["APPDATA"]) / "lc" / FILE_NAME
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / "lc" / FILE_NAME
    base = environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "lc" / FILE_NAME


def project_config_path(start: Path, environ: Mapping[str, str]) -> Path | None:
    if environ.get("LC_CONFIG"):
        path = Path(environ["LC_CONFIG"])
        if not path.is_file():
            raise ConfigError(f"LC_CONFIG names {path}, which is not a file")
        return path
    for folder in (start, *start.parents):
        candidate = folder / FILE_NAME
        if candidate.is_file():
            return candidate
    return None


def _read_file(path: Path) -> tuple[dict[str, Any], str]:
    """The file's settings (paths made relative to the current folder) and its text."""
    try:
        text = path.read_text(encoding="utf-8-sig")
        data = tomllib.loads(text)
    except OSError as error:
        raise ConfigError(f"cannot read {path}: {error.strerror or error}") from error
    except UnicodeDecodeError:
        raise ConfigError(f"{path} is not UTF-8 text; save it as UTF-8") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: TOML syntax error: {error}") from None
    if "clinics_dir" in data and isinstance(data["clinics_dir"], str):
        data["clinics_dir"] = _relative_to_cwd(path.parent / data["clinics_dir"])
    for section, key in (
        ("calendar", "out_dir"),
        ("announce", "templates_dir"),
        ("wiki", "password_file"),
        ("report", "examples"),
        ("smtp", "password_file"),
        ("smtp", "ca_file"),
        ("smtp", "state_dir"),
    ):
        table = data.get(section)
        if isinstance(table, dict) and isinstance(table.get(key), str):
            table[key] = _relative_to_cwd(path.parent / Path(table[key]).expanduser())
    return data, text


def _relative_to_cwd(path: Path) -> str:
    """A path from a config file, relative to the current folder when that is possible."""
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path.resolve())


def _env_layer(environ: Mapping[str, str]) -> dict[str, Any]:
    """LC_<KEY> for top-level keys and LC_<SECTION>_<KEY> for keys of a section."""
    layer: dict[str, Any] = {}
    for name, info in Config.model_fields.items():
        annotation = info.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            for sub in annotation.model_fields:
                key = f"{ENV_PREFIX}{name}_{sub}".upper()
                if environ.get(key):
                    layer.setdefault(name, {})[sub] = environ[key]
        elif name != "regions":
            key = f"{ENV_PREFIX}{name}".upper()
            if environ.get(key):
                layer[name] = environ[key]
    return layer


def _merge(base: dict[str, Any], top: Mapping[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in top.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def load_config(
    flags: Mapping[str, Any] | None = None,
    *,
    cwd: Path | None = None,
    environ: Mapping[str, str] | None = None,
) -> Config:
    """The effective configuration; ConfigError names the file, line and key of a bad value."""
    from letsconnect_cli.clinic.clinics import problems_from

    environ = os.environ if environ is None else environ
    cwd = cwd or Path.cwd()
    layers: list[tuple[str, dict[str, Any], str]] = []  # (source, settings, text of a file)
    user = user_config_path(environ)
    if user.is_file():
        layers.append((str(user), *_read_file(user)))
    project = project_config_path(cwd, environ)
    if project is not None:
        layers.append((str(project), *_read_file(project)))
    layers.append(("the LC_* environment", _env_layer(environ), ""))
    layers.append(
        ("the command line", {k: v for k, v in (flags or {}).items() if v is not None}, "")
    )

    merged: dict[str, Any] = {}
    for source, data, text in layers:
        if not data:
            continue  # nothing set here (every setting has a default)
        try:  # check each layer alone first, so an error names the file it comes from
            Config.model_validate(data)
        except ValidationError as error:
            problems = problems_from(error, tomltext.key_lines(text), Config)
            details = "; ".join(
                f"{p.field}{f' (line {p.line})' if p.line else ''}: {p.message}" for p in problems
            )
            raise ConfigError(f"bad configuration in {source}: {details}") from None
        merged = _merge(merged, data)
    return Config.model_validate(merged)
