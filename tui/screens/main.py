"""The main screen: documents, segments, the editor and the side panels, and every action.

Database work that can take long (opening a document, checking the workspace, a bulk
fix, building the workspace, exporting, fuzzy search) runs in a thread worker on its own
connection and reports back on the main thread; a single edit, undo and redo are quick
and run on the main thread's connection. Every change bumps the session's generation,
so that a check started before it is thrown away and started again.
"""

from __future__ import annotations

import getpass
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import (
    Footer,
    Header,
    Input,
    Label,
    OptionList,
    Select,
    TabbedContent,
    TabPane,
)
from textual.worker import get_current_worker

from corpora.db import is_url
from corpora.errors import LocatedError
from corpora.tokenize import has_han
from padan import review
from padan.jobs import ExportRequest, concordance_hits, export, fuzzy_matches, memory_index
from padan.review import SegmentFinding
from padan.workspace import Workspace
from tm.store import ConflictError, StoredVariant
from tui import keys
from tui.screens.dialogs import (
    BulkFixScreen,
    ConfirmScreen,
    ConflictScreen,
    ExportScreen,
    MarkGarbledScreen,
    MarkRequest,
    diff_text,
)
from tui.screens.help import HelpScreen
from tui.screens.session import FILTERS, Loaded, Row, Session, load_rows
from tui.widgets.editor import SegmentEditor, marked_text
from tui.widgets.panels import DocumentList, FindingsPanel, JobBar, MemoryPanel, TermsPanel
from tui.widgets.segments import SegmentTable

SAVE_PAUSE = 1.5  # seconds of no typing before the segment is saved
SHOW_PAUSE = 0.04  # seconds the table cursor rests before the editor follows it
CHECK_PAUSE = 2.0  # seconds after an edit before the workspace is checked again
MEMORY_PAUSE = 0.3  # seconds on a segment before its fuzzy matches are looked up

Progress = Callable[[str, int, int], None]


class JobCancelled(Exception):
    """Raised in a job's progress callback once its worker is cancelled, to stop it."""


def describe_error(exc: BaseException) -> str:
    if isinstance(exc, LocatedError | ValueError | LookupError | OSError):
        return str(exc) or type(exc).__name__
    return f"{type(exc).__name__}: {exc}"


class MainScreen(Screen[None]):
    AUTO_FOCUS = "#segments"
    BINDINGS: ClassVar[list[BindingType]] = [
        *keys.bindings(),
        Binding("escape", "back", "Back", show=False),
    ]
    HORIZONTAL_BREAKPOINTS: ClassVar[list[tuple[int, str]] | None] = [
        (0, "-narrow"),
        (110, "-wide"),
    ]
    VERTICAL_BREAKPOINTS: ClassVar[list[tuple[int, str]] | None] = [(0, "-short"), (30, "-tall")]

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.author = _user()
        self.doc: str | None = None
        self.shown: Row | None = None
        self.saved_text = ""
        self.current: SegmentFinding | None = None
        self._visited = False
        self.busy = False  # a bulk fix is being written
        self._table_index: dict[int, int] = {}
        self._after_check: list[Callable[[], None]] = []
        self._deferred: dict[str, Timer] = {}
        self._memory: dict[str, Any] = {}  # lang -> (FuzzyIndex, variants), built lazily
        self._memory_generation = -1
        self._conflicting = False
        self.ready = False  # a document is open (for tests and the benchmark)

    # -- layout ---------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False, icon="≋")
        with Horizontal(id="body"):
            yield DocumentList(id="documents", compact=True)
            with Vertical(id="center"):
                with Horizontal(id="filter-bar"):
                    yield Select(list((label, value) for value, label in FILTERS), value="all",
                                 allow_blank=False, compact=True, id="filter-kind")
                    yield Input(placeholder="filter text… (Ctrl+F)", compact=True,
                                id="filter-text")
                    yield Label("", id="filter-count")
                yield SegmentTable(id="segments")
                yield SegmentEditor(id="editor")
            with TabbedContent(id="side", initial="tab-findings"):
                with TabPane("Findings", id="tab-findings"):
                    yield FindingsPanel(id="findings")
                with TabPane("Terms", id="tab-terms"):
                    yield TermsPanel(id="terms")
                with TabPane("Memory", id="tab-memory"):
                    yield MemoryPanel(id="memory")
        yield JobBar(id="jobs")
        yield Footer()

    @property
    def table(self) -> SegmentTable:
        return self.query_one(SegmentTable)

    @property
    def editor(self) -> SegmentEditor:
        return self.query_one(SegmentEditor)

    def on_mount(self) -> None:
        self.editor.area.marker = self._marks
        self.table.empty_text = "Opening…"
        self.sub_title = self._place()
        self.session.refresh_documents()
        if self.session.documents:
            self._start()
        else:
            self.table.empty_text = "The workspace is empty."
            self.app.push_screen(
                ConfirmScreen(
                    "An empty workspace",
                    f"{self.session.location} has no documents yet. Build it from the bundled "
                    "corpus (five news articles about open-source AI, four Indonesian and one "
                    "Chinese, all garbled machine renderings)? Or quit and `padan import` your "
                    "own files.",
                    yes="Build from the bundled corpus",
                    no="Not now",
                ),
                self._build_answer,
            )
        self.table.focus()

    def _place(self) -> str:
        location = self.session.location
        name = location if is_url(location) else Path(location).name
        return name + (f" · {self.doc}" if self.doc else "")

    def _start(self) -> None:
        self._show_documents()
        first = self.session.documents[0].name
        # check once the first document is on screen: both compete for the interpreter
        self.open_document(first, then=lambda: self.call_after_refresh(self.recheck))

    def _build_answer(self, yes: bool | None) -> None:
        if not yes:
            self.table.empty_text = "The workspace is empty: `padan import FILE` or `padan demo`."
            self.table.refresh()
            return

        def build(ws: Workspace, report: Progress) -> int:
            return ws.demo(report).documents

        def built(count: int) -> None:
            self.session.rebuild_checker()
            self.session.refresh_documents()
            self.notify(f"Built the workspace: {count} documents. F8 goes to the first finding.")
            self._start()

        self.table.empty_text = "Building the workspace from the bundled corpus…"
        self.table.refresh()
        self.run_job("Building the workspace", build, built, group="build")

    # -- background jobs ------------------------------------------------------------------

    def run_job(
        self,
        label: str,
        fn: Callable[[Workspace, Progress], Any],
        done: Callable[[Any], None],
        *,
        group: str = "job",
        exclusive: bool = False,
    ) -> None:
        """Run ``fn(workspace, progress)`` in a thread on its own connection, then
        ``done(result)`` on the main thread; errors become a notification."""
        bar = self.query_one(JobBar)
        token = bar.start(label)
        location = self.session.location
        app = self.app
        last = [0.0]

        def report(step: str, count: int, total: int) -> None:
            if get_current_worker().is_cancelled:  # the app is closing, or a newer job won
                raise JobCancelled(label)
            now = time.monotonic()
            if count < total and now - last[0] < 0.05:
                return
            last[0] = now
            _call(app, bar.update, token, step, count, total)

        def work() -> None:
            worker = get_current_worker()
            try:
                ws = Workspace(location)
                try:
                    result = fn(ws, report)
                finally:
                    ws.close()
            except Exception as exc:  # shown as a notification, never a traceback
                _call(app, self._job_failed, token, label, exc, worker.is_cancelled)
                return
            if worker.is_cancelled:
                _call(app, bar.finish, token)
            else:
                _call(app, self._job_done, token, done, result)

        self.run_worker(work, thread=True, group=group, exclusive=exclusive,
                        exit_on_error=False, name=label)

    def _job_done(self, token: int, done: Callable[[Any], None], result: Any) -> None:
        self.query_one(JobBar).finish(token)
        try:
            done(result)
        except Exception as exc:
            self.error(exc)

    def _job_failed(self, token: int, label: str, exc: Exception, cancelled: bool) -> None:
        self.query_one(JobBar).finish(token)
        if not cancelled:
            self.log.error(f"{label} failed", exc)
            self.notify(f"{label} failed: {describe_error(exc)}", severity="error", timeout=10)

    def error(self, exc: BaseException, what: str = "") -> None:
        self.log.error(what, exc)
        self.notify((what + ": " if what else "") + describe_error(exc), severity="error",
                    timeout=10)

    def _later(self, name: str, delay: float, callback: Callable[[], Any]) -> None:
        """Run ``callback`` after ``delay`` seconds, unless asked again in between."""
        old = self._deferred.pop(name, None)
        if old is not None:
            old.stop()
        self._deferred[name] = self.set_timer(delay, callback, name=name)

    # -- documents and rows ----------------------------------------------------------------

    def _show_documents(self) -> None:
        s = self.session
        self.query_one(DocumentList).show(s.documents, s.counts(), s.checked, self.doc)

    def open_document(self, name: str, then: Callable[[], None] | None = None) -> None:
        self.save()
        target = self.session.loaded.target_lang if self.session.loaded else None

        def opened(loaded: Loaded) -> None:
            self._opened(loaded, then)

        preloaded = self.session.preloaded(name)

        def load(ws: Workspace, report: Progress) -> Loaded:
            if preloaded is not None:
                return preloaded.result()
            return load_rows(ws, name, target)

        self.run_job(f"Opening {name}", load, opened, group="open", exclusive=True)

    def _opened(self, loaded: Loaded, then: Callable[[], None] | None) -> None:
        self.session.set_loaded(loaded)
        self.doc = loaded.info.name
        self.shown = None
        self.sub_title = self._place()
        self._rule_options()
        self.apply_filter(cursor_row=None)
        self._show_documents()
        self.ready = True
        if then is not None:
            then()

    def _rule_options(self) -> None:
        select = self.query_one("#filter-kind", Select)
        rules = self.session.rules(self.doc)
        options = [(label, value) for value, label in FILTERS]
        options += [(f"Rule: {rule} ({n})", f"rule:{rule}") for rule, n in sorted(rules.items())]
        value = select.value
        with select.prevent(Select.Changed):
            select.set_options(options)
            if any(v == value for _, v in options):
                select.value = value
            else:
                select.value = "all"

    def apply_filter(self, cursor_row: Row | None = None) -> None:
        kind = str(self.query_one("#filter-kind", Select).value)
        query = self.query_one("#filter-text", Input).value
        rows = self.session.filtered(kind, query)
        self._table_index = {
            row.target.id: i for i, row in enumerate(rows) if row.target is not None
        }
        keep = cursor_row or self.shown
        cursor = 0
        if keep is not None and keep.target is not None:
            cursor = self._table_index.get(keep.target.id, 0)
        table = self.table
        table.empty_text = "No segment matches the filter." if self.session.loaded else "…"
        table.set_rows(rows, self.session.cells, self.session.headers(), cursor)
        total = len(self.session.loaded.rows) if self.session.loaded else 0
        self.query_one("#filter-count", Label).update(f"{len(rows)}/{total}")
        if not rows:
            self.shown = None
            self._show_empty()

    @on(Select.Changed, "#filter-kind")
    def _filter_kind(self) -> None:
        self.save()
        self.apply_filter()

    @on(Input.Changed, "#filter-text")
    def _filter_text(self) -> None:
        self._later("filter", 0.25, self.apply_filter)

    @on(Input.Submitted, "#filter-text")
    def _filter_done(self) -> None:
        self.apply_filter()
        self.table.focus()

    @on(OptionList.OptionSelected, "#documents")
    def _document_chosen(self, event: OptionList.OptionSelected) -> None:
        self.remove_class("-show-docs")
        if event.option.id and event.option.id != self.doc:
            self.open_document(event.option.id)
        self.table.focus()

    # -- the segment in the editor ---------------------------------------------------------

    @on(SegmentTable.Highlighted)
    def _row_highlighted(self, event: SegmentTable.Highlighted) -> None:
        row = self.table.current
        if row is None or row is self.shown:
            return
        self._show_current()

    def _show_current(self) -> None:
        row = self.table.current
        if row is not None and row is not self.shown:
            self.save()
            self.show_row(row)

    def show_row(self, row: Row, finding: SegmentFinding | None = None) -> None:
        self.shown = row
        variant = row.target
        self.saved_text = variant.current if variant else ""
        found = self.session.findings_of(variant.id if variant else None)
        self.current = finding if finding is not None else (found[0] if found else None)
        self._visited = finding is not None  # F8 from a segment just shown goes to its first
        lang = variant.lang if variant else (self.session.loaded.target_lang
                                             if self.session.loaded else "")
        self.editor.show(self._title(row), self._reference(row), self.saved_text,
                         read_only=variant is None or self.busy)
        if finding is not None:
            self.editor.area.select_span(finding.finding.start, finding.finding.end)
        self._side_panels(row, lang)

    def _show_empty(self) -> None:
        self.editor.show(Text("no segment", style="dim"), Text(), "", read_only=True)
        self.query_one(FindingsPanel).show([], None, "")

    def _title(self, row: Row, unsaved: bool = False) -> Text:
        v = row.target
        title = Text(no_wrap=True, overflow="ellipsis")
        title.append(f"{self.doc}#{row.position}", "bold")
        if v is None:
            title.append("  no translation yet (read only)", "italic")
            return title
        title.append(f" · {v.lang} · v{v.version}")
        if unsaved:
            title.append(" · unsaved", "bold yellow")
        elif v.current != v.original:
            title.append(" · edited", "yellow")
        n = len(self.session.findings_of(v.id))
        if n:
            title.append(f" · ⚑{n}", "bold red")
        return title

    def _reference(self, row: Row) -> Text:
        s = self.session
        if row.source is not None or s.bilingual:
            src = row.source
            if src is None:
                return Text("(no source)", style="dim")
            body = marked_text(src.current, s.term_marks(src.current, src.lang))
            return Text.assemble((f"{src.lang}: ", "dim"), body)
        v = row.target
        if v is None:
            return Text()
        if v.current == v.original:
            return Text("as imported: unchanged", style="dim")
        before, _ = diff_text(v.original, v.current, context=12 if has_han(v.original) else 24)
        return Text.assemble(("as imported: ", "dim"), before)

    def _marks(self, text: str) -> list[tuple[int, int, str]]:
        row = self.shown
        if row is None:
            return []
        variant = row.target
        lang = variant.lang if variant else ""
        return self.session.marks(text, lang, variant, self.current)

    def _side_panels(self, row: Row, lang: str) -> None:
        s = self.session
        variant = row.target
        found = s.findings_of(variant.id if variant else None)
        doc_count = s.counts().get(self.doc or "", 0)
        summary = (
            f"{len(found)} here · {doc_count} in {self.doc} · {len(s.findings)} all"
            if s.checked
            else "checking the workspace…"
        )
        self.query_one(FindingsPanel).show(found, self.current, summary)
        active = self.query_one(TabbedContent).active
        if active == "tab-terms":
            self._show_terms(row)
        elif active == "tab-memory":
            self._later("memory", MEMORY_PAUSE, self._search_memory)

    def on_text_area_changed(self, event: Any) -> None:
        row = self.shown
        if row is None or event.text_area is not self.editor.area:
            return
        unsaved = self.editor.area.text != self.saved_text
        self.editor.set_title(self._title(row, unsaved))
        if unsaved:
            self._later("save", SAVE_PAUSE, self.save)

    def save(self) -> bool:
        """Save the editor's text as a revision if it changed; False on a conflict."""
        row = self.shown
        if row is None or row.target is None:
            return True
        text = self.editor.area.text
        if text == self.saved_text:
            return True
        if self.busy:
            self.notify("A bulk fix is being written; your text is kept, save again soon.",
                        severity="warning")
            return False
        variant = row.target
        try:
            self.session.ws.documents.edit(
                variant.id, text, author=self.author, reason="manual edit",
                expected_version=variant.version,
            )
        except ConflictError:
            self.saved_text = text  # do not ask again until the conflict is answered
            self._conflict(variant, text)
            return False
        except Exception as exc:
            self.error(exc, "Cannot save")
            return False
        self.saved_text = text
        self._changed([variant.id], check_delay=CHECK_PAUSE)
        if row is self.shown:
            self.editor.set_title(self._title(row))
        return True

    def _conflict(self, variant: StoredVariant, text: str) -> None:
        if self._conflicting:
            return
        self._conflicting = True
        theirs = self.session.ws.documents.variant(variant.id)
        message = (
            f"{variant.document}#{variant.position} was saved by someone else (version "
            f"{theirs.version}) after you started editing version {variant.version}."
        )

        def answer(choice: str | None) -> None:
            self._conflicting = False
            if choice == "overwrite":
                try:
                    self.session.ws.documents.edit(
                        variant.id, text, author=self.author, reason="manual edit",
                        expected_version=theirs.version,
                    )
                except Exception as exc:
                    self.error(exc, "Cannot save")
            if choice in ("overwrite", "reload"):
                self._changed([variant.id], check_delay=CHECK_PAUSE)
                if self.shown is not None and self.shown.target is not None and (
                    self.shown.target.id == variant.id
                ):
                    self.show_row(self.shown)
            else:
                self.saved_text = ""  # still unsaved: the next save asks again

        self.app.push_screen(ConflictScreen(message, theirs, text), answer)

    def _changed(self, variant_ids: Sequence[int], check_delay: float = 0.0) -> None:
        """Variants changed in the database: reload them, redraw, check again."""
        s = self.session
        s.generation += 1
        s.reload_variants(variant_ids)
        if self.shown is not None:
            self.current = s.same_finding(self.current)
            self._refresh_shown()
        self.table.refresh()
        self._show_documents()
        if check_delay:
            self._later("check", check_delay, self.recheck)
        else:
            self.recheck()

    def _refresh_shown(self) -> None:
        """Redraw the editor and panels for the shown row, keeping unsaved typing."""
        row = self.shown
        if row is None:
            return
        variant = row.target
        text = self.editor.area.text
        unsaved = text != self.saved_text
        if not unsaved and variant is not None:
            text = variant.current
            self.saved_text = text
        cursor = self.editor.area.selection
        self.editor.show(self._title(row, unsaved), self._reference(row), text,
                         read_only=variant is None or self.busy)
        try:
            self.editor.area.selection = cursor
        except Exception:
            pass
        self._side_panels(row, variant.lang if variant else "")

    # -- checking -------------------------------------------------------------------------

    def recheck(self) -> None:
        s = self.session
        generation, checker = s.generation, s.checker

        def checked(found: list[SegmentFinding]) -> None:
            if generation != s.generation:
                self.recheck()
                return
            s.set_findings(found)
            self.current = s.same_finding(self.current)
            self._rule_options()
            kind = str(self.query_one("#filter-kind", Select).value)
            if kind != "all":
                self.apply_filter()
            else:
                self.table.refresh()
            self._show_documents()
            if self.shown is not None:
                if self.current is None:
                    found_here = s.findings_of(self.shown.target.id if self.shown.target else None)
                    self.current = found_here[0] if found_here else None
                self.editor.area.remark()
                self._refresh_shown()
            callbacks, self._after_check = self._after_check, []
            for callback in callbacks:
                callback()

        self.run_job("Checking", lambda ws, report: review.findings(ws, check=checker),
                     checked, group="check", exclusive=True)

    # -- findings: navigation and fixes -----------------------------------------------------

    def _rule_filter(self) -> str | None:
        kind = str(self.query_one("#filter-kind", Select).value)
        return kind[5:] if kind.startswith("rule:") else None

    def step_finding(self, step: int) -> None:
        if not self.save():
            return
        s = self.session
        if not s.checked:
            self.notify("Still checking the workspace…")
            return
        if self.current is not None and self._visited:
            v = self.current.variant
            here = (v.document, v.position, self.current.finding.start)
        elif self.shown is not None:
            here = (self.doc or "", self.shown.position, -1)
        else:
            here = ("", -1, -1)
        rule = self._rule_filter()
        sf, wrapped = s.step_finding(*here, step, rule=rule)
        if sf is None:
            self.notify("No findings" + (f" of {rule}" if rule else "") + ".")
            return
        if wrapped:
            self.notify("Back to the first finding." if step > 0 else "Back to the last finding.",
                        timeout=2)
        self.goto_finding(sf)

    def goto_finding(self, sf: SegmentFinding) -> None:
        if sf.variant.document != self.doc:
            self.open_document(sf.variant.document, then=lambda: self._goto_here(sf))
        else:
            self._goto_here(sf)

    def _goto_here(self, sf: SegmentFinding) -> None:
        sf = self.session.same_finding(sf) or sf
        index = self._table_index.get(sf.variant.id)
        if index is None:
            # filtered out: show the segments with findings (of the rule, if one is chosen)
            with self.query_one("#filter-text", Input).prevent(Input.Changed):
                self.query_one("#filter-text", Input).value = ""
            if self._rule_filter() is None:
                select = self.query_one("#filter-kind", Select)
                with select.prevent(Select.Changed):
                    select.value = "findings"
            self.apply_filter()
            index = self._table_index.get(sf.variant.id)
            if index is None:
                return
        self.table.move_to(index, center=True)
        row = self.table.rows[index]
        self.show_row(row, finding=sf)

    @on(FindingsPanel.Pointed)
    def _finding_pointed(self, event: FindingsPanel.Pointed) -> None:
        self.current = event.sf
        self._visited = True
        area = self.editor.area
        area.remark()
        if area.text == self.saved_text:
            area.select_span(event.sf.finding.start, event.sf.finding.end)

    @on(FindingsPanel.Chosen)
    def _finding_chosen(self, event: FindingsPanel.Chosen) -> None:
        self.apply_choice(event.sf, event.choice)

    def _chosen(self) -> tuple[SegmentFinding, int] | None:
        chosen = self.query_one(FindingsPanel).chosen()
        if chosen is not None and self.current is not None and chosen[0] == self.current:
            return chosen
        if self.current is not None:
            return self.current, 0 if self.current.finding.suggestions else -1
        return chosen

    def apply_choice(self, sf: SegmentFinding, choice: int) -> None:
        if self.busy:
            self.notify("A bulk fix is being written.", severity="warning")
            return
        if not self.save():
            return
        fresh = self.session.same_finding(sf)
        if fresh is None:
            self.notify("The text changed: that finding no longer applies.", severity="warning")
            return
        if choice < 0 or choice >= len(fresh.finding.suggestions):
            self.notify("This finding has no suggestion: edit the text.", severity="warning")
            return
        try:
            review.apply_one(self.session.ws, fresh, choice, author=self.author)
        except ConflictError as exc:
            self.error(exc, "Not applied")
            self._changed([fresh.variant.id])
            return
        except Exception as exc:
            self.error(exc, "Not applied")
            return
        self.current = None
        self._changed([fresh.variant.id], check_delay=CHECK_PAUSE)
        if self.shown is not None and self.shown.target is not None:
            rest = self.session.findings_of(self.shown.target.id)
            self.current = rest[0] if rest else None
            self._refresh_shown()

    def bulk_fix(self, chosen: Sequence[SegmentFinding], title: str) -> None:
        """Preview every change, then apply them all as one bulk fix."""
        changes = review.preview(chosen)
        if not changes:
            self.notify("Nothing to change.")
            return

        def answer(yes: bool | None) -> None:
            if yes:
                self._apply_many(list(chosen), [v.id for v, _ in changes])

        self.app.push_screen(BulkFixScreen(title, changes), answer)

    def _apply_many(self, chosen: list[SegmentFinding], ids: list[int]) -> None:
        self.busy = True
        self.editor.area.read_only = True
        author = self.author

        def apply(ws: Workspace, report: Progress) -> tuple[str | None, int]:
            return review.apply_many(ws, chosen, author=author)

        def applied(result: tuple[str | None, int]) -> None:
            self._not_busy()
            _, count = result
            self.notify(f"Fixed {count} segment(s) in one bulk fix. Ctrl+Z takes it back.")
            self._changed(ids)

        self.run_job(f"Fixing {len(ids)} segment(s)", apply, applied, group="bulk")
        self._watch_bulk()

    def _watch_bulk(self) -> None:
        # a failed bulk fix must not leave the editor locked
        def check() -> None:
            if self.busy and not any(w.group == "bulk" for w in self.workers):
                self._not_busy()
                self._changed([])
            elif self.busy:
                self._watch_bulk()

        self.set_timer(0.5, check)

    def _not_busy(self) -> None:
        self.busy = False
        if self.shown is not None:
            self.editor.area.read_only = self.shown.target is None

    # -- actions (keys, palette) ------------------------------------------------------------

    def action_next_finding(self) -> None:
        self.step_finding(1)

    def action_previous_finding(self) -> None:
        self.step_finding(-1)

    def action_apply_suggestion(self) -> None:
        chosen = self._chosen()
        if chosen is None:
            self.notify("No finding in this segment (F8: next finding).")
            return
        self.apply_choice(*chosen)

    def action_apply_all(self) -> None:
        chosen = self._chosen()
        if chosen is None:
            self.notify("No finding in this segment (F8: next finding).")
            return
        if not self.save():
            return
        sf = self.session.same_finding(chosen[0])
        if sf is None or not sf.finding.suggestions:
            self.notify("This finding has no suggestion to apply.", severity="warning")
            return
        equal = review.equal_findings(sf, self.session.findings)
        title = (f"Replace “{sf.written}” with “{sf.finding.suggestions[0]}” everywhere "
                 f"({sf.finding.rule})")
        self.bulk_fix(equal, title)

    def _undo_redo(self, redo: bool) -> None:
        if self.busy:
            self.notify("A bulk fix is being written.", severity="warning")
            return
        if not self.save():
            return
        store = self.session.ws.documents
        try:
            group = store.redo(author=self.author) if redo else store.undo(author=self.author)
        except Exception as exc:
            self.error(exc, "Cannot redo" if redo else "Cannot undo")
            return
        verb = "Redid" if redo else "Undid"
        if not group:
            self.notify("Nothing to redo." if redo else "Nothing to undo.")
            return
        if group[0].batch and len(group) > 1 or group[0].reason == "bulk fix":
            what = f"the bulk fix of {len(group)} segment(s)"
        else:
            v = store.variant(group[0].variant_id)
            what = f"the {group[0].reason} of {v.document}#{v.position}"
        self.notify(f"{verb} {what}.", timeout=3)
        ids = [rev.variant_id for rev in group]
        self._changed(ids)
        first = store.variant(ids[0])
        if first.document == self.doc and self.shown is not None and (
            self.shown.target is None or self.shown.target.id not in ids
        ):
            index = self._table_index.get(first.id)
            if index is not None:
                self.table.move_to(index, center=True)

    def action_undo(self) -> None:
        self._undo_redo(redo=False)

    def action_redo(self) -> None:
        self._undo_redo(redo=True)

    def action_mark_garbled(self) -> None:
        row = self.shown
        if row is None or row.target is None:
            self.notify("Open a segment first.")
            return
        area = self.editor.area
        span = area.selected_span()
        if span is None:
            self.notify("Select the garbled text in the editor first (Shift+arrows), then F2.",
                        severity="warning")
            return
        text = area.text[span[0] : span[1]].strip()
        if not text:
            self.notify("The selection is blank.", severity="warning")
            return
        if not self.save():
            return
        variant = row.target
        where = f"{variant.document}#{variant.position}"

        def answer(request: MarkRequest | None) -> None:
            if request is not None:
                self._mark(text, variant.lang, request)

        self.app.push_screen(
            MarkGarbledScreen(text, variant.lang, where, self.session.checker.index.concepts),
            answer,
        )

    def _mark(self, text: str, lang: str, request: MarkRequest) -> None:
        s = self.session
        try:
            concept = review.mark_garbled(s.ws, text, lang, concept=request.concept,
                                          replacement=request.replacement)
        except Exception as exc:
            self.error(exc, "Not marked")
            return
        term = next((t for t in concept.terms if t.text == text and t.lang == lang), None)
        replacement = term.replacement if term else request.replacement
        self.notify(f"“{text}” is now forbidden in {lang} ({concept.id}); "
                    f"use “{replacement}”. Looking for every occurrence…")
        self._after_check.append(lambda: self._offer_occurrences(text, lang))
        self.term_base_changed()

    def _offer_occurrences(self, text: str, lang: str) -> None:
        found = self.session.occurrences_of(text, lang)
        if not found:
            self.notify(f"No other occurrence of “{text}”.")
            return
        self.bulk_fix(found, f"Replace “{text}” everywhere ({len(found)} occurrence(s))")

    def term_base_changed(self) -> None:
        """The term base changed: new checker, new marks, new findings."""
        s = self.session
        s.rebuild_checker()
        s.generation += 1
        self._memory.clear()
        if self.shown is not None:
            self._refresh_shown()
        self.recheck()

    def action_recheck(self) -> None:
        self.session.rebuild_checker()
        self.session.generation += 1
        self.recheck()

    def action_next_segment(self) -> None:
        self._move(1)

    def action_previous_segment(self) -> None:
        self._move(-1)

    def _move(self, step: int) -> None:
        if self.save():
            self.table.move_to(self.table.cursor + step)

    def action_save(self) -> None:
        if self.save():
            self.notify("Saved.", timeout=1.5)

    def action_edit(self) -> None:
        if self.shown is not None and self.shown.target is not None:
            self.editor.area.focus()

    def on_marked_area_confirmed(self) -> None:
        if self.save():
            self.table.move_to(self.table.cursor + 1)

    def on_marked_area_left(self) -> None:
        self.save()
        self.table.focus()

    def action_next_panel(self) -> None:
        tabs = self.query_one(TabbedContent)
        order = ["tab-findings", "tab-terms", "tab-memory"]
        tabs.active = order[(order.index(tabs.active) + 1) % len(order)]

    def action_filter(self) -> None:
        text = self.query_one("#filter-text", Input)
        if text.has_focus:
            self.query_one("#filter-kind", Select).focus()
        else:
            text.focus()

    def action_documents(self) -> None:
        self.toggle_class("-show-docs")
        if self.has_class("-show-docs") or not self.has_class("-narrow"):
            self.query_one(DocumentList).focus()
        else:
            self.table.focus()

    def action_back(self) -> None:
        """Escape: close the document list (narrow screens), back to the segments."""
        self.remove_class("-show-docs")
        self.table.focus()

    def action_help(self) -> None:
        self.app.push_screen(HelpScreen(getattr(self.app, "keymap_config", keys.Keymap({}, []))))


    def action_term_base(self) -> None:
        from tui.screens.termbase import TermBaseScreen

        self.save()
        concepts = []
        if self.shown is not None:
            for v in (self.shown.target, self.shown.source):
                if v is not None:
                    concepts += self.session.concepts_in(v.current, v.lang)
        self.app.push_screen(TermBaseScreen(self.session, concepts, self.term_base_changed))

    # -- memory ---------------------------------------------------------------------------

    def _show_terms(self, row: Row) -> None:
        concepts = {}
        for v in (row.target, row.source):
            if v is not None:
                for c in self.session.concepts_in(v.current, v.lang):
                    concepts.setdefault(c.id, c)
        self.query_one(TermsPanel).show(list(concepts.values()), not self.session.checker.index)

    @on(TabbedContent.TabActivated, "#side")
    def _tab(self, event: TabbedContent.TabActivated) -> None:
        if event.pane.id == "tab-memory":
            self._search_memory()
        elif event.pane.id == "tab-terms" and self.shown is not None:
            self._show_terms(self.shown)

    def _search_memory(self) -> None:
        row = self.shown
        panel = self.query_one(MemoryPanel)
        if row is None:
            return
        query_variant = row.source or row.target
        if query_variant is None:
            return
        target_lang = row.target.lang if row.source is not None and row.target else None
        s = self.session
        if self._memory_generation != s.generation:
            self._memory.clear()
            self._memory_generation = s.generation
        cache = self._memory
        panel.show_matches(None)

        def search(ws: Workspace, report: Progress) -> list[Any]:
            key = query_variant.lang
            if key not in cache:
                cache[key] = memory_index(ws, query_variant.lang, target_lang,
                                          [t for c in s.checker.index.concepts for t in c.terms])
            return fuzzy_matches(cache[key], query_variant)

        def found(rows: list[Any]) -> None:
            if self.shown is row:
                panel.show_matches(rows)

        self.run_job("Searching the memory", search, found, group="memory", exclusive=True)

    def action_search_memory(self) -> None:
        self.query_one(TabbedContent).active = "tab-memory"
        box = self.query_one("#concordance", Input)
        span = self.editor.area.selected_span()
        if span is not None:
            box.value = self.editor.area.text[span[0] : span[1]].strip()
        box.focus()
        if box.value:
            self._concordance(box.value)

    @on(Input.Submitted, "#concordance")
    def _concordance_submitted(self, event: Input.Submitted) -> None:
        if event.value.strip():
            self._concordance(event.value.strip())

    def _concordance(self, word: str) -> None:
        panel = self.query_one(MemoryPanel)

        def search(ws: Workspace, report: Progress) -> list[Any]:
            return concordance_hits(ws, word)

        self.run_job(f"Concordance of “{word}”", search,
                     lambda rows: panel.show_hits(word, rows), group="concordance",
                     exclusive=True)

    # -- export ---------------------------------------------------------------------------

    def action_export(self, kind: str) -> None:
        self.save()
        location = self.session.location
        folder = Path.cwd() if is_url(location) else Path(location).expanduser().resolve().parent
        self.app.push_screen(
            ExportScreen(kind, self.session.documents, self.session.ws.languages(), folder,
                         self.doc),
            self._export,
        )

    def _export(self, request: ExportRequest | None) -> None:
        if request is None:
            return

        def done(result: tuple[int, str]) -> None:
            count, what = result
            self.notify(f"Wrote {count} {what} to {request.path}", timeout=10)
            self.last_export = (request, count)

        self.run_job(f"Exporting {request.kind.upper()}",
                     lambda ws, report: export(ws, request, report), done, group="export")


def _call(app: Any, fn: Callable[..., Any], *args: Any) -> None:
    """Run ``fn`` on the app's thread, unless the app has gone away meanwhile."""
    try:
        app.call_from_thread(fn, *args)
    except RuntimeError:
        pass


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:
        return ""
