"""The fuzzy index: candidates from the gram shards, the real score, penalties, spans."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import Indel, Levenshtein

from tm.fuzzy.diff import Group, Span, TermFinder, Tokens, diff, negations, side_spans
from tm.fuzzy.grams import fold, fold_many, gram_size, query_grams
from tm.fuzzy.shards import (
    SHORTLIST,
    Shard,
    best_of,
    build_shard,
    merge,
    merges,
    rows_with,
    seed_grams,
    shortlist,
)
from tm.fuzzy.words import Occurrence, WordFinder

PENALTY = 20.0
"""Points taken from a match whose difference touches a negation, a contrast or a term.

A one-word swap in a 5-10 word segment scores 75-88; minus 20 it falls below the usual
75 % threshold (or, for a long segment, out of the "near-identical" 90s), while an exact
match that happens to contain 不 loses nothing: only the *differing* text is examined.
"""

PENALISED_FROM = 50.0
"""Base score below which no penalty is looked for.

Penalties exist so that a near-identical-looking match is not trusted; a match below 50
differs almost everywhere, so its difference nearly always touches some negation and
the penalty would say nothing, while diffing it costs the most (long, unrelated texts).
"""

_BUILD_CHUNK = 200_000  # segments per shard built in one go: bounds the build's peak memory
_SHARD_OBJECTS = 1_100  # a shard's dataclass, six array headers and the bytes header
_PENDING_ITEM = 100  # a queued (id, text) tuple, its int and the list slot, beside the str


@dataclass(frozen=True)
class Match:
    """One fuzzy match.

    ``spans`` mark, in the *match* text, what differs from the query, widened to whole
    words (jieba words for Han text):

    - ``"replace"``: this match text stands where the query has other text;
    - ``"insert"``: this match text has no counterpart in the query (translator deletes it);
    - ``"delete"``: zero-width (start == end): the query has text here that the match lacks.

    ``query_spans`` are the same differences in the *query* text, seen from the query:
    ``"insert"`` is query text the match lacks, ``"delete"`` a zero-width place where the
    match has extra text. ``base_score`` is the score before penalties, ``flags`` why a
    penalty was applied (``"negation"``, ``"contrast"``, ``"term"``).
    """

    segment_id: int
    text: str
    score: float
    spans: tuple[Span, ...] = ()
    query_spans: tuple[Span, ...] = ()
    base_score: float = 100.0
    flags: tuple[str, ...] = ()


@dataclass(frozen=True)
class Pool:
    """The shortlisted rows: segment ids, stored texts, folded texts, in tie order."""

    ids: list[int]
    texts: list[str]
    folded: list[str]


@dataclass(frozen=True)
class _Judged:
    """A scored candidate (``i`` in the pool), with the diff if the penalty needed it."""

    score: float
    base: float
    i: int
    groups: list[Group] | None = None
    flags: tuple[str, ...] = ()


class FuzzyIndex:
    """An in-memory fuzzy-match index over the segments of one language.

    Segment ids are the caller's (e.g. variant ids of the TM store) and are not
    deduplicated. Segments added with :meth:`add` become searchable at the next search;
    the index is not safe for concurrent ``add`` and ``search`` from several threads.
    Equal scores rank in the order the segments were added.

    ``contrasts`` are pairs of terms that must never be confused (开源/闭源,
    open source/closed source); ``terms`` are protected terms, any change of which matters.
    A match whose difference from the query touches one of them, or a negation, is
    penalised (see :data:`PENALTY`).
    """

    _ties_by_id = False  # equal candidates: in the order added (True: lowest id first)

    def __init__(
        self,
        lang: str,
        *,
        contrasts: Iterable[tuple[str, str]] = (),
        terms: Iterable[str] = (),
    ) -> None:
        self.lang = lang
        self.gram = gram_size(lang)
        self._shards: list[Shard] = []
        self._pending: list[tuple[int, str]] = []
        pairs = [(fold(a).strip(), fold(b).strip()) for a, b in contrasts]
        self._contrasts = TermFinder(t for pair in pairs for t in pair)
        self._pairs = {*pairs, *((b, a) for a, b in pairs)}
        self._terms = TermFinder(terms)

    # -- filling ---------------------------------------------------------------------

    def add(self, segment_id: int, text: str) -> None:
        """Queue one segment; it is indexed at the next search (or :meth:`flush`)."""
        self._pending.append((segment_id, text))

    def build(self, items: Iterable[tuple[int, str]]) -> FuzzyIndex:
        """Add many segments and index them now; returns the index for chaining."""
        self._pending.extend(items)
        self.flush()
        return self

    def flush(self) -> None:
        """Index the queued segments, in chunks, merging shards of similar size.

        Shards merge by :func:`tm.fuzzy.shards.merges`, with no bound on their size: the
        index is in memory whole anyway.
        """
        pending, self._pending = self._pending, []
        for start in range(0, len(pending), _BUILD_CHUNK):
            shard = build_shard(pending[start : start + _BUILD_CHUNK], self.gram)
            while self._shards and merges(len(self._shards[-1]), len(shard)):
                shard = merge(self._shards.pop(), shard)
            self._shards.append(shard)

    def __len__(self) -> int:
        return sum(len(s) for s in self._shards) + len(self._pending)

    # -- memory ----------------------------------------------------------------------

    def nbytes(self) -> int:
        """Bytes held by the index's numpy arrays (postings, vocabulary, per-row data)."""
        return sum(a.nbytes for s in self._shards for a in s.arrays())

    def memory(self) -> dict[str, int]:
        """Estimated bytes by part: numpy arrays, stored texts, Python objects."""
        pending = sum(sys.getsizeof(t) + _PENDING_ITEM for _, t in self._pending)
        return {
            "arrays": self.nbytes(),
            "texts": sum(len(s.blob) for s in self._shards),
            "python": sys.getsizeof(self._shards) + _SHARD_OBJECTS * len(self._shards) + pending,
        }

    # -- where the rows are (what a stored index overrides) ----------------------------

    def _parts(self) -> list[tuple[Shard, np.ndarray | None]]:
        """The shards to search, each with its mask of live rows (None: all live)."""
        self.flush()
        return [(shard, None) for shard in self._shards]

    def _texts(self, shard: Shard, rows: np.ndarray) -> list[str]:
        return shard.texts(rows)

    def _texts_of(self, picks: list[tuple[Shard, np.ndarray]]) -> list[list[str]]:
        """The texts of the rows picked in each shard (a stored index reads them at once)."""
        return [self._texts(shard, rows) for shard, rows in picks]

    def _prefetch(self, parts: list[tuple[Shard, np.ndarray | None]], seeds: np.ndarray) -> None:
        """Nothing to read ahead: the postings are in memory (a stored index reads the
        seeds' postings of all shards in one query)."""

    # -- search ----------------------------------------------------------------------

    def search(self, query: str, *, limit: int = 5, min_score: float = 75) -> list[Match]:
        """The ``limit`` best matches scoring at least ``min_score``, best first."""
        folded = fold(query)
        if not folded.strip() or limit <= 0:
            return []
        cutoff = min_score / 100
        pool = self._shortlist(folded, cutoff)
        scored = process.extract(
            folded,
            pool.folded,
            scorer=Levenshtein.normalized_similarity,
            limit=None,
            score_cutoff=cutoff,
        )
        # Near-duplicates often tie on Levenshtein; Indel, which counts a substitution as
        # two edits, tells apart the one that differs by a change from the one that
        # differs by an insertion. Remaining ties: the pool's order.
        finer = {i: Indel.normalized_similarity(folded, pool.folded[i]) for _, _, i in scored}
        scored.sort(key=lambda hit: (-hit[1], -finer[hit[2]], hit[2]))
        return self._finish(query, pool, [(100 * s, i) for _, s, i in scored], limit, min_score)

    def _shortlist(self, folded: str, cutoff: float) -> Pool:
        """The :data:`SHORTLIST` rows of all shards sharing most rare grams with the query."""
        parts = self._parts()
        if not parts:
            return Pool([], [], [])
        seeds = seed_grams([s for s, _ in parts], query_grams(folded, self.gram))
        self._prefetch(parts, seeds)
        picks = [shortlist(s, seeds, len(folded), cutoff, alive) for s, alive in parts]
        which = np.concatenate([np.full(len(rows), i) for i, (rows, _) in enumerate(picks)])
        rows = np.concatenate([rows for rows, _ in picks])
        keys = np.concatenate([keys for _, keys in picks])
        order = np.arange(len(rows))
        if self._ties_by_id:
            ids = np.concatenate([parts[i][0].ids[r] for i, (r, _) in enumerate(picks)])
            order = np.argsort(ids, kind="stable")
        chosen = order[best_of(keys[order], SHORTLIST)]
        mine = [np.sort(rows[chosen[which[chosen] == i]]) for i in range(len(parts))]
        found = self._texts_of([(shard, r) for (shard, _), r in zip(parts, mine, strict=True)])
        texts = {
            (i, r): text
            for i, (m, f) in enumerate(zip(mine, found, strict=True))
            for r, text in zip(m.tolist(), f, strict=True)
        }
        picked = list(zip(which[chosen].tolist(), rows[chosen].tolist(), strict=True))
        pool_texts = [texts[pick] for pick in picked]
        return Pool(
            [int(parts[i][0].ids[row]) for i, row in picked],
            pool_texts,
            fold_many(pool_texts),
        )

    def _finish(
        self, query: str, pool: Pool, scored: list[tuple[float, int]], limit: int, min_score: float
    ) -> list[Match]:
        """Apply penalties, best first, until no later candidate can enter the top ``limit``.

        A penalty only lowers a score, so once ``limit`` matches score at least as much as
        the next candidate's unpenalised score, the rest need no diff at all.
        """
        query_tokens = Tokens(query, self.lang)
        judged: list[_Judged] = []
        for base, i in scored:
            if len(judged) >= limit and judged[limit - 1].score >= base:
                break
            verdict = self._judge(query, query_tokens, pool.texts[i], base, i)
            if verdict.score >= min_score:
                judged.append(verdict)
                judged.sort(key=lambda v: (-v.score, -v.base))  # stable: ties stay in order
        return [self._match(query, query_tokens, pool, v) for v in judged[:limit]]

    def _judge(self, query: str, query_tokens: Tokens, text: str, base: float, i: int) -> _Judged:
        """The final score of candidate ``i``: 100/99 if identical, else penalised or not."""
        if base == 100.0:
            return _Judged(100.0 if text == query else 99.0, base, i, [])
        if base < PENALISED_FROM:
            return _Judged(base, base, i)
        groups = diff(query, text, query_tokens, Tokens(text, self.lang))
        flags = self._flags(query, text, groups)
        return _Judged(max(0.0, base - PENALTY) if flags else base, base, i, groups, flags)

    def _match(self, query: str, query_tokens: Tokens, pool: Pool, verdict: _Judged) -> Match:
        segment_id, text = pool.ids[verdict.i], pool.texts[verdict.i]
        groups = verdict.groups
        if groups is None:  # not needed for the score: diffed only now that it is shown
            groups = diff(query, text, query_tokens, Tokens(text, self.lang))
        return Match(
            segment_id,
            text,
            verdict.score,
            spans=tuple(side_spans(groups, match_side=True)),
            query_spans=tuple(side_spans(groups, match_side=False)),
            base_score=verdict.base,
            flags=verdict.flags,
        )

    def _flags(self, query: str, text: str, groups: list[Group]) -> tuple[str, ...]:
        """Why the differences between ``query`` and ``text`` change the meaning, if they do.

        A negation counts when the two sides of a difference hold different numbers of
        negation words: "tidak" inserted, or 很 → 不, but not "cannot" → "can not".
        """
        folded_query, folded_text = fold(query), fold(text)
        flags = []
        if any(negations(query, g.q) != negations(text, g.m) for g in groups):
            flags.append("negation")
        if self._swaps_contrast(folded_query, folded_text, groups):
            flags.append("contrast")
        if any(
            self._terms.touching(folded_query, g.q) or self._terms.touching(folded_text, g.m)
            for g in groups
        ):
            flags.append("term")
        return tuple(flags)

    def _swaps_contrast(self, query: str, text: str, groups: list[Group]) -> bool:
        """True when one side of a contrast pair stands where the other side has its twin."""
        for g in groups:
            before = self._contrasts.touching(query, g.q)
            after = self._contrasts.touching(text, g.m)
            if any((a, b) in self._pairs for a in before for b in after):
                return True
        return False

    # -- concordance -----------------------------------------------------------------

    def concordance(self, word: str) -> list[Occurrence]:
        """Every indexed segment containing ``word``, in index order (see
        :func:`tm.fuzzy.words.concordance`).

        The gram postings narrow the scan to segments containing every gram of the part of
        the word that any inflection keeps (its match form minus the last letter).
        """
        finder = WordFinder(word, self.lang)
        found: list[Occurrence] = []
        for shard, alive in self._parts():
            rows = rows_with(shard, finder.required, self.gram)
            if alive is not None:
                rows = rows[alive[rows]]
            ids = shard.ids[rows].tolist()
            for segment_id, text in zip(ids, self._texts(shard, rows), strict=True):
                spans = finder.find(text)
                if spans:
                    found.append(Occurrence(segment_id, text, spans))
        if self._ties_by_id:
            found.sort(key=lambda o: o.segment_id)
        return found
