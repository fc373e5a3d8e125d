"""A PostgreSQL server that goes away, for real: ``pg_ctl stop -m fast`` on a server of
this module's own (the session's server is shared by every other test).

Stopped in the middle of an import, the command says in one line that the server closed
the connection and nothing was stored, and exits 2; the server back, the import is not
there. A connection that only reads reconnects on its own; so does a write that had not
begun (its BEGIN found the connection closed).
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator

import pytest
from robust import failed_in_one_line, run, start
from test_kill import _write_tmx

from conftest import FIXTURES, SKIP_POSTGRES
from corpora.db import Database
from corpora.dbfaults import GoneError
from corpora.model import Document, Segment
from tm.fuzzy import open_index
from tm.store import TMStore

pytestmark = pytest.mark.postgres
BAD = FIXTURES / "bad"


@pytest.fixture(scope="module")
def server() -> Iterator[object]:
    if SKIP_POSTGRES:
        pytest.skip("PADAN_SKIP_POSTGRES is set")
    from pg_server import PostgresServer

    own = PostgresServer().start()
    yield own
    own.stop()


def _writing(server: object) -> bool:
    """A padan session of the server is inside a transaction that has written."""
    row = server.admin().execute(  # type: ignore[attr-defined]
        "SELECT COUNT(*) FROM pg_stat_activity "
        "WHERE application_name = 'padan' AND backend_xid IS NOT NULL"
    )
    return bool(row.fetchone()[0])


def test_server_stopped_during_an_import(server, tmp_path):
    url = server.create_database()
    assert run(url, "import", str(BAD / "good.tmx")).returncode == 0
    big = tmp_path / "big.tmx"
    _write_tmx(big, 100_000)
    proc = start(url, "import", str(big))
    deadline = time.monotonic() + 300
    while not _writing(server):
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, "the import never began to write"
        time.sleep(0.05)
    server.halt("fast")
    try:
        out, err = proc.communicate(timeout=120)
    finally:
        server.resume()
    done = type("Done", (), {"returncode": proc.returncode, "stdout": out, "stderr": err})
    failed_in_one_line(
        done,  # type: ignore[arg-type]
        f"importing {big}",
        "the server closed the connection",
        "nothing of it was stored",
        "run the command again",
    )
    with Database(url) as db:
        assert {d.name for d in TMStore(db).documents()} == {"good.tmx"}


def test_a_commit_refused_is_said_of_the_files(server, tmp_path):
    # The server refuses the COMMIT itself (its disk filled as it flushed the log: a
    # deferred trigger raises disk_full there), after every row was written: the one
    # line still names the files, as a failure while storing them does.
    url = server.create_database()
    assert run(url, "import", str(BAD / "good.tmx")).returncode == 0
    with Database(url) as db, db.transaction():
        db.execute(
            "CREATE FUNCTION full_at_commit() RETURNS trigger LANGUAGE plpgsql AS "
            "$$BEGIN RAISE EXCEPTION 'could not write to file' USING ERRCODE = '53100'; END$$"
        )
        db.execute(
            "CREATE CONSTRAINT TRIGGER full_at_commit AFTER INSERT ON documents "
            "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION full_at_commit()"
        )
    po = FIXTURES / "po" / "bash-5.2_id.po"
    failed_in_one_line(
        run(url, "import", str(po)),
        f"importing {po}",
        "the server's disk is full",
        "nothing of it was stored",
    )
    with Database(url) as db:
        assert {d.name for d in TMStore(db).documents()} == {"good.tmx"}


def test_psycopgs_own_warnings_stay_off_stderr():
    # Halted during a COPY, psycopg logs the error it ignores as it ends the COPY: with no
    # handler, Python printed that line beside Padan's one (a race: the halt must fall in
    # the COPY). The message is what psycopg logs, sent the way it sends it.
    code = (
        "import logging, corpora.dbconn; logging.getLogger('psycopg')"
        ".warning('error ignored terminating %r: %s', 'copy', 'the connection is lost')"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0 and done.stderr == "", done.stderr


def test_reads_and_unbegun_writes_reconnect(server):
    url = server.create_database()
    db = Database(url)
    store = TMStore(db)
    store.save(Document("doc", "id", (Segment("satu", 0, 0),)))
    server.halt("fast")
    server.resume()
    assert [d.name for d in store.documents()] == ["doc"]  # a read: reconnected
    server.halt("fast")
    server.resume()
    (variant,) = store.variants("id", "doc")
    server.halt("fast")
    server.resume()
    store.edit(variant.id, "dua")  # its BEGIN found the connection closed: reconnected
    assert store.variant(variant.id).current == "dua"
    server.halt("fast")
    try:
        with pytest.raises(GoneError, match="the server closed the connection"):
            store.documents()  # down for good: said in one line
    finally:
        server.resume()
    db.close()


def test_an_open_index_searches_again_after_a_restart(server):
    """The panel's index asks whether the workspace changed along with its first read of
    a look-up (one round trip): that read reconnects as any other read does."""
    url = server.create_database()
    db = Database(url)
    store = TMStore(db)
    store.save(Document("doc", "id", (Segment("Berkas itu tidak dapat dibuka", 0, 0),)))
    index = open_index(db, "id")
    [found] = index.search("Berkas ini tidak dapat dibuka")
    server.halt("fast")
    server.resume()
    index._source.postings.clear()  # read again, and the look with them
    index._view_text.clear()
    assert index.search("Berkas ini tidak dapat dibuka") == [found]
    db.close()


def test_commands_when_the_server_is_down(server):
    url = server.create_database()
    assert run(url, "import", str(BAD / "good.tmx")).returncode == 0
    server.halt("fast")
    try:
        for args in (["stats"], ["undo"], ["import", str(BAD / "good.po")]):
            failed_in_one_line(run(url, *args), "cannot connect", "the server runs")
    finally:
        server.resume()
