"""Ctrl+C (SIGINT) during a multi-file `padan import`, sent to the real command line:
the import is all files or none, as the README says, so nothing of it is stored, the
first file included, and the workspace is as it was before."""

from __future__ import annotations

import os
import signal
import subprocess
import time

from test_bad_input import BAD, PADAN, _env, snapshot
from test_kill import _integrity, _size, _write_tmx

UNITS = 100_000


def test_sigint_during_a_multi_file_import_stores_none_of_them(tmp_path):
    big = _write_tmx(tmp_path / "big.tmx", UNITS)
    workspace = tmp_path / "ws"
    workspace.mkdir()
    done = subprocess.run(
        [*PADAN, "--db", str(workspace / "padan.db"), "import", str(BAD / "good.txt")],
        capture_output=True, text=True, cwd=workspace, env=_env(), timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    before = snapshot(workspace)

    proc = subprocess.Popen(
        [*PADAN, "--db", str(workspace / "padan.db"), "import", str(BAD / "good.po"), str(big)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=workspace, env=_env(),
    )  # fmt: skip
    wal = workspace / "padan.db-wal"
    deadline = time.monotonic() + 180
    # good.po is stored first (a few pages); the big memory's pages then spill to the WAL
    # as it is stored: 4 MB is well into the second file
    while _size(wal) < 4_000_000:
        assert proc.poll() is None, f"finished before the interrupt: {proc.communicate()!r}"
        assert time.monotonic() < deadline, "never got to the second file"
        time.sleep(0.01)
    os.kill(proc.pid, signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode != 0
    assert b"good.po" not in out  # no file is said to be stored
    assert len(err.decode().strip().splitlines()) == 1, err  # one line, no traceback

    assert _integrity(workspace) == "ok"
    assert snapshot(workspace) == before  # good.po neither
