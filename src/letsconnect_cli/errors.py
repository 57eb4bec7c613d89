"""One exception hierarchy for lc; each error carries the exit code the CLI maps it to.

Core modules raise these and never print or exit. The CLI turns them into a message on
stderr and the exit code below, in one place (`letsconnect_cli.cli.app`).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum


class ExitCode(IntEnum):
    """The exit codes of every lc command (documented in `lc --help` and docs/reference/exit-codes.md)."""

    OK = 0
    UNEXPECTED = 1
    USAGE = 2
    VALIDATION = 3
    INPUT = 4
    REMOTE = 5


class LcError(Exception):
    """Base of every error lc reports to the user without a traceback."""

    exit_code: ExitCode = ExitCode.UNEXPECTED

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message if self.hint is None else f"{self.message}\n{self.hint}"


class UsageError(LcError):
    """The command was called wrongly: a bad option value, a missing flag, an existing file."""

    exit_code = ExitCode.USAGE


class ConfigError(UsageError):
    """lc.toml or an LC_* variable holds something lc cannot use."""


class FileExistsRefusal(UsageError):
    """lc would overwrite a file; it never does without --force."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a file: where (field, line) and what to do about it."""

    field: str | None
    line: int | None
    message: str


class ValidationFailed(LcError):
    """Input was read but breaks a rule (a clinic file, a new clinic's flags)."""

    exit_code = ExitCode.VALIDATION

    def __init__(self, message: str, problems: list[Problem], *, source: str | None = None) -> None:
        super().__init__(message)
        self.problems = problems
        self.source = source

    def __str__(self) -> str:
        from letsconnect_cli.escaping import escape_name

        lines = [self.message]
        for problem in self.problems:
            where = []
            if self.source:
                where.append(
                    escape_name(self.source) + (f":{problem.line}" if problem.line else "")
                )
            if problem.field:
                where.append(escape_name(problem.field))
            prefix = ": ".join(where)
            lines.append(f"  {prefix}: {problem.message}" if prefix else f"  {problem.message}")
        return "\n".join(lines)


class InputUnreadable(LcError):
    """A file could not be read at all, or is in no format lc recognises."""

    exit_code = ExitCode.INPUT


class OutputUnwritable(InputUnreadable):
    """A file could not be written: a read-only or full disk, a folder in the way (exit 4)."""


class RemoteError(LcError):
    """A remote service (a wiki, an SMTP server, a URL) failed or refused."""

    exit_code = ExitCode.REMOTE


class AlreadyReported(LcError):
    """The command has shown the problems itself (`lc validate`'s report): the CLI adds no
    message, only the exit code."""

    def __init__(self, message: str, exit_code: ExitCode) -> None:
        super().__init__(message)
        self.exit_code = exit_code
