"""One writer at a time: an exclusive lock that the system releases when the process ends.

lc holds one while it reads, changes and writes back a shared file (the ledger of issued
invites) and while it sends invitations (the send log). A lock of a folder is taken on the
folder itself, so that no lock file appears beside files that are committed.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from letsconnect_cli.errors import UsageError

#: How often a waiting run tries again, in seconds.
_POLL = 0.05


@contextlib.contextmanager
def exclusive(path: Path, *, busy: str, hint: str, wait: float = 0.0) -> Iterator[None]:
    """Hold `path` (a lock file, made if missing, or a folder) for the block.

    When another process holds it, try again for up to `wait` seconds, then raise UsageError
    (exit 2) with `busy` and `hint`.
    """
    descriptor = _open(path)
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                _lock(descriptor)
                break
            except OSError:
                if time.monotonic() >= deadline:
                    raise UsageError(busy, hint=hint) from None
                time.sleep(_POLL)
        yield
    finally:
        os.close(descriptor)  # closing releases the lock


def _open(path: Path) -> int:
    try:
        if path.is_dir():
            if sys.platform == "win32":  # pragma: no cover - Windows locks files only
                import hashlib
                import tempfile

                name = hashlib.sha256(str(path.resolve()).encode()).hexdigest()[:24]
                path = Path(tempfile.gettempdir()) / f"lc-{name}.lock"
            else:
                return os.open(path, os.O_RDONLY)
        return os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError as error:
        raise UsageError(
            f"cannot lock {path}: {error.strerror or error}",
            hint="lc needs to open it to make sure that only one run writes at a time.",
        ) from None


def _lock(descriptor: int) -> None:
    """An exclusive, non-blocking lock (OSError when another process holds it)."""
    if sys.platform == "win32":  # pragma: no cover - Windows
        import msvcrt

        msvcrt.locking(descriptor, msvcrt.LK_NBLCK, 1)
    else:
        import fcntl

        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
