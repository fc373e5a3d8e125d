"""The text of one language for comparable alignment: its sentences read repaired, and
where each candidate term occurs in them (see :mod:`termbase.align_comparable`)."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence

from corpora.tokenize import has_han, match_form, runs, tokenize
from termbase.extract import Sentence
from termbase.reading import readings
from termbase.recognize import find, kwic
from termbase.stopwords import stopwords

WINDOW = 4  # context words on each side of an occurrence
MAX_CONTEXTS = 100  # occurrences read for a term's context words
_HAN = "\u3400-\u9fff\uf900-\ufaff"
_WORD = re.compile(rf"[{_HAN}]+|[^\W{_HAN}]+")  # Han runs apart from Latin words
_CLITIC = re.compile(r"(?:nya|lah|kah|ku|mu)$")
_HAN_RUN = re.compile(rf"[{_HAN}]{{2,}}")


def _key_of(term: str) -> str | None:
    """What a sentence must hold to hold ``term``: its first Han character pair, else
    its longest word, lower-cased; None when neither helps (a lone Han character)."""
    if has_han(term):
        run = _HAN_RUN.search(term)
        return run.group()[:2] if run else None
    words = _WORD.findall(term.lower())
    return max(words, key=len) if words else None


def _pieces(word: str) -> list[tuple[str, int]]:
    """The parts of a hyphenated compound with their offsets (open-source: open, source);
    a reduplication (model-model) stays whole."""
    head, sep, tail = word.partition("-")
    if not sep or tail.lower().startswith(head.lower()):
        return [(word, 0)]
    out, pos = [], 0
    for part in word.split("-"):
        if part:
            out.append((part, pos))
        pos += len(part) + 1
    return out


class Corpus:
    """Sentences of one language and where each candidate occurs in them."""

    def __init__(self, lang: str, sentences: Sequence[Sentence], terms: Sequence[str]) -> None:
        self.lang = lang
        self.sentences = sentences
        # terms are searched in the repaired reading, as extraction counted them
        self.readings = readings(sentences, lang)
        # Each term is searched only in the sentences holding its longest word (or first
        # two Han characters): the regex of each term over every sentence would cost
        # minutes on a memory of 100,000 units.
        index = self._keys()
        self.hits: dict[str, list[tuple[int, tuple[int, int]]]] = {}
        everywhere = range(len(self.readings))
        for term in terms:
            key = _key_of(term)
            where: Sequence[int] = everywhere if key is None else index.get(key, [])
            self.hits[term] = [
                (i, span) for i in where for span in find(term, self.readings[i].text, lang)
            ]

    def _keys(self) -> dict[str, list[int]]:
        """Lower-cased words (also without an Indonesian clitic) and Han character pairs
        -> the sentences holding them, in order."""
        index: dict[str, list[int]] = defaultdict(list)
        for i, r in enumerate(self.readings):
            keys: set[str] = set()
            for word in _WORD.findall(r.text.lower()):
                if has_han(word):
                    keys.update(word[k : k + 2] for k in range(len(word) - 1))
                else:
                    keys.add(word)
                    keys.add(_CLITIC.sub("", word))
            for key in keys:
                index[key].append(i)
        return index

    def kwic(self, term: str, limit: int = 2) -> list[str]:
        """Where the term occurs, shown in the current text (which may say 模子 for 模型)."""
        lines = []
        for i, span in self.hits.get(term, [])[:limit]:
            s, r = self.sentences[i], self.readings[i]
            lines.append(f"{s.source}#{s.position}: {kwic(s.text, r.to_current(*span))}")
        return lines

    def ngrams(self, wanted: set[str]) -> dict[str, list[tuple[int, tuple[int, int]]]]:
        """Where the wanted runs of 1..3 words of the readings occur. A run is named by
        the match forms of its words, joined by spaces (Chinese: by nothing, so that a
        word jieba cuts in two is still found)."""
        glue = "" if self.lang.startswith("zh") else " "
        firsts = {w.split(" ", 1)[0] for w in wanted} if glue else None
        index: dict[str, list[tuple[int, tuple[int, int]]]] = defaultdict(list)
        for i, r in enumerate(self.readings):
            for run in runs(tokenize(r.text, self.lang)):
                parts = [
                    (match_form(p, self.lang), t.start + off, t.start + off + len(p))
                    for t in run
                    for p, off in _pieces(t.text)
                ]
                for a in range(len(parts)):
                    if firsts is not None and parts[a][0] not in firsts:
                        continue
                    for b in range(a + 1, min(a + 3, len(parts)) + 1):
                        key = glue.join(form for form, _, _ in parts[a:b])
                        if key in wanted:
                            index[key].append((i, (parts[a][1], parts[b - 1][2])))
        return index

    def doubtful(self, term: str) -> bool:
        """Whether every occurrence of the term is one the checks doubt."""
        hits = self.hits.get(term, [])
        return bool(hits) and all(self.readings[i].doubtful(*span) for i, span in hits)

    def sentence_sets(self) -> dict[str, set[int]]:
        return {t: {i for i, _ in hits} for t, hits in self.hits.items()}

    def context(self, term: str) -> Counter[str]:
        """Content words within WINDOW tokens of each occurrence of ``term``."""
        stop = stopwords(self.lang)
        bag: Counter[str] = Counter()
        for i, (start, end) in self.hits.get(term, [])[:MAX_CONTEXTS]:
            tokens = [t for t in tokenize(self.readings[i].text, self.lang) if t.is_word]
            before = [t for t in tokens if t.end <= start][-WINDOW:]
            after = [t for t in tokens if t.start >= end][:WINDOW]
            for tok in before + after:
                form = match_form(tok.text, self.lang)
                if form not in stop and len(form) > 1:
                    bag[form] += 1
        return bag
