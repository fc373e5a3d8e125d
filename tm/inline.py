"""Inline codes across formats: what each native element is, and its form in TMX, XLIFF
1.2 and XLIFF 2.0.

A variant keeps its codes as the file wrote them (tag, attributes, native content; see
tm.model). Elements that wrap text (XLIFF ``g``, ``pc``, ``mrk``) are two codes, the start
(``g``) and the end (``/g``), so that the text inside stays text for the checks. Every
code is one of five kinds: the start or end of a pair, a standalone code, or an isolated
start or end whose partner lies in another segment.

:func:`convert` rewrites the codes of a unit's variants for another format, one native
element per code, in the same order: a pair stays a pair (TMX ``bpt``/``ept``, XLIFF 1.2
``g`` or ``bx``/``ex``, XLIFF 2.0 ``pc`` or ``sc``/``ec``), a standalone code a
placeholder (``ph``, ``x``), and the native data (``<b>``, ``{{ name }}``) goes along.
Codes that correspond across variants (by their id) get the same id in the output, as
TMX ``x`` and XLIFF 2.0 ids require.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

from lxml import etree

from tm.model import PLACEHOLDERS, InlineCode, code_index

Kind = Literal["open", "close", "alone", "begin", "end"]
Format = Literal["tmx", "xliff12", "xliff20"]
Codes = tuple[InlineCode, ...]

WRAPPERS = frozenset({"g", "mrk", "pc"})  # XLIFF elements around text: start and /end codes
_TYPES_12 = frozenset({"bold", "italic", "underlined", "link"})  # XLIFF 1.2 ctype values
_PLACEHOLDER_TYPES_12 = frozenset({"image", "pb", "lb"})
_TYPES_20 = {"bold": "fmt", "italic": "fmt", "underlined": "fmt", "link": "link", "image": "image"}
_TMX_TAGS = frozenset({"bpt", "ept", "it", "ph", "ut", "hi", "sub"})
_XLIFF12_TAGS = frozenset({"g", "/g", "x", "bx", "ex", "ph", "bpt", "ept", "it", "mrk", "/mrk"})
_XLIFF20_TAGS = frozenset({"pc", "/pc", "ph", "sc", "ec", "mrk", "/mrk", "sm", "em", "cp"})
# Attributes each format declares for an element (others would fail its schema).
_ATTRS: dict[Format, dict[str, frozenset[str]]] = {
    "tmx": {
        "bpt": frozenset({"i", "x", "type"}),
        "ept": frozenset({"i"}),
        "it": frozenset({"pos", "x", "type"}),
        "ph": frozenset({"x", "assoc", "type"}),
    },
    "xliff12": {
        "g": frozenset({"id", "ctype", "clone", "xid", "equiv-text"}),
        "x": frozenset({"id", "ctype", "clone", "xid", "equiv-text"}),
        "bx": frozenset({"id", "rid", "ctype", "clone", "xid", "equiv-text"}),
        "ex": frozenset({"id", "rid", "xid", "equiv-text"}),
        "ph": frozenset({"id", "ctype", "crc", "assoc", "xid", "equiv-text"}),
        "bpt": frozenset({"id", "rid", "ctype", "crc", "xid", "equiv-text"}),
        "ept": frozenset({"id", "rid", "crc", "xid", "equiv-text"}),
        "it": frozenset({"id", "pos", "rid", "ctype", "crc", "xid", "equiv-text"}),
        "mrk": frozenset({"mtype", "mid", "comment"}),
    },
    "xliff20": {
        "ph": frozenset({"id", "canCopy", "canDelete", "canReorder", "copyOf", "disp"})
        | {"equiv", "dataRef", "subFlows", "subType", "type"},
        "pc": frozenset({"id", "canCopy", "canDelete", "canOverlap", "canReorder", "copyOf"})
        | {"dispStart", "dispEnd", "equivStart", "equivEnd", "dataRefStart", "dataRefEnd"}
        | {"subFlowsStart", "subFlowsEnd", "subType", "type", "dir"},
        "sc": frozenset({"id", "canCopy", "canDelete", "canOverlap", "canReorder", "copyOf"})
        | {"dataRef", "dir", "disp", "equiv", "isolated", "subFlows", "subType", "type"},
        "ec": frozenset({"id", "startRef", "canCopy", "canDelete", "canOverlap", "canReorder"})
        | {"copyOf", "dataRef", "dir", "disp", "equiv", "isolated", "subFlows", "subType", "type"},
        "mrk": frozenset({"id", "translate", "type", "ref", "value"}),
    },
}


def end_tag(tag: str) -> str:
    return "/" + tag


def kind(code: InlineCode) -> Kind:
    tag = code.tag
    if tag.startswith("/"):
        return "close"
    if tag in WRAPPERS or tag in ("bpt", "bx"):
        return "open"
    if tag in ("ept", "ex"):
        return "close"
    attrs = dict(code.attrs)
    if tag == "sc":
        return "begin" if attrs.get("isolated") == "yes" else "open"
    if tag == "ec":
        return "end" if attrs.get("isolated") == "yes" else "close"
    if tag == "it":
        return "begin" if attrs.get("pos") in ("begin", "open") else "end"
    return "alone"


def _pair_key(code: InlineCode) -> str | None:
    """What ties the two halves of a pair (bpt/ept, bx/ex, sc/ec) in one segment."""
    attrs = dict(code.attrs)
    if code.tag in ("bpt", "ept"):
        return attrs.get("i") or attrs.get("rid") or attrs.get("id")
    if code.tag in ("bx", "ex"):
        return attrs.get("rid") or attrs.get("id")
    if code.tag == "sc":
        return attrs.get("id")
    if code.tag == "ec":
        return attrs.get("startRef")
    return None


def pairs(codes: Sequence[InlineCode]) -> dict[int, int]:
    """Index of each paired start -> index of its end. A start or end without its partner
    in the segment is left out: it is isolated."""
    found: dict[int, int] = {}
    wrappers: list[int] = []
    keyed: dict[str, list[int]] = {}
    for index, code in enumerate(codes):
        k = kind(code)
        if k == "open" and code.tag in WRAPPERS:
            wrappers.append(index)
        elif k == "close" and code.tag.startswith("/"):
            if wrappers and codes[wrappers[-1]].tag == code.tag[1:]:
                found[wrappers.pop()] = index
        elif k == "open":
            keyed.setdefault(f"{_family(code)}:{_pair_key(code)}", []).append(index)
        elif k == "close":
            waiting = keyed.get(f"{_family(code)}:{_pair_key(code)}")
            if waiting:
                found[waiting.pop()] = index
    return found


def _family(code: InlineCode) -> str:
    return {"bpt": "pt", "ept": "pt", "bx": "x", "ex": "x", "sc": "c", "ec": "c"}[code.tag]


def native(code: InlineCode) -> str:
    """The code's native data as XML content (``&lt;b>``), else its equivalent text."""
    if code.content:
        return code.content
    attrs = dict(code.attrs)
    equiv = attrs.get("equiv-text") or attrs.get("equiv") or attrs.get("equivStart") or ""
    return equiv.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def code_text(code: InlineCode) -> str:
    """The code's native data as plain text (``<br/>`` for ``<ph>&lt;br/&gt;</ph>``), for
    a format without markup (PO); a code that is only a tag (``g``, ``x``) has none."""
    data = native(code)
    if "<" not in data and "&" not in data:
        return data
    try:
        return "".join(etree.fromstring(f"<c>{data}</c>").itertext())
    except etree.XMLSyntaxError:
        return data


def plain_text(text: str, codes: Sequence[InlineCode]) -> str:
    """``text`` for a format without inline codes (PO, a note): each placeholder as its
    code's :func:`code_text` (``<ph>{1}</ph>`` as ``{1}``, ``&lt;br/&gt;`` as ``<br/>``)."""
    if not PLACEHOLDERS.search(text):
        return text
    return PLACEHOLDERS.sub(lambda m: code_text(codes[code_index(m.group())]), text)


def identity(code: InlineCode) -> str | None:
    """The id that ties a code to its counterpart in the unit's other variants."""
    attrs = dict(code.attrs)
    if code.tag in ("bpt", "ept") and "i" in attrs:  # TMX: x across variants, i within one
        return attrs.get("x")
    if code.tag == "ec" and "id" not in attrs:
        return None
    return attrs.get("id") or attrs.get("x") or attrs.get("mid")


def is_native(codes: Codes, fmt: Format) -> bool:
    """The codes are all the format's own (as read from a file of that format)."""
    if fmt == "tmx":
        return all(c.tag in _TMX_TAGS and "id" not in dict(c.attrs) for c in codes)
    tags = _XLIFF12_TAGS if fmt == "xliff12" else _XLIFF20_TAGS
    if not all(c.tag in tags for c in codes):
        return False
    # XLIFF 2.0 shares ph and mrk with 1.2: their attributes tell them apart (a 2.0 one
    # must have 2.0's only; a 1.2 one, read from a tool's file, none of 2.0's own)
    if fmt == "xliff12":  # its codes have an id (TMX's bpt, ph... never have one)
        if not all("id" in dict(c.attrs) for c in codes if c.tag not in ("mrk", "/mrk", "/g")):
            return False
        return all(
            c.tag not in ("mrk", "ph") or not (_ONLY_20 & dict(c.attrs).keys()) for c in codes
        )
    return all(c.tag not in ("mrk", "ph") or _attrs_fit(c, "xliff20") for c in codes)


def _attrs_fit(code: InlineCode, fmt: Format) -> bool:
    allowed = _ATTRS[fmt].get(code.tag, frozenset())
    return all(name in allowed or name.startswith("{") for name, _ in code.attrs)


_ONLY_12 = frozenset({"mtype", "mid", "comment", "ctype", "crc", "assoc", "xid", "equiv-text"})
_ONLY_20 = frozenset({"dataRef", "equiv", "disp", "subType", "type", "translate", "value", "ref"})


def convert(variants: Sequence[Codes], fmt: Format) -> list[Codes]:
    """Each variant's codes in ``fmt``'s elements, one per code, in the same order."""
    if all(is_native(codes, fmt) and _well_nested(codes) for codes in variants):
        return list(variants)
    numbers: dict[str, int] = {}
    out = []
    for codes in variants:
        idents = _identities(codes)
        for ident in idents:
            numbers.setdefault(ident, len(numbers) + 1)
        out.append(_convert(codes, [numbers[i] for i in idents], fmt))
    return out


def _identities(codes: Codes) -> list[str]:
    """A per-unit identity for each code: its id where it has one, an end that of its
    start, else its tag and rank among the codes of that tag."""
    partner = {end: start for start, end in pairs(codes).items()}
    rank: dict[str, int] = {}
    idents: list[str] = []
    for index, code in enumerate(codes):
        if index in partner:
            idents.append(idents[partner[index]] + "/end")
            continue
        own = identity(code)
        if own is None or own in idents:
            rank[code.tag] = rank.get(code.tag, 0) + 1
            own = f"{code.tag}#{rank[code.tag]}"
        idents.append(own)
    return idents


def _well_nested(codes: Codes) -> bool:
    """Every wrapper start has its end, properly nested (XML needs it)."""
    stack: list[str] = []
    for code in codes:
        if code.tag in WRAPPERS:
            stack.append(code.tag)
        elif code.tag.startswith("/"):
            if not stack or stack.pop() != code.tag[1:]:
                return False
    return not stack


def _convert(codes: Codes, numbers: list[int], fmt: Format) -> Codes:
    partner = pairs(codes)
    ends = {end: start for start, end in partner.items()}
    nested = _nested_pairs(codes, partner)
    out: list[InlineCode] = []
    pair_no: dict[int, int] = {}
    for index, code in enumerate(codes):
        k = kind(code)
        if k == "open" and index not in partner:
            k = "begin"
        elif k == "close" and index not in ends:
            k = "end"
        first = ends.get(index, index)  # the start of this code's pair, or itself
        if k == "open":
            pair_no[index] = len(pair_no) + 1
        spec = _Spec(
            k,
            numbers[index],
            numbers[first],
            pair_no.get(first, 0),
            _type(codes[first]),
            first in nested,
            not codes[first].content and not codes[partner.get(first, first)].content,
        )
        out.append(_FORMS[fmt](code, spec))
    return tuple(out)


@dataclass(frozen=True)
class _Spec:
    """What the output element of one code is made from."""

    kind: Kind
    number: int  # the code's per-unit number (TMX x, XLIFF ids)
    start: int  # the number of its pair's start (itself if it is not an end)
    pair: int  # TMX i: the rank of its pair in the segment
    type: str | None  # TMX type, XLIFF 1.2 ctype, XLIFF 2.0 type, of the pair's start
    wrap: bool  # the pair nests properly: it can be one element around the text
    bare: bool  # neither half has native data


def _nested_pairs(codes: Codes, partner: dict[int, int]) -> set[int]:
    """Starts of wrapper-able pairs: properly nested with every other pair."""
    good = set()
    for start, end in partner.items():
        inside = set(range(start + 1, end))
        if all((s in inside) == (e in inside) for s, e in partner.items() if s != start):
            good.add(start)
    return good


def _type(code: InlineCode) -> str | None:
    attrs = dict(code.attrs)
    return attrs.get("ctype") or attrs.get("type") or attrs.get("mtype")


def _equiv(code: InlineCode) -> str | None:
    attrs = dict(code.attrs)
    return attrs.get("equiv-text") or attrs.get("equiv") or attrs.get("equivStart")


_KEEP_IN_CONTENT: dict[Format, dict[str, frozenset[str]]] = {
    "tmx": {"sub": frozenset({"datatype", "type"})},
    "xliff12": {"sub": frozenset({"datatype", "ctype", "xid"})},
    "xliff20": {"cp": frozenset({"hex"})},
}


def content_for(content: str, fmt: Format) -> str:
    """Native data as ``fmt`` may hold it: elements it has no place for inside a code
    (another format's codes nested in a ``sub``) give way to their text."""
    if "<" not in content:
        return content
    keep = _KEEP_IN_CONTENT[fmt]
    holder = etree.fromstring(f"<w>{content}</w>", etree.XMLParser(resolve_entities=False))
    for element in list(holder.iter()):
        if element is holder or not isinstance(element.tag, str):
            continue
        name = element.tag.rsplit("}", 1)[-1]
        if name in keep and element.getparent() is holder:
            element.tag = name
            for attr in [a for a in element.attrib if a not in keep[name]]:
                del element.attrib[attr]
        else:
            element.tag = "strip"
    etree.strip_tags(holder, "strip")
    etree.cleanup_namespaces(holder)
    head = (holder.text or "").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return head + "".join(etree.tostring(c, encoding="unicode") for c in holder)


def _tmx(code: InlineCode, s: _Spec) -> InlineCode:
    typed = (("type", s.type),) if s.type else ()
    data = content_for(native(code), "tmx")
    if s.kind == "open":
        return InlineCode("bpt", (("i", str(s.pair)), ("x", str(s.number)), *typed), data)
    if s.kind == "close":
        return InlineCode("ept", (("i", str(s.pair)),), data)
    if s.kind in ("begin", "end"):
        return InlineCode("it", (("pos", s.kind), ("x", str(s.number)), *typed), data)
    return InlineCode("ph", (("x", str(s.number)), *typed), data)


def _ctype(kind_type: str | None, allowed: frozenset[str]) -> tuple[tuple[str, str], ...]:
    if not kind_type:
        return ()
    if kind_type in allowed or kind_type.startswith("x-"):
        return (("ctype", kind_type),)
    return (("ctype", "x-" + "".join(c if c.isalnum() else "-" for c in kind_type)),)


def _xliff12(code: InlineCode, s: _Spec) -> InlineCode:
    code = InlineCode(code.tag, code.attrs, content_for(code.content, "xliff12"))
    ident, equiv = str(s.number), _equiv(code)
    said = (("equiv-text", equiv),) if equiv else ()
    if s.kind == "open":
        if s.wrap and s.bare:
            return InlineCode("g", (("id", ident), *_ctype(s.type, _TYPES_12), *said))
        tag = "bpt" if code.content else "bx"
        return InlineCode(tag, (("id", ident), *_ctype(s.type, _TYPES_12), *said), code.content)
    if s.kind == "close":
        if s.wrap and s.bare:
            return InlineCode("/g")
        if code.content:
            return InlineCode("ept", (("id", str(s.start)),), code.content)
        return InlineCode("ex", (("id", ident), ("rid", str(s.start))))
    if s.kind in ("begin", "end"):
        pos = "open" if s.kind == "begin" else "close"
        typed = _ctype(s.type, _TYPES_12)
        return InlineCode("it", (("id", ident), ("pos", pos), *typed), code.content)
    typed = _ctype(s.type, _PLACEHOLDER_TYPES_12)
    if code.content:
        return InlineCode("ph", (("id", ident), *typed, *said), code.content)
    return InlineCode("x", (("id", ident), *typed, *said))


def _type20(kind_type: str | None) -> tuple[tuple[str, str], ...]:
    mapped = _TYPES_20.get(kind_type or "")
    return (("type", mapped),) if mapped else ()


def _xliff20(code: InlineCode, s: _Spec) -> InlineCode:
    code = InlineCode(code.tag, code.attrs, content_for(code.content, "xliff20"))
    ident, equiv = f"c{s.number}", _equiv(code)
    if s.kind == "open":
        if s.wrap:
            said = (("equivStart", equiv),) if equiv else ()
            return InlineCode("pc", (("id", ident), *_type20(s.type), *said), code.content)
        said = (("equiv", equiv),) if equiv else ()
        return InlineCode("sc", (("id", ident), *_type20(s.type), *said), code.content)
    if s.kind == "close":
        if s.wrap:
            return InlineCode("/pc", (), code.content)
        return InlineCode("ec", (("startRef", f"c{s.start}"),), code.content)
    said = (("equiv", equiv),) if equiv else ()
    if s.kind in ("begin", "end"):
        tag = "sc" if s.kind == "begin" else "ec"
        attrs = (("id", ident), ("isolated", "yes"), *_type20(s.type), *said)
        return InlineCode(tag, attrs, code.content)
    return InlineCode("ph", (("id", ident), *_type20(s.type), *said), code.content)


_FORMS: dict[Format, Callable[[InlineCode, _Spec], InlineCode]] = {
    "tmx": _tmx,
    "xliff12": _xliff12,
    "xliff20": _xliff20,
}


def allowed_attrs(fmt: Format, tag: str) -> frozenset[str] | None:
    """The attributes ``fmt`` declares for ``tag`` (None: any, or not checked here)."""
    return _ATTRS[fmt].get(tag)
