"""Soak test: several processes mix real ``padan`` commands on one workspace for minutes.

    python bench/soak.py [--procs 4] [--minutes 2] [--backends sqlite postgresql] [--seed 1]

For each backend (a temporary SQLite file, and a database on a throw-away PostgreSQL
server started as the tests start one, tests/pg_server.py), --procs workers run, each in a
loop until the time is up, one command at a time as a subprocess against the shared
workspace (``padan --db LOCATION ...``):

- ``import`` of a small PO or TMX file made on the fly (a few shared document names, so
  re-imports update units that others are editing), with errors ``fix --auto`` is sure of;
- ``edit``: one segment changed as the TUI saves it (``TMStore.edit`` with the version
  read, a conflict refused); the CLI has no edit command, so this script registers a
  hidden one on padan's own command group and runs it in a fresh process, under padan's
  error contract;
- ``fix --auto``, ``undo``, ``redo``, ``search`` and ``export`` (TMX, PO or XLIFF).

Afterwards it prints the commands run, refused (non-zero exit, one line on stderr),
failed (a traceback, several stderr lines, or no reason given), and lost edits: the
revisions of each variant replayed in order (undone ones skipped) must give its current
text, each starting from the text the one before left. The notice "waiting for another
padan command" is counted, not held against the command. Exit status 1 when anything
failed or was lost.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
PADAN = [sys.executable, "-c", "from padan.cli import main; main()"]
EDIT = [sys.executable, str(Path(__file__).resolve()), "--edit-one"]
WAIT_NOTICE = "padan: waiting for another padan command"
DOCS = ("guide", "menu", "help")  # few names: imports and edits meet on the same units

# en -> id pairs; the Indonesian side gets errors that `padan fix --auto` is sure of
PAIRS = [
    ("The children play outside.", "Anak-anak bermain di luar."),
    ("The books are on the table.", "Buku-buku ada di atas meja."),
    ("It costs 5000 rupiah.", "Harganya Rp5000."),
    ("Open the file.", "Buka berkas itu."),
    ("Save your work often.", "Simpan pekerjaan Anda sesering mungkin."),
    ("The houses are old.", "Rumah-rumah itu sudah tua."),
    ("Print the page.", "Cetak halaman itu."),
    ("The ticket costs 20000 rupiah.", "Harga tiket Rp20000."),
    ("Close the window.", "Tutup jendela itu."),
    ("The roads are wide.", "Jalan-jalan itu lebar."),
]
WORDS = ["baru", "lagi", "sekarang", "nanti", "juga", "saja", "pula"]


def spoil(text: str, rng: random.Random) -> str:
    """Put back a space before the hyphen or after Rp, the way careless typing does."""
    if rng.random() < 0.5:
        return text.replace("-", " -", 1).replace("Rp", "Rp ", 1)
    return text


def units(rng: random.Random) -> list[tuple[str, str]]:
    return [(en, spoil(id_, rng)) for en, id_ in rng.sample(PAIRS, rng.randint(3, len(PAIRS)))]


def write_po(path: Path, rows: list[tuple[str, str]]) -> None:
    import polib

    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "id"}
    for en, id_ in rows:
        po.append(polib.POEntry(msgid=en, msgstr=id_))
    po.save(str(path))


def write_tmx(path: Path, rows: list[tuple[str, str]]) -> None:
    from xml.sax.saxutils import escape

    tus = "".join(
        f'<tu tuid="{escape(en)}"><tuv xml:lang="en"><seg>{escape(en)}</seg></tuv>'
        f'<tuv xml:lang="id"><seg>{escape(id_)}</seg></tuv></tu>\n'
        for en, id_ in rows
    )
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header creationtool="soak"'
        ' creationtoolversion="1" segtype="sentence" o-tmf="soak" adminlang="en" srclang="en"'
        f' datatype="plaintext"/><body>\n{tus}</body></tmx>\n',
        encoding="utf-8",
    )


def command(rng: random.Random, db: str, folder: Path) -> tuple[str, list[str]]:
    """One random command: its kind and its argv."""
    kind = rng.choices(
        ["import", "edit", "fix", "undo", "redo", "search", "export"], [2, 4, 2, 2, 2, 2, 1]
    )[0]
    base = [*PADAN, "--db", db]
    if kind == "import":
        path = folder / (rng.choice(DOCS) + rng.choice([".po", ".tmx"]))
        (write_po if path.suffix == ".po" else write_tmx)(path, units(rng))
        return kind, [*base, "import", "--from", "en", "--to", "id", str(path)]
    if kind == "edit":
        return kind, [*EDIT, db, str(rng.randrange(1 << 30))]
    if kind == "fix":
        return kind, [*base, "fix", "--auto"]
    if kind in ("undo", "redo"):
        return kind, [*base, kind]
    if kind == "search":
        return kind, [*base, "search", "--lang", "id", rng.choice(PAIRS)[1]]
    out = folder / ("out" + rng.choice([".tmx", ".po", ".xlf"]))
    return kind, [*base, "export", "--from", "en", "--to", "id", str(out)]


def classify(rc: int, out: str, err: str) -> str:
    lines = [line for line in err.splitlines() if line.strip() and not line.startswith(WAIT_NOTICE)]
    if "Traceback" in out or "Traceback" in err:
        return "failed"
    if rc == 0:
        return "ok" if not lines else "failed"
    return "refused" if len(lines) == 1 else "failed"


def worker(
    n: int,
    db: str,
    folder: Path,
    deadline: float,
    seed: int,
    tally: Counter[str],
    problems: list[str],
    lock: threading.Lock,
) -> None:
    rng = random.Random(seed * 1000 + n)
    folder.mkdir()
    while time.time() < deadline:
        kind, argv = command(rng, db, folder)
        done = subprocess.run(argv, capture_output=True, text=True, cwd=folder)
        verdict = classify(done.returncode, done.stdout, done.stderr)
        with lock:
            tally["run"] += 1
            tally[verdict] += 1
            tally[f"{kind} {verdict}"] += 1
            tally["waited"] += WAIT_NOTICE in done.stderr
            if verdict != "ok":
                reason = (done.stderr.strip().splitlines() or ["(no stderr)"])[-1]
                tally[f"  {kind}: {reason[:110]}"] += 1
            if verdict == "failed":
                problems.append(f"{kind} exit {done.returncode}\n{done.stdout}{done.stderr}")


def lost_edits(db: str) -> tuple[int, list[str]]:
    """Variants whose revisions, replayed in order (undone ones skipped), do not give
    their current text, or where a live revision does not start from the text before it
    (a write based on a stale read: the edit before it is gone)."""
    from padan.workspace import Workspace

    ws = Workspace(db, readonly=True)
    try:
        variants = ws.db.query("SELECT id, original, current FROM variants ORDER BY id")
        revisions = ws.db.query(
            "SELECT variant_id, id, old, new, reason, undone FROM revisions ORDER BY id"
        )
    finally:
        ws.close()
    history: dict[int, list[tuple[int, str, str, str, int]]] = {}
    for variant_id, *rev in revisions:
        history.setdefault(variant_id, []).append(tuple(rev))
    examples = []
    for variant_id, original, current in variants:
        revs = history.get(variant_id, [])
        text, problem = (revs[0][1] if revs else original), ""
        for rev_id, old, new, reason, undone in revs:
            if not undone:
                if old != text and not problem:
                    problem = f"revision {rev_id} ({reason}) starts from {old!r}, not {text!r}"
                text = new
        if text != current and not problem:
            problem = f"replayed {text!r}, current {current!r}"
        if problem:
            examples.append(f"variant {variant_id}: {problem}")
    return len(examples), examples


def soak(backend: str, db: str, procs: int, minutes: float, seed: int, tmp: Path) -> bool:
    tally: Counter[str] = Counter()
    problems: list[str] = []
    lock = threading.Lock()
    deadline = time.time() + 60 * minutes
    threads = [
        threading.Thread(
            target=worker,
            args=(n, db, tmp / f"{backend}-{n}", deadline, seed, tally, problems, lock),
        )
        for n in range(procs)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    lost, examples = lost_edits(db)
    print(f"\n== {backend}: {procs} processes, {minutes:g} min")
    print(
        f"commands run {tally['run']}, ok {tally['ok']}, refused {tally['refused']}, "
        f"failed {tally['failed']}, waited {tally['waited']}; lost edits {lost}"
    )
    for key in sorted(k for k in tally if " " in k and not k.startswith(" ")):
        print(f"  {key:<20} {tally[key]}")
    print("  why not ok:")
    for key, count in tally.most_common():
        if key.startswith("  "):
            print(f"  {count:5d} {key.strip()}")
    for text in examples[:5] + problems[:3]:
        print("---\n" + text.rstrip())
    return not (tally["failed"] or lost)


def edit_one(db: str, seed: int) -> None:
    """A hidden ``padan soak-edit`` command: one segment changed as the TUI saves it."""
    import click

    from padan.cli import main
    from padan.cli.common import open_workspace

    @main.command("soak-edit", hidden=True)
    @click.pass_context
    def soak_edit(ctx: click.Context) -> None:
        rng = random.Random(seed)
        with open_workspace(ctx) as ws:
            variants = ws.documents.variants("id")
            if not variants:
                raise click.ClickException("nothing to edit")
            v = rng.choice(variants)
            words = v.current.rstrip(".").split() + [rng.choice(WORDS)]
            rng.shuffle(words)
            new = " ".join(words[: rng.randint(1, len(words))]) + "."
            ws.documents.edit(v.id, new, reason="manual edit", expected_version=v.version)

    main(["--db", db, "soak-edit"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--procs", type=int, default=4)
    parser.add_argument("--minutes", type=float, default=2.0)
    parser.add_argument("--backends", nargs="+", default=["sqlite", "postgresql"])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--edit-one", nargs=2, metavar=("DB", "SEED"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.edit_one:
        edit_one(args.edit_one[0], int(args.edit_one[1]))
        return
    good = True
    with tempfile.TemporaryDirectory(prefix="padan-soak-") as name:
        tmp = Path(name)
        os.chmod(tmp, 0o755)
        for backend in args.backends:
            if backend == "sqlite":
                good &= soak(backend, str(tmp / "ws.db"), args.procs, args.minutes, args.seed, tmp)
                continue
            sys.path.insert(0, str(HERE.parent / "tests"))
            from pg_server import PostgresServer

            with PostgresServer() as server:
                url = server.create_database("soak")
                good &= soak(backend, url, args.procs, args.minutes, args.seed, tmp)
    sys.exit(0 if good else 1)


if __name__ == "__main__":
    main()
