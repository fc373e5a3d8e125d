"""Pre-translation of an XLIFF 1.2 file in place: only the targets of the units filled
change (and the note saying where each came from); everything else of the file, its
skeleton, attributes, groups and extensions, is written back as it was read.

A filled target gets ``state="translated"`` and ``state-qualifier="exact-match"`` for an
exact or context match, ``state="needs-review-translation"`` and ``"fuzzy-match"`` for a
fuzzy or repaired one, which XLIFF tools and Padan's reader take as needing review. A
source with inline elements (``g``, ``x``, ``ph``...) gets its match as plain text,
marked for review: the memory's translation says nothing of where its codes go.
"""

from __future__ import annotations

from lxml import etree

from corpora.atomicfile import atomic_write
from corpora.errors import CorpusError, LocatedError
from corpora.langtags import to_xml_lang
from corpora.safexml import parse_xml
from padan.leverage import languages, open_memory
from padan.pretranslate import Filled, PretranslateReport, describe
from padan.workspace import Workspace
from tm.files import read_units
from tm.leverage import Memory, Segment

NS = "urn:oasis:names:tc:xliff:document:1.2"
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


class _Names:
    """Qualified element names in the file's namespace (XLIFF 1.2's, or none)."""

    def __init__(self, root: etree._Element) -> None:
        self.ns = NS if root.tag == f"{{{NS}}}xliff" else ""

    def __call__(self, name: str) -> str:
        return f"{{{self.ns}}}{name}" if self.ns else name


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
    if root.get("version", "1.2").split(".")[0] != "1" or root.tag not in (q("xliff"), "xliff"):
        raise LocatedError(
            "pretranslate fills XLIFF 1.2 files", path=path, hint="convert the file to XLIFF 1.2"
        )
    if memory is None:
        memory = open_memory(ws, src, tgt, repair=repair)
    report = PretranslateReport(src, tgt)
    for file_el in root.iter(q("file")):
        if not file_el.get("target-language"):
            file_el.set("target-language", to_xml_lang(tgt))
        _fill_file(file_el, q, memory, min_score, overwrite, report)
    with atomic_write(out, encoding=None) as f:
        tree.write(f, xml_declaration=True, encoding=tree.docinfo.encoding or "UTF-8")
    return report


def _fill_file(
    file_el: etree._Element,
    q: _Names,
    memory: Memory,
    min_score: float,
    overwrite: bool,
    report: PretranslateReport,
) -> None:
    units = [u for u in file_el.iter(q("trans-unit")) if u.get("translate") != "no"]
    sources = [u.find(q("source")) for u in units]
    texts = [None if s is None else "".join(s.itertext()) for s in sources]
    for i, (unit, source, text) in enumerate(zip(units, sources, texts, strict=True)):
        if source is None or text is None or not text.strip():
            continue
        target = unit.find(q("target"))
        if target is not None and "".join(target.itertext()).strip() and not overwrite:
            report.counts["kept"] += 1
            continue
        segment = Segment(
            text,
            before=texts[i - 1] if i else None,
            after=texts[i + 1] if i + 1 < len(texts) else None,
        )
        offer = memory.lookup(segment, min_score=min_score)
        if offer.kind == "none":
            report.counts["none"] += 1
            continue
        coded = len(source) > 0  # inline elements: the memory cannot say where they go
        note = describe(offer) + ("; inline codes not placed" if coded else "")
        _set_target(q, unit, source, target, offer.targets[0], offer.complete and not coded, note)
        report.counts["fuzzy" if offer.complete and coded else offer.kind] += 1
        label = f"line {source.sourceline}: {text[:50]}"
        report.filled.append(Filled(label, text, None, offer, offer.targets[0]))


def _set_target(
    q: _Names,
    unit: etree._Element,
    source: etree._Element,
    old: etree._Element | None,
    text: str,
    complete: bool,
    note: str,
) -> None:
    target = etree.Element(q("target"), nsmap=None)
    target.text = text
    target.set("state", "translated" if complete else "needs-review-translation")
    target.set("state-qualifier", "exact-match" if complete else "fuzzy-match")
    if source.get(_XML_SPACE):
        target.set(_XML_SPACE, source.get(_XML_SPACE, ""))
    target.tail = source.tail
    if old is not None:
        unit.replace(old, target)
    else:
        anchor = source
        seg = unit.find(q("seg-source"))
        if seg is not None:
            anchor = seg
        anchor.addnext(target)
    for stale in unit.findall(q("note")):
        if stale.get("from") == "padan":
            unit.remove(stale)
    if not complete:
        element = etree.Element(q("note"), nsmap=None)
        element.set("from", "padan")
        element.text = note
        element.tail = source.tail
        target.addnext(element)
    if unit.get("approved") == "yes" and not complete:
        unit.set("approved", "no")
