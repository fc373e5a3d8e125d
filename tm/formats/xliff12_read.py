"""XLIFF 1.2 (and 1.0/1.1) reading, streamed, SDLXLIFF included.

Each ``trans-unit`` gives one unit, or one per segment when its ``seg-source`` is cut
into ``<mrk mtype="seg">`` (SDL Trados Studio, Okapi): the target's ``mrk`` with the
same ``mid`` is that segment's translation, and SDL's ``sdl:seg`` confirmation level its
state. Text is kept exactly (whitespace included) and inline elements become codes
(tm.formats.inline_xml). A unit without a target, or with an empty one, has the source
variant only: it is untranslated.

What the model has no field for rides in ``Unit.extra`` under ``xliff:`` keys, so that
tm.formats.xliff12_write gives back the same file: the trans-unit itself with its texts
taken out (``xliff:skeleton``: attributes, alt-trans, SDL's seg-defs, other tools'
extensions), the file's attributes and header on its first unit, the groups around it.
A PO entry's structure (context, flags, comments, references, plural forms, obsolete
mark) is read as tm.formats.xliff12_po says it is written; a PO header that translate-
toolkit's po2xliff writes as a ``x-gettext-domain-header`` trans-unit is no text to
translate: it becomes the next unit's PO header, as a PO import keeps it (an XLIFF export
then leaves it out). A unit is ``fuzzy`` when it is not approved (``approved="no"``),
in a ``needs-*`` state, or an SDL draft or rejected segment.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

from lxml import etree

from tm.errors import TMError
from tm.formats.inline_xml import local, read_inline
from tm.formats.po_export import HEADER_KEY as PO_HEADER
from tm.formats.states import REVIEW_12
from tm.formats.xliff12_po import DOMAIN_HEADER, PLURALS, Entry, form_of, read_entry
from tm.formats.xliff_common import (
    SDL_CONF,
    SDL_NS,
    SEGMENT,
    SKELETON,
    STATE,
    UNIT,
    XML_LANG,
    Place,
    closed,
    empty,
    has_content,
    language,
    q,
    serialize,
    text_of,
)
from tm.formats.xml_stream import parse, release
from tm.model import Unit, Variant

SDL_FUZZY = frozenset({"Draft", "RejectedTranslation", "RejectedSignOff"})


def languages(path: Path, ns: str) -> tuple[str | None, str | None]:
    """The first <file>'s source and target languages, as written."""
    for _, element in parse(path, events=("start",)):
        if local(element.tag, ns) == "file":
            return element.get("source-language"), element.get("target-language")
    return None, None


def units(path: Path, ns: str, source_lang: str | None, target_lang: str | None) -> Iterator[Unit]:
    """The units of an XLIFF 1.x file, parsed as they are asked for; ``source_lang`` and
    ``target_lang`` (normal forms) override the files' own."""
    place = Place(source_lang or "en", target_lang)
    plurals: etree._Element | None = None  # the gettext plural group being read
    header: str | None = None  # a PO header read, for the next unit (as a PO import keeps it)
    for event, element in parse(path, events=("start", "end")):
        name = local(element.tag, ns)
        if event == "start":
            if name == "xliff":
                place.at_root(element)
            elif name == "file":
                place.at_file(element)
                place.source = source_lang or _lang(element.get("source-language"), element, path)
                place.target = target_lang or language(
                    element.get("target-language"), element, path
                )
            elif name == "group" and element.get("restype") == PLURALS:
                plurals = element
            elif name == "group":
                place.at_group(element)
            continue
        if name == "header" and place.file_head is not None:
            place.file_head["header"] = serialize(element)
        elif name == "group" and element is plurals:
            plurals = None
            yield _with_header(_plural_unit(element, ns, path, place), header)
            header = None
            release(element)
        elif name == "group":
            place.groups.pop()
        elif name == "trans-unit" and plurals is not None:
            continue  # read with its group
        elif name == "trans-unit" and element.get("restype") == DOMAIN_HEADER:
            header = _domain_header(element, ns)
            release(element)
        elif name == "trans-unit":
            for unit in _trans_unit(element, ns, path, place):
                yield _with_header(unit, header)
                header = None
            release(element)
        elif name == "bin-unit":
            release(element)


def _lang(tag: str | None, element: etree._Element, path: Path) -> str:
    return language(tag, element, path) or "en"


def _trans_unit(tu: etree._Element, ns: str, path: Path, place: Place) -> Iterator[Unit]:
    children = {local(c.tag, ns): c for c in reversed(tu)}  # the first of each name
    source = children.get("source")
    if source is None:  # invalid, but tools leave such units behind (a bad merge): kept
        source = etree.Element(q(ns, "source"))
    target = children.get("target")
    entry = read_entry([tu], ns)
    tu_id = tu.get("id")
    skeleton = copy.deepcopy(tu)
    segments = segment_marks(children.get("seg-source"), ns)
    common = place.common()
    if not segments:
        for emptied in (skeleton.find(q(ns, "source")), skeleton.find(q(ns, "target"))):
            if emptied is not None:
                empty(emptied)
        extra = [*common, (SKELETON, serialize(skeleton))]
        extra += _state(target)
        yield _unit(tu, source, target, place, tu_id, entry, extra, path, ns)
        return
    confs, locked = _sdl_confs(tu), _sdl_locked(tu)
    targets = segment_marks(target, ns) if target is not None else {}
    if target is not None and not targets and len(segments) == 1 and has_content(target):
        targets = {next(iter(segments)): target}  # one segment, target not cut
    for part in ("seg-source", "target"):
        holder = skeleton.find(q(ns, part))
        for mrk in segment_marks(holder, ns).values() if holder is not None else ():
            empty(mrk)
    for rank, (mid, mrk) in enumerate(segments.items()):
        extra = [*common, (UNIT, tu_id or ""), (SEGMENT, mid)]
        if rank == 0:
            extra.append((SKELETON, serialize(skeleton)))
        conf = confs.get(mid)
        if conf:
            extra.append((SDL_CONF, conf))
        extra += _state(targets.get(mid))
        key = f"{tu_id}:{mid}" if tu_id is not None else None
        own = entry if rank == 0 else Entry(context=entry.context)
        unit = _unit(tu, mrk, targets.get(mid), place, key, own, extra, path, ns)
        yield replace(unit, locked=True) if mid in locked else unit
        common = []


def _unit(
    tu: etree._Element,
    source: etree._Element,
    target: etree._Element | None,
    place: Place,
    key: str | None,
    entry: Entry,
    extra: list[tuple[str, str]],
    path: Path,
    ns: str,
) -> Unit:
    text, codes = read_inline(source, ns, path)
    variants = [Variant(place.source, text, codes)]
    if target is not None and (has_content(target) or not has_content(source)):
        # a target in no declared language is kept, as undetermined (BCP 47 "und")
        tgt_lang = place.target or language(target.get(XML_LANG), target, path) or "und"
        t_text, t_codes = read_inline(target, ns, path)
        variants.append(Variant(tgt_lang, t_text, t_codes))
    fuzzy = any(k == STATE and v in REVIEW_12 for k, v in extra)
    fuzzy = fuzzy or tu.get("approved") == "no"
    fuzzy = fuzzy or any(k == SDL_CONF and v in SDL_FUZZY for k, v in extra)
    return Unit(
        variants=tuple(variants),
        key=key,
        context=entry.context,
        flags=("fuzzy",) + entry.flags if fuzzy else entry.flags,
        comments=entry.comments,
        extracted=entry.extracted,
        references=entry.references,
        obsolete=entry.obsolete,
        notes=entry.notes,
        extra=tuple(extra),
        locked=closed(tu),
        line=tu.sourceline,
    )


def _domain_header(tu: etree._Element, ns: str) -> str:
    """A PO header that po2xliff wrote as a trans-unit, as a PO import stores it."""
    children = {local(c.tag, ns): c for c in reversed(tu)}
    holder = children.get("target")
    if holder is None or not has_content(holder):
        holder = children.get("source")
    text = text_of(holder) if holder is not None else ""
    return json.dumps({"msgstr": text} if text else {}, ensure_ascii=False)


def _with_header(unit: Unit, header: str | None) -> Unit:
    if header is None:
        return unit
    return replace(unit, extra=(*unit.extra, (PO_HEADER, header)))


def _plural_unit(group: etree._Element, ns: str, path: Path, place: Place) -> Unit:
    """A gettext plural group (tm.formats.xliff12_po) as one unit: the first form's
    source and target, the second form's source as msgid_plural, the further targets as
    the translation's plural forms."""
    forms = [tu for tu in group if local(tu.tag, ns) == "trans-unit"]
    forms.sort(key=lambda tu: form_of(tu.get("id")) or 0)
    if not forms:
        raise TMError("a plural group without trans-units", path=path, line=group.sourceline)
    first = forms[0]
    children = {local(c.tag, ns): c for c in reversed(first)}
    source = children.get("source", etree.Element(q(ns, "source")))
    entry = read_entry([group, first], ns)
    unit = _unit(
        first,
        source,
        children.get("target"),
        place,
        group.get("id"),
        entry,
        [*place.common(), *_state(children.get("target"))],
        path,
        ns,
    )
    more_sources: list[str] = []
    more_targets: list[str] = []  # a form left untranslated keeps its place, as ""
    for tu in forms[1:]:
        found = {local(c.tag, ns): c for c in reversed(tu)}
        if "source" in found:
            more_sources.append(read_inline(found["source"], ns, path)[0])
        target = found.get("target")
        more_targets.append(read_inline(target, ns, path)[0] if target is not None else "")
    while more_targets and not more_targets[-1]:
        more_targets.pop()  # forms never translated: the catalogue's rule says how many
    variants = list(unit.variants)
    variants[0] = replace(variants[0], plurals=tuple(more_sources[:1]))
    if len(variants) == 1 and more_targets:  # the first form untranslated, a later one not
        variants.append(Variant(place.target or "und", ""))
    if len(variants) > 1:
        variants[1] = replace(variants[1], plurals=tuple(more_targets))
    return replace(unit, variants=tuple(variants))


def segment_marks(holder: etree._Element | None, ns: str) -> dict[str, etree._Element]:
    """mid -> <mrk mtype="seg"> of a seg-source or target, in document order."""
    if holder is None:
        return {}
    found: dict[str, etree._Element] = {}
    for mrk in holder.iter(q(ns, "mrk")):
        if mrk.get("mtype") == "seg":
            found.setdefault(mrk.get("mid") or str(len(found) + 1), mrk)
    return found


def _sdl_confs(tu: etree._Element) -> dict[str, str]:
    return {
        seg.get("id", ""): seg.get("conf", "")
        for seg in tu.iter(f"{{{SDL_NS}}}seg")
        if seg.get("conf")
    }


def _sdl_locked(tu: etree._Element) -> set[str]:
    """The segments Trados Studio shows locked: no one is to change them."""
    return {seg.get("id", "") for seg in tu.iter(f"{{{SDL_NS}}}seg") if seg.get("locked") == "true"}


def _state(target: etree._Element | None) -> list[tuple[str, str]]:
    state = target.get("state") if target is not None else None
    return [(STATE, state)] if state else []
