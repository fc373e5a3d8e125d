"""XLIFF 2.0 writing, atomic, valid against the OASIS XLIFF 2.0 core schema.

Units read from an XLIFF 2.x file go back into their own ``unit`` (its skeleton: notes,
ignorables, modules such as ``mtc:matches``, extension attributes), one unit per segment
read; a segment's state is rewritten only when its review state moved. Any other unit
becomes a ``unit`` of one ``segment`` with its notes, the state mapped from XLIFF 1.2,
SDL or its fuzzy flag (tm.formats.states.state_20), and its inline codes as
``pc``/``ph``/``sc``/``ec`` (tm.inline.convert). A code's native data goes to the unit's
``originalData``, pointed to by ``dataRef`` (``dataRefStart``/``dataRefEnd`` for a
``pc``). A PO entry's structure (context, flags, comments, references, previous strings,
plural forms, obsolete mark) goes where tm.formats.xliff20_po says.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import replace
from itertools import chain
from pathlib import Path
from typing import Any

from lxml import etree

from corpora.langtags import normalize
from tm.errors import TMError
from tm.formats.inline_xml import Unwritable, checked, parse_xml, write_inline
from tm.formats.states import changed, state_20
from tm.formats.xliff12_write import needs_preserve
from tm.formats.xliff20_po import OBSOLETE, PLURALS, annotate, form_id
from tm.formats.xliff_common import (
    FILE,
    FILE_HEAD,
    GROUPS,
    NS20,
    SEGMENT,
    SKELETON,
    SUBSTATE,
    XML_SPACE,
    Structure,
    batches,
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
from tm.model import InlineCode, Unit, Variant

_NOT_NMTOKEN = re.compile(r"[^\w.:-]")


def write_xliff20(
    units: Iterable[Unit], path: str | Path, *, source_lang: str, target_lang: str | None
) -> int:
    """Write the units' ``source_lang`` → ``target_lang`` pair as XLIFF 2.0; returns how
    many units (segments) were written."""
    stream = iter(units)
    first = next(stream, None)
    src, tgt = normalize(source_lang), normalize(target_lang) if target_lang else None
    root_info = own_root(first, "2")
    attrs, nsmap = root_info or ({"version": "2.0"}, {None: NS20})
    set_lang(attrs, "srcLang", src)
    if tgt:
        set_lang(attrs, "trgLang", tgt)
    ns = nsmap.get(None) or NS20
    root = etree.Element(q(ns, "xliff"), attrs, nsmap=nsmap)
    out = Structure(root, ns)
    used: set[str] = set()
    count = files = 0
    try:
        for batch in batches(chain([first], stream) if first else ()):
            extra = extras(batch[0])
            rank = extra.get(FILE, "")
            if out.file is None or (FILE in extra and rank != out.file):
                files += 1
                head = loads(extra.get(FILE_HEAD)) if root_info else None  # 1.2's: not here
                _open_file(out, rank, head, files)
                used = set()
            out.set_groups(loads(extra.get(GROUPS)) if root_info else None)
            for element, written in _elements(batch, ns, src, tgt, used):
                out.add(out.parent(), element)
                count += written
        if out.file is None:
            _open_file(out, "", None, 1)
        write_tree(root, path)
    except Unwritable as exc:
        raise TMError(str(exc), path=path, hint="fix the unit, then export again") from exc
    return count


def _open_file(out: Structure, rank: str, head: dict[str, Any] | None, number: int) -> None:
    attrs: dict[str, str] = dict(head["attrs"]) if head else {}
    attrs.setdefault("id", f"f{number}")
    before = [parse_xml(x) for x in (head or {}).get("children", [])]
    out.open_file(rank, attrs, before)


def _elements(
    batch: list[Unit], ns: str, src: str, tgt: str | None, used: set[str]
) -> Iterable[tuple[etree._Element, int]]:
    pairs = [(u, u.variant(src), target_variant(u, src, tgt)) for u in batch]
    kept = [(u, s, t) for u, s, t in pairs if s is not None]
    if not kept:
        return []
    skeleton = extras(batch[0]).get(SKELETON)
    if skeleton is not None and len(kept) == len(batch):
        element = parse_xml(skeleton)
        if element.tag == q(ns, "unit"):
            used.add(element.get("id", ""))
            return [(_fill(element, kept, ns), len(kept))]
    return [(_new_unit(u, s, t, ns, used), 1) for u, s, t in kept if s is not None]


def _fill(element: etree._Element, kept: list[Any], ns: str) -> etree._Element:
    segments = list(element.iterchildren(q(ns, "segment")))
    data = _Data()
    for rank, (unit, s, t) in enumerate(kept):
        index = int(extras(unit).get(SEGMENT, rank))
        if index >= len(segments):
            raise Unwritable(f"{what(unit, s)}: its unit has no segment {index + 1}")
        segment = segments[index]
        _texts(segment, unit, s, t, ns, data)
        if t is not None and changed(unit, t):  # confirmed or edited since it was read
            segment.set("state", state_20(unit, t))
    data.insert(element, ns)
    return element


def _texts(
    segment: etree._Element,
    unit: Unit,
    s: Variant,
    t: Variant | None,
    ns: str,
    data: _Data,
) -> None:
    codes = convert([s.codes] + ([t.codes] if t else []), "xliff20")
    source = segment.find(q(ns, "source"))
    if source is None:
        source = etree.SubElement(segment, q(ns, "source"))
    write_inline(source, s.text, data.refs(codes[0]), ns, what(unit, s))
    if t is None:
        return
    target = segment.find(q(ns, "target"))
    if target is None:
        target = etree.Element(q(ns, "target"))
        source.addnext(target)
    write_inline(target, t.text, data.refs(codes[1]), ns, what(unit, t))


class _Data:
    """A unit's originalData, made from its codes' native data."""

    def __init__(self) -> None:
        self.entries: dict[str, str] = {}

    def _id(self, wanted: str | None, content: str) -> str:
        if wanted and self.entries.get(wanted, content) == content:
            self.entries[wanted] = content
            return wanted
        number = len(self.entries) + 1
        while f"d{number}" in self.entries:
            number += 1
        self.entries[f"d{number}"] = content
        return f"d{number}"

    def refs(self, codes: Sequence[InlineCode]) -> tuple[InlineCode, ...]:
        """The codes without content, pointing to their data instead."""
        out = list(codes)
        open_pcs: list[int] = []
        for index, code in enumerate(codes):
            attrs = dict(code.attrs)
            if code.tag == "pc":
                open_pcs.append(index)
            if not code.content:
                out[index] = InlineCode(code.tag, code.attrs) if code.tag != "/pc" else code
                if code.tag == "/pc" and open_pcs:
                    open_pcs.pop()
                continue
            if code.tag == "/pc":
                start = open_pcs.pop() if open_pcs else None
                if start is None:
                    raise Unwritable("</pc> without its <pc>")
                s_attrs = dict(out[start].attrs)
                s_attrs["dataRefEnd"] = self._id(s_attrs.get("dataRefEnd"), code.content)
                out[start] = InlineCode("pc", tuple(s_attrs.items()))
                out[index] = InlineCode("/pc")
                continue
            name = "dataRefStart" if code.tag == "pc" else "dataRef"
            attrs[name] = self._id(attrs.get(name), code.content)
            out[index] = InlineCode(code.tag, tuple(attrs.items()))
        return tuple(out)

    def insert(self, unit: etree._Element, ns: str) -> None:
        if not self.entries:
            return
        holder = etree.Element(q(ns, "originalData"))
        for ident, content in self.entries.items():
            data = etree.SubElement(holder, q(ns, "data"), id=ident)
            try:
                wrapper = parse_xml(f'<d xmlns="{ns}">{checked(content, "data")}</d>')
            except etree.XMLSyntaxError as exc:
                raise Unwritable(f"the native data {content!r} is not XML: {exc.msg}") from exc
            data.text = wrapper.text
            data.extend(list(wrapper))
        first = next((c for c in unit if c.tag in (q(ns, "segment"), q(ns, "ignorable"))), None)
        if first is None:
            unit.append(holder)
        else:
            first.addprevious(holder)


def _unit_id(key: str | None, used: set[str]) -> str:
    base = _NOT_NMTOKEN.sub("_", key) if key else f"u{len(used) + 1}"
    ident, n = base, 1
    while ident in used:
        n += 1
        ident = f"{base}_{n}"
    used.add(ident)
    return ident


def _new_unit(unit: Unit, s: Variant, t: Variant | None, ns: str, used: set[str]) -> etree._Element:
    if s.plurals:
        return _plural_group(unit, s, t, ns, used)
    element = etree.Element(q(ns, "unit"), id=_unit_id(unit.key, used))
    if unit.obsolete:
        element.attrib.update({"translate": "no", "type": OBSOLETE})
    annotate(element, unit, ns)
    _segment(element, unit, s, t, ns)
    return element


def _segment(element: etree._Element, unit: Unit, s: Variant, t: Variant | None, ns: str) -> None:
    """The unit's one segment, with ``s`` and ``t`` in it (and their codes' data)."""
    segment = etree.SubElement(element, q(ns, "segment"))
    if t is not None and not t.text and not t.codes and s.text:
        t = None  # an empty msgstr (or plural form): no target, "not translated yet"
    if t is not None:
        segment.set("state", state_20(unit, t))
        sub = extras(unit).get(SUBSTATE)
        if sub:
            segment.set("subState", sub)
    data = _Data()
    _texts(segment, unit, s, t, ns, data)
    for part in segment:
        if needs_preserve(str(part.xpath("string()"))):
            part.set(XML_SPACE, "preserve")
    data.insert(element, ns)


def _plural_group(
    unit: Unit, s: Variant, t: Variant | None, ns: str, used: set[str]
) -> etree._Element:
    """A PO entry with plural forms: a group of one unit per form (tm.formats.xliff20_po);
    only the first forms can hold inline codes."""
    group_id = _unit_id(unit.key, used)
    group = etree.Element(q(ns, "group"), id=group_id, type=PLURALS)
    if unit.obsolete:
        group.set("translate", "no")
    annotate(group, unit, ns)
    sources = [s, replace(s, text=s.plurals[0], codes=())]
    targets = [t, *(replace(t, text=p, codes=()) for p in t.plurals)] if t is not None else []
    for form in range(max(len(sources), len(targets))):
        element = etree.SubElement(group, q(ns, "unit"), id=_unit_id(form_id(group_id, form), used))
        if unit.obsolete:
            element.attrib.update({"translate": "no", "type": OBSOLETE})
        target = targets[form] if form < len(targets) else None
        _segment(element, unit, sources[min(form, 1)], target, ns)
    return group
