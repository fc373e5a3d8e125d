"""Benchmark: the terminal UI on a document of 100,000 segments.

Builds a workspace with one Indonesian document of --segments segments (the bundled
corpus's Indonesian sentences, numbered, imported through TMStore), opens it in the app
headless at 120x35 and reports:

- time to first paint: from starting the app to the segment table painted with its rows;
- time per step to move the cursor down --steps rows, one key press at a time, while the
  workspace is still being checked in the background and again once it is checked;
- how long the background check of the whole workspace took.

``--bilingual``: the document is an English→Indonesian one instead, built from TICO-19's
TMX (shared/data/tmx/tico19_en-id.tmx.zip, CC0; $PADAN_SHARED_DATA or ../shared/data), its
3,071 pairs numbered again and again. Its table then has the memory's best match column:
the whole workspace is the memory (built in a worker), and the figures include how long
the rows on screen wait for their match.

Steps are also timed while the memory is read (bilingual: the first 100 steps after the
check, when the memory starts being read).

``--baseline DIR``: the same figures for the code in DIR (a checkout, e.g. main) beside
this checkout's, on the same workspace, each in a process of its own; ``--rounds N``
alternates the two N times (a shared machine's load changes from minute to minute).

Goals: first paint < 2 s, < 50 ms per step.

``--profile FILE``: the one-at-a-time steps under cProfile (the app's thread), for
``python -m pstats FILE``.

    python bench/tui.py [--segments 100000] [--steps 1000] [--db PATH] [--bilingual]
                        [--baseline DIR [--rounds 2]] [--profile FILE]
"""

from __future__ import annotations

import time

_STARTED = time.perf_counter()  # before the imports: the first paint as a user waits for it

import argparse  # noqa: E402
import asyncio  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import zipfile  # noqa: E402
from pathlib import Path  # noqa: E402

# Run as a script, this file's folder comes first on sys.path and its name (tui.py) would
# hide the tui package.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]

from corpora.bundled import bundled_documents  # noqa: E402
from corpora.model import Document, Segment  # noqa: E402
from padan.workspace import Workspace  # noqa: E402
from tui.app import PadanApp  # noqa: E402

SHARED = Path(os.environ.get("PADAN_SHARED_DATA", _HERE.parents[1] / "shared" / "data"))


def build_bilingual(path: str, size: int) -> None:
    from tm.files import read_units
    from tm.model import Unit, Variant

    folder = Path(tempfile.mkdtemp(prefix="padan-bench-tico-"))
    tmx = folder / "tico.tmx"
    with zipfile.ZipFile(SHARED / "tmx" / "tico19_en-id.tmx.zip") as z:
        tmx.write_bytes(z.read("all.en-id.tmx"))
    pairs = []
    for unit in read_units(str(tmx), source_lang="en", target_lang="id").units:
        source, target = unit.variant("en"), unit.variant("id")
        if source is not None and target is not None:
            pairs.append((source.text, target.text))

    def units():  # type: ignore[no-untyped-def]
        for i in range(size):
            source, target = pairs[i % len(pairs)]
            if i >= len(pairs):  # the same sentence with a number: a repaired match
                source, target = f"{source} ({i})", f"{target} ({i})"
            yield Unit((Variant("en", source), Variant("id", target)))

    ws = Workspace(path)
    try:
        ws.documents.import_units("big", "en", units())
    finally:
        ws.close()


def build(path: str, size: int) -> None:
    sentences = [s.text for d in bundled_documents() if d.lang == "id" for s in d.content()]
    segments = tuple(
        Segment(f"{sentences[i % len(sentences)]} ({i})", i, i // 5) for i in range(size)
    )
    ws = Workspace(path)
    try:
        ws.add_documents([Document("big", "id", segments, "A big document")])
    finally:
        ws.close()


async def measure(path: str, steps: int, profile: str | None = None) -> dict[str, float]:
    from textual import events

    from tui.widgets.segments import SegmentTable

    painted: list[float] = []
    painted_cpu: list[float] = []  # CPU of every thread by then: the load-free figure
    cursor_painted: dict[int, float] = {}  # row index -> when it was last drawn as the cursor
    render_line = SegmentTable.render_line

    def spy(self: SegmentTable, y: int):  # type: ignore[no-untyped-def]
        if self.rows and y > 0:
            if not painted:
                painted.append(time.perf_counter())
                painted_cpu.append(time.process_time())
            if round(self.scroll_offset.y) + y - 1 == self.cursor:
                cursor_painted[self.cursor] = time.perf_counter()
        return render_line(self, y)

    SegmentTable.render_line = spy  # type: ignore[method-assign]
    start, start_cpu = time.perf_counter(), time.process_time()
    app = PadanApp(path)
    async with app.run_test(size=(120, 35)) as pilot:
        screen = app.main
        while not painted:
            await asyncio.sleep(0.002)
        first_paint = painted[0] - start
        from_script = painted[0] - _STARTED
        cpu_at_paint = painted_cpu[0] - start_cpu
        table = screen.table

        async def press_down() -> None:
            app.post_message(events.Key("down", None))

        async def burst(n: int) -> float:
            """n key presses queued at once (a held key): time until all are handled
            and the screen is repainted, per step."""
            target = min(table.cursor + n, len(table.rows) - 1)
            t = time.perf_counter()
            for _ in range(n):
                await press_down()
            while table.cursor != target or screen.shown is not table.current:
                await asyncio.sleep(0.0005)
            return (time.perf_counter() - t) / n

        async def single(n: int) -> list[float]:
            """n presses one at a time: time until the segment is in the editor and the
            table is repainted with the cursor on its row."""
            times = []
            for _ in range(n):
                before = table.cursor
                t = time.perf_counter()
                await press_down()
                while (
                    table.cursor == before
                    or screen.shown is not table.current
                    or cursor_painted.get(table.cursor, 0) < t
                ):
                    await asyncio.sleep(0.0005)
                times.append(cursor_painted[table.cursor] - t)
            return times

        during = await single(100) if not screen.session.checked else []
        bilingual = screen.session.bilingual
        while not screen.session.checked:
            await asyncio.sleep(0.05)
        check = time.perf_counter() - start

        def matched() -> bool:
            offers = screen.session.offers
            return all(table.rows[i].unit_id in offers for i in table.rows_on_screen())

        reading = await single(100) if bilingual and not matched() else []
        while bilingual and not matched():
            await asyncio.sleep(0.05)
        matches = time.perf_counter() - start if bilingual else float("nan")
        await pilot.pause(0.2)
        before = table.cursor
        held = await burst(steps)
        assert table.cursor == before + steps, (table.cursor, before)
        profiler = None
        if profile:
            import cProfile

            profiler = cProfile.Profile()
            profiler.enable()
        cpu = time.process_time()
        one_by_one = await single(steps)
        step_cpu = (time.process_time() - cpu) / steps
        if profiler is not None:
            profiler.disable()
            profiler.dump_stats(profile)
    SegmentTable.render_line = render_line  # type: ignore[method-assign]
    return {
        "first_paint": first_paint,
        "from_script": from_script,
        "cpu_at_paint": cpu_at_paint,
        "reading_mean": statistics.mean(reading) if reading else float("nan"),
        "reading_p95": _p95(reading) if reading else float("nan"),
        "reading_n": len(reading),
        "during_mean": statistics.mean(during) if during else float("nan"),
        "during_p95": _p95(during) if during else float("nan"),
        "during_n": len(during),
        "held": held,
        "step_mean": statistics.mean(one_by_one),
        "step_p95": _p95(one_by_one),
        "step_max": max(one_by_one),
        "step_cpu": step_cpu,
        "check": check,
        "matches": matches,
    }


def _p95(values: list[float]) -> float:
    return sorted(values)[int(0.95 * (len(values) - 1))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--segments", type=int, default=100_000)
    parser.add_argument("--steps", type=int, default=1000)
    parser.add_argument("--db", help="reuse (or create) this workspace")
    parser.add_argument(
        "--bilingual",
        action="store_true",
        help="an English→Indonesian document (TICO-19), with its match column",
    )
    parser.add_argument("--baseline", help="a checkout whose code is measured beside this one")
    parser.add_argument("--rounds", type=int, default=1, help="with --baseline: alternations")
    parser.add_argument(
        "--profile",
        metavar="FILE",
        help="cProfile the one-at-a-time steps (the app's thread) into FILE",
    )
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)  # one run, raw
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="padan-bench-tui-")
    path = args.db or str(Path(folder) / "bench.db")
    if not Path(path).exists():
        t = time.perf_counter()
        (build_bilingual if args.bilingual else build)(path, args.segments)
        print(f"built {args.segments:,} segments in {time.perf_counter() - t:.1f} s: {path}")
    if args.json:
        print(json.dumps(asyncio.run(measure(path, args.steps))))
        return 0
    if not args.baseline:
        r = asyncio.run(measure(path, args.steps, args.profile))
        report(r, args.steps)
        return 0 if _ok(r) else 1
    ours = str(_HERE.parent)
    runs: dict[str, list[dict[str, float]]] = {"baseline": [], "this": []}
    for n in range(args.rounds):
        for name, code in (("baseline", args.baseline), ("this", ours)):
            print(f"round {n + 1}: {name} ({code})", flush=True)
            runs[name].append(_run_in(code, path, args.steps))
    for name, results in runs.items():
        for n, r in enumerate(results, 1):
            print(f"\n== {name}, round {n}")
            report(r, args.steps)
    return 0 if all(_ok(r) for r in runs["this"]) else 1


def _run_in(code: str, path: str, steps: int) -> dict[str, float]:
    """One measurement with the code of checkout ``code``, in a process of its own."""
    env = {**os.environ, "PYTHONPATH": code}
    out = subprocess.run(
        [sys.executable, __file__, "--db", path, "--steps", str(steps), "--json"],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    result: dict[str, float] = json.loads(out.strip().splitlines()[-1])
    return result


def _ok(r: dict[str, float]) -> bool:
    return r["first_paint"] < 2 and r["step_mean"] < 0.05 and r["held"] < 0.05


def report(r: dict[str, float], steps: int) -> None:
    ms = 1000
    print(
        f"time to first paint (rows on screen): {r['first_paint']:.2f} s   (goal < 2 s); "
        f"{r['from_script']:.2f} s from the script's start (imports included); "
        f"{r['cpu_at_paint']:.2f} s of CPU by then (every thread, imports not included)"
    )
    if r["during_n"]:
        print(
            f"cursor down while the workspace is checked in the background: "
            f"{r['during_mean'] * ms:.1f} ms/step mean, p95 {r['during_p95'] * ms:.1f} ms "
            f"({r['during_n']:.0f} steps)"
        )
    if r["reading_n"]:
        print(
            f"cursor down while the memory is read: {r['reading_mean'] * ms:.1f} ms/step "
            f"mean, p95 {r['reading_p95'] * ms:.1f} ms ({r['reading_n']:.0f} steps)"
        )
    print(
        f"cursor down, {steps} steps one at a time (until the segment is in the "
        f"editor and the table repainted): {r['step_mean'] * ms:.1f} ms/step mean, "
        f"p95 {r['step_p95'] * ms:.1f} ms, max {r['step_max'] * ms:.1f} ms   (goal < 50 ms)"
    )
    print(
        f"  CPU of the app's process (every thread) per step: {r['step_cpu'] * ms:.1f} ms "
        "(less sensitive to the machine's load)"
    )
    print(f"cursor down, {steps} steps held down (queued at once): {r['held'] * ms:.2f} ms/step")
    print(f"background check of the whole workspace: done {r['check']:.1f} s after start")
    if r["matches"] == r["matches"]:
        print(f"memory read and the rows on screen matched: {r['matches']:.1f} s after start")
    print("goals met" if _ok(r) else "goals NOT met")


if __name__ == "__main__":
    sys.exit(main())
