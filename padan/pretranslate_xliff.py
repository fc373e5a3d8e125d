"""Pre-translation of an XLIFF file in place (1.2, SDLXLIFF and 2.x): only the targets of
the units filled change (and what says where each came from); everything else of the
file, its skeleton, attributes, groups and extensions, is written back as it was read.

- XLIFF 1.2: a filled target gets ``state="translated"`` and
  ``state-qualifier="exact-match"`` for an exact or context match,
  ``state="needs-review-translation"`` and ``"fuzzy-match"`` for a fuzzy or repaired one,
  with a ``<note from="padan">``.
- A 1.2 trans-unit cut into segments (``<mrk mtype="seg">`` in its ``seg-source``: SDL
  Trados Studio, Okapi) is filled a segment at a time, each from its own match, into the
  target's ``mrk`` of the same ``mid`` (a target is made in the seg-source's shape when
  there is none). SDL's ``sdl:seg`` of the segment says how it was filled, as Trados
  writes a pre-translation: ``conf`` ``Translated`` or ``Draft`` (for review),
  ``origin="tm"``, the ``percent`` and, for a context match,
  ``text-match="SourceAndTarget"``. A segmented unit without SDL's segment definitions
  gets the least trusted state of its segments on its target.
- XLIFF 2.x: the segment gets ``state="translated"`` for an exact or context match,
  ``state="initial"`` (a draft: Padan's reader takes it as needing review) for a fuzzy or
  repaired one, with a ``<note category="padan">`` in the unit's notes.

The units filled are the units the XLIFF readers read (tm.formats.xliff12_read,
xliff20_read), in their order: one per trans-unit, segment or plural group, each looked
up as `padan analyze` looks it up (padan.leverage.segments_of: its source text with its
inline codes, its msgctxt and plural, its neighbours across the document), so the two
agree unit for unit. A unit its file locks (``translate="no"`` on it or around it, an SDL
locked segment), an obsolete PO entry and a po2xliff PO header are not filled. A match's
codes are given the source's own (padan.pretranslate.place_codes) and written as its
elements; a match whose codes have no counterpart in the source is written as plain
text, marked for review.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from corpora.atomicfile import atomic_write
from corpora.errors import CorpusError, LocatedError
from corpora.langtags import to_xml_lang
from corpora.safexml import parse_xml
from padan.leverage import countable, languages, open_memory, segments_of, to_translate
from padan.pretranslate import (
    NOT_PLACED,
    NOTE_PREFIX,
    Filled,
    PretranslateReport,
    describe,
    filled_unit,
    unit_label,
)
from padan.workspace import Workspace
from tm.files import read_units
from tm.formats.inline_xml import Unwritable, read_inline, write_inline
from tm.formats.states import NEEDS_REVIEW, TRANSLATED, least
from tm.formats.xliff12_po import DOMAIN_HEADER, PLURALS, form_of
from tm.formats.xliff12_read import segment_marks
from tm.formats.xliff20_po import PLURALS as PLURALS20
from tm.formats.xliff_common import SDL_NS, empty
from tm.leverage import Memory, Offer
from tm.model import PLACEHOLDERS, InlineCode, Unit, code_index, placeholder

NS20 = "urn:oasis:names:tc:xliff:document:2."  # any 2.x
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_SDL_SEG = f"{{{SDL_NS}}}seg"
_SDL_DEFS = f"{{{SDL_NS}}}seg-defs"
_STATE_12 = {NEEDS_REVIEW: "needs-review-translation", TRANSLATED: "translated"}


class _Names:
    """Qualified element names in the file's namespace (XLIFF 1.2's, 2.x's, or none)."""

    def __init__(self, root: etree._Element) -> None:
        tag = root.tag if isinstance(root.tag, str) else ""
        self.ns = tag[1:].split("}", 1)[0] if tag.startswith("{") else ""
        self.v2 = self.ns.startswith(NS20)
        self.sdl = SDL_NS in root.nsmap.values()  # an SDLXLIFF document

    def __call__(self, name: str) -> str:
        return f"{{{self.ns}}}{name}" if self.ns else name


@dataclass(frozen=True)
class _Form:
    """Where a target goes: a 1.2 trans-unit, one of its segments, or a 2.x segment (one
    per plural form)."""

    holder: etree._Element  # the trans-unit (1.2) or the segment (2.x)
    unit: etree._Element  # the trans-unit or the unit
    source: etree._Element | None  # its source (a segment's mrk); None: a 1.2 unit without
    mid: str | None = None  # a 1.2 segment's: its target is the target's mrk of that mid


@dataclass(frozen=True)
class _Match:
    """What the memory gave one unit: whether it goes out as translated, its note."""

    offer: Offer
    complete: bool
    note: str


def fill_xliff(
    ws: Workspace,
    path: str,
    out: str,
    *,
    source_lang: str | None,
    target_lang: str | None,
    min_score: float,
    overwrite: bool,
    repair: bool,
    memory: Memory | None,
) -> PretranslateReport:
    found = read_units(path, source_lang=source_lang, target_lang=target_lang)  # the gate
    src, tgt = languages(found, path, target_lang)
    units = list(found.units)
    try:
        tree = parse_xml(path)
    except CorpusError as exc:  # pragma: no cover - read_units parsed it first
        raise LocatedError(exc.message, path=path) from exc
    root = tree.getroot()
    q = _Names(root)
    if q.v2:
        if not root.get("trgLang"):
            root.set("trgLang", to_xml_lang(tgt))
    elif root.get("version", "1.2").split(".")[0] != "1" or root.tag not in (q("xliff"), "xliff"):
        raise LocatedError(  # pragma: no cover - read_units refuses what is neither
            "not an XLIFF 1.x or 2.x file", path=path
        )
    if memory is None:
        memory = open_memory(ws, src, tgt, repair=repair)
    report = PretranslateReport(src, tgt)
    places: list[tuple[_Form, ...]] = []  # each unit's, in the readers' order
    for file_el in root.iter(q("file")):
        if not q.v2 and not file_el.get("target-language"):
            file_el.set("target-language", to_xml_lang(tgt))
        places += (_places_20 if q.v2 else _places_12)(file_el, q)
    fill = _Fill(q, Path(path), memory, min_score, overwrite, report)
    fill(units, places, _set_20 if q.v2 else _set_12)
    with atomic_write(out, encoding=None) as f:
        tree.write(f, xml_declaration=True, encoding=tree.docinfo.encoding or "UTF-8")
    return report


def _places_12(file_el: etree._Element, q: _Names) -> list[tuple[_Form, ...]]:
    """Where each unit of tm.formats.xliff12_read goes: a plural group's forms, each
    segment of a segmented trans-unit, a trans-unit."""
    out: list[tuple[_Form, ...]] = []
    for element in file_el.iter(q("trans-unit"), q("group")):
        parent = element.getparent()
        if element.tag == q("group") and element.get("restype") == PLURALS:
            tus = sorted(
                element.iterchildren(q("trans-unit")), key=lambda t: form_of(t.get("id")) or 0
            )
            out.append(tuple(_Form(tu, tu, tu.find(q("source"))) for tu in tus))
        elif element.tag == q("group") or element.get("restype") == DOMAIN_HEADER:
            continue  # a PO header (po2xliff) is no unit: the readers make it the next one's
        elif parent is None or parent.tag != q("group") or parent.get("restype") != PLURALS:
            cut = segment_marks(element.find(q("seg-source")), q.ns)
            if cut:
                out += [(_Form(element, element, mrk, mid),) for mid, mrk in cut.items()]
            else:
                out.append((_Form(element, element, element.find(q("source"))),))
    return out


def _places_20(file_el: etree._Element, q: _Names) -> list[tuple[_Form, ...]]:
    """Where each unit of tm.formats.xliff20_read goes: a plural group's segments, each
    segment of a unit."""
    out: list[tuple[_Form, ...]] = []
    for element in file_el.iter(q("unit"), q("group")):
        parent = element.getparent()
        if element.tag == q("group") and element.get("type") == PLURALS20:
            out.append(
                tuple(
                    _Form(segment, unit, segment.find(q("source")))
                    for unit in element.iterchildren(q("unit"))
                    for segment in unit.iterchildren(q("segment"))
                )
            )
        elif element.tag == q("unit") and (parent is None or parent.get("type") != PLURALS20):
            out += [
                (_Form(segment, element, segment.find(q("source"))),)
                for segment in element.iterchildren(q("segment"))
            ]
    return out


def _segment_id(q: _Names, form: _Form) -> str | None:
    """The id of a segment among its unit's several (1.2 mrk mid, 2.x segment id or
    place), for the report; None for a unit of one segment."""
    if form.mid is not None:
        return form.mid
    segments = list(form.unit.iterchildren(q("segment"))) if q.v2 else []
    if len(segments) < 2:
        return None
    return form.holder.get("id") or str(segments.index(form.holder) + 1)


_Setter = Callable[["_Names", _Form, etree._Element, _Match], None]


@dataclass
class _Fill:
    """Fills the units of a document from the memory, each looked up as `padan analyze`
    looks it up (padan.leverage.segments_of: context, plural, neighbours)."""

    q: _Names
    path: Path
    memory: Memory
    min_score: float
    overwrite: bool
    report: PretranslateReport

    def __call__(
        self, units: list[Unit], places: list[tuple[_Form, ...]], set_target: _Setter
    ) -> None:
        report = self.report
        src, tgt = report.source_lang, report.target_lang
        looked_up = segments_of(units, src)
        for unit, forms, segment in zip(units, places, looked_up, strict=True):
            if segment is None or unit.locked or not countable(segment):
                continue
            if not to_translate(unit, src, tgt) and not self.overwrite:
                report.counts["kept"] += 1
                continue
            offer: Offer = self.memory.lookup(segment, min_score=self.min_score)
            if offer.kind == "none":
                report.counts["none"] += 1
                continue
            filled = filled_unit(unit, src, tgt, offer, as_comment=False)
            written = filled.pair(src, tgt)[1]
            assert written is not None
            texts = (written.text, *written.plurals)
            note = next((n for n in filled.notes if n.startswith(NOTE_PREFIX)), "")
            match = _Match(offer, "fuzzy" not in filled.flags, note)
            targets = [self._target(f, t) for f, t in zip(forms, texts, strict=False)]
            if None in targets:  # codes XLIFF cannot hold as placed: plain text, for review
                codes = source.codes if (source := unit.variant(src)) else ()
                match = _Match(offer, False, describe(offer, codes) + NOT_PLACED)
                texts = tuple(PLACEHOLDERS.sub("", t) for t in texts)
                targets = [self._target(f, t) for f, t in zip(forms, texts, strict=False)]
            for form, target in zip(forms, targets, strict=False):
                assert target is not None
                set_target(self.q, form, self._put(form, target), match)
            kind = "fuzzy" if offer.complete and not match.complete else offer.kind
            report.counts[kind] += 1
            label = unit_label(unit, segment.source, _segment_id(self.q, forms[0]))
            report.filled.append(Filled(label, segment.source, unit.context, offer, texts[0], kind))

    def _target(self, form: _Form, text: str) -> etree._Element | None:
        """The target (or a segment's mrk) with ``text``, its placeholders pointing at the
        source's codes, written as the source's elements; None when XLIFF cannot hold
        them so."""
        q, source = self.q, form.source
        target = etree.Element(q("target" if form.mid is None else "mrk"), nsmap=None)
        # the codes as written (a 2.x code's content is no data here)
        codes = read_inline(source, q.ns, self.path)[1] if source is not None else ()
        try:
            write_inline(target, *_in_order(text, codes), q.ns, "the target")
        except Unwritable:
            return None
        if source is not None and form.mid is None:
            if source.get(_XML_SPACE):
                target.set(_XML_SPACE, source.get(_XML_SPACE, ""))
            target.tail = source.tail
        return target

    def _put(self, form: _Form, target: etree._Element) -> etree._Element:
        """``target`` in the place of the old one, else after the source (or a 1.2
        seg-source); a segment's content into its mrk of the target. The element put."""
        q = self.q
        old = form.holder.find(q("target"))
        if form.mid is not None:
            return _into_segment(form, target, old, q)
        if old is not None:
            form.holder.replace(old, target)
            return target
        anchor = form.holder.find(q("seg-source"))
        anchor = form.source if anchor is None else anchor
        if anchor is None:
            form.holder.insert(0, target)
        else:
            anchor.addnext(target)
        return target


def _into_segment(
    form: _Form, content: etree._Element, old: etree._Element | None, q: _Names
) -> etree._Element:
    """``content``'s text and elements into the target's mrk of the segment's mid. A target
    without segments (none, or not cut) is made anew in the seg-source's shape, its
    segments empty, as a CAT tool does: the text between segments stays in place."""
    target = old
    if old is None or not segment_marks(old, q.ns):
        seg_source = form.holder.find(q("seg-source"))
        assert seg_source is not None  # the segment's mrk is in it
        target = copy.deepcopy(seg_source)
        target.tag = q("target")
        target.attrib.clear()  # (a seg-source's xml:lang is the source's)
        if seg_source.get(_XML_SPACE):
            target.set(_XML_SPACE, seg_source.get(_XML_SPACE, ""))
        if old is not None:
            target.attrib.update(old.attrib)
            target.tail = old.tail
            form.holder.replace(old, target)
        else:
            target.tail = seg_source.tail
            seg_source.addnext(target)
        for mrk in segment_marks(target, q.ns).values():
            empty(mrk)
    assert target is not None
    mrk = segment_marks(target, q.ns).get(form.mid or "")
    if mrk is None:  # a target cut into other segments than its source: this one added
        mrk = etree.SubElement(target, q("mrk"), mtype="seg", mid=form.mid or "")
    empty(mrk)
    mrk.text = content.text
    mrk.extend(list(content))
    return mrk


def _in_order(text: str, codes: tuple[InlineCode, ...]) -> tuple[str, tuple[InlineCode, ...]]:
    """``text`` and the codes its placeholders point at, renumbered in the order they
    come (a translation may move or leave out the source's codes)."""
    used = list(dict.fromkeys(PLACEHOLDERS.findall(text)))
    if any(code_index(char) >= len(codes) for char in used):  # a plural form's: no codes
        raise Unwritable("a placeholder for no code of the source")
    number = {char: placeholder(k) for k, char in enumerate(used)}
    return (
        PLACEHOLDERS.sub(lambda m: number[m.group()], text),
        tuple(codes[code_index(char)] for char in used),
    )


def _set_12(q: _Names, form: _Form, put: etree._Element, match: _Match) -> None:
    unit, complete = form.unit, match.complete
    state = TRANSLATED if complete else NEEDS_REVIEW
    seg = _sdl_seg(form, q) if form.mid is not None else None
    if seg is not None:
        _set_sdl(seg, match)
    elif form.mid is not None:  # segments without SDL's levels: the target has the least
        target = put.getparent()
        while target is not None and target.tag != q("target"):
            target = target.getparent()
        assert target is not None
        had = {v: k for k, v in _STATE_12.items()}.get(target.get("state", ""), TRANSLATED)
        target.set("state", _STATE_12[least(had, state)])
    else:
        put.set("state", _STATE_12[state])
        put.set("state-qualifier", "exact-match" if complete else "fuzzy-match")
    cut = len(segment_marks(unit.find(q("seg-source")), q.ns)) > 1
    label = f"segment {form.mid}: " if cut else ""
    for stale in unit.findall(q("note")):
        if stale.get("from") == "padan" and (stale.text or "").startswith(label):
            unit.remove(stale)
    if not complete:
        element = etree.Element(q("note"), nsmap=None)
        element.set("from", "padan")
        element.text = label + match.note
        after = unit.find(q("target"))
        assert after is not None
        element.tail = after.tail
        after.addnext(element)
    if unit.get("approved") == "yes" and not complete:
        unit.set("approved", "no")


def _sdl_seg(form: _Form, q: _Names) -> etree._Element | None:
    """The SDL segment definition of a segment; made when the unit or the document is
    SDL's and has none (None otherwise)."""
    defs = form.unit.find(_SDL_DEFS)
    if defs is None and not q.sdl:
        return None
    for seg in form.unit.iter(_SDL_SEG):
        if seg.get("id") == form.mid:
            return seg
    if defs is None:
        defs = etree.SubElement(form.unit, _SDL_DEFS)
    return etree.SubElement(defs, _SDL_SEG, id=form.mid or "")


def _set_sdl(seg: etree._Element, match: _Match) -> None:
    """The segment as Trados Studio marks a pre-translated one: its confirmation level,
    origin, score and, for a context match, the context-match flag."""
    for stale in ("origin-system", "text-match", "struct-match"):
        seg.attrib.pop(stale, None)  # they said where the replaced translation came from
    seg.set("conf", "Translated" if match.complete else "Draft")
    seg.set("origin", "tm")
    seg.set("percent", str(round(match.offer.score)))
    if match.offer.kind == "context":
        seg.set("text-match", "SourceAndTarget")


def _set_20(q: _Names, form: _Form, target: etree._Element, match: _Match) -> None:
    segment, unit, complete = form.holder, form.unit, match.complete
    segment.set("state", "translated" if complete else "initial")
    segment.attrib.pop("subState", None)  # it qualified the state replaced
    segments20 = list(unit.iterchildren(q("segment")))
    label = f"segment {segment.get('id') or segments20.index(segment) + 1}: "
    if len(segments20) == 1:
        label = ""
    notes = unit.find(q("notes"))
    for stale in list(notes) if notes is not None else []:
        if stale.get("category") == "padan" and (stale.text or "").startswith(label):
            notes.remove(stale)
    if not complete:
        if notes is None:
            notes = etree.Element(q("notes"), nsmap=None)
            # notes go after other modules' elements, before originalData and segments
            first = next(
                c for c in unit if c.tag in (q("originalData"), q("segment"), q("ignorable"))
            )
            before = first.getprevious()
            notes.tail = unit.text if before is None else before.tail  # the same indent
            first.addprevious(notes)
        element = etree.SubElement(notes, q("note"), nsmap=None)
        element.set("category", "padan")
        element.text = label + match.note
    if notes is not None and not len(notes):
        unit.remove(notes)
