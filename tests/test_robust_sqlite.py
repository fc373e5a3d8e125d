"""A SQLite workspace that is busy, full, read-only, foreign or damaged, for real.

Each case runs the real command line in a subprocess: a second process holds the write
lock, a small tmpfs is filled to the last byte, a tmpfs is remounted read-only, the user
``nobody`` meets a file and a folder it may not write (root ignores modes), a SQLite file
belongs to another program. Every refused command says why in one line and exits 2, with
no traceback, and leaves the workspace and its folder as they were.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from robust import (
    NOBODY,
    dump,
    failed_in_one_line,
    files,
    fill,
    hold_write_lock,
    read_only_mount,
    run,
    shared_folder,
    small_disk,
    start,
)
from test_kill import _write_tmx

from conftest import FIXTURES
from corpora.db import Database
from tm.store import TMStore

BAD = FIXTURES / "bad"
READS = [
    ["search", "open source", "--lang", "en"],
    ["concordance", "model"],
    ["stats"],
    ["terms", "list"],
    ["export", "{out}/all.tmx"],
    ["export", "{out}/pair.po", "--from", "en", "--to", "id"],
    ["terms", "export", "{out}/glossary.tbx"],
]
WRITES = [
    ["undo"],
    ["import", str(BAD / "good.po")],
    ["terms", "add", "bobot terbuka", "--lang", "id"],
    ["fix"],
]


@pytest.fixture(scope="module")
def base() -> Iterator[Path]:
    """A workspace with a memory, a document, a term base and one edit to undo."""
    folder = shared_folder()
    db = folder / "padan.db"
    for args in (
        ["import", str(BAD / "good.tmx"), str(BAD / "good.txt")],
        ["terms", "import", str(BAD / "good.tbx")],
    ):
        done = run(db, *args)
        assert done.returncode == 0, done.stderr
    with Database(db) as database:
        store = TMStore(database)
        first = store.variants("id", "good.tmx")[0]
        store.edit(first.id, "Upaya itu sia -sia.")  # an edit to undo, a finding to fix
    assert files(folder) == ["padan.db"]
    yield db
    shutil.rmtree(folder)


def _copy(base: Path, folder: Path) -> Path:
    db = folder / "padan.db"
    shutil.copyfile(base, db)
    return db


def _args(args: list[str], out: Path) -> list[str]:
    return [a.replace("{out}", str(out)) for a in args]


# -- busy --------------------------------------------------------------------------------


def test_readers_never_wait_for_a_writer(base, tmp_path):
    db = _copy(base, tmp_path)
    with hold_write_lock(db):
        for args in READS:
            done = run(db, *_args(args, tmp_path), timeout=120)  # the default wait is 600 s
            assert done.returncode == 0, (args, done.stderr)
            assert "waiting" not in done.stderr


def test_a_writer_gives_up_after_wait_in_one_line(base, tmp_path):
    db = _copy(base, tmp_path)
    before = dump(db)
    with hold_write_lock(db):
        for args in WRITES:
            done = run(db, "--wait", "0.5", *args)
            line = failed_in_one_line(done, str(db), "busy", "--wait")
            assert done.stderr.splitlines() == [
                f"padan: waiting for another padan command on {db}…",
                line,
            ]
    assert dump(db) == before


def test_a_writer_says_it_waits_then_goes_on(base, tmp_path):
    db = _copy(base, tmp_path)
    with hold_write_lock(db):
        undo = start(db, "undo")
        other = start(db, "import", str(BAD / "good.po"))
        for proc in (undo, other):  # both are waiting now, and said so
            assert proc.stderr is not None
            assert proc.stderr.readline() == f"padan: waiting for another padan command on {db}…\n"
    out, err = undo.communicate(timeout=120)
    assert undo.returncode == 0 and out == "undid 1 change\n" and err == "", err
    out, err = other.communicate(timeout=120)
    assert other.returncode == 0 and "good.po: en→id, 3 units added" in out, err


def test_reading_opens_no_transaction_and_migrates_nothing(base, tmp_path):
    """A reader on an up-to-date workspace writes nothing, even its -wal and -shm go."""
    db = _copy(base, tmp_path)
    mtime = db.stat().st_mtime_ns
    for args in READS:
        assert run(db, *_args(args, tmp_path)).returncode == 0
    assert db.stat().st_mtime_ns == mtime
    assert not any(n.startswith("padan.db-") for n in files(tmp_path))


# -- foreign and damaged databases -------------------------------------------------------


def _foreign(path: Path, *statements: str) -> Path:
    con = sqlite3.connect(path)
    for statement in statements:
        con.execute(statement)
    con.commit()
    con.close()
    return path


@pytest.mark.parametrize(
    "statements, words",
    [
        (["CREATE TABLE invoices (id INTEGER, total REAL)"], ["tables invoices"]),
        (["CREATE TABLE documents (id INTEGER, body BLOB)"], ["tables documents"]),
        (["PRAGMA application_id = 1234", "CREATE TABLE t (x)"], ["application_id 0x4d2"]),
        (
            ["CREATE TABLE schema_version (name TEXT, applied TEXT)"],
            ["tables schema_version"],
        ),
    ],
    ids=["unrelated", "clashing", "other-application", "other-schema-version"],
)
def test_a_foreign_database_is_refused_unchanged(tmp_path, statements, words):
    path = _foreign(tmp_path / "other.sqlite", *statements)
    before = path.read_bytes()
    for args in (["import", str(BAD / "good.tmx")], ["stats"], ["terms", "list"]):
        failed_in_one_line(run(path, *args), str(path), "not a Padan workspace", *words)
    assert path.read_bytes() == before
    assert files(tmp_path) == ["other.sqlite"]


def test_a_file_that_is_not_sqlite(tmp_path):
    path = tmp_path / "notes.db"
    path.write_text("a note, not a database\n" * 200)
    failed_in_one_line(run(path, "stats"), str(path), "not a Padan workspace")
    failed_in_one_line(run(path, "undo"), str(path), "not a Padan workspace")
    assert files(tmp_path) == ["notes.db"]


def test_an_empty_file_is_refused_and_an_empty_database_adopted(tmp_path):
    empty = tmp_path / "empty.db"
    empty.touch()
    failed_in_one_line(run(empty, "import", str(BAD / "good.tmx")), "0 bytes", "remove it")
    assert empty.stat().st_size == 0
    adopted = _foreign(tmp_path / "new.sqlite", "PRAGMA user_version = 0")
    assert run(adopted, "import", str(BAD / "good.tmx")).returncode == 0
    con = sqlite3.connect(adopted)
    assert con.execute("PRAGMA application_id").fetchone()[0] == 0x50414441
    con.close()


def test_a_new_workspace_has_pages_of_16_kib(tmp_path):
    """Fewer, larger pages: a big import's WAL writes and checkpoint in a third of the
    system calls (corpora/sqlitefile.py PAGE_SIZE)."""
    db = tmp_path / "new.db"
    assert run(db, "import", str(BAD / "good.tmx")).returncode == 0
    con = sqlite3.connect(db)
    assert con.execute("PRAGMA page_size").fetchone()[0] == 16_384
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    con.close()


def test_a_workspace_made_before_the_mark_is_still_padan(base, tmp_path):
    db = _copy(base, tmp_path)
    _foreign(db, "PRAGMA application_id = 0")
    assert run(db, "stats").returncode == 0  # read: left as it is
    assert run(db, "undo").returncode == 0  # written: marked
    con = sqlite3.connect(db)
    assert con.execute("PRAGMA application_id").fetchone()[0] == 0x50414441
    con.close()


@pytest.mark.parametrize(
    "statement, words",
    [
        ("DROP TABLE revisions", ["damaged workspace", "table revisions of tm is missing"]),
        ("DROP TABLE concepts", ["damaged workspace", "table concepts of termbase is missing"]),
        ("DELETE FROM schema_version WHERE component = 'tm'", ["damaged", "version 0"]),
        ("UPDATE schema_version SET version = 0", ["damaged", "version 0"]),
        ("UPDATE schema_version SET version = 99 WHERE component = 'tm'", ["newer", "upgrade"]),
    ],
    ids=["dropped-table", "dropped-term-table", "deleted-version", "reset-version", "newer"],
)
def test_a_damaged_workspace_is_named_not_a_traceback(base, tmp_path, statement, words):
    db = _copy(base, tmp_path)
    _foreign(db, statement)
    before = dump(db)
    for args in (["stats"], ["undo"], ["import", str(BAD / "good.po")]):
        failed_in_one_line(run(db, *args), str(db), *words)
    assert dump(db) == before


# -- full disk ---------------------------------------------------------------------------


@pytest.fixture
def full_workspace(base) -> Iterator[Path]:
    with small_disk(2048) as folder:
        db = _copy(base, folder)
        fill(folder)
        yield db


def test_writes_on_a_full_disk_change_nothing(full_workspace):
    db, folder = full_workspace, full_workspace.parent
    before, listing = dump(db), files(folder)
    for args in WRITES:
        failed_in_one_line(run(db, *args), str(db), "disk is full", "free some space")
        assert files(folder) == listing, args
    (folder / "filler").unlink()
    assert dump(db) == before
    assert run(db, "undo").stdout == "undid 1 change\n"  # and it works with room again


def test_an_import_that_runs_out_of_room_stores_nothing(base, tmp_path):
    """Room for the workspace to open, not for the file: SQLite fails halfway through
    the transaction (where it used to leave "cannot rollback" behind a traceback)."""
    big = tmp_path / "big.tmx"
    _write_tmx(big, 20_000)
    with small_disk(4096) as folder:
        db = _copy(base, folder)
        filler = fill(folder)
        with filler.open("r+b") as f:
            f.truncate(filler.stat().st_size - 400_000)  # 400 KB left
        before, listing = dump(db), files(folder)
        line = failed_in_one_line(run(db, "import", str(BAD / "good.po"), str(big)))
        assert f"{db}: importing {big}: the disk is full" in line, line
        # The write-ahead log may be left behind for want of room; nothing else is.
        assert set(files(folder)) - set(listing) <= {"padan.db-wal", "padan.db-shm"}
        filler.unlink()
        after = dump(db)
        # With room again, the next command copies the log into the database.
        assert run(db, "import", str(BAD / "good.po")).returncode == 0
        assert files(folder) == [n for n in listing if n != filler.name]
    # All files or none: the small one, stored before the big one, went back with it.
    assert [r for r in after if r not in before] == []


def test_reads_on_a_full_disk_still_work(full_workspace, tmp_path):
    db, folder = full_workspace, full_workspace.parent
    listing = files(folder)
    for args in READS:
        done = run(db, *_args(args, tmp_path))
        assert done.returncode == 0, (args, done.stderr)
    assert files(folder) == listing


EXPORTS = [
    ["export", "{out}/a.tmx"],
    ["export", "{out}/a.po", "--from", "en", "--to", "id"],
    ["export", "{out}/a.mo", "--from", "en", "--to", "id"],
    ["export", "{out}/a.po", "--document", "good"],
    ["export", "{out}/a.txt", "--document", "good"],
    ["terms", "export", "{out}/g.tbx"],
    ["terms", "export", "{out}/g.csv", "--to", "id"],
    ["terms", "export", "{out}/g.tsv", "--to", "id"],
    ["terms", "export", "{out}/g.po", "--to", "id"],
    ["fix", str(BAD / "good.txt"), "-o", "{out}/fixed.txt"],
]


def test_every_export_to_a_full_disk_leaves_nothing(base, tmp_path):
    db = _copy(base, tmp_path)
    with small_disk(64) as out:
        fill(out)
        for args in EXPORTS:
            failed_in_one_line(run(db, *_args(args, out)), str(out), "disk is full")
            assert files(out) == ["filler"], args


def test_a_new_workspace_on_a_full_disk_leaves_no_file(tmp_path):
    with small_disk(64) as folder:
        fill(folder)
        db = folder / "new.db"
        failed_in_one_line(run(db, "import", str(BAD / "good.tmx")), str(db), "disk is full")
        failed_in_one_line(run(db, "stats"), str(db), "disk is full")
        assert files(folder) == ["filler"]


# -- read-only ---------------------------------------------------------------------------


def _refused_as_read_only(db: Path, user: int | None = None) -> None:
    before = dump(db)
    for args in WRITES:
        failed_in_one_line(run(db, *args, user=user), str(db), "read-only", "nothing was changed")
    assert dump(db) == before


def test_a_read_only_mount(base, tmp_path):
    with small_disk(2048) as folder:
        db = _copy(base, folder)
        read_only_mount(folder)
        for args in READS:
            done = run(db, *_args(args, tmp_path))
            assert done.returncode == 0, (args, done.stderr)
        _refused_as_read_only(db)
        line = failed_in_one_line(run(db, "export", str(folder / "x.tmx")), "x.tmx")
        assert "read-only" in line
        assert files(folder) == ["padan.db"]


@pytest.mark.parametrize("folder_mode", [0o755, 0o777], ids=["folder-read-only", "file-only"])
def test_read_only_for_a_user_without_root(base, folder_mode):
    """As nobody: a file it may not write, in a folder it may or may not write."""
    folder, out = shared_folder(), shared_folder()
    try:
        db = _copy(base, folder)
        db.chmod(0o644)
        folder.chmod(folder_mode)
        out.chmod(0o777)
        for args in READS:
            done = run(db, *_args(args, out), user=NOBODY)
            assert done.returncode == 0, (args, done.stderr)
        _refused_as_read_only(db, NOBODY)
        assert files(folder) == ["padan.db"]  # no -wal, no -shm left by anyone
        # Exporting into a folder nobody may write:
        done = run(db, "export", str(folder / "x.tmx"), user=NOBODY)
        if folder_mode == 0o755:
            failed_in_one_line(done, "x.tmx", "permission denied")
            assert files(folder) == ["padan.db"]
    finally:
        shutil.rmtree(folder)
        shutil.rmtree(out)


# -- leftovers of killed exports ---------------------------------------------------------


def _dead_pid() -> int:
    proc = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True
    )
    return int(proc.stdout)


def test_leftovers_of_a_killed_export_are_cleaned_by_the_next(base, tmp_path):
    import fcntl

    db = _copy(base, tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    dead = out / f".all.tmx.padan-{_dead_pid()}-x1y2z3.tmp"
    dead.write_bytes(b"<tmx half written")
    mine = out / f".all.tmx.padan-{os.getpid()}-a1b2c3.tmp"  # its writer still lives
    mine.write_bytes(b"")
    # Its pid is gone but its lock is held (a writer in another pid namespace):
    held = out / f".all.tmx.padan-{_dead_pid()}-h1h2h3.tmp"
    held.write_bytes(b"")
    other = out / ".all.tmx.k3j4h5.tmp"  # not recognisably ours
    other.write_bytes(b"")
    with held.open("rb") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        done = run(db, "export", str(out / "all.tmx"))
    assert done.returncode == 0, done.stderr
    assert files(out) == sorted(["all.tmx", mine.name, held.name, other.name])


# -- memory ------------------------------------------------------------------------------

LONG_LIMIT_MB = 400  # `padan stats` on a small workspace is about 150 MB


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_stats_on_a_very_long_segment_in_bounded_memory(tmp_path, lang):
    """One 80,000-character segment, edited: TER's table would be 3 GB (quadratic)."""
    from test_bad_input import padan_measured

    words = ["sumber", "terbuka", "model", "bobot", "pengembang", "lisensi", "data"]
    if lang == "zh":
        words = ["开源", "模型", "权重", "开发者", "许可", "数据", "的"]
    text = " ".join(words[(i * 7 + i // 3) % len(words)] for i in range(20_000))[:80_000]
    tmx = tmp_path / "long.tmx"
    tmx.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header creationtool="t" '
        'creationtoolversion="1" segtype="paragraph" o-tmf="none" adminlang="en" '
        f'srclang="{lang}" datatype="plaintext"/><body><tu tuid="1"><tuv xml:lang="{lang}">'
        f"<seg>{text}</seg></tuv></tu></body></tmx>\n",
        encoding="utf-8",
    )
    db = tmp_path / "padan.db"
    assert run(db, "import", str(tmx)).returncode == 0
    with Database(db) as database:
        store = TMStore(database)
        (variant,) = store.variants(lang, "long.tmx")
        edited = variant.current.replace(words[0], words[1])[:70_000] + " akhir"
        store.edit(variant.id, edited)
    done, peak = padan_measured(tmp_path, "stats", "--json")
    print(f"\nstats, one edited 80,000-character {lang} segment: peak RSS {peak:.0f} MB")
    assert done.returncode == 0, done.stderr
    assert peak < LONG_LIMIT_MB, f"{peak:.0f} MB"
    (row,) = json.loads(done.stdout)
    assert row["edited"] == 1 and 0 < row["ter"] < 100
