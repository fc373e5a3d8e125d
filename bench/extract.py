"""Benchmark: term extraction throughput against raw jieba tokenization.

Builds a synthetic corpus of --mib MiB of Chinese and as much Indonesian by repeating and
shuffling the content sentences of the bundled corpus, then times, on the same Chinese
text, jieba.lcut alone and Padan's whole extraction (tokenizing, counting n-grams,
scoring) on the text as stored, and prints both with their ratio. Goal: extraction at
most 2x raw jieba. It also times extraction from the repaired reading (the checks' sure
repairs first), as `padan terms extract` runs it.

    python bench/extract.py [--mib 10] [--seed 1]
"""

from __future__ import annotations

import argparse
import logging
import random
import time

from corpora.bundled import bundled_documents
from termbase.extract import Sentence, extract


def synthetic(lang: str, mib: float, rng: random.Random) -> list[Sentence]:
    """Sentences of the bundled corpus in ``lang``, shuffled and repeated to ``mib`` MiB."""
    pool = [s.text for d in bundled_documents() if d.lang == lang for s in d.content()]
    target = int(mib * 1024 * 1024)
    out: list[Sentence] = []
    size = 0
    while size < target:
        rng.shuffle(pool)
        for text in pool:
            out.append(Sentence(f"{lang}-{len(out) // 500}", len(out), text))
            size += len(text.encode("utf-8"))
            if size >= target:
                break
    return out


def _timed(fn) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mib", type=float, default=10.0, help="MiB of text per language")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)

    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    extract([Sentence("warm-up", 0, "开源模型和sumber terbuka")], "zh")  # load dictionaries

    zh = synthetic("zh", args.mib, rng)
    id_ = synthetic("id", args.mib, rng)
    jieba_s = _timed(lambda: [jieba.lcut(s.text) for s in zh])
    zh_s = _timed(lambda: extract(zh, "zh", top=200, repair=False))
    id_s = _timed(lambda: extract(id_, "id", top=200, repair=False))
    # The repaired reading runs the checks first; on this corpus, made of a spun article,
    # the spin check weighs every spun word with its language model.
    zh_r = _timed(lambda: extract(zh, "zh", top=200))
    id_r = _timed(lambda: extract(id_, "id", top=200))

    print(
        f"corpus: {args.mib:g} MiB zh ({len(zh):,} sentences), "
        f"{args.mib:g} MiB id ({len(id_):,} sentences)"
    )
    print(f"{'':32}{'seconds':>10}{'MiB/s':>10}")
    print(f"{'jieba.lcut, zh (peer)':32}{jieba_s:>10.2f}{args.mib / jieba_s:>10.2f}")
    print(f"{'padan extraction, zh':32}{zh_s:>10.2f}{args.mib / zh_s:>10.2f}")
    print(f"{'padan extraction, id':32}{id_s:>10.2f}{args.mib / id_s:>10.2f}")
    print(f"{'  zh, repaired reading':32}{zh_r:>10.2f}{args.mib / zh_r:>10.2f}")
    print(f"{'  id, repaired reading':32}{id_r:>10.2f}{args.mib / id_r:>10.2f}")
    print(f"ratio padan zh / jieba: {zh_s / jieba_s:.2f}x (goal: at most 2x)")


if __name__ == "__main__":
    main()
