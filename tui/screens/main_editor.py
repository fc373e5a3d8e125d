"""The main screen's editor: the segment shown, its title and reference, saving (with
conflicts between two translators) and redrawing after a change."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.text import Text
from textual import on
from textual.widgets import (
    TabbedContent,
)

from corpora.tokenize import has_han
from padan.review import SegmentFinding
from tm.store import ConflictError, StoredVariant
from tui.screens.dialogs.changes import ConflictScreen, diff_text
from tui.screens.main_base import CHECK_PAUSE, MainBase
from tui.screens.session import Row
from tui.widgets.editor import marked_text
from tui.widgets.panels import FindingsPanel
from tui.widgets.segments import SegmentTable

SAVE_PAUSE = 1.5  # seconds of no typing before the segment is saved
MEMORY_PAUSE = 0.3  # seconds on a segment before its fuzzy matches are looked up


class EditorPane(MainBase):
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
