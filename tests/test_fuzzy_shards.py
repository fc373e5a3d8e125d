"""Shards merged a block of postings at a time (tm/fuzzy/shards.py ``combine_into``) are the
shards built at once of the same live rows; one merge rule serves every index; and a
workspace whose shards were cut smaller (by an older MAX_SHARD) answers as one built now,
through its later imports and edits, on both backends."""

from __future__ import annotations

import random
from dataclasses import replace

import numpy as np
import pytest

from conftest import FIXTURES
from corpora.db import Database
from padan.importing import Spool
from tm.files import read_units
from tm.fuzzy import FuzzyIndex, open_index, sync
from tm.fuzzy import shards as shards_module
from tm.fuzzy import stored as stored_module
from tm.fuzzy.grams import code_points, gram_size, pack
from tm.fuzzy.prebuilt import Prebuild
from tm.fuzzy.shards import Shard, build_shard, combine, combine_into, merges
from tm.store import TMStore

GLIB = FIXTURES / "po" / "glib-2.74.6_id.po"
WORDS = "kata baru lama file folder tidak dapat membuka menyimpan berkas nama".split()


def _items(count: int, seed: int, first: int = 0, step: int = 1) -> list[tuple[int, str]]:
    rng = random.Random(seed)
    texts = [" ".join(rng.choices(WORDS, k=rng.randint(1, 8))) for _ in range(count)]
    return [(first + step * k, text) for k, text in enumerate(texts)]


def _assert_same(merged: Shard, built: Shard) -> None:
    for name in ("ids", "lengths", "keys", "offsets", "postings"):
        assert np.array_equal(getattr(merged, name), getattr(built, name)), name


@pytest.mark.parametrize("block", [1, 97, 1 << 21])  # a gram a block, some, all at once
def test_a_merge_block_by_block_is_the_shard_built_at_once(monkeypatch, block):
    monkeypatch.setattr(shards_module, "MERGE_BLOCK", block)
    items = _items(700, seed=1)
    parts = [build_shard(items[a:b], 3, texts=False) for a, b in [(0, 400), (400, 650), (650, 700)]]
    written: list[np.ndarray] = []
    merged = combine_into([(p, None) for p in parts], by_id=False, write=written.append)
    assert (len(written) > 1) == (block < 1 << 21)
    assert all(w.dtype == np.int32 for w in written)
    whole = np.concatenate(written)
    _assert_same(
        Shard(merged.ids, merged.lengths, merged.keys, merged.offsets, whole),
        build_shard(items, 3, texts=False),
    )


def test_dead_rows_and_interleaved_ids_merge_into_the_live_rows_by_id(monkeypatch):
    monkeypatch.setattr(shards_module, "MERGE_BLOCK", 50)
    evens, odds = _items(300, seed=2, step=2), _items(200, seed=3, first=1, step=2)
    odds[9] = (odds[9][0], "qzxv")  # grams no other row has: gone with the row
    alive_evens = np.array([k % 5 != 0 for k in range(len(evens))])
    alive_odds = np.array([k % 3 != 0 or k == 6 for k in range(len(odds))])
    assert not alive_odds[9]
    merged = combine(
        [
            (build_shard(evens, 3, texts=False), alive_evens),
            (build_shard(odds, 3, texts=False), alive_odds),
        ],
        by_id=True,
    )
    live = [it for it, ok in zip(evens, alive_evens, strict=True) if ok]
    live += [it for it, ok in zip(odds, alive_odds, strict=True) if ok]
    _assert_same(merged, build_shard(sorted(live), 3, texts=False))
    assert not np.isin(pack(code_points(" qzxv "), 3), merged.keys).any()


def test_the_merge_rule_is_one_for_every_index():
    assert merges(100, 50, 1_000) and not merges(100, 49, 1_000)
    assert not merges(600, 500, 1_000) and merges(600, 500)  # the in-memory index: no bound
    merged, kept = FuzzyIndex("en"), FuzzyIndex("en")
    items = _items(150, seed=4)
    merged.build(items[:100]).build(items[100:150])
    kept.build(items[:100]).build(items[100:149])
    assert [len(s) for s in merged._shards] == [150]
    assert [len(s) for s in kept._shards] == [100, 49]


def _old_and_new(location: str, monkeypatch: pytest.MonkeyPatch, most: int) -> TMStore:
    """A workspace of the catalogue but its last 60 units, imported with shards of at most
    ``most`` rows."""
    store = TMStore(Database(location))
    with monkeypatch.context() as patched:
        patched.setattr(stored_module, "MAX_SHARD", most)
        patched.setattr(stored_module, "BUILD_ROWS", 100)
        store.import_units("first", "en", list(read_units(GLIB).units)[:-60])
    return store


def _later(store: TMStore) -> None:
    """The last 60 units imported, and some edits, with today's sizes."""
    store.import_units("last", "en", list(read_units(GLIB).units)[-60:])
    for variant in store.variants("id")[::9]:
        store.edit(variant.id, variant.current + " lagi")
    sync(store.db)


def _same_answers(old: TMStore, now: TMStore) -> None:
    rng = random.Random(5)
    texts = [v.current for v in now.variants("id") if len(v.current) > 20]
    found = 0
    for text in rng.sample(texts, 40):
        at = rng.randrange(len(text))
        query = text[:at] + "x" + text[at + 1 :]
        answers = [open_index(s.db, "id").search(query, min_score=60) for s in (old, now)]
        assert answers[0] == answers[1], query
        found += bool(answers[0])
    assert found > 30
    occurrences = [open_index(s.db, "id").concordance("berkas") for s in (old, now)]
    assert occurrences[0] == occurrences[1] != []


def test_a_workspace_of_smaller_shards_answers_as_one_built_now(new_db_location, monkeypatch):
    monkeypatch.setattr(shards_module, "MERGE_BLOCK", 5_000)  # several blocks a merge
    monkeypatch.setattr(stored_module, "MERGE_BLOCK", 5_000)
    old = _old_and_new(new_db_location("old.db"), monkeypatch, most=300)
    now = _old_and_new(new_db_location("now.db"), monkeypatch, most=stored_module.MAX_SHARD)
    sizes = "SELECT rows FROM fuzzy_shards WHERE lang = 'id' ORDER BY id"
    assert max(r[0] for r in old.db.query(sizes)) <= 300
    assert len(old.db.query(sizes)) > len(now.db.query(sizes))
    _same_answers(old, now)
    for store in (old, now):  # the old shards merge by the same rule, past their old bound
        _later(store)
    assert max(r[0] for r in old.db.query(sizes)) > 300
    _same_answers(old, now)


@pytest.mark.parametrize("worker", [False, True])
def test_a_prebuild_merges_each_most_rows_at_once_into_the_rows_built_at_once(monkeypatch, worker):
    monkeypatch.setattr(shards_module, "MERGE_BLOCK", 300)
    items = _items(1_230, seed=6)
    spool = Spool("test")  # the worker reads the rows back from it
    built = Prebuild(rows=64, chars=1 << 30, most=500, spool=spool.fileno() if worker else None)
    rows = [(f"u{i}", "", (("en", text, ""),)) for i, text in items]
    offset, _ = spool.write(rows, built.add)
    assert list(spool.read(offset)) == rows
    built.finish()
    assert built.ready
    shards = [(lang, shard) for lang, shard in built.shards()]
    # Built 64 at a time; as many as fit in 500 rows (7) merged into one, the rest too.
    assert [lang for lang, _ in shards] == ["en", "en", "en"]
    assert [len(shard) for _, shard in shards] == [448, 448, 334]
    start = 0
    for _, shard in shards:
        whole = shard.postings_between(0, int(shard.offsets[-1]))
        rebuilt = build_shard(items[start : start + len(shard)], 3, texts=False)
        _assert_same(replace(shard, postings=whole), rebuilt)
        start += len(shard)
    built.close()
    spool.close()


def test_a_prebuild_splits_the_languages_and_cuts_a_shard_at_its_rows_or_characters():
    # en and id in every row, zh in some: each language's texts keep their own ids
    texts = [text for _, text in _items(900, seed=7)]
    rows, by_lang = [], {"en": [], "id": [], "zh": []}
    count = 0
    for k in range(300):
        variants = [("en", texts[3 * k], ""), ("id", texts[3 * k + 1], "")]
        if k % 7 == 0:
            variants.insert(1, ("zh", texts[3 * k + 2], ""))
        for lang, text, _ in variants:
            by_lang[lang].append((count, text))
            count += 1
        rows.append((f"u{k}", "", tuple(variants)))
    built = Prebuild(rows=40, chars=600, most=1, spool=None)  # most=1: no shard merges
    for start in range(0, len(rows), 70):
        built.add(rows[start : start + 70], 0, 0)
    built.finish()
    assert built.ready and built.count == count
    shards: dict[str, list[Shard]] = {}
    for lang, shard in built.shards():
        shards.setdefault(lang, []).append(shard)
    assert set(shards) == {"en", "id", "zh"}
    for lang, items in by_lang.items():
        start = 0
        for shard in shards[lang]:
            part = items[start : start + len(shard)]
            chars = [len(text) for _, text in part]
            # full at 40 texts, or at the text reaching 600 characters (the last: fewer)
            if start + len(shard) < len(items):
                assert len(part) == 40 or sum(chars) >= 600 > sum(chars[:-1])
            whole = shard.postings_between(0, int(shard.offsets[-1]))
            rebuilt = build_shard(part, gram_size(lang), texts=False)
            _assert_same(replace(shard, postings=whole), rebuilt)
            start += len(shard)
        assert start == len(items)
    built.close()
