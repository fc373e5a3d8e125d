"""Bounded memory for exports that must see every entry before writing the first:
a set of keys that spills to disk, and a spool of what is to be written.

- :class:`SeenKeys` answers "was this key given before?" for a PO catalogue's msgctxt and
  msgid. Keys are kept as 16-byte BLAKE2b digests (a collision is about as likely as
  2^-100 at a billion keys), in memory up to :data:`IN_MEMORY`, then in a private
  temporary SQLite database (deleted on close) whose page cache is capped. Keys are
  looked up a block at a time: one query per block, not one per entry.

  Why not let the workspace's SQL make duplicates adjacent: the key is the text as the
  PO shows it (inline codes written out) in its gettext domain, which only the writer
  computes, and the entries must stay in document order.
- :class:`Spool` keeps a list of items (text, or objects the writer finishes later) in an
  unnamed temporary file, pickled in blocks, and gives them back in order.
"""

from __future__ import annotations

import hashlib
import pickle
import sqlite3
import tempfile
from collections.abc import Iterable, Iterator
from typing import IO, Any

IN_MEMORY = 100_000  # keys held as a Python set (about 10 MB) before they go to disk
_CACHE_KIB = 8192  # the disk set's page cache
BLOCK = 4000  # items a spool holds in memory before it writes them out


def digest(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


class SeenKeys:
    """A set of digests whose memory stays under a fixed size, whatever it holds."""

    def __init__(self, limit: int | None = None) -> None:
        self._limit = IN_MEMORY if limit is None else limit
        self._memory: set[bytes] = set()
        self._disk: sqlite3.Connection | None = None

    def known(self, keys: Iterable[bytes]) -> set[bytes]:
        """Those of ``keys`` in the set."""
        keys = list(keys)
        found = {k for k in keys if k in self._memory}
        if self._disk is not None:
            for start in range(0, len(keys), 500):
                part = keys[start : start + 500]
                rows = self._disk.execute(
                    f"SELECT k FROM seen WHERE k IN ({','.join('?' * len(part))})", part
                )
                found.update(k for (k,) in rows)
        return found

    def add(self, keys: Iterable[bytes]) -> None:
        self._memory.update(keys)
        if len(self._memory) > self._limit:
            if self._disk is None:
                self._disk = sqlite3.connect("")  # "": a temporary file, removed on close
                self._disk.execute(f"PRAGMA cache_size = -{_CACHE_KIB}")
                self._disk.execute("PRAGMA journal_mode = OFF")
                self._disk.execute("PRAGMA synchronous = OFF")
                self._disk.execute("CREATE TABLE seen (k BLOB PRIMARY KEY) WITHOUT ROWID")
            self._disk.executemany(
                "INSERT OR IGNORE INTO seen VALUES (?)", ((k,) for k in self._memory)
            )
            self._memory.clear()

    def close(self) -> None:
        if self._disk is not None:
            self._disk.close()
            self._disk = None


class Spool:
    """Items appended in order, kept in a temporary file, read back in the same order."""

    def __init__(self, block: int | None = None) -> None:
        self._file: IO[bytes] | None = None
        self._items: list[Any] = []
        self._text: list[str] = []  # text appended since the last other item
        self._count = 0
        self._block = BLOCK if block is None else block

    def append(self, item: Any) -> None:
        """Text appended after text is joined to it (it comes back as one string)."""
        if isinstance(item, str):
            self._text.append(item)
        else:
            self._join()
            self._items.append(item)
        self._count += 1
        if self._count >= self._block:
            self._flush()

    def _join(self) -> None:
        if self._text:
            self._items.append("".join(self._text))
            self._text = []

    def _flush(self) -> None:
        self._join()
        if self._file is None:
            self._file = tempfile.TemporaryFile()
        pickle.dump(self._items, self._file, pickle.HIGHEST_PROTOCOL)
        self._items, self._count = [], 0

    def __iter__(self) -> Iterator[Any]:
        """The items, once (the spool is closed after)."""
        self._join()
        try:
            if self._file is not None:
                self._file.seek(0)
                while True:
                    try:
                        block = pickle.load(self._file)
                    except EOFError:
                        break
                    yield from block
            yield from self._items
        finally:
            self.close()

    def close(self) -> None:
        self._items, self._text = [], []
        if self._file is not None:
            self._file.close()
            self._file = None
