"""Word counts as CAT-tool analyses make them.

The convention (that of SDL Trados Studio and memoQ, and GMX-V's advice for Chinese):

- a word is a run of letters and digits of a spaced script, joined by single inner
  hyphens, apostrophes or points: "don't", "e-mail", "3.14", "GPT-4" are one word each;
  numbers count as words;
- every Han character (and kana, hangul syllable) counts as one word: Chinese has no
  spaces to count between, so "characters" is its unit, and a mixed segment adds both
  ("使用 Django 框架" is 4 + 1 = 5);
- placeables count nothing: format placeholders (%s, {0}), markup tags and inline codes
  (tm.placeables), and punctuation.
"""

from __future__ import annotations

import re

from tm.placeables import without_codes

_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\U00020000-\U0002fa1f"
_ALNUM = rf"[^\W_{_CJK}]"
_WORD = re.compile(rf"[{_CJK}]|{_ALNUM}+(?:[-'’.·]{_ALNUM}+)*")

CONVENTION = (
    "words of spaced scripts (numbers included, placeables and punctuation not); "
    "each Chinese character counts as one word"
)


def count_words(text: str) -> int:
    """How many words ``text`` has under :data:`CONVENTION`."""
    return len(_WORD.findall(without_codes(text)))
