"""The main screen's review: confirming segments, every sure fix at once, and the
memory's best match put into the editor."""

from __future__ import annotations

from dataclasses import replace

from padan import review
from padan.workspace import Workspace
from tui.screens.dialogs.changes import SureFixScreen
from tui.screens.main_base import MainBase, Progress
from tui.screens.session import Row
from tui.widgets.panels import describe_offer, offer_origin


class ReviewActions(MainBase):
    # -- confirming -----------------------------------------------------------------------

    def action_confirm(self) -> None:
        self.after_keys(self._confirm)

    def _confirm(self, row: Row | None = None) -> None:
        """Save the segment and confirm it as it is (or take a confirmation back), then go
        to the next segment not confirmed."""
        row = row or self.shown
        if row is None or row.target is None:
            self.notify("No segment to confirm here.")
            return
        if not self.save() or not self.when_saved(lambda: self._confirm(row)):
            return
        s = self.session
        variant = row.target  # as saved
        undo = s.is_confirmed(variant)
        author = self.author

        def write(ws: Workspace, report: Progress) -> None:
            if undo:
                review.unconfirm(ws, variant.id)
            else:
                review.confirm(ws, variant, author)

        def done(_: None) -> None:
            if undo:
                s.confirmed.pop(variant.id, None)
                self.notify(
                    f"{variant.document}#{variant.position} is no longer confirmed.", timeout=2
                )
            else:
                s.confirmed[variant.id] = variant.version
            known = s.progress.get(variant.document)
            if known is not None:
                s.progress[variant.document] = replace(
                    known, confirmed=known.confirmed + (-1 if undo else 1)
                )
            self.table.refresh()
            self._show_documents()
            if self.shown is row:
                self.editor.set_title(self._title(row))
                if not undo:
                    self._next_unconfirmed()

        self.run_job(
            f"Confirming {variant.document}#{variant.position}", write, done, group="confirm"
        )

    def _next_unconfirmed(self) -> None:
        rows, start = self.table.rows, self.table.cursor
        for i in range(start + 1, len(rows)):
            if rows[i].target is not None and not self.session.is_confirmed(rows[i].target):
                self.table.move_to(i, center=True)
                return
        self.notify("No segment below is left to confirm.", timeout=3)

    # -- every sure fix -------------------------------------------------------------------

    def action_sure_fixes(self) -> None:
        self.after_keys(self._sure_fixes)

    def _sure_fixes(self) -> None:
        if self.busy:
            self.notify("A bulk fix is being written.", severity="warning")
            return
        if not self.save() or not self.when_saved(self._sure_fixes):
            return
        s = self.session
        if not s.checked:
            self.notify("Still checking the workspace…")
            return
        fixes = review.sure_fixes(s.findings)
        if not fixes:
            self.notify("No sure fix left.")
            return

        def answer(rules: list[str] | None) -> None:
            if not rules:
                return
            chosen = [sf for fix in fixes if fix.rule in rules for sf in fix.findings]
            self._apply_many(chosen, [v.id for v, _ in review.preview(chosen)])

        self.app.push_screen(SureFixScreen(fixes), answer)

    # -- the memory's best match ----------------------------------------------------------

    def action_insert_match(self) -> None:
        self.after_keys(self._insert_match)

    def _insert_match(self) -> None:
        """The memory's best match of the segment, repaired where the repair applies (as
        `padan pretranslate` fills it), into the editor."""
        row = self.shown
        if row is None or row.target is None or self.editor.area.read_only:
            self.notify("No segment to write into here.")
            return
        if not self.session.bilingual:
            self.notify("Matches are for bilingual documents (a source and its translation).")
            return
        offer = self.offer_of(row, lambda: self._insert_match() if self.shown is row else None)
        if offer is None:
            self.notify("Looking up the memory…", timeout=2)
            return
        if not offer.targets:
            self.notify("The memory has no match of this segment (50 % or more).")
            return
        area = self.editor.area
        area.replace(offer.targets[0], area.document.start, area.document.end)
        area.focus()
        origin = f" of {offer_origin(offer)}" if offer.entry is not None else ""
        patched = ""
        if offer.repair is not None and offer.repair.patches:
            patched = " (patched: " + ", ".join(str(p) for p in offer.repair.patches) + ")"
        self.notify(
            f"Inserted the {describe_offer(offer)} match{origin}{patched}. Check it, "
            "then Enter or F6.",
            timeout=4,
        )
