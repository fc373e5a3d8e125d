"""TMX 1.4b and 1.1: reading and writing translation memories, streamed.

Reading uses lxml's iterparse and clears each ``tu`` once read, so memory stays flat
however big the file. Entities are never expanded and a DOCTYPE declaring any is
refused (see corpora.safexml). TMX 1.1's ``lang`` is read like 1.4's ``xml:lang``.

Inline elements (bpt, ept, ph, it, ut, hi, sub) become placeholders in the text and
:class:`InlineCode` objects holding their attributes and inner XML verbatim, so that
writing the unit back reproduces them.

Writing streams with ``etree.xmlfile`` into a temporary file renamed at the end. The
header carries every attribute TMX 1.4b requires; ``o-tmf`` names the tool's own format
("Padan"), not an encoding, and each variant's provenance is the prop ``x-origin``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from lxml import etree

from corpora.atomicfile import atomic_write
from corpora.errors import CorpusError
from corpora.langtags import normalize, to_xml_lang
from corpora.safexml import SAFE, check_prolog, existing, first_illegal
from tm.errors import TMError
from tm.model import PLACEHOLDER_BASE, PLACEHOLDER_MAX, InlineCode, Unit, Variant, is_placeholder

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
INLINE = frozenset({"bpt", "ept", "ph", "it", "ut", "hi", "sub"})
MAX_CODES = PLACEHOLDER_MAX - PLACEHOLDER_BASE + 1
_TU_ATTRS = {"tuid", "creationdate", "changedate", "creationid"}


@dataclass(frozen=True)
class TmxHeader:
    srclang: str | None  # normal form; None for "*all*"
    attrs: tuple[tuple[str, str], ...]
    props: tuple[tuple[str, str], ...] = ()
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class TmxDocument:
    path: Path
    header: TmxHeader

    def units(self) -> Iterator[Unit]:
        """The translation units, read from the file as they are asked for."""
        for _, tu in _iterparse(self.path, "tu"):
            yield _unit(tu, self.path)
            _release(tu)


def _iterparse(path: Path, tag: str) -> Iterator[tuple[str, etree._Element]]:
    try:
        with path.open("rb") as f:
            check_prolog(path, f.read(65536))
    except CorpusError as exc:
        raise TMError(exc.message, path=path, line=exc.line, hint=exc.hint) from exc
    try:
        yield from etree.iterparse(
            str(path), events=("end",), tag=tag, remove_comments=True, **SAFE
        )
    except etree.XMLSyntaxError as exc:
        line, column = exc.position if exc.position else (None, None)
        raise TMError(f"malformed XML: {exc.msg}", path=path, line=line, column=column) from exc


def _release(element: etree._Element) -> None:
    """Free a read element and the siblings before it (flat memory on big files)."""
    element.clear(keep_tail=False)
    parent = element.getparent()
    while parent is not None and element.getprevious() is not None:
        del parent[0]


def _iso(stamp: str | None) -> str | None:
    """20250101T120000Z -> 2025-01-01T12:00:00Z (TMX's basic ISO 8601 format)."""
    if not stamp:
        return None
    m = re.fullmatch(r"(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z", stamp.strip())
    return f"{m[1]}-{m[2]}-{m[3]}T{m[4]}:{m[5]}:{m[6]}Z" if m else stamp


def _tmx_date(iso: str | None) -> str | None:
    if not iso:
        return None
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})Z", iso)
    return f"{m[1]}{m[2]}{m[3]}T{m[4]}{m[5]}{m[6]}Z" if m else iso


def _lang_of(element: etree._Element, path: Path) -> str:
    tag = element.get(XML_LANG) or element.get("lang")
    if not tag:
        raise TMError("<tuv> without xml:lang", path=path, line=element.sourceline)
    try:
        return normalize(tag)
    except CorpusError as exc:
        raise TMError(exc.message, path=path, line=element.sourceline) from exc


def _props_notes(element: etree._Element) -> tuple[tuple[tuple[str, str], ...], tuple[str, ...]]:
    props = tuple((p.get("type", ""), p.text or "") for p in element if p.tag == "prop")
    notes = tuple(n.text or "" for n in element if n.tag == "note")
    return props, notes


def _inner(element: etree._Element) -> str:
    """The content of an element as XML text, without its own tags."""
    return (element.text and _escape(element.text) or "") + "".join(
        etree.tostring(c, encoding="unicode", with_tail=True) for c in element
    )


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _read_seg(seg: etree._Element, path: Path) -> tuple[str, tuple[InlineCode, ...]]:
    parts = [seg.text or ""]
    codes: list[InlineCode] = []
    for child in seg:
        if child.tag not in INLINE:
            raise TMError(
                f"<{child.tag}> is not allowed in <seg>", path=path, line=child.sourceline
            )
        if len(codes) == MAX_CODES:
            raise TMError(
                f"more than {MAX_CODES} inline codes in one segment",
                path=path,
                line=child.sourceline,
            )
        parts.append(chr(PLACEHOLDER_BASE + len(codes)))
        codes.append(InlineCode(child.tag, tuple(sorted(child.attrib.items())), _inner(child)))
        parts.append(child.tail or "")
    text = "".join(parts)
    if any(is_placeholder(ch) for ch in "".join(p for p in parts if len(p) != 1)):
        raise TMError(
            "text holds a reserved character (U+FDD0..U+FDEF)", path=path, line=seg.sourceline
        )
    return text, tuple(codes)


def _unit(tu: etree._Element, path: Path) -> Unit:
    variants = []
    for tuv in (c for c in tu if c.tag == "tuv"):
        seg = next((c for c in tuv if c.tag == "seg"), None)
        if seg is None:
            raise TMError("<tuv> without <seg>", path=path, line=tuv.sourceline)
        text, codes = _read_seg(seg, path)
        props, notes = _props_notes(tuv)
        variants.append(
            Variant(
                lang=_lang_of(tuv, path),
                text=text,
                codes=codes,
                props=props,
                notes=notes,
                created=_iso(tuv.get("creationdate")),
                changed=_iso(tuv.get("changedate")),
            )
        )
    props, notes = _props_notes(tu)
    extra = tuple(sorted((k, v) for k, v in tu.attrib.items() if k not in _TU_ATTRS))
    return Unit(
        variants=tuple(variants),
        key=tu.get("tuid"),
        props=props,
        notes=notes,
        created=_iso(tu.get("creationdate")),
        changed=_iso(tu.get("changedate")),
        creator=tu.get("creationid"),
        extra=extra,
    )


def read_tmx(path: str | Path) -> TmxDocument:
    """Open a TMX file: its header now, its units when iterated."""
    try:
        path = existing(path)
    except CorpusError as exc:
        raise TMError(exc.message, path=exc.path, line=exc.line) from exc
    for _, header in _iterparse(path, "header"):
        srclang = header.get("srclang")
        props, notes = _props_notes(header)
        src = None if not srclang or srclang.lower() == "*all*" else normalize(srclang)
        return TmxDocument(path, TmxHeader(src, tuple(header.attrib.items()), props, notes))
    raise TMError("no <header>: not a TMX file", path=path, hint="TMX files start with <tmx>")


# -- writing -------------------------------------------------------------------------------


def _checked(text: str, where: str) -> str:
    bad = first_illegal(text)
    if bad:
        raise TMError(
            f"{where} holds the character {bad}, which XML 1.0 cannot carry",
            hint="remove the control character before exporting",
        )
    return text


def _seg(parent: etree._Element, variant: Variant, where: str) -> None:
    """The seg element: text, with each placeholder replaced by its inline element."""
    seg = etree.SubElement(parent, "seg")
    text = _checked(variant.text, where)
    last: etree._Element | None = None
    start = 0
    for i, ch in enumerate(text):
        if not is_placeholder(ch):
            continue
        piece = text[start:i]
        if last is None:
            seg.text = piece
        else:
            last.tail = piece
        last = _code_element(variant.codes[ord(ch) - PLACEHOLDER_BASE])
        seg.append(last)
        start = i + 1
    if last is None:
        seg.text = text[start:]
    else:
        last.tail = text[start:]


def _code_element(code: InlineCode) -> etree._Element:
    element = etree.fromstring(f"<{code.tag}>{code.content}</{code.tag}>")
    for name, value in code.attrs:
        element.set(name, value)
    return element


def _props(
    parent: etree._Element, props: Iterable[tuple[str, str]], notes: Iterable[str], where: str
) -> None:
    for note in notes:
        etree.SubElement(parent, "note").text = _checked(note, where)
    for kind, value in props:
        etree.SubElement(parent, "prop", type=kind).text = _checked(value, where)


def _attrs(pairs: Iterable[tuple[str, str | None]]) -> dict[str, str]:
    return {k: v for k, v in pairs if v}


def _tu(unit: Unit, where: str) -> etree._Element:
    tu = etree.Element(
        "tu",
        _attrs(
            [
                ("tuid", unit.key),
                ("creationdate", _tmx_date(unit.created)),
                ("changedate", _tmx_date(unit.changed)),
                ("creationid", unit.creator),
                *unit.extra,
            ]
        ),
    )
    _props(tu, unit.props, unit.notes, where)
    for v in unit.variants:
        tuv = etree.SubElement(
            tu,
            "tuv",
            {
                XML_LANG: to_xml_lang(v.lang),
                **_attrs(
                    [
                        ("creationdate", _tmx_date(v.created)),
                        ("changedate", _tmx_date(v.changed)),
                    ]
                ),
            },
        )
        _props(tuv, v.props, v.notes, where)
        _seg(tuv, v, where)
    return tu


def write_tmx(
    units: Iterable[Unit], path: str | Path, *, source_lang: str | None, tool_version: str = "0.1.0"
) -> int:
    """Write units as TMX 1.4b, streamed and atomic; returns how many were written."""
    count = 0
    now = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    header = {
        "creationtool": "Padan",
        "creationtoolversion": tool_version,
        "segtype": "sentence",
        "o-tmf": "Padan",
        "adminlang": "en-US",
        "srclang": to_xml_lang(source_lang) if source_lang else "*all*",
        "datatype": "plaintext",
        "creationdate": now,
    }
    with atomic_write(path, encoding=None) as f, etree.xmlfile(f, encoding="UTF-8") as xf:
        xf.write_declaration()
        with xf.element("tmx", version="1.4"):
            xf.write(etree.Element("header", header))
            with xf.element("body"):
                for unit in units:  # one tu in memory at a time
                    count += 1
                    xf.write(_tu(unit, f"unit {unit.key or count}"))
    return count
