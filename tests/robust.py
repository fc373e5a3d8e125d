"""Helpers of the robustness tests: real ``padan`` processes under real conditions.

- :func:`run` runs the command line, optionally as the user ``nobody`` (``setpriv``):
  root ignores file modes, so a read-only file or folder is only read-only to another
  user.
- :func:`small_disk` mounts a small tmpfs (root only; CI runs as root) and :func:`fill`
  fills it to the last byte; :func:`read_only_mount` remounts it read-only.
- :func:`hold_write_lock` is a second process holding the workspace's write lock.
- :func:`failed_in_one_line` is the contract every refused command keeps.
"""

from __future__ import annotations

import errno
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from test_bad_input import PADAN, _env

NOBODY = 65534
SKIP_ROOT = os.environ.get("PADAN_SKIP_ROOT_TESTS", "") not in ("", "0")


def needs_root() -> None:
    """Mounting needs root: fail without it (a test that cannot run must not pass),
    unless ``PADAN_SKIP_ROOT_TESTS=1`` says to skip."""
    if os.geteuid() == 0:
        return
    if SKIP_ROOT:
        pytest.skip("PADAN_SKIP_ROOT_TESTS is set: disk-full and read-only mounts untested")
    pytest.fail(
        "these tests mount a small tmpfs and need root (CI runs as root); "
        "PADAN_SKIP_ROOT_TESTS=1 skips them",
        pytrace=False,
    )


def shared_folder() -> Path:
    """A new folder that the user nobody can enter (pytest's tmp_path is private)."""
    folder = Path(tempfile.mkdtemp(prefix="padan-robust-"))
    folder.chmod(0o755)
    return folder


def run(
    db: str | Path,
    *args: str,
    user: int | None = None,
    timeout: float = 300,
    cwd: str | Path | None = None,
) -> subprocess.CompletedProcess[str]:
    prefix: list[str] = []
    if user is not None:
        prefix = ["setpriv", f"--reuid={user}", f"--regid={user}", "--clear-groups"]
    env = _env()
    if user is not None:
        env["HOME"] = "/nonexistent"
    return subprocess.run(
        [*prefix, *PADAN, "--db", str(db), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=cwd or tempfile.gettempdir(),
        env=env,
    )


def start(db: str | Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [*PADAN, "--db", str(db), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=tempfile.gettempdir(),
        env=_env(),
    )


def failed_in_one_line(done: subprocess.CompletedProcess[str], *words: str, status: int = 2) -> str:
    """The command failed with ``status``, saying why in one ``padan: error:`` line
    (after at most a ``padan: waiting`` line), with no traceback; returns the line."""
    assert done.returncode == status, (done.returncode, done.stdout, done.stderr)
    assert "Traceback" not in done.stderr, done.stderr
    lines = done.stderr.splitlines()
    assert lines and all(line.startswith("padan: ") for line in lines), done.stderr
    errors = [line for line in lines if line.startswith("padan: error: ")]
    assert len(errors) == 1 and lines[-1] == errors[0], done.stderr
    for word in words:
        assert word in errors[0], (word, errors[0])
    return errors[0]


def dump(db: str | Path) -> list[str]:
    """Every row of every table, read without writing anything beside the file (no
    -wal: nobody is writing, the file is all there is)."""
    wal = Path(f"{db}-wal")
    mode = "mode=ro" if wal.exists() and wal.stat().st_size else "mode=ro&immutable=1"
    con = sqlite3.connect(f"file:{db}?{mode}", uri=True)
    try:
        return list(con.iterdump())
    finally:
        con.close()


def files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


@contextmanager
def small_disk(size_kb: int) -> Iterator[Path]:
    needs_root()
    folder = shared_folder()
    subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size_kb}k,mode=0755", "tmpfs", str(folder)],
        check=True,
    )
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=True)
        shutil.rmtree(folder, ignore_errors=True)


def fill(folder: Path) -> Path:
    """Fill the file system of ``folder`` to the last byte; returns the filler file."""
    filler = folder / "filler"
    with filler.open("wb", buffering=0) as f:
        for size in (1 << 16, 1 << 12, 1 << 9, 1):
            try:
                while True:
                    f.write(b"\0" * size)
            except OSError as exc:
                assert exc.errno == errno.ENOSPC
    return filler


def read_only_mount(folder: Path) -> None:
    subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)


HOLD = (
    "import sqlite3, sys\n"
    "c = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
    "c.execute('BEGIN IMMEDIATE')\n"
    "print('locked', flush=True)\n"
    "sys.stdin.read()\n"
)


@contextmanager
def hold_write_lock(db: str | Path) -> Iterator[subprocess.Popen[str]]:
    """Another process holding the workspace's write lock until the block ends."""
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(db)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "locked\n"
        yield holder
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait(timeout=60)
