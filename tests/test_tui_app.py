"""The terminal UI, driven by Textual's pilot: each workflow, checked on the database.

The workspace is built once per session from the bundled corpus (conftest's demo_db); each
test gets a copy.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import polib
import pytest
from click.testing import CliRunner
from lxml import etree
from textual.widgets import Button, Input, OptionList, Select
from textual.worker import WorkerCancelled, WorkerFailed
from tui_pilot import pilot, stored, until

from padan.cli import main
from padan.workspace import Workspace
from tm.store import StoredVariant
from tui import keys
from tui.app import PadanApp
from tui.screens.dialogs.base import ConfirmScreen
from tui.screens.dialogs.changes import BulkFixScreen, ConflictScreen
from tui.screens.dialogs.export import ExportScreen
from tui.screens.dialogs.garbled import MarkGarbledScreen
from tui.screens.dialogs.terms import StatusScreen, TermScreen
from tui.screens.help import HelpScreen
from tui.screens.main import MainScreen
from tui.screens.termbase import TermBaseScreen

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SIZE = (120, 35)


@pytest.fixture
def db(demo_db: str) -> str:  # the shared demo workspace (conftest), as a path
    return demo_db


async def workers_done(app) -> None:  # type: ignore[no-untyped-def]
    try:
        await app.workers.wait_for_complete()
    except (WorkerCancelled, WorkerFailed):
        pass


async def settle(pilot, rounds: int = 4) -> None:  # type: ignore[no-untyped-def]
    """Let workers finish and their results land on the main thread."""
    for _ in range(rounds):
        await pilot.pause(0.05)
        await workers_done(pilot.app)
    await pilot.pause(0.05)


def main_screen(app: PadanApp) -> MainScreen:
    return app.main


async def ready(pilot) -> MainScreen:  # type: ignore[no-untyped-def]
    screen = main_screen(pilot.app)
    await until(pilot, lambda: screen.ready and screen.session.checked)
    await settle(pilot)
    return screen


async def open_document(pilot, name: str) -> MainScreen:  # type: ignore[no-untyped-def]
    screen = await ready(pilot)
    screen.open_document(name)
    await until(pilot, lambda: screen.doc == name)
    await settle(pilot)
    return screen


def variants(db: str, name: str, lang: str) -> list[StoredVariant]:
    ws = Workspace(db)
    try:
        return ws.documents.variants(lang, name)
    finally:
        ws.close()


# -- opening ------------------------------------------------------------------------------


@pilot
async def test_opens_the_workspace_with_documents_segments_and_findings(db):
    app = PadanApp(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        assert [d.name for d in screen.session.documents] == ["000", "001", "002", "003", "004"]
        assert screen.doc == "000"
        assert len(screen.table.rows) == 36
        counts = screen.session.counts()
        assert counts["003"] > 300  # the spun Chinese article
        assert screen.session.rules("003")["zh-spin"] == counts["003"]
        assert screen.shown is screen.table.rows[0]
        assert screen.editor.area.text == screen.table.rows[0].target.current
        # every row tells edited / findings
        cells = screen.session.cells(screen.table.rows[0])
        assert cells.left == cells.right and not cells.edited


@pilot
async def test_empty_workspace_offers_to_build_from_the_bundled_corpus(tmp_path):
    db = str(tmp_path / "new.db")
    app = PadanApp(db)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        screen = main_screen(app)
        await until(pilot, lambda: screen.ready and screen.session.checked, timeout=60)
        assert len(screen.session.documents) == 5
    assert len(variants(db, "003", "zh")) == 74


@pilot
async def test_empty_workspace_declined_stays_empty(tmp_path):
    db = str(tmp_path / "new.db")
    app = PadanApp(db)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("n")
        await until(pilot, lambda: isinstance(app.screen, MainScreen))
        assert not app.screen.session.documents


@pilot
async def test_filters_all_findings_edited_rule_and_text(db):
    app = PadanApp(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_document(pilot, "003")
        await settle(pilot)
        kind = screen.query_one("#filter-kind", Select)
        total = len(screen.table.rows)

        def filtered() -> bool:  # the table shows the rows of the filter chosen
            return screen.table.rows == screen.session.filtered(str(kind.value))

        kind.value = "findings"
        await until(pilot, filtered)
        with_findings = len(screen.table.rows)
        assert 0 < with_findings <= total
        assert all(screen.session.findings_of(r.target.id) for r in screen.table.rows)
        kind.value = "rule:zh-spin"
        await until(pilot, filtered)
        assert len(screen.table.rows) == with_findings
        kind.value = "edited"
        await until(pilot, lambda: screen.table.rows == [])
        kind.value = "all"
        await until(pilot, lambda: len(screen.table.rows) == total)
        await pilot.press("ctrl+f")
        assert screen.query_one("#filter-text", Input).has_focus
        await pilot.press(*"DeepSeek", "enter")
        await until(pilot, lambda: 0 < len(screen.table.rows) < total)
        assert all("deepseek" in r.target.current.casefold() for r in screen.table.rows)


# -- editing ------------------------------------------------------------------------------


@pilot
async def test_typing_is_saved_as_a_revision_on_leaving_the_segment(db):
    app = PadanApp(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        row = screen.table.rows[0]
        await pilot.press("enter")  # into the editor
        assert screen.editor.area.has_focus
        screen.editor.area.move_cursor(screen.editor.area.document.end)
        await pilot.press(*" (diperiksa)")
        await pilot.press("ctrl+down")  # leave the segment: saved
        await until(pilot, lambda: screen.shown is screen.table.rows[1])
        # written by a worker, which closing the app would not wait for
        await until(pilot, lambda: stored(db, row.target.id).endswith("(diperiksa)"))
    ws = Workspace(db)
    try:
        saved = ws.documents.variant(row.target.id)
        assert saved.current.endswith("open source (diperiksa)")
        history = ws.documents.history(row.target.id)
        assert [r.reason for r in history] == ["manual edit"]
    finally:
        ws.close()


@pilot
async def test_end_and_home_go_to_the_end_and_start_of_the_text_not_of_the_wrapped_line(db):
    app = PadanApp(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        index = max(
            range(len(screen.table.rows)), key=lambda i: len(screen.table.rows[i].target.current)
        )
        screen.table.move_to(index)
        await pilot.press("enter")
        area = screen.editor.area
        text = area.text
        assert area.has_focus and "\n" not in text
        area.move_cursor((0, 0))
        # wrapped: TextArea's own end of line is the end of the first line on screen
        await until(pilot, lambda: area.wrapped_document.height > 1)
        assert area.get_cursor_line_end_location() < area.document.end
        await pilot.press("end", *" (cek)")
        assert area.text == text + " (cek)"
        await pilot.press("home", "shift+end")
        assert area.selected_text == text + " (cek)"
        area.load_text("Baris satu\n" + text)
        await pilot.press("ctrl+end", "!")
        assert area.text == "Baris satu\n" + text + "!"
        await pilot.press("ctrl+home", "?")
        assert area.text == "?Baris satu\n" + text + "!"
        await pilot.press("end", "ctrl+shift+end")
        assert area.selected_text == "\n" + text + "!"


@pilot
async def test_typing_is_saved_after_a_pause_and_enter_goes_on(db, monkeypatch):
    monkeypatch.setattr("tui.screens.main_editor.SAVE_PAUSE", 0.2)
    app = PadanApp(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        row = screen.table.rows[2]
        screen.table.move_to(2)
        await until(pilot, lambda: screen.shown is row)
        screen.editor.area.focus()
        await pilot.press("home", *"Ya, ")
        await until(pilot, lambda: stored(db, row.target.id).startswith("Ya, "))
        await pilot.press("X", "enter")  # enter saves and goes to the next segment
        await until(pilot, lambda: screen.shown is screen.table.rows[3])
        assert screen.session.cells(row).edited
        await until(pilot, lambda: stored(db, row.target.id).startswith("Ya, X"))
    ws = Workspace(db)
    try:
        assert ws.documents.variant(row.target.id).current.startswith("Ya, X")
        assert len(ws.documents.history(row.target.id)) == 2  # every change is a revision
    finally:
        ws.close()


@pilot
async def test_conflict_offers_to_reload(db):
    app = PadanApp(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        row = screen.table.rows[0]
        screen.editor.area.focus()
        screen.editor.area.move_cursor(screen.editor.area.document.end)
        await pilot.press("!")
        other = Workspace(db)  # a colleague saves first
        other.documents.edit(row.target.id, "Teks kolega.", author="colleague")
        other.close()
        await pilot.press("ctrl+s")  # saved on a worker thread: the dialog comes after
        await until(pilot, lambda: isinstance(app.screen, ConflictScreen))
        await pilot.press("r")
        await until(pilot, lambda: not isinstance(app.screen, ConflictScreen))
        assert screen.editor.area.text == "Teks kolega."
        assert screen.shown.target.current == "Teks kolega."
    assert stored(db, row.target.id) == "Teks kolega."


@pilot
async def test_conflict_keep_mine_overwrites(db):
    app = PadanApp(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        row = screen.table.rows[0]
        mine = row.target.current + "!"
        screen.editor.area.focus()
        screen.editor.area.move_cursor(screen.editor.area.document.end)
        await pilot.press("!")
        other = Workspace(db)  # a colleague saves first, while the segment is being typed
        other.documents.edit(row.target.id, "Teks kolega.", author="colleague")
        other.close()
        await pilot.press("ctrl+s")  # saved on a worker thread: the dialog comes after
        await until(pilot, lambda: isinstance(app.screen, ConflictScreen))
        await pilot.press("k")
        await until(pilot, lambda: not isinstance(app.screen, ConflictScreen))
        assert screen.editor.area.text == mine
        await until(pilot, lambda: stored(db, row.target.id) == mine)  # written by a worker
    ws = Workspace(db)
    assert ws.documents.variant(row.target.id).current == mine
    assert [r.author for r in ws.documents.history(row.target.id)][-1] != "colleague"
    ws.close()


# -- findings and fixes -------------------------------------------------------------------


@pilot
async def test_next_and_previous_finding_cross_documents(db):
    app = PadanApp(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        findings = screen.session.findings
        await pilot.press("f8")
        await settle(pilot)
        assert screen.current == findings[0]
        await pilot.press("f8")
        await settle(pilot)
        assert screen.current == findings[1]
        area = screen.editor.area
        assert area.selected_text == findings[1].written
        await pilot.press("shift+f8")
        await settle(pilot)
        assert screen.current == findings[0]
        await pilot.press("shift+f8")  # wraps to the last finding, in another document
        await settle(pilot)
        assert screen.current == findings[-1]
        assert screen.doc == findings[-1].variant.document


@pilot
async def test_apply_suggestion_is_an_accepted_suggestion_revision(db):
    app = PadanApp(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        target = next(sf for sf in screen.session.findings if sf.finding.rule == "id-space-hyphen")
        screen.goto_finding(target)
        await settle(pilot)
        assert screen.current == target
        await pilot.press("f4")
        await settle(pilot)
    ws = Workspace(db)
    try:
        fixed = ws.documents.variant(target.variant.id)
        assert fixed.current == target.finding.apply(target.variant.current)
        assert ws.documents.history(target.variant.id)[-1].reason == "accepted suggestion"
    finally:
        ws.close()


@pilot
async def test_bulk_fix_of_a_spun_word_with_preview_undo_and_redo(db):
    app = PadanApp(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_document(pilot, "003")
        moz = [sf for sf in screen.session.findings if sf.written == "模子"]
        assert len(moz) >= 5
        screen.goto_finding(moz[0])
        await settle(pilot)
        await pilot.press("shift+f4")
        await until(pilot, lambda: isinstance(app.screen, BulkFixScreen))
        dialog = app.screen
        segments = {sf.variant.id for sf in moz}
        assert len(dialog.changes) == len(segments)
        assert all("模型" in new for _, new in dialog.changes)
        await pilot.press("y")
        await settle(pilot)
        after = {v.id: v for v in variants(db, "003", "zh")}
        for sf in moz:
            assert after[sf.variant.id].current != sf.variant.current
        assert not any(sf.written == "模子" for sf in screen.session.findings)
        ws = Workspace(db)
        batches = {ws.documents.history(i)[-1].batch for i in segments}
        assert len(batches) == 1 and None not in batches
        ws.close()

        await pilot.press("ctrl+z")  # the whole bulk fix at once
        await settle(pilot)
        after = {v.id: v for v in variants(db, "003", "zh")}
        assert all(after[sf.variant.id].current == sf.variant.current for sf in moz)
        assert any(sf.written == "模子" for sf in screen.session.findings)

        await pilot.press("ctrl+y")
        await settle(pilot)
        after = {v.id: v for v in variants(db, "003", "zh")}
        assert all("模型" in after[i].current for i in segments)
        assert not any(sf.written == "模子" for sf in screen.session.findings)


@pilot
async def test_bulk_fix_cancelled_changes_nothing(db):
    app = PadanApp(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_document(pilot, "003")
        first = screen.session.findings_of(screen.table.rows[0].target.id)[0]
        screen.goto_finding(first)
        await settle(pilot)
        await pilot.press("shift+f4")
        await until(pilot, lambda: isinstance(app.screen, BulkFixScreen))
        await pilot.press("escape")
        await settle(pilot)
    ws = Workspace(db)
    try:
        assert ws.documents.undo() == []  # nothing was ever changed
    finally:
        ws.close()


@pilot
async def test_mark_garbled_rendering_and_fix_every_occurrence(db):
    app = PadanApp(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        screen.table.move_to(2)
        await until(pilot, lambda: screen.shown is screen.table.rows[2])
        area = screen.editor.area
        start = area.text.index("wajah yang dipeluk")
        area.select_span(start, start + len("wajah yang dipeluk"))
        await pilot.press("f2")
        await until(pilot, lambda: isinstance(app.screen, MarkGarbledScreen))
        await pilot.press(*"Hugging Face")
        replacement = app.screen.query_one("#garbled-replacement", Input)
        await until(pilot, lambda: replacement.value == "Hugging Face")
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, BulkFixScreen))
        dialog = app.screen
        assert [v.position for v, _ in dialog.changes] == [2]
        assert "Hugging Face" in dialog.changes[0][1]
        assert str(dialog.query_one("#bulk-count").render()) == (
            "1 segment in 1 document (000) will change. One bulk fix: Ctrl+Z takes all of it back."
        )
        assert str(dialog.query_one("#apply", Button).label) == "Apply to 1 segment (y)"
        await pilot.press("y")
        await settle(pilot)
        notes = [n.message for n in app._notifications]
        assert "Fixed 1 segment in one bulk fix. Ctrl+Z takes it back." in notes, notes
        assert not [sf for sf in screen.session.findings if sf.finding.rule == "term-forbidden"]

        # "wajah wajah" was the same name, garbled again: choose the existing concept
        screen.table.move_to(3)
        await until(pilot, lambda: screen.shown is screen.table.rows[3])
        start = area.text.index("wajah wajah")
        area.select_span(start, start + len("wajah wajah"))
        await pilot.press("f2")
        await until(pilot, lambda: isinstance(app.screen, MarkGarbledScreen))
        await pilot.press(*"hugging")
        options = app.screen.query_one("#garbled-matches", OptionList)
        # the matches of the whole word typed: it offers itself as a new concept last
        await until(
            pilot, lambda: "new concept: hugging" in [str(o.prompt) for o in options.options]
        )
        assert options.get_option_at_index(options.highlighted).id != "new"
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, BulkFixScreen))
        await pilot.press("y")
        await settle(pilot)
    ws = Workspace(db)
    try:
        texts = {v.position: v.current for v in ws.documents.variants("id", "000")}
        assert "pada Hugging Face dan" in texts[2]
        assert "di Hugging Face," in texts[3]
        concept = ws.terms.find("Hugging Face", "id")[0]
        forbidden = {t.text: t.replacement for t in concept.terms if t.status == "forbidden"}
        assert forbidden == {"wajah yang dipeluk": "Hugging Face", "wajah wajah": "Hugging Face"}
    finally:
        ws.close()


@pilot
async def test_mark_garbled_needs_a_selection(db):
    app = PadanApp(db)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("f2")
        await until(
            pilot, lambda: any("Select the garbled text" in n.message for n in app._notifications)
        )
        assert isinstance(app.screen, MainScreen)


# -- term base and memory -------------------------------------------------------------------


@pilot
async def test_term_panel_and_term_base_screen(db):
    ws = Workspace(db)
    concept = ws.terms.add_concept(
        __import__("termbase.model", fromlist=["Concept"]).Concept(
            terms=(__import__("termbase.model", fromlist=["Term"]).Term("open source", "id"),)
        )
    )
    pending = ws.terms.proposals("pending")
    ws.close()
    app = PadanApp(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        # the first segment holds "open source": the Terms tab lists its concept
        assert [c.id for c in screen.session.concepts_in(screen.editor.area.text, "id")] == [
            concept.id
        ]
        await pilot.press("f9")
        await until(pilot, lambda: isinstance(app.screen, TermBaseScreen))
        tb = app.screen
        assert [c.id for c in tb.shown] == [concept.id]

        def has_term(text: str, status: str) -> bool:  # the term base screen shows it, back
            terms = [t for c in tb.shown for t in c.terms]
            return app.screen is tb and any(
                t.text == text and t.status.value == status for t in terms
            )

        await pilot.press("a")  # add a term to the concept
        await until(pilot, lambda: isinstance(app.screen, TermScreen))
        await pilot.press(*"sumber terbuka")
        app.screen.query_one("#term-lang", Select).value = "id"
        await pilot.press("enter")
        await until(pilot, lambda: has_term("sumber terbuka", "preferred"))
        await pilot.press("s")  # change the status of the first term
        await until(pilot, lambda: isinstance(app.screen, StatusScreen))
        app.screen.query_one("#status-value", Select).value = "admitted"
        await pilot.press("tab", "enter")
        await until(pilot, lambda: has_term("open source", "admitted"))
        # proposals: accept the first, reject the second
        tb.show_tab("tab-proposals")
        await until(
            pilot, lambda: pending[0].proposal.source in str(tb.query_one("#tb-evidence").render())
        )
        await pilot.press("y")
        await until(pilot, lambda: pending[0].id not in [p.id for p in tb.proposals])
        await pilot.press("x")  # asks first
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await until(pilot, lambda: pending[1].id in [p.id for p in tb.rejected])
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
    ws = Workspace(db)
    try:
        got = ws.terms.get(concept.id)
        assert {(t.text, t.status.value) for t in got.terms} == {
            ("open source", "admitted"),
            ("sumber terbuka", "preferred"),
        }
        states = {s.id: s.state for s in ws.terms.proposals(None)}
        assert states[pending[0].id] == "accepted" and states[pending[1].id] == "rejected"
    finally:
        ws.close()


@pilot
async def test_term_base_search(db):
    app = PadanApp(db)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        ws = app.session.ws
        from termbase.model import Concept, Term

        ws.terms.add_concept(Concept(terms=(Term("DeepSeek", "id"), Term("DeepSeek", "zh"))))
        await pilot.press("f9")
        await until(pilot, lambda: isinstance(app.screen, TermBaseScreen))
        await pilot.press("slash", *"deep")
        title = app.screen.query_one("#tb-list-title")
        await until(pilot, lambda: "“deep”" in str(title.render()))  # the search ran
        assert [t.text for t in app.screen.shown[0].terms] == ["DeepSeek", "DeepSeek"]


@pilot
async def test_memory_panel_fuzzy_matches_and_concordance(db):
    app = PadanApp(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        screen.table.move_to(8)
        await until(pilot, lambda: screen.shown is screen.table.rows[8])
        screen.editor.area.focus()
        await pilot.press("f3")
        await pilot.press(*"open source", "enter")
        await settle(pilot)
        hits = str(screen.query_one("#memory-hits").render())
        assert re.search(r"“open source”: \d+ segment", hits)
        matches = str(screen.query_one("#memory-matches").render())
        assert "searching" not in matches


# -- export -------------------------------------------------------------------------------


async def export_via_dialog(pilot, key: str, path: Path, **choices) -> None:  # type: ignore[no-untyped-def]
    await pilot.press(key)
    await until(pilot, lambda: isinstance(pilot.app.screen, ExportScreen))
    dialog = pilot.app.screen
    for widget, value in choices.items():
        dialog.query_one(f"#{widget}", Select).value = value
    box = dialog.query_one("#export-path", Input)
    box.value = str(path)
    box.focus()
    await pilot.press("enter")
    await settle(pilot)


@pilot
async def test_export_tmx_po_and_tbx(db, tmp_path):
    app = PadanApp(db)
    tmx, po, tbx = tmp_path / "out.tmx", tmp_path / "out.po", tmp_path / "out.tbx"
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        # fix something first, so that the exports carry a revision
        target = next(sf for sf in screen.session.findings if sf.finding.rule == "id-space-hyphen")
        screen.goto_finding(target)
        await settle(pilot)
        await pilot.press("f4")
        await settle(pilot)
        await export_via_dialog(pilot, "f10", tmx)
        # read at once: under load the next two exports outlast a notification's timeout
        messages = [n.message for n in app._notifications]
        await export_via_dialog(pilot, "shift+f10", po, **{"export-from": "id"})
        await export_via_dialog(pilot, "shift+f9", tbx)
    assert any(f"to {tmx}" in m for m in messages), messages
    dtd = etree.DTD(str(FIXTURES / "tmx" / "tmx14.dtd"))
    tree = etree.parse(str(tmx))
    assert dtd.validate(tree), dtd.error_log.filter_from_errors()
    assert len(tree.findall(".//tu")) == sum(36 + 49 + 79 + 74 + 20 for _ in [0])
    assert "x-origin" in tmx.read_text(encoding="utf-8")
    check = subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(po)], capture_output=True)
    assert check.returncode == 0, check.stderr
    text = po.read_text(encoding="utf-8")
    assert 'msgctxt "000:' in text and 'msgctxt "003:' not in text  # only the id documents
    assert target.finding.apply(target.variant.current) in text
    assert tbx.exists() and etree.parse(str(tbx)).getroot().tag.endswith("tbx")


@pilot
async def test_export_error_is_a_notification(db, tmp_path):
    app = PadanApp(db)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        # a language pair no document has: an error, and the dialog again with its values
        out = tmp_path / "pairs.po"
        await export_via_dialog(pilot, "shift+f10", out, **{"export-from": "id", "export-to": "zh"})
        await settle(pilot)
        assert any(n.severity == "error" for n in app._notifications)
        dialog = app.screen
        assert isinstance(dialog, ExportScreen)
        assert dialog.query_one("#export-path", Input).value == str(out)
        assert dialog.query_one("#export-to", Select).value == "zh"
        assert "Not exported" in str(dialog.query_one("#export-note").render())
        await pilot.press("escape")


@pilot
async def test_export_offers_to_create_a_missing_folder(db, tmp_path):
    app = PadanApp(db)
    out = tmp_path / "missing" / "dir" / "out.tmx"
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await export_via_dialog(pilot, "f10", out)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")  # back to the dialog, values kept
        await until(pilot, lambda: isinstance(app.screen, ExportScreen))
        assert app.screen.query_one("#export-path", Input).value == str(out)
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
    assert out.exists() and b"<tmx" in out.read_bytes()


@pilot
async def test_tbx_export_hides_documents_and_languages(db):
    app = PadanApp(db)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("shift+f9")
        await until(pilot, lambda: isinstance(app.screen, ExportScreen))
        dialog = app.screen
        assert not dialog.query_one("#export-docs").display
        assert not dialog.query_one("#export-langs").display
        dialog.query_one("#kind-tmx").value = True
        await until(pilot, lambda: dialog.query_one("#export-docs").display)


# -- keys, help, palette ------------------------------------------------------------------


REQUIRED = [
    "Next finding",
    "Previous finding",
    "Apply suggestion",
    "Apply to all",
    "Undo",
    "Redo",
    "Mark as garbled",
    "Export TMX",
    "Export PO",
    "Export TBX",
    "Search memory",
    "Help",
]


@pilot
async def test_help_screen_and_command_palette_list_every_action(db):
    app = PadanApp(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        titles = [c.title for c in app.get_system_commands(screen)]
        for name in REQUIRED:
            assert name in titles
        await pilot.press("f1")
        await until(pilot, lambda: isinstance(app.screen, HelpScreen))
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, MainScreen))
        # a palette command runs the action
        help_command = next(c for c in app.get_system_commands(screen) if c.title == "Help")
        help_command.callback()
        await until(pilot, lambda: isinstance(app.screen, HelpScreen))
        # from another screen, a palette command goes back to the main screen first
        export = next(c for c in app.get_system_commands(screen) if c.title == "Export PO")
        export.callback()
        await until(pilot, lambda: isinstance(app.screen, ExportScreen))
        assert app.screen.kind == "po"


@pilot
async def test_keys_file_remaps_an_action(db, tmp_path):
    keys_file = tmp_path / "keys.toml"
    keys_file.write_text('[keys]\nnext-finding = "f12"\nno-such-action = "f11"\n')
    app = PadanApp(db, keys_file)
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        await pilot.press("f8")  # no longer bound: the cursor stays on the first row
        await pilot.pause(0.1)  # (that nothing happens: a short pause is all one can wait)
        assert screen.shown is screen.table.rows[0] and screen.editor.area.selected_text == ""
        await pilot.press("f12")
        await settle(pilot)
        assert screen.current == screen.session.findings[0]
        assert any("no-such-action" in n.message for n in app._notifications)


def test_keys_file_problems_are_reported(tmp_path):
    bad = tmp_path / "keys.toml"
    bad.write_text("next-finding = [")
    keymap = keys.load_keymap(bad)
    assert keymap.keys == {} and "keys.toml" in keymap.problems[0]
    assert keys.load_keymap(tmp_path / "none.toml").problems  # an explicit file must exist
    good = tmp_path / "good.toml"
    good.write_text('undo = ["ctrl+z", "f7"]\n')
    assert keys.load_keymap(good).keys == {"undo": "ctrl+z,f7"}


def test_every_required_action_has_a_key_and_is_in_the_readme():
    titles = {a.title: a for a in keys.ACTIONS}
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Terminal UI", 1)[1]
    for name in REQUIRED:
        assert titles[name].keys
    for action in keys.ACTIONS:
        assert action.title in section, action.title
    ids = [a.id for a in keys.ACTIONS]
    assert len(ids) == len(set(ids))


def test_tui_command_is_in_the_cli():
    result = CliRunner().invoke(main, ["tui", "--help"])
    assert result.exit_code == 0
    assert "--keys" in result.output


@pilot
async def test_narrow_terminal_hides_the_document_list(db):
    app = PadanApp(db)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await ready(pilot)
        assert screen.has_class("-narrow")
        docs = screen.query_one("#documents")
        assert not docs.display or docs.region.width == 0
        await pilot.press("ctrl+o")
        await until(pilot, lambda: screen.query_one("#documents").region.width > 0)
        await pilot.press("down", "down", "down", "enter")
        await until(pilot, lambda: screen.doc == "003")


SMALL_PO = """\
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Language: id\\n"

msgid "Open the file"
msgstr "Buka berkas"

msgid "All the effort was in vain"
msgstr "Semua upaya sia -sia"

msgid "Not translated yet"
msgstr ""
"""


@pytest.fixture
def small_po_db(db: str, tmp_path: Path) -> str:
    """The demo workspace with SMALL_PO imported as the bilingual document small.po."""
    from tm.files import read_units

    po = tmp_path / "small.po"
    po.write_text(SMALL_PO, encoding="utf-8")
    found = read_units(str(po))
    ws = Workspace(db)
    ws.documents.import_units("small.po", found.source_lang, found.units)
    ws.close()
    return db


@pilot
async def test_bilingual_document_shows_source_and_target(small_po_db):
    app = PadanApp(small_po_db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_document(pilot, "small.po")
        await settle(pilot)
        assert screen.table.headers[2:] == ("Source (en)", "Target (id)")
        rows = screen.table.rows
        assert [r.source.current for r in rows] == [
            "Open the file",
            "All the effort was in vain",
            "Not translated yet",
        ]
        # the untranslated unit is there to translate
        cells = screen.session.cells(rows[2])
        assert cells.right == "" and cells.left == "Not translated yet"
        screen.table.move_to(2)
        await until(pilot, lambda: screen.shown is screen.table.rows[2])
        assert not screen.editor.area.read_only
        screen.editor.area.focus()
        await pilot.press(*"Belum diterjemahkan", "enter")
        # the target's own checks run: the space before the hyphen
        await until(
            pilot,
            lambda: (
                [f.finding.rule for f in screen.session.findings_of(rows[1].target.id)]
                == ["id-space-hyphen"]
            ),
        )
        sf = screen.session.findings_of(rows[1].target.id)
        screen.goto_finding(sf[0])
        await settle(pilot)
        await pilot.press("f4")
        await settle(pilot)
        screen.table.move_to(0)
        await until(pilot, lambda: screen.shown is screen.table.rows[0])
        screen.editor.area.focus()
        screen.editor.area.move_cursor(screen.editor.area.document.end)
        await pilot.press(*" ini", "ctrl+s")
        # written by a worker, which closing the app would not wait for
        await until(pilot, lambda: stored(small_po_db, rows[0].target.id) == "Buka berkas ini")
    after = {v.position: v.current for v in variants(small_po_db, "small.po", "id")}
    assert after[0] == "Buka berkas ini"
    assert after[1] == "Semua upaya sia-sia"
    assert after[2] == "Belum diterjemahkan"
    assert {v.current for v in variants(small_po_db, "small.po", "en")} >= {"Open the file"}


@pilot
async def test_po_export_of_a_bilingual_document_offers_its_pair(small_po_db, tmp_path):
    out = tmp_path / "out.po"
    app = PadanApp(small_po_db)
    async with app.run_test(size=SIZE) as pilot:
        await open_document(pilot, "small.po")
        await pilot.press("shift+f10")
        await until(pilot, lambda: isinstance(app.screen, ExportScreen))
        dialog = app.screen
        langs = dialog.query_one("#export-from", Select), dialog.query_one("#export-to", Select)
        assert (langs[0].value, langs[1].value) == ("en", "id")  # not a revisions PO
        await pilot.press("escape")
        await export_via_dialog(pilot, "shift+f10", out)
    check = subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(out)], capture_output=True)
    assert check.returncode == 0, check.stderr
    entries = {e.msgid: e.msgstr for e in polib.pofile(str(out))}
    assert entries["Open the file"] == "Buka berkas"


@pilot
async def test_tmx_export_of_a_bilingual_document_offers_its_pair(small_po_db, tmp_path):
    """F10 on a bilingual document offers a bilingual TMX of its pair, as `padan export
    FILE.tmx --from en --to id` writes: its translated units, each with those two variants."""
    out, every = tmp_path / "pair.tmx", tmp_path / "every.tmx"
    app = PadanApp(small_po_db)
    async with app.run_test(size=SIZE) as pilot:
        await open_document(pilot, "small.po")
        await pilot.press("f10")
        await until(pilot, lambda: isinstance(app.screen, ExportScreen))
        dialog = app.screen
        langs = dialog.query_one("#export-from", Select), dialog.query_one("#export-to", Select)
        assert (langs[0].value, langs[1].value) == ("en", "id")
        assert not langs[1].disabled
        assert "translated into id" in str(dialog.query_one("#export-note").render())
        await pilot.press("escape")
        await export_via_dialog(pilot, "f10", out)
        await export_via_dialog(pilot, "f10", every, **{"export-from": "*", "export-to": "-"})
    dtd = etree.DTD(str(FIXTURES / "tmx" / "tmx14.dtd"))
    tree = etree.parse(str(out))
    assert dtd.validate(tree), dtd.error_log.filter_from_errors()
    lang = "{http://www.w3.org/XML/1998/namespace}lang"
    units = [[(v.get(lang), v.findtext("seg")) for v in tu.iter("tuv")] for tu in tree.iter("tu")]
    assert units == [
        [("en-US", "Open the file"), ("id-ID", "Buka berkas")],
        [("en-US", "All the effort was in vain"), ("id-ID", "Semua upaya sia -sia")],
    ]
    # "— (every language)" is every unit of every document, as before
    assert len(etree.parse(str(every)).findall(".//tu")) == 36 + 49 + 79 + 74 + 20 + 3


@pilot
async def test_memory_panel_marks_what_differs(db):
    from corpora.model import Document, Segment

    ws = Workspace(db)
    first = ws.documents.variants("id", "000")[0].current
    near = first.replace("Deepseek", "DeepSeek R1")
    ws.add_documents([Document("near", "id", (Segment(near, 0, 0),), "near duplicate")])
    ws.close()
    app = PadanApp(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        await pilot.press("ctrl+l", "ctrl+l", "ctrl+l")  # into findings → terms → memory
        await settle(pilot)
        await until(pilot, lambda: "near#0" in str(screen.query_one("#memory-matches").render()))
        panel = screen.query_one("#memory")
        variant, match, _ = panel.matches[0]
        assert variant.document == "near" and 75 <= match.score < 100
        assert match.spans  # what differs is marked


@pilot
async def test_an_unexpected_error_is_a_notification_not_a_traceback(db, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    app = PadanApp(db)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        monkeypatch.setattr(PadanApp, "is_headless", property(lambda self: False))
        app._handle_exception(RuntimeError("boom"))
        await until(pilot, lambda: any("boom" in n.message for n in app._notifications))
        assert app.is_running
    monkeypatch.undo()
    assert "RuntimeError: boom" in (tmp_path / "padan" / "tui-errors.log").read_text()
