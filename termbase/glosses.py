"""English glosses of terms, the pivot of comparable alignment, and what they match.

A Chinese term is glossed by CC-CEDICT (:mod:`termbase.cedict`), composing the glosses of
its words when the dictionary lacks it; an Indonesian one by the dictionaries of
:mod:`termbase.lexicon`, its English cognate (:mod:`termbase.cognates`), or as the English
it is (open-weight). Read backwards, the same sources give the Indonesian phrases that may
render an English gloss (:func:`renderings`), and :func:`loan_match` says how well an
Indonesian term borrows one.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import product

from corpora.tokenize import has_han, match_form, tokenize
from termbase import cedict, lexicon
from termbase.cognates import english_cognate, indonesian_spellings, loan_similarity
from termbase.stopwords import stopwords

WORD_GLOSSES = 3  # English glosses kept per Indonesian word
PART_GLOSSES = 4  # CC-CEDICT glosses per word of a Chinese term the dictionary lacks
PARTIAL = 0.7  # a loan matching one end of a two-word gloss (chip ~ computer chip)
RENDERINGS_PER_WORD = 4
_SPACING = re.compile(r"[\s\-]+")


@dataclass(frozen=True)
class Gloss:
    key: str  # normalised English, for comparison
    english: str  # as shown
    confidence: float
    method: str  # anchor, dictionary, cognate, english
    evidence: str


def english_key(text: str) -> str:
    """open-source, Open Sources and "open source" share the key "open source"."""
    return " ".join(match_form(w, "en") for w in _SPACING.split(text.lower()) if w)


def is_embedded_english(text: str) -> bool:
    """True for a Latin-script term that English uses more than Indonesian (open-weight)."""
    from wordfreq import word_frequency

    if not is_latin(text) or text.isupper():
        return False
    if " " not in text and "-" not in text and text[:1].isupper():
        return False  # a capitalised single word is a name (Matt, Linux), not a loan
    en = word_frequency(text, "en")
    return en > 1e-6 and en >= 2 * word_frequency(text, "id")


def is_latin(text: str) -> bool:
    return not has_han(text) and any(ch.isalpha() for ch in text)


def _zh_glosses(term: str) -> list[Gloss]:
    if not has_han(term):
        return [Gloss(english_key(term), term, 1.0, "anchor", f"{term}: Latin script")]
    found = cedict.glosses(term)
    if found:
        return [
            Gloss(english_key(g.text), g.text, 0.9 if i < 3 else 0.7, "dictionary", g.evidence)
            for i, g in enumerate(found)
        ]
    # Not in the dictionary: compose the glosses of its words (开源模型 → open source model).
    parts = [t.text for t in tokenize(term, "zh")]
    part_glosses = [cedict.glosses(p)[:PART_GLOSSES] for p in parts]
    if len(parts) < 2 or not all(part_glosses):
        return []
    out = []
    for combo in product(*part_glosses):
        english = " ".join(g.text for g in combo)
        evidence = " + ".join(g.evidence for g in combo)
        out.append(Gloss(english_key(english), english, 0.5, "dictionary", evidence))
    return out


@lru_cache(maxsize=65536)
def id_word_glosses(word: str) -> list[tuple[str, float, str, str]]:
    """(english, confidence, method, evidence) for one Indonesian word, best first."""
    out = [
        (word if g.english == word.lower() else g.english, g.confidence, "dictionary", g.evidence)
        for g in lexicon.english_of(word)
    ]
    cognate = english_cognate(match_form(word, "id"))
    if cognate and all(cognate.english != e.lower() for e, *_ in out):
        english = word if cognate.english == word.lower() else cognate.english
        out.append(
            (
                english,
                0.85 * cognate.similarity / 100,
                "cognate",
                f"cognate {word} ≈ {cognate.english} ({cognate.rule})",
            )
        )
    return sorted(out, key=lambda g: -g[1])[:WORD_GLOSSES]


def _id_glosses(term: str) -> list[Gloss]:
    if not is_latin(term):
        return []
    from wordfreq import word_frequency

    if term.isupper() or (word_frequency(term, "en") == 0 and word_frequency(term, "id") == 0):
        return [Gloss(english_key(term), term, 1.0, "anchor", f"{term}: name or acronym")]
    if is_embedded_english(term):
        evidence = f"{term}: English term inside Indonesian text"
        return [Gloss(english_key(term), term, 0.9, "english", evidence)]
    if len(_SPACING.split(term.strip())) > 1:  # a phrase a dictionary lists whole
        whole = lexicon.english_of(term)
        if whole:
            return [
                Gloss(english_key(g.english), g.english, g.confidence, "dictionary", g.evidence)
                for g in whole[:WORD_GLOSSES]
            ]
    per_word = [id_word_glosses(w) for w in _SPACING.split(term) if w]
    if not per_word or not all(per_word):
        return []
    out = []
    for combo in product(*per_word):
        confidence = math.prod(c for _, c, _, _ in combo)
        method = "cognate" if all(m == "cognate" for _, _, m, _ in combo) else "dictionary"
        evidence = "; ".join(e for _, _, _, e in combo)
        words = [e for e, _, _, _ in combo]
        # Indonesian puts the modifier after the head (sumber terbuka = "open source"):
        # a two-word phrase is read in both orders, the English order first.
        orders = [(words[::-1], 1.0), (words, 0.8)] if len(words) == 2 else [(words, 1.0)]
        for order, weight in orders:
            english = " ".join(order)
            out.append(Gloss(english_key(english), english, confidence * weight, method, evidence))
    return out


def glosses_of(term: str, lang: str) -> list[Gloss]:
    base = lang.split("-", 1)[0]
    if base == "zh":
        return _zh_glosses(term)
    if base == "id":
        return _id_glosses(term)
    if base == "en":
        return [Gloss(english_key(term), term, 1.0, "english", f"{term}: English text")]
    return []


def _word_renderings(word: str) -> list[tuple[str, str]]:
    """Indonesian words for one English word: the lists' single words, then loan spellings."""
    out = [(ind, f"{name}: {word} = {ind}") for ind, name in lexicon.indonesian_of(word)]
    out = [(ind, how) for ind, how in out if " " not in ind][:RENDERINGS_PER_WORD]
    out += [
        (spelled, f"loanword: {word} → {spelled}")
        for spelled in sorted(indonesian_spellings(word))
        if len(spelled) > 3
    ]
    return out


@lru_cache(maxsize=16384)
def renderings(english: str) -> list[tuple[tuple[str, ...], str]]:
    """Indonesian phrases (match forms of their words) that may render an English gloss."""
    out: list[tuple[tuple[str, ...], str]] = []

    def add(phrase: str, how: str) -> None:
        words = tuple(match_form(w, "id") for w in _SPACING.split(phrase.lower()) if w)
        if words:
            out.append((words, how))

    # the lists write the singular: "profits" (CC-CEDICT 利润) is looked up as "profit"
    for ind, name in lexicon.indonesian_of(english) or lexicon.indonesian_of(english_key(english)):
        add(ind, f"{name}: {english} = {ind}")
    words = [w for w in _SPACING.split(english.lower()) if w and w not in stopwords("en")]
    if len(words) == 1:
        for ind, how in _word_renderings(words[0]):
            add(ind, how)
    elif len(words) == 2:
        for (first, how1), (second, how2) in product(*map(_word_renderings, words)):
            add(f"{second} {first}", f"{how1}; {how2}; Indonesian order")
            add(f"{first} {second}", f"{how1}; {how2}")
    return out


def _word_match(word: str, english: str) -> float:
    """An Indonesian word against an English one: borrowed, or glossed so."""
    loan = loan_similarity(word, english)
    if loan:
        return loan
    key = english_key(english)
    glossed = [c for e, c, _, _ in id_word_glosses(word) if english_key(e) == key]
    return max(glossed, default=0.0)


def loan_match(words: Sequence[str], english: Sequence[str]) -> float:
    """How well the words of an Indonesian term render an English gloss (0: not)."""
    if len(words) == 1 and len(english) == 2:
        return PARTIAL * max(_word_match(words[0], english[0]), _word_match(words[0], english[1]))
    if len(words) != len(english):
        return 0.0
    if not any(loan_similarity(w, e) for w in words for e in english):
        return 0.0  # no borrowing at all: the plain gloss match's business
    total, left = 1.0, list(english)
    for word in words:
        best = max(left, key=lambda e: _word_match(word, e))
        score = _word_match(word, best)
        if not score:
            return 0.0
        total *= score
        left.remove(best)
    return total


@lru_cache(maxsize=1)
def _chinese_by_english() -> tuple[
    dict[str, list[tuple[str, int, str]]], dict[str, list[tuple[str, int, str]]]
]:
    """Glosses -> headwords, and names -> headwords by the name's first word
    ("Microsoft Corporation" under "microsoft")."""
    table: dict[str, list[tuple[str, int, str]]] = {}
    names: dict[str, list[tuple[str, int, str]]] = {}
    for word, rank, text, definition in cedict.main_senses():
        entry = (word, rank, f"CC-CEDICT {word}: {definition}")
        table.setdefault(text.lower(), []).append(entry)
        first, space, _ = text.partition(" ")
        if space and text.istitle():
            names.setdefault(first.lower(), []).append(entry)
    return table, names


def chinese_of(english: str) -> list[tuple[str, int, str]]:
    """(Chinese headword, rank of the sense, evidence) that CC-CEDICT glosses as
    ``english`` (or its plural: 利润 "profits") among its first senses: the dictionary
    read backwards (data → 数据). A capitalised name also finds the longer names it
    starts (Microsoft → 微软 "Microsoft Corporation")."""
    table, names = _chinese_by_english()
    lowered = english.lower()
    found = table.get(lowered, []) + table.get(lowered + "s", [])
    if english[:1].isupper() and " " not in english:
        found += [e for e in names.get(lowered, []) if e not in found]
    return found
