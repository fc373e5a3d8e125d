"""TMX 1.4b and 1.1 reading, streamed, into :mod:`tm.model` units.

Memories run to hundreds of megabytes, so units are parsed one ``tu`` at a time with
lxml's ``iterparse`` and each element is freed once converted: memory stays flat however
big the file. The header is read by a first, short pass that stops at ``</header>``.

Safety: entities are never resolved, no DTD is loaded, nothing is fetched from the
network, and a DOCTYPE declaring entities (external-entity attacks, expansion bombs) is
refused before lxml sees the file, with a second check on the parsed DOCTYPE for
declarations hidden beyond the scanned prolog.

What the model has no field for is kept so that writing reproduces it:

- inline elements (bpt, ept, ph, it, ut, hi, sub) become placeholders in the text and
  :class:`InlineCode` objects holding their attributes and inner XML verbatim;
- ``tu`` attributes other than tuid/creationdate/changedate/creationid go to
  ``Unit.extra`` as written; so does a date that is not TMX's ``YYYYMMDDThhmmssZ``;
- ``tuv`` attributes other than the language and the dates go to ``Unit.extra`` under
  ``tuv/<lang>/<name>`` (see :func:`tuv_prefix`), because ``Variant`` has no extra field;
- a ``tu`` prop typed ``x-padan-attr:<key>`` (how the writer carries an extra that no
  TMX attribute can hold) goes back to ``Unit.extra`` under ``<key>``;
- the ``tu`` prop ``x-context`` (a PO entry's context, as translate-toolkit writes it)
  is ``Unit.context``, and the tus of a PO entry's further plural forms are folded back
  into it (tm.formats.tmx_plurals).

``Unit.extra`` is sorted by key, since attribute order means nothing in XML and a fixed
order makes read, write, read give equal units.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from corpora.errors import CorpusError
from corpora.langtags import normalize
from corpora.placeholders import MAX_CODES, placeholder
from corpora.safexml import undefined_entity
from tm.errors import TMError
from tm.formats.inline_xml import plain_text
from tm.formats.tmx_plurals import folded
from tm.formats.xml_chars import char_of
from tm.formats.xml_stream import checked_file, parse, release
from tm.model import InlineCode, Unit, Variant

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
INLINE_TAGS = frozenset({"bpt", "ept", "ph", "it", "ut", "hi", "sub"})
EXTRA_PROP = "x-padan-attr:"  # prop type prefix carrying a Unit.extra entry (see tmx_write)
CONTEXT_PROP = "x-context"  # a PO msgctxt (translate-toolkit's po2tmx and TMX reader)

_TMX_DATE = re.compile(r"(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z")
_TU_FIELDS = frozenset({"tuid", "creationid"})
_TUV_FIELDS = {XML_LANG: frozenset({XML_LANG}), "lang": frozenset({"lang"})}
_HEADER_FIELDS = frozenset(
    {"srclang", "creationtool", "creationtoolversion", "o-tmf", "segtype", "datatype", "adminlang"}
)

Pairs = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class TmxHeader:
    """The ``header`` element; attributes TMX requires have fields, the rest is ``extra``."""

    version: str | None  # tmx@version: "1.4", "1.1"...
    srclang: str | None  # normal form (corpora.langtags); None for "*all*" or absent
    creationtool: str | None = None
    creationtoolversion: str | None = None
    o_tmf: str | None = None
    segtype: str | None = None
    datatype: str | None = None
    adminlang: str | None = None  # as written
    creationdate: str | None = None  # ISO 8601 UTC
    props: Pairs = ()
    notes: tuple[str, ...] = ()
    extra: Pairs = ()  # o-encoding, creationid, changedate, changeid... verbatim, by name
    srclang_all: bool = False  # srclang="*all*" (rather than absent)


@dataclass(frozen=True)
class TmxDocument:
    path: Path
    header: TmxHeader

    def units(self) -> Iterator[Unit]:
        """The translation units, parsed from the file as they are asked for.

        Each call reads the file again; a malformed file raises TMError at the place
        where it breaks, after the units before it were given (but the last, which
        further plural forms might follow).
        """
        return folded(self._tus())

    def _tus(self) -> Iterator[Unit]:
        for _, tu in _parse(self.path, events=("end",), tag="tu"):
            unit = _unit(tu, self.path)
            _release(tu)
            yield unit


def read_tmx(path: str | Path) -> TmxDocument:
    """Open a TMX file: its header is read now, its units when iterated."""
    checked = checked_file(path)
    return TmxDocument(checked, _read_header(checked))


def tuv_prefix(lang: str, occurrence: int) -> str:
    """The ``Unit.extra`` key prefix for the attributes of a unit's variant in ``lang``.

    ``occurrence`` counts variants of the same language in one unit from 1: TMX allows
    two ``fr-CA`` variants (OmegaT writes them), and each keeps its own attributes.
    """
    return f"tuv/{lang}/" if occurrence == 1 else f"tuv/{lang}#{occurrence}/"


def iso_date(stamp: str) -> str | None:
    """TMX's basic-format date as extended ISO 8601: 20250101T120000Z -> 2025-01-01T12:00:00Z.

    None when the stamp is not in the form TMX prescribes (the caller keeps it verbatim).
    """
    m = _TMX_DATE.fullmatch(stamp.strip())
    return f"{m[1]}-{m[2]}-{m[3]}T{m[4]}:{m[5]}:{m[6]}Z" if m else None


# -- parsing ---------------------------------------------------------------------------------

_parse = parse
_release = release


def _read_header(path: Path) -> TmxHeader:
    root: etree._Element | None = None
    for event, element in _parse(path, events=("start", "end")):
        if root is None:
            if element.tag != "tmx":
                raise TMError(
                    f"not a TMX file: the root element is <{element.tag}>, not <tmx>",
                    path=path,
                    line=element.sourceline,
                    hint="check that this is the file you meant",
                )
            root = element
        elif event == "start" and element.tag == "body":
            break
        elif event == "end" and element.tag == "header":
            return _header(element, root.get("version"), path)
    raise TMError(
        "no <header> before <body>: not a TMX file",
        path=path,
        hint='a TMX file starts <tmx version="1.4"><header srclang=...',
    )


def _header(header: etree._Element, version: str | None, path: Path) -> TmxHeader:
    props, notes, _, _ = _contents(header, "ude", path)
    created = iso_date(header.get("creationdate", ""))
    taken = _HEADER_FIELDS | ({"creationdate"} if created else set())
    rest = [(name, value) for name, value in header.attrib.items() if name not in taken]
    src = header.get("srclang")
    every = bool(src) and src.strip().lower() == "*all*"
    return TmxHeader(
        version=version,
        srclang=None if not src or every else _language(src, header, path),
        creationtool=header.get("creationtool"),
        creationtoolversion=header.get("creationtoolversion"),
        o_tmf=header.get("o-tmf"),
        segtype=header.get("segtype"),
        datatype=header.get("datatype"),
        adminlang=header.get("adminlang"),
        creationdate=created,
        props=props,
        notes=notes,
        extra=tuple(sorted(rest)),
        srclang_all=every,
    )


# -- units ---------------------------------------------------------------------------------


def _unit(tu: etree._Element, path: Path) -> Unit:
    props, notes, carried, tuvs = _contents(tu, "tuv", path)
    variants: list[Variant] = []
    variant_attrs: list[tuple[str, str]] = []
    seen: dict[str, int] = {}
    for tuv in tuvs:
        variant, attrs = _variant(tuv, path)
        variants.append(variant)
        seen[variant.lang] = seen.get(variant.lang, 0) + 1
        if attrs:
            prefix = tuv_prefix(variant.lang, seen[variant.lang])
            variant_attrs.extend((prefix + name, value) for name, value in attrs)
    if not variants:
        raise TMError("<tu> without any <tuv>", path=path, line=tu.sourceline)
    created, changed, rest = _dates(tu, _TU_FIELDS)
    context = next((value for kind, value in props if kind == CONTEXT_PROP), None)
    if context is not None:
        props = tuple(p for p in props if p[0] != CONTEXT_PROP)
    return Unit(
        variants=tuple(variants),
        key=tu.get("tuid"),
        context=context,
        props=props,
        notes=notes,
        created=created,
        changed=changed,
        creator=tu.get("creationid"),
        extra=tuple(sorted([*rest, *carried, *variant_attrs])),
        line=tu.sourceline,
    )


def _variant(tuv: etree._Element, path: Path) -> tuple[Variant, list[tuple[str, str]]]:
    """The variant, and the tuv attributes it has no field for."""
    lang_attr = XML_LANG
    raw_lang = tuv.get(XML_LANG)
    if not raw_lang:
        lang_attr = "lang"
        raw_lang = tuv.get("lang")
    if not raw_lang:
        raise TMError(
            "<tuv> without a language",
            path=path,
            line=tuv.sourceline,
            hint='add xml:lang (TMX 1.4) or lang (TMX 1.1), e.g. xml:lang="id-ID"',
        )
    props, notes, _, segs = _contents(tuv, "seg", path)
    if not segs:
        raise TMError("<tuv> without <seg>", path=path, line=tuv.sourceline)
    text, codes = _segment(segs[0], path)
    created, changed, rest = _dates(tuv, _TUV_FIELDS[lang_attr])
    variant = Variant(
        lang=_language(raw_lang, tuv, path),
        text=text,
        codes=codes,
        props=props,
        notes=notes,
        created=created,
        changed=changed,
    )
    return variant, rest


def _language(tag: str, element: etree._Element, path: Path) -> str:
    try:
        return normalize(tag)
    except CorpusError as exc:
        raise TMError(exc.message, path=path, line=element.sourceline, hint=exc.hint) from exc


def _dates(
    element: etree._Element, fields: frozenset[str]
) -> tuple[str | None, str | None, list[tuple[str, str]]]:
    """creationdate and changedate in ISO 8601, and the attributes no field takes, verbatim.

    A date not in TMX's form stays among the verbatim attributes rather than being lost
    or failing the import.
    """
    attrs = element.attrib
    if fields.issuperset(attrs):  # the common case: nothing but the fields
        return None, None, []
    created = iso_date(attrs["creationdate"]) if "creationdate" in attrs else None
    changed = iso_date(attrs["changedate"]) if "changedate" in attrs else None
    rest = [
        (name, value)
        for name, value in attrs.items()
        if name not in fields
        and not (created and name == "creationdate")
        and not (changed and name == "changedate")
    ]
    return created, changed, rest


def _contents(
    element: etree._Element, wanted: str, path: Path
) -> tuple[Pairs, tuple[str, ...], list[tuple[str, str]], list[etree._Element]]:
    """One pass over the children: props (type, value) and notes in order, the extras
    carried as props, and the children named ``wanted`` (tuv in a tu, seg in a tuv)."""
    props: list[tuple[str, str]] = []
    notes: list[str] = []
    carried: list[tuple[str, str]] = []
    found: list[etree._Element] = []
    for child in element:
        tag = child.tag
        if tag == wanted:
            found.append(child)
        elif tag is etree.Entity:
            raise _undefined(child, path)
        elif tag == "note":
            if len(child):
                _refuse_markup(child, path)
            notes.append(child.text or "")
        elif tag == "prop":
            if len(child):
                _refuse_markup(child, path)
            kind = child.get("type", "")
            if kind.startswith(EXTRA_PROP):
                carried.append((kind[len(EXTRA_PROP) :], child.text or ""))
            else:
                props.append((kind, child.text or ""))
    return tuple(props), tuple(notes), carried, found


def _segment(seg: etree._Element, path: Path) -> tuple[str, tuple[InlineCode, ...]]:
    """The text with one placeholder per inline element, and the elements as codes."""
    parts = [plain_text(seg.text, seg, path)]
    codes: list[InlineCode] = []
    for child in seg:
        if child.tag is etree.Entity:
            raise _undefined(child, path)
        if len(child) and any(True for _ in child.iter(etree.Entity)):
            raise _undefined(next(child.iter(etree.Entity)), path)
        if child.tag not in INLINE_TAGS:
            raise TMError(
                f"<{child.tag}> is not a TMX inline element",
                path=path,
                line=child.sourceline,
                hint="a <seg> holds text and bpt, ept, ph, it, ut, hi or sub",
            )
        char = char_of(child.tag, child, path)
        if char is not None:  # a control character the writer put as an element
            parts += (char, plain_text(child.tail, child, path))
            continue
        if len(codes) == MAX_CODES:
            raise TMError(
                f"a segment with more than {MAX_CODES} inline codes",
                path=path,
                line=child.sourceline,
                hint=f"Padan keeps at most {MAX_CODES} inline elements per segment",
            )
        parts.append(placeholder(len(codes)))
        codes.append(InlineCode(child.tag, tuple(child.attrib.items()), _inner_xml(child)))
        parts.append(plain_text(child.tail, child, path))
    return "".join(parts), tuple(codes)


def _undefined(entity: etree._Entity, path: Path) -> TMError:
    """An entity reference left by the parser (no DTD is loaded, so nothing defines it)."""
    exc = undefined_entity(entity, path)
    return TMError(exc.message, path=exc.path, line=exc.line, hint=exc.hint)


def _refuse_markup(element: etree._Element, path: Path) -> None:
    """A note or prop holds text only: an entity reference in it would lose the rest."""
    for child in element:
        if child.tag is etree.Entity:
            raise _undefined(child, path)


def _inner_xml(element: etree._Element) -> str:
    """The element's content as XML, without its own tags (tails are escaped by lxml)."""
    head = _escape(element.text) if element.text else ""
    return head + "".join(etree.tostring(c, encoding="unicode", with_tail=True) for c in element)


def _escape(text: str) -> str:
    """Escape text as lxml does, including CR, which a parser would otherwise turn into LF."""
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
    )
