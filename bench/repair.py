"""Benchmark: garble repair by `padan fix --auto` and `padan check`, against references.

Chinese (character error rate, Levenshtein distance over the reference's length):
- 003, the bundled spun article, against bench/data/003-reference.txt (hand de-spun);
- held-out: the test half of bench/zh_heldout.py's strings, spun, against the clean ones
  (or the development half, or the TICO-19 set of another genre, with --half);
- damage: the same clean strings, fixed, against themselves.
Each beside the raw text and beside a blind reverse table (every spin-zh.tsv form
replaced by its original, longest first, without context), the baseline a spinner's
own table gives.

Indonesian: the mechanical, casing and calque garbles of 000 and 001 listed in
bench/data/id-garbles.tsv (hand-read; file, the garbled text, the right text): how many
`padan check --lang id` finds (a finding whose span covers the garble), and how many of
those whose first suggestion, applied to the span, gives the right text.

    python bench/repair.py [--half dev|test|tico]... [--model LM.tsv.gz]...

The test half by default; with several --model (files in termbase/data/zh-lm.tsv.gz's
format, or ``shipped`` for the shipped mixture), each Chinese figure is given for each
model in the same run, side by side.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

from rapidfuzz.distance import Levenshtein

from termbase.checks.spin import lexicon

ROOT = Path(__file__).parent.parent
DATA = Path(__file__).parent / "data"
CORPUS = ROOT / "corpora" / "data"
PADAN = str(Path(sys.executable).with_name("padan"))
_LOOKAROUND = re.compile(r"\(\?<?[=!][^)]*\)")


def cer(text: str, reference: str) -> float:
    return 100.0 * Levenshtein.distance(text, reference) / max(1, len(reference))


# `padan` with its language model read from argv[1] instead of the shipped one
_WITH_MODEL = (
    "import gzip, sys; from termbase import zh_lm; path = sys.argv.pop(1); "
    "m = zh_lm.read_model(gzip.open(path), path); zh_lm.model = lambda: m; "
    "from padan.cli import main; sys.argv[0] = 'padan'; main()"
)


def padan_fix(text: str, model: str | None = None) -> str:
    with tempfile.TemporaryDirectory() as tmp:
        src, out = Path(tmp, "in.txt"), Path(tmp, "out.txt")
        src.write_text(text, encoding="utf-8")
        padan = [sys.executable, "-c", _WITH_MODEL, model] if model else [PADAN]
        run = subprocess.run(
            [*padan, "fix", "--auto", "--lang", "zh", str(src), "-o", str(out)],
            capture_output=True,
            text=True,
        )
        if run.returncode:
            sys.exit(f"padan fix failed ({run.returncode}): {run.stderr.strip()}")
        return out.read_text(encoding="utf-8")


def blind_reverse(text: str) -> str:
    table = {_LOOKAROUND.sub("", e.pattern): e.original for e in lexicon().entries}
    forms = sorted(table, key=len, reverse=True)
    regex = re.compile("|".join(map(re.escape, forms)))
    return regex.sub(lambda m: table[m.group()], text)


def chinese_sets(halves: list[str]) -> Iterator[tuple[str, str, str]]:
    """(name, text, reference): 003, then each half's spun strings and its clean control."""
    spun003 = next(CORPUS.glob("003_*.txt")).read_text(encoding="utf-8")
    yield "003 spun article", spun003, (DATA / "003-reference.txt").read_text(encoding="utf-8")
    for half in halves:
        clean = (DATA / f"zh-{half}-clean.txt").read_text(encoding="utf-8")
        spun = (DATA / f"zh-{half}-spun.txt").read_text(encoding="utf-8")
        yield f"held-out ({half}) spun strings", spun, clean
        yield f"damage on clean strings ({half})", clean, clean


def indonesian() -> tuple[int, int, int, list[str]]:
    garbles = []
    for line in (DATA / "id-garbles.tsv").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            doc, wrong, right, _ = (line.split("\t") + [""])[:4]
            garbles.append((doc, wrong, right))
    found = right_count = 0
    misses = []
    for doc, wrong, right in garbles:
        path = next(CORPUS.glob(f"{doc}_*.txt"))
        report = subprocess.run(
            [PADAN, "check", "--lang", "id", "--format", "json", str(path)],
            capture_output=True,
            text=True,
        ).stdout
        lines = path.read_text(encoding="utf-8").splitlines()
        hit = good = False
        for f in json.loads(report):
            line = lines[f["line"] - 1]
            col = f["column"] - 1
            span = line[col : col + f["end"] - f["start"]]
            where = line.find(wrong, max(0, col - len(wrong)))
            if where < 0 or not (where <= col and col + len(span) <= where + len(wrong)):
                continue
            hit = True
            if f["suggestions"]:
                fixed = line[:col] + f["suggestions"][0] + line[col + len(span) :]
                good = good or line[:where] + right + line[where + len(wrong) :] == fixed
        found += hit
        right_count += good
        if not (hit and good):
            misses.append(f"{doc}: {wrong!r} → {right!r} ({'found' if hit else 'not found'})")
    return len(garbles), found, right_count, misses


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--half", choices=("dev", "test", "tico"), action="append")
    parser.add_argument("--model", action="append", help="a model file, or 'shipped'")
    args = parser.parse_args()
    models = [None if m == "shipped" else m for m in args.model or ["shipped"]]
    heads = " ".join(f"{Path(m).name[:14] if m else 'padan':>14}" for m in models)
    print(f"{'Chinese, CER %':40} {'raw':>8} {'blind':>8} {heads}")
    for name, text, ref in chinese_sets(args.half or ["test"]):
        cells = " ".join(f"{cer(padan_fix(text, m), ref):14.3f}" for m in models)
        print(f"{name:40} {cer(text, ref):8.3f} {cer(blind_reverse(text), ref):8.3f} {cells}")
    total, found, right, misses = indonesian()
    print(f"Indonesian garbles in 000/001: {found}/{total} found, {right}/{total} right")
    for miss in misses:
        print("  missed:", miss)


if __name__ == "__main__":
    main()
