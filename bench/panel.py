"""Benchmark: the TUI's memory panel on an existing workspace, SQLite or PostgreSQL.

The panel keeps one fuzzy index open (padan/jobs.py ``memory_index``) and, for the
segment under the cursor, asks ``fuzzy_matches``: the 5 best matches of its text with
their translations. This times that call for --lookups segments picked at random (the
first one, which reads the shards' vocabularies, is reported apart), and prints per
look-up the median and p95 of:

- wall milliseconds;
- the client's CPU milliseconds (this process);
- the server's CPU milliseconds (PostgreSQL: the backend process of this connection,
  read from /proc, so the server must run on this machine), as a mean: /proc counts in
  clock ticks of 10 ms, too coarse for one look-up;
- round trips to the database (statements sent, a pipeline counting once);

and the load average beside them: on a shared machine wall time is mostly the wait for
a core, the CPU times much less. Goal (issue 22): 10 ms per look-up at 1M units.

    python bench/panel.py WORKSPACE [--lookups 200] [--lang en] [--target id] [--seed 1]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import time

from padan.jobs import fuzzy_matches, memory_index
from padan.workspace import Workspace
from tm.store_schema import StoredVariant


def pick(ws: Workspace, lang: str, count: int, rng: random.Random) -> list[StoredVariant]:
    """Up to ``count`` variants of ``lang`` picked at random, in random order."""
    low, high = ws.db.query("SELECT MIN(id), MAX(id) FROM variants WHERE lang = ?", (lang,))[0]
    picked = sorted(rng.sample(range(low, high + 1), min(count * 3, high - low + 1)))
    found = ws.documents.by_id(picked)
    variants = [found[i] for i in picked if i in found and found[i].lang == lang][:count]
    rng.shuffle(variants)
    return variants


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


class _Trips:
    """Counts statements sent to the database (a pipeline of several counts once)."""

    def __init__(self, conn: object) -> None:
        self.count = 0
        cls = type(conn)
        for name in ("execute", "query_together"):
            original = getattr(cls, name)

            def counted(self_: object, *args: object, _o=original, **kwargs: object) -> object:  # type: ignore[no-untyped-def]
                self.count += 1
                return _o(self_, *args, **kwargs)

            setattr(cls, name, counted)


def _server_cpu(pid: int | None) -> float:
    """CPU seconds of the PostgreSQL backend ``pid`` so far (0 on SQLite)."""
    if pid is None:
        return 0.0
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("workspace", help="a workspace file or a postgresql:// URL")
    parser.add_argument("--lookups", type=int, default=200)
    parser.add_argument("--lang", default="en")
    parser.add_argument("--target", default="id")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    ws = Workspace(args.workspace)
    db = ws.db
    count = db.scalar("SELECT COUNT(*) FROM variants WHERE lang = ?", (args.lang,))
    variants = pick(ws, args.lang, args.lookups + 1, random.Random(args.seed))
    pid = db.scalar("SELECT pg_backend_pid()") if db.dialect == "postgresql" else None
    memory = memory_index(ws, args.lang, args.target, [])

    started = time.perf_counter()
    fuzzy_matches(ws, memory, variants[0])
    first = 1000 * (time.perf_counter() - started)
    trips = _Trips(db)
    load = os.getloadavg()[0]
    wall, cpu = [], []
    server = _server_cpu(pid)
    for variant in variants[1:]:
        started, used = time.perf_counter(), time.process_time()
        fuzzy_matches(ws, memory, variant)
        wall.append(1000 * (time.perf_counter() - started))
        cpu.append(1000 * (time.process_time() - used))
    server_ms = 1000 * (_server_cpu(pid) - server) / len(wall)
    load = (load + os.getloadavg()[0]) / 2
    print(
        f"{db.dialect}, {count:,} {args.lang} variants, {len(wall)} look-ups, load {load:.1f} "
        f"on {os.cpu_count()} cores; first look-up {first:.0f} ms"
    )
    print(
        f"  wall ms median {statistics.median(wall):.1f} p95 {_p95(wall):.1f}; "
        f"client cpu ms median {statistics.median(cpu):.1f} p95 {_p95(cpu):.1f}; "
        f"server cpu ms mean {server_ms:.1f}; round trips {trips.count / len(wall):.2f}"
    )
    ws.close()


if __name__ == "__main__":
    main()
