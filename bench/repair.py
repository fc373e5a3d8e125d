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

    python bench/repair.py [--half dev|test|tico]     # test by default
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
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


def padan_fix(text: str) -> str:
    with tempfile.TemporaryDirectory() as tmp:
        src, out = Path(tmp, "in.txt"), Path(tmp, "out.txt")
        src.write_text(text, encoding="utf-8")
        subprocess.run(
            [PADAN, "fix", "--auto", "--lang", "zh", str(src), "-o", str(out)],
            check=True,
            capture_output=True,
        )
        return out.read_text(encoding="utf-8")


def blind_reverse(text: str) -> str:
    table = {_LOOKAROUND.sub("", e.pattern): e.original for e in lexicon().entries}
    forms = sorted(table, key=len, reverse=True)
    regex = re.compile("|".join(map(re.escape, forms)))
    return regex.sub(lambda m: table[m.group()], text)


def chinese(half: str) -> list[tuple[str, float, float, float]]:
    rows = []
    spun003 = next(CORPUS.glob("003_*.txt")).read_text(encoding="utf-8")
    ref003 = (DATA / "003-reference.txt").read_text(encoding="utf-8")
    clean = (DATA / f"zh-{half}-clean.txt").read_text(encoding="utf-8")
    spun = (DATA / f"zh-{half}-spun.txt").read_text(encoding="utf-8")
    for name, text, ref in (
        ("003 spun article", spun003, ref003),
        (f"held-out ({half}) spun strings", spun, clean),
        (f"damage on clean strings ({half})", clean, clean),
    ):
        rows.append(
            (name, cer(text, ref), cer(blind_reverse(text), ref), cer(padan_fix(text), ref))
        )
    return rows


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
    parser.add_argument("--half", choices=("dev", "test", "tico"), default="test")
    args = parser.parse_args()
    print(f"{'Chinese, CER %':40} {'raw':>8} {'blind':>8} {'padan':>8}")
    for name, raw, blind, fixed in chinese(args.half):
        print(f"{name:40} {raw:8.3f} {blind:8.3f} {fixed:8.3f}")
    total, found, right, misses = indonesian()
    print(f"Indonesian garbles in 000/001: {found}/{total} found, {right}/{total} right")
    for miss in misses:
        print("  missed:", miss)


if __name__ == "__main__":
    main()
