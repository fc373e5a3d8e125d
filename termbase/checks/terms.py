"""Term-base checks: terms missing from a translation, terms that must not be used, and
the same source term rendered differently across units.

Matching goes through :mod:`termbase.recognize`, so it sees through Indonesian clitics
and reduplication (``modelnya``, ``model-model``) and needs no spaces in Chinese. To keep
thousands of terms cheap, :class:`TermIndex` looks up only the terms whose first word
(Latin script) or first two characters (Chinese) occur in the text.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from corpora.tokenize import LATIN_ALNUM, has_han
from termbase.checks.finding import Finding, Severity
from termbase.model import Concept, Status, Term
from termbase.recognize import find

_WORD = re.compile(rf"{LATIN_ALNUM}+")  # a run of letters and digits, Han aside
_ID_CLITIC = re.compile(r"(?:nya|lah|kah|ku|mu)$")
_ONE_WORD = re.compile(r"[A-Za-z0-9]+")


@dataclass(frozen=True)
class Hit:
    start: int
    end: int
    term: Term
    concept: Concept


def _first_word(term: str) -> str:
    """The key a Latin-script term is filed under: its first word, lower-cased."""
    first = _WORD.search(term)
    return first.group().lower() if first else term.lower()


def _words_in(text: str) -> dict[str, list[tuple[int, int]]]:
    """The spans of each lower-cased Latin word (no Han, no clitics) of a text."""
    out: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for m in _WORD.finditer(text):
        out[m.group().lower()].append(m.span())
    return out


_Entries = list[tuple[Term, Concept]]


class TermIndex:
    """The terms of a term base by language, for finding them in running text.

    A term with Han characters is filed under its first two characters and found by
    comparing it in place at each position of the text where they occur (Chinese is
    matched as a string, see :mod:`termbase.recognize`); any other term is filed under
    its first word, and only the terms whose first word occurs in the text are searched.
    """

    def __init__(self, concepts: Iterable[Concept]) -> None:
        self.concepts = list(concepts)
        self._concept_pos = {id(c): i for i, c in enumerate(self.concepts)}
        self._han: dict[str, dict[str, _Entries]] = defaultdict(lambda: defaultdict(list))
        self._latin: dict[str, dict[str, _Entries]] = defaultdict(lambda: defaultdict(list))
        for concept in self.concepts:
            for term in concept.terms:
                text = term.text
                if not text.strip():
                    continue
                if has_han(text):
                    self._han[term.lang][text[:2]].append((term, concept))
                else:
                    self._latin[term.lang][_first_word(text)].append((term, concept))
        # a one-character Chinese term is looked up at every position, not only bigrams
        self._han_single = {lang for lang, t in self._han.items() if any(len(k) < 2 for k in t)}

    def __bool__(self) -> bool:
        return bool(self.concepts)

    # Hits travel between processes as positions in this index, not as objects.
    def pack(self, hits: Sequence[Hit]) -> tuple[tuple[int, int, int, int], ...]:
        return tuple(
            (self._concept_pos[id(h.concept)], h.concept.terms.index(h.term), h.start, h.end)
            for h in hits
        )

    def unpack(self, packed: Sequence[tuple[int, int, int, int]]) -> list[Hit]:
        out = []
        for ci, ti, start, end in packed:
            concept = self.concepts[ci]
            out.append(Hit(start, end, concept.terms[ti], concept))
        return out

    def find(self, text: str, lang: str) -> list[Hit]:
        """Terms of ``lang`` in ``text``; where hits overlap, the longest wins."""
        hits = self._han_hits(text, lang) + self._latin_hits(text, lang)
        if not hits:
            return hits
        hits.sort(key=lambda h: (h.start, -(h.end - h.start)))
        kept: list[Hit] = []
        for hit in hits:
            if kept and hit.start < kept[-1].end and hit.concept is not kept[-1].concept:
                continue  # inside a longer term of another concept (开源 in 开源软件)
            kept.append(hit)
        return kept

    def _han_hits(self, text: str, lang: str) -> list[Hit]:
        table = self._han.get(lang)
        if not table or not has_han(text):
            return []
        single = lang in self._han_single
        hits = []
        last = len(text) - 1
        for i in range(len(text)):
            entries = table.get(text[i : i + 2])  # at the end, that is one character
            if single and i < last and (more := table.get(text[i])):
                entries = (entries or []) + more
            if entries:
                for term, concept in entries:
                    if text.startswith(term.text, i):
                        hits.append(Hit(i, i + len(term.text), term, concept))
        return hits

    def _latin_hits(self, text: str, lang: str) -> list[Hit]:
        table = self._latin.get(lang)
        if not table:
            return []
        words = _words_in(text)
        keys = set(words)
        if lang == "id":  # modelnya is filed under model
            keys.update([_ID_CLITIC.sub("", w) for w in words])
        hits = []
        for key in keys & table.keys():
            for term, concept in table[key]:
                if lang != "id" and _ONE_WORD.fullmatch(term.text):
                    # a plain word: its places are known without a regex
                    spans = words.get(term.text.lower(), ())
                else:
                    spans = find(term.text, text, lang)
                hits += (Hit(start, end, term, concept) for start, end in spans)
        return hits


def _usable(concept: Concept, lang: str) -> list[Term]:
    """The usable terms of ``concept`` in ``lang``, preferred first.

    Asked for every term hit of every unit, so remembered by concept object (the identity
    check guards against a reused id); the memo is dropped when it grows large.
    """
    key = (id(concept), lang)
    known = _USABLE.get(key)
    if known is not None and known[0] is concept:
        return known[1]
    terms = [t for t in concept.terms_in(lang) if t.status.usable]
    terms.sort(key=lambda t: t.status != Status.PREFERRED)
    if len(_USABLE) > 100_000:
        _USABLE.clear()
    _USABLE[key] = (concept, terms)
    return terms


_USABLE: dict[tuple[int, str], tuple[Concept, list[Term]]] = {}


def _replacement(hit: Hit, lang: str) -> tuple[str, ...]:
    if hit.term.replacement:
        return (hit.term.replacement,)
    return tuple(t.text for t in _usable(hit.concept, lang))


def _name(concept: Concept) -> str:
    return concept.id or "?"


def unwanted(
    text: str, hits: Sequence[Hit], lang: str, unit: str | None = None
) -> Iterator[Finding]:
    """Deprecated and forbidden terms among the ``hits`` of a text (TermIndex.find) of
    the unit of id ``unit``, with the usable terms as suggestions."""
    for hit in hits:
        if hit.term.status.usable:
            continue
        forbidden = hit.term.status == Status.FORBIDDEN
        suggestions = _replacement(hit, lang)
        written = text[hit.start : hit.end]
        yield Finding(
            "term-forbidden" if forbidden else "term-deprecated",
            Severity.ERROR if forbidden else Severity.WARNING,
            hit.start,
            hit.end,
            f"“{written}” is {hit.term.status.value} in the term base ({_name(hit.concept)})"
            + (f"; use “{suggestions[0]}”" if suggestions else ""),
            suggestions,
            # A term someone marked with its replacement is a decision already made.
            sure=bool(hit.term.replacement),
            unit=unit,
        )


def missing(
    source: str,
    target: str,
    source_hits: Sequence[Hit],
    target_hits: Sequence[Hit],
    target_lang: str,
    unit: str | None = None,
) -> Iterator[Finding]:
    """A source term whose concept has target terms none of which is in the target
    (of the unit of id ``unit``)."""
    rendered = {id(h.concept) for h in target_hits}
    reported: set[int] = set()
    for hit in source_hits:
        wanted = _usable(hit.concept, target_lang)
        if not wanted or id(hit.concept) in rendered or id(hit.concept) in reported:
            continue
        reported.add(id(hit.concept))
        yield Finding(
            "term-missing",
            Severity.WARNING,
            0,
            len(target),
            f"“{source[hit.start : hit.end]}” ({_name(hit.concept)}) is not rendered as "
            + " or ".join(f"“{t.text}”" for t in wanted),
            unit=unit,
        )


def inconsistent(
    units: Iterable[tuple[str, Sequence[Hit], Sequence[Hit]]], target_lang: str
) -> list[Finding]:
    """The same source term rendered by different usable terms across units.

    ``units`` are (id, source hits, target hits). The rendering used most often (the
    preferred one on a tie) is suggested for the others.
    """
    renderings: dict[tuple[int, str], Counter[str]] = defaultdict(Counter)
    places: dict[tuple[str, tuple[int, str], int], Hit] = {}
    for unit_id, source_hits, target_hits in units:
        for hit in source_hits:
            key = (id(hit.concept), hit.term.text.lower())
            for t in target_hits:
                if t.concept is hit.concept and t.term.status.usable:
                    if (unit_id, key, t.start) not in places:
                        renderings[key][t.term.text] += 1
                    places[(unit_id, key, t.start)] = t
    out = []
    for (unit_id, key, _), t in places.items():
        used = renderings[key]
        if len(used) < 2:
            continue
        preferred = {
            x.text for x in t.concept.terms_in(target_lang) if x.status == Status.PREFERRED
        }
        best = max(used, key=lambda text: (used[text], text in preferred, text))
        if t.term.text != best:
            out.append(
                Finding(
                    "term-inconsistent",
                    Severity.WARNING,
                    t.start,
                    t.end,
                    f"“{t.term.text}” here, “{best}” in {used[best]} other unit(s) "
                    f"for the same source term ({_name(t.concept)})",
                    (best,),
                    unit=unit_id,
                )
            )
    return out
