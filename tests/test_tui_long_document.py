"""A long document is painted from its first rows while the rest is read: keys pressed and
text typed meanwhile are kept when the rest arrives."""

from __future__ import annotations

import threading

import pytest
from textual.widgets import Label
from tui_pilot import pilot, until

import tui.screens.session as session_module
from corpora.model import Document, Segment
from padan.workspace import Workspace
from tui.app import PadanApp
from tui.screens.session import HEAD_ROWS, load_rows

SIZE = (100, 30)
LENGTH = HEAD_ROWS * 3 + 7


@pytest.fixture
def db(tmp_path) -> str:  # type: ignore[no-untyped-def]
    path = str(tmp_path / "long.db")
    segments = tuple(Segment(f"Kalimat nomor {i} di sini.", i, i) for i in range(LENGTH))
    ws = Workspace(path)
    try:
        ws.add_documents(
            [
                Document("long", "id", segments, "A long document"),
                Document("short", "id", segments[:5], "A short one"),
            ]
        )
    finally:
        ws.close()
    return path


@pytest.fixture
def rest_waits(monkeypatch):  # type: ignore[no-untyped-def]
    """The rest of the document is read only once the test lets it."""
    go = threading.Event()
    load_rows = session_module.load_rows

    def held(*args, **kwargs):  # type: ignore[no-untyped-def]
        if kwargs.get("head") is None:
            assert go.wait(30)
        return load_rows(*args, **kwargs)

    monkeypatch.setattr(session_module, "load_rows", held)
    yield go
    go.set()


@pilot
async def test_end_pressed_before_the_rest_is_read_goes_to_the_last_row(db, rest_waits):
    app = PadanApp(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.main
        table = screen.table
        await until(pilot, lambda: screen.ready and len(table.rows) == HEAD_ROWS)
        assert not table.complete
        count = screen.query_one("#filter-count", Label)
        assert str(count.render()) == f"{HEAD_ROWS}/{LENGTH}…"  # the rest is coming
        await pilot.press("end")
        await until(pilot, lambda: table.cursor == HEAD_ROWS - 1)
        rest_waits.set()
        await until(pilot, lambda: len(table.rows) == LENGTH)
        await until(pilot, lambda: table.cursor == LENGTH - 1)
        assert table.complete and str(count.render()) == f"{LENGTH}/{LENGTH}"
        await until(pilot, lambda: screen.shown is table.rows[-1])
        assert screen.editor.area.text == f"Kalimat nomor {LENGTH - 1} di sini."


@pilot
async def test_text_typed_before_the_rest_is_read_is_kept(db, rest_waits):
    app = PadanApp(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.main
        table = screen.table
        await until(pilot, lambda: screen.ready and len(table.rows) == HEAD_ROWS)
        await pilot.press("down", "down", "enter", "end", *"xyz")
        await until(pilot, lambda: screen.editor.area.text.endswith("xyz"))
        row = screen.shown
        assert row is table.rows[2]
        rest_waits.set()
        await until(pilot, lambda: len(table.rows) == LENGTH and screen.session.checked)
        # the same row, still in the editor with its typing, and then saved
        assert screen.shown is row and table.rows[2] is row and table.cursor == 2
        assert screen.editor.area.text == "Kalimat nomor 2 di sini.xyz"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: row.target.current.endswith("xyz"))
    ws = Workspace(db)
    try:
        assert [v.current for v in ws.variants("id", "long")][2] == "Kalimat nomor 2 di sini.xyz"
    finally:
        ws.close()


@pilot
async def test_another_document_opened_before_the_rest_is_read_is_checked(db, rest_waits):
    app = PadanApp(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.main
        await until(pilot, lambda: screen.ready and len(screen.table.rows) == HEAD_ROWS)
        screen.open_document("short")
        await until(pilot, lambda: screen.doc == "short" and len(screen.table.rows) == 5)
        rest_waits.set()
        await until(pilot, lambda: screen.session.checked)
        assert screen.doc == "short" and len(screen.table.rows) == 5


def test_first_variants_are_a_documents_first_units_in_every_language(tmp_path):
    from tm.model import Unit, Variant

    ws = Workspace(str(tmp_path / "pair.db"))
    try:
        units = [Unit((Variant("en", f"Line {i}"), Variant("id", f"Baris {i}"))) for i in range(10)]
        ws.documents.import_units("pair", "en", units)
        ws.documents.import_units("other", "en", units[:4])
        head = ws.first_variants("pair", 3)
        assert ws.first_variants("missing", 3) == []
    finally:
        ws.close()
    assert {v.document for v in head} == {"pair"}
    assert [v.position for v in head] == sorted(v.position for v in head)
    assert sorted((v.lang, v.current) for v in head) == sorted(
        [
            (lang, f"{word} {i}")
            for i in range(3)
            for lang, word in (("en", "Line"), ("id", "Baris"))
        ]
    )


@pilot
async def test_a_step_taken_as_the_rest_arrives_is_kept(db, rest_waits):
    """The rest can arrive between a step of the cursor and the editor showing its row:
    the cursor stays on the row stepped to (it went back to the row shown, and the step
    was lost: the benchmark waited for it for ever)."""
    app = PadanApp(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.main
        table = screen.table
        await until(pilot, lambda: screen.ready and len(table.rows) == HEAD_ROWS)
        await pilot.press("down", "down")
        await until(pilot, lambda: screen.shown is table.rows[2])
        ws = Workspace(db)
        try:
            full = load_rows(ws, "long")  # (not the held one)
        finally:
            ws.close()
        table.action_cursor(1)  # the step; its Highlighted waits in the queue
        screen._opened(full, None)  # the rest arrives before it is handled
        await until(pilot, lambda: screen.shown is table.current)
        assert table.cursor == 3 and len(table.rows) == LENGTH
        assert screen.shown is table.rows[3]
        rest_waits.set()  # (the app's own read of the rest ends too)
