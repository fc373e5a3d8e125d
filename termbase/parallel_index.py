"""The units of a parallel text, indexed for term alignment, and association scores.

Every unit is read once: the terms found in its source and the candidates offered by its
target (:mod:`termbase.parallel_grams`). Candidates are numbered; each unit's candidates
are kept as a slice of flat integer arrays (ids and spans), and an inverted index term →
units keeps the work proportional to a term's occurrences. Counting a term's
co-occurrences and scoring them is then array work rather than one Python step per pair,
which on 100,000 units is the difference between minutes and seconds.

A candidate that hardly occurs outside one longer candidate (接字 of 套接字) is a
fragment; a prior on a candidate's form (its length, and whether jieba cut it as a word)
settles what counts cannot. Scoring is in :mod:`termbase.parallel_scores`.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import re
from array import array
from collections import Counter
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import partial

import numpy as np
import numpy.typing as npt

from corpora.tokenize import has_han
from termbase.parallel_grams import (
    HAN_MAX,
    MAX_WORDS,
    Span,
    Unit,
    read_units,
    unit_tokens,
    whole_key,
)
from termbase.stopwords import stopwords

FRAGMENT_SHARE = 0.8  # see _fragments
FRAGMENT_REST = 1.2
LENGTH_DECAY = 0.75  # prior factor per word a candidate is longer or shorter than expected
PROCESS_UNITS = 20_000  # units from which reading them is shared among processes
MAX_PROCESSES = 4
CHUNK = 2_000  # units per task

_SPACES = re.compile(r"\s+")

Progress = Callable[[int, int], None]
Ints = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]


@dataclass
class Index:
    """Units seen through the terms they contain and the candidates they offer.

    Term ids below ``asked`` are the terms to align; the others are the source's other
    content words, which only compete for links. Unit ``u``'s candidates are
    ``cand[ptr[u]:ptr[u + 1]]`` with their first spans in ``start`` and ``end``.
    """

    pairs: Sequence[tuple[str, str]]
    terms: list[str]  # display form, by term id
    keys: list[str]  # match key, by term id
    asked: int
    content: list[bool]  # by term id: False for a term made of stopwords only ("AND")
    term_units: list[list[int]]  # inverted index: term id -> units containing it
    unit_terms: list[dict[int, Span]]  # unit -> term id -> source span
    whole: list[tuple[int, int] | None]  # unit -> (term id, target cand) if source == term
    cand_keys: list[str]  # candidate id -> key
    cand_ids: dict[str, int]
    ptr: list[int]
    cand: Ints
    start: Ints
    end: Ints
    cand_units: Ints  # candidate id -> units holding it
    aligned: Ints  # candidate id -> units where it falls on token boundaries
    on_tokens: npt.NDArray[np.bool_]  # by entry of ``cand``: that occurrence is aligned
    han: Ints  # candidate id -> Han characters
    latin: Ints  # candidate id -> Latin words
    fragment: npt.NDArray[np.bool_]  # see _fragments
    xlogx: Floats  # x·ln x for x = 0..len(pairs), for G²
    priors: dict[int, Floats] = field(default_factory=dict)

    def spans(self, u: int) -> dict[int, Span]:
        """Unit ``u``'s candidates: id -> first span."""
        lo, hi = self.ptr[u], self.ptr[u + 1]
        return dict(
            zip(
                self.cand[lo:hi].tolist(),
                zip(self.start[lo:hi].tolist(), self.end[lo:hi].tolist(), strict=True),
                strict=True,
            )
        )

    def candidates(self, u: int) -> list[str]:
        """Unit ``u``'s candidate keys."""
        return list(
            map(self.cand_keys.__getitem__, self.cand[self.ptr[u] : self.ptr[u + 1]].tolist())
        )

    def holds(self, u: int, cand: int) -> bool:
        return bool((self.cand[self.ptr[u] : self.ptr[u + 1]] == cand).any())

    def aligned_in(self, units: Collection[int], cand: int) -> int:
        """In how many of ``units`` the candidate falls on token boundaries."""
        ptr, ids, on = self.ptr, self.cand, self.on_tokens
        return sum(
            bool(on[ptr[u] : ptr[u + 1]][ids[ptr[u] : ptr[u + 1]] == cand].any()) for u in units
        )

    def span(self, u: int, cand: int) -> Span:
        lo = self.ptr[u]
        i = lo + int(np.flatnonzero(self.cand[lo : self.ptr[u + 1]] == cand)[0])
        return int(self.start[i]), int(self.end[i])

    def cooccurring(self, term_id: int) -> Ints:
        """The candidate ids of every unit of the term, one entry per unit holding it."""
        units = self.term_units[term_id]
        if not units:
            return np.zeros(0, dtype=np.int64)
        ptr, cand = self.ptr, self.cand
        return np.concatenate([cand[ptr[u] : ptr[u + 1]] for u in units])

    def prior(self, words: int) -> Floats:
        """By candidate id: LENGTH_DECAY per word outside the expected length of a
        translation of ``words`` source words, times the share of its units where it
        falls on token boundaries (half weight).

        Latin script: the same number of words or one more (Indonesian often needs two:
        Invalid = tak valid). Chinese: one to three characters per source word, a Latin
        word counting as two characters.
        """
        if words not in self.priors:
            chinese = self.han > 0
            length = np.where(chinese, self.han + 2 * self.latin, self.latin)
            low = np.where(chinese, 1, words)
            high = np.where(chinese, 3 * words, words + 1)
            step = np.where(chinese, 2.0, 1.0)
            distance = np.maximum(0, np.maximum(low - length, length - high)) / step
            shape = 0.5 + 0.5 * self.aligned / np.maximum(self.cand_units, 1)
            self.priors[words] = shape * LENGTH_DECAY**distance
        return self.priors[words]

    def length_fits(self, words: int, cand: int, slack: int = 0) -> bool:
        """Whether the candidate has the length a translation of ``words`` words has,
        give or take ``slack`` Han characters."""
        han, latin = int(self.han[cand]), int(self.latin[cand])
        if han:
            return 1 <= han + 2 * latin <= 3 * words + slack
        return words <= latin <= words + 1


def build(
    pairs: Sequence[tuple[str, str]],
    source_lang: str,
    target_lang: str,
    terms: Sequence[str] | None,
    min_count: int,
    progress: Progress | None,
) -> Index:
    """Read every unit once: its source terms, its target candidates and their counts."""
    given: dict[str, str] = {}
    for term in terms or ():
        given.setdefault(whole_key(unit_tokens(term, source_lang), source_lang), term)
    given.pop("", None)
    longest = (
        max((k.count(" ") + 1 for k in given), default=MAX_WORDS),
        max((len(k) for k in given if has_han(k)), default=HAN_MAX),
    )
    found: list[dict[str, Span]] = []
    others: list[dict[str, Span]] = []
    capitals: list[dict[str, Span]] = []
    sources: list[str] = []
    targets: list[int] = []
    cand_ids: dict[str, int] = {}
    ptr, cand, start, end = [0], array("q"), array("q"), array("q")
    on_tokens = bytearray()
    number = cand_ids.setdefault
    for done, unit in enumerate(_read(pairs, (source_lang, target_lang), given, longest), 1):
        found.append(unit.terms)
        others.append(unit.others)
        capitals.append(unit.capitals)
        sources.append(unit.source)
        cand.extend([number(key, len(cand_ids)) for key in unit.grams])
        start.extend(unit.starts)
        end.extend(unit.ends)
        on_tokens.extend(unit.aligned)
        ptr.append(len(cand))
        targets.append(-1 if unit.target is None else cand_ids[unit.target])
        if progress:
            progress(done, 2 * len(pairs))
    unit_counts = Counter(k for keys in found for k in keys)
    _place_capitals(pairs, capitals, found, others, unit_counts)
    keys = list(given) if terms is not None else sorted(unit_counts)
    keys = [k for k in keys if unit_counts[k] >= (1 if terms is not None else min_count)]
    asked = len(keys)
    keys += sorted({k for words in others for k in words}.difference(keys))
    ids = {k: i for i, k in enumerate(keys)}
    cand_keys = list(cand_ids)
    cands = np.frombuffer(cand, dtype=np.int64)
    on_mask = np.frombuffer(on_tokens, dtype=np.bool_)
    counts = np.bincount(cands, minlength=len(cand_keys))
    han, latin = _lengths(cand_keys)
    units = np.arange(len(pairs) + 1, dtype=np.float64)
    index = Index(
        pairs=pairs,
        terms=[given.get(k, k) for k in keys],
        keys=keys,
        asked=asked,
        content=[not _all_stopwords(k, source_lang) for k in keys],
        term_units=[[] for _ in keys],
        unit_terms=[
            {ids[k]: span for k, span in (*f.items(), *o.items()) if k in ids}
            for f, o in zip(found, others, strict=True)
        ],
        whole=[None] * len(pairs),
        cand_keys=cand_keys,
        cand_ids=cand_ids,
        ptr=ptr,
        cand=cands,
        start=np.frombuffer(start, dtype=np.int64),
        end=np.frombuffer(end, dtype=np.int64),
        cand_units=counts,
        aligned=np.bincount(cands[on_mask], minlength=len(cand_keys)),
        on_tokens=on_mask,
        han=han,
        latin=latin,
        fragment=_fragments(cand_keys, cand_ids, counts),
        xlogx=units * np.log(np.maximum(units, 1.0)),
    )
    for u, unit_terms in enumerate(index.unit_terms):
        for term_id in unit_terms:
            index.term_units[term_id].append(u)
        term_id = ids.get(sources[u], asked)
        if term_id < asked and term_id in unit_terms and targets[u] >= 0:
            index.whole[u] = (term_id, targets[u])
    if terms is None:
        index.terms = [_surface(index, i) for i in range(asked)]
    return index


def _place_capitals(
    pairs: Sequence[tuple[str, str]],
    capitals: list[dict[str, Span]],
    found: list[dict[str, Span]],
    others: list[dict[str, Span]],
    unit_counts: Counter[str],
) -> None:
    """A term seen in capitals (HEAD for "head") is that term where it is never written
    otherwise (a list of acronyms in lower case); else a word of its own, which competes
    for its own target (HEAD kept as it is). ``found``, ``others`` and ``unit_counts``
    are changed in place."""
    seen = +unit_counts
    for u, spans in enumerate(capitals):
        for key, (start, end) in spans.items():
            if key in seen:
                others[u].setdefault(pairs[u][0][start:end], (start, end))
            else:
                found[u].setdefault(key, (start, end))
                unit_counts[key] += 1


def _surface(index: Index, term_id: int) -> str:
    """The most frequent spelling of an extracted source term (sentence starts aside)."""
    spellings: Counter[str] = Counter()  # one at a sentence start counts 1, elsewhere 2
    for u in index.term_units[term_id]:
        start, end = index.unit_terms[u][term_id]
        spellings[_SPACES.sub(" ", index.pairs[u][0][start:end])] += 2 if start else 1
    return spellings.most_common(1)[0][0]


def _read(
    pairs: Sequence[tuple[str, str]],
    langs: tuple[str, str],
    given: Mapping[str, str],
    longest: Span,
) -> Iterator[Unit]:
    """The units read in order; a large text by as many processes as there are cores.

    Tokenizing and cutting n-grams is most of the work and each unit is read alone, so
    it splits without changing the result. The workers are forked once the first unit
    has loaded the segmenter's dictionary, so they share it instead of loading their own.
    """
    cores = worker_count()
    if cores < 2 or len(pairs) < PROCESS_UNITS:
        yield from read_units(pairs, langs, given, longest)
        return
    yield from read_units(pairs[:1], langs, given, longest)
    chunks = [pairs[i : i + CHUNK] for i in range(1, len(pairs), CHUNK)]
    with ProcessPoolExecutor(cores, mp_context=mp.get_context("fork")) as pool:
        read = partial(read_units, langs=langs, given=given, longest=longest)
        for units in pool.map(read, chunks):
            yield from units


def _all_stopwords(key: str, lang: str) -> bool:
    stop = stopwords(lang)
    return all(word in stop for word in key.split())


def _segments(key: str) -> Iterator[tuple[int, str, bool]]:
    """(offset, text, Han?) of the space-separated parts of a key: a key glues Han
    words directly and puts a space between any other two (see parallel_grams)."""
    offset = 0
    for part in key.split(" "):
        yield offset, part, bool(part) and has_han(part[0])
        offset += len(part) + 1


def _lengths(keys: Sequence[str]) -> tuple[Ints, Ints]:
    """Han characters and Latin words of each key."""
    han = np.zeros(len(keys), dtype=np.int64)
    latin = np.zeros(len(keys), dtype=np.int64)
    for i, key in enumerate(keys):
        for _, part, is_han in _segments(key):
            if is_han:
                han[i] += len(part)
            else:
                latin[i] += 1
    return han, latin


def _splits(key: str) -> Iterator[tuple[str, str]]:
    """The ways to cut a key in two: at a space, or between two Han characters."""
    for offset, part, is_han in _segments(key):
        if offset:
            yield key[: offset - 1], key[offset:]
        if is_han:
            for i in range(offset + 1, offset + len(part)):
                yield key[:i], key[i:]


def _fragments(keys: Sequence[str], ids: dict[str, int], counts: Ints) -> npt.NDArray[np.bool_]:
    """Candidates that are fragments of a longer one: 接字 of 套接字, anak of proses anak.

    A part is a fragment when the longer candidate occurs in at least FRAGMENT_SHARE of
    the part's units and the rest of it is a candidate of its own that hardly occurs
    elsewhere (at most FRAGMENT_REST times as often as the whole): 套 occurs nowhere but
    in 套接字. 锁 in 锁文件 is no fragment, since 文件 occurs everywhere; nor is 本地 one
    of 本地文, whose 文 is no candidate: 本地文 is the fragment there.
    """
    out = np.zeros(len(keys), dtype=np.bool_)
    n_of = counts.tolist()
    for whole in np.flatnonzero(counts >= 2).tolist():
        n = n_of[whole]
        for left, right in _splits(keys[whole]):
            li, ri = ids.get(left, -1), ids.get(right, -1)
            if li < 0 or ri < 0:
                continue
            for part, rest in ((li, ri), (ri, li)):
                if n >= FRAGMENT_SHARE * n_of[part] and n_of[rest] <= FRAGMENT_REST * n:
                    out[part] = True
    return out


def worker_count() -> int:
    """Processes to share work among: none but this one where fork is not available."""
    if "fork" not in mp.get_all_start_methods():
        return 1
    return min(os.cpu_count() or 1, MAX_PROCESSES)
