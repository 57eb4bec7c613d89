"""Atomic file writes: nothing a user wrote is lost, and nothing is replaced without force.

A write goes to a temporary file beside its target (`.NAME.lc<pid>.XXXXXXXX.tmp`: a rename is
atomic only within one file system), then takes its place. A process killed in between (kill -9,
a power cut) leaves its temporary file behind; the next write into that folder, and the next
`lc invite`, remove every such file whose process no longer runs, so none stays as an untracked
file beside committed ones.
"""

from __future__ import annotations

import errno
import os
import re
import tempfile
from pathlib import Path

from letsconnect_cli.errors import FileExistsRefusal, OutputUnwritable

_WHY = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is used up",
    errno.EROFS: "the file system is read-only",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.ENOTDIR: "a part of the path is a file, not a folder",
    errno.EISDIR: "it is a folder",
    errno.ENAMETOOLONG: "the name is too long",
}


def _mode_for(path: Path) -> int:
    """An existing file keeps its permissions; a new one gets 0666 minus the umask, as open() does."""
    try:
        return path.stat().st_mode & 0o7777
    except FileNotFoundError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask


_TEMPORARY = re.compile(r"^\..+\.lc(\d+)\.[^.]+\.tmp$")


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # someone else's process, or cannot tell: keep its file
    return True


def remove_stale_temporaries(folder: Path) -> list[Path]:
    """Remove the temporary files of atomic writes whose process no longer runs; the removed."""
    removed = []
    try:
        with os.scandir(folder) as entries:
            names = [e.name for e in entries if e.name.endswith(".tmp")]
    except OSError:
        return []
    for name in names:
        match = _TEMPORARY.match(name)
        if match is None or _running(int(match[1])):
            continue
        try:
            (folder / name).unlink()
        except OSError:
            continue
        removed.append(folder / name)
    return removed


def unwritable(path: Path, error: OSError) -> OutputUnwritable:
    """The error for a file that cannot be written, saying why in words."""
    why = _WHY.get(error.errno or 0) or error.strerror or str(error)
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        hint = "Free some space or write elsewhere, then run again; the file was left as it was."
    elif error.errno in (errno.ENOTDIR, errno.EEXIST):
        why = "a part of the path is a file, not a folder"
        hint = "Give a path inside a folder."
    elif error.errno == errno.EISDIR:
        hint = "Give a file name, not a folder."
    else:
        hint = "Write to a folder you can write to; the file was left as it was."
    return OutputUnwritable(f"cannot write {path}: {why}", hint=hint)


def write_bytes_atomic(path: Path, data: bytes, *, force: bool = False) -> None:
    """Write via a temporary file in the same folder and a rename.

    Without `force` an existing file is never replaced (FileExistsRefusal, exit 2); the check
    and the write are one step (a hard link), so another writer cannot slip in between. A file
    that cannot be written (a read-only or full disk, a folder in the way) is OutputUnwritable
    (exit 4), and nothing is left of the attempt: the target is untouched, no temporary file stays.
    """
    if path.is_dir():
        raise OutputUnwritable(
            f"cannot write {path}: it is a folder", hint="Give a file name, not a folder."
        )
    try:
        _write(path, data, force=force)
    except OSError as error:
        raise unwritable(path, error) from None


def _write(path: Path, data: bytes, *, force: bool) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temporaries(path.parent)
    descriptor, temporary = tempfile.mkstemp(
        prefix=f".{path.name}.lc{os.getpid()}.", suffix=".tmp", dir=path.parent
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


def shown_path(path: Path) -> str:
    """A path as the user would type it: relative to the working folder when inside it, else
    as given (the one definition; `cli.output.shown` is this)."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
