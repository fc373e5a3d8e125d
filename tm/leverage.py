"""Leverage: what a translation memory offers each segment of a new file.

:class:`Memory` holds the memory's (source, translation) entries of one language pair
and finds, for a :class:`Segment` of a new file, the best offer, in this order:

1. **exact**: the same source text (and, for a plural message, the same plural). It is a
   *context* match when it also has the same PO context (msgctxt) or the same neighbours
   (the segments before and after it), as CAT tools' 101 % / in-context exact. An exact
   text under another msgctxt is offered as a 99 % fuzzy match: a context exists to tell
   two senses apart ("May" the month, "May" the verb).
2. **repaired**: a memory source that differs only by placeables or terms (tm.repair),
   with its translation patched. Such sources are found by their skeleton in a hash
   table, whatever their fuzzy score.
3. **fuzzy**: the best match of :class:`tm.fuzzy.FuzzyIndex` (Levenshtein percentage, a
   difference touching a negation or a protected term costs a penalty).

Several translations of one source: the one with the same context wins, then the one
most often used, then the latest imported.

A translation into another variant of the job's target language (``Entry.variant``: es
for es-ES, es-ES for es) is offered as CAT tools offer a TM of another sub-language:
below the job's own, at a penalty of VARIANT_PENALTY points with its language in a note,
never as an exact match to use unreviewed (es-ES and es-MX spell and word differently).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Literal

from rapidfuzz.distance import Levenshtein

from tm.fuzzy import FuzzyIndex, Match, fold
from tm.model import InlineCode
from tm.repair import Repair, TermLens, repair, skeleton

Kind = Literal["context", "exact", "repaired", "fuzzy", "none"]
FUZZY_LIMIT = 10  # fuzzy candidates looked at: some may be of the wrong plural-ness
REPAIR_TRIES = 20  # memory sources of one skeleton tried, most similar first
VARIANT_PENALTY = 1.0  # a translation into another variant of the target language


@dataclass(frozen=True)
class Entry:
    """One translation in the memory."""

    source: str
    target: str
    plural: str | None = None  # the source's plural (PO msgid_plural)
    target_plurals: tuple[str, ...] = ()
    context: str | None = None  # PO msgctxt
    before: str | None = None  # source text of the previous unit of its document
    after: str | None = None
    origin: str = ""  # document name (and position) for notes
    source_codes: tuple[InlineCode, ...] = ()
    target_codes: tuple[InlineCode, ...] = ()
    # The translation's language when it is another variant of the memory's target
    # language (es in a memory for es-ES); None when it is that language.
    variant: str | None = None

    @property
    def targets(self) -> tuple[str, ...]:
        return (self.target, *self.target_plurals)


@dataclass(frozen=True)
class Segment:
    """A unit of the new file, as the memory sees it."""

    source: str
    plural: str | None = None
    context: str | None = None
    before: str | None = None
    after: str | None = None


@dataclass(frozen=True)
class Offer:
    """What the memory offers for one segment. ``score`` is 100 for exact and context
    matches, the fuzzy score (of the memory source before patching, for a repaired one)
    otherwise; ``targets`` the translation and its plural forms, patched if repaired."""

    kind: Kind
    score: float = 0.0
    entry: Entry | None = None
    targets: tuple[str, ...] = ()
    repair: Repair | None = None
    match: Match | None = None
    notes: tuple[str, ...] = field(default=())

    @property
    def complete(self) -> bool:
        """A translation to use as it is (exact or context), not one to review."""
        return self.kind in ("context", "exact")


NO_OFFER = Offer("none")


def similarity(a: str, b: str) -> float:
    """The fuzzy index's base score: Levenshtein percentage of the case-folded texts."""
    return 100 * Levenshtein.normalized_similarity(fold(a), fold(b))


class Memory:
    """The entries of one language pair, indexed for exact, repaired and fuzzy look-ups.

    ``terms`` are the source language's protected terms (fuzzy penalties); ``lens``
    recognises the term base's terms for repairs (without it, only placeables are
    patched); ``repair=False`` offers no repaired matches at all.
    """

    def __init__(
        self,
        entries: Iterable[Entry],
        source_lang: str,
        *,
        terms: Iterable[str] = (),
        lens: TermLens | None = None,
        repair: bool = True,
    ) -> None:
        self.lens = lens
        self.repairs = repair
        self._by_source: dict[str, list[Entry]] = {}
        for entry in entries:
            if entry.source.strip() and entry.target.strip():
                self._by_source.setdefault(entry.source, []).append(entry)
        self.sources = list(self._by_source)
        self._index = FuzzyIndex(source_lang, terms=terms).build(enumerate(self.sources))
        self._skeletons: dict[str, list[str]] = {}
        for source in self.sources if repair else ():
            self._skeletons.setdefault(skeleton(source, lens)[0], []).append(source)

    def __len__(self) -> int:
        return sum(len(v) for v in self._by_source.values())

    def lookup(
        self, segment: Segment, *, min_score: float = 50, exclude: Entry | None = None
    ) -> Offer:
        """The best offer for ``segment``; fuzzy matches under ``min_score`` are none.
        ``exclude`` is an entry that is no match of it (the segment's own translation,
        when the document it belongs to is part of the memory)."""
        if not segment.source.strip():
            return NO_OFFER
        # each kind in turn; one in the target's own tag comes before the later kinds, one
        # into another variant only before those that score less
        best = self._exact(segment, exclude)
        if not _own(best):
            best = _better(best, self._repaired(segment, exclude))
        if not _own(best):
            best = _better(best, self._fuzzy(segment, min_score, exclude))
        return best or NO_OFFER

    def entries_of(self, source: str, exclude: Entry | None = None) -> list[Entry]:
        """The memory's entries whose source text is ``source``, but ``exclude``."""
        return [e for e in self._by_source.get(source, ()) if e is not exclude]

    # -- the three kinds of offer -----------------------------------------------------------

    def _exact(self, segment: Segment, exclude: Entry | None) -> Offer | None:
        same_text = [
            e for e in self.entries_of(segment.source, exclude) if e.plural == segment.plural
        ]
        own = [e for e in same_text if e.variant is None]  # the target language's own first
        return _exact_among(own or same_text, segment)

    def _repaired(self, segment: Segment, exclude: Entry | None) -> Offer | None:
        if not self.repairs:
            return None
        key = skeleton(segment.source, self.lens)[0]
        sources = [s for s in self._skeletons.get(key, ()) if s != segment.source]
        sources.sort(key=lambda s: -similarity(segment.source, s))
        queries = _forms(segment.source, segment.plural)
        best: Offer | None = None
        for source in sources[:REPAIR_TRIES]:
            score = similarity(segment.source, source)
            if best is not None and not _may_beat(score, best):
                break
            entries = _plurality(self.entries_of(source, exclude), segment)
            if not entries:
                continue
            entry = _choose(entries, segment)
            fixed = repair(queries, _forms(source, entry.plural), entry.targets, self.lens)
            if fixed is not None:
                offer = Offer(
                    "repaired", score, entry, fixed.texts, repair=fixed, notes=_others(entries)
                )
                best = _better(best, _penalised(offer))
        return best

    def _fuzzy(self, segment: Segment, min_score: float, exclude: Entry | None) -> Offer | None:
        best: Offer | None = None
        for match in self._index.search(segment.source, limit=FUZZY_LIMIT, min_score=min_score):
            # 100 here: the same text with another plural, which exact did not take
            score = min(match.score, 99.0)
            if best is not None and not _may_beat(score, best):
                break
            source = self.sources[match.segment_id]
            entries = _plurality(self.entries_of(source, exclude), segment)
            if entries:
                entry = _choose(entries, segment)
                notes = (*match.flags, *_others(entries))
                offer = _penalised(
                    Offer("fuzzy", score, entry, entry.targets, match=match, notes=notes)
                )
                if offer.score >= min_score:
                    best = _better(best, offer)
        return best


def _exact_among(same_text: Sequence[Entry], segment: Segment) -> Offer | None:
    """The exact offer among the entries of the segment's text (and plural)."""
    if not same_text:
        return None
    same_context = [e for e in same_text if e.context == segment.context]
    if not same_context:
        entry = _choose(same_text, segment)
        note = f"msgctxt differs: {entry.context or '(none)'}"
        offer = Offer("fuzzy", 99.0, entry, entry.targets, notes=(note, *_others(same_text)))
        return _penalised(offer)
    entry = _choose(same_context, segment)
    in_context = segment.context is not None or _same_neighbours(entry, segment)
    kind: Kind = "context" if in_context else "exact"
    return _penalised(Offer(kind, 100.0, entry, entry.targets, notes=_others(same_context)))


def _penalised(offer: Offer) -> Offer:
    """The offer, a fuzzy one VARIANT_PENALTY points lower if its translation is into
    another variant of the target language, with that language in its notes."""
    variant = offer.entry.variant if offer.entry else None
    if variant is None:
        return offer
    kind: Kind = "fuzzy" if offer.complete else offer.kind
    notes = (f"translated into {variant}", *offer.notes)
    return replace(offer, kind=kind, score=offer.score - VARIANT_PENALTY, notes=notes)


def _better(best: Offer | None, offer: Offer | None) -> Offer | None:
    """The higher-scored offer; at one score, the one in the target language's own tag,
    then the one found first (the more similar source)."""
    if best is None or offer is None:
        return best or offer
    return offer if _rank(offer) > _rank(best) else best


def _own(offer: Offer | None) -> bool:
    """An offer of a translation in the target language's own tag."""
    return offer is not None and offer.entry is not None and offer.entry.variant is None


def _rank(offer: Offer) -> tuple[float, bool]:
    return offer.score, _own(offer)


def _may_beat(score: float, best: Offer) -> bool:
    """Whether a candidate of ``score`` (before any penalty) may outrank ``best``: only a
    best one into another variant leaves room, for one in the target's own tag."""
    return _rank(best) < (score, True)


def _forms(source: str, plural: str | None) -> tuple[str, ...]:
    return (source,) if plural is None else (source, plural)


def _plurality(entries: Sequence[Entry], segment: Segment) -> list[Entry]:
    """The entries that are plural messages if the segment is one, singular if not."""
    return [e for e in entries if (e.plural is None) == (segment.plural is None)]


def _same_neighbours(entry: Entry, segment: Segment) -> bool:
    """The same segments before and after (a segment alone has no neighbours to share)."""
    around = (segment.before, segment.after)
    return around != (None, None) and (entry.before, entry.after) == around


def _choose(entries: Sequence[Entry], segment: Segment) -> Entry:
    """The target language's own tag first, then the same context and neighbours, then the
    most used translation, then the latest."""
    used = Counter(e.targets for e in entries)
    best = max(
        range(len(entries)),
        key=lambda i: (
            entries[i].variant is None,
            entries[i].context == segment.context,
            _same_neighbours(entries[i], segment),
            used[entries[i].targets],
            i,
        ),
    )
    return entries[best]


def _others(entries: Sequence[Entry]) -> tuple[str, ...]:
    distinct = {e.targets for e in entries}
    return (f"{len(distinct)} translations in the memory",) if len(distinct) > 1 else ()
