"""A large import leaves a PostgreSQL workspace vacuumed and analyzed (corpora.dbconn
Connection.settle): tables just filled by COPY have no statistics and no visibility map,
and the memory panel's look-ups after a 1M-unit import took 40-90 ms instead of 4-6 ms."""

from pathlib import Path

import psycopg
from click.testing import CliRunner

from padan.cli import main
from padan.importing import SETTLE_UNITS


def _catalogue(path: Path, count: int) -> None:
    entries = "".join(
        f'msgid "Message number {i} of the catalogue"\nmsgstr "Pesan nomor {i} katalog"\n\n'
        for i in range(count)
    )
    path.write_text(f'msgid ""\nmsgstr ""\n"Language: id\\n"\n\n{entries}', encoding="utf-8")


def _settled(url: str) -> dict[str, bool]:
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "SELECT relname, last_vacuum IS NOT NULL AND last_analyze IS NOT NULL "
            "FROM pg_stat_user_tables WHERE relname IN ('units', 'variants', 'documents')"
        ).fetchall()
    return dict(rows)


def _import(url: str, path: Path) -> None:
    result = CliRunner().invoke(main, ["--db", url, "import", str(path)], catch_exceptions=False)
    assert result.exit_code == 0, result.output


def test_a_large_import_vacuums_and_analyzes(pg_server, tmp_path):
    url = pg_server.create_database()
    small = tmp_path / "small.po"
    _catalogue(small, 10)
    _import(url, small)
    assert _settled(url) == {"units": False, "variants": False, "documents": False}
    large = tmp_path / "large.po"
    _catalogue(large, SETTLE_UNITS)
    _import(url, large)
    assert _settled(url) == {"units": True, "variants": True, "documents": True}
    pg_server.drop_database(url)
