"""Snapshots of the terminal UI's main screens (pytest-textual-snapshot).

After a deliberate change of the screens (or of the checks, whose counts show), review the
new pictures and accept them: ``python -m pytest tests/test_tui_snapshots.py
--snapshot-update``.
"""

from __future__ import annotations

import pytest
from textual.worker import WorkerCancelled, WorkerFailed

from padan import review
from padan.workspace import Workspace
from tui.app import PadanApp


@pytest.fixture
def db(demo_db: str) -> str:  # the shared demo workspace (conftest), as a path
    return demo_db


async def settle(pilot) -> None:  # type: ignore[no-untyped-def]
    app = pilot.app
    for _ in range(200):
        try:
            await app.workers.wait_for_complete()
        except (WorkerCancelled, WorkerFailed):
            pass
        await pilot.pause(0.05)
        screen = app.main
        # keys held behind a bound key (tui/app.py) are part of the scene too
        if (
            screen.ready
            and screen.session.checked
            and not app.workers._workers
            and app._held is None
        ):
            break
    # A blinking cursor is drawn or not depending on the millisecond of the picture: hold it
    # still (shown where there is focus) so that a snapshot does not depend on timing.
    for widget in app.screen.query("TextArea, Input"):
        widget.cursor_blink = False  # type: ignore[attr-defined]
    await pilot.pause(0.1)


def scene(*steps):  # type: ignore[no-untyped-def]
    """A run_before for snap_compare: wait for the workspace, then each step (keys, or a
    callable of the main screen), waiting for the workers after each."""

    async def run(pilot) -> None:  # type: ignore[no-untyped-def]
        await settle(pilot)
        for step in steps:
            if callable(step):
                step(pilot.app.main)
            else:
                await pilot.press(*step.split())
            await settle(pilot)

    return run


def open_003(screen) -> None:  # type: ignore[no-untyped-def]
    screen.open_document("003")


SIZES = [(160, 48), (100, 30), (80, 24)]


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_main_view(snap_compare, db, size):
    app = PadanApp(db)
    assert snap_compare(app, terminal_size=size, run_before=scene(open_003, "f8"))


@pytest.mark.parametrize("size", SIZES[1:], ids=lambda s: f"{s[0]}x{s[1]}")
def test_editor_has_the_focus_bar(snap_compare, db, size):
    app = PadanApp(db)
    assert snap_compare(app, terminal_size=size, run_before=scene("f8 f8 f8", "enter"))


def test_bulk_fix_preview(snap_compare, db):
    app = PadanApp(db)
    assert snap_compare(app, terminal_size=(100, 30), run_before=scene(open_003, "f8", "shift+f4"))


@pytest.mark.parametrize("size", SIZES[1:], ids=lambda s: f"{s[0]}x{s[1]}")
def test_sure_fixes_preview(snap_compare, db, size):
    app = PadanApp(db)
    assert snap_compare(app, terminal_size=size, run_before=scene("f7"))


def test_help_screen(snap_compare, db):
    app = PadanApp(db)
    assert snap_compare(app, terminal_size=(80, 24), run_before=scene("f1"))


def test_term_panel(snap_compare, db):
    ws = Workspace(db)
    review.mark_garbled(ws, "wajah yang dipeluk", "id", replacement="Hugging Face")
    concept = ws.terms.find("Hugging Face", "id")[0]
    review.mark_garbled(ws, "wajah wajah", "id", concept=concept.id)
    ws.close()

    def third_segment(screen) -> None:  # type: ignore[no-untyped-def]
        screen.table.move_to(2)

    app = PadanApp(db)
    assert snap_compare(
        app, terminal_size=(160, 48), run_before=scene(third_segment, "ctrl+l ctrl+l")
    )


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_term_base_screen(snap_compare, db, size):
    app = PadanApp(db)
    assert snap_compare(app, terminal_size=size, run_before=scene("f9", "f9"))


BILINGUAL = """msgid ""
msgstr ""
"Language: id\\n"
"Content-Type: text/plain; charset=UTF-8\\n"

msgid "Open the file in the editor"
msgstr "Buka berkas di penyunting"

msgid "Open the file in the new editor"
msgstr ""

msgid "Delete 3 files from the disk"
msgstr "Hapus 3 berkas dari diska"

msgid "Delete 12 files from the disk"
msgstr ""
"""


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_bilingual_match_column(snap_compare, db, size, tmp_path):
    from tm.files import read_units

    po = tmp_path / "ui.po"
    po.write_text(BILINGUAL, encoding="utf-8")
    found = read_units(str(po))
    ws = Workspace(db)
    ws.documents.import_units("ui.po", found.source_lang, found.units)
    ws.close()

    def open_ui(screen) -> None:  # type: ignore[no-untyped-def]
        screen.open_document("ui.po")

    def last_row(screen) -> None:  # type: ignore[no-untyped-def]
        screen.table.move_to(3)

    app = PadanApp(db)
    assert snap_compare(
        app, terminal_size=size, run_before=scene(open_ui, last_row, "ctrl+l ctrl+l ctrl+l")
    )
