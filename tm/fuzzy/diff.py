"""What differs between a query and a match, and whether the difference changes the meaning.

The edit script is computed on characters and widened to whole tokens (jieba words for
Han text); a difference that touches a negation, one side of a contrast pair or a
protected term is what the index penalises (see :data:`tm.fuzzy.index.PENALTY`).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Literal

from rapidfuzz.distance import Levenshtein

from corpora.tokenize import has_han, tokenize
from tm.fuzzy.grams import fold

SpanKind = Literal["replace", "insert", "delete"]
Span = tuple[int, int, SpanKind]
"""(start, end, kind) in characters; see :class:`Match` for the kinds."""

NEGATIONS: frozenset[str] = frozenset(
    {
        # Chinese: single-character markers and the common words built on them. Words
        # that merely contain the character (未来 "future", 非常 "very", 别人 "others")
        # are not negations, so Han tokens are looked up whole, never by character.
        *("不", "没", "未", "非", "别", "无"),
        *("没有", "不是", "不能", "不会", "不要", "不用", "不必", "不可", "不得", "不再"),
        *("未能", "未曾", "并非", "并不", "从不", "从未", "绝不", "决不", "毫不", "无法"),
        # Indonesian (clitics -nya/-lah/-kah are stripped before the look-up).
        *("tidak", "tak", "bukan", "belum", "jangan", "tiada"),
        # English (n't is handled as a suffix).
        *("not", "no", "never", "cannot", "none", "nothing", "neither", "nor"),
    }
)
_ID_CLITICS = ("nya", "lah", "kah")


@dataclass(frozen=True)
class Group:
    """One difference: query[q[0]:q[1]] became match[m[0]:m[1]] (either may be empty)."""

    q: tuple[int, int]
    m: tuple[int, int]


class Tokens:
    """Token boundaries of a text (words, jieba words in Han text, numbers, punctuation).

    Tokens are sorted and disjoint, so their starts and their ends are both increasing:
    the tokens a region touches are found by bisection, which keeps the diff of a long
    help text (thousands of tokens, hundreds of differences) in milliseconds.
    """

    def __init__(self, text: str, lang: str) -> None:
        tokens = tokenize(text, lang)
        self.starts = [t.start for t in tokens]
        self.ends = [t.end for t in tokens]

    def cover(self, start: int, end: int) -> tuple[int, int]:
        """``start:end`` grown to the tokens it overlaps (strictly contains, if empty)."""
        first = bisect_right(self.ends, start)  # the first token ending after ``start``
        if start == end:
            inside = first < len(self.starts) and self.starts[first] < start
            return (self.starts[first], self.ends[first]) if inside else (start, end)
        last = bisect_left(self.starts, end) - 1  # the last token starting before ``end``
        if first > last:
            return start, end
        return min(start, self.starts[first]), max(end, self.ends[last])


def diff(query: str, text: str, q_tokens: Tokens, m_tokens: Tokens) -> list[Group]:
    """Character-level differences widened to whole tokens on both sides.

    The edit script is computed on characters (exact, whatever the segmentation); then
    each difference grows to the tokens it touches, so that 模型 → 模子 marks the word
    模子 and "color" → "colour" the word "colour". Growth is mirrored: the text between
    two differences is the same on both sides, so growing one side by k characters into
    it grows the other by the same k, and a difference that grows across that text merges
    with its neighbour ("the fil" → "file" is one replacement, not a deletion and an
    insertion).
    """
    todo = _regions(fold(query), fold(text))
    todo.reverse()  # a stack: the next region is todo[-1]
    done: list[tuple[int, int, int, int]] = []
    while todo:
        qs, qe, ms, me = todo.pop()
        while True:
            (q_start, q_end), (m_start, m_end) = q_tokens.cover(qs, qe), m_tokens.cover(ms, me)
            left, right = max(qs - q_start, ms - m_start), max(q_end - qe, m_end - me)
            before = qs - done[-1][1] if done else qs  # the same text on both sides
            after = todo[-1][0] - qe if todo else len(query) - qe
            if done and left and left >= before:
                qs, _, ms, _ = done.pop()
            elif todo and right and right >= after:
                _, qe, _, me = todo.pop()
            elif left or right:
                qs, qe, ms, me = qs - left, qe + right, ms - left, me + right
            else:
                break
        done.append((qs, qe, ms, me))
    return [Group(_trim(query, qs, qe), _trim(text, ms, me)) for qs, qe, ms, me in done]


def _regions(query: str, text: str) -> list[tuple[int, int, int, int]]:
    """(query start, end, match start, end) of each run of non-equal edit operations."""
    regions: list[tuple[int, int, int, int]] = []
    for op in Levenshtein.opcodes(query, text):
        if op.tag == "equal":
            continue
        if regions and regions[-1][1] == op.src_start and regions[-1][3] == op.dest_start:
            qs, _, ms, _ = regions.pop()
            regions.append((qs, op.src_end, ms, op.dest_end))
        else:
            regions.append((op.src_start, op.src_end, op.dest_start, op.dest_end))
    return regions


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """``start:end`` without surrounding spaces, unless it is nothing but spaces."""
    stripped_start, stripped_end = start, end
    while stripped_start < stripped_end and text[stripped_start].isspace():
        stripped_start += 1
    while stripped_end > stripped_start and text[stripped_end - 1].isspace():
        stripped_end -= 1
    return (stripped_start, stripped_end) if stripped_start < stripped_end else (start, end)


def side_spans(groups: list[Group], *, match_side: bool) -> Iterator[Span]:
    for g in groups:
        here, there = (g.m, g.q) if match_side else (g.q, g.m)
        kind: SpanKind
        if here[0] == here[1]:
            kind = "delete"
        elif there[0] == there[1]:
            kind = "insert"
        else:
            kind = "replace"
        yield (here[0], here[1], kind)


def negations(text: str, region: tuple[int, int]) -> int:
    """How many tokens of ``text[region]`` are negation words."""
    count = 0
    for token in tokenize(text[region[0] : region[1]], "und"):
        word = token.text.lower()
        if word.endswith(_ID_CLITICS):  # tidaklah, bukannya
            word = word[:-3]
        count += word.endswith(("n't", "n’t")) or word in NEGATIONS
    return count


class TermFinder:
    """Finds, fast, which of many terms occur across a region of a folded text.

    Terms are grouped by first character, so a look-up costs a few ``startswith`` per
    position of the region rather than a pass of every term over the text. Latin-script
    edges need a word boundary ("AI" is not in "AIR"); Han edges do not (开源 is in 开源代码).
    """

    def __init__(self, terms: Iterable[str]) -> None:
        self._by_first: dict[str, list[str]] = {}
        for term in {fold(t).strip() for t in terms} - {""}:
            self._by_first.setdefault(term[0], []).append(term)
        self._longest = max((len(t) for ts in self._by_first.values() for t in ts), default=0)

    def touching(self, text: str, region: tuple[int, int]) -> set[str]:
        """Terms occurring in ``text`` across ``region`` (strictly around it if empty)."""
        start, end = region
        found: set[str] = set()
        if not self._by_first:
            return found
        for pos in range(max(0, start - self._longest + 1), min(len(text), max(end, start + 1))):
            for term in self._by_first.get(text[pos], ()):
                stop = pos + len(term)
                touches = pos < end and stop > start if start < end else pos < start < stop
                if touches and text.startswith(term, pos) and _bounded(text, term, pos, stop):
                    found.add(term)
        return found


def _bounded(text: str, term: str, start: int, end: int) -> bool:
    """Word boundaries at the Latin-script edges of an occurrence of ``term``."""
    if _is_word_char(term[0]) and start > 0 and _is_word_char(text[start - 1]):
        return False
    return not (_is_word_char(term[-1]) and end < len(text) and _is_word_char(text[end]))


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() and not has_han(ch)
