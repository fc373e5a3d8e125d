"""TMX 1.4b writing, streamed and atomic, valid against the LISA OSCAR tmx14.dtd.

Units are written one ``tu`` at a time with lxml's incremental ``xmlfile``, so a memory
of a million units is written in flat memory, into a temporary file in the target's
folder that replaces the target only once complete (corpora.atomicfile): an error half
way, such as a character XML 1.0 cannot carry, leaves the target as it was.

The header names Padan as the creation tool and, in ``o-tmf``, as the original format
(the name of the tool's own format, not an encoding). What the reader keeps in
``Unit.extra`` is written back: ``tu`` attributes, ``tuv/<lang>/<name>`` entries as
attributes of that variant, and anything the DTD has no attribute for (or a value its
attribute does not allow) as a ``tu`` prop typed ``x-padan-attr:<key>``, which the reader
turns back into the same extra entry.

A PO entry's context is the tu prop ``x-context``, as translate-toolkit writes and
reads it; its further plural forms are tus of their own after it (tm.formats.tmx_plurals).
TMX has no place for PO's flags, comments, references or previous strings; they are not
written. An obsolete entry (PO ``#~``) is left out: a TMX
is live memory to a CAT tool, which would offer a unit whatever prop marked it stale
(translate-toolkit's po2tmx leaves them out too; a PO export keeps them). A
translation's review state (tm.formats.states) is its tuv's prop ``x-state``: the
translations are the variants other than the header's srclang, or with ``*all*`` other
than the unit's first.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace
from datetime import UTC, datetime
from functools import cache, lru_cache
from importlib import metadata
from pathlib import Path

from lxml import etree

from corpora.atomicfile import atomic_write
from corpora.errors import CorpusError
from corpora.langtags import normalize, to_xml_lang
from tm.errors import TMError
from tm.formats.inline_xml import Unwritable as _Unwritable
from tm.formats.inline_xml import checked as _checked
from tm.formats.states import STATE_PROP, TRANSLATED, read_state, with_state
from tm.formats.tmx_plurals import forms_apart
from tm.formats.tmx_read import CONTEXT_PROP, EXTRA_PROP, INLINE_TAGS, XML_LANG, tuv_prefix
from tm.formats.xml_chars import maker, put
from tm.inline import convert
from tm.model import PLACEHOLDERS, InlineCode, Unit, Variant, placeholder

DOCTYPE = '<!DOCTYPE tmx SYSTEM "tmx14.dtd">'
SEGTYPES = frozenset({"block", "paragraph", "sentence", "phrase"})
# Attributes tmx14.dtd declares, less those the model has fields for.
TU_ATTRS = frozenset(
    {"o-encoding", "datatype", "usagecount", "lastusagedate", "creationtool"}
    | {"creationtoolversion", "creationdate", "changedate", "segtype", "changeid", "o-tmf"}
    | {"srclang"}
)
TUV_ATTRS = frozenset(TU_ATTRS - {"segtype", "srclang"} | {"creationid", "lang"})
REQUIRED_CODE_ATTRS = {"bpt": "i", "ept": "i", "it": "pos"}
# Which inline elements each may contain (tmx14.dtd content models).
_MARKUP = frozenset({"bpt", "ept", "it", "ph", "hi", "ut"})
ALLOWED_IN = {
    "seg": _MARKUP,
    "hi": _MARKUP,
    "sub": _MARKUP,
    **{tag: frozenset({"sub"}) for tag in ("bpt", "ept", "it", "ph", "ut")},
}

# Characters XML 1.0 cannot carry: C0 controls but tab/LF/CR, U+FFFE/U+FFFF, surrogates.
_CHILD_SEPARATOR = "\n    "  # a tu's children one per line: readable, diffable, outside segs
_PLACEHOLDER = re.compile(f"({PLACEHOLDERS.pattern})")
FOREIGN_EXTRA = "xliff:"  # Unit.extra of XLIFF files (structure, skeletons): not TMX's


def write_tmx(
    units: Iterable[Unit],
    path: str | Path,
    *,
    source_lang: str | None,
    tool_version: str | None = None,
) -> int:
    """Write units as TMX 1.4b, obsolete ones left out; returns how many were written.

    ``source_lang`` None or ``"*all*"`` declares that any variant may be the source.
    ``tool_version`` defaults to the installed Padan's version.
    """
    target = Path(path)
    try:
        header = _header(source_lang, tool_version or _padan_version())
    except (_Unwritable, CorpusError) as exc:
        raise TMError(f"header: {exc}", path=target) from exc
    count = 0
    try:
        with atomic_write(path, encoding=None) as f, etree.xmlfile(f, encoding="UTF-8") as xf:
            xf.write_declaration()
            xf.write_doctype(DOCTYPE)
            with xf.element("tmx", version="1.4"):
                xf.write("\n", etree.Element("header", header), "\n")
                with xf.element("body"):
                    xf.write("\n")
                    src = _source(source_lang)
                    for unit in units:  # one tu in memory at a time
                        if unit.obsolete:
                            continue
                        count += 1
                        # with any variant a source (*all*), a unit read from a PO or
                        # XLIFF file still has one: its first, whose translations the
                        # review state is of
                        own = src or (unit.variants[0].lang if unit.variants else None)
                        unit = with_states(unit, own)
                        for each in (unit, *forms_apart(unit, own)):
                            xf.write("  ", _tu(each, _name(unit, count), target), "\n")
                xf.write("\n")
    except CorpusError as exc:
        raise TMError(exc.message, path=exc.path, hint=exc.hint) from exc
    except OSError as exc:
        raise TMError(f"cannot write: {exc.strerror or exc}", path=target) from exc
    return count


def _source(source_lang: str | None) -> str | None:
    if source_lang is None or source_lang.strip().lower() == "*all*":
        return None
    try:
        return normalize(source_lang)
    except CorpusError:
        return None  # the header says why


def with_states(unit: Unit, source_lang: str | None) -> Unit:
    """The unit with the review state of its translations (a PO entry's ``fuzzy``, an
    XLIFF state) as their ``x-state`` prop, when it is not plain "translated" and they
    have none: TMX has no other place for it. Only with a source language, which says
    which variants are translations."""
    if source_lang is None:
        return unit
    state = read_state(unit)
    if state == TRANSLATED:
        return unit
    variants, seen = [], False
    for v in unit.variants:
        source = not seen and v.lang == source_lang
        seen = seen or source
        has = any(k == STATE_PROP for k, _ in v.props)
        variants.append(v if source or has or not v.text else with_state(v, state))
    return replace(unit, variants=tuple(variants))


@cache
def _padan_version() -> str:
    try:
        return metadata.version("padan")
    except metadata.PackageNotFoundError:  # run from a checkout that was never installed
        return "unknown"


def _header(source_lang: str | None, tool_version: str) -> dict[str, str]:
    srclang = "*all*"
    if source_lang is not None and source_lang.strip().lower() != "*all*":
        srclang = to_xml_lang(source_lang)
    return {
        "creationtool": "Padan",
        "creationtoolversion": _checked(tool_version, "the tool version"),
        "segtype": "sentence",
        "o-tmf": "Padan",
        "adminlang": "en-US",
        "srclang": srclang,
        "datatype": "plaintext",
        "creationdate": datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ"),
    }


def _name(unit: Unit, index: int) -> str:
    return f"unit {unit.key!r}" if unit.key is not None else f"unit #{index}"


def _tu(unit: Unit, name: str, path: Path) -> etree._Element:
    try:
        return _tu_element(unit)
    except _Unwritable as exc:
        raise TMError(f"{name}: {exc}", path=path, hint="fix the unit, then export again") from exc


def _tu_element(unit: Unit) -> etree._Element:
    """The tu, its attributes worked out first so that every element is made in place.

    (lxml moves an element appended from another tree node by node: building tuv and
    seg as sub-elements of the tu halves the time of an export.)
    """
    if not unit.variants:
        raise _Unwritable("no variant to write (TMX requires at least one <tuv>)")
    fixed = {
        "tuid": unit.key,
        "creationdate": _tmx_date(unit.created),
        "changedate": _tmx_date(unit.changed),
        "creationid": unit.creator,
    }
    per_variant, own, carried = _split_extra(
        (k, v) for k, v in unit.extra if not k.startswith(FOREIGN_EXTRA)
    )
    attrs, more = _attributes(fixed, own, TU_ATTRS)
    carried.extend(more)
    variant_attrs: list[dict[str, str]] = []
    seen: dict[str, int] = {}
    for variant in unit.variants:
        lang = _language(variant.lang)
        seen[lang] = seen.get(lang, 0) + 1
        prefix = tuv_prefix(lang, seen[lang])
        tuv_attrs, rest = _tuv_attributes(variant, lang, per_variant.pop(prefix, []))
        carried.extend((prefix + k, v) for k, v in rest)
        variant_attrs.append(tuv_attrs)
    for prefix, pairs in per_variant.items():  # variants that are no longer there
        carried.extend((prefix + k, v) for k, v in pairs)
    tu = etree.Element("tu", attrs)
    tu.text = _CHILD_SEPARATOR
    context = [(CONTEXT_PROP, unit.context)] if unit.context is not None else []
    props = [*context, *unit.props, *((EXTRA_PROP + k, v) for k, v in carried)]
    _annotate(tu, unit.notes, props, _CHILD_SEPARATOR)
    codes = convert([v.codes for v in unit.variants], "tmx")  # XLIFF's g, x... as TMX's
    for variant, tuv_attrs, own_codes in zip(unit.variants, variant_attrs, codes, strict=True):
        tuv = etree.SubElement(tu, "tuv", tuv_attrs)
        tuv.tail = _CHILD_SEPARATOR
        _annotate(tuv, variant.notes, variant.props)
        _fill_seg(etree.SubElement(tuv, "seg"), variant, own_codes)
    tu[-1].tail = "\n  "
    return tu


def _split_extra(
    extra: Iterable[tuple[str, str]],
) -> tuple[dict[str, list[tuple[str, str]]], list[tuple[str, str]], list[tuple[str, str]]]:
    """Unit.extra as (variant attributes by tuv prefix, tu attributes, entries for props)."""
    per_variant: dict[str, list[tuple[str, str]]] = {}
    own: list[tuple[str, str]] = []
    carried: list[tuple[str, str]] = []
    for key, value in extra:
        if key.startswith("tuv/") and key.count("/") == 2:
            prefix, _, name = key.rpartition("/")
            per_variant.setdefault(prefix + "/", []).append((name, value))
        elif "/" in key:
            carried.append((key, value))
        else:
            own.append((key, value))
    return per_variant, own, carried


def _attributes(
    fixed: dict[str, str | None], extra: Iterable[tuple[str, str]], allowed: frozenset[str]
) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """The element's attributes, and the extras that cannot be attributes under the DTD."""
    attrs = {k: _checked(v, f"the attribute {k}") for k, v in fixed.items() if v is not None}
    rest: list[tuple[str, str]] = []
    for key, value in extra:
        fits = key in allowed and key not in attrs and (key != "segtype" or value in SEGTYPES)
        if fits:
            attrs[key] = _checked(value, f"the attribute {key}")
        else:
            rest.append((key, value))
    return attrs, rest


def _tuv_attributes(
    variant: Variant, lang: str, extra: list[tuple[str, str]]
) -> tuple[dict[str, str], list[tuple[str, str]]]:
    fixed = {
        XML_LANG: _xml_lang(lang),
        "creationdate": _tmx_date(variant.created),
        "changedate": _tmx_date(variant.changed),
    }
    return _attributes(fixed, extra, TUV_ATTRS)


def _annotate(
    element: etree._Element,
    notes: Iterable[str],
    props: Iterable[tuple[str, str]],
    separator: str | None = None,
) -> None:
    for note in notes:
        note_element = etree.SubElement(element, "note")
        note_element.text = _checked(note, "a note")
        note_element.tail = separator
    for kind, value in props:
        prop = etree.SubElement(element, "prop", type=_checked(kind, "a prop type"))
        prop.text = _checked(value, f"the prop {kind!r}")
        prop.tail = separator


def _fill_seg(seg: etree._Element, variant: Variant, codes: tuple[InlineCode, ...]) -> None:
    """The text, with each placeholder replaced by its inline element."""
    text = _checked(variant.text, f"the {variant.lang} text", segment=True)
    make = maker("tmx")
    if not codes:
        if _PLACEHOLDER.search(text):
            raise _Unwritable(f"the {variant.lang} text has a placeholder but no inline code")
        put(seg, None, text, make)
        return
    pieces = _PLACEHOLDER.split(text)
    found = pieces[1::2]
    expected = [placeholder(i) for i in range(len(codes))]
    if found != expected:
        raise _Unwritable(
            f"the {variant.lang} text has placeholders {_codepoints(found)} for "
            f"{len(codes)} inline codes (expected {_codepoints(expected)}, in order)"
        )
    last = put(seg, None, pieces[0], make)
    for code, tail in zip(codes, pieces[2::2], strict=True):
        last = _code_element(code)
        seg.append(last)
        last = put(seg, last, tail, make)


def _codepoints(chars: list[str]) -> str:
    return " ".join(f"U+{ord(c):04X}" for c in chars) or "none"


def _code_element(code: InlineCode) -> etree._Element:
    if code.tag not in INLINE_TAGS:
        raise _Unwritable(f"<{code.tag}> has no TMX form (TMX has bpt ept ph it ut hi sub)")
    content = _checked(code.content, f"the content of <{code.tag}>")
    try:
        element = etree.fromstring(f"<{code.tag}>{content}</{code.tag}>", _code_parser())
        for name, value in code.attrs:
            element.set(name, _checked(value, f"the attribute {name} of <{code.tag}>"))
    except etree.XMLSyntaxError as exc:
        raise _Unwritable(f"the content of <{code.tag}> is not XML: {exc.msg}") from exc
    except ValueError as exc:  # an attribute name lxml refuses
        raise _Unwritable(f"<{code.tag}>: {exc}") from exc
    _check_code(element)
    return element


def _code_parser() -> etree.XMLParser:
    """A new parser each time: an lxml parser must not be shared between threads."""
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


def _check_code(element: etree._Element, parent: str = "seg") -> None:
    """The element may stand in its parent, holds what tmx14.dtd allows, with its attributes."""
    if element.tag not in ALLOWED_IN[parent]:
        raise _Unwritable(f"<{element.tag}> is not allowed in <{parent}> (tmx14.dtd)")
    required = REQUIRED_CODE_ATTRS.get(element.tag)
    if required and element.get(required) is None:
        raise _Unwritable(f"<{element.tag}> needs the attribute {required}")
    if element.tag == "it" and element.get("pos") not in ("begin", "end"):
        raise _Unwritable('<it> needs pos="begin" or pos="end"')
    for child in element:
        _check_code(child, element.tag)


_xml_lang = lru_cache(maxsize=1024)(to_xml_lang)


def _language(tag: str) -> str:
    try:
        return normalize(tag)
    except CorpusError as exc:
        raise _Unwritable(exc.message) from exc


def _tmx_date(iso: str | None) -> str | None:
    """ISO 8601 (2025-01-01T12:00:00Z, or with an offset) as TMX's 20250101T120000Z, in UTC."""
    if iso is None:
        return None
    try:
        moment = datetime.fromisoformat(iso)
    except ValueError as exc:
        raise _Unwritable(f"the date {iso!r} is not ISO 8601") from exc
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    m = moment.astimezone(UTC)
    return f"{m.year:04d}{m.month:02d}{m.day:02d}T{m.hour:02d}{m.minute:02d}{m.second:02d}Z"
