"""Batched writes of the TM store: importing units and bulk edits, a batch at a time.

Row by row, an import cost six statements per unit (look the unit up, insert or update
it, look each variant up, insert or update it): 44 us a unit on SQLite, 180 us on
PostgreSQL, where each is a round trip. Here a batch of :data:`BATCH` units costs a few
statements whatever its size: one look-up of the units already there (the UNIQUE index
on document and identity deduplicates, in SQL), one of their variants, then the new rows
in one COPY (PostgreSQL) or ``executemany`` (SQLite) per table, with ids reserved
beforehand so that variants and revisions can name their unit and variant. The outcome
is the row-by-row one, unit by unit in file order: a unit whose identity comes again in
the file is a unit of its own (numbered), a translator's edit survives a re-import, and
every text that changes is a revision.

Memory is bounded by the batch, never by the file or the workspace.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from corpora.db import Database
from tm.model import Unit, Variant

BATCH = 2_000
"""Units per batch: ~2,000 parameters per look-up, well under SQLite's limit of 32,766."""


@dataclass(slots=True)
class _Variant:
    """A variant as this import sees it: stored before, or new in this import."""

    id: int
    original: str
    current: str
    version: int
    meta: str
    stored: bool  # in the database before this batch (else: inserted at its end)


@dataclass
class _Batch:
    """The rows one batch writes."""

    units: dict[int, tuple[Any, ...]] = field(default_factory=dict)  # new, by id
    unit_meta: dict[int, str] = field(default_factory=dict)  # stored units' new meta
    variants: dict[int, tuple[int, str, _Variant]] = field(default_factory=dict)  # new
    updates: dict[int, _Variant] = field(default_factory=dict)  # stored, changed
    revisions: list[tuple[Any, ...]] = field(default_factory=list)


class Ids:
    """Fresh ids for a table's rows, taken before the rows are written (so that other
    rows can refer to them in the same batch).

    SQLite: the write transaction holds the whole database, so they count up from the
    highest id, as SQLite itself would. PostgreSQL: from the column's sequence, a block
    at a time, which no concurrent writer can take too.
    """

    BLOCK = 1_000

    def __init__(self, db: Database, table: str) -> None:
        self.db = db
        self.table = table
        self._next: int | None = None
        self._free: deque[int] = deque()

    def take(self) -> int:
        if self.db.dialect == "sqlite":
            if self._next is None:
                self._next = int(self.db.scalar(f"SELECT COALESCE(MAX(id), 0) FROM {self.table}"))
            self._next += 1
            return self._next
        if not self._free:
            self._free.extend(
                int(r[0])
                for r in self.db.query(
                    f"SELECT nextval(pg_get_serial_sequence('{self.table}', 'id')) "
                    "FROM generate_series(1, ?)",
                    (self.BLOCK,),
                )
            )
        return self._free.popleft()


class UnitImport:
    """One import of units into one document (see :meth:`tm.store.TMStore.import_units`)."""

    def __init__(
        self,
        db: Database,
        doc_id: int,
        identity: Callable[[Unit, int], str],
        split: Callable[[Unit], tuple[list[tuple[str, Variant]], list[list[object]]]],
        unit_meta: Callable[[Unit, list[list[object]]], str],
        variant_meta: Callable[[Variant], str],
        author: str,
        now: str,
    ) -> None:
        self.db = db
        self.doc_id = doc_id
        self.identity = identity
        self.split = split
        self._once: set[int] = set()  # hashes of identities seen: a file of millions
        self._again: dict[int, int] = {}
        self.unit_meta = unit_meta
        self.variant_meta = variant_meta
        self.author = author
        self.now = now
        self.unit_ids = Ids(db, "units")
        self.variant_ids = Ids(db, "variants")
        self.next_position = int(
            db.scalar(
                "SELECT COALESCE(MAX(position) + 1, 0) FROM units WHERE document_id = ?",
                (doc_id,),
            )
        )
        self.added = self.updated = self.unchanged = 0
        # What the batches read is written back: the document's variants are held from
        # here on, or an edit committed meanwhile would be overwritten with the text read
        # before it. All at once and in id order: locked batch by batch, a later batch's
        # lower id could be held by a bulk fix waiting for one of ours, a deadlock.
        # Nobody else adds variants to the document meanwhile (``serialize`` above).
        hold_variants(db, doc_id)

    def run(self, units: Iterable[Unit], progress: Callable[[int], None] | None) -> None:
        done = 0
        stream = iter(units)
        while batch := list(islice(stream, BATCH)):
            self._batch(batch, done)
            done += len(batch)
            if progress:
                progress(done)

    def _batch(self, units: list[Unit], first: int) -> None:
        identities = [
            self._numbered(self.identity(unit, first + k)) for k, unit in enumerate(units)
        ]
        where, params = self.db.one_of("identity", sorted(set(identities)))
        known: dict[str, list[Any]] = {
            ident: [unit_id, meta]
            for unit_id, ident, meta in self.db.query(
                f"SELECT id, identity, meta FROM units WHERE document_id = ? AND {where}",
                [self.doc_id, *params],
            )
        }
        stored: dict[tuple[int, str], _Variant] = {}
        if known:
            where, params = self.db.one_of("unit_id", [u for u, _ in known.values()])
            for vid, unit_id, lang, original, current, version, meta in self.db.query(
                "SELECT id, unit_id, lang, original, current, version, meta FROM variants "
                f"WHERE {where}",
                params,
            ):
                stored[(unit_id, lang)] = _Variant(vid, original, current, version, meta, True)
        out = _Batch()
        for unit, ident in zip(units, identities, strict=True):
            variants, more = self.split(unit)
            meta = self.unit_meta(unit, more)
            entry = known.get(ident)
            if entry is None:  # new to the document
                unit_id = self.unit_ids.take()
                known[ident] = [unit_id, meta]
                out.units[unit_id] = (unit_id, self.doc_id, self.next_position, ident, meta)
                self.next_position += 1
            else:
                unit_id = entry[0]
                if meta != entry[1]:
                    entry[1] = meta
                    if unit_id in out.units:
                        out.units[unit_id] = (*out.units[unit_id][:4], meta)
                    else:
                        out.unit_meta[unit_id] = meta
            changed = [self._variant(unit_id, lang, v, stored, out) for lang, v in variants]
            if entry is None:
                self.added += 1
            elif any(changed):
                self.updated += 1
            else:
                self.unchanged += 1
        self._write(out)

    def _numbered(self, identity: str) -> str:
        """Later units of the file with an identity already seen are units of their own
        (a TMX may hold three translations of one source): numbered #2, #3..."""
        digest = hash(identity)  # 64 bits, as likely to collide as any 8-byte digest
        if digest not in self._once:
            self._once.add(digest)
            return identity
        self._again[digest] = self._again.get(digest, 1) + 1
        return f"{identity}#{self._again[digest]}"

    def _variant(
        self,
        unit_id: int,
        lang: str,
        variant: Variant,
        stored: dict[tuple[int, str], _Variant],
        out: _Batch,
    ) -> bool:
        """The row-by-row rule for one variant; True when its imported text is new."""
        meta = self.variant_meta(variant)
        row = stored.get((unit_id, lang))
        if row is None:
            row = _Variant(self.variant_ids.take(), variant.text, variant.text, 1, meta, False)
            stored[(unit_id, lang)] = row
            out.variants[row.id] = (unit_id, lang, row)
            return True
        if row.original == variant.text:
            if row.meta != meta:
                row.meta = meta
                if row.stored:
                    out.updates[row.id] = row
            return False
        new_current = variant.text if row.current == row.original else row.current
        if new_current != row.current:
            out.revisions.append(
                (row.id, row.current, new_current, self.author, self.now, "import", None)
            )
        row.original, row.current, row.version, row.meta = (
            variant.text,
            new_current,
            row.version + 1,
            meta,
        )
        if row.stored:
            out.updates[row.id] = row
        return True

    def _write(self, out: _Batch) -> None:
        db = self.db
        db.copy("units", ("id", "document_id", "position", "identity", "meta"), out.units.values())
        db.copy(
            "variants",
            ("id", "unit_id", "lang", "original", "current", "version", "meta"),
            [
                (v.id, unit_id, lang, v.original, v.current, v.version, v.meta)
                for unit_id, lang, v in out.variants.values()
            ],
        )
        db.executemany(
            "UPDATE units SET meta = ? WHERE id = ?",
            [(meta, unit_id) for unit_id, meta in out.unit_meta.items()],
        )
        db.executemany(
            "UPDATE variants SET original = ?, current = ?, version = ?, meta = ? WHERE id = ?",
            [(v.original, v.current, v.version, v.meta, v.id) for v in out.updates.values()],
        )
        db.copy(
            "revisions",
            ("variant_id", "old", "new", "author", "at", "reason", "batch"),
            out.revisions,
        )


def hold_variants(db: Database, doc_id: int) -> None:
    """On PostgreSQL, lock every variant of a document in id order, the order of
    Database.lock: a writer that rewrites or deletes them all then never deadlocks with a
    bulk edit of a few (row by row, it would lock them in scan order)."""
    if db.dialect == "postgresql":
        db.execute(
            "SELECT COUNT(*) FROM (SELECT v.id FROM variants v JOIN units u "
            "ON u.id = v.unit_id WHERE u.document_id = ? ORDER BY v.id FOR UPDATE OF v) held",
            (doc_id,),
        )
