"""Documents and translation units in the workspace database, with their history.

A document is an ordered list of units; a unit has one variant per language, each
keeping the text as imported (``original``) and the current text. Every change of a
current text is a revision (old, new, author, time, reason); a bulk change shares one
batch id, so undo takes back a single edit or a whole bulk fix. A monolingual document,
such as an article of the bundled corpus, is a list of one-variant units.

Split by responsibility: store_schema.py (tables and records), store_rows.py (a unit as
rows), store_batch.py (batched imports), store_edits.py (edits, history, undo).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from typing import TYPE_CHECKING

from corpora.db import Database
from corpora.langtags import normalize
from corpora.model import Document, Segment
from tm.model import Unit, Variant
from tm.store_batch import Ids, UnitImport, hold_variants
from tm.store_edits import Edits, index_changes
from tm.store_rows import Row, rows, unit_from, variant_from
from tm.store_schema import (
    MIGRATIONS,
    ORIGIN,
    REASONS,
    VARIANT_SQL,
    ConflictError,
    DocumentInfo,
    ImportResult,
    Revision,
    StoredVariant,
    now,
)

if TYPE_CHECKING:  # numpy and the fuzzy index are loaded only by what indexes
    from tm.fuzzy.prebuilt import Prebuild

__all__ = [
    "MIGRATIONS",
    "REASONS",
    "ConflictError",
    "DocumentInfo",
    "ImportResult",
    "Revision",
    "StoredVariant",
    "TMStore",
]


class TMStore(Edits):
    """The translation memory of a workspace."""

    def __init__(self, db: Database) -> None:
        self.db = db
        db.migrate("tm", MIGRATIONS)

    # -- documents -------------------------------------------------------------------------

    def save(self, doc: Document) -> bool:
        """Store a monolingual document; False when the same text is already stored.

        A document whose imported text changed is replaced whole, in one transaction.
        """
        lang = normalize(doc.lang)
        with self.db.transaction():
            self.db.serialize("document:" + doc.name)
            old = self.document_id(doc.name)
            if old is not None:
                if self._originals(old) == [(s.text, s.boilerplate) for s in doc.segments]:
                    return False
                hold_variants(self.db, old)  # the cascade would lock them in scan order
                self.db.execute("DELETE FROM documents WHERE id = ?", (old,))
            doc_id = self._new_document(doc.name, lang, doc.title, doc.origin, doc.notes)
            unit_id, variant_id = Ids(self.db, "units").taker(), Ids(self.db, "variants").taker()
            rows = [(unit_id(), variant_id(), seg) for seg in doc.segments]
            self.db.copy(
                "units",
                ("id", "document_id", "position", "paragraph", "boilerplate", "identity"),
                (
                    (u, doc_id, s.position, s.paragraph, int(s.boilerplate), f"pos:{s.position}")
                    for u, _, s in rows
                ),
            )
            self.db.copy(
                "variants",
                ("id", "unit_id", "lang", "original", "current"),
                ((v, u, lang, s.text, s.text) for u, v, s in rows),
            )
        return True

    def _originals(self, doc_id: int) -> list[tuple[str, bool]]:
        return [
            (r[0], bool(r[1]))
            for r in self.db.query(
                "SELECT v.original, u.boilerplate FROM units u JOIN variants v ON v.unit_id = u.id "
                "WHERE u.document_id = ? ORDER BY u.position",
                (doc_id,),
            )
        ]

    def document_id(self, name: str) -> int | None:
        """The id of document ``name``, or None if there is none."""
        found = self.db.scalar("SELECT id FROM documents WHERE name = ?", (name,))
        return None if found is None else int(found)

    def origin(self, name: str) -> str | None:
        """The file document ``name`` was first imported from, or None if there is none."""
        found = self.db.scalar("SELECT origin FROM documents WHERE name = ?", (name,))
        return None if found is None else str(found)

    def _new_document(self, name: str, lang: str, title: str, origin: str, notes: str) -> int:
        return self.db.insert(
            "INSERT INTO documents (name, lang, title, origin, notes) VALUES (?, ?, ?, ?, ?)",
            (name, lang, title, origin, notes),
        )

    def documents(self) -> list[DocumentInfo]:
        rows = self.db.query(
            "SELECT d.name, d.lang, d.title, d.origin, COUNT(u.id), "
            "COALESCE(SUM(u.boilerplate), 0) FROM documents d "
            "LEFT JOIN units u ON u.document_id = d.id "
            "GROUP BY d.id, d.name, d.lang, d.title, d.origin ORDER BY d.name"
        )
        return [DocumentInfo(r[0], r[1], r[2], r[3], int(r[4]), int(r[5])) for r in rows]

    def load(self, name: str) -> Document | None:
        """A monolingual document with its current text."""
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
                "JOIN variants v ON v.unit_id = u.id AND v.lang = ? WHERE u.document_id = ? "
                "ORDER BY u.position",
                (lang, doc_id),
            )
        )
        return Document(name, lang, segments, title, origin, notes)

    def segments(self, lang: str, *, content_only: bool = True) -> Iterator[tuple[str, Segment]]:
        """(document name, segment) for every current text in ``lang``, in document order."""
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

    # -- translation units -----------------------------------------------------------------

    def import_units(
        self,
        name: str,
        source_lang: str,
        units: Iterable[Unit],
        *,
        origin: str = "",
        author: str = "",
        progress: Callable[[int], None] | None = None,
    ) -> ImportResult:
        """Add units to document ``name``, all or nothing; re-importing adds no duplicates.

        A unit already present (same id, or same context and source text) is updated: a
        variant whose imported text changed gets the new text, recorded as a revision
        with reason "import", unless a person edited it since (their edit is kept).
        """
        return self.import_rows(
            name,
            source_lang,
            rows(units, source_lang),
            origin=origin,
            author=author,
            progress=progress,
        )

    def import_rows(
        self,
        name: str,
        source_lang: str,
        units: Iterable[Row],
        *,
        origin: str = "",
        author: str = "",
        progress: Callable[[int], None] | None = None,
        index: Prebuild | None = None,
    ) -> ImportResult:
        """:meth:`import_units` of units already made rows (tm.store_rows.rows), which
        an application builds before the transaction. Written in a few set-based
        statements (tm/store_batch.py); the fuzzy index follows in the same transaction,
        ``index`` if it was built of the rows as they were read and they make a new
        document (tm/fuzzy/prebuilt.py).
        """
        source_lang = normalize(source_lang)
        with self.db.transaction():
            self.db.serialize("document:" + name)
            doc_id = self.document_id(name)
            if doc_id is None:
                doc_id = self._new_document(name, source_lang, "", origin, "")
            batch = UnitImport(self.db, doc_id, author, now())
            batch.run(units, progress, index)
            index_changes(self.db)
        return ImportResult(batch.added, batch.updated, batch.unchanged)

    def units(self, name: str | None = None) -> Iterator[tuple[str, Unit]]:
        """(document name, unit with current texts) in document order, streamed.

        Each variant carries the property ``x-origin``: ``imported`` (unchanged since
        import), ``edited`` (last changed by hand) or ``fixed`` (by an accepted suggestion
        or a bulk fix), for the provenance of exported memories, and its id as ``ref``.
        """
        sql = (
            "SELECT u.id, d.name, u.meta, v.id, v.lang, v.original, v.current, v.meta, "
            "(SELECT r.reason FROM revisions r WHERE r.variant_id = v.id AND r.undone = 0 "
            "AND r.reason != 'import' ORDER BY r.id DESC LIMIT 1) "
            "FROM units u JOIN documents d ON d.id = u.document_id "
            "JOIN variants v ON v.unit_id = u.id"
        )
        params: tuple[object, ...] = ()
        if name is not None:
            sql += " WHERE d.name = ?"
            params = (name,)
        sql += " ORDER BY d.name, u.position, v.id"
        current_id, doc, unit_meta = None, "", "{}"
        variants: list[Variant] = []
        # Streamed: a server-side cursor on PostgreSQL, whose client cursor holds all rows.
        for unit_id, doc_name, u_meta, vid, lang, original, text, v_meta, reason in self.db.stream(
            sql, params
        ):
            if unit_id != current_id:
                if current_id is not None:
                    yield doc, unit_from(unit_meta, tuple(variants))
                current_id, doc, unit_meta, variants = unit_id, doc_name, u_meta, []
            variant = variant_from(lang, text, v_meta)
            origin = "imported" if text == original else ORIGIN.get(reason, "edited")
            props = tuple(p for p in variant.props if p[0] != "x-origin")
            variants.append(replace(variant, props=(*props, ("x-origin", origin)), ref=vid))
        if current_id is not None:
            yield doc, unit_from(unit_meta, tuple(variants))

    def variants(self, lang: str, name: str | None = None) -> list[StoredVariant]:
        sql = (
            "SELECT v.id, v.unit_id, d.name, u.position, v.lang, v.original, v.current, v.version "
            "FROM variants v JOIN units u ON u.id = v.unit_id "
            "JOIN documents d ON d.id = u.document_id WHERE v.lang = ?"
        )
        params: list[object] = [normalize(lang)]
        if name is not None:
            sql += " AND d.name = ?"
            params.append(name)
        sql += " ORDER BY d.name, u.position"
        return [StoredVariant(*row) for row in self.db.query(sql, params)]

    def texts(self, name: str, lang: str) -> Iterator[tuple[int, int, str, str]]:
        """(position, paragraph, as imported, current) of document ``name``'s ``lang``
        texts in order, streamed (a server-side cursor on PostgreSQL): an export of a
        document of any length in flat memory."""
        sql = (
            "SELECT u.position, u.paragraph, v.original, v.current FROM units u "
            "JOIN documents d ON d.id = u.document_id "
            "JOIN variants v ON v.unit_id = u.id AND v.lang = ? WHERE d.name = ? "
            "ORDER BY u.position"
        )
        return iter(self.db.stream(sql, (normalize(lang), name)))

    def first_variants(self, name: str, units: int) -> list[StoredVariant]:
        """The variants, in every language, of document ``name``'s first ``units`` units,
        in their order: a long document's head, read in a millisecond (by index) so that a
        screen can show it while the whole document is still being read."""
        sql = VARIANT_SQL + (
            " WHERE u.id IN (SELECT id FROM units WHERE document_id = "
            "(SELECT id FROM documents WHERE name = ?) ORDER BY position LIMIT ?) "
            "ORDER BY u.position"
        )
        return [StoredVariant(*row) for row in self.db.query(sql, (name, units))]

    def languages(self) -> list[str]:
        """Every language with a variant, in code-point order: read from the index on
        variants (lang) a language at a time (a loose index scan), not through the
        variants themselves (1M units: 0.04 ms against 1.2 s, on every ``padan search``)."""
        return [
            r[0]
            for r in self.db.query(
                "WITH RECURSIVE found (lang) AS (SELECT MIN(lang) FROM variants UNION ALL "
                "SELECT (SELECT MIN(lang) FROM variants WHERE lang > found.lang) FROM found "
                "WHERE found.lang IS NOT NULL) SELECT lang FROM found WHERE lang IS NOT NULL"
            )
        ]

    def languages_of(self, name: str) -> list[str]:
        """The languages a document has text in."""
        return [
            r[0]
            for r in self.db.query(
                "SELECT DISTINCT v.lang FROM variants v JOIN units u ON u.id = v.unit_id "
                "JOIN documents d ON d.id = u.document_id WHERE d.name = ? ORDER BY v.lang",
                (name,),
            )
        ]
