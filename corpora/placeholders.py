"""Placeholders for inline codes: one reserved character stands in a segment's text for
each inline code (TMX ``bpt``/``ph``..., XLIFF ``g``/``x``...), in order.

The first 32 codes of a segment are the Unicode noncharacters U+FDD0..U+FDEF, which are
reserved for a program's internal use and never occur in real text. Segments of
formatted documents (an SDLXLIFF of a web page) hold more: code 32 onwards is taken from
the Supplementary Private Use Area-B (U+100000..U+10FFFD), which no script or font
convention uses. The translation memory (which puts them in) and the checks (which look
past them) agree on them here, below both.
"""

from __future__ import annotations

import re

PLACEHOLDER_BASE = 0xFDD0  # the n-th inline code of a variant (n < 32) is chr(PLACEHOLDER_BASE + n)
PLACEHOLDER_MAX = 0xFDEF
_FIRST = PLACEHOLDER_MAX - PLACEHOLDER_BASE + 1
_MORE_BASE = 0x100000
_MORE_MAX = 0x10FFFD
MAX_CODES = _FIRST + _MORE_MAX - _MORE_BASE + 1
PLACEHOLDERS = re.compile(
    f"[{chr(PLACEHOLDER_BASE)}-{chr(PLACEHOLDER_MAX)}{chr(_MORE_BASE)}-{chr(_MORE_MAX)}]"
)
RESERVED_RANGES = "U+FDD0..U+FDEF, U+100000..U+10FFFD"


def placeholder(index: int) -> str:
    """The character standing for a segment's ``index``-th inline code (from 0)."""
    if index < _FIRST:
        return chr(PLACEHOLDER_BASE + index)
    return chr(_MORE_BASE + index - _FIRST)


def code_index(char: str) -> int:
    """The index of the inline code a placeholder character stands for."""
    point = ord(char)
    return point - PLACEHOLDER_BASE if point <= PLACEHOLDER_MAX else point - _MORE_BASE + _FIRST


_SHOWN_FIRST = 0x2460  # ① .. ⑳: a code as a CAT tool shows it, numbered, one character wide
_SHOWN_COUNT = 20


def shown(text: str) -> str:
    """``text`` for a person to read: each placeholder as its code's number in a circle
    (①, ②...; ◆ past the 20th), one character for one, so that offsets into the text
    (the differences a search marks) stay right."""
    if not PLACEHOLDERS.search(text):
        return text

    def mark(m: re.Match[str]) -> str:
        index = code_index(m.group())
        return chr(_SHOWN_FIRST + index) if index < _SHOWN_COUNT else "◆"

    return PLACEHOLDERS.sub(mark, text)
