"""RFC 5545 bytes from an `ics` (0.7.x) calendar: the one place that compensates for its defects.

The `ics` package builds the components and their content lines, with its own serializers; this
module runs those serializers one component at a time, repairs what they get wrong, and writes
the lines itself. Each workaround names the upstream ics-py issue (github.com/ics-py/ics-py):

- #215   no line folding            -> `fold`: 75 octets at most, cut on UTF-8 character boundaries
- (none) no CRLF after the last line -> `render` ends every line, END:VCALENDAR included, with CRLF
- (none) METHOD after END:VEVENT     -> `_ORDER`: calendar properties first, then the components
- #200   DTSTAMP only from `created=` -> ics_event.py passes `created`; `check` insists on DTSTAMP
- (none) URI values text-escaped     -> `_URI_PROPERTIES` get the URI back (URL, mailto: addresses)
- (none) parameter values backslash-escaped instead of DQUOTE-quoted -> `_param`
- #251, #306 events and categories are sets (order varies between runs) -> events sorted by
  start and UID, categories sorted
- #360   serialize() warns (FutureWarning) when an event has alarms, as it calls str() on them
         -> `_component` serializes alarms through their own serializers
- #269   a zero alarm trigger is written as the invalid duration "P" -> "PT0S"
- SEQUENCE has no attribute: ics_event.py adds it as a ContentLine in `event.extra` (documented use)
- ics orders properties by the names of its serializer methods (UID near the end, extras first)
  -> `_ORDER`: UID, DTSTAMP, SEQUENCE, times, status, texts, links, then the rest as they came
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ics import Calendar
    from ics.grammar.parse import Container, ContentLine

CRLF = "\r\n"
MAX_OCTETS = 75

_ORDER: dict[str, tuple[str, ...]] = {
    "VCALENDAR": ("VERSION", "PRODID", "CALSCALE", "METHOD"),
    "VEVENT": (
        "UID",
        "DTSTAMP",
        "SEQUENCE",
        "DTSTART",
        "DTEND",
        "DURATION",
        "STATUS",
        "SUMMARY",
        "DESCRIPTION",
        "LOCATION",
        "URL",
        "ORGANIZER",
        "ATTENDEE",
        "CATEGORIES",
    ),
    "VALARM": ("ACTION", "TRIGGER", "DESCRIPTION"),
}
_URI_PROPERTIES = frozenset({"URL", "ORGANIZER", "ATTENDEE"})
#: Values ics writes as text, escaped, that hold a list: split on unescaped commas to sort them.
_SORTED_LISTS = frozenset({"CATEGORIES"})
_ESCAPED = re.compile(r"\\(.)", re.DOTALL)
_LIST_ITEM = re.compile(r"(?:\\.|[^,\\])+", re.DOTALL)
#: Control characters RFC 5545 allows in no value (HTAB is allowed), and C1, which terminals obey.
CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f]")  # C0 but tab, DEL, and C1 (a terminal's CSI)
_PLAIN_PARAM = re.compile(r"[A-Za-z0-9-]+")


def serialize(calendar: Calendar) -> bytes:
    """The calendar as RFC 5545 bytes: folded, CRLF everywhere, in a stable order."""
    return render(tree(calendar))


def tree(calendar: Calendar) -> Container:
    """The calendar's content lines as ics builds them, repaired and in a stable order."""
    root = _component(calendar, skip={"serialize_event", "serialize_todo"})
    events = sorted(calendar.events, key=lambda e: (e.begin, e.uid or ""))
    for event in events:
        node = _component(event, skip={"serialize_alarm"})
        for alarm in event.alarms:  # not through str(alarm): #360
            node.append(_component(alarm, skip=set()))
        root.append(node)
    _repair(root)
    return root


def _component(component: Any, skip: set[str]) -> Container:
    """What ics's Component.serialize() builds, without turning it into a string."""
    container: Container = component.extra.clone()
    for output in component.Meta.serializer.get_serializers():
        if output.__name__ not in skip:
            output(component, container)
    return container


def _unescape(text: str) -> str:
    """Undo ics's text escaping in one pass (ics's own unescape_string mangles `\\\\n`)."""
    return _ESCAPED.sub(lambda m: "\n" if m[1] in "nN" else m[1], text)


def _repair(container: Container) -> None:
    from ics.grammar.parse import Container as ContainerType

    for item in container:
        if isinstance(item, ContainerType):
            _repair(item)
            continue
        if item.name in _URI_PROPERTIES:
            item.value = _unescape(item.value)
        if item.name in _SORTED_LISTS:
            item.value = ",".join(sorted(_LIST_ITEM.findall(item.value)))
        if item.name == "TRIGGER" and item.value in ("P", "-P"):  # #269
            item.value = "PT0S"
        item.params = {
            name: [_unescape(str(v)) for v in values] for name, values in item.params.items()
        }
    rank = {name: index for index, name in enumerate(_ORDER.get(container.name, ()))}
    last = len(rank)
    # Properties in the canonical order (others after them, as they came), components last.
    container[:] = sorted(
        container,
        key=lambda item: (
            isinstance(item, ContainerType),
            0 if isinstance(item, ContainerType) else rank.get(item.name, last),
        ),
    )


def check(container: Container, method: str | None = None) -> None:
    """What RFC 5545 (and RFC 5546 for REQUEST) requires of each VEVENT that ics does not
    ensure; a failure is a bug in lc."""
    from ics.grammar.parse import Container as ContainerType

    if method is None:
        method = next(
            (
                str(i.value)
                for i in container
                if not isinstance(i, ContainerType) and i.name == "METHOD"
            ),
            "",
        )
    for item in container:
        if isinstance(item, ContainerType):
            if item.name == "VEVENT":
                names = [line.name for line in item if not isinstance(line, ContainerType)]
                for required in ("UID", "DTSTAMP", "DTSTART"):
                    if names.count(required) != 1:
                        raise ValueError(f"a VEVENT needs exactly one {required}")
                if method == "REQUEST" and (
                    names.count("ORGANIZER") != 1 or "ATTENDEE" not in names
                ):
                    raise ValueError(
                        "a VEVENT of METHOD:REQUEST needs an ORGANIZER and an ATTENDEE"
                    )
            check(item, method)


def render(container: Container) -> bytes:
    """Content lines, folded, each ended by CRLF (the last one too), as UTF-8."""
    check(container)
    lines: list[str] = []
    _lines(container, lines)
    return "".join(fold_line(line) + CRLF for line in lines).encode("utf-8")


def _lines(container: Container, out: list[str]) -> None:
    from ics.grammar.parse import Container as ContainerType

    out.append(f"BEGIN:{container.name}")
    for item in container:
        if isinstance(item, ContainerType):
            _lines(item, out)
        else:
            out.append(content_line(item))
    out.append(f"END:{container.name}")


def content_line(line: ContentLine) -> str:
    """NAME;PARAM="value":VALUE; a control character in a value is a bug in lc, never written."""
    value = str(line.value)
    if CONTROL.search(value):
        raise ValueError(f"{line.name} holds a control character; it must be escaped or removed")
    params = "".join(
        f";{name}=" + ",".join(_param(str(v)) for v in values)
        for name, values in line.params.items()
    )
    return f"{line.name}{params}:{value}"


def _param(value: str) -> str:
    """A parameter value, DQUOTE-quoted unless plain; it cannot hold DQUOTE or controls."""
    text = CONTROL.sub(" ", value).replace('"', "'")
    return text if _PLAIN_PARAM.fullmatch(text) else f'"{text}"'


def fold_line(line: str) -> str:
    """Fold a content line into pieces of at most 75 octets, never inside a UTF-8 character.

    Continuation pieces start with one space (counted in their 75 octets). A cut never falls
    between a backslash and the character it escapes, which some readers get wrong. (Worked on
    the UTF-8 bytes, cut by slicing: invitations fold the same long DESCRIPTION per recipient.)
    """
    data = line.encode("utf-8")
    if len(data) <= MAX_OCTETS:
        return line
    pieces: list[bytes] = []
    start, limit = 0, MAX_OCTETS
    while len(data) - start > limit:
        end = start + limit
        while True:
            if 0x80 <= data[end] < 0xC0:  # a continuation byte: inside a character
                end -= 1
                continue
            run = 0  # backslashes just before the cut; escapes pair them from the left
            while end - 1 - run >= 0 and data[end - 1 - run] == 0x5C:
                run += 1
            if run % 2:  # the last one escapes the byte after the cut
                end -= 1
                continue
            break
        pieces.append(data[start:end])
        start, limit = end, MAX_OCTETS - 1
    pieces.append(data[start:])
    return (CRLF + " ").join(piece.decode("utf-8") for piece in pieces)


# --- events carried over from a file written before ---------------------------------------------

_BEGIN = b"BEGIN:VEVENT\r\n"
_END = b"END:VEVENT\r\n"


def event_blocks(data: bytes) -> dict[str, bytes]:
    """The VEVENT blocks of an lc-written calendar, as written (folded, CRLF), by UID.

    A file that is not lc's shape (no CRLF blocks) yields nothing.
    """
    blocks: dict[str, bytes] = {}
    position = 0
    while (begin := data.find(_BEGIN, position)) >= 0:
        end = data.find(_END, begin)
        if end < 0:
            break
        block = data[begin : end + len(_END)]
        uid = _value(block, "UID")
        if uid:
            blocks[uid] = block
        position = end + len(_END)
    return blocks


def _value(block: bytes, name: str) -> str | None:
    """The value of a block's first `name` property (unfolded), or None."""
    text = block.decode("utf-8", "replace").replace("\r\n ", "")
    for line in text.split("\r\n"):
        if line.startswith(name + ":"):
            return line[len(name) + 1 :]
    return None


def with_events(data: bytes, blocks: list[bytes]) -> bytes:
    """A rendered calendar with these VEVENT blocks added, all events ordered by DTSTART, UID."""
    first = data.find(_BEGIN)
    last = data.rfind(b"END:VCALENDAR\r\n")
    head = data[:first] if first >= 0 else data[:last]
    events = list(event_blocks(data).values()) + blocks
    events.sort(key=lambda b: (_value(b, "DTSTART") or "", _value(b, "UID") or ""))
    return head + b"".join(events) + data[last:]
