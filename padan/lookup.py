"""Look-up use cases over the workspace, shared by the command line and the TUI:
fuzzy search of the memory, concordance, and post-editing effort per document."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from corpora.langtags import variants
from padan.workspace import Workspace
from tm.fuzzy import Match, Occurrence, open_index
from tm.store import StoredVariant

if TYPE_CHECKING:  # `padan search` does not need the scorers
    from tm.effort import Effort


def search(
    ws: Workspace, text: str, langs: Sequence[str], *, min_score: float, limit: int
) -> list[tuple[StoredVariant, Match]]:
    """The best fuzzy matches of ``text`` in the segments of ``langs``, best first."""
    rows: list[tuple[StoredVariant, Match]] = []
    for language in langs:
        terms = [t.text for c in ws.terms.concepts(language) for t in c.terms_in(language)]
        index = open_index(ws.db, language, terms=terms)
        matches = index.search(text, limit=limit, min_score=min_score)
        found = ws.documents.by_id([m.segment_id for m in matches])  # one query for all
        rows.extend((found[m.segment_id], m) for m in matches)
    rows.sort(key=lambda row: -row[1].score)
    return rows[:limit]


def with_variants(ws: Workspace, lang: str) -> list[str]:
    """``lang`` and the workspace's other variants of it (es-ES: es, es-419...; never
    zh-Hant for zh), as a memory in them serves it (corpora.langtags.variants)."""
    return [lang, *variants(lang, ws.languages())]


def translations(
    ws: Workspace, found: Sequence[StoredVariant], to: str | None = None
) -> dict[int, list[StoredVariant]]:
    """The stored translations of each variant (by its id): its unit's variants in every
    other language with text; with ``to``, its one variant in ``to``, else in the first
    other variant of that language it has (es for es-ES); one query per language."""
    units = sorted({v.unit_id for v in found})
    out: dict[int, list[StoredVariant]] = {v.id: [] for v in found}
    if not units:
        return out
    for lang in with_variants(ws, to) if to else ws.languages():
        by_unit = ws.documents.unit_variants(units, lang)
        for v in found:
            other = by_unit.get(v.unit_id)
            taken = to is not None and bool(out[v.id])  # in the job's own tag, or a closer one
            if other is not None and other.id != v.id and other.current and not taken:
                out[v.id].append(other)
    return out


def concordance(
    ws: Workspace, word: str, langs: Sequence[str]
) -> list[tuple[StoredVariant, Occurrence]]:
    """Every segment of ``langs`` containing ``word``, with where, in document order.

    The stored index narrows the scan to the segments holding the word's grams, so the
    workspace is never read whole."""
    hits = []
    for language in langs:
        found = open_index(ws.db, language).concordance(word)
        variants = ws.documents.by_id([occ.segment_id for occ in found])
        located = [(variants[occ.segment_id], occ) for occ in found]
        hits.extend(sorted(located, key=lambda hit: (hit[0].document, hit[0].position)))
    return hits


def effort_by_document(ws: Workspace) -> list[tuple[str, str, Effort]]:
    """(document, language, effort since import) of every document and its languages,
    in memory bounded by the largest segment (see :mod:`tm.effort_read`)."""
    from tm.effort_read import effort_by_document as read_effort

    # A template imported before Padan read it as source only left empty targets in no
    # language ("und"): nothing was translated there, so there is no effort to show.
    return [
        (name, lang, e)
        for name, lang, e in read_effort(ws.db)
        if lang != "und" or e.characters or e.edited
    ]
