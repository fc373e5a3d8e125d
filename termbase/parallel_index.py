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
    Source,
    Span,
    Target,
    read_sources,
    read_targets,
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
    rows: array[int]  # ``cand`` as the buffer it views: one unit's few entries are
    # quicker to search there than through numpy
    start: array[int]
    end: array[int]
    cand_units: Ints  # candidate id -> units holding it
    aligned: Ints  # candidate id -> units where it falls on token boundaries
    on_tokens: bytearray  # by entry of ``cand``: that occurrence is aligned
    han: Ints  # candidate id -> Han characters
    latin: Ints  # candidate id -> Latin words
    fragment: npt.NDArray[np.bool_]  # see _fragments
    xlogx: Floats  # x·ln x for x = 0..len(pairs), for G²
    priors: dict[int, Floats] = field(default_factory=dict)

    def spans(self, u: int) -> dict[int, Span]:
        """Unit ``u``'s candidates: id -> first span."""
        lo, hi = self.ptr[u], self.ptr[u + 1]
        spans = zip(self.start[lo:hi], self.end[lo:hi], strict=True)
        return dict(zip(self.rows[lo:hi], spans, strict=True))

    def candidates(self, u: int) -> list[str]:
        """Unit ``u``'s candidate keys."""
        return list(map(self.cand_keys.__getitem__, self.rows[self.ptr[u] : self.ptr[u + 1]]))

    def _entry(self, u: int, cand: int) -> int:
        """The entry of ``cand`` (at most one) among unit ``u``'s, or -1."""
        try:
            return self.rows.index(cand, self.ptr[u], self.ptr[u + 1])
        except ValueError:
            return -1

    def holds(self, u: int, cand: int) -> bool:
        return self._entry(u, cand) >= 0

    def aligned_in(self, units: Collection[int], cand: int) -> int:
        """In how many of ``units`` the candidate falls on token boundaries."""
        on, entry = self.on_tokens, self._entry
        return sum(1 for u in units if (i := entry(u, cand)) >= 0 and on[i])

    def span(self, u: int, cand: int) -> Span:
        i = self.rows.index(cand, self.ptr[u], self.ptr[u + 1])
        return self.start[i], self.end[i]

    def cooccurring(self, term_id: int) -> Ints:
        """The candidate ids of every unit of the term, one entry per unit holding it."""
        rows, ptr = self.rows, self.ptr
        out = array("q")
        for u in self.term_units[term_id]:
            out += rows[ptr[u] : ptr[u + 1]]
        return np.frombuffer(out, dtype=np.int64)

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
    # A text is read once however many units hold it (a catalogue repeats its messages).
    source_of: dict[str, int] = {}
    target_of: dict[str, int] = {}
    source_index = [source_of.setdefault(source, len(source_of)) for source, _ in pairs]
    target_index = [target_of.setdefault(target, len(target_of)) for _, target in pairs]
    read_sources, read_targets = _read(
        list(source_of),
        list(target_of),
        (source_lang, target_lang),
        given,
        longest,
        (lambda done: progress(done, 2 * len(pairs))) if progress else None,
        len(pairs),
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
    numbered: list[array[int] | None] = [None] * len(read_targets)
    for s_index, t_index in zip(source_index, target_index, strict=True):
        source = read_sources[s_index]
        shared = not source.capitals  # _place_capitals changes a unit's own copies
        found.append(source.terms if shared else dict(source.terms))
        others.append(source.others if shared else dict(source.others))
        capitals.append(source.capitals)
        sources.append(source.key)
        target = read_targets[t_index]
        gram_ids = numbered[t_index]
        if gram_ids is None:  # numbered in order of first occurrence, as if read unit by unit
            gram_ids = numbered[t_index] = array(
                "q", [number(k, len(cand_ids)) for k in target.grams]
            )
        cand.extend(gram_ids)
        start.extend(target.starts)
        end.extend(target.ends)
        on_tokens.extend(target.aligned)
        ptr.append(len(cand))
        targets.append(-1 if target.key is None else cand_ids[target.key])
    del read_targets, numbered  # their n-grams are in the arrays now: not held to the end
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
        unit_terms=_unit_terms(ids, found, others, source_index, capitals),
        whole=[None] * len(pairs),
        cand_keys=cand_keys,
        cand_ids=cand_ids,
        ptr=ptr,
        cand=cands,
        rows=cand,
        start=start,
        end=end,
        cand_units=counts,
        aligned=np.bincount(cands[on_mask], minlength=len(cand_keys)),
        on_tokens=on_tokens,
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


def _unit_terms(
    ids: Mapping[str, int],
    found: list[dict[str, Span]],
    others: list[dict[str, Span]],
    source_index: list[int],
    capitals: list[dict[str, Span]],
) -> list[dict[int, Span]]:
    """By unit: term id -> source span, for its terms and other words; one dict shared
    by the units of one source text, but for those _place_capitals changed."""
    out: list[dict[int, Span]] = []
    shared: dict[int, dict[int, Span]] = {}
    for f, o, text, own in zip(found, others, source_index, capitals, strict=True):
        terms = None if own else shared.get(text)
        if terms is None:
            terms = {ids[k]: span for k, span in (*f.items(), *o.items()) if k in ids}
            if not own:
                shared[text] = terms
        out.append(terms)
    return out


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
    sources: Sequence[str],
    targets: Sequence[str],
    langs: tuple[str, str],
    given: Mapping[str, str],
    longest: Span,
    progress: Callable[[int], None] | None,
    units: int,
) -> tuple[list[Source], list[Target]]:
    """The source and target texts read; many by as many processes as there are cores.

    Tokenizing and cutting n-grams is most of the work and each text is read alone, so
    it splits without changing the result. The workers are forked once the first text
    of each side has loaded the segmenter's dictionary, so they share it instead of
    loading their own. ``progress(done)`` counts ``units`` over the whole reading.
    """
    source_lang, target_lang = langs
    read_s = partial(read_sources, lang=source_lang, given=given, longest=longest)
    read_t = partial(read_targets, lang=target_lang)
    texts = len(sources) + len(targets)
    if worker_count() < 2 or texts < 2 * PROCESS_UNITS:
        out_s, out_t = read_s(sources), read_t(targets)
        if progress:
            progress(units)
        return out_s, out_t
    out_s, out_t = read_s(sources[:1]), read_t(targets[:1])
    tasks = [(True, sources[i : i + CHUNK]) for i in range(1, len(sources), CHUNK)]
    tasks += [(False, targets[i : i + CHUNK]) for i in range(1, len(targets), CHUNK)]
    done = 2
    with ProcessPoolExecutor(worker_count(), mp_context=mp.get_context("fork")) as pool:
        for (is_source, chunk), read in zip(
            tasks, pool.map(partial(_read_chunk, read_s, read_t), tasks), strict=True
        ):
            (out_s if is_source else out_t).extend(read)  # type: ignore[arg-type]
            done += len(chunk)
            if progress:
                progress(units * done // texts)
    return out_s, out_t


def _read_chunk(
    read_s: Callable[[Sequence[str]], list[Source]],
    read_t: Callable[[Sequence[str]], list[Target]],
    task: tuple[bool, Sequence[str]],
) -> list[Source] | list[Target]:
    is_source, texts = task
    return read_s(texts) if is_source else read_t(texts)


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
    han: list[int] = []
    latin: list[int] = []
    for key in keys:
        if " " not in key:  # most keys: one Han string or one word
            is_han = bool(key) and has_han(key[0])
            han.append(len(key) if is_han else 0)
            latin.append(0 if is_han else 1)
            continue
        chars = words = 0
        for _, part, is_han in _segments(key):
            if is_han:
                chars += len(part)
            else:
                words += 1
        han.append(chars)
        latin.append(words)
    return np.array(han, dtype=np.int64), np.array(latin, dtype=np.int64)


def _splits(key: str) -> Iterator[tuple[str, str]]:
    """The ways to cut a key in two: at a space, or between two Han characters."""
    if " " not in key:  # most keys: one Han string or one word
        if key and has_han(key[0]):
            for i in range(1, len(key)):
                yield key[:i], key[i:]
        return
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
