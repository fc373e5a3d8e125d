"""Pre-translation of an XLIFF file in place (1.2 and 2.x): only the targets of the units
filled change (and the note saying where each came from); everything else of the file,
its skeleton, attributes, groups and extensions, is written back as it was read.

- XLIFF 1.2: a filled target gets ``state="translated"`` and
  ``state-qualifier="exact-match"`` for an exact or context match,
  ``state="needs-review-translation"`` and ``"fuzzy-match"`` for a fuzzy or repaired one,
  with a ``<note from="padan">``.
- XLIFF 2.x: the segment gets ``state="translated"`` for an exact or context match,
  ``state="initial"`` (a draft: Padan's reader takes it as needing review) for a fuzzy or
  repaired one, with a ``<note category="padan">`` in the unit's notes.

A source is looked up as the XLIFF readers read it, inline elements (``g``, ``x``, ``ph``,
``pc``...) as codes, so it matches the memory's entries with the same codes; the match's
codes are given the source's own (padan.pretranslate.place_codes) and written as its
elements. A match whose codes have no counterpart in the source is written as plain
text, marked for review.
Units marked ``translate="no"`` (on them or around them) are left alone.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from corpora.atomicfile import atomic_write
from corpora.errors import CorpusError, LocatedError
from corpora.langtags import to_xml_lang
from corpora.safexml import parse_xml
from padan.leverage import languages, open_memory
from padan.pretranslate import (
    NOT_PLACED,
    NOTE_PREFIX,
    Filled,
    PretranslateReport,
    describe,
    filled_unit,
)
from padan.workspace import Workspace
from tm.files import read_units
from tm.formats.inline_xml import Unwritable, read_inline, write_inline
from tm.formats.xliff20_read import original_data, with_data
from tm.leverage import Memory, Offer, Segment
from tm.model import PLACEHOLDERS, InlineCode, Unit, Variant, code_index, placeholder

NS = "urn:oasis:names:tc:xliff:document:1.2"
NS20 = "urn:oasis:names:tc:xliff:document:2."  # any 2.x
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


class _Names:
    """Qualified element names in the file's namespace (XLIFF 1.2's, 2.x's, or none)."""

    def __init__(self, root: etree._Element) -> None:
        tag = root.tag if isinstance(root.tag, str) else ""
        self.ns = tag[1:].split("}", 1)[0] if tag.startswith("{") else ""
        self.v2 = self.ns.startswith(NS20)

    def __call__(self, name: str) -> str:
        return f"{{{self.ns}}}{name}" if self.ns else name


@dataclass(frozen=True)
class _Slot:
    """One source to fill: a 1.2 trans-unit or a 2.x segment, and where its target goes."""

    holder: etree._Element  # the trans-unit (1.2) or the segment (2.x)
    unit: etree._Element  # the trans-unit or the unit
    source: etree._Element
    read: Unit  # the source as the readers read it: text with placeholders, its codes


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
    for file_el in root.iter(q("file")):
        if not q.v2 and not file_el.get("target-language"):
            file_el.set("target-language", to_xml_lang(tgt))
        read = _slots_20 if q.v2 else _slots_12
        slots = read(file_el, q, Path(path), src)
        fill = _Fill(q, Path(path), memory, min_score, overwrite, report)
        fill(slots, _set_20 if q.v2 else _set_12)
    with atomic_write(out, encoding=None) as f:
        tree.write(f, xml_declaration=True, encoding=tree.docinfo.encoding or "UTF-8")
    return report


def _text(element: etree._Element | None) -> str:
    return "" if element is None else "".join(element.itertext())


def _slot(
    holder: etree._Element,
    unit: etree._Element,
    source: etree._Element,
    q: _Names,
    path: Path,
    src: str,
) -> _Slot:
    """The source as the readers read it (control characters as characters, other inline
    elements as codes; a 2.x code's content is the original data it points to), which is
    how the memory holds it."""
    text, codes = read_inline(source, q.ns, path)
    if q.v2:
        codes = with_data(codes, original_data(unit, q.ns))
    return _Slot(holder, unit, source, Unit((Variant(src, text, codes),)))


def _slots_12(file_el: etree._Element, q: _Names, path: Path, src: str) -> list[_Slot]:
    out = []
    for unit in file_el.iter(q("trans-unit")):
        source = unit.find(q("source"))
        if unit.get("translate") != "no" and source is not None:
            out.append(_slot(unit, unit, source, q, path, src))
    return out


def _slots_20(file_el: etree._Element, q: _Names, path: Path, src: str) -> list[_Slot]:
    out = []
    for unit in file_el.iter(q("unit")):
        closed = (e.get("translate") == "no" for e in (unit, *unit.iterancestors()))
        if any(closed):
            continue
        for segment in unit.iterchildren(q("segment")):
            source = segment.find(q("source"))
            if source is not None:
                out.append(_slot(segment, unit, source, q, path, src))
    return out


_Setter = Callable[[_Names, _Slot, etree._Element, bool, str], None]


@dataclass
class _Fill:
    """Fills the slots of one ``<file>`` from the memory."""

    q: _Names
    path: Path
    memory: Memory
    min_score: float
    overwrite: bool
    report: PretranslateReport

    def __call__(self, slots: list[_Slot], set_target: _Setter) -> None:
        q, report = self.q, self.report
        src, tgt = report.source_lang, report.target_lang
        texts = [s.read.variants[0].text for s in slots]
        for i, slot in enumerate(slots):
            if not texts[i].strip():
                continue
            old = slot.holder.find(q("target"))
            if _text(old).strip() and not self.overwrite:
                report.counts["kept"] += 1
                continue
            segment = Segment(
                texts[i],
                before=texts[i - 1] if i else None,
                after=texts[i + 1] if i + 1 < len(texts) else None,
            )
            offer: Offer = self.memory.lookup(segment, min_score=self.min_score)
            if offer.kind == "none":
                report.counts["none"] += 1
                continue
            filled = filled_unit(slot.read, src, tgt, offer, as_comment=False)
            written = filled.pair(src, tgt)[1]
            assert written is not None
            review = "fuzzy" in filled.flags
            target = self._target(slot, old, written.text)
            if target is None:  # the codes placed cannot nest as XLIFF wants: plain text
                review, note = True, describe(offer) + NOT_PLACED
                target = self._target(slot, old, PLACEHOLDERS.sub("", written.text))
                assert target is not None
            else:
                note = next((n for n in filled.notes if n.startswith(NOTE_PREFIX)), "")
            set_target(q, slot, target, not review, note)
            kind = "fuzzy" if offer.complete and review else offer.kind
            report.counts[kind] += 1
            label = f"line {slot.source.sourceline}: {_text(slot.source)[:50]}"
            report.filled.append(Filled(label, texts[i], None, offer, _text(target), kind))

    def _target(self, slot: _Slot, old: etree._Element | None, text: str) -> etree._Element | None:
        """The target element with ``text`` (placeholders pointing at the source's codes,
        written as the source's elements), in the place of ``old`` (else after the
        source, or a 1.2 seg-source); None when XLIFF cannot hold the codes so."""
        q = self.q
        target = etree.Element(q("target"), nsmap=None)
        codes = read_inline(slot.source, q.ns, self.path)[1]  # as written, not as looked up
        text, codes = _in_order(text, codes)
        try:
            write_inline(target, text, codes, q.ns, "the target")
        except Unwritable:
            return None
        if slot.source.get(_XML_SPACE):
            target.set(_XML_SPACE, slot.source.get(_XML_SPACE, ""))
        target.tail = slot.source.tail
        if old is not None:
            slot.holder.replace(old, target)
        else:
            anchor = slot.source
            seg = slot.holder.find(q("seg-source"))
            if seg is not None:
                anchor = seg
            anchor.addnext(target)
        return target


def _in_order(text: str, codes: tuple[InlineCode, ...]) -> tuple[str, tuple[InlineCode, ...]]:
    """``text`` and the codes its placeholders point at, renumbered in the order they
    come (a translation may move or leave out the source's codes)."""
    used = list(dict.fromkeys(PLACEHOLDERS.findall(text)))
    number = {char: placeholder(k) for k, char in enumerate(used)}
    return (
        PLACEHOLDERS.sub(lambda m: number[m.group()], text),
        tuple(codes[code_index(char)] for char in used),
    )


def _set_12(q: _Names, slot: _Slot, target: etree._Element, complete: bool, note: str) -> None:
    unit = slot.unit
    target.set("state", "translated" if complete else "needs-review-translation")
    target.set("state-qualifier", "exact-match" if complete else "fuzzy-match")
    for stale in unit.findall(q("note")):
        if stale.get("from") == "padan":
            unit.remove(stale)
    if not complete:
        element = etree.Element(q("note"), nsmap=None)
        element.set("from", "padan")
        element.text = note
        element.tail = slot.source.tail
        target.addnext(element)
    if unit.get("approved") == "yes" and not complete:
        unit.set("approved", "no")


def _set_20(q: _Names, slot: _Slot, target: etree._Element, complete: bool, note: str) -> None:
    segment, unit = slot.holder, slot.unit
    segment.set("state", "translated" if complete else "initial")
    segment.attrib.pop("subState", None)  # it qualified the state replaced
    segments = list(unit.iterchildren(q("segment")))
    label = f"segment {segment.get('id') or segments.index(segment) + 1}: "
    if len(segments) == 1:
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
        element.text = label + note
    if notes is not None and not len(notes):
        unit.remove(notes)
