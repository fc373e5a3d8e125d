"""The main screen's memory tab (fuzzy matches, concordance, terms) and export."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual import on
from textual.widgets import (
    Input,
    TabbedContent,
)

from corpora.dbconn import is_url
from padan.jobs import ExportRequest, concordance_hits, export, fuzzy_matches, memory_index
from padan.workspace import Workspace
from termbase.model import Concept
from tui.screens.dialogs.export import ExportScreen
from tui.screens.main_base import MainBase, Progress, describe_error
from tui.screens.session import Row
from tui.widgets.panels import MemoryPanel, TermsPanel


class MemoryActions(MainBase):
    # -- memory ---------------------------------------------------------------------------

    def _show_terms(self, row: Row) -> None:
        concepts: dict[str | None, Concept] = {}
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
            key = (query_variant.lang, target_lang)  # the translations shown are target's
            if key not in cache:
                cache[key] = memory_index(
                    ws,
                    query_variant.lang,
                    target_lang,
                    [t for c in s.checker.index.concepts for t in c.terms],
                )
            return fuzzy_matches(ws, cache[key], query_variant)

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

        self.run_job(
            f"Concordance of “{word}”",
            search,
            lambda rows: panel.show_hits(word, rows),
            group="concordance",
            exclusive=True,
        )

    # -- export ---------------------------------------------------------------------------

    def action_export(
        self, kind: str, previous: ExportRequest | None = None, problem: str = ""
    ) -> None:
        self.save()
        location = self.session.location
        folder = Path.cwd() if is_url(location) else Path(location).expanduser().resolve().parent
        loaded = self.session.loaded
        pair = None  # a bilingual document's own pair: what its PO export should hold
        if loaded is not None and loaded.info.name == self.doc and loaded.source_lang:
            pair = (loaded.source_lang, loaded.target_lang)
        self.app.push_screen(
            ExportScreen(
                kind,
                self.session.documents,
                self.session.ws.languages(),
                folder,
                self.doc,
                previous,
                problem,
                pair=pair,
            ),
            self._export,
        )

    def _export(self, request: ExportRequest | None) -> None:
        if request is None or not self.when_saved(lambda: self._export(request)):
            return

        def done(result: tuple[int, str]) -> None:
            count, said = result
            self.notify(f"Wrote {said} to {request.path}", timeout=10)
            self.last_export = (request, count)

        def failed(exc: Exception) -> None:
            # the dialog again, with the values given and what went wrong
            self.notify(f"Not exported: {describe_error(exc)}", severity="error", timeout=10)
            self.action_export(request.kind, request, describe_error(exc))

        self.run_job(
            f"Exporting {request.kind.upper()}",
            lambda ws, report: export(ws, request, report),
            done,
            group="export",
            failed=failed,
        )
