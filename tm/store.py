"""Documents and translation units in the workspace database, with their history.

A document is an ordered list of units; a unit has one variant per language, each
keeping the text as imported (``original``) and the current text. Every change of a
current text is a revision (old, new, author, time, reason); a bulk change shares one
batch id, so undo takes back a single edit or a whole bulk fix. A monolingual document,
such as an article of the bundled corpus, is a list of one-variant units.

Each variant carries a version number that every edit increments: an edit made against
an older version is refused with a conflict instead of silently overwriting a colleague.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from corpora.db import Database
from corpora.langtags import normalize
from corpora.model import Document, Segment
from tm.errors import TMError
from tm.model import InlineCode, Unit, Variant
from tm.store_batch import Ids, UnitImport

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
_ORIGIN = {"manual edit": "edited", "accepted suggestion": "fixed", "bulk fix": "fixed"}


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


_VARIANT_SQL = (
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


def _index_changes(db: Database, *, at_least: bool = False) -> None:
    """Bring the workspace's fuzzy index up to date; with ``at_least``, only once enough
    changes wait (a search reads the few others itself). Imported lazily: `padan check`
    and other commands that never search should not load numpy and rapidfuzz."""
    from tm.fuzzy.stored import TAIL_LIMIT, sync

    sync(db, at_least=TAIL_LIMIT if at_least else 0)


def _conflict(current: StoredVariant, expected: int) -> ConflictError:
    return ConflictError(
        f"{current.document}#{current.position} ({current.lang}) was changed by "
        f"someone else (version {current.version}, you edited {expected})",
        hint="reload the segment and apply your change again",
    )


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _identity(unit: Unit, source_lang: str, index: int) -> str:
    """What makes a unit the same unit on re-import: its id, else its context and source.

    Several units of one file may share it (a TMX holding three translations of one
    source): import_units numbers the later ones, so that each stays a unit of its own.
    """
    if unit.key:
        return "key:" + unit.key
    source = unit.variant(source_lang) or (unit.variants[0] if unit.variants else None)
    if source is None:
        return f"pos:{index}"
    plural = "\x00".join(source.plurals)
    return json.dumps([unit.context, source.text, plural, unit.obsolete], ensure_ascii=False)


def _unit_meta(unit: Unit, more: list[list[object]] | None = None) -> str:
    meta = {
        "key": unit.key,
        "context": unit.context,
        "flags": list(unit.flags),
        "comments": list(unit.comments),
        "extracted": list(unit.extracted),
        "references": list(unit.references),
        "previous": [list(p) for p in unit.previous],
        "obsolete": unit.obsolete,
        "props": [list(p) for p in unit.props],
        "notes": list(unit.notes),
        "created": unit.created,
        "changed": unit.changed,
        "creator": unit.creator,
        "extra": [list(p) for p in unit.extra],
        "more": more,
    }
    return json.dumps({k: v for k, v in meta.items() if v}, ensure_ascii=False)


def _split_variants(unit: Unit) -> tuple[list[Variant], list[list[object]]]:
    """The unit's first variant of each language (stored as variants, one per language),
    and the further ones of a language already seen (a TMX tu may hold two fr-CA
    variants) as [position, lang, text, meta], kept with the unit and written back."""
    first: list[Variant] = []
    more: list[list[object]] = []
    langs: set[str] = set()
    for position, v in enumerate(unit.variants):
        lang = normalize(v.lang)
        if lang in langs:
            more.append([position, lang, v.text, _variant_meta(v)])
        else:
            langs.add(lang)
            first.append(v)
    return first, more


def _variant_meta(v: Variant) -> str:
    meta = {
        "codes": [[c.tag, [list(a) for a in c.attrs], c.content] for c in v.codes],
        "plurals": list(v.plurals),
        "props": [list(p) for p in v.props],
        "notes": list(v.notes),
        "created": v.created,
        "changed": v.changed,
    }
    return json.dumps({k: val for k, val in meta.items() if val}, ensure_ascii=False)


def _pairs(items: list) -> tuple[tuple[str, str], ...]:  # type: ignore[type-arg]
    return tuple((a, b) for a, b in items)


def _unit_from(meta_json: str, variants: tuple[Variant, ...]) -> Unit:
    m = json.loads(meta_json)
    if m.get("more"):
        merged = list(variants)
        for position, lang, text, v_meta in m["more"]:
            merged.insert(min(position, len(merged)), _variant_from(lang, text, v_meta))
        variants = tuple(merged)
    return Unit(
        variants=variants,
        key=m.get("key"),
        context=m.get("context"),
        flags=tuple(m.get("flags", ())),
        comments=tuple(m.get("comments", ())),
        extracted=tuple(m.get("extracted", ())),
        references=tuple(m.get("references", ())),
        previous=_pairs(m.get("previous", [])),
        obsolete=bool(m.get("obsolete", False)),
        props=_pairs(m.get("props", [])),
        notes=tuple(m.get("notes", ())),
        created=m.get("created"),
        changed=m.get("changed"),
        creator=m.get("creator"),
        extra=_pairs(m.get("extra", [])),
    )


def _variant_from(lang: str, text: str, meta_json: str) -> Variant:
    m = json.loads(meta_json)
    return Variant(
        lang=lang,
        text=text,
        codes=tuple(InlineCode(t, _pairs(a), c) for t, a, c in m.get("codes", [])),
        plurals=tuple(m.get("plurals", ())),
        props=_pairs(m.get("props", [])),
        notes=tuple(m.get("notes", ())),
        created=m.get("created"),
        changed=m.get("changed"),
    )


class TMStore:
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
            old = self.db.scalar("SELECT id FROM documents WHERE name = ?", (doc.name,))
            if old is not None:
                if self._originals(old) == [(s.text, s.boilerplate) for s in doc.segments]:
                    return False
                self.db.execute("DELETE FROM documents WHERE id = ?", (old,))
            doc_id = self._new_document(doc.name, lang, doc.title, doc.origin, doc.notes)
            unit_ids, variant_ids = Ids(self.db, "units"), Ids(self.db, "variants")
            rows = [(unit_ids.take(), variant_ids.take(), seg) for seg in doc.segments]
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
        Written in batches (tm/store_batch.py); the fuzzy index follows in the same
        transaction.
        """
        source_lang = normalize(source_lang)
        with self.db.transaction():
            self.db.serialize("document:" + name)
            doc_id = self.db.scalar("SELECT id FROM documents WHERE name = ?", (name,))
            if doc_id is None:
                doc_id = self._new_document(name, source_lang, "", origin, "")
            batch = UnitImport(
                self.db,
                doc_id,
                lambda unit, index: _identity(unit, source_lang, index),
                _split_variants,
                _unit_meta,
                _variant_meta,
                author,
                _now(),
            )
            batch.run(units, progress)
            _index_changes(self.db)
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
        for unit_id, doc_name, u_meta, vid, lang, original, text, v_meta, reason in (
            self.db.stream(sql, params)
        ):
            if unit_id != current_id:
                if current_id is not None:
                    yield doc, _unit_from(unit_meta, tuple(variants))
                current_id, doc, unit_meta, variants = unit_id, doc_name, u_meta, []
            variant = _variant_from(lang, text, v_meta)
            origin = "imported" if text == original else _ORIGIN.get(reason, "edited")
            props = tuple(p for p in variant.props if p[0] != "x-origin")
            variants.append(replace(variant, props=(*props, ("x-origin", origin)), ref=vid))
        if current_id is not None:
            yield doc, _unit_from(unit_meta, tuple(variants))

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

    def texts_since_import(self) -> Iterator[tuple[str, str, str, str]]:
        """(document, language, text as imported, current text) of every variant,
        streamed in no particular order (an unchanged text is read once)."""
        names = dict(self.db.query("SELECT id, name FROM documents"))
        for doc_id, lang, original, changed in self.db.stream(
            "SELECT u.document_id, v.lang, v.original, "
            "CASE WHEN v.current = v.original THEN NULL ELSE v.current END "
            "FROM variants v JOIN units u ON u.id = v.unit_id"
        ):
            yield names[doc_id], lang, original, original if changed is None else changed

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

    def variant(self, variant_id: int) -> StoredVariant:
        rows = self.db.query(_VARIANT_SQL + " WHERE v.id = ?", (variant_id,))
        if not rows:
            raise TMError(f"no variant {variant_id}")
        return StoredVariant(*rows[0])

    # -- edits, history, undo --------------------------------------------------------------

    def edit(
        self,
        variant_id: int,
        new: str,
        *,
        author: str = "",
        reason: str = "manual edit",
        expected_version: int | None = None,
        batch: str | None = None,
    ) -> StoredVariant:
        """Change a current text; with ``expected_version``, refuse if someone changed it first."""
        with self.db.transaction():
            self._apply(variant_id, new, author, reason, expected_version, batch)
        return self.variant(variant_id)

    def bulk_edit(
        self, edits: Sequence[tuple[int, str, int | None]], *, author: str = "", reason: str
    ) -> str:
        """Apply (variant id, new text, expected version) edits as one batch; returns its id.

        One transaction: a conflict on any of them leaves every text as it was.
        """
        if reason not in REASONS:
            raise TMError(f"unknown reason for a revision: {reason!r}")
        batch = uuid.uuid4().hex
        with self.db.transaction():
            self.db.lock("variants", [variant_id for variant_id, _, _ in edits])
            now = self.by_id([variant_id for variant_id, _, _ in edits])
            changed: dict[int, StoredVariant] = {}
            revisions = []
            for variant_id, new, expected in edits:  # in order: one text may change twice
                current = now[variant_id]
                if expected is not None and current.version != expected:
                    raise _conflict(current, expected)
                if new != current.current:
                    revisions.append(
                        (variant_id, current.current, new, author, _now(), reason, batch)
                    )
                    now[variant_id] = changed[variant_id] = replace(
                        current, current=new, version=current.version + 1
                    )
            self.db.executemany(
                "UPDATE variants SET current = ?, version = ? WHERE id = ?",
                [(v.current, v.version, v.id) for v in changed.values()],
            )
            self.db.copy(
                "revisions",
                ("variant_id", "old", "new", "author", "at", "reason", "batch"),
                revisions,
            )
            _index_changes(self.db, at_least=True)
        return batch

    def by_id(self, ids: Sequence[int]) -> dict[int, StoredVariant]:
        """The variants of ``ids``, read a few thousand at a time."""
        found = self._variants_where("v.id", ids, ())
        for variant_id in ids:
            if variant_id not in found:
                raise TMError(f"no variant {variant_id}")
        return found

    def unit_variants(self, unit_ids: Sequence[int], lang: str) -> dict[int, StoredVariant]:
        """The ``lang`` variant of each of ``unit_ids`` that has one, by unit id."""
        found = self._variants_where("v.unit_id", unit_ids, (normalize(lang),), "v.lang = ?")
        return {v.unit_id: v for v in found.values()}

    def _variants_where(
        self, column: str, values: Sequence[int], params: Sequence[object], also: str = ""
    ) -> dict[int, StoredVariant]:
        found: dict[int, StoredVariant] = {}
        wanted = sorted(set(values))
        for start in range(0, len(wanted), 5_000):
            where, chunk = self.db.one_of(column, wanted[start : start + 5_000])
            sql = _VARIANT_SQL + f" WHERE {where}" + (f" AND {also}" if also else "")
            for row in self.db.query(sql, [*chunk, *params]):
                found[row[0]] = StoredVariant(*row)
        return found

    def _apply(
        self,
        variant_id: int,
        new: str,
        author: str,
        reason: str,
        expected_version: int | None,
        batch: str | None,
    ) -> None:
        if reason not in REASONS:
            raise TMError(f"unknown reason for a revision: {reason!r}")
        self.db.lock("variants", [variant_id])
        current = self.variant(variant_id)
        if expected_version is not None and current.version != expected_version:
            raise _conflict(current, expected_version)
        if new == current.current:
            return
        cur = self.db.execute(
            "UPDATE variants SET current = ?, version = version + 1 WHERE id = ? AND version = ?",
            (new, variant_id, current.version),
        )
        if cur.rowcount != 1:  # a concurrent writer got in between our read and write
            raise ConflictError(
                f"{current.document}#{current.position} ({current.lang}) changed while saving",
                hint="reload the segment and apply your change again",
            )
        self._record(variant_id, current.current, new, author, reason, batch)

    def _record(
        self, variant_id: int, old: str, new: str, author: str, reason: str, batch: str | None
    ) -> None:
        self.db.execute(
            "INSERT INTO revisions (variant_id, old, new, author, at, reason, batch) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (variant_id, old, new, author, _now(), reason, batch),
        )

    def history(self, variant_id: int) -> list[Revision]:
        return [
            Revision(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], bool(r[8]))
            for r in self.db.query(
                "SELECT id, variant_id, old, new, author, at, reason, batch, undone "
                "FROM revisions WHERE variant_id = ? ORDER BY id",
                (variant_id,),
            )
        ]

    def undo(self, *, author: str = "") -> list[Revision]:
        """Take back the latest change that is not undone yet: one edit, or a whole batch.

        The group's revisions get the next undo number (``undone`` > 0), which orders the
        redo stack across processes: redo takes back the group undone last.
        """
        with self.db.transaction():
            self.db.serialize("undo")
            group = self._latest_group(undone=False)
            self.db.lock("variants", [rev.variant_id for rev in group])
            for rev in reversed(group):
                self._restore(rev.variant_id, rev.new, rev.old)
            if group:
                number = int(self.db.scalar("SELECT COALESCE(MAX(undone), 0) FROM revisions"))
                self._mark(group, number + 1)
        return group

    def redo(self, *, author: str = "") -> list[Revision]:
        """Apply again the change undone last (the top of the redo stack), as an editor
        does: a change made since that undo (any revision newer than the group that is not
        undone) clears the stack, and redo then has nothing to do."""
        with self.db.transaction():
            self.db.serialize("undo")
            group = self._latest_group(undone=True)
            newer = group and self.db.scalar(
                "SELECT COUNT(*) FROM revisions WHERE id > ? AND undone = 0", (group[-1].id,)
            )
            if newer:
                return []
            self.db.lock("variants", [rev.variant_id for rev in group])
            for rev in group:
                self._restore(rev.variant_id, rev.old, rev.new)
            self._mark(group, 0)
        return group

    def _latest_group(self, *, undone: bool) -> list[Revision]:
        """The newest live group (to undo), or the group undone last (to redo): the
        highest undo number; equal numbers, left by Padans before the numbering, the
        newest group first."""
        last = self.db.query(
            "SELECT id, batch FROM revisions WHERE undone > 0 AND reason != 'import' "
            "ORDER BY undone DESC, id DESC LIMIT 1"
            if undone
            else "SELECT id, batch FROM revisions WHERE undone = 0 AND reason != 'import' "
            "ORDER BY id DESC LIMIT 1"
        )
        if not last:
            return []
        rev_id, batch = last[0]
        where, params = ("batch = ?", (batch,)) if batch else ("id = ?", (rev_id,))
        return [
            Revision(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], bool(r[8]))
            for r in self.db.query(
                "SELECT id, variant_id, old, new, author, at, reason, batch, undone "
                f"FROM revisions WHERE {where} ORDER BY id",
                params,
            )
        ]

    def _restore(self, variant_id: int, expected: str, text: str) -> None:
        current = self.variant(variant_id)
        if current.current != expected:
            raise ConflictError(
                f"{current.document}#{current.position} changed since; cannot undo/redo it",
                hint="edit the segment by hand",
            )
        self.db.execute(
            "UPDATE variants SET current = ?, version = version + 1 WHERE id = ?",
            (text, variant_id),
        )

    def _mark(self, group: Sequence[Revision], undone: int) -> None:
        """Set the group's undo number (0: done)."""
        for rev in group:
            self.db.execute("UPDATE revisions SET undone = ? WHERE id = ?", (undone, rev.id))
