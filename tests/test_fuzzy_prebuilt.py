"""A new document's fuzzy index built while its file is read (tm/fuzzy/prebuilt.py) must
be the index the sync builds after the import: every (variant, gram) the same, whatever
the workspace held and waited to index before, and shards as bounded."""

from __future__ import annotations

import numpy as np
import pytest

from conftest import FIXTURES
from padan.importing import import_files
from padan.workspace import Workspace
from tm.fuzzy import shards as shards_module
from tm.fuzzy import stored as stored_module
from tm.fuzzy.prebuilt import Prebuild

GLIB = FIXTURES / "po" / "glib-2.74.6_id.po"
BASH = FIXTURES / "po" / "bash-5.2_id.po"


def _postings(ws: Workspace, lang: str) -> np.ndarray:
    """(variant id, gram key) of every live posting of ``lang``, sorted."""
    source = stored_module._Source(ws.db)
    found = []
    for shard in stored_module._shards(source, "lang = ?", (lang,)):
        ids = shard.ids[shard.postings_between(0, int(shard.offsets[-1]))]
        grams = np.repeat(shard.keys, np.diff(shard.offsets))
        live = ~np.isin(ids, shard.dead)
        found.append(np.stack([ids[live], grams[live]], 1))
    pairs = np.concatenate(found)
    return pairs[np.lexsort((pairs[:, 1], pairs[:, 0]))]


def _import(ws: Workspace, path, name: str) -> None:
    for _ in import_files(ws, [str(path)], name=name, report=lambda *a: None):
        pass


def _workspace(
    location: str, prebuilt: bool, monkeypatch: pytest.MonkeyPatch, used: bool = True
) -> Workspace:
    ws = Workspace(location)
    _import(ws, BASH, "bash")  # shards already there, the newest may take the new rows in
    variant = ws.documents.variants("id")[5]
    ws.documents.edit(variant.id, variant.current + " lagi")  # a change still queued
    if not prebuilt:
        monkeypatch.setattr("padan.importing._new", lambda ws, document: False)
    adopted = []
    adopt = stored_module.adopt
    monkeypatch.setattr(stored_module, "adopt", lambda *a: adopted.append(adopt(*a)) or adopted[-1])
    _import(ws, GLIB, "glib")
    monkeypatch.undo()
    assert adopted == ([used] if prebuilt else [])
    return ws


def _small(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(stored_module, "MAX_SHARD", 1_000)
    monkeypatch.setattr(stored_module, "BUILD_ROWS", 150)
    monkeypatch.setattr(stored_module, "MERGE_BLOCK", 5_000)
    monkeypatch.setattr(shards_module, "MERGE_BLOCK", 5_000)


@pytest.mark.parametrize("cores", [2, 1])  # built in a worker process, or in this one
def test_the_index_built_while_reading_is_the_synced_one(new_db_location, monkeypatch, cores):
    monkeypatch.setattr("padan.importing._CORES", cores)
    _small(monkeypatch)  # merges in the file, a few blocks at a time
    built = _workspace(new_db_location("built.db"), True, monkeypatch)
    _small(monkeypatch)
    synced = _workspace(new_db_location("synced.db"), False, monkeypatch)
    for lang in ("en", "id"):
        assert len(_postings(built, lang)) > 10_000
        assert np.array_equal(_postings(built, lang), _postings(synced, lang))
    sizes = [r[0] for r in built.db.query("SELECT rows FROM fuzzy_shards")]
    assert max(sizes) <= 1_000
    if built.db.dialect == "sqlite":
        assert built.db.scalar("SELECT id_mark FROM fuzzy_state") == built.db.scalar(
            "SELECT MAX(id) FROM variants"
        )
    assert built.db.scalar("SELECT COUNT(*) FROM fuzzy_log") == 0  # none indexed twice


def test_a_document_there_already_is_indexed_by_the_sync(tmp_path, monkeypatch):
    ws = Workspace(str(tmp_path / "w.db"))
    _import(ws, GLIB, "glib")
    adopted = []
    monkeypatch.setattr(stored_module, "adopt", lambda *a: adopted.append(a))
    _import(ws, BASH, "glib")  # into the same document: no index built while reading
    assert adopted == []
    assert ws.db.scalar("SELECT id_mark FROM fuzzy_state") == ws.db.scalar(
        "SELECT MAX(id) FROM variants"
    )


def test_a_worker_that_dies_leaves_the_rows_to_the_sync(new_db_location, monkeypatch):
    def dies(self, lang, batch):
        raise MemoryError

    monkeypatch.setattr(Prebuild, "_build", dies)  # in the worker, forked with it
    failed = _workspace(new_db_location("failed.db"), True, monkeypatch, used=False)
    monkeypatch.undo()
    synced = _workspace(new_db_location("synced.db"), False, monkeypatch)
    for lang in ("en", "id"):
        assert np.array_equal(_postings(failed, lang), _postings(synced, lang))
