"""The fuzzy index kept in the workspace (tm/fuzzy/stored.py), on SQLite and PostgreSQL:
it ranks as the in-memory index over the current texts would, and follows every change of
the workspace without being rebuilt."""

from __future__ import annotations

import random
from dataclasses import replace

import pytest

from conftest import FIXTURES
from corpora.bundled import bundled_documents
from corpora.db import Database
from corpora.model import Document, Segment
from tm.files import read_units
from tm.fuzzy import FuzzyIndex, Match, StoredFuzzyIndex, open_index, sync
from tm.fuzzy import stored as stored_module
from tm.model import Unit, Variant
from tm.store import TMStore

GLIB = FIXTURES / "po" / "glib-2.74.6_id.po"


@pytest.fixture
def store(db_location) -> TMStore:
    db = Database(db_location)
    memory = read_units(GLIB)
    store = TMStore(db)
    store.import_units("glib", memory.source_lang, memory.units)
    return store


def _queries(store: TMStore, lang: str, n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    texts = [v.current for v in store.variants(lang) if len(v.current) > 10]
    out = []
    for text in rng.sample(texts, n):
        at = rng.randrange(len(text))
        out.append(text[:at] + rng.choice("xq ") + text[at + 1 :])
    return out


def _fresh(store: TMStore, lang: str) -> FuzzyIndex:
    """An in-memory index of the current texts, in id order (the stored index's ties)."""
    variants = sorted(store.variants(lang), key=lambda v: v.id)
    return FuzzyIndex(lang).build((v.id, v.current) for v in variants)


def _key(m: Match) -> tuple[object, ...]:
    return (m.segment_id, m.text, m.score, m.spans, m.flags)


def _same(store: TMStore, index: FuzzyIndex, lang: str, seed: int, min_score: float = 60) -> int:
    """Compare the stored index with a fresh one; returns how many queries found matches."""
    fresh = _fresh(store, lang)
    found = 0
    for query in _queries(store, lang, 40, seed):
        expected = [_key(m) for m in fresh.search(query, min_score=min_score)]
        assert [_key(m) for m in index.search(query, min_score=min_score)] == expected, query
        found += bool(expected)
    return found


@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_import_stores_the_index_and_it_ranks_as_a_fresh_one(store, lang):
    db = store.db
    assert db.scalar("SELECT SUM(rows) FROM fuzzy_shards WHERE lang = ?", (lang,)) == len(
        store.variants(lang)
    )
    assert _same(store, open_index(db, lang), lang, seed=1) > 30


def test_edits_bulk_fixes_undo_and_deletions_are_followed(store):
    db = store.db
    index = open_index(db, "id")  # kept open across changes, as the app keeps it
    variants = sorted(store.variants("id"), key=lambda v: v.id)
    store.edit(variants[0].id, "Teks baru sama sekali untuk diuji di sini")
    [match] = index.search("Teks baru sama sekali untuk diuji disini", limit=1)
    assert match.segment_id == variants[0].id
    store.bulk_edit(
        [(v.id, v.current + " (diperbaiki)", v.version) for v in variants[1:300]],
        reason="bulk fix",
    )
    _same(store, index, "id", seed=2)
    store.undo()
    _same(store, index, "id", seed=3)
    with db.transaction():  # a document replaced whole: its variants are deleted
        db.execute("DELETE FROM units WHERE id > (SELECT MAX(id) - 100 FROM units)")
    _same(store, index, "id", seed=4)
    assert index.search("Teks baru sama sekali untuk diuji disini", limit=1)[0].segment_id == (
        variants[0].id
    )
    # What the search read from the tail is folded into the stored shards at the next sync;
    # dead rows are dropped as shards merge.
    sync(db)
    assert db.scalar("SELECT COUNT(*) FROM fuzzy_log") == 0
    _same(store, open_index(db, "id"), "id", seed=5)


def test_another_process_sees_the_changes_without_rebuilding(store, db_location):
    first = store.variants("id")[5]
    store.edit(first.id, "Sebuah kalimat yang belum pernah ada di memori")
    shards = store.db.query("SELECT id FROM fuzzy_shards ORDER BY id")
    with Database(db_location) as other:
        [match] = open_index(other, "id").search("Sebuah kalimat yang belum pernah ada di memori")
        assert (match.segment_id, match.score) == (first.id, 100.0)
        # a single edit is read from the log by the search; nothing was rewritten
        assert other.query("SELECT id FROM fuzzy_shards ORDER BY id") == shards


def test_a_long_tail_is_synced_by_the_search(store, monkeypatch):
    monkeypatch.setattr(stored_module, "TAIL_LIMIT", 50)
    db = store.db
    for v in store.variants("id")[:60]:
        store.edit(v.id, v.current + " lagi")
    assert db.scalar("SELECT COUNT(DISTINCT variant_id) FROM fuzzy_log") == 60
    _same(store, open_index(db, "id"), "id", seed=6)
    assert db.scalar("SELECT COUNT(*) FROM fuzzy_log") == 0


def test_shards_stay_few_and_bounded(db_location, monkeypatch):
    monkeypatch.setattr(stored_module, "MAX_SHARD", 1_000)
    monkeypatch.setattr(stored_module, "BUILD_ROWS", 300)
    db = Database(db_location)
    store = TMStore(db)
    units = list(read_units(GLIB).units)
    for start in range(0, len(units), 97):  # many small imports
        store.import_units(f"part{start}", "en", units[start : start + 97])
    sizes = [r[0] for r in db.query("SELECT rows FROM fuzzy_shards WHERE lang = 'id'")]
    assert sum(sizes) == len(store.variants("id"))
    assert max(sizes) <= 1_000
    assert len(sizes) <= 10
    _same(store, open_index(db, "id"), "id", seed=7)


def test_a_failed_import_leaves_the_index_as_it_was(store):
    db = store.db
    before = db.query("SELECT id, rows FROM fuzzy_shards ORDER BY id")

    def units():
        yield Unit((Variant("en", "A brand new source"), Variant("id", "Sumber yang baru sekali")))
        raise RuntimeError("the file broke here")

    with pytest.raises(RuntimeError):
        store.import_units("glib", "en", units())
    assert db.query("SELECT id, rows FROM fuzzy_shards ORDER BY id") == before
    assert open_index(db, "id").search("Sumber yang baru sekali") == []


def test_saved_documents_and_a_workspace_without_an_index(db_location, monkeypatch):
    db = Database(db_location)
    store = TMStore(db)
    with db.transaction():
        for doc in bundled_documents():
            store.save(doc)
    # Saved before the index existed: all of it is new to the index. A few documents
    # are indexed by each search; past TAIL_LIMIT rows, the search stores them first.
    index = open_index(db, "zh")
    text = next(v.current for v in store.variants("zh") if len(v.current) > 30)
    [match] = index.search(text, limit=1)
    assert match.score == 100.0
    assert db.scalar("SELECT COUNT(*) FROM fuzzy_shards") == 0
    monkeypatch.setattr(stored_module, "TAIL_LIMIT", 100)
    assert index.search(text, limit=1) == [match]
    assert db.scalar("SELECT COUNT(*) FROM fuzzy_shards WHERE lang = 'zh'") >= 1
    store.save(Document("extra", "zh", (Segment("开源模型的支持者认为这很重要", 0, 0),)))
    assert index.search("开源模型的支持者认为这很重要")[0].text == "开源模型的支持者认为这很重要"


def test_equal_copies_rank_oldest_first(db_location):
    db = Database(db_location)
    store = TMStore(db)
    copies = [
        Unit((Variant("en", f"Copy {i}"), Variant("id", "Berkas tidak dapat dibuka")))
        for i in range(300)
    ]
    store.import_units("copies", "en", copies)
    matches = open_index(db, "id").search("Berkas tidak dapat dibuka!", limit=5)
    ids = sorted(v.id for v in store.variants("id"))
    assert [m.segment_id for m in matches] == ids[:5]


def test_no_segments_are_added_by_hand(store):
    index = open_index(store.db, "id")
    assert isinstance(index, StoredFuzzyIndex)
    with pytest.raises(TypeError):
        index.add(1, "x")
    assert len(index) == len(store.variants("id"))


def test_the_app_keeps_one_index_across_connections(store, db_location):
    """The app's jobs each open their own connection; the kept index reads through the
    current one and offers each match with its translation."""
    from padan.jobs import fuzzy_matches, memory_index
    from padan.workspace import Workspace

    location = db_location
    first = Workspace(location)
    memory = memory_index(first, "en", "id", [])
    first.close()
    query = next(v for v in store.variants("en") if v.current.startswith("Unable to find"))
    second = Workspace(location)
    try:
        rows = fuzzy_matches(second, memory, replace(query, current=query.current + "!"))
    finally:
        second.close()
    assert rows and all(v.id != query.id for v, _, _ in rows)
    for variant, match, target in rows:
        assert match.text == variant.current
        assert target is not None and target.unit_id == variant.unit_id and target.lang == "id"


def test_a_kept_index_follows_shards_rewritten_under_ids_never_given_before(
    db_location, monkeypatch
):
    """A searching process keeps what it read of a shard (arrays, chunks of postings) by
    the shard's id, so a merged or rewritten shard must get an id never given before:
    SQLite alone would give a deleted highest rowid again."""
    monkeypatch.setattr(stored_module, "MAX_SHARD", 600)
    monkeypatch.setattr(stored_module, "BUILD_ROWS", 200)
    db = Database(db_location)
    store = TMStore(db)
    units = [  # one language: its shards are the highest, and the last one gets rewritten
        replace(u, variants=tuple(v for v in u.variants if v.lang == "id"))
        for u in read_units(GLIB).units
    ]
    index = open_index(db, "id")  # kept open throughout, as the app keeps it
    given: set[int] = set()
    for step, start in enumerate(range(0, 1_000, 250)):
        store.import_units(f"part{start}", "en", units[start : start + 250])
        newest = max(v.id for v in store.variants("id"))
        # the newest shard's rows, nearly all changed: it is rewritten (mostly dead)
        edits = [(v.id, v.current + " (ubah)", v.version) for v in store.variants("id")]
        store.bulk_edit([e for e in edits if e[0] > newest - 200], reason="bulk fix")
        sync(db)
        now = {r[0] for r in db.query("SELECT id FROM fuzzy_shards")}
        assert not (now - given) & set(range(max(given, default=0) + 1)), now
        given |= now
        _same(store, index, "id", seed=10 + step)
    assert len(given) >= 5  # shards were written, merged and rewritten


def test_a_text_deleted_during_a_look_up_is_not_offered(store, db_location, monkeypatch):
    """An unchanged workspace is searched without a snapshot, the look sent with the
    first read (the postings); a variant deleted between that read and the read of the
    texts sends the look-up back to a snapshot."""
    index = open_index(store.db, "id")
    victim = next(v for v in store.variants("id") if len(v.current) > 20)
    assert index.search(victim.current)[0].segment_id == victim.id
    same = index._same

    def look_then_delete(found):  # another process deletes the unit right after the look
        same(found)
        with Database(db_location) as other, other.transaction():
            other.execute("DELETE FROM units WHERE id = ?", (victim.unit_id,))

    monkeypatch.setattr(index, "_same", look_then_delete)
    index._source.postings.clear()  # the postings are read again, and the look with them
    index._view_text.clear()  # texts kept from the first search would answer as of the look
    assert victim.id not in [m.segment_id for m in index.search(victim.current)]


def test_a_reader_searches_a_long_tail_it_may_not_sync(store, db_location, monkeypatch):
    """`padan search` opens the workspace read-only: past TAIL_LIMIT waiting changes it
    cannot store them in the index, and indexes them for itself instead of failing."""
    monkeypatch.setattr(stored_module, "TAIL_LIMIT", 50)
    edited = store.variants("id")[:60]
    for v in edited:
        store.edit(v.id, v.current + " lagi")
    with Database(db_location, readonly=True) as reader:
        [match] = open_index(reader, "id").search(edited[-1].current + " lagi", limit=1)
    assert (match.segment_id, match.score) == (edited[-1].id, 100.0)


@pytest.mark.parametrize("cache", [1 << 30, 1 << 12])
def test_postings_read_as_whole_chunks_or_cut_from_them_rank_alike(db_location, monkeypatch, cache):
    # Small chunks: a gram's postings span many; a small cache: the index is too large to
    # hold whole, so only each gram's bytes are read (and the cache keeps emptying).
    monkeypatch.setattr(stored_module, "CHUNK", 64)
    monkeypatch.setattr(stored_module, "CACHE_BYTES", cache)
    db = Database(db_location)
    store = TMStore(db)
    memory = read_units(GLIB)
    store.import_units("glib", memory.source_lang, memory.units)
    index = open_index(db, "id")
    assert _same(store, index, "id", seed=11, min_score=50) > 30
    assert index._source.whole == (cache > 1 << 12)
