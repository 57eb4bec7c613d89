"""Rendering helpers shared by commands: JSON on stdout, messages on stderr, local-time tables.

The one place where text meets the terminal. Titles, TOML keys, file names, export cells and
server answers are hostile: none of their control characters (ESC, BEL, CR, C1, bidi overrides)
reaches a terminal raw. While a command runs, stdout and stderr are `TerminalSafe` streams that
write each such character visibly (`\\x1b`, see `escaping.escape_terminal`); Rich consoles
(`console()`) escape the text of what they render before they style it, and write to the streams
underneath, so that lc's own colours stay colours; JSON escapes them as `\\u001b` (`json_text`).
"""

from __future__ import annotations

import contextlib
import re
import sys
from collections.abc import Iterable, Iterator
from typing import IO, TYPE_CHECKING, Any, cast

from letsconnect_cli.escaping import escape_terminal

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table

    from letsconnect_cli.timezones import LocalTime


class TerminalSafe:
    """A text stream that writes control characters visibly; everything else is the stream's."""

    def __init__(self, stream: IO[str], *, bidi: bool = True) -> None:
        self.raw_stream = stream
        self._bidi = bidi

    def write(self, text: str) -> int:
        self.raw_stream.write(escape_terminal(text, bidi=self._bidi))
        return len(text)

    def writelines(self, lines: Any) -> None:
        for text in lines:
            self.write(text)

    def __getattr__(self, name: str) -> Any:  # flush, isatty, fileno, encoding, errors, ...
        return getattr(self.raw_stream, name)


def raw(stream: Any) -> IO[str]:
    """The stream under a `TerminalSafe` one (the stream itself otherwise)."""
    return cast("IO[str]", getattr(stream, "raw_stream", stream))


@contextlib.contextmanager
def terminal_safe_streams() -> Iterator[None]:
    """stdout and stderr as `TerminalSafe` streams while the block runs. Bidirectional controls
    are data on a redirected stdout (an Arabic title may need them), shown visibly on a terminal
    and in every message."""
    saved = sys.stdout, sys.stderr
    out_is_terminal = bool(getattr(sys.stdout, "isatty", lambda: False)())
    sys.stdout = cast("Any", TerminalSafe(raw(sys.stdout), bidi=out_is_terminal))
    sys.stderr = cast("Any", TerminalSafe(raw(sys.stderr)))
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved


def console(*, stderr: bool = False, **options: Any) -> Console:
    """A Rich console on stdout (or stderr) that shows control characters of what it prints
    visibly and reads no Rich markup in text (a title "[red]" is text)."""
    from rich.console import Console, ConsoleOptions, RenderableType
    from rich.segment import Segment
    from rich.text import Text

    class SafeConsole(Console):
        def render_str(self, text: str, **kwargs: Any) -> Text:
            return super().render_str(escape_terminal(text), **kwargs)

        def render(
            self, renderable: RenderableType, options: ConsoleOptions | None = None
        ) -> Iterable[Segment]:
            for segment in super().render(renderable, options):
                if segment.control is None and escape_terminal(segment.text) != segment.text:
                    yield Segment(escape_terminal(segment.text), segment.style)
                else:
                    yield segment

    options.setdefault("markup", False)
    options.setdefault("highlight", False)
    if "file" not in options:
        options["file"] = raw(sys.stderr if stderr else sys.stdout)
    return SafeConsole(**options)


def use_colour(stream: Any = None) -> bool:
    """Colour only on a terminal, and never with NO_COLOR set or TERM=dumb (clig.dev)."""
    import os

    stream = stream or sys.stdout
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    return bool(getattr(stream, "isatty", lambda: False)())


def line(text: str, *, fg: str | None = None, bold: bool = False, err: bool = False) -> None:
    """One plain line on stdout (or stderr), coloured on a terminal: cheaper than a Rich console."""
    import typer

    stream = raw(sys.stderr if err else sys.stdout)
    text = escape_terminal(text)
    if fg and use_colour(stream):
        text = typer.style(text, fg=fg, bold=bold)
    stream.write(text + "\n")


#: What JSON may hold raw but a terminal must not get: DEL, C1, line and paragraph separators,
#: bidi controls. Only strings can hold them, so `\\uXXXX` keeps the document and its values.
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def json_text(data: Any) -> str:
    """`data` as one JSON document (UTF-8, indented), with no control character left raw."""
    import json

    text = json.dumps(data, ensure_ascii=False, indent=2)
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m[0]):04x}", text) + "\n"


def print_json(data: Any) -> None:
    """One JSON document on stdout, UTF-8, and nothing else."""
    sys.stdout.write(json_text(data))


def message(console: Console, text: str, *, style: str | None = None) -> None:
    """One message line; not wrapped by lc (the terminal wraps it), so logs keep whole lines."""
    console.print(text, style=style, markup=False, highlight=False, soft_wrap=True)


def warning(console: Console, text: str) -> None:
    console.print(f"warning: {text}", style="yellow", markup=False, highlight=False, soft_wrap=True)


def new_table(title: str | None = None) -> Table:
    """The table style every lc command uses: a header rule, no outer box."""
    from rich import box
    from rich.table import Table

    return Table(
        title=title,
        title_justify="left",
        box=box.SIMPLE_HEAD,
        show_edge=False,
        pad_edge=False,
        padding=(0, 1),
        collapse_padding=True,
    )


def print_block(console: Console, *renderables: Any) -> None:
    """Print tables and text without the trailing spaces of padded cells and wrapped lines,
    so that plain output (not a colour terminal) can be compared and pasted as it is."""
    if console.no_color or not console.is_terminal:
        with console.capture() as capture:
            console.print(*renderables, sep="\n")
        lines = capture.get().split("\n")
        console.file.write("\n".join(line.rstrip() for line in lines))
        console.file.flush()
    else:
        console.print(*renderables, sep="\n")


def local_time_table(
    rows: list[LocalTime], *, title: str | None = None, all_zones: bool = False
) -> Table:
    """A session's time in each zone group (or zone): the places a row stands for, UTC offset,
    local weekday and date, local start-end, day shift against UTC, and a night mark."""
    table = new_table(title)
    table.add_column("zone (countries)" if all_zones else "zone group: cities (countries)")
    table.add_column("UTC", no_wrap=True)
    table.add_column("local date", no_wrap=True)
    table.add_column("local time", no_wrap=True)
    table.add_column("day", justify="right", no_wrap=True)
    table.add_column("night", no_wrap=True)
    for row in rows:
        places = row.zone if all_zones else ", ".join(row.cities)
        countries = f" ({' '.join(row.countries)})" if row.countries else ""
        table.add_row(
            places + countries,
            row.utc_offset,
            row.start.strftime("%a %Y-%m-%d"),
            f"{row.start:%H:%M}-{row.end:%H:%M}",
            f"{row.day_offset:+d}" if row.day_offset else "",
            "night" if row.night else "",
        )
    return table


def daytime_summary(rows: list[LocalTime], *, all_zones: bool = False) -> str:
    """'daytime (07:00-22:00) for 18 of 23 zone groups'."""
    day = sum(1 for row in rows if not row.night)
    unit = "zones" if all_zones else "zone groups"
    return f"daytime (07:00-22:00) for {day} of {len(rows)} {unit}"
