"""Work the app runs in threads, each on its own workspace connection: fuzzy matches,
concordance and export. Plain functions of a workspace, so tests can call them too."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from padan.workspace import Progress, Workspace
from termbase.model import Term
from tm.fuzzy import FuzzyIndex, Match
from tm.fuzzy import concordance as find_all
from tm.model import Unit
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
    """The fuzzy index of one language, and the variants it was built from."""

    index: FuzzyIndex
    variants: dict[int, StoredVariant]
    targets: dict[int, StoredVariant]  # unit id -> variant in the target language


def memory_index(
    ws: Workspace, lang: str, target_lang: str | None, terms: Sequence[Term]
) -> MemoryIndex:
    variants = {v.id: v for v in ws.documents.variants(lang)}
    index = FuzzyIndex(lang, terms=[t.text for t in terms if t.lang == lang])
    index.build((i, v.current) for i, v in variants.items())
    targets = {}
    if target_lang:
        targets = {v.unit_id: v for v in ws.documents.variants(target_lang)}
    return MemoryIndex(index, variants, targets)


def fuzzy_matches(
    memory: MemoryIndex, query: StoredVariant, limit: int = 5, min_score: float = 50
) -> list[tuple[StoredVariant, Match, StoredVariant | None]]:
    """The best matches of ``query``'s text in the memory, itself left out."""
    out = []
    for m in memory.index.search(query.current, limit=limit + 1, min_score=min_score):
        if m.segment_id == query.id:
            continue
        variant = memory.variants[m.segment_id]
        out.append((variant, m, memory.targets.get(variant.unit_id)))
    return out[:limit]


Spans = tuple[tuple[int, int], ...]


def concordance_hits(ws: Workspace, word: str) -> list[tuple[StoredVariant, Spans]]:
    hits: list[tuple[StoredVariant, Spans]] = []
    for lang in ws.languages():
        variants = {v.id: v for v in ws.documents.variants(lang)}
        for occ in find_all(((i, v.current) for i, v in variants.items()), word, lang):
            hits.append((variants[occ.segment_id], occ.spans))
    return hits


def export(ws: Workspace, request: ExportRequest, report: Progress) -> tuple[int, str]:
    """Write the file the export dialog asked for; returns (count, what was counted)."""
    from termbase.formats import write_glossary
    from tm.formats.po import write_po, write_revision_po
    from tm.formats.tmx_write import write_tmx

    if request.kind == "tbx":
        concepts = ws.terms.concepts()
        report("concepts", 0, len(concepts))
        write_glossary(
            concepts, request.path, source_lang=request.source_lang or "en", target_lang=None
        )
        return len(concepts), "concepts"
    docs = [d for d in ws.documents.documents() if d.name in set(request.documents)]
    total = sum(d.segments for d in docs)

    def units() -> Iterator[Unit]:
        done = 0
        for doc in docs:
            for _, unit in ws.documents.units(doc.name):
                done += 1
                report("units", done, total)
                yield unit

    if request.kind == "tmx":
        return write_tmx(units(), request.path, source_lang=request.source_lang), "units"
    if request.kind != "po":
        raise ValueError(f"unknown export {request.kind!r}")
    src, tgt = request.source_lang, request.target_lang
    if src and tgt:
        pairs = [u for u in units() if u.variant(src) and u.variant(tgt)]
        if not pairs:
            raise ValueError(
                f"no unit of the chosen documents has both {src} and {tgt} text; "
                "choose “— (revisions)” for monolingual documents"
            )
        return write_po(pairs, request.path, source_lang=src, target_lang=tgt), "entries"
    if not src:
        raise ValueError("choose the language of the revisions (From)")
    rows = [
        (f"{doc.name}:{v.position}", v.original, v.current)
        for doc in docs
        for v in ws.documents.variants(src, doc.name)
    ]
    if not rows:
        raise ValueError(f"the chosen documents have no {src} text")
    report("entries", len(rows), len(rows))
    return write_revision_po(rows, request.path, lang=src), "entries"
