"""Rewriting a catalogue it was given (pretranslate, fix -o), Padan changes the entries
it changed and no other line: real catalogues wrapped by msgmerge come out byte for byte
where nothing changed (tm/formats/po_layout.py)."""

import difflib
import shutil
import subprocess
from pathlib import Path

import polib
from cli_ok import padan_ok

from conftest import FIXTURES
from tm.formats.po_layout import keep_layout

GLIB_ID = FIXTURES / "po" / "glib-2.74.6_id.po"  # msgmerge's wrapping, obsolete entries, plurals


def _msgfmt_ok(path: Path) -> None:
    done = subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(path)], capture_output=True)
    assert done.returncode == 0, done.stderr.decode()


def _changed_lines(old: Path, new: Path) -> list[int]:
    """The 1-based lines of ``old`` that ``new`` does not keep."""
    a = old.read_text(encoding="utf-8").split("\n")
    b = new.read_text(encoding="utf-8").split("\n")
    lines: list[int] = []
    for tag, i1, i2, _, _ in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag != "equal":
            lines.extend(range(i1 + 1, max(i2, i1 + 1) + 1))
    return lines


def test_pretranslate_with_nothing_to_fill_gives_the_file_back(tmp_path):
    out = tmp_path / "out.po"
    padan_ok(tmp_path / "ws.db", "pretranslate", str(GLIB_ID), "-o", str(out))
    assert out.read_bytes() == GLIB_ID.read_bytes()


def _entry_at(path: Path, line: int) -> tuple[str | None, str]:
    """The entry whose strings hold ``line``: the last to start at or before it."""
    entries = [e for e in polib.pofile(str(path)) if e.linenum <= line]
    last = max(entries, key=lambda e: e.linenum)
    return last.msgctxt, last.msgid


def test_pretranslate_changes_only_the_entries_it_fills(tmp_path):
    catalogue = polib.pofile(str(GLIB_ID))
    emptied = [e for e in catalogue if e.translated() and not e.msgid_plural][100:103]
    job = tmp_path / "job.po"
    text = GLIB_ID.read_text(encoding="utf-8")
    for e in emptied:  # msgstr lines as msgmerge wrote them, emptied in place
        entry = e.__unicode__(wrapwidth=79)
        assert entry in text
        text = text.replace(entry, entry.split("msgstr")[0] + 'msgstr ""\n', 1)
    job.write_text(text, encoding="utf-8")

    db = tmp_path / "ws.db"
    padan_ok(db, "import", str(GLIB_ID))  # the memory holds the translations
    out = tmp_path / "out.po"
    padan_ok(db, "pretranslate", str(job), "-o", str(out))
    _msgfmt_ok(out)
    keys = {(e.msgctxt, e.msgid): e.msgstr for e in emptied}
    assert {k: polib.pofile(str(out)).find(k[1], msgctxt=k[0]).msgstr for k in keys} == keys
    lines = _changed_lines(job, out)
    assert lines and {_entry_at(job, n) for n in lines} == set(keys)


def test_fix_output_changes_only_the_fixed_entries(tmp_path):
    out = tmp_path / "fixed.po"
    padan_ok(tmp_path / "ws.db", "fix", str(GLIB_ID), "-o", str(out))
    _msgfmt_ok(out)
    before = {(e.msgctxt, e.msgid): e.msgstr for e in polib.pofile(str(GLIB_ID))}
    fixed = {
        (e.msgctxt, e.msgid)
        for e in polib.pofile(str(out))
        if e.msgstr != before[e.msgctxt, e.msgid]
    }
    assert fixed  # the catalogue has casing slips to fix
    lines = _changed_lines(GLIB_ID, out)
    assert lines and {_entry_at(GLIB_ID, n) for n in lines} == fixed


def test_unchanged_entries_come_back_as_written_before(tmp_path):
    original = tmp_path / "ui.po"
    original.write_text(
        'msgid ""\nmsgstr ""\n"Language: id\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        "#: src/a.c:1 src/a.c:2 src/a.c:3 src/a.c:4 src/a.c:5 src/a.c:6 src/a.c:7\n"
        "#: src/a.c:8\n"
        'msgid ""\n"A long message that a previous tool wrapped at seventy-nine columns "\n'
        '"as msgmerge does"\nmsgstr ""\n"Pesan panjang yang dibungkus alat sebelumnya pada "\n'
        '"tujuh puluh sembilan kolom"\n\n'
        '#, fuzzy\nmsgid "Open"\nmsgstr "Buka"\n\n'
        '#~| msgid "Older"\n#~ msgid "Old"\n#~ msgstr ""\n#~ "Lama"',  # no newline at the end
        encoding="utf-8",
    )
    written = tmp_path / "out.po"
    written.write_text(  # unwrapped as Padan writes, and one entry changed
        'msgid ""\nmsgstr ""\n"Language: id\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        "#: src/a.c:1 src/a.c:2 src/a.c:3 src/a.c:4 src/a.c:5 src/a.c:6 src/a.c:7 src/a.c:8\n"
        'msgid "A long message that a previous tool wrapped at seventy-nine columns as msgmerge '
        'does"\nmsgstr "Pesan panjang yang dibungkus alat sebelumnya pada tujuh puluh sembilan '
        'kolom"\n\nmsgid "Open"\nmsgstr "Buka"\n\n'
        '#~| msgid "Older"\n#~ msgid "Old"\n#~ msgstr "Lama"\n',
        encoding="utf-8",
    )
    assert keep_layout(original, written) == 3
    text = written.read_text(encoding="utf-8")
    old = original.read_text(encoding="utf-8")
    assert text == old.replace('#, fuzzy\nmsgid "Open"', 'msgid "Open"') + "\n"


def test_different_entries_leave_the_written_file_alone(tmp_path):
    original = tmp_path / "a.po"
    original.write_text('msgid "One"\nmsgstr ""\n"Satu"\n', encoding="utf-8")
    written = tmp_path / "b.po"
    written.write_text(
        'msgid "One"\nmsgstr "Satu"\n\nmsgid "Two"\nmsgstr "Dua"\n', encoding="utf-8"
    )
    before = written.read_bytes()
    assert keep_layout(original, written) == 0
    assert written.read_bytes() == before
    shutil.copy(original, written)
    written.write_text('msgid "One"\nmsgstr "Satu"\n', encoding="utf-8")  # same entry, unwrapped
    assert keep_layout(original, written) == 1
    assert written.read_bytes() == original.read_bytes()
