"""The world the command line runs in: environment variables, the standard streams, whether they
are terminals and how wide, and the clock. The one module of `cli` that reads `os.environ`,
`sys.stdin`/`sys.stdout`/`sys.stderr` or `isatty` (a test checks it); every other module asks the
`Environment` of the root context (`AppContext.env`, or `current()` where no context is at hand).

Modelled on httpie's `Environment`: the defaults are the process's own, read when asked (so
that the streams `terminal_safe_streams` and Click's test runner swap in are the ones used); a
test builds one with its own values and passes it as the root context's object:

    runner.invoke(app, ["list"], obj=AppContext(env=Environment(environ={"NO_COLOR": "1"})))
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Iterator, Mapping
from contextvars import ContextVar
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import IO, Any, cast

from letsconnect_cli import clock
from letsconnect_cli.escaping import escape_terminal


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


def is_terminal(stream: Any) -> bool:
    """Whether `stream` is a terminal (a stream without `isatty` is not)."""
    return bool(getattr(stream, "isatty", lambda: False)())


@contextlib.contextmanager
def terminal_safe_streams() -> Iterator[None]:
    """stdout and stderr as `TerminalSafe` streams while the block runs. Bidirectional controls
    are data on a redirected stdout (an Arabic title may need them), shown visibly on a terminal
    and in every message."""
    saved = sys.stdout, sys.stderr
    sys.stdout = cast("Any", TerminalSafe(raw(sys.stdout), bidi=is_terminal(sys.stdout)))
    sys.stderr = cast("Any", TerminalSafe(raw(sys.stderr)))
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved


def system_now() -> datetime:
    """The system clock, UTC."""
    return datetime.now(UTC)


@dataclass
class Environment:
    """What a run of lc reads from outside its arguments. Each field left None is the process's
    own, read when used."""

    environ: Mapping[str, str] | None = None
    stdin: IO[str] | None = None
    stdout: IO[str] | None = None
    stderr: IO[str] | None = None
    clock: Callable[[], datetime] | None = None

    @property
    def env(self) -> Mapping[str, str]:
        """The environment variables."""
        return os.environ if self.environ is None else self.environ

    @property
    def out(self) -> IO[str]:
        return sys.stdout if self.stdout is None else self.stdout

    @property
    def err(self) -> IO[str]:
        return sys.stderr if self.stderr is None else self.stderr

    @property
    def input(self) -> IO[str]:
        return sys.stdin if self.stdin is None else self.stdin

    @property
    def stdin_isatty(self) -> bool:
        return is_terminal(self.input)

    @property
    def stdout_isatty(self) -> bool:
        return is_terminal(self.out)

    @property
    def stderr_isatty(self) -> bool:
        return is_terminal(self.err)

    def terminal_safe(self) -> Environment:
        """This environment with its own streams (when it has any) writing control characters
        visibly, as `terminal_safe_streams` makes the process's."""
        out, err = self.stdout, self.stderr
        if out is not None and not isinstance(out, TerminalSafe):
            out = cast("Any", TerminalSafe(out, bidi=is_terminal(out)))
        if err is not None and not isinstance(err, TerminalSafe):
            err = cast("Any", TerminalSafe(err))
        return replace(self, stdout=out, stderr=err)

    def now(self) -> datetime:
        """Now, in UTC."""
        return (self.clock or system_now)()

    def use_colour(self, stream: Any = None) -> bool:
        """Colour only on a terminal, and never with NO_COLOR set or TERM=dumb (clig.dev)."""
        if self.env.get("NO_COLOR") or self.env.get("TERM") == "dumb":
            return False
        return is_terminal(self.out if stream is None else stream)

    def columns(self) -> int | None:
        """COLUMNS when it is a number."""
        text = self.env.get("COLUMNS", "").strip()
        return int(text) if text.isdigit() else None

    def terminal_width(self, stream: Any = None) -> int | None:
        """The terminal's width when `stream` (stdout) is a terminal (COLUMNS first); None when
        piped."""
        import shutil

        if not is_terminal(self.out if stream is None else stream):
            return None
        return self.columns() or shutil.get_terminal_size().columns

    def source_date_epoch(self) -> datetime | None:
        """SOURCE_DATE_EPOCH (reproducible output), None when unset (`clock`'s one reading)."""
        return clock.source_date_epoch(self.env)

    def stamp(self) -> datetime:
        """The time that goes into generated files: SOURCE_DATE_EPOCH when set, else now; whole
        seconds, UTC."""
        return (self.source_date_epoch() or self.now()).astimezone(UTC).replace(microsecond=0)


#: The environment of a run that has no root context (a library call from a test).
PROCESS = Environment()


_CURRENT: ContextVar[Environment | None] = ContextVar("lc_environment", default=None)


def activate(env: Environment) -> Callable[[], None]:
    """Make `env` the current one (the root command does, for the run); returns the undo."""
    token = _CURRENT.set(env)
    return lambda: _CURRENT.reset(token)


def current() -> Environment:
    """The Environment of the command running now (its root context's `env`), else the
    process's."""
    return _CURRENT.get() or PROCESS
