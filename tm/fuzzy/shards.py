"""Shards of the n-gram index: building, merging, and the shortlist of one query.

A shard is an immutable block of segments with CSR postings: a sorted int64 vocabulary of
gram keys (:mod:`tm.fuzzy.grams`), offsets into one int32 array of row numbers, sorted
within a gram. Building and merging sort one int64 per posting, (gram, row) packed
together: numpy sorts plain int64 arrays with SIMD, ten times faster than the stable
argsort of the keys this replaced (the index of 1M segments took 37 s to build).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from tm.fuzzy.grams import BITS, WHITESPACE, code_points, distinct, lower, pack

SEED_POSTINGS = 100_000
"""How many postings, in all shards together, the query's rarest grams may contribute to
the count.

Grams are taken rarest first, by their postings in all shards, until these would exceed
this; every shard then counts the same grams. An edit changes a few grams of the query
(often the rarest: an inserted word brings grams found nowhere else) but leaves the rest,
so the original still shares most of the counted ones. At 1M English segments this takes
the grams found in up to ~1 % of the segments, about 40 % of a query's grams and 6 % of
their postings. Measured there (bench/fuzzy.py, 200 queries): 50,000 missed the
exhaustive search's best match for 1.5 % of the queries and found fewer originals (0.970
against 0.980); 200,000 took ~1.5x the time and found no more.
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


@dataclass(frozen=True)
class Shard:
    """An immutable block of segments with their gram postings.

    The in-memory index keeps the texts as one UTF-8 blob with offsets (~45 bytes per
    segment instead of ~100 for 1M small Python objects); the stored index reads them
    from the workspace instead and leaves ``blob`` empty.
    """

    ids: np.ndarray  # int64 segment id per row
    lengths: np.ndarray  # int32 length in characters per row
    keys: np.ndarray  # int64 sorted distinct gram keys
    offsets: np.ndarray  # int64, len(keys) + 1, offsets into postings
    postings: np.ndarray  # int32 row numbers, sorted within each gram
    blob: bytes = b""  # UTF-8 texts, concatenated
    text_offsets: np.ndarray = field(default_factory=lambda: np.zeros(1, dtype=np.int64))
    """int64, rows + 1: byte offsets into ``blob``."""

    def __len__(self) -> int:
        return len(self.ids)

    def slices(self, starts: Sequence[int], ends: Sequence[int]) -> list[np.ndarray]:
        """The postings ``[start:end]`` of each pair (a stored shard reads them lazily)."""
        return [self.postings[s:e] for s, e in zip(starts, ends, strict=True)]

    def postings_between(self, start: int, end: int) -> np.ndarray:
        """The postings ``[start:end]`` of all grams (a stored shard reads them)."""
        return self.postings[start:end]

    def texts(self, rows: np.ndarray) -> list[str]:
        """The texts of ``rows``, decoded in one call rather than one per row."""
        starts = self.text_offsets[rows].tolist()
        ends = self.text_offsets[rows + 1].tolist()
        joined = b"".join([self.blob[a:b] for a, b in zip(starts, ends, strict=True)])
        decoded = joined.decode("utf-8", "surrogatepass")
        bounds = np.cumsum(self.lengths[rows]).tolist()
        return [decoded[a:b] for a, b in zip([0, *bounds], bounds, strict=False)]

    def arrays(self) -> tuple[np.ndarray, ...]:
        return (self.ids, self.lengths, self.text_offsets, self.keys, self.offsets, self.postings)


# -- building and merging ----------------------------------------------------------------


def _csr(pairs: np.ndarray, row_bits: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Sorted distinct (gram, row) pairs packed in int64 as gram ids, offsets, postings."""
    pairs = np.sort(pairs)
    if len(pairs):
        pairs = pairs[np.r_[True, pairs[1:] != pairs[:-1]]]  # a gram twice in one text
    grams = pairs >> row_bits
    starts = np.flatnonzero(np.r_[True, grams[1:] != grams[:-1]]) if len(grams) else grams
    offsets = np.append(starts, len(grams)).astype(np.int64)
    return grams[starts], offsets, (pairs & ((1 << row_bits) - 1)).astype(np.int32)


def build_shard(items: Sequence[tuple[int, str]], n: int, *, texts: bool = True) -> Shard:
    """Index ``items`` in one vectorised pass over the concatenated, padded, folded texts.

    Grams are renumbered densely before they are sorted with their rows: by their code
    points' ranks in the batch's alphabet (a memory uses a few hundred distinct
    characters), or, for a batch of thousands of characters, by their rank among the
    batch's distinct grams.
    """
    ids = np.fromiter((i for i, _ in items), dtype=np.int64, count=len(items))
    return shard_of(ids, [text for _, text in items], n, texts=texts)


def shard_of(ids: np.ndarray, strings: Sequence[str], n: int, *, texts: bool = True) -> Shard:
    """:func:`build_shard` of the texts ``strings``, their ids ``ids``."""
    sizes = np.fromiter(map(len, strings), dtype=np.int64, count=len(strings)) + 2
    # Folded as fold() does: lower case on the whole text, then whitespace on code points;
    # each text between two spaces.
    codes = code_points(lower(f" {'  '.join(strings)} " if strings else ""))
    if len(codes):
        spaces = np.arange(int(codes.max()) + 1)
        spaces[WHITESPACE[WHITESPACE < len(spaces)]] = ord(" ")
        codes = spaces[codes]
    alphabet = np.flatnonzero(np.bincount(codes)) if len(codes) else codes
    digit = max(1, (len(alphabet) - 1).bit_length())
    row_bits = max(1, (len(strings) - 1).bit_length())
    if digit * n + row_bits <= 63:
        lookup = np.zeros(int(alphabet[-1]) + 1 if len(alphabet) else 1, dtype=np.int64)
        lookup[alphabet] = np.arange(len(alphabet))
        grams = _pack_digits(lookup[codes], n, digit)
    else:
        grams = pack(codes, n)
    del codes
    rows = np.repeat(np.arange(len(strings), dtype=np.int64), sizes)[: len(grams)]
    valid = np.ones(len(grams), dtype=bool)  # no gram across texts: not the last n - 1
    ends = np.cumsum(sizes)
    for k in range(1, n):
        valid[(ends - k)[ends - k < len(grams)]] = False
    grams, rows = grams[valid], rows[valid]
    del valid
    if digit * n + row_bits <= 63:
        vocab, offsets, postings = _csr((grams << row_bits) | rows, row_bits)
        keys = np.zeros(len(vocab), dtype=np.int64)
        for k in range(n):  # ranks back to code points, packed as the query's keys are
            rank = (vocab >> (digit * (n - 1 - k))) & ((1 << digit) - 1)
            keys = (keys << BITS) | alphabet[rank]
    else:
        keys = distinct(grams)
        ranks, offsets, postings = _csr((np.searchsorted(keys, grams) << row_bits) | rows, row_bits)
        keys = keys[ranks]
    shard = Shard(ids, (sizes - 2).astype(np.int32), keys, offsets, postings)
    if not texts:
        return shard
    encoded = [text.encode("utf-8", "surrogatepass") for text in strings]
    byte_sizes = np.fromiter(map(len, encoded), dtype=np.int64, count=len(encoded))
    return replace(
        shard,
        blob=b"".join(encoded),
        text_offsets=np.r_[0, np.cumsum(byte_sizes)].astype(np.int64),
    )


def _pack_digits(digits: np.ndarray, n: int, bits: int) -> np.ndarray:
    grams = digits[: max(0, len(digits) - n + 1)].copy()
    for k in range(1, n):
        grams = (grams << bits) | digits[k : k + len(grams)]
    return grams


MERGE_RATIO = 2
"""The newest shard merges into the one before once it holds at least 1/MERGE_RATIO of its
rows: shard sizes stay geometric, a few shards at most, and each row is merged O(log N)
times however the rows arrive."""

MERGE_BLOCK = 1 << 21
"""Postings merged in one go (by whole grams): a merge holds some 40 bytes per posting of
one block (~80 MB) beside its per-row arrays and vocabularies, never the shards' postings
(~30 a row: 120 MB for 2**20 rows, 500 MB as they are merged)."""


def merges(previous: int, last: int, most: int | None = None) -> bool:
    """Whether the newest shard (``last`` live rows) merges into the one before it
    (``previous``), when a shard may hold ``most`` rows (None: any number)."""
    return last * MERGE_RATIO >= previous and (most is None or previous + last <= most)


def combine(parts: Sequence[tuple[Shard, np.ndarray | None]], *, by_id: bool) -> Shard:
    """One shard, without texts, of the live rows of ``parts`` (shard, alive mask or None),
    its postings in memory (see :func:`combine_into`)."""
    blocks: list[np.ndarray] = []
    shard = combine_into(parts, by_id=by_id, write=blocks.append)
    postings = np.concatenate(blocks) if blocks else np.empty(0, dtype=np.int32)
    return replace(shard, postings=postings)


def combine_into(
    parts: Sequence[tuple[Shard, np.ndarray | None]],
    *,
    by_id: bool,
    write: Callable[[np.ndarray], None],
) -> Shard:
    """One shard of the live rows of ``parts`` (shard, alive mask or None), its postings
    passed to ``write`` in order, a block of :data:`MERGE_BLOCK` or so at a time, and left
    out of the shard returned: the parts' postings are read a block at a time too
    (:meth:`Shard.postings_between`), so a merge holds none of them whole.

    Rows follow the parts' order, or segment ids when ``by_id`` (the stored index keeps
    its rows sorted by id, to find a changed segment's row by bisection). Each block's
    (gram, row) pairs are sorted packed in one int64: a part's are already in order (its
    rows renumbered in order), so the stable sort (timsort) only merges the parts' runs.
    """
    kept = [(s, np.ones(len(s), dtype=bool) if alive is None else alive) for s, alive in parts]
    ids = np.concatenate([s.ids[alive] for s, alive in kept])
    lengths = np.concatenate([s.lengths[alive] for s, alive in kept])
    rank = None  # rows in the parts' order
    if by_id and not bool(np.all(ids[1:] > ids[:-1])):
        order = np.argsort(ids, kind="stable")
        rank = np.empty(len(ids), dtype=np.int64)
        rank[order] = np.arange(len(ids))
        ids, lengths = ids[order], lengths[order]
    vocab = distinct(np.concatenate([s.keys for s, _ in kept]))
    row_bits = max(1, (len(ids) - 1).bit_length())
    # A part's new row numbers: its old ones shifted (all live, in order), or looked up.
    renumbered: list[int | np.ndarray] = []
    places, done = [], 0
    sizes = np.zeros(len(vocab) + 1, dtype=np.int64)  # postings per gram, dead rows included
    for (shard, alive), (_, given) in zip(kept, parts, strict=True):
        live = len(shard) if given is None else int(alive.sum())
        if given is None and rank is None:
            renumbered.append(done)
        else:
            lookup = np.full(len(shard), -1, dtype=np.int64)
            lookup[alive] = (
                np.arange(done, done + live) if rank is None else rank[done : done + live]
            )
            renumbered.append(lookup)
        done += live
        places.append(np.searchsorted(vocab, shard.keys))
        sizes[places[-1] + 1] += np.diff(shard.offsets)
    total = np.cumsum(sizes)
    cuts = np.searchsorted(total, np.arange(0, int(total[-1]), MERGE_BLOCK), side="right") - 1
    bounds = [*dict.fromkeys(cuts.tolist()), len(vocab)]
    counts = np.zeros(len(vocab), dtype=np.int64)  # live postings per gram
    for first, last in zip(bounds, bounds[1:], strict=False):
        pairs = []
        for (shard, _), renumber, at in zip(kept, renumbered, places, strict=True):
            a, b = np.searchsorted(at, [first, last]).tolist()
            if a == b:
                continue
            rows = shard.postings_between(int(shard.offsets[a]), int(shard.offsets[b]))
            grams = np.repeat(at[a:b] - first, np.diff(shard.offsets[a : b + 1]))
            if isinstance(renumber, int):
                pairs.append((grams << row_bits) | (rows + renumber))
            else:
                moved = renumber[rows]
                live = moved >= 0
                pairs.append((grams[live] << row_bits) | moved[live])
        block = np.sort(np.concatenate(pairs), kind="stable") if pairs else _NO_PAIRS
        counts[first:last] = np.bincount(block >> row_bits, minlength=last - first)
        write((block & ((1 << row_bits) - 1)).astype(np.int32))
    used = counts > 0  # a gram only dead rows had is gone
    offsets = np.r_[0, np.cumsum(counts[used])].astype(np.int64)
    return Shard(ids, lengths, vocab[used], offsets, np.empty(0, dtype=np.int32))


_NO_PAIRS = np.empty(0, dtype=np.int64)


def merge(old: Shard, new: Shard) -> Shard:
    """One in-memory shard holding ``old``'s rows, then ``new``'s, with their texts."""
    return replace(
        combine([(old, None), (new, None)], by_id=False),
        blob=old.blob + new.blob,
        text_offsets=np.concatenate([old.text_offsets, new.text_offsets[1:] + len(old.blob)]),
    )


# -- one query ---------------------------------------------------------------------------


def seed_grams(shards: Sequence[Shard], grams: np.ndarray) -> np.ndarray:
    """The query's grams every shard counts: the rarest in all ``shards`` together, up to
    :data:`SEED_POSTINGS` postings in all of them.

    One choice for all shards, not one per shard: a query then costs the same whether the
    memory is held in one shard or six (each shard of a 1M memory used to count its own
    100,000 postings), and rows of different shards are ranked by the same grams.
    """
    sizes = np.zeros(len(grams), dtype=np.int64)
    for shard in shards:
        at = np.searchsorted(shard.keys, grams)
        known = at < len(shard.keys)
        known[known] = shard.keys[at[known]] == grams[known]
        sizes[known] += shard.offsets[at[known] + 1] - shard.offsets[at[known]]
    found = np.flatnonzero(sizes)  # a gram found nowhere counts for nothing
    order = found[np.argsort(sizes[found], kind="stable")]
    return grams[order[: _seed_count(sizes[order])]]


def shortlist(
    shard: Shard, seeds: np.ndarray, length: int, cutoff: float, alive: np.ndarray | None
) -> tuple[np.ndarray, np.ndarray]:
    """The :data:`SHORTLIST` best live rows of ``shard`` for the query, by the ``seeds``
    (:func:`seed_grams`) they share, with their rank keys, in row order (ties go to the
    earlier row)."""
    starts, ends = postings_of(shard, seeds)
    rows, shared = _count_rows(shard.slices(starts.tolist(), ends.tolist()))
    lengths = shard.lengths[rows]
    shortest, longest = _lengths_within(length, cutoff)
    keep = (lengths >= shortest) & (lengths <= longest)
    if alive is not None:
        keep &= alive[rows]
    kept = np.flatnonzero(keep)  # one pass over the rows found, not one per condition
    rows, shared, lengths = rows[kept], shared[kept], lengths[kept]
    keys = shared - LENGTH_WEIGHT * np.abs(lengths - length)
    best = best_of(keys, SHORTLIST)
    return rows[best], keys[best]


def _lengths_within(length: int, cutoff: float) -> tuple[int, int]:
    """The shortest and longest lengths ``n`` of a row that can score ``cutoff`` against
    a query of ``length`` (``n >= cutoff * length`` and ``cutoff * n <= length``, in
    the same floating point), as integers: compared as they are, without an array of
    products."""
    if cutoff <= 0:
        return 0, 1 << 62
    longest = int(length / cutoff)
    while cutoff * (longest + 1) <= length:
        longest += 1
    while cutoff * longest > length:
        longest -= 1
    return math.ceil(cutoff * length), longest


def best_of(keys: np.ndarray, count: int) -> np.ndarray:
    """Indices of the ``count`` highest ``keys``, ties to the lowest index, ascending.

    Deterministic, unlike a bare ``argpartition``: among many equal copies of a text, the
    same ones make the shortlist every time, on every backend.
    """
    if len(keys) <= count:
        return np.arange(len(keys))
    kth = np.partition(keys, len(keys) - count)[len(keys) - count]
    above = np.flatnonzero(keys > kth)
    tied = np.flatnonzero(keys == kth)[: count - len(above)]
    return np.sort(np.concatenate([above, tied]))


def postings_of(shard: Shard, grams: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Start and end, in the shard's postings, of each query gram the shard knows."""
    at = np.searchsorted(shard.keys, grams)
    known = at < len(shard.keys)
    known[known] = shard.keys[at[known]] == grams[known]
    at = at[known]
    return shard.offsets[at], shard.offsets[at + 1]


def _seed_count(sizes: np.ndarray) -> int:
    """How many of the rarest grams (``sizes`` ascending) to count."""
    within = int(np.searchsorted(np.cumsum(sizes), SEED_POSTINGS, side="right"))
    return min(len(sizes), max(within, SEED_GRAMS))


def _count_rows(slices: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Rows found in the given postings, each with how many of them contain it.

    Sorting the concatenated postings and counting runs touches only those entries; a
    ``np.bincount`` over all rows, then ``np.flatnonzero``, is linear in the memory size
    and was three times slower at 1M segments.
    """
    if not slices:
        return np.empty(0, dtype=np.int32), np.empty(0, dtype=np.int64)
    hits = np.sort(np.concatenate(slices))
    starts = np.empty(len(hits), dtype=bool)  # not np.r_: its Python costs as much here
    starts[:1] = True
    np.not_equal(hits[1:], hits[:-1], out=starts[1:])
    firsts = np.flatnonzero(starts)
    return hits[firsts], np.diff(firsts, append=len(hits))


def rows_with(shard: Shard, required: Sequence[str], n: int) -> np.ndarray:
    """Rows containing every n-gram of every string in ``required`` (all rows if none)."""
    rows: np.ndarray | None = None
    for piece in required:
        grams = distinct(pack(code_points(piece), n))
        starts, ends = postings_of(shard, grams)
        if len(starts) < len(grams):
            return np.empty(0, dtype=np.int64)
        for posting in shard.slices(starts.tolist(), ends.tolist()):
            rows = posting if rows is None else np.intersect1d(rows, posting, assume_unique=True)
    return np.arange(len(shard)) if rows is None else rows
