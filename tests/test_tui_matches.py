"""Bilingual documents in the terminal UI: the memory's best match of each row in the
segment table (repaired where the repair applies, as `padan pretranslate` fills it), never
the row's own translation, and the key that inserts it."""

from __future__ import annotations

import pytest
from textual.widgets import TabbedContent
from tui_pilot import pilot, until
from tui_pilot import ready as shared_ready

from padan.workspace import Workspace
from tm.files import read_units
from tui.app import PadanApp

SIZE = (160, 48)

CATALOGUE = """msgid ""
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

msgid "Save the document"
msgstr "Simpan dokumen"

msgctxt "again"
msgid "Save the document"
msgstr ""
"""


@pytest.fixture
def db(demo_db: str, tmp_path) -> str:  # type: ignore[no-untyped-def]
    po = tmp_path / "ui.po"
    po.write_text(CATALOGUE, encoding="utf-8")
    found = read_units(str(po))
    ws = Workspace(demo_db)
    ws.documents.import_units("ui.po", found.source_lang, found.units)
    ws.close()
    return demo_db


async def open_catalogue(pilot):  # type: ignore[no-untyped-def]
    screen = await shared_ready(pilot, settle=0.1)
    screen.open_document("ui.po")
    await until(pilot, lambda: screen.doc == "ui.po")
    rows = screen.table.rows
    await until(pilot, lambda: all(r.unit_id in screen.session.offers for r in rows))
    return screen


def column(screen) -> list[str]:  # type: ignore[no-untyped-def]
    return [screen.session.match_cell(row) for row in screen.table.rows]


@pilot
async def test_each_row_shows_its_best_match_repaired_and_never_itself(db):
    app = PadanApp(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_catalogue(pilot)
        offers = [screen.session.offers[r.unit_id] for r in screen.table.rows]
        # a translated row is no match of itself: nothing else is near it
        assert column(screen)[0] == "—" and column(screen)[2] == "—"
        assert offers[1].kind == "fuzzy" and offers[1].targets[0] == "Buka berkas di penyunting"
        # another number: the translation patched, shown with R
        assert offers[3].kind == "repaired" and column(screen)[3].endswith("R")
        assert offers[3].targets[0] == "Hapus 12 berkas dari diska"
        # the same text translated elsewhere in the document counts
        assert offers[5].score == 100 and offers[5].targets[0] == "Simpan dokumen"
        header = screen.table.render_line(0).text
        assert "TM%" in header
        painted = screen.table.render_line(4).text  # row 3
        assert column(screen)[3] in painted


@pilot
async def test_ctrl_e_inserts_the_repaired_match(db):
    app = PadanApp(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_catalogue(pilot)
        screen.table.move_to(3)
        await until(pilot, lambda: screen.shown is screen.table.rows[3])
        await pilot.press("ctrl+e")
        await until(pilot, lambda: screen.editor.area.text == "Hapus 12 berkas dari diska")
        assert screen.editor.area.has_focus
        title = str(screen.query_one("#editor-title").render())
        assert "repaired" in title
        # the memory panel, behind the findings, shows it once opened
        screen.query_one("#side", TabbedContent).active = "tab-memory"
        await until(pilot, lambda: "3 → 12" in str(screen.query_one("#memory-best").render()))


@pilot
async def test_an_edit_elsewhere_changes_the_matches_after_a_pause(db):
    app = PadanApp(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_catalogue(pilot)
        first = screen.table.rows[4].unit_id  # "Save the document"
        screen.table.move_to(4)
        await until(pilot, lambda: screen.shown is screen.table.rows[4])
        await pilot.press("enter")
        area = screen.editor.area
        area.replace("Simpan berkas", area.document.start, area.document.end)
        await pilot.press("ctrl+s")
        await until(pilot, lambda: screen.table.rows[4].target.current == "Simpan berkas")
        # the repetition of row 4 now offers its new translation
        await until(
            pilot,
            lambda: (
                screen.session.offers.get(screen.table.rows[5].unit_id) is not None
                and screen.session.offers[screen.table.rows[5].unit_id].targets[:1]
                == ("Simpan berkas",)
            ),
            timeout=30,
        )
        assert screen.session.match_cell(screen.table.rows[4]) == "—"
        assert first == screen.table.rows[4].unit_id


@pilot
async def test_rows_a_screenful_ahead_are_looked_up_before_they_scroll_into_view(tmp_path):
    """Scrolling down paints rows whose matches are already known: no row asks for its
    match when it comes into view (that lookup, and the table painted again when it
    came, made a scrolled step cost half as much again)."""

    def entry(i: int) -> str:  # two in three translated
        target = f"Salin {i} halaman ke pencetak" if i % 3 else ""
        return f'msgid "Copy {i} pages to the printer"\nmsgstr "{target}"\n\n'

    entries = "".join(entry(i) for i in range(200))
    po = tmp_path / "long.po"
    po.write_text(CATALOGUE.split("\n\n")[0] + "\n\n" + entries, encoding="utf-8")
    path = str(tmp_path / "w.db")
    found = read_units(str(po))
    ws = Workspace(path)
    ws.documents.import_units("long.po", found.source_lang, found.units)
    ws.close()
    app = PadanApp(path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await shared_ready(pilot)
        table, session = screen.table, screen.session
        assert screen.doc == "long.po" and len(table.rows) == 200
        height = len(table.rows_on_screen())
        below = range(table.rows_on_screen().stop, table.rows_on_screen().stop + height)
        await until(pilot, lambda: all(table.rows[i].unit_id in session.offers for i in below))
        asked: list[int] = []
        wanted = session.on_wanted
        session.on_wanted = lambda: (asked.extend(session.wanted), wanted())
        for _ in range(height + height // 3):  # past the bottom: the table scrolls
            await pilot.press("down")
            await until(pilot, lambda: screen.shown is table.current)
            # the next rows down are looked up again before they are needed
            await until(pilot, lambda: not screen._ahead(0.5))
        assert table.rows_on_screen().start > 0
        assert asked == []
        assert "…" not in "".join(column(screen)[i] for i in table.rows_on_screen())


def test_row_matcher_leaves_out_the_row_itself_only(tmp_path):
    from padan.leverage import open_memory
    from padan.rowmatch import RowQuery, open_row_matcher
    from tm.leverage import Segment

    po = tmp_path / "ui.po"
    po.write_text(CATALOGUE, encoding="utf-8")
    ws = Workspace(str(tmp_path / "w.db"))
    try:
        found = read_units(str(po))
        ws.documents.import_units("ui.po", found.source_lang, found.units)
        matcher = open_row_matcher(ws, "ui.po", "en", "id")
        plain = open_memory(ws, "en", "id")
    finally:
        ws.close()
    own = RowQuery(5, "Save the document", "Simpan dokumen")
    # the memory as `padan pretranslate` sees it offers the row its own translation
    assert plain.lookup(Segment(own.source)).score == 100
    assert matcher.best(own).kind == "none"
    # its repetition (row 6, untranslated) still gets it, and the memory is left whole
    again = matcher.best(RowQuery(6, "Save the document", ""))
    assert again.score == 100 and again.targets[0] == "Simpan dokumen"
    # places that do not agree: the row is found by its translation
    assert matcher.best(RowQuery(40, "Save the document", "Simpan dokumen")).kind == "none"


def test_a_big_memory_is_read_and_asked_in_a_process_of_its_own(tmp_path):
    from padan.rowmatch import PROCESS_FROM, MatchProcess, RowQuery, open_matcher

    po = tmp_path / "ui.po"
    po.write_text(CATALOGUE, encoding="utf-8")
    path = str(tmp_path / "w.db")
    ws = Workspace(path)
    try:
        found = read_units(str(po))
        ws.documents.import_units("ui.po", found.source_lang, found.units)
        here = open_matcher(ws, "ui.po", "en", "id", PROCESS_FROM - 1)
        there = open_matcher(ws, "ui.po", "en", "id", PROCESS_FROM)
    finally:
        ws.close()
    assert isinstance(there, MatchProcess) and not isinstance(here, MatchProcess)
    queries = [
        RowQuery(5, "Save the document", "Simpan dokumen"),
        RowQuery(6, "Save the document", ""),
        RowQuery(4, "Delete 12 files from the disk", ""),
    ]
    try:
        offers = there.best_of(queries)
        assert offers == here.best_of(queries)
        assert [o.kind for o in offers] == ["none", "exact", "repaired"]
        assert offers[2].targets[0] == "Hapus 12 berkas dari diska"
        assert there.best_of(queries[:1]) == offers[:1]  # asked again, same process
    finally:
        there.close()
    with pytest.raises(RuntimeError):  # stopped: said, not hung
        there.best_of(queries)


def test_a_memory_process_that_cannot_read_says_why(tmp_path):
    from padan.rowmatch import MatchProcess, RowQuery

    broken = tmp_path / "not-a-db"
    broken.write_text("this is no database", encoding="utf-8")
    process = MatchProcess(str(broken), "ui.po", "en", "id")
    try:
        with pytest.raises(RuntimeError, match="database"):
            process.best_of([RowQuery(1, "Save the document", "")])
    finally:
        process.close()


_PARENT = """
import sys
from padan.rowmatch import MatchProcess
process = MatchProcess(sys.argv[1], "ui.po", "en", "id")
print(process._child.pid, flush=True)
sys.stdin.read()
"""


def _alive(pid: int) -> bool:
    """The process runs (a zombie nobody reaped yet has ended)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().rpartition(")")[2].split()[0] != "Z"
    except FileNotFoundError:
        return False


def test_the_memory_process_ends_with_its_parent_even_while_it_reads():
    """An app killed (no close()) leaves no child reading the memory for nobody. The
    child here reads from a server that never answers: it would wait for its 10 s
    connection timeout, then for the next question."""
    import signal
    import socket
    import subprocess
    import sys
    import time

    with socket.create_server(("127.0.0.1", 0)) as server:
        server.settimeout(60)
        url = f"postgresql://padan@127.0.0.1:{server.getsockname()[1]}/padan"
        parent = subprocess.Popen(
            [sys.executable, "-c", _PARENT, url], stdin=subprocess.PIPE, stdout=subprocess.PIPE
        )
        try:
            assert parent.stdout is not None
            child = int(parent.stdout.readline())
            connection, _ = server.accept()  # the child is reading the memory
            with connection:
                assert _alive(child)
                parent.send_signal(signal.SIGKILL)
                parent.wait()
                deadline = time.monotonic() + 5  # half the connection's own timeout
                while _alive(child) and time.monotonic() < deadline:
                    time.sleep(0.05)
                assert not _alive(child)
        finally:
            parent.kill()
            parent.wait()


@pilot
async def test_what_waits_for_a_match_runs_when_a_monolingual_document_is_opened(db):
    """A row's match asked (Ctrl+E) and another document opened before it came: what
    waited runs, and is not kept waiting for a lookup that no longer happens."""
    app = PadanApp(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_catalogue(pilot)
        other = next(d.name for d in screen.session.documents if d.name != "ui.po")
        row = screen.table.rows[3]
        screen.session.offers.pop(row.unit_id)  # not known yet
        ran: list[int] = []
        assert screen.offer_of(row, lambda: ran.append(row.unit_id)) is None
        screen.open_document(other)  # before the lookup under way ends
        await until(pilot, lambda: screen.doc == other)
        assert not screen.session.bilingual
        await until(pilot, lambda: ran == [row.unit_id])
