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
- errors: ``Database.IntegrityError`` is the dialect's constraint-violation class; a
  busy, full, read-only or damaged database and a server that went away become one
  :class:`CorpusError` line (corpora/dbfaults.py);
- reading much: :meth:`Database.stream` reads through a server-side cursor on PostgreSQL
  (psycopg's ordinary cursor holds the whole result in the client), and
  :meth:`Database.snapshot` makes several reads see one state of the database;
- writing much: :meth:`Database.copy` loads rows with COPY on PostgreSQL, with
  ``executemany`` on SQLite.

Waiting: on SQLite, readers never wait (write-ahead log; a read-only command opens the
file read-only, and the schema is only migrated when its version differs). A writer takes
the lock at BEGIN IMMEDIATE; when another command holds it, it says so once (``on_wait``)
and waits up to ``wait`` seconds, then gives up with one line. On PostgreSQL the same
``wait`` is the session's ``lock_timeout``.
"""

from __future__ import annotations

import itertools
import os
import re
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NoReturn

from corpora import dbfaults, sqlitefile
from corpora.atomicfile import reason, temporary_beside
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
_CREATE_TABLE_RE = re.compile(r"^\s*CREATE\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?(\w+)", re.I)
DEFAULT_WAIT = 600.0  # seconds a writer waits for another: a big import takes minutes
_FIRST_TRY = 0.2  # seconds a writer waits before it says it is waiting
_STREAMS = itertools.count()  # names of server-side cursors, unique in the process


def default_location() -> str:
    """``$PADAN_DB`` when set, else ``./padan.db``."""
    return os.environ.get("PADAN_DB") or DEFAULT_PATH


def is_url(location: str) -> bool:
    return location.startswith(("postgresql://", "postgres://"))


def redact(location: str) -> str:
    """``location`` fit to print: the password of a URL replaced by ``***``."""
    return re.sub(r"^(postgres(?:ql)?://[^:/@]*:)[^@]*@", r"\1***@", location)


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


class Database:
    """A connection with the small surface Padan's stores need, on either dialect.

    ``readonly``: the caller only reads; a SQLite workspace is opened so that this works
    on a read-only file, folder or mount, and leaves no ``-wal``/``-shm`` behind.
    ``wait``: how many seconds a writer waits for another one before it gives up with one
    line; ``on_wait`` hears once when it starts waiting. ``schema`` builds the tables of
    a new SQLite workspace in a temporary file, before it appears under its name: a new
    workspace is there whole or not at all (a full disk leaves no file behind).
    """

    IntegrityError: type[Exception]
    """What a violated constraint (NOT NULL, UNIQUE, foreign key) raises on this dialect."""

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
            self._conn = self._connect_postgresql(self.location, wait)
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
        if schema is not None:
            schema(self)

    @staticmethod
    def _connect_postgresql(url: str, wait: float) -> Any:
        try:
            import psycopg
        except ImportError as exc:  # pragma: no cover - depends on the installation
            raise CorpusError(
                "PostgreSQL support needs psycopg",
                path=redact(url),
                hint="pip install 'psycopg[binary]'",
            ) from exc
        try:
            conn = psycopg.connect(
                url, autocommit=True, connect_timeout=10, application_name="padan"
            )
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
        text = text.replace("{pk}", _DDL[self.dialect]["pk"])
        if self.dialect == "postgresql":
            text = text.replace("%", "%%").replace("?", "%s")
        return text

    def _ddl(self, statement: str) -> str:
        """A migration's CREATE/ALTER TABLE with the column types of this dialect."""
        if self.dialect == "postgresql" and _TABLE_DDL_RE.match(statement):
            return _PG_TYPE_RE.sub(lambda m: _PG_TYPES[m.group(1)], statement)
        return statement

    def execute(self, sql: str, params: Sequence[Any] = (), *, retry: bool = True) -> Any:
        try:
            cur = self._conn.cursor()
            cur.execute(self.sql(sql), tuple(params))
            return cur
        except Exception as exc:
            if retry and self._may_reconnect(exc, sql):
                return self.execute(sql, params, retry=False)
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
            self._conn = self._connect_postgresql(self.location, self.wait)
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

    def copy(self, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
        """Insert many rows: COPY on PostgreSQL (one stream, no statement per row), a
        prepared INSERT run by ``executemany`` on SQLite."""
        try:
            if self.dialect == "sqlite":
                marks = ", ".join("?" * len(columns))
                self._conn.executemany(
                    f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows
                )
                return
            copy = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
            with self._conn.cursor().copy(copy) as out:
                for row in rows:
                    out.write_row(row)
        except CorpusError:
            raise
        except Exception as exc:
            self._fail(exc)

    def stream(self, sql: str, params: Sequence[Any] = (), size: int = 2000) -> Iterator[Any]:
        """The rows of a query, fetched ``size`` at a time: memory bounded by ``size`` rows.

        SQLite's cursor already steps through the result; on PostgreSQL a named
        (server-side) cursor does, inside a transaction (joined if one is open).
        """
        if self.dialect == "sqlite":
            cursor = self.execute(sql, params)
            while rows := self._fetch(cursor, size):
                yield from rows
            return
        with self.transaction():
            cursor = self._conn.cursor(name=f"padan_stream_{next(_STREAMS)}")
            try:
                cursor.itersize = size
                cursor.execute(self.sql(sql), tuple(params))
                while rows := self._fetch(cursor, size):
                    yield from rows
            finally:
                cursor.close()

    def _fetch(self, cursor: Any, size: int) -> list[Any]:
        try:
            return list(cursor.fetchmany(size))
        except Exception as exc:
            self._fail(exc)

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
        cur = self.execute(sql, params)
        try:
            return list(cur.fetchall())
        except Exception as exc:
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

    @contextmanager
    def transaction(self) -> Iterator[Database]:
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

    def version(self, component: str) -> int | None:
        """The schema version of ``component`` in this database; None before it has one."""
        if not self._has_table("schema_version"):
            return None
        if not component:
            return 0
        found = self.scalar("SELECT version FROM schema_version WHERE component = ?", (component,))
        return None if found is None else int(found)

    def migrate(self, component: str, steps: Sequence[str | Sequence[str]]) -> None:
        """Run the migrations of ``component`` that this database has not seen yet.

        ``steps[i]`` brings the schema from version i to i + 1; each may hold several
        statements separated by ``;`` (or be a list of statements, for those with a ``;``
        of their own, such as a trigger) and runs in one transaction with its version bump.
        A database already at the version takes no lock: a reader never waits here.
        """
        seen = self.version(component)
        if seen is not None and (seen == len(steps) or not component):
            self._check_tables(component, steps)
            return
        if self._frozen:
            raise CorpusError(
                f"the schema of {component or 'the workspace'} is at version {seen or 0}, this "
                f"Padan needs {len(steps)}, and the workspace cannot be written here",
                path=self.location,
                hint="run any padan command that writes on it where it can be written",
            )
        lifted = self._query_only
        if lifted:  # a reader upgrades a workspace it may write, once
            self._conn.execute("PRAGMA query_only = OFF")
        try:
            self._migrate(component, steps)
        finally:
            if lifted:
                self._conn.execute("PRAGMA query_only = ON")

    def _migrate(self, component: str, steps: Sequence[str | Sequence[str]]) -> None:
        with self.transaction():
            if self.dialect == "postgresql":
                # SQLite's BEGIN IMMEDIATE lets one migrating writer in at a time; here two
                # Padans opening a new database at once would both create every table.
                self.execute(f"SELECT pg_advisory_xact_lock({_MIGRATION_LOCK})")
            # Looked up before it is created: on PostgreSQL even CREATE TABLE IF NOT EXISTS
            # needs the right to create tables, which a translator's role may lack.
            if self.version("") is None:
                self.execute(
                    self._ddl(
                        "CREATE TABLE schema_version "
                        "(component TEXT PRIMARY KEY, version INTEGER NOT NULL)"
                    )
                )
            if not component:
                return
            current = self.version(component) or 0
            if current > len(steps):
                raise CorpusError(
                    f"workspace schema of {component} is newer ({current}) than this Padan "
                    f"({len(steps)})",
                    path=redact(self.location),
                    hint="upgrade Padan",
                )
            self._check_tables(component, steps[:current])
            for version in range(current, len(steps)):
                step = steps[version]
                clash = [t for t in _tables(step) if self._has_table(t)]
                if clash:
                    raise self._version_lost(component, current, steps, clash[0], version + 1)
                for statement in _statements(step):
                    if statement.strip():
                        self.execute(self._ddl(statement))
            if current == 0:
                self.execute("DELETE FROM schema_version WHERE component = ?", (component,))
                self.execute(
                    "INSERT INTO schema_version (component, version) VALUES (?, ?)",
                    (component, len(steps)),
                )
            elif current < len(steps):
                self.execute(
                    "UPDATE schema_version SET version = ? WHERE component = ?",
                    (len(steps), component),
                )

    def _version_lost(
        self,
        component: str,
        current: int,
        steps: Sequence[str | Sequence[str]],
        table: str,
        version: int,
    ) -> CorpusError:
        """The schema record says less than the tables show: say how to set it back."""
        shown = version
        while shown < len(steps) and all(self._has_table(t) for t in _tables(steps[shown])):
            shown += 1
        tool = "psql" if self.dialect == "postgresql" else f"sqlite3 {self.location}"
        return CorpusError(
            f"damaged workspace: schema_version says {component} is at version {current}, "
            f"yet its table {table} of version {version} exists",
            path=redact(self.location),
            hint=f"restore the workspace from a backup; if only schema_version was changed, "
            f"set it back with {tool}: DELETE FROM schema_version WHERE component = "
            f"'{component}'; INSERT INTO schema_version VALUES ('{component}', {shown})",
        )

    def _has_table(self, name: str) -> bool:
        # On PostgreSQL a scan of pg_class, not to_regclass(): that one trusts the
        # session's catalog cache, which still misses a table another Padan created
        # while we waited for the migration lock.
        sql = (
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name = ?"
            if self.dialect == "sqlite"
            else "SELECT c.oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE c.relname = ? AND n.nspname = current_schema()"
        )
        return self.scalar(sql, (name,)) is not None

    def _check_tables(self, component: str, steps: Sequence[str | Sequence[str]]) -> None:
        """Every table the migrations so far created is there: a dropped one is named
        here, not in a traceback halfway through a command."""
        for step in steps:
            for table in _tables(step):
                if not self._has_table(table):
                    raise dbfaults.damaged(
                        redact(self.location), f"table {table} of {component} is missing"
                    )

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


def _statements(step: str | Sequence[str]) -> Sequence[str]:
    """A migration step's statements: separated by ``;``, or listed (a trigger has ``;``
    of its own)."""
    return step.split(";") if isinstance(step, str) else step


def _tables(step: str | Sequence[str]) -> list[str]:
    """The tables a migration step creates."""
    return [m.group(1) for s in _statements(step) if (m := _CREATE_TABLE_RE.match(s))]
