"""Batched writes of the TM store: an import as a few set-based statements.

Row by row, an import cost six statements per unit (look the unit up, insert or update
it, look each variant up, insert or update it): 44 us a unit on SQLite, 180 us on
PostgreSQL, where each is a round trip; deciding per unit in Python, a batch at a time,
still cost more than the writes. Now the file's rows (tm.store_rows.rows, or
tm/formats/po_rows.py for a PO file: identity, metadata and variants, built before the
transaction) go straight into the units and
variants tables when the document is new; otherwise they are staged into two temporary
tables, by
``executemany`` on SQLite and COPY on PostgreSQL, and a dozen statements then do the
rest in the database, whatever the size of the file: match the staged units to the
document's by identity (the UNIQUE index deduplicates, in SQL), give the new ones ids and
positions, insert the new units and variants, record a revision for every current text
that changes, and update the rest. The outcome is the row-by-row one: a translator's
edit survives a re-import, and every text that changes is a revision.

Memory is bounded by one chunk of staged rows, never by the file or the workspace: the
staging tables live in SQLite's temporary file, or on the server.
"""

from __future__ import annotations

import itertools
from array import array
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from corpora.db import Database
from tm.store_rows import Row

if TYPE_CHECKING:  # numpy and the fuzzy index are loaded only by what indexes
    from tm.fuzzy.prebuilt import Prebuild

BATCH = 20_000
"""Staged rows sent in one ``executemany`` or COPY: bounds the memory of staging."""

_STAGE = {
    "sqlite": [
        "CREATE TEMP TABLE padan_su (seq INTEGER PRIMARY KEY, identity TEXT NOT NULL, "
        "meta TEXT NOT NULL, unit_id INTEGER, old_meta TEXT, position INTEGER, "
        "fresh INTEGER NOT NULL DEFAULT 0)",
        "CREATE TEMP TABLE padan_sv (seq INTEGER NOT NULL, pos INTEGER NOT NULL, "
        "lang TEXT NOT NULL, text TEXT NOT NULL, meta TEXT NOT NULL, vid INTEGER, "
        "original TEXT, current TEXT, old_meta TEXT, PRIMARY KEY (seq, pos))",
    ],
    "postgresql": [
        'CREATE TEMP TABLE padan_su (seq BIGINT PRIMARY KEY, identity TEXT COLLATE "C" '
        'NOT NULL, meta TEXT COLLATE "C" NOT NULL, unit_id BIGINT, old_meta TEXT COLLATE '
        '"C", position BIGINT, fresh INTEGER NOT NULL DEFAULT 0) ON COMMIT DROP',
        "CREATE TEMP TABLE padan_sv (seq BIGINT NOT NULL, pos INTEGER NOT NULL, lang TEXT "
        'COLLATE "C" NOT NULL, text TEXT COLLATE "C" NOT NULL, meta TEXT COLLATE "C" NOT '
        'NULL, vid BIGINT, original TEXT COLLATE "C", current TEXT COLLATE "C", old_meta '
        'TEXT COLLATE "C", PRIMARY KEY (seq, pos)) ON COMMIT DROP',
    ],
}


# The PostgreSQL types of the columns a new document's rows fill (corpora.dbschema makes
# every INTEGER a BIGINT): their COPY is binary (corpora.dbbulk).
_UNIT_TYPES = ("int8", "int8", "int8", "text", "text")  # id, document_id, position...
_VARIANT_TYPES = ("int8", "text", "text", "text", "text")  # unit_id, lang, original...


class Ids:
    """Fresh ids for a table's rows, taken before the rows are written (so that other
    rows can refer to them in the same batch).

    SQLite: the write transaction holds the whole database, so they count up from the
    highest id, as SQLite itself would. PostgreSQL: from the column's sequence, which no
    concurrent writer can take too, a block at a time, each twice the one before up to
    :attr:`MOST` (a round trip per thousand ids cost 19 s of a 3-million-row import;
    the ids left unused are at most as many as used, or the first block). Either way an
    id is one ``next`` of an iterator: a method call an id cost a million-unit import
    a second of CPU.
    """

    BLOCK = 1_000
    MOST = 32_768

    def __init__(self, db: Database, table: str) -> None:
        self.db = db
        self.table = table
        self.first: int | None = None  # the first id taken
        self._taken = array("q")  # PostgreSQL: every id taken, in order

    def taker(self) -> Callable[[], int]:
        """A function handing out the ids, one a call."""
        if self.db.dialect == "sqlite":
            highest = self.db.scalar(f"SELECT COALESCE(MAX(id), 0) FROM {self.table}")
            self.first = int(highest) + 1
            return itertools.count(self.first).__next__
        return itertools.chain.from_iterable(self._fetched()).__next__

    def _fetched(self) -> Iterator[array[int]]:
        name = sequence(self.db, self.table)
        size = self.BLOCK
        while True:
            rows = self.db.query(
                "SELECT nextval(?::regclass) FROM generate_series(1, ?)", (name, size)
            )
            block = array("q", (int(r[0]) for r in rows))
            if self.first is None:
                self.first = block[0]
            self._taken += block
            yield block
            size = min(2 * size, self.MOST)

    def handed(self, count: int) -> array[int]:
        """On PostgreSQL, the ids handed out, in order, once ``count`` of them were (the
        rest of the last block, taken but not handed out, is dropped)."""
        del self._taken[count:]
        return self._taken


def sequence(db: Database, table: str) -> str:
    """The sequence of ``table``'s id on PostgreSQL, named once: pg_get_serial_sequence
    in a statement is looked up again for every row it numbers (3 us an id, 0.6 named)."""
    return str(db.scalar("SELECT pg_get_serial_sequence(?, 'id')", (table,)))


class UnitImport:
    """One import of rows into one document (see :meth:`tm.store.TMStore.import_units`)."""

    def __init__(self, db: Database, doc_id: int, author: str, now: str) -> None:
        self.db = db
        self.doc_id = doc_id
        self.author = author
        self.now = now
        self.added = self.updated = self.unchanged = 0
        self.sent = 0  # variants written
        self.next_position = int(
            db.scalar(
                "SELECT COALESCE(MAX(position) + 1, 0) FROM units WHERE document_id = ?",
                (doc_id,),
            )
        )
        # What is read is written back: the document's variants are held from here on, or
        # an edit committed meanwhile would be overwritten with the text read before it.
        # All at once and in id order, the order of Database.lock, so that a bulk fix of
        # a few of them never deadlocks with us. Nobody else adds variants to the
        # document meanwhile (``serialize``).
        hold_variants(db, doc_id)

    def run(
        self,
        rows: Iterable[Row],
        progress: Callable[[int], None] | None,
        index: Prebuild | None = None,
    ) -> None:
        """Write ``rows``; ``index``, built of them before (tm/fuzzy/prebuilt.py), is
        stored as their fuzzy index if they make a new document, the index brought up to
        date first so that theirs follows."""
        db = self.db
        if not self.next_position:  # a new document: every row is new, written as it comes
            if index is None:
                self.added = self._stage(rows, progress, fresh=True)
                return
            from tm.fuzzy.stored import adopt, sync, unqueued  # lazily, as index_changes

            sync(db)
            ids = Ids(db, "variants")
            with unqueued(db), unchecked(db) as vouch:
                self.added = self._stage(rows, progress, fresh=True, variant_ids=ids)
            if vouch:
                hold_document(db, self.doc_id)
            # PostgreSQL's ids come from the sequence, in blocks: which ones were used.
            used = ids.handed(self.sent) if db.dialect == "postgresql" else None
            adopt(db, index, self.doc_id, ids.first, used)
            return
        for table in ("padan_su", "padan_sv"):
            db.execute(f"DROP TABLE IF EXISTS {table}")
        for statement in _STAGE[db.dialect]:
            db.execute(statement)
        total = self._stage(rows, progress, fresh=False)
        self._match()
        self._write()
        added, updated = db.query(
            "SELECT COALESCE(SUM(fresh), 0), COUNT(*) - COALESCE(SUM(fresh), 0) FROM padan_su "
            "WHERE fresh = 1 OR EXISTS (SELECT 1 FROM padan_sv v WHERE v.seq = padan_su.seq "
            "AND (v.vid IS NULL OR v.original != v.text))"
        )[0]
        self.added, self.updated = int(added), int(updated)
        self.unchanged = total - self.added - self.updated
        for table in ("padan_su", "padan_sv"):
            db.execute(f"DROP TABLE {table}")

    def _stage(
        self,
        rows: Iterable[Row],
        progress: Callable[[int], None] | None,
        *,
        fresh: bool,
        variant_ids: Ids | None = None,
    ) -> int:
        """Copy ``rows`` into the staging tables, :data:`BATCH` units at a time; with
        ``fresh`` (a new document) straight into the units and variants tables instead,
        the units' ids taken beforehand for their variants to name them (and the
        variants' ids from ``variant_ids``, if given)."""
        units: list[tuple[Any, ...]] = []
        variants: list[tuple[Any, ...]] = []
        doc_id, first = self.doc_id, self.next_position
        unit_id_of = Ids(self.db, "units").taker() if fresh else None
        variant_id = variant_ids.taker() if variant_ids is not None else None
        seq = 0
        for seq, (ident, meta, texts) in enumerate(rows, 1):
            if unit_id_of is not None:
                unit_id = unit_id_of()
                units.append((unit_id, doc_id, first + seq - 1, ident, meta))
                if variant_id is not None:
                    variants += [
                        (variant_id(), unit_id, lang, text, text, v_meta)
                        for lang, text, v_meta in texts
                    ]
                else:
                    variants += [
                        (unit_id, lang, text, text, v_meta) for lang, text, v_meta in texts
                    ]
            else:
                units.append((seq, ident, meta))
                variants += [(seq, pos, *variant) for pos, variant in enumerate(texts)]
            if len(units) == BATCH:
                self._send(units, variants, fresh, variant_ids is not None)
                units, variants = [], []
                if progress:
                    progress(seq)
        self._send(units, variants, fresh, variant_ids is not None)
        if progress:
            progress(seq)
        return seq

    def _send(self, units: list[Any], variants: list[Any], fresh: bool, ids: bool) -> None:
        self.sent += len(variants)
        if fresh:
            self.db.copy(
                "units", ("id", "document_id", "position", "identity", "meta"), units, _UNIT_TYPES
            )
            columns = ("unit_id", "lang", "original", "current", "meta")
            if ids:
                self.db.copy("variants", ("id", *columns), variants, ("int8", *_VARIANT_TYPES))
            else:
                self.db.copy("variants", columns, variants, _VARIANT_TYPES)
        else:
            self.db.copy("padan_su", ("seq", "identity", "meta"), units)
            self.db.copy("padan_sv", ("seq", "pos", "lang", "text", "meta"), variants)

    def _match(self) -> None:
        """Find the staged units and variants the document already has, and give the new
        units ids (SQLite: counted up from the highest, as SQLite would; the write
        transaction holds the database) and positions after the document's last."""
        db = self.db
        db.execute(
            "UPDATE padan_su SET unit_id = u.id, old_meta = u.meta FROM units u "
            "WHERE u.document_id = ? AND u.identity = padan_su.identity",
            (self.doc_id,),
        )
        db.execute(
            "UPDATE padan_sv SET vid = v.id, original = v.original, current = v.current, "
            "old_meta = v.meta FROM padan_su s JOIN variants v ON v.unit_id = s.unit_id "
            "WHERE s.seq = padan_sv.seq AND v.lang = padan_sv.lang"
        )
        params: list[Any] = [self.next_position]
        if db.dialect == "sqlite":
            first = int(db.scalar("SELECT COALESCE(MAX(id), 0) FROM units"))
            new_id = f"{first} + n"
        else:
            new_id, params = "nextval(?::regclass)", [sequence(db, "units"), *params]
        db.execute(
            f"UPDATE padan_su SET unit_id = {new_id}, position = ? + n - 1, fresh = 1 FROM "
            "(SELECT seq AS s, ROW_NUMBER() OVER (ORDER BY seq) AS n FROM padan_su "
            "WHERE unit_id IS NULL) r WHERE padan_su.seq = r.s",
            params,
        )

    def _write(self) -> None:
        """Write what the staged rows change: new units and variants (their ids in file
        order, as equal fuzzy scores rank by id), revisions, then updated variants and
        units."""
        db = self.db
        db.execute(
            "INSERT INTO units (id, document_id, position, identity, meta) "
            "SELECT unit_id, ?, position, identity, meta FROM padan_su WHERE fresh = 1 "
            "ORDER BY seq",
            (self.doc_id,),
        )
        db.execute(
            "INSERT INTO variants (unit_id, lang, original, current, version, meta) "
            "SELECT s.unit_id, v.lang, v.text, v.text, 1, v.meta FROM padan_sv v "
            "JOIN padan_su s ON s.seq = v.seq WHERE v.vid IS NULL ORDER BY v.seq, v.pos"
        )
        # A changed imported text replaces the current one unless a person edited it.
        db.execute(
            "INSERT INTO revisions (variant_id, old, new, author, at, reason) "
            "SELECT vid, current, text, ?, ?, 'import' FROM padan_sv WHERE vid IS NOT NULL "
            "AND original != text AND current = original ORDER BY seq, pos",
            (self.author, self.now),
        )
        db.execute(
            "UPDATE variants SET original = s.text, current = CASE WHEN s.current = s.original "
            "THEN s.text ELSE s.current END, version = version + 1, meta = s.meta "
            "FROM padan_sv s WHERE s.vid = variants.id AND s.original != s.text"
        )
        db.execute(
            "UPDATE variants SET meta = s.meta FROM padan_sv s WHERE s.vid = variants.id "
            "AND s.original = s.text AND s.old_meta != s.meta"
        )
        db.execute(
            "UPDATE units SET meta = s.meta FROM padan_su s WHERE s.unit_id = units.id "
            "AND s.fresh = 0 AND s.old_meta != s.meta"
        )


@contextmanager
def unchecked(db: Database) -> Iterator[bool]:
    """Rows of a new document written meanwhile fire no trigger, on PostgreSQL when the
    role may say so (``session_replication_role = replica``, for this transaction only):
    true if so, and then the caller checks their references with :func:`hold_document`.

    Per row, PostgreSQL checks each foreign key with a query and a row lock: 55 % of the
    server's time for COPY into units and variants (200,000 units: 5.8 s of CPU, 2.7 s
    without triggers). The rows of a new document refer to their document and to rows
    made in this transaction, invisible to everyone else until it commits, so nobody can
    delete them meanwhile: holding the document once after writing is as sure. The only
    other trigger is the fuzzy log's, which such an import does without
    (tm.fuzzy.stored.unqueued). A role that may not (neither superuser nor granted SET on
    the parameter) has its rows checked one by one, as ever.
    """
    if db.dialect != "postgresql" or not _may_skip_triggers(db):
        yield False
        return
    db.execute("SELECT set_config('session_replication_role', 'replica', true)")
    try:
        yield True
    finally:
        db.execute("SELECT set_config('session_replication_role', 'origin', true)")


def _may_skip_triggers(db: Database) -> bool:
    if int(db.scalar("SELECT current_setting('server_version_num')")) >= 150000:
        sql = "SELECT has_parameter_privilege('session_replication_role', 'SET')"
    else:
        sql = "SELECT rolsuper FROM pg_roles WHERE rolname = current_user"
    return bool(db.scalar(sql))


def hold_document(db: Database, doc_id: int) -> None:
    """The foreign key of the units :func:`unchecked` let through, checked: the document
    held as each unit's check would hold it (FOR KEY SHARE: nobody deletes it before we
    commit). Raises as the row-by-row checks would have. Their variants need no check:
    they name only units this transaction wrote just before them, which nobody else can
    see, let alone delete (checking 2 million of them took 1.5-2.3 s)."""
    if not db.query("SELECT id FROM documents WHERE id = ? FOR KEY SHARE", (doc_id,)):
        raise db.IntegrityError(f"units refer to document {doc_id}, which is not there")


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
