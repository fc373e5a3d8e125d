"""The main screen's editor: the segment shown, its title and reference, saving (with
conflicts between two translators) and redrawing after a change."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from rich.text import Text
from textual import on
from textual.widgets import (
    TabbedContent,
)

from corpora.tokenize import has_han
from padan.review import SegmentFinding
from padan.workspace import Workspace
from tm.store import ConflictError, StoredVariant
from tui.screens.dialogs.changes import ConflictScreen, diff_text
from tui.screens.main_base import CHECK_PAUSE, MainBase, PendingSave, Progress, is_busy
from tui.screens.session import Row
from tui.widgets.editor import marked_text
from tui.widgets.panels import FindingsPanel, MemoryPanel, describe_offer
from tui.widgets.segments import SegmentTable

SAVE_PAUSE = 1.5  # seconds of no typing before the segment is saved
MEMORY_PAUSE = 0.3  # seconds on a segment before its fuzzy matches are looked up
WAIT_NOTICE = 1.0  # seconds a save may take before the screen says it is waiting
RETRY_PAUSE = 1.0  # seconds before a save refused by a busy database is tried again


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
        self.edit_base = variant.version if variant else 0
        found = self.session.findings_of(variant.id if variant else None)
        self.current = finding if finding is not None else (found[0] if found else None)
        self._visited = finding is not None  # F8 from a segment just shown goes to its first
        lang = (
            variant.lang
            if variant
            else (self.session.loaded.target_lang if self.session.loaded else "")
        )
        self.editor.show(
            self._title(row),
            self._reference(row),
            self.saved_text,
            read_only=variant is None or self.busy,
        )
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
        pending = self.pending_text(v.id) is not None
        if unsaved:
            title.append(" · unsaved", "bold yellow")
        elif pending:
            waiting = (
                self._save_waiting
                and self._saving is not None
                and (self._saving.variant_id == v.id)
            )
            title.append(" · waiting to save" if waiting else " · saving…", "bold yellow")
        elif v.current != v.original:
            title.append(" · edited", "yellow")
        n = len(self.session.findings_of(v.id))
        if n:
            title.append(f" · ⚑{n}", "bold red")
        if self.session.is_confirmed(v):
            title.append(" · ✓ confirmed", "green")
        offer = self.session.offers.get(row.unit_id)
        if offer is not None:
            title.append(
                f" · TM {describe_offer(offer)}" + (" (Ctrl+E)" if offer.targets else ""), "cyan"
            )
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
        self.query_one(MemoryPanel).show_best(s.offers.get(row.unit_id), s.bilingual)

    def on_text_area_changed(self, event: Any) -> None:
        row = self.shown
        if row is None or event.text_area is not self.editor.area:
            return
        unsaved = self.editor.area.text != self.saved_text
        self.editor.set_title(self._title(row, unsaved))
        if unsaved:
            self._later("save", SAVE_PAUSE, self.save)

    def save(self) -> bool:
        """Save the editor's text if it changed: it is queued and written by a worker, so
        a busy database never freezes the screen. False while a bulk fix is being written
        (the text stays in the editor)."""
        row = self.shown
        if row is None or row.target is None:
            return True
        text = self.editor.area.text
        if text == self.saved_text:
            return True
        if self.busy:
            self.notify(
                "A bulk fix is being written; your text is kept, save again soon.",
                severity="warning",
            )
            return False
        timer = self._deferred.pop("save", None)
        if timer is not None:
            timer.stop()
        variant = row.target
        self.saved_text = text
        self._queue_save(
            PendingSave(variant.id, text, self.edit_base, f"{variant.document}#{variant.position}")
        )
        self.editor.set_title(self._title(row))
        return True

    def when_saved(self, callback: Callable[[], object]) -> bool:
        """True if every text typed is written; otherwise ``callback`` runs once it is."""
        if self._saving is None and not self._save_queue and not self._conflicting:
            return True
        self._after_saves.append(callback)
        return False

    def pending_text(self, variant_id: int) -> str | None:
        """The newest text of the variant still waiting to be written, if any."""
        for item in reversed([*([self._saving] if self._saving else []), *self._save_queue]):
            if item.variant_id == variant_id:
                return item.text
        return None

    def _queue_save(self, item: PendingSave) -> None:
        for queued in self._save_queue:
            if queued.variant_id == item.variant_id and queued.base == item.base:
                queued.text = item.text  # not started yet: the newer text replaces it
                return
        self._save_queue.append(item)
        self._next_save()

    def _next_save(self) -> None:
        if self._saving is not None:
            return
        if not self._save_queue:
            if not self._conflicting:
                callbacks, self._after_saves = self._after_saves, []
                for callback in callbacks:
                    callback()
            return
        item = self._saving = self._save_queue.pop(0)
        author = self.author

        def write(ws: Workspace, report: Progress) -> StoredVariant:
            return ws.edit(
                item.variant_id,
                item.text,
                author=author,
                reason="manual edit",
                expected_version=item.base,
            )

        self.run_job(
            f"Saving {item.place}",
            write,
            lambda v: self._saved(item, v),
            group="save",
            failed=lambda exc: self._save_failed(item, exc),
        )
        self._later("save-wait", WAIT_NOTICE, lambda: self._still_saving(item))

    def _still_saving(self, item: PendingSave) -> None:
        if self._saving is item:
            self._save_waiting = True
            self.notify(
                f"Waiting to save {item.place}: another command is writing to the "
                "database. Your text is kept; go on working.",
                severity="warning",
                timeout=WAIT_NOTICE * 3,
            )
            if self.shown is not None and self.shown.target is not None:
                self.editor.set_title(self._title(self.shown))

    def _saved(self, item: PendingSave, variant: StoredVariant) -> None:
        self._saving = None
        self._save_waiting = False
        for queued in self._save_queue:
            if queued.variant_id == item.variant_id and queued.base == item.base:
                queued.base = variant.version
        shown = self.shown
        if (
            shown is not None
            and shown.target is not None
            and (shown.target.id == item.variant_id and self.edit_base == item.base)
        ):
            self.edit_base = variant.version
        self._changed([variant.id], check_delay=CHECK_PAUSE)
        self._next_save()

    def _save_failed(self, item: PendingSave, exc: Exception) -> None:
        self._saving = None
        self._save_waiting = False
        if isinstance(exc, ConflictError):
            self._conflict(item)
        elif is_busy(exc):
            self._save_queue.insert(0, item)  # the lock is still held: try again soon
            self._saving = item  # nothing else goes first
            self._still_saving(item)

            def retry() -> None:
                self._saving = None
                self._next_save()

            self.set_timer(RETRY_PAUSE, retry)
            return
        else:
            self.error(exc, f"Cannot save {item.place} (your text is kept in the editor)")
            if (
                self.shown is not None
                and self.shown.target is not None
                and (self.shown.target.id == item.variant_id)
            ):
                self.saved_text = ""  # still unsaved: the next save tries again
        self._next_save()

    def _conflict(self, item: PendingSave) -> None:
        if self._conflicting:
            self._conflicts.append(item)
            return
        self._conflicting = True
        theirs = self.session.ws.variant(item.variant_id)
        message = (
            f"{item.place} was saved by someone else (version {theirs.version}) after you "
            f"started editing version {item.base}."
        )

        def shown_here() -> bool:
            t = self.shown.target if self.shown is not None else None
            return t is not None and t.id == item.variant_id

        def answer(choice: str | None) -> None:
            self._conflicting = False
            if choice == "overwrite":
                if shown_here() and self.edit_base == item.base:
                    self.edit_base = theirs.version
                self._save_queue.insert(
                    0, PendingSave(item.variant_id, item.text, theirs.version, item.place)
                )
            elif choice == "reload":
                self._changed([item.variant_id], check_delay=CHECK_PAUSE)
                if shown_here() and self.shown is not None:
                    self.show_row(self.shown)
            elif shown_here():
                self.saved_text = ""  # still unsaved: the next save asks again
            if self._conflicts:
                self._conflict(self._conflicts.pop(0))
            self._next_save()

        self.app.push_screen(ConflictScreen(message, theirs, item.text), answer)

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
        self.matches_changed()
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
        if not unsaved and variant is not None and self.pending_text(variant.id) is None:
            text = variant.current
            self.edit_base = variant.version
            self.saved_text = text
        cursor = self.editor.area.selection
        self.editor.show(
            self._title(row, unsaved),
            self._reference(row),
            text,
            read_only=variant is None or self.busy,
        )
        try:
            self.editor.area.selection = cursor
        except Exception:
            pass
        self._side_panels(row, variant.lang if variant else "")
