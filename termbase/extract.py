"""Term extraction: recurring domain terms of one language, ranked by termhood.

Raw frequency ranks 公司 and ``tahun`` above 开源 and ``open-weight``. Termhood here is
the product of two classic measures:

- **C-value** (Frantzi, Ananiadou & Mima 2000): frequency of an n-gram, minus the mean
  frequency of the longer candidates it is nested in, weighted by its length. It lets
  ``sumber terbuka`` beat ``sumber`` and keeps a fragment that only occurs inside a longer
  term (``terbuka AI``) from ranking on that term's frequency.
- **Contrast** (weirdness): how much more frequent the n-gram is in this corpus than in
  general language, from the ``wordfreq`` lists (jieba-segmented for Chinese). Names that
  general language never uses (DeepSeek, Qwen) score high; ``besar`` or 表示 score low.

Indonesian n-grams are counted by their match form (``model-model``, ``modelnya`` count as
``model``); the displayed form is the most frequent surface form.
"""

from __future__ import annotations

import math
import multiprocessing as mp
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from corpora.tokenize import Token, group_key, has_han, match_form, runs, tokenize
from termbase import cedict
from termbase.model import Candidate, Context, Variant
from termbase.parallel_index import worker_count
from termbase.reading import Reading, readings
from termbase.recognize import find
from termbase.stopwords import stopwords

MAX_WORDS = 4
MAX_HAN_CHARS = 8
CONTEXTS_PER_TERM = 3
_FLOOR = 1e-8  # general frequency assumed for words wordfreq has never seen
HAPAX_CONTRAST = 5  # how much rarer in general language a word seen once must be
HAPAX_GENERAL = 1e-4  # and general language uses it less than once in 10,000 words
PROCESS_SENTENCES = 20_000  # sentences from which languages are extracted side by side
_ID_VERB_PREFIXES = ("me", "ber", "di", "ter")
VERB_WEIGHT = 0.2
_SPACING = re.compile(r"[\s\-]")
_SENTENCE_OPENERS = set(".!?:;\"“”‘’'«»()[]–—-•*#。！？：；「」『』（）")


class Sentence(NamedTuple):
    """A piece of running text to extract from, and where it comes from."""

    source: str  # document name
    position: int  # segment position in the document
    text: str


@dataclass
class _Stats:
    frequency: int
    # Spellings seen, for n-grams with a Latin word; Han text has one spelling, its key.
    surfaces: Counter[str] | None
    documents: set[str]
    first: int  # index of the sentence of the first occurrence


def _split_compounds(tokens: list[Token]) -> list[Token]:
    """Split Latin hyphenated compounds so ``open-source`` and ``open source`` count as one.

    Reduplication (``model-model``) is left whole for match_form to collapse.
    """
    out: list[Token] = []
    for tok in tokens:
        head, sep, tail = tok.text.partition("-")
        if tok.kind != "word" or not sep or tail.lower().startswith(head.lower()):
            out.append(tok)
            continue
        pos = tok.start
        for part in tok.text.split("-"):
            out.append(Token(part, pos, pos + len(part), "number" if part.isdigit() else "word"))
            pos += len(part) + 1
    return out


def _unstuttered(run: list[Token], forms: list[str]) -> Iterator[tuple[list[Token], list[str]]]:
    """``run`` without the second copy of a span written twice in a row ("Model
    Proprietary Model Proprietary", "wajah wajah"): a garbled rendering's stutter, which
    is one occurrence, and no term across it. The pieces around it come out apart, so
    no span crosses the gap."""
    start = i = 0
    while i < len(run):
        m = next(
            (
                m
                for m in range(1, MAX_WORDS + 1)
                if start <= i - m and forms[i - m : i] == forms[i : i + m]
            ),
            0,
        )
        if m:
            yield run[start:i], forms[start:i]
            start = i = i + m
        else:
            i += 1
    if start < len(run):
        yield run[start:], forms[start:]


def _mid_compound(text: str, at: int) -> bool:
    """True when ``text[at]`` is the hyphen inside a compound such as open-source."""
    return (
        0 < at < len(text) - 1
        and text[at] == "-"
        and text[at - 1].isalnum()
        and text[at + 1].isalnum()
    )


def _mid_sentence(text: str, at: int) -> bool:
    """Whether a word at ``at`` follows other words of its sentence (a capital there
    marks a name, not the sentence's start)."""
    before = text[:at].rstrip()
    return bool(before) and before[-1] not in _SENTENCE_OPENERS


def _acceptable_unigram(tok: Token) -> bool:
    if tok.kind == "han":
        return len(tok.text) >= 2
    # Two-letter words count only as acronyms (AI, AS); "di", "ke" are function words.
    return len(tok.text) >= 3 or (len(tok.text) == 2 and tok.text.isupper())


class _Counter:
    """Counts candidate n-grams of one language over many sentences."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.stop = stopwords(lang)
        # Plain dicts, not one object per n-gram: this is the hot loop of extraction.
        self.freq: dict[tuple[str, ...], int] = {}
        self.docs: dict[tuple[str, ...], set[str]] = {}
        self.first: dict[tuple[str, ...], int] = {}  # sentence index of the first occurrence
        self.surfaces: dict[tuple[str, ...], Counter[str]] = {}  # spellings of Latin n-grams
        self.words: Counter[str] = Counter()  # every word form, wherever it stands
        self.total = 0  # words counted
        self.capitalised: set[tuple[str, ...]] = set()  # Latin words capitalised mid-sentence
        self.forms: dict[str, str] = {}  # word -> its match form

    def add(self, index: int, sentence: Sentence) -> None:
        text, lang = sentence.text, self.lang
        for whole in runs(_split_compounds(tokenize(text, lang))):
            spoken = [t.text if t.kind == "han" else self._form(t.text) for t in whole]
            for run, forms in _unstuttered(whole, spoken):
                self._count(index, sentence, run, forms)

    def _count(self, index: int, sentence: Sentence, run: list[Token], forms: list[str]) -> None:
        text, source = sentence.text, sentence.source
        stop_words, freq, docs = self.stop, self.freq, self.docs
        self.words.update(forms)
        self.total += len(forms)
        for t, f in zip(run, forms, strict=True):
            if t.kind == "word" and t.text[:1].isupper() and _mid_sentence(text, t.start):
                self.capitalised.add((f,))
        stop = [
            f in stop_words or t.text.lower() in stop_words for f, t in zip(forms, run, strict=True)
        ]
        # Spans start and end on whole words: "AI open" is no term of "AI open-source".
        opens = [not _mid_compound(text, t.start - 1) for t in run]
        closes = [not _mid_compound(text, t.end) for t in run]
        han_chars = [len(t.text) if t.kind == "han" else 0 for t in run]
        for i in range(len(run)):
            if stop[i] or not opens[i]:
                continue
            chars = 0
            for j in range(i, min(i + MAX_WORDS, len(run))):
                if stop[j]:
                    break  # a stopword inside a span ends every longer span too
                chars += han_chars[j]
                if chars > MAX_HAN_CHARS:
                    break
                if not closes[j] or (j == i and not _acceptable_unigram(run[i])):
                    continue
                key = tuple(forms[i : j + 1])
                seen = freq.get(key)
                if seen is None:
                    freq[key] = 1
                    docs[key] = {source}
                    self.first[key] = index
                else:
                    freq[key] = seen + 1
                    docs[key].add(source)
                if chars != run[j].end - run[i].start:  # a Latin word: keep its spelling
                    surface = " ".join(text[run[i].start : run[j].end].split())
                    spellings = self.surfaces.get(key)
                    if spellings is None:
                        spellings = self.surfaces[key] = Counter()
                    spellings[surface] += 1

    def _form(self, word: str) -> str:
        """match_form, remembered: a corpus repeats its words."""
        form = self.forms.get(word)
        if form is None:
            form = self.forms[word] = match_form(word, self.lang)
        return form

    def stats(self, key: tuple[str, ...]) -> _Stats:
        return _Stats(self.freq[key], self.surfaces.get(key), self.docs[key], self.first[key])


def _unithood(key: tuple[str, ...], frequency: int, unigram: Mapping[str, int]) -> float:
    """How often the commonest part of an n-gram occurs inside it (1 for single words).

    Phrases that merely juxtapose frequent words (模子可以或许, "model open") score low.
    """
    if len(key) == 1:
        return 1.0
    return frequency / min(unigram.get(part, frequency) for part in key)


def _largest_container(
    freq: Mapping[tuple[str, ...], int],
    keep: set[tuple[str, ...]],
    unigram: Mapping[str, int],
    acronyms: set[tuple[str, ...]],
) -> dict[tuple[str, ...], int]:
    """For each kept n-gram, the frequency of the most frequent kept n-gram containing it.

    Only containers that hold together (unithood of at least 1/2) count: "open source"
    absorbs "source", but "model open-weight" does not absorb "open-weight". An acronym
    is a term of its own even where it always precedes a name ("CEO Sam Altman").
    """
    largest: dict[tuple[str, ...], int] = {}
    for key in keep:
        n = len(key)
        f = freq[key]
        if n < 2 or _unithood(key, f, unigram) < 0.5:
            continue
        for m in range(1, n):
            for i in range(n - m + 1):
                sub = key[i : i + m]
                if sub in keep and sub not in acronyms and largest.get(sub, 0) < f:
                    largest[sub] = f
    return largest


def _acronyms(counter: _Counter, keep: set[tuple[str, ...]]) -> set[tuple[str, ...]]:
    """Kept single words written in capitals (CEO, GPU, API): acronyms, not fragments."""
    out = set()
    for key in keep:
        surfaces = counter.surfaces.get(key) if len(key) == 1 else None
        if surfaces:
            shown = surfaces.most_common(1)[0][0]
            if len(shown) >= 2 and shown.isupper() and shown.isalpha():
                out.add(key)
    return out


def _strong_hapax(key: tuple[str, ...], counter: _Counter, lang: str) -> bool:
    """Whether an n-gram seen once is still a candidate.

    In a small corpus many real terms occur once (硅谷, transparansi), and frequency
    cannot tell them from chance word pairs; what can is being a name, or a word that
    general language uses far less than this text does (HAPAX_CONTRAST times less) and
    seldom at all (HAPAX_GENERAL).
    Names: see :func:`_is_name`, or a Latin word capitalised inside a sentence
    (Microsoft); inside Chinese, any capitalised Latin word.
    Words: one jieba word (or a compound CC-CEDICT lists), or one Latin word that is no
    derived Indonesian verb
    (menyaksikan, dibebaskan: inflections are not terms). Chance pairs never qualify.
    """
    surfaces = counter.surfaces.get(key)
    if surfaces is not None:  # Latin script
        surface = next(iter(surfaces))
        if _is_name(surface) or key in counter.capitalised:
            return True
        if lang.startswith("zh") and len(key) == 1 and surface[:1].isupper():
            return True
        if len(key) > 1 or len(key[0]) < 5 or _derived_verb(key[0], lang):
            return False
    elif len(key) > 1 and not cedict.is_word("".join(key)):
        return False  # jieba's pieces of a compound the dictionary lists (首席+执行官) pass
    general = _general_frequency("".join(key), lang)
    total = max(1, counter.total)
    return (
        general is not None
        and 0 < general <= HAPAX_GENERAL
        and general * HAPAX_CONTRAST <= 1 / total
    )


def _is_name(surface: str) -> bool:
    """Silicon Valley, VeriSilicon, RISC-V, R1; not "komodifikasi AI" (a phrase with one)."""
    words = surface.split()
    if has_han(surface):
        return False
    if len(words) > 1:
        return all(w[:1].isupper() or w[:1].isdigit() for w in words)
    return any(ch.isupper() for ch in surface[1:]) or any(ch.isdigit() for ch in surface)


def _derived_verb(word: str, lang: str) -> bool:
    if not lang.startswith("id") or not word.startswith(_ID_VERB_PREFIXES):
        return False
    return len(group_key(word, lang)) < len(word) - 1


# jieba's dictionary tags: function words (conjunctions, prepositions, pronouns, adverbs,
# numerals, measure words, particles, times and places) and idioms name no concept; plain
# verbs seldom do (使得, 提供), though some are terms (创新, 访问): they weigh less.
_FUNCTION_TAGS = frozenset("c p r d m q u f t y e o i".split())
FUNCTION_WEIGHT = 0.2
PLAIN_VERB_WEIGHT = 0.5


def word_class_weight(word: str) -> float:
    """Weight of one Chinese word by the word class jieba's dictionary gives it."""
    tag = _word_tags().get(word)
    if tag is None:
        return 1.0
    if tag[0] in _FUNCTION_TAGS:
        return FUNCTION_WEIGHT
    return PLAIN_VERB_WEIGHT if tag == "v" else 1.0


@lru_cache(maxsize=1)
def _word_tags() -> dict[str, str]:
    import jieba.posseg

    tags: dict[str, str] = jieba.posseg.dt.word_tag_tab
    return tags


def _general_frequency(text: str, lang: str) -> float | None:
    """How often general language uses ``text``; None for a language wordfreq has no list
    of (und, mul, qaa, a rare language): such text is ranked without contrast."""
    from wordfreq import word_frequency

    wordlist = _wordlist(lang)
    return None if wordlist is None else word_frequency(text, wordlist)


@lru_cache(maxsize=64)
def _wordlist(lang: str) -> str | None:
    from wordfreq import word_frequency

    primary = lang.split("-", 1)[0]
    try:
        word_frequency("a", primary)  # loads the list: an empty word is never looked up
    except LookupError:
        return None
    return primary


def extract(
    sentences: Iterable[Sentence],
    lang: str,
    *,
    top: int | None = 100,
    min_frequency: int = 2,
    progress: Callable[[int], None] | None = None,
    repair: bool = True,
) -> list[Candidate]:
    """Rank the recurring term candidates of ``sentences`` (all in ``lang``) by termhood.

    With ``repair``, terms are counted in each sentence's repaired reading
    (:mod:`termbase.reading`), and a form that only the current text shows (a spun 模子
    for 模型) comes with the candidate as a deprecated variant. A term seen once is kept
    when it stands out on its own: see :func:`_strong_hapax`.
    """
    kept_sentences = list(sentences)
    reads = readings(kept_sentences, lang) if repair else None
    counter = _Counter(lang)
    for index, sentence in enumerate(kept_sentences):
        counter.add(index, sentence._replace(text=reads[index].text) if reads else sentence)
        if progress and index % 1000 == 999:
            progress(index + 1)
    keep = {
        k
        for k, f in counter.freq.items()
        if f >= min_frequency or (f == 1 and _strong_hapax(k, counter, lang))
    }
    stats = {k: counter.stats(k) for k in keep}
    unigram = counter.words
    largest = _largest_container(counter.freq, keep, unigram, _acronyms(counter, keep))
    total_tokens = max(1, sum(unigram.values()))

    scored: list[tuple[float, tuple[str, ...]]] = []
    for key in keep:
        st = stats[key]
        # C-value with the strict variant of the nesting correction: an n-gram counts only
        # the occurrences not explained by its most frequent container, so "source" does
        # not ride on "open source".
        cf = st.frequency - largest.get(key, 0)
        if cf <= 0:
            continue
        c_value = math.log2(1 + len(key)) * cf
        general = _general_frequency(_display(key, st), lang)
        contrast = (
            1.0
            if general is None
            else math.log10(1 + (st.frequency / total_tokens) / max(general, _FLOOR))
        )
        unithood = _unithood(key, st.frequency, unigram)
        # A derived Indonesian verb (memperlambat, berkembang) names an action, seldom a
        # concept: it ranks behind the nouns of the same weight.
        verb = VERB_WEIGHT if len(key) == 1 and _derived_verb(key[0], lang) else 1.0
        if len(key) == 1 and st.surfaces is None:
            verb = word_class_weight(key[0])
        scored.append((c_value * contrast * math.sqrt(unithood) * verb, key))
    scored.sort(key=lambda item: (-item[0], item[1]))
    # jieba cuts one string differently in different sentences (开源模型, 开源+模型): the
    # same term shown twice would be one candidate counted twice, so the best cut stands.
    shown: set[str] = set()
    best_cuts = []
    for score, key in scored:
        text = _display(key, stats[key]).lower()
        if text not in shown:
            shown.add(text)
            best_cuts.append((score, key))
    scored = best_cuts
    if top is not None:
        scored = scored[:top]
    repairs = RepairIndex(reads) if reads else None
    return [
        _candidate(key, stats[key], score, lang, kept_sentences, reads, repairs)
        for score, key in scored
    ]


_shared: Mapping[str, Sequence[Sentence]] = {}  # the sentences a forked worker reads


def extract_languages(
    sentences: Mapping[str, Sequence[Sentence]],
    *,
    top: int | None = 100,
    progress: Callable[[str, int, int], None] | None = None,
) -> dict[str, list[Candidate]]:
    """:func:`extract` of each language's sentences, by language in the given order.

    Each language is counted alone, so that many sentences are shared among processes
    by language: this one extracts the largest and reports its progress
    (``progress(lang, done, total)``), forked workers the others, each reported done.
    """
    global _shared

    def run(lang: str) -> list[Candidate]:
        total = len(sentences[lang])
        if progress:
            progress(lang, 0, total)
        report = (lambda done: progress(lang, done, total)) if progress else None
        found = extract(sentences[lang], lang, top=top, progress=report)
        if progress:
            progress(lang, total, total)
        return found

    langs = sorted(sentences, key=lambda lang: -len(sentences[lang]))
    cores = worker_count()
    if cores < 2 or len(langs) < 2 or sum(map(len, sentences.values())) < PROCESS_SENTENCES:
        return {lang: run(lang) for lang in sentences}
    _shared = sentences
    try:
        context = mp.get_context("fork")
        with ProcessPoolExecutor(min(cores - 1, len(langs) - 1), mp_context=context) as pool:
            others = {lang: pool.submit(_extract_shared, lang, top) for lang in langs[1:]}
            found = {langs[0]: run(langs[0])}
            for lang, future in others.items():
                found[lang] = future.result()
                if progress:
                    progress(lang, len(sentences[lang]), len(sentences[lang]))
    finally:
        _shared = {}
    return {lang: found[lang] for lang in sentences}


def _extract_shared(lang: str, top: int | None) -> list[Candidate]:
    return extract(_shared[lang], lang, top=top)


def _display(key: tuple[str, ...], st: _Stats) -> str:
    """The form to show: the commonest spelling, in its commonest casing.

    Spellings are compared case-insensitively first, so "Open source" at the start of a
    sentence does not outvote "open source"; within the winner, a capital that only
    appears sentence-initially yields to the lower-case form. A form carrying a clitic
    (canggihnya) is shown by its base when the base itself never occurs.
    """
    if st.surfaces is None:
        return "".join(key)
    by_spelling: Counter[str] = Counter()
    for surface, n in st.surfaces.items():
        by_spelling[surface.lower()] += n
    base = " ".join(key).lower()
    spelling = max(by_spelling.items(), key=lambda kv: (kv[1], kv[0] == base, kv[0]))[0]
    casings = {s: n for s, n in st.surfaces.items() if s.lower() == spelling}
    best = max(casings.items(), key=lambda kv: (kv[1], kv[0]))[0]
    if spelling in casings and best[:1].isupper() and best[1:] == spelling[1:]:
        best = spelling
    if not any(_squeeze(s) == _squeeze(base) for s in st.surfaces):
        return base
    return best


def _squeeze(text: str) -> str:
    return _SPACING.sub("", text.lower())


def _candidate(
    key: tuple[str, ...],
    st: _Stats,
    score: float,
    lang: str,
    sentences: list[Sentence],
    reads: list[Reading] | None,
    repairs: RepairIndex | None,
) -> Candidate:
    surface = _display(key, st)
    return Candidate(
        text=surface,
        lang=lang,
        score=round(score, 4),
        frequency=st.frequency,
        documents=len(st.documents),
        contexts=_contexts(surface, st, sentences, reads),
        variants=repairs.variants_of(surface, lang) if repairs else (),
    )


class RepairIndex:
    """The readings whose repairs change letters (模子 → 模型), by what each repair reads.

    A variant needs a repair inside the term's span, so only the readings with a repair
    whose reading the term contains are searched: looking for hundreds of candidates in
    every sentence would cost more than the extraction itself.
    """

    def __init__(self, reads: Sequence[Reading]) -> None:
        self.reads = reads
        self.by_reading: dict[str, set[int]] = {}
        for i, r in enumerate(reads):
            for rep in r.repairs:
                if _squeeze(r.current[rep.start : rep.end]) != _squeeze(rep.reading):
                    self.by_reading.setdefault(rep.reading.lower(), set()).add(i)

    def variants_of(self, term: str, lang: str) -> tuple[Variant, ...]:
        """The forms the current text shows where its reading has ``term``, if repaired:
        only repairs that change letters and lie wholly inside the term's span count."""
        lowered = term.lower()
        where = sorted(
            {i for reading, idx in self.by_reading.items() if reading in lowered for i in idx}
        )
        seen: Counter[str] = Counter()
        rules: dict[str, str] = {}
        for i in where:
            r = self.reads[i]
            for start, end in find(term, r.text, lang):
                shown = r.current_form(start, end)
                if shown is not None and _squeeze(shown) != _squeeze(r.text[start:end]):
                    seen[shown] += 1
                    rules.setdefault(shown, r.rule_at(start, end))
        return tuple(Variant(form, lang, term, n, rules[form]) for form, n in seen.most_common())


def _contexts(
    surface: str, st: _Stats, sentences: list[Sentence], reads: list[Reading] | None
) -> tuple[Context, ...]:
    """Up to three example sentences, from the first occurrence on, one per document.

    The sentence is shown as it stands, even where only its reading has the term.
    """
    found: list[Context] = []
    seen_docs: set[str] = set()
    needle = surface.lower()
    for i in range(st.first, len(sentences)):
        s = sentences[i]
        said = reads[i].text if reads else s.text
        if s.source in seen_docs or needle not in said.lower():
            continue
        seen_docs.add(s.source)
        found.append(Context(text=s.text, source=s.source, sentence=s.position))
        # every document holding the term has given its sentence: the rest is no use
        if len(found) == CONTEXTS_PER_TERM or len(seen_docs) == len(st.documents):
            break
    return tuple(found)
