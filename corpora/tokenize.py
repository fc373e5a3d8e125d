"""Tokenizers for Chinese, Indonesian and English, and the word forms used for matching.

Every language shares one rule: Latin-script words, numbers and hyphenated compounds are
kept whole (``open-weight``, ``RISC-V``, ``GPT-4``, ``AI``, ``1.000.000``), whether they
stand in Indonesian text or inside Chinese. Runs of Han characters go to jieba, whose
dictionary can be taught the term base's terms with :func:`add_words`.

Indonesian inflection is handled here in two strengths, because Sastrawi stems far too
hard for term matching (pengembang "developer" and pengembangan "development" both become
*kembang*):

- :func:`match_form` removes only what never changes meaning: case, reduplication
  (``model-model``) and the clitics ``-nya``/``-lah``/``-kah``/``-ku``/``-mu``. It is what
  term recognition compares.
- :func:`group_key` is the Sastrawi stem: used to *group* candidates that may be
  inflections of each other, never to merge them.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import Any, NamedTuple

_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f"
# A Latin-script or numeric word: letters/digits joined by single - ' ’ . or ·, so that
# GPT-4, open-weight, 1.000.000, v1.5 and Qwen2.5 stay whole but "model." does not
# swallow its full stop.
LATIN_ALNUM = rf"[^\W_{_HAN}]"  # a letter or digit of any script but Han
NOT_LATIN_ALNUM = rf"[\W_{_HAN}]"
_LATIN_WORD = rf"{LATIN_ALNUM}(?:{LATIN_ALNUM}|[-'’.·](?={LATIN_ALNUM}))*"
_TOKEN_RE = re.compile(rf"(?P<han>[{_HAN}]+)|(?P<word>{_LATIN_WORD})|(?P<punct>[^\s])")
_HAN_RE = re.compile(f"[{_HAN}]")
_DIGITS_RE = re.compile(r"^[\d.,]+$")
_POSSESSIVE_S = re.compile(r"['’]s$", re.IGNORECASE)


class Token(NamedTuple):
    """A token and its place; a named tuple because millions are made per corpus."""

    text: str
    start: int  # character offsets in the tokenized text
    end: int
    kind: str  # "han", "word" (alphabetic, any script but Han), "number", "punct"

    @property
    def is_word(self) -> bool:
        return self.kind in ("han", "word")


# -- Chinese -----------------------------------------------------------------------------

_jieba_lock = threading.Lock()
_jieba_tokenizer = None


def _jieba() -> Any:  # jieba is untyped
    """One jieba tokenizer per process, loaded on first use (its dictionary takes ~1 s)."""
    global _jieba_tokenizer
    with _jieba_lock:
        if _jieba_tokenizer is None:
            import jieba

            jieba.setLogLevel(logging.WARNING)
            tok = jieba.Tokenizer()
            tok.initialize()
            _jieba_tokenizer = tok
        return _jieba_tokenizer


# jieba's words of each Han run seen, by run: texts repeat their phrases (文件, 无法打开),
# and cutting one costs far more than looking it up. Forgotten when the dictionary
# changes or another tokenizer takes over, and wholesale once it holds CUT_CACHE runs.
_cuts: dict[str, tuple[str, ...]] = {}
_cuts_by: list[Any] = [None]  # the tokenizer that cut them
CUT_CACHE = 500_000


def add_words(words: Iterable[str]) -> None:
    """Teach jieba the given Chinese terms so that 开源模型 or 算力 stay whole."""
    tok = _jieba()
    for word in words:
        if _HAN_RE.search(word) and " " not in word:
            tok.add_word(word, freq=max(tok.suggest_freq(word), 10_000))
    _cuts.clear()


def _cut(texts: list[str]) -> dict[str, tuple[str, ...]]:
    """jieba's words of each Han run, remembered; one jieba call for all the new runs.

    Runs are joined by newlines, which jieba never puts inside a word: one call per
    sentence instead of one per clause halves the cost of calling jieba.
    """
    tok, known = _jieba(), _cuts
    if _cuts_by[0] is not tok:
        known.clear()
        _cuts_by[0] = tok
    out: dict[str, tuple[str, ...]] = {}
    new: list[str] = []
    for text in texts:
        cut = known.get(text)
        if cut is not None:
            out[text] = cut
        elif text not in out:
            out[text] = ()  # placeholder until cut below
            new.append(text)
    if not new:
        return out
    if len(known) + len(new) > CUT_CACHE:
        known.clear()
    words: list[str] = []
    at = 0
    for piece in tok.cut("\n".join(new), HMM=True):
        if piece == "\n":
            out[new[at]] = known[new[at]] = tuple(words)
            words, at = [], at + 1
        else:
            words.append(piece)
    out[new[at]] = known[new[at]] = tuple(words)
    return out


def _segment_han(runs: list[tuple[int, str]]) -> list[list[Token]]:
    """jieba's words of each Han run, with offsets."""
    cuts = _cut([text for _, text in runs])
    out: list[list[Token]] = []
    for pos, text in runs:
        tokens = []
        for word in cuts[text]:
            end = pos + len(word)
            tokens.append(Token(word, pos, end, "han"))
            pos = end
        out.append(tokens)
    return out


# -- all languages -----------------------------------------------------------------------


def tokenize(text: str, lang: str) -> list[Token]:
    """Split ``text`` into tokens; Han runs are segmented by jieba whatever ``lang`` says."""
    parts: list[Token | int] = []  # an int stands for the words of the n-th Han run
    runs: list[tuple[int, str]] = []
    for m in _TOKEN_RE.finditer(text):
        kind = m.lastgroup
        if kind == "han":
            parts.append(len(runs))
            runs.append((m.start(), m.group()))
        elif kind == "word":
            word = m.group()
            kind = "number" if _DIGITS_RE.match(word) else "word"
            parts.append(Token(word, m.start(), m.end(), kind))
        else:
            parts.append(Token(m.group(), m.start(), m.end(), "punct"))
    if not runs:
        return parts  # type: ignore[return-value]
    han = _segment_han(runs)
    tokens: list[Token] = []
    for part in parts:
        if isinstance(part, int):
            tokens.extend(han[part])
        else:
            tokens.append(part)
    return tokens


def runs(tokens: Iterable[Token], *, numbers: bool = False) -> Iterator[list[Token]]:
    """Maximal runs of word tokens (and numbers, if asked): terms never span punctuation."""
    run: list[Token] = []
    for tok in tokens:
        if tok.is_word or (numbers and tok.kind == "number"):
            run.append(tok)
        elif run:
            yield run
            run = []
    if run:
        yield run


def words(text: str, lang: str) -> list[str]:
    """The word tokens of ``text`` (no punctuation, no bare numbers)."""
    return [t.text for t in tokenize(text, lang) if t.is_word]


def has_han(text: str) -> bool:
    return _HAN_RE.search(text) is not None


# -- word forms for matching and grouping ----------------------------------------------

_CLITICS = ("nya", "lah", "kah")
_POSSESSIVE = ("ku", "mu")


@lru_cache(maxsize=1)
def _sastrawi():  # type: ignore[no-untyped-def]
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

    stemmer = StemmerFactory().create_stemmer()
    # Sastrawi keeps its 30,000 root words in a list and searches it linearly (0.5 ms a
    # look-up, dozens per word); the same words in a set make stemming ~100x faster.
    stemmer.delegatedStemmer.dictionary.words = frozenset(stemmer.delegatedStemmer.dictionary.words)
    return stemmer


def is_indonesian_root(word: str) -> bool:
    """True when ``word`` is in Sastrawi's dictionary of Indonesian root words."""
    return bool(_sastrawi().delegatedStemmer.dictionary.contains(word.lower()))


def _unreduplicate(word: str) -> str:
    """model-model -> model; perusahaan-perusahaannya -> perusahaannya; sayur-mayur stays."""
    head, sep, tail = word.partition("-")
    if sep and tail.startswith(head) and tail[len(head) :] in ("", *_CLITICS, *_POSSESSIVE):
        return tail
    return word


@lru_cache(maxsize=65536)
def _id_match_form(word: str) -> str:
    word = _unreduplicate(word.lower())
    if "-" in word or is_indonesian_root(word):
        return word
    for clitic in _CLITICS:
        if word.endswith(clitic) and len(word) - len(clitic) >= 3:
            return word[: -len(clitic)]
    for clitic in _POSSESSIVE:
        # -ku/-mu end many ordinary words (ilmu, waktu): strip only onto a known root.
        stem = word[: -len(clitic)]
        if word.endswith(clitic) and is_indonesian_root(stem):
            return stem
    return word


def _en_match_form(word: str) -> str:
    word = word.lower()
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def match_form(word: str, lang: str) -> str:
    """The form two occurrences of a term share when they are the same word.

    Case-folded; Indonesian without reduplication or clitics (pengembangnya -> pengembang,
    model-model -> model, but pengembangan stays); English without plural -s. Han text
    is returned unchanged.
    """
    if has_han(word):
        return word
    word = _POSSESSIVE_S.sub("", word)
    base = lang.split("-", 1)[0]
    if base == "id":
        return _id_match_form(word)
    if base == "en":
        return _en_match_form(word)
    return word.lower()


@lru_cache(maxsize=65536)
def _id_stem(word: str) -> str:
    return str(_sastrawi().stem(word.lower()))


def group_key(word: str, lang: str) -> str:
    """A coarse key grouping words that may be inflections of each other (Sastrawi for id).

    Too coarse to decide that two terms are one (pengembang/pengembangan share *kembang*).
    """
    if lang.split("-", 1)[0] == "id" and not has_han(word):
        return _id_stem(_id_match_form(word))
    return match_form(word, lang)
