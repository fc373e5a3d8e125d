"""Paragraph and sentence segmentation for Chinese, Indonesian and English.

Rule-based on purpose: no maintained segmenter covers Indonesian abbreviations, and the
rules that matter here are few. Chinese sentences end at 。！？ (and ！？ in ASCII), with
closing quotes and brackets kept on the sentence they close. Indonesian and English
sentences end at . ! ? followed by a space and a capital, a digit or an opening quote,
except after an abbreviation (dll., Dr., U.S.), inside numbers (3.5, 1.000.000) and in
names such as GPT-4 or v1.5, which never match because no space follows their dot.
"""

from __future__ import annotations

import re

from corpora.boilerplate import boilerplate_flags, is_ad_sentence
from corpora.model import Document, Segment

_CLOSERS = "”’\"'」』）)】》"
_ZH_END = re.compile(rf"[。！？!?…]+[{_CLOSERS}]*")
_LATIN_END = re.compile(rf"[.!?…]+[{_CLOSERS}]*(?=\s+[“\"'‘(\[A-Z0-9À-ÖØ-Þ])")
_ABBREVIATIONS = frozenset(
    """dll dsb dkk dr drs prof no hlm yth jl tsb an kom sdr bpk ibu st mr mrs ms vs etc
    inc ltd co corp jr sr e.g i.e u.s u.k a.s p.t pt tbk fig approx""".split()
)
_INITIAL = re.compile(r"(?:^|\s)(?:[A-Z]\.)+$")  # J. or U.S. just before the full stop


def paragraphs(text: str) -> list[str]:
    """Non-empty lines, stripped: each line of a plain-text article is a paragraph."""
    return [line.strip() for line in text.split("\n") if line.strip()]


def sentences(paragraph: str, lang: str) -> list[str]:
    """Split one paragraph into sentences."""
    pattern = _ZH_END if lang.split("-", 1)[0] == "zh" else _LATIN_END
    out: list[str] = []
    start = 0
    for m in pattern.finditer(paragraph):
        if pattern is _LATIN_END and _abbreviation_before(paragraph, m.start(), m.group()):
            continue
        piece = paragraph[start : m.end()].strip()
        if piece:
            out.append(piece)
        start = m.end()
    rest = paragraph[start:].strip()
    if rest:
        out.append(rest)
    return out


def _abbreviation_before(text: str, end: int, mark: str) -> bool:
    if not mark.startswith("."):
        return False
    word = text[:end].rsplit(None, 1)[-1] if text[:end].strip() else ""
    bare = word.strip("“\"'‘(").lower()
    return bare in _ABBREVIATIONS or bool(_INITIAL.search(text[: end + 1]))


def segment_text(text: str, lang: str) -> list[Segment]:
    """Paragraphs, then sentences, numbered in order, with boilerplate flagged."""
    paras = paragraphs(text)
    flags = boilerplate_flags(paras, lang)
    out: list[Segment] = []
    for p_index, (para, flagged) in enumerate(zip(paras, flags, strict=True)):
        for sentence in sentences(para, lang):
            ad = is_ad_sentence(sentence, lang)
            out.append(Segment(sentence, len(out), p_index, flagged or ad))
    return out


def document_text(doc: Document) -> str:
    """The text of a document: a line per paragraph, its sentences joined as written."""
    joiner = "" if doc.lang.split("-", 1)[0] == "zh" else " "
    lines: list[str] = []
    paragraph = None
    for seg in doc.segments:
        if seg.paragraph != paragraph:
            lines.append(seg.text)
            paragraph = seg.paragraph
        else:
            lines[-1] += joiner + seg.text
    return "\n".join(lines) + "\n"
