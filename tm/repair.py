"""Repaired matches: a memory translation patched for a new source that differs from the
memory's source only by placeables (numbers, placeholders, tags, inline codes) or by a
term of the term base put for another.

Both sources are cut into a *skeleton* (the text with each placeable and each recognised
term replaced by a marker of its kind) and their *slots* (what stood there). A match can
be repaired only when the two skeletons are identical: then every difference is a slot
whose value changed, and each changed value is found in the memory's target and replaced
(a number by the new number, a placeholder by the new placeholder, the target-language
term of the old concept by the term base's term for the new one). Anything else, a
negation, a changed word, a change of case, leaves the skeletons different and the match
unrepaired: the patch never crosses a difference it does not understand.

A slot is patched only when the target holds the old value exactly as many times as the
memory's source does, so that every occurrence is accounted for; otherwise the match is
left alone. The term base is reached through :class:`TermLens`, which the application
builds from it (tm does not import the term base).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple, Protocol

from tm.placeables import codes, placeables
from tm.wordcount import count_words

_MARK = {"code": "\x01", "number": "\x02", "term": "\x03"}
_ID_SUFFIXES = ("nya", "lah", "kah", "ku", "mu")


class TermSpan(NamedTuple):
    start: int
    end: int
    concept: str  # the concept's key
    term: str  # the term as listed in the term base (target spans: the one found)


class TermLens(Protocol):
    """What repair needs of a term base, for one language pair."""

    def source_terms(self, text: str) -> Sequence[TermSpan]:
        """Terms of the source language in ``text``, not overlapping, in order."""

    def target_terms(self, text: str, concept: str) -> Sequence[TermSpan]:
        """Where the target-language terms of ``concept`` occur in ``text``."""

    def rendering(self, concept: str) -> str | None:
        """The preferred target-language term of ``concept``, if it has one."""


class _Slot(NamedTuple):
    kind: str  # code, number, term
    value: str  # code or number text; a term's concept key
    text: str  # as written in the segment


@dataclass(frozen=True)
class Patch:
    """One value changed in the target: ``old`` (target text) became ``new``, because the
    source has ``source_new`` where the memory's source had ``source_old``."""

    kind: str
    source_old: str
    source_new: str
    old: str
    new: str

    def __str__(self) -> str:
        return f"{self.old} → {self.new}"


@dataclass(frozen=True)
class Repair:
    texts: tuple[str, ...]  # the patched target (and its plural forms)
    patches: tuple[Patch, ...]


def skeleton(text: str, lens: TermLens | None = None) -> tuple[str, tuple[_Slot, ...]]:
    """``text`` with every placeable and term replaced by its kind's marker, and the slots."""
    spans: list[tuple[int, int, str, str]] = [
        (p.start, p.end, p.kind, p.text) for p in placeables(text)
    ]
    if lens is not None:
        taken = [(s, e) for s, e, _, _ in spans]
        for hit in lens.source_terms(text):
            if not any(hit.start < e and s < hit.end for s, e in taken):
                spans.append((hit.start, hit.end, "term", hit.concept))
                taken.append((hit.start, hit.end))
        spans.sort()
    pieces: list[str] = []
    slots: list[_Slot] = []
    last = 0
    for start, end, kind, value in spans:
        pieces += [text[last:start], _MARK[kind]]
        slots.append(_Slot(kind, value, text[start:end]))
        last = end
    pieces.append(text[last:])
    return "".join(pieces), tuple(slots)


def repair(
    queries: Sequence[str],
    sources: Sequence[str],
    targets: Sequence[str],
    lens: TermLens | None = None,
) -> Repair | None:
    """The memory's ``targets`` (a translation and its plural forms) of ``sources`` (the
    memory's source, and its plural) patched for ``queries`` (the new source and plural);
    None when a source differs from its query by anything but slots, or a changed slot
    cannot be found in every target as often as in a source."""
    if len(queries) != len(sources):
        return None
    changes: dict[tuple[str, str], str] = {}
    written: dict[tuple[str, str], str] = {}
    counts: list[Counter[tuple[str, str]]] = []
    for query, source in zip(queries, sources, strict=True):
        (q_skel, q_slots), (s_skel, s_slots) = skeleton(query, lens), skeleton(source, lens)
        if q_skel != s_skel or not _anchored(q_skel, q_slots, s_slots):
            return None
        for q, s in zip(q_slots, s_slots, strict=True):
            if changes.setdefault((s.kind, s.value), q.value) != q.value:
                return None  # one old value became two new ones: which is which is unknown
            written[(s.kind, s.value)] = s.text
            written.setdefault((q.kind, q.value), q.text)
        counts.append(Counter((s.kind, s.value) for s in s_slots))
    patches: list[Patch] = []
    texts: list[str] = []
    for target in targets:
        edits: list[tuple[int, int, str, Patch]] = []
        for (kind, old), new in changes.items():
            if old == new:
                continue
            found = _find(target, kind, old, lens)
            if len(found) not in {c[(kind, old)] for c in counts}:
                return None  # an occurrence the source does not explain, or one missing
            for start, end, term in found:
                replacement = _replacement(target[start:end], term, kind, new, written, lens)
                if replacement is None:
                    return None
                patch = Patch(
                    kind, written[(kind, old)], written[(kind, new)], target[start:end], replacement
                )
                edits.append((start, end, replacement, patch))
        patched = _apply(target, edits)
        if patched is None or not _codes_follow(queries, sources, target, patched):
            return None
        texts.append(patched)
        patches += [p for _, _, _, p in sorted(edits, key=lambda e: e[0]) if p not in patches]
    return Repair(tuple(texts), tuple(patches))


def _anchored(skeleton: str, q_slots: Sequence[_Slot], s_slots: Sequence[_Slot]) -> bool:
    """The two sources share a word that stays: text around the slots, or a term that did
    not change. Without one ("View" for "Close", "Add link" for "Database error") there is
    nothing of the old sentence left to trust, word order least of all."""
    if count_words(skeleton):
        return True
    return any(
        q.kind == "term" and q.value == s.value for q, s in zip(q_slots, s_slots, strict=True)
    )


def _codes_follow(
    queries: Sequence[str], sources: Sequence[str], target: str, patched: str
) -> bool:
    """A target that had the codes of a source form has those of its query once patched."""
    before = Counter(codes(target))
    pairs = [(q, s) for q, s in zip(queries, sources, strict=True) if Counter(codes(s)) == before]
    if not pairs:
        return True  # the translator dropped or added codes: nothing to hold it to
    after = Counter(codes(patched))
    return any(after == Counter(codes(q)) for q, _ in pairs)


def _find(target: str, kind: str, value: str, lens: TermLens | None) -> list[tuple[int, int, str]]:
    if kind == "term":
        assert lens is not None  # term slots come from a lens
        return [(h.start, h.end, h.term) for h in lens.target_terms(target, value)]
    return [(p.start, p.end, p.text) for p in placeables(target) if p.text == value]


def _replacement(
    surface: str,
    term: str,
    kind: str,
    new: str,
    written: dict[tuple[str, str], str],
    lens: TermLens | None,
) -> str | None:
    if kind != "term":
        return written[(kind, new)]
    assert lens is not None
    rendering = lens.rendering(new)
    return None if rendering is None else _inflect(surface, term, rendering)


def _inflect(surface: str, term: str, new: str) -> str | None:
    """``new`` written the way ``surface`` writes ``term``: capitalised like it, with the
    Indonesian reduplication (model-model) or clitic (-nya) it carries. None when the
    surface form is not understood."""
    low, low_term = surface.lower(), term.lower()
    if low == low_term:
        out = new
    elif low.startswith(low_term):
        rest = surface[len(term) :]
        last_old, last_new = term.split()[-1], new.split()[-1]
        redup = "-" + last_old
        if rest.lower().startswith(redup.lower()):
            tail = rest[len(redup) :]
            out = f"{new}-{last_new}"
        else:
            tail = rest
            out = new
        if tail.lstrip("-").lower() not in ("", *_ID_SUFFIXES):
            return None
        out += tail
    else:
        return None
    if surface[:1].isupper() and out[:1].islower():
        out = out[0].upper() + out[1:]  # sentence-initial: List → Daftar
    elif surface[:1].islower() and out[:1].isupper() and out[1:2].islower():
        out = out[0].lower() + out[1:]  # a glossary's capitalised headword mid-sentence
    return out


def _apply(text: str, edits: list[tuple[int, int, str, Patch]]) -> str | None:
    """``text`` with the edits made, or None if two of them overlap."""
    edits.sort(key=lambda e: e[0])
    for (_, end, _, _), (start, _, _, _) in zip(edits, edits[1:], strict=False):
        if start < end:
            return None
    for start, end, replacement, _ in reversed(edits):
        text = text[:start] + replacement + text[end:]
    return text
