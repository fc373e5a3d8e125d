"""Documents and translation units in the workspace database.

A document is an ordered list of units; a unit has one variant per language, each
keeping the text as imported (``original``) and the current text. A monolingual
document, such as an article of the bundled corpus, is a list of one-variant units.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from corpora.db import Database
from corpora.langtags import normalize
from corpora.model import Document, Segment

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
        UNIQUE (document_id, position)
    );
    CREATE TABLE variants (
        id {pk},
        unit_id INTEGER NOT NULL REFERENCES units(id) ON DELETE CASCADE,
        lang TEXT NOT NULL,
        original TEXT NOT NULL,
        current TEXT NOT NULL,
        version INTEGER NOT NULL DEFAULT 1,
        UNIQUE (unit_id, lang)
    );
    CREATE TABLE revisions (
        id {pk},
        variant_id INTEGER NOT NULL REFERENCES variants(id) ON DELETE CASCADE,
        old TEXT NOT NULL,
        new TEXT NOT NULL,
        author TEXT NOT NULL DEFAULT '',
        at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,
        reason TEXT NOT NULL,
        batch TEXT
    )
    """,
]


@dataclass(frozen=True)
class DocumentInfo:
    name: str
    lang: str
    title: str
    origin: str
    segments: int
    boilerplate: int


class DocumentStore:
    """Monolingual documents as units with one variant each."""

    def __init__(self, db: Database) -> None:
        self.db = db
        db.migrate("tm", MIGRATIONS)

    def save(self, doc: Document) -> bool:
        """Store ``doc``; returns False when the same text is already stored under its name.

        A document whose imported text changed is replaced whole, in one transaction.
        """
        lang = normalize(doc.lang)
        with self.db.transaction():
            old = self.db.scalar("SELECT id FROM documents WHERE name = ?", (doc.name,))
            if old is not None:
                stored = [
                    (r[0], bool(r[1]))
                    for r in self.db.query(
                        "SELECT v.original, u.boilerplate FROM units u "
                        "JOIN variants v ON v.unit_id = u.id "
                        "WHERE u.document_id = ? ORDER BY u.position",
                        (old,),
                    )
                ]
                if stored == [(s.text, s.boilerplate) for s in doc.segments]:
                    return False
                self.db.execute("DELETE FROM documents WHERE id = ?", (old,))
            doc_id = self.db.insert(
                "INSERT INTO documents (name, lang, title, origin, notes) VALUES (?, ?, ?, ?, ?)",
                (doc.name, lang, doc.title, doc.origin, doc.notes),
            )
            for seg in doc.segments:
                unit_id = self.db.insert(
                    "INSERT INTO units (document_id, position, paragraph, boilerplate) "
                    "VALUES (?, ?, ?, ?)",
                    (doc_id, seg.position, seg.paragraph, int(seg.boilerplate)),
                )
                self.db.execute(
                    "INSERT INTO variants (unit_id, lang, original, current) VALUES (?, ?, ?, ?)",
                    (unit_id, lang, seg.text, seg.text),
                )
        return True

    def documents(self) -> list[DocumentInfo]:
        rows = self.db.query(
            "SELECT d.name, d.lang, d.title, d.origin, COUNT(u.id), "
            "COALESCE(SUM(u.boilerplate), 0) FROM documents d "
            "LEFT JOIN units u ON u.document_id = d.id "
            "GROUP BY d.id, d.name, d.lang, d.title, d.origin ORDER BY d.name"
        )
        return [DocumentInfo(r[0], r[1], r[2], r[3], int(r[4]), int(r[5])) for r in rows]

    def load(self, name: str) -> Document | None:
        """The document with its current text."""
        head = self.db.query(
            "SELECT id, lang, title, origin, notes FROM documents WHERE name = ?", (name,)
        )
        if not head:
            return None
        doc_id, lang, title, origin, notes = head[0]
        segments = tuple(
            Segment(text=r[0], position=r[1], paragraph=r[2], boilerplate=bool(r[3]))
            for r in self.db.query(
                "SELECT v.current, u.position, u.paragraph, u.boilerplate FROM units u "
                "JOIN variants v ON v.unit_id = u.id WHERE u.document_id = ? "
                "ORDER BY u.position",
                (doc_id,),
            )
        )
        return Document(name, lang, segments, title, origin, notes)

    def segments(self, lang: str, *, content_only: bool = True) -> Iterator[tuple[str, Segment]]:
        """(document name, segment) for every segment in ``lang``, in document order."""
        sql = (
            "SELECT d.name, v.current, u.position, u.paragraph, u.boilerplate FROM units u "
            "JOIN documents d ON d.id = u.document_id "
            "JOIN variants v ON v.unit_id = u.id WHERE v.lang = ?"
        )
        if content_only:
            sql += " AND u.boilerplate = 0"
        sql += " ORDER BY d.name, u.position"
        for name, text, position, paragraph, boilerplate in self.db.query(sql, (normalize(lang),)):
            yield name, Segment(text, position, paragraph, bool(boilerplate))
