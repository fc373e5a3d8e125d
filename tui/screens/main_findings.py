"""The main screen's checks: the workspace checked in the background, findings to step
through, suggestions applied one by one or in bulk, undo and redo, and garbled text
marked as a forbidden term."""

from __future__ import annotations

from collections.abc import Sequence

from textual import on
from textual.widgets import (
    Input,
    Select,
)

from corpora.wording import counted
from padan import review
from padan.review import DocumentProgress, SegmentFinding
from padan.workspace import Workspace
from tm.store import ConflictError
from tui.screens.dialogs.changes import BulkFixScreen
from tui.screens.dialogs.garbled import MarkGarbledScreen, MarkRequest
from tui.screens.main_base import CHECK_PAUSE, MainBase, Progress
from tui.widgets.panels import FindingsPanel


class FindingActions(MainBase):
    # -- checking -------------------------------------------------------------------------

    def recheck(self) -> None:
        s = self.session
        generation, checker = s.generation, s.checker

        def checked(result: tuple[list[SegmentFinding], dict[str, DocumentProgress]]) -> None:
            if generation != s.generation:
                self.recheck()
                return
            found, s.progress = result
            s.set_findings(found)
            self.current = s.same_finding(self.current)
            reset = self._rule_options()
            kind = str(self.query_one("#filter-kind", Select).value)
            if kind != "all" or reset:
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

        def check(
            ws: Workspace, report: Progress
        ) -> tuple[list[SegmentFinding], dict[str, DocumentProgress]]:
            return review.findings(ws, check=checker), review.progress(ws)

        self.run_job("Checking", check, checked, group="check", exclusive=True)

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
            self.notify(
                "Back to the first finding." if step > 0 else "Back to the last finding.", timeout=2
            )
        self.goto_finding(sf)

    def goto_finding(self, sf: SegmentFinding) -> None:
        self.show_findings_panel()
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
        if not self.save() or not self.when_saved(lambda: self.apply_choice(sf, choice)):
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
            self.notify(f"Fixed {counted(count, 'segment')} in one bulk fix. Ctrl+Z takes it back.")
            self._changed(ids)

        self.run_job(f"Fixing {counted(len(ids), 'segment')}", apply, applied, group="bulk")
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
        if not self.save() or not self.when_saved(self.action_apply_all):
            return
        sf = self.session.same_finding(chosen[0])
        if sf is None or not sf.finding.suggestions:
            self.notify("This finding has no suggestion to apply.", severity="warning")
            return
        equal = review.equal_findings(sf, self.session.findings)
        title = (
            f"Replace “{sf.written}” with “{sf.finding.suggestions[0]}” everywhere "
            f"({sf.finding.rule})"
        )
        self.bulk_fix(equal, title)

    def _undo_redo(self, redo: bool) -> None:
        if self.busy:
            self.notify("A bulk fix is being written.", severity="warning")
            return
        if not self.save() or not self.when_saved(lambda: self._undo_redo(redo)):
            return
        ws = self.session.ws
        try:
            group = ws.redo(author=self.author) if redo else ws.undo(author=self.author)
        except Exception as exc:
            self.error(exc, "Cannot redo" if redo else "Cannot undo")
            return
        verb = "Redid" if redo else "Undid"
        if not group:
            self.notify("Nothing to redo." if redo else "Nothing to undo.")
            return
        if group[0].batch and len(group) > 1 or group[0].reason == "bulk fix":
            what = f"the bulk fix of {counted(len(group), 'segment')}"
        else:
            v = ws.variant(group[0].variant_id)
            what = f"the {group[0].reason} of {v.document}#{v.position}"
        self.notify(f"{verb} {what}.", timeout=3)
        ids = [rev.variant_id for rev in group]
        self._changed(ids)
        first = ws.variant(ids[0])
        if (
            first.document == self.doc
            and self.shown is not None
            and (self.shown.target is None or self.shown.target.id not in ids)
        ):
            index = self._table_index.get(first.id)
            if index is not None:
                self.table.move_to(index, center=True)

    def action_undo(self) -> None:
        self.after_keys(lambda: self._undo_redo(redo=False))

    def action_redo(self) -> None:
        self.after_keys(lambda: self._undo_redo(redo=True))

    def action_mark_garbled(self) -> None:
        row = self.shown
        if row is None or row.target is None:
            self.notify("Open a segment first.")
            return
        area = self.editor.area
        span = area.selected_span()
        if span is None:
            self.notify(
                "Select the garbled text in the editor first (Shift+arrows), then F2.",
                severity="warning",
            )
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
            concept = review.mark_garbled(
                s.ws, text, lang, concept=request.concept, replacement=request.replacement
            )
        except Exception as exc:
            self.error(exc, "Not marked")
            return
        term = next((t for t in concept.terms if t.text == text and t.lang == lang), None)
        replacement = term.replacement if term else request.replacement
        self.notify(
            f"“{text}” is now forbidden in {lang} ({concept.id}); "
            f"use “{replacement}”. Looking for every occurrence…"
        )
        self._after_check.append(lambda: self._offer_occurrences(text, lang))
        self.term_base_changed()

    def _offer_occurrences(self, text: str, lang: str) -> None:
        found = self.session.occurrences_of(text, lang)
        if not found:
            self.notify(f"No other occurrence of “{text}”.")
            return
        self.bulk_fix(found, f"Replace “{text}” everywhere ({counted(len(found), 'occurrence')})")

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
        self.look_for_changes(force=True)
        self.session.rebuild_checker()
        self.session.generation += 1
        self.recheck()
