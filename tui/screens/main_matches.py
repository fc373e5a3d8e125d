"""The main screen's memory matches of a bilingual document: the best (repaired) match of
each row painted, in the segment table's match column, and the key that inserts it.

The memory (padan.rowmatch over padan.leverage) is built in a worker the first time a row
asks for its match, and again after changes; the rows on screen are then looked up in
that worker, a few at a time, so that painting and moving the cursor never wait for it.
A big memory is built and asked in a process of its own (padan.rowmatch.MatchProcess),
so that reading it does not slow the screen.

The rows a screenful above and below are looked up too, in one question, before they
scroll into view: a step of the cursor then paints a row whose match is known, instead
of asking for it and painting the table again when it comes (which doubled its cost).
Only the rows whose match came are painted again.
"""

from __future__ import annotations

from collections.abc import Callable

from textual import on

from padan.rowmatch import Matcher, open_matcher
from padan.workspace import Workspace
from tm.leverage import NO_OFFER, Offer
from tui.screens.main_base import CHECK_PAUSE, MainBase, Progress
from tui.screens.session import Row
from tui.widgets.panels import MemoryPanel
from tui.widgets.segments import SegmentTable

LOOKUP_BATCH = 8  # rows on screen looked up per job: a newer screenful need not wait
AHEAD = 1.0  # screenfuls above and below the screen whose matches are looked up ahead
AHEAD_LOW = 0.5  # ... again when fewer than this many screenfuls are known on a side
AHEAD_BATCH = 24  # rows looked up ahead per job (a jump waits for one job at most)


class MatchActions(MainBase):
    _matcher: Matcher | None = None
    _matcher_of: tuple[str, str, str] | None = None  # document and language pair
    _matching = False  # a job builds the memory or looks rows up
    _rebuild = False  # the memory changed: build it again at the next job

    def _matcher_key(self) -> tuple[str, str, str] | None:
        loaded = self.session.loaded
        if loaded is None or loaded.source_lang is None:
            return None
        return loaded.info.name, loaded.source_lang, loaded.target_lang

    def matches_changed(self) -> None:
        """The memory changed (an edit, a fix, an import): build it again and look the rows
        on screen up again, once the changes pause."""
        if self._matcher is not None:
            self._later("matches", CHECK_PAUSE, self._memory_changed)

    def _memory_changed(self) -> None:
        self._rebuild = True
        self._look_up_wanted()

    def _look_up_wanted(self) -> None:
        if self._matching:
            return  # the job under way looks again when it ends
        s = self.session
        key = self._matcher_key()
        if key is None:  # a monolingual document now: nothing to look up, no match
            s.wanted.clear()
            self._matches_done()
            return
        build = self._rebuild or self._matcher is None or self._matcher_of != key
        if build and not s.checked:  # both read the whole workspace: one after the other
            if self._look_up_wanted not in self._after_check:
                self._after_check.append(self._look_up_wanted)
            return
        on_screen = {self.table.rows[i].unit_id for i in self.table.rows_on_screen()}
        if self.shown is not None:
            on_screen.add(self.shown.unit_id)
        # rows scrolled away meanwhile are asked for again when painted again
        wanted = [row for unit, row in s.wanted.items() if unit in on_screen]
        s.wanted.clear()
        s.wanted.update((row.unit_id, row) for row in wanted[LOOKUP_BATCH:])
        asked = wanted[:LOOKUP_BATCH] or self._ahead(AHEAD)[:AHEAD_BATCH]
        queries = [(row.unit_id, q) for row in asked if (q := s.query(row)) is not None]
        if not queries and not build:
            self._matches_done()
            return
        matcher = None if build else self._matcher
        document, source_lang, target_lang = key
        self._rebuild = False

        units = sum(d.segments for d in s.documents)  # at most the bilingual ones

        def look_up(ws: Workspace, report: Progress) -> tuple[Matcher, list[tuple[int, Offer]]]:
            found = matcher or open_matcher(ws, document, source_lang, target_lang, units)
            try:
                offers = found.best_of([q for _, q in queries])
            except BaseException:
                if found is not matcher:
                    found.close()
                raise
            return found, list(zip((unit for unit, _ in queries), offers, strict=True))

        def done(result: tuple[Matcher, list[tuple[int, Offer]]]) -> None:
            self._matching = False
            built, offers = result
            if self._matcher_key() != key or not self.is_attached:  # another document
                if built is not self._matcher:
                    built.close()
                self._look_up_wanted()
                return
            if built is not self._matcher:  # a new memory: every row is looked up anew
                s.offers.clear()
                if self._matcher is not None:
                    self._matcher.close()
                self._matcher, self._matcher_of = built, key
                self.table.refresh()
            s.offers.update(offers)
            self._repaint({unit for unit, _ in offers})
            if s.wanted or self._rebuild or self._ahead(AHEAD):
                self._matches_done(only_found=True)
                self._look_up_wanted()
            else:
                self._matches_done()

        def failed(exc: Exception) -> None:
            self._matching = False
            self.error(exc, "Looking up the memory")
            self._matches_done()

        self._matching = True
        label = "Reading the memory" if build else "Looking up the memory"
        self.run_job(label, look_up, done, group="matches", failed=failed, quiet=not build)

    def _repaint(self, units: set[int]) -> None:
        """Paint again the rows on screen of ``units``, whose matches just came."""
        table, s = self.table, self.session
        for i in table.rows_on_screen():
            if table.rows[i].unit_id in units:
                table.refresh_row(i)
        if self.shown is not None and self.shown.unit_id in units:
            self.editor.set_title(self._title(self.shown))
            self.query_one(MemoryPanel).show_best(s.offers[self.shown.unit_id])

    def _ahead(self, screenfuls: float) -> list[Row]:
        """The rows up to ``screenfuls`` above and below the screen whose matches are not
        known: the next ones down first (where the cursor mostly goes), then up."""
        s, table = self.session, self.table
        if not s.bilingual or self._matcher is None:
            return []
        rows, screen = table.rows, table.rows_on_screen()
        reach = max(1, round(len(screen) * screenfuls))
        near = [
            *range(screen.stop, min(len(rows), screen.stop + reach)),
            *range(screen.start - 1, max(-1, screen.start - 1 - reach), -1),
        ]
        return [
            row for i in near if (row := rows[i]).unit_id not in s.offers and row.source is not None
        ]

    @on(SegmentTable.Highlighted)
    def _look_ahead(self) -> None:
        """The cursor moved: look up the rows about to scroll into view, if few are known."""
        if not self._matching and self._ahead(AHEAD_LOW):
            self._look_up_wanted()

    def _matches_done(self, only_found: bool = False) -> None:
        """Run what waited for rows' matches: those found (``only_found``) or every one."""
        offers = self.session.offers
        waiting, self._match_then = self._match_then, []
        for unit, callback in waiting:
            if only_found and unit not in offers:
                self._match_then.append((unit, callback))
            else:
                callback()

    def offer_of(self, row: Row, then: Callable[[], object]) -> Offer | None:
        """The best match of ``row`` (kind "none": no match, or a monolingual document), or
        None while it is looked up: ``then`` runs once it is known."""
        s = self.session
        offer = s.offers.get(row.unit_id)
        if offer is not None or s.query(row) is None:
            return offer or NO_OFFER
        s.wanted[row.unit_id] = row
        self._match_then.append((row.unit_id, then))
        self._look_up_wanted()
        return None

    def on_unmount(self) -> None:
        if self._matcher is not None:
            self._matcher.close()
            self._matcher = None
