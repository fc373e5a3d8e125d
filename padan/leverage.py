"""Leverage use cases: the workspace's memory applied to new files (`padan analyze`,
`padan pretranslate`); ``open_memory(ws, src, tgt).lookup(Segment(text))`` is the best
(repaired) match of one segment.

This is where the two domain sides meet: the memory's entries come from the TM store,
and the term recognition that repairs matches (tm.repair) from the term base's
:class:`termbase.checks.terms.TermIndex`, the one the checks use, so Chinese terms are
found without spaces and Indonesian ones through -nya and reduplication.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from corpora.errors import LocatedError
from corpora.langtags import same_language, variants
from padan.workspace import Workspace
from termbase.checks.terms import Hit, TermIndex
from termbase.model import Concept, Status
from tm.analysis import Bands, Tally
from tm.files import Bilingual, format_of, read_units
from tm.formats.states import holds_no_translation
from tm.inline import plain_text
from tm.leverage import Entry, Memory, Segment
from tm.model import Unit, Variant
from tm.repair import TermSpan
from tm.wordcount import CONVENTION, count_words


class TermBaseLens:
    """The term base seen by tm.repair for one language pair."""

    def __init__(self, concepts: Iterable[Concept], source_lang: str, target_lang: str) -> None:
        self.source_lang, self.target_lang = source_lang, target_lang
        wanted = [c for c in concepts if c.terms_in(source_lang) and c.terms_in(target_lang)]
        self._index = TermIndex(wanted)
        self._keys = {id(c): c.id or f"#{i}" for i, c in enumerate(wanted)}
        self._renderings: dict[str, str] = {}
        for concept in wanted:
            usable = [t for t in concept.terms_in(target_lang) if t.status.usable]
            usable.sort(key=lambda t: t.status != Status.PREFERRED)
            if usable:
                self._renderings[self._keys[id(concept)]] = usable[0].text

    def __bool__(self) -> bool:
        return bool(self._index)

    def _spans(self, hits: Sequence[Hit]) -> list[TermSpan]:
        spans: list[TermSpan] = []
        for hit in hits:  # in order, the longest first at one place
            if not spans or hit.start >= spans[-1].end:
                spans.append(
                    TermSpan(hit.start, hit.end, self._keys[id(hit.concept)], hit.term.text)
                )
        return spans

    def source_terms(self, text: str) -> Sequence[TermSpan]:
        return self._spans(self._index.find(text, self.source_lang))

    def target_terms(self, text: str, concept: str) -> Sequence[TermSpan]:
        hits = [
            h
            for h in self._index.find(text, self.target_lang)
            if self._keys[id(h.concept)] == concept
        ]
        return self._spans(hits)

    def rendering(self, concept: str) -> str | None:
        return self._renderings.get(concept)


def memory_entries(
    ws: Workspace, source_lang: str, target_lang: str, *, plain: bool = False
) -> list[Entry]:
    """The workspace's translations from ``source_lang`` to ``target_lang``: units with a
    non-empty target, neither fuzzy nor obsolete, with their neighbours' source texts.
    ``plain``: for a job in a format without inline codes (PO), each code written as its
    text, as `padan export` writes it in a PO (tm.inline.plain_text), so that a unit of
    an XLIFF is found by its PO export's msgid (``<ph>{1}</ph>Home`` is ``{1}Home``).

    A unit without a translation into ``target_lang`` gives its translation into another
    variant of that language (es for es-ES, es-ES for es), marked with its language for
    the memory to rank below (tm.leverage), as a document in another variant of
    ``source_lang`` gives its own (corpora.langtags.variants). Not within one language
    (en into en-GB): there a variant may be a unit's source.
    """
    sources, targets = [source_lang], [target_lang]
    if not same_language(source_lang, target_lang):
        known = ws.languages()
        sources += variants(source_lang, known)
        targets += variants(target_lang, known)
    entries: list[Entry] = []
    document, units = "", list[Unit]()
    for name, unit in ws.documents.units():
        if name != document:
            entries += _entries(document, units, sources, targets, plain)
            document, units = name, []
        units.append(unit)
    entries += _entries(document, units, sources, targets, plain)
    return entries


def _entries(
    document: str,
    units: list[Unit],
    sources: Sequence[str],
    targets: Sequence[str],
    plain: bool,
) -> list[Entry]:
    src = next((s for s in sources if any(u.variant(s) for u in units)), sources[0])
    segments = segments_of(units, src, plain=plain)
    out = []
    for position, (unit, segment) in enumerate(zip(units, segments, strict=True)):
        if segment is None or "fuzzy" in unit.flags:
            continue
        source, target = _translation(unit, src, targets)
        if source is None or target is None:
            continue
        codes = ((), ()) if plain else (source.codes, target.codes)
        out.append(
            Entry(
                segment.source,
                _text(target, plain),
                segment.plural,
                target.plurals,
                unit.context,
                segment.before,
                segment.after,
                f"{document}#{position + 1}",
                *codes,
                variant=None if target.lang == targets[0] else target.lang,
            )
        )
    return out


def _translation(
    unit: Unit, src: str, targets: Sequence[str]
) -> tuple[Variant | None, Variant | None]:
    """The unit's source and its translation in the first of ``targets`` it has one in."""
    for tgt in targets:
        source, target = unit.pair(src, tgt)
        if source is not None and target is not None and target.text.strip():
            return source, target
    return None, None


def _text(variant: Variant, plain: bool) -> str:
    return plain_text(variant.text, variant.codes) if plain else variant.text


def segments_of(
    units: Sequence[Unit], source_lang: str, *, plain: bool = False
) -> list[Segment | None]:
    """Each unit as a :class:`Segment` (None: obsolete, or no source text), with the
    source texts of the live units before and after it; ``plain``: the texts' inline
    codes as their text (memory_entries)."""
    texts = [
        None if u.obsolete or (v := u.variant(source_lang)) is None else _text(v, plain)
        for u in units
    ]
    live = [i for i, t in enumerate(texts) if t is not None]
    out: list[Segment | None] = [None] * len(units)
    for k, i in enumerate(live):
        source, text = units[i].variant(source_lang), texts[i]
        assert source is not None and text is not None
        out[i] = Segment(
            text,
            source.plurals[0] if source.plurals else None,
            units[i].context,
            texts[live[k - 1]] if k else None,
            texts[live[k + 1]] if k + 1 < len(live) else None,
        )
    return out


def open_memory(
    ws: Workspace, source_lang: str, target_lang: str, *, repair: bool = True, plain: bool = False
) -> Memory:
    """The workspace's memory for a language pair, with the term base for penalties and
    repairs (``repair=False``: no repaired matches); ``plain``: for a PO job, its inline
    codes as their text (memory_entries)."""
    concepts = ws.terms.concepts()
    terms = [t.text for c in concepts for t in c.terms_in(source_lang)]
    lens = TermBaseLens(concepts, source_lang, target_lang)
    return Memory(
        memory_entries(ws, source_lang, target_lang, plain=plain),
        source_lang,
        terms=terms,
        lens=lens if lens else None,
        repair=repair,
    )


def without_codes(path: str) -> bool:
    """Whether a job's format holds no inline codes (PO): its memory is then opened
    ``plain``, its codes written as text as the job's own export of them would be."""
    fmt = format_of(path)
    return fmt is not None and fmt.name == "po"


def languages(found: Bilingual, path: str, target_lang: str | None) -> tuple[str, str]:
    """The file's language pair; a template (no target language) needs ``--to``."""
    target = target_lang or found.target_lang
    if not target:
        raise LocatedError(
            "the file does not say its target language", path=path, hint="give --to LANG"
        )
    return found.source_lang, target


def countable(segment: Segment) -> bool:
    """A live unit of a new file (segments_of gives None for an obsolete one) with text to
    translate. Analysis counts it and pre-translation fills it, unless its file locks it
    (Unit.locked: analysis lists those apart)."""
    return bool(segment.source.strip())


def to_translate(unit: Unit, source_lang: str, target_lang: str) -> bool:
    """What `pretranslate` fills (without --overwrite) and `analyze --untranslated` counts:
    a unit without a translation, or whose file says its target is none yet (XLIFF 1.2
    ``new``, ``needs-translation``). A draft for review (PO fuzzy, XLIFF needs-review-*,
    SDL Draft, 2.0 initial) is kept: a translator's work, such as msgmerge's fuzzy entries
    brought up to date by hand, which a fuzzy match of the memory would undo."""
    target = unit.pair(source_lang, target_lang)[1]
    return target is None or not target.text.strip() or holds_no_translation(unit)


# -- analysis -------------------------------------------------------------------------------


@dataclass
class Locked:
    """The units a file locks (XLIFF translate="no", SDL locked segments): listed apart
    from the bands, as CAT tools' analyses do, since no one is to translate them."""

    segments: int = 0
    words: int = 0

    def add(self, words: int) -> None:
        self.segments += 1
        self.words += words


@dataclass
class FileAnalysis:
    path: str
    source_lang: str
    target_lang: str
    tally: Tally
    locked: Locked = field(default_factory=Locked)


@dataclass
class Analysis:
    bands: Bands
    files: list[FileAnalysis] = field(default_factory=list)
    convention: str = CONVENTION

    @property
    def total(self) -> Tally:
        total = Tally(self.bands.rows())
        for f in self.files:
            total.merge(f.tally)
        return total

    @property
    def locked(self) -> Locked:
        return Locked(
            sum(f.locked.segments for f in self.files), sum(f.locked.words for f in self.files)
        )


def analyze(
    ws: Workspace,
    paths: Sequence[str],
    *,
    bands: Bands,
    source_lang: str | None = None,
    target_lang: str | None = None,
    untranslated: bool = False,
    repair: bool = True,
) -> Analysis:
    """Count the segments and words of ``paths`` in match bands against the memory.

    Repetitions are counted across the whole job, in the order the files are given.
    ``untranslated``: count only the units `pretranslate` fills (:func:`to_translate`).
    The units a file locks are counted apart.
    """
    memories: dict[tuple[str, str, bool], Memory] = {}
    seen: set[tuple[str, str | None]] = set()
    result = Analysis(bands)
    for path in paths:
        found = read_units(path, source_lang=source_lang, target_lang=target_lang)
        src, tgt = languages(found, path, target_lang)
        pair = (src, tgt, without_codes(path))
        if pair not in memories:
            memories[pair] = open_memory(ws, src, tgt, repair=repair, plain=pair[2])
        memory = memories[pair]
        units = list(found.units)
        counted = FileAnalysis(str(Path(path)), src, tgt, Tally(bands.rows()))
        for unit, segment in zip(units, segments_of(units, src), strict=True):
            done = untranslated and not to_translate(unit, src, tgt)
            if segment is None or not countable(segment) or done:
                continue
            words = count_words(segment.source) + count_words(segment.plural or "")
            if unit.locked:
                counted.locked.add(words)
                continue
            offer = memory.lookup(segment, min_score=bands.lowest)
            key = (segment.source, segment.plural)
            counted.tally.add(bands.row(offer, key in seen), words)
            seen.add(key)
        result.files.append(counted)
    return result
