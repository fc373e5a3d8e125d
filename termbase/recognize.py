"""Finding a term in running text, without trusting word segmentation.

Chinese is searched as a string: jieba splits 开源代码 as 开/源代码, so a recognizer that
only looked at jieba's words would miss 开源 there. Latin-script terms are matched on word
boundaries, case-insensitively, with ``open source`` and ``open-source`` as one spelling,
and in Indonesian through reduplication (``model-model``) and clitics (``modelnya``).
"""

from __future__ import annotations

import re
from functools import lru_cache

from corpora.tokenize import has_han

_ID_CLITICS = r"(?:-?(?:nya|lah|kah|ku|mu))?"


@lru_cache(maxsize=65536)
def term_pattern(term: str, lang: str) -> re.Pattern[str]:
    """A regex matching ``term`` as written in ``lang`` text, word boundaries aside (see
    :func:`find`)."""
    if has_han(term):
        return re.compile(re.escape(term))
    parts = [re.escape(p) for p in re.split(r"[\s\-]+", term.strip()) if p]
    body = r"[\s\-]+".join(parts)
    if lang.split("-", 1)[0] == "id":
        last = parts[-1]
        # model-model, model-modelnya: the reduplicated form contains the term.
        body = body + rf"(?:-{last})?" + _ID_CLITICS
    return re.compile(body, re.IGNORECASE)


def _latin_alnum(ch: str) -> bool:
    return ch.isalnum() and not has_han(ch)


def find(term: str, text: str, lang: str) -> list[tuple[int, int]]:
    """Spans of ``term`` in ``text``.

    A Latin-script term must not touch another letter or digit of a non-Han script
    (AI in AI模型, not in xAI). The boundary is checked here rather than by lookarounds
    in the pattern because a character class excluding Han takes milliseconds to compile,
    which thousands of terms cannot afford.
    """
    spans = [m.span() for m in term_pattern(term, lang).finditer(text)]
    if has_han(term):
        return spans
    return [
        (start, end)
        for start, end in spans
        if not (start and _latin_alnum(text[start - 1]))
        and not (end < len(text) and _latin_alnum(text[end]))
    ]


def kwic(text: str, span: tuple[int, int], width: int = 30) -> str:
    """A key-word-in-context line: ``…left [term] right…``."""
    start, end = span
    left = text[max(0, start - width) : start]
    right = text[end : end + width]
    return (
        ("…" if start > width else "")
        + left
        + "["
        + text[start:end]
        + "]"
        + right
        + ("…" if end + width < len(text) else "")
    ).replace("\n", " ")
