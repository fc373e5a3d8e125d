"""Look-up use cases over the workspace, shared by the command line and the TUI:
fuzzy search of the memory, concordance, and post-editing effort per document."""

from __future__ import annotations

from collections.abc import Sequence

from padan.workspace import Workspace
from tm.effort import Effort, EffortTally
from tm.fuzzy import Match, Occurrence, open_index
from tm.fuzzy import concordance as find_all
from tm.store import StoredVariant


def search(
    ws: Workspace, text: str, langs: Sequence[str], *, min_score: float, limit: int
) -> list[tuple[StoredVariant, Match]]:
    """The best fuzzy matches of ``text`` in the segments of ``langs``, best first."""
    rows = []
    for language in langs:
        terms = [t.text for c in ws.terms.concepts(language) for t in c.terms_in(language)]
        index = open_index(ws.db, language, terms=terms)
        for m in index.search(text, limit=limit, min_score=min_score):
            rows.append((ws.documents.variant(m.segment_id), m))
    rows.sort(key=lambda row: -row[1].score)
    return rows[:limit]


def concordance(
    ws: Workspace, word: str, langs: Sequence[str]
) -> list[tuple[StoredVariant, Occurrence]]:
    """Every segment of ``langs`` containing ``word``, with where."""
    hits = []
    for language in langs:
        variants = {v.id: v for v in ws.documents.variants(language)}
        for occ in find_all(((i, v.current) for i, v in variants.items()), word, language):
            hits.append((variants[occ.segment_id], occ))
    return hits


def effort_by_document(ws: Workspace) -> list[tuple[str, str, Effort]]:
    """(document, language, effort since import) of every document and its languages.

    One pass over the workspace's variants, in memory bounded by the largest segment.
    """
    tallies: dict[tuple[str, str], EffortTally] = {}
    for name, lang, original, current in ws.documents.texts_since_import():
        tally = tallies.get((name, lang))
        if tally is None:
            tally = tallies[(name, lang)] = EffortTally(lang)
        tally.add(original, current)
    return [(name, lang, tallies[(name, lang)].result()) for name, lang in sorted(tallies)]
