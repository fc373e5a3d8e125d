"""Train the character model of ``termbase/zh_lm.py`` from clean Chinese Markdown or text.

    python -m termbase.zh_lm_train OUT.tsv.gz FILE_OR_DIR... [--order 4] [--min-count 2]

Markdown, reStructuredText and the Markdown cells of notebooks are reduced to their prose
(code blocks, links' targets, images, HTML and emphasis marks dropped); only lines with at
least five Han characters are kept. A ``.txt.gz`` file is text already cleaned, one string
a line (bench/zh_lm_corpus.py writes Debian's interface strings so), read as it is: a
short string (删除消息) says as much about its words as a long one. The model is
interpolated Kneser-Ney (Chen & Goodman's form with one discount per order, D = n1/(n1+2n2)),
written with the probabilities of the n-grams seen at least --min-count times (counts of
distinct left neighbours below the top order, as Kneser-Ney counts them) and the back-off
weight of every context kept. Written here rather than with kenlm's lmplz, which needs Boost
and a C++ build that Padan's installs do not otherwise need.
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path

from termbase.zh_lm import BOS, normalize

_FENCE = re.compile(r"```.*?```", re.S)
_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_MARKUP = re.compile(r"<[^>]+>|https?://\S+|[*_`#>|]|:[a-z]+:`[^`]*`|\$[^$]*\$")
_HAN = re.compile(r"[\u4e00-\u9fff]")


def prose(text: str) -> Iterator[str]:
    text = _FENCE.sub("\n", text)
    for line in text.splitlines():
        line = _MARKUP.sub("", _LINK.sub(r"\1", _IMAGE.sub("", line))).strip(" -")
        if len(_HAN.findall(line)) >= 5:
            yield line


def read_lines(paths: Iterable[Path]) -> Iterator[str]:
    for path in paths:
        files = sorted(path.rglob("*")) if path.is_dir() else [path]
        for f in files:
            if f.is_file() and f.name.endswith(".txt.gz"):
                with gzip.open(f, "rt", encoding="utf-8") as lines:
                    yield from (line.rstrip("\n") for line in lines)
            elif f.is_file() and f.suffix in (".md", ".mdx", ".rst", ".txt", ".ipynb"):
                text = f.read_text(encoding="utf-8", errors="replace")
                yield from prose(_notebook_markdown(text) if f.suffix == ".ipynb" else text)


def _notebook_markdown(text: str) -> str:
    """The Markdown cells of a Jupyter notebook (its code cells are not prose)."""
    try:
        cells = json.loads(text).get("cells", [])
    except ValueError:
        return ""
    return "\n\n".join("".join(c["source"]) for c in cells if c.get("cell_type") == "markdown")


def train(lines: Iterable[str], order: int, min_count: int) -> tuple[list[str], float]:
    """The model's lines (header first)."""
    top: Counter[str] = Counter()
    for line in lines:
        seq = BOS * (order - 1) + normalize(line)
        for i in range(order - 1, len(seq)):
            top[seq[i - order + 1 : i + 1]] += 1
    counts: dict[int, Counter[str]] = {order: top}
    for k in range(order - 1, 0, -1):  # Kneser-Ney: distinct left neighbours
        counts[k] = Counter(g[1:] for g in counts[k + 1])
    vocab = len(counts[1])
    prob: dict[str, float] = {}
    gamma: dict[str, float] = {}
    for k in range(1, order + 1):
        c = counts[k]
        freq = Counter(v for v in c.values() if v <= 2)
        discount = freq[1] / (freq[1] + 2 * freq[2]) if freq[1] else 0.5
        total: dict[str, int] = defaultdict(int)
        types: dict[str, int] = defaultdict(int)
        for g, v in c.items():
            total[g[:-1]] += v
            types[g[:-1]] += 1
        for h in total:
            gamma[h] = discount * types[h] / total[h]
        for g, v in c.items():
            h = g[:-1]
            lower = prob.get(g[1:], 0.0) if k > 1 else 1.0 / vocab
            if k > 1 and g[1:] not in prob:  # the lower gram was pruned: back off further
                lower = _backoff(prob, gamma, g[1:], vocab)
            prob[g] = max(v - discount, 0) / total[h] + gamma[h] * lower
        if k > 1:  # prune after use: lower orders need the full table while computing
            for g, v in c.items():
                if v < min_count and g in prob:
                    del prob[g]
    unknown = math.log10(gamma[""] / vocab)
    out = [f"# order={order} unknown={unknown:.3f}"]
    for g in sorted(prob):
        bow = f"{math.log10(gamma[g]):.3f}" if g in gamma and len(g) < order else ""
        out.append(f"{g}\t{math.log10(prob[g]):.3f}\t{bow}")
    kept = {g[:-1] for g in prob}  # a context no kept n-gram extends backs off at weight 1
    for h in sorted(kept - set(prob)):  # contexts whose own n-gram was pruned
        if h:
            out.append(f"{h}\t\t{math.log10(gamma[h]):.3f}")
    return out, unknown


def _backoff(prob: dict[str, float], gamma: dict[str, float], g: str, vocab: int) -> float:
    if g in prob:
        return prob[g]
    if len(g) == 1:
        return gamma[""] / vocab
    return gamma.get(g[:-1], 1.0) * _backoff(prob, gamma, g[1:], vocab)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("output")
    parser.add_argument("sources", nargs="+", type=Path)
    parser.add_argument("--order", type=int, default=4)
    parser.add_argument("--min-count", type=int, default=2)
    args = parser.parse_args(argv)
    lines, _ = train(read_lines(args.sources), args.order, args.min_count)
    with gzip.open(args.output, "wt", encoding="utf-8", compresslevel=9) as f:
        f.write("\n".join(lines) + "\n")
    print(f"{len(lines) - 1} n-grams written to {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
