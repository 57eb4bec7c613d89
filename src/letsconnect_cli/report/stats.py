"""Aggregation: records in, counts out, in one pass, with memory that grows with people, not rows.

A person is the same email, else the same username: every identity of a row points to one `Person`,
and a row that carries two identities known apart (an email here, a username there) merges them.
Clinics a person registered for, attended or gave feedback on are bits of an int, so per-clinic
deduplication and "two or more clinics" are bit operations.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import compress, repeat
from operator import and_, attrgetter, or_
from typing import Any

from letsconnect_cli.ingest.cleaning import clean_email, clean_username, language_codes, role_key
from letsconnect_cli.ingest.context import yes_no
from letsconnect_cli.ingest.records import Record
from letsconnect_cli.ingest.skills import home_wiki, skill_mask
from letsconnect_cli.ingest.tabular import Table

_ZOOM_WEIGHT = 1  # Zoom's country comes from the IP address
_FORM_WEIGHT = 2  # what the person said in a form comes first


class Person:
    """One person's clinics (as bits) and what they told about themselves."""

    __slots__ = (
        "aff",
        "att",
        "corrected",
        "country",
        "fb",
        "into",
        "langs",
        "offer",
        "raw_user",
        "reg",
        "region",
        "role",
        "scores",
        "src",
        "src_reg",
        "user",
        "want",
        "weight",
        "wiki",
    )

    def __init__(self) -> None:
        self.into: Person | None = None  # merged into this one (union-find)
        self.user: str | None = None  # a username it is known by (spares a look-up)
        self.raw_user = ""  # the username cell last linked, as written (spares cleaning it)
        self.reg = 0  # clinics registered for (bits)
        self.att = 0  # clinics attended
        self.fb = 0  # clinics given feedback on
        self.scores = 0  # their scores, 3 bits per clinic: (scores >> 3 * i) & 7 for clinic bit i
        self.src: str | None = None  # the source the last registration came from
        self.src_reg = 0  # clinics registered for in that source: a repeat there is a duplicate
        self.country: str | None = None
        self.weight = 0
        self.region: str | None = None
        self.role: str | None = None
        self.langs: tuple[str, ...] = ()
        self.corrected = False
        self.want = 0  # skill categories wanted (bits of ingest.skills.BIT)
        self.offer = 0  # skill categories offered
        self.wiki: str | None = None  # home wiki key, the first given
        self.aff: tuple[str, ...] | None = None  # affiliation cells given; (): asked, left blank


def _find(person: Person) -> Person:
    """The person a merged one lives on in, shortening the path on the way."""
    root = person
    while root.into is not None:
        root = root.into
    while person.into is not None and person.into is not root:
        person.into, person = root, person.into
    return root


@dataclass
class Counts:
    """What the aggregation found, before privacy rules and rounding (see `figures`)."""

    clinic_ids: list[str] = field(default_factory=list)  # clinics with data, by bit
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
    # People by the affiliation cells they gave (() asked, left blank); None: no source asks.
    affiliations: Counter[tuple[str, ...]] | None = None
    clinic_registrations: Counter[str] = field(default_factory=Counter)
    clinic_attended: Counter[str] = field(default_factory=Counter)
    clinic_rating_sum: Counter[str] = field(default_factory=Counter)
    clinic_rating_n: Counter[str] = field(default_factory=Counter)


class Tally:
    """Feed it records with `add`; `counts()` gives the totals."""

    def __init__(self) -> None:
        self._clinics: list[str] = []
        self._bits: dict[str, int] = {}
        self._emails: dict[str, Person] = {}
        self._users: dict[str, Person] = {}
        self._anonymous: dict[tuple[str, str, str], Person] = {}
        self._people: list[Person] = []
        self._weights: dict[str, int] = {}  # export format -> how far its country is trusted
        self._reg_clinics = 0
        self._att_clinics = 0
        self._duplicates = 0
        self._rejoins = 0
        self._wiki_column = False  # some source has a home-wiki column
        self._aff_column = False  # some source asks for an affiliation
        self._raw_emails: dict[str, Person] = {}  # an email cell as written -> its person
        # People registered for and attending each clinic (by bit), kept as bits are set.
        self._registered: dict[str, int] = {}
        self._attended: dict[str, int] = {}

    def add_all(self, records: Iterable[Record]) -> Tally:
        add = self.add
        for record in records:
            add(record)
        return self

    def add(self, record: Record) -> None:
        bit = self._bits.get(record.clinic)  # type: ignore[arg-type]
        if bit is None:
            bit = self._new_clinic(record.clinic)
        # The person: the common cases inline, the rest (merges, anonymous joins) in _person.
        email = record.email
        person = self._emails.get(email) if email is not None else None
        if person is None:
            name = record.name if record.attended is not None else None
            person = self._person(email, record.username, name, record.source, record.clinic)
        else:
            if person.into is not None:
                person = _find(person)
            username = record.username
            if username is not None and username != person.user:
                person = self._link(person, username)
        registered = record.registered
        if registered:
            if not self._reg_clinics & bit:
                self._reg_clinics |= bit
            if person.src != record.source:
                person.src = record.source
                person.src_reg = 0
            if person.src_reg & bit:
                self._duplicates += 1
            else:
                person.src_reg |= bit
                if not person.reg & bit:
                    person.reg |= bit
                    self._registered[record.clinic] += 1  # type: ignore[index]
        attended = record.attended
        if attended is not None:
            self._att_clinics |= bit
            if attended:
                if not person.att & bit:
                    person.att |= bit
                    self._attended[record.clinic] += 1  # type: ignore[index]
                else:
                    self._rejoins += 1
        if record.rating is not None:
            self._rate(person, bit, record.rating)
        if not (registered or attended):
            return
        # What people say about themselves: the country given in a form comes before the one
        # Zoom guesses from the address; the first role given stands; languages add up.
        country = record.country
        if country is not None:
            if person.weight < _FORM_WEIGHT:
                weight = self._weights.get(record.format)
                if weight is None:
                    weight = self._weights[record.format] = (
                        _ZOOM_WEIGHT if record.format.startswith("zoom") else _FORM_WEIGHT
                    )
                if weight > person.weight:
                    person.country, person.region, person.weight = country, record.region, weight
        elif person.country is None and person.region is None:
            person.region = record.region  # no country known: the region the person gave
        if person.role is None:
            person.role = record.role
        languages = record.languages
        if languages and languages != person.langs:
            person.langs = tuple(dict.fromkeys(person.langs + languages))
        if record.region_corrected:
            person.corrected = True
        if record.skills_wanted or record.skills_offered:
            person.want |= record.skills_wanted
            person.offer |= record.skills_offered
        if record.home_wiki is not None:
            self._wiki_column = True
            if person.wiki is None:
                person.wiki = record.home_wiki
        if record.affiliation is not None:
            self._aff_column = True
            person.aff = _affiliation(person.aff, record.affiliation)

    def add_table(self, table: Table) -> None:
        """Every row of a CSV table, read from its cells: `add` without a Record per row.

        The report's hot path, the same steps as `add`: a person is found by the email cell as
        written (cleaned once per distinct cell), a username is cleaned only when a person shows
        a new one, and country, region, role and languages are looked up only when the person's
        figures can still change.
        """
        ctx = table.ctx
        source, cleaner = ctx.name, ctx.cleaner
        places, place, unknown_at = cleaner.places, cleaner.place, cleaner.unknown_at
        reports, reported = cleaner.reports, cleaner.reported
        weight = _ZOOM_WEIGHT if table.format.startswith("zoom") else _FORM_WEIGHT
        registered, has_attended = table.registered, table.has_attended
        attended_default = table.attended_default
        i_email, i_user, i_country, i_region, i_att, i_role, i_lang = map(
            table.index, ("email", "username", "country", "region", "attended", "role", "languages")
        )
        i_want, i_offer, i_wiki = map(table.index, ("skills_wanted", "skills_offered", "home_wiki"))
        i_aff = table.index("affiliation")
        extra = any(i != table.width for i in (i_want, i_offer, i_wiki, i_aff))
        if i_wiki != table.width:
            self._wiki_column = True
        asks_affiliation = i_aff != table.width
        bits, raw_emails = self._bits, self._raw_emails
        registered_in, attended_in = self._registered, self._attended
        reg_clinics = att_clinics = 0  # clinics with registrations, with attendance (bits)
        attendance: dict[str, bool | None] = {}
        for row, line, clinic, rating in table.attributed():
            bit = bits.get(clinic) or self._new_clinic(clinic)
            attended = attended_default
            if has_attended:
                raw = row[i_att]
                attended = attendance.get(raw, False)
                if attended is False:
                    attended = attendance[raw] = yes_no(raw)
            raw = row[i_email]
            person = raw_emails.get(raw) if raw else None
            raw_user = row[i_user]
            if person is None:
                # A display name tells people apart only on rows that say who attended.
                named = attended is not None
                person = self._table_person(table, row, raw, raw_user, clinic, named)
            else:
                if person.into is not None:
                    person = _find(person)
                if raw_user and raw_user != person.raw_user:
                    username = clean_username(raw_user)
                    if username is not None and username != person.user:
                        person = self._link(person, username)
                    person.raw_user = raw_user
            if registered:
                reg_clinics |= bit
                if person.src != source:
                    person.src = source
                    person.src_reg = 0
                if person.src_reg & bit:
                    self._duplicates += 1
                else:
                    person.src_reg |= bit
                    if not person.reg & bit:
                        person.reg |= bit
                        registered_in[clinic] += 1
            if attended is not None:
                att_clinics |= bit
                if attended:
                    if not person.att & bit:
                        person.att |= bit
                        attended_in[clinic] += 1
                    else:
                        self._rejoins += 1
            if rating is not None:
                self._rate(person, bit, rating)
            country = region = None
            raw = row[i_country]
            if raw:  # looked up on every row: unknown countries are counted per row
                country, region, note = places.get(raw) or place(raw)
                if note:
                    unknown_at(source, line, raw)
            if not (registered or attended):
                continue
            given = row[i_region]
            if country is not None:
                if weight > person.weight:
                    person.country, person.region, person.weight = country, region, weight
                if given and not person.corrected:
                    person.corrected = (reports.get((given, country)) or reported(given, country))[
                        1
                    ]
            elif person.country is None and person.region is None and given:
                person.region = (reports.get((given, None)) or reported(given, None))[0]
            if person.role is None and row[i_role]:
                person.role = role_key(row[i_role])
            raw = row[i_lang]
            if raw:
                languages = language_codes(raw)
                if "und" in languages:
                    cleaner.unknown_languages(raw, source, line)
                if languages and languages != person.langs:
                    person.langs = tuple(dict.fromkeys(person.langs + languages))
            if extra:
                if row[i_want]:
                    person.want |= skill_mask(row[i_want])
                if row[i_offer]:
                    person.offer |= skill_mask(row[i_offer])
                if row[i_wiki] and person.wiki is None:
                    person.wiki = home_wiki(row[i_wiki])
                if asks_affiliation:  # as in `add`: the column counts once a row counts
                    self._aff_column = True
                    person.aff = _affiliation(person.aff, row[i_aff].strip())
        self._reg_clinics |= reg_clinics
        self._att_clinics |= att_clinics

    def _table_person(
        self,
        table: Table,
        row: list[str],
        raw_email: str,
        raw_user: str,
        clinic: str,
        named: bool,
    ) -> Person:
        """The person of a table row whose email cell is new (or empty); `named`: the row says
        whether the person attended, so a display name tells people apart (as in `add`)."""
        email = clean_email(raw_email) if raw_email else None
        person = self._emails.get(email) if email is not None else None
        username = clean_username(raw_user) if raw_user else None
        if person is None:
            name = table.person_name(row) if named else None
            person = self._person(email, username, name, table.ctx.name, clinic)
        else:
            if person.into is not None:
                person = _find(person)
            if username is not None and username != person.user:
                person = self._link(person, username)
        if email is not None:
            self._raw_emails[raw_email] = person
        person.raw_user = raw_user
        return person

    def _new_clinic(self, clinic: str | None) -> int:
        assert clinic is not None, "records reach the tally attributed"
        bit = self._bits[clinic] = 1 << len(self._clinics)
        self._clinics.append(clinic)
        self._registered[clinic] = self._attended[clinic] = 0
        return bit

    def _rate(self, person: Person, bit: int, rating: int) -> None:
        if person.fb & bit:
            self._duplicates += 1  # a second answer to the same clinic's feedback
            return
        person.fb |= bit
        person.scores |= rating << (3 * (bit.bit_length() - 1))

    def _new(self) -> Person:
        person = Person()
        self._people.append(person)
        return person

    def _person(
        self,
        email: str | None,
        username: str | None,
        name: str | None,
        source: str,
        clinic: str | None,
    ) -> Person:
        """The person of a row whose email is new (or absent); `name` only for attendance rows."""
        if username is not None:
            person = self._users.get(username)
            if person is None:
                person = self._users[username] = self._new()
                person.user = username
            elif person.into is not None:
                person = _find(person)
            if email is not None:
                self._emails[email] = person
            return person
        if email is not None:
            person = self._emails[email] = self._new()
            return person
        if name is not None:
            # No email or username: a Zoom join by display name, the same person within a report.
            key = (source, clinic or "", name.casefold())
            person = self._anonymous.get(key)
            if person is None:
                person = self._anonymous[key] = self._new()
            return person
        return self._new()

    def _link(self, person: Person, username: str) -> Person:
        """A person known by email shows a username: note it, or merge with its other self."""
        other = self._users.get(username)
        if other is None:
            self._users[username] = person
            if person.user is None:
                person.user = username
            return person
        if other.into is not None:
            other = _find(other)
        return person if other is person else self._merge(person, other)

    def _merge(self, keep: Person, gone: Person) -> Person:
        """Two people seen apart turn out to be one (an email here, a username there)."""
        if keep is gone:
            return keep
        if keep.src is not None and keep.src == gone.src:
            self._duplicates += (keep.src_reg & gone.src_reg).bit_count()
            keep.src_reg |= gone.src_reg
        for index in _indexes(keep.reg & gone.reg):
            self._registered[self._clinics[index]] -= 1  # counted under each identity: now one
        for index in _indexes(keep.att & gone.att):
            self._attended[self._clinics[index]] -= 1
            self._rejoins += 1  # attended under each identity: one person joining twice
        keep.reg |= gone.reg
        keep.att |= gone.att
        both = keep.fb & gone.fb
        self._duplicates += both.bit_count()  # feedback given twice, once under each identity
        for index in _indexes(gone.fb & ~keep.fb):
            keep.scores |= gone.scores & (7 << (3 * index))
        keep.fb |= gone.fb
        if gone.weight > keep.weight:
            keep.country, keep.region, keep.weight = gone.country, gone.region, gone.weight
        elif keep.country is None and keep.region is None:
            keep.region = gone.region
        keep.role = keep.role or gone.role
        keep.langs = tuple(dict.fromkeys(keep.langs + gone.langs))
        keep.corrected = keep.corrected or gone.corrected
        keep.want |= gone.want
        keep.offer |= gone.offer
        keep.wiki = keep.wiki or gone.wiki
        if gone.aff is not None:
            for cell in gone.aff or ("",):
                keep.aff = _affiliation(keep.aff, cell)
        keep.user = keep.user or gone.user
        gone.into = keep
        gone.reg = gone.att = gone.fb = gone.scores = 0  # an empty shell: counted nowhere
        return keep

    def counts(self) -> Counts:
        """The totals: a few passes over the people, each a loop in C (map, compress, Counter)."""
        people = self._people
        att_clinics = self._att_clinics
        # Registered or attended: a participant (not one who only gave feedback, nor a merged shell).
        active = list(compress(people, map(or_, map(_REG, people), map(_ATT, people))))
        regs = list(map(_REG, active))
        atts = list(map(_ATT, active))
        participants = len(active)
        clinics_each = Counter(map(int.bit_count, map(or_, regs, atts)))
        attended_each = Counter(map(int.bit_count, atts))
        attendees = participants - attended_each[0]
        result = Counts(
            clinic_ids=list(self._clinics),
            registration_clinics={c for c, b in self._bits.items() if b & self._reg_clinics},
            attendance_clinics={c for c, b in self._bits.items() if b & att_clinics},
            participants=participants,
            returning=participants - clinics_each[1],
            registrations_where_attendance=(
                sum(map(int.bit_count, map(and_, regs, repeat(att_clinics, participants))))
                if att_clinics
                else 0
            ),
            attended_registrants=sum(map(int.bit_count, map(and_, regs, atts))),
            duplicates=self._duplicates,
            rejoins=self._rejoins,
            attendees=attendees,
            returning_attendees=attendees - attended_each[1],
            region_corrected=sum(map(_CORRECTED, active)),
            regions=_known(map(_REGION, active)),
            countries=_known(map(_COUNTRY, active)),
            roles=_known(map(_ROLE, active)),
        )
        result.with_region = sum(result.regions.values())
        result.with_country = sum(result.countries.values())
        result.with_role = sum(result.roles.values())
        # Languages wanted, grouped by the set a person wants, expanded once per group.
        wanted = Counter(map(_LANGS, active))
        wanted.pop((), None)
        for codes, n in wanted.items():
            for code in dict.fromkeys(code.split("-", 1)[0] for code in codes):
                result.languages[code] += n
            for form in _scripts(codes):
                result.language_scripts[form] += n
        result.with_languages = sum(wanted.values())
        _skills(result, active)
        if self._wiki_column:
            result.home_wikis = len({p.wiki for p in active if p.wiki is not None})
        if self._aff_column:
            result.affiliations = Counter(a for a in map(_AFF, active) if a is not None)
        for clinic in self._clinics:
            if self._registered[clinic]:
                result.clinic_registrations[clinic] = self._registered[clinic]
            if self._attended[clinic]:
                result.clinic_attended[clinic] = self._attended[clinic]
        result.registrations = sum(result.clinic_registrations.values())
        result.attended = sum(result.clinic_attended.values())
        # Answers, grouped by (clinics given feedback on, scores), expanded once per group.
        fbs = list(map(_FB, people))
        answers = Counter(zip(compress(fbs, fbs), map(_SCORES, compress(people, fbs)), strict=True))
        scores: dict[tuple[int, int], int] = {}  # (clinic index, score) -> answers
        for (fb, person_scores), n in answers.items():
            for index in _indexes(fb):
                key = (index, (person_scores >> (3 * index)) & 7)
                scores[key] = scores.get(key, 0) + n
        clinics = self._clinics
        for (index, score), n in scores.items():
            clinic = clinics[index]
            result.ratings[score] += n
            result.clinic_rating_sum[clinic] += score * n
            result.clinic_rating_n[clinic] += n
        return result


_REG, _ATT, _FB, _SCORES = map(attrgetter, ("reg", "att", "fb", "scores"))
_REGION, _COUNTRY, _ROLE, _LANGS = map(attrgetter, ("region", "country", "role", "langs"))
_CORRECTED, _AFF = attrgetter("corrected"), attrgetter("aff")


def _affiliation(cells: tuple[str, ...] | None, cell: str) -> tuple[str, ...]:
    """The affiliation cells of a person with one more ("" asked, left blank: adds nothing)."""
    if not cell:
        return () if cells is None else cells
    if cells is None:
        return (cell,)
    return cells if cell in cells else (*cells, cell)


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


def _skills(result: Counts, active: list[Person]) -> None:
    """People per skill category wanted and offered, per region ("" without one)."""
    groups = Counter((p.want, p.offer, p.region or "") for p in active if p.want or p.offer)
    for (want, offer, region), n in groups.items():
        result.with_skills += n
        for bit in _bits(want):
            result.skills_wanted[(bit, region)] += n
        for bit in _bits(offer):
            result.skills_offered[(bit, region)] += n


def _bits(mask: int) -> Iterator[int]:
    """The set bits of a mask, as bits (1, 2, 4, ...)."""
    while mask:
        low = mask & -mask
        yield low
        mask ^= low


def _known(values: Iterable[str | None]) -> Counter[str]:
    """How often each value occurs, None left out (first seen first)."""
    counted: Counter[Any] = Counter(values)
    counted.pop(None, None)
    return counted


def _indexes(mask: int) -> Iterator[int]:
    """The positions of the set bits of a mask, lowest first."""
    while mask:
        low = mask & -mask
        yield low.bit_length() - 1
        mask ^= low
