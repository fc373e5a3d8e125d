"""Undo and redo walk one stack, as every editor does, whichever process made the change.

The property test drives random sequences of edits, bulk fixes, undos and redos, each
through one of three connections to the same workspace (as three ``padan`` processes
would), and compares every step with a plain model: a stack of done groups and a stack
of undone ones, which a new change clears. The last test runs undo and redo as real
``padan`` processes.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_bad_input import PADAN, _env

from corpora.db import Database
from corpora.model import Document, Segment
from tm.store import TMStore

SEGMENTS = 3
WORDS = ["a", "b", "c"]  # few texts: edits that change nothing happen too
CONNECTIONS = 3


@dataclass
class Model:
    texts: list[str]
    done: list[list[tuple[int, str, str]]] = field(default_factory=list)  # (segment, old, new)
    undone: list[list[tuple[int, str, str]]] = field(default_factory=list)

    def change(self, edits: list[tuple[int, str]]) -> None:
        group = [(i, self.texts[i], new) for i, new in edits if new != self.texts[i]]
        if not group:
            return  # nothing changed: no revision, the redo stack stays
        for i, _, new in group:
            self.texts[i] = new
        self.done.append(group)
        self.undone.clear()

    def undo(self) -> int:
        if not self.done:
            return 0
        group = self.done.pop()
        for i, old, _ in reversed(group):
            self.texts[i] = old
        self.undone.append(group)
        return len(group)

    def redo(self) -> int:
        if not self.undone:
            return 0
        group = self.undone.pop()
        for i, _, new in group:
            self.texts[i] = new
        self.done.append(group)
        return len(group)


@pytest.fixture
def stores(db_location: str) -> Iterator[list[TMStore]]:
    databases = [Database(db_location) for _ in range(CONNECTIONS)]
    stores = [TMStore(db) for db in databases]
    stores[0].save(Document("doc", "id", tuple(Segment("x", i, 0) for i in range(SEGMENTS))))
    yield stores
    for db in databases:
        db.close()


def _reset(store: TMStore) -> None:
    with store.db.transaction():
        store.db.execute("DELETE FROM revisions")
        store.db.execute("UPDATE variants SET current = original, version = 1")


op = st.one_of(
    st.tuples(st.just("edit"), st.integers(0, SEGMENTS - 1), st.sampled_from(WORDS)),
    st.tuples(
        st.just("bulk"),
        st.lists(st.integers(0, SEGMENTS - 1), min_size=1, max_size=SEGMENTS, unique=True),
        st.sampled_from(WORDS),
    ),
    st.tuples(st.just("undo")),
    st.tuples(st.just("redo")),
)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(steps=st.lists(st.tuples(st.integers(0, CONNECTIONS - 1), op), max_size=14))
def test_undo_redo_follow_the_model(stores, steps):
    _reset(stores[0])
    ids = [v.id for v in stores[0].variants("id", "doc")]
    model = Model(["x"] * SEGMENTS)
    for who, (kind, *args) in steps:
        store = stores[who]
        if kind == "edit":
            segment, word = args
            store.edit(ids[segment], word, author=f"p{who}")
            model.change([(segment, word)])
        elif kind == "bulk":
            segments, word = args
            edits = [(ids[i], f"{word}{i}", None) for i in segments]
            store.bulk_edit(edits, author=f"p{who}", reason="bulk fix")
            model.change([(i, f"{word}{i}") for i in segments])
        elif kind == "undo":
            assert len(store.undo()) == model.undo()
        else:
            assert len(store.redo()) == model.redo()
        now = [v.current for v in stores[(who + 1) % CONNECTIONS].variants("id", "doc")]
        assert now == model.texts, (kind, args)


def test_the_cases_of_the_issue(stores):
    store = stores[0]
    a, b = (v.id for v in store.variants("id", "doc")[:2])
    store.edit(a, "A")
    store.edit(b, "B")
    store.undo()
    stores[1].undo()
    assert [r.new for r in stores[2].redo()] == ["A"]  # the one undone last
    assert [r.new for r in store.redo()] == ["B"]
    # Two edits of one segment, undone twice: redo walks them back in order.
    store.edit(a, "A2")
    store.edit(a, "A3")
    store.undo()
    store.undo()
    assert store.variant(a).current == "A"
    assert [r.new for r in store.redo()] == ["A2"]
    assert [r.new for r in store.redo()] == ["A3"]
    # A new change clears the redo stack.
    store.undo()
    store.edit(b, "B2")
    assert store.redo() == []
    assert store.variant(a).current == "A2"


def test_undo_and_redo_as_separate_processes(tmp_path):
    location = str(tmp_path / "padan.db")
    with Database(location) as db:
        store = TMStore(db)
        store.save(Document("doc", "id", (Segment("x", 0, 0), Segment("y", 1, 0))))
        a, b = (v.id for v in store.variants("id", "doc"))
        store.edit(a, "A")
        store.edit(b, "B")

    def padan(*args: str) -> str:
        done = subprocess.run(
            [*PADAN, "--db", location, *args],
            capture_output=True,
            text=True,
            timeout=120,
            env=_env(),
        )
        assert done.returncode == 0 and not done.stderr, done.stderr
        return done.stdout.strip()

    assert padan("undo") == "undid 1 change"
    assert padan("undo") == "undid 1 change"
    assert padan("redo") == "redid 1 change"
    with Database(location) as db:
        store = TMStore(db)
        assert [v.current for v in store.variants("id", "doc")] == ["A", "y"]
    assert padan("redo") == "redid 1 change"
    assert padan("redo") == "nothing to redo"
