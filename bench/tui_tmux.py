"""The terminal UI driven as a person drives it, under tmux: the quit race and the
refresh after changes made from the command line.

    python bench/tui_tmux.py [--tries 10] [--size 100x30]

1. Quit race: opens the app in a real terminal, goes into the editor, sends a few letters
   and Ctrl+Q in one burst (one tmux send-keys: the letters reach the app together), and
   reads the segment back from the database. Every try must keep every letter.
2. Outside changes: with the app open, `padan import` a new document and `padan fix
   --auto` from another process, then reads the screen: the new document is listed and
   the fixed text shows in the editor, with no key pressed.

Prints what it saw and exits 1 if a letter was lost or the screen stayed stale.
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent
PADAN = str(BIN / "padan")


def tmux(*args: str) -> str:
    return subprocess.run(["tmux", *args], check=True, capture_output=True, text=True).stdout


def screen(session: str) -> str:
    return tmux("capture-pane", "-p", "-t", session)


def wait_for(session: str, text: str, timeout: float = 30) -> str:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        shown = screen(session)
        if text in shown:
            return shown
        time.sleep(0.2)
    raise SystemExit(f"timed out waiting for {text!r}; screen:\n{screen(session)}")


def start(session: str, db: str, size: str) -> None:
    width, height = size.split("x")
    tmux(
        "new-session",
        "-d",
        "-s",
        session,
        "-x",
        width,
        "-y",
        height,
        f"{PADAN} --db {db} tui; sleep 60",
    )
    wait_for(session, " here · ")  # the findings summary: opened and checked


def first_text(db: str) -> str:
    con = sqlite3.connect(db)
    try:
        return str(
            con.execute(
                "SELECT v.current FROM variants v JOIN units u ON u.id = v.unit_id "
                "JOIN documents d ON d.id = u.document_id WHERE d.name = '000' "
                "ORDER BY u.position LIMIT 1"
            ).fetchone()[0]
        )
    finally:
        con.close()


def quit_race(db: str, size: str, tries: int) -> int:
    lost = 0
    for n in range(tries):
        session = f"padan-race-{n}"
        before = first_text(db)
        start(session, db, size)
        tmux("send-keys", "-t", session, "Enter")  # into the editor, the cursor at the start
        time.sleep(0.5)
        typed = f"q{n}x "
        tmux("send-keys", "-t", session, "-l", typed)  # the letters, then at once Ctrl+Q
        tmux("send-keys", "-t", session, "C-q")
        end = time.monotonic() + 30  # the app has quit when the pane's `sleep` runs
        while time.monotonic() < end and "sleep" not in tmux(
            "list-panes", "-t", session, "-F", "#{pane_current_command}"
        ):
            time.sleep(0.1)
        tmux("kill-session", "-t", session)
        after = first_text(db)
        ok = after == typed + before
        lost += not ok
        print(
            f"try {n + 1}: typed {typed!r} + Ctrl+Q → saved {after[: -len(before)]!r} "
            f"{'ok' if ok else 'LOST'}"
        )
    print(f"quit race: {tries - lost}/{tries} tries kept every letter")
    return lost


def outside_changes(db: str, size: str, folder: Path) -> int:
    session = "padan-outside"
    start(session, db, size)
    tmux("send-keys", "-t", session, "C-o")  # the document list (an overlay when narrow)
    time.sleep(0.5)
    new = folder / "baru.txt"
    new.write_text("Dokumen baru dari baris perintah.\n", encoding="utf-8")
    subprocess.run(
        [PADAN, "--db", db, "import", "--lang", "id", str(new)], check=True, capture_output=True
    )
    shown = wait_for(session, "baru", timeout=15)
    print("after `padan import baru.txt` (no key pressed):")
    print("\n".join(line for line in shown.splitlines() if "baru" in line))
    tmux("send-keys", "-t", session, "Escape")
    # the spun Chinese article (003, the fourth document), on its first finding
    tmux("send-keys", "-t", session, "C-o", "Home", "Down", "Down", "Down", "Enter")
    wait_for(session, "003#", timeout=15)
    tmux("send-keys", "-t", session, "F8")
    time.sleep(1)
    before = screen(session)
    subprocess.run([PADAN, "--db", db, "fix", "--auto"], check=True, capture_output=True)
    end, after = time.monotonic() + 15, before
    while time.monotonic() < end:
        after = screen(session)
        if " · v2" in after:
            break
        time.sleep(0.3)
    print("before `padan fix --auto`, the editor:")
    print("\n".join(before.splitlines()[19:25]))
    print("after it (no key pressed):")
    print("\n".join(after.splitlines()[19:25]))
    title = [line for line in after.splitlines() if "#" in line and " · v" in line]
    stale = 0 if title and " · v2" in title[0] else 1
    tmux("send-keys", "-t", session, "C-q")
    time.sleep(1)
    tmux("kill-session", "-t", session)
    print(f"outside changes: {'shown' if not stale else 'STALE'}")
    return stale


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tries", type=int, default=10)
    parser.add_argument("--size", default="100x30")
    args = parser.parse_args()
    if shutil.which("tmux") is None:
        raise SystemExit("tmux is needed (apt-get install tmux)")
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "padan.db")
        subprocess.run([PADAN, "--db", db, "demo"], check=True, capture_output=True)
        failures = quit_race(db, args.size, args.tries)
        failures += outside_changes(db, args.size, Path(tmp))
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
