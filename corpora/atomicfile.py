"""Atomic file writes: a temporary file in the same folder, fsynced, then renamed.

A crash or an error while writing never leaves a half-written file under the target
name, and an existing file stays as it was until the new one is complete.

The temporary file is named ``.NAME.padan-PID-XXXXXXXX.tmp`` and its writer holds an
``flock`` on it while it writes. A process killed halfway (``kill -9``, a power cut) leaves
it behind; the next write to the same path removes such leftovers: those whose lock is
free and whose process is gone. The lock alone would race with a writer that has
created its file but not locked it yet; the process id alone would trust a reused pid or
another container's; together they only remove what nobody is writing.
"""

from __future__ import annotations

import errno
import fcntl
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from corpora.errors import CorpusError

_MARK = "padan-"
# What a workspace database being created leaves beside its temporary file (SQLite's).
_COMPANIONS = ("", "-wal", "-shm", "-journal")


def reason(exc: OSError) -> str:
    """What went wrong, in words a user acts on."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return "the disk is full"
    if exc.errno == errno.EROFS:
        return "the file system is read-only"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    return exc.strerror or str(exc)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True


def _abandoned(tmp: Path) -> bool:
    """True when no process is writing ``tmp`` any more (see the module's docstring)."""
    try:
        pid = int(tmp.name.split(_MARK, 1)[1].split("-", 1)[0])
    except (IndexError, ValueError):
        return False
    if pid == os.getpid() or _alive(pid):
        return False
    try:
        fd = os.open(tmp, os.O_RDONLY)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False  # its writer still holds it (another pid namespace)
    finally:
        os.close(fd)
    return True


def clean_leftovers(path: str | Path) -> list[Path]:
    """Remove the temporary files that killed writers of ``path`` left; returns them."""
    path = Path(path)
    removed = []
    try:
        candidates = list(path.parent.glob(f".{path.name}.{_MARK}*.tmp"))
    except OSError:
        return []
    for tmp in candidates:
        if _abandoned(tmp):
            for suffix in _COMPANIONS:
                try:
                    Path(f"{tmp}{suffix}").unlink()
                except OSError:
                    continue
            removed.append(tmp)
    return removed


@contextmanager
def temporary_beside(path: str | Path) -> Iterator[Path]:
    """A new, locked temporary file beside ``path``, removed afterwards unless renamed.

    For writers that open the file themselves (SQLite creating a workspace).
    """
    path = Path(path)
    folder = path.resolve().parent
    clean_leftovers(path)
    try:
        fd, name = tempfile.mkstemp(
            prefix=f".{path.name}.{_MARK}{os.getpid()}-", suffix=".tmp", dir=folder
        )
    except OSError as exc:
        raise CorpusError(f"cannot create a file in {folder}: {reason(exc)}", path=path) from exc
    tmp = Path(name)
    try:
        # Kept open while the caller works: closing any descriptor of a file would drop
        # the POSIX locks SQLite holds on it.
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield tmp
    finally:
        for suffix in _COMPANIONS:
            Path(f"{tmp}{suffix}").unlink(missing_ok=True)
        os.close(fd)


def write_error(path: str | Path, exc: OSError) -> CorpusError:
    """The one line for a file Padan could not write."""
    full = exc.errno in (errno.ENOSPC, errno.EDQUOT)
    return CorpusError(
        f"cannot write: {reason(exc)}; nothing was written",
        path=path,
        hint="free some space and run it again" if full else "write it to another folder",
    )


@contextmanager
def atomic_write(path: str | Path, *, encoding: str | None = "utf-8") -> Iterator[IO[Any]]:
    """Open a temporary file for writing; it replaces ``path`` only if the block succeeds.

    ``encoding=None`` opens it in binary mode. A full disk, a read-only folder or file
    system become one :class:`CorpusError` naming ``path``, with nothing left behind.
    """
    path = Path(path)
    folder = path.resolve().parent
    if not folder.is_dir():
        raise CorpusError("folder does not exist", path=path)
    with temporary_beside(path) as tmp:
        # mkstemp makes the file private (0600); give it the mode a new file would have.
        umask = os.umask(0)
        os.umask(umask)
        try:
            os.chmod(tmp, 0o666 & ~umask)
            mode = "wb" if encoding is None else "w"
            f = open(tmp, mode, encoding=encoding, newline="" if encoding else None)  # noqa: SIM115
        except OSError as exc:
            raise write_error(path, exc) from exc
        try:
            with f:
                try:
                    yield f
                except OSError as exc:
                    if exc.filename not in (None, str(tmp)):
                        raise  # the block's own business (a file it reads), not our writing
                    raise write_error(path, exc) from exc
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, path)
        except OSError as exc:  # flushing, closing, renaming
            if exc.filename not in (None, str(tmp), str(path)):
                raise
            raise write_error(path, exc) from exc
