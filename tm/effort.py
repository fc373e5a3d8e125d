"""Post-editing effort and translation quality scores, with sacrebleu.

- :func:`score` gives BLEU, chrF and TER of hypothesis lines against reference lines.
  Chinese is scored with sacrebleu's ``zh`` tokenizer for BLEU; for TER, which splits
  on spaces only, each Han character is made a token of its own (character-level TER,
  the usual choice for unsegmented Chinese).
- :func:`effort` measures how much a document was changed from the rendering as imported:
  the imported texts are the hypothesis and the current texts the reference, so
  chrF 100 / TER 0 mean "nothing to fix".

TER's shift search keeps a table of hypothesis × reference tokens: quadratic in memory
and time, 3 GB for one 80,000-character segment. A pair larger than :data:`TER_CELLS`
is scored by its token edit distance without shifts instead (rapidfuzz: linear memory),
an upper bound of its TER edits; every other pair gets sacrebleu's exact figure.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

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
    from sacrebleu.metrics.lib_ter import translation_edit_rate
    from sacrebleu.tokenizers.tokenizer_ter import TercomTokenizer

    tokenize = TercomTokenizer()  # TER()'s defaults: lower-cased, split on spaces
    edits = length = 0.0
    for hyp, ref in zip(hypotheses, references, strict=True):
        words_hyp = tokenize(_ter_tokens(hyp, lang).rstrip()).split()
        words_ref = tokenize(_ter_tokens(ref, lang).rstrip()).split()
        if words_hyp == words_ref:
            length += len(words_ref)
        elif len(words_hyp) * len(words_ref) > TER_CELLS:
            edits += Levenshtein.distance(words_hyp, words_ref)
            length += len(words_ref)
        else:
            pair_edits, pair_length = translation_edit_rate(words_hyp, words_ref)
            edits += pair_edits
            length += pair_length
    if length > 0:
        return 100 * edits / length
    return 100.0 if edits > 0 else 0.0


def effort(pairs: Sequence[tuple[str, str]], lang: str) -> Effort:
    """Effort of turning each imported text (first) into the current one (second)."""
    from sacrebleu.metrics.chrf import CHRF

    originals = [a for a, _ in pairs]
    currents = [b for _, b in pairs]
    chrf, ter = 100.0, 0.0
    if pairs:  # as score() computes them (BLEU is not shown: its Chinese tokenizer is slow)
        chrf = round(CHRF().corpus_score(originals, [currents]).score, 2)
        ter = round(_ter(originals, currents, lang), 2)
    return Effort(
        segments=len(pairs),
        edited=sum(a != b for a, b in pairs),
        characters=sum(len(a) for a in originals),
        char_edits=sum(Levenshtein.distance(a, b) for a, b in pairs),
        chrf=chrf,
        ter=ter,
    )
