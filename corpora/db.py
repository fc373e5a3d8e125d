"""The workspace database: one SQLite file by default, or a PostgreSQL server for a team.

SQL in Padan is written once with ``?`` placeholders and ``{pk}`` for an auto-numbered
primary key; this module adapts it to the dialect. Each package owns its tables and hands
its numbered migrations to :meth:`Database.migrate`, which runs the missing ones on open.
"""

from __future__ import annotations

import os
import sqlite3
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


def default_location() -> str:
    """``$PADAN_DB`` when set, else ``./padan.db``."""
    return os.environ.get("PADAN_DB") or DEFAULT_PATH


def is_url(location: str) -> bool:
    return location.startswith(("postgresql://", "postgres://"))


class Database:
    """A connection with the small surface Padan's stores need, on either dialect."""

    def __init__(self, location: str | Path | None = None) -> None:
        self.location = str(location or default_location())
        self._depth = 0
        if is_url(self.location):
            self.dialect = "postgresql"
            self._conn = self._connect_postgresql(self.location)
        else:
            self.dialect = "sqlite"
            self._conn = self._connect_sqlite(self.location)
        self.execute(
            "CREATE TABLE IF NOT EXISTS schema_version "
            "(component TEXT PRIMARY KEY, version INTEGER NOT NULL)"
        )

    @staticmethod
    def _connect_sqlite(path: str) -> Any:
        parent = Path(path).expanduser().resolve().parent
        if not parent.is_dir():
            raise CorpusError("folder of the workspace does not exist", path=path)
        try:
            conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA busy_timeout = 10000")
        except sqlite3.DatabaseError as exc:
            raise CorpusError(f"not a Padan workspace: {exc}", path=path) from exc
        return conn

    @staticmethod
    def _connect_postgresql(url: str) -> Any:
        try:
            import psycopg
        except ImportError as exc:  # pragma: no cover - depends on the installation
            raise CorpusError(
                "PostgreSQL support needs psycopg", path=url, hint="pip install 'psycopg[binary]'"
            ) from exc
        try:
            return psycopg.connect(url, autocommit=True)
        except psycopg.Error as exc:
            raise CorpusError(f"cannot connect: {exc}".strip(), path=url) from exc

    # -- SQL -----------------------------------------------------------------------------

    def sql(self, text: str) -> str:
        text = text.replace("{pk}", _DDL[self.dialect]["pk"])
        if self.dialect == "postgresql":
            text = text.replace("?", "%s")
        return text

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        cur = self._conn.cursor()
        cur.execute(self.sql(sql), tuple(params))
        return cur

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        cur = self._conn.cursor()
        cur.executemany(self.sql(sql), [tuple(r) for r in rows])

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return list(self.execute(sql, params).fetchall())

    def scalar(self, sql: str, params: Sequence[Any] = ()) -> Any:
        row = self.execute(sql, params).fetchone()
        return row[0] if row else None

    def insert(self, sql: str, params: Sequence[Any] = ()) -> int:
        """Run an INSERT and return the new row's id."""
        return int(self.execute(sql + " RETURNING id", params).fetchone()[0])

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

    def migrate(self, component: str, steps: Sequence[str]) -> None:
        """Run the migrations of ``component`` that this database has not seen yet.

        ``steps[i]`` brings the schema from version i to i + 1; each may hold several
        statements separated by ``;`` and runs in one transaction with its version bump.
        """
        with self.transaction():
            current = self.scalar(
                "SELECT version FROM schema_version WHERE component = ?", (component,)
            )
            current = current or 0
            if current > len(steps):
                raise CorpusError(
                    f"workspace schema of {component} is newer ({current}) than this Padan "
                    f"({len(steps)})",
                    path=self.location,
                    hint="upgrade Padan",
                )
            for version in range(current, len(steps)):
                for statement in steps[version].split(";"):
                    if statement.strip():
                        self.execute(statement)
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
