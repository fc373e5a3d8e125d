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

Each unit is looked up as `padan analyze` looks up the units the XLIFF readers read
(padan.leverage.segments_of): with its neighbours across the document and a PO entry's
structure (tm.formats.xliff12_po, xliff20_po): its msgctxt, and a plural group as one
unit whose every form's target is filled; an obsolete entry is neither filled nor a
neighbour, nor is a po2xliff PO header. A source is read as the readers read it, inline
elements (``g``, ``x``, ``ph``, ``pc``...) as codes, so it matches the memory's entries
with the same codes; the match's codes are given the source's own
(padan.pretranslate.place_codes) and written as its elements. A match whose codes have
no counterpart in the source is written as plain text, marked for review.
Units marked ``translate="no"`` (on them or around them) are left alone.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from lxml import etree

from corpora.atomicfile import atomic_write
from corpora.errors import CorpusError, LocatedError
from corpora.langtags import to_xml_lang
from corpora.safexml import parse_xml
from padan.leverage import countable, languages, open_memory, segments_of
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
from tm.formats.xliff12_po import DOMAIN_HEADER, PLURALS, Entry, form_of
from tm.formats.xliff12_po import read_entry as read_entry12
from tm.formats.xliff20_po import PLURALS as PLURALS20
from tm.formats.xliff20_po import read_entry as read_entry20
from tm.formats.xliff20_read import original_data, with_data
from tm.formats.xliff_common import closed
from tm.leverage import Memory, Offer
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
class _Form:
    """Where a target goes: a 1.2 trans-unit or a 2.x segment (one per plural form)."""

    holder: etree._Element  # the trans-unit (1.2) or the segment (2.x)
    unit: etree._Element  # the trans-unit or the unit
    source: etree._Element | None  # None: a 1.2 trans-unit without one (read as empty)


@dataclass(frozen=True)
class _Slot:
    """One unit as the XLIFF readers read it (tm.formats.xliff12_read, xliff20_read): the
    source text with placeholders and its codes, msgid_plural, msgctxt, obsolete mark;
    and where its target, or each plural form's, goes."""

    read: Unit
    forms: tuple[_Form, ...]
    open: bool  # not under translate="no": to fill (a closed unit is only a neighbour)


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
    slots: list[_Slot] = []  # the whole document's, in order: the neighbours cross files
    for file_el in root.iter(q("file")):
        if not q.v2 and not file_el.get("target-language"):
            file_el.set("target-language", to_xml_lang(tgt))
        slots += (_slots_20 if q.v2 else _slots_12)(file_el, q, Path(path), src)
    fill = _Fill(q, Path(path), memory, min_score, overwrite, report)
    fill(slots, _set_20 if q.v2 else _set_12)
    with atomic_write(out, encoding=None) as f:
        tree.write(f, xml_declaration=True, encoding=tree.docinfo.encoding or "UTF-8")
    return report


def _text(element: etree._Element | None) -> str:
    return "" if element is None else "".join(element.itertext())


def _read(
    source: etree._Element | None,
    q: _Names,
    path: Path,
    src: str,
    data: dict[str, str] | None = None,
) -> Variant:
    """A source as the readers read it (control characters as characters, other inline
    elements as codes; a 2.x code's content is the original data it points to), which is
    how the memory holds it."""
    if source is None:
        return Variant(src, "")
    text, codes = read_inline(source, q.ns, path)
    return Variant(src, text, codes if data is None else with_data(codes, data))


def _slot(
    forms: list[_Form], q: _Names, path: Path, src: str, entry: Entry, data: bool = False
) -> _Slot:
    """The slot of a unit (one form) or a plural group (the first form's source, the
    second's as msgid_plural)."""
    first = _read(
        forms[0].source, q, path, src, original_data(forms[0].unit, q.ns) if data else None
    )
    if len(forms) > 1:
        first = replace(first, plurals=(_read(forms[1].source, q, path, src).text,))
    line = forms[0].holder.sourceline
    unit = Unit((first,), context=entry.context, obsolete=entry.obsolete, line=line)
    return _Slot(unit, tuple(forms), not closed(forms[0].holder))


def _slots_12(file_el: etree._Element, q: _Names, path: Path, src: str) -> list[_Slot]:
    out = []
    for element in file_el.iter(q("trans-unit"), q("group")):
        parent = element.getparent()
        if element.tag == q("group") and element.get("restype") == PLURALS:
            tus = sorted(
                element.iterchildren(q("trans-unit")), key=lambda t: form_of(t.get("id")) or 0
            )
            forms = [_Form(tu, tu, tu.find(q("source"))) for tu in tus]
            if forms:
                out.append(_slot(forms, q, path, src, read_entry12([element, tus[0]], q.ns)))
        elif element.tag == q("group") or element.get("restype") == DOMAIN_HEADER:
            continue  # a PO header (po2xliff) is no unit: the readers make it the next one's
        elif parent is None or parent.tag != q("group") or parent.get("restype") != PLURALS:
            form = _Form(element, element, element.find(q("source")))
            out.append(_slot([form], q, path, src, read_entry12([element], q.ns)))
    return out


def _slots_20(file_el: etree._Element, q: _Names, path: Path, src: str) -> list[_Slot]:
    out = []
    for element in file_el.iter(q("unit"), q("group")):
        parent = element.getparent()
        if element.tag == q("group") and element.get("type") == PLURALS20:
            forms = [
                _Form(segment, unit, segment.find(q("source")))
                for unit in element.iterchildren(q("unit"))
                for segment in unit.iterchildren(q("segment"))
            ]
            if forms:
                entry = read_entry20([element, forms[0].unit], q.ns)
                out.append(_slot(forms, q, path, src, _entry(entry), data=True))
        elif element.tag == q("unit") and (parent is None or parent.get("type") != PLURALS20):
            fields = _entry(read_entry20([element], q.ns))
            for segment in element.iterchildren(q("segment")):
                form = _Form(segment, element, segment.find(q("source")))
                out.append(_slot([form], q, path, src, fields, data=True))
    return out


def _entry(fields: dict[str, Any]) -> Entry:
    return Entry(context=fields["context"], obsolete=fields["obsolete"])


_Setter = Callable[[_Names, _Form, etree._Element, bool, str], None]


@dataclass
class _Fill:
    """Fills the slots of a document from the memory, each looked up as `padan analyze`
    looks it up (padan.leverage.segments_of: context, plural, neighbours)."""

    q: _Names
    path: Path
    memory: Memory
    min_score: float
    overwrite: bool
    report: PretranslateReport

    def __call__(self, slots: list[_Slot], set_target: _Setter) -> None:
        q, report = self.q, self.report
        src, tgt = report.source_lang, report.target_lang
        segments = segments_of([s.read for s in slots], src)
        for slot, segment in zip(slots, segments, strict=True):
            if not slot.open or segment is None or not countable(segment):
                continue
            first = slot.forms[0]
            if _text(first.holder.find(q("target"))).strip() and not self.overwrite:
                report.counts["kept"] += 1
                continue
            offer: Offer = self.memory.lookup(segment, min_score=self.min_score)
            if offer.kind == "none":
                report.counts["none"] += 1
                continue
            filled = filled_unit(slot.read, src, tgt, offer, as_comment=False)
            written = filled.pair(src, tgt)[1]
            assert written is not None
            texts = (written.text, *written.plurals)
            review = "fuzzy" in filled.flags
            note = next((n for n in filled.notes if n.startswith(NOTE_PREFIX)), "")
            targets = [self._target(f, t) for f, t in zip(slot.forms, texts, strict=False)]
            if None in targets:  # codes XLIFF cannot hold as placed: plain text, for review
                review, note = True, describe(offer) + NOT_PLACED
                texts = tuple(PLACEHOLDERS.sub("", t) for t in texts)
                targets = [self._target(f, t) for f, t in zip(slot.forms, texts, strict=False)]
            for form, target in zip(slot.forms, targets, strict=False):
                assert target is not None
                self._put(form, target)
                set_target(q, form, target, not review, note)
            kind = "fuzzy" if offer.complete and review else offer.kind
            report.counts[kind] += 1
            label = unit_label(slot.read, segment.source)
            context = slot.read.context
            report.filled.append(Filled(label, segment.source, context, offer, texts[0], kind))

    def _target(self, form: _Form, text: str) -> etree._Element | None:
        """The target element with ``text``, its placeholders pointing at the source's
        codes, written as the source's elements; None when XLIFF cannot hold them so."""
        q, source = self.q, form.source
        target = etree.Element(q("target"), nsmap=None)
        # the codes as written (a 2.x code's content is no data here)
        codes = read_inline(source, q.ns, self.path)[1] if source is not None else ()
        try:
            write_inline(target, *_in_order(text, codes), q.ns, "the target")
        except Unwritable:
            return None
        if source is not None:
            if source.get(_XML_SPACE):
                target.set(_XML_SPACE, source.get(_XML_SPACE, ""))
            target.tail = source.tail
        return target

    def _put(self, form: _Form, target: etree._Element) -> None:
        """``target`` in the place of the old one, else after the source (or a 1.2
        seg-source)."""
        old = form.holder.find(self.q("target"))
        if old is not None:
            form.holder.replace(old, target)
            return
        anchor = form.holder.find(self.q("seg-source"))
        anchor = form.source if anchor is None else anchor
        if anchor is None:
            form.holder.insert(0, target)
        else:
            anchor.addnext(target)


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


def _set_12(q: _Names, form: _Form, target: etree._Element, complete: bool, note: str) -> None:
    unit = form.unit
    target.set("state", "translated" if complete else "needs-review-translation")
    target.set("state-qualifier", "exact-match" if complete else "fuzzy-match")
    for stale in unit.findall(q("note")):
        if stale.get("from") == "padan":
            unit.remove(stale)
    if not complete:
        element = etree.Element(q("note"), nsmap=None)
        element.set("from", "padan")
        element.text = note
        element.tail = target.tail
        target.addnext(element)
    if unit.get("approved") == "yes" and not complete:
        unit.set("approved", "no")


def _set_20(q: _Names, form: _Form, target: etree._Element, complete: bool, note: str) -> None:
    segment, unit = form.holder, form.unit
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
