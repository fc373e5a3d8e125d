"""The workspace database behaves the same on SQLite and PostgreSQL."""

import threading

import pytest

from corpora.db import Database
from corpora.dbconn import redact
from corpora.errors import CorpusError


def test_migrations_run_once_and_in_order(db_location):
    steps = ["CREATE TABLE a (id {pk}, x TEXT)", "ALTER TABLE a ADD COLUMN y TEXT"]
    with Database(db_location) as db:
        db.migrate("thing", steps[:1])
        db.migrate("thing", steps)
        db.migrate("thing", steps)  # nothing left to do
        assert db.scalar("SELECT version FROM schema_version WHERE component='thing'") == 2
        db.execute("INSERT INTO a (x, y) VALUES (?, ?)", ("1", "2"))
    with Database(db_location) as db:  # reopened: nothing to do either
        db.migrate("thing", steps)
        assert db.query("SELECT x, y FROM a") == [("1", "2")]


def test_newer_schema_is_refused(db_location):
    with Database(db_location) as db:
        db.migrate("thing", ["CREATE TABLE a (id {pk})", "CREATE TABLE b (id {pk})"])
    with Database(db_location) as db, pytest.raises(CorpusError, match="newer"):
        db.migrate("thing", ["CREATE TABLE a (id {pk})"])


def test_transaction_rolls_back_on_error(db):
    db.migrate("t", ["CREATE TABLE a (id {pk}, x TEXT NOT NULL)"])
    with pytest.raises(db.IntegrityError), db.transaction():
        db.execute("INSERT INTO a (x) VALUES (?)", ("kept?",))
        with db.transaction():  # nested joins the outer one
            db.execute("INSERT INTO a (x) VALUES (?)", (None,))
    assert db.scalar("SELECT COUNT(*) FROM a") == 0
    db.execute("INSERT INTO a (x) VALUES (?)", ("usable again",))
    assert db.scalar("SELECT COUNT(*) FROM a") == 1


def test_column_types_behave_as_in_sqlite(db):
    db.migrate(
        "t",
        [
            "CREATE TABLE a (id {pk}, name TEXT NOT NULL, score REAL NOT NULL, "
            "big INTEGER NOT NULL, flag INTEGER NOT NULL DEFAULT 0, meta TEXT DEFAULT '{}')"
        ],
    )
    names = ["b", "B", "a", "Ä", "ä", "_x", "A", "开源", "Zeta", "alpha", "z-a", "za"]
    for name in names:
        db.insert(
            "INSERT INTO a (name, score, big) VALUES (?, ?, ?)", (name, 0.1234567890123, 2**40)
        )
    # ORDER BY compares code points, as SQLite's BINARY collation does, whatever the locale.
    assert [r[0] for r in db.query("SELECT name FROM a ORDER BY name")] == sorted(names)
    # REAL is a double and INTEGER 64-bit on both.
    assert db.query("SELECT DISTINCT score, big FROM a") == [(0.1234567890123, 2**40)]
    # LOWER() folds ASCII only, on both.
    assert db.scalar("SELECT LOWER(name) FROM a WHERE name = ?", ("Ä",)) == "Ä"
    assert db.scalar("SELECT COUNT(*) FROM a WHERE LOWER(name) = ?", ("a",)) == 2
    assert db.scalar("SELECT meta FROM a WHERE name = 'a'") == "{}"
    assert int(db.scalar("SELECT SUM(flag) FROM a")) == 0


def test_percent_signs_and_placeholders(db):
    db.migrate("t", ["CREATE TABLE a (id {pk}, x TEXT)"])
    db.executemany("INSERT INTO a (x) VALUES (?)", [("50%",), ("5 percent",), ("%",)])
    db.executemany("INSERT INTO a (x) VALUES (?)", [])  # nothing to do is fine
    assert db.query("SELECT x FROM a WHERE x LIKE '%\\%' ESCAPE '\\' ORDER BY x") == [
        ("%",),
        ("50%",),
    ]
    assert db.scalar("SELECT COUNT(*) FROM a WHERE x LIKE ?", ("5%",)) == 2


def test_update_counts_rows_and_insert_returns_ids(db):
    db.migrate("t", ["CREATE TABLE a (id {pk}, v INTEGER NOT NULL)"])
    first = db.insert("INSERT INTO a (v) VALUES (?)", (1,))
    second = db.insert("INSERT INTO a (v) VALUES (?)", (1,))
    assert second > first
    assert db.execute("UPDATE a SET v = v + 1 WHERE v = ?", (1,)).rowcount == 2
    assert db.execute("UPDATE a SET v = 9 WHERE id = ? AND v = ?", (first, 1)).rowcount == 0


def test_two_connections_create_a_new_workspace_once(db_location):
    """Padans starting together on an empty database must not both create the tables."""
    steps = ["CREATE TABLE a (id {pk}, x TEXT)", "CREATE INDEX a_x ON a (x)"]
    errors: list[BaseException] = []
    start = threading.Barrier(4)

    def open_and_migrate() -> None:
        try:
            start.wait()
            with Database(db_location) as db:
                db.migrate("thing", steps)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=open_and_migrate) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with Database(db_location) as db:
        assert db.scalar("SELECT version FROM schema_version WHERE component = 'thing'") == 2


def test_lock_and_serialize_need_a_transaction(db):
    db.migrate("t", ["CREATE TABLE a (id {pk})"])
    row = db.insert("INSERT INTO a DEFAULT VALUES")
    with db.transaction():
        db.lock("a", [row, row])
        db.serialize("a key")
    if db.dialect == "postgresql":
        with pytest.raises(RuntimeError):
            db.lock("a", [row])


def test_a_file_that_is_not_a_database(tmp_path):
    path = tmp_path / "notes.db"
    path.write_text("hello, this is not SQLite\n" * 100)
    with pytest.raises(CorpusError, match="not a Padan workspace") as info:
        Database(path)
    assert str(path) in str(info.value)


def test_missing_folder(tmp_path):
    with pytest.raises(CorpusError, match="does not exist"):
        Database(tmp_path / "nowhere" / "w.db")


def test_unreachable_server_is_one_error_without_the_password(tmp_path):
    url = f"postgresql://someone:s3cret@/padan?host={tmp_path}&connect_timeout=2"
    with pytest.raises(CorpusError, match="cannot connect") as info:
        Database(url)
    assert "s3cret" not in str(info.value) and "***" in str(info.value)


def test_redact():
    assert redact("postgresql://u:pw@h/db") == "postgresql://u:***@h/db"
    assert redact("postgres://u@h/db") == "postgres://u@h/db"
    assert redact("padan.db") == "padan.db"
