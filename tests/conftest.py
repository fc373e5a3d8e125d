"""Shared fixtures: a fresh workspace database per test, on SQLite and on PostgreSQL.

Tests that take ``db`` (a :class:`Database`) or ``db_location`` (what ``--db`` takes: a
file path or a ``postgresql://`` URL) run twice, once per backend. The PostgreSQL server
is started once per session from the installed binaries (``tests/pg_server.py``) and every
test gets a new database on it, dropped afterwards.

If PostgreSQL cannot be started the postgres tests fail: CI must not pass without them.
``PADAN_SKIP_POSTGRES=1`` skips them instead, and the summary says so loudly.

The terminal UI's tests take ``demo_db``: a copy of one SQLite workspace with the bundled
corpus imported, built once per session.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from corpora.db import Database

FIXTURES = Path(__file__).resolve().parent / "fixtures"

SKIP_POSTGRES = os.environ.get("PADAN_SKIP_POSTGRES", "") not in ("", "0")

BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgres", id="postgres", marks=pytest.mark.postgres),
]


@pytest.fixture(scope="session")
def pg_server():
    """The session's PostgreSQL server (started on first use)."""
    if SKIP_POSTGRES:
        pytest.skip("PADAN_SKIP_POSTGRES is set")
    from pg_server import PostgresServer, ServerError

    try:
        server = PostgresServer().start()
    except (ServerError, OSError) as exc:
        problem = str(exc)
    else:
        problem = ""
    if problem:
        pytest.fail(
            f"cannot start PostgreSQL for the postgres tests: {problem}\n"
            "(PADAN_SKIP_POSTGRES=1 skips them)",
            pytrace=False,
        )
    yield server
    server.stop()


def _locations(backend: str, request: pytest.FixtureRequest, folder: Callable[[], Path]):
    """A factory of new, empty workspace locations on ``backend``, and its cleanup."""
    made: list[str] = []
    server = request.getfixturevalue("pg_server") if backend == "postgres" else None

    def new(name: str = "padan.db") -> str:
        location = server.create_database() if server else str(folder() / name)
        made.append(location)
        return location

    def cleanup() -> None:
        for location in made if server else ():
            server.drop_database(location)

    return new, cleanup


@pytest.fixture(scope="session")
def demo_built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from padan.workspace import Workspace

    path = tmp_path_factory.mktemp("demo") / "padan.db"
    ws = Workspace(str(path))
    ws.demo()
    ws.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # all of it in the one file copied
    ws.close()
    return path


@pytest.fixture
def demo_db(demo_built: Path, tmp_path: Path) -> str:
    target = tmp_path / "padan.db"  # the TUI's header shows the file's name: the same everywhere
    shutil.copy(demo_built, target)
    return str(target)


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def new_db_location(
    backend: str, request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[Callable[..., str]]:
    """Call it for another empty workspace on the test's backend: ``new_db_location("b.db")``."""
    new, cleanup = _locations(backend, request, lambda: tmp_path)
    yield new
    cleanup()


@pytest.fixture
def db_location(new_db_location: Callable[..., str]) -> str:
    """An empty workspace for ``--db`` / ``Workspace(...)``: a file path or a URL."""
    return new_db_location()


@pytest.fixture(scope="module", params=BACKENDS)
def module_db_location(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """Like ``db_location``, shared by the tests of a module (an expensive set-up)."""
    new, cleanup = _locations(request.param, request, lambda: tmp_path_factory.mktemp("ws"))
    yield new()
    cleanup()


@pytest.fixture
def db(db_location: str) -> Iterator[Database]:
    database = Database(db_location)
    yield database
    database.close()


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:  # type: ignore[no-untyped-def]
    skipped = [r for r in terminalreporter.stats.get("skipped", []) if "postgres" in r.keywords]
    if SKIP_POSTGRES or skipped:
        terminalreporter.write_sep(
            "!",
            f"PADAN_SKIP_POSTGRES: {len(skipped)} PostgreSQL tests were SKIPPED, "
            "the PostgreSQL backend is untested",
            red=True,
            bold=True,
        )
