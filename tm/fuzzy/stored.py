"""The fuzzy index kept in the workspace database, updated as the workspace changes.

Why an index of our own in the database, on both backends:

- not SQLite's FTS5 with its trigram tokenizer: it answers "which rows contain these
  trigrams", ranked by bm25 over all of them, so a query's common trigrams (" th",
  "the", in a fifth of an English memory) cost as much as its rare ones, and it has no
  bigrams for Chinese (a two-character query matches nothing);
- no longer PostgreSQL's pg_trgm: its ``%`` operator must compute the similarity of
  every row sharing enough trigrams, and the threshold that keeps a 75 % match is low
  (0.14 for a long segment, nothing at 50 %), so at 20,000 units a look-up took 80 ms
  at 75 % and 240 ms at 50 %, growing with the memory; and its candidates were not the
  local index's, so equal scores came out as different copies.

The shards rank by shared *rare* grams, bigrams for Chinese, exactly as the in-memory
index does, so both backends rank alike by construction. They are stored as they are
held in memory: numpy arrays in BLOBs, so opening one costs a read of its vocabulary and
per-row arrays (~13 MB at 1M segments), and a query reads only the postings of its
rarest grams. Those are cut in chunks of :data:`CHUNK` row numbers, a row each: one BLOB
of a shard's postings (40 MB) would make SQLite walk its chain of overflow pages from the
start to reach an offset, 10,000 pages a query.

How it stays current:

- Triggers queue, in ``fuzzy_log``, the id of every variant whose current text changes
  or that is deleted (directly or by a cascade); on PostgreSQL also of every variant
  inserted (a statement trigger adds the whole COPY in one statement). SQLite has only
  row triggers, which made an import three times slower; its single writer lets inserts
  be found by id instead: above ``fuzzy_state.id_mark``, the highest id indexed.
- :func:`sync` consumes the queue: the rows of changed variants are marked dead in the
  shards holding them (``dead``, a sorted array of ids per shard), and the new and
  changed variants of each language are indexed into new shards, merged as the
  in-memory index merges them (newest into previous when it is at least half its size),
  up to :data:`MAX_SHARD` rows, dropping dead rows as they go. It runs inside the
  writer's transaction at the end of an import or a bulk fix, so data and index commit
  together; a search syncs first only when the queue has grown past :data:`TAIL_LIMIT`.
  A new document's import brings its own shards, built while its file was read
  (tm/fuzzy/prebuilt.py, :func:`adopt`); its inserts are not queued (:func:`unqueued`),
  unless its shards cannot be adopted.
  The queue is emptied by deleting what was read, never by a mark: on PostgreSQL a
  transaction may commit a lower id after a higher one is consumed, and its entries
  simply wait for the next sync. Syncs take turns (an advisory lock).
- A search reads, in one snapshot, the shards and the tail: the queued and (SQLite) the
  new variants, indexed in memory for that search (the long-lived app keeps it until the
  workspace changes). Texts are read from the variants table by id, so they are current.

Rows are kept sorted by variant id within a shard, so the row of a changed variant is
found by bisection; equal scores rank by variant id, the oldest first.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import Any, TypeVar

import numpy as np

from corpora.db import Database
from corpora.errors import CorpusError
from tm.fuzzy.grams import distinct, gram_size
from tm.fuzzy.index import FuzzyIndex, Match
from tm.fuzzy.prebuilt import Prebuild
from tm.fuzzy.shards import MERGE_BLOCK, Shard, build_shard, combine_into, merges, postings_of
from tm.fuzzy.words import Occurrence

_TABLES = [
    "CREATE TABLE fuzzy_shards (id {pk}, lang TEXT NOT NULL, rows INTEGER NOT NULL, "
    "dead_rows INTEGER NOT NULL, ids BLOB NOT NULL, lengths BLOB NOT NULL, "
    "keys BLOB NOT NULL, offsets BLOB NOT NULL, dead BLOB NOT NULL)",
    "CREATE INDEX fuzzy_shards_by_lang ON fuzzy_shards (lang, id)",
    # The chunks of a shard's postings: id = shard id * 2**24 + chunk number.
    "CREATE TABLE fuzzy_postings (id INTEGER PRIMARY KEY, data BLOB NOT NULL)",
    "CREATE TABLE fuzzy_log (id {pk}, variant_id INTEGER NOT NULL)",
    "CREATE TABLE fuzzy_state (id_mark INTEGER NOT NULL)",
]
# The highest shard id ever given: a searching process keeps what it read of a shard by
# its id, so an id must never come back (SQLite gives a deleted highest rowid again).
_SHARD_MARK = "ALTER TABLE fuzzy_state ADD COLUMN shard_mark INTEGER NOT NULL DEFAULT 0"
_NEVER = 1 << 62  # PostgreSQL's id mark: inserts are queued there, never found by id
_UNLOGGED = "padan.fuzzy_unlogged"  # set in a transaction: its inserts are not queued

MIGRATIONS: dict[str, list[str | list[str]]] = {
    "sqlite": [
        [
            *_TABLES,
            "INSERT INTO fuzzy_state (id_mark) VALUES (0)",  # what is there is new
            "CREATE TRIGGER fuzzy_log_update AFTER UPDATE OF current ON variants "
            "WHEN NEW.current IS NOT OLD.current "
            "BEGIN INSERT INTO fuzzy_log (variant_id) VALUES (OLD.id); END",
            "CREATE TRIGGER fuzzy_log_delete AFTER DELETE ON variants "
            "BEGIN INSERT INTO fuzzy_log (variant_id) VALUES (OLD.id); END",
        ],
        _SHARD_MARK,
    ],
    "postgresql": [
        [
            *_TABLES,
            f"INSERT INTO fuzzy_state (id_mark) VALUES ({_NEVER})",
            "INSERT INTO fuzzy_log (variant_id) SELECT id FROM variants",  # what is there
            "CREATE FUNCTION fuzzy_log_added() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            "INSERT INTO fuzzy_log (variant_id) SELECT id FROM added; RETURN NULL; END $$",
            "CREATE FUNCTION fuzzy_log_changed() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            "INSERT INTO fuzzy_log (variant_id) SELECT n.id FROM added n JOIN removed o "
            "ON o.id = n.id WHERE n.current IS DISTINCT FROM o.current; RETURN NULL; END $$",
            "CREATE FUNCTION fuzzy_log_removed() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            "INSERT INTO fuzzy_log (variant_id) SELECT id FROM removed; RETURN NULL; END $$",
            "CREATE TRIGGER fuzzy_log_insert AFTER INSERT ON variants REFERENCING NEW TABLE "
            "AS added FOR EACH STATEMENT EXECUTE FUNCTION fuzzy_log_added()",
            "CREATE TRIGGER fuzzy_log_update AFTER UPDATE ON variants REFERENCING OLD TABLE "
            "AS removed NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION "
            "fuzzy_log_changed()",
            "CREATE TRIGGER fuzzy_log_delete AFTER DELETE ON variants REFERENCING OLD TABLE "
            "AS removed FOR EACH STATEMENT EXECUTE FUNCTION fuzzy_log_removed()",
        ],
        _SHARD_MARK,
        # An import that indexes its new rows itself (adopt) does not queue them only to
        # unqueue them: 2 million rows in and out of fuzzy_log for a 1M-unit PO file.
        [
            "CREATE OR REPLACE FUNCTION fuzzy_log_added() RETURNS trigger LANGUAGE plpgsql "
            f"AS $$ BEGIN IF current_setting('{_UNLOGGED}', true) IS DISTINCT FROM 'on' THEN "
            "INSERT INTO fuzzy_log (variant_id) SELECT id FROM added; END IF; "
            "RETURN NULL; END $$"
        ],
        # Stored as they are, not compressed: postings are row numbers, which pglz cannot
        # shrink (it gave up on every chunk after 2.6 s of the server's CPU for a 1M-unit
        # import), and a shard's arrays, which it shrinks 2.5x in 1.7 s, to be undone by
        # every process that opens the index (1M units: 25 MiB, against 260 of postings).
        [
            "ALTER TABLE fuzzy_postings ALTER COLUMN data SET STORAGE EXTERNAL",
            "ALTER TABLE fuzzy_shards ALTER COLUMN ids SET STORAGE EXTERNAL, "
            "ALTER COLUMN lengths SET STORAGE EXTERNAL, ALTER COLUMN keys SET STORAGE EXTERNAL, "
            "ALTER COLUMN offsets SET STORAGE EXTERNAL, ALTER COLUMN dead SET STORAGE EXTERNAL",
        ],
    ],
}

CHUNK = 4096
"""Row numbers per stored chunk of postings (16 KiB: four pages of SQLite's default size).
A query reads only its grams' bytes, cut from their chunks by the database."""

MAX_SHARD = 1 << 20
"""Most rows in one stored shard: merging stops there. Each shard costs a query some numpy
calls: at 2**18 a 1M memory had 6 shards a language and the panel's look-up 3.4-4.0 ms
of CPU (SQLite), at 2**20 it has 2 and 2.7-3.1 ms (bench/panel.py). A merge's memory is
bounded by :data:`tm.fuzzy.shards.MERGE_BLOCK`, not by this (at this size ~50 MB of
per-row arrays and vocabulary). Workspaces of smaller shards keep them, merged by the
same rule as they grow."""

BUILD_ROWS = 1 << 16
"""Rows indexed in one go (about 60 MB of temporary arrays), then merged."""

BUILD_CHARS = 1 << 22
"""...or fewer, when their texts reach this many characters: building costs some 40 bytes
of temporary arrays per character, so long paragraphs are indexed a few at a time."""

CACHE_BYTES = 64 << 20
"""Postings a searching process keeps (the rare grams of some 170 queries at 1M
segments)."""

TEXTS_KEPT = 100_000
"""Texts of candidates a searching process keeps while the workspace is unchanged."""

TAIL_LIMIT = 10_000
"""Rows queued or added since the last sync above which a search syncs first: indexing
the tail costs a search about 3 us a row."""

_CHUNK_BITS = 24  # chunk numbers within a shard's id range: 2**24 chunks of 4,096 rows
_IN_CHUNK = 5_000  # ids per `IN (...)` (SQLite allows 32,766 parameters)
_PIECES = 1_000  # pieces of postings per query: four parameters each on SQLite
_NONE = np.empty(0, dtype=np.int64)
_T = TypeVar("_T")
_Span = tuple[int, int, int]  # postings [start:end] of the shard of this id


def prepare(db: Database) -> None:
    """Create the index's tables and triggers (once per workspace)."""
    db.migrate("tm.fuzzy", MIGRATIONS[db.dialect])


@dataclass
class _Source:
    """The connection stored shards read through (the app switches it between jobs), and
    the postings read so far, by (shard id, start, end): a shard's postings never change
    under its id, so a long-lived index reads each gram's postings from the workspace
    once (a round trip to the server each on PostgreSQL) until :data:`CACHE_BYTES` are
    held.

    ``look`` is a query to send along with the next one (one round trip for both), and
    ``check`` what to do with its rows before anything read with them is used."""

    db: Database
    postings: dict[_Span, np.ndarray] = field(default_factory=dict)
    held: int = 0
    whole: bool = False
    look: tuple[str, Sequence[object]] | None = None
    check: Callable[[list[tuple[Any, ...]]], None] = lambda rows: None

    def query(
        self, sql: str, params: Sequence[object], *, binary: bool = False
    ) -> list[tuple[Any, ...]]:
        """The rows of ``sql``, with :attr:`look`'s in the same round trip if one waits."""
        if self.look is None:
            return self.db.query(sql, params, binary=binary)
        (look, look_params), self.look = self.look, None
        looked, rows = self.db.query_together([(look, look_params, False), (sql, params, binary)])
        self.check(looked)
        return rows

    def read(self, spans: Sequence[_Span]) -> dict[_Span, np.ndarray]:
        """The postings ``[start:end]`` of each (shard id, start, end), those not held
        read in one query (per :data:`_PIECES`).

        When all the language's postings fit in :data:`CACHE_BYTES` (``whole``: some
        250,000 segments), whole chunks are read and kept, and the index is soon read
        no more. Else only the spans' bytes, cut from their chunks by the database (a
        rare gram's few postings, not its whole 16 KiB chunk: at 1M segments a quarter
        of the bytes, and 40 % less of the server's time for them)."""
        if not self.whole:
            return self._read(spans)
        chunks = self._read(
            sorted({(r, c * CHUNK, (c + 1) * CHUNK) for r, s, e in spans for c in _chunks(s, e)})
        )
        found = {}
        for rowid, start, end in spans:
            parts = [chunks[rowid, c * CHUNK, (c + 1) * CHUNK] for c in _chunks(start, end)]
            joined = parts[0] if len(parts) == 1 else np.concatenate(parts)
            at = start // CHUNK * CHUNK
            found[rowid, start, end] = joined[start - at : end - at]
        return found

    def _read(self, spans: Sequence[_Span]) -> dict[_Span, np.ndarray]:
        found = {span: self.postings[span] for span in spans if span in self.postings}
        missing = list(dict.fromkeys(span for span in spans if span not in found))
        pieces: list[tuple[int, int, int, int]] = []  # span, chunk id, first byte, bytes
        for k, (rowid, start, end) in enumerate(missing):
            for c in _chunks(start, end):
                first, last = max(start - c * CHUNK, 0), min(end - c * CHUNK, CHUNK)
                pieces.append((k, (rowid << _CHUNK_BITS) + c, 4 * first + 1, 4 * (last - first)))
        got: list[list[tuple[int, np.ndarray]]] = [[] for _ in missing]
        for at in range(0, len(pieces), _PIECES):
            sql, params = _cut(self.db, pieces[at : at + _PIECES])
            for n, data in self.query(sql, params, binary=True):
                got[pieces[at + n][0]].append((n, np.frombuffer(data, dtype=np.int32)))
        read = {
            span: parts[0][1] if len(parts) == 1 else np.concatenate([a for _, a in sorted(parts)])
            for span, parts in zip(missing, got, strict=True)
        }
        size = sum(a.nbytes for a in read.values())
        if self.held + size > CACHE_BYTES:
            self.postings.clear()
            self.held = 0
        self.postings.update(read)
        self.held += size
        return found | read

    def forget(self, rowids: set[int]) -> None:
        """Drop the postings of shards that are gone (merged, or rewritten)."""
        for span in [span for span in self.postings if span[0] not in rowids]:
            self.held -= self.postings.pop(span).nbytes


def _chunks(start: int, end: int) -> range:
    """Numbers of the chunks holding postings ``[start:end]``."""
    return range(start // CHUNK, -(-end // CHUNK))


def _cut(db: Database, pieces: Sequence[tuple[int, int, int, int]]) -> tuple[str, list[Any]]:
    """A query of the bytes of each piece (_, chunk id, first byte from 1, bytes), as rows
    (piece number, bytes): one statement whatever the count, so prepared once."""
    if db.dialect == "postgresql":
        return (
            "SELECT w.n, substring(p.data FROM w.at FOR w.len) FROM unnest(?::integer[], "
            "?::bigint[], ?::integer[], ?::integer[]) AS w(n, id, at, len) "
            "JOIN fuzzy_postings p ON p.id = w.id",
            # Array literals: psycopg dumps a list element by element in Python.
            [_array(range(len(pieces))), *map(_array, list(zip(*pieces, strict=True))[1:])],
        )
    values = ", ".join(["(?, ?, ?, ?)"] * len(pieces))
    return (
        f"WITH w(n, id, at, len) AS (VALUES {values}) "
        "SELECT w.n, substr(p.data, w.at, w.len) FROM w JOIN fuzzy_postings p ON p.id = w.id",
        [x for n, (_, *piece) in enumerate(pieces) for x in (n, *piece)],
    )


def _array(numbers: Iterable[int]) -> str:
    """A PostgreSQL array literal of ``numbers``."""
    return "{" + ",".join(map(str, numbers)) + "}"


@dataclass(frozen=True)
class _StoredShard(Shard):
    """A shard whose postings stay in the database until a query reads some."""

    source: _Source | None = None
    rowid: int = 0
    dead: np.ndarray = field(default_factory=lambda: _NONE)

    def spans(self, starts: Sequence[int], ends: Sequence[int]) -> list[_Span]:
        return [(self.rowid, s, e) for s, e in zip(starts, ends, strict=True)]

    def slices(self, starts: Sequence[int], ends: Sequence[int]) -> list[np.ndarray]:
        assert self.source is not None
        spans = self.spans(starts, ends)
        found = self.source.read(spans)
        return [found[span] for span in spans]

    def postings_between(self, start: int, end: int) -> np.ndarray:
        assert self.source is not None
        if end <= start:
            return np.empty(0, dtype=np.int32)
        base = self.rowid << _CHUNK_BITS
        rows = self.source.db.query(
            "SELECT data FROM fuzzy_postings WHERE id BETWEEN ? AND ? ORDER BY id",
            (base + start // CHUNK, base + (end - 1) // CHUNK),
            binary=True,
        )
        joined = b"".join(data for (data,) in rows)
        at = start // CHUNK * CHUNK
        return np.frombuffer(joined, dtype=np.int32)[start - at : end - at]

    def alive(self, changed: np.ndarray) -> np.ndarray | None:
        """Rows not superseded: neither in ``dead`` nor among ``changed`` ids (sorted)."""
        gone = distinct(np.concatenate([self.dead, changed])) if len(changed) else self.dead
        if not len(gone):
            return None
        mask = np.ones(len(self.ids), dtype=bool)
        mask[_rows_of(self.ids, gone)] = False
        return mask


def _rows_of(ids: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """Rows of sorted ``ids`` holding one of ``wanted``."""
    at = np.searchsorted(ids, wanted)
    inside = at < len(ids)
    at, wanted = at[inside], wanted[inside]
    found: np.ndarray = at[ids[at] == wanted]
    return found


def _shards(source: _Source, where: str, params: Sequence[object]) -> list[_StoredShard]:
    return [
        _StoredShard(
            ids=np.frombuffer(ids, dtype=np.int64),
            lengths=np.frombuffer(lengths, dtype=np.int32),
            keys=np.frombuffer(keys, dtype=np.int64),
            offsets=np.frombuffer(offsets, dtype=np.int64),
            postings=np.empty(0, dtype=np.int32),
            source=source,
            rowid=rowid,
            dead=np.frombuffer(dead, dtype=np.int64),
        )
        for rowid, ids, lengths, keys, offsets, dead in source.db.query(
            "SELECT id, ids, lengths, keys, offsets, dead FROM fuzzy_shards "
            f"WHERE {where} ORDER BY id",
            params,
            binary=True,
        )
    ]


_STATE = (
    "SELECT id_mark, (SELECT COUNT(*) FROM fuzzy_log) AS logged, "
    "(SELECT MAX(id) FROM fuzzy_log) AS last_logged, (SELECT SUM(id) FROM fuzzy_log) AS sum, "
    "(SELECT MAX(id) FROM variants) AS newest FROM fuzzy_state"
)
"""What a searching process compares to know whether the index changed since it looked:
the queue (what was added, changed or consumed) and the newest variant."""
_LOOK = (
    f"SELECT f.id, f.dead_rows, st.* FROM ({_STATE}) st "
    "LEFT JOIN fuzzy_shards f ON f.lang = ? ORDER BY f.id"
)
"""This language's shards (id, dead rows), each with :data:`_STATE`."""


def _long_tail(found: list[tuple[Any, ...]]) -> bool:
    """Whether :data:`TAIL_LIMIT` rows may wait to be indexed, by a look (an upper bound:
    a variant queued twice counts twice)."""
    id_mark, logged, *_, newest = found[0][2:]
    return bool(logged + max(0, (newest or 0) - id_mark) >= TAIL_LIMIT)


def _id_mark(db: Database) -> int:
    return int(db.scalar("SELECT id_mark FROM fuzzy_state"))


# -- keeping it current (writers) --------------------------------------------------------


def sync(db: Database, *, at_least: int = 0) -> None:
    """Bring the stored index of every language up to date, in one transaction (joined
    if the caller has one open); with ``at_least``, only if that many rows wait."""
    prepare(db)
    with db.transaction():
        db.serialize("tm.fuzzy sync")
        id_mark = _id_mark(db)
        if at_least and _pending(db, id_mark) < at_least:
            return
        db.execute("DROP TABLE IF EXISTS fuzzy_todo")
        db.execute("CREATE TEMP TABLE fuzzy_todo (id INTEGER PRIMARY KEY)")
        if db.dialect == "postgresql":  # exactly what is read is deleted, in one statement
            db.execute(
                "WITH gone AS (DELETE FROM fuzzy_log RETURNING variant_id) "
                "INSERT INTO fuzzy_todo SELECT DISTINCT variant_id FROM gone"
            )
        else:  # the only writer: nothing comes in between
            db.execute("INSERT INTO fuzzy_todo SELECT DISTINCT variant_id FROM fuzzy_log")
            db.execute("DELETE FROM fuzzy_log")
        changed = np.fromiter(
            (r[0] for r in db.stream("SELECT id FROM fuzzy_todo ORDER BY id")), dtype=np.int64
        )
        _bury(db, changed)
        langs = {
            r[0]
            for r in db.query(
                "SELECT DISTINCT lang FROM variants WHERE id > ? UNION "
                "SELECT DISTINCT v.lang FROM variants v JOIN fuzzy_todo t ON t.id = v.id",
                (id_mark,),
            )
        }
        for lang in sorted(langs):
            rows = db.stream(
                "SELECT id, current FROM variants WHERE lang = ? AND id > ? UNION "
                "SELECT v.id, v.current FROM variants v JOIN fuzzy_todo t ON t.id = v.id "
                "WHERE v.lang = ? ORDER BY 1",
                (lang, id_mark, lang),
            )
            _add(db, lang, rows)
        for lang in {r[0] for r in db.query("SELECT DISTINCT lang FROM fuzzy_shards")}:
            _settle(db, lang)
        if db.dialect == "sqlite":
            db.execute(
                "UPDATE fuzzy_state SET id_mark = (SELECT COALESCE(MAX(id), 0) FROM variants)"
            )
        db.execute("DROP TABLE fuzzy_todo")


def _pending(db: Database, id_mark: int) -> int:
    logged = int(db.scalar("SELECT COUNT(*) FROM fuzzy_log"))
    return logged + int(db.scalar("SELECT COUNT(*) FROM variants WHERE id > ?", (id_mark,)))


def _bury(db: Database, changed: np.ndarray) -> None:
    """Mark dead the rows of ``changed`` variants in every shard holding them."""
    if not len(changed):
        return
    for shard in _shards(_Source(db), "1 = 1", ()):
        gone = shard.ids[_rows_of(shard.ids, changed)]
        if len(gone):
            dead = distinct(np.concatenate([shard.dead, gone]))
            db.execute(
                "UPDATE fuzzy_shards SET dead = ?, dead_rows = ? WHERE id = ?",
                (dead.tobytes(), len(dead), shard.rowid),
            )


def _add(db: Database, lang: str, rows: Iterator[tuple[int, str]]) -> None:
    """Index ``rows`` (id, text) of ``lang`` into new shards, a bounded batch at a time."""
    batch: list[tuple[int, str]] = []
    chars = 0
    for row in rows:
        batch.append(row)
        chars += len(row[1])
        if len(batch) == BUILD_ROWS or chars >= BUILD_CHARS:
            _write(db, lang, build_shard(batch, gram_size(lang), texts=False))
            _settle(db, lang)
            batch, chars = [], 0
    if batch:
        _write(db, lang, build_shard(batch, gram_size(lang), texts=False))
        _settle(db, lang)


def prebuild(*, spool: int | None = None) -> Prebuild:
    """An index of a new document's rows, built as they are read (tm/fuzzy/prebuilt.py),
    with ``spool`` (the descriptor of the file they go to) in a child process."""
    return Prebuild(BUILD_ROWS, BUILD_CHARS, MAX_SHARD, spool=spool)


@contextmanager
def unqueued(db: Database) -> Iterator[None]:
    """Variants inserted meanwhile, on PostgreSQL, are not queued for the sync by its
    trigger: :func:`adopt` indexes them, or queues them."""
    if db.dialect != "postgresql":
        yield
        return
    db.execute("SELECT set_config(?, 'on', true)", (_UNLOGGED,))
    try:
        yield
    finally:
        db.execute("SELECT set_config(?, 'off', true)", (_UNLOGGED,))


def adopt(
    db: Database, built: Prebuild, doc_id: int, first: int | None, ids: array[int] | None
) -> bool:
    """Store the shards of ``built`` as the index of the variants of document ``doc_id``
    just inserted (:func:`unqueued`), in the order they were fed, with the ids ``first``,
    ``first + 1``... (SQLite) or ``ids`` (PostgreSQL); the index was brought up to date
    just before (:func:`sync`). False, and nothing stored, when the workspace says
    otherwise: they are then queued for the next sync, as any others."""
    if _adopt(db, built, doc_id, first, ids):
        return True
    if db.dialect == "postgresql":
        db.execute(
            "INSERT INTO fuzzy_log (variant_id) SELECT v.id FROM variants v JOIN units u "
            "ON u.id = v.unit_id WHERE u.document_id = ? ORDER BY v.id",
            (doc_id,),
        )
    return False


def _adopt(
    db: Database, built: Prebuild, doc_id: int, first: int | None, ids: array[int] | None
) -> bool:
    if not built.ready or first is None:
        return False
    if db.dialect == "sqlite":
        last = first + built.count - 1
        if (
            _id_mark(db) != first - 1
            or db.scalar("SELECT COALESCE(MAX(id), 0) FROM variants") != last
            or db.scalar("SELECT COUNT(*) FROM fuzzy_log")
        ):
            return False
        taken = None
    else:
        taken = np.frombuffer(ids or b"", dtype=np.int64)
        if len(taken) != built.count or not bool(np.all(taken[1:] > taken[:-1])):
            return False
    for lang, shard in built.shards():
        named = shard.ids + first if taken is None else taken[shard.ids]
        _write(db, lang, replace(shard, ids=named))
        _settle(db, lang)
    if taken is None:
        db.execute("UPDATE fuzzy_state SET id_mark = ?", (last,))
    return True


def _write(db: Database, lang: str, shard: Shard) -> None:
    """Store ``shard``, its postings read and written a block at a time."""
    rowid = _new_rowid(db)
    out = _Chunks(db, rowid)
    total = int(shard.offsets[-1])
    for start in range(0, total, MERGE_BLOCK):
        out.write(shard.postings_between(start, min(start + MERGE_BLOCK, total)))
    out.close()
    _insert(db, rowid, lang, shard)


def _new_rowid(db: Database) -> int:
    mark, highest = db.query(
        "SELECT shard_mark, (SELECT COALESCE(MAX(id), 0) FROM fuzzy_shards) FROM fuzzy_state"
    )[0]
    rowid = max(int(mark), int(highest)) + 1
    db.execute("UPDATE fuzzy_state SET shard_mark = ?", (rowid,))
    return rowid


def _insert(db: Database, rowid: int, lang: str, shard: Shard) -> None:
    """The row of shard ``rowid``, its postings stored already."""
    db.execute(
        "INSERT INTO fuzzy_shards (id, lang, rows, dead_rows, ids, lengths, keys, offsets, dead) "
        "VALUES (?, ?, ?, 0, ?, ?, ?, ?, ?)",
        (
            rowid,
            lang,
            len(shard),
            shard.ids.astype(np.int64).tobytes(),
            shard.lengths.astype(np.int32).tobytes(),
            shard.keys.astype(np.int64).tobytes(),
            shard.offsets.astype(np.int64).tobytes(),
            b"",
        ),
    )


class _Chunks:
    """Writes the postings of shard ``rowid`` as they come, in chunks of :data:`CHUNK`."""

    def __init__(self, db: Database, rowid: int) -> None:
        self.db, self.rowid = db, rowid
        self.count = 0  # chunks written
        self.rest = np.empty(0, dtype=np.int32)  # less than a chunk, waiting for more

    def write(self, postings: np.ndarray) -> None:
        postings = np.concatenate([self.rest, postings.astype(np.int32)])
        whole = len(postings) // CHUNK * CHUNK
        self._copy(postings[:whole])
        self.rest = postings[whole:]

    def close(self) -> None:
        self._copy(self.rest)
        self.rest = self.rest[:0]

    def _copy(self, postings: np.ndarray) -> None:
        first = (self.rowid << _CHUNK_BITS) + self.count
        starts = range(0, len(postings), CHUNK)
        self.db.copy(
            "fuzzy_postings",
            ("id", "data"),
            (
                (first + n, postings[start : start + CHUNK].tobytes())
                for n, start in enumerate(starts)
            ),
            ("int8", "bytea"),
        )
        self.count += len(starts)


def _delete(db: Database, rowids: Sequence[int]) -> None:
    for rowid in rowids:
        db.execute("DELETE FROM fuzzy_shards WHERE id = ?", (rowid,))
        db.execute(
            "DELETE FROM fuzzy_postings WHERE id BETWEEN ? AND ?",
            (rowid << _CHUNK_BITS, ((rowid + 1) << _CHUNK_BITS) - 1),
        )


def _settle(db: Database, lang: str) -> None:
    """Merge the newest shard into the previous one while it is at least half its size
    (live rows, up to :data:`MAX_SHARD`); rewrite a shard that is mostly dead rows."""
    while True:
        sizes = db.query(
            "SELECT id, rows - dead_rows, dead_rows FROM fuzzy_shards WHERE lang = ? ORDER BY id",
            (lang,),
        )
        mostly_dead = [rowid for rowid, live, dead in sizes if dead > live]
        if mostly_dead:
            _replace(db, lang, mostly_dead[:1])
            continue
        if len(sizes) < 2:
            return
        (prev, prev_live, _), (last, last_live, _) = sizes[-2], sizes[-1]
        if not merges(prev_live, last_live, MAX_SHARD):
            return
        _replace(db, lang, [prev, last])


def _replace(db: Database, lang: str, rowids: list[int]) -> None:
    """One shard of the live rows of ``rowids`` in their place (none if all are dead)."""
    where, params = db.one_of("id", rowids)
    parts = [(s, s.alive(_NONE)) for s in _shards(_Source(db), where, params)]
    live = sum(len(s) if alive is None else int(alive.sum()) for s, alive in parts)
    if live:  # written under a new id as the parts are read, before they are deleted
        rowid = _new_rowid(db)
        out = _Chunks(db, rowid)
        merged = combine_into(parts, by_id=True, write=out.write)
        out.close()
        _insert(db, rowid, lang, merged)
    _delete(db, rowids)


# -- searching ---------------------------------------------------------------------------


class StoredFuzzyIndex(FuzzyIndex):
    """Fuzzy search over the variants of one language of a workspace.

    The workspace is the index: there is nothing to :meth:`add` or :meth:`build`. Keep
    one open to search many times (the app does): what it read is reused until the
    workspace changes, and then only what changed is read.
    """

    _ties_by_id = True

    def __init__(
        self,
        db: Database,
        lang: str,
        *,
        contrasts: Iterable[tuple[str, str]] = (),
        terms: Iterable[str] = (),
    ) -> None:
        super().__init__(lang, contrasts=contrasts, terms=terms)
        self.db = db
        self._source = _Source(db)
        prepare(db)
        self._stored: dict[int, _StoredShard] = {}
        self._view_key: tuple[object, ...] = ()
        self._view: list[tuple[Shard, np.ndarray | None]] = []
        self._trusted = False  # look-ups use the view until the look says it changed
        self._view_text: dict[int, str] = {}  # texts read since the view was made

    def reopen(self, db: Database) -> None:
        """Search through another connection to the same workspace from now on."""
        self.db = self._source.db = db

    def add(self, segment_id: int, text: str) -> None:
        raise TypeError("StoredFuzzyIndex searches the workspace's variants; it takes no segments")

    def build(self, items: Iterable[tuple[int, str]]) -> FuzzyIndex:
        raise TypeError("StoredFuzzyIndex searches the workspace's variants; it takes no segments")

    def __len__(self) -> int:
        return int(self.db.scalar("SELECT COUNT(*) FROM variants WHERE lang = ?", (self.lang,)))

    def nbytes(self) -> int:
        """Bytes of the arrays this process holds (postings stay in the workspace)."""
        return sum(a.nbytes for s, _ in self._view for a in s.arrays())

    def search(self, query: str, *, limit: int = 5, min_score: float = 75) -> list[Match]:
        return self._read(
            lambda: super(StoredFuzzyIndex, self).search(query, limit=limit, min_score=min_score)
        )

    def concordance(self, word: str) -> list[Occurrence]:
        return self._read(lambda: super(StoredFuzzyIndex, self).concordance(word))

    def _read(self, look_up: Callable[[], _T]) -> _T:
        """Run ``look_up`` on what this process holds if nothing changed since it looked
        last, else in one snapshot after a sync if the tail grew too long to index in
        every search.

        Whether anything changed is asked along with the look-up's first query (a round
        trip fewer on PostgreSQL); what was read with it is used only once it says no.
        """
        if self._view_key:
            try:
                return self._unchanged(look_up)
            except _Changed:  # changed since the look, or a text deleted since: read again
                self._view_key = ()
        found = self._look()
        id_mark = found[0][2]
        if _long_tail(found) and _pending(self.db, id_mark) >= TAIL_LIMIT:
            try:
                sync(self.db, at_least=TAIL_LIMIT)
            except CorpusError:  # a reader may not write: the tail is indexed for it alone
                pass
        with self.db.snapshot():
            return look_up()

    def _unchanged(self, look_up: Callable[[], _T]) -> _T:
        """``look_up`` on the view held, checked by the look sent with its first query
        (or after it, if it read everything from what is held); :class:`_Changed` if the
        workspace changed since the view was made."""
        source = self._source
        source.look, source.check = (_LOOK, (self.lang,)), self._same
        self._trusted = True
        try:
            found = look_up()
            if source.look is not None:  # nothing was read: ask now
                source.look = None
                self._same(self.db.query(_LOOK, (self.lang,)))
            return found
        finally:
            source.look, self._trusted = None, False

    def _same(self, found: list[tuple[Any, ...]]) -> None:
        """Raise :class:`_Changed` unless the view held is still current (and its tail
        short enough not to be stored first)."""
        if self._key(found) != self._view_key or _long_tail(found):
            raise _Changed

    def _look(self) -> list[tuple[Any, ...]]:
        """This language's shards (id, dead rows), each with the state of the queue."""
        return self.db.query(_LOOK, (self.lang,))

    @staticmethod
    def _key(found: list[tuple[Any, ...]]) -> tuple[Any, ...]:
        return (
            tuple((rowid, dead) for rowid, dead, *_ in found if rowid is not None),
            *found[0][2:],
        )

    def _parts(self) -> list[tuple[Shard, np.ndarray | None]]:
        """The stored shards and the tail, as of this snapshot (reused while unchanged)."""
        if self._trusted:
            return self._view
        db = self.db
        found = self._look()
        key = self._key(found)
        if key == self._view_key:
            return self._view
        listing: tuple[tuple[int, int], ...] = key[0]
        self._view_text.clear()
        id_mark = found[0][2]
        stale = [
            rowid
            for rowid, dead in listing
            if rowid not in self._stored or len(self._stored[rowid].dead) != dead
        ]
        if stale:
            where, params = db.one_of("id", stale)
            self._stored.update((s.rowid, s) for s in _shards(self._source, where, params))
        self._stored = {rowid: self._stored[rowid] for rowid, _ in listing}
        self._source.forget(set(self._stored))
        postings = sum(int(s.offsets[-1]) for s in self._stored.values())
        self._source.whole = 4 * postings <= CACHE_BYTES // 2  # with room: a full cache empties
        changed = np.array(
            [r[0] for r in db.query("SELECT DISTINCT variant_id FROM fuzzy_log ORDER BY 1")],
            dtype=np.int64,
        )
        view: list[tuple[Shard, np.ndarray | None]] = [
            (s, s.alive(changed)) for s in self._stored.values()
        ]
        tail = db.query(
            "SELECT id, current FROM variants WHERE lang = ? AND id > ? UNION "
            "SELECT id, current FROM variants WHERE lang = ? AND id IN "
            "(SELECT variant_id FROM fuzzy_log) ORDER BY 1",
            (self.lang, id_mark, self.lang),
        )
        if tail:
            view.append((build_shard(tail, self.gram, texts=False), None))
        self._view, self._view_key = view, key
        return view

    def _prefetch(self, parts: list[tuple[Shard, np.ndarray | None]], seeds: np.ndarray) -> None:
        """Read the seeds' postings of all stored shards in one query, not one per shard
        (each a round trip to the server on PostgreSQL)."""
        wanted = []
        for shard, _ in parts:
            if isinstance(shard, _StoredShard):
                starts, ends = postings_of(shard, seeds)
                wanted += shard.spans(starts.tolist(), ends.tolist())
        self._source.read(wanted)

    def _texts(self, shard: Shard, rows: np.ndarray) -> list[str]:
        return self._texts_of([(shard, rows)])[0]

    def _texts_of(self, picks: list[tuple[Shard, np.ndarray]]) -> list[list[str]]:
        """The current texts of the rows picked, read from the variants table in one query
        (kept while the workspace is unchanged: the next look-up of the panel often shares
        candidates)."""
        wanted = [shard.ids[rows].tolist() for shard, rows in picks]
        known = self._view_text
        if len(known) > TEXTS_KEPT:
            known.clear()
        missing = sorted({i for ids in wanted for i in ids if i not in known})
        for start in range(0, len(missing), _IN_CHUNK):
            where, params = self.db.one_of("id", missing[start : start + _IN_CHUNK])
            known.update(  # binary: PostgreSQL sends the texts as they are, not escaped
                self._source.query(
                    f"SELECT id, current FROM variants WHERE {where}", params, binary=True
                )
            )
        if any(i not in known for i in missing):
            raise _Changed
        return [[known[i] for i in ids] for ids in wanted]


class _Changed(Exception):
    """A look-up outside a snapshot found a variant gone since it looked."""
