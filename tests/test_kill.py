"""kill -9 in the middle of an import or an export, through the real command line.

An import is one transaction: killed halfway, the workspace opens, passes SQLite's
integrity check and holds either all the units of the file or none; the same import run
again completes it. An export writes a temporary file renamed at the end: killed halfway,
nothing exists under the target name (or the previous file is still there, untouched).
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from test_bad_input import BAD, PADAN, _env, padan, snapshot

IMPORT_UNITS = 200_000
EXPORT_UNITS = 60_000


def _write_tmx(path: Path, units: int) -> Path:
    head = (BAD / "good.tmx").read_text(encoding="utf-8")
    head = head[: head.index("<body>") + len("<body>")] + "\n"
    with path.open("w", encoding="utf-8") as f:
        f.write(head)
        for i in range(units):
            f.write(
                f'<tu tuid="k{i}"><tuv xml:lang="en"><seg>open source model number {i}</seg>'
                f'</tuv><tuv xml:lang="id"><seg>model sumber terbuka nomor {i}</seg></tuv></tu>\n'
            )
        f.write("</body>\n</tmx>\n")
    return path


def _start(workspace: Path, *args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [*PADAN, "--db", str(workspace / "padan.db"), *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        cwd=workspace,
        env=_env(),
    )


def _kill_when(proc: subprocess.Popen[bytes], ready: Callable[[], bool], timeout: float) -> None:
    """SIGKILL ``proc`` as soon as ``ready()``; it must still be working by then."""
    deadline = time.monotonic() + timeout
    while not ready():
        assert proc.poll() is None, f"finished before the kill: {proc.stderr.read()!r}"  # type: ignore[union-attr]
        assert time.monotonic() < deadline, "never got halfway"
        time.sleep(0.01)
    assert proc.poll() is None, "finished before the kill"
    os.kill(proc.pid, signal.SIGKILL)
    assert proc.wait(timeout=30) == -signal.SIGKILL
    assert proc.stderr is not None and proc.stderr.read() == b""
    proc.stderr.close()


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except FileNotFoundError:
        return 0


def _count(workspace: Path, sql: str, *params: object) -> int:
    con = sqlite3.connect(workspace / "padan.db")
    try:
        return int(con.execute(sql, params).fetchone()[0])
    finally:
        con.close()


def _integrity(workspace: Path) -> str:
    con = sqlite3.connect(workspace / "padan.db")
    try:
        return con.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        con.close()


_UNITS_OF = "SELECT COUNT(*) FROM units u JOIN documents d ON d.id = u.document_id WHERE d.name = ?"


def test_sigkill_during_import_leaves_all_or_nothing(tmp_path):
    big = _write_tmx(tmp_path / "big.tmx", IMPORT_UNITS)
    workspace = tmp_path / "ws"
    workspace.mkdir()
    done = padan(workspace, "import", str(BAD / "good.tmx"), str(BAD / "good.txt"))
    assert done.returncode == 0, done.stderr
    before = snapshot(workspace)

    proc = _start(workspace, "import", str(big))
    wal = workspace / "padan.db-wal"
    # The transaction spills its pages to the WAL as it goes: about 60 MB for the whole
    # file, so 15 MB is a quarter of the way.
    _kill_when(proc, lambda: _size(wal) > 15_000_000, timeout=120)

    assert _integrity(workspace) == "ok"
    assert _count(workspace, _UNITS_OF, "big.tmx") == 0
    assert _count(workspace, "SELECT COUNT(*) FROM documents WHERE name = 'big.tmx'") == 0
    assert snapshot(workspace) == before

    done = padan(workspace, "import", str(big), timeout=300)
    assert done.returncode == 0, done.stderr
    assert f"{IMPORT_UNITS} units added, 0 updated" in done.stdout
    assert _integrity(workspace) == "ok"
    assert _count(workspace, _UNITS_OF, "big.tmx") == IMPORT_UNITS
    variants = (
        "SELECT COUNT(*) FROM variants v JOIN units u ON u.id = v.unit_id "
        "JOIN documents d ON d.id = u.document_id WHERE d.name = ?"
    )
    assert _count(workspace, variants, "big.tmx") == 2 * IMPORT_UNITS
    assert _count(workspace, _UNITS_OF, "good.tmx") == 3  # what was there is still there


@pytest.fixture(scope="module")
def exported_workspace(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("export")
    tmx = _write_tmx(folder / "memory.tmx", EXPORT_UNITS)
    done = padan(folder, "import", str(tmx), timeout=300)
    assert done.returncode == 0, done.stderr
    tmx.unlink()
    return folder


def _temporaries(folder: Path, name: str) -> list[Path]:
    return sorted(folder.glob(f".{name}.*.tmp"))


@pytest.mark.parametrize("previous", [None, "previous export\n"])
def test_sigkill_during_export_leaves_no_partial_file(exported_workspace, tmp_path, previous):
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    target = out_dir / "big.tmx"
    if previous is not None:
        target.write_text(previous, encoding="utf-8")

    proc = _start(exported_workspace, "export", str(target))

    def halfway() -> bool:
        temporaries = _temporaries(out_dir, "big.tmx")
        return bool(temporaries) and _size(temporaries[0]) > 2_000_000

    _kill_when(proc, halfway, timeout=120)

    left = sorted(p.name for p in out_dir.iterdir())
    temporaries = [p.name for p in _temporaries(out_dir, "big.tmx")]
    assert len(temporaries) == 1
    if previous is None:
        assert left == temporaries  # nothing under the target name
    else:
        assert left == sorted(["big.tmx", *temporaries])
        assert target.read_text(encoding="utf-8") == previous

    done = padan(exported_workspace, "export", str(target), timeout=300)
    assert done.returncode == 0, done.stderr
    assert f"wrote {EXPORT_UNITS} units" in done.stdout
    text = target.read_text(encoding="utf-8")
    assert text.count("<tu ") == EXPORT_UNITS and text.rstrip().endswith("</tmx>")
