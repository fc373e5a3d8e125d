"""What a failing database says to the user: one line naming the workspace, and what to do.

SQLite and psycopg raise their own exceptions for a busy, full, read-only or damaged
database and for a server that went away; :func:`fault` turns each into a
:class:`CorpusError` (a constraint violation or a bug in Padan's SQL is left as it is).
A transaction that fails is rolled back whole, so each message can say that the change
was not stored.
"""

from __future__ import annotations

import os
import re
import sqlite3
from pathlib import Path
from typing import Any

from corpora.errors import CorpusError

NOT_STORED = "nothing of it was stored"
ROOM = 1 << 20  # bytes free under which a failed write is put down to a full disk
_BACKUP = "restore the workspace from a backup"


class BusyError(CorpusError):
    """Another command held the workspace longer than the caller would wait."""


class DiskFullError(CorpusError):
    """There was no room to write the workspace."""


class GoneError(CorpusError):
    """The PostgreSQL server closed the connection."""


def busy(location: str, wait: float) -> BusyError:
    return BusyError(
        f"another padan command kept the workspace busy for more than {wait:g} s; {NOT_STORED}",
        path=location,
        hint="run it again when the other command is done, or give --wait more seconds",
    )


def read_only(location: str, why: str) -> CorpusError:
    return CorpusError(
        f"the workspace is read-only ({why}): nothing was changed",
        path=location,
        hint="commands that only read (search, stats, export) work; to change it, "
        "work on a copy in a folder you can write",
    )


def damaged(location: str, what: str) -> CorpusError:
    return CorpusError(f"damaged workspace: {what}", path=location, hint=_BACKUP)


def _full(location: str) -> CorpusError:
    return DiskFullError(
        f"the disk is full; {NOT_STORED}", path=location, hint="free some space and run it again"
    )


def _disk(location: str) -> str | None:
    """``full`` (less than :data:`ROOM` free), ``read-only`` or None, for the file system
    of a SQLite workspace."""
    try:
        found = os.statvfs(Path(location).expanduser().resolve().parent)
    except OSError:
        return None
    if found.f_flag & os.ST_RDONLY:
        return "read-only"
    return "full" if found.f_bavail * found.f_frsize < ROOM else None


def _sqlite_fault(exc: sqlite3.Error, location: str, wait: float) -> CorpusError | None:
    if isinstance(exc, sqlite3.IntegrityError | sqlite3.ProgrammingError):
        return None
    name = getattr(exc, "sqlite_errorname", "") or ""
    text = str(exc)
    if name.startswith("SQLITE_BUSY") or "database is locked" in text:
        return busy(location, wait)
    if name == "SQLITE_FULL" or "database or disk is full" in text:
        return _full(location)
    if name.startswith("SQLITE_READONLY") or "readonly database" in text:
        return read_only(location, "SQLite may not write it")
    if name.startswith("SQLITE_IOERR") or "disk I/O error" in text:
        # SQLite does not say why a write failed (its -shm may not grow on a full disk):
        # the file system does.
        state = _disk(location)
        if state == "full":
            return _full(location)
        if state == "read-only":
            return read_only(location, "it is on a read-only file system")
        return CorpusError(
            f"the disk failed to read or write the workspace (a full disk or a read-only "
            f"file system); {NOT_STORED}",
            path=location,
            hint="free some space, or check the disk, and run it again",
        )
    if name in ("SQLITE_CORRUPT", "SQLITE_NOTADB") or "malformed" in text:
        return damaged(location, text)
    if name.startswith("SQLITE_CANTOPEN"):
        return CorpusError(
            "cannot open the workspace file", path=location, hint="check the path and its folder"
        )
    missing = re.match(r"no such (table|column): (\S+)", text)
    if missing:
        return damaged(location, f"{missing.group(1)} {missing.group(2)} is missing")
    return None


def _pg_fault(exc: Any, conn: Any, location: str, wait: float) -> CorpusError | None:
    state = getattr(exc, "sqlstate", None) or ""
    if state == "55P03":  # lock_not_available: waited lock_timeout
        return busy(location, wait)
    if state == "53100":
        return CorpusError(
            f"the server's disk is full; {NOT_STORED}",
            path=location,
            hint="ask its administrator for space and run it again",
        )
    if state == "25006":
        return read_only(location, "the server accepts no writes on this connection")
    if state == "42501":
        return CorpusError(
            f"this role may not do that: {' '.join(str(exc).split())}",
            path=location,
            hint="ask the database's administrator for the right",
        )
    if state in ("42P01", "42703"):
        return damaged(location, " ".join(str(exc).split()))
    broken = conn is None or getattr(conn, "broken", False) or getattr(conn, "closed", False)
    if state.startswith(("08", "57P")) or (broken and type(exc).__name__ == "OperationalError"):
        return GoneError(
            f"the server closed the connection; {NOT_STORED}",
            path=location,
            hint="run the command again when the server is back",
        )
    return None


def fault(
    exc: BaseException, location: str, *, wait: float = 0, conn: Any = None
) -> CorpusError | None:
    """The one-line error for a database exception, or None when it is not a fault of the
    database's environment (a constraint violation, a bug)."""
    if isinstance(exc, CorpusError):
        return exc
    if isinstance(exc, sqlite3.Error):
        return _sqlite_fault(exc, location, wait)
    if type(exc).__module__.startswith("psycopg"):
        return _pg_fault(exc, conn, location, wait)
    return None
