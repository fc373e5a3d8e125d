"""Atomic file writes: a temporary file in the same folder, fsynced, then renamed.

A crash or an error while writing never leaves a half-written file under the target
name, and an existing file stays as it was until the new one is complete.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from corpora.errors import CorpusError


@contextmanager
def atomic_write(path: str | Path, *, encoding: str | None = "utf-8") -> Iterator[IO[Any]]:
    """Open a temporary file for writing; it replaces ``path`` only if the block succeeds.

    ``encoding=None`` opens it in binary mode.
    """
    path = Path(path)
    folder = path.resolve().parent
    if not folder.is_dir():
        raise CorpusError("folder does not exist", path=path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    # mkstemp makes the file private (0600); give it the mode a new file would have.
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)
    try:
        mode = "wb" if encoding is None else "w"
        with os.fdopen(fd, mode, encoding=encoding, newline="" if encoding else None) as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
