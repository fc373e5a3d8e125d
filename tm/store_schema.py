"""The TM store's tables and the records it hands out (see :mod:`tm.store`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from tm.errors import TMError

MIGRATIONS = [
    """
    CREATE TABLE documents (
        id {pk},
        name TEXT NOT NULL UNIQUE,
        lang TEXT NOT NULL,
        title TEXT NOT NULL DEFAULT '',
        origin TEXT NOT NULL DEFAULT '',
        notes TEXT NOT NULL DEFAULT ''
    );
    CREATE TABLE units (
        id {pk},
        document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        paragraph INTEGER NOT NULL DEFAULT 0,
        boilerplate INTEGER NOT NULL DEFAULT 0,
        identity TEXT NOT NULL,
        meta TEXT NOT NULL DEFAULT '{}',
        UNIQUE (document_id, identity)
    );
    CREATE INDEX units_by_position ON units (document_id, position);
    CREATE TABLE variants (
        id {pk},
        unit_id INTEGER NOT NULL REFERENCES units(id) ON DELETE CASCADE,
        lang TEXT NOT NULL,
        original TEXT NOT NULL,
        current TEXT NOT NULL,
        version INTEGER NOT NULL DEFAULT 1,
        meta TEXT NOT NULL DEFAULT '{}',
        UNIQUE (unit_id, lang)
    );
    CREATE INDEX variants_by_lang ON variants (lang);
    CREATE TABLE revisions (
        id {pk},
        variant_id INTEGER NOT NULL REFERENCES variants(id) ON DELETE CASCADE,
        old TEXT NOT NULL,
        new TEXT NOT NULL,
        author TEXT NOT NULL DEFAULT '',
        at TEXT NOT NULL,
        reason TEXT NOT NULL,
        batch TEXT,
        undone INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX revisions_by_variant ON revisions (variant_id)
    """,
]

REASONS = ("import", "manual edit", "accepted suggestion", "bulk fix")
ORIGIN = {"manual edit": "edited", "accepted suggestion": "fixed", "bulk fix": "fixed"}


class ConflictError(TMError):
    """The text changed under an edit: someone saved a newer version first."""


@dataclass(frozen=True)
class DocumentInfo:
    name: str
    lang: str
    title: str
    origin: str
    segments: int
    boilerplate: int


@dataclass(frozen=True)
class StoredVariant:
    """A variant as stored: its ids and version, its imported and current text."""

    id: int
    unit_id: int
    document: str
    position: int
    lang: str
    original: str
    current: str
    version: int


VARIANT_SQL = (
    "SELECT v.id, v.unit_id, d.name, u.position, v.lang, v.original, v.current, v.version "
    "FROM variants v JOIN units u ON u.id = v.unit_id JOIN documents d ON d.id = u.document_id"
)


@dataclass(frozen=True)
class Revision:
    id: int
    variant_id: int
    old: str
    new: str
    author: str
    at: str
    reason: str
    batch: str | None
    undone: bool


@dataclass(frozen=True)
class ImportResult:
    added: int  # units new to the document
    updated: int  # units already there whose imported text changed
    unchanged: int


def now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
