"""The fuzzy index of a new document, built while its file is read, before the import.

:func:`tm.fuzzy.stored.sync` indexes an import after its rows are written: it reads
every new text back from the database and builds shards of BUILD_ROWS texts, each
written, then read back to be merged into the one before (a 2**20-row shard is written
some six times over). For a new document the texts are known before the transaction, in
the order their variants get their ids: :class:`Prebuild` indexes them as the rows go to
the spool (in a child process, on the other core, which reads each batch back from the
spool itself: sending it the texts through a pipe cost the reader 5 s of CPU beside its
11 s for a million units, and it waited whenever a merge kept the child busy), their
ids counted from 0, and merges the shards in a temporary file, each ``most`` rows' worth
in one pass (not two at a time as ``_settle`` merges a workspace's: 16 shards merged in
pairs had each posting written five times, 1.1 GB at a million units and a third of the
worker's CPU; at once, twice); inside the transaction
:func:`tm.fuzzy.stored.adopt` writes them once each, their rows named by the ids the
variants got (SQLite: the k-th after the highest; PostgreSQL: those taken from the
sequence).

Memory holds one batch of texts per language and the per-row arrays and vocabularies of
the shards that may still merge: their postings (some 50 per row) are in the file from
the start, merged from it into it a block at a time (:func:`tm.fuzzy.shards.combine_into`),
and read back with ``pread``.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import struct
import tempfile
from array import array
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import accumulate
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import IO

import numpy as np

from tm.fuzzy.grams import gram_size
from tm.fuzzy.shards import Shard, combine_into, shard_of
from tm.store_rows import Row

_Record = tuple[str, int, int, int, int]
"""Where a finished shard is in the file: language, rows, grams, where its per-row arrays
and vocabulary start (ids, lengths, keys, offsets, raw, one after the other), and where
its postings start."""


@dataclass(frozen=True)
class _FileShard(Shard):
    """A shard whose postings are in the build's file, from byte ``at``."""

    fd: int = -1
    at: int = 0

    def postings_between(self, start: int, end: int) -> np.ndarray:
        return np.frombuffer(pread(self.fd, 4 * (end - start), self.at + 4 * start), np.int32)


def pread(fd: int, size: int, at: int) -> bytes:
    """``size`` bytes of file ``fd`` from byte ``at``, its offset left alone."""
    data = os.pread(fd, size, at)
    while len(data) < size:  # a read may stop short
        data += os.pread(fd, size - len(data), at + len(data))
    return data


class Prebuild:
    """Indexes the texts of rows (tm.store_rows.Row) passed through :meth:`add`, their
    ids counted from 0 in file order, variant by variant; a shard is built of ``rows``
    texts of a language, or fewer holding ``chars`` characters, and merged up to
    ``most`` rows (tm.fuzzy.stored's BUILD_ROWS, BUILD_CHARS and MAX_SHARD).

    With ``spool``, the descriptor of the file the rows are pickled to as they are added
    (padan.importing.Spool), the shards are built in a child process, on the other core,
    while this one reads the file: it is told where each batch is and reads it there.
    Should it fail (out of memory), :attr:`ready` is false and the store's sync indexes
    the rows instead.
    """

    def __init__(self, rows: int, chars: int, most: int, *, spool: int | None = None) -> None:
        self.rows, self.chars, self.most = rows, chars, most
        self.count = 0  # variants fed
        self._ready = False  # every shard is in the file
        self._texts: dict[str, tuple[list[str], array[int]]] = {}  # a language's, and ids
        self._chars: dict[str, int] = {}
        self._stacks: dict[str, list[_FileShard]] = {}  # built, not merged yet
        self._done: dict[str, list[_FileShard]] = {}  # merged, up to ``most`` rows each
        self._file: IO[bytes] = tempfile.TemporaryFile(buffering=0)
        self._end = 0  # bytes written to the file
        self._stored: list[_Record] = []  # the finished shards, in order
        self._conn: Connection | None = None
        self._process: BaseProcess | None = None
        if spool is not None:
            context = multiprocessing.get_context("fork")  # the files and self, inherited
            self._conn, theirs = context.Pipe()
            self._process = context.Process(target=self._serve, args=(theirs, spool), daemon=True)
            self._process.start()
            theirs.close()

    def add(self, rows: Sequence[Row], at: int, size: int) -> None:
        """Index ``rows``, pickled (as a list) in the spool from byte ``at`` on, ``size``
        bytes, there already: the worker reads them there."""
        if self._conn is None:
            self._index(rows)
            return
        try:
            self._conn.send_bytes(_AT.pack(at, size))
        except OSError:  # the worker died: finish() says so
            pass

    def finish(self) -> None:
        """No more rows: what is left is indexed, by the worker while the import goes on
        (its last merges take seconds), until :attr:`ready` waits for it."""
        if self._conn is None:
            self._rest()
            self._ready = True
            return
        try:
            self._conn.send_bytes(b"")
        except OSError:  # the worker died: ready says so
            pass

    @property
    def ready(self) -> bool:
        """Every shard is in the file (once the worker is done, waited for here)."""
        if self._conn is not None:
            try:
                self._stored, self.count = self._conn.recv()
                self._ready = True
            except (EOFError, OSError):  # the worker died: the sync will index the rows
                pass
            self._end_worker()
        return self._ready

    def shards(self) -> Iterator[tuple[str, Shard]]:
        """(language, shard) of every shard built, in the order they were finished (each
        language's in id order), read back from the file one at a time, their postings
        left there until read."""
        fd = self._file.fileno()
        for lang, rows, grams, at, postings in self._stored:
            sizes = (8 * rows, 4 * rows, 8 * grams, 8 * (grams + 1))
            data = pread(fd, sum(sizes), at)
            cuts = np.cumsum([0, *sizes]).tolist()
            ids, lengths, keys, offsets = (
                np.frombuffer(data[a:b], dtype)
                for a, b, dtype in zip(cuts, cuts[1:], _TYPES, strict=False)
            )
            yield lang, _FileShard(ids, lengths, keys, offsets, _NONE, fd=fd, at=postings)

    def close(self) -> None:
        self._end_worker()
        self._file.close()

    def _index(self, rows: Sequence[Row]) -> None:
        # A batch's variants split by language with list comprehensions: a loop over
        # them one by one cost the worker a fifth of its CPU.
        variants = [v for row in rows for v in row[2]]
        first = self.count
        self.count += len(variants)
        langs = [lang for lang, _, _ in variants]
        texts = [text for _, text, _ in variants]
        kinds = dict.fromkeys(langs)
        for lang in kinds:
            if len(kinds) == 1:
                self._take(lang, range(first, self.count), texts)
            else:
                at = [i for i, tag in enumerate(langs) if tag == lang]
                self._take(lang, [first + i for i in at], [texts[i] for i in at])

    def _take(self, lang: str, ids: Iterable[int], texts: list[str]) -> None:
        """Texts of ``lang`` to index; shards built of ``rows`` of them, or of fewer
        reaching ``chars`` characters."""
        waiting, waiting_ids = self._texts.setdefault(lang, ([], array("q")))
        waiting.extend(texts)
        waiting_ids.extend(ids)
        chars = self._chars.get(lang, 0) + sum(map(len, texts))
        while len(waiting) >= self.rows or chars >= self.chars:
            sizes = list(accumulate(map(len, waiting[: self.rows])))
            cut = min(bisect_left(sizes, self.chars) + 1, len(sizes))
            self._build(lang, waiting_ids[:cut], waiting[:cut])
            del waiting[:cut], waiting_ids[:cut]
            chars -= sizes[cut - 1]
        self._chars[lang] = chars

    def _rest(self) -> None:
        """The texts left built into shards, and every shard stored."""
        for lang, (texts, ids) in self._texts.items():
            if texts:
                self._build(lang, ids, texts)
        self._texts.clear()
        self._store_all()

    def _serve(self, conn: Connection, spool: int) -> None:
        """The worker's work: index the batches of rows it is told of, store the shards,
        say which (and how many texts)."""
        try:
            assert self._conn is not None
            self._conn.close()  # the parent's end
            self._conn = None
            for message in iter(conn.recv_bytes, b""):
                at, size = _AT.unpack(message)
                self._index(pickle.loads(pread(spool, size, at)))
            self._rest()
            conn.send((self._stored, self.count))
        except BaseException:  # noqa: BLE001 - the parent falls back to the sync
            pass

    def _end_worker(self) -> None:
        if self._process is not None:
            if self._process.is_alive() and not self._ready:
                self._process.terminate()
            self._process.join()
            self._process = None
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def _store_all(self) -> None:
        """Store every language's shards, its last ones merged into one first."""
        for lang, stack in self._stacks.items():
            self._merge_pending(lang, stack)
            for shard in self._done.pop(lang, []):
                at = self._end
                for part, dtype in zip(_small(shard), _TYPES, strict=True):
                    self._append(part.astype(dtype, copy=False))
                self._stored.append((lang, len(shard), len(shard.keys), at, shard.at))
            stack.clear()

    def _build(self, lang: str, ids: array[int], texts: list[str]) -> None:
        built = shard_of(np.frombuffer(ids, np.int64), texts, gram_size(lang), texts=False)
        at = self._end
        self._append(built.postings)
        stack = self._stacks.setdefault(lang, [])
        if sum(map(len, stack)) + len(built) > self.most:
            self._merge_pending(lang, stack)
        stack.append(self._in_file(built, at))

    def _merge_pending(self, lang: str, stack: list[_FileShard]) -> None:
        """The shards built since the last merge, merged into one, all at once."""
        if len(stack) > 1:
            at = self._end
            merged = combine_into([(s, None) for s in stack], by_id=False, write=self._append)
            stack[:] = [self._in_file(merged, at)]
        self._done.setdefault(lang, []).extend(stack)
        stack.clear()

    def _in_file(self, shard: Shard, at: int) -> _FileShard:
        """``shard``, its postings in the file from byte ``at``."""
        fd = self._file.fileno()
        return _FileShard(shard.ids, shard.lengths, shard.keys, shard.offsets, _NONE, fd=fd, at=at)

    def _append(self, array: np.ndarray) -> None:
        data = memoryview(np.ascontiguousarray(array).data).cast("B")
        while data:
            written = os.pwrite(self._file.fileno(), data, self._end)
            self._end += written
            data = data[written:]


_AT = struct.Struct("<QQ")  # where a batch of rows is in the spool: byte, size
_TYPES = (np.int64, np.int32, np.int64, np.int64)  # of ids, lengths, keys, offsets
_NONE = np.empty(0, dtype=np.int32)


def _small(shard: Shard) -> tuple[np.ndarray, ...]:
    """What a finished shard keeps beside its postings in the file, as :data:`_TYPES`."""
    return (shard.ids, shard.lengths, shard.keys, shard.offsets)
