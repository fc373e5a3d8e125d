"""A character n-gram language model of clean Chinese, to judge spun text in context.

A synonym spinner's output is often made of ordinary words (目标, 部分, 合作, 利用, 城市), so
whether one is the spinner's or the author's depends on what surrounds it: 大多数工程师城市
感到 is spun from 都会, 城市建设 is not. The model gives the log-probability of a stretch of
text; :func:`compare` scores a span's alternatives in the same context.

Two interpolated Kneser-Ney models over characters are trained by
``termbase/zh_lm_train.py``, one on documentation and one on Debian's zh_CN interface
strings and manuals (消息 and 应用 are used differently in a dialog than in a manual), all
clean text whose origin ``termbase/data/SOURCES.md`` names, and shipped as
``termbase/data/zh-lm.tsv.gz`` and ``zh-lm-ui.tsv.gz``, which :class:`Mixture` averages.
Each holds one n-gram a line with its log10 probability (empty for a context whose own
count was pruned) and the log10 back-off weight
of the same n-gram as a context (ARPA's meaning, without ARPA's sections). Characters, not
words: the spinner replaces strings across word boundaries (项目的→项目标), which a
word segmenter would cut wrongly before the model saw them. kenlm would query faster, but
it needs a C++ build and its training tool Boost; the model is small and queried a few
hundred times per spun document, so plain Python dictionaries do.
"""

from __future__ import annotations

import gzip
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

BOS = "\x02"  # start of a line
_LATIN = re.compile(r"[A-Za-z][A-Za-z0-9_.+-]*")
_DIGITS = re.compile(r"[0-9]+(?:[.,][0-9]+)*")
_SPACE = re.compile(r"\s+")
# half-width punctuation that Chinese text written on a Latin keyboard uses for the full-width one
_WIDTH = str.maketrans(",;:?!()", "，；：？！（）")


def normalize(text: str) -> str:
    """The text as the model sees it: a Latin word is one letter ``a``, a number one digit
    ``0``, spaces are dropped, and half-width punctuation is full width."""
    text = _LATIN.sub("a", text)
    text = _DIGITS.sub("0", text)
    return _SPACE.sub("", text).translate(_WIDTH)


@dataclass(frozen=True)
class CharLM:
    """log10 probabilities of n-grams (n = 1..order) and log10 back-off weights of contexts."""

    order: int
    prob: dict[str, float]
    backoff: dict[str, float]
    unknown: float  # log10 probability of a character never seen

    def logprob(self, text: str, context: str = "") -> float:
        """log10 P(text | context), both already normalised."""
        seq = context + text
        total = 0.0
        for i in range(len(context), len(seq)):
            total += self._char(seq[max(0, i - self.order + 1) : i], seq[i])
        return total

    def _char(self, history: str, char: str) -> float:
        weight = 0.0
        while True:
            logp = self.prob.get(history + char)
            if logp is not None:
                return weight + logp
            if not history:
                return weight + self.unknown
            weight += self.backoff.get(history, 0.0)
            history = history[1:]


@dataclass(frozen=True)
class Mixture:
    """Character models of different kinds of text, each character's probability the
    weighted mean of theirs. Documentation and interface strings use the same words
    differently (消息, 应用); one model trained on both together loses on prose what it
    gains on interface strings, the mean of two does not (dev and TICO, issue 16)."""

    models: tuple[CharLM, ...]
    weights: tuple[float, ...]

    def logprob(self, text: str, context: str = "") -> float:
        seq = context + text
        total = 0.0
        for i in range(len(context), len(seq)):
            p = sum(
                w * 10 ** m._char(seq[max(0, i - m.order + 1) : i], seq[i])
                for m, w in zip(self.models, self.weights, strict=True)
            )
            total += math.log10(p)
        return total


Scorer = CharLM | Mixture


@dataclass(frozen=True)
class Judgement:
    """The alternatives for one span, best first, with their log10 probabilities in context."""

    scores: tuple[tuple[str, float], ...]

    @property
    def best(self) -> str:
        return self.scores[0][0]

    @property
    def margin(self) -> float:
        """How much likelier (log10) the best alternative is than the next."""
        return self.scores[0][1] - self.scores[1][1] if len(self.scores) > 1 else math.inf

    def evidence(self) -> str:
        return "; ".join(f"{text} {score:.1f}" for text, score in self.scores)


def compare(
    model: Scorer, text: str, start: int, end: int, options: Sequence[str], window: int = 12
) -> Judgement:
    """Score each option put in place of ``text[start:end]``, in the same context: up to
    ``window`` characters either side (the n-grams that differ lie within order-1 characters
    of the span; a longer left context only steadies the first ones)."""
    left = normalize(text[max(0, start - window) : start])
    right = normalize(text[end : end + window])
    if start == 0 or text[start - 1] == "\n":
        left = BOS + left
    scored = [(o, model.logprob(normalize(o) + right, left)) for o in dict.fromkeys(options)]
    return Judgement(tuple(sorted(scored, key=lambda s: -s[1])))


def read_model(lines: Iterable[str | bytes], source: str = "model") -> CharLM:
    prob: dict[str, float] = {}
    backoff: dict[str, float] = {}
    order, unknown = 0, -7.0
    for number, raw in enumerate(lines, 1):
        line = (raw.decode("utf-8") if isinstance(raw, bytes) else raw).rstrip("\n")
        if number == 1:
            fields = dict(f.split("=") for f in line.lstrip("#").split())
            order, unknown = int(fields["order"]), float(fields["unknown"])
            continue
        gram, logp, bow = line.split("\t")
        if logp:
            prob[gram] = float(logp)
        if bow:
            backoff[gram] = float(bow)
    if not order:
        raise ValueError(f"{source}: not a character model (no header)")
    return CharLM(order, prob, backoff, unknown)


# the shipped models, of documentation and of interface strings, and their weights
SHIPPED = (("zh-lm.tsv.gz", 0.5), ("zh-lm-ui.tsv.gz", 0.5))


@lru_cache(maxsize=1)
def model() -> Mixture:
    """The shipped models' mixture, read once (about two seconds) on first use."""
    models = []
    for name, _ in SHIPPED:
        path = resources.files("termbase") / "data" / name
        with path.open("rb") as raw, gzip.open(raw) as f:
            models.append(read_model(f, f"termbase/data/{name}"))
    return Mixture(tuple(models), tuple(w for _, w in SHIPPED))
