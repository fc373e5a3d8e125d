"""Benchmark check: the fuzzy index's answers on a workspace, to compare checkouts and backends.

Writes to OUT, as JSON, what Padan answers on WORKSPACE (SQLite or PostgreSQL):

- --lookups look-ups of the app's memory panel (padan/jobs.py ``fuzzy_matches``: the 5 best
  matches of a variant's text from 50 %, itself left out, with their translations), of
  variants picked as bench/panel.py picks them;
- --searches searches (the 10 best from 50 %) of variants' texts with one word dropped and
  two others swapped, as a translator's new sentence differs from the memory's;
- --concordances concordances of words of those texts;

each answer as its segment ids, texts and scores (and spans) in order. A change of the
index that must not change what it finds (its layout, its speed) compares the files of
the checkouts, and of SQLite and PostgreSQL, with --compare: ties must rank alike too.

    python bench/answers.py WORKSPACE OUT.json [--lookups 600] [--searches 400]
        [--concordances 20] [--lang en] [--target id] [--seed 1]
    python bench/answers.py --compare A.json B.json ...
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from pathlib import Path
from typing import Any

from panel import pick

from padan.jobs import MemoryIndex, fuzzy_matches, memory_index
from padan.workspace import Workspace

_WORD = re.compile(r"\w+")


def _altered(text: str, rng: random.Random) -> str:
    """``text`` with a word dropped and two others swapped (when it has them)."""
    words = text.split()
    if len(words) > 1:
        del words[rng.randrange(len(words))]
    if len(words) > 2:
        a, b = sorted(rng.sample(range(len(words)), 2))
        words[a], words[b] = words[b], words[a]
    return " ".join(words)


def answers(location: str, args: argparse.Namespace) -> dict[str, Any]:
    ws = Workspace(location)
    rng = random.Random(args.seed)
    memory = memory_index(ws, args.lang, args.target, [])
    wanted = args.lookups + args.searches
    variants = pick(ws, args.lang, wanted, rng)
    panel = [
        [(m.segment_id, m.text, m.score, m.spans, t.current if t else None) for _, m, t in found]
        for found in (fuzzy_matches(ws, memory, v) for v in variants[: args.lookups])
    ]
    queries = [_altered(v.current, rng) for v in variants[args.lookups :]]
    searches = [
        [(m.segment_id, m.text, m.score, m.base_score) for m in _searched(memory, q)]
        for q in queries
    ]
    words = sorted({w for q in queries for w in _WORD.findall(q) if len(w) > 3})
    concordances = {
        word: [(o.segment_id, o.spans) for i in memory.indexes for o in i.concordance(word)]
        for word in rng.sample(words, min(args.concordances, len(words)))
    }
    ws.close()
    return {"panel": panel, "searches": searches, "concordances": concordances}


def _searched(memory: MemoryIndex, query: str) -> list[Any]:
    """The 10 best from 50 % in the language's indexes (its variants' too), as `padan
    search` ranks them."""
    found = [m for i in memory.indexes for m in i.search(query, limit=10, min_score=50)]
    return sorted(found, key=lambda m: -m.score)[:10]


def compare(paths: list[str]) -> int:
    """0 if every file holds the same answers as the first, else 1 (saying where)."""
    first, *others = [json.loads(Path(p).read_text()) for p in paths]
    failed = 0
    for path, other in zip(paths[1:], others, strict=True):
        for kind, mine in first.items():
            listed, theirs = _listed(mine), _listed(other[kind])
            differ = [k for k, (a, b) in enumerate(zip(listed, theirs, strict=False)) if a != b]
            if differ or len(listed) != len(theirs):
                failed = 1
                at = f", first {listed[differ[0]]} against {theirs[differ[0]]}" if differ else ""
                print(f"{path}: {len(differ)} of {len(listed)} {kind} differ from {paths[0]}'s{at}")
            else:
                print(f"{path}: the same {len(listed)} {kind} as {paths[0]}")
    return failed


def _listed(found: list[Any] | dict[str, Any]) -> list[Any]:
    return list(found.items()) if isinstance(found, dict) else found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+", help="WORKSPACE OUT, or answer files to compare")
    parser.add_argument("--compare", action="store_true")
    parser.add_argument("--lookups", type=int, default=600)
    parser.add_argument("--searches", type=int, default=400)
    parser.add_argument("--concordances", type=int, default=20)
    parser.add_argument("--lang", default="en")
    parser.add_argument("--target", default="id")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    if args.compare:
        return compare(args.paths)
    workspace, out = args.paths
    found = answers(workspace, args)
    Path(out).write_text(json.dumps(found, ensure_ascii=False))
    print(
        f"{out}: {len(found['panel'])} look-ups, {len(found['searches'])} searches, "
        f"{len(found['concordances'])} concordances"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
