"""Placeables: the parts of a segment a translator copies rather than translates.

Format placeholders (printf ``%s``/``%(name)s``/``%1$d``, braces ``{0}``/``{name}``),
markup tags (``<a href="...">``, ``</b>``), Padan's inline-code placeholders (one reserved
character per TMX/XLIFF code, tm.model) and numbers. CAT tools call them placeables: they
do not count as words in an analysis, and a memory match that differs from the new source
only by placeables can be patched (tm.repair) rather than retranslated.
"""

from __future__ import annotations

import re
from typing import Literal, NamedTuple

from corpora.placeholders import PLACEHOLDER_BASE, PLACEHOLDER_MAX

Kind = Literal["code", "number"]

# printf with Python's mapping key and POSIX positions; "%%" is a literal percent sign.
_PRINTF = (
    r"%(?:\([^()\s]{1,64}\)|\d+\$)?[-#0+]*(?:\d+|\*)?(?:\.(?:\d+|\*))?"
    r"[hlLqjzt]{0,2}[diouxXeEfFgGaAcrsb]"
)
# Python str.format / ICU-style simple argument: {0}, {name}, {name!r}, {0:>8}
_BRACE = r"\{[A-Za-z_0-9][\w.\[\]]*(?:![rsa])?(?::[^{}\s]{0,20})?\}"
_TAG = r"</?[A-Za-z][\w:.-]*(?:\s+[^<>]*?)?/?>"
_INLINE = f"[{chr(PLACEHOLDER_BASE)}-{chr(PLACEHOLDER_MAX)}]"
_CODE = re.compile(f"%%|{_PRINTF}|{_BRACE}|{_TAG}|{_INLINE}")
# A number: digits with thousands or decimal separators, not glued to letters (v1, A4,
# 2FA are names, not quantities).
_NUMBER = re.compile(r"(?<![\w.,])\d+(?:[.,]\d+)*(?![\w]|[.,]\d)")


class Placeable(NamedTuple):
    start: int
    end: int
    kind: Kind
    text: str


def placeables(text: str) -> list[Placeable]:
    """The placeables of ``text`` in order: codes first, then numbers outside them."""
    found: list[Placeable] = []
    last = 0
    for m in _CODE.finditer(text):
        found += _numbers(text, last, m.start())
        if m.group() != "%%":
            found.append(Placeable(m.start(), m.end(), "code", m.group()))
        last = m.end()
    found += _numbers(text, last, len(text))
    return found


def _numbers(text: str, start: int, end: int) -> list[Placeable]:
    return [
        Placeable(m.start(), m.end(), "number", m.group())
        for m in _NUMBER.finditer(text, start, end)
    ]


def codes(text: str) -> list[str]:
    """The code placeables of ``text`` (no numbers), in order."""
    return [p.text for p in placeables(text) if p.kind == "code"]


def without_codes(text: str) -> str:
    """``text`` with its code placeables removed (numbers kept: they are words)."""
    return _CODE.sub(lambda m: "%" if m.group() == "%%" else " ", text)
