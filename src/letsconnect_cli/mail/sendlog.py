"""The send log: which invitation went to whom, without keeping anyone's address.

It lives in a local state folder (`.lc-mail/` beside the clinics folder, or `[smtp] state_dir`)
that lc keeps out of git (the folder holds a `.gitignore` of `*`) and readable by its owner only:

- `key`: 32 random bytes (hex), made on first use. Whoever has the key and an address can tell
  whether that address was sent to; without it the log says nothing about anyone.
- `sent.jsonl`: one JSON line per message the server accepted: the clinic's UID and id, the
  recipient as HMAC-SHA256(key, lower-cased address), SEQUENCE, METHOD, what it was (new, update,
  cancel), the time and the Message-ID, and the key's id (so a log is never read with another key).

A line is appended and flushed to disk as soon as the server accepts a message, so a run that
stops (a crash, a refusal, Ctrl-C) is resumed by running the command again: lc sends to exactly
the recipients that have no line yet. Only one sending run at a time holds the folder (a lock).
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import os
import secrets
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from letsconnect_cli.errors import InputUnreadable, UsageError

STATE_DIR = ".lc-mail"
KEY_NAME = "key"
LOG_NAME = "sent.jsonl"
LOCK_NAME = "lock"
FORMAT = 1
_GITIGNORE = "# lc's send log of emailed invitations: personal data, never commit it.\n*\n"


@dataclass(frozen=True)
class Sent:
    """One message a server accepted."""

    uid: str
    clinic: str
    recipient: str  # HMAC-SHA256 of the address, hex
    sequence: int
    method: str  # REQUEST or CANCEL
    kind: str  # new, update or cancel
    time: datetime
    message_id: str


class SendLog:
    """The send log of one state folder. `open` reads it; `append` records a message sent."""

    def __init__(self, folder: Path, key: bytes, entries: list[Sent], *, stored: bool) -> None:
        self.folder = folder
        self._key = key
        self.entries = entries
        self.stored = stored  # False: a key made up for a dry run, written nowhere
        self.torn = 0  # a last line cut short by a crash while it was written: ignored
        self._valid_size: int | None = None  # where the torn line starts, cut off on append
        self._needs_newline = False  # the last line is whole but lacks its line end

    def __repr__(self) -> str:  # never the key
        return f"SendLog({str(self.folder)!r}, {len(self.entries)} entries)"

    @property
    def key_id(self) -> str:
        return hashlib.sha256(self._key).hexdigest()[:16]

    @property
    def path(self) -> Path:
        return self.folder / LOG_NAME

    @classmethod
    def open(cls, folder: Path, *, create: bool) -> SendLog:
        """Read the log. Without `create`, a folder with no key gives an in-memory key (nothing
        was sent from it, so nothing can match); with it, the folder and key are made."""
        key_path = folder / KEY_NAME
        log_path = folder / LOG_NAME
        key = _read_key(key_path)
        if key is None:
            if log_path.is_file() and log_path.stat().st_size > 0:
                raise InputUnreadable(
                    f"{log_path} exists but its key {key_path} is missing",
                    hint="Restore the key from a backup: without it lc cannot tell who was "
                    "invited, and would invite everyone again.",
                )
            if not create:
                return cls(folder, secrets.token_bytes(32), [], stored=False)
            key = _make_key(folder, key_path)
        log = cls(folder, key, [], stored=True)
        log._load()
        return log

    def hash(self, address: str) -> str:
        """The recipient's keyed hash (HMAC-SHA256 of the trimmed, lower-cased address)."""
        normal = address.strip().lower().encode("utf-8")
        return hmac.new(self._key, normal, hashlib.sha256).hexdigest()

    def token(self, *parts: str) -> str:
        """A keyed digest of some text, for Message-IDs that reveal nothing."""
        text = "\x1f".join(parts).encode("utf-8")
        return hmac.new(self._key, b"message-id\x1f" + text, hashlib.sha256).hexdigest()

    def history(self, uid: str) -> dict[str, list[Sent]]:
        """Per recipient hash, the messages sent for one calendar UID, oldest first."""
        found: dict[str, list[Sent]] = {}
        for entry in self.entries:
            if entry.uid == uid:
                found.setdefault(entry.recipient, []).append(entry)
        for items in found.values():
            items.sort(key=lambda e: (e.time, e.sequence))
        return found

    def append(self, entry: Sent) -> None:
        """Record a message as sent: one line, written and flushed to disk before returning."""
        if not self.stored:
            raise RuntimeError("a dry run's send log records nothing")
        data = asdict(entry)
        data["time"] = entry.time.astimezone(UTC).isoformat().replace("+00:00", "Z")
        data = {"format": FORMAT, "key": self.key_id, **data}
        line = json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"
        if self._needs_newline:
            line = "\n" + line
            self._needs_newline = False
        if self._valid_size is not None:  # drop the torn line before adding after it
            os.truncate(self.path, self._valid_size)
            self._valid_size = None
        descriptor = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(descriptor, line.encode("utf-8"))
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
        self.entries.append(entry)

    @contextlib.contextmanager
    def lock(self) -> Iterator[None]:
        """Hold the folder for one sending run; UsageError when another run holds it.

        The log is read again once the lock is held, so that a plan made inside it sees every
        message a run that just finished has sent.
        """
        from letsconnect_cli.locking import exclusive

        with exclusive(
            self.folder / LOCK_NAME,
            busy=f"another lc run is sending invitations from {self.folder}",
            hint="Wait for it to finish; two runs at once could invite people twice.",
        ):
            self.entries, self.torn, self._valid_size, self._needs_newline = [], 0, None, False
            self._load()
            yield

    def _load(self) -> None:
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return
        except (OSError, UnicodeDecodeError) as error:
            raise InputUnreadable(f"cannot read the send log {self.path}: {error}") from None
        lines = text.split("\n")
        last = len(lines) - 1
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                data = json.loads(line)
                entry = self._entry(data)
            except (ValueError, KeyError, TypeError, RecursionError) as error:
                if number == last + 1 and not text.endswith("\n"):
                    self.torn += 1  # the last line, cut short by a crash while it was written
                    self._valid_size = len(
                        text[: text.rindex("\n") + 1 if "\n" in text else 0].encode()
                    )
                    continue
                raise InputUnreadable(
                    f"{self.path}, line {number}: not a send-log entry ({error})",
                    hint="lc writes this file; restore it from a backup, or remove the damaged "
                    "line (its recipient would then be invited again).",
                ) from None
            if data.get("key") != self.key_id:
                raise InputUnreadable(
                    f"{self.path}, line {number}: written with another key than "
                    f"{self.folder / KEY_NAME}",
                    hint="Put back the key this log was written with.",
                )
            self.entries.append(entry)
        self._needs_newline = bool(text) and not text.endswith("\n") and not self.torn

    @staticmethod
    def _entry(data: Any) -> Sent:
        if data.get("format") != FORMAT:
            raise ValueError(f"format {data.get('format')!r} is not {FORMAT}")
        time = datetime.fromisoformat(str(data["time"]).replace("Z", "+00:00"))
        if time.tzinfo is None:
            raise ValueError("time without a UTC offset")
        entry = Sent(
            uid=str(data["uid"]),
            clinic=str(data["clinic"]),
            recipient=str(data["recipient"]),
            sequence=int(data["sequence"]),
            method=str(data["method"]),
            kind=str(data["kind"]),
            time=time.astimezone(UTC),
            message_id=str(data["message_id"]),
        )
        if entry.method not in ("REQUEST", "CANCEL") or len(entry.recipient) != 64:
            raise ValueError("bad method or recipient")
        return entry


def _read_key(path: Path) -> bytes | None:
    try:
        text = path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as error:
        raise InputUnreadable(f"cannot read the send log's key {path}: {error}") from None
    try:
        key = bytes.fromhex(text)
    except ValueError:
        key = b""
    if len(key) < 16:
        raise InputUnreadable(
            f"{path} is not a key lc wrote (64 hexadecimal digits)",
            hint="Restore it from a backup.",
        )
    return key


def _make_key(folder: Path, path: Path) -> bytes:
    """A new random key, written once (never replacing another), readable by the owner only."""
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        ignore = folder / ".gitignore"
        if not ignore.exists():
            ignore.write_text(_GITIGNORE, encoding="utf-8")
        key = secrets.token_bytes(32)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        found = _read_key(path)  # another run made it a moment ago
        assert found is not None
        return found
    except OSError as error:
        raise UsageError(
            f"cannot create the send log in {folder}: {error.strerror or error}",
            hint="Set [smtp] state_dir in lc.toml to a folder you can write to.",
        ) from None
    try:
        os.write(descriptor, (key.hex() + "\n").encode("ascii"))
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
    return key
