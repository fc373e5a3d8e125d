"""The workspace database: one SQLite file by default, or a PostgreSQL server for a team.

:class:`Database` opens it; what it can do is split by responsibility:
corpora/dbconn.py (SQL in either dialect, transactions, faults as one line),
corpora/dbschema.py (migrations), corpora/dbbulk.py (streaming reads, COPY, snapshots),
corpora/sqlitefile.py (what a file on disk is) and corpora/dbfaults.py (the one-line
faults).

Opening a SQLite workspace: a new one is built in a temporary file and appears under its
name whole or not at all; an existing one is switched to write-ahead logging once, and a
read-only command opens it so that this works on a read-only file, folder or mount.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from corpora import dbfaults, sqlitefile
from corpora.atomicfile import reason, temporary_beside
from corpora.dbbulk import Bulk
from corpora.dbconn import connect_postgresql, is_url
from corpora.dbschema import Schema
from corpora.errors import CorpusError

DEFAULT_PATH = "padan.db"
DEFAULT_WAIT = 600.0  # seconds a writer waits for another: a big import takes minutes


def default_location() -> str:
    """``$PADAN_DB`` when set, else ``./padan.db``."""
    return os.environ.get("PADAN_DB") or DEFAULT_PATH


def _wal(conn: sqlite3.Connection, wait: float) -> None:
    """Switch to write-ahead logging (readers never wait for the writer).

    A no-op on a Padan workspace made since they are created in WAL mode; an older one in
    rollback mode switches once. SQLite does not call the busy handler for this switch,
    so try again a while.
    """
    deadline = time.monotonic() + wait
    while True:
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def _quiet(message: str) -> None:
    """The default listener of :class:`Database`'s waits: says nothing."""


class Database(Bulk, Schema):
    """A connection with the small surface Padan's stores need, on either dialect.

    ``readonly``: the caller only reads; a SQLite workspace is opened so that this works
    on a read-only file, folder or mount, and leaves no ``-wal``/``-shm`` behind.
    ``wait``: how many seconds a writer waits for another one before it gives up with one
    line; ``on_wait`` hears once when it starts waiting. ``schema`` builds the tables of
    a new SQLite workspace in a temporary file, before it appears under its name: a new
    workspace is there whole or not at all (a full disk leaves no file behind).
    """

    def __init__(
        self,
        location: str | Path | None = None,
        *,
        readonly: bool = False,
        wait: float = DEFAULT_WAIT,
        on_wait: Callable[[str], None] = _quiet,
        schema: Callable[[Database], object] | None = None,
    ) -> None:
        self.location = str(location or default_location())
        self.readonly = readonly
        self.wait = wait
        self._on_wait = on_wait
        self._waited = False
        self._depth = 0
        self._full = False  # a write found the disk full: see _tidy
        self._companions: dict[Path, bool] = {}  # SQLite's -wal/-shm: existed at open?
        self._query_only = False  # a reader's connection that could write
        self._frozen = False  # a reader's connection that cannot write (mode=ro, immutable)
        if is_url(self.location):
            self.dialect = "postgresql"
            self._conn = connect_postgresql(self.location, wait)
            self.IntegrityError = type(self._conn).IntegrityError
        else:
            self.dialect = "sqlite"
            self.IntegrityError = sqlite3.IntegrityError
            self._conn = self._open_sqlite(schema)
        self.migrate("", [])  # creates the table schema_version

    # -- opening ---------------------------------------------------------------------------

    def _open_sqlite(self, schema: Callable[[Database], object] | None) -> Any:
        path = self.location
        state = sqlitefile.status(path)
        self._companions = {
            Path(f"{path}{suffix}"): Path(f"{path}{suffix}").exists() for suffix in ("-wal", "-shm")
        }
        if state == "empty":
            raise CorpusError(
                "empty file (0 bytes), not a Padan workspace",
                path=path,
                hint="remove it, and Padan creates a new workspace there",
            )
        if state == "missing":
            self._create_sqlite(schema)
        if self.readonly:
            mode = sqlitefile.read_mode(path)
            try:
                conn = self._open_for_reading(mode)
            except dbfaults.DiskFullError:
                # Reading a WAL file needs room for its -shm: on a full disk, read the file
                # as it is, when no -wal holds anything more.
                wal = Path(f"{path}-wal")
                if mode != "query_only" or (wal.exists() and wal.stat().st_size):
                    raise
                self._tidy()
                mode = "immutable"
                conn = self._open_for_reading(mode)
            if conn is not None:
                self._query_only = mode == "query_only"
                self._frozen = not self._query_only
                return conn
        why = sqlitefile.unwritable(path)
        if why:
            raise dbfaults.read_only(path, why)
        conn = self._connect_file("rw")
        self._conn = conn
        try:
            kind = sqlitefile.kind(conn, path)
            _wal(conn, self.wait)
            if kind != "padan":  # mark it, and give an empty database its tables
                with self.transaction():
                    if sqlitefile.kind(conn, path) == "empty":
                        self._create_tables(schema)
                    conn.execute(f"PRAGMA application_id = {sqlitefile.APPLICATION_ID}")
        except BaseException as exc:
            conn.close()
            try:
                self._fail(exc)
            finally:
                self._tidy()
        return conn

    def _tidy(self) -> None:
        """Remove the -wal and -shm files this connection's SQLite made but could not
        fill nor remove: on a full disk they hold no data (no block), and nobody else
        could have made use of them there either."""
        if not self._full:
            return
        for companion, existed in self._companions.items():
            try:
                if not existed and not companion.stat().st_blocks:
                    companion.unlink()
            except OSError:
                continue

    def _open_for_reading(self, mode: str) -> sqlite3.Connection | None:
        """A reader's connection; None for an empty database (becoming a workspace is a
        write)."""
        conn = self._connect_file("rw" if mode == "query_only" else mode)
        try:
            if mode == "query_only":
                conn.execute("PRAGMA query_only = ON")
            if sqlitefile.kind(conn, self.location) != "empty":
                return conn
        except BaseException as exc:
            conn.close()
            self._fail(exc)
        conn.close()
        return None

    def _connect_file(self, mode: str, path: str | None = None) -> sqlite3.Connection:
        try:
            return sqlitefile.connect(path or self.location, mode, self.wait)
        except sqlite3.Error as exc:
            self._fail(exc)

    def _create_sqlite(self, schema: Callable[[Database], object] | None) -> None:
        """Build a new workspace beside its name, then link it there (unless another
        Padan got there first: then theirs is used)."""
        path = Path(self.location).expanduser()
        why = sqlitefile.unwritable(str(path))
        if why:
            raise dbfaults.read_only(self.location, f"cannot create it: {why}")
        with temporary_beside(path) as tmp:
            conn = self._connect_file("rw", str(tmp))
            self._conn = conn
            try:
                conn.execute(f"PRAGMA page_size = {sqlitefile.PAGE_SIZE}")  # before any page
                # Built with a rollback journal, so that each commit is in the file itself,
                # then switched to WAL (an empty log): nothing is left in a -wal to lose.
                with self.transaction():
                    conn.execute(f"PRAGMA application_id = {sqlitefile.APPLICATION_ID}")
                    self._create_tables(schema)
                if conn.execute("PRAGMA journal_mode = WAL").fetchone()[0] != "wal":
                    raise CorpusError("cannot switch the new workspace to WAL", path=path)
            except sqlite3.Error as exc:
                self._fail(exc)
            finally:
                conn.close()
            try:
                _publish(tmp, path)
            except FileExistsError:
                pass  # another Padan created it meanwhile: use theirs
            except OSError as exc:
                raise CorpusError(
                    f"cannot create the workspace: {reason(exc)}", path=self.location
                ) from exc

    def _create_tables(self, schema: Callable[[Database], object] | None) -> None:
        self.migrate("", [])

    def close(self) -> None:
        try:
            self._conn.close()
        except Exception:  # noqa: BLE001 - closing a connection the server dropped
            return
        self._tidy()

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _publish(tmp: Path, path: Path) -> None:
    """Give ``tmp`` the name ``path``, unless that exists (FileExistsError)."""
    try:
        os.link(tmp, path)
    except FileExistsError:
        raise
    except OSError:  # a file system without hard links
        if path.exists():
            raise FileExistsError(path) from None
        os.rename(tmp, path)
