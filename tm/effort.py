"""Post-editing effort and translation quality scores, with sacrebleu.

- :func:`score` gives BLEU, chrF and TER of hypothesis lines against reference lines.
  Chinese is scored with sacrebleu's ``zh`` tokenizer for BLEU; for TER, which splits
  on spaces only, each Han character is made a token of its own (character-level TER,
  the usual choice for unsegmented Chinese).
- :func:`effort` measures how much a document was changed from the rendering as imported:
  the imported texts are the hypothesis and the current texts the reference, so
  chrF 100 / TER 0 mean "nothing to fix".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz.distance import Levenshtein

from tm.errors import TMError

_HAN = re.compile(r"([\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff])")


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
    from sacrebleu.metrics.ter import TER

    if len(hypotheses) != len(references):
        raise TMError(
            f"{len(hypotheses)} hypothesis lines against {len(references)} reference lines",
            hint="score line-aligned files",
        )
    refs = [list(references)]
    bleu = BLEU(tokenize="zh" if _is_chinese(lang) else "13a").corpus_score(list(hypotheses), refs)
    chrf = CHRF().corpus_score(list(hypotheses), refs)
    ter = TER().corpus_score(
        [_ter_tokens(h, lang) for h in hypotheses], [[_ter_tokens(r, lang) for r in references]]
    )
    return Scores(round(bleu.score, 2), round(chrf.score, 2), round(ter.score, 2), len(hypotheses))


def effort(pairs: Sequence[tuple[str, str]], lang: str) -> Effort:
    """Effort of turning each imported text (first) into the current one (second)."""
    originals = [a for a, _ in pairs]
    currents = [b for _, b in pairs]
    scores = score(originals, currents, lang) if pairs else Scores(100.0, 100.0, 0.0, 0)
    return Effort(
        segments=len(pairs),
        edited=sum(a != b for a, b in pairs),
        characters=sum(len(a) for a in originals),
        char_edits=sum(Levenshtein.distance(a, b) for a, b in pairs),
        chrf=scores.chrf,
        ter=scores.ter,
    )
