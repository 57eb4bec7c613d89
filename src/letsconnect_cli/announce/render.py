"""Announcements of a clinic: what they say (the template context) and rendering them in a format.

Templates ship in `templates/announce/` and are overridden by name from a user's folder
(`templates/announce/<format>.j2` beside the clinics, or `[announce] templates_dir`). All of them,
packaged or not, run in Jinja2's sandbox with StrictUndefined: a template cannot reach Python's
internals, and an unknown variable is an error naming the template and line, never a blank.
Every `{{ value }}` is escaped for the format (`escaping.py`); links go through the `url` filter.
"""

from __future__ import annotations

import traceback
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from letsconnect_cli.emails import Organiser as Organiser  # the one organiser type
from letsconnect_cli.errors import InputUnreadable, Problem, UsageError, ValidationFailed
from letsconnect_cli.escaping import FORMATS, escape_for, one_line, strip_controls, url_for
from letsconnect_cli.places.i18n import (
    Language,
    city_name,
    format_date,
    format_duration,
    format_list,
    format_time,
    format_time_range,
    join_date_time,
    language_name,
    review_status,
    translations,
)
from letsconnect_cli.vocab import Category, Status

if TYPE_CHECKING:
    from jinja2 import Template, TemplateNotFound, TemplateSyntaxError
    from jinja2.sandbox import SandboxedEnvironment

    from letsconnect_cli.clinic.models import Clinic
    from letsconnect_cli.places.regions import Region
    from letsconnect_cli.places.timezones import LocalTime

#: The file extension of each format, for `--all-langs` and `-o` folders.
EXTENSIONS = {"wikitext": "wiki", "markdown": "md", "text": "txt", "html": "html", "email": "eml"}
TEMPLATE_FOLDER = "announce"
#: A page everyone can open to see an instant in their own time zone (a Wikimedia Toolforge tool).
LOCAL_TIME_URL = "https://zonestamp.toolforge.org/{timestamp}"
_CUSTOM = "<--template>"


def N_(message: str) -> str:
    """Marks a label for extraction into the catalogs; translated where it is shown."""
    return message


#: The skill categories' labels (the msgids; vocab.CATEGORY_LABELS says the same, a test checks).
CATEGORY_MSGIDS: dict[Category, str] = {
    Category.FUNDING: N_("Specific funding-related issues"),
    Category.TACTICS: N_("Programmatic tactics"),
    Category.ORGANISATIONAL: N_("Organisational skills / capacities / sustainability"),
    Category.TECHNICAL: N_("Technical skills for wiki projects"),
    Category.INTERPERSONAL: N_("Interpersonal skills"),
}


@dataclass(frozen=True)
class Announcement:
    """One rendered announcement. For `email`, `text` is the whole RFC 5322 message."""

    clinic_id: str
    output_format: str
    language: Language
    text: str
    template: str  # the template's file, or "package:announce/<format>.j2"
    subject: str | None = None
    fallbacks: tuple[str, ...] = ()  # the clinic's fields with no translation in this language

    @property
    def review_status(self) -> str | None:
        return review_status(self.language.catalog)


# --- what an announcement says ----------------------------------------------------------------


#: Single-line fields (a title, a name, the platform) stay on one line in every format: a line
#: break would end a list item, a table cell or a heading.
_one_line = one_line


def clinic_context(
    clinic: Clinic,
    language: Language,
    regions: list[Region],
    organiser: Organiser,
) -> dict[str, Any]:
    """The variables every announcement template gets (plain data: no methods to call)."""
    from letsconnect_cli.places.regions import main_city_times

    if clinic.start is None or clinic.end is None:
        raise UsageError(
            f"{clinic.id} has no date yet (status {clinic.status.value}): "
            "there is nothing to announce",
            hint="Give it a start (and status scheduled or confirmed), then announce it.",
        )
    gettext = translations(language.catalog).gettext
    start, end = clinic.start, clinic.end
    date_text = format_date(start, language)
    utc_range = format_time_range(start, end, language) + " UTC"
    cities = []
    for local in main_city_times(regions, start, end):
        other_day = local.start.date() != start.date()
        cities.append(
            {
                "zone": local.zone,
                "city": city_name(local.zone, language),
                "time": format_time(local.start, language, weekday=other_day),
                # the local date and time, as the locale writes them: 2023年4月2日(日) 15:00
                "datetime": join_date_time(
                    format_date(local.start, language), format_time(local.start, language), language
                ),
                "offset": local.utc_offset,
                "other_day": other_day,
                "clock_change": clock_change_text(local, language),
            }
        )
    # Translators: a time in a city, e.g. "14:00 Manila"; put the city first where that reads
    # better.
    city_pattern = gettext("%(time)s %(city)s")
    city_items = [
        city_pattern % {"time": c["time"], "city": c["city"]}
        + (f" {c['clock_change']}" if c["clock_change"] else "")
        for c in cities
    ]
    time_line = " · ".join([utc_range, *city_items])
    from letsconnect_cli.clinic.translations import texts

    own = texts(clinic, language.tag)
    sharers = []
    for sharer, translated in zip(clinic.sharers, own.sharers, strict=True):
        role, affiliation = translated.role, translated.affiliation
        parts = [_one_line(p) for p in (sharer.name, role, affiliation) if p]
        sharers.append(
            {
                "name": _one_line(sharer.name),
                "role": role and _one_line(role),
                "affiliation": affiliation and _one_line(affiliation),
                "username": sharer.username and _one_line(sharer.username),
                "line": ", ".join(parts),
            }
        )
    main_language = language_name(clinic.language, language)
    interpretation = [language_name(tag, language) for tag in clinic.interpretation]
    contact = _one_line(clinic.contact or organiser.email or "") or None
    timestamp = int(start.timestamp())
    return {
        "clinic": {
            "id": clinic.id,
            "title": _one_line(own.title),
            "description": own.description,
            "untranslated": list(own.fallbacks),
            "category": gettext(CATEGORY_MSGIDS[clinic.category]) if clinic.category else None,
            "status": clinic.status.value,
            "cancelled": clinic.status is Status.CANCELLED,
            "done": clinic.status is Status.DONE,
            "platform": clinic.platform and _one_line(clinic.platform),
            "language": main_language,
            "interpretation": interpretation,
            "languages_line": languages_line(clinic, language),
            "sharers": sharers,
            "registration_url": clinic.registration_url,
            "contact": contact,
            "contact_is_email": bool(contact and "@" in contact and "://" not in contact),
            "links": {
                "recording": clinic.links.recording,
                "slides": clinic.links.slides,
                "etherpad": clinic.links.etherpad,
            },
        },
        "when": {
            "date": date_text,
            "time_utc": utc_range,
            "cities": cities,
            "time_line": time_line,
            "line": " · ".join([join_date_time(date_text, utc_range, language), *city_items]),
            "start_utc": start.isoformat(),
            "end_utc": end.isoformat(),
            "timestamp": timestamp,
            "duration": format_duration(clinic.length, language),
            "local_time_url": LOCAL_TIME_URL.format(timestamp=timestamp),
        },
        "region": {"codes": [r.code for r in regions], "names": [r.name for r in regions]},
        "organiser": {"name": organiser.name, "email": organiser.email},
        "lang": language.tag,
        "dir": language.direction,
    }


def clock_change_text(local: LocalTime, language: Language) -> str | None:
    """'(clocks go back 1 hour at 03:00 on Sun 4 Apr)' when the city's clocks change within a
    day of the session (timezones.CLOCK_CHANGE_MARGIN), else None."""
    from babel.dates import format_skeleton

    change = local.clock_change
    if change is None:
        return None
    gettext = translations(language.catalog).gettext
    if change.back:
        # Translators: beside a city's time when its clocks change near the session, e.g.
        # "(clocks go back 1 hour at 03:00 on Sun 4 Apr)"; the time is the local one before.
        pattern = gettext("(clocks go back %(amount)s at %(time)s on %(date)s)")
    else:
        # Translators: as "(clocks go back ...)", when the clocks go forward.
        pattern = gettext("(clocks go forward %(amount)s at %(time)s on %(date)s)")
    moment = change.local_at
    return pattern % {
        "amount": format_duration(change.amount, language),
        "time": format_time(moment, language),
        "date": format_skeleton("MMMEd", moment, locale=language.locale),
    }


def languages_line(clinic: Clinic, language: Language) -> str:
    """The session's language and its interpretation, named in `language`."""
    main = language_name(clinic.language, language)
    others = [language_name(tag, language) for tag in clinic.interpretation]
    if not others:
        return main
    # Translators: "English, with interpretation into Japanese and Chinese".
    pattern = translations(language.catalog).gettext(
        "%(language)s, with interpretation into %(languages)s"
    )
    return pattern % {"language": main, "languages": format_list(others, language)}


# --- templates ----------------------------------------------------------------------------------


def environment(
    output_format: str,
    language: Language,
    *,
    user_dir: Path | None = None,
    template_file: Path | None = None,
) -> SandboxedEnvironment:
    """The sandboxed environment for one format and language, user templates first."""
    from jinja2 import (
        ChoiceLoader,
        FileSystemLoader,
        FunctionLoader,
        PackageLoader,
        StrictUndefined,
    )
    from jinja2.loaders import BaseLoader
    from jinja2.sandbox import SandboxedEnvironment
    from markupsafe import Markup

    if output_format not in FORMATS:
        raise UsageError(
            f"unknown format {output_format!r}", hint=f"Use one of: {', '.join(FORMATS)}."
        )
    loaders: list[BaseLoader] = []
    if template_file is not None:
        source = _read_template(template_file)
        loaders.append(
            FunctionLoader(
                lambda name: (source, str(template_file), lambda: True) if name == _CUSTOM else None
            )
        )
    if user_dir is not None and user_dir.is_dir():
        loaders.append(FileSystemLoader(user_dir))
    loaders.append(PackageLoader("letsconnect_cli", "templates"))
    html = output_format == "html"
    escape = None if html else escape_for(output_format)

    def finalize(value: Any) -> Any:
        if value is None:
            return ""
        if isinstance(value, Markup):
            return value
        if escape is None:  # HTML: Jinja escapes the markup; control characters go here
            return strip_controls(value) if isinstance(value, str) else value
        return escape(str(value))

    make_url = url_for(output_format)
    env = SandboxedEnvironment(
        loader=ChoiceLoader(loaders),
        undefined=StrictUndefined,
        autoescape=html,
        finalize=finalize,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.install_gettext_translations(translations(language.catalog), newstyle=True)  # type: ignore[attr-defined]
    env.filters["url"] = lambda value: value if html else Markup(make_url(str(value)))
    return env


def _read_template(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputUnreadable(f"template {path} does not exist") from None
    except UnicodeDecodeError:
        raise InputUnreadable(f"template {path} is not UTF-8 text; save it as UTF-8") from None
    except OSError as error:
        raise InputUnreadable(f"cannot read template {path}: {error.strerror or error}") from None


def template_name(output_format: str, part: str | None = None) -> str:
    return f"{TEMPLATE_FOLDER}/{output_format}{'-' + part if part else ''}.j2"


def load_template(env: SandboxedEnvironment, name: str) -> Template:
    from jinja2 import TemplateNotFound, TemplateSyntaxError

    try:
        return env.get_template(name)
    except TemplateSyntaxError as error:
        raise _syntax_error(error, name) from None
    except TemplateNotFound as error:
        raise _not_found(error) from None


def _syntax_error(error: TemplateSyntaxError, fallback: str) -> ValidationFailed:
    """A template's syntax error, named by the template it is in (`fallback` if Jinja has none)."""
    where = error.filename or error.name or fallback
    return ValidationFailed(
        f"template {where} has a syntax error",
        [Problem(None, error.lineno, error.message or str(error))],
        source=where,
    )


def _not_found(error: TemplateNotFound) -> InputUnreadable:
    return InputUnreadable(
        f"template {error.name} not found",
        hint="A template can include or extend packaged ones by name, e.g. announce/text.j2.",
    )


def render(template: Template, context: dict[str, Any]) -> str:
    """Render; errors (unknown variable, sandbox refusal, ...) name the template and line."""
    from jinja2 import TemplateNotFound, TemplateSyntaxError
    from jinja2.exceptions import SecurityError, UndefinedError

    try:
        return template.render(context)
    except TemplateSyntaxError as error:  # in an included or extended template
        raise _syntax_error(error, str(template.filename)) from None
    except TemplateNotFound as error:
        raise _not_found(error) from None
    except Exception as error:  # a user's template can fail in any way; name the place
        where, line = _template_position(error, template)
        if isinstance(error, SecurityError):
            message = f"refused by the sandbox: {error}"
        elif isinstance(error, UndefinedError):
            message = (
                f"{error.message}; the docs' Announcements page (Templates) lists the variables"
            )
        else:
            message = f"{type(error).__name__}: {error}"
        raise ValidationFailed(
            f"template {where} failed", [Problem(None, line, message)], source=where
        ) from None


def _template_position(error: BaseException, template: Template) -> tuple[str, int | None]:
    """The innermost template frame of the traceback (Jinja rewrites frames to template lines)."""
    for frame in reversed(traceback.extract_tb(error.__traceback__)):
        name = frame.filename
        if not name.endswith(".py") and not name.startswith("<frozen"):
            return name, frame.lineno
    return str(template.filename or template.name), None


def template_origin(template: Template) -> str:
    """Where a template came from: its file, or package:<name> for the packaged ones."""
    filename = str(template.filename or "")
    packaged = Path(__file__).resolve().parent.parent / "templates"
    try:
        Path(filename).resolve().relative_to(packaged)
    except ValueError:
        return filename or str(template.name)
    return f"package:{template.name}"


# --- rendering an announcement ----------------------------------------------------------------


def announce(
    clinic: Clinic,
    output_format: str,
    language: Language,
    *,
    regions: list[Region],
    organiser: Organiser,
    user_dir: Path | None = None,
    template_file: Path | None = None,
    to: list[str] | None = None,
    now: datetime | None = None,
) -> Announcement:
    """A clinic's announcement in one format and language."""
    context = clinic_context(clinic, language, regions, organiser)
    context["format"] = output_format
    env = environment(output_format, language, user_dir=user_dir, template_file=template_file)
    template = load_template(
        env, _CUSTOM if template_file is not None else template_name(output_format)
    )
    body = render(template, context).rstrip() + "\n"
    origin = template_origin(template)
    fallbacks = tuple(context["clinic"]["untranslated"])
    if output_format != "email":
        return Announcement(clinic.id, output_format, language, body, origin, fallbacks=fallbacks)

    from datetime import UTC

    from letsconnect_cli.announce.email_message import email_message

    subject = _one_line(render(load_template(env, template_name("email", "subject")), context))
    message = email_message(
        body=body,
        subject=subject,
        sender=organiser,
        to=to or [],
        language=language.tag,
        identity=f"{clinic.uid}|{language.tag}",
        now=now or datetime.now(UTC),
    )
    return Announcement(clinic.id, output_format, language, message, origin, subject, fallbacks)


def regions_for(
    clinic: Clinic,
    codes: list[str] | None,
    default_region: str | None,
    main_cities: dict[str, tuple[str, ...]] | None = None,
) -> tuple[list[Region], str | None]:
    """The regions whose local times an announcement shows: `codes` (--region), else the
    clinic's, else the configuration's default; and a warning when there is none."""
    from letsconnect_cli.places.regions import region

    chosen = codes or clinic.regions or ([default_region] if default_region else [])
    note = None
    if not chosen:
        note = f"{clinic.id} names no region and none is given: times in UTC only (--region ESEAP)"
    return [region(code, main_cities=main_cities or {}) for code in chosen], note
