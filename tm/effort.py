"""Post-editing effort and translation quality scores, with sacrebleu.

- :func:`score` gives BLEU, chrF and TER of hypothesis lines against reference lines.
  Chinese is scored with sacrebleu's ``zh`` tokenizer for BLEU; for TER, which splits
  on spaces only, each Han character is made a token of its own (character-level TER,
  the usual choice for unsegmented Chinese).
- :func:`effort` (and :class:`EffortTally`, a pair at a time) measures how much a
  document was changed from the rendering as imported: the imported texts are the
  hypothesis and the current texts the reference, so chrF 100 / TER 0 mean "nothing to
  fix".

Effort is read on whole workspaces, where most pairs are unchanged: scoring every pair
with sacrebleu took 171 s for 200,000 units. Corpus chrF and TER are sums of per-segment
statistics, and those of an unchanged pair are known without scoring it (every n-gram
matches; no edit, as many reference words as the text has), so only the changed pairs
are scored, and the corpus scores are the ones sacrebleu gives on all the pairs:

- an unchanged text only adds its counts, a batch at a time (:meth:`EffortTally.add_batch`);
- an edited pair's chrF n-grams are counted around the edit only (:func:`chrf_stats`: those
  inside the common prefix and suffix all match);
- a pair one token edit apart has that one edit as its TER (a shift costs one too), with no
  shift search; other pairs get sacrebleu's ``translation_edit_rate``.

The tests hold each of these to sacrebleu's own figures, pair by pair. BLEU, which nobody
reads there, is not computed.

TER's shift search keeps a table of hypothesis × reference tokens: quadratic in memory
and time, 3 GB for one 80,000-character segment. A pair larger than :data:`TER_CELLS`
is scored by its token edit distance without shifts instead (rapidfuzz: linear memory),
an upper bound of its TER edits; every other pair gets sacrebleu's exact figure.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from rapidfuzz.distance import Levenshtein

from tm.errors import TMError

_HAN = re.compile(r"([\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff])")
TER_CELLS = 250_000  # hypothesis × reference tokens past which TER skips the shifts


@dataclass(frozen=True)
class Scores:
    bleu: float
    chrf: float
    ter: float
    segments: int


@dataclass(frozen=True)
class Effort:
    segments: int
    edited: int  # segments whose current text differs from the imported one
    characters: int  # characters of the imported text
    char_edits: int  # Levenshtein distance summed over segments
    chrf: float  # imported rendering scored against the current text
    ter: float


def _is_chinese(lang: str) -> bool:
    return lang.split("-", 1)[0] == "zh"


def _ter_tokens(text: str, lang: str) -> str:
    return _HAN.sub(r" \1 ", text) if _is_chinese(lang) else text


def score(hypotheses: Sequence[str], references: Sequence[str], lang: str) -> Scores:
    """Corpus BLEU, chrF and TER of ``hypotheses`` against ``references`` (same length)."""
    from sacrebleu.metrics.bleu import BLEU
    from sacrebleu.metrics.chrf import CHRF

    if len(hypotheses) != len(references):
        raise TMError(
            f"{len(hypotheses)} hypothesis lines against {len(references)} reference lines",
            hint="score line-aligned files",
        )
    refs = [list(references)]
    bleu = BLEU(tokenize="zh" if _is_chinese(lang) else "13a").corpus_score(list(hypotheses), refs)
    chrf = CHRF().corpus_score(list(hypotheses), refs)
    ter = _ter(hypotheses, references, lang)
    return Scores(round(bleu.score, 2), round(chrf.score, 2), round(ter, 2), len(hypotheses))


def _ter(hypotheses: Sequence[str], references: Sequence[str], lang: str) -> float:
    """Corpus TER as sacrebleu's TER() computes it (same tokens, same sums), with the
    long pairs scored in linear memory (see the module's docstring)."""
    edits = length = 0.0
    for hyp, ref in zip(hypotheses, references, strict=True):
        pair_edits, pair_length = _ter_stats(hyp, ref, lang)
        edits += pair_edits
        length += pair_length
    if length > 0:
        return 100 * edits / length
    return 100.0 if edits > 0 else 0.0


def _ter_stats(hyp: str, ref: str, lang: str) -> tuple[float, float]:
    """TER's (edits, reference words) of one pair, as sacrebleu's TER() counts them."""
    from sacrebleu.metrics.lib_ter import translation_edit_rate

    # TER()'s default tokenizer lower-cases and splits on whitespace; done here, without
    # its cache of the last 65,536 texts (memory growing with the workspace's edits).
    words_hyp = _ter_tokens(hyp, lang).lower().split()
    words_ref = _ter_tokens(ref, lang).lower().split()
    if words_hyp == words_ref:
        return 0.0, float(len(words_ref))
    distance = Levenshtein.distance(words_hyp, words_ref)
    # One edit: no shift can do better (a shift costs one), and sacrebleu's beam holds
    # every one-edit path, so its figure is the distance. Too large: see the docstring.
    if distance <= 1 or len(words_hyp) * len(words_ref) > TER_CELLS:
        return float(distance), float(len(words_ref))
    edits, length = translation_edit_rate(words_hyp, words_ref)
    return float(edits), float(length)


def chrf_stats(hyp: str, ref: str, orders: int) -> list[int]:
    """sacrebleu's chrF statistics of one pair: (hypothesis, reference, matching)
    character n-grams per order, whitespace left out.

    An edit is local: the n-grams that lie wholly inside the common prefix or suffix are
    the same on both sides and all match, so only those around the differing middle are
    counted, in time bounded by the edit rather than the segment."""
    a, b = "".join(hyp.split()), "".join(ref.split())
    shortest = min(len(a), len(b))
    prefix = 0
    while prefix < shortest and a[prefix] == b[prefix]:
        prefix += 1
    suffix = 0
    while suffix < shortest - prefix and a[-1 - suffix] == b[-1 - suffix]:
        suffix += 1
    stats: list[int] = []
    for n in range(1, orders + 1):
        shared = max(0, prefix - n + 1) + max(0, suffix - n + 1)
        first = max(0, prefix - n + 1)
        near_a = Counter(
            a[i : i + n] for i in range(first, min(len(a) - n, len(a) - suffix - 1) + 1)
        )
        near_b = Counter(
            b[i : i + n] for i in range(first, min(len(b) - n, len(b) - suffix - 1) + 1)
        )
        matched = shared + sum(min(k, near_b[g]) for g, k in near_a.items() if g in near_b)
        hyp_count, ref_count = max(0, len(a) - n + 1), max(0, len(b) - n + 1)
        stats += [hyp_count if ref_count else 0, ref_count, matched]
    return stats


class EffortTally:
    """Post-editing effort summed one (imported, current) pair at a time, in memory
    bounded by the largest segment.

    An unchanged pair only adds its counts: chrF's n-grams of an unchanged text depend
    on its letters alone, so those are kept as a histogram (letters -> texts) and turned
    into n-gram sums once, in :meth:`result`."""

    def __init__(self, lang: str) -> None:
        from sacrebleu.metrics.chrf import CHRF
        from sacrebleu.metrics.ter import TER

        self.lang = lang
        self.segments = self.edited = self.characters = self.char_edits = 0
        self._chinese = _is_chinese(lang)
        self._chrf_metric: Any = CHRF()
        self._ter_metric: Any = TER()
        self._orders = self._chrf_metric.char_order
        self._chrf = [0] * (3 * self._orders)  # (hyp, ref, match) n-grams per order, edited
        self._letters: Counter[int] = Counter()  # unchanged texts by non-space characters
        self._ter = [0.0, 0.0]  # edits, reference words

    def add(self, original: str, current: str) -> None:
        if original == current:
            self.add_batch([(original, None)])
            return
        self.segments += 1
        self.characters += len(original)
        self.edited += 1
        self.char_edits += Levenshtein.distance(original, current)
        chrf = chrf_stats(original, current, self._orders)
        self._chrf = [a + b for a, b in zip(self._chrf, chrf, strict=True)]
        edits, words = _ter_stats(original, current, self.lang)
        self._ter = [self._ter[0] + edits, self._ter[1] + words]

    def add_batch(self, rows: Sequence[tuple[str, str | None]]) -> None:
        """(imported text, current text or None when unchanged) pairs. The unchanged
        texts, nearly all of them in a workspace, are counted with C-level maps: this
        runs for every segment of the workspace."""
        unchanged = [original for original, current in rows if current is None]
        for original, current in rows:
            if current is not None:
                self.add(original, current)
        self.segments += len(unchanged)
        self.characters += sum(map(len, unchanged))
        words = list(map(str.split, unchanged))  # chrF ignores whitespace; TER splits on it
        self._letters.update(map(len, map("".join, words)))
        if self._chinese:
            words = [_ter_tokens(text, self.lang).split() for text in unchanged]
        self._ter[1] += sum(map(len, words))

    def result(self) -> Effort:
        if not self.segments:
            return Effort(0, 0, 0, 0, 100.0, 0.0)
        stats = list(self._chrf)
        for n in range(self._orders):
            grams = sum(
                count * (letters - n) for letters, count in self._letters.items() if letters > n
            )
            stats[3 * n : 3 * n + 3] = [total + grams for total in stats[3 * n : 3 * n + 3]]
        chrf = self._chrf_metric._compute_score_from_stats(stats).score
        ter = self._ter_metric._compute_score_from_stats(self._ter).score
        return Effort(
            segments=self.segments,
            edited=self.edited,
            characters=self.characters,
            char_edits=self.char_edits,
            chrf=round(chrf, 2),
            ter=round(ter, 2),
        )


def effort(pairs: Iterable[tuple[str, str]], lang: str) -> Effort:
    """Effort of turning each imported text (first) into the current one (second)."""
    tally = EffortTally(lang)
    for original, current in pairs:
        tally.add(original, current)
    return tally.result()
