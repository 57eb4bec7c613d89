"""Atomic file writes: nothing a user wrote is lost, and nothing is replaced without force."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from letsconnect_cli.errors import FileExistsRefusal


def _mode_for(path: Path) -> int:
    """An existing file keeps its permissions; a new one gets 0666 minus the umask, as open() does."""
    try:
        return path.stat().st_mode & 0o7777
    except FileNotFoundError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask


def write_bytes_atomic(path: Path, data: bytes, *, force: bool = False) -> None:
    """Write via a temporary file in the same folder and a rename.

    Without `force` an existing file is never replaced (FileExistsRefusal, exit 2); the check
    and the write are one step (a hard link), so another writer cannot slip in between.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(
        prefix=f".{path.name}.", suffix=".tmp", dir=path.parent
    )
    try:
        os.fchmod(descriptor, _mode_for(path))
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if force:
            Path(temporary).replace(path)
        else:
            try:
                os.link(temporary, path)  # fails if the target exists
            except FileExistsError:
                raise FileExistsRefusal(
                    f"{path} already exists", hint="Give --force to overwrite it."
                ) from None
            finally:
                Path(temporary).unlink(missing_ok=True)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_text_atomic(path: Path, text: str, *, force: bool = False) -> None:
    """`write_bytes_atomic` for UTF-8 text, written exactly as given (no newline translation)."""
    write_bytes_atomic(path, text.encode("utf-8"), force=force)
