"""Placeholders for inline codes: one Unicode noncharacter (U+FDD0..U+FDEF) stands in a
segment's text for each inline code (TMX ``bpt``/``ph``..., XLIFF ``g``/``x``...), in order.

Noncharacters are reserved for a program's internal use and never occur in real text, so
the translation memory (which puts them in) and the checks (which look past them) agree on
them here, below both.
"""

from __future__ import annotations

import re

PLACEHOLDER_BASE = 0xFDD0  # the n-th inline code of a variant is chr(PLACEHOLDER_BASE + n)
PLACEHOLDER_MAX = 0xFDEF
PLACEHOLDERS = re.compile(f"[{chr(PLACEHOLDER_BASE)}-{chr(PLACEHOLDER_MAX)}]")
