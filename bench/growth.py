"""Benchmark: the commands a user runs, at growing sizes, beside a baseline checkout.

Builds en→id translation units from this machine's Indonesian Gettext catalogues
(/usr/share/locale/id/LC_MESSAGES/*.mo), replicated with small edits (a word replaced or
two swapped, on each side) to --sizes units, written to one PO file per size. Then, for
this checkout and for --baseline (another checkout of Padan, e.g. ``git worktree add
/tmp/base main``), on SQLite and on PostgreSQL (a throw-away server started as the tests
start one, tests/pg_server.py), each command runs as a user runs it, in a fresh process,
timed with its peak memory (``/usr/bin/time``):

- ``padan import units.po``;
- ``padan search TEXT`` (the median of --queries perturbed units), beside a process that
  imports the command line and only opens the workspace: the goal is at most 0.3 s more;
- the app's memory panel: one index kept open, the median milliseconds of a look-up
  (padan/jobs.py ``fuzzy_matches``; goal 10 ms);
- ``padan stats`` after 1 % of the target texts were edited (goal at 200,000 units: 5 s);
  the baseline is skipped above --baseline-stats-max units (it holds every pair and
  scores them all: 4.2 GiB at 200,000);
- ``padan export out.tmx``;
- with both backends, whether the top 10 of 200 queries (positions and scores) are the
  same on SQLite and PostgreSQL, equal scores included.

    python bench/growth.py [--sizes 100000 300000 1000000] [--baseline /tmp/base]
        [--backends sqlite postgresql] [--queries 5] [--only import]

``--only import`` measures the import alone (its figure: seconds, peak MiB and
microseconds per unit, beside the baseline's).
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

_WORD_RE = re.compile(r"\w+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_OPEN = (
    "import sys; from padan.cli import main; from padan.workspace import Workspace; "
    "Workspace(sys.argv[1]).close()"
)
_PANEL = """
import statistics, sys, time, inspect
from padan.jobs import fuzzy_matches, memory_index
from padan.workspace import Workspace
ws = Workspace(sys.argv[1])
wanted = (int(sys.argv[2]),)
first = ws.db.query("SELECT id FROM variants WHERE lang = 'en' ORDER BY id LIMIT ?", wanted)
found = ws.documents.by_id([i for (i,) in first])  # not every variant: 700 MiB at 1M
variants = [found[i] for (i,) in first]
memory = memory_index(ws, "en", "id", [])
new = "ws" in inspect.signature(fuzzy_matches).parameters
times = []
for v in variants:
    start = time.perf_counter()
    fuzzy_matches(ws, memory, v) if new else fuzzy_matches(memory, v)
    times.append(1000 * (time.perf_counter() - start))
print(statistics.median(times[1:]))
"""

_RANK = """
import json, sys
from padan.workspace import Workspace
from tm.fuzzy import open_index
ws = Workspace(sys.argv[1])
index = open_index(ws.db, "en")
found = []
for query in json.load(open(sys.argv[2])):
    matches = index.search(query, limit=10, min_score=50)
    where = ws.documents.by_id([m.segment_id for m in matches])
    found.append([[where[m.segment_id].position, round(m.score, 2)] for m in matches])
print(json.dumps(found))
"""


def catalogue_pairs() -> list[tuple[str, str]]:
    pairs: dict[tuple[str, str], None] = {}
    for path in sorted(glob.glob("/usr/share/locale/id/LC_MESSAGES/*.mo")):
        try:
            catalogue = polib.mofile(path)
        except (OSError, ValueError, UnicodeDecodeError):
            continue
        for entry in catalogue:
            texts = (entry.msgid, entry.msgstr)
            if all(t.strip() and not _CONTROL.search(t) for t in texts):  # TMX can't hold them
                pairs[texts] = None
    return list(pairs)


def _edit(text: str, rng: random.Random, vocabulary: list[str]) -> str:
    spans = [m.span() for m in _WORD_RE.finditer(text)]
    if len(spans) >= 2 and rng.random() < 0.3:
        (a0, a1), (b0, b1) = sorted(rng.sample(spans, 2))
        return text[:a0] + text[b0:b1] + text[a1:b0] + text[a0:a1] + text[b1:]
    if spans:
        start, end = rng.choice(spans)
        return text[:start] + rng.choice(vocabulary) + text[end:]
    return text + " " + rng.choice(vocabulary)


def _quote(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return '"' + escaped.replace("\t", "\\t").replace("\r", "\\r") + '"'


def write_units(path: Path, size: int, pairs: list[tuple[str, str]], seed: int) -> list[str]:
    """A PO file of ``size`` units; returns a few of its sources, perturbed, as queries."""
    rng = random.Random(seed)
    en_words = sorted({w for s, _ in pairs for w in _WORD_RE.findall(s)})
    id_words = sorted({w for _, t in pairs for w in _WORD_RE.findall(t)})
    sources = []
    with open(path, "w", encoding="utf-8") as out:
        out.write('msgid ""\nmsgstr ""\n"Language: id\\n"\n')
        out.write('"Content-Type: text/plain; charset=UTF-8\\n"\n\n')
        for i in range(size):
            source, target = pairs[i % len(pairs)]
            if i >= len(pairs):
                source, target = _edit(source, rng, en_words), _edit(target, rng, id_words)
            out.write(f"msgctxt {_quote(f'u{i}')}\nmsgid {_quote(source)}\n")
            out.write(f"msgstr {_quote(target)}\n\n")
            if len(sources) < 1000 and len(source.split()) >= 4 and rng.random() < 0.01:
                sources.append(source)
    return [_edit(s, rng, en_words) for s in sources]


def run(code: Path, args: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """Wall seconds, peak MiB and output of ``python args`` with ``code`` first on the path."""
    with tempfile.NamedTemporaryFile("r") as timing:
        result = subprocess.run(
            ["/usr/bin/time", "-f", "%e %M %U %S", "-o", timing.name, sys.executable, *args],
            env={**env, "PYTHONPATH": str(code)},
            capture_output=True,
            text=True,
            cwd=code,
        )
        if result.returncode:
            raise RuntimeError(f"{args}: {result.stderr[-2000:]}")
        seconds, kib, user, system = timing.read().split()[-4:]
    cpu.append(float(user) + float(system))
    return float(seconds), int(kib) / 1024, result.stdout


cpu: list[float] = []
"""CPU seconds of each command run, the last one last: on a shared machine, wall time
is mostly the wait for a core."""


def padan(*args: str) -> list[str]:
    return ["-c", "import sys; from padan.cli import main; sys.exit(main())", *args]


def ranking(code: Path, db: str, queries: Path) -> list[list[list[float]]]:
    """(position, score) of the top 10 of each query: the same on every backend?"""
    _, _, printed = run(code, ["-c", _RANK, db, str(queries)], dict(os.environ))
    found: list[list[list[float]]] = json.loads(printed)
    return found


def measure(
    code: Path, db: str, po: Path, queries: list[str], stats: bool, out: Path, only: str | None
) -> dict:
    env = dict(os.environ)
    figures: dict[str, tuple[float, float]] = {}
    seconds, mib, _ = run(code, padan("--db", db, "import", str(po)), env)
    figures["import"] = (seconds, mib)
    figures["import (CPU s)"] = (cpu[-1], mib)
    _progress(code, "import", figures)
    _progress(code, "import (CPU s)", figures)
    if only == "import":
        return figures
    if code == ROOT:
        rankings[db] = ranking(code, db, po.with_suffix(".queries.json"))
    opened = [run(code, ["-c", _OPEN, db], env) for _ in range(3)]
    figures["open only"] = (
        statistics.median(s for s, _, _ in opened),
        max(m for _, m, _ in opened),
    )
    _progress(code, "open only", figures)
    searched = [run(code, padan("--db", db, "search", q, "--lang", "en"), env) for q in queries]
    figures["search"] = (
        statistics.median(s for s, _, _ in searched),
        max(m for _, m, _ in searched),
    )
    _progress(code, "search", figures)
    _, mib, printed = run(code, ["-c", _PANEL, db, "21"], env)
    figures["panel ms"] = (float(printed), mib)
    _progress(code, "panel ms", figures)
    if stats:
        _edit_one_percent(db)
        seconds, mib, _ = run(code, padan("--db", db, "stats", "--json"), env)
        figures["stats (1% edited)"] = (seconds, mib)
        _progress(code, "stats (1% edited)", figures)
    seconds, mib, _ = run(code, padan("--db", db, "export", str(out)), env)
    figures["export tmx"] = (seconds, mib)
    _progress(code, "export tmx", figures)
    return figures


rankings: dict[str, list[list[list[float]]]] = {}  # by workspace, this size


def _progress(code: Path, key: str, figures: dict[str, tuple[float, float]]) -> None:
    """Each figure as soon as it is measured (on stderr): a long run cut short keeps them."""
    seconds, mib = figures[key]
    print(f"  [{code}] {key}: {seconds:.2f} ({mib:.0f} MiB)", file=sys.stderr, flush=True)


def _edit_one_percent(db: str) -> None:
    from corpora.db import Database

    with Database(db) as database, database.transaction():
        database.execute(
            "UPDATE variants SET current = current || ' (disunting)' "
            "WHERE lang = 'id' AND id % 100 = 0"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 300_000, 1_000_000])
    parser.add_argument("--baseline", type=Path, help="another checkout of Padan")
    parser.add_argument("--backends", nargs="+", default=["sqlite", "postgresql"])
    parser.add_argument("--queries", type=int, default=5)
    parser.add_argument("--baseline-stats-max", type=int, default=300_000)
    parser.add_argument("--work", type=Path, help="folder for the PO files and workspaces")
    parser.add_argument("--only", choices=["import"], help="measure this command alone")
    args = parser.parse_args()

    work = args.work or Path(tempfile.mkdtemp(prefix="padan-growth-"))
    work.mkdir(parents=True, exist_ok=True)
    pairs = catalogue_pairs()
    codes = [("padan", ROOT)] + ([("baseline", args.baseline.resolve())] if args.baseline else [])
    server = None
    if "postgresql" in args.backends:
        from pg_server import PostgresServer

        server = PostgresServer().start()
    print(
        f"{len(pairs):,} en→id catalogue pairs, replicated with edits; {os.cpu_count()} cores "
        f"shared; seconds (peak MiB) per command, each in a fresh process"
    )
    try:
        for size in args.sizes:
            po = work / f"units-{size}.po"
            if not po.exists() or not po.with_suffix(".queries.json").exists():
                queries = write_units(po, size, pairs, seed=size)  # kept for the next run
                po.with_suffix(".queries.json").write_text(json.dumps(queries[:200]))
            queries = json.loads(po.with_suffix(".queries.json").read_text())
            queries = queries[: args.queries]
            rankings.clear()
            for backend in args.backends:
                results = {}
                for name, code in codes:
                    stats = name == "padan" or size <= args.baseline_stats_max
                    if backend == "sqlite":
                        db = str(work / f"{name}-{size}.db")
                        for leftover in glob.glob(db + "*"):
                            os.remove(leftover)
                    else:
                        assert server is not None
                        db = server.create_database(f"{name}_{size}")
                    started = time.perf_counter()
                    results[name] = measure(
                        code, db, po, queries, stats, work / "out.tmx", args.only
                    )
                    results[name]["(bench total)"] = (time.perf_counter() - started, 0.0)
                _report(size, backend, results)
                if args.only == "import":
                    for name in results:
                        seconds, cpu_seconds = (
                            results[name][k][0] for k in ("import", "import (CPU s)")
                        )
                        print(
                            f"  {name} import: {1e6 * seconds / size:.1f} us/unit wall, "
                            f"{1e6 * cpu_seconds / size:.1f} us/unit CPU"
                        )
            if len(rankings) == 2:
                first, second = rankings.values()
                same = sum(a == b for a, b in zip(first, second, strict=True))
                ties = sum(len({score for _, score in r}) < len(r) for r in first)
                print(
                    f"  top 10 of {len(first)} queries: the same positions and scores on both "
                    f"backends for {same} ({ties} have equal scores)"
                )
    finally:
        if server is not None:
            server.stop()


def _report(size: int, backend: str, results: dict[str, dict[str, tuple[float, float]]]) -> None:
    print(f"\n{size:,} units, {backend}")
    names = list(results)
    ratio = "   padan/baseline" if len(names) > 1 else ""
    print(f"  {'':22}" + "".join(f"{n:>24}" for n in names) + ratio)
    for key in results["padan"]:
        cells = []
        for name in names:
            seconds, mib = results[name].get(key, (float("nan"), 0.0))
            unit = " ms" if key == "panel ms" else " s "
            cells.append(f"{seconds:>10.2f}{unit}({mib:>7.0f} MiB)")
        ratio = ""
        if len(names) > 1 and key in results["baseline"]:
            ratio = f"   {results['padan'][key][0] / results['baseline'][key][0]:.3f}x"
        print(f"  {key:22}" + "".join(f"{c:>24}" for c in cells) + ratio)
    mine = results["padan"]
    if "search" not in mine:
        return
    print(
        f"  search costs {mine['search'][0] - mine['open only'][0]:+.2f} s over opening the "
        "workspace (goal: at most 0.3 s)"
    )


if __name__ == "__main__":
    main()
