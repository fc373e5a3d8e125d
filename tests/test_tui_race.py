"""The terminal UI never loses a keystroke: keys typed and Ctrl+Q (or Ctrl+Z) in the same
tick, and saves that wait for another writer while the screen stays responsive."""

from __future__ import annotations

import asyncio
import sqlite3

import pytest
from tui_pilot import burst, pilot, ready, stored, until

from padan.workspace import Workspace
from tui.app import PadanApp

SIZE = (100, 30)


@pytest.fixture
def db(demo_db: str) -> str:
    return demo_db


@pilot
async def test_keys_typed_and_quit_in_the_same_tick_are_saved(db):
    app = PadanApp(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        row = screen.table.rows[0]
        await pilot.press("enter")
        area = screen.editor.area
        area.move_cursor(area.document.end)
        before = area.text
        burst(app, [*" cepat sekali", "ctrl+q"])
        for _ in range(400):  # the app quits by itself once the text is saved
            if app._exit:
                break
            await asyncio.sleep(0.05)
        assert app._exit
    assert stored(db, row.target.id) == before + " cepat sekali"


@pilot
async def test_keys_typed_then_undo_in_the_same_tick_undo_the_typing(db):
    app = PadanApp(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        row = screen.table.rows[0]
        before = row.target.current
        await pilot.press("enter")
        area = screen.editor.area
        area.move_cursor(area.document.end)
        burst(app, [*"xyz", "ctrl+z"])
        # the typing was saved first, then undone: the text is as before, and no letter
        # of it is left in the editor
        await until(
            pilot,
            lambda: (
                screen.shown.target.current == before
                and screen.shown.target.version > row.target.version - 1
                and area.text == before
                and not screen._save_queue
                and screen._saving is None
            ),
        )
        await pilot.pause(0.2)  # and nothing typed turns up later
        assert area.text == before
    ws = Workspace(db)
    try:
        history = ws.documents.history(row.target.id)
        assert history[-1].new == before + "xyz" and history[-1].undone
    finally:
        ws.close()


@pilot
async def test_a_save_waits_for_another_writer_without_freezing(db):
    app = PadanApp(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        row = screen.table.rows[0]
        await pilot.press("enter")
        area = screen.editor.area
        area.move_cursor(area.document.end)
        lock = sqlite3.connect(db, timeout=1)
        lock.execute("BEGIN IMMEDIATE")  # another command holds the write lock
        try:
            await pilot.press(*" ditahan", "ctrl+s")
            await until(pilot, lambda: screen._save_waiting)
            assert "waiting to save" in str(screen.query_one("#editor-title").render())
            # read the notice now: it expires after a few seconds, which a loaded machine
            # can spend on the two key presses below
            messages = [n.message for n in app._notifications]
            assert any("Waiting to save" in m for m in messages)
            # the screen goes on: keys move the cursor while the save waits
            await pilot.press("escape", "down")
            assert screen.shown is screen.table.rows[1]
            messages = [n.message for n in app._notifications]
            assert not any("Error" in m or "OperationalError" in m for m in messages)
        finally:
            lock.rollback()
            lock.close()
        await until(pilot, lambda: screen._saving is None and not screen._save_queue, timeout=40)
        assert screen.table.rows[0].target.current.endswith(" ditahan")
    assert stored(db, row.target.id).endswith(" ditahan")
