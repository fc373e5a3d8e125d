"""A new document's units stored while its file is still read (padan/readahead.py) must stay
all or nothing: a bad entry deep in the file, after batches of it were written, or a bad
file after one stored as read, leaves the workspace as it was, with the reader's own
one-line error; a store that fails while the reader runs stops it. Both backends, the same
outcome."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from cli_ok import padan_ok
from pg_server import ROLE

from conftest import FIXTURES
from padan.importing import import_files
from padan.workspace import Workspace
from tm import store_batch

HEADER = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Language: id\\n"\n'
UNITS = 3 * store_batch.BATCH // 2  # more than one batch is written before the bad entry
FIXTURES_PO = FIXTURES / "po" / "bash-5.2_id.po"
PADAN = [sys.executable, "-c", "import sys; from padan.cli import main; sys.exit(main())"]


def _po(path: Path, units: int, broken: bool = False) -> Path:
    entries = [f'msgid "source {i}"\nmsgstr "sasaran {i}"\n' for i in range(units)]
    if broken:
        entries.append('msgid "unterminated\nmsgstr "x"\n')
    path.write_text("\n".join([HEADER, *entries]), encoding="utf-8")
    return path


def _dump(location: str) -> list[object]:
    ws = Workspace(location)
    try:
        return [
            ws.db.query(f"SELECT * FROM {table} ORDER BY 1")
            for table in ("documents", "units", "variants", "revisions", "fuzzy_log")
        ]
    finally:
        ws.close()


@pytest.fixture
def stored_before(db_location: str, tmp_path: Path) -> list[object]:
    padan_ok(db_location, "import", str(_po(tmp_path / "small.po", 3)))
    return _dump(db_location)


def _import_error(location: str, path: Path) -> str:
    """The error an import of ``path`` into ``location`` raises (it must raise)."""
    ws = Workspace(location)
    try:
        with pytest.raises(Exception) as raised:
            list(import_files(ws, [str(path)], report=lambda *a: None))
    finally:
        ws.close()
    return str(raised.value)


def _padan(location: str, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*PADAN, "--db", location, *args],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=cwd,
    )


def test_a_bad_entry_after_batches_were_written_stores_nothing(
    db_location: str, tmp_path: Path, stored_before: list[object], monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = _po(tmp_path / "big.po", UNITS, broken=True)
    sent = []
    send = store_batch.UnitImport._send
    monkeypatch.setattr(
        store_batch.UnitImport,
        "_send",
        lambda self, units, *rest: (sent.append(len(units)), send(self, units, *rest)),
    )
    error = _import_error(db_location, bad)
    assert error.startswith(f"{bad}:{3 * UNITS + 6}:")  # the reader's own place
    assert "end-of-line within string" in error
    assert sum(sent) >= store_batch.BATCH  # stored as read: batches of it had been written
    assert _dump(db_location) == stored_before


def test_a_bad_file_after_one_stored_as_read_stores_neither(
    db_location: str, tmp_path: Path, stored_before: list[object]
) -> None:
    good = _po(tmp_path / "good.po", UNITS)
    bad = _po(tmp_path / "bad.po", 2, broken=True)
    result = _padan(db_location, tmp_path, "import", good.name, bad.name)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.startswith("padan: error: bad.po:12:")
    assert len(result.stderr.strip().splitlines()) == 1
    assert _dump(db_location) == stored_before


def test_a_store_that_fails_while_reading_stops_the_reader(
    db_location: str, tmp_path: Path, stored_before: list[object]
) -> None:
    """Another writer holds the document: the store gives up after --wait while the
    reader has filled its queue; the command still ends, with one line, nothing stored."""
    big = _po(tmp_path / "big.po", UNITS)
    ws = Workspace(db_location)
    try:
        with ws.db.transaction():
            ws.db.serialize("document:big.po")  # what an import of it takes (PostgreSQL)
            result = _padan(db_location, tmp_path, "--wait", "1", "import", big.name)
    finally:
        ws.close()
    assert result.returncode != 0
    assert result.stdout == ""
    said = result.stderr.strip().splitlines()  # (SQLite says first that it waits)
    assert said[-1].startswith("padan: error: "), result.stderr
    assert "busy" in said[-1] or "lock" in said[-1], result.stderr
    assert len([line for line in said if line.startswith("padan: error")]) == 1
    assert "Traceback" not in result.stderr
    assert _dump(db_location) == stored_before
    padan_ok(db_location, "import", str(big))  # and once the other is done, it imports
    assert len(_dump(db_location)[1]) == 3 + UNITS


# -- a new document's rows written without per-row triggers (PostgreSQL) -------------------


def test_rows_written_without_triggers_are_checked_at_once(pg_server) -> None:
    """tm/store_batch.py ``unchecked``: units of a document that is not there are still
    refused (by ``hold_document``), and nothing of the transaction stays."""
    from corpora.errors import CorpusError

    ws = Workspace(pg_server.create_database())
    try:
        db = ws.db
        padan_ok(db.location, "import", str(FIXTURES_PO))
        before = _dump(db.location)
        gone = 1 + int(db.scalar("SELECT MAX(id) FROM documents"))
        with pytest.raises((db.IntegrityError, CorpusError)), db.transaction():
            with store_batch.unchecked(db) as vouched:
                assert vouched  # the tests' role is the server's superuser
                db.insert(  # no such document: row by row, refused here
                    "INSERT INTO units (document_id, position, identity) VALUES (?, 0, 'u')",
                    (gone,),
                )
            store_batch.hold_document(db, gone)
        assert db.scalar("SHOW session_replication_role") == "origin"
        assert _dump(db.location) == before
    finally:
        ws.close()


def test_a_role_that_may_not_skip_triggers_imports_the_same(pg_server, tmp_path: Path) -> None:
    """Neither superuser nor granted SET on session_replication_role: rows are checked
    one by one, and the workspace is the one the superuser's import makes."""
    admin = pg_server.admin()
    admin.execute("DROP ROLE IF EXISTS padan_plain")
    admin.execute("CREATE ROLE padan_plain LOGIN")
    name = "plain_" + tmp_path.name[-8:].replace("-", "_").lower()
    admin.execute(f'CREATE DATABASE "{name}" OWNER padan_plain')
    plain = pg_server.url(name).replace(f"//{ROLE}@", "//padan_plain@")
    superuser = pg_server.create_database()
    try:
        po = _po(tmp_path / "units.po", store_batch.BATCH + 10)
        for location in (plain, superuser):
            padan_ok(location, "import", str(po))
        ws = Workspace(plain)
        try:
            assert not store_batch._may_skip_triggers(ws.db)
        finally:
            ws.close()
        assert _dump(plain) == _dump(superuser)
    finally:
        pg_server.drop_database(name)
        pg_server.drop_database(superuser)
        admin.execute("DROP ROLE IF EXISTS padan_plain")


def test_a_reader_killed_midway_stores_nothing(
    pg_server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The child reading the file dies (the OOM killer): one line of the file, no hang,
    nothing stored (PostgreSQL: there a new document is stored as read)."""
    import os
    import signal

    from padan import importing

    location = pg_server.create_database()
    padan_ok(location, "import", str(_po(tmp_path / "small.po", 3)))
    before = _dump(location)
    big = _po(tmp_path / "big.po", UNITS)
    write = importing._Reading.write

    def dies(self, hand):  # type: ignore[no-untyped-def]
        def then(at: int, size: int) -> None:
            hand(at, size)
            if at > 0:  # a batch is told of: the store has begun
                os.kill(os.getpid(), signal.SIGKILL)

        return write(self, then)

    monkeypatch.setattr(importing._Reading, "written", dies)
    assert _import_error(location, big).startswith(f"{big}: the process reading it stopped")
    assert _dump(location) == before
    pg_server.drop_database(location)
