"""Who gets what: the plan of one run of emailed invitations for one clinic.

From the clinic's registrants, the region, the calendar's SEQUENCE (the ledger of issued
invites, shared with the .ics files) and the send log, each person gets one of:

- `new`: the first invitation (METHOD:REQUEST), for a registrant in the region never invited,
  and for one whose country is unknown (blank, or a spelling lc does not know): they registered
  for this clinic, and the region only tells other regions' registrants apart (unless
  `skip_unknown_country`, which leaves them out as before);
- `update`: METHOD:REQUEST with the current, higher SEQUENCE, for everyone invited before with a
  lower one (whatever region they are in now: the event is in their calendar);
- `cancel`: METHOD:CANCEL, once a clinic is cancelled, for everyone who had an invitation;
- `current`: nothing to send, the last message they got carries the current SEQUENCE.

Updates and cancellations go to the address the earlier invitation went to; lc finds it among
the addresses of the current export (the log keeps hashes only). Recipients invited before who
are no longer in the export are counted as unreachable.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from letsconnect_cli.errors import UsageError
from letsconnect_cli.invites.ics_event import CANCEL, REQUEST
from letsconnect_cli.mail.recipients import (
    NEVER_INVITED,
    OUTSIDE_REGION,
    UNKNOWN_COUNTRY,
    NotInvited,
)

if TYPE_CHECKING:
    from letsconnect_cli.mail.recipients import Person, Registrants
    from letsconnect_cli.mail.sendlog import SendLog, Sent

NEW, UPDATE, CANCELLATION, CURRENT = "new", "update", "cancel", "current"
KINDS = (NEW, UPDATE, CANCELLATION, CURRENT)


@dataclass(frozen=True)
class Delivery:
    """One person's part of the plan."""

    person: Person
    address: str  # where the message goes: the address invited before, else the person's
    recipient: str  # its keyed hash (the send log's name for it)
    kind: str  # new, update, cancel or current
    method: str  # REQUEST or CANCEL (of the message to send, or of the last one sent)
    sequence: int
    in_region: bool | None  # None: the person's country is unknown
    previous: Sent | None = None

    @property
    def sends(self) -> bool:
        return self.kind != CURRENT

    @property
    def country(self) -> str | None:
        return self.person.country


@dataclass
class MailPlan:
    """Everything one run would send, and what it leaves out."""

    clinic_id: str
    uid: str
    sequence: int
    method: str  # REQUEST, or CANCEL for a cancelled clinic
    regions: tuple[str, ...]
    deliveries: list[Delivery]
    registrants: Registrants
    outside_region: int = 0  # registrants with an address, not invited, in another region
    no_country: int = 0  # registrants with an address, not invited, no country known (skipped)
    unknown_country: int = 0  # registrants invited although their country is unknown
    never_invited: int = 0  # registrants of a cancelled clinic who never had an invitation
    unreachable: int = 0  # invited before, in need of this message, missing from the export
    invited_before: int = 0  # recipients with an earlier message for this clinic in the log
    warnings: list[str] = field(default_factory=list)
    not_invited: list[NotInvited] = field(default_factory=list)  # every person left out, and why

    @property
    def to_send(self) -> list[Delivery]:
        return [d for d in self.deliveries if d.sends]

    def counts(self) -> dict[str, int]:
        found = Counter(d.kind for d in self.deliveries)
        return {kind: found.get(kind, 0) for kind in KINDS}

    def by_country(self) -> dict[str, dict[str, int]]:
        """Per country (ISO code, "" when unknown), how many get each kind."""
        table: dict[str, Counter[str]] = {}
        for item in self.deliveries:
            table.setdefault(item.country or "", Counter())[item.kind] += 1
        return {
            country: {kind: counts.get(kind, 0) for kind in KINDS}
            for country, counts in sorted(table.items())
        }


def plan(
    registrants: Registrants,
    *,
    clinic_id: str,
    uid: str,
    sequence: int,
    cancelled: bool,
    region_countries: frozenset[str],
    regions: tuple[str, ...],
    log: SendLog,
    skip_unknown_country: bool = False,
) -> MailPlan:
    """Decide, person by person, what this run sends (see the module's docstring)."""
    history = log.history(uid)
    sent_before = max((e.sequence for items in history.values() for e in items), default=-1)
    if sent_before > sequence:
        raise UsageError(
            f"the send log shows SEQUENCE {sent_before} sent for {clinic_id}, but its ledger "
            f"(.lc-issued.toml) is at {sequence}: calendars would ignore an older SEQUENCE",
            hint="Restore the clinics folder's .lc-issued.toml from git (commit it after each "
            "run), then run the command again.",
        )
    method = CANCEL if cancelled else REQUEST
    result = MailPlan(clinic_id, uid, sequence, method, regions, [], registrants)
    result.not_invited.extend(registrants.skipped)
    matched: set[str] = set()
    for person in registrants.people:
        hashes = {address: log.hash(address) for address in person.addresses}
        matched.update(hashes.values())
        earlier = [entry for digest in hashes.values() for entry in history.get(digest, [])]
        previous = max(earlier, key=lambda e: (e.time, e.sequence)) if earlier else None
        in_region = person.country in region_countries if person.country else None
        if previous is None:
            if cancelled:
                result.never_invited += 1
                result.not_invited.append(NotInvited(person.address, NEVER_INVITED, person.first))
                continue
            if in_region is False:
                result.outside_region += 1
                result.not_invited.append(NotInvited(person.address, OUTSIDE_REGION, person.first))
                continue
            if in_region is None:
                if skip_unknown_country:
                    result.no_country += 1
                    result.not_invited.append(
                        NotInvited(person.address, UNKNOWN_COUNTRY, person.first)
                    )
                    continue
                result.unknown_country += 1
            kind, address = NEW, person.address
        else:
            address = next(a for a, h in hashes.items() if h == previous.recipient)
            kind = _kind(previous, sequence, cancelled)
        result.deliveries.append(
            Delivery(
                person=person,
                address=address,
                recipient=hashes[address],
                kind=kind,
                method=previous.method if kind == CURRENT and previous else method,
                sequence=previous.sequence if kind == CURRENT and previous else sequence,
                in_region=in_region,
                previous=previous,
            )
        )
    result.invited_before = len(history)
    for digest, items in history.items():
        if digest not in matched and _kind(items[-1], sequence, cancelled) != CURRENT:
            result.unreachable += 1
    if result.unreachable:
        what = "cancellation" if cancelled else "update"
        result.warnings.append(
            f"{result.unreachable} recipient(s) invited before are not in these registrations "
            f"any more and will not get this {what}; give every export of the clinic"
        )
    return result


def _kind(previous: Sent, sequence: int, cancelled: bool) -> str:
    """What a person whose last message was `previous` needs now."""
    if cancelled:
        if previous.method == CANCEL:
            return CURRENT  # their calendar has it cancelled already
        return CANCELLATION
    if previous.method == REQUEST and previous.sequence >= sequence:
        return CURRENT
    return UPDATE  # a changed clinic, or one brought back after a cancellation
