"""Text folding and character n-grams packed into integers (the keys of the index)."""

from __future__ import annotations

import re

import numpy as np

BITS = 21  # a Unicode code point fits in 21 bits: three of them in a non-negative int64

_SPACE_RE = re.compile(r"\s")
_LONGER_LOWER_RE = re.compile("(\u0130)")  # İ: the one character whose lower case is longer


WHITESPACE = np.array(
    [*range(9, 14), *range(28, 33), 133, 160, 5760, *range(8192, 8203), 8232, 8233, 8239]
    + [8287, 12288]
)
"""Code points of the characters ``str.isspace`` (and the regex ``\\s``) calls whitespace."""


def fold(text: str) -> str:
    """Lower-case ``text`` and turn every whitespace character into a space.

    Length-preserving on purpose, so that offsets in the folded text are offsets in the
    original: a character whose lower case is longer (İ) is kept as it is.
    """
    lowered = lower(text)
    # Every whitespace character but the space is unprintable: skip the regex when none is.
    return lowered if lowered.isprintable() else _SPACE_RE.sub(" ", lowered)


def fold_many(texts: list[str]) -> list[str]:
    """:func:`fold` of each text, in one pass over them joined by spaces (a look-up folds
    200 candidates: three calls each cost more than the folding).

    A space stops Python's one context-dependent lower case (Greek final sigma) from
    seeing the neighbouring text, so the pieces are what each text alone gives; with İ
    somewhere, each is folded alone."""
    joined = " ".join(texts)
    lowered = joined.lower()
    if len(lowered) != len(joined):
        return [fold(text) for text in texts]
    if not lowered.isprintable():
        lowered = _SPACE_RE.sub(" ", lowered)
    folded, at = [], 0
    for text in texts:
        folded.append(lowered[at : at + len(text)])
        at += len(text) + 1
    return folded


def lower(text: str) -> str:
    """:func:`fold` but for the whitespace (the index maps it on code points)."""
    if "\u0130" not in text:  # a scan: a batch's joined texts hold an İ more often than not
        lowered = text.lower()
        if len(lowered) == len(text):
            return lowered
    # keep İ, lower the rest (cheap on a long text too)
    parts = _LONGER_LOWER_RE.split(text)
    lowered = "".join(p if i % 2 else p.lower() for i, p in enumerate(parts))
    if len(lowered) != len(text):  # a character newer Unicode versions lengthen
        lowered = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    return lowered


def gram_size(lang: str) -> int:
    """2 for Chinese, Japanese and Korean, 3 otherwise (why: see :mod:`tm.fuzzy`)."""
    return 2 if lang.split("-", 1)[0].lower() in ("zh", "ja", "ko") else 3


def code_points(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4").astype(np.int64)


def pack(codes: np.ndarray, n: int) -> np.ndarray:
    """The int64 key of every n-gram of ``codes`` (code points), in order."""
    count = len(codes) - n + 1
    if count <= 0:
        return np.empty(0, dtype=np.int64)
    keys = codes[:count].copy()
    for k in range(1, n):
        keys = (keys << BITS) | codes[k : k + count]
    return keys


def query_grams(folded: str, n: int) -> np.ndarray:
    """The distinct gram keys of a folded query, padded as indexed texts are."""
    return distinct(pack(code_points(f" {folded} "), n))


def distinct(values: np.ndarray) -> np.ndarray:
    """``values`` sorted, without repeats: ``np.unique`` for plain arrays, without the
    import of ``numpy.ma`` it triggers (~40 ms, a sixth of a one-shot search's own cost)."""
    values = np.sort(values)
    return values[np.r_[True, values[1:] != values[:-1]]] if len(values) else values
