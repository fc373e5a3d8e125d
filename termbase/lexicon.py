"""English glosses of Indonesian words from a general software glossary.

Indonesian has no CC-CEDICT, so Padan ships GNOME's English–Indonesian glossary
(termbase/data/gnome-glossary-id.po, 700 translated entries) as its word list. A word
not listed as written is looked up by its Sastrawi stem when the glossary lists that root
(terbuka → buka → "open"), with lower confidence: stems are good enough to suggest a
gloss, never to merge two terms.
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
        # Headwords are capitalised at random ("Source", "code"); keep only GNOME, TCP/IP.
        if source[1:] == source[1:].lower():
            source = source.lower()
        table.setdefault(target.lower(), []).append(source)
    return table


def english_of(word: str) -> list[WordGloss]:
    """English glosses of one Indonesian word, best first."""
    form = match_form(word, "id")
    exact = _id_to_english().get(form) or _id_to_english().get(word.lower())
    if exact:
        return [WordGloss(e, EXACT, f"GNOME glossary: {form} = {e}") for e in exact]
    # Only onto a root the glossary itself lists (terbuka -> buka = open): going through
    # the stems of listed words would merge menjadi with kejadian ("event").
    stem = group_key(word, "id")
    return [
        WordGloss(e, VIA_STEM, f"GNOME glossary: {stem} = {e} (stem of {word})")
        for e in _id_to_english().get(stem, [])
    ]
