"""Migrations: each package owns its tables and hands its numbered steps to
:meth:`Schema.migrate`, which runs the missing ones when a workspace is opened.

Column types are written as SQLite spells them; on PostgreSQL, INTEGER (64-bit in SQLite)
becomes BIGINT, REAL (a double) DOUBLE PRECISION, and TEXT columns are ``COLLATE "C"`` so
that ORDER BY, comparisons and LOWER() work by code point as in SQLite, whatever locale
the server's database was created with. Migrations are serialised by an advisory lock on
PostgreSQL, by BEGIN IMMEDIATE on SQLite, so that several Padans opening a new database
at once create it once; a database already at the version takes no lock.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from corpora import dbfaults
from corpora.dbconn import Connection, redact
from corpora.errors import CorpusError

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


class Schema(Connection):
    """The migrations part of :class:`corpora.db.Database`."""

    def _ddl(self, statement: str) -> str:
        """A migration's CREATE/ALTER TABLE with the column types of this dialect."""
        if self.dialect == "postgresql" and _TABLE_DDL_RE.match(statement):
            return _PG_TYPE_RE.sub(lambda m: _PG_TYPES[m.group(1)], statement)
        return statement

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
        here, not in a traceback halfway through a command. One query for them all (on
        PostgreSQL a round trip each would be felt by every command)."""
        wanted = [table for step in steps for table in _tables(step)]
        if not wanted:
            return
        sql = (
            "SELECT name FROM sqlite_master WHERE type = 'table'"
            if self.dialect == "sqlite"
            else "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p')"
        )
        present = {row[0] for row in self.query(sql)}
        for table in wanted:
            if table not in present:
                raise dbfaults.damaged(
                    redact(self.location), f"table {table} of {component} is missing"
                )


def _statements(step: str | Sequence[str]) -> Sequence[str]:
    """A migration step's statements: separated by ``;``, or listed (a trigger has ``;``
    of its own)."""
    return step.split(";") if isinstance(step, str) else step


def _tables(step: str | Sequence[str]) -> list[str]:
    """The tables a migration step creates."""
    return [m.group(1) for s in _statements(step) if (m := _CREATE_TABLE_RE.match(s))]
