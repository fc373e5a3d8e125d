"""The fuzzy index of a new document, built while its file is read, before the import.

:func:`tm.fuzzy.stored.sync` indexes an import after its rows are written: it reads
every new text back from the database and builds shards of BUILD_ROWS texts, each
written, then read back to be merged into the one before (a 2**20-row shard is written
some six times over). For a new document the texts are known before the transaction, in
the order their variants get their ids: :class:`Prebuild` indexes them as the rows go to
the spool (in a child process, on the other core), their ids counted from 0, merges the
shards in a temporary file as ``_settle`` merges them (and those above the first into
one at the end); inside the transaction :func:`tm.fuzzy.stored.adopt` writes
them once each, their rows named by the ids the variants got (SQLite: the k-th after the
highest; PostgreSQL: those taken from the sequence).

Memory holds one batch of texts per language and the per-row arrays and vocabularies of
the shards that may still merge: their postings (some 50 per row) are in the file from
the start, merged from it into it a block at a time (:func:`tm.fuzzy.shards.combine_into`),
and read back with ``pread``.
"""

from __future__ import annotations

import multiprocessing
import os
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import IO

import numpy as np

from tm.fuzzy.grams import gram_size
from tm.fuzzy.shards import Shard, build_shard, combine_into, merges
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
        return np.frombuffer(_pread(self.fd, 4 * (end - start), self.at + 4 * start), np.int32)


def _pread(fd: int, size: int, at: int) -> bytes:
    data = os.pread(fd, size, at)
    while len(data) < size:  # a read may stop short
        data += os.pread(fd, size - len(data), at + len(data))
    return data


class Prebuild:
    """Indexes the texts of rows (tm.store_rows.Row) passed through :meth:`feed`, their
    ids counted from 0 in file order, variant by variant; a shard is built of ``rows``
    texts of a language, or fewer holding ``chars`` characters, and merged up to
    ``most`` rows (tm.fuzzy.stored's BUILD_ROWS, BUILD_CHARS and MAX_SHARD).

    With ``worker``, the shards are built in a child process, on the other core, while
    this one reads the file: the texts go to it a batch at a time. Should it fail (out
    of memory), :attr:`ready` is false and the store's sync indexes the rows instead.
    """

    def __init__(self, rows: int, chars: int, most: int, *, worker: bool = False) -> None:
        self.rows, self.chars, self.most = rows, chars, most
        self.count = 0  # variants fed
        self.ready = False  # every shard is in the file
        self._texts: dict[str, list[tuple[int, str]]] = {}
        self._chars: dict[str, int] = {}
        self._stacks: dict[str, list[_FileShard]] = {}
        self._file: IO[bytes] = tempfile.TemporaryFile(buffering=0)
        self._end = 0  # bytes written to the file
        self._stored: list[_Record] = []  # the finished shards, in order
        self._conn: Connection | None = None
        self._process: BaseProcess | None = None
        if worker:
            context = multiprocessing.get_context("fork")  # the file and self, inherited
            self._conn, theirs = context.Pipe()
            self._process = context.Process(target=self._serve, args=(theirs,), daemon=True)
            self._process.start()
            theirs.close()

    def feed(self, rows: Iterable[Row]) -> Iterator[Row]:
        """The rows, unchanged, their texts indexed as they pass."""
        texts, chars = self._texts, self._chars
        for row in rows:
            for lang, text, _ in row[2]:
                batch = texts.get(lang)
                if batch is None:
                    batch = texts[lang] = []
                    chars[lang] = 0
                batch.append((self.count, text))
                self.count += 1
                chars[lang] += len(text)
                if len(batch) == self.rows or chars[lang] >= self.chars:
                    self._full(lang)
            yield row

    def finish(self) -> None:
        """Index what is left; the shards are then all in the file."""
        for lang in list(self._texts):
            if self._texts[lang]:
                self._full(lang)
        if self._conn is None:
            self._store_all()
            self.ready = True
            return
        try:
            self._conn.send(None)
            self._stored = self._conn.recv()
            self.ready = True
        except (EOFError, OSError):  # the worker died: the sync will index the rows
            pass
        self._end_worker()

    def shards(self) -> Iterator[tuple[str, Shard]]:
        """(language, shard) of every shard built, in the order they were finished (each
        language's in id order), read back from the file one at a time, their postings
        left there until read."""
        fd = self._file.fileno()
        for lang, rows, grams, at, postings in self._stored:
            sizes = (8 * rows, 4 * rows, 8 * grams, 8 * (grams + 1))
            data = _pread(fd, sum(sizes), at)
            cuts = np.cumsum([0, *sizes]).tolist()
            ids, lengths, keys, offsets = (
                np.frombuffer(data[a:b], dtype)
                for a, b, dtype in zip(cuts, cuts[1:], _TYPES, strict=False)
            )
            yield lang, _FileShard(ids, lengths, keys, offsets, _NONE, fd=fd, at=postings)

    def close(self) -> None:
        self._end_worker()
        self._file.close()

    def _full(self, lang: str) -> None:
        batch, self._texts[lang], self._chars[lang] = self._texts[lang], [], 0
        if self._conn is None:
            self._build(lang, batch)
        else:
            try:
                self._conn.send((lang, batch))
            except OSError:  # the worker died: finish() says so
                pass

    def _serve(self, conn: Connection) -> None:
        """The worker's work: build the batches it is sent, store the shards, say which."""
        try:
            for lang, batch in iter(conn.recv, None):
                self._build(lang, batch)
            self._store_all()
            conn.send(self._stored)
        except BaseException:  # noqa: BLE001 - the parent falls back to the sync
            pass

    def _end_worker(self) -> None:
        if self._process is not None:
            if self._process.is_alive() and not self.ready:
                self._process.terminate()
            self._process.join()
            self._process = None
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def _store_all(self) -> None:
        """Store every language's shards, those above its first merged into one when they
        fit: each holds less than half the rows of the one before, so together they are
        fewer than the first's, merged once; a look-up then costs two shards of this
        import rather than one per power of two (~0.2 ms of numpy each)."""
        for lang, stack in self._stacks.items():
            while len(stack) > 2 and len(stack[-2]) + len(stack[-1]) <= self.most:
                self._merge_last(stack)
            for shard in stack:
                at = self._end
                for array, dtype in zip(_small(shard), _TYPES, strict=True):
                    self._append(array.astype(dtype, copy=False))
                self._stored.append((lang, len(shard), len(shard.keys), at, shard.at))
            stack.clear()

    def _build(self, lang: str, batch: list[tuple[int, str]]) -> None:
        built = build_shard(batch, gram_size(lang), texts=False)
        at = self._end
        self._append(built.postings)
        stack = self._stacks.setdefault(lang, [])
        stack.append(self._in_file(built, at))
        while len(stack) > 1 and merges(len(stack[-2]), len(stack[-1]), self.most):
            self._merge_last(stack)

    def _merge_last(self, stack: list[_FileShard]) -> None:
        """The newest shard merged into the one before, from the file into it."""
        last, at = stack.pop(), self._end
        merged = combine_into([(stack[-1], None), (last, None)], by_id=False, write=self._append)
        stack[-1] = self._in_file(merged, at)

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


_TYPES = (np.int64, np.int32, np.int64, np.int64)  # of ids, lengths, keys, offsets
_NONE = np.empty(0, dtype=np.int32)


def _small(shard: Shard) -> tuple[np.ndarray, ...]:
    """What a finished shard keeps beside its postings in the file, as :data:`_TYPES`."""
    return (shard.ids, shard.lengths, shard.keys, shard.offsets)
