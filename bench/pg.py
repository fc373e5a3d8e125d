"""Benchmark: a team on one PostgreSQL workspace, writers and fuzzy-searching readers at once.

Starts a throw-away PostgreSQL server the way the tests do (``tests/pg_server.py``: initdb
and pg_ctl in a temporary folder, durability off), or uses ``--url``, and fills a
workspace with the Indonesian GLib catalogue and the bundled corpus. Then, for
``--seconds``, ``--writers`` processes edit a hot set of segments as translators do —
read a segment, change it, save with the version they read (one save in ten is a bulk fix
of three segments) — while ``--readers`` processes run ``padan search`` queries
(tm/fuzzy/stored.py: the index kept in the workspace, following the edits). Every process
has its own connection, and the loops stop at the deadline or after ``--max-ops`` operations.

It prints edits/s, fuzzy queries/s and the conflicts detected (saves refused because a
colleague saved that segment first), and checks that no edit was lost: every successful
save has its revision, with its text and author, and each segment's final text is the
last successful save's (highest version), its version one more per save.

    python bench/pg.py [--seconds 60] [--writers 4] [--readers 4] [--url postgresql://...]
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import random
import statistics
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

CATALOGUE = ROOT / "tests" / "fixtures" / "po" / "glib-2.74.6_id.po"
BULK_EVERY = 10  # one save in ten is a bulk fix
BULK_SIZE = 3


def prepare(url: str, document: str, hot: int, seed: int) -> tuple[list[int], list[str]]:
    """Fill the workspace; returns the hot variant ids and the readers' queries."""
    from corpora.bundled import bundled_documents
    from corpora.db import Database
    from tm.files import read_units
    from tm.store import TMStore

    with Database(url) as db:
        store = TMStore(db)
        if not store.variants("id", document):
            memory = read_units(CATALOGUE)
            store.import_units(document, memory.source_lang, memory.units)
            with db.transaction():
                for doc in bundled_documents():
                    store.save(doc)
        variants = [v for v in store.variants("id", document) if len(v.current) > 12]
        rng = random.Random(seed)
        hot_ids = [v.id for v in rng.sample(variants, min(hot, len(variants)))]
        queries = []
        for v in rng.sample(variants, min(300, len(variants))):
            at = rng.randrange(len(v.current))
            queries.append(v.current[:at] + "x" + v.current[at + 1 :])
    return hot_ids, queries


def writer(n: int, url: str, hot: list[int], go, deadline, max_ops: int, out) -> None:  # type: ignore[no-untyped-def]
    from corpora.db import Database
    from tm.store import ConflictError, TMStore

    rng = random.Random(n)
    saved: list[tuple[int, str, int]] = []  # (variant id, text, version it made)
    conflicts = saves = 0
    latencies: list[float] = []
    with Database(url) as db:
        store = TMStore(db)
        go.wait()
        for k in range(max_ops):
            if time.time() >= deadline.value:
                break
            bulk = k % BULK_EVERY == BULK_EVERY - 1
            picks = rng.sample(hot, BULK_SIZE if bulk else 1)
            seen = [store.variant(vid) for vid in picks]
            time.sleep(rng.random() * 0.002)  # the translator types
            edits = [(v.id, f"{v.original} [w{n} #{k}.{j}]", v.version) for j, v in enumerate(seen)]
            started = time.perf_counter()
            try:
                if bulk:
                    store.bulk_edit(edits, author=f"w{n}", reason="bulk fix")
                else:
                    vid, text, version = edits[0]
                    store.edit(vid, text, author=f"w{n}", expected_version=version)
            except ConflictError:
                conflicts += 1
                continue
            finally:
                latencies.append(time.perf_counter() - started)
            saves += 1
            saved.extend((vid, text, version + 1) for vid, text, version in edits)
    out.put({"saved": saved, "conflicts": conflicts, "saves": saves, "latencies": latencies})


def reader(n: int, url: str, queries: list[str], go, deadline, max_ops: int, out) -> None:  # type: ignore[no-untyped-def]
    from corpora.db import Database
    from tm.fuzzy import open_index

    rng = random.Random(1000 + n)
    latencies: list[float] = []
    found = 0
    with Database(url) as db:
        index = open_index(db, "id")
        go.wait()
        for _ in range(max_ops):
            if time.time() >= deadline.value:
                break
            started = time.perf_counter()
            found += bool(index.search(rng.choice(queries), limit=5, min_score=75))
            latencies.append(time.perf_counter() - started)
    out.put({"queries": len(latencies), "found": found, "latencies": latencies})


def check(url: str, document: str, hot: list[int], saved: list[tuple[int, str, int]]) -> list[str]:
    """What went wrong, if anything: lost revisions, final texts that are not the last save."""
    from corpora.db import Database
    from tm.store import TMStore

    problems: list[str] = []
    with Database(url) as db:
        store = TMStore(db)
        for vid in hot:
            mine = sorted((version, text) for v, text, version in saved if v == vid)
            history = store.history(vid)
            texts = {r.new for r in history}
            problems += [f"variant {vid}: no revision for {t!r}" for _, t in mine if t not in texts]
            if [r.new for r in history] != [t for _, t in mine]:
                problems.append(f"variant {vid}: revisions are not the successful saves in order")
            final = store.variant(vid)
            if mine and (final.current, final.version) != (mine[-1][1], mine[-1][0]):
                problems.append(
                    f"variant {vid}: final text {final.current!r} v{final.version} is not the "
                    f"last save {mine[-1][1]!r} v{mine[-1][0]}"
                )
            if final.version != 1 + len(mine):
                problems.append(f"variant {vid}: version {final.version}, {len(mine)} saves")
    return problems


def percentile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100)[q - 1] if len(values) > 1 else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--writers", type=int, default=4)
    parser.add_argument("--readers", type=int, default=4)
    parser.add_argument("--hot", type=int, default=200, help="segments the writers share")
    parser.add_argument("--max-ops", type=int, default=10_000_000, help="per process")
    parser.add_argument("--url", help="a PostgreSQL database to use instead of a new server")
    args = parser.parse_args()
    from corpora.db import Database

    server = None
    url = args.url
    if url is None:
        from pg_server import PostgresServer

        server = PostgresServer().start()
        url = server.create_database("bench")
    document = f"bench-{uuid.uuid4().hex[:8]}"
    try:
        hot, queries = prepare(url, document, args.hot, seed=7)
        ctx = mp.get_context("spawn")
        go, out = ctx.Event(), ctx.Queue()
        deadline = ctx.Value("d", 0.0)
        procs = [
            ctx.Process(target=writer, args=(n, url, hot, go, deadline, args.max_ops, out))
            for n in range(args.writers)
        ] + [
            ctx.Process(target=reader, args=(n, url, queries, go, deadline, args.max_ops, out))
            for n in range(args.readers)
        ]
        for p in procs:
            p.start()
        time.sleep(3)  # let every process import and connect before the clock starts
        deadline.value = time.time() + args.seconds
        started = time.time()
        go.set()
        results = [out.get(timeout=args.seconds + 600) for _ in procs]
        elapsed = time.time() - started
        for p in procs:
            p.join()
        writes = [r for r in results if "saved" in r]
        reads = [r for r in results if "queries" in r]
        saved = [s for r in writes for s in r["saved"]]
        saves = sum(r["saves"] for r in writes)
        conflicts = sum(r["conflicts"] for r in writes)
        save_ms = [1000 * x for r in writes for x in r["latencies"]]
        query_ms = [1000 * x for r in reads for x in r["latencies"]]
        queries_done = sum(r["queries"] for r in reads)
        problems = check(url, document, hot, saved)
        with Database(url) as db:
            version = db.scalar("SHOW server_version")
    finally:
        if server is not None:
            server.stop()

    print(
        f"PostgreSQL {version}: {args.writers} writers, {args.readers} readers, "
        f"{elapsed:.0f} s, {len(hot)} hot segments (of the GLib catalogue + bundled corpus)"
    )
    print(
        f"edits          {len(saved):>8,}  {len(saved) / elapsed:>7.1f}/s  in {saves:,} saves "
        f"(every {BULK_EVERY}th a bulk fix of {BULK_SIZE}); save p50 "
        f"{percentile(save_ms, 50):.1f} ms, p95 {percentile(save_ms, 95):.1f} ms"
    )
    attempts = saves + conflicts
    print(
        f"conflicts      {conflicts:>8,}  {100 * conflicts / max(1, attempts):>7.1f}%  "
        "of saves refused: a colleague saved the segment first"
    )
    print(
        f"fuzzy queries  {queries_done:>8,}  {queries_done / elapsed:>7.1f}/s  p50 "
        f"{percentile(query_ms, 50):.1f} ms, p95 {percentile(query_ms, 95):.1f} ms"
    )
    if problems:
        print(f"check: {len(problems)} problems, e.g.:", *problems[:10], sep="\n  ")
        sys.exit(1)
    print(
        f"check: OK, all {len(saved):,} successful edits have their revision; the final "
        f"text of each of the {len(hot)} segments is its last successful edit"
    )


if __name__ == "__main__":
    main()
