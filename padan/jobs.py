"""Work the app runs in threads, each on its own workspace connection: fuzzy matches,
concordance and export. Plain functions of a workspace, so tests can call them too."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import chain

from corpora.wording import counted
from padan.lookup import translations, with_variants
from padan.workspace import Progress, Workspace
from termbase.model import Term
from tm.errors import TMError
from tm.fuzzy import Match, StoredFuzzyIndex, open_index
from tm.store import DocumentInfo, StoredVariant


@dataclass(frozen=True)
class ExportRequest:
    """What to export, as the export dialog asks for it."""

    kind: str  # "tmx", "po" or "tbx"
    path: str
    source_lang: str | None
    # PO: None = revisions of the documents (as imported → now); TMX: None = every language
    target_lang: str | None
    documents: tuple[str, ...]


@dataclass
class MemoryIndex:
    """The fuzzy indexes of one language and of its other variants (es-ES: es...), as
    `padan search` searches them, kept by the app between searches (what they read is
    reused until the workspace changes), and the language of the translations shown."""

    indexes: list[StoredFuzzyIndex]
    target_lang: str | None


def memory_index(
    ws: Workspace, lang: str, target_lang: str | None, terms: Sequence[Term]
) -> MemoryIndex:
    indexes = [
        open_index(ws.db, tag, terms=[t.text for t in terms if t.lang == tag])
        for tag in with_variants(ws, lang)
    ]
    return MemoryIndex(indexes, target_lang)


def fuzzy_matches(
    ws: Workspace, memory: MemoryIndex, query: StoredVariant, limit: int = 5, min_score: float = 50
) -> list[tuple[StoredVariant, Match, StoredVariant | None]]:
    """The best matches of ``query``'s text in the memory, itself left out, each with its
    translation in the target language, else in its nearest variant, as `padan search
    --to` shows it (read for these matches only)."""
    found: list[Match] = []
    for index in memory.indexes:
        index.reopen(ws.db)  # each job has its own connection
        found += index.search(query.current, limit=limit + 1, min_score=min_score)
    found.sort(key=lambda m: -m.score)
    matches = [m for m in found if m.segment_id != query.id][:limit]
    ids = [m.segment_id for m in matches]
    if not memory.target_lang:
        variants = ws.documents.by_id(ids)
        return [(variants[m.segment_id], m, None) for m in matches]
    # one round trip for the matches and their translations; the others' variants after
    pairs = ws.documents.with_translations(ids, memory.target_lang)
    missing = [source for source, target in pairs.values() if target is None]
    if missing:
        nearest = translations(ws, missing, memory.target_lang)
        pairs.update({v.id: (v, next(iter(nearest[v.id]), None)) for v in missing})
    return [(pairs[m.segment_id][0], m, pairs[m.segment_id][1]) for m in matches]


Spans = tuple[tuple[int, int], ...]


def concordance_hits(ws: Workspace, word: str) -> list[tuple[StoredVariant, Spans]]:
    from padan.lookup import concordance

    return [(v, occ.spans) for v, occ in concordance(ws, word, ws.languages())]


def export(ws: Workspace, request: ExportRequest, report: Progress) -> tuple[int, str]:
    """Write the file the export dialog asked for; returns the count and it in words
    (1 unit, 2 entries)."""
    from padan import export as out
    from termbase.formats import write_glossary

    if request.kind == "tbx":
        concepts = ws.terms.concepts()
        report("concepts", 0, len(concepts))
        write_glossary(
            concepts, request.path, source_lang=request.source_lang or "en", target_lang=None
        )
        return len(concepts), counted(len(concepts), "concept")
    if request.kind == "tmx":
        count = out.export_tmx(
            ws, request.path, request.documents, request.source_lang, report, request.target_lang
        )
        return count, counted(count, "unit")
    if request.kind != "po":
        raise ValueError(f"unknown export {request.kind!r}")
    src, tgt = request.source_lang, request.target_lang
    if src and tgt:
        bilingual = out.bilingual_in(ws, request.documents, tgt)
        units = out.named_units_of(ws, request.documents, report)
        pairs = out.language_pairs(units, src, tgt, bilingual)
        first = next(pairs, None)
        if first is None:
            raise ValueError(
                f"no unit of the chosen documents has both {src} and {tgt} text; "
                "choose “— (revisions)” for monolingual documents"
            )
        count = out.export_pairs(chain([first], pairs), request.path, src, tgt, note=_silent)
        return count, counted(count, "entry", "entries")
    if not src:
        raise ValueError("choose the language of the revisions (From)")
    names = [d.name for d in ws.documents.documents() if d.name in set(request.documents)]
    rows = out.revision_rows(ws, names, src)
    row = next(rows, None)
    if row is None:
        raise ValueError(f"the chosen documents have no {src} text")
    count = out.export_revisions(chain([row], rows), request.path, src)
    report("entries", count, count)
    return count, counted(count, "entry", "entries")


def _silent(message: str) -> None:
    """Plural notes are not printed under the TUI (stderr would tear the screen)."""


# -- changes made by other processes --------------------------------------------------------


@dataclass(frozen=True)
class ChangeMark:
    """Where the workspace's documents and texts stand, cheaply read.

    Every edit and import of a text bumps its variant's version, and so the sum of the
    versions; each such change is also a revision (a new one, or one undone or redone),
    except a re-import that leaves the edited text as it was: comparing the two tells
    whether the revisions explain every change or the documents must be read again."""

    documents: tuple[int, int]  # how many, the greatest id (a re-import makes a new one)
    variants: tuple[int, int]  # how many, the sum of their versions
    last_revision: int
    undone: frozenset[int]  # revisions undone


@dataclass(frozen=True)
class OutsideChanges:
    mark: ChangeMark
    documents: list[DocumentInfo] | None  # the list, when documents came, went or grew
    variants: list[StoredVariant]  # the texts edited, undone or redone since the last mark
    reload: bool  # something the revisions do not tell changed: read the documents again


def change_mark(ws: Workspace) -> ChangeMark:
    db = ws.db
    docs = db.query("SELECT COUNT(*), COALESCE(MAX(id), 0) FROM documents")[0]
    variants = db.query("SELECT COUNT(*), COALESCE(SUM(version), 0) FROM variants")[0]
    last = db.scalar("SELECT COALESCE(MAX(id), 0) FROM revisions")
    undone = frozenset(r[0] for r in db.query("SELECT id FROM revisions WHERE undone = 1"))
    return ChangeMark(
        (int(docs[0]), int(docs[1])), (int(variants[0]), int(variants[1])), int(last), undone
    )


def changes_since(ws: Workspace, mark: ChangeMark) -> OutsideChanges | None:
    """What changed in the workspace since ``mark`` (by this process or another), or None."""
    new = change_mark(ws)
    if new == mark:
        return None
    rows = ws.db.query("SELECT id, variant_id FROM revisions WHERE id > ?", (mark.last_revision,))
    flipped = sorted(mark.undone ^ new.undone)
    if flipped:
        marks = ",".join("?" * len(flipped))
        rows += ws.db.query(f"SELECT id, variant_id FROM revisions WHERE id IN ({marks})", flipped)
    grown = new.documents != mark.documents or new.variants[0] != mark.variants[0]
    # each new revision and each flip is one version more; anything else is unexplained
    reload = grown or new.variants[1] - mark.variants[1] != len(rows)
    variants = []
    for variant_id in sorted({r[1] for r in rows}):
        try:
            variants.append(ws.documents.variant(variant_id))
        except TMError:  # gone with its document (re-imported whole)
            reload = True
    return OutsideChanges(new, ws.documents.documents() if reload else None, variants, reload)


class WriteGate:
    """Whether another connection may have written since last asked: SQLite's
    ``data_version`` tells it for nothing; on PostgreSQL the answer is always maybe."""

    def __init__(self, ws: Workspace) -> None:
        self.db = ws.db
        self.last = self._version()

    def _version(self) -> int | None:
        if self.db.dialect != "sqlite":
            return None
        return int(self.db.scalar("PRAGMA data_version"))

    def maybe(self) -> bool:
        version = self._version()
        changed = version is None or version != self.last
        self.last = version
        return changed
