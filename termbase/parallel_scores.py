"""Association of terms with candidates in an indexed parallel text (see parallel_index).

Each (term, candidate) pair is scored by the log-likelihood ratio G² (Dunning 1993) over
the 2×2 table of units, times a prior on the candidate's form (parallel_index's
``Index.prior``). Counting a term's co-occurrences and scoring them is array work rather
than one Python step per pair; many terms are scored by forked workers sharing the index.
"""

from __future__ import annotations

import multiprocessing as mp
from concurrent.futures import ProcessPoolExecutor
from functools import partial

import numpy as np
import numpy.typing as npt

from termbase.parallel_index import Floats, Index, Ints, worker_count

SAME_FORM = 2.0  # prior factor for a candidate spelt like the term (Folder = folder, HOME)
LINKABLE = 30  # candidates per term, by association, that may be linked in a unit
PROCESS_TERMS = 5_000  # terms from which scoring them is shared among processes

_shared: Index | None = None  # the index a forked worker scores terms of


def all_associations(
    index: Index, term_ids: range, wanted: npt.NDArray[np.bool_] | None = None
) -> list[dict[int, float]]:
    """:func:`associations` of each term, by as many forked processes as there are cores
    for many terms: each term is scored alone, against the index the workers share."""
    global _shared
    cores = worker_count()
    if cores < 2 or len(term_ids) < PROCESS_TERMS:
        return [associations(index, t, wanted) for t in term_ids]
    step = -(-len(term_ids) // (4 * cores))
    ranges = [term_ids[i : i + step] for i in range(0, len(term_ids), step)]
    _shared = index
    try:
        with ProcessPoolExecutor(cores, mp_context=mp.get_context("fork")) as pool:
            return [
                best
                for part in pool.map(partial(_shared_associations, wanted=wanted), ranges)
                for best in part
            ]
    finally:
        _shared = None


def _shared_associations(
    term_ids: range, wanted: npt.NDArray[np.bool_] | None
) -> list[dict[int, float]]:
    assert _shared is not None
    return [associations(_shared, t, wanted) for t in term_ids]


def associations(
    index: Index,
    term_id: int,
    wanted: npt.NDArray[np.bool_] | None = None,
    units: list[int] | None = None,
) -> dict[int, float]:
    """The LINKABLE best candidates of a term (id -> score), by G² times a prior on
    their form; fragments left out; with ``wanted``, only those candidates; with
    ``units``, the term counted in those of its units only.

    The prior settles what counts cannot: among candidates seen in the same two units,
    the one of about the term's length that jieba also cut as a word is the likeliest
    translation.
    """
    seen = cooccurring(index, term_id, units)
    cands, both = np.unique(seen, return_counts=True)
    keep = ~index.fragment[cands]
    cands, both = cands[keep], both[keep]
    score = scores(index, term_id, cands, both, units)
    positive = np.flatnonzero(score > 0)
    if len(positive) > LINKABLE:
        positive = positive[np.argpartition(-score[positive], LINKABLE - 1)[:LINKABLE]]
    best = [
        (float(score[i]), len(index.cand_keys[c]), c)
        for i, c in zip(positive.tolist(), cands[positive].tolist(), strict=True)
        if wanted is None or wanted[c]
    ]
    best.sort(key=lambda item: (item[0], item[1], index.cand_keys[item[2]]), reverse=True)
    return {c: s for s, _, c in best}


def cooccurring(index: Index, term_id: int, units: list[int] | None = None) -> Ints:
    """The candidate ids of the term's units (of ``units`` only, if given), one entry
    per unit holding each."""
    if units is None:
        return index.cooccurring(term_id)
    ptr, cand = index.ptr, index.cand
    return np.concatenate([cand[:0], *(cand[ptr[u] : ptr[u + 1]] for u in units)])


def scores(
    index: Index,
    term_id: int,
    cands: Ints,
    both: Ints,
    units: list[int] | None = None,
    totals: Ints | None = None,
) -> Floats:
    """G² times the prior of each candidate, ``both`` the units holding it and the term
    (the term counted in ``units`` only, if given), ``totals`` the units holding it (if
    not those the index counted)."""
    source = len(index.term_units[term_id] if units is None else units)
    target = index.cand_units[cands] if totals is None else totals
    score = g2(both, source, target, index.xlogx)
    term_key = index.keys[term_id]
    score *= index.prior(term_key.count(" ") + 1)[cands]
    score[cands == index.cand_ids.get(term_key, -1)] *= SAME_FORM
    return score


def g2(both: Ints, source: int, target: Ints, xlogx: Floats) -> Floats:
    """Log-likelihood ratio G² of a positive association between two events over units.

    ``both`` units hold the two, ``source`` and ``target`` units hold each, of
    ``len(xlogx) - 1`` units in all; ``xlogx`` is the table of x·ln x. 0 where the two
    co-occur no more often than chance would have them.
    """
    units = len(xlogx) - 1
    out = 2.0 * (
        xlogx[both]
        + xlogx[source - both]
        + xlogx[target - both]
        + xlogx[units - source - target + both]
        - xlogx[source]
        - xlogx[units - source]
        - xlogx[target]
        - xlogx[units - target]
        + xlogx[units]
    )
    return np.where(both * units > source * target, out, 0.0)
