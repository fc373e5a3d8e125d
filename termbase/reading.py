"""The repaired reading of running text: what it says once the checks' sure repairs are made.

Term extraction and comparable alignment read a spun 模子 as 模型 and ``sia -sia`` as
``sia-sia``: otherwise the garble itself comes out as a term (模子 ↔ model). The repairs
are those ``padan fix --auto`` would make (the checks' *sure* suggestions), made in memory;
the stored text is never changed. A reading keeps its repairs, so that a span of the
reading maps back to the current text (evidence shows what the text says) and a repaired
form becomes a deprecated variant of the term it stands for.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple, Protocol

from termbase.checks.finding import Finding

# rules whose unsure suggestions put a word itself in doubt (not its spacing or casing)
WORD_RULES = frozenset({"zh-spin"})


class Repair(NamedTuple):
    start: int  # span in the current text
    end: int
    reading: str  # what the reading has instead
    rule: str


@dataclass(frozen=True)
class Reading:
    current: str  # the text as stored
    text: str  # the repaired reading
    repairs: tuple[Repair, ...] = ()  # in text order, not overlapping
    # repairs a check offers without being sure (加快 for 加速): spans of the current text
    doubts: tuple[Repair, ...] = ()

    def doubtful(self, start: int, end: int) -> bool:
        """Whether a span of the reading overlaps a doubtful stretch of the current text."""
        a, b = self.to_current(start, end)
        return any(d.start < b and a < d.end for d in self.doubts)

    def to_current(self, start: int, end: int) -> tuple[int, int]:
        """The span of the current text that a span of the reading stands for.

        A span cutting into a repaired stretch takes the whole of its current form.
        """
        return self._back(start, False), self._back(end, True)

    def current_form(self, start: int, end: int) -> str | None:
        """What the current text shows for a span of the reading, or None when a repair
        straddles the span's edge (项目标 repaired to 项目的 is no variant of 项目)."""
        for _, r_start, r_end in self._placed():
            if r_start < end and start < r_end and not (start <= r_start and r_end <= end):
                return None
            if r_start == r_end and start < r_start < end:  # a deletion inside is fine
                continue
        a, b = self.to_current(start, end)
        return self.current[a:b]

    def rule_at(self, start: int, end: int) -> str:
        """The rules of the repairs inside a span of the reading."""
        rules = {r.rule for r, r_start, r_end in self._placed() if start <= r_start < end}
        return ", ".join(sorted(rules))

    def _placed(self) -> list[tuple[Repair, int, int]]:
        """Each repair with its span in the reading."""
        out, shift = [], 0
        for r in self.repairs:
            out.append((r, r.start + shift, r.start + shift + len(r.reading)))
            shift += len(r.reading) - (r.end - r.start)
        return out

    def _back(self, pos: int, is_end: bool) -> int:
        shift = 0  # reading offset minus current offset, before the repair under way
        for r in self.repairs:
            r_start = r.start + shift
            r_end = r_start + len(r.reading)
            if pos < r_start or (is_end and pos == r_start):
                break
            if pos < r_end or (not is_end and pos == r_end and r_end == r_start):
                return r.end if is_end else r.start
            shift += len(r.reading) - (r.end - r.start)
        return pos - shift


class Located(Protocol):
    """A text and the document it belongs to (an extraction Sentence, say)."""

    @property
    def source(self) -> str: ...
    @property
    def text(self) -> str: ...


def _repairs(text: str, found: Sequence[Finding]) -> tuple[Repair, ...]:
    """The sure, non-overlapping repairs among ``found``, first come first kept."""
    kept: list[Repair] = []
    sure = sorted((f for f in found if f.sure and f.suggestions), key=lambda f: (f.start, -f.end))
    for f in sure:
        if kept and f.start < kept[-1].end:
            continue
        if text[f.start : f.end] != f.suggestions[0]:
            kept.append(Repair(f.start, f.end, f.suggestions[0], f.rule))
    return tuple(kept)


def _apply(text: str, repairs: Sequence[Repair]) -> str:
    out: list[str] = []
    pos = 0
    for r in repairs:
        out += (text[pos : r.start], r.reading)
        pos = r.end
    out.append(text[pos:])
    return "".join(out)


_CACHED = 4  # results kept: a language or two, extracted then aligned
_CACHE: dict[tuple[str, tuple[tuple[str, str], ...]], list[Reading]] = {}


def readings(sentences: Sequence[Located], lang: str) -> list[Reading]:
    """The reading of each sentence (anything with ``source`` and ``text``), in order.

    The checks judge each source document whole (a spin score is a document's), as
    ``padan check`` does. The last few results are kept: extraction and alignment of
    the same texts ask for them in turn.
    """
    key = (lang, tuple((s.source, s.text) for s in sentences))
    if key in _CACHE:
        return _CACHE[key]
    from termbase.checks.runner import Checker

    by_doc: dict[str, list[int]] = defaultdict(list)
    for i, s in enumerate(sentences):
        by_doc[s.source].append(i)
    docs = [[(str(i), sentences[i].text) for i in idx] for idx in by_doc.values()]
    found: dict[int, list[Finding]] = defaultdict(list)
    for f in Checker().documents(docs, lang, compare_names=False, term_checks=False):
        if f.unit is not None and f.suggestions:
            found[int(f.unit)].append(f)
    out = []
    for i, s in enumerate(sentences):
        repairs = _repairs(s.text, found.get(i, ()))
        doubts = tuple(
            Repair(f.start, f.end, f.suggestions[0], f.rule)
            for f in found.get(i, ())
            if not f.sure and f.rule in WORD_RULES
        )
        out.append(Reading(s.text, _apply(s.text, repairs), repairs, doubts))
    if len(_CACHE) >= _CACHED:
        del _CACHE[next(iter(_CACHE))]
    _CACHE[key] = out
    return out
