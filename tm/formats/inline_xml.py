"""A segment's XML content as text with placeholders and inline codes, and back: shared
by the XLIFF 1.2 and 2.0 readers and writers (tm.inline says what each code is).

Reading keeps the text exactly, whitespace included. A wrapping element (``g``, ``pc``,
``mrk``) becomes two codes around its text; any other element one code whose content
is its inner XML, verbatim (namespace declarations of the format itself left out, so
that the content reads the same in another format's file).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from lxml import etree

from corpora.placeholders import MAX_CODES, PLACEHOLDERS, RESERVED_RANGES, placeholder
from tm.errors import TMError
from tm.formats.xml_chars import char_of, maker, put
from tm.inline import WRAPPERS, end_tag
from tm.model import InlineCode

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# What a segment's text cannot hold even as an element (tm.formats.xml_chars writes the rest)
_NOT_IN_SEGMENT = re.compile("[\x00\ud800-\udfff\ufffe\uffff]")


class Unwritable(Exception):
    """Something the format cannot hold; the writer names the unit."""


def qname(ns: str, tag: str) -> str:
    return f"{{{ns}}}{tag}" if ns and not tag.startswith("{") else tag


def local(tag: object, ns: str) -> str | None:
    """The element's name in the format's namespace; its Clark name if foreign; None for
    comments and processing instructions."""
    if not isinstance(tag, str):
        return None
    prefix = f"{{{ns}}}"
    return tag[len(prefix) :] if ns and tag.startswith(prefix) else tag


def read_inline(
    element: etree._Element, ns: str, path: Path, wrappers: frozenset[str] = WRAPPERS
) -> tuple[str, tuple[InlineCode, ...]]:
    """The element's text with a placeholder per inline code, and the codes."""
    parts: list[str] = []
    codes: list[InlineCode] = []
    _walk(element, ns, path, wrappers, parts, codes)
    return "".join(parts), tuple(codes)


def _walk(
    element: etree._Element,
    ns: str,
    path: Path,
    wrappers: frozenset[str],
    parts: list[str],
    codes: list[InlineCode],
) -> None:
    parts.append(plain_text(element.text, element, path))
    for child in element:
        if child.tag is etree.Entity:
            raise _undefined(child, path)
        name = local(child.tag, ns)
        if name is not None:
            if name in wrappers:
                _code(InlineCode(name, _attrs(child)), codes, parts, child, path)
                _walk(child, ns, path, wrappers, parts, codes)
                _code(InlineCode(end_tag(name)), codes, parts, child, path)
            elif (char := char_of(name, child, path)) is not None:
                parts.append(plain_text(char, child, path))
            else:
                code = InlineCode(name, _attrs(child), inner_xml(child, ns))
                _code(code, codes, parts, child, path)
        parts.append(plain_text(child.tail, child, path))


def _code(
    code: InlineCode, codes: list[InlineCode], parts: list[str], at: etree._Element, path: Path
) -> None:
    if len(codes) == MAX_CODES:
        raise TMError(
            f"a segment with more than {MAX_CODES} inline codes", path=path, line=at.sourceline
        )
    parts.append(placeholder(len(codes)))
    codes.append(code)


def _attrs(element: etree._Element) -> tuple[tuple[str, str], ...]:
    return tuple((str(k), str(v)) for k, v in element.attrib.items())


def plain_text(text: str | None, element: etree._Element, path: Path) -> str:
    """An element's text, refused when it holds a character reserved for inline codes."""
    if not text:
        return ""
    m = PLACEHOLDERS.search(text)
    if m:
        raise TMError(
            f"the text holds U+{ord(m.group()):04X}, a character Padan reserves for inline codes",
            path=path,
            line=element.sourceline,
            hint=f"{RESERVED_RANGES} are reserved; remove them from the file",
        )
    return text


def _undefined(entity: etree._Element, path: Path) -> TMError:
    return TMError(
        f"undefined entity {entity.text or ''}",
        path=path,
        line=entity.sourceline,
        hint="Padan loads no DTD: write the character itself or a character reference",
    )


def inner_xml(element: etree._Element, ns: str = "") -> str:
    """The element's content as XML, without its own tags, in no namespace of the format."""
    head = escape(element.text) if element.text else ""
    if not len(element):
        return head
    copy = etree.fromstring(etree.tostring(element, with_tail=False))
    if ns:
        for sub in copy.iter():
            if isinstance(sub.tag, str) and sub.tag.startswith(f"{{{ns}}}"):
                sub.tag = sub.tag[len(ns) + 2 :]
        etree.cleanup_namespaces(copy)
    return head + "".join(etree.tostring(c, encoding="unicode", with_tail=True) for c in copy)


def escape(text: str) -> str:
    """Text as XML content, CR kept (a parser would turn a raw CR into LF)."""
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
    )


def checked(text: str, what: str, *, segment: bool = False) -> str:
    """The text, if XML 1.0 can carry it (a segment's: with its control characters as
    elements), else Unwritable."""
    m = (_NOT_IN_SEGMENT if segment else _NOT_XML).search(text)
    if m:
        raise Unwritable(
            f"{what} holds U+{ord(m.group()):04X} at offset {m.start()}, "
            "a character XML 1.0 cannot carry (remove it before exporting)"
        )
    return text


def pieces(text: str, codes: Sequence[InlineCode], what: str) -> list[str]:
    """The text between placeholders: one piece more than codes. The placeholders must be
    the codes' own, in order."""
    split = PLACEHOLDERS.split(checked(text, what, segment=True))
    found = PLACEHOLDERS.findall(text)
    expected = [placeholder(i) for i in range(len(codes))]
    if found != expected:
        raise Unwritable(
            f"{what} has {len(found)} placeholders for {len(codes)} inline codes, "
            "or not in their order"
        )
    return split


def write_inline(
    parent: etree._Element, text: str, codes: Sequence[InlineCode], ns: str, what: str
) -> None:
    """Fill ``parent`` with the text and each code's element (codes already in the
    format's form, wrappers properly nested: tm.inline.convert sees to it)."""
    split = pieces(text, codes, what)
    stack = [parent]
    make = maker("xliff", ns)
    last: etree._Element | None = None  # the element whose tail the next text goes to
    last = put(stack[-1], last, split[0], make)
    for code, after in zip(codes, split[1:], strict=True):
        if code.tag in WRAPPERS:
            element = etree.SubElement(stack[-1], qname(ns, code.tag), _clean(code.attrs, what))
            stack.append(element)
            last = None
        elif code.tag.startswith("/"):
            if len(stack) == 1 or local(stack[-1].tag, ns) != code.tag[1:]:
                raise Unwritable(f"{what}: <{code.tag}> closes no open <{code.tag[1:]}>")
            last = stack.pop()
        else:
            last = _element(code, ns, what)
            stack[-1].append(last)
        last = put(stack[-1], last, after, make)
    if len(stack) > 1:
        raise Unwritable(f"{what}: <{local(stack[-1].tag, ns)}> is never closed")


def _clean(attrs: Sequence[tuple[str, str]], what: str) -> dict[str, str]:
    return {k: checked(v, f"{what}, attribute {k}") for k, v in attrs}


def _element(code: InlineCode, ns: str, what: str) -> etree._Element:
    tag = qname(ns, code.tag)
    content = checked(code.content, f"{what}, content of <{code.tag}>")
    try:
        if content:
            default = f' xmlns="{ns}"' if ns else ""
            wrapper = etree.fromstring(f"<w{default}>{content}</w>", _parser())
            element = etree.Element(tag)
            element.text = wrapper.text
            element.extend(list(wrapper))
        else:
            element = etree.Element(tag)
        for name, value in code.attrs:
            element.set(name, checked(value, f"{what}, attribute {name}"))
    except etree.XMLSyntaxError as exc:
        raise Unwritable(f"{what}: the content of <{code.tag}> is not XML: {exc.msg}") from exc
    except ValueError as exc:  # a name lxml refuses
        raise Unwritable(f"{what}: <{code.tag}>: {exc}") from exc
    return element


def _parser() -> etree.XMLParser:
    """A new parser each time: an lxml parser must not be shared between threads."""
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


def parse_xml(text: str) -> etree._Element:
    """An element Padan stored (a skeleton, a header), parsed safely."""
    return etree.fromstring(text, _parser())
