import sqlite3

import pytest

from corpora.db import Database
from corpora.errors import CorpusError


def test_migrations_run_once_and_in_order(tmp_path):
    steps = ["CREATE TABLE a (id {pk}, x TEXT)", "ALTER TABLE a ADD COLUMN y TEXT"]
    with Database(tmp_path / "w.db") as db:
        db.migrate("thing", steps[:1])
        db.migrate("thing", steps)
        db.migrate("thing", steps)  # nothing left to do
        assert db.scalar("SELECT version FROM schema_version WHERE component='thing'") == 2
        db.execute("INSERT INTO a (x, y) VALUES (?, ?)", ("1", "2"))


def test_newer_schema_is_refused(tmp_path):
    with Database(tmp_path / "w.db") as db:
        db.migrate("thing", ["CREATE TABLE a (id {pk})", "CREATE TABLE b (id {pk})"])
    with Database(tmp_path / "w.db") as db, pytest.raises(CorpusError, match="newer"):
        db.migrate("thing", ["CREATE TABLE a (id {pk})"])


def test_transaction_rolls_back_on_error(db):
    db.migrate("t", ["CREATE TABLE a (id {pk}, x TEXT NOT NULL)"])
    with pytest.raises(sqlite3.IntegrityError), db.transaction():
        db.execute("INSERT INTO a (x) VALUES (?)", ("kept?",))
        with db.transaction():  # nested joins the outer one
            db.execute("INSERT INTO a (x) VALUES (?)", (None,))
    assert db.scalar("SELECT COUNT(*) FROM a") == 0


def test_a_file_that_is_not_a_database(tmp_path):
    path = tmp_path / "notes.db"
    path.write_text("hello, this is not SQLite\n" * 100)
    with pytest.raises(CorpusError, match="not a Padan workspace") as info:
        Database(path)
    assert str(path) in str(info.value)


def test_missing_folder(tmp_path):
    with pytest.raises(CorpusError, match="does not exist"):
        Database(tmp_path / "nowhere" / "w.db")
