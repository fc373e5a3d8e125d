"""The memory's best match of each segment of a bilingual document in the workspace, for
the TUI's segment table and its insert-match key.

It is the offer `padan pretranslate` and `padan analyze` make (padan.leverage: exact,
context, repaired with the term base, fuzzy), looked up one row at a time, with one
difference: the document is part of the memory, and a segment's own stored translation
is no match of itself. Other segments of the same document (repetitions) still count.
"""

from __future__ import annotations

from dataclasses import dataclass

from padan.leverage import open_memory
from padan.workspace import Workspace
from tm.leverage import Entry, Memory, Offer, Segment

MIN_SCORE = 50  # fuzzy matches under this are no match, as in the memory panel


@dataclass(frozen=True)
class RowQuery:
    """One segment of the document: its source text, its neighbours' and its place."""

    ordinal: int  # 1-based place among the document's units (as Entry.origin numbers them)
    source: str
    target: str  # its own translation ("" when it has none)
    before: str | None = None
    after: str | None = None


class RowMatcher:
    """The memory of one language pair, asked about the rows of one document."""

    def __init__(self, memory: Memory, document: str) -> None:
        self.memory = memory
        self.document = document

    def best(self, query: RowQuery) -> Offer:
        """The best offer for the row, its own entry left out (a duplicate unit of the same
        text elsewhere stays a match)."""
        segment = Segment(query.source, before=query.before, after=query.after)
        entries = self.memory.entries_of(query.source)
        index = _own(entries, self.document, query)
        own = None if index is None else entries[index]
        return self.memory.lookup(segment, min_score=MIN_SCORE, exclude=own)


def _own(entries: list[Entry], document: str, query: RowQuery) -> int | None:
    """Where the row's own entry is: the entry of its document at its place; if the places
    do not agree (units of other languages counted), the nearest of its document with its
    translation. A row without a translation has no entry."""
    if not query.target.strip():
        return None
    mine = [i for i, e in enumerate(entries) if e.origin.rpartition("#")[0] == document]
    here = [i for i in mine if _number(entries[i].origin) == query.ordinal]
    if here:
        return here[0]
    same = [i for i in mine if entries[i].target == query.target]
    return min(same, key=lambda i: abs(_number(entries[i].origin) - query.ordinal), default=None)


def _number(origin: str) -> int:
    number = origin.rpartition("#")[2]
    return int(number) if number.isdigit() else 0


def open_row_matcher(
    ws: Workspace, document: str, source_lang: str, target_lang: str
) -> RowMatcher:
    """The workspace's memory from ``source_lang`` to ``target_lang`` (every bilingual
    document, this one included), with the term base for repairs."""
    return RowMatcher(open_memory(ws, source_lang, target_lang), document)
