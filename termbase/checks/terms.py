"""Term-base checks: terms missing from a translation, terms that must not be used, and
the same source term rendered differently across units.

Matching goes through :mod:`termbase.recognize`, so it sees through Indonesian clitics
and reduplication (``modelnya``, ``model-model``) and needs no spaces in Chinese. To keep
thousands of terms cheap, :class:`TermIndex` reads a text once with Aho-Corasick
automata and searches only the terms whose first word occurs in it.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import partial
from operator import itemgetter
from typing import NamedTuple

import ahocorasick_rs

from corpora.tokenize import LATIN_ALNUM, NOT_LATIN_ALNUM, has_han
from corpora.wording import counted
from termbase.checks.finding import Finding, Severity
from termbase.checks.registry import Rule, register
from termbase.model import Concept, Status, Term
from termbase.recognize import find

_WORD = re.compile(rf"{LATIN_ALNUM}+")  # a run of letters and digits, Han aside
_ONE_WORD = re.compile(r"[A-Za-z0-9]+")
_NOT_LATIN_ALNUM = re.compile(NOT_LATIN_ALNUM)
_START, _END = itemgetter(0), itemgetter(1)  # of a Hit
# ASCII text lower-cased with every character but a letter or digit turned into a space,
# in one str.translate (what _lower and _NOT_LATIN_ALNUM do, for the commonest texts)
_ASCII_WORDS = str.maketrans(
    {chr(c): chr(c).lower() if chr(c).isalnum() else " " for c in range(128)}
)


class Hit(NamedTuple):
    """A term found in a text (a tuple: millions are made when checking a large file)."""

    start: int
    end: int
    term: Term
    concept: Concept


# _hit(Hit, (start, end, term, concept)): a Hit built in C, without the Python-level
# __new__ of named tuples (the term index makes one per term occurrence).
_hit = tuple.__new__


# A rendering of a source term in one unit, as plain values that travel cheaply between
# processes: (concept's position in the index, source term lower-cased, target term,
# start and end of the target term).
Rendering = tuple[int, str, str, int, int]


def _first_word(term: str) -> str:
    """The key a Latin-script term is filed under: its first word, lower-cased."""
    first = _WORD.search(term)
    return first.group().lower() if first else term.lower()


class TermIndex:
    """The terms of a term base by language, for finding them in running text.

    Each language has two Aho-Corasick automata (Rust's, through ahocorasick_rs: a
    text is read once whatever the number of terms). One holds the terms with Han
    characters, matched as strings (see :mod:`termbase.recognize`). The other reads the
    text lower-cased with every character but Latin letters and digits turned into a
    space, so that word boundaries are spaces: a plain one-word term is found as
    `` word ``; any other term (several words, Indonesian clitics and reduplication) is
    searched with :func:`termbase.recognize.find` where its first word starts a word.
    """

    def __init__(self, concepts: Iterable[Concept]) -> None:
        self.concepts = list(concepts)
        self._concept_pos = {id(c): i for i, c in enumerate(self.concepts)}
        # asked of every hit by renderings: looked up by the term object's id
        self._usable_terms = {id(t) for c in self.concepts for t in c.terms if t.status.usable}
        # whether any term is deprecated or forbidden: else no unit needs :func:`unwanted`
        self.unusable = any(not t.status.usable for c in self.concepts for t in c.terms)
        self._lower_text = {id(t): t.text.lower() for c in self.concepts for t in c.terms}
        # A term written in capitals (OR, AND, CD) is an acronym or a keyword: found only
        # so written, not as the ordinary word ("or") that matching ignoring case meets.
        self._capitals = {
            id(t): _NOT_LATIN_ALNUM.sub("", t.text)
            for c in self.concepts
            for t in c.terms
            if t.text.isupper() and not has_han(t.text)
        }
        han: dict[str, dict[str, list[tuple[Term, Concept]]]] = defaultdict(
            lambda: defaultdict(list)
        )
        # " word " -> plain one-word terms; " word" -> terms searched when it occurs
        latin: dict[str, dict[str, list[tuple[Term, Concept]]]] = defaultdict(
            lambda: defaultdict(list)
        )
        for concept in self.concepts:
            for term in concept.terms:
                text = term.text
                if not text.strip():
                    continue
                if has_han(text):
                    han[term.lang][text].append((term, concept))
                elif term.lang != "id" and _ONE_WORD.fullmatch(text):
                    latin[term.lang][f" {text.lower()} "].append((term, concept))
                else:
                    latin[term.lang][f" {_first_word(text)}"].append((term, concept))
        self._han = {lang: _Automaton(by_text) for lang, by_text in han.items()}
        self._latin = {lang: _Automaton(by_word) for lang, by_word in latin.items()}

    def __bool__(self) -> bool:
        return bool(self.concepts)

    def renderings(self, source_hits: Sequence[Hit], target_hits: Sequence[Hit]) -> list[Rendering]:
        """The usable target terms of one unit that render a term of its source (for
        :func:`inconsistent`); a target term counts once per source term."""
        out: list[Rendering] = []
        shared = {id(h[3]) for h in source_hits}
        usable_terms = self._usable_terms
        usable: dict[int, list[Hit]] = {}
        for t in target_hits:  # of the concepts of the source only: most are not
            concept = id(t[3])
            if concept in shared and id(t[2]) in usable_terms:
                by_concept = usable.get(concept)
                if by_concept is None:
                    usable[concept] = [t]
                else:
                    by_concept.append(t)
        if not usable:
            return out
        seen: set[tuple[int, str, int]] = set()
        concept_pos, lower_text = self._concept_pos, self._lower_text
        for hit in source_hits:
            rendering = usable.get(id(hit[3]))
            if rendering is None:
                continue
            pos, source_term = concept_pos[id(hit[3])], lower_text[id(hit[2])]
            for start, end, term, _ in rendering:
                if (pos, source_term, start) not in seen:
                    seen.add((pos, source_term, start))
                    out.append((pos, source_term, term.text, start, end))
        return out

    def find(self, text: str, lang: str) -> list[Hit]:
        """Terms of ``lang`` in ``text``; where hits overlap, the longest wins."""
        han, latin = self._han.get(lang), self._latin.get(lang)
        # an ASCII text has no Han (and the test costs nothing, unlike a regex search)
        hits = self._han_hits(text, han) if han is not None and not text.isascii() else []
        if latin is not None:
            hits += self._latin_hits(text, lang, latin)
        end = -1
        for hit in hits:
            if hit[0] < end:
                break
            end = hit[1]
        else:  # in order and apart, as words of running text mostly are: nothing to do
            return hits
        # by place, the longest first at one place (two sorts in C beat one keyed in Python)
        hits.sort(key=_END, reverse=True)
        hits.sort(key=_START)
        last = hits[0]
        kept = [last]
        for hit in hits[1:]:
            if hit[0] < last[1] and hit[3] is not last[3]:
                continue  # inside a longer term of another concept (开源 in 开源软件)
            kept.append(hit)
            last = hit
        return kept

    @staticmethod
    def _han_hits(text: str, index: _Automaton) -> list[Hit]:
        entries = index.entries
        return [
            _hit(Hit, (start, end, term, concept))
            for key, start, end in index.matches(text)
            for term, concept in entries[key]
        ]

    def _latin_hits(self, text: str, lang: str, index: _Automaton) -> list[Hit]:
        if text.isascii():
            words = f" {text.translate(_ASCII_WORDS)} "
        else:
            words = f" {_NOT_LATIN_ALNUM.sub(' ', _lower(text))} "
        hits: list[Hit] = []
        searched: set[int] = set()
        entries = index.entries
        for key, start, end in index.matches(words):
            # the pattern's first space is at ``start``: the text's offsets are one less
            if words[end - 1] == " ":  # a plain word, ``end - 2`` in the text
                for term, concept in entries[key]:
                    hits.append(_hit(Hit, (start, end - 2, term, concept)))
            elif key not in searched:  # a first word: search its terms, once
                searched.add(key)
                for term, concept in entries[key]:
                    hits += [
                        _hit(Hit, (s, e, term, concept)) for s, e in find(term.text, text, lang)
                    ]
        capitals = self._capitals
        if capitals:
            hits = [h for h in hits if id(h[2]) not in capitals or _written(text, h, capitals)]
        return hits


def _written(text: str, hit: Hit, capitals: dict[int, str]) -> bool:
    """Whether the capitals of an acronym term are in ``text`` as the hit found it (a
    clitic or a reduplication may follow: CPU-nya)."""
    return _NOT_LATIN_ALNUM.sub("", text[hit[0] : hit[1]]).startswith(capitals[id(hit[2])])


class _Automaton:
    """An Aho-Corasick automaton over the keys of ``entries``, which it keeps in the
    automaton's order so that a match's pattern index gives them."""

    def __init__(self, entries: dict[str, list[tuple[Term, Concept]]]) -> None:
        keys = list(entries)
        self.entries = [entries[k] for k in keys]
        self._automaton = ahocorasick_rs.AhoCorasick(keys)

        # (entry index, start, end) of every occurrence of a key, overlapping ones included
        self.matches: Callable[[str], list[tuple[int, int, int]]] = partial(
            self._automaton.find_matches_as_indexes, overlapping=True
        )


def _lower(text: str) -> str:
    """``text`` lower-cased letter by letter, offsets kept (İ lower-cases to two)."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c if len(c.lower()) > 1 else c.lower() for c in text)


class _Usable(NamedTuple):
    terms: list[Term]  # preferred first
    missing: str  # the end of a term-missing message: “ (c12) is not rendered as “a” or “b””
    # source term as written -> its whole term-missing message: a large file repeats
    # them, and one string each is also pickled once per chunk of a checking process
    messages: dict[str, str]


def _usable(concept: Concept, lang: str) -> _Usable:
    """The usable terms of ``concept`` in ``lang``.

    Asked for every term hit of every unit, so remembered by concept object (the identity
    check guards against a reused id); the memo is dropped when it grows large.
    """
    key = (id(concept), lang)
    known = _USABLE.get(key)
    if known is not None and known[0] is concept:
        return known[1]
    terms = [t for t in concept.terms_in(lang) if t.status.usable]
    terms.sort(key=lambda t: t.status != Status.PREFERRED)
    phrase = " or ".join(f"“{t.text}”" for t in terms)
    usable = _Usable(terms, f"{_name(concept)} is not rendered as {phrase}", {})
    if len(_USABLE) > 100_000:
        _USABLE.clear()
    _USABLE[key] = (concept, usable)
    return usable


_USABLE: dict[tuple[int, str], tuple[Concept, _Usable]] = {}


def _replacement(hit: Hit, lang: str) -> tuple[str, ...]:
    if hit.term.replacement:
        return (hit.term.replacement,)
    return tuple(t.text for t in _usable(hit.concept, lang).terms)


def _name(concept: Concept) -> str:
    """`` (c12)`` after a term: the concept's id; nothing for a glossary's concept that
    has none (a PO or TSV row), which no reader could look up."""
    return f" ({concept.id})" if concept.id else ""


def _other_casing(text: str, hit: Hit, lang: str) -> bool:
    """Whether an unusable term that differs from a usable one of its concept only in
    case (deprecated "Deepseek" beside "DeepSeek") is written here in another casing:
    matching ignores case, but only that very casing is the unwanted form."""
    own = hit.term.text.lower()
    if not any(t.text.lower() == own for t in _usable(hit.concept, lang).terms):
        return False
    written = _NOT_LATIN_ALNUM.sub("", text[hit.start : hit.end])
    return not written.startswith(_NOT_LATIN_ALNUM.sub("", hit.term.text))


def unwanted(
    text: str, hits: Sequence[Hit], lang: str, unit: str | None = None
) -> Iterator[Finding]:
    """Deprecated and forbidden terms among the ``hits`` of a text (TermIndex.find) of
    the unit of id ``unit``, with the usable terms as suggestions."""
    for hit in hits:
        if hit.term.status.usable or _other_casing(text, hit, lang):
            continue
        forbidden = hit.term.status == Status.FORBIDDEN
        suggestions = _replacement(hit, lang)
        written = text[hit.start : hit.end]
        yield Finding(
            "term-forbidden" if forbidden else "term-deprecated",
            Severity.ERROR if forbidden else Severity.WARNING,
            hit.start,
            hit.end,
            f"“{written}” is {hit.term.status.value} in the term base{_name(hit.concept)}"
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
) -> list[Finding]:
    """A source term whose concept has target terms none of which is in the target
    (of the unit of id ``unit``)."""
    out: list[Finding] = []
    done = {id(h[3]) for h in target_hits}  # rendered, or reported already
    for hit in source_hits:
        concept = hit[3]
        key = id(concept)
        if key in done:
            continue
        done.add(key)
        wanted = _usable(concept, target_lang)
        if wanted.terms:
            written = source[hit[0] : hit[1]]
            message = wanted.messages.get(written)
            if message is None:
                message = wanted.messages[written] = f"“{written}”{wanted.missing}"
            # built in C: a large file has hundreds of thousands of these
            out.append(
                _finding(Finding, ("term-missing", _WARNING, 0, len(target), message, *_TAIL, unit))
            )
    return out


_finding = tuple.__new__
_WARNING = Severity.WARNING
# the default fields between a finding's message and its unit (suggestions ... column)
_TAIL = tuple(Finding._field_defaults[f] for f in Finding._fields[5:-1])


def inconsistent(
    units: Iterable[tuple[str, Sequence[Rendering]]], index: TermIndex, target_lang: str
) -> list[Finding]:
    """The same source term rendered by different usable terms across units.

    ``units`` are (id, the unit's :meth:`TermIndex.renderings`). The rendering used most
    often (the preferred one on a tie) is suggested for the others.
    """
    units = list(units)
    # counted by Counter's C loop, then grouped: a large file has 100,000s of renderings
    counts = Counter(r[:3] for _, renderings in units for r in renderings)
    used_by_key: dict[tuple[int, str], Counter[str]] = defaultdict(Counter)
    for (pos, source_term, target_term), n in counts.items():
        used_by_key[(pos, source_term)][target_term] = n
    best_by_key: dict[tuple[int, str], str] = {}
    for key, used in used_by_key.items():
        if len(used) > 1:
            concept = index.concepts[key[0]]
            preferred = {
                x.text for x in concept.terms_in(target_lang) if x.status == Status.PREFERRED
            }
            best_by_key[key] = max(used, key=lambda text: (used[text], text in preferred, text))
    out: list[Finding] = []
    if not best_by_key:  # every source term rendered one way
        return out
    for unit_id, renderings in units:
        for pos, source_term, target_term, start, end in renderings:
            best = best_by_key.get((pos, source_term))
            if best is None or target_term == best:
                continue
            out.append(
                Finding(
                    "term-inconsistent",
                    Severity.WARNING,
                    start,
                    end,
                    f"“{target_term}” here, “{best}” in "
                    f"{counted(used_by_key[(pos, source_term)][best], 'other unit')} "
                    f"for the same source term{_name(index.concepts[pos])}",
                    (best,),
                    unit=unit_id,
                )
            )
    return out


register(
    Rule("term-forbidden", "a forbidden term of the term base", "term", severity=Severity.ERROR),
    Rule(
        "term-deprecated", "a deprecated term of the term base", "term", severity=Severity.WARNING
    ),
    Rule(
        "term-missing",
        "a source term whose target-language terms are all missing",
        "term",
        severity=Severity.WARNING,
    ),
    Rule(
        "term-inconsistent",
        "the same source term rendered differently across units",
        "term",
        severity=Severity.WARNING,
    ),
)
