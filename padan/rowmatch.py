"""The memory's best match of each segment of a bilingual document in the workspace, for
the TUI's segment table and its insert-match key.

It is the offer `padan pretranslate` and `padan analyze` make (padan.leverage: exact,
context, repaired with the term base, fuzzy), looked up one row at a time, with one
difference: the document is part of the memory, and a segment's own stored translation
is no match of itself. Other segments of the same document (repetitions) still count.

A big memory is read in a process of its own (:class:`MatchProcess`): reading 100,000
units takes half a minute of CPU, which in a thread would hold the interpreter from the
screen that waits for it, and slow every key pressed meanwhile.
"""

from __future__ import annotations

import os
import pickle
import queue
import subprocess
import sys
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import IO, Protocol

from padan.leverage import open_memory, without_codes
from padan.workspace import Workspace
from tm.leverage import Entry, Memory, Offer, Segment

MIN_SCORE = 50  # fuzzy matches under this are no match, as in the memory panel


@dataclass(frozen=True)
class RowQuery:
    """One segment of the document: its source text, its neighbours' and its place."""

    ordinal: int  # 1-based place among the document's units (as Entry.origin numbers them)
    source: str
    target: str  # its own translation ("" when it has none)
    before: str | None = None
    after: str | None = None


class Matcher(Protocol):
    def best_of(self, queries: Sequence[RowQuery]) -> list[Offer]: ...
    def close(self) -> None: ...


class RowMatcher:
    """The memory of one language pair, asked about the rows of one document."""

    def __init__(self, memory: Memory, document: str) -> None:
        self.memory = memory
        self.document = document

    def best(self, query: RowQuery) -> Offer:
        """The best offer for the row, its own entry left out (a duplicate unit of the same
        text elsewhere stays a match)."""
        segment = Segment(query.source, before=query.before, after=query.after)
        entries = self.memory.entries_of(query.source)
        index = _own(entries, self.document, query)
        own = None if index is None else entries[index]
        return self.memory.lookup(segment, min_score=MIN_SCORE, exclude=own)

    def best_of(self, queries: Sequence[RowQuery]) -> list[Offer]:
        return [self.best(q) for q in queries]

    def close(self) -> None:
        pass


def _own(entries: list[Entry], document: str, query: RowQuery) -> int | None:
    """Where the row's own entry is: the entry of its document at its place; if the places
    do not agree (units of other languages counted), the nearest of its document with its
    translation. A row without a translation has no entry."""
    if not query.target.strip():
        return None
    mine = [i for i, e in enumerate(entries) if e.origin.rpartition("#")[0] == document]
    here = [i for i in mine if _number(entries[i].origin) == query.ordinal]
    if here:
        return here[0]
    same = [i for i in mine if entries[i].target == query.target]
    return min(same, key=lambda i: abs(_number(entries[i].origin) - query.ordinal), default=None)


def _number(origin: str) -> int:
    number = origin.rpartition("#")[2]
    return int(number) if number.isdigit() else 0


def open_row_matcher(
    ws: Workspace, document: str, source_lang: str, target_lang: str
) -> RowMatcher:
    """The workspace's memory from ``source_lang`` to ``target_lang`` (every bilingual
    document, this one included), with the term base for repairs; for a document read
    from a PO, with inline codes as their text, as `padan pretranslate` offers them to a
    PO (a PO's ``{1}Home`` is an XLIFF's ``<ph>{1}</ph>Home``, and a match inserted into
    it holds no placeholder character)."""
    plain = without_codes(ws.documents.origin(document) or "")
    return RowMatcher(open_memory(ws, source_lang, target_lang, plain=plain), document)


PROCESS_FROM = 20_000  # units in the bilingual documents: from there, a process of its own


def open_matcher(
    ws: Workspace, document: str, source_lang: str, target_lang: str, units: int
) -> Matcher:
    """The memory of the language pair, asked about ``document``: for a workspace of
    ``units`` bilingual units or more, in a process of its own (see the module's note)."""
    if units >= PROCESS_FROM:
        return MatchProcess(ws.db.location, document, source_lang, target_lang)
    return open_row_matcher(ws, document, source_lang, target_lang)


class MatchProcess:
    """A :class:`RowMatcher` in a child process: it reads the memory as soon as it starts,
    and answers :meth:`best_of` over a pipe (pickles of our own classes, both ends ours)."""

    def __init__(self, location: str, document: str, source_lang: str, target_lang: str) -> None:
        self._child = subprocess.Popen(
            [sys.executable, "-c", "from padan.rowmatch import serve; serve()"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        self._lock = threading.Lock()
        self._send((location, document, source_lang, target_lang))

    def _send(self, item: object) -> None:
        assert self._child.stdin is not None
        pickle.dump(item, self._child.stdin)
        self._child.stdin.flush()

    def best_of(self, queries: Sequence[RowQuery]) -> list[Offer]:
        """The best offers of ``queries``, once the memory is read (the first call waits)."""
        with self._lock:
            try:
                self._send(list(queries))
                assert self._child.stdout is not None
                ok, answer = pickle.load(self._child.stdout)
            except (OSError, ValueError, EOFError, pickle.UnpicklingError) as exc:
                raise RuntimeError("the memory's process has stopped") from exc
        if not ok:
            raise RuntimeError(answer)
        return list(answer)

    def close(self) -> None:
        """Stop the process, at once (even while it reads the memory)."""
        self._child.kill()
        self._child.wait()
        for pipe in (self._child.stdin, self._child.stdout):
            if pipe is not None:
                pipe.close()


def serve(source: IO[bytes] | None = None, answers: IO[bytes] | None = None) -> None:
    """The child's side of :class:`MatchProcess`: the memory, then a query batch at a time
    until the pipe closes. Only pickles go to ``answers``: printing goes nowhere.

    A thread listens to the pipe from the start: as the child, when it closes (the parent
    has gone, even killed, or closed it), the process ends at once, even in the middle of
    reading the memory, which would otherwise take its half minute of CPU for nobody."""
    child = source is None
    source = source or sys.stdin.buffer
    if answers is None:
        answers = os.fdopen(os.dup(1), "wb")
        os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
    location, document, source_lang, target_lang = pickle.load(source)
    questions: queue.SimpleQueue[list[RowQuery] | None] = queue.SimpleQueue()

    def listen(source: IO[bytes]) -> None:
        while True:
            try:
                questions.put(pickle.load(source))
            except (OSError, ValueError, EOFError, pickle.UnpicklingError):
                if child:
                    os._exit(0)
                questions.put(None)
                return

    threading.Thread(target=listen, args=(source,), name="padan-rowmatch-pipe", daemon=True).start()
    matcher: RowMatcher | None = None
    failure = ""
    try:
        ws = Workspace(location)
        try:
            matcher = open_row_matcher(ws, document, source_lang, target_lang)
        finally:
            ws.close()
    except Exception as exc:  # told to the parent at its first question
        failure = str(exc) or "the memory could not be read"
    while (queries := questions.get()) is not None:
        try:
            if matcher is None:
                raise RuntimeError(failure)
            reply: tuple[bool, object] = (True, matcher.best_of(queries))
        except Exception as exc:
            reply = (False, str(exc) or "the memory could not be asked")
        pickle.dump(reply, answers)
        answers.flush()
