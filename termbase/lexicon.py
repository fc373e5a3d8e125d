"""English glosses of Indonesian words from a general software glossary.

Indonesian has no CC-CEDICT, so Padan ships GNOME's English–Indonesian glossary
(termbase/data/gnome-glossary-id.po, 700 translated entries) as its word list. A word
not listed as written is looked up by its Sastrawi stem (terbuka → buka → "open"), with
lower confidence: stems are good enough to suggest a gloss, never to merge two terms.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files

from corpora.tokenize import group_key, match_form

EXACT = 0.8
VIA_STEM = 0.6


@dataclass(frozen=True)
class WordGloss:
    english: str
    confidence: float
    evidence: str


@lru_cache(maxsize=1)
def _id_to_english() -> dict[str, list[str]]:
    import polib

    path = files("termbase") / "data" / "gnome-glossary-id.po"
    table: dict[str, list[str]] = {}
    for entry in polib.pofile(path.read_text(encoding="utf-8")):
        source, target = entry.msgid.strip(), entry.msgstr.strip()
        if not target or entry.fuzzy or entry.obsolete or "<" in target:
            continue
        table.setdefault(target.lower(), []).append(source.lower())
    return table


@lru_cache(maxsize=1)
def _by_stem() -> dict[str, list[tuple[str, str]]]:
    table: dict[str, list[tuple[str, str]]] = {}
    for word, sources in _id_to_english().items():
        if " " not in word:
            for source in sources:
                table.setdefault(group_key(word, "id"), []).append((source, word))
    return table


def english_of(word: str) -> list[WordGloss]:
    """English glosses of one Indonesian word, best first."""
    form = match_form(word, "id")
    exact = _id_to_english().get(form) or _id_to_english().get(word.lower())
    if exact:
        return [WordGloss(e, EXACT, f"GNOME glossary: {form} = {e}") for e in exact]
    return [
        WordGloss(e, VIA_STEM, f"GNOME glossary: {listed} = {e} (stem of {word})")
        for e, listed in _by_stem().get(group_key(word, "id"), [])
    ]
