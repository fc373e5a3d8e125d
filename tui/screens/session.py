"""What the app holds about the workspace between screens: state and rules, no widgets.

The rows of the open document, the findings of every document (computed in the
background and kept by variant), the checker with the term base's index, and the small
bookkeeping that keeps them right after an edit until the next full check.
"""

from __future__ import annotations

import threading
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from difflib import SequenceMatcher

from padan import review
from padan.jobs import ChangeMark, WriteGate, change_mark
from padan.review import SegmentFinding
from padan.rowmatch import RowQuery
from padan.workspace import Workspace
from termbase.checks.runner import Checker
from termbase.model import Concept, Status
from termbase.recognize import find
from tm.leverage import Offer
from tm.store import DocumentInfo, StoredVariant
from tui.widgets.editor import Mark
from tui.widgets.segments import Cells

FILTERS = (
    ("all", "All segments"),
    ("findings", "With findings"),
    ("edited", "Edited"),
    ("unconfirmed", "Not confirmed"),
    ("confirmed", "Confirmed"),
)


@dataclass(slots=True, eq=False)
class Row:
    """One segment: the variant edited (target) and, in a bilingual document, its source.

    Mutable on purpose: the table's filtered list and the document's list share the rows,
    so a saved edit shows in both."""

    unit_id: int
    position: int
    target: StoredVariant | None
    source: StoredVariant | None = None


@dataclass(frozen=True)
class Loaded:
    """A document's rows as loaded by a worker."""

    info: DocumentInfo
    rows: list[Row]
    langs: list[str]
    source_lang: str | None  # None for a monolingual document
    target_lang: str
    confirmed: dict[int, int]  # variant id -> version confirmed by a reviewer
    complete: bool = True  # False: only the document's first rows (see HEAD_ROWS)


HEAD_ROWS = 300  # a long document's first rows, read (in a millisecond) and painted first
# while the rest is read (a second for 100,000): more than any screen shows
PAINT_WAIT = 3.0  # seconds the rest waits at most for the first rows to be painted


def load_rows(
    ws: Workspace,
    name: str,
    target_lang: str | None = None,
    info: DocumentInfo | None = None,
    head: int | None = None,
) -> Loaded:
    """The document's rows; with ``head``, only its first ``head`` units (incomplete)."""
    if info is None or info.name != name:
        info = next((d for d in ws.document_list() if d.name == name), None)
    if info is None:
        raise LookupError(f"no document {name!r}")
    if head is None:
        langs = ws.document_languages(name)

        def variants(lang: str) -> list[StoredVariant]:
            return ws.variants(lang, name)
    else:  # the languages of the first rows (the whole document's need a scan of it)
        by_lang: dict[str, list[StoredVariant]] = defaultdict(list)
        for variant in ws.first_variants(name, head):
            by_lang[variant.lang].append(variant)
        langs = sorted(by_lang)

        def variants(lang: str) -> list[StoredVariant]:
            return by_lang.get(lang, [])

    complete = head is None
    if len(langs) <= 1:
        lang = langs[0] if langs else info.lang
        rows = [Row(v.unit_id, v.position, v) for v in variants(lang)]
        return Loaded(info, rows, langs, None, lang, review.confirmed(ws, name), complete)
    source_lang = info.lang if info.lang in langs else langs[0]
    others = [lang for lang in langs if lang != source_lang]
    target = target_lang if target_lang in others else others[0]
    sources = {v.unit_id: v for v in variants(source_lang)}
    targets = {v.unit_id: v for v in variants(target)}
    units = {v.unit_id: v.position for v in (*sources.values(), *targets.values())}
    rows = [
        Row(unit, position, targets.get(unit), sources.get(unit))
        for unit, position in sorted(units.items(), key=lambda item: item[1])
    ]
    return Loaded(info, rows, langs, source_lang, target, review.confirmed(ws, name), complete)


def shift_span(old: str, new: str, start: int, end: int) -> tuple[int, int] | None:
    """Where ``old[start:end]`` is in ``new``, if the edit left it untouched."""
    if old == new:
        return start, end
    for op, a1, a2, b1, _b2 in SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if op == "equal" and a1 <= start and end <= a2 and (start < end or a1 < a2):
            return start - a1 + b1, end - a1 + b1
    return None


def rebase(sf: SegmentFinding, variant: StoredVariant) -> SegmentFinding | None:
    """The finding on the variant's new text, or None where the edit touched it."""
    span = shift_span(sf.variant.current, variant.current, sf.finding.start, sf.finding.end)
    if span is None:
        return None
    return SegmentFinding(variant, sf.finding._replace(start=span[0], end=span[1]))


class Session:
    """The workspace as the app sees it, on the main thread's connection."""

    def __init__(self, location: str) -> None:
        self.location = location
        self.ws = Workspace(location)
        self.gate = WriteGate(self.ws)  # first: a write after it is seen
        self._mark: ChangeMark | Future[ChangeMark] | None = None  # taken by preload()
        self._painted = threading.Event()  # the first rows are on screen
        self._closed = False
        self.documents: list[DocumentInfo] = []
        self.checker: Checker = review.checker(self.ws)
        self.findings: list[SegmentFinding] = []
        self.by_variant: dict[int, list[SegmentFinding]] = {}
        self.checked = False  # findings were computed at least once
        self.generation = 0  # bumped by every change; a check of an older one is stale
        self.loaded: Loaded | None = None
        self._counts: Counter[str] | None = None
        self._preloaded: tuple[str, Future[Loaded] | None, Future[Loaded]] | None = None
        self._rows_by_variant: dict[int, int] = {}
        self.confirmed: dict[int, int] = {}  # variant id -> version confirmed
        self.progress: dict[str, review.DocumentProgress] = {}
        self._row_index: dict[int, int] = {}  # unit id -> index in loaded.rows
        # The memory's best match of rows of the open bilingual document, by unit id, for
        # the rows painted so far; ``wanted``: rows painted without one, to look up.
        self.offers: dict[int, Offer] = {}
        self.wanted: dict[int, Row] = {}
        self.on_wanted: Callable[[], object] = lambda: None

    def preload(self) -> None:
        """Start loading the first document now, in a thread of its own, so that it loads
        while the app starts: a long one's first rows, then all of them (a document of
        100,000 segments takes about a second, which the first paint need not wait for)."""
        self.refresh_documents()
        if self._preloaded is not None:
            return
        if not self.documents:
            self._mark = change_mark(self.ws)
            return
        info, main, painted = self.documents[0], self.ws, self._painted

        def load(head: int | None) -> Loaded:
            if head is None:  # after the first paint: the screen needs the interpreter
                painted.wait(PAINT_WAIT)
            if self._closed:
                raise LookupError("the app has closed")
            ws = main.for_thread()
            try:
                return load_rows(ws, info.name, info=info, head=head)
            finally:
                ws.close()

        def mark() -> ChangeMark:  # a scan of every text: off the first paint's way too
            ws = main.for_thread()
            try:
                return change_mark(ws)
            finally:
                ws.close()

        pool = ThreadPoolExecutor(1, thread_name_prefix="padan-preload")
        self._mark = pool.submit(mark)  # before any row is read: a change after it is seen
        first = pool.submit(load, HEAD_ROWS) if info.segments > HEAD_ROWS else None
        if first is None:
            painted.set()
        self._preloaded = (info.name, first, pool.submit(load, None))
        pool.shutdown(wait=False)

    def painted(self) -> None:
        """The first rows are on screen: the rest may be read now."""
        self._painted.set()

    @property
    def mark(self) -> ChangeMark:
        """The workspace's change mark as of the rows shown (see padan.jobs)."""
        if self._mark is None:
            self._mark = change_mark(self.ws)
        elif isinstance(self._mark, Future):
            self._mark = self._mark.result()
        return self._mark

    @mark.setter
    def mark(self, value: ChangeMark) -> None:
        self._mark = value

    def preloaded(self, name: str) -> tuple[Future[Loaded] | None, Future[Loaded]] | None:
        """The document loading since :meth:`preload` (its first rows, if it is long, and
        all of them), once."""
        found, self._preloaded = self._preloaded, None
        return (found[1], found[2]) if found is not None and found[0] == name else None

    def close(self) -> None:
        self._closed = True
        self._painted.set()
        self.ws.close()

    # -- documents and rows ---------------------------------------------------------------

    def refresh_documents(self) -> list[DocumentInfo]:
        self.documents = self.ws.document_list()
        return self.documents

    def set_loaded(self, loaded: Loaded) -> None:
        """The open document's rows; after its first rows, all of them (whose first rows
        are those shown so far, so that an edit made meanwhile stays)."""
        early = self.loaded
        rest = early is not None and not early.complete and early.info.name == loaded.info.name
        if rest and early is not None:
            shown = {row.unit_id: row for row in early.rows}
            loaded.rows[:] = [shown.get(row.unit_id, row) for row in loaded.rows]
        self.loaded = loaded
        self.confirmed.update(loaded.confirmed)
        self._rows_by_variant = {
            row.target.id: i for i, row in enumerate(loaded.rows) if row.target is not None
        }
        self._row_index = {row.unit_id: i for i, row in enumerate(loaded.rows)}
        if not rest:
            self.offers.clear()
            self.wanted.clear()

    def row_of(self, variant_id: int) -> int | None:
        return self._rows_by_variant.get(variant_id)

    @property
    def bilingual(self) -> bool:
        return bool(self.loaded and self.loaded.source_lang)

    def query(self, row: Row) -> RowQuery | None:
        """What the memory is asked about ``row`` (bilingual documents only)."""
        index = self._row_index.get(row.unit_id)
        if self.loaded is None or index is None or row.source is None:
            return None
        rows = self.loaded.rows

        def source(i: int) -> str | None:
            around = rows[i].source if 0 <= i < len(rows) else None
            return around.current if around is not None else None

        target = row.target.current if row.target is not None else ""
        return RowQuery(index + 1, row.source.current, target, source(index - 1), source(index + 1))

    def match_cell(self, row: Row) -> str:
        """The match column: the best match's score (R: repaired), — none, … not yet."""
        offer = self.offers.get(row.unit_id)
        if offer is None:
            if row.source is not None and row.unit_id not in self.wanted:
                self.wanted[row.unit_id] = row
                if len(self.wanted) == 1:
                    self.on_wanted()
            return "…" if row.source is not None else ""
        if offer.kind == "none":
            return "—"
        return f"{offer.score:.0f}" + ("R" if offer.kind == "repaired" else "")

    def headers(self) -> tuple[str, str, str, str]:
        if self.loaded and self.loaded.source_lang:
            return (
                "#",
                "",
                f"Source ({self.loaded.source_lang})",
                f"Target ({self.loaded.target_lang})",
            )
        return ("#", "", "As imported", "Current")

    def cells(self, row: Row) -> Cells:
        target = row.target
        count = len(self.by_variant.get(target.id, ())) if target else 0
        edited = bool(target and target.current != target.original)
        if row.source is not None or (self.loaded and self.loaded.source_lang):
            left = row.source.current if row.source else ""
            right = target.current if target else "—"
        else:
            left = target.original if target else ""
            right = target.current if target else ""
        match = self.match_cell(row) if self.bilingual else ""
        return Cells(
            str(row.position), edited, count, left, right, self.is_confirmed(target), match
        )

    def is_confirmed(self, variant: StoredVariant | None) -> bool:
        """Confirmed by a reviewer as it is now (a later change takes it back)."""
        return variant is not None and self.confirmed.get(variant.id) == variant.version

    def reload_variants(self, ids: Iterable[int]) -> list[int]:
        """Read variants again after a change; returns the rows (of the open document)
        that changed."""
        changed_rows = []
        for variant_id in set(ids):
            variant = self.ws.variant(variant_id)
            self.replace_variant(variant)
            index = self.row_of(variant_id)
            if index is not None:
                changed_rows.append(index)
        return sorted(changed_rows)

    def replace_variant(self, variant: StoredVariant) -> None:
        """Keep rows and findings right after ``variant`` changed (until the next check)."""
        index = self.row_of(variant.id)
        if self.loaded is not None and index is not None:
            self.loaded.rows[index].target = variant
        old = self.by_variant.get(variant.id)
        if old is None:
            return
        kept = [r for r in (rebase(sf, variant) for sf in old) if r is not None]
        if kept:
            self.by_variant[variant.id] = kept
        else:
            del self.by_variant[variant.id]
        self.findings = [sf for sf in self.findings if sf.variant.id != variant.id]
        self.findings += kept
        self.findings.sort(key=_order)
        self._counts = None

    # -- findings -------------------------------------------------------------------------

    def rebuild_checker(self) -> None:
        self.checker = review.checker(self.ws)

    def set_findings(self, found: Sequence[SegmentFinding]) -> None:
        self.findings = sorted(found, key=_order)
        by_variant: dict[int, list[SegmentFinding]] = defaultdict(list)
        for sf in self.findings:
            by_variant[sf.variant.id].append(sf)
        self.by_variant = dict(by_variant)
        self.checked = True
        self._counts = None

    def findings_of(self, variant_id: int | None) -> list[SegmentFinding]:
        return list(self.by_variant.get(variant_id, ())) if variant_id is not None else []

    def counts(self) -> Counter[str]:
        if self._counts is None:
            self._counts = Counter(sf.variant.document for sf in self.findings)
        return self._counts

    def rules(self, document: str | None = None) -> Counter[str]:
        return Counter(
            sf.finding.rule
            for sf in self.findings
            if document is None or sf.variant.document == document
        )

    def same_finding(self, sf: SegmentFinding | None) -> SegmentFinding | None:
        """The finding now standing for ``sf`` (after a rebase or a new check)."""
        if sf is None:
            return None
        for other in self.by_variant.get(sf.variant.id, ()):
            if (
                other.finding.rule == sf.finding.rule
                and other.written == sf.written
                and (other.finding.suggestions == sf.finding.suggestions)
            ):
                return other
        return None

    def step_finding(
        self, document: str, position: int, start: int, step: int, rule: str | None = None
    ) -> tuple[SegmentFinding | None, bool]:
        """The finding after (step 1) or before (step -1) the place given, in document
        order over the whole workspace, wrapping around; and whether it wrapped."""
        found = [sf for sf in self.findings if rule is None or sf.finding.rule == rule]
        if not found:
            return None, False
        keys = [_order(sf) for sf in found]
        here = (document, position, start)
        if step > 0:
            i = bisect_right(keys, here)
            return (found[i], False) if i < len(found) else (found[0], True)
        i = bisect_left(keys, here) - 1
        return (found[i], False) if i >= 0 else (found[-1], True)

    # -- rows filter ----------------------------------------------------------------------

    def filtered(self, kind: str, query: str = "") -> list[Row]:
        rows = self.loaded.rows if self.loaded else []
        if kind == "findings":
            rows = [r for r in rows if r.target and r.target.id in self.by_variant]
        elif kind == "edited":
            rows = [r for r in rows if r.target and r.target.current != r.target.original]
        elif kind == "confirmed":
            rows = [r for r in rows if self.is_confirmed(r.target)]
        elif kind == "unconfirmed":
            rows = [r for r in rows if r.target and not self.is_confirmed(r.target)]
        elif kind.startswith("rule:"):
            rule = kind[5:]
            rows = [
                r
                for r in rows
                if r.target
                and any(sf.finding.rule == rule for sf in self.by_variant.get(r.target.id, ()))
            ]
        query = query.strip().casefold()
        if query:
            rows = [r for r in rows if query in _haystack(r)]
        return rows

    # -- marks for the editor -------------------------------------------------------------

    def term_marks(self, text: str, lang: str) -> list[Mark]:
        return [
            (hit.start, hit.end, "term" if hit.term.status.usable else "term-bad")
            for hit in self.checker.index.find(text, lang)
        ]

    def marks(
        self, text: str, lang: str, variant: StoredVariant | None, current: SegmentFinding | None
    ) -> list[Mark]:
        """Terms and findings in ``text`` (the editor's, maybe changed since the variant)."""
        out = self.term_marks(text, lang)
        if variant is None:
            return out
        for sf in self.by_variant.get(variant.id, ()):
            span = shift_span(variant.current, text, sf.finding.start, sf.finding.end)
            if span is None or span[0] == span[1]:
                continue
            kind = "finding-current" if current is not None and sf == current else "finding"
            out.append((span[0], span[1], kind))
        return out

    def concepts_in(self, text: str, lang: str) -> list[Concept]:
        seen: dict[str, Concept] = {}
        for hit in self.checker.index.find(text, lang):
            seen.setdefault(hit.concept.id or hit.concept.terms[0].text, hit.concept)
        return list(seen.values())

    def occurrences_of(self, text: str, lang: str) -> list[SegmentFinding]:
        """The forbidden-term findings that are ``text`` (as the term base matches it)."""
        return [
            sf
            for sf in self.findings
            if sf.finding.rule == "term-forbidden"
            and sf.variant.lang == lang
            and any(a == 0 and b == len(sf.written) for a, b in find(text, sf.written, lang))
        ]


def _order(sf: SegmentFinding) -> tuple[str, int, int]:
    return (sf.variant.document, sf.variant.position, sf.finding.start)


def _haystack(row: Row) -> str:
    parts = []
    for v in (row.target, row.source):
        if v is not None:
            parts += [v.current, v.original]
    return "\n".join(parts).casefold()


STATUS_ORDER = {s: i for i, s in enumerate(Status)}
