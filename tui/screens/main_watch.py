"""The main screen keeps up with other processes: documents imported, texts fixed or
undone from the command line or by a colleague show up without a key.

Once a second the session asks whether another connection wrote (free on SQLite; on
PostgreSQL it always may have); if so a quiet worker compares the workspace's change mark
and reads what changed. Rows and findings are updated in place; the editor takes the new
text unless it holds unsaved typing, which keeps its base version and so goes through
the conflict dialog when saved.
"""

from __future__ import annotations

from padan.jobs import OutsideChanges, changes_since
from padan.workspace import Workspace
from tui.screens.main_base import MainBase, Progress

WATCH_PERIOD = 1.0  # seconds between two looks for changes made by others


class WatchActions(MainBase):
    _looking = False

    def start_watching(self) -> None:
        self.set_interval(WATCH_PERIOD, self.look_for_changes, name="watch")

    def look_for_changes(self, force: bool = False) -> None:
        s = self.session
        if self._looking or not self.ready or not (s.gate.maybe() or force):
            return
        self._looking = True
        mark = s.mark

        def look(ws: Workspace, report: Progress) -> OutsideChanges | None:
            return changes_since(ws, mark)

        def looked(changes: OutsideChanges | None) -> None:
            self._looking = False
            if changes is not None and self.session.mark is mark:
                self._outside(changes)

        def failed(exc: Exception) -> None:
            self._looking = False
            self.log.warning("looking for changes failed", exc)

        self.run_job("Looking for changes", look, looked, group="watch", failed=failed, quiet=True)

    def _outside(self, changes: OutsideChanges) -> None:
        s = self.session
        s.mark = changes.mark
        if changes.documents is not None:
            s.documents = changes.documents
            names = [d.name for d in s.documents]
            if self.doc not in names:
                if names:
                    self.notify(f"{self.doc} was removed; opening {names[0]}.")
                    self.open_document(names[0])
                return
            self._show_documents()
        if changes.reload and self.doc is not None:
            self.reopen_document()
            return
        if changes.variants:
            for variant in changes.variants:
                s.replace_variant(variant)
            s.generation += 1
            if self.shown is not None:
                self.current = s.same_finding(self.current)
                self._refresh_shown()
            self.table.refresh()
            self._show_documents()
            self.recheck()
