"""Work the app runs in threads, each on its own workspace connection: fuzzy matches,
concordance and export. Plain functions of a workspace, so tests can call them too."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from padan.workspace import Progress, Workspace
from termbase.model import Term
from tm.fuzzy import Match, StoredFuzzyIndex, open_index
from tm.store import StoredVariant


@dataclass(frozen=True)
class ExportRequest:
    """What to export, as the export dialog asks for it."""

    kind: str  # "tmx", "po" or "tbx"
    path: str
    source_lang: str | None
    target_lang: str | None  # PO: None = revisions of the documents (as imported → now)
    documents: tuple[str, ...]


@dataclass
class MemoryIndex:
    """The fuzzy index of one language, kept by the app between searches (what it read
    is reused until the workspace changes), and the language of the translations shown."""

    index: StoredFuzzyIndex
    target_lang: str | None


def memory_index(
    ws: Workspace, lang: str, target_lang: str | None, terms: Sequence[Term]
) -> MemoryIndex:
    index = open_index(ws.db, lang, terms=[t.text for t in terms if t.lang == lang])
    return MemoryIndex(index, target_lang)


def fuzzy_matches(
    ws: Workspace, memory: MemoryIndex, query: StoredVariant, limit: int = 5, min_score: float = 50
) -> list[tuple[StoredVariant, Match, StoredVariant | None]]:
    """The best matches of ``query``'s text in the memory, itself left out, each with its
    translation in the target language (read for these matches only)."""
    memory.index.reopen(ws.db)  # each job has its own connection
    found = memory.index.search(query.current, limit=limit + 1, min_score=min_score)
    matches = [m for m in found if m.segment_id != query.id][:limit]
    variants = ws.documents.by_id([m.segment_id for m in matches])
    targets = {}
    if memory.target_lang:
        units = [variants[m.segment_id].unit_id for m in matches]
        targets = ws.documents.unit_variants(units, memory.target_lang)
    return [
        (variants[m.segment_id], m, targets.get(variants[m.segment_id].unit_id)) for m in matches
    ]


Spans = tuple[tuple[int, int], ...]


def concordance_hits(ws: Workspace, word: str) -> list[tuple[StoredVariant, Spans]]:
    from padan.lookup import concordance

    return [(v, occ.spans) for v, occ in concordance(ws, word, ws.languages())]


def export(ws: Workspace, request: ExportRequest, report: Progress) -> tuple[int, str]:
    """Write the file the export dialog asked for; returns (count, what was counted)."""
    from padan import export as out
    from termbase.formats import write_glossary

    if request.kind == "tbx":
        concepts = ws.terms.concepts()
        report("concepts", 0, len(concepts))
        write_glossary(
            concepts, request.path, source_lang=request.source_lang or "en", target_lang=None
        )
        return len(concepts), "concepts"
    if request.kind == "tmx":
        count = out.export_tmx(ws, request.path, request.documents, request.source_lang, report)
        return count, "units"
    if request.kind != "po":
        raise ValueError(f"unknown export {request.kind!r}")
    src, tgt = request.source_lang, request.target_lang
    if src and tgt:
        pairs = out.language_pairs(out.named_units_of(ws, request.documents, report), src, tgt)
        if not pairs:
            raise ValueError(
                f"no unit of the chosen documents has both {src} and {tgt} text; "
                "choose “— (revisions)” for monolingual documents"
            )
        return out.export_pairs(pairs, request.path, src, tgt, note=_silent), "entries"
    if not src:
        raise ValueError("choose the language of the revisions (From)")
    names = [d.name for d in ws.documents.documents() if d.name in set(request.documents)]
    rows = out.revision_rows(ws, names, src)
    if not rows:
        raise ValueError(f"the chosen documents have no {src} text")
    report("entries", len(rows), len(rows))
    return out.export_revisions(rows, request.path, src), "entries"


def _silent(message: str) -> None:
    """Plural notes are not printed under the TUI (stderr would tear the screen)."""
