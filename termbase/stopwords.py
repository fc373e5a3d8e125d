"""Stopwords per language, kept as data files in termbase/data/."""

from __future__ import annotations

from functools import cache
from importlib.resources import files


@cache
def stopwords(lang: str) -> frozenset[str]:
    """The stopword set of a language (empty for a language without a list)."""
    name = f"stopwords-{lang.split('-', 1)[0]}.txt"
    path = files("termbase") / "data" / name
    if not path.is_file():
        return frozenset()
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(w.strip().lower() for w in lines if w.strip() and not w.startswith("#"))


def is_stopword(word: str, lang: str) -> bool:
    return word.lower() in stopwords(lang)
