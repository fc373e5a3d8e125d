"""The fuzzy index kept in an SQLite workspace, updated as the workspace changes.

Why an index of our own in the database, rather than SQLite's FTS5 with its trigram
tokenizer (the counterpart of pg_trgm): FTS5 answers "which rows contain these
trigrams", ranked by bm25 over all of them, so a query's common trigrams (" th", "the",
in a fifth of an English memory) cost as much as its rare ones, and it has no bigrams
for Chinese (a two-character query matches nothing). Our shards rank by shared *rare*
grams, bigrams for Chinese, exactly as the in-memory index does, and they are stored as
they are held in memory: numpy arrays in BLOBs, so opening one costs a read of its
vocabulary and per-row arrays (~13 MB at 1M segments), and a query reads only the
postings of its rarest grams, through SQLite's incremental BLOB I/O.

How it stays current:

- Triggers append the id of every variant whose current text changes, or that is
  deleted (directly or by a cascade), to ``fuzzy_log``. Inserted variants need no log:
  their ids are above the highest id the index has seen (``id_mark``).
- :func:`sync` brings the stored shards up to date: the rows of changed variants are
  marked dead in the shards holding them (``dead``, a sorted array of ids per shard), and
  the new and changed variants of each language are indexed into new shards, merged as
  the in-memory index merges them (newest into previous when it is at least half its
  size), up to :data:`MAX_SHARD` rows, dropping dead rows as they are merged. It runs
  inside the writer's transaction at the end of an import or a bulk fix, so data and
  index commit together; a search syncs first only when the tail has grown past
  :data:`TAIL_LIMIT` (single edits, documents saved one by one).
- A search reads, in one snapshot, the shards and the tail: what was inserted or
  logged since the marks, indexed in memory for that search (the long-lived app keeps
  it until the workspace changes). Texts are read from the variants table by id, so
  they are the current ones.

Rows are kept sorted by variant id within a shard, so the row of a changed variant is
found by bisection; equal scores rank by variant id (oldest first), as on PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

import numpy as np

from corpora.db import Database
from tm.fuzzy.grams import gram_size
from tm.fuzzy.index import FuzzyIndex, Match
from tm.fuzzy.shards import Shard, build_shard, combine
from tm.fuzzy.words import Occurrence

MIGRATIONS: list[str | list[str]] = [
    [
        "CREATE TABLE fuzzy_shards (id INTEGER PRIMARY KEY, lang TEXT NOT NULL, "
        "rows INTEGER NOT NULL, dead_rows INTEGER NOT NULL, ids BLOB NOT NULL, "
        "lengths BLOB NOT NULL, keys BLOB NOT NULL, offsets BLOB NOT NULL, "
        "postings BLOB NOT NULL, dead BLOB NOT NULL)",
        "CREATE INDEX fuzzy_shards_by_lang ON fuzzy_shards (lang, id)",
        "CREATE TABLE fuzzy_marks (lang TEXT PRIMARY KEY, gram INTEGER NOT NULL, "
        "log_mark INTEGER NOT NULL, id_mark INTEGER NOT NULL, generation INTEGER NOT NULL)",
        # AUTOINCREMENT: ids never come back once the log is trimmed, so a mark stays a mark.
        "CREATE TABLE fuzzy_log (id INTEGER PRIMARY KEY AUTOINCREMENT, "
        "variant_id INTEGER NOT NULL)",
        "CREATE TRIGGER fuzzy_log_update AFTER UPDATE OF current ON variants "
        "WHEN NEW.current IS NOT OLD.current "
        "BEGIN INSERT INTO fuzzy_log (variant_id) VALUES (OLD.id); END",
        "CREATE TRIGGER fuzzy_log_delete AFTER DELETE ON variants "
        "BEGIN INSERT INTO fuzzy_log (variant_id) VALUES (OLD.id); END",
    ],
]

MAX_SHARD = 1 << 18
"""Most rows in one stored shard: merging stops there, which bounds the memory of an
import or a merge (about 150 MB at this size) whatever the size of the memory; a query
costs ~0.5 ms more per shard."""

BUILD_ROWS = 1 << 16
"""Rows indexed in one go (about 60 MB of temporary arrays), then merged."""

TAIL_LIMIT = 10_000
"""Rows changed or added since the last sync above which a search syncs first: indexing
the tail costs a search about 3 us a row."""

_MERGE_RATIO = 2
_IN_CHUNK = 5_000  # ids per `IN (...)` (SQLite allows 32,766 parameters)


def prepare(db: Database) -> None:
    """Create the index's tables and triggers (SQLite only; PostgreSQL has pg_trgm)."""
    db.migrate("tm.fuzzy", MIGRATIONS)


@dataclass
class _Source:
    """The connection stored shards read through (the app switches it between jobs)."""

    db: Database


@dataclass(frozen=True)
class _StoredShard(Shard):
    """A shard whose postings stay in the database until a query reads some."""

    source: _Source | None = None
    rowid: int = 0
    dead: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))

    def slices(self, starts: Sequence[int], ends: Sequence[int]) -> list[np.ndarray]:
        assert self.source is not None
        with self.source.db.blob("fuzzy_shards", "postings", self.rowid) as blob:
            return [
                np.frombuffer(blob[4 * s : 4 * e], dtype=np.int32)
                for s, e in zip(starts, ends, strict=True)
            ]

    def all_postings(self) -> np.ndarray:
        assert self.source is not None
        data = self.source.db.scalar(
            "SELECT postings FROM fuzzy_shards WHERE id = ?", (self.rowid,)
        )
        return np.frombuffer(data, dtype=np.int32)

    def alive(self, changed: np.ndarray) -> np.ndarray | None:
        """Rows not superseded: neither in ``dead`` nor among ``changed`` ids (sorted)."""
        gone = np.union1d(self.dead, changed)
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


def _shards(
    source: _Source, lang: str, rowids: Sequence[int] | None = None
) -> list[_StoredShard]:
    sql = "SELECT id, ids, lengths, keys, offsets, dead FROM fuzzy_shards WHERE lang = ?"
    params: list[object] = [lang]
    if rowids is not None:
        sql += f" AND id IN ({', '.join('?' * len(rowids))})"
        params.extend(rowids)
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
            sql + " ORDER BY id", params
        )
    ]


def _tail(db: Database, lang: str, log_mark: int, id_mark: int) -> Iterator[tuple[int, str]]:
    """(id, current text) of the variants of ``lang`` added or changed since the marks."""
    return db.stream(
        "SELECT id, current FROM variants WHERE lang = ? AND id > ? UNION "
        "SELECT id, current FROM variants WHERE lang = ? AND id IN "
        "(SELECT variant_id FROM fuzzy_log WHERE id > ?) ORDER BY 1",
        (lang, id_mark, lang, log_mark),
    )


def _changed(db: Database, log_mark: int) -> np.ndarray:
    """Sorted ids of the variants changed or deleted since ``log_mark``."""
    rows = db.query(
        "SELECT DISTINCT variant_id FROM fuzzy_log WHERE id > ? ORDER BY 1", (log_mark,)
    )
    return np.array([r[0] for r in rows], dtype=np.int64)


# -- keeping it current (writers) --------------------------------------------------------


def sync(db: Database, *, at_least: int = 0) -> None:
    """Bring the stored index of every language up to date, in one transaction (joined
    if the caller has one open); with ``at_least``, only if that many rows are pending."""
    if db.dialect != "sqlite":
        return
    prepare(db)
    with db.transaction():
        marks = {
            lang: (gram, log_mark, id_mark, generation)
            for lang, gram, log_mark, id_mark, generation in db.query(
                "SELECT lang, gram, log_mark, id_mark, generation FROM fuzzy_marks"
            )
        }
        oldest = min((m[2] for m in marks.values()), default=0)
        first_log = min((m[1] for m in marks.values()), default=0)
        if at_least and _pending(db, first_log, oldest) < at_least:
            return
        log_top = int(db.scalar("SELECT COALESCE(MAX(id), 0) FROM fuzzy_log"))
        id_top = int(db.scalar("SELECT COALESCE(MAX(id), 0) FROM variants"))
        new = {r[0] for r in db.query("SELECT DISTINCT lang FROM variants WHERE id > ?", (oldest,))}
        for lang in sorted(set(marks) | new):
            gram, log_mark, id_mark, generation = marks.get(lang, (0, 0, 0, 0))
            if gram != gram_size(lang):  # new, or indexed with other grams: from scratch
                db.execute("DELETE FROM fuzzy_shards WHERE lang = ?", (lang,))
                log_mark = id_mark = 0
            _sync_language(db, lang, log_mark, id_mark)
            db.execute(
                "INSERT INTO fuzzy_marks (lang, gram, log_mark, id_mark, generation) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT (lang) DO UPDATE SET gram = excluded.gram, "
                "log_mark = excluded.log_mark, id_mark = excluded.id_mark, "
                "generation = excluded.generation",
                (lang, gram_size(lang), log_top, id_top, generation + 1),
            )
        db.execute("DELETE FROM fuzzy_log WHERE id <= ?", (log_top,))


def _pending(db: Database, log_mark: int, id_mark: int) -> int:
    logged = db.scalar("SELECT COUNT(*) FROM fuzzy_log WHERE id > ?", (log_mark,))
    return int(logged) + int(db.scalar("SELECT COUNT(*) FROM variants WHERE id > ?", (id_mark,)))


def _sync_language(db: Database, lang: str, log_mark: int, id_mark: int) -> None:
    changed = _changed(db, log_mark) if log_mark or id_mark else np.empty(0, dtype=np.int64)
    for shard in _shards(_Source(db), lang):  # rows of changed variants die where they are
        gone = shard.ids[_rows_of(shard.ids, changed)]
        if len(gone):
            dead = np.union1d(shard.dead, gone)
            db.execute(
                "UPDATE fuzzy_shards SET dead = ?, dead_rows = ? WHERE id = ?",
                (dead.tobytes(), len(dead), shard.rowid),
            )
    batch: list[tuple[int, str]] = []
    for row in _tail(db, lang, log_mark, id_mark):
        batch.append(row)
        if len(batch) == BUILD_ROWS:
            _insert(db, lang, build_shard(batch, gram_size(lang), texts=False))
            batch = []
    if batch:
        _insert(db, lang, build_shard(batch, gram_size(lang), texts=False))
    _settle(db, lang)


def _insert(db: Database, lang: str, shard: Shard) -> None:
    _write(db, lang, shard)
    _settle(db, lang)


def _write(db: Database, lang: str, shard: Shard) -> None:
    db.execute(
        "INSERT INTO fuzzy_shards (lang, rows, dead_rows, ids, lengths, keys, offsets, "
        "postings, dead) VALUES (?, ?, 0, ?, ?, ?, ?, ?, ?)",
        (
            lang,
            len(shard),
            shard.ids.astype(np.int64).tobytes(),
            shard.lengths.astype(np.int32).tobytes(),
            shard.keys.astype(np.int64).tobytes(),
            shard.offsets.astype(np.int64).tobytes(),
            shard.all_postings().astype(np.int32).tobytes(),
            b"",
        ),
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
        if last_live * _MERGE_RATIO < prev_live or prev_live + last_live > MAX_SHARD:
            return
        _replace(db, lang, [prev, last])


def _replace(db: Database, lang: str, rowids: list[int]) -> None:
    """One shard of the live rows of ``rowids`` in their place (none if all are dead)."""
    parts = [(s, s.alive(np.empty(0, dtype=np.int64))) for s in _shards(_Source(db), lang, rowids)]
    live = sum(len(s) if alive is None else int(alive.sum()) for s, alive in parts)
    merged = combine(parts, by_id=True) if live else None  # read before they are deleted
    db.execute(f"DELETE FROM fuzzy_shards WHERE id IN ({', '.join('?' * len(rowids))})", rowids)
    if merged is not None:
        _write(db, lang, merged)


# -- searching ---------------------------------------------------------------------------


class StoredFuzzyIndex(FuzzyIndex):
    """Fuzzy search over the variants of one language of an SQLite workspace.

    The workspace is the index: there is nothing to :meth:`add` or :meth:`build`. Keep
    one open to search many times (the app does): what it read is reused until the
    workspace changes, and then only the change is read.
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
        if db.dialect != "sqlite":
            raise ValueError("StoredFuzzyIndex needs an SQLite workspace; use PgFuzzyIndex")
        super().__init__(lang, contrasts=contrasts, terms=terms)
        self.db = db
        self._source = _Source(db)
        prepare(db)
        self._generation = -1
        self._stored: list[_StoredShard] = []
        self._view_key: tuple[int, ...] = ()
        self._view: list[tuple[Shard, np.ndarray | None]] = []

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
        self._catch_up()
        with self.db.snapshot():
            return super().search(query, limit=limit, min_score=min_score)

    def concordance(self, word: str) -> list[Occurrence]:
        self._catch_up()
        with self.db.snapshot():
            return super().concordance(word)

    def _catch_up(self) -> None:
        """Sync first if this language was never indexed or its tail grew too long."""
        mark = self.db.query(
            "SELECT log_mark, id_mark FROM fuzzy_marks WHERE lang = ?", (self.lang,)
        )
        if mark:
            sync(self.db, at_least=TAIL_LIMIT)
        elif self.db.scalar("SELECT 1 FROM variants WHERE lang = ? LIMIT 1", (self.lang,)):
            sync(self.db)

    def _parts(self) -> list[tuple[Shard, np.ndarray | None]]:
        """The stored shards and the tail, as of this snapshot (reused while unchanged)."""
        mark = self.db.query(
            "SELECT log_mark, id_mark, generation FROM fuzzy_marks WHERE lang = ?", (self.lang,)
        )
        log_mark, id_mark, generation = mark[0] if mark else (0, 0, -1)
        if generation != self._generation:
            self._stored = _shards(self._source, self.lang) if mark else []
            self._generation = generation
        key = (
            generation,
            log_mark,
            id_mark,
            int(self.db.scalar("SELECT COALESCE(MAX(id), 0) FROM fuzzy_log")),
            int(self.db.scalar("SELECT COALESCE(MAX(id), 0) FROM variants")),
        )
        if key != self._view_key:
            changed = _changed(self.db, log_mark)
            view: list[tuple[Shard, np.ndarray | None]] = [
                (s, s.alive(changed)) for s in self._stored
            ]
            tail = list(_tail(self.db, self.lang, log_mark, id_mark))
            if tail:
                view.append((build_shard(tail, self.gram, texts=False), None))
            self._view, self._view_key = view, key
        return self._view

    def _texts(self, shard: Shard, rows: np.ndarray) -> list[str]:
        """The current texts of ``rows``, read from the variants table."""
        ids = shard.ids[rows].tolist()
        found: dict[int, str] = {}
        for start in range(0, len(ids), _IN_CHUNK):
            chunk = ids[start : start + _IN_CHUNK]
            found.update(
                self.db.query(
                    f"SELECT id, current FROM variants WHERE id IN ({', '.join('?' * len(chunk))})",
                    chunk,
                )
            )
        return [found[i] for i in ids]
