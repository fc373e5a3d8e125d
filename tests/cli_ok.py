"""The tests' way to run a command that must succeed: ``padan --db DB ARGS`` in click's
runner, its output returned, its failure shown with the output that explains it."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from padan.cli import main


def padan_ok(db: str | Path, *args: str) -> str:
    result = CliRunner().invoke(main, ["--db", str(db), *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output
