"""The program's calendar page: the upcoming clinics as a wiki table (`lc publish --index`)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from letsconnect_cli.announce.render import environment, languages_line, load_template, render
from letsconnect_cli.escaping import one_line
from letsconnect_cli.places.i18n import Language, format_date, format_time_range
from letsconnect_cli.vocab import Status

if TYPE_CHECKING:
    from letsconnect_cli.clinic.models import Clinic

INDEX_TEMPLATE = "announce/index.j2"


def upcoming(clinics: list[Clinic], now: datetime) -> tuple[list[Clinic], list[Clinic]]:
    """The dated clinics not over at `now` (by start; cancelled ones too, shown struck through),
    and the proposed ones (no date yet, by title)."""
    dated = [c for c in clinics if c.start is not None and c.end is not None and c.end > now]
    proposed = [c for c in clinics if c.status is Status.PROPOSED and c.start is None]
    return sorted(dated, key=lambda c: c.sort_key()), sorted(
        proposed, key=lambda c: c.title.casefold()
    )


def index_context(
    clinics: list[Clinic], language: Language, now: datetime, page_of: Callable[[Clinic], str]
) -> dict[str, Any]:
    coming, proposed = upcoming(clinics, now)
    rows = []
    for clinic in coming:
        assert clinic.start is not None and clinic.end is not None  # upcoming() keeps dated ones
        rows.append(
            {
                "id": clinic.id,
                "title": one_line(clinic.title),
                "page": page_of(clinic),
                "start_utc": clinic.start.isoformat(),
                "date": format_date(clinic.start, language),
                "time_utc": format_time_range(clinic.start, clinic.end, language),
                "sharers": [one_line(s.name) for s in clinic.sharers],
                "languages_line": languages_line(clinic, language),
                "registration_url": clinic.registration_url,
                "cancelled": clinic.status is Status.CANCELLED,
            }
        )
    return {
        "upcoming": rows,
        "proposed": [{"id": c.id, "title": one_line(c.title)} for c in proposed],
        "lang": language.tag,
        "dir": language.direction,
        "now": now.isoformat(),
        "format": "wikitext",
    }


def render_index(
    clinics: list[Clinic],
    language: Language,
    *,
    now: datetime,
    page_of: Callable[[Clinic], str],
    user_dir: Path | None = None,
) -> str:
    env = environment("wikitext", language, user_dir=user_dir)
    template = load_template(env, INDEX_TEMPLATE)
    return render(template, index_context(clinics, language, now, page_of)).rstrip() + "\n"
