"""Benchmark: TMX export and re-import of N units with Padan, beside translate-toolkit's po2tmx.

Builds N English→Indonesian units from the translated entries of the Indonesian
catalogues in ../shared/data/po (replicated with a small numeric edit, so no two units
are equal), writes them as a PO file for the peer, then times each step in its own
process, so that its peak resident memory is its own (os.wait4 gives a child's rusage):

- Padan tm.formats.tmx_write.write_tmx of the N units, streamed from a generator;
- Padan tm.formats.tmx_read.read_tmx of the result, iterating every unit;
- translate-toolkit po2tmx on the same PO (PO parsing included: that is its job).

    python bench/tmx.py [--n 1000000]
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PO_DATA = ROOT.parent / "shared" / "data" / "po"
_NUMBER = re.compile(r"\d+")


def base_pairs() -> list[tuple[str, str]]:
    """(msgid, msgstr) of every translated singular entry of the *_id.po catalogues."""
    import polib

    pairs = []
    for path in sorted(PO_DATA.glob("*_id.po")):
        for entry in polib.pofile(str(path)).translated_entries():
            if not entry.msgid_plural and "fuzzy" not in entry.flags:
                pairs.append((entry.msgid, entry.msgstr))
    return pairs


def edited_pairs(n: int) -> Iterator[tuple[str, str]]:
    """n pairs: the base pairs again and again, each round with a number appended."""
    pairs = base_pairs()
    for i in range(n):
        source, target = pairs[i % len(pairs)]
        round_ = i // len(pairs)
        if round_:
            source, target = f"{source} ({round_})", f"{target} ({round_})"
        yield source, target


def make_po(n: int, path: Path) -> None:
    import polib

    catalog = polib.POFile(wrapwidth=0)
    catalog.metadata = {
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Language": "id",
    }
    for i, (source, target) in enumerate(edited_pairs(n)):
        catalog.append(polib.POEntry(msgid=source, msgstr=target, msgctxt=str(i)))
    catalog.save(str(path))


def padan_write(n: int, path: Path) -> None:
    from tm.formats.tmx_write import write_tmx
    from tm.model import Unit, Variant

    units = (
        Unit((Variant("en", source), Variant("id", target)), key=str(i))
        for i, (source, target) in enumerate(edited_pairs(n))
    )
    assert write_tmx(units, path, source_lang="en") == n


def padan_read(n: int, path: Path) -> None:
    from tm.formats.tmx_read import read_tmx

    count = sum(1 for _ in read_tmx(path).units())
    assert count == n, count


STEPS = {"po": make_po, "write": padan_write, "read": padan_read}


def measure(command: list[str]) -> tuple[float, float]:
    """Seconds and peak resident MiB of one child process."""
    start = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - start
    if status != 0:
        raise SystemExit(f"failed: {' '.join(command)}")
    return seconds, usage.ru_maxrss / 1024  # KiB on Linux


def count_tu(path: Path) -> int:
    """tu elements in a file, counted by the parser (po2tmx's output is checked too)."""
    from lxml import etree

    count = 0
    for _, tu in etree.iterparse(str(path), tag="tu"):
        count += 1
        tu.clear()
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="units (default 1,000,000)")
    parser.add_argument("--step", choices=sorted(STEPS), help=argparse.SUPPRESS)
    parser.add_argument("--file", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step:
        sys.path.insert(0, str(ROOT))
        STEPS[args.step](args.n, args.file)
        return
    with tempfile.TemporaryDirectory() as folder:
        po, ours, theirs = (Path(folder) / name for name in ("in.po", "padan.tmx", "tt.tmx"))
        me = [sys.executable, __file__, "--n", str(args.n), "--file"]
        subprocess.run([*me, str(po), "--step", "po"], check=True)
        tt = [sys.executable, "-m", "translate.convert.po2tmx", "--progress=none"]
        rows = [
            ("padan write_tmx (export)", *measure([*me, str(ours), "--step", "write"])),
            ("padan read_tmx (re-import)", *measure([*me, str(ours), "--step", "read"])),
            ("translate-toolkit po2tmx", *measure([*tt, "-l", "id", str(po), str(theirs)])),
        ]
        sizes = [p.stat().st_size / 2**20 for p in (po, ours, theirs)]
        assert count_tu(theirs) == args.n, "po2tmx did not convert every entry"
    print(f"{args.n:,} units; PO {sizes[0]:.0f} MiB, padan.tmx {sizes[1]:.0f} MiB, ", end="")
    print(f"po2tmx's TMX {sizes[2]:.0f} MiB")
    print(f"{'':30}{'seconds':>10}{'peak MiB':>10}{'units/s':>10}")
    for label, seconds, peak in rows:
        print(f"{label:30}{seconds:>10.1f}{peak:>10.0f}{args.n / seconds:>10,.0f}")


if __name__ == "__main__":
    main()
