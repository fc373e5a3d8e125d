"""Edits of the TM store: one text or a batch, each a revision, with undo and redo.

Each variant carries a version number that every edit increments: an edit made against
an older version is refused with a conflict instead of silently overwriting a colleague.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import replace

from corpora.db import Database
from corpora.langtags import normalize
from tm.errors import TMError
from tm.store_schema import REASONS, VARIANT_SQL, ConflictError, Revision, StoredVariant, now


def index_changes(db: Database, *, at_least: bool = False) -> None:
    """Bring the workspace's fuzzy index up to date; with ``at_least``, only once enough
    changes wait (a search reads the few others itself). Imported lazily: `padan check`
    and other commands that never search should not load numpy and rapidfuzz."""
    from tm.fuzzy.stored import TAIL_LIMIT, sync

    sync(db, at_least=TAIL_LIMIT if at_least else 0)


def _conflict(current: StoredVariant, expected: int) -> ConflictError:
    return ConflictError(
        f"{current.document}#{current.position} ({current.lang}) was changed by "
        f"someone else (version {current.version}, you edited {expected})",
        hint="reload the segment and apply your change again",
    )


class Edits:
    """The reads and writes of single variants, and their history (a part of TMStore)."""

    db: Database

    def variant(self, variant_id: int) -> StoredVariant:
        rows = self.db.query(VARIANT_SQL + " WHERE v.id = ?", (variant_id,))
        if not rows:
            raise TMError(f"no variant {variant_id}")
        return StoredVariant(*rows[0])

    # -- edits, history, undo --------------------------------------------------------------

    def edit(
        self,
        variant_id: int,
        new: str,
        *,
        author: str = "",
        reason: str = "manual edit",
        expected_version: int | None = None,
        batch: str | None = None,
    ) -> StoredVariant:
        """Change a current text; with ``expected_version``, refuse if someone changed it first."""
        with self.db.transaction():
            self._apply(variant_id, new, author, reason, expected_version, batch)
        return self.variant(variant_id)

    def bulk_edit(
        self, edits: Sequence[tuple[int, str, int | None]], *, author: str = "", reason: str
    ) -> str:
        """Apply (variant id, new text, expected version) edits as one batch; returns its id.

        One transaction: a conflict on any of them leaves every text as it was.
        """
        if reason not in REASONS:
            raise TMError(f"unknown reason for a revision: {reason!r}")
        batch = uuid.uuid4().hex
        with self.db.transaction():
            self.db.lock("variants", [variant_id for variant_id, _, _ in edits])
            latest = self.by_id([variant_id for variant_id, _, _ in edits])
            at = now()
            changed: dict[int, StoredVariant] = {}
            revisions = []
            for variant_id, new, expected in edits:  # in order: one text may change twice
                current = latest[variant_id]
                if expected is not None and current.version != expected:
                    raise _conflict(current, expected)
                if new != current.current:
                    revisions.append((variant_id, current.current, new, author, at, reason, batch))
                    latest[variant_id] = changed[variant_id] = replace(
                        current, current=new, version=current.version + 1
                    )
            self.db.executemany(
                "UPDATE variants SET current = ?, version = ? WHERE id = ?",
                [(v.current, v.version, v.id) for v in changed.values()],
            )
            self.db.copy(
                "revisions",
                ("variant_id", "old", "new", "author", "at", "reason", "batch"),
                revisions,
            )
            index_changes(self.db, at_least=True)
        return batch

    def by_id(self, ids: Sequence[int]) -> dict[int, StoredVariant]:
        """The variants of ``ids``, read a few thousand at a time."""
        found = self._variants_where("v.id", ids, ())
        for variant_id in ids:
            if variant_id not in found:
                raise TMError(f"no variant {variant_id}")
        return found

    def unit_variants(self, unit_ids: Sequence[int], lang: str) -> dict[int, StoredVariant]:
        """The ``lang`` variant of each of ``unit_ids`` that has one, by unit id."""
        found = self._variants_where("v.unit_id", unit_ids, (normalize(lang),), "v.lang = ?")
        return {v.unit_id: v for v in found.values()}

    def with_translations(
        self, ids: Sequence[int], lang: str
    ) -> dict[int, tuple[StoredVariant, StoredVariant | None]]:
        """The variants of ``ids`` (a few, such as the matches of a search), each with
        its unit's ``lang`` variant if it has one: in one query, one round trip on
        PostgreSQL where by_id and unit_variants take two."""
        where, params = self.db.one_of("v.id", sorted(set(ids)))
        lang = normalize(lang)
        found: dict[int, tuple[StoredVariant, StoredVariant | None]] = {}
        for row in self.db.query(
            VARIANT_SQL.replace(" FROM", ", t.id, t.original, t.current, t.version FROM", 1)
            + " LEFT JOIN variants t ON t.unit_id = v.unit_id AND t.lang = ?"
            + f" WHERE {where}",
            [lang, *params],
        ):
            variant = StoredVariant(*row[:8])
            target = None
            if row[8] is not None:
                unit_id, document, position = row[1:4]
                original, current, version = row[9:]
                target = StoredVariant(
                    row[8], unit_id, document, position, lang, original, current, version
                )
            found[variant.id] = (variant, target)
        for variant_id in ids:
            if variant_id not in found:
                raise TMError(f"no variant {variant_id}")
        return found

    def _variants_where(
        self, column: str, values: Sequence[int], params: Sequence[object], also: str = ""
    ) -> dict[int, StoredVariant]:
        found: dict[int, StoredVariant] = {}
        wanted = sorted(set(values))
        for start in range(0, len(wanted), 5_000):
            where, chunk = self.db.one_of(column, wanted[start : start + 5_000])
            sql = VARIANT_SQL + f" WHERE {where}" + (f" AND {also}" if also else "")
            for row in self.db.query(sql, [*chunk, *params]):
                found[row[0]] = StoredVariant(*row)
        return found

    def _apply(
        self,
        variant_id: int,
        new: str,
        author: str,
        reason: str,
        expected_version: int | None,
        batch: str | None,
    ) -> None:
        if reason not in REASONS:
            raise TMError(f"unknown reason for a revision: {reason!r}")
        self.db.lock("variants", [variant_id])
        current = self.variant(variant_id)
        if expected_version is not None and current.version != expected_version:
            raise _conflict(current, expected_version)
        if new == current.current:
            return
        cur = self.db.execute(
            "UPDATE variants SET current = ?, version = version + 1 WHERE id = ? AND version = ?",
            (new, variant_id, current.version),
        )
        if cur.rowcount != 1:  # a concurrent writer got in between our read and write
            raise ConflictError(
                f"{current.document}#{current.position} ({current.lang}) changed while saving",
                hint="reload the segment and apply your change again",
            )
        self._record(variant_id, current.current, new, author, reason, batch)

    def _record(
        self, variant_id: int, old: str, new: str, author: str, reason: str, batch: str | None
    ) -> None:
        self.db.execute(
            "INSERT INTO revisions (variant_id, old, new, author, at, reason, batch) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (variant_id, old, new, author, now(), reason, batch),
        )

    def history(self, variant_id: int) -> list[Revision]:
        return [
            Revision(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], bool(r[8]))
            for r in self.db.query(
                "SELECT id, variant_id, old, new, author, at, reason, batch, undone "
                "FROM revisions WHERE variant_id = ? ORDER BY id",
                (variant_id,),
            )
        ]

    def undo(self, *, author: str = "") -> list[Revision]:
        """Take back the latest change that is not undone yet: one edit, or a whole batch.

        The group's revisions get the next undo number (``undone`` > 0), which orders the
        redo stack across processes: redo takes back the group undone last.
        """
        with self.db.transaction():
            self.db.serialize("undo")
            group = self._latest_group(undone=False)
            self.db.lock("variants", [rev.variant_id for rev in group])
            for rev in reversed(group):
                self._restore(rev.variant_id, rev.new, rev.old)
            if group:
                number = int(self.db.scalar("SELECT COALESCE(MAX(undone), 0) FROM revisions"))
                self._mark(group, number + 1)
        return group

    def redo(self, *, author: str = "") -> list[Revision]:
        """Apply again the change undone last (the top of the redo stack), as an editor
        does: a change made since that undo (any revision newer than the group that is not
        undone) clears the stack, and redo then has nothing to do."""
        with self.db.transaction():
            self.db.serialize("undo")
            group = self._latest_group(undone=True)
            newer = group and self.db.scalar(
                "SELECT COUNT(*) FROM revisions WHERE id > ? AND undone = 0", (group[-1].id,)
            )
            if newer:
                return []
            self.db.lock("variants", [rev.variant_id for rev in group])
            for rev in group:
                self._restore(rev.variant_id, rev.old, rev.new)
            self._mark(group, 0)
        return group

    def _latest_group(self, *, undone: bool) -> list[Revision]:
        """The newest live group (to undo), or the group undone last (to redo): the
        highest undo number; equal numbers, left by Padans before the numbering, the
        newest group first."""
        last = self.db.query(
            "SELECT id, batch FROM revisions WHERE undone > 0 AND reason != 'import' "
            "ORDER BY undone DESC, id DESC LIMIT 1"
            if undone
            else "SELECT id, batch FROM revisions WHERE undone = 0 AND reason != 'import' "
            "ORDER BY id DESC LIMIT 1"
        )
        if not last:
            return []
        rev_id, batch = last[0]
        where, params = ("batch = ?", (batch,)) if batch else ("id = ?", (rev_id,))
        return [
            Revision(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], bool(r[8]))
            for r in self.db.query(
                "SELECT id, variant_id, old, new, author, at, reason, batch, undone "
                f"FROM revisions WHERE {where} ORDER BY id",
                params,
            )
        ]

    def _restore(self, variant_id: int, expected: str, text: str) -> None:
        current = self.variant(variant_id)
        if current.current != expected:
            raise ConflictError(
                f"{current.document}#{current.position} changed since; cannot undo/redo it",
                hint="edit the segment by hand",
            )
        self.db.execute(
            "UPDATE variants SET current = ?, version = version + 1 WHERE id = ?",
            (text, variant_id),
        )

    def _mark(self, group: Sequence[Revision], undone: int) -> None:
        """Set the group's undo number (0: done)."""
        for rev in group:
            self.db.execute("UPDATE revisions SET undone = ? WHERE id = ?", (undone, rev.id))
