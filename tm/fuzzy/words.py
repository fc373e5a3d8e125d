"""Concordance: every segment containing a word or term, and where."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from corpora.tokenize import has_han, match_form, tokenize
from tm.fuzzy.grams import fold


@dataclass(frozen=True)
class Occurrence:
    """A segment containing the searched word; ``spans`` are (start, end) of each hit."""

    segment_id: int
    text: str
    spans: tuple[tuple[int, int], ...]


class WordFinder:
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
    and through Indonesian reduplication and clitics (see :class:`WordFinder`).
    """
    finder = WordFinder(word, lang)
    found: list[Occurrence] = []
    for segment_id, text in store_texts:
        spans = finder.find(text)
        if spans:
            found.append(Occurrence(segment_id, text, spans))
    return found
