"""Opening a SQLite workspace file: whose it is, whether it can be written, how to read it.

- A Padan workspace carries ``PRAGMA application_id`` = :data:`APPLICATION_ID`. One made
  before that mark existed is known by its ``schema_version (component, version)`` table
  and is marked when next opened for writing. A SQLite file with no table at all is
  adopted; any other file is refused unchanged: Padan creates tables only in a new file
  or an empty database.
- A 0-byte file is refused too: Padan never leaves one (new workspaces appear whole, see
  :meth:`corpora.db.Database`), so it is someone else's file or a truncated workspace.
- Read-only access: a workspace we may write is opened read-write with ``query_only``,
  so that SQLite tidies its ``-wal``/``-shm`` files on close; one we may not write (file,
  folder or mount read-only) is opened ``mode=ro`` when its ``-wal`` exists (someone is
  writing it, or it was not closed cleanly), else ``immutable=1``: a read-only connection
  would otherwise fail in a read-only folder, or leave ``-shm``/``-wal`` files that the
  owner's SQLite cannot write.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from urllib.parse import quote

from corpora.errors import CorpusError

APPLICATION_ID = 0x50414441  # "PADA"
PAGE_SIZE = 16_384
"""Bytes per page of a new workspace. SQLite's 4 KiB made a big import a storm of system
calls (every page written to the WAL, then copied by the checkpoint): 122,000 for 100,000
units, 37,000 with 16 KiB pages, for a file 3 % larger. 64 KiB pages saved little more
and grew the file by 12 %."""
NEW_WORKSPACE_HINT = "give --db a Padan workspace, or the name of a new file"


def status(path: str) -> str:
    """``missing``, ``empty`` (0 bytes) or ``file``; a missing folder or a folder given
    as the workspace is refused."""
    p = Path(path).expanduser()
    if p.is_dir():
        raise CorpusError(
            "is a folder, not a workspace file", path=path, hint="give --db a file's name"
        )
    if not p.resolve().parent.is_dir():
        raise CorpusError("folder of the workspace does not exist", path=path)
    try:
        size = p.stat().st_size
    except FileNotFoundError:
        return "missing"
    return "empty" if size == 0 else "file"


def _read_only_fs(folder: Path) -> bool:
    try:
        return bool(os.statvfs(folder).f_flag & os.ST_RDONLY)
    except OSError:
        return False


def unwritable(path: str) -> str | None:
    """Why this process cannot write the workspace (file or folder), or None.

    SQLite writes beside the file (its ``-wal``), so the folder counts too. Root passes
    ``os.access`` whatever the modes, as it passes SQLite's writes; a read-only mount
    stops both.
    """
    p = Path(path).expanduser()
    folder = p.resolve().parent
    if _read_only_fs(folder):
        return "it is on a read-only file system"
    if p.exists() and not os.access(p, os.W_OK):
        return "no permission to write the file"
    if not os.access(folder, os.W_OK | os.X_OK):
        return "no permission to write its folder, where SQLite keeps its -wal file"
    return None


def connect(path: str, mode: str, timeout: float) -> sqlite3.Connection:
    """``mode``: ``rw`` (the file must exist), ``rwc`` (create), ``ro`` or ``immutable``."""
    absolute = quote(str(Path(path).expanduser().resolve()))
    query = "mode=ro&immutable=1" if mode == "immutable" else f"mode={mode}"
    conn = sqlite3.connect(
        f"file:{absolute}?{query}",
        uri=True,
        timeout=timeout,
        isolation_level=None,
        check_same_thread=False,
    )
    conn.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


def read_mode(path: str) -> str:
    """How a read-only command opens the file (see the module's docstring)."""
    if unwritable(path) is None:
        return "query_only"
    return "ro" if Path(f"{path}-wal").exists() else "immutable"


def kind(conn: sqlite3.Connection, path: str) -> str:
    """``padan``, ``unmarked`` (a Padan workspace made before the mark) or ``empty``;
    anything else is refused with one line."""
    try:
        app = int(conn.execute("PRAGMA application_id").fetchone()[0])
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        ]
    except sqlite3.DatabaseError as exc:
        if getattr(exc, "sqlite_errorname", "") != "SQLITE_NOTADB":
            raise  # a busy, full or broken disk: the caller says which
        raise CorpusError(
            f"not a Padan workspace: {exc}", path=path, hint=NEW_WORKSPACE_HINT
        ) from exc
    if app == APPLICATION_ID:
        if "schema_version" not in tables:
            raise CorpusError(
                "damaged workspace: its table schema_version is missing",
                path=path,
                hint="restore the workspace from a backup",
            )
        return "padan"
    if app:
        raise CorpusError(
            f"not a Padan workspace: the SQLite database of another program "
            f"(application_id {app:#x})",
            path=path,
            hint=NEW_WORKSPACE_HINT,
        )
    if not tables:
        return "empty"
    if "schema_version" in tables:
        columns = {r[1] for r in conn.execute("PRAGMA table_info(schema_version)")}
        if columns == {"component", "version"}:
            return "unmarked"
    shown = ", ".join(tables[:5]) + (", ..." if len(tables) > 5 else "")
    raise CorpusError(
        f"not a Padan workspace: a SQLite database of another program (tables {shown}); "
        "left unchanged",
        path=path,
        hint=NEW_WORKSPACE_HINT,
    )
