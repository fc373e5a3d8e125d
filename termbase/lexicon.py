"""English glosses of Indonesian words and phrases, from two general dictionaries.

Indonesian has no CC-CEDICT. Padan ships two word lists with their origin
(termbase/data/SOURCES.md): GNOME's English–Indonesian software glossary (700 entries,
computing words: berkas = file) and FreeDict's English–Indonesian dictionary made by
WikDict from Wiktionary (12,000 words and phrases of general language: perusahaan =
company, kecerdasan buatan = artificial intelligence). A phrase is looked up whole
first. A word not listed as written is looked up by its Sastrawi stem when a list has
that root (terbuka → buka → "open"), with lower confidence: stems are good enough to
suggest a gloss, never to merge two terms.
"""

from __future__ import annotations

import gzip
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files

from corpora.tokenize import group_key, match_form

EXACT = 0.8
VIA_STEM = 0.6
GENERAL = 0.9  # a general dictionary's gloss, relative to the software glossary's


@dataclass(frozen=True)
class WordGloss:
    english: str
    confidence: float
    evidence: str


@lru_cache(maxsize=1)
def _gnome() -> dict[str, list[str]]:
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


@lru_cache(maxsize=1)
def _wikdict() -> dict[str, list[str]]:
    path = files("termbase") / "data" / "wikdict-id-en.tsv.gz"
    table: dict[str, list[str]] = {}
    with gzip.open(str(path), "rt", encoding="utf-8") as f:
        for line in f:
            if line.startswith("#"):
                continue
            target, _, english = line.rstrip("\n").partition("\t")
            table[target] = english.split(";")
    return table


def _listed(form: str) -> list[tuple[str, str, float]]:
    """(english, list name, weight) of a lower-cased form in both lists, GNOME's first."""
    out = [(e, "GNOME glossary", 1.0) for e in _gnome().get(form, [])]
    seen = {e.lower() for e, _, _ in out}
    out += [(e, "WikDict", GENERAL) for e in _wikdict().get(form, []) if e.lower() not in seen]
    return out


def english_of(text: str) -> list[WordGloss]:
    """English glosses of an Indonesian word or phrase, best first."""
    words = text.lower().split()
    form = " ".join(match_form(w, "id") for w in words)
    exact = _listed(form) or _listed(text.lower())
    out = [WordGloss(e, EXACT * weight, f"{name}: {form} = {e}") for e, name, weight in exact]
    if len(words) != 1:
        return out
    # Only onto a root a list itself has (terbuka -> buka = open): going through the
    # stems of listed words would merge menjadi with kejadian ("event"). A word listed
    # as written may still owe its technical sense to its root (terbuka = "public" in
    # WikDict, "open" through buka).
    stem = group_key(text, "id")
    if stem == form:
        return out
    seen = {g.english.lower() for g in out}
    return out + [
        WordGloss(e, VIA_STEM * weight, f"{name}: {stem} = {e} (stem of {text})")
        for e, name, weight in _listed(stem)
        if e.lower() not in seen
    ]


@lru_cache(maxsize=1)
def _reverse() -> dict[str, list[tuple[str, str]]]:
    table: dict[str, list[tuple[str, str]]] = {}
    for name, listed in (("GNOME glossary", _gnome()), ("WikDict", _wikdict())):
        for indonesian, englishes in listed.items():
            for english in englishes:
                table.setdefault(english.lower(), []).append((indonesian, name))
    return table


def indonesian_of(english: str) -> list[tuple[str, str]]:
    """(Indonesian word or phrase, list name) that the lists give for an English one."""
    return _reverse().get(english.lower(), [])
