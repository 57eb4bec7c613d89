"""Questions on a terminal: each answer checked where it is typed and asked again with the
reason, so a conversation never loses what was already answered.

Questions and reasons go to stderr. Ctrl-C at a question is KeyboardInterrupt (the root command
says "interrupted" and exits 130); input that ends before the last question is a UsageError.
Nothing here writes a file: commands write once every answer is in.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

import typer

from letsconnect_cli.cli.environment import current as current_env

T = TypeVar("T")


class Invalid(ValueError):
    """An answer that cannot be used; the message says why (and is shown before asking again)."""


def stdin_is_interactive() -> bool:
    """Whether lc may ask questions (a terminal on stdin); tests replace this."""
    return current_env().stdin_isatty


def _say(text: str) -> None:
    from letsconnect_cli.cli.output import line

    line(text, err=True)


def _prompt(question: str, default: str | None) -> str:
    """One question through click's prompt (a default shown in brackets); Ctrl-C and the end of
    the input become lc's own errors."""
    try:
        answer = typer.prompt(
            question,
            default=default if default is not None else "",
            show_default=bool(default),
            err=True,
        )
    except typer.Abort as error:
        current_env().err.write("\n")  # the terminal's cursor is still on the question's line
        if isinstance(error.__context__, EOFError):
            from letsconnect_cli.errors import UsageError

            topic = question.split(" (")[0].split(" [")[0].split(":")[0]
            raise UsageError(
                f"the input ended before an answer to {topic!r}; nothing was written",
                hint="Answer on a terminal, or give every value as a flag with --no-input.",
            ) from None
        raise KeyboardInterrupt from None
    return str(answer).strip()


def ask(
    question: str,
    check: Callable[[str], T],
    *,
    default: str | None = None,
) -> T:
    """Ask until `check(answer)` accepts it (it raises Invalid, ValueError or lc's UsageError
    with the reason otherwise); an empty answer is the default, if there is one."""
    from letsconnect_cli.errors import UsageError

    while True:
        answer = _prompt(question, default)
        try:
            return check(answer)
        except (ValueError, UsageError) as error:
            _say(f"  {_reason(error)}")


def _reason(error: Exception) -> str:
    """The reason on one line: lc's errors as 'message. Hint'."""
    from letsconnect_cli.errors import LcError

    if isinstance(error, LcError) and error.hint:
        return " ".join(f"{error.message.rstrip('.')}. {error.hint}".split())
    return " ".join(str(error).split())


def confirm(question: str, *, default: bool = False) -> bool:
    """A yes/no question; Enter gives the default."""
    shown = "Y/n" if default else "y/N"

    def check(answer: str) -> bool:
        if not answer:
            return default
        if answer.lower() in ("y", "yes"):
            return True
        if answer.lower() in ("n", "no"):
            return False
        raise Invalid("answer y or n")

    return ask(f"{question} [{shown}]", check)


def choose(question: str, options: Sequence[str], *, default: int | None = None) -> int:
    """One of numbered options (shown one a line); the index of the chosen one."""
    for number, text in enumerate(options, start=1):
        _say(f"  {number}: {text}")

    def check(answer: str) -> int:
        if answer.isdigit() and 1 <= int(answer) <= len(options):
            return int(answer) - 1
        raise Invalid(f"answer a number from 1 to {len(options)}")

    return ask(question, check, default=None if default is None else str(default + 1))


def optional(check: Callable[[str], T]) -> Callable[[str], T | None]:
    """`check`, with an empty answer meaning "skip" (None)."""

    def checked(answer: str) -> T | None:
        return check(answer) if answer else None

    return checked


def required(answer: str) -> str:
    if not answer:
        raise Invalid("an answer is needed here")
    return answer


def say(text: str) -> None:
    """A line of the conversation (on stderr)."""
    _say(text)
