"""A key typed right after a key that moves the focus goes to the pane it moved to, even
when both arrive in the same tick (as a terminal delivers keys typed quickly)."""

from __future__ import annotations

import asyncio

import pytest
from textual.widgets import Input, OptionList
from tui_pilot import burst, pilot, until
from tui_pilot import ready as shared_ready

from tui.app import PadanApp
from tui.screens.termbase import TermBaseScreen
from tui.widgets.panels import DocumentList

SIZE = (100, 30)


@pytest.fixture
def db(demo_db: str) -> str:
    return demo_db


@pilot
async def test_tab_then_letters_type_into_the_editor(db):
    app = PadanApp(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await shared_ready(pilot, settle=0.1)
        area = screen.editor.area
        before = area.text
        assert screen.table.has_focus
        burst(app, ["tab", *"qz"])
        await until(pilot, lambda: "qz" in area.text)
        assert area.has_focus and len(area.text) == len(before) + 2


@pilot
async def test_enter_then_letters_type_into_the_editor(db):
    app = PadanApp(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await shared_ready(pilot, settle=0.1)
        area = screen.editor.area
        burst(app, ["enter", *"qz"])
        await until(pilot, lambda: "qz" in area.text)
        assert area.has_focus


@pilot
async def test_escape_then_j_moves_the_segment_cursor(db):
    app = PadanApp(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await shared_ready(pilot, settle=0.1)
        await pilot.press("enter")
        first = screen.table.rows[0]
        text = screen.editor.area.text
        burst(app, ["escape", "j", "j"])
        # the editor loads the row the cursor reached a moment after it moves
        await until(
            pilot,
            lambda: (
                screen.table.cursor == 2
                and screen.editor.area.text == screen.table.rows[2].target.current
            ),
        )
        assert screen.table.has_focus and first.target.current == text


@pilot
async def test_ctrl_f_then_letters_go_into_the_filter(db):
    app = PadanApp(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await shared_ready(pilot, settle=0.1)
        burst(app, ["ctrl+f", *"ai"])
        box = screen.query_one("#filter-text", Input)
        await until(pilot, lambda: box.value == "ai")


@pilot
async def test_ctrl_l_then_down_moves_in_the_findings(db):
    app = PadanApp(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await shared_ready(pilot, settle=0.1)
        findings = screen.query_one("#findings-list")
        cursor = screen.table.cursor
        burst(app, ["ctrl+l", "down"])
        await until(pilot, lambda: findings.has_focus)
        await pilot.pause(0.2)  # the Down did not move the table: a short pause is the wait
        assert screen.table.cursor == cursor  # the Down went to the findings list


@pilot
async def test_ctrl_o_then_down_moves_in_the_document_list(db):
    app = PadanApp(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await shared_ready(pilot, settle=0.1)
        docs = screen.query_one(DocumentList)
        cursor = screen.table.cursor
        highlighted = docs.highlighted
        burst(app, ["ctrl+o", "down"])
        await until(pilot, lambda: docs.has_focus and docs.highlighted != highlighted)
        await pilot.pause(0.2)  # and the table did not move: a short pause is the wait
        assert screen.table.cursor == cursor and docs.highlighted != highlighted


@pilot
async def test_f9_then_slash_searches_the_term_base(db):
    app = PadanApp(db)
    async with app.run_test(size=SIZE) as pilot:
        await shared_ready(pilot, settle=0.1)
        burst(app, ["f9", "slash", *"ai"])
        await until(
            pilot, lambda: isinstance(app.screen, TermBaseScreen) and app.screen.query("#tb-search")
        )
        box = app.screen.query_one("#tb-search", Input)
        await until(pilot, lambda: box.value == "ai")
        assert box.has_focus


@pilot
async def test_tab_then_end_then_letters_type_at_the_end(db):
    app = PadanApp(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await shared_ready(pilot, settle=0.1)
        area = screen.editor.area
        before = area.text
        burst(app, ["tab", "end", *"qz"])
        await until(pilot, lambda: "qz" in area.text)
        # End went first: the letters are at the end of the (wrapped) line, not before it
        assert not area.text.startswith("qz") and area.text.replace("qz", "", 1) == before


@pilot
async def test_down_enter_end_then_letters_type_into_the_row_reached(db):
    """Enter edits the row the cursor is on, even when the editor has not shown it yet (its
    Highlighted still waits): the letters went into the row left, and the editor then
    loaded the row reached with the cursor at its start, mid-burst."""
    app = PadanApp(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await shared_ready(pilot, settle=0.1)
        area, rows = screen.editor.area, screen.table.rows
        left, reached = rows[0].target.current, rows[1].target.current
        # as when the screen is busy (the first check ends): the step's Highlighted waits
        # while Enter and the letters are handled
        screen.table.action_cursor(1)
        screen.action_edit()
        area.move_cursor(area.document.end)
        area.insert("qz")
        await until(pilot, lambda: screen.shown is rows[1] and area.text == reached + "qz")
        await pilot.pause(0.2)  # and nothing goes to the row left later
        assert screen.shown is rows[1] and area.text == reached + "qz"
        assert rows[0].target.current == left and screen.pending_text(rows[0].target.id) is None


@pilot
async def test_down_tab_then_letters_type_into_the_row_reached(db):
    app = PadanApp(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await shared_ready(pilot, settle=0.1)
        area, rows = screen.editor.area, screen.table.rows
        left, reached = rows[0].target.current, rows[1].target.current
        screen.table.action_cursor(1)  # its Highlighted waits, as on a busy screen
        screen.focus_next()  # Tab
        assert screen.focused is area
        area.move_cursor(area.document.end)
        area.insert("qz")
        await until(pilot, lambda: screen.shown is rows[1] and area.text == reached + "qz")
        await pilot.pause(0.2)  # and nothing goes to the row left later
        assert area.text == reached + "qz"
        assert rows[0].target.current == left and screen.pending_text(rows[0].target.id) is None


@pilot
async def test_keys_wait_for_a_widget_still_handling_the_key_before(db, monkeypatch):
    """The list takes a while over "/" (a loaded machine): the letters behind it wait until
    the key has reached the app and opened the search, though no queue holds it then."""

    async def slow(self, event):  # type: ignore[no-untyped-def]
        await asyncio.sleep(0.3)

    app = PadanApp(db)
    async with app.run_test(size=SIZE) as pilot:
        await shared_ready(pilot, settle=0.1)
        await pilot.press("f9")
        await until(pilot, lambda: isinstance(app.focused, OptionList))
        monkeypatch.setattr(OptionList, "on_key", slow, raising=False)
        burst(app, ["slash", *"ai"])
        box = app.screen.query_one("#tb-search", Input)
        await until(pilot, lambda: box.value == "ai")
        assert box.has_focus
