"""Benchmark: comparable zh→id alignment and extraction recall on the bundled corpus.

The reference is bench/data/comparable-zh-id.tsv, a development list of concepts that the
Chinese article and the Indonesian ones both name (see its header). The corpus goes
through the same steps as `padan demo`, in a temporary workspace:

- extraction recall: the concept's Chinese term, and one of its Indonesian renderings,
  among the --top candidates of its language;
- hit@k: one of the Indonesian renderings among the k best Indonesian targets proposed
  for the Chinese term (either direction of a proposal counts);
- spun: proposals whose Chinese side is not in the de-spun reference of the article
  (bench/data/003-reference.txt) though it is in the stored, spun text.

    python bench/comparable.py [--top 300] [-k 5] [--show]
"""

from __future__ import annotations

import argparse
import re
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from corpora.tokenize import match_form
from padan.workspace import Workspace
from termbase.model import Proposal

HERE = Path(__file__).resolve().parent / "data"
_SPLIT = re.compile(r"[\s\-]+")


def reference() -> list[tuple[str, list[str]]]:
    out = []
    for line in (HERE / "comparable-zh-id.tsv").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            zh, ids = line.split("\t")
            out.append((zh, [t for t in ids.split(";") if t]))
    return out


def id_key(text: str) -> tuple[str, ...]:
    return tuple(match_form(w, "id") for w in _SPLIT.split(text.lower()) if w)


def ranked_targets(proposals: list[Proposal]) -> dict[str, list[str]]:
    """Chinese term -> its Indonesian equivalents, best first, from either direction."""
    scored: dict[str, dict[str, float]] = defaultdict(dict)
    for p in proposals:
        if (p.source_lang, p.target_lang) == ("zh", "id"):
            zh, id_ = p.source, p.target
        elif (p.source_lang, p.target_lang) == ("id", "zh"):
            zh, id_ = p.target, p.source
        else:
            continue
        scored[zh][id_] = max(p.score, scored[zh].get(id_, 0.0))
    return {zh: sorted(t, key=lambda x: -t[x]) for zh, t in scored.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--top", type=int, default=300, help="candidates for recall")
    parser.add_argument("-k", type=int, default=5)
    parser.add_argument("--show", action="store_true", help="list every concept")
    args = parser.parse_args()
    refs = reference()
    with tempfile.TemporaryDirectory() as tmp:
        ws = Workspace(str(Path(tmp) / "bench.db"))
        start = time.perf_counter()
        report = ws.demo()
        demo_s = time.perf_counter() - start
        found = ws.extract_terms(top=args.top)
        ws.close()
    zh_cands = {c.text for c in found["zh"]}
    id_cands = {id_key(c.text) for c in found["id"]}
    targets = ranked_targets(report.proposals)
    zh_hits = id_hits = at1 = atk = 0
    for zh, ids in refs:
        keys = {id_key(t) for t in ids}
        in_zh, in_id = zh in zh_cands, bool(keys & id_cands)
        ranked = [id_key(t) for t in targets.get(zh, [])]
        hit1 = bool(ranked[:1]) and ranked[0] in keys
        hitk = any(r in keys for r in ranked[: args.k])
        zh_hits += in_zh
        id_hits += in_id
        at1 += hit1
        atk += hitk
        if args.show:
            mark = "+" if hitk else "-"
            shown = " / ".join(targets.get(zh, [])[: args.k])
            print(f"{mark} {zh} [{'z' if in_zh else ' '}{'i' if in_id else ' '}] {ids[0]}: {shown}")
    clean = (HERE / "003-reference.txt").read_text(encoding="utf-8")
    zh_sides = {p.source for p in report.proposals if p.source_lang == "zh"}
    zh_sides |= {p.target for p in report.proposals if p.target_lang == "zh"}
    spun = sorted(t for t in zh_sides if t not in clean and re.search(r"[\u4e00-\u9fff]", t))
    n = len(refs)
    print(f"concepts: {n}; padan demo {demo_s:.1f}s, {len(report.proposals)} proposals")
    print(f"extraction recall in top {args.top}: zh {zh_hits}/{n}, id {id_hits}/{n}")
    print(f"comparable zh→id: hit@1 {at1}/{n}, hit@{args.k} {atk}/{n}")
    print(f"proposals with a spun Chinese side: {len(spun)} {' '.join(spun[:20])}")


if __name__ == "__main__":
    main()
