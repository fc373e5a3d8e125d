"""Importing files into a workspace without holding it long.

An import lands all or nothing, every file of it, and on SQLite that means one write
transaction, during which every other writer waits (readers never do: the write-ahead
log). So the lock is held only for the writes:

1. Every file is read and checked first, with no lock held: its units, made the rows
   the store writes (tm.store_rows.rows: the JSON of their identity and metadata), go
   to a spool (an anonymous temporary file in $TMPDIR, pickled in batches, so memory
   stays flat), and a bad file anywhere stops the command before anything is stored.
2. Then the files are stored, from the spool, in one transaction: the XML parsing
   (about two thirds of the time of a big TMX) happens before, not inside the lock.

A file of units going to a new document is different: it is stored as it is read (by a
child process, padan/readahead.py, on the other core), the transaction opened first, so
that the parse overlaps the store instead of adding to it. On SQLite the lock is then
held while the file is parsed, but no longer than the store alone would hold it when
the store is the slower (a million PO units: parsing 10 s, storing 11 s). PostgreSQL
locks no more than the rows and documents written, so there the transaction always opens
first. Files are still stored in their order (those after one that must wait wait too),
and a bad file anywhere still rolls every file back: what was read of it is never
committed.

Whatever stops the storing (a full disk, a lock not given, Ctrl+C, a kill) rolls back
every file of the import: a user who runs ``padan import a.po b.po`` again after it
gets both, never ``a.po`` twice over a half-done run.
"""

from __future__ import annotations

import os
import pickle
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, TypeVar

from corpora.atomicfile import reason
from corpora.dbconn import redact
from corpora.errors import CorpusError, LocatedError
from corpora.langtags import normalize
from corpora.model import Document
from padan.readahead import ReadAhead, ReadFailed
from padan.review_state import adopt, signed_off
from padan.tuids import apart, renamed_rows, tuid
from padan.workspace import Progress, Workspace, steps
from tm.model import Unit
from tm.store import ImportResult
from tm.store_rows import Row, rows

if TYPE_CHECKING:
    from tm.files import UnitFormat
    from tm.fuzzy.prebuilt import Prebuild

_T = TypeVar("_T")
_BATCH = 1000  # units per pickle: per-unit pickles cost twice the time
_CORES = os.cpu_count() or 1


@dataclass(frozen=True)
class Staged:
    """A file read and checked, waiting in the spool to be stored."""

    file: str
    document: str  # the document it goes to
    source_lang: str
    target_lang: str | None
    offset: int  # where its batches start in the spool
    count: int  # units, or segments of a plain-text document
    content: int | None  # plain text: segments that are not boilerplate; None: units
    signed_off: bool = False  # units the file says are reviewed or final (to confirm)
    index: Prebuild | None = None  # their fuzzy index, if built as they were read
    memory: bool = False  # a TMX: units are the same by tuid and source (padan.tuids)


@dataclass(frozen=True)
class Stored:
    staged: Staged
    units: ImportResult | None  # a memory file
    changed: bool  # a plain-text document: new or changed
    apart: tuple[str, ...] = ()  # tuids stored with another source: added as new units


class Spool:
    """Objects read ahead into an anonymous temporary file (gone even after kill -9)."""

    def __init__(self, location: str) -> None:
        self.folder = tempfile.gettempdir()
        self.location = location
        self._held: list[Prebuild] = []
        try:
            self._file: IO[bytes] = tempfile.TemporaryFile()
        except OSError as exc:
            raise self._error(exc) from exc

    def _error(self, exc: OSError) -> CorpusError:
        return CorpusError(
            f"{reason(exc)} in {self.folder}, where the files are read ahead; nothing was stored",
            path=self.location,
            hint="free some space there, or set TMPDIR to a folder with room",
        )

    def fileno(self) -> int:
        return self._file.fileno()

    def write(
        self, items: Iterable[_T], each: Callable[[list[_T], int, int], None] | None = None
    ) -> tuple[int, int]:
        """Append ``items``; returns (offset, count) for :meth:`read`. ``each`` is given
        every batch as it is in the file: the batch, where it starts and its size."""
        file = self._file
        file.seek(0, 2)
        offset, count, batch = file.tell(), 0, []
        try:
            for item in items:
                batch.append(item)
                count += 1
                if len(batch) == _BATCH:
                    self._dump(batch, each)
                    batch = []
            if batch:
                self._dump(batch, each)
            pickle.dump([], file, pickle.HIGHEST_PROTOCOL)  # the end
            file.flush()
        except OSError as exc:
            raise self._error(exc) from exc
        return offset, count

    def _dump(self, batch: list[_T], each: Callable[[list[_T], int, int], None] | None) -> None:
        data = pickle.dumps(batch, pickle.HIGHEST_PROTOCOL)
        at = self._file.tell()
        self._file.write(data)
        if each is not None:
            self._file.flush()  # for the worker reading it (tm/fuzzy/prebuilt.py)
            each(batch, at, len(data))

    def batch(self, at: int, size: int) -> list[Any]:
        """The batch written from byte ``at`` on, ``size`` bytes long (by a child process
        too: pread leaves the file's offset, which it shares, alone)."""
        from tm.fuzzy.prebuilt import pread  # the reader's batches are the index's

        return pickle.loads(pread(self.fileno(), size, at))  # type: ignore[no-any-return]

    def read(self, offset: int) -> Iterator[object]:
        self._file.seek(offset)
        while batch := pickle.load(self._file):
            position = self._file.tell()
            yield from batch
            self._file.seek(position)

    def held(self, index: Prebuild) -> Prebuild:
        """``index``, closed (its temporary file removed) with the spool."""
        self._held.append(index)
        return index

    def close(self) -> None:
        self._file.close()
        for index in self._held:
            index.close()


def read_all(
    files: Sequence[str],
    spool: Spool,
    *,
    lang: str | None,
    source_lang: str | None,
    target_lang: str | None,
    encoding: str | None,
    name: str | None,
    report: Progress,
    new: Callable[[str], bool] = lambda document: False,
    ws: Workspace | None = None,
) -> list[Staged | Stored]:
    """Read and check every file into ``spool``; the first bad one raises. The fuzzy
    index of a file going to a document for which ``new`` is true is built as it is read
    (the store uses it if the document is still new when the file is stored). With
    ``ws``, in whose transaction this runs, such a file is stored as it is read, while
    every file before it was too (files are stored in their order): its :class:`Stored`
    stands in the list for it."""
    from corpora.documents import load_document
    from tm.files import format_of, read_units

    staged: list[Staged | Stored] = []
    for file in files:
        fmt = format_of(file)
        if fmt is not None:
            found = read_units(file, source_lang=source_lang, target_lang=target_lang)
            signed = _Watch(found.source_lang)
            made = found.rows  # a PO file's: no unit is reviewed or final there
            if made is None:
                made = rows(map(signed, found.units), found.source_lang)
            document = name or Path(file).name
            index = None
            if new(document):
                from tm.fuzzy.stored import prebuild

                # on the other core, reading the spool
                index = spool.held(prebuild(spool=spool.fileno() if _CORES > 1 else None))
            memory = fmt.name == "tmx"
            now = ws if index is not None and _as_read(fmt) else None
            # A child shows no progress: the fork may have taken the bar's lock with it,
            # held by the thread that draws the bar.
            if now is None:
                made = _counted(made, steps(report, f"reading {file}", 0))
            reading = _Reading(spool, made, index, signed)
            head = partial(Staged, file, document, found.source_lang, found.target_lang)
            if now is not None:
                staged.append(_stored_as_read(now, head, reading, report))
                continue
            ws = None  # the files after this one are stored after it
            offset, count = reading.write()
            staged.append(head(offset, count, None, signed.seen, index, memory))
        else:
            ws = None
            doc = load_document(file, lang=lang, encoding=encoding, name=name)
            offset, _ = spool.write([doc])
            staged.append(
                Staged(
                    file, doc.name, doc.lang, None, offset, len(doc.segments), len(doc.content())
                )
            )
    return staged


@dataclass
class _Reading:
    """A file's rows on their way to the spool (and to its fuzzy index, ``index``)."""

    spool: Spool
    rows: Iterator[Row]
    index: Prebuild | None
    signed: _Watch  # whether a unit read is reviewed or final

    def write(self, hand: Callable[[int, int], None] | None = None) -> tuple[int, int]:
        """Write the rows: (offset, count). ``hand`` is told where each batch is."""
        index = self.index
        if index is None and hand is None:
            return self.spool.write(self.rows)

        def each(batch: list[Row], at: int, size: int) -> None:
            if index is not None:
                index.add(batch, at, size)
            if hand is not None:
                hand(at, size)

        written = self.spool.write(self.rows, each)
        if index is not None:
            index.finish()
        return written

    def written(self, hand: Callable[[int, int], None]) -> tuple[int, int, bool]:
        """:meth:`write`, and whether a unit read is reviewed or final."""
        return (*self.write(hand), self.signed.seen)


def _as_read(fmt: UnitFormat | None) -> bool:
    """Whether a file in ``fmt``, going to a new document, is stored as it is read (by a
    child, on the other core) when the transaction is open: units, but not a TMX's (the
    same by tuid and source, padan.tuids)."""
    return _CORES > 1 and fmt is not None and fmt.name != "tmx"


class _Watch:
    """Passes units through, noting whether one has a reviewed or final translation."""

    def __init__(self, source_lang: str) -> None:
        self.source_lang, self.seen = source_lang, False

    def __call__(self, unit: Unit) -> Unit:
        self.seen = self.seen or signed_off(unit, self.source_lang)
        return unit


def _counted(items: Iterable[_T], progress: Callable[[int], None]) -> Iterator[_T]:
    for i, item in enumerate(items, 1):
        if i % _BATCH == 0:
            progress(i)
        yield item


def store_all(
    ws: Workspace, staged: Sequence[Staged | Stored], spool: Spool, report: Progress
) -> list[Stored]:
    """Store every staged file (those stored as read stay as they are) in one
    transaction, joined if open."""
    with ws.db.transaction():
        return [s if isinstance(s, Stored) else _store(ws, s, spool, report) for s in staged]


SETTLE_UNITS = 10_000
"""Units added from which an import vacuums and analyzes on PostgreSQL (corpora.dbconn
Connection.settle): about a second per 100,000 units, nothing beside a smaller import."""


def _store(ws: Workspace, item: Staged, spool: Spool, report: Progress) -> Stored:
    """One file, in the import's transaction (a memory's units with the confirmations
    of those its file says are reviewed or final)."""
    with _about(item.file):
        if item.content is not None:
            (doc,) = spool.read(item.offset)
            assert isinstance(doc, Document)
            return Stored(item, None, bool(ws.add_documents([doc], report)))
        renamed = _apart(ws, item, spool) if item.memory else {}
        stored = renamed_rows(spool.read(item.offset), renamed)  # type: ignore[arg-type]
        result = _import(ws, item, stored, report)
        return _confirmed(ws, item, result, renamed)


def _stored_as_read(
    ws: Workspace, head: Callable[..., Staged], reading: _Reading, report: Progress
) -> Stored:
    """A file of units to a new document, stored as it is read (padan/readahead.py);
    ``head`` makes its :class:`Staged` of the rest."""
    item = head(0, 0, None, False, reading.index, False)  # for the store: no more yet
    reader = ReadAhead(reading.written, reading.spool.batch, item.file)
    try:
        with _about(item.file):
            result = _import(ws, item, reader.items(), report)
    except ReadFailed as failed:
        raise failed.error from None  # what reading it alone would have said
    finally:
        reader.close()
    assert reader.result is not None
    offset, count, signed = reader.result
    item = head(offset, count, None, signed, reading.index, False)
    with _about(item.file):
        return _confirmed(ws, item, result, {})


@contextmanager
def _about(*files: str) -> Iterator[None]:
    """An error of the store, said of ``files`` (once: an error already said of a file,
    or reading one, names it)."""
    try:
        yield
    except LocatedError as exc:
        if exc.path not in files and not exc.message.startswith("importing "):
            exc.message = f"importing {', '.join(files)}: {exc.message}"
        raise


def _import(ws: Workspace, item: Staged, units: Iterable[Row], report: Progress) -> ImportResult:
    return ws.documents.import_rows(
        item.document,
        item.source_lang,
        units,
        origin=item.file,
        progress=steps(report, f"importing {item.file}", item.count),
        index=item.index,
    )


def _confirmed(
    ws: Workspace, item: Staged, result: ImportResult, renamed: dict[str, str]
) -> Stored:
    if item.signed_off:  # confirmed again, as they were when exported
        stored = (u for _, u in ws.documents.units(item.document))
        adopt(ws, stored, item.source_lang)
    return Stored(item, result, True, tuple(sorted(set(map(tuid, renamed.values())))))


def _apart(ws: Workspace, item: Staged, spool: Spool) -> dict[str, str]:
    """The new identities of the file's units whose tuid is stored with another source."""
    ws.db.serialize("document:" + item.document)  # as import_rows does: no one between
    doc_id = ws.documents.document_id(item.document)
    if doc_id is None:
        return {}
    rows = spool.read(item.offset)
    return apart(ws.db, doc_id, normalize(item.source_lang), rows)  # type: ignore[arg-type]


def _new(ws: Workspace, document: str) -> bool:
    """Whether an import into ``document`` may use a fuzzy index built as it is read
    (see tm/fuzzy/prebuilt.py): a document not there yet."""
    return ws.documents.document_id(document) is None


def import_files(
    ws: Workspace,
    files: Sequence[str],
    *,
    lang: str | None = None,
    source_lang: str | None = None,
    target_lang: str | None = None,
    encoding: str | None = None,
    name: str | None = None,
    report: Progress,
) -> Iterator[Stored]:
    """Read and check ``files``, then store them all in one transaction (see the
    module); what each file added, once all are committed."""
    from tm.files import format_of

    spool = Spool(redact(ws.db.location))
    # PostgreSQL locks no more than the rows written: new documents are stored as read;
    # on SQLite, the lock taken before reading only for them (see the module)
    new = partial(_new, ws)
    early = ws.db.dialect == "postgresql" or (
        bool(files) and _as_read(format_of(files[0])) and new(name or Path(files[0]).name)
    )
    try:  # the commit's own failure (a server gone, a full disk) said of every file too
        with _about(*files), ws.db.transaction() if early else nullcontext():
            staged = read_all(
                files,
                spool,
                lang=lang,
                source_lang=source_lang,
                target_lang=target_lang,
                encoding=encoding,
                name=name,
                report=report,
                new=new,
                ws=ws if early else None,
            )
            stored = store_all(ws, staged, spool, report)
    finally:
        spool.close()
    if sum(s.units.added for s in stored if s.units) >= SETTLE_UNITS:
        ws.db.settle()
    yield from stored
