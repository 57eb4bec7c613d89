"""Rendering helpers shared by commands: JSON on stdout, messages on stderr, local-time tables.

The one place where text meets the terminal. Titles, TOML keys, file names, export cells and
server answers are hostile: none of their control characters (ESC, BEL, CR, C1, bidi overrides)
reaches a terminal raw. While a command runs, stdout and stderr are `TerminalSafe` streams that
write each such character visibly (`\\x1b`, see `escaping.escape_terminal`); Rich consoles
(`console()`) escape the text of what they render before they style it, and write to the streams
underneath, so that lc's own colours stay colours; JSON escapes them as `\\u001b` (`json_text`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from letsconnect_cli.cli.environment import (
    Environment,
    TerminalSafe,
    current,
    raw,
    terminal_safe_streams,
)
from letsconnect_cli.escaping import escape_terminal
from letsconnect_cli.files import shown_path as shown

__all__ = ["TerminalSafe", "raw", "shown", "terminal_safe_streams"]  # kept here for their users

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from letsconnect_cli.places.timezones import LocalTime
    from letsconnect_cli.slots import Window


def console(*, stderr: bool = False, env: Environment | None = None, **options: Any) -> Console:
    """A Rich console on stdout (or stderr) that shows control characters of what it prints
    visibly and reads no Rich markup in text (a title "[red]" is text)."""
    from rich.console import Console, ConsoleOptions, RenderableType
    from rich.segment import Segment

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
    env = env or current()
    if "file" not in options:
        options["file"] = raw(env.err if stderr else env.out)
    # Rich would read COLUMNS, NO_COLOR, TERM... from os.environ: give it the run's.
    options.setdefault("_environ", dict(env.env))
    return SafeConsole(**options)


def use_colour(stream: Any = None) -> bool:
    """Colour only on a terminal, and never with NO_COLOR set or TERM=dumb (clig.dev)."""
    return current().use_colour(stream)


#: The width of piped output (not a terminal, no COLUMNS): wide enough that lc never wraps a line
#: of its own, so `lc list | grep ID` finds whole ids and whole rows.
PIPED_WIDTH = 10_000


def piped_width(stream: Any = None, *, env: Environment | None = None) -> int | None:
    """The width for a Rich console on `stream` (stdout): None (Rich's choice: COLUMNS, else
    the terminal's) on a terminal or with COLUMNS set; PIPED_WIDTH when piped."""
    env = env or current()
    if env.columns() is not None:
        return None
    if env.terminal_width(stream) is not None:
        return None
    return PIPED_WIDTH


def terminal_width(stream: Any = None) -> int | None:
    """The terminal's width when `stream` (stdout) is a terminal (COLUMNS first); None when
    piped."""
    return current().terminal_width(stream)


def wrap_to_terminal(text: str, *, indent: int = 0, stream: Any = None) -> str:
    """`text` wrapped to the terminal's width, later lines indented by `indent`, when `stream`
    (stdout) is a terminal; whole when piped, so that grep and logs keep one line per problem.
    Words are never broken (a path or a link stays whole)."""
    width = terminal_width(stream)
    if width is None or len(text) <= width:
        return text
    import textwrap

    lead = len(text) - len(text.lstrip(" "))
    return textwrap.fill(
        text.lstrip(" "),
        width=max(width, 40),
        initial_indent=" " * lead,
        subsequent_indent=" " * indent,
        break_long_words=False,
        break_on_hyphens=False,
    )


def line(text: str, *, fg: str | None = None, bold: bool = False, err: bool = False) -> None:
    """One plain line on stdout (or stderr), coloured on a terminal: cheaper than a Rich console."""
    import typer

    env = current()
    stream = raw(env.err if err else env.out)
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
    current().out.write(json_text(data))


def clinic_heading(clinic: Any) -> Text:
    """`ID (status): title` on one line, as a Rich Text with the title's control characters
    written visibly (Rich would drop BEL and others from a Text it is given; the calendar's
    SUMMARY has them removed, so the heading is made from the clinic file's own title)."""
    from rich.text import Text

    title = " ".join(clinic.title.split())
    return Text(escape_terminal(f"{clinic.id} ({clinic.status.value}): {title}"))


def stderr() -> Console:
    """The console for messages of the command running now (`AppContext.err()`)."""
    env = current()
    return console(stderr=True, width=piped_width(env.err, env=env), env=env)


def message(console: Console, text: str, *, style: str | None = None) -> None:
    """One message line; not wrapped by lc (the terminal wraps it), so logs keep whole lines."""
    console.print(text, style=style, markup=False, highlight=False, soft_wrap=True)


def warning(console: Console, text: str) -> None:
    """The one way to warn: `warning: TEXT` on `console` (stderr), yellow on a terminal."""
    console.print(f"warning: {text}", style="yellow", markup=False, highlight=False, soft_wrap=True)


def note(console: Console, text: str, *, style: str | None = None) -> None:
    """The one way to add a note: `note: TEXT` on `console` (stderr)."""
    message(console, f"note: {text}", style=style)


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


def print_block(console: Console, *renderables: Any, crop: bool = True) -> None:
    """Print tables and text without the trailing spaces of padded cells and wrapped lines,
    so that plain output (not a colour terminal) can be compared and pasted as it is.
    crop=False: a line wider than the console is kept whole (a table with an id column wider
    than the terminal), for the terminal to wrap."""
    if console.no_color or not console.is_terminal:
        with console.capture() as capture:
            console.print(*renderables, sep="\n", crop=crop)
        lines = capture.get().split("\n")
        console.file.write("\n".join(line.rstrip() for line in lines))
        console.file.flush()
    else:
        console.print(*renderables, sep="\n", crop=crop)


def local_time_table(
    rows: list[LocalTime],
    window: Window,
    *,
    title: str | None = None,
    all_zones: bool = False,
) -> Table:
    """A session's time in each zone group (or zone): the places a row stands for (and a clock
    change within a day of the session, beneath them), UTC offset, local weekday and date, local
    start-end, day shift against UTC, and whether the session falls outside the acceptable
    hours (`window`, the [slots] hours that the time check and `lc slots` use too)."""
    table = new_table(title)
    table.add_column("zone (countries)" if all_zones else "zone group: cities (countries)")
    table.add_column("UTC", no_wrap=True)
    table.add_column("local date", no_wrap=True)
    table.add_column("local time", no_wrap=True)
    table.add_column("day", justify="right", no_wrap=True)
    table.add_column("hours", no_wrap=True)
    for row in rows:
        places = row.zone if all_zones else ", ".join(row.cities)
        countries = f" ({' '.join(row.countries)})" if row.countries else ""
        note = row.clock_note(detail=False)
        note = f"\n{note}" if note else ""
        table.add_row(
            places + countries + note,
            row.utc_offset,
            row.start.strftime("%a %Y-%m-%d"),
            f"{row.start:%H:%M}-{row.end:%H:%M}",
            f"{row.day_offset:+d}" if row.day_offset else "",
            "" if inside_hours(row, window) else "outside",
        )
    return table


def inside_hours(row: LocalTime, window: Window) -> bool:
    """Whether the whole session lies inside the acceptable hours on the row's clock."""
    from zoneinfo import ZoneInfo

    from letsconnect_cli.slots import WeightedZone, zone_fits

    zone = WeightedZone(row.zone, ZoneInfo(row.zone), 1.0)
    return zone_fits([zone], row.start, row.end - row.start, window)[0].ok


def hours_summary(
    rows: list[LocalTime], window: Window, regions: list[str], *, all_zones: bool = False
) -> str:
    """The table's verdict and the time check's, in the same terms: 'inside 08:00-21:00 local
    time ([slots] hours) for 20 of 23 zone groups; 96% of ESEAP's countries (each alike)'."""
    from letsconnect_cli.slots import equal_region_weights, score_at

    inside = sum(1 for row in rows if inside_hours(row, window))
    unit = "zones" if all_zones else "zone groups"
    text = f"inside {window.describe()} ([slots] hours) for {inside} of {len(rows)} {unit}"
    if rows and regions:
        start, end = rows[0].start, rows[0].end
        shares = [
            f"{round(score_at(equal_region_weights((code,)).zones, start, end - start, window) * 100)}%"
            f" of {code}'s countries"
            for code in regions
        ]
        text += f"; {', '.join(shares)} (each country alike)"
    return text
