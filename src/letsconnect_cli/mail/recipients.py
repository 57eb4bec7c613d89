"""The people an invitation goes to: a clinic's registrants, one per person, with an address.

Rows of the registration exports (read and cleaned by `letsconnect_cli.ingest`) are joined into
people by `ingest.people`, as the report joins them: rows sharing an email address (compared
case-insensitively) or a Wikimedia username are one person. Addresses are written as the person gave them (RFC 5321 2.4:
the local part is case-sensitive): `Sione.Tonga@Example.org` stays so in To, RCPT TO and ATTENDEE. A person's address is the first usable one they registered with (by the rows' timestamps,
so it stays the same from run to run); every address they used is kept, so that an update reaches
the address the first invitation went to. Country and language come from their latest row that
gives one (a second registration usually corrects the first).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from letsconnect_cli.emails import usable_address as usable_address
from letsconnect_cli.ingest import Record, parse_timestamp
from letsconnect_cli.ingest.people import People

_UNDATED = datetime.max.replace(tzinfo=UTC)
META_WIKI_FORMAT = "campaignevents-participants"  # the format name of the CampaignEvents reader


@dataclass
class Person:
    """One registrant: the address invitations go to, and what the rows tell about them."""

    address: str  # as the person gave it
    addresses: list[str]  # every usable address of the person, the first one first, as given
    country: str | None = None
    preferred_language: str | None = None  # asked for in a preferred-language column
    interpretation: tuple[str, ...] = ()  # interpretation wanted, as the latest row says
    first: str = ""  # "file:line" of their first registration row (to find them in the exports)


@dataclass(frozen=True)
class NotInvited:
    """A registrant left without a message this run: where they are in the exports, and why."""

    address: str | None  # the address as registered (the report masks it); None when none
    reason: str  # outside_region, unknown_country, without_address, bad_address, never_invited
    first: str  # "file:line" of their first registration row


@dataclass
class Registrants:
    """A clinic's registrants with a usable address, and counts of the rows that had none."""

    people: list[Person] = field(default_factory=list)
    rows: int = 0  # registration rows of the clinic
    without_address: int = 0  # people with no email address (a username alone, say)
    bad_address: int = 0  # people whose email value lc cannot send to
    #: Of those without an address, the people registered through Meta-Wiki's event registration
    #: (CampaignEvents gives usernames only; its "Email participants" feature reaches them).
    meta_wiki: int = 0
    skipped: list[NotInvited] = field(default_factory=list)  # those without a usable address


def registrants(records: Iterable[Record], clinic_id: str) -> Registrants:
    """The registrants of one clinic, one entry per person, in the order they first registered."""
    result = Registrants()
    # Each person's registration rows, as (when registered, position in the exports, row).
    people: People[list[tuple[datetime, int, Record]]] = People(list, list.extend)
    for position, record in enumerate(records):
        if not record.registered or record.clinic != clinic_id:
            continue
        result.rows += 1
        if record.email is None and record.username is None:
            result.without_address += 1  # an anonymous row: nobody to write to
            result.meta_wiki += record.format == META_WIKI_FORMAT
            result.skipped.append(NotInvited(None, WITHOUT_ADDRESS, _where(record)))
            continue
        people.of(record).append((_registered_at(record), position, record))
    # People in the order they first registered, each one's rows in order (undated rows last).
    for dated in sorted(sorted(rows) for rows in people):
        rows = [record for _, _, record in dated]
        person = Person(address="", addresses=[], first=_where(rows[0]))
        unusable = None  # the first address lc cannot send to
        for record in rows:
            email = record.email_as_given or record.email
            if email is not None and not usable_address(email):
                unusable = unusable or email
                email = None
            if email and email.lower() not in {a.lower() for a in person.addresses}:
                person.addresses.append(email)
                person.address = person.address or email
            if record.country:
                person.country = record.country
            if record.preferred_language:
                person.preferred_language = record.preferred_language
            if record.languages:
                person.interpretation = record.languages
        if person.address:
            result.people.append(person)
        elif unusable is not None:
            result.bad_address += 1
            result.skipped.append(NotInvited(unusable, BAD_ADDRESS, person.first))
        else:
            result.without_address += 1
            result.meta_wiki += any(r.format == META_WIKI_FORMAT for r in rows)
            result.skipped.append(NotInvited(None, WITHOUT_ADDRESS, person.first))
    return result


OUTSIDE_REGION, UNKNOWN_COUNTRY = "outside_region", "unknown_country"
WITHOUT_ADDRESS, BAD_ADDRESS, NEVER_INVITED = "without_address", "bad_address", "never_invited"


def _where(record: Record) -> str:
    return f"{record.source}:{record.line}"


def _registered_at(record: Record) -> datetime:
    """When the row was submitted (rows the export does not date come last)."""
    return (parse_timestamp(record.timestamp) if record.timestamp else None) or _UNDATED
