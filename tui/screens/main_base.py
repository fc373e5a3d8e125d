"""The main screen's foundation: its state, and the background jobs every part runs.

Database work that can take long (opening a document, checking the workspace, a bulk
fix, building the workspace, exporting, fuzzy search) runs in a thread worker on its own
connection and reports back on the main thread; a single edit, undo and redo are quick
and run on the main thread's connection. Every change bumps the session's generation,
so that a check started before it is thrown away and started again.

The screen is one class assembled from parts, one module each: this base, the editor
(main_editor.py), findings and fixes (main_findings.py), memory and export
(main_memory.py), the memory's best match per row (main_matches.py), and the layout,
documents and navigation (main.py). Each part calls
the others through ``self``; the declarations under TYPE_CHECKING below tell mypy what
the other parts provide.
"""

from __future__ import annotations

import getpass
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.screen import Screen
from textual.timer import Timer
from textual.worker import get_current_worker

from padan.review import SegmentFinding
from padan.workspace import Workspace
from tm.leverage import Offer
from tui.screens.session import Row, Session
from tui.widgets.editor import SegmentEditor
from tui.widgets.panels import JobBar
from tui.widgets.segments import SegmentTable

CHECK_PAUSE = 2.0  # seconds after an edit before the workspace is checked again

Progress = Callable[[str, int, int], None]


class JobCancelled(Exception):
    """Raised in a job's progress callback once its worker is cancelled, to stop it."""


def is_busy(exc: BaseException) -> bool:
    """Another process holds the database's write lock (SQLite) or a row lock timed out."""
    text = str(exc).casefold()
    return "database is locked" in text or "lock timeout" in text or "could not obtain lock" in text


def describe_error(exc: BaseException) -> str:
    """A message for a person: what happened, never an exception's class name."""
    if is_busy(exc):
        return "the database is busy (another command is writing); try again in a moment"
    text = str(exc).strip()
    return text or "an unexpected error (details in the log)"


@dataclass
class PendingSave:
    """Text typed in the editor, waiting to be written as a revision by a worker."""

    variant_id: int
    text: str
    base: int  # the version the text was edited from: a newer one in the database conflicts
    place: str  # document#position, for messages


class MainBase(Screen[None]):
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
        # (language searched, of the translations shown) -> MemoryIndex, opened lazily
        self._memory: dict[tuple[str, str | None], Any] = {}
        self._memory_generation = -1
        self._conflicting = False
        self._conflicts: list[PendingSave] = []  # waiting for the conflict dialog shown
        self._save_waiting = False  # the save under way waits for another writer
        self.edit_base = 0  # version of the shown variant the editor's text starts from
        self._save_queue: list[PendingSave] = []
        self._saving: PendingSave | None = None
        self._after_saves: list[Callable[[], object]] = []
        self.ready = False  # a document is open (for tests and the benchmark)
        # waiting for a row's best match: (unit id, callback)
        self._match_then: list[tuple[int, Callable[[], object]]] = []

    @property
    def table(self) -> SegmentTable:
        return self.query_one(SegmentTable)

    @property
    def editor(self) -> SegmentEditor:
        return self.query_one(SegmentEditor)

    # -- background jobs ------------------------------------------------------------------

    def run_job(
        self,
        label: str,
        fn: Callable[[Workspace, Progress], Any],
        done: Callable[[Any], None],
        *,
        group: str = "job",
        exclusive: bool = False,
        failed: Callable[[Exception], None] | None = None,
        quiet: bool = False,
    ) -> None:
        """Run ``fn(workspace, progress)`` in a thread on its own connection, then
        ``done(result)`` on the main thread; errors go to ``failed`` (on the main thread)
        or become a notification. A ``quiet`` job is not shown in the job bar."""
        bar = self.query_one(JobBar)
        token = bar.start(label, quiet)
        main = self.session.ws
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
                ws = main.for_thread()
                try:
                    result = fn(ws, report)
                finally:
                    ws.close()
            except Exception as exc:  # shown as a notification, never a traceback
                _call(app, self._job_failed, token, label, exc, worker.is_cancelled, failed)
                return
            if worker.is_cancelled:
                _call(app, bar.finish, token)
            else:
                _call(app, self._job_done, token, done, result)

        self.run_worker(
            work, thread=True, group=group, exclusive=exclusive, exit_on_error=False, name=label
        )

    def _job_done(self, token: int, done: Callable[[Any], None], result: Any) -> None:
        self.query_one(JobBar).finish(token)
        try:
            done(result)
        except Exception as exc:
            self.error(exc)

    def _job_failed(
        self,
        token: int,
        label: str,
        exc: Exception,
        cancelled: bool,
        failed: Callable[[Exception], None] | None = None,
    ) -> None:
        self.query_one(JobBar).finish(token)
        if failed is not None:
            failed(exc)
        elif not cancelled:
            self.log.error(f"{label} failed", exc)
            self.notify(f"{label} failed: {describe_error(exc)}", severity="error", timeout=10)

    def error(self, exc: BaseException, what: str = "") -> None:
        self.log.error(what, exc)
        self.notify(
            (what + ": " if what else "") + describe_error(exc), severity="error", timeout=10
        )

    def after_keys(self, callback: Callable[[], object]) -> None:
        """Run ``callback`` once the keys already sent to the focused widget are handled.

        A priority key (Ctrl+Q, Ctrl+Z) is handled by the app as soon as it arrives, while
        the letters typed just before it may still wait in the editor's queue: the action
        must come after them, or their text is lost."""
        focused = self.app.focused
        if focused is None or not focused.call_later(callback):
            callback()

    def _later(self, name: str, delay: float, callback: Callable[[], Any]) -> None:
        """Run ``callback`` after ``delay`` seconds, unless asked again in between."""
        old = self._deferred.pop(name, None)
        if old is not None:
            old.stop()
        self._deferred[name] = self.set_timer(delay, callback, name=name)

    if TYPE_CHECKING:  # provided by the other parts of MainScreen

        def save(self) -> bool: ...
        def when_saved(self, callback: Callable[[], object]) -> bool: ...
        def show_row(self, row: Row, finding: SegmentFinding | None = None) -> None: ...
        def _show_empty(self) -> None: ...
        def _show_terms(self, row: Row) -> None: ...
        def _search_memory(self) -> None: ...
        def _title(self, row: Row, unsaved: bool = False) -> Text: ...
        def _changed(self, variant_ids: Sequence[int], check_delay: float = 0.0) -> None: ...
        def _refresh_shown(self) -> None: ...
        def recheck(self) -> None: ...
        def term_base_changed(self) -> None: ...
        def look_for_changes(self, force: bool = False) -> None: ...
        def reopen_document(self) -> None: ...
        def show_findings_panel(self) -> None: ...
        def _show_documents(self) -> None: ...
        def open_document(self, name: str, then: Callable[[], object] | None = None) -> None: ...
        def apply_filter(self, cursor_row: Row | None = None) -> None: ...
        def _rule_options(self) -> bool: ...
        def matches_changed(self) -> None: ...
        def offer_of(self, row: Row, then: Callable[[], object]) -> Offer | None: ...
        def _apply_many(self, chosen: list[SegmentFinding], ids: list[int]) -> None: ...


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
