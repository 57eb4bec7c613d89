"""A title's unclosed bidi override must not reorder the text lc writes after it.

An RLO (U+202E) left open in a clinic title turns "Invitation: <title> (Sunday, 7 February 2027)"
into "... )7202 yraurbeF 7 ,yadnuS(" in a mail client's subject line (and in a chat message): lc's
own words after the value are spoofed. Every value of the plain-text/email outputs is closed.
"""

from __future__ import annotations

import email
from email.policy import default
from pathlib import Path

import pytest
from typer.testing import CliRunner

from letsconnect_cli.cli import app
from letsconnect_cli.escaping import escape_plain_text
from tests.hostile import corpus

OPENERS = {"\u202a": "\u202c", "\u202b": "\u202c", "\u202d": "\u202c", "\u202e": "\u202c"}
OPENERS |= {"\u2066": "\u2069", "\u2067": "\u2069", "\u2068": "\u2069"}
UNCLOSED = "invoice \u202egnp.exe \u2067isolate \u202bembed"


def open_after(text: str) -> list[str]:
    """The bidi controls still open at the end of `text` (a stack, as UAX #9 keeps it)."""
    stack: list[str] = []
    for char in text:
        if char in OPENERS:
            stack.append(char)
        elif char in ("\u202c", "\u2069") and stack:
            while stack:
                if OPENERS[stack.pop()] == char:
                    break
    return stack


def test_escape_text_closes_what_a_value_opens() -> None:
    assert open_after(escape_plain_text(UNCLOSED)) == []
    assert escape_plain_text("plain \u202eclosed\u202c") == "plain \u202eclosed\u202c"
    assert escape_plain_text("ordinary title") == "ordinary title"


@pytest.mark.parametrize("fmt", ["email", "text"])
def test_announce_subject_and_text_after_an_unclosed_override(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    ids = corpus.make_project(tmp_path, {"unclosed": UNCLOSED})
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["announce", next(iter(ids)), "--format", fmt])
    assert result.exit_code == 0, result.stderr
    if fmt == "email":
        message = email.message_from_string(result.stdout, policy=default)
        subject = str(message["Subject"])
        assert "gnp.exe" in subject
        assert open_after(subject) == [], repr(subject)
        body = message.get_body(("plain",))
        assert body is not None
        lines = body.get_content().splitlines()
    else:
        lines = result.stdout.splitlines()
    for line in lines:
        assert open_after(line) == [], repr(line)
