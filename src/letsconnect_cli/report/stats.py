"""Aggregation: records in, counts out, in one pass, with memory that grows with people, not rows.

Who is the same person is `ingest.people`'s to say; the tally keeps, per person, the clinics they
registered for, attended and gave feedback on, and what they told about themselves. `counts()`
adds them up.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Iterator, Set
from dataclasses import dataclass, field

from letsconnect_cli.ingest.people import FORM_COUNTRY, NO_COUNTRY, People, country_trust
from letsconnect_cli.ingest.records import Record


@dataclass(slots=True, eq=False)
class Person:
    """What the rows tell about one person."""

    # Clinics as tuples, each clinic once: a set costs 216 bytes, a tuple of 3 clinics 64, and
    # three sets a person made `lc report` of a million rows 180 MiB larger (446 MiB in all).
    registered: tuple[str, ...] = ()  # clinics registered for
    source: str | None = None  # the source of their latest registration
    # Clinics registered for in that source: a second registration there is a duplicate.
    registered_in_source: tuple[str, ...] = ()
    attended: tuple[str, ...] = ()  # clinics attended
    scores: dict[str, int] = field(default_factory=dict)  # clinic -> the score given, 1-5
    country: str | None = None
    country_trust: int = NO_COUNTRY  # see `ingest.people.country_trust`
    region: str | None = None
    role: str | None = None
    languages: tuple[str, ...] = ()  # interpretation wanted, each once, first given first
    region_corrected: bool = False  # a region they gave contradicted their country
    skills_wanted: int = 0  # skill categories (bits of `ingest.skills.BIT`)
    skills_offered: int = 0
    home_wiki: str | None = None  # the first given


@dataclass
class Counts:
    """What the aggregation found, before privacy rules and rounding (see `figures`)."""

    clinic_ids: list[str] = field(default_factory=list)  # clinics with data, first seen first
    registration_clinics: set[str] = field(default_factory=set)  # clinics with registration data
    attendance_clinics: set[str] = field(default_factory=set)  # clinics with attendance data
    participants: int = 0
    returning: int = 0
    registrations: int = 0
    attended: int = 0
    registrations_where_attendance: int = 0
    attended_registrants: int = 0
    duplicates: int = 0
    rejoins: int = 0  # attendance rows of a person already counted in that clinic (Zoom rejoins)
    attendees: int = 0  # people who attended at least one clinic
    returning_attendees: int = 0  # people who attended two or more
    region_corrected: int = 0
    regions: Counter[str] = field(default_factory=Counter)
    countries: Counter[str] = field(default_factory=Counter)
    with_region: int = 0
    with_country: int = 0
    roles: Counter[str] = field(default_factory=Counter)
    with_role: int = 0
    languages: Counter[str] = field(default_factory=Counter)  # by language, scripts counted as one
    language_scripts: Counter[str] = field(default_factory=Counter)  # "zh-Hant": as exports said
    with_languages: int = 0
    ratings: Counter[int] = field(default_factory=Counter)
    # Skills: (category bit, region or "") -> people wanting / offering; people who answered.
    skills_wanted: Counter[tuple[int, str]] = field(default_factory=Counter)
    skills_offered: Counter[tuple[int, str]] = field(default_factory=Counter)
    with_skills: int = 0
    home_wikis: int | None = None  # distinct home wikis of the participants; None: no such column
    clinic_registrations: Counter[str] = field(default_factory=Counter)
    clinic_attended: Counter[str] = field(default_factory=Counter)
    clinic_rating_sum: Counter[str] = field(default_factory=Counter)
    clinic_rating_n: Counter[str] = field(default_factory=Counter)


class Tally:
    """Feed it records with `add`; `counts()` gives the totals."""

    def __init__(self) -> None:
        self._people: People[Person] = People(Person, self._merge)
        self._clinics: dict[str, None] = {}  # clinics with data, first seen first
        self._registration_clinics: set[str] = set()
        self._attendance_clinics: set[str] = set()
        self._duplicates = 0
        self._rejoins = 0

    def add_all(self, records: Iterable[Record]) -> Tally:
        add = self.add
        for record in records:
            add(record)
        return self

    def add(self, record: Record) -> None:
        clinic = record.clinic
        assert clinic is not None, "records reach the tally attributed"
        if clinic not in self._clinics:
            self._clinics[clinic] = None
        person = self._people.of(record)
        registered, attended = record.registered, record.attended
        if registered:
            self._registration_clinics.add(clinic)
            if person.source != record.source:
                person.source = record.source
                person.registered_in_source = ()
            if clinic in person.registered_in_source:
                self._duplicates += 1
            else:
                person.registered_in_source += (clinic,)
                if clinic not in person.registered:
                    person.registered += (clinic,)
        if attended is not None:
            self._attendance_clinics.add(clinic)
            if attended:
                if clinic in person.attended:
                    self._rejoins += 1
                else:
                    person.attended += (clinic,)
        if record.rating is not None:
            if clinic in person.scores:
                self._duplicates += 1  # a second answer to the same clinic's feedback
            else:
                person.scores[clinic] = record.rating
        if not (registered or attended):
            return
        # What people say about themselves: the country trusted most (`country_trust`) and its
        # region, else the region they gave; the first role given stands; languages add up.
        if record.country is not None:
            if person.country_trust < FORM_COUNTRY:  # a form's country is never replaced
                trust = country_trust(record)
                if trust > person.country_trust:
                    person.country, person.region = record.country, record.region
                    person.country_trust = trust
        elif person.country is None and person.region is None:
            person.region = record.region
        if person.role is None:
            person.role = record.role
        languages = record.languages
        if languages and languages != person.languages:
            person.languages = _union(person.languages, languages)
        if record.region_corrected:
            person.region_corrected = True
        if record.skills_wanted or record.skills_offered:
            person.skills_wanted |= record.skills_wanted
            person.skills_offered |= record.skills_offered
        if person.home_wiki is None:
            person.home_wiki = record.home_wiki

    def _merge(self, keep: Person, gone: Person) -> None:
        """Two people seen apart turn out to be one (an email here, a username there)."""
        if keep.source is not None and keep.source == gone.source:
            self._duplicates += _common(keep.registered_in_source, gone.registered_in_source)
            keep.registered_in_source = _union(keep.registered_in_source, gone.registered_in_source)
        keep.registered = _union(keep.registered, gone.registered)
        self._rejoins += _common(keep.attended, gone.attended)  # attended under each identity
        keep.attended = _union(keep.attended, gone.attended)
        for clinic, score in gone.scores.items():
            if clinic in keep.scores:
                self._duplicates += 1  # feedback given twice, once under each identity
            else:
                keep.scores[clinic] = score
        if gone.country_trust > keep.country_trust:
            keep.country, keep.region = gone.country, gone.region
            keep.country_trust = gone.country_trust
        elif keep.country is None and keep.region is None:
            keep.region = gone.region
        keep.role = keep.role or gone.role
        keep.languages = _union(keep.languages, gone.languages)
        keep.region_corrected = keep.region_corrected or gone.region_corrected
        keep.skills_wanted |= gone.skills_wanted
        keep.skills_offered |= gone.skills_offered
        keep.home_wiki = keep.home_wiki or gone.home_wiki

    def counts(self, asked: Set[str] = frozenset()) -> Counts:
        """The totals. `asked`: the fields some source has a column for (`IngestLog.fields`):
        home wikis are counted, 0 or more, when a source asks for them."""
        result = Counts(
            clinic_ids=list(self._clinics),
            registration_clinics=set(self._registration_clinics),
            attendance_clinics=set(self._attendance_clinics),
            duplicates=self._duplicates,
            rejoins=self._rejoins,
        )
        # People who want the same languages, or name the same skills, are counted as a group,
        # each group's languages or skills then counted once.
        languages: Counter[tuple[str, ...]] = Counter()
        skills: Counter[tuple[int, int, str]] = Counter()
        home_wikis = set()
        for person in self._people:
            for clinic, score in person.scores.items():
                result.ratings[score] += 1
                result.clinic_rating_sum[clinic] += score
                result.clinic_rating_n[clinic] += 1
            registered, attended = person.registered, person.attended
            if not (registered or attended):
                continue  # gave feedback only: no participant
            result.participants += 1
            if len(_union(registered, attended) if attended else registered) > 1:
                result.returning += 1  # two or more clinics, registered for or attended
            for clinic in registered:
                result.clinic_registrations[clinic] += 1
            if attended:
                result.attendees += 1
                if len(attended) > 1:
                    result.returning_attendees += 1
                for clinic in attended:
                    result.clinic_attended[clinic] += 1
                result.attended_registrants += _common(registered, attended)
            if registered and self._attendance_clinics:
                result.registrations_where_attendance += _common(
                    registered, self._attendance_clinics
                )
            if person.region is not None:
                result.regions[person.region] += 1
            if person.country is not None:
                result.countries[person.country] += 1
            if person.role is not None:
                result.roles[person.role] += 1
            result.region_corrected += person.region_corrected
            if person.languages:
                languages[person.languages] += 1
            if person.skills_wanted or person.skills_offered:
                skills[(person.skills_wanted, person.skills_offered, person.region or "")] += 1
            if person.home_wiki is not None:
                home_wikis.add(person.home_wiki)
        for codes, n in languages.items():
            result.with_languages += n
            for code in dict.fromkeys(code.split("-", 1)[0] for code in codes):
                result.languages[code] += n
            for form in _scripts(codes):
                result.language_scripts[form] += n
        for (wanted, offered, region), n in skills.items():
            result.with_skills += n
            for bit in _bits(wanted):
                result.skills_wanted[(bit, region)] += n
            for bit in _bits(offered):
                result.skills_offered[(bit, region)] += n
        result.registrations = result.clinic_registrations.total()
        result.attended = result.clinic_attended.total()
        result.with_region = result.regions.total()
        result.with_country = result.countries.total()
        result.with_role = result.roles.total()
        if "home_wiki" in asked or home_wikis:
            result.home_wikis = len(home_wikis)
        return result


def _union(first: tuple[str, ...], second: tuple[str, ...]) -> tuple[str, ...]:
    """The items of both, each once, first given first."""
    return tuple(dict.fromkeys(first + second))


def _common(first: Collection[str], second: Collection[str]) -> int:
    """How many items are in both."""
    return sum(item in second for item in first)


def _scripts(codes: tuple[str, ...]) -> dict[str, None]:
    """The written forms the tags give ('zh-Hant', from 'zh-Hant' or 'zh-TW'), each once."""
    forms: dict[str, None] = {}
    for code in codes:
        if "-" in code:
            from letsconnect_cli.ingest.language_names import script_of

            script = script_of(code)
            if script:
                forms.setdefault(f"{code.split('-', 1)[0]}-{script}", None)
    return forms


def _bits(mask: int) -> Iterator[int]:
    """The set bits of a mask, as bits (1, 2, 4, ...)."""
    while mask:
        low = mask & -mask
        yield low
        mask ^= low
