"""Which clinic a row belongs to: a clinic column, a Zoom topic and start, a file name, or --clinic.

Clinic names in exports are typed by people: "Let's Connect Learning Clinic: Travel scholarships"
is the clinic titled "Guidelines, best practices, and documented learnings related to travel
scholarships". A name matches a clinic's id or title, forgiving case, spacing, punctuation and the
program's prefixes; failing that, a clinic whose title holds every word of the name (or the other
way round), when exactly one does.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from pathlib import PurePath

from letsconnect_cli.clinic.models import Clinic
from letsconnect_cli.errors import UsageError
from letsconnect_cli.ingest.cleaning import fold

_PREFIX = re.compile(r"^(?:let s connect\s*)?(?:learning clinic\s*)?(?:let s connect\s*)?")
_STOP = frozenset({"a", "an", "and", "the", "of", "on", "to", "with", "for", "in", "related"})


def _key(text: str) -> str:
    return _PREFIX.sub("", fold(text)).strip()


def _words(text: str) -> frozenset[str]:
    return frozenset(w for w in text.split() if w not in _STOP)


class ClinicMatcher:
    """Resolves clinic names, Zoom topics and file names to clinic ids; results are cached."""

    def __init__(self, clinics: Sequence[Clinic], aliases: Mapping[str, str] | None = None) -> None:
        self.clinics = {c.id: c for c in clinics}
        self._exact: dict[str, str] = {}
        for name, clinic_id in (aliases or {}).items():
            if clinic_id not in self.clinics:
                raise UsageError(
                    f"[report.clinic_names]: {name!r} names clinic {clinic_id!r}, "
                    "which does not exist",
                    hint="Use a clinic id as `lc list` shows it.",
                )
            self._exact[_key(name)] = clinic_id
        for clinic in clinics:
            self._exact.setdefault(clinic.id.casefold(), clinic.id)
            self._exact.setdefault(_key(clinic.id), clinic.id)
            self._exact.setdefault(_key(clinic.title), clinic.id)
        self._words = {c.id: _words(_key(c.title)) for c in clinics}
        self._cache: dict[str, str | None] = {}

    def match(self, text: str) -> str | None:
        """The clinic id a clinic name or id stands for, or None."""
        if text in self._cache:
            return self._cache[text]
        found = self._match(text)
        self._cache[text] = found
        return found

    def _match(self, text: str) -> str | None:
        stripped = text.strip()
        if stripped.casefold() in self._exact:
            return self._exact[stripped.casefold()]
        key = _key(stripped)
        if not key:
            return None
        if key in self._exact:
            return self._exact[key]
        words = _words(key)
        if len(words) < 2:
            return None
        close = [cid for cid, title in self._words.items() if words <= title or title <= words]
        return close[0] if len(close) == 1 else None

    def match_meeting(self, topic: str | None, start: datetime | None) -> str | None:
        """A Zoom report's clinic: by its topic, else the one clinic starting within 12 hours."""
        if topic:
            found = self.match(topic)
            if found is not None:
                return found
        if start is None:
            return None
        near = [
            c.id
            for c in self.clinics.values()
            if c.start is not None and abs(c.start - start) <= timedelta(hours=12)
        ]
        return near[0] if len(near) == 1 else None

    def match_file(self, path: PurePath, root: PurePath | None = None) -> str | None:
        """A file, or a folder holding it, named after a clinic id (`<id>.csv`, `<id>-zoom.csv`)."""
        found = self._match_name(path.stem)
        parent = path.parent
        while found is None and root is not None and parent != root and root in parent.parents:
            found = self._match_name(parent.name)
            parent = parent.parent
        return found

    def _match_name(self, name: str) -> str | None:
        stem = name.casefold()
        best = None
        for clinic_id in self.clinics:
            folded = clinic_id.casefold()
            if (stem == folded or stem.startswith((folded + "-", folded + "_", folded + "."))) and (
                best is None or len(clinic_id) > len(best)
            ):
                best = clinic_id
        return best
