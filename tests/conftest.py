"""Shared fixtures: a fresh workspace database per test."""

from __future__ import annotations

from pathlib import Path

import pytest

from corpora.db import Database

FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture
def db(tmp_path: Path):
    database = Database(tmp_path / "padan.db")
    yield database
    database.close()
