"""Who is the same person, and which of their countries to believe: one definition, used by the
report (`report.stats`), the invitations' recipients (`mail.recipients`) and `lc slots` weights
(`slots.weights`).

A person is the same email address, else the same Wikimedia username: rows that share either are
one person, and a row that gives both joins the people each names (union-find). A row with neither
is a person of its own, except where a row says whether the person attended: there a display name
(Zoom's, for someone who joined without signing in) is one person within one source and clinic.

What a caller keeps about each person is its own: `People(new, merge)` makes one with `new()` for
each person first seen and calls `merge(keep, gone)` when two people seen apart turn out to be one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Generic, TypeVar

from letsconnect_cli.ingest.records import Record

T = TypeVar("T")

#: How far a row's country is trusted (see `country_trust`).
NO_COUNTRY, ZOOM_COUNTRY, FORM_COUNTRY = 0, 1, 2


def country_trust(record: Record) -> int:
    """How far to trust the country of a row: what a person typed into a form comes before what
    Zoom guesses from the network address. A person's country is that of their most trusted row,
    the first of equals: replace it only with a country trusted more."""
    if record.country is None:
        return NO_COUNTRY
    return ZOOM_COUNTRY if record.format.startswith("zoom") else FORM_COUNTRY


class _Node(Generic[T]):
    """One person as identities find them: their data, or the person they were merged into."""

    __slots__ = ("data", "merged_into", "username")

    def __init__(self, data: T) -> None:
        self.data = data
        self.merged_into: _Node[T] | None = None
        self.username: str | None = None  # the first username linked (spares a look-up)


class People(Generic[T]):
    """The people of a stream of records; `of(record)` is the person of a row."""

    def __init__(self, new: Callable[[], T], merge: Callable[[T, T], None]) -> None:
        self._new = new
        self._merge = merge
        self._by_email: dict[str, _Node[T]] = {}
        self._by_username: dict[str, _Node[T]] = {}
        self._by_name: dict[tuple[str, str, str], _Node[T]] = {}  # (source, clinic, name)
        self._everyone: list[_Node[T]] = []  # merged ones too

    def of(self, record: Record) -> T:
        """The person of a row: found by its email address, else its username, else (on a row
        that says whether the person attended) its display name; new when none is known."""
        email = record.email
        person = self._by_email.get(email) if email is not None else None
        if person is None:
            return self._first_seen(record).data
        if person.merged_into is not None:
            person = self._root(person)
        username = record.username
        if username is not None and username != person.username:
            person = self._link(person, username)
        return person.data

    def __iter__(self) -> Iterator[T]:
        """Every person, in the order first seen (people merged into another are left out)."""
        return (node.data for node in self._everyone if node.merged_into is None)

    def __len__(self) -> int:
        return sum(node.merged_into is None for node in self._everyone)

    def _first_seen(self, record: Record) -> _Node[T]:
        """The person of a row whose email address is new (or absent)."""
        email, username = record.email, record.username
        if username is not None:
            person = self._by_username.get(username)
            if person is None:
                person = self._by_username[username] = self._node()
                person.username = username
            elif person.merged_into is not None:
                person = self._root(person)
        elif email is None and record.attended is not None and record.name:
            key = (record.source, record.clinic or "", record.name.casefold())
            person = self._by_name.get(key) or self._by_name.setdefault(key, self._node())
        else:
            person = self._node()
        if email is not None:
            self._by_email[email] = person
        return person

    def _node(self) -> _Node[T]:
        node = _Node(self._new())
        self._everyone.append(node)
        return node

    def _link(self, person: _Node[T], username: str) -> _Node[T]:
        """A person known by email shows a username: note it, or merge with its other self."""
        other = self._by_username.get(username)
        if other is None:
            self._by_username[username] = person
            if person.username is None:
                person.username = username
            return person
        if other.merged_into is not None:
            other = self._root(other)
        if other is person:
            return person
        self._merge(person.data, other.data)
        person.username = person.username or other.username
        other.merged_into = person
        return person

    @staticmethod
    def _root(person: _Node[T]) -> _Node[T]:
        """The person a merged one lives on in, shortening the path on the way."""
        root = person
        while root.merged_into is not None:
            root = root.merged_into
        while person.merged_into is not None and person.merged_into is not root:
            person.merged_into, person = root, person.merged_into
        return root
