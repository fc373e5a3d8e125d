"""Alignment of parallel text: target-language equivalents of source terms, from units.

poterminology pairs a term only with messages whose whole source *is* the term; most
terms never stand alone in a message. Here every translation unit is evidence:

1. **Index.** The source side of each unit is searched for the terms by match form (so
   ``Files``, ``file's`` and ``berkasnya`` are seen), longest term first; the target side
   yields candidates: 1–3 word n-grams and, for Chinese, every Han substring of 2–6
   characters, so that a candidate never depends on jieba alone (开源代码 cut as 开/源代码
   still yields 开源). An inverted index term → units keeps the work proportional to the
   term's occurrences.
2. **Associate.** Each (term, candidate) pair is scored by the log-likelihood ratio G²
   (Dunning 1993) over the 2×2 table of units. Unlike Dice or PMI it does not reward two
   rare strings that meet once by chance, and unlike raw counts it discounts candidates
   that occur everywhere (only positive association counts). Of a candidate and a longer
   one containing it that co-occur with the term equally often, the longer one is rarer
   elsewhere and scores higher: ``sumber terbuka`` beats ``sumber``. A candidate that
   hardly occurs outside one longer candidate (接字 of 套接字) is a fragment and is
   dropped; a prior on the candidate's form (its length, and whether jieba cut it as a
   word) settles what the counts cannot, as between the n-grams of a term seen twice.
3. **Compete.** Competitive linking (Melamed 2000): in each unit the pairs are linked
   greedily, best association first, and a linked term or target span (or one
   overlapping it) is not linked again. With given terms, the source's other content
   words take part too, so a word that translates a neighbour ("sukses" for the
   "success" next to "Display") is taken by it; and a fragment of a linked n-gram
   cannot be linked to a second term.
4. **Score.** The share of the term's units that linked it to the candidate, smoothed
   toward 0 for rare terms: ``links / (units + 1)``. A unit whose whole source is the
   term (poterminology's evidence) links it to the whole target and counts
   ``WHOLE_MESSAGE_WEIGHT`` times; it is strong evidence, never the only one.
"""

from __future__ import annotations

import heapq
import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache, partial

from corpora.tokenize import Token, has_han, match_form, runs, tokenize
from termbase.model import Proposal
from termbase.parallel_choice import extend_nested, order
from termbase.recognize import kwic
from termbase.stopwords import stopwords

METHOD = "parallel"
MAX_WORDS = 3  # words in a source or target n-gram
HAN_MIN, HAN_MAX = 2, 6  # characters in a Chinese substring candidate
WHOLE_MESSAGE_WEIGHT = 3.0  # a unit whose whole source is the term counts this many times
FRAGMENT_SHARE = 0.8  # see _fragments
FRAGMENT_REST = 1.2
LENGTH_DECAY = 0.75  # prior factor per word a candidate is longer or shorter than expected
SAME_FORM = 2.0  # prior factor for a candidate spelt like the term (Folder = folder, HOME)
LINKABLE = 30  # candidates per term, by association, that may be linked in a unit
EVIDENCE = 3
KWIC_WIDTH = 25
# printf-style and brace placeholders (%s, %1$d, %-10lu, {name}) are code, not words.
_PLACEHOLDER = re.compile(
    r"%(?:\d+\$)?[-+#0']*(?:\d+|\*)?(?:\.(?:\d+|\*))?(?:hh|ll|[hlLqjzt])?[diouxXeEfFgGcsp]"
    r"|\{\w*\}"
)
_SPACES = re.compile(r"\s+")

Progress = Callable[[int, int], None]
Span = tuple[int, int]


@dataclass(frozen=True, slots=True)
class _Gram:
    """An n-gram occurrence: its match key and character span in the unit's text."""

    key: str
    start: int
    end: int
    aligned: bool  # on token boundaries (False: a Han substring cutting across jieba words)


@dataclass
class _Index:
    """Units seen through the terms they contain and the candidates they offer.

    Term ids below ``asked`` are the terms to align; the others are the source's other
    content words, which only compete for links.
    """

    pairs: Sequence[tuple[str, str]]
    terms: list[str]  # display form, by term id
    keys: list[str]  # match key, by term id
    asked: int
    content: list[bool]  # by term id: False for a term made of stopwords only ("AND")
    term_units: list[list[int]]  # inverted index: term id -> units containing it
    unit_terms: list[dict[int, Span]]  # unit -> term id -> source span
    unit_cands: list[dict[str, _Gram]]  # unit -> candidate key -> first occurrence
    whole: list[tuple[int, str] | None]  # unit -> (term id, target key) if source == term
    cand_units: Counter[str]  # candidate key -> units containing it
    aligned: Counter[str]  # candidate key -> units where it falls on token boundaries
    fragments: set[str]  # see _fragments
    xlogx: list[float]  # x·ln x for x = 0..len(pairs), for G²


# -- n-grams -------------------------------------------------------------------------------


def _tokens(text: str, lang: str) -> list[Token]:
    """Tokens of ``text``, placeholders turned into breaks and Latin compounds split.

    A placeholder (``%s``) stands for words we cannot see, so no n-gram spans it.
    ``open-source`` becomes ``open`` + ``source`` so that it matches ``open source``;
    reduplication (``model-model``) and names with a letter or number part (``D-Bus``,
    ``GPT-4``) stay whole.
    """
    masked = _PLACEHOLDER.sub(lambda m: "\x00" + " " * (len(m.group()) - 1), text)
    out: list[Token] = []
    for tok in tokenize(masked, lang):
        parts = tok.text.split("-")
        if tok.kind != "word" or len(parts) == 1 or not _is_compound(parts):
            out.append(tok)
            continue
        pos = tok.start
        for part in parts:
            out.append(Token(part, pos, pos + len(part), "word"))
            pos += len(part) + 1
    return out


def _is_compound(parts: list[str]) -> bool:
    """open-source is open + source; model-model, D-Bus and GPT-4 are single words."""
    if parts[1].lower().startswith(parts[0].lower()):
        return False
    return all(len(p) > 1 and not p.isdigit() for p in parts)


def _join(run: Sequence[Token], forms: Sequence[str]) -> str:
    """The key of an n-gram: match forms joined by spaces, Han words joined directly."""
    out = forms[0]
    for prev, tok, form in zip(run, run[1:], forms[1:], strict=False):
        out += form if prev.kind == tok.kind == "han" else " " + form
    return out


def _whole_key(tokens: list[Token], lang: str) -> str:
    """The key of a whole text, to recognise a unit whose source is just the term."""
    words = [t for t in tokens if t.kind != "punct"]
    return _join(words, [match_form(t.text, lang) for t in words]) if words else ""


def _is_edge(tok: Token, form: str, lang: str) -> bool:
    """Whether an n-gram may start or end with this token.

    Not with a stopword, a bare number, or a single Latin letter (a mnemonic ``(_F)`` or
    the remains of a placeholder).
    """
    if tok.kind == "number" or (tok.kind == "word" and len(form) == 1):
        return False
    stop_lang = "zh" if tok.kind == "han" else ("en" if lang.startswith("zh") else lang)
    return form.lower() not in stopwords(stop_lang)


def _word_grams(tokens: list[Token], lang: str, max_words: int, edges: bool) -> Iterator[_Gram]:
    """Word n-grams of 1..max_words tokens; with ``edges``, only well-edged ones."""
    for run in runs(tokens, numbers=True):
        forms = [match_form(t.text, lang) for t in run]
        ok = [not edges or _is_edge(t, f, lang) for t, f in zip(run, forms, strict=True)]
        for i in range(len(run)):
            if not ok[i]:
                continue
            key = forms[i]
            for j in range(i, min(len(run), i + max_words)):
                if j > i:  # the key grows as _join would make it
                    glue = "" if run[j - 1].kind == run[j].kind == "han" else " "
                    key += glue + forms[j]
                if ok[j]:
                    yield _Gram(key, run[i].start, run[j].end, True)


def _hanruns(tokens: list[Token]) -> Iterator[Span]:
    """Spans of contiguous Han text (jieba's words glued back together)."""
    start = end = -1
    for tok in tokens:
        if tok.kind == "han" and tok.start == end:
            end = tok.end
            continue
        if start >= 0:
            yield start, end
        start, end = (tok.start, tok.end) if tok.kind == "han" else (-1, -1)
    if start >= 0:
        yield start, end


def _han_substrings(text: str, tokens: list[Token], longest: int, edges: bool) -> Iterator[_Gram]:
    """Every Han substring of HAN_MIN..longest characters, whatever jieba made of it.

    With ``edges``, a substring may not start or end with a one-character stopword (的,
    在): such a string is a fragment when jieba did not make it a word.
    """
    stop = stopwords("zh")
    for start, end in _hanruns(tokens):
        for i in range(start, end):
            if edges and text[i] in stop:
                continue
            for j in range(i + HAN_MIN, min(end, i + longest) + 1):
                if not edges or text[j - 1] not in stop:
                    yield _Gram(text[i:j], i, j, False)


def _target_grams(text: str, tokens: list[Token], lang: str) -> dict[str, _Gram]:
    """Candidate equivalents in one target text, by key (token-aligned occurrence first)."""
    grams: dict[str, _Gram] = {}
    for gram in _word_grams(tokens, lang, MAX_WORDS, edges=True):
        grams.setdefault(gram.key, gram)
    for gram in _han_substrings(text, tokens, HAN_MAX, edges=True):
        grams.setdefault(gram.key, gram)
    return grams


def _source_terms(
    text: str, tokens: list[Token], lang: str, given: Collection[str], longest: Span
) -> tuple[dict[str, Span], dict[str, Span]]:
    """Terms found in a source text, and its other content words, by key, with a span.

    Given terms are recognised longest first, as a reader would: the ``process`` in
    ``child process`` is not an occurrence of the term ``process`` when ``child
    process`` is a term too. A given term may hold a stopword ("Log in"). Without given
    terms, every well-edged word n-gram is a term, nested or not, and there are no others.
    ``longest`` is the most words and the most Han characters in a given term.
    """
    if not given:
        found: dict[str, Span] = {}
        for gram in _word_grams(tokens, lang, MAX_WORDS, edges=True):
            found.setdefault(gram.key, (gram.start, gram.end))
        return found, {}
    max_words, max_han = longest
    grams = [
        g
        for g in (
            *_word_grams(tokens, lang, max_words, edges=False),
            *_han_substrings(text, tokens, max_han, edges=False),
        )
        if g.key in given
    ]
    grams.sort(key=lambda g: (g.start - g.end, g.start))
    taken = bytearray(len(text))
    terms: dict[str, Span] = {}
    for gram in grams:
        if not any(taken[gram.start : gram.end]):
            taken[gram.start : gram.end] = b"\x01" * (gram.end - gram.start)
            terms.setdefault(gram.key, (gram.start, gram.end))  # same key, same length
    others: dict[str, Span] = {}
    for gram in _word_grams(tokens, lang, 1, edges=True):
        if gram.key not in given and not any(taken[gram.start : gram.end]):
            others.setdefault(gram.key, (gram.start, gram.end))
    return terms, others


# -- index ---------------------------------------------------------------------------------


def _index(
    pairs: Sequence[tuple[str, str]],
    source_lang: str,
    target_lang: str,
    terms: Sequence[str] | None,
    min_count: int,
    progress: Progress | None,
) -> _Index:
    """Read every unit once: its source terms, its target candidates and their counts."""
    given: dict[str, str] = {}
    for term in terms or ():
        given.setdefault(_whole_key(_tokens(term, source_lang), source_lang), term)
    given.pop("", None)
    longest = (
        max((k.count(" ") + 1 for k in given), default=MAX_WORDS),
        max((len(k) for k in given if has_han(k)), default=HAN_MAX),
    )
    found: list[dict[str, Span]] = []
    others: list[dict[str, Span]] = []
    sources: list[str] = []
    cands: list[dict[str, _Gram]] = []
    targets: list[str] = []
    cand_units: Counter[str] = Counter()
    aligned: Counter[str] = Counter()
    for done, (source, target) in enumerate(pairs, 1):
        tokens = _tokens(source, source_lang)
        terms_found, words_found = _source_terms(source, tokens, source_lang, given, longest)
        found.append(terms_found)
        others.append(words_found)
        sources.append(_whole_key(tokens, source_lang))
        tokens = _tokens(target, target_lang)
        grams = _target_grams(target, tokens, target_lang)
        cands.append(grams)
        targets.append(_whole_key(tokens, target_lang))
        cand_units.update(grams.keys())
        aligned.update(k for k, g in grams.items() if g.aligned)
        if progress:
            progress(done, 2 * len(pairs))
    unit_counts = Counter(k for keys in found for k in keys)
    keys = list(given) if terms is not None else sorted(unit_counts)
    keys = [k for k in keys if unit_counts[k] >= (1 if terms is not None else min_count)]
    asked = len(keys)
    keys += sorted({k for words in others for k in words}.difference(keys))
    ids = {k: i for i, k in enumerate(keys)}
    index = _Index(
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
        unit_cands=cands,
        whole=[None] * len(pairs),
        cand_units=cand_units,
        aligned=aligned,
        fragments=_fragments(cand_units),
        xlogx=[_xlogx(x) for x in range(len(pairs) + 1)],
    )
    for u, unit_terms in enumerate(index.unit_terms):
        for term_id in unit_terms:
            index.term_units[term_id].append(u)
        term_id = ids.get(sources[u], asked)
        if term_id < asked and term_id in unit_terms and targets[u] in cands[u]:
            index.whole[u] = (term_id, targets[u])
    if terms is None:
        index.terms = [_surface(index, i) for i in range(asked)]
    return index


def _all_stopwords(key: str, lang: str) -> bool:
    stop = stopwords(lang)
    return all(word in stop for word in key.split())


def _surface(index: _Index, term_id: int) -> str:
    """The most frequent spelling of an extracted source term (sentence starts aside)."""
    spellings: Counter[str] = Counter()  # one at a sentence start counts 1, elsewhere 2
    for u in index.term_units[term_id]:
        start, end = index.unit_terms[u][term_id]
        spellings[_SPACES.sub(" ", index.pairs[u][0][start:end])] += 2 if start else 1
    return spellings.most_common(1)[0][0]


def _splits(key: str) -> Iterator[tuple[str, str]]:
    """The ways to cut a key in two: at a space, or between two Han characters."""
    for i in range(1, len(key)):
        if key[i] == " ":
            yield key[:i], key[i + 1 :]
        elif has_han(key[i - 1]) and has_han(key[i]):
            yield key[:i], key[i:]


def _fragments(cand_units: Counter[str]) -> set[str]:
    """Candidates that are fragments of a longer one: 接字 of 套接字, anak of proses anak.

    A part is a fragment when the longer candidate occurs in at least FRAGMENT_SHARE of
    the part's units and the rest of it is a candidate of its own that hardly occurs
    elsewhere (at most FRAGMENT_REST times as often as the whole): 套 occurs nowhere but
    in 套接字. 锁 in 锁文件 is no fragment, since 文件 occurs everywhere; nor is 本地 one
    of 本地文, whose 文 is no candidate: 本地文 is the fragment there.
    """
    out: set[str] = set()
    for whole, n in cand_units.items():
        if n < 2:
            continue
        for left, right in _splits(whole):
            for part, rest in ((left, right), (right, left)):
                if n >= FRAGMENT_SHARE * cand_units[part] and (
                    0 < cand_units[rest] <= FRAGMENT_REST * n
                ):
                    out.add(part)
    return out


# -- association and linking ---------------------------------------------------------------


def _xlogx(x: float) -> float:
    return x * math.log(x) if x > 0 else 0.0


def _g2(both: int, source: int, target: int, xlogx: list[float]) -> float:
    """Log-likelihood ratio G² of a positive association between two events over units.

    ``both`` units hold the two, ``source`` and ``target`` units hold each, of
    ``len(xlogx) - 1`` units in all; ``xlogx`` is the table of x·ln x. 0 when the two
    co-occur no more often than chance would have them.
    """
    units = len(xlogx) - 1
    if both * units <= source * target:
        return 0.0
    return 2.0 * (
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


def _cooccurrence(
    index: _Index, term_id: int, wanted: Sequence[Collection[str]] | None = None
) -> Counter[str]:
    """How many of the term's units hold each candidate (the inverted index at work).

    With ``wanted`` (per unit), only those candidates are counted.
    """
    counts: Counter[str] = Counter()
    for u in index.term_units[term_id]:
        counts.update(index.unit_cands[u].keys() if wanted is None else wanted[u])
    return counts


def _associations(index: _Index, cooc: Counter[str], term_id: int) -> dict[str, float]:
    """The LINKABLE best candidates of a term, by G² times a prior on their form.

    Fragments are left out. The prior settles what counts cannot: among candidates seen
    in the same two units, the one of about the term's length that jieba also cut as a
    word is the likeliest translation.

    Candidates are visited by falling co-occurrence count, and the visit stops when
    LINKABLE scores beat the best a candidate seen in fewer units could reach (G² for
    a fixed count is highest when the candidate occurs nowhere else, and no prior
    exceeds SAME_FORM): most candidates of a frequent term share one or two units with
    it and are never scored.
    """
    n_source = len(index.term_units[term_id])
    term_key = index.keys[term_id]
    words = term_key.count(" ") + 1
    best: list[tuple[float, int, str]] = []  # a heap of the LINKABLE best
    level = 0
    for key, both in cooc.most_common():
        if both != level:
            level = both
            ceiling = _g2(both, n_source, both, index.xlogx) * SAME_FORM
            if len(best) == LINKABLE and best[0][0] > ceiling:
                break
        if key in index.fragments:
            continue
        n_target = index.cand_units[key]
        score = _g2(both, n_source, n_target, index.xlogx)
        if score > 0:
            aligned = index.aligned[key] / n_target
            score *= (0.5 + 0.5 * aligned) * _length_prior(words, key)
            if key == term_key:
                score *= SAME_FORM
            item = (score, len(key), key)
            if len(best) < LINKABLE:
                heapq.heappush(best, item)
            elif item > best[0]:
                heapq.heapreplace(best, item)
    return {key: score for score, _, key in sorted(best, reverse=True)}


@lru_cache(maxsize=262144)
def _length_prior(words: int, key: str) -> float:
    """LENGTH_DECAY per word outside the expected length of a translation of ``words``.

    Latin script: the same number of words or one more (Indonesian often needs two:
    Invalid = tak valid). Chinese: one to three characters per source word, a Latin word
    counting as two characters.
    """
    han = sum(1 for ch in key if has_han(ch))
    latin = sum(1 for w in key.split() if not has_han(w))
    if han:
        length, low, high, step = han + 2 * latin, 1, 3 * words, 2
    else:
        length, low, high, step = latin, words, words + 1, 1
    distance = max(0, low - length, length - high) / step
    return float(LENGTH_DECAY**distance)


def _linkable(index: _Index) -> list[dict[str, float]]:
    """The linkable candidates of every term, then of every other content word.

    Another word is only scored against the candidates some term wants: it matters only
    where it could take one of them.
    """
    linkable = [_associations(index, _cooccurrence(index, t), t) for t in range(index.asked)]
    wanted = set().union(*linkable)
    per_unit = [[k for k in cands if k in wanted] for cands in index.unit_cands]
    for word_id in range(index.asked, len(index.keys)):
        linkable.append(_associations(index, _cooccurrence(index, word_id, per_unit), word_id))
    return linkable


def _link_unit(
    index: _Index, u: int, linkable: list[dict[str, float]]
) -> Iterator[tuple[int, str, float]]:
    """Competitive linking in one unit: (term id, candidate key, weight) links.

    Best association first; on a tie, the longer candidate (the maximal n-gram). Terms
    made of stopwords only ("AND", a glossary's operator) link last, to what the content
    terms left: "and" co-occurs with every translation of its neighbours.
    """
    source, target = index.pairs[u]
    source_taken, target_taken = bytearray(len(source)), bytearray(len(target))
    cands, terms = index.unit_cands[u], index.unit_terms[u]
    pairs: list[tuple[bool, float, int, int, str]] = sorted(
        (
            (index.content[term_id], rank, len(key), term_id, key)
            for term_id in terms
            for key, rank in linkable[term_id].items()
            if key in cands
        ),
        reverse=True,
    )
    weight = 1.0
    whole = index.whole[u]
    if whole is not None:
        pairs.insert(0, (True, math.inf, 0, *whole))
        weight = WHOLE_MESSAGE_WEIGHT
    for *_, term_id, key in pairs:
        (s_start, s_end), gram = terms[term_id], cands[key]
        if any(source_taken[s_start:s_end]) or any(target_taken[gram.start : gram.end]):
            continue
        source_taken[s_start:s_end] = b"\x01" * (s_end - s_start)
        target_taken[gram.start : gram.end] = b"\x01" * (gram.end - gram.start)
        yield term_id, key, weight
        weight = 1.0


# -- proposals -----------------------------------------------------------------------------


def _evidence(index: _Index, term_id: int, key: str, units: Sequence[int]) -> tuple[str, ...]:
    """KWIC lines "source ⇒ target" of the first units showing the pair."""
    lines = []
    for u in units[:EVIDENCE]:
        source, target = index.pairs[u]
        gram = index.unit_cands[u][key]
        lines.append(
            kwic(source, index.unit_terms[u][term_id], KWIC_WIDTH)
            + " ⇒ "
            + kwic(target, (gram.start, gram.end), KWIC_WIDTH)
        )
    return tuple(lines)


def _target_surface(index: _Index, key: str, units: Sequence[int]) -> str:
    """The most frequent spelling of a candidate in the given units.

    A capital at the start of a message is the message's, not the term's, so such
    occurrences count half.
    """
    spellings: Counter[str] = Counter()  # one at a sentence start counts 1, elsewhere 2
    for u in units:
        gram = index.unit_cands[u][key]
        spelling = _SPACES.sub(" ", index.pairs[u][1][gram.start : gram.end])
        spellings[spelling] += 2 if gram.start else 1
    return spellings.most_common(1)[0][0]


def _proposal(
    index: _Index,
    term_id: int,
    key: str,
    score: float,
    shown: Sequence[int],
    langs: tuple[str, str],
) -> Proposal:
    both = [u for u in index.term_units[term_id] if key in index.unit_cands[u]]
    return Proposal(
        source=index.terms[term_id],
        source_lang=langs[0],
        target=_target_surface(index, key, both),
        target_lang=langs[1],
        score=round(score, 4),
        count=len(both),
        method=METHOD,
        evidence=_evidence(index, term_id, key, shown),
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
    evidence lists units whose source is the term first. ``progress(done, total)`` is
    called as units are read and linked.
    """
    index = _index(pairs, source_lang, target_lang, terms, min_count, progress)
    linkable = _linkable(index)
    links: list[dict[str, float]] = [defaultdict(float) for _ in range(index.asked)]
    shown: list[dict[str, list[int]]] = [{} for _ in range(index.asked)]
    for u in range(len(pairs)):
        for term_id, key, weight in _link_unit(index, u, linkable):
            if term_id < index.asked:
                links[term_id][key] += weight
                examples = shown[term_id].setdefault(key, [])
                examples.insert(0 if weight > 1 else len(examples), u)
        if progress:
            progress(len(pairs) + u + 1, 2 * len(pairs))
    proposals: list[Proposal] = []
    targets = [target for _, target in pairs]
    for term_id, linked in enumerate(links):
        words = index.keys[term_id].count(" ") + 1
        whole = sum(1 for u in index.term_units[term_id] if index.whole[u])
        units = len(index.term_units[term_id]) + (WHOLE_MESSAGE_WEIGHT - 1) * whole
        extend_nested(
            linked,
            shown[term_id],
            targets,
            lambda u: index.unit_cands[u].keys(),
            partial(_wordlike, index, words),
        )
        ranked = order(linked, linkable[term_id], index.keys[term_id], target_lang)
        for key in ranked[:top]:
            score = linked[key] / (units + 1)
            proposals.append(
                _proposal(
                    index, term_id, key, score, shown[term_id][key], (source_lang, target_lang)
                )
            )
    return proposals


def _wordlike(index: _Index, words: int, key: str) -> bool:
    """A target a span may grow into: no fragment, mostly on jieba's word boundaries, and
    of the length a translation of ``words`` source words has."""
    return (
        key not in index.fragments
        and 2 * index.aligned[key] >= index.cand_units[key]
        and _length_prior(words, key) == 1.0
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
    index = _index(pairs, source_lang, target_lang, terms, min_count, progress)
    proposals: list[Proposal] = []
    for term_id, units in enumerate(index.term_units[: index.asked]):
        cooc = _cooccurrence(index, term_id)
        dice = {k: 2 * n / (len(units) + index.cand_units[k]) for k, n in cooc.items()}
        for key in sorted(dice, key=lambda k: (dice[k], len(k)), reverse=True)[:top]:
            both = [u for u in units if key in index.unit_cands[u]]
            proposals.append(
                _proposal(index, term_id, key, dice[key], both, (source_lang, target_lang))
            )
    return proposals
