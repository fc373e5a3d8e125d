"""Fuzzy matching and concordance over the segments of one language.

:class:`FuzzyIndex` finds, for a query segment, the stored segments a translator would want
offered as translation-memory matches, scored the way CAT tools score them, and marks where
each match differs from the query. :func:`concordance` (and :meth:`FuzzyIndex.concordance`)
finds every segment that contains a word or term.

How a search works, and why:

1. **Candidates from a character n-gram index, not a scan.** Each segment is case-folded,
   padded with a space at each end and cut into overlapping character n-grams: trigrams,
   or bigrams for Chinese, Japanese and Korean. For alphabetic text bigrams are too common
   to select anything ("e ", "th"). A Chinese word is mostly two characters, and in a
   short Chinese segment one changed character leaves trigrams almost nothing in common
   (开源模型 → 开放模型 keeps only "模型 ", the end of every segment ending in 模型) while
   bigrams keep three of five. On 200,000 Chinese catalogue strings both sizes found the
   originals equally well (bench/fuzzy.py --lang zh), trigrams ~1.4x faster and bigrams
   with a 25 % smaller index; bigrams are kept for the short segments. An n-gram is packed
   into one int64 (21 bits per code point), so no Python dictionary of grams is needed:
   the vocabulary is a sorted int64 array searched with ``np.searchsorted``, and the
   postings are CSR (offsets into one int32 array of row numbers, sorted within a gram).
2. **Counting shared grams with numpy, rarest grams only.** The postings of the query's
   rarest grams, up to :data:`SEED_POSTINGS` entries, are concatenated, sorted and
   run-length counted; the common grams (" th", "the" are in a fifth of an English
   memory) would multiply the work by 10-50 and add little: a row is ranked by how many
   of these rare grams it shares, less a little for each character of length difference
   (:data:`LENGTH_WEIGHT`), after a length filter: a Levenshtein similarity of ``s`` is
   impossible between texts whose lengths differ by more than ``1 - s`` of the longer.
3. **Re-ranking with the real score.** The best :data:`SHORTLIST` rows are scored with
   rapidfuzz's Levenshtein distance on the case-folded text: ``100 * (1 - distance /
   longer length)``, the percentage of OmegaT, translate-toolkit and most CAT tools. The
   score is at character level in every language, Chinese included: jieba segments the
   same phrase differently depending on its neighbours, so a word-level distance jumps by
   two or three words for a one-character edit. Measured by exhaustive search over
   200,000 Chinese catalogue strings with 200 one-edit queries: at character level 99 %
   of the originals were in the top 5 and they scored 87 ± 9; at jieba-word level 98.5 %,
   85 ± 13, and twice as many fell under 75 (10.5 % against 5.5 %). Words still matter
   for display and for penalties: differing spans are widened to whole tokens (jieba
   words for Han text).
4. **Penalties for a small edit that changes the meaning.** A match that differs from the
   query only by a negation (不, tidak, not...), by one side of a contrast pair (开源 ↔
   闭源) or by a protected term scores 75-88 on plain Levenshtein, i.e. it looks like an
   almost-right match whose translation needs a touch-up, when the translation says the
   opposite. Such a match loses :data:`PENALTY` points and says why in ``Match.flags``.

Score contract: 100 means identical text; 99 means identical after case folding and
whitespace (the translation may need recasing); below that, the Levenshtein percentage on
the folded text, minus any penalty.
"""

from __future__ import annotations

import re
import sys
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import Indel, Levenshtein

from corpora.tokenize import has_han, match_form, tokenize

# -- tuning ------------------------------------------------------------------------------

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

SEED_POSTINGS = 100_000
"""How many postings the query's rarest grams may contribute to the count.

Grams are taken rarest first until their postings would exceed this. An edit changes a
few grams of the query (often the rarest: an inserted word brings grams found nowhere
else) but leaves the rest, so the original still shares most of the counted ones. At 1M
English segments this takes the grams found in up to ~1 % of the segments, about 40 % of
a query's grams and 6 % of their postings. Measured there (bench/fuzzy.py, 200 queries):
50,000 missed the exhaustive search's best match for 1.5 % of the queries and found fewer
originals (0.970 against 0.980); 200,000 took ~1.5x the time and found no more.
"""

SEED_GRAMS = 4
"""Fewest grams counted, even when they are common (short queries of frequent words)."""

SHORTLIST = 200
"""Rows, best by shared rare grams, that get the real Levenshtein score.

Scoring a row costs about a microsecond (most of it decoding and folding its text). The
original of a one-edit query is nearly always in the top 20 by shared grams; the rest is
room for memories full of near-duplicates (the benchmark's has ~13 variants per sentence,
and the translator wants the best of them). Measured at 1M: 100 missed the best match
for 0.5 % of queries, 400 found nothing more.
"""

LENGTH_WEIGHT = 0.1
"""Shared grams a candidate loses per character of length difference with the query.

It breaks the many ties between rows that share all the counted grams: one that holds
the query plus a paragraph is a worse match than one of the same length. Measured at 1M:
0.01 and 0.1 find the same originals; at 1.0 length outweighs content (recall 0.89).
"""

_BITS = 21  # a Unicode code point fits in 21 bits: three of them in a non-negative int64
_MERGE_RATIO = 2  # merge the newest shard into the previous one when it is >= 1/2 its size
_BUILD_CHUNK = 200_000  # segments per shard built in one go: bounds the build's peak memory
_SHARD_OBJECTS = 1_100  # a shard's dataclass, six array headers and the bytes header
_PENDING_ITEM = 100  # a queued (id, text) tuple, its int and the list slot, beside the str

SpanKind = Literal["replace", "insert", "delete"]
Span = tuple[int, int, SpanKind]
"""(start, end, kind) in characters; see :class:`Match` for the kinds."""

NEGATIONS: frozenset[str] = frozenset(
    {
        # Chinese: single-character markers and the common words built on them. Words
        # that merely contain the character (未来 "future", 非常 "very", 别人 "others")
        # are not negations, so Han tokens are looked up whole, never by character.
        *("不", "没", "未", "非", "别", "无"),
        *("没有", "不是", "不能", "不会", "不要", "不用", "不必", "不可", "不得", "不再"),
        *("未能", "未曾", "并非", "并不", "从不", "从未", "绝不", "决不", "毫不", "无法"),
        # Indonesian (clitics -nya/-lah/-kah are stripped before the look-up).
        *("tidak", "tak", "bukan", "belum", "jangan", "tiada"),
        # English (n't is handled as a suffix).
        *("not", "no", "never", "cannot", "none", "nothing", "neither", "nor"),
    }
)
_ID_CLITICS = ("nya", "lah", "kah")


# -- results -----------------------------------------------------------------------------


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
class Occurrence:
    """A segment containing the searched word; ``spans`` are (start, end) of each hit."""

    segment_id: int
    text: str
    spans: tuple[tuple[int, int], ...]


# -- text folding and grams --------------------------------------------------------------

_SPACE_RE = re.compile(r"\s")


def fold(text: str) -> str:
    """Lower-case ``text`` and turn every whitespace character into a space.

    Length-preserving on purpose, so that offsets in the folded text are offsets in the
    original: a character whose lower case is longer (İ) is kept as it is.
    """
    lowered = text.lower()
    if len(lowered) != len(text):
        lowered = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    # Every whitespace character but the space is unprintable: skip the regex when none is.
    return lowered if lowered.isprintable() else _SPACE_RE.sub(" ", lowered)


def gram_size(lang: str) -> int:
    """2 for Chinese, Japanese and Korean, 3 otherwise (why: see the module docstring)."""
    return 2 if lang.split("-", 1)[0].lower() in ("zh", "ja", "ko") else 3


def _code_points(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4").astype(np.int64)


def _pack(codes: np.ndarray, n: int) -> np.ndarray:
    """The int64 key of every n-gram of ``codes`` (code points), in order."""
    count = len(codes) - n + 1
    if count <= 0:
        return np.empty(0, dtype=np.int64)
    keys = codes[:count].copy()
    for k in range(1, n):
        keys = (keys << _BITS) | codes[k : k + count]
    return keys


def _query_grams(folded: str, n: int) -> np.ndarray:
    return np.unique(_pack(_code_points(f" {folded} "), n))


# -- the index: shards of CSR postings -------------------------------------------------


@dataclass(frozen=True)
class _Shard:
    """An immutable block of consecutive segments with their gram postings.

    Texts are kept as one UTF-8 blob with offsets rather than a list of str: ~45 bytes per
    segment instead of ~100 for 1M small Python objects.
    """

    ids: np.ndarray  # int64 segment id per row
    lengths: np.ndarray  # int32 length in characters per row
    blob: bytes  # UTF-8 texts, concatenated
    text_offsets: np.ndarray  # int64, rows + 1, byte offsets into blob
    keys: np.ndarray  # int64 sorted distinct gram keys
    offsets: np.ndarray  # int64, len(keys) + 1, offsets into postings
    postings: np.ndarray  # int32 row numbers, sorted within each gram

    def __len__(self) -> int:
        return len(self.ids)

    def texts(self, rows: np.ndarray) -> list[str]:
        """The texts of ``rows``, decoded in one call rather than one per row."""
        starts = self.text_offsets[rows].tolist()
        ends = self.text_offsets[rows + 1].tolist()
        joined = b"".join([self.blob[a:b] for a, b in zip(starts, ends, strict=True)])
        decoded = joined.decode("utf-8", "surrogatepass")
        bounds = np.cumsum(self.lengths[rows]).tolist()
        return [decoded[a:b] for a, b in zip([0, *bounds], bounds, strict=False)]

    def arrays(self) -> tuple[np.ndarray, ...]:
        return (
            self.ids,
            self.lengths,
            self.text_offsets,
            self.keys,
            self.offsets,
            self.postings,
        )

    def gram_pairs(self) -> tuple[np.ndarray, np.ndarray]:
        """(key, row) of every posting, sorted by key then row."""
        return np.repeat(self.keys, np.diff(self.offsets)), self.postings


def _csr(keys: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Sorted distinct (key, row) pairs as vocabulary, offsets and postings.

    Pairs generated in row order, stably sorted by key, leave each posting list sorted,
    which the intersections of :meth:`FuzzyIndex.concordance` rely on.
    """
    order = np.argsort(keys, kind="stable")
    keys, rows = keys[order], rows[order]
    keep = np.ones(len(keys), dtype=bool)
    keep[1:] = (keys[1:] != keys[:-1]) | (rows[1:] != rows[:-1])
    keys, rows = keys[keep], rows[keep]
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]]) if len(keys) else keys
    offsets = np.append(starts, len(keys)).astype(np.int64)
    return keys[starts], offsets, rows.astype(np.int32)


def _build_shard(items: Sequence[tuple[int, str]], n: int) -> _Shard:
    """Index ``items`` in one vectorised pass over the concatenated, padded texts."""
    texts = [text for _, text in items]
    padded = [f" {fold(text)} " for text in texts]
    sizes = np.fromiter((len(p) for p in padded), dtype=np.int64, count=len(padded))
    keys = _pack(_code_points("".join(padded)), n)
    rows = np.repeat(np.arange(len(padded), dtype=np.int32), sizes)[: len(keys)]
    starts = np.cumsum(sizes) - sizes
    valid = np.arange(len(keys)) - starts[rows] <= sizes[rows] - n  # no gram across texts
    vocab, offsets, postings = _csr(keys[valid], rows[valid])
    encoded = [text.encode("utf-8", "surrogatepass") for text in texts]
    byte_sizes = np.fromiter((len(e) for e in encoded), dtype=np.int64, count=len(encoded))
    return _Shard(
        ids=np.fromiter((i for i, _ in items), dtype=np.int64, count=len(items)),
        lengths=(sizes - 2).astype(np.int32),
        blob=b"".join(encoded),
        text_offsets=np.r_[0, np.cumsum(byte_sizes)].astype(np.int64),
        keys=vocab,
        offsets=offsets,
        postings=postings,
    )


def _merge(old: _Shard, new: _Shard) -> _Shard:
    """One shard holding ``old``'s rows followed by ``new``'s."""
    old_keys, old_rows = old.gram_pairs()
    new_keys, new_rows = new.gram_pairs()
    vocab, offsets, postings = _csr(
        np.concatenate([old_keys, new_keys]),
        np.concatenate([old_rows, new_rows + len(old)]),
    )
    return _Shard(
        ids=np.concatenate([old.ids, new.ids]),
        lengths=np.concatenate([old.lengths, new.lengths]),
        blob=old.blob + new.blob,
        text_offsets=np.concatenate([old.text_offsets, new.text_offsets[1:] + len(old.blob)]),
        keys=vocab,
        offsets=offsets,
        postings=postings,
    )


@dataclass(frozen=True)
class _Pool:
    """The shortlisted rows of all shards: segment ids, stored texts, folded texts."""

    ids: list[int]
    texts: list[str]
    folded: list[str]


@dataclass(frozen=True)
class _Judged:
    """A scored candidate (``i`` in the pool), with the diff if the penalty needed it."""

    score: float
    base: float
    i: int
    groups: list[_Group] | None = None
    flags: tuple[str, ...] = ()


class FuzzyIndex:
    """An in-memory fuzzy-match index over the segments of one language.

    Segment ids are the caller's (e.g. variant ids of the TM store) and are not
    deduplicated. Segments added with :meth:`add` become searchable at the next search;
    the index is not safe for concurrent ``add`` and ``search`` from several threads.

    ``contrasts`` are pairs of terms that must never be confused (开源/闭源,
    open source/closed source); ``terms`` are protected terms, any change of which matters.
    A match whose difference from the query touches one of them, or a negation, is
    penalised (see :data:`PENALTY`).
    """

    def __init__(
        self,
        lang: str,
        *,
        contrasts: Iterable[tuple[str, str]] = (),
        terms: Iterable[str] = (),
    ) -> None:
        self.lang = lang
        self.gram = gram_size(lang)
        self._shards: list[_Shard] = []
        self._pending: list[tuple[int, str]] = []
        pairs = [(fold(a).strip(), fold(b).strip()) for a, b in contrasts]
        self._contrasts = _TermFinder(t for pair in pairs for t in pair)
        self._pairs = {*pairs, *((b, a) for a, b in pairs)}
        self._terms = _TermFinder(terms)

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

        Merging the newest shard into the previous one whenever it reaches half its size
        keeps the shard sizes geometric: a few shards at most, and each segment is
        re-sorted O(log N) times however the segments arrive.
        """
        pending, self._pending = self._pending, []
        for start in range(0, len(pending), _BUILD_CHUNK):
            shard = _build_shard(pending[start : start + _BUILD_CHUNK], self.gram)
            while self._shards and len(shard) * _MERGE_RATIO >= len(self._shards[-1]):
                shard = _merge(self._shards.pop(), shard)
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

    # -- search ----------------------------------------------------------------------

    def search(self, query: str, *, limit: int = 5, min_score: float = 75) -> list[Match]:
        """The ``limit`` best matches scoring at least ``min_score``, best first."""
        self.flush()
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
        # differs by an insertion. Remaining ties: the older segment first.
        finer = {i: Indel.normalized_similarity(folded, pool.folded[i]) for _, _, i in scored}
        scored.sort(key=lambda hit: (-hit[1], -finer[hit[2]], hit[2]))
        return self._finish(query, pool, [(100 * s, i) for _, s, i in scored], limit, min_score)

    def _shortlist(self, folded: str, cutoff: float) -> _Pool:
        """The :data:`SHORTLIST` rows of all shards sharing most rare grams with the query."""
        grams = _query_grams(folded, self.gram)
        picks = [_shard_shortlist(shard, grams, len(folded), cutoff) for shard in self._shards]
        keys = np.concatenate([k for _, k in picks]) if picks else np.empty(0)
        if len(keys) > SHORTLIST:
            threshold = np.partition(keys, len(keys) - SHORTLIST)[len(keys) - SHORTLIST]
            picks = [(rows[k >= threshold], k[k >= threshold]) for rows, k in picks]
        pool = _Pool([], [], [])
        for shard, (rows, _) in zip(self._shards, picks, strict=True):
            rows = np.sort(rows)
            texts = shard.texts(rows)
            pool.ids.extend(shard.ids[rows].tolist())
            pool.texts.extend(texts)
            pool.folded.extend(fold(text) for text in texts)
        return pool

    def _finish(
        self, query: str, pool: _Pool, scored: list[tuple[float, int]], limit: int, min_score: float
    ) -> list[Match]:
        """Apply penalties, best first, until no later candidate can enter the top ``limit``.

        A penalty only lowers a score, so once ``limit`` matches score at least as much as
        the next candidate's unpenalised score, the rest need no diff at all.
        """
        query_tokens = _Tokens(query, self.lang)
        judged: list[_Judged] = []
        for base, i in scored:
            if len(judged) >= limit and judged[limit - 1].score >= base:
                break
            verdict = self._judge(query, query_tokens, pool.texts[i], base, i)
            if verdict.score >= min_score:
                judged.append(verdict)
                judged.sort(key=lambda v: (-v.score, -v.base))  # stable: ties stay in order
        return [self._match(query, query_tokens, pool, v) for v in judged[:limit]]

    def _judge(self, query: str, query_tokens: _Tokens, text: str, base: float, i: int) -> _Judged:
        """The final score of candidate ``i``: 100/99 if identical, else penalised or not."""
        if base == 100.0:
            return _Judged(100.0 if text == query else 99.0, base, i, [])
        if base < PENALISED_FROM:
            return _Judged(base, base, i)
        groups = _diff(query, text, query_tokens, _Tokens(text, self.lang))
        flags = self._flags(query, text, groups)
        return _Judged(max(0.0, base - PENALTY) if flags else base, base, i, groups, flags)

    def _match(self, query: str, query_tokens: _Tokens, pool: _Pool, verdict: _Judged) -> Match:
        segment_id, text = pool.ids[verdict.i], pool.texts[verdict.i]
        groups = verdict.groups
        if groups is None:  # not needed for the score: diffed only now that it is shown
            groups = _diff(query, text, query_tokens, _Tokens(text, self.lang))
        return Match(
            segment_id,
            text,
            verdict.score,
            spans=tuple(_side_spans(groups, match_side=True)),
            query_spans=tuple(_side_spans(groups, match_side=False)),
            base_score=verdict.base,
            flags=verdict.flags,
        )

    def _flags(self, query: str, text: str, groups: list[_Group]) -> tuple[str, ...]:
        """Why the differences between ``query`` and ``text`` change the meaning, if they do.

        A negation counts when the two sides of a difference hold different numbers of
        negation words: "tidak" inserted, or 很 → 不, but not "cannot" → "can not".
        """
        folded_query, folded_text = fold(query), fold(text)
        flags = []
        if any(_negations(query, g.q) != _negations(text, g.m) for g in groups):
            flags.append("negation")
        if self._swaps_contrast(folded_query, folded_text, groups):
            flags.append("contrast")
        if any(
            self._terms.touching(folded_query, g.q) or self._terms.touching(folded_text, g.m)
            for g in groups
        ):
            flags.append("term")
        return tuple(flags)

    def _swaps_contrast(self, query: str, text: str, groups: list[_Group]) -> bool:
        """True when one side of a contrast pair stands where the other side has its twin."""
        for g in groups:
            before = self._contrasts.touching(query, g.q)
            after = self._contrasts.touching(text, g.m)
            if any((a, b) in self._pairs for a in before for b in after):
                return True
        return False

    # -- concordance -----------------------------------------------------------------

    def concordance(self, word: str) -> list[Occurrence]:
        """Every indexed segment containing ``word``, in index order (see :func:`concordance`).

        The gram postings narrow the scan to segments containing every gram of the part of
        the word that any inflection keeps (its match form minus the last letter).
        """
        self.flush()
        finder = _WordFinder(word, self.lang)
        found: list[Occurrence] = []
        for shard in self._shards:
            rows = _rows_with(shard, finder.required, self.gram)
            for segment_id, text in zip(shard.ids[rows].tolist(), shard.texts(rows), strict=True):
                spans = finder.find(text)
                if spans:
                    found.append(Occurrence(segment_id, text, spans))
        return found


def _shard_shortlist(
    shard: _Shard, grams: np.ndarray, length: int, cutoff: float
) -> tuple[np.ndarray, np.ndarray]:
    """The :data:`SHORTLIST` best rows of ``shard`` for the query, with their rank keys."""
    starts, ends = _postings_of(shard, grams)
    sizes = ends - starts
    seeds = np.argsort(sizes, kind="stable")[: _seed_count(np.sort(sizes))]
    rows, shared = _count_rows(shard, starts[seeds], ends[seeds])
    lengths = shard.lengths[rows]
    fits = (lengths >= cutoff * length) & (cutoff * lengths <= length)
    rows, shared, lengths = rows[fits], shared[fits], lengths[fits]
    keys = shared - LENGTH_WEIGHT * np.abs(lengths - length)
    if len(rows) > SHORTLIST:
        best = np.argpartition(-keys, SHORTLIST)[:SHORTLIST]
        rows, keys = rows[best], keys[best]
    return rows, keys


def _postings_of(shard: _Shard, grams: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Start and end, in ``shard.postings``, of each query gram the shard knows."""
    at = np.searchsorted(shard.keys, grams)
    known = at < len(shard.keys)
    known[known] = shard.keys[at[known]] == grams[known]
    at = at[known]
    return shard.offsets[at], shard.offsets[at + 1]


def _seed_count(sizes: np.ndarray) -> int:
    """How many of the rarest grams (``sizes`` ascending) to count."""
    within = int(np.searchsorted(np.cumsum(sizes), SEED_POSTINGS, side="right"))
    return min(len(sizes), max(within, SEED_GRAMS))


def _count_rows(
    shard: _Shard, starts: np.ndarray, ends: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Rows found in the given postings, each with how many of them contain it.

    Sorting the concatenated postings and counting runs touches only those entries; a
    ``np.bincount`` over all rows, then ``np.flatnonzero``, is linear in the memory size
    and was three times slower at 1M segments.
    """
    slices = [shard.postings[s:e] for s, e in zip(starts.tolist(), ends.tolist(), strict=True)]
    if not slices:
        return np.empty(0, dtype=np.int32), np.empty(0, dtype=np.int64)
    hits = np.sort(np.concatenate(slices))
    firsts = np.flatnonzero(np.r_[True, hits[1:] != hits[:-1]])
    return hits[firsts], np.diff(np.r_[firsts, len(hits)])


def _rows_with(shard: _Shard, required: Sequence[str], n: int) -> np.ndarray:
    """Rows containing every n-gram of every string in ``required`` (all rows if none)."""
    rows: np.ndarray | None = None
    for piece in required:
        for key in np.unique(_pack(_code_points(piece), n)):
            at = int(np.searchsorted(shard.keys, key))
            if at == len(shard.keys) or shard.keys[at] != key:
                return np.empty(0, dtype=np.int64)
            posting = shard.postings[shard.offsets[at] : shard.offsets[at + 1]]
            rows = posting if rows is None else np.intersect1d(rows, posting, assume_unique=True)
    return np.arange(len(shard)) if rows is None else rows


# -- differences between query and match -----------------------------------------------


@dataclass(frozen=True)
class _Group:
    """One difference: query[q[0]:q[1]] became match[m[0]:m[1]] (either may be empty)."""

    q: tuple[int, int]
    m: tuple[int, int]


class _Tokens:
    """Token boundaries of a text (words, jieba words in Han text, numbers, punctuation).

    Tokens are sorted and disjoint, so their starts and their ends are both increasing:
    the tokens a region touches are found by bisection, which keeps the diff of a long
    help text (thousands of tokens, hundreds of differences) in milliseconds.
    """

    def __init__(self, text: str, lang: str) -> None:
        tokens = tokenize(text, lang)
        self.starts = [t.start for t in tokens]
        self.ends = [t.end for t in tokens]

    def cover(self, start: int, end: int) -> tuple[int, int]:
        """``start:end`` grown to the tokens it overlaps (strictly contains, if empty)."""
        first = bisect_right(self.ends, start)  # the first token ending after ``start``
        if start == end:
            inside = first < len(self.starts) and self.starts[first] < start
            return (self.starts[first], self.ends[first]) if inside else (start, end)
        last = bisect_left(self.starts, end) - 1  # the last token starting before ``end``
        if first > last:
            return start, end
        return min(start, self.starts[first]), max(end, self.ends[last])


def _diff(query: str, text: str, q_tokens: _Tokens, m_tokens: _Tokens) -> list[_Group]:
    """Character-level differences widened to whole tokens on both sides.

    The edit script is computed on characters (exact, whatever the segmentation); then
    each difference grows to the tokens it touches, so that 模型 → 模子 marks the word
    模子 and "color" → "colour" the word "colour". Growth is mirrored: the text between
    two differences is the same on both sides, so growing one side by k characters into
    it grows the other by the same k, and a difference that grows across that text merges
    with its neighbour ("the fil" → "file" is one replacement, not a deletion and an
    insertion).
    """
    todo = _regions(fold(query), fold(text))
    todo.reverse()  # a stack: the next region is todo[-1]
    done: list[tuple[int, int, int, int]] = []
    while todo:
        qs, qe, ms, me = todo.pop()
        while True:
            (q_start, q_end), (m_start, m_end) = q_tokens.cover(qs, qe), m_tokens.cover(ms, me)
            left, right = max(qs - q_start, ms - m_start), max(q_end - qe, m_end - me)
            before = qs - done[-1][1] if done else qs  # the same text on both sides
            after = todo[-1][0] - qe if todo else len(query) - qe
            if done and left and left >= before:
                qs, _, ms, _ = done.pop()
            elif todo and right and right >= after:
                _, qe, _, me = todo.pop()
            elif left or right:
                qs, qe, ms, me = qs - left, qe + right, ms - left, me + right
            else:
                break
        done.append((qs, qe, ms, me))
    return [_Group(_trim(query, qs, qe), _trim(text, ms, me)) for qs, qe, ms, me in done]


def _regions(query: str, text: str) -> list[tuple[int, int, int, int]]:
    """(query start, end, match start, end) of each run of non-equal edit operations."""
    regions: list[tuple[int, int, int, int]] = []
    for op in Levenshtein.opcodes(query, text):
        if op.tag == "equal":
            continue
        if regions and regions[-1][1] == op.src_start and regions[-1][3] == op.dest_start:
            qs, _, ms, _ = regions.pop()
            regions.append((qs, op.src_end, ms, op.dest_end))
        else:
            regions.append((op.src_start, op.src_end, op.dest_start, op.dest_end))
    return regions


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """``start:end`` without surrounding spaces, unless it is nothing but spaces."""
    stripped_start, stripped_end = start, end
    while stripped_start < stripped_end and text[stripped_start].isspace():
        stripped_start += 1
    while stripped_end > stripped_start and text[stripped_end - 1].isspace():
        stripped_end -= 1
    return (stripped_start, stripped_end) if stripped_start < stripped_end else (start, end)


def _side_spans(groups: list[_Group], *, match_side: bool) -> Iterator[Span]:
    for g in groups:
        here, there = (g.m, g.q) if match_side else (g.q, g.m)
        kind: SpanKind
        if here[0] == here[1]:
            kind = "delete"
        elif there[0] == there[1]:
            kind = "insert"
        else:
            kind = "replace"
        yield (here[0], here[1], kind)


def _negations(text: str, region: tuple[int, int]) -> int:
    """How many tokens of ``text[region]`` are negation words."""
    count = 0
    for token in tokenize(text[region[0] : region[1]], "und"):
        word = token.text.lower()
        if word.endswith(_ID_CLITICS):  # tidaklah, bukannya
            word = word[:-3]
        count += word.endswith(("n't", "n’t")) or word in NEGATIONS
    return count


class _TermFinder:
    """Finds, fast, which of many terms occur across a region of a folded text.

    Terms are grouped by first character, so a look-up costs a few ``startswith`` per
    position of the region rather than a pass of every term over the text. Latin-script
    edges need a word boundary ("AI" is not in "AIR"); Han edges do not (开源 is in 开源代码).
    """

    def __init__(self, terms: Iterable[str]) -> None:
        self._by_first: dict[str, list[str]] = {}
        for term in {fold(t).strip() for t in terms} - {""}:
            self._by_first.setdefault(term[0], []).append(term)
        self._longest = max((len(t) for ts in self._by_first.values() for t in ts), default=0)

    def touching(self, text: str, region: tuple[int, int]) -> set[str]:
        """Terms occurring in ``text`` across ``region`` (strictly around it if empty)."""
        start, end = region
        found: set[str] = set()
        if not self._by_first:
            return found
        for pos in range(max(0, start - self._longest + 1), min(len(text), max(end, start + 1))):
            for term in self._by_first.get(text[pos], ()):
                stop = pos + len(term)
                touches = pos < end and stop > start if start < end else pos < start < stop
                if touches and text.startswith(term, pos) and _bounded(text, term, pos, stop):
                    found.add(term)
        return found


def _bounded(text: str, term: str, start: int, end: int) -> bool:
    """Word boundaries at the Latin-script edges of an occurrence of ``term``."""
    if _is_word_char(term[0]) and start > 0 and _is_word_char(text[start - 1]):
        return False
    return not (_is_word_char(term[-1]) and end < len(text) and _is_word_char(text[end]))


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() and not has_han(ch)


# -- concordance -------------------------------------------------------------------------


class _WordFinder:
    """Finds a word or term in a text: Han by substring, others by word match form.

    Latin-script words are compared by :func:`corpora.tokenize.match_form` (case-folded,
    Indonesian reduplication and -nya/-lah/-kah removed, English plural -s removed), and a
    hyphen counts as a word boundary, so "model" is found in "Model", "model-model",
    "modelnya", and "open source" in "open-source".
    """

    def __init__(self, word: str, lang: str) -> None:
        self.lang = lang
        self.han = has_han(word)
        self.folded = fold(word).strip()
        self.parts = [p for w in word.split() for p in match_form(w, lang).split("-") if p]
        # Every inflection keeps the match form but maybe its last letter (libraries ->
        # library): what is left must appear in the folded text, a cheap pre-filter.
        self.required = [self.folded] if self.han else [p[:-1] for p in self.parts]

    def find(self, text: str) -> tuple[tuple[int, int], ...]:
        folded = fold(text)
        if not self.folded or not all(r in folded for r in self.required):
            return ()
        if self.han:
            return tuple(_substrings(folded, self.folded))
        return tuple(self._word_spans(text))

    def _word_spans(self, text: str) -> Iterator[tuple[int, int]]:
        pieces = list(_pieces(text, self.lang))
        size = len(self.parts)
        for i in range(len(pieces) - size + 1):
            if [form for form, _, _ in pieces[i : i + size]] == self.parts:
                yield pieces[i][1], pieces[i + size - 1][2]


def _substrings(text: str, word: str) -> Iterator[tuple[int, int]]:
    at = text.find(word)
    while at >= 0:
        yield at, at + len(word)
        at = text.find(word, at + 1)


def _pieces(text: str, lang: str) -> Iterator[tuple[str, int, int]]:
    """(match form, start, end) of each token, hyphenated compounds split in parts.

    Reduplication (model-model) collapses to one part spanning the whole token.
    """
    for token in tokenize(text, lang):
        form = match_form(token.text, lang)
        raw = token.text.split("-")
        forms = form.split("-")
        if len(forms) != len(raw):
            yield form, token.start, token.end
            continue
        start = token.start
        for part, part_form in zip(raw, forms, strict=False):
            yield part_form, start, start + len(part)
            start += len(part) + 1


def concordance(store_texts: Iterable[tuple[int, str]], word: str, lang: str) -> list[Occurrence]:
    """Every (segment id, text) of ``store_texts`` containing ``word``, with the spans.

    Chinese (any word with Han characters) is found as a substring, because jieba may cut
    it across words (开源代码 is 开/源代码); other words on word boundaries, ignoring case,
    and through Indonesian reduplication and clitics (see :class:`_WordFinder`).
    """
    finder = _WordFinder(word, lang)
    found: list[Occurrence] = []
    for segment_id, text in store_texts:
        spans = finder.find(text)
        if spans:
            found.append(Occurrence(segment_id, text, spans))
    return found
