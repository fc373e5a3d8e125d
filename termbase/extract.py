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
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import NamedTuple

from corpora.tokenize import Token, match_form, runs, tokenize
from termbase.model import Candidate, Context
from termbase.stopwords import stopwords

MAX_WORDS = 4
MAX_HAN_CHARS = 8
CONTEXTS_PER_TERM = 3
_FLOOR = 1e-8  # general frequency assumed for words wordfreq has never seen
_SPACING = re.compile(r"[\s\-]")


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


def _mid_compound(text: str, at: int) -> bool:
    """True when ``text[at]`` is the hyphen inside a compound such as open-source."""
    return (
        0 < at < len(text) - 1
        and text[at] == "-"
        and text[at - 1].isalnum()
        and text[at + 1].isalnum()
    )


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

    def add(self, index: int, sentence: Sentence) -> None:
        text, source = sentence.text, sentence.source
        lang, stop_words = self.lang, self.stop
        freq, docs = self.freq, self.docs
        for run in runs(_split_compounds(tokenize(text, lang))):
            forms = [t.text if t.kind == "han" else match_form(t.text, lang) for t in run]
            self.words.update(forms)
            stop = [
                f in stop_words or t.text.lower() in stop_words
                for f, t in zip(forms, run, strict=True)
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
                        self.surfaces.setdefault(key, Counter())[surface] += 1

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
    freq: Mapping[tuple[str, ...], int], keep: set[tuple[str, ...]], unigram: Mapping[str, int]
) -> dict[tuple[str, ...], int]:
    """For each kept n-gram, the frequency of the most frequent kept n-gram containing it.

    Only containers that hold together (unithood of at least 1/2) count: "open source"
    absorbs "source", but "model open-weight" does not absorb "open-weight".
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
                if sub in keep and largest.get(sub, 0) < f:
                    largest[sub] = f
    return largest


def _general_frequency(text: str, lang: str) -> float:
    from wordfreq import word_frequency

    return word_frequency(text, lang.split("-", 1)[0])


def extract(
    sentences: Iterable[Sentence],
    lang: str,
    *,
    top: int | None = 100,
    min_frequency: int = 2,
    progress: Callable[[int], None] | None = None,
) -> list[Candidate]:
    """Rank the recurring term candidates of ``sentences`` (all in ``lang``) by termhood."""
    counter = _Counter(lang)
    kept_sentences: list[Sentence] = []
    for index, sentence in enumerate(sentences):
        kept_sentences.append(sentence)
        counter.add(index, sentence)
        if progress and index % 1000 == 999:
            progress(index + 1)
    keep = {k for k, f in counter.freq.items() if f >= min_frequency}
    stats = {k: counter.stats(k) for k in keep}
    unigram = counter.words
    largest = _largest_container(counter.freq, keep, unigram)
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
        general = max(_general_frequency(_display(key, st), lang), _FLOOR)
        contrast = math.log10(1 + (st.frequency / total_tokens) / general)
        unithood = _unithood(key, st.frequency, unigram)
        scored.append((c_value * contrast * math.sqrt(unithood), key))
    scored.sort(key=lambda item: (-item[0], item[1]))
    if top is not None:
        scored = scored[:top]
    return [_candidate(key, stats[key], score, lang, kept_sentences) for score, key in scored]


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
    key: tuple[str, ...], st: _Stats, score: float, lang: str, sentences: list[Sentence]
) -> Candidate:
    surface = _display(key, st)
    return Candidate(
        text=surface,
        lang=lang,
        score=round(score, 4),
        frequency=st.frequency,
        documents=len(st.documents),
        contexts=_contexts(surface, st, sentences),
    )


def _contexts(surface: str, st: _Stats, sentences: list[Sentence]) -> tuple[Context, ...]:
    """Up to three example sentences, from the first occurrence on, one per document."""
    found: list[Context] = []
    seen_docs: set[str] = set()
    needle = surface.lower()
    for s in sentences[st.first :]:
        if s.source in seen_docs or needle not in s.text.lower():
            continue
        seen_docs.add(s.source)
        found.append(Context(text=s.text, source=s.source, sentence=s.position))
        if len(found) == CONTEXTS_PER_TERM:
            break
    return tuple(found)
