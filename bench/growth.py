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
- ``padan export`` of each of --exports (default TMX): TMX, PO and MO of the pair,
  XLIFF, the revisions PO and the text of the document; each checkout's output is
  compared (the time of export in a header aside);
- with both backends, whether the top 10 of 200 queries (positions and scores) are the
  same on SQLite and PostgreSQL, equal scores included.

Each figure is wall seconds (peak MiB), then the process's CPU seconds: on a shared
machine the wall time follows the load, the CPU time much less.

--measures picks some of them. With --reuse, the PO files and workspaces already in --work
(SQLite) or on --pg-url's server (PostgreSQL) that hold the size's units are kept, and
the checkout and the baseline measure on the same workspace (their schemas must agree):
no import is then measured, a 1M workspace is built once for several runs.

    python bench/growth.py [--sizes 100000 300000 1000000] [--baseline /tmp/base]
        [--backends sqlite postgresql] [--queries 5] [--measures stats export]
        [--work DIR --reuse] [--pg-url postgresql://padan@/postgres?host=...]
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
from typing import Any

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


MEASURES = ("import", "search", "panel", "stats", "export")


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
    code: Path,
    db: str,
    po: Path,
    queries: list[str],
    stats: bool,
    out: Path,
    wanted: frozenset[str] = frozenset(MEASURES),
) -> dict:
    env = dict(os.environ)
    figures: dict[str, tuple[float, float]] = {}
    if "import" in wanted:
        seconds, mib, _ = run(code, padan("--db", db, "import", str(po)), env)
        figures["import"] = (seconds, mib)
        _progress(code, "import", figures)
    if "search" in wanted and code == ROOT:
        rankings[db] = ranking(code, db, po.with_suffix(".queries.json"))
    if "search" in wanted:
        _search(code, db, queries, env, figures)
    if "panel" in wanted:
        _, mib, printed = run(code, ["-c", _PANEL, db, "21"], env)
        figures["panel ms"] = (float(printed), mib)
        _progress(code, "panel ms", figures)
    if stats and "stats" in wanted:
        _edit_one_percent(db)
        seconds, mib, _ = run(code, padan("--db", db, "stats", "--json"), env)
        figures["stats (1% edited)"] = (seconds, mib)
        _progress(code, "stats (1% edited)", figures)
    if "export" in wanted:
        for kind in exports:
            path = out.with_name(f"{out.stem}-{code.name}-{kind}{EXPORTS[kind][0]}")
            extra = [a.replace("DOC", po.name) for a in EXPORTS[kind][1:]]
            seconds, mib, _ = run(code, padan("--db", db, "export", str(path), *extra), env)
            figures[f"export {kind}"] = (seconds, mib)
            _progress(code, f"export {kind}", figures)
            written[kind].append(_digest(path))
            path.unlink()
    return figures


EXPORTS = {  # --exports: suffix and options of each `padan export`
    "tmx": (".tmx",),
    "po": (".po", "--from", "en", "--to", "id"),
    "mo": (".mo", "--from", "en", "--to", "id"),
    "xliff": (".xlf", "--from", "en", "--to", "id"),
    "revisions": (".po", "--document", "DOC"),
    "txt": (".txt", "--document", "DOC"),
}
exports: list[str] = ["tmx"]
written: dict[str, list[str]] = {kind: [] for kind in EXPORTS}  # digests, by checkout


def _digest(path: Path) -> str:
    """The file's SHA-256, the times of export in a header left out (TMX creationdate,
    PO POT-Creation-Date and PO-Revision-Date)."""
    import hashlib

    digest = hashlib.sha256()
    with open(path, "rb") as f:
        first = f.read(4096)
        first = re.sub(rb'creationdate="[^"]*"', b"", first)
        digest.update(re.sub(rb'"(POT-Creation|PO-Revision)-Date: [^"]*"', b"", first))
        while block := f.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def _search(code: Path, db: str, queries: list[str], env: dict[str, str], figures: dict) -> None:
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


rankings: dict[str, list[list[list[float]]]] = {}  # by workspace, this size
cpu_of: dict[tuple[Path, str], float] = {}  # CPU seconds by (checkout, figure)


def _progress(code: Path, key: str, figures: dict[str, tuple[float, float]]) -> None:
    """Each figure as soon as it is measured (on stderr): a long run cut short keeps them."""
    seconds, mib = figures[key]
    cpu_of[(code, key)] = cpu[-1]
    print(
        f"  [{code}] {key}: {seconds:.2f} ({mib:.0f} MiB) cpu {cpu[-1]:.2f} s",
        file=sys.stderr,
        flush=True,
    )


def _edit_one_percent(db: str) -> None:
    from corpora.db import Database

    with Database(db) as database, database.transaction():
        database.execute(
            "UPDATE variants SET current = original || ' (disunting)' "
            "WHERE lang = 'id' AND id % 100 = 0"  # the same edit again on a reused workspace
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 300_000, 1_000_000])
    parser.add_argument("--baseline", type=Path, help="another checkout of Padan")
    parser.add_argument("--backends", nargs="+", default=["sqlite", "postgresql"])
    parser.add_argument("--queries", type=int, default=5)
    parser.add_argument("--baseline-stats-max", type=int, default=300_000)
    parser.add_argument("--work", type=Path, help="folder for the PO files and workspaces")
    parser.add_argument("--measures", nargs="+", choices=MEASURES, default=list(MEASURES))
    parser.add_argument("--reuse", action="store_true", help="keep workspaces (see above)")
    parser.add_argument("--pg-url", help="a running server's URL, instead of a throw-away one")
    parser.add_argument("--exports", nargs="+", choices=EXPORTS, default=exports)
    args = parser.parse_args()
    exports[:] = args.exports

    work = args.work or Path(tempfile.mkdtemp(prefix="padan-growth-"))
    work.mkdir(parents=True, exist_ok=True)
    pairs = catalogue_pairs()
    codes = [("padan", ROOT)] + ([("baseline", args.baseline.resolve())] if args.baseline else [])
    server = None
    if "postgresql" in args.backends and not args.pg_url:
        from pg_server import PostgresServer

        server = PostgresServer().start()
    print(
        f"{len(pairs):,} en→id catalogue pairs, replicated with edits; {os.cpu_count()} cores "
        f"shared; seconds (peak MiB) per command, each in a fresh process"
    )
    try:
        for size in args.sizes:
            po = work / f"units-{size}.po"
            listed = po.with_suffix(".queries.json")
            if args.reuse and po.exists() and listed.exists():
                queries = json.loads(listed.read_text())
            else:
                queries = write_units(po, size, pairs, seed=size)
                listed.write_text(json.dumps(queries[:200]))
            queries = queries[: args.queries]
            rankings.clear()
            for backend in args.backends:
                results = {}
                for name, code in codes:
                    stats = name == "padan" or size <= args.baseline_stats_max
                    wanted = set(args.measures)
                    if args.reuse:
                        db = _kept(work, backend, size, server, args.pg_url)
                        if _holds(db, size):
                            wanted.discard("import")
                    elif backend == "sqlite":
                        db = str(work / f"{name}-{size}.db")
                        for leftover in glob.glob(db + "*"):
                            os.remove(leftover)
                    else:
                        db = _database(server, args.pg_url, f"{name}_{size}")
                    started = time.perf_counter()
                    results[name] = measure(
                        code, db, po, queries, stats, work / "out.tmx", frozenset(wanted)
                    )
                    results[name]["(bench total)"] = (time.perf_counter() - started, 0.0)
                _report(size, backend, results, dict(codes))
                for kind, digests in written.items():
                    if len(digests) > 1:
                        same = "identical" if len(set(digests)) == 1 else "DIFFERENT"
                        print(f"  export {kind}: {same} output from every checkout")
                    digests.clear()
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


def _database(server: Any, url: str | None, name: str, keep: bool = False) -> str:
    """A database ``name`` on the throw-away server or on the one at ``url`` (made anew,
    unless ``keep`` and it exists)."""
    if server is not None:
        if keep and name in server._databases:
            return str(server.url(name))
        return str(server.create_database(name))
    import psycopg

    assert url is not None
    with psycopg.connect(url, autocommit=True) as admin:
        found = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if found and not keep:
            admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        if not (found and keep):
            admin.execute(f'CREATE DATABASE "{name}"')
    base, _, query = url.partition("?")
    return f"{base.rsplit('/', 1)[0]}/{name}" + (f"?{query}" if query else "")


def _kept(work: Path, backend: str, size: int, server: Any, url: str | None) -> str:
    """The workspace of this size that --reuse keeps, shared by every checkout."""
    if backend == "sqlite":
        return str(work / f"shared-{size}.db")
    return _database(server, url, f"shared_{size}", keep=True)


def _holds(db: str, size: int) -> bool:
    """Whether the workspace was already imported (it holds ``size`` units)."""
    from corpora.db import Database

    if not db.startswith("postgresql") and not os.path.exists(db):
        return False
    with Database(db) as database:
        try:
            return bool(database.query("SELECT count(*) FROM units")[0][0] == size)
        except Exception:  # a new database: no tables yet
            return False


def _report(
    size: int,
    backend: str,
    results: dict[str, dict[str, tuple[float, float]]],
    codes: dict[str, Path],
) -> None:
    print(f"\n{size:,} units, {backend}: wall seconds (peak MiB) and CPU seconds")
    names = list(results)
    ratio = "   padan/baseline (wall, CPU)" if len(names) > 1 else ""
    print(f"  {'':22}" + "".join(f"{n:>36}" for n in names) + ratio)
    for key in results["padan"]:
        cells = []
        for name in names:
            seconds, mib = results[name].get(key, (float("nan"), 0.0))
            unit = " ms" if key == "panel ms" else " s "
            spent = cpu_of.get((codes[name], key), float("nan"))
            cells.append(f"{seconds:>10.2f}{unit}({mib:>7.0f} MiB) {spent:>8.2f} s")
        ratio = ""
        if len(names) > 1 and key in results["baseline"]:
            wall = results["padan"][key][0] / results["baseline"][key][0]
            ours, theirs = (cpu_of.get((codes[n], key), float("nan")) for n in names[:2])
            ratio = f"   {wall:.3f}x, {ours / theirs if theirs else float('nan'):.3f}x"
        print(f"  {key:22}" + "".join(f"{c:>36}" for c in cells) + ratio)
    mine = results["padan"]
    if "search" in mine:
        print(
            f"  search costs {mine['search'][0] - mine['open only'][0]:+.2f} s over opening "
            "the workspace (goal: at most 0.3 s)"
        )


if __name__ == "__main__":
    main()
