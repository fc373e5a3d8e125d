"""A file read by a child process while this one stores what is read (see padan/importing.py).

On PostgreSQL the server does most of an import's work (COPY, indexes) while this
process waits for it; reading the file first (~13 s of a million units) left that core
idle, then the server waited for the reader. Here a forked child reads the file into the
spool and says where each batch is; the store takes each batch from the spool as soon
as it is there: the parse goes on while the store waits for the server, which works on
the other core. (A thread shared the GIL with the store: at a million units the two
spent 12 s more CPU than one did alone, and the store waited for its turn after every
round trip.)

Storing stays in this process, with the connection, its transaction and Ctrl+C as ever;
the child only parses and writes the spool (pread here leaves the file's offset, which
it shares, alone). An error of the child reaches the store as :class:`ReadFailed`, which
rolls it back like any other; a store that fails ends the child.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
from collections.abc import Callable, Iterator
from typing import Any, Generic, TypeVar

from corpora.errors import LocatedError

_R = TypeVar("_R")


class ReadFailed(Exception):  # noqa: N818 - it carries the reader's own error
    """The reader stopped on ``error`` (bad input, a full disk): nothing may be stored."""

    def __init__(self, error: BaseException) -> None:
        super().__init__(str(error))
        self.error = error


class ReadAhead(Generic[_R]):
    """Runs ``read(hand)`` in a forked child; ``read`` writes batches to the spool
    ``fetch`` reads them from, passes where each is (its first byte, its size) to
    ``hand``, and returns :attr:`result`. :meth:`items` yields the batches' items here,
    in order, until ``read`` returns, or raises :class:`ReadFailed` if it raised; of
    ``path`` it says that the reader stopped if the child died."""

    def __init__(
        self,
        read: Callable[[Callable[[int, int], None]], _R],
        fetch: Callable[[int, int], list[Any]],
        path: str,
    ) -> None:
        self.result: _R | None = None
        self._fetch = fetch
        self._path = path
        context = multiprocessing.get_context("fork")  # the spool and the reader, inherited
        self._conn, theirs = context.Pipe(duplex=False)
        self._child = context.Process(target=_run, args=(read, theirs), daemon=True)
        self._child.start()
        theirs.close()

    def items(self) -> Iterator[Any]:
        while True:
            try:
                kind, value = self._conn.recv()
            except EOFError:  # killed (out of memory): said of the file, as a reader would
                stopped = LocatedError(
                    "the process reading it stopped before the end; nothing was stored",
                    path=self._path,
                    hint="run the import again; if it stops again, free some memory",
                )
                raise ReadFailed(stopped) from None
            if kind == "end":
                self.result = value
                return
            if kind == "failed":
                raise ReadFailed(value)
            yield from self._fetch(*value)

    def close(self) -> None:
        """End the child if it still reads (the store failed), and wait for it."""
        if self._child.is_alive():
            self._child.terminate()
        self._child.join()
        self._conn.close()


def _run(read: Callable[[Callable[[int, int], None]], Any], conn: Any) -> None:
    """The child's work: read, saying where each batch is, then how it ended."""
    try:
        try:
            message: tuple[str, Any] = (
                "end",
                read(lambda at, size: conn.send(("batch", (at, size)))),
            )
        except BaseException as exc:  # noqa: BLE001 - handed to the store, which raises it
            message = ("failed", _portable(exc))
        conn.send(message)
    except OSError:  # the parent is gone (killed): nobody to tell
        pass
    os._exit(0)  # nothing of the parent's (its connection, its files) is closed from here


def _portable(exc: BaseException) -> BaseException:
    """``exc``, or its one line if it does not survive the pipe."""
    try:
        pickle.loads(pickle.dumps(exc))
    except Exception:  # noqa: BLE001 - any error of pickling
        return LocatedError(str(exc))
    return exc
