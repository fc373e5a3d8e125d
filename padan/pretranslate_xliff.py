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

A source with inline elements (``g``, ``x``, ``ph``, ``pc``...) gets its match as plain
text, marked for review: the memory's translation says nothing of where its codes go.
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
from padan.pretranslate import Filled, PretranslateReport, describe
from padan.workspace import Workspace
from tm.files import read_units
from tm.formats.inline_xml import local
from tm.formats.xml_chars import char_of, maker, put
from tm.leverage import Memory, Offer, Segment

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
    text: str
    coded: bool  # the source holds inline codes (not only control characters)


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
        slots = _slots_20(file_el, q, Path(path)) if q.v2 else _slots_12(file_el, q, Path(path))
        _fill(slots, q, memory, min_score, overwrite, report, _set_20 if q.v2 else _set_12)
    with atomic_write(out, encoding=None) as f:
        tree.write(f, xml_declaration=True, encoding=tree.docinfo.encoding or "UTF-8")
    return report


def _text(element: etree._Element | None) -> str:
    return "" if element is None else "".join(element.itertext())


def _slot(
    holder: etree._Element, unit: etree._Element, source: etree._Element, q: _Names, path: Path
) -> _Slot:
    """The source's text as the memory holds it: a control character written as an
    element (tm.formats.xml_chars) is the character, other inline elements their text."""
    parts, coded = [source.text or ""], False
    for child in source:
        name = local(child.tag, q.ns)
        char = None if name is None else char_of(name, child, path)
        coded = coded or (name is not None and char is None)
        parts += (_text(child) if char is None else char, child.tail or "")
    return _Slot(holder, unit, source, "".join(parts), coded)


def _slots_12(file_el: etree._Element, q: _Names, path: Path) -> list[_Slot]:
    out = []
    for unit in file_el.iter(q("trans-unit")):
        source = unit.find(q("source"))
        if unit.get("translate") != "no" and source is not None:
            out.append(_slot(unit, unit, source, q, path))
    return out


def _slots_20(file_el: etree._Element, q: _Names, path: Path) -> list[_Slot]:
    out = []
    for unit in file_el.iter(q("unit")):
        closed = (e.get("translate") == "no" for e in (unit, *unit.iterancestors()))
        if any(closed):
            continue
        for segment in unit.iterchildren(q("segment")):
            source = segment.find(q("source"))
            if source is not None:
                out.append(_slot(segment, unit, source, q, path))
    return out


_Setter = Callable[[_Names, _Slot, etree._Element | None, str, bool, str], None]


def _fill(
    slots: list[_Slot],
    q: _Names,
    memory: Memory,
    min_score: float,
    overwrite: bool,
    report: PretranslateReport,
    set_target: _Setter,
) -> None:
    texts = [s.text for s in slots]
    for i, slot in enumerate(slots):
        if not slot.text.strip():
            continue
        target = slot.holder.find(q("target"))
        if _text(target).strip() and not overwrite:
            report.counts["kept"] += 1
            continue
        segment = Segment(
            slot.text,
            before=texts[i - 1] if i else None,
            after=texts[i + 1] if i + 1 < len(texts) else None,
        )
        offer: Offer = memory.lookup(segment, min_score=min_score)
        if offer.kind == "none":
            report.counts["none"] += 1
            continue
        coded = slot.coded  # inline codes: the memory cannot say where they go
        note = describe(offer) + ("; inline codes not placed" if coded else "")
        set_target(q, slot, target, offer.targets[0], offer.complete and not coded, note)
        kind = "fuzzy" if offer.complete and coded else offer.kind
        report.counts[kind] += 1
        label = f"line {slot.source.sourceline}: {slot.text[:50]}"
        report.filled.append(Filled(label, slot.text, None, offer, offer.targets[0], kind))


def _new_target(q: _Names, slot: _Slot, old: etree._Element | None, text: str) -> etree._Element:
    """The target element with ``text``, in the place of ``old`` (else after the source,
    or a 1.2 seg-source)."""
    target = etree.Element(q("target"), nsmap=None)
    put(target, None, text, maker("xliff", q.ns))  # control characters as elements
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


def _set_12(
    q: _Names, slot: _Slot, old: etree._Element | None, text: str, complete: bool, note: str
) -> None:
    unit = slot.unit
    target = _new_target(q, slot, old, text)
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


def _set_20(
    q: _Names, slot: _Slot, old: etree._Element | None, text: str, complete: bool, note: str
) -> None:
    _new_target(q, slot, old, text)
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
