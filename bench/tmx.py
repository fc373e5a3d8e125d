"""Benchmark: exporting and re-importing N translation units as TMX, beside po2tmx.

Builds N English→Indonesian units from the glib and bash catalogues in ../shared/data/po
(replicated with a running number to reach N), writes them as a PO file for the peer,
then times, each step in its own process so that peak memory is that step's alone:

- padan: write_tmx of the N units (streamed from a generator);
- padan: read_tmx of the result, iterating every unit;
- translate-toolkit: po2tmx of the same PO.

    python bench/tmx.py [--n 1000000]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "po"
ROOT = Path(__file__).resolve().parents[1]


def base_pairs() -> list[tuple[str, str]]:
    import polib

    pairs = []
    for name in ("glib-2.74.6_id.po", "bash-5.2_id.po"):
        for e in polib.pofile(str(DATA / name)).translated_entries():
            if not e.msgid_plural and "\n" not in e.msgid:
                pairs.append((e.msgid, e.msgstr))
    return pairs


def units(n: int) -> Iterator[object]:
    from tm.model import Unit, Variant

    pairs = base_pairs()
    for i in range(n):
        source, target = pairs[i % len(pairs)]
        yield Unit((Variant("en", f"{source} [{i}]"), Variant("id", f"{target} [{i}]")), key=str(i))


def step(name: str, n: int, folder: Path) -> None:
    """One measured step, run in a child process."""
    sys.path.insert(0, str(ROOT))
    from tm.formats.tmx import read_tmx, write_tmx

    if name == "write":
        write_tmx(units(n), folder / "padan.tmx", source_lang="en")
    elif name == "read":
        count = sum(1 for _ in read_tmx(folder / "padan.tmx").units())
        assert count == n, count
    elif name == "po":
        import polib

        catalog = polib.POFile(wrapwidth=0)
        catalog.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "id"}
        for i, (source, target) in enumerate(base_pairs() * (n // len(base_pairs()) + 1)):
            if i == n:
                break
            catalog.append(polib.POEntry(msgid=f"{source} [{i}]", msgstr=f"{target} [{i}]"))
        catalog.save(str(folder / "in.po"))


def measure(args: list[str]) -> tuple[float, float]:
    """Seconds and peak resident memory (MiB) of one child process (os.wait4: its own)."""
    start = time.perf_counter()
    child = subprocess.Popen(args, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - start
    if status != 0:
        raise SystemExit(f"{args} failed")
    return seconds, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--step", help=argparse.SUPPRESS)
    parser.add_argument("--folder", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step:
        step(args.step, args.n, Path(args.folder))
        return
    with tempfile.TemporaryDirectory() as tmp:
        me = [sys.executable, __file__, "--n", str(args.n), "--folder", tmp, "--step"]
        subprocess.run(me + ["po"], check=True)
        rows = []
        for label, cmd in (
            ("padan write_tmx (export)", me + ["write"]),
            ("padan read_tmx (re-import)", me + ["read"]),
            (
                "translate-toolkit po2tmx",
                [
                    sys.executable,
                    "-m",
                    "translate.convert.po2tmx",
                    "-l",
                    "id",
                    f"{tmp}/in.po",
                    f"{tmp}/tt.tmx",
                ],
            ),
        ):
            rows.append((label, *measure(cmd)))
        size = Path(tmp, "padan.tmx").stat().st_size / 2**20
    print(f"{args.n:,} units, padan.tmx {size:.0f} MiB")
    print(f"{'':30}{'seconds':>10}{'peak MiB':>12}")
    for label, seconds, peak in rows:
        print(f"{label:30}{seconds:>10.1f}{peak:>12.0f}")


if __name__ == "__main__":
    main()
