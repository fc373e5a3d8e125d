"""Bounded memory for exports that must see every entry before writing the first:
a set of keys that spills to disk, and a spool of what is to be written.

- :class:`SeenKeys` answers "was this key given before?" for a PO catalogue's msgctxt and
  msgid. Keys are kept as 16-byte BLAKE2b digests (a collision is about as likely as
  2^-100 at a billion keys), in memory up to :data:`IN_MEMORY`, then in sorted runs on
  disk behind a Bloom filter of fixed size. Keys are looked up a block at a time.

  Why not let the workspace's SQL make duplicates adjacent: the key is the text as the
  PO shows it (inline codes written out) in its gettext domain, which only the writer
  computes, and the entries must stay in document order.
- :class:`Spool` keeps a list of items (text, or objects the writer finishes later) in an
  unnamed temporary file, pickled in blocks, and gives them back in order.
"""

from __future__ import annotations

import hashlib
import pickle
import tempfile
from collections.abc import Iterable, Iterator
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np

IN_MEMORY = 100_000  # keys held as a Python set (about 10 MB) before they go to disk
_FILTER_BITS = 1 << 26  # 8 MiB: at a million keys, about one look-up in a thousand is in vain
BLOCK = 4000  # items a spool holds in memory before it writes them out


def digest(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


class SeenKeys:
    """A set of digests whose memory stays under a fixed size, whatever it holds.

    The newest keys are a Python set; past :data:`IN_MEMORY` they are sorted and written
    out as a run (an unnamed temporary file, mapped, searched by bisection). A Bloom
    filter of fixed size (two bits per key, taken from the digest) answers most "never
    seen" at once, so that the runs are searched for few keys.
    """

    def __init__(self, limit: int | None = None) -> None:
        self._limit = IN_MEMORY if limit is None else limit
        self._memory: set[bytes] = set()
        import numpy as np  # imported where used: the PO reader (padan check) needs none

        self._runs: list[tuple[IO[bytes], np.ndarray]] = []  # (file, [first halves, seconds])
        self._bits = np.zeros(_FILTER_BITS // 8, dtype=np.uint8)

    @staticmethod
    def _halves(keys: list[bytes]) -> np.ndarray:
        import numpy as np

        return np.frombuffer(b"".join(keys), dtype=np.uint64).reshape(-1, 2)

    def known(self, keys: Iterable[bytes]) -> set[bytes]:
        """Those of ``keys`` in the set."""
        import numpy as np

        keys = list(keys)
        if not keys:
            return set()
        places = self._halves(keys) % np.uint64(_FILTER_BITS)
        bits = self._bits[places >> np.uint64(3)] >> (places & np.uint64(7)).astype(np.uint8)
        maybe = [k for k, m in zip(keys, (bits & 1).all(axis=1), strict=True) if m]
        found = {k for k in maybe if k in self._memory}
        rest = [k for k in maybe if k not in found]
        if rest and self._runs:
            wanted = self._halves(rest)
            for _, run in self._runs:
                low = np.searchsorted(run[0], wanted[:, 0], "left")
                high = np.searchsorted(run[0], wanted[:, 0], "right")
                inside = np.flatnonzero(high > low)
                same = run[1][low[inside]] == wanted[inside, 1]
                found.update(rest[i] for i in inside[same])
                for i in inside[~same & (high[inside] - low[inside] > 1)]:  # first halves alike
                    if (run[1][low[i] : high[i]] == wanted[i, 1]).any():
                        found.add(rest[i])
        return found

    def add(self, keys: Iterable[bytes]) -> None:
        import numpy as np

        keys = list(keys)
        if not keys:
            return
        places = (self._halves(keys) % np.uint64(_FILTER_BITS)).ravel()
        ones = np.left_shift(1, places & np.uint64(7)).astype(np.uint8)
        np.bitwise_or.at(self._bits, places >> np.uint64(3), ones)
        self._memory.update(keys)
        if len(self._memory) > self._limit:
            halves = self._halves(list(self._memory))
            order = np.argsort(halves[:, 0], kind="stable")
            columns = np.ascontiguousarray(halves[order].T)
            spill = tempfile.TemporaryFile()
            spill.write(columns.tobytes())
            spill.flush()
            run = np.memmap(spill, dtype=np.uint64, mode="r", shape=columns.shape)
            self._runs.append((spill, run))
            self._memory.clear()

    def close(self) -> None:
        for spill, _ in self._runs:
            spill.close()
        self._runs = []


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
