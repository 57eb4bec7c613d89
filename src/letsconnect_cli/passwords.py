"""Secrets (the wiki's bot password, the SMTP password): from the environment or a file only.

Never from a flag or lc.toml, never printed, never in a repr. A file holds the secret alone (a
final newline is dropped); a file that other users can read gets a warning, not a refusal.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from letsconnect_cli.errors import InputUnreadable, UsageError


@dataclass(frozen=True)
class Secret:
    """A secret and where it came from ('LC_SMTP_PASSWORD' or the file), for messages."""

    value: str = field(repr=False)
    source: str
    warning: str | None = None


def read_secret(
    variable: str, file: Path | None, setting: str, environ: Mapping[str, str] | None = None
) -> Secret | None:
    """The secret from the environment variable, else from the file; None when neither is set.

    `setting` names the file's key in messages, e.g. "[smtp] password_file".
    """
    environ = os.environ if environ is None else environ
    value = environ.get(variable) or None
    if value is not None:
        return Secret(value, variable)
    if file is None:
        return None
    try:
        text = file.read_text(encoding="utf-8").strip("\r\n")
        mode = file.stat().st_mode
    except OSError as error:
        raise InputUnreadable(f"cannot read {setting} {file}: {error.strerror or error}") from None
    except UnicodeDecodeError:
        raise InputUnreadable(f"{setting} {file} is not UTF-8 text") from None
    if not text:
        raise UsageError(f"{setting} {file} is empty")
    warning = None
    if os.name == "posix" and mode & (stat.S_IRWXG | stat.S_IRWXO):
        warning = f"{file} can be read by other users: chmod 600 it"
    return Secret(text, str(file), warning)
