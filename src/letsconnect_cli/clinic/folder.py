"""A liaison's own folder of clinics, as `lc init` starts it: a commented `lc.toml`, an empty
`clinics/`, and a `.gitignore` keeping lc's private and generated folders out of git.

What lc writes beside the clinics folder, and whether it belongs in git:
- `.lc-mail/`: the send log of `lc invite --send` and its key (who was sent what): never.
- `invites/`: the `.ics` files of `lc invite`, made again from the clinics at any time: no.
- `announcements/`: the default output folder of `lc announce -o`: no.
- `.<name>.tmp`: a write interrupted half-way (lc removes them; a crash may not): no.
- `clinics/.lc-issued.toml` and `clinics/.lc-published.toml`: what was sent and published,
  committed with the clinics (not ignored).
lc's caches (the validation cache) live in the user's cache folder, never here.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from letsconnect_cli import tomltext
from letsconnect_cli.errors import FileExistsRefusal
from letsconnect_cli.files import write_text_atomic

CONFIG_NAME = "lc.toml"
CLINICS_NAME = "clinics"
GITIGNORE_NAME = ".gitignore"

#: The lines of lc's block in .gitignore (comments on their own lines: git reads no trailing ones).
GITIGNORE_BLOCK = (
    "# lc's private and generated folders (lc init): the send log of invitations (who was sent",
    "# what: never commit it), calendar files and announcements made from the clinics, and",
    "# files of an interrupted write. clinics/.lc-issued.toml and .lc-published.toml are",
    "# committed with the clinics.",
    "/.lc-mail/",
    "/invites/",
    "/announcements/",
    ".*.tmp",
)


@dataclass(frozen=True)
class Settings:
    """What `lc init` puts in lc.toml (None: left commented out)."""

    organiser_name: str | None = None
    organiser_email: str | None = None
    default_region: str | None = None
    timezone: str | None = None


@dataclass(frozen=True)
class Outcome:
    """What `lc init` did: each path with 'created', 'replaced', 'updated' or 'kept'."""

    config: tuple[Path, str]
    clinics: tuple[Path, str]
    gitignore: tuple[Path, str]


def _line(key: str, value: str | None, example: str) -> str:
    if value is None:
        return f"# {key} = {tomltext.value(example)}"
    return f"{key} = {tomltext.value(value)}"


def config_text(settings: Settings) -> str:
    """The commented lc.toml of a new folder (reads back as `settings`)."""
    lines = [
        "# lc's configuration for this folder of clinics (written by lc init; edit it freely).",
        "# Precedence: command-line flags > LC_* environment variables > this file > the user's",
        "# ~/.config/lc/lc.toml. Secrets (wiki and SMTP passwords) never go here. Every key is",
        "# in lc's docs, Configuration (docs/guide/configuration.md).",
        "",
        "# The folder of clinic files, relative to this file.",
        f"clinics_dir = {tomltext.value(CLINICS_NAME)}",
        "# The region used when a command is given none and a clinic names none:",
        "# CEE, ESEAP, LAC, MENA, NA, NWE, SA or SSA.",
        _line("default_region", settings.default_region, "ESEAP"),
        "",
        "# Who sends invites and announcements: their contact appears in them.",
        "[organiser]",
        _line("name", settings.organiser_name, "Your name"),
        _line("email", settings.organiser_email, "you@example.org"),
        "",
        "[ui]",
        "# The time zone you think in: lc new-clinic offers it for a start typed without one.",
        _line("timezone", settings.timezone, "Asia/Manila"),
        "",
        "# The acceptable local hours of lc slots, and of the time check of lc validate and",
        "# lc new-clinic (these are the defaults):",
        "# [slots]",
        '# hours = "08:00-21:00"  # the whole session must lie inside them',
        '# days = "all"           # or "sat,sun", "mon-fri", "weekdays", "weekend"',
        "",
        "# A reminder in calendar invites, this long before a clinic:",
        "# [calendar]",
        '# reminder = "15m"',
    ]
    return "\n".join(lines) + "\n"


def gitignore_text(existing: str | None) -> str | None:
    """The .gitignore with lc's lines added (those it lacks), or None when it has them all."""
    have = {line.strip() for line in (existing or "").splitlines()}
    patterns = [line for line in GITIGNORE_BLOCK if not line.startswith("#")]
    if all(pattern in have for pattern in patterns):
        return None
    block = [line for line in GITIGNORE_BLOCK if line.startswith("#") or line not in have]
    text = existing or ""
    if text and not text.endswith("\n"):
        text += "\n"
    if text:
        text += "\n"
    return text + "\n".join(block) + "\n"


def check_target(folder: Path, *, force: bool) -> None:
    """Refuse before asking anything: an lc.toml is never replaced without force."""
    if folder.exists() and not folder.is_dir():
        raise FileExistsRefusal(f"{folder} exists and is not a folder")
    config = folder / CONFIG_NAME
    if config.exists() and not force:
        raise FileExistsRefusal(
            f"{config} already exists: this folder is started",
            hint="Give --force to write a new lc.toml over it (clinics/ and .gitignore are kept).",
        )
    clinics = folder / CLINICS_NAME
    if clinics.exists() and not clinics.is_dir():
        raise FileExistsRefusal(f"{clinics} exists and is not a folder")


def init_folder(folder: Path, settings: Settings, *, force: bool = False) -> Outcome:
    """Write lc.toml, make clinics/ (kept if it exists) and add lc's lines to .gitignore."""
    check_target(folder, force=force)
    folder.mkdir(parents=True, exist_ok=True)
    config = folder / CONFIG_NAME
    config_state = "replaced" if config.exists() else "created"
    write_text_atomic(config, config_text(settings), force=force)
    clinics = folder / CLINICS_NAME
    clinics_state = "kept" if clinics.is_dir() else "created"
    clinics.mkdir(exist_ok=True)
    ignore = folder / GITIGNORE_NAME
    existing = ignore.read_text(encoding="utf-8") if ignore.is_file() else None
    updated = gitignore_text(existing)
    if updated is None:
        ignore_state = "kept"
    else:
        write_text_atomic(ignore, updated, force=True)
        ignore_state = "created" if existing is None else "updated"
    return Outcome((config, config_state), (clinics, clinics_state), (ignore, ignore_state))
