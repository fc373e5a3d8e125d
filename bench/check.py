"""Benchmark: consistency checks on bilingual units, Padan against translate-toolkit's pofilter.

Builds --units English→Chinese units from this machine's zh_CN Gettext catalogues
(/usr/share/locale/zh_CN/LC_MESSAGES/*.mo; replicated with a number put in front to
reach the count) and a term base of --concepts concepts: the commonest English words of the
msgids, each paired with the Chinese two-character string most associated with it in
the msgstrs (count of co-occurrence over the square root of the string's frequency), so
that term checks really match and really miss. The units are written to one PO file.

Then it times, on the same units, the checks alone (units already read, as each tool
holds them) and each tool's command on the PO file (reading it and writing its report):
- Padan's Checker.pairs (term missing/forbidden/inconsistent, Chinese spin, casing and
  its selection of pofilter checks), on one core and, as ``padan check`` runs it, with
  a worker process per core (the two must find the same);
- pofilter's checks (translate-toolkit's own per-unit filter, every default check, as
  its command configures them) on the units translate-toolkit read from the PO file;
- ``padan check units.po --termbase tb.tbx`` and ``pofilter units.po out.po`` as
  subprocesses, the way CI runs them.

and prints units per second (the best of --repeat runs each: this machine's timings
vary by a third from run to run). Goal: Padan's checks at least 5x pofilter's
throughput with term checks included. With --baseline (another checkout of Padan, e.g.
``git worktree add /tmp/base main``) its ``padan check`` is timed in the same runs.

    python bench/check.py [--units 100000] [--concepts 5000] [--repeat 1] [--baseline DIR]
"""

from __future__ import annotations

import argparse
import glob
import math
import os
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

import polib
from translate.filters import checks, pofilter
from translate.storage import factory

from termbase.checks.runner import Checker
from termbase.formats.tbx_write import write_tbx
from termbase.model import Concept, Term

ROOT = Path(__file__).resolve().parents[1]
_WORD = re.compile(r"[A-Za-z][a-z]{3,}")
_HAN2 = re.compile(r"(?=([\u4e00-\u9fff]{2}))")
_STOP = {"this", "that", "with", "from", "have", "will", "when", "file", "cannot", "there"}


def catalogue_pairs() -> list[tuple[str, str]]:
    pairs = []
    for path in sorted(glob.glob("/usr/share/locale/zh_CN/LC_MESSAGES/*.mo")):
        for entry in polib.mofile(path):
            if entry.msgid and entry.msgstr:
                pairs.append((entry.msgid, entry.msgstr))
    return pairs


def replicate(pairs: list[tuple[str, str]], size: int) -> list[tuple[str, str]]:
    out = list(pairs[:size])
    copy = 0
    while len(out) < size:
        copy += 1
        for source, target in pairs[: size - len(out)]:
            out.append((f"{copy}: {source}", f"{copy}: {target}"))
    return out


def term_base(pairs: list[tuple[str, str]], size: int) -> list[Concept]:
    words = Counter(w.lower() for s, _ in pairs for w in set(_WORD.findall(s)))
    chosen = [w for w, _ in words.most_common(size * 2) if w not in _STOP][:size]
    wanted = set(chosen)
    han_freq: Counter[str] = Counter()
    together: dict[str, Counter[str]] = defaultdict(Counter)
    for source, target in pairs:
        han = set(_HAN2.findall(target))
        han_freq.update(han)
        for w in {w.lower() for w in _WORD.findall(source)} & wanted:
            together[w].update(han)
    concepts = []
    for i, word in enumerate(chosen):
        if not together[word]:
            continue
        # sorted: ties go the same way whatever the hash seed (the strings came from sets)
        best = max(sorted(together[word]), key=lambda h: together[word][h] / math.sqrt(han_freq[h]))
        concepts.append(Concept(f"c{i}", (Term(word, "en"), Term(best, "zh"))))
    return concepts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=100_000)
    parser.add_argument("--concepts", type=int, default=5_000)
    parser.add_argument("--repeat", type=int, default=1, help="best of this many runs each")
    parser.add_argument("--baseline", type=Path, help="another checkout of Padan")
    args = parser.parse_args()

    pairs = catalogue_pairs()
    units = replicate(pairs, args.units)
    concepts = term_base(pairs, args.concepts)
    print(f"{len(units):,} units from {len(pairs):,} catalogue entries; {len(concepts):,} concepts")

    with tempfile.TemporaryDirectory() as tmp:
        po = Path(tmp) / "units.po"
        catalog = polib.POFile(wrapwidth=0)
        catalog.metadata = {"Language": "zh_CN", "Content-Type": "text/plain; charset=UTF-8"}
        for i, (source, target) in enumerate(units):
            catalog.append(polib.POEntry(msgctxt=str(i), msgid=source, msgstr=target))
        catalog.save(str(po))
        tbx = Path(tmp) / "tb.tbx"
        write_tbx(concepts, tbx)

        rows = [(str(i), s, t) for i, (s, t) in enumerate(units)]
        cores = os.cpu_count() or 1
        out = Path(tmp) / "out.po"
        pofilter_units = factory.getobject(str(po)).units
        padan = [sys.executable, "-c", "from padan.cli import main; main()"]
        padan_command = [*padan, "check", str(po), "--termbase", str(tbx), "--fail-on", "never"]
        pofilter_command = [sys.executable, "-m", "translate.filters.pofilter", str(po), str(out)]
        read_command = [sys.executable, "-c", _READ, str(po)]
        # Each checkout's commands run in its folder: ``python -c`` puts the working folder
        # first on the path, before PYTHONPATH (run from this checkout, the "baseline" was
        # this checkout again).
        commands: list[tuple[str, list[str], dict[str, str] | None, Path]] = [
            ("padan_cmd", padan_command, None, ROOT),
            ("pofilter_cmd", pofilter_command, None, ROOT),
            ("padan_read", read_command, None, ROOT),
        ]
        if args.baseline:
            baseline = args.baseline.resolve()
            env = {**os.environ, "PYTHONPATH": str(baseline)}
            commands.append(("baseline_cmd", padan_command, env, baseline))
            commands.append(("baseline_read", read_command, env, baseline))
        best = dict.fromkeys(
            ["padan", "padan_all", "pofilter", *(key for key, _, _, _ in commands)], math.inf
        )
        peak: dict[str, int] = {}  # MiB, of the last run
        cpu: dict[str, float] = {}  # CPU seconds, of the last run
        for _ in range(args.repeat):
            seconds = {}
            start = time.perf_counter()
            found = Checker(concepts).pairs(rows, "en", "zh")
            seconds["padan"] = time.perf_counter() - start
            start = time.perf_counter()
            found_all = Checker(concepts).pairs(rows, "en", "zh", workers=cores)
            seconds["padan_all"] = time.perf_counter() - start
            assert found_all == found
            start = time.perf_counter()
            flagged = pofilter_checks(pofilter_units, po, out)
            seconds["pofilter"] = time.perf_counter() - start
            for key, command, environ, folder in commands:
                seconds[key], peak[key], cpu[key] = timed(
                    command, environ, folder, Path(tmp) / "stdout"
                )
            best = {key: min(best[key], seconds[key]) for key in best}
        assert flagged == sum(1 for e in polib.pofile(str(out)) if e.msgid)
        rules = Counter(f.rule for f in found)

    n = len(units)
    print(f"{'':40}{'seconds':>10}{'units/s':>12}{'findings':>14}{'peak MiB':>10}{'CPU s':>8}")
    for name, key, count in (
        ("checks: padan, one core", "padan", f"{len(found):,}"),
        (f"checks: padan, {cores} cores (as padan check)", "padan_all", f"{len(found):,}"),
        ("checks: pofilter (every default check)", "pofilter", f"{flagged:,} units"),
        ("command: padan check --termbase", "padan_cmd", ""),
        ("command: pofilter", "pofilter_cmd", ""),
        ("command: baseline padan check", "baseline_cmd", ""),
        ("read alone: padan PO reader", "padan_read", ""),
        ("read alone: baseline PO reader", "baseline_read", ""),
    ):
        if key in best:
            memory = f"{peak[key]:>10,}{cpu[key]:>8.1f}" if key in peak else ""
            print(f"{name:40}{best[key]:>10.1f}{n / best[key]:>12,.0f}{count:>14}{memory}")
    print(
        f"padan/pofilter check throughput: {best['pofilter'] / best['padan']:.2f}x on one core, "
        f"{best['pofilter'] / best['padan_all']:.2f}x on {cores} (goal: 5x); "
        f"commands, reading and reporting included: "
        f"{best['pofilter_cmd'] / best['padan_cmd']:.2f}x"
        + (
            f" (baseline: {best['pofilter_cmd'] / best['baseline_cmd']:.2f}x)"
            if "baseline_cmd" in best
            else ""
        )
    )
    print(
        f"commands' CPU seconds, pofilter/padan: {cpu['pofilter_cmd'] / cpu['padan_cmd']:.2f}x"
        + (
            f" (baseline: {cpu['pofilter_cmd'] / cpu['baseline_cmd']:.2f}x)"
            if "baseline_cmd" in cpu
            else ""
        )
        + "; load average (1, 5, 15 min): "
        + ", ".join(f"{x:.1f}" for x in os.getloadavg())
    )
    print("padan findings by rule: " + ", ".join(f"{r} {n:,}" for r, n in rules.most_common(8)))


# Reading alone, as padan check and import read: every entry parsed, nothing kept.
_READ = "import sys; from tm.formats.po import po_entries; sum(1 for _ in po_entries(sys.argv[1]))"


# Runs a command and prints its peak memory (KiB) to stderr: measured from a process of
# its own, since a child forked from this large one starts with this one's peak.
_PEAK = (
    "import resource, subprocess, sys; r = subprocess.run(sys.argv[1:]).returncode; "
    "u = resource.getrusage(resource.RUSAGE_CHILDREN); "
    "print(u.ru_maxrss, u.ru_utime + u.ru_stime, file=sys.stderr); "
    "sys.exit(r)"
)


def timed(
    command: list[str], env: dict[str, str] | None, folder: Path, out: Path
) -> tuple[float, int, float]:
    """Seconds a command takes, run in ``folder`` (its output to ``out``), its peak resident
    memory (MiB) and the CPU seconds of its processes (the machine may be loaded: wall
    time then says less)."""
    start = time.perf_counter()
    with out.open("wb") as stdout:
        done = subprocess.run(
            [sys.executable, "-c", _PEAK, *command],
            stdout=stdout,
            stderr=subprocess.PIPE,
            env=env,
            cwd=folder,
            check=True,
        )
    seconds = time.perf_counter() - start
    kib, cpu = done.stderr.split()[-2:]
    return seconds, int(kib) // 1024, float(cpu)


def pofilter_checks(units: list, po: Path, out: Path) -> int:
    """pofilter's per-unit work, configured as its command does for ``po``: how many
    units fail a check."""
    parser = pofilter.cmdlineparser()
    options, _ = parser.parse_args([str(po), str(out)])
    config = parser.build_checkerconfig(options)
    checker = pofilter.pocheckfilter(
        options, [checks.StandardChecker, checks.StandardUnitChecker], config
    )
    return sum(1 for unit in units if checker.filterunit(unit))


if __name__ == "__main__":
    main()
