"""A new clinic file from its values, without the terminal (`lc new-clinic`'s work once the values
are known): the defaults, the checks, the id, the calendar UID, writing it, and what to say about
its time.

    fields = complete({"title": "Lexemes", "start": start, ...}, default_region="ESEAP")
    created = create_clinic(Path("clinics"), fields, clinic_id=None, force=False, dry_run=False)
    created.path, created.clinic, created.text()

Problems name the values by `names` (e.g. the command's flags: {"title": "--title"}).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from letsconnect_cli.errors import FileExistsRefusal, Problem, ValidationFailed

if TYPE_CHECKING:
    from letsconnect_cli.clinic.models import Clinic
    from letsconnect_cli.places.timezones import LocalTime
    from letsconnect_cli.slots import Window


@dataclass(frozen=True)
class Created:
    """The new clinic, its file, and whether it was written (not a dry run)."""

    clinic: Clinic
    path: Path
    written: bool

    def text(self) -> str:
        """The file's text, as it is (or would be) written."""
        from letsconnect_cli.clinic.clinics import render_clinic

        return render_clinic(self.clinic)


def complete(fields: dict[str, Any], *, default_region: str | None = None) -> dict[str, Any]:
    """The values with the defaults of a new clinic: the configured region, 2h, English, no
    interpretation, no sharers."""
    done = dict(fields)
    if not done.get("regions") and default_region:
        done["regions"] = [default_region]
    done["duration"] = done.get("duration") or "2h"
    done["language"] = done.get("language") or "en"
    done["interpretation"] = done.get("interpretation") or []
    done["sharers"] = done.get("sharers") or []
    return done


def new_uid() -> str:
    """A calendar UID for a new clinic."""
    return f"{uuid.uuid4()}@letsconnect"


def existing_uid(path: Path) -> str | None:
    """When --force replaces a clinic, it keeps the calendar UID so sent invites stay linked."""
    from letsconnect_cli.clinic.clinics import read_clinic_file

    if not path.is_file():
        return None
    existing = read_clinic_file(path)
    return existing.clinic.calendar.uid if existing.clinic else None


def control_problems(fields: Mapping[str, Any], names: Mapping[str, str]) -> list[Problem]:
    """A problem for each text value holding a control character (ESC, BEL, CR, ...): tab and
    newline only in a field of several lines (`drafts.control_problem`)."""
    from letsconnect_cli.clinic.drafts import MULTILINE_FIELDS, SHARER_PARTS, control_problem

    translate = names.get("translations", "translations")
    sharer = names.get("sharers", "sharers")
    found = []
    for key, value in fields.items():
        texts: list[tuple[str, str]] = []
        if isinstance(value, str):
            texts.append((names.get(key, key), value))
        elif key == "sharers" and value:
            for item in value:
                texts += [(f"{sharer} ({part})", item.get(part) or "") for part in SHARER_PARTS]
                for tag, parts in (item.get("translations") or {}).items():
                    texts += [(f"{sharer} ({part}, {tag})", t) for part, t in parts.items()]
        elif key == "translations" and value:
            for tag, parts in value.items():
                texts += [(f"{translate} {tag} ({part})", text) for part, text in parts.items()]
        for name, text in texts:
            multiline = key in MULTILINE_FIELDS or name.endswith("(description)")
            problem = control_problem(str(text), multiline=multiline)
            if problem is not None:
                found.append(Problem(name, None, problem))
    return found


def build_clinic(
    clinic_id: str, fields: Mapping[str, Any], names: Mapping[str, str] | None = None
) -> Clinic:
    """The clinic of these values, checked by the clinic rules; ValidationFailed naming each
    problem's value (by `names`) when it is not valid."""
    from letsconnect_cli.clinic.clinics import clinic_from_mapping

    names = names or {}
    refused = control_problems(fields, names)
    if refused:
        raise ValidationFailed("the new clinic is not valid; nothing was written", refused)
    raw = {key: value for key, value in fields.items() if value is not None}
    clinic, problems = clinic_from_mapping(clinic_id, raw)
    if clinic is None:
        named = [Problem(_name_for(p.field, names), None, p.message) for p in problems]
        raise ValidationFailed("the new clinic is not valid; nothing was written", named)
    return clinic


def _name_for(field: str | None, names: Mapping[str, str]) -> str | None:
    if field is None:
        return None
    head = field.split(".", 1)[0].split("[", 1)[0]
    return names.get(head, field)


def create_clinic(
    clinics_dir: Path,
    clinic_id: str,
    fields: Mapping[str, Any],
    *,
    force: bool = False,
    dry_run: bool = False,
    names: Mapping[str, str] | None = None,
) -> Created:
    """Check the clinic and write `clinics_dir/<id>.toml` atomically (a dry run writes nothing);
    never over an existing file without `force`, and then keeping its calendar UID."""
    from letsconnect_cli.clinic import clinics as clinics_lib

    target = clinics_dir / f"{clinic_id}{clinics_lib.SUFFIX}"
    uid = existing_uid(target) if force else None
    clinic = build_clinic(clinic_id, {**fields, "calendar": {"uid": uid or new_uid()}}, names)
    if dry_run:
        if target.exists() and not force:
            raise FileExistsRefusal(
                f"{target} already exists", hint="Give --force to overwrite it."
            )
        return Created(clinic, target, written=False)
    path = clinics_lib.write_clinic(clinics_dir, clinic, force=force)
    return Created(clinic, path, written=True)


def local_times(
    clinic: Clinic, main_cities: dict[str, tuple[str, ...]] | None = None
) -> list[LocalTime]:
    """The clinic's time in each zone group of its regions (none without a start or regions)."""
    from letsconnect_cli.places import regions as regions_lib
    from letsconnect_cli.places.timezones import local_times_for_groups

    if clinic.start is None or clinic.end is None or not clinic.regions:
        return []
    chosen = [regions_lib.region(code, main_cities=main_cities or {}) for code in clinic.regions]
    groups = regions_lib.zone_groups(chosen, clinic.start)
    return local_times_for_groups(clinic.start, clinic.end, groups)


def time_warning(clinic: Clinic, window: Window | None) -> str | None:
    """The time check of `lc validate` (None when `window` is None: [slots] warn = false)."""
    from letsconnect_cli.slots.checks import check_clinic

    if window is None or clinic.start is None or not clinic.regions:
        return None
    check = check_clinic(clinic, window)
    return f"{clinic.id}: start: {check.message()}" if check is not None else None


def start_warnings(start: datetime | None, now: datetime) -> list[str]:
    """What to warn about a start a person may have mistyped (past, years ahead)."""
    from letsconnect_cli.clinic.drafts import start_warnings as warnings_of

    return [] if start is None else [item.message for item in warnings_of(start, now)]
