"""Source terms and target candidates of one translation unit (see align_parallel).

The source side is searched for the terms by match form (``Files``, ``file's`` and
``berkasnya`` are seen), longest term first. The target side yields candidates: 1–3 word
n-grams and, for Chinese, every Han substring of 2–6 characters, so that a candidate
never depends on jieba alone (开源代码 cut as 开/源代码 still yields 开源).
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Iterator, Mapping, Sequence
from typing import NamedTuple

from corpora.tokenize import Token, match_form, runs, tokenize
from termbase.stopwords import stopwords

MAX_WORDS = 3  # words in a source or target n-gram
HAN_MIN, HAN_MAX = 2, 6  # characters in a Chinese substring candidate
# printf-style and brace placeholders (%s, %1$d, %-10lu, {name}) are code, not words.
_PLACEHOLDER = re.compile(
    r"%(?:\d+\$)?[-+#0']*(?:\d+|\*)?(?:\.(?:\d+|\*))?(?:hh|ll|[hlLqjzt])?[diouxXeEfFgGcsp]"
    r"|\{\w*\}"
)

_JOINED_BEFORE = re.compile(r"[\w-]*$")  # what is hyphenated to the front of a span

Span = tuple[int, int]


class Gram(NamedTuple):
    """An n-gram occurrence: its match key and character span in the unit's text (a
    named tuple: a text yields dozens)."""

    key: str
    start: int
    end: int
    aligned: bool  # on token boundaries (False: a Han substring cutting across jieba words)


def unit_tokens(text: str, lang: str) -> list[Token]:
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


def whole_key(tokens: list[Token], lang: str) -> str:
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


def word_grams(tokens: list[Token], lang: str, max_words: int, edges: bool) -> Iterator[Gram]:
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
                    yield Gram(key, run[i].start, run[j].end, True)


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


def _han_substrings(text: str, tokens: list[Token], longest: int, edges: bool) -> Iterator[Gram]:
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
                    yield Gram(text[i:j], i, j, False)


def target_grams(text: str, tokens: list[Token], lang: str) -> dict[str, Gram]:
    """Candidate equivalents in one target text, by key (token-aligned occurrence first)."""
    grams: dict[str, Gram] = {}
    for gram in word_grams(tokens, lang, MAX_WORDS, edges=True):
        grams.setdefault(gram.key, gram)
    for gram in _han_substrings(text, tokens, HAN_MAX, edges=True):
        grams.setdefault(gram.key, gram)
    return grams


def _no_modifier_joined(text: str, gram: Gram) -> bool:
    """Whether the span is a word of its own, not a part of another one: a modifier
    hyphenated in front makes another concept, translated as one (``multi-pack-index``
    is no ``pack index``, 多包索引; ``open-source`` is no ``source``), and a command-line
    option (``--parent-number``) is code. A word joined behind keeps the term's sense
    (``tree-like``)."""
    joined = _JOINED_BEFORE.search(text, 0, gram.start)
    front = joined.group() if joined else ""
    return not (front.startswith("-") or front[:-1].strip("-") and front.endswith("-"))


def source_terms(
    text: str, tokens: list[Token], lang: str, given: Mapping[str, str], longest: Span
) -> tuple[dict[str, Span], dict[str, Span], dict[str, Span]]:
    """Terms found in a source text, its other content words, and the terms found only
    written in capitals, by key, with a span.

    Given terms are recognised longest first, as a reader would: the ``process`` in
    ``child process`` is not an occurrence of the term ``process`` when ``child
    process`` is a term too. A given term may hold a stopword ("Log in"). Without given
    terms, every well-edged word n-gram is a term, nested or not, and there are no others.
    ``longest`` is the most words and the most Han characters in a given term.

    In running text, a word in capitals is a name or a constant (``HEAD``, ``CALL``), not
    the given term written otherwise (``head``, ``Call``); the caller decides which it is.
    """
    if not given:
        found: dict[str, Span] = {}
        for gram in word_grams(tokens, lang, MAX_WORDS, edges=True):
            found.setdefault(gram.key, (gram.start, gram.end))
        return found, {}, {}
    max_words, max_han = longest
    grams = [
        g
        for g in (
            *word_grams(tokens, lang, max_words, edges=False),
            *_han_substrings(text, tokens, max_han, edges=False),
        )
        if g.key in given and _no_modifier_joined(text, g)
    ]
    grams.sort(key=lambda g: (g.start - g.end, g.start))
    taken = bytearray(len(text))
    terms: dict[str, Span] = {}
    others: dict[str, Span] = {}
    capitals: dict[str, Span] = {}
    shouting = not any(c.islower() for c in text)
    for gram in grams:
        if not any(taken[gram.start : gram.end]):
            taken[gram.start : gram.end] = b"\x01" * (gram.end - gram.start)
            surface = text[gram.start : gram.end]
            if _capitals(surface) and not _capitals(given[gram.key]) and not shouting:
                capitals.setdefault(gram.key, (gram.start, gram.end))
            else:
                terms.setdefault(gram.key, (gram.start, gram.end))  # same key, same length
    for gram in word_grams(tokens, lang, 1, edges=True):
        if gram.key not in given and not any(taken[gram.start : gram.end]):
            others.setdefault(gram.key, (gram.start, gram.end))
    return terms, others, capitals


def _capitals(text: str) -> bool:
    """Written in capitals: a name or constant (HEAD, CALL) in running text."""
    letters = [c for c in text if c.isalpha()]
    return len(letters) > 1 and all(c.isupper() for c in letters)


class Source(NamedTuple):
    """What alignment needs of a source text: its terms, other content words and terms
    written in capitals (key -> span), and the key of the whole text."""

    terms: dict[str, Span]
    others: dict[str, Span]
    capitals: dict[str, Span]
    key: str


class Target(NamedTuple):
    """What alignment needs of a target text: its candidates (keys, and by key their
    first span and whether it is on token boundaries) and the key of the whole text if
    that is one of them."""

    grams: list[str]
    starts: array[int]
    ends: array[int]
    aligned: bytes
    key: str | None


def read_sources(
    texts: Sequence[str], lang: str, given: Mapping[str, str], longest: Span
) -> list[Source]:
    """The :class:`Source` of each text; ``given`` and ``longest`` as in
    :func:`source_terms`."""
    out = []
    for text in texts:
        tokens = unit_tokens(text, lang)
        out.append(
            Source(*source_terms(text, tokens, lang, given, longest), whole_key(tokens, lang))
        )
    return out


def read_targets(texts: Sequence[str], lang: str) -> list[Target]:
    """The :class:`Target` of each text."""
    out = []
    for text in texts:
        tokens = unit_tokens(text, lang)
        grams = target_grams(text, tokens, lang)
        key = whole_key(tokens, lang)
        spans = grams.values()
        out.append(
            Target(
                list(grams),
                array("q", [g.start for g in spans]),
                array("q", [g.end for g in spans]),
                bytes([g.aligned for g in spans]),
                key if key in grams else None,
            )
        )
    return out
