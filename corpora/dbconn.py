"""A connection to the workspace database on either dialect: SQL, transactions, faults.

SQL in Padan is written once with ``?`` placeholders and ``{pk}`` for an auto-numbered
primary key; :meth:`Connection.sql` adapts it to the dialect. :class:`corpora.db.Database`
opens the connection; corpora/dbschema.py runs the migrations and corpora/dbbulk.py the
reads and writes of many rows.

What differs between the dialects is settled here, once:

- placeholders: ``?`` becomes ``%s`` for psycopg, and a literal ``%`` (``LIKE 'a%'``, the
  pg_trgm operator) becomes ``%%``;
- column types in migrations: SQLite's INTEGER is 64-bit and its REAL a double, so on
  PostgreSQL they become BIGINT and DOUBLE PRECISION; TEXT columns are ``COLLATE "C"``
  so that ORDER BY, comparisons and LOWER() work by code point as in SQLite, whatever
  locale the server's database was created with;
- transactions: SQLite takes the write lock at BEGIN IMMEDIATE, so a transaction that reads
  a row and then writes it is never overtaken; PostgreSQL (READ COMMITTED) gets the same
  guarantee row by row from :meth:`Connection.lock`, and migrations are serialised by an
  advisory lock, so that several Padans opening a new database at once create it once;
- errors: ``Connection.IntegrityError`` is the dialect's constraint-violation class; a
  busy, full, read-only or damaged database and a server that went away become one
  :class:`CorpusError` line (corpora/dbfaults.py);
- reading much: :meth:`corpora.dbbulk.Bulk.stream` reads through a server-side cursor on PostgreSQL
  (psycopg's ordinary cursor holds the whole result in the client), and
  ``snapshot`` makes several reads see one state of the database;
- writing much: ``copy`` loads rows with COPY on PostgreSQL, with
  ``executemany`` on SQLite.

Waiting: on SQLite, readers never wait (write-ahead log; a read-only command opens the
file read-only, and the schema is only migrated when its version differs). A writer takes
the lock at BEGIN IMMEDIATE; when another command holds it, it says so once (``on_wait``)
and waits up to ``wait`` seconds, then gives up with one line. On PostgreSQL the same
``wait`` is the session's ``lock_timeout``.
"""

from __future__ import annotations

import contextlib
import logging
import re
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, NoReturn, Self

from corpora import dbfaults
from corpora.errors import CorpusError

# psycopg logs what it ignores while it ends a COPY on a lost connection; with no handler,
# Python would print that beside the one line Padan says of the same failure.
logging.getLogger("psycopg").addHandler(logging.NullHandler())

_PK = {"sqlite": "INTEGER PRIMARY KEY", "postgresql": "BIGSERIAL PRIMARY KEY"}
_FIRST_TRY = 0.2  # seconds a writer waits before it says it is waiting


def is_url(location: str) -> bool:
    return location.startswith(("postgres://", "postgresql://"))


def redact(location: str) -> str:
    """``location`` fit to print: the password of a URL replaced by ``***``."""
    return re.sub(r"^(postgres(?:ql)?://[^:/@]*:)[^@]*@", r"\1***@", location)


def connect_postgresql(url: str, wait: float) -> Any:
    try:
        import psycopg
    except ImportError as exc:  # pragma: no cover - depends on the installation
        raise CorpusError(
            "PostgreSQL support needs psycopg",
            path=redact(url),
            hint="pip install 'psycopg[binary]'",
        ) from exc
    try:
        conn = psycopg.connect(url, autocommit=True, connect_timeout=10, application_name="padan")
        # A writer waits this long for a row or advisory lock, then gives up.
        conn.execute(f"SET lock_timeout = {int(wait * 1000)}")
        return conn
    except psycopg.Error as exc:
        message = " ".join(str(exc).split())
        raise CorpusError(
            f"cannot connect: {message}",
            path=redact(url),
            hint="check the URL, that the server runs and that the role may log in",
        ) from exc


class Connection:
    """The small surface Padan's stores need, on either dialect (opened by
    :class:`corpora.db.Database`)."""

    IntegrityError: type[Exception]
    """What a violated constraint (NOT NULL, UNIQUE, foreign key) raises on this dialect."""
    location: str
    dialect: str  # "sqlite" or "postgresql"
    readonly: bool
    wait: float
    _conn: Any
    _on_wait: Callable[[str], None]
    _waited: bool  # on_wait has heard
    _depth: int  # nested transactions open
    _full: bool  # a write found the disk full
    _query_only: bool  # a reader's connection that could write
    _frozen: bool  # a reader's connection that cannot write (mode=ro, immutable)

    def _fail(self, exc: BaseException) -> NoReturn:
        """Raise ``exc`` as the one line a user reads when it is about the database's
        state, else as it is."""
        location = redact(self.location)
        translated = dbfaults.fault(exc, location, wait=self.wait, conn=self._conn_or_none())
        self._full = self._full or isinstance(translated, dbfaults.DiskFullError)
        if translated is None or translated is exc:
            raise exc
        raise translated from exc

    def _conn_or_none(self) -> Any:
        return getattr(self, "_conn", None)

    # -- SQL -----------------------------------------------------------------------------

    def sql(self, text: str) -> str:
        text = text.replace("{pk}", _PK[self.dialect])
        if self.dialect == "postgresql":
            text = text.replace("%", "%%").replace("?", "%s")
        return text

    def execute(
        self, sql: str, params: Sequence[Any] = (), *, retry: bool = True, binary: bool = False
    ) -> Any:
        """Run ``sql``; ``binary`` asks PostgreSQL for results in binary format (a BLOB
        arrives as its bytes, not as hex text four times slower to decode)."""
        try:
            cur = self._conn.cursor()
            if binary and self.dialect == "postgresql":
                cur.execute(self.sql(sql), tuple(params), binary=True)
            else:
                cur.execute(self.sql(sql), tuple(params))
            return cur
        except Exception as exc:
            if retry and self._may_reconnect(exc, sql):
                return self.execute(sql, params, retry=False, binary=binary)
            self._fail(exc)

    def _may_reconnect(self, exc: Exception, sql: str) -> bool:
        """Reconnect to a PostgreSQL server that closed the connection, when that is safe:
        a read outside a transaction (or a BEGIN: nothing of it has run yet). Anything
        else lets the error through."""
        if self.dialect != "postgresql" or self._depth or not self._conn.broken:
            return False
        if not isinstance(exc, type(self._conn).OperationalError):
            return False
        if sql.lstrip()[:6].upper() not in ("SELECT", "BEGIN"):
            return False
        try:
            self._conn = connect_postgresql(self.location, self.wait)
        except CorpusError:
            return False  # still down: the original error tells it
        return True

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        """One statement for many rows (psycopg pipelines them: one round trip, not N)."""
        rows = [tuple(r) for r in rows]
        if rows:
            try:
                self._conn.cursor().executemany(self.sql(sql), rows)
            except Exception as exc:
                self._fail(exc)

    def one_of(self, column: str, values: Sequence[Any]) -> tuple[str, list[Any]]:
        """``column IN (...)`` as SQL and its parameters: one array on PostgreSQL, one
        placeholder per value on SQLite (keep ``values`` under its limit of 32,766)."""
        if self.dialect == "postgresql":
            return f"{column} = ANY(?)", [list(values)]
        return f"{column} IN ({', '.join('?' * len(values))})", list(values)

    def query(
        self, sql: str, params: Sequence[Any] = (), *, binary: bool = False
    ) -> list[tuple[Any, ...]]:
        cur = self.execute(sql, params, binary=binary)
        try:
            return list(cur.fetchall())
        except Exception as exc:
            self._fail(exc)

    def query_together(
        self, statements: Sequence[tuple[str, Sequence[Any], bool]], *, retry: bool = True
    ) -> list[list[tuple[Any, ...]]]:
        """The rows of each (sql, params, binary) query, sent together: one round trip to
        a PostgreSQL server (a pipeline), not one per query. Each still reads its own
        snapshot, as separate queries outside a transaction do."""
        if self.dialect == "sqlite":
            return [self.query(sql, params) for sql, params, _ in statements]
        try:
            with self._conn.pipeline():
                cursors = []
                for sql, params, binary in statements:
                    cursor = self._conn.cursor()
                    cursor.execute(self.sql(sql), tuple(params), binary=binary)
                    cursors.append(cursor)
            return [list(cursor.fetchall()) for cursor in cursors]
        except Exception as exc:
            reads = all(sql.lstrip()[:6].upper() == "SELECT" for sql, _, _ in statements)
            if retry and reads and self._may_reconnect(exc, statements[0][0]):
                return self.query_together(statements, retry=False)
            self._fail(exc)

    def scalar(self, sql: str, params: Sequence[Any] = ()) -> Any:
        cur = self.execute(sql, params)
        try:
            row = cur.fetchone()
        except Exception as exc:
            self._fail(exc)
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

    def settle(self) -> None:
        """After a bulk write, on PostgreSQL: vacuum and analyze the database. Tables just
        filled by COPY have no planner statistics and no visibility map, so that the next
        reads plan badly and touch every row's heap page (the memory panel took 40-90 ms a
        look-up after a 1M-unit import, 4-6 ms once vacuumed; the small tables' statistics
        matter as much as the big ones'). Best effort: the data is committed, and a role
        that does not own the tables may not vacuum them."""
        if self.dialect != "postgresql" or self._depth:
            return
        with contextlib.suppress(Exception):
            self._conn.execute("VACUUM (ANALYZE)")

    @contextmanager
    def transaction(self) -> Iterator[Self]:
        """All or nothing; nested calls join the outer transaction.

        Whatever fails inside, the transaction is rolled back (or was, by SQLite itself on
        a full disk) and the error comes out as one line when it is about the database.
        """
        if self._depth:
            self._depth += 1
            try:
                yield self
            finally:
                self._depth -= 1
            return
        self._begin()
        self._depth = 1
        try:
            yield self
        except BaseException as exc:
            self._depth = 0
            self._rollback()
            self._fail(exc)
        self._depth = 0
        try:
            self._conn.execute("COMMIT")
        except Exception as exc:
            self._rollback()
            self._fail(exc)

    def _begin(self) -> None:
        try:
            if self.dialect != "sqlite":
                try:
                    self._conn.execute("BEGIN")
                except Exception as exc:
                    if not self._may_reconnect(exc, "BEGIN"):
                        raise
                    self._conn.execute("BEGIN")
                return
            self._begin_immediate()
        except CorpusError:
            raise
        except Exception as exc:
            self._fail(exc)

    def _begin_immediate(self) -> None:
        """BEGIN IMMEDIATE, waiting for another writer as the module's docstring says."""
        self._busy_timeout(_FIRST_TRY)
        try:
            self._conn.execute("BEGIN IMMEDIATE")
            return
        except sqlite3.OperationalError as exc:
            if getattr(exc, "sqlite_errorname", "") != "SQLITE_BUSY":
                raise
        finally:
            self._busy_timeout(self.wait)
        if not self._waited:
            self._waited = True
            self._on_wait(f"waiting for another padan command on {self.location}…")
        try:
            self._conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            if getattr(exc, "sqlite_errorname", "") == "SQLITE_BUSY":
                raise dbfaults.busy(self.location, self.wait) from exc
            raise

    def _busy_timeout(self, seconds: float) -> None:
        self._conn.execute(f"PRAGMA busy_timeout = {int(seconds * 1000)}")

    def _rollback(self) -> None:
        """Roll back what is still open; a connection that is gone or a transaction SQLite
        already ended (full disk) has nothing left to take back."""
        try:
            if self.dialect == "sqlite" and not self._conn.in_transaction:
                return
            self._conn.execute("ROLLBACK")
        except Exception:  # noqa: BLE001 - the error that brought us here is the one to tell
            return
