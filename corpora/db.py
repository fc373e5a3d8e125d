"""The workspace database: one SQLite file by default, or a PostgreSQL server for a team.

SQL in Padan is written once with ``?`` placeholders and ``{pk}`` for an auto-numbered
primary key; this module adapts it to the dialect. Each package owns its tables and hands
its numbered migrations to :meth:`Database.migrate`, which runs the missing ones on open.

What differs between the dialects is settled here, once:

- placeholders: ``?`` becomes ``%s`` for psycopg, and a literal ``%`` (``LIKE 'a%'``, the
  pg_trgm operator) becomes ``%%``;
- column types in migrations: SQLite's INTEGER is 64-bit and its REAL a double, so on
  PostgreSQL they become BIGINT and DOUBLE PRECISION; TEXT columns are ``COLLATE "C"``
  so that ORDER BY, comparisons and LOWER() work by code point as in SQLite, whatever
  locale the server's database was created with;
- transactions: SQLite takes the write lock at BEGIN IMMEDIATE, so a transaction that reads
  a row and then writes it is never overtaken; PostgreSQL (READ COMMITTED) gets the same
  guarantee row by row from :meth:`Database.lock`, and migrations are serialised by an
  advisory lock, so that several Padans opening a new database at once create it once;
- errors: ``Database.IntegrityError`` is the dialect's constraint-violation class;
- reading much: :meth:`Database.stream` reads through a server-side cursor on PostgreSQL
  (psycopg's ordinary cursor holds the whole result in the client), and
  :meth:`Database.snapshot` makes several reads see one state of the database;
- writing much: :meth:`Database.copy` loads rows with COPY on PostgreSQL, with
  ``executemany`` on SQLite.
"""

from __future__ import annotations

import itertools
import os
import re
import sqlite3
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from corpora.errors import CorpusError

DEFAULT_PATH = "padan.db"
_DDL = {
    "sqlite": {"pk": "INTEGER PRIMARY KEY", "now": "CURRENT_TIMESTAMP"},
    "postgresql": {"pk": "BIGSERIAL PRIMARY KEY", "now": "CURRENT_TIMESTAMP"},
}
# Column types of a migration as PostgreSQL must spell them to behave like SQLite's.
_PG_TYPES = {
    "INTEGER": "BIGINT",
    "REAL": "DOUBLE PRECISION",
    "TEXT": 'TEXT COLLATE "C"',
    "BLOB": "BYTEA",
}
_PG_TYPE_RE = re.compile(r"\b(INTEGER|REAL|TEXT|BLOB)\b(?!\s+COLLATE)")
_TABLE_DDL_RE = re.compile(r"^\s*(CREATE\s+TABLE|ALTER\s+TABLE)\b", re.IGNORECASE)
_MIGRATION_LOCK = 72_616_461  # pg_advisory_xact_lock key: one migrating Padan at a time
_STREAMS = itertools.count()  # names of server-side cursors, unique in the process


def default_location() -> str:
    """``$PADAN_DB`` when set, else ``./padan.db``."""
    return os.environ.get("PADAN_DB") or DEFAULT_PATH


def is_url(location: str) -> bool:
    return location.startswith(("postgresql://", "postgres://"))


def redact(location: str) -> str:
    """``location`` fit to print: the password of a URL replaced by ``***``."""
    return re.sub(r"^(postgres(?:ql)?://[^:/@]*:)[^@]*@", r"\1***@", location)


def _wal(conn: sqlite3.Connection) -> None:
    """Switch to write-ahead logging (readers never wait for the writer).

    SQLite does not call the busy handler for this switch: when several processes open a
    new file at once, all but one get "database is locked" at once, so try again a while.
    """
    for attempt in range(200):
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or attempt == 199:
                raise
            time.sleep(0.05)


class Database:
    """A connection with the small surface Padan's stores need, on either dialect."""

    IntegrityError: type[Exception]
    """What a violated constraint (NOT NULL, UNIQUE, foreign key) raises on this dialect."""

    def __init__(self, location: str | Path | None = None) -> None:
        self.location = str(location or default_location())
        self._depth = 0
        if is_url(self.location):
            self.dialect = "postgresql"
            self._conn = self._connect_postgresql(self.location)
            self.IntegrityError = type(self._conn).IntegrityError
        else:
            self.dialect = "sqlite"
            self.IntegrityError = sqlite3.IntegrityError
            self._conn = self._connect_sqlite(self.location)
        self.migrate("", [])  # creates the table schema_version

    @staticmethod
    def _connect_sqlite(path: str) -> Any:
        parent = Path(path).expanduser().resolve().parent
        if not parent.is_dir():
            raise CorpusError("folder of the workspace does not exist", path=path)
        try:
            # The busy timeout first: switching a new file to WAL waits for other openers.
            conn = sqlite3.connect(path, timeout=10, isolation_level=None, check_same_thread=False)
            conn.execute("PRAGMA busy_timeout = 10000")
            conn.execute("PRAGMA foreign_keys = ON")
            _wal(conn)
        except sqlite3.DatabaseError as exc:
            raise CorpusError(f"not a Padan workspace: {exc}", path=path) from exc
        return conn

    @staticmethod
    def _connect_postgresql(url: str) -> Any:
        try:
            import psycopg
        except ImportError as exc:  # pragma: no cover - depends on the installation
            raise CorpusError(
                "PostgreSQL support needs psycopg",
                path=redact(url),
                hint="pip install 'psycopg[binary]'",
            ) from exc
        try:
            return psycopg.connect(
                url, autocommit=True, connect_timeout=10, application_name="padan"
            )
        except psycopg.Error as exc:
            message = " ".join(str(exc).split())
            raise CorpusError(
                f"cannot connect: {message}",
                path=redact(url),
                hint="check the URL, that the server runs and that the role may log in",
            ) from exc

    # -- SQL -----------------------------------------------------------------------------

    def sql(self, text: str) -> str:
        text = text.replace("{pk}", _DDL[self.dialect]["pk"])
        if self.dialect == "postgresql":
            text = text.replace("%", "%%").replace("?", "%s")
        return text

    def _ddl(self, statement: str) -> str:
        """A migration's CREATE/ALTER TABLE with the column types of this dialect."""
        if self.dialect == "postgresql" and _TABLE_DDL_RE.match(statement):
            return _PG_TYPE_RE.sub(lambda m: _PG_TYPES[m.group(1)], statement)
        return statement

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        cur = self._conn.cursor()
        cur.execute(self.sql(sql), tuple(params))
        return cur

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        """One statement for many rows (psycopg pipelines them: one round trip, not N)."""
        rows = [tuple(r) for r in rows]
        if rows:
            self._conn.cursor().executemany(self.sql(sql), rows)

    def one_of(self, column: str, values: Sequence[Any]) -> tuple[str, list[Any]]:
        """``column IN (...)`` as SQL and its parameters: one array on PostgreSQL, one
        placeholder per value on SQLite (keep ``values`` under its limit of 32,766)."""
        if self.dialect == "postgresql":
            return f"{column} = ANY(?)", [list(values)]
        return f"{column} IN ({', '.join('?' * len(values))})", list(values)

    def copy(self, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
        """Insert many rows: COPY on PostgreSQL (one stream, no statement per row), a
        prepared INSERT run by ``executemany`` on SQLite."""
        if self.dialect == "sqlite":
            marks = ", ".join("?" * len(columns))
            self._conn.executemany(
                f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows
            )
            return
        with self._conn.cursor().copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as out:
            for row in rows:
                out.write_row(row)

    def stream(self, sql: str, params: Sequence[Any] = (), size: int = 2000) -> Iterator[Any]:
        """The rows of a query, fetched ``size`` at a time: memory bounded by ``size`` rows.

        SQLite's cursor already steps through the result; on PostgreSQL a named
        (server-side) cursor does, inside a transaction (joined if one is open).
        """
        if self.dialect == "sqlite":
            cursor = self.execute(sql, params)
            while rows := cursor.fetchmany(size):
                yield from rows
            return
        with self.transaction():
            cursor = self._conn.cursor(name=f"padan_stream_{next(_STREAMS)}")
            try:
                cursor.itersize = size
                cursor.execute(self.sql(sql), tuple(params))
                yield from cursor
            finally:
                cursor.close()

    @contextmanager
    def snapshot(self) -> Iterator[Database]:
        """Reads that all see the same committed state, whatever others commit meanwhile.

        SQLite (WAL): a deferred transaction, which takes no lock until it writes;
        PostgreSQL: a REPEATABLE READ transaction. Inside a transaction: joins it.
        """
        if self._depth:
            with self.transaction():
                yield self
            return
        self._conn.execute(
            "BEGIN DEFERRED"
            if self.dialect == "sqlite"
            else "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"
        )
        self._depth = 1
        try:
            yield self
        finally:
            self._depth = 0
            self._conn.execute("COMMIT")

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return list(self.execute(sql, params).fetchall())

    def scalar(self, sql: str, params: Sequence[Any] = ()) -> Any:
        row = self.execute(sql, params).fetchone()
        return row[0] if row else None

    def insert(self, sql: str, params: Sequence[Any] = ()) -> int:
        """Run an INSERT and return the new row's id."""
        return int(self.execute(sql + " RETURNING id", params).fetchone()[0])

    def lock(self, table: str, ids: Iterable[int]) -> None:
        """Hold rows of ``table`` until the transaction ends, so that what was read is
        what gets overwritten.

        SQLite needs nothing: BEGIN IMMEDIATE already holds the whole database. On
        PostgreSQL a concurrent writer of the same rows waits here, then reads their new
        state; the rows are locked in id order so that two bulk edits never deadlock.
        """
        if self.dialect != "postgresql":
            return
        if not self._depth:
            raise RuntimeError("Database.lock outside a transaction")
        self.execute(
            f"SELECT id FROM {table} WHERE id = ANY(?) ORDER BY id FOR UPDATE",
            (sorted(set(ids)),),
        )

    def serialize(self, key: str) -> None:
        """Let one transaction at a time past this point for ``key`` (until it ends).

        For writes that read before they insert (a document's next position, a new
        concept's key): on SQLite, BEGIN IMMEDIATE already lets one writer in at a time; on
        PostgreSQL a transaction-scoped advisory lock on the key does it.
        """
        if self.dialect != "postgresql":
            return
        if not self._depth:
            raise RuntimeError("Database.serialize outside a transaction")
        self.execute("SELECT pg_advisory_xact_lock(hashtext(?))", (key,))

    @contextmanager
    def transaction(self) -> Iterator[Database]:
        """All or nothing; nested calls join the outer transaction."""
        if self._depth:
            self._depth += 1
            try:
                yield self
            finally:
                self._depth -= 1
            return
        self._conn.execute("BEGIN IMMEDIATE" if self.dialect == "sqlite" else "BEGIN")
        self._depth = 1
        try:
            yield self
        except BaseException:
            self._depth = 0
            self._conn.execute("ROLLBACK")
            raise
        self._depth = 0
        self._conn.execute("COMMIT")

    def migrate(self, component: str, steps: Sequence[str | Sequence[str]]) -> None:
        """Run the migrations of ``component`` that this database has not seen yet.

        ``steps[i]`` brings the schema from version i to i + 1; each may hold several
        statements separated by ``;`` (or be a list of statements, for those with a ``;``
        of their own, such as a trigger) and runs in one transaction with its version bump.
        """
        with self.transaction():
            if self.dialect == "postgresql":
                # SQLite's BEGIN IMMEDIATE lets one migrating writer in at a time; here two
                # Padans opening a new database at once would both create every table.
                self.execute(f"SELECT pg_advisory_xact_lock({_MIGRATION_LOCK})")
            # Looked up before it is created: on PostgreSQL even CREATE TABLE IF NOT EXISTS
            # needs the right to create tables, which a translator's role may lack.
            exists = (
                "SELECT name FROM sqlite_master WHERE name = 'schema_version'"
                if self.dialect == "sqlite"
                else "SELECT to_regclass('schema_version')"
            )
            if self.scalar(exists) is None:
                self.execute(
                    self._ddl(
                        "CREATE TABLE schema_version "
                        "(component TEXT PRIMARY KEY, version INTEGER NOT NULL)"
                    )
                )
            if not component:
                return
            current = self.scalar(
                "SELECT version FROM schema_version WHERE component = ?", (component,)
            )
            current = current or 0
            if current > len(steps):
                raise CorpusError(
                    f"workspace schema of {component} is newer ({current}) than this Padan "
                    f"({len(steps)})",
                    path=redact(self.location),
                    hint="upgrade Padan",
                )
            for version in range(current, len(steps)):
                step = steps[version]
                for statement in step.split(";") if isinstance(step, str) else step:
                    if statement.strip():
                        self.execute(self._ddl(statement))
            if current == 0:
                self.execute(
                    "INSERT INTO schema_version (component, version) VALUES (?, ?)",
                    (component, len(steps)),
                )
            elif current < len(steps):
                self.execute(
                    "UPDATE schema_version SET version = ? WHERE component = ?",
                    (len(steps), component),
                )

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
