"""The main screen: documents, segments, the editor and the side panels, and every action.

This module holds the layout, the documents and the filter, and navigation; the other
parts are mixed in (see tui/screens/main_base.py for the list).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
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

from corpora.dbconn import is_url
from corpora.wording import counted
from padan.workspace import Workspace
from tui import keys
from tui.screens.dialogs.base import ConfirmScreen
from tui.screens.help import HelpScreen
from tui.screens.main_base import Progress
from tui.screens.main_editor import EditorPane
from tui.screens.main_findings import FindingActions
from tui.screens.main_matches import MatchActions
from tui.screens.main_memory import MemoryActions
from tui.screens.main_review import ReviewActions
from tui.screens.main_watch import WatchActions
from tui.screens.session import FILTERS, Loaded, Row, load_rows
from tui.widgets.editor import MarkedArea, SegmentEditor
from tui.widgets.panels import DocumentList, FindingsPanel, JobBar, MemoryPanel, TermsPanel
from tui.widgets.segments import SegmentTable


class MainScreen(
    ReviewActions, WatchActions, FindingActions, MatchActions, MemoryActions, EditorPane
):
    AUTO_FOCUS = "#segments"
    _check_owed = False  # the first check waits for the first document's rows
    BINDINGS: ClassVar[list[BindingType]] = [
        *keys.bindings(),
        Binding("escape", "back", "Back", show=False),
        *(Binding(k, f"elsewhere('{k}')", show=False) for k in "yxas"),
    ]
    HORIZONTAL_BREAKPOINTS: list[tuple[int, str]] | None = [
        (0, "-narrow"),
        (110, "-wide"),
    ]
    VERTICAL_BREAKPOINTS: list[tuple[int, str]] | None = [(0, "-short"), (30, "-tall")]

    # -- layout ---------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False, icon="≋")
        with Horizontal(id="body"):
            yield DocumentList(id="documents", compact=True)
            with Vertical(id="center"):
                with Horizontal(id="filter-bar"):
                    yield Select(
                        list((label, value) for value, label in FILTERS),
                        value="all",
                        allow_blank=False,
                        compact=True,
                        id="filter-kind",
                    )
                    yield Input(placeholder="filter text… (Ctrl+F)", compact=True, id="filter-text")
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
        yield Footer(compact=True)

    def on_mount(self) -> None:
        # the tabs are switched with Ctrl+L: no Tab stop that shows nothing
        self.query_one("#side ContentTabs").can_focus = False
        self.editor.area.marker = self._marks
        self.session.on_wanted = lambda: self.call_later(self._look_up_wanted)
        self.table.empty_text = "Opening…"
        self.sub_title = self._place()
        self.start_watching()
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

    def on_resize(self) -> None:
        # below 100 columns the footer needs the palette's room for the keys (Ctrl+P works)
        self.query_one(Footer).show_command_palette = self.size.width >= 100

    def _place(self) -> str:
        location = self.session.location
        name = location if is_url(location) else Path(location).name
        return name + (f" · {self.doc}" if self.doc else "")

    def _start(self) -> None:
        self._show_documents()
        first = self.session.documents[0].name
        # check once the first document is on screen: both compete for the interpreter
        self._check_owed = True
        self.open_document(first, then=lambda: self.call_after_refresh(self._owed_check))

    def _owed_check(self) -> None:
        if self._check_owed:
            self._check_owed = False
            self.recheck()

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
            said = counted(count, "document")
            self.notify(f"Built the workspace: {said}. F8 goes to the first finding.")
            self._start()

        self.table.empty_text = "Building the workspace from the bundled corpus…"
        self.table.refresh()
        self.run_job("Building the workspace", build, built, group="build")

    # -- documents and rows ----------------------------------------------------------------

    def _show_documents(self) -> None:
        s = self.session
        self.query_one(DocumentList).show(s.documents, s.counts(), s.checked, self.doc, s.progress)

    def open_document(self, name: str, then: Callable[[], object] | None = None) -> None:
        self.save()
        target = self.session.loaded.target_lang if self.session.loaded else None

        def opened(loaded: Loaded) -> None:
            self._opened(loaded, then)

        preloaded = self.session.preloaded(name)
        head, full = preloaded if preloaded is not None else (None, None)

        def load(ws: Workspace, report: Progress) -> Loaded:
            if full is not None:
                return full.result()
            return load_rows(ws, name, target)

        if head is None:
            self.run_job(f"Opening {name}", load, opened, group="open", exclusive=True)
            return

        def first_rows(ws: Workspace, report: Progress) -> Loaded:
            return head.result()

        def shown(loaded: Loaded) -> None:  # painted; now the rest
            self._opened(loaded, None)
            self.call_after_refresh(self.session.painted)
            self.run_job(f"Opening {name}", load, opened, group="open", exclusive=True)

        self.run_job(f"Opening {name}", first_rows, shown, group="open", exclusive=True)

    def reopen_document(self) -> None:
        """Read the open document again (it was imported anew elsewhere), keeping the place."""
        if self.doc is None:
            return
        position = self.shown.position if self.shown is not None else None

        def back() -> None:
            rows = self.table.rows
            index = next((i for i, r in enumerate(rows) if r.position >= (position or 0)), None)
            if index is not None:
                self.table.move_to(index, center=True)
            self.session.generation += 1
            self.recheck()

        self.open_document(self.doc, then=back)

    def _opened(self, loaded: Loaded, then: Callable[[], object] | None) -> None:
        early = self.session.loaded
        rest = early is not None and not early.complete and early.info.name == loaded.info.name
        if not rest:
            self.shown = None  # (the rest of a document's rows: the row shown stays)
        self.session.set_loaded(loaded)
        self.doc = loaded.info.name
        self.sub_title = self._place()
        self._rule_options()
        # the rest: the cursor stays where the keys took it, which may be ahead of the row
        # shown (the editor follows it once the step's Highlighted is handled)
        self.apply_filter(cursor_row=self.table.current if rest else None)
        self.table.complete = loaded.complete
        if loaded.complete and self.table.to_last:  # End pressed before the rest was read
            self.table.action_last()
        self._show_documents()
        self.ready = True
        if then is not None:
            then()
        elif self._check_owed and loaded.complete:  # another document before the first's rest
            self.call_after_refresh(self._owed_check)

    def _rule_options(self) -> bool:
        """The rules of the filter's list; True if the rule chosen had to go."""
        select = self.query_one("#filter-kind", Select)
        rules = self.session.rules(self.doc)
        options = [(label, value) for value, label in FILTERS]
        options += [(f"Rule: {rule} ({n})", f"rule:{rule}") for rule, n in sorted(rules.items())]
        value = select.value
        with select.prevent(Select.Changed):
            select.set_options(options)
            if any(v == value for _, v in options):
                select.value = value
            else:  # the rule has no finding left (fixed): every segment again
                select.value = "all"
                self.notify(f"No {str(value)[5:]} finding left: showing every segment.", timeout=3)
        return select.value != value

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
        elif keep is not None:  # a source without its translation yet
            cursor = next((i for i, row in enumerate(rows) if row.unit_id == keep.unit_id), 0)
        table = self.table
        table.empty_text = "No segment matches the filter." if self.session.loaded else "…"
        table.set_rows(
            rows,
            self.session.cells,
            self.session.headers(),
            cursor,
            "TM%" if self.session.bilingual else "",
        )
        loaded = self.session.loaded
        total = len(loaded.rows) if loaded else 0
        if loaded is not None and not loaded.complete:  # the first rows, the rest coming
            total = loaded.info.segments
        count = f"{len(rows)}/{total}" + ("…" if loaded is not None and not loaded.complete else "")
        self.query_one("#filter-count", Label).update(count)
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

    def action_next_segment(self) -> None:
        self._move(1)

    def action_previous_segment(self) -> None:
        self._move(-1)

    def _move(self, step: int) -> None:
        if self.save():
            self.table.move_to(self.table.cursor + step)

    def action_save(self) -> None:
        def saved() -> None:
            self.notify("Saved.", timeout=1.5)

        if self.save() and self.when_saved(saved):
            saved()

    def action_edit(self) -> None:
        self._show_current()  # (the row the cursor is on: see set_focus)
        if self.shown is not None and self.shown.target is not None:
            self.editor.area.focus()

    def set_focus(
        self, widget: Widget | None, scroll_visible: bool = True, from_app_focus: bool = False
    ) -> None:
        # The editor shows the row under the cursor before it takes keys, even if that
        # row's Highlighted still waits (a busy screen, as when the first check ends):
        # else the letters typed next went into the row left, and the row reached was
        # then loaded under them with the cursor at its start.
        if isinstance(widget, MarkedArea):
            self._show_current()
        super().set_focus(widget, scroll_visible, from_app_focus)

    def on_marked_area_confirmed(self) -> None:
        if self.save():
            self.table.move_to(self.table.cursor + 1)

    def on_marked_area_left(self) -> None:
        self.save()
        self.table.focus()

    def action_next_panel(self) -> None:
        """Into the side panel; from inside it, to the next one."""
        self.after_keys(self._next_panel)

    def _next_panel(self) -> None:
        self.save()
        tabs = self.query_one(TabbedContent)
        order = ["tab-findings", "tab-terms", "tab-memory"]
        side = self.query_one("#side")
        if self.focused is not None and side in self.focused.ancestors:
            tabs.active = order[(order.index(tabs.active) + 1) % len(order)]
        self.call_after_refresh(self._focus_panel)

    def _focus_panel(self) -> None:
        panel = {"tab-findings": "#findings-list", "tab-terms": "#terms", "tab-memory": "#memory"}[
            self.query_one(TabbedContent).active
        ]
        self.query_one(panel).focus()

    def show_findings_panel(self) -> None:
        self.query_one(TabbedContent).active = "tab-findings"

    def action_elsewhere(self, key: str) -> None:
        """A key that means something on another screen: say where, and what works here."""
        self.notify(
            f"“{key}” works in the term base (F9): y accept, x reject, a add a term, "
            "s status. Here: Enter edits, F4 applies, F6 confirms, F1 lists every key.",
            timeout=6,
        )

    def action_filter(self) -> None:
        text = self.query_one("#filter-text", Input)
        if text.has_focus:
            self.query_one("#filter-kind", Select).focus()
        else:
            text.focus()

    def action_documents(self) -> None:
        self.look_for_changes(force=True)
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
