"""XLIFF 1.2 writing (``.xlf``, and SDLXLIFF for ``.sdlxliff``), streamed and atomic.

A unit read from an XLIFF 1.x file is written back into its own trans-unit (its
skeleton, tm.formats.xliff_common): attributes, notes, alt-trans, SDL's seg-defs and
header come out as they went in, with the unit's current texts in its source, target or
segment ``mrk``, and its state rewritten only when the translation's review state moved
since it was read (tm.formats.states). Any other unit (from TMX, PO, XLIFF 2.0) gets a
trans-unit of its own: its source, its target with a state (tm.formats.states.state_12)
when it has one (a unit without a target stays untranslated), its notes, its inline
codes as XLIFF 1.2 elements (tm.inline.convert), and ``xml:space="preserve"`` where its
text has whitespace a reader could otherwise collapse. The output validates against the
OASIS XLIFF 1.2 schema (strict for units written from scratch).
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable, Iterator
from itertools import chain
from pathlib import Path
from typing import Any

from lxml import etree

from corpora.langtags import normalize, to_xml_lang
from tm.errors import TMError
from tm.formats.inline_xml import Unwritable, checked, parse_xml, write_inline
from tm.formats.po_export import HEADER_KEY as PO_HEADER
from tm.formats.states import (
    FINAL,
    NEEDS_REVIEW,
    ORDER,
    REVIEWED,
    changed,
    sdl_conf,
    state_12,
    state_of,
)
from tm.formats.xliff12_po import OBSOLETE, PLURALS, form_id, structure
from tm.formats.xliff_common import (
    FILE,
    FILE_HEAD,
    GROUPS,
    NS12,
    SDL_NS,
    SEGMENT,
    SKELETON,
    VERSION,
    XML_LANG,
    XML_SPACE,
    Structure,
    batches,
    empty,
    extras,
    loads,
    own_root,
    q,
    set_lang,
    target_variant,
    what,
    write_tree,
)
from tm.inline import convert
from tm.model import Unit, Variant

_LOOSE_SPACE = re.compile(r"^\s|\s$|\s\s|[\t\n\r]")


def needs_preserve(*texts: str) -> bool:
    return any(_LOOSE_SPACE.search(t) for t in texts)


def write_xliff12(
    units: Iterable[Unit],
    path: str | Path,
    *,
    source_lang: str,
    target_lang: str | None,
    sdl: bool = False,
) -> int:
    """Write the units' ``source_lang`` → ``target_lang`` pair; returns how many units
    (segments) were written. Units without a ``source_lang`` variant are left out."""
    stream = iter(units)
    first = next(stream, None)
    root_attrs, nsmap = _root(first, sdl)
    own = extras(first).get(VERSION, "").startswith("1") if first else False
    ns = nsmap.get(None) or NS12
    src, tgt = normalize(source_lang), normalize(target_lang) if target_lang else None
    count = 0
    root = etree.Element(q(ns, "xliff"), root_attrs, nsmap=nsmap)
    out = Structure(root, ns)
    used: set[str] = set()
    try:
        for batch in batches(chain([first], stream) if first else ()):
            extra = extras(batch[0])
            rank = extra.get(FILE, "")
            if out.file is None or (FILE in extra and rank != out.file):
                head = loads(extra.get(FILE_HEAD)) if own else None  # 2.0's: not here
                _open_file(out, rank, head, src, tgt, sdl, _from_po(batch[0]))
                used = set()
            out.set_groups(loads(extra.get(GROUPS)) if own else None)
            for element, written in _elements(batch, ns, src, tgt, sdl, used):
                out.add(out.parent(), element)
                count += written
        if out.file is None:  # no unit: an empty file, as the schema wants one
            _open_file(out, "", None, src, tgt, sdl, False)
        write_tree(root, path)
    except Unwritable as exc:
        raise TMError(str(exc), path=path, hint="fix the unit, then export again") from exc
    return count


def _root(first: Unit | None, sdl: bool) -> tuple[dict[str, str], dict[str | None, str]]:
    own = own_root(first, "1")
    if own:
        return own
    nsmap: dict[str | None, str] = {None: NS12}
    attrs = {"version": "1.2"}
    if sdl:
        nsmap["sdl"] = SDL_NS
        attrs[f"{{{SDL_NS}}}version"] = "1.0"
    return attrs, nsmap


def _open_file(
    out: Structure,
    rank: str,
    head: dict[str, Any] | None,
    src: str,
    tgt: str | None,
    sdl: bool,
    from_po: bool,
) -> None:
    attrs: dict[str, str] = dict(head["attrs"]) if head else {}
    attrs.setdefault("original", "padan")
    # "po": what po2xliff declares, and what makes translate-toolkit read the file with
    # its PO-XLIFF reader (plural groups as one unit with its forms)
    datatype = "x-sdlfilterframework2" if sdl else "po" if from_po else "plaintext"
    attrs.setdefault("datatype", datatype)
    set_lang(attrs, "source-language", src)
    if tgt:
        set_lang(attrs, "target-language", tgt)
    header = [parse_xml(head["header"])] if head and head.get("header") else []
    out.open_file(rank, attrs, header)


def _from_po(unit: Unit) -> bool:
    """Whether the document was read from a PO file (its first unit carries the header)."""
    return any(k == PO_HEADER for k, _ in unit.extra)


def _elements(
    batch: list[Unit], ns: str, src: str, tgt: str | None, sdl: bool, used: set[str]
) -> Iterator[tuple[etree._Element, int]]:
    pairs = [(u, u.variant(src), target_variant(u, src, tgt)) for u in batch]
    kept: list[tuple[Unit, Variant, Variant | None]] = [
        (u, s, t) for u, s, t in pairs if s is not None
    ]
    if not kept:
        return
    skeleton = extras(batch[0]).get(SKELETON)
    if skeleton is not None and len(kept) == len(batch):
        element = parse_xml(skeleton)
        if element.tag == q(ns, "trans-unit"):
            used.add(element.get("id", ""))
            yield _fill(element, kept, ns), len(kept)
            return
    for unit, s, t in kept:
        yield _new_trans_unit(unit, s, t, ns, sdl, used), 1


def _codes(s: Variant, t: Variant | None) -> tuple[Any, Any]:
    converted = convert([s.codes] + ([t.codes] if t else []), "xliff12")
    return converted[0], converted[1] if t else ()


def _fill(
    element: etree._Element, kept: list[tuple[Unit, Variant, Variant | None]], ns: str
) -> etree._Element:
    """The skeleton with the units' current texts in place."""
    seg_source = element.find(q(ns, "seg-source"))
    if seg_source is None or not _mrks(seg_source, ns):
        unit, s, t = kept[0]
        s_codes, t_codes = _codes(s, t)
        source = element.find(q(ns, "source"))
        if source is not None:  # (a unit read without one has an empty source)
            write_inline(source, s.text, s_codes, ns, what(unit, s))
        if t is not None:
            target = _target(element, ns)
            write_inline(target, t.text, t_codes, ns, what(unit, t))
            _restate(element, target, kept, ns)
        return element
    source_mrks = _mrks(seg_source, ns)  # cut into segments: one unit each
    for unit, s, t in kept:
        mid = extras(unit).get(SEGMENT, "")
        s_codes, t_codes = _codes(s, t)
        if mid in source_mrks:
            write_inline(source_mrks[mid], s.text, s_codes, ns, what(unit, s))
        if t is None:
            continue
        target = element.find(q(ns, "target"))
        if target is None:  # the seg-source's shape: the text between segments in place,
            target = copy.deepcopy(seg_source)  # the segments empty until translated
            target.tag = q(ns, "target")
            for mrk in _mrks(target, ns).values():
                empty(mrk)
            seg_source.addnext(target)
        mrk = _mrks(target, ns).get(mid)
        if mrk is None:
            mrk = etree.SubElement(target, q(ns, "mrk"), mtype="seg", mid=mid)
        write_inline(mrk, t.text, t_codes, ns, what(unit, t))
    target = element.find(q(ns, "target"))
    if target is not None:
        _restate(element, target, kept, ns)
    return element


def _restate(
    element: etree._Element,
    target: etree._Element,
    kept: list[tuple[Unit, Variant, Variant | None]],
    ns: str,
) -> None:
    """The skeleton's states rewritten where a target's state is no longer the one read
    (a reviewer confirmed it, a person edited it): the target's ``state`` (the least of
    its segments'), ``approved`` (yes when reviewed or final: translate-toolkit and
    Weblate read it so), and each SDL segment's confirmation level."""
    moved = [(u, t) for u, _, t in kept if t is not None and changed(u, t)]
    if not moved:
        return
    segs = {s.get("id"): s for s in element.iter(f"{{{SDL_NS}}}seg")}
    for u, t in moved:
        seg = segs.get(extras(u).get(SEGMENT, ""))
        if seg is not None:
            seg.set("conf", sdl_conf(u, t))
    if segs and target.get("state") is None:
        return  # SDL's segments carry their levels; the target had no state of its own
    found = [(state_of(u, t), u, t) for u, _, t in kept if t is not None]
    state, unit, t = min(found, key=lambda f: ORDER.index(f[0]))
    target.set("state", state_12(unit, t))
    if state in (REVIEWED, FINAL):
        element.set("approved", "yes")
    elif state == NEEDS_REVIEW and element.get("approved") is not None:
        element.set("approved", "no")
    elif element.get("approved") is not None:
        del element.attrib["approved"]


def _mrks(holder: etree._Element, ns: str) -> dict[str, etree._Element]:
    return {m.get("mid", ""): m for m in holder.iter(q(ns, "mrk")) if m.get("mtype") == "seg"}


def _target(element: etree._Element, ns: str) -> etree._Element:
    target = element.find(q(ns, "target"))
    if target is None:
        target = etree.Element(q(ns, "target"))
        after = element.find(q(ns, "seg-source"))
        if after is None:
            after = element.find(q(ns, "source"))
        if after is None:
            raise Unwritable(f"trans-unit {element.get('id')!r} has no <source>")
        after.addnext(target)
    return target


def _unique(key: str | None, used: set[str]) -> str:
    base = key or str(len(used) + 1)
    ident, n = base, 1
    while ident in used:
        n += 1
        ident = f"{base}-{n}"
    used.add(ident)
    return ident


def _new_trans_unit(
    unit: Unit, s: Variant, t: Variant | None, ns: str, sdl: bool, used: set[str]
) -> etree._Element:
    if s.plurals:
        return _plural_group(unit, s, t, ns, used)
    if t is not None and _untranslated(s, t):
        t = None  # an empty msgstr: no target, as XLIFF says "not translated yet"
    attrs = _tu_attrs(_unique(unit.key, used), unit, t, s.text, t.text if t else "")
    tu = etree.Element(q(ns, "trans-unit"), attrs)
    s_codes, t_codes = _codes(s, t)
    write_inline(etree.SubElement(tu, q(ns, "source")), s.text, s_codes, ns, what(unit, s))
    if sdl:
        seg_source = etree.SubElement(tu, q(ns, "seg-source"))
        mrk = etree.SubElement(seg_source, q(ns, "mrk"), mtype="seg", mid="1")
        write_inline(mrk, s.text, s_codes, ns, what(unit, s))
    if t is not None:
        target = etree.SubElement(tu, q(ns, "target"), state=state_12(unit, t))
        target.set(XML_LANG, to_xml_lang(t.lang))
        holder = etree.SubElement(target, q(ns, "mrk"), mtype="seg", mid="1") if sdl else target
        write_inline(holder, t.text, t_codes, ns, what(unit, t))
    _annotate(tu, unit, ns)
    if sdl:
        defs = etree.SubElement(tu, f"{{{SDL_NS}}}seg-defs")
        seg = etree.SubElement(defs, f"{{{SDL_NS}}}seg", id="1")
        if t is not None:
            seg.set("conf", sdl_conf(unit, t))
    return tu


def _tu_attrs(tu_id: str, unit: Unit, t: Variant | None, *texts: str) -> dict[str, str]:
    """A new trans-unit's attributes; ``texts`` are its source and target texts."""
    attrs = {"id": checked(tu_id, "the unit id")}
    if needs_preserve(*texts):
        attrs[XML_SPACE] = "preserve"
    if t is not None and state_of(unit, t) in (REVIEWED, FINAL):
        attrs["approved"] = "yes"  # what translate-toolkit and Weblate take as approved
    if unit.obsolete:
        attrs.update(translate="no", restype=OBSOLETE)
    return attrs


def _untranslated(s: Variant, t: Variant) -> bool:
    """An empty translation of a text that is not empty: PO's untranslated entry."""
    return not t.text and not t.codes and not any(t.plurals) and bool(s.text)


def _annotate(holder: etree._Element, unit: Unit, ns: str) -> None:
    """The unit's PO structure (tm.formats.xliff12_po), then its notes."""
    for element in structure(unit, ns, holder.get("id", "")):
        holder.append(element)
    for note in unit.notes:
        etree.SubElement(holder, q(ns, "note")).text = checked(note, "a note")


def _plural_group(
    unit: Unit, s: Variant, t: Variant | None, ns: str, used: set[str]
) -> etree._Element:
    """A PO entry with plural forms: a group of one trans-unit per form, as po2xliff
    writes it (tm.formats.xliff12_po); only the first forms can hold inline codes."""
    group_id = _unique(unit.key, used)
    attrs = {"id": checked(group_id, "the unit id"), "restype": PLURALS}
    if unit.obsolete:
        attrs["translate"] = "no"
    group = etree.Element(q(ns, "group"), attrs)
    _annotate(group, unit, ns)
    s_codes, t_codes = _codes(s, t)
    targets = [(t.text, t_codes), *((p, ()) for p in t.plurals)] if t is not None else []
    sources = [(s.text, s_codes), (s.plurals[0], ())]
    for form in range(max(len(sources), len(targets))):
        s_text, s_form_codes = sources[min(form, 1)]
        t_text = targets[form][0] if form < len(targets) else ""
        tu_attrs = _tu_attrs(form_id(group_id, form), unit, t, s_text, t_text)
        tu = etree.SubElement(group, q(ns, "trans-unit"), tu_attrs)
        write_inline(etree.SubElement(tu, q(ns, "source")), s_text, s_form_codes, ns, what(unit, s))
        if t is not None and t_text:
            target = etree.SubElement(tu, q(ns, "target"), state=state_12(unit, t))
            target.set(XML_LANG, to_xml_lang(t.lang))
            write_inline(target, t_text, targets[form][1], ns, what(unit, t))
    return group
