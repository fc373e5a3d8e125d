"""XLIFF 2.x reading, streamed: one unit per ``segment``.

A segment's source and target become variants with their inline codes (``pc`` as two
codes around its text; ``ph``, ``sc``, ``ec``, ``sm``, ``em``, ``cp`` as one each, with the
``originalData`` they point to as their content). Notes, the state (``initial``,
``translated``, ``reviewed``, ``final``) and its sub-state are kept; a target in the
``initial`` state is a draft (``fuzzy``). The unit element itself, texts taken out, rides
along (tm.formats.xliff_common): ignorables, modules such as ``mtc:matches`` or
``fs:fs`` attributes, and extensions are written back as they came. A PO entry's
structure is read as tm.formats.xliff20_po says it is written: typed notes become
comments, a ``x-gettext:plurals`` group one unit with its plural forms.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

from lxml import etree

from tm.errors import TMError
from tm.formats.inline_xml import inner_xml, local, read_inline
from tm.formats.xliff20_po import PLURALS, read_entry
from tm.formats.xliff_common import (
    SEGMENT,
    SKELETON,
    STATE,
    SUBSTATE,
    UNIT,
    Place,
    closed,
    empty,
    has_content,
    language,
    preceding,
    q,
    serialize,
)
from tm.formats.xml_stream import parse, release
from tm.model import InlineCode, Unit, Variant


def languages(path: Path, ns: str) -> tuple[str | None, str | None]:
    for _, element in parse(path, events=("start",)):
        return element.get("srcLang"), element.get("trgLang")
    return None, None


def units(path: Path, ns: str, source_lang: str | None, target_lang: str | None) -> Iterator[Unit]:
    place = Place(source_lang or "en", target_lang)
    plurals: etree._Element | None = None  # the gettext plural group being read
    for event, element in parse(path, events=("start", "end")):
        name = local(element.tag, ns)
        if event == "start":
            if name == "xliff":
                place.source = (
                    source_lang or language(element.get("srcLang"), element, path) or "en"
                )
                place.target = target_lang or language(element.get("trgLang"), element, path)
                place.at_root(element)
            elif name == "file":
                place.at_file(element)
            elif name in ("group", "unit") and plurals is None:
                if place.file_head is not None and "children" not in place.file_head:
                    place.file_head["children"] = preceding(element)  # skeleton, notes...
                if place.groups and place.groups[-1][2] is None:
                    place.groups[-1][2] = preceding(element)  # the group's notes...
                if name == "group" and element.get("type") == PLURALS:
                    plurals = element
                elif name == "group":
                    place.at_group(element)
            continue
        if name == "group" and element is plurals:
            plurals = None
            yield _plural_unit(element, ns, path, place)
            release(element)
        elif plurals is not None:
            continue  # read with its group
        elif name == "group":
            place.groups.pop()
        elif name == "unit":
            yield from _unit(element, ns, path, place)
            release(element)


def _unit(unit: etree._Element, ns: str, path: Path, place: Place) -> Iterator[Unit]:
    data = original_data(unit, ns)
    entry = read_entry([unit], ns)
    segments = list(unit.iterchildren(q(ns, "segment")))
    if not segments:
        raise TMError("<unit> without <segment>", path=path, line=unit.sourceline)
    skeleton = copy.deepcopy(unit)
    for od in skeleton.findall(q(ns, "originalData")):
        skeleton.remove(od)
    for seg in skeleton.iterchildren(q(ns, "segment")):
        for part in seg:
            empty(part)
    unit_id = unit.get("id", "")
    common = place.common()
    for rank, segment in enumerate(segments):
        extra = [*common, (UNIT, unit_id), (SEGMENT, str(rank))]
        if rank == 0:
            extra.append((SKELETON, serialize(skeleton)))
        for attr, key in (("state", STATE), ("subState", SUBSTATE)):
            if segment.get(attr):
                extra.append((key, segment.get(attr, "")))
        key = unit_id if len(segments) == 1 else f"{unit_id}:{segment.get('id') or rank + 1}"
        read = _segment(segment, ns, path, place, data, key, extra)
        own = entry if rank == 0 else {"context": entry["context"]}
        yield _with_entry(read, own)
        common = []


def _with_entry(unit: Unit, entry: dict[str, Any]) -> Unit:
    """The unit with its PO structure (tm.formats.xliff20_po); a draft stays fuzzy."""
    return replace(unit, **{**entry, "flags": unit.flags + entry.get("flags", ())})


def _plural_unit(group: etree._Element, ns: str, path: Path, place: Place) -> Unit:
    """A gettext plural group (tm.formats.xliff20_po) as one unit: the first form's
    source and target, the second form's source as msgid_plural, the further targets as
    the translation's plural forms."""
    forms = [
        (unit, segment)
        for unit in group.iterchildren(q(ns, "unit"))
        for segment in unit.iterchildren(q(ns, "segment"))
    ]
    if not forms:
        raise TMError("a plural group without units", path=path, line=group.sourceline)
    key = group.get("id", "")
    read = [
        _segment(segment, ns, path, place, original_data(unit, ns), key, [])
        for unit, segment in forms
    ]
    first = forms[0][1]
    extra = [*place.common(), *([(STATE, first.get("state", ""))] if first.get("state") else [])]
    unit = replace(read[0], extra=tuple(extra), line=group.sourceline)
    variants = list(unit.variants)
    variants[0] = replace(variants[0], plurals=tuple(r.variants[0].text for r in read[1:2]))
    if len(variants) > 1:
        # a form left untranslated keeps its place: msgstr[i] is the i-th unit's target
        more = tuple(r.variants[1].text if len(r.variants) > 1 else "" for r in read[1:])
        variants[1] = replace(variants[1], plurals=more)
    return _with_entry(
        replace(unit, variants=tuple(variants)), read_entry([group, forms[0][0]], ns)
    )


def _segment(
    segment: etree._Element,
    ns: str,
    path: Path,
    place: Place,
    data: dict[str, str],
    key: str,
    extra: list[tuple[str, str]],
) -> Unit:
    source = segment.find(q(ns, "source"))
    if source is None:
        raise TMError("<segment> without <source>", path=path, line=segment.sourceline)
    text, codes = read_inline(source, ns, path)
    variants = [Variant(place.source, text, with_data(codes, data))]
    target = segment.find(q(ns, "target"))
    if target is not None and (has_content(target) or not has_content(source)):
        t_text, t_codes = read_inline(target, ns, path)
        # a target in no declared language is kept, as undetermined (BCP 47 "und")
        lang = place.target or "und"
        variants.append(Variant(lang, t_text, with_data(t_codes, data)))
    draft = len(variants) > 1 and segment.get("state") == "initial"
    return Unit(
        variants=tuple(variants),
        key=key,
        flags=("fuzzy",) if draft else (),
        extra=tuple(extra),
        locked=closed(segment),
        line=segment.sourceline,
    )


def original_data(unit: etree._Element, ns: str) -> dict[str, str]:
    """The unit's ``originalData``: each data id's native content."""
    return {
        d.get("id", ""): inner_xml(d, ns)
        for od in unit.iterchildren(q(ns, "originalData"))
        for d in od.iterchildren(q(ns, "data"))
    }


def with_data(codes: tuple[InlineCode, ...], data: dict[str, str]) -> tuple[InlineCode, ...]:
    """Each code with the original data its dataRef (pc: dataRefStart, its end:
    dataRefEnd) points to as its content."""
    out = list(codes)
    open_pcs: list[str | None] = []
    for index, code in enumerate(codes):
        attrs = dict(code.attrs)
        ref = None
        if code.tag == "pc":
            ref = attrs.get("dataRefStart")
            open_pcs.append(attrs.get("dataRefEnd"))
        elif code.tag == "/pc":
            ref = open_pcs.pop() if open_pcs else None
        else:
            ref = attrs.get("dataRef")
        if ref is not None and ref in data:
            out[index] = InlineCode(code.tag, code.attrs, data[ref])
    return tuple(out)
