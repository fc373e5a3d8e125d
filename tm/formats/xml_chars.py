"""Control characters in a segment's text, which XML 1.0 cannot carry, as inline elements.

A PO msgid may hold any C0 control (``"\\a"``, an ANSI ``"\\033"``); XML 1.0 has no way to
write U+0001..U+001F but tab, LF and CR, not even as a character reference. The TMX and
XLIFF writers put each one as an element in its place, and their readers turn it back
into the character, so an export reads back as it was:

- TMX: ``<ph type="x-padan-char">U+0007</ph>``;
- XLIFF 1.2: ``<ph id="padan-char-1" ctype="x-padan-char">U+0007</ph>`` (1.2's ph needs
  an id: the n-th such character of the segment, so that source and target agree);
- XLIFF 2.0: ``<cp hex="0007"/>``, the element the specification has for it.

They are not inline codes: the text keeps the character itself, and checks, search and
the PO export see it as it is.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from lxml import etree

from tm.errors import TMError
from tm.formats.xliff_common import NS20

CHAR_TYPE = "x-padan-char"  # TMX ph type, XLIFF 1.2 ph ctype
_CONTROLS = re.compile("([\x01-\x08\x0b\x0c\x0e-\x1f])")
_LABEL = re.compile(r"U\+([0-9A-F]{4})")

Maker = Callable[[str], etree._Element]


def split(text: str) -> list[str]:
    """The text cut around its control characters: plain runs at even indices, one
    control character at each odd index."""
    return _CONTROLS.split(text)


def label(char: str) -> str:
    """How a control character is written inside its element: ``U+0007``."""
    return f"U+{ord(char):04X}"


def unlabel(text: str | None) -> str | None:
    """The control character a label stands for; None for any other text."""
    m = _LABEL.fullmatch(text or "")
    char = chr(int(m.group(1), 16)) if m else None
    return char if char and _CONTROLS.fullmatch(char) else None


def maker(fmt: str, ns: str = "") -> Maker:
    """A function giving the element for a control character in ``fmt`` ("tmx" or
    "xliff"; the XLIFF version from its namespace), numbering XLIFF 1.2 ids."""
    if fmt == "tmx":
        return lambda char: _element("ph", label(char), type=CHAR_TYPE)
    if ns == NS20:
        return lambda char: etree.Element(f"{{{ns}}}cp", hex=f"{ord(char):04X}")
    count = iter(range(1, 1 << 30))
    tag = f"{{{ns}}}ph" if ns else "ph"
    return lambda char: _element(tag, label(char), id=f"padan-char-{next(count)}", ctype=CHAR_TYPE)


def _element(tag: str, text: str, **attrs: str) -> etree._Element:
    element = etree.Element(tag, attrs)
    element.text = text
    return element


def put(
    container: etree._Element, last: etree._Element | None, text: str, make: Maker
) -> etree._Element | None:
    """Add text after ``last`` (a child of container; None: at the container's start),
    each control character as ``make``'s element; returns the new last child written."""
    for index, piece in enumerate(split(text)):
        if index % 2:
            element = make(piece)
            if last is None:
                container.insert(0, element)
            else:
                last.addnext(element)
            last = element
        elif piece and last is None:
            container.text = (container.text or "") + piece
        elif piece and last is not None:
            last.tail = (last.tail or "") + piece
    return last


def char_of(name: str, element: etree._Element, path: Path) -> str | None:
    """The character an element read from a segment stands for (ours, or XLIFF 2.0's
    ``cp``), else None: the element is an inline code."""
    if name == "cp":
        hex_ = element.get("hex", "")
        try:
            return chr(int(hex_, 16))
        except (ValueError, OverflowError):
            raise TMError(
                f'<cp hex="{hex_}"> names no character',
                path=path,
                line=element.sourceline,
                hint="hex is a code point in hexadecimal, e.g. 0007",
            ) from None
    if name == "ph" and CHAR_TYPE in (element.get("type"), element.get("ctype")):
        return None if len(element) else unlabel(element.text)
    return None
