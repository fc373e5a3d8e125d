"""Two translators on one workspace: two real connections, on SQLite and on PostgreSQL.

Each test opens the same database twice (two :class:`Database` objects, as two ``padan``
processes would) and checks that an edit made against an old version is refused instead
of overwriting a colleague's, and that nothing is half-applied.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator

import pytest

from corpora.db import Database
from corpora.model import Document, Segment
from tm.store import ConflictError, TMStore

TEXTS = ["Model itu dirilis.", "Biaya $ 6 juta.", "Upaya itu sia -sia.", "Perusahaan -perusahaan."]


@pytest.fixture
def two(db_location: str) -> Iterator[tuple[TMStore, TMStore]]:
    first, second = Database(db_location), Database(db_location)
    alice, bob = TMStore(first), TMStore(second)
    segments = tuple(Segment(t, i, 0) for i, t in enumerate(TEXTS))
    alice.save(Document("artikel", "id", segments))
    yield alice, bob
    first.close()
    second.close()


def _blocked(holder: TMStore, waiter: TMStore) -> Callable[[], bool]:
    """Whether ``waiter``'s connection now waits for a lock ``holder`` holds: PostgreSQL
    shows the wait in pg_stat_activity; SQLite's BEGIN IMMEDIATE says so through
    ``on_wait`` once its first try is refused."""
    if holder.db.dialect == "postgresql":
        pid = waiter.db.scalar("SELECT pg_backend_pid()")

        def waits() -> bool:
            # a transaction sees one snapshot of the statistics unless it asks anew
            holder.db.execute("SELECT pg_stat_clear_snapshot()")
            return bool(
                holder.db.scalar(
                    "SELECT COUNT(*) FROM pg_stat_activity "
                    "WHERE pid = ? AND wait_event_type = 'Lock'",
                    (pid,),
                )
            )

        return waits
    heard: list[str] = []
    waiter.db._on_wait = heard.append  # noqa: SLF001 - the hook padan prints through
    return lambda: bool(heard)


def _hold_until(blocked: Callable[[], bool], thread: threading.Thread) -> None:
    """Keep the caller's transaction open until the other connection waits for it (not
    for a set time: under CPU load a thread may start long after it was told to)."""
    deadline = time.monotonic() + 120  # only against a hang: the wait comes or it fails
    while not blocked():
        assert thread.is_alive(), "it went through without waiting for the transaction"
        assert time.monotonic() < deadline, "it never began to wait"
        time.sleep(0.01)


def _ids(store: TMStore) -> list[int]:
    return [v.id for v in store.variants("id", "artikel")]


def test_stale_save_is_a_conflict_and_overwrites_nothing(two):
    alice, bob = two
    vid = _ids(alice)[0]
    seen_by_alice, seen_by_bob = alice.variant(vid), bob.variant(vid)
    assert seen_by_alice.version == seen_by_bob.version == 1
    alice.edit(vid, "Model itu sudah dirilis.", author="alice", expected_version=1)
    with pytest.raises(ConflictError, match="changed by someone else"):
        bob.edit(vid, "Model tersebut dirilis.", author="bob", expected_version=1)
    for store in (alice, bob):
        assert store.variant(vid).current == "Model itu sudah dirilis."
        assert store.variant(vid).version == 2
        assert [r.author for r in store.history(vid)] == ["alice"]
    # Bob reloads and applies his change again: now it goes through.
    bob.edit(vid, "Model tersebut sudah dirilis.", author="bob", expected_version=2)
    assert alice.variant(vid).current == "Model tersebut sudah dirilis."


def test_bulk_fix_with_one_conflicting_unit_changes_nothing(two):
    alice, bob = two
    ids = _ids(alice)
    versions = {v.id: v.version for v in bob.variants("id", "artikel")}
    alice.edit(ids[2], "Upaya itu sia-sia.", author="alice", expected_version=1)
    fixes = [
        (ids[1], "Biaya $6 juta.", versions[ids[1]]),
        (ids[2], "Upaya itu percuma.", versions[ids[2]]),  # stale: Alice changed it
        (ids[3], "Perusahaan-perusahaan.", versions[ids[3]]),
    ]
    with pytest.raises(ConflictError):
        bob.bulk_edit(fixes, author="bob", reason="bulk fix")
    now = {v.id: v for v in alice.variants("id", "artikel")}
    assert now[ids[1]].current == TEXTS[1] and now[ids[1]].version == 1
    assert now[ids[2]].current == "Upaya itu sia-sia."
    assert now[ids[3]].current == TEXTS[3] and now[ids[3]].version == 1
    assert not [r for i in ids for r in alice.history(i) if r.author == "bob"]
    assert [r.author for r in alice.undo()] == ["alice"]  # Bob's batch left no trace


def test_the_second_of_two_simultaneous_saves_waits_then_conflicts(two):
    """Alice's save is still open when Bob saves over the version both started from."""
    alice, bob = two
    vid = _ids(alice)[1]
    inside, outcome = threading.Event(), {}
    blocked = _blocked(alice, bob)

    def bob_saves() -> None:
        inside.wait()
        try:
            bob.edit(vid, "Biaya 6 juta dolar.", author="bob", expected_version=1)
            outcome["bob"] = "saved"
        except ConflictError:
            outcome["bob"] = "conflict"

    thread = threading.Thread(target=bob_saves)
    thread.start()
    with alice.db.transaction():
        alice.edit(vid, "Biaya $6 juta.", author="alice", expected_version=1)
        inside.set()
        _hold_until(blocked, thread)  # Bob's save against our uncommitted version 2
        assert outcome == {}
    thread.join(60)
    assert outcome["bob"] == "conflict"  # he waited for Alice's commit, then saw version 2
    assert bob.variant(vid).current == "Biaya $6 juta."
    assert [r.author for r in bob.history(vid)] == ["alice"]


def test_saves_without_a_version_queue_up_and_keep_every_revision(two):
    alice, bob = two
    vid = _ids(alice)[3]
    inside, done = threading.Event(), {}
    blocked = _blocked(alice, bob)

    def bob_saves() -> None:
        inside.wait()
        done["bob"] = bob.edit(vid, "Perusahaan-perusahaan itu.", author="bob")

    thread = threading.Thread(target=bob_saves)
    thread.start()
    with alice.db.transaction():
        alice.edit(vid, "Perusahaan-perusahaan.", author="alice")
        inside.set()
        _hold_until(blocked, thread)
    thread.join(60)
    assert done["bob"].version == 3 and done["bob"].current == "Perusahaan-perusahaan itu."
    history = alice.history(vid)
    assert [(r.author, r.old, r.new) for r in history] == [
        ("alice", TEXTS[3], "Perusahaan-perusahaan."),
        ("bob", "Perusahaan-perusahaan.", "Perusahaan-perusahaan itu."),
    ]


def test_two_undos_at_once_take_back_two_changes(two):
    """Undo takes back the latest change; two at once must not both pick the same one."""
    alice, bob = two
    first, second = _ids(alice)[:2]
    alice.edit(first, "Model itu telah dirilis.", author="alice")
    bob.edit(second, "Biaya $6 juta.", author="bob")
    inside, undone = threading.Event(), {}
    blocked = _blocked(alice, bob)

    def bob_undoes() -> None:
        inside.wait()
        undone["bob"] = bob.undo(author="bob")

    thread = threading.Thread(target=bob_undoes)
    thread.start()
    with alice.db.transaction():
        undone["alice"] = alice.undo(author="alice")
        inside.set()
        _hold_until(blocked, thread)  # Bob's undo waits while ours is not committed
    thread.join(60)
    assert [r.variant_id for r in undone["alice"]] == [second]
    assert [r.variant_id for r in undone["bob"]] == [first]
    assert [v.current for v in bob.variants("id", "artikel")] == TEXTS


def test_many_writers_lose_no_edit(db_location):
    """Four connections edit the same few segments with their last-seen versions."""
    setup = TMStore(Database(db_location))
    segments = tuple(Segment(f"Kalimat nomor {i}.", i, 0) for i in range(3))
    setup.save(Document("hot", "id", segments))
    ids = [v.id for v in setup.variants("id", "hot")]
    setup.db.close()
    saved: list[tuple[int, str, int]] = []
    conflicts: list[int] = []
    lock = threading.Lock()

    def writer(n: int) -> None:
        with Database(db_location) as db:
            store = TMStore(db)
            for k in range(25):
                vid = ids[(n + k) % len(ids)]
                seen = store.variant(vid)
                text = f"Kalimat {vid} oleh {n} ke-{k}."
                try:
                    store.edit(vid, text, author=f"w{n}", expected_version=seen.version)
                except ConflictError:
                    with lock:
                        conflicts.append(n)
                    continue
                with lock:  # the version it made (edit() returns what is stored by now)
                    saved.append((vid, text, seen.version + 1))

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert len(saved) + len(conflicts) == 100
    with Database(db_location) as db:
        store = TMStore(db)
        for vid in ids:
            mine = sorted((version, text) for v, text, version in saved if v == vid)
            history = store.history(vid)
            # Every successful save is one revision, in version order, each on the last.
            assert [r.new for r in history] == [text for _, text in mine]
            assert all(a.new == b.old for a, b in zip(history, history[1:], strict=False))
            final = store.variant(vid)
            assert final.version == 1 + len(mine)
            assert final.current == (mine[-1][1] if mine else f"Kalimat nomor {ids.index(vid)}.")


def test_an_edit_saved_during_a_reimport_is_kept(db_location, monkeypatch):
    """Bob saves a segment while a re-import that changes its imported text has read it
    but not yet written it (found by bench/soak.py on PostgreSQL: the import wrote back
    the text it had read, and Bob's edit was gone though its revision stayed)."""
    from tm.model import Unit, Variant
    from tm.store_batch import UnitImport

    def unit(target: str) -> Unit:
        return Unit((Variant("en", "Open the file."), Variant("id", target)))

    with Database(db_location) as db:
        TMStore(db).import_units("menu", "en", [unit("Buka berkas itu.")])
        vid = TMStore(db).variants("id", "menu")[0].id
    outcome: dict[str, object] = {}

    def bob_saves() -> None:
        with Database(db_location) as db:
            outcome["bob"] = TMStore(db).edit(vid, "Bukalah berkas itu.", author="bob").current

    write = UnitImport._write

    def write_after_bob(self: UnitImport) -> None:
        bob = threading.Thread(target=bob_saves)
        bob.start()
        bob.join(2)  # he saves now, or waits for the import to commit (the variant is held)
        outcome["thread"] = bob
        write(self)

    monkeypatch.setattr(UnitImport, "_write", write_after_bob)
    with Database(db_location) as db:
        TMStore(db).import_units("menu", "en", [unit("Buka berkas ini.")])
    outcome["thread"].join(60)  # type: ignore[attr-defined]
    assert outcome["bob"] == "Bukalah berkas itu."
    with Database(db_location) as db:
        store = TMStore(db)
        assert store.variant(vid).current == "Bukalah berkas itu."
        history = store.history(vid)
        assert [r.author for r in history][-1] == "bob"
        assert all(a.new == b.old for a, b in zip(history, history[1:], strict=False))


def test_a_reimport_and_a_bulk_fix_of_its_variants_do_not_deadlock(db_location, monkeypatch):
    """A bulk fix of two variants starts between the batches of a re-import that rewrites
    both, the later batch holding the lower id. Locked batch by batch, the import held the
    higher one, the fix the lower one, and each waited for the other (PostgreSQL aborted
    one as a deadlock). Now the fix waits for the import, then applies."""
    from tm import store_batch
    from tm.model import Unit, Variant
    from tm.store_batch import UnitImport

    def units(suffix: str) -> list[Unit]:
        return [
            Unit((Variant("en", f"Line {k}."), Variant("id", f"Baris {k}{suffix}.")))
            for k in (0, 1)
        ]

    first, second = Database(db_location), Database(db_location)
    alice, bob = TMStore(first), TMStore(second)
    alice.import_units("menu", "en", units(""))
    low, high = sorted(v.id for v in alice.variants("id", "menu"))
    blocked = _blocked(alice, bob)
    outcome: dict[str, object] = {}

    def bob_fixes() -> None:
        try:
            bob.bulk_edit(
                [(low, "Baris nol.", None), (high, "Baris satu.", None)], reason="bulk fix"
            )
            outcome["bob"] = "fixed"
        except Exception as exc:  # noqa: BLE001 - a deadlock, reported below
            outcome["bob"] = exc

    thread = threading.Thread(target=bob_fixes)
    write = UnitImport._write

    def write_then_fix(self: UnitImport) -> None:
        write(self)
        if not thread.is_alive() and "bob" not in outcome:  # after the first batch
            thread.start()
            _hold_until(blocked, thread)

    monkeypatch.setattr(store_batch, "BATCH", 1)
    monkeypatch.setattr(UnitImport, "_write", write_then_fix)
    try:
        alice.import_units("menu", "en", units(" lagi")[::-1])  # unit 1 (high ids) first
        thread.join(60)
        assert outcome["bob"] == "fixed"
        assert [v.current for v in alice.variants("id", "menu")] == ["Baris nol.", "Baris satu."]
    finally:
        first.close()
        second.close()
