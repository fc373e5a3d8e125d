"""The terminal UI as a reviewer's daily tool: focus you can see, a key for every pane,
every screen's own keys and palette, fixes at scale, the term base, layout, review state."""

from __future__ import annotations

import pytest
from textual.widgets import Input, Select, TabbedContent
from tui_pilot import pilot, until
from tui_pilot import ready as shared_ready

from padan import review
from padan.workspace import Workspace
from tui.app import PadanApp
from tui.screens.dialogs.base import ConfirmScreen
from tui.screens.dialogs.changes import SureFixScreen
from tui.screens.dialogs.terms import TermScreen
from tui.screens.main import MainScreen
from tui.screens.termbase import TermBaseScreen
from tui.widgets.panels import DocumentList, FindingsPanel

SIZE = (100, 30)


@pytest.fixture
def db(demo_db: str) -> str:
    return demo_db


async def ready(pilot) -> MainScreen:  # type: ignore[no-untyped-def]
    return await shared_ready(pilot, settle=0.1)


async def idle(pilot) -> None:  # type: ignore[no-untyped-def]
    screen = pilot.app.main
    await pilot.pause(0.1)
    await until(
        pilot,
        lambda: not [w for w in screen.workers if w.group != "watch"] and screen._saving is None,
    )
    await pilot.pause(0.1)


def messages(app: PadanApp) -> list[str]:
    return [n.message for n in app._notifications]


def bar(widget) -> str:  # type: ignore[no-untyped-def]
    """The kind of the widget's left edge: the focus bar is "thick", elsewhere "blank"."""
    return str(widget.styles.border_left[0])


# -- focus and keys -------------------------------------------------------------------------


@pilot
async def test_focus_shows_as_a_bar_and_tab_has_no_invisible_stop(db):
    app = PadanApp(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        table, area = screen.table, screen.editor.area
        findings = screen.query_one("#findings-list")
        assert table.has_focus and bar(table) == "thick" and bar(area) == "blank"
        await pilot.press("tab")
        assert area.has_focus and bar(area) == "thick" and bar(table) == "blank"
        await pilot.press("tab")  # two Tabs from the segments to the findings
        assert findings.has_focus and bar(findings) == "thick"
        await pilot.press("escape")  # every pane has its key: back to the segments
        assert table.has_focus
        await pilot.press("ctrl+l")
        assert findings.has_focus
        await pilot.press("ctrl+o")
        assert screen.query_one(DocumentList).has_focus


@pilot
async def test_footer_shows_the_keys_of_the_focused_pane(db):
    app = PadanApp(db)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)

        def footer() -> list[str]:
            return [str(k.description) for k in app.screen.query("FooterKey")]

        assert "Edit" in footer() and "Help" in footer()
        await pilot.press("enter")
        await until(pilot, lambda: "Back" in footer() and "Edit" not in footer())
        assert "Help" in footer()


@pilot
async def test_f8_brings_the_findings_back_and_keys_elsewhere_say_where(db):
    app = PadanApp(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        tabs = screen.query_one(TabbedContent)
        await pilot.press("ctrl+l", "ctrl+l", "ctrl+l")
        assert tabs.active == "tab-memory"
        await pilot.press("escape", "f8")
        await idle(pilot)
        await until(pilot, lambda: tabs.active == "tab-findings")
        await pilot.press("escape", "y")
        await until(pilot, lambda: any("term base (F9)" in m for m in messages(app)))


@pilot
async def test_term_base_has_its_keys_and_its_own_palette(db):
    app = PadanApp(db)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("f9")
        await until(pilot, lambda: isinstance(app.screen, TermBaseScreen))
        tb = app.screen
        tabs = tb.query_one(TabbedContent)
        await pilot.press("f9")
        await until(pilot, lambda: tabs.active == "tab-proposals")
        await pilot.press("f9")
        await until(pilot, lambda: tabs.active == "tab-concepts")
        await pilot.press("f8")
        await until(pilot, lambda: any("works on the segments" in m for m in messages(app)))
        titles = {c.title: c for c in app.get_system_commands(tb)}
        assert {"Accept", "Reject", "Switch", "Search"} <= set(titles)
        assert "Next finding" not in titles
        titles["Switch"].callback()  # runs on the term base, which stays open
        await until(pilot, lambda: tabs.active == "tab-proposals")
        assert app.screen is tb


# -- fixing at scale ---------------------------------------------------------------------------


@pilot
async def test_sure_fixes_previewed_by_rule_applied_as_one_undo(db):
    ws = Workspace(db)
    expected = review.sure_fixes(review.findings(ws))
    ws.close()
    spin = next(f for f in expected if f.rule == "zh-spin")
    assert len(spin.findings) > 300
    app = PadanApp(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        before = screen.session.rules()
        await pilot.press("f7")
        await until(pilot, lambda: isinstance(app.screen, SureFixScreen))
        dialog = app.screen
        rules = dialog.query_one("#sure-rules")
        assert set(rules.selected) == {f.rule for f in expected}
        rules.deselect("id-glued-word")  # one rule left out
        changed = {v.id for f in expected if f.rule != "id-glued-word" for v, _ in f.changes}

        def last() -> list:
            """The last revision of each segment changed, in the database."""
            ws = Workspace(db)
            try:
                return [ws.documents.history(i)[-1] for i in changed]
            finally:
                ws.close()

        await pilot.press("y")
        await until(pilot, lambda: all(r.reason == "bulk fix" for r in last()))  # by a worker
        await idle(pilot)
        assert len({r.batch for r in last()}) == 1  # one bulk fix
        await pilot.press("ctrl+z")  # takes all of it back
        await until(pilot, lambda: all(r.undone for r in last()))
        await idle(pilot)
        await until(pilot, lambda: screen.session.rules() == before, timeout=20)


@pilot
async def test_a_suggestion_shows_as_the_text_it_makes(db):
    app = PadanApp(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        sf = next(f for f in screen.session.findings if f.written == " -")
        screen.goto_finding(sf)
        await idle(pilot)
        options = screen.query_one(FindingsPanel).query_one("#findings-list")

        def listed() -> str:
            return "\n".join(
                str(options.get_option_at_index(i).prompt) for i in range(options.option_count)
            )

        before, after = review.in_context(sf)
        await until(pilot, lambda: f"{before} → {after}" in listed())
        shown = listed()
        assert "-" in after and " -" not in after
        assert "→ -\n" not in shown + "\n"


@pilot
async def test_a_rule_filter_follows_a_fix_that_leaves_no_finding(db):
    app = PadanApp(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        screen.open_document("001")
        await until(pilot, lambda: screen.doc == "001")
        await idle(pilot)
        rules = screen.session.rules("001")
        rule = next(r for r, n in rules.items() if n == 1 and r == "id-glued-word")
        kind = screen.query_one("#filter-kind", Select)
        kind.value = f"rule:{rule}"
        await idle(pilot)
        await until(pilot, lambda: len(screen.table.rows) == 1)
        await pilot.press("f8")
        await idle(pilot)
        await until(
            pilot, lambda: screen.current is not None and screen.current.finding.rule == rule
        )
        await pilot.press("f4")
        await until(pilot, lambda: kind.value == "all", timeout=20)
        await idle(pilot)
        await until(pilot, lambda: len(screen.table.rows) == len(screen.session.loaded.rows))


# -- term base -----------------------------------------------------------------------------


@pilot
async def test_term_base_accept_refreshes_reject_asks_and_undoes_and_guesses_language(db):
    app = PadanApp(db)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("f9")
        await until(pilot, lambda: isinstance(app.screen, TermBaseScreen))
        tb = app.screen
        tabs = tb.query_one(TabbedContent)
        await pilot.press("f9")
        await until(pilot, lambda: tabs.active == "tab-proposals")
        first, second = tb.proposals[0], tb.proposals[1]
        await pilot.press("y")
        # the new concept is in the list at once
        await until(
            pilot,
            lambda: any(t.text == first.proposal.source for c in tb.shown for t in c.terms),
        )
        await pilot.press("x")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await until(pilot, lambda: second.id not in [p.id for p in tb.proposals])
        await pilot.press("ctrl+z")
        await until(pilot, lambda: second.id in [p.id for p in tb.proposals])
        # a term typed in Latin script is not taken for Chinese
        tb.show_tab("tab-concepts")
        await until(pilot, lambda: tb.query_one("#tb-concepts").has_focus)
        await pilot.press("a")
        await until(pilot, lambda: isinstance(app.screen, TermScreen))
        form = app.screen
        lang = form.query_one("#term-lang", Select)
        # (the form starts on zh, the workspace's first language: the guess changes it)
        await pilot.press(*"open weight")
        await until(pilot, lambda: lang.value in ("id", "en"))
        form.query_one("#term-text", Input).value = "开源"
        await until(pilot, lambda: lang.value == "zh")
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is tb)
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, MainScreen))
    ws = Workspace(db)
    try:
        states = {p.id: p.state for p in ws.terms.proposals(None)}
        assert states[first.id] == "accepted" and states[second.id] == "pending"
    finally:
        ws.close()


# -- layout --------------------------------------------------------------------------------


@pilot
async def test_editor_rewraps_when_the_terminal_shrinks(db):
    app = PadanApp(db)
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await ready(pilot)
        area = screen.editor.area
        wide = area.wrap_width
        await pilot.resize_terminal(80, 24)
        await until(pilot, lambda: area.wrap_width < wide)
        assert area.wrap_width <= area.content_size.width
        longest = max(len(line) for line in area.wrapped_document.lines)
        assert longest <= area.content_size.width


# -- review state --------------------------------------------------------------------------


@pilot
async def test_confirm_a_segment_filter_and_progress(db):
    app = PadanApp(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        first = screen.table.rows[0]
        confirmed = {first.target.id: first.target.version}
        await pilot.press("f6")
        await idle(pilot)
        await until(pilot, lambda: screen.table.cursor == 1)  # on to the next one not confirmed
        assert screen.session.is_confirmed(first.target)
        assert screen.session.cells(first).confirmed
        assert screen.session.progress["000"].confirmed == 1
        kind = screen.query_one("#filter-kind", Select)
        kind.value = "confirmed"
        await idle(pilot)
        await until(pilot, lambda: screen.table.rows == [first])
        kind.value = "unconfirmed"
        await idle(pilot)
        await until(pilot, lambda: first not in screen.table.rows)
        # a change of the text takes the confirmation back
        kind.value = "all"
        await idle(pilot)
        await until(pilot, lambda: screen.table.rows[:1] == [first])
        screen.table.move_to(0)
        await until(pilot, lambda: screen.shown is screen.table.rows[0])
        await pilot.press("enter", "end", "!", "ctrl+s")
        await idle(pilot)
        # the save, by a worker, read back: a new version, not the one confirmed
        await until(pilot, lambda: not screen.session.is_confirmed(screen.table.rows[0].target))
    ws = Workspace(db)
    try:
        assert review.progress(ws)["000"].confirmed == 0
        assert review.confirmed(ws, "000") == confirmed  # of the version confirmed
    finally:
        ws.close()


SMALL_PO = """msgid ""
msgstr ""
"Language: id\\n"
"Content-Type: text/plain; charset=UTF-8\\n"

msgid "Open the file in the editor"
msgstr "Buka berkas di penyunting"

msgid "Open the file in the new editor"
msgstr ""
"""


@pilot
async def test_bilingual_segment_shows_its_best_match_and_inserts_it(db, tmp_path):
    from tm.files import read_units

    po = tmp_path / "two.po"
    po.write_text(SMALL_PO, encoding="utf-8")
    found = read_units(str(po))
    ws = Workspace(db)
    ws.documents.import_units("two.po", found.source_lang, found.units)
    ws.close()
    app = PadanApp(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        screen.open_document("two.po")
        await until(pilot, lambda: screen.doc == "two.po")
        await idle(pilot)
        screen.table.move_to(1)
        await until(
            pilot, lambda: screen.table.rows[1].unit_id in screen.session.offers, timeout=20
        )
        await idle(pilot)
        title = screen.query_one("#editor-title")
        await until(pilot, lambda: "TM " in str(title.render()) and "%" in str(title.render()))
        await pilot.press("ctrl+e")
        await idle(pilot)
        await until(pilot, lambda: screen.editor.area.text == "Buka berkas di penyunting")
