"""A file read on a thread while this one stores what is read (see padan/importing.py).

On PostgreSQL the server does most of an import's work (COPY, foreign-key checks, indexes:
31 s of CPU for a million units) while this process waits for it; reading the file
first (13 s) left that core idle, then the server waited for the reader. Here the reader
runs on a thread and hands its batches over a short queue, and the store takes them as
they come: the parse goes on while the store waits for the server (the GIL is released
there), and the server works on the other core.

Storing stays on the calling thread, with the connection, its transaction and Ctrl+C as
ever; the reader only parses and writes the spool. An error of the reader reaches the
store as :class:`ReadFailed`, which rolls it back like any other.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterator
from typing import Generic, TypeVar

_T = TypeVar("_T")
_R = TypeVar("_R")

AHEAD = 16
"""Batches the reader may be ahead of the store: memory stays bounded by them."""


class ReadFailed(Exception):  # noqa: N818 - it carries the reader's own error
    """The reader stopped on ``error`` (bad input, a full disk): nothing may be stored."""

    def __init__(self, error: BaseException) -> None:
        super().__init__(str(error))
        self.error = error


class _Stopped(Exception):  # noqa: N818
    """The store gave up: the reader stops at its next batch."""


_END = object()


class ReadAhead(Generic[_T, _R]):
    """Runs ``read(hand)`` on a thread; ``read`` passes each batch it makes to ``hand``
    and returns :attr:`result`. :meth:`items` yields the batches' items here, in order,
    until ``read`` returns, or raises :class:`ReadFailed` if it raised."""

    def __init__(self, read: Callable[[Callable[[list[_T]], None]], _R]) -> None:
        self.result: _R | None = None
        self._queue: queue.Queue[object] = queue.Queue(maxsize=AHEAD)
        self._stopped = False
        self._thread = threading.Thread(target=self._run, args=(read,), name="padan-reader")
        self._thread.start()

    def _run(self, read: Callable[[Callable[[list[_T]], None]], _R]) -> None:
        try:
            self.result = read(self._hand)
            end: object = _END
        except BaseException as exc:  # noqa: BLE001 - handed to the store, which raises it
            end = ReadFailed(exc)
        if not self._stopped:
            self._queue.put(end)

    def _hand(self, batch: list[_T]) -> None:
        if self._stopped:
            raise _Stopped
        self._queue.put(batch)

    def items(self) -> Iterator[_T]:
        while (batch := self._queue.get()) is not _END:
            if isinstance(batch, ReadFailed):
                raise batch
            yield from batch  # type: ignore[misc]

    def close(self) -> None:
        """Stop the reader if it is still on (the store failed), and wait for it."""
        self._stopped = True
        while self._thread.is_alive():
            try:  # a reader waiting to hand a batch over gets its turn, then stops
                self._queue.get(timeout=0.05)
            except queue.Empty:
                pass
        self._thread.join()
