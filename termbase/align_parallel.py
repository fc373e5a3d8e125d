"""Alignment of parallel text: target-language equivalents of source terms, from units.

poterminology pairs a term only with messages whose whole source *is* the term; most
terms never stand alone in a message. Here every translation unit is evidence:

1. **Index** (:mod:`termbase.parallel_grams`, :mod:`termbase.parallel_index`). Each
   unit's source terms and target candidates (n-grams, and every Han substring of 2–6
   characters), with an inverted index term → units.
2. **Associate** (:func:`termbase.parallel_index.associations`). Each (term, candidate)
   pair is scored by G² over the units, times a prior on the candidate's form.
3. **Compete.** Competitive linking (Melamed 2000): in each unit the pairs are linked
   greedily, best association first, and a linked term or target span (or one
   overlapping it) is not linked again. With given terms, the source's other content
   words take part too, so a word that translates a neighbour ("sukses" for the
   "success" next to "Display") is taken by it; and a fragment of a linked n-gram
   cannot be linked to a second term.
   Other words are linked only to candidates among their own best: a word whose
   translation no term wants links nothing rather than a term's leftover.
4. **Choose** (:mod:`termbase.parallel_choice`). Links of a span nested in a longer
   word move to it (not where the longer one holds a neighbouring source word's
   translation); those of a span made of the term's and a neighbour's translations
   (索引链 of "multi-pack-index chain") move to the term's part, which nearly all of
   its units hold (链); a one-word term whose rendering takes 的 wherever another
   word follows it (无效的文件, 过期的位图) is an adjective, proposed with 的; and the
   term kept as it is ranks behind a translation; kept inside a copied command line
   (``git bisect start``) it is code, and does not count. A term kept mostly as such
   code in a Chinese target is scored and linked again in its prose units alone
   (``git pull`` copied, 拉取 written).
5. **Score.** The share of the term's units that linked it to the candidate, smoothed
   toward 0 for rare terms: ``links / (units + 1)``. A unit whose whole source is the
   term (poterminology's evidence) links it to the whole target and counts
   ``WHOLE_MESSAGE_WEIGHT`` times; it is strong evidence, never the only one.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Collection, Iterator, Sequence
from dataclasses import replace
from functools import partial

import numpy as np
import numpy.typing as npt

from corpora.tokenize import match_form
from termbase.model import Proposal
from termbase.parallel_choice import (
    attributive,
    copied_with_code,
    extend_nested,
    order,
    shrink_compound,
)
from termbase.parallel_grams import Span
from termbase.parallel_index import Index, Progress, build
from termbase.parallel_scores import all_associations, associations, cooccurring, scores
from termbase.recognize import kwic
from termbase.stopwords import stopwords

METHOD = "parallel"
WHOLE_MESSAGE_WEIGHT = 3.0  # a unit whose whole source is the term counts this many times
EVIDENCE = 3
KWIC_WIDTH = 25
SPELLINGS = 50  # linked units whose spelling of a target is counted
CODE_SAMPLE = 200  # linked units read to tell a kept term's code copies
PROSE_LINKS = 2  # links in prose a translation needs to replace a term kept as code
_SPACES = re.compile(r"\s+")
_WORDS = re.compile(r"([^\W_]+)(\W*)")  # a word and what follows it up to the next
_GAP = re.compile(r"\W*")


def _linkable(index: Index) -> list[dict[int, float]]:
    """The linkable candidates of every term, then of every other content word.

    Another word is only scored against the candidates some term wants: it matters only
    where it could take one of them.
    """
    linkable = all_associations(index, range(index.asked))
    if len(index.keys) > index.asked:
        wanted = np.zeros(len(index.cand_keys), dtype=np.bool_)
        for best in linkable:
            wanted[list(best)] = True
        linkable += all_associations(index, range(index.asked, len(index.keys)), wanted)
    return linkable


def _link_unit(
    index: Index, u: int, linkable: list[dict[int, float]]
) -> Iterator[tuple[int, int, float, Span, Span]]:
    """Competitive linking in one unit: (term id, candidate id, weight, source span,
    target span) links.

    Best association first; on a tie, the longer candidate (the maximal n-gram). Terms
    made of stopwords only ("AND", a glossary's operator) link last, to what the content
    terms left: "and" co-occurs with every translation of its neighbours.
    """
    source, target = index.pairs[u]
    source_taken, target_taken = bytearray(len(source)), bytearray(len(target))
    spans, terms, keys = index.spans(u), index.unit_terms[u], index.cand_keys
    content = index.content
    pairs: list[tuple[bool, float, int, int, int]] = sorted(
        (
            (content[term_id], best[cand], len(keys[cand]), term_id, cand)
            for term_id in terms
            for best in (linkable[term_id],)
            for cand in best.keys() & spans.keys()
        ),
        reverse=True,
    )
    weight = 1.0
    whole = index.whole[u]
    if whole is not None:
        pairs.insert(0, (True, math.inf, 0, *whole))
        weight = WHOLE_MESSAGE_WEIGHT
    for *_, term_id, cand in pairs:
        (s_start, s_end), (t_start, t_end) = terms[term_id], spans[cand]
        if any(source_taken[s_start:s_end]) or any(target_taken[t_start:t_end]):
            continue
        source_taken[s_start:s_end] = b"\x01" * (s_end - s_start)
        target_taken[t_start:t_end] = b"\x01" * (t_end - t_start)
        yield term_id, cand, weight, (s_start, s_end), (t_start, t_end)
        weight = 1.0


# -- proposals -----------------------------------------------------------------------------


def _evidence(index: Index, term_id: int, cand: int, units: Sequence[int]) -> tuple[str, ...]:
    """KWIC lines "source ⇒ target" of the first units showing the pair."""
    lines = []
    for u in units[:EVIDENCE]:
        source, target = index.pairs[u]
        lines.append(
            kwic(source, index.unit_terms[u][term_id], KWIC_WIDTH)
            + " ⇒ "
            + kwic(target, index.span(u, cand), KWIC_WIDTH)
        )
    return tuple(lines)


def _target_surface(index: Index, cand: int, units: Sequence[int]) -> str:
    """The most frequent spelling of a candidate in the first SPELLINGS given units.

    A capital at the start of a message is the message's, not the term's, so such
    occurrences count half.
    """
    spellings: Counter[str] = Counter()  # one at a sentence start counts 1, elsewhere 2
    for u in units[:SPELLINGS]:
        start, end = index.span(u, cand)
        spellings[_SPACES.sub(" ", index.pairs[u][1][start:end])] += 2 if start else 1
    return spellings.most_common(1)[0][0]


def _proposal(
    index: Index,
    term_id: int,
    cand: int,
    score: float,
    count: int,
    shown: Sequence[int],
    langs: tuple[str, str],
) -> Proposal:
    return Proposal(
        source=index.terms[term_id],
        source_lang=langs[0],
        target=_target_surface(index, cand, shown),
        target_lang=langs[1],
        score=round(score, 4),
        count=count,
        method=METHOD,
        evidence=_evidence(index, term_id, cand, shown),
    )


def align_parallel(
    pairs: Sequence[tuple[str, str]],
    source_lang: str,
    target_lang: str,
    *,
    terms: Sequence[str] | None = None,
    min_count: int = 2,
    top: int = 3,
    progress: Progress | None = None,
) -> list[Proposal]:
    """Propose target equivalents of source terms from translation units.

    ``pairs`` are (source text, target text) units. ``terms`` are the source terms to
    align (matched by match form); without them, every source n-gram of 1–3 words that
    neither starts nor ends with a stopword and occurs in ``min_count`` units. Returns up
    to ``top`` proposals per term, best first, each linked in at least one unit; the
    evidence lists units whose source is the term first; ``count`` is the units holding
    both. ``progress(done, total)`` is called as units are read and linked.
    """
    index = build(pairs, source_lang, target_lang, terms, min_count, progress)
    linkable = _linkable(index)
    links: list[dict[int, float]] = [defaultdict(float) for _ in range(index.asked)]
    shown: list[dict[int, list[int]]] = [{} for _ in range(index.asked)]
    taken: list[list[tuple[int, Span, Span]]] = []  # by unit: (term id, spans) linked
    for u in range(len(pairs)):
        taken.append([])
        for term_id, cand, weight, source_span, target_span in _link_unit(index, u, linkable):
            taken[u].append((term_id, source_span, target_span))
            if term_id < index.asked:
                links[term_id][cand] += weight
                examples = shown[term_id].setdefault(cand, [])
                examples.insert(0 if weight > 1 else len(examples), u)
        if progress:
            progress(len(pairs) + u + 1, 2 * len(pairs))
    proposals: list[Proposal] = []
    targets = [target for _, target in pairs]
    keys, ids = index.cand_keys, index.cand_ids
    term_ids = {key: i for i, key in enumerate(index.keys)}
    for term_id, by_id in enumerate(links):
        if not by_id:
            continue
        words = index.keys[term_id].count(" ") + 1
        term_units: list[int] | None = None  # all of the term's units
        best = linkable[term_id]
        linked = {keys[c]: n for c, n in by_id.items()}
        by_key = {keys[c]: us for c, us in shown[term_id].items()}
        code = _code_links(index, term_id, linked, by_key)
        kept_first = order(linked, {}, index.keys[term_id], target_lang, code)[0]
        if (
            target_lang.startswith("zh")
            and kept_first == index.keys[term_id]
            and 2 * code.get(kept_first, 0.0) >= linked[kept_first]
        ):
            prose = _from_prose(index, term_id, linkable)
            if prose:
                term_units, best, linked, by_key = prose
                code = {}
        counted = index.term_units[term_id] if term_units is None else term_units
        whole = sum(1 for u in counted if index.whole[u])
        units = len(counted) + (WHOLE_MESSAGE_WEIGHT - 1) * whole
        extend_nested(
            linked,
            by_key,
            targets,
            index.candidates,
            _Neighbours(index, taken, source_lang, term_id),
            partial(_wordlike, index, words),
            _Strength(index, term_id, term_units),
        )
        shrink_compound(
            linked,
            by_key,
            targets,
            counted,
            partial(_holders, index, counted),
            _Beside(index, linkable, term_ids, source_lang, term_id),
            top,
        )
        rank = {keys[c]: s for c, s in best.items()}
        chosen = order(linked, rank, index.keys[term_id], target_lang, code)[:top]
        seen = index.cooccurring(term_id) if chosen else None
        for key in chosen:
            cand = ids[key]
            proposal = _proposal(
                index,
                term_id,
                cand,
                linked[key] / (units + 1),
                int(np.count_nonzero(seen == cand)),
                by_key[key],
                (source_lang, target_lang),
            )
            if words == 1 and attributive(key, [targets[u] for u in by_key[key]]):
                proposal = replace(proposal, target=proposal.target + "的")
            proposals.append(proposal)
    return proposals


def _prose_units(index: Index, term_id: int) -> list[int]:
    """The term's units where it is not copied with the code around it: where a term
    kept as it is (``git pull``) is mostly code, only these show how it is translated
    (拉取 in "You asked to pull from the remote")."""
    key, words = index.keys[term_id], index.keys[term_id].count(" ") + 1
    cand = index.cand_ids[key]
    return [
        u
        for u in index.term_units[term_id]
        if not (
            index.holds(u, cand) and copied_with_code(*index.pairs[u], index.span(u, cand), words)
        )
    ]


def _from_prose(
    index: Index, term_id: int, linkable: list[dict[int, float]]
) -> tuple[list[int], dict[int, float], dict[str, float], dict[str, list[int]]] | None:
    """The term scored and linked again in its prose units, for a term kept as it is in
    a Han-script target but mostly as code: (those units, its linkable candidates, links
    and units by key), or None where no other target has PROSE_LINKS links there."""
    prose = _prose_units(index, term_id)
    best = associations(index, term_id, units=prose) if prose else {}
    linked, shown = _relink(index, term_id, prose, linkable, best)
    key = index.keys[term_id]
    if not any(n >= PROSE_LINKS for k, n in linked.items() if k != key):
        return None
    return prose, best, linked, shown


def _relink(
    index: Index,
    term_id: int,
    units: list[int],
    linkable: list[dict[int, float]],
    best: dict[int, float],
) -> tuple[dict[str, float], dict[str, list[int]]]:
    """Competitive linking of ``units`` again, the term with candidates ``best``: its
    links (by key) and the units showing each."""
    linkable = linkable.copy()
    linkable[term_id] = best
    linked: dict[str, float] = defaultdict(float)
    shown: dict[str, list[int]] = {}
    for u in units:
        for other, cand, weight, _, _ in _link_unit(index, u, linkable):
            if other == term_id:
                key = index.cand_keys[cand]
                linked[key] += weight
                examples = shown.setdefault(key, [])
                examples.insert(0 if weight > 1 else len(examples), u)
    return dict(linked), shown


def _code_links(
    index: Index, term_id: int, linked: dict[str, float], shown: dict[str, list[int]]
) -> dict[str, float]:
    """The links of the term kept as it is that were copied with the code around it,
    estimated from the first CODE_SAMPLE units that linked it."""
    key = index.keys[term_id]
    if key not in linked:
        return {}
    cand, words = index.cand_ids[key], key.count(" ") + 1
    units = shown[key][:CODE_SAMPLE]
    copied = sum(copied_with_code(*index.pairs[u], index.span(u, cand), words) for u in units)
    return {key: linked[key] * copied / len(units)}


class _Neighbours:
    """Which of a unit's candidates overlap a target span linked to a source word next to
    the term: 桌面文件 is no longer form of 桌面 where 文件 translates
    the "file" of "Desktop file", the source's compound translated as one."""

    def __init__(
        self, index: Index, taken: list[list[tuple[int, Span, Span]]], lang: str, term_id: int
    ) -> None:
        self.index, self.taken, self.term_id = index, taken, term_id
        self.stop = stopwords(lang)
        self.blocked: dict[int, list[Span]] = {}

    def _blocked(self, u: int) -> list[Span]:
        """The target spans linked to source words next to the term in unit ``u``."""
        if u not in self.blocked:
            source = self.index.pairs[u][0]
            t_start, t_end = self.index.unit_terms[u][self.term_id]
            self.blocked[u] = [
                target
                for other, (s_start, s_end), target in self.taken[u]
                if other != self.term_id
                and _adjacent(
                    source[t_end:s_start] if s_start >= t_end else source[s_end:t_start],
                    self.stop,
                )
            ]
        return self.blocked[u]

    def __call__(self, u: int, keys: Collection[str]) -> list[str]:
        """Those of unit ``u``'s candidate ``keys`` overlapping a neighbour's translation."""
        blocked = self._blocked(u)
        if not blocked:
            return []
        out = []
        for key in keys:
            start, end = self.index.span(u, self.index.cand_ids[key])
            if any(end > b_start and start < b_end for b_start, b_end in blocked):
                out.append(key)
        return out


class _Strength:
    """The association of a term with a candidate (G² times prior, as when linking); the
    term's co-occurrences are gathered on the first call."""

    def __init__(self, index: Index, term_id: int, units: list[int] | None = None) -> None:
        self.index, self.term_id, self.units = index, term_id, units
        self.seen: npt.NDArray[np.int64] | None = None

    def __call__(self, key: str, variant: str | None = None) -> float:
        """The association with ``key``, counting the units that write ``variant``
        (another spelling of it, not a candidate) as holding it too."""
        if self.seen is None:
            self.seen = cooccurring(self.index, self.term_id, self.units)
        cand = np.array([self.index.cand_ids[key]])
        if variant is None:
            both = np.array([np.count_nonzero(self.seen == cand[0])])
            return float(scores(self.index, self.term_id, cand, both, self.units)[0])
        pairs = self.index.pairs
        units = self.index.term_units[self.term_id] if self.units is None else self.units
        both = np.array([sum(key in pairs[u][1] or variant in pairs[u][1] for u in units)])
        total = np.array([sum(key in t or variant in t for _, t in pairs)])
        return float(scores(self.index, self.term_id, cand, both, self.units, total)[0])


def _holders(index: Index, units: Sequence[int], key: str) -> list[int]:
    """Those of ``units`` where ``key`` is a candidate."""
    cand = index.cand_ids.get(key)
    return [] if cand is None else [u for u in units if index.holds(u, cand)]


class _Beside:
    """Whether a target span translates a source word next to the term in a unit: the
    nearest content word on either side, with only spaces, hyphens and stopwords between
    (the "index" of "multi-pack-index chain"), is more associated with it than the term."""

    def __init__(
        self,
        index: Index,
        linkable: list[dict[int, float]],
        term_ids: dict[str, int],
        lang: str,
        term_id: int,
    ) -> None:
        self.index, self.linkable, self.term_ids = index, linkable, term_ids
        self.lang, self.term_id = lang, term_id
        self.stop = stopwords(lang)
        self.words: dict[int, list[int]] = {}

    def __call__(self, u: int, key: str) -> bool:
        cand = self.index.cand_ids.get(key)
        if cand is None:
            return False
        if u not in self.words:
            self.words[u] = self._neighbours(u)
        own = self.linkable[self.term_id].get(cand, 0.0)
        return any(self.linkable[other].get(cand, 0.0) > own for other in self.words[u])

    def _neighbours(self, u: int) -> list[int]:
        """The term ids of the nearest content words on either side of the term."""
        source = self.index.pairs[u][0]
        start, end = self.index.unit_terms[u][self.term_id]
        left = list(reversed(_WORDS.findall(source[:start])))
        right = _WORDS.findall(source[end:])
        lead = _GAP.match(source, end)
        gaps = [lead.group() if lead else "", *(g for _, g in right)]
        right = [(w, g) for (w, _), g in zip(right, gaps, strict=False)]
        out = []
        for side in (left, right):
            for word, gap in side:
                if gap.strip(" -"):
                    break
                form = match_form(word, self.lang)
                if form in self.stop:
                    continue
                other = self.term_ids.get(form)
                if other is not None and other != self.term_id:
                    out.append(other)
                break
        return out


def _adjacent(gap: str, stop: frozenset[str]) -> bool:
    """Whether two source words with ``gap`` between them may form one phrase: only
    spaces, hyphens and ``stop`` words between them ("unable to fork")."""
    return all(word.lower() in stop for word in gap.replace("-", " ").split())


def _wordlike(index: Index, words: int, key: str, units: Collection[int]) -> bool:
    """A target a span may grow into: no fragment, mostly on jieba's word boundaries in
    the ``units`` it would take (多包索引 elsewhere cuts 包索引 apart), and of the length a
    translation of ``words`` source words has, give or take a character (二分查找)."""
    cand = index.cand_ids[key]
    return (
        not index.fragment[cand]
        and 2 * index.aligned_in(units, cand) >= len(units)
        and index.length_fits(words, cand, slack=1)
    )


def dice_baseline(
    pairs: Sequence[tuple[str, str]],
    source_lang: str,
    target_lang: str,
    *,
    terms: Sequence[str] | None = None,
    min_count: int = 2,
    top: int = 3,
    progress: Progress | None = None,
) -> list[Proposal]:
    """The floor to beat: Dice coefficient of unit co-occurrence, no competition.

    Same terms and candidates as :func:`align_parallel`; each candidate is scored by
    2·both / (term units + candidate units) alone, longer first on a tie.
    """
    index = build(pairs, source_lang, target_lang, terms, min_count, progress)
    proposals: list[Proposal] = []
    for term_id, units in enumerate(index.term_units[: index.asked]):
        cands, both = np.unique(index.cooccurring(term_id), return_counts=True)
        dice = (2 * both / (len(units) + index.cand_units[cands])).tolist()
        best = sorted(
            zip(dice, both.tolist(), cands.tolist(), strict=True),
            key=lambda d: (d[0], len(index.cand_keys[d[2]])),
            reverse=True,
        )
        for score, count, cand in best[:top]:
            shown = [u for u in units if index.holds(u, cand)][:SPELLINGS]
            proposals.append(
                _proposal(index, term_id, cand, score, count, shown, (source_lang, target_lang))
            )
    return proposals
