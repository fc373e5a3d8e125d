"""The terminal UI keeps up with other processes: a document imported and a fix applied
from the command line while the app is open show up without a key, and unsaved typing
still goes through the conflict dialog."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from pathlib import Path

import pytest
from tui_pilot import pilot, ready, until

from padan.workspace import Workspace
from tui.app import PadanApp
from tui.screens.dialogs.changes import ConflictScreen
from tui.widgets.panels import DocumentList

SIZE = (100, 30)
PADAN = str(Path(sys.executable).parent / "padan")


@pytest.fixture
def db(demo_db: str) -> str:
    return demo_db


async def padan(db: str, *args: str) -> str:
    """The command line, in a process of its own, as a colleague would run it."""
    done = await asyncio.to_thread(
        subprocess.run, [PADAN, "--db", db, *args], capture_output=True, text=True, check=True
    )
    return done.stdout


@pilot
async def test_a_document_imported_from_the_command_line_appears(db, tmp_path):
    new = tmp_path / "baru.txt"
    new.write_text(
        "Dokumen baru tentang model terbuka.\n\nKalimat kedua di sini.\n", encoding="utf-8"
    )
    app = PadanApp(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        assert "baru" not in [d.name for d in screen.session.documents]
        await padan(db, "import", "--lang", "id", str(new))
        await until(pilot, lambda: "baru" in [d.name for d in screen.session.documents])
        listed = screen.query_one(DocumentList)
        ids = [listed.get_option_at_index(i).id for i in range(listed.option_count)]
        assert "baru" in ids
        listed.highlighted = ids.index("baru")
        screen.open_document("baru")
        await until(pilot, lambda: screen.doc == "baru" and screen.ready)
        assert [r.target.current for r in screen.table.rows] == [
            "Dokumen baru tentang model terbuka.",
            "Kalimat kedua di sini.",
        ]


@pilot
async def test_a_fix_from_the_command_line_updates_rows_editor_and_findings(db):
    app = PadanApp(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        screen.open_document("003")
        await until(pilot, lambda: screen.doc == "003" and screen.ready)
        await until(pilot, lambda: screen.session.checked)
        spun = next(r for r in screen.table.rows if screen.session.findings_of(r.target.id))
        screen.table.move_to(screen.table.rows.index(spun))
        await until(pilot, lambda: screen.shown is spun)
        old_text, old_version = spun.target.current, spun.target.version
        assert screen.editor.area.text == old_text
        await padan(db, "fix", "--auto")
        await until(pilot, lambda: spun.target.version > old_version, timeout=20)
        fixed = spun.target.current
        assert fixed != old_text
        await until(pilot, lambda: screen.editor.area.text == fixed)
        assert f"v{spun.target.version}" in str(screen.query_one("#editor-title").render())
        # the findings follow: every ⚑ left on a row is about the text the row shows
        await until(pilot, lambda: not screen.workers or screen.session.checked)
        ws = Workspace(db)
        try:
            assert ws.documents.variant(spun.target.id).current == fixed
        finally:
            ws.close()
        for row in screen.table.rows:
            for sf in screen.session.findings_of(row.target.id):
                assert sf.variant.current == row.target.current


@pilot
async def test_unsaved_typing_meets_an_outside_change_in_the_conflict_dialog(db):
    app = PadanApp(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        row = screen.table.rows[0]
        await pilot.press("enter")
        area = screen.editor.area
        area.move_cursor(area.document.end)
        await pilot.press(*" (saya)")
        mine = area.text
        ws = Workspace(db)  # a colleague saves the same segment
        ws.documents.edit(row.target.id, "Teks kolega.", author="colleague")
        ws.close()
        await until(pilot, lambda: row.target.current == "Teks kolega.")
        assert area.text == mine  # the typing stays
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, ConflictScreen))
        await pilot.press("k")
        await until(
            pilot,
            lambda: (
                screen._saving is None
                and not screen._save_queue
                and not isinstance(app.screen, ConflictScreen)
            ),
        )
    ws = Workspace(db)
    try:
        assert ws.documents.variant(row.target.id).current == mine
    finally:
        ws.close()
