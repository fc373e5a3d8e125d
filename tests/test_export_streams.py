"""Exports read the workspace as a stream (a server-side cursor on PostgreSQL): the
dialog's PO export of a language pair, and a TMX export read back whole."""

from __future__ import annotations

import subprocess
from pathlib import Path

import polib
import pytest
from click.testing import CliRunner

from corpora.segment import document_text
from padan.cli import main
from padan.jobs import ExportRequest, export
from padan.workspace import Workspace
from tm.formats import export_spool
from tm.formats.po import write_po
from tm.formats.tmx_read import read_tmx
from tm.model import Unit, Variant

HEAD = 'msgid ""\nmsgstr ""\n"Language: id\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'


def _workspace(db: str, tmp_path: Path, count: int) -> None:
    entries = "".join(
        f'msgctxt "u{i}"\nmsgid "Open file {i}"\nmsgstr "Buka berkas {i}"\n\n' for i in range(count)
    )
    (tmp_path / "ui.po").write_text(HEAD + entries, encoding="utf-8")
    result = CliRunner().invoke(main, ["--db", db, "import", str(tmp_path / "ui.po")])
    assert result.exit_code == 0, result.output


def test_dialog_po_export_of_a_pair_streams_every_unit(db_location: str, tmp_path: Path):
    _workspace(db_location, tmp_path, 2500)  # more than one fetch of the stream
    out = tmp_path / "out.po"
    ws = Workspace(db_location)
    try:
        request = ExportRequest("po", str(out), "en", "id", ("ui.po",))
        assert export(ws, request, lambda *_: None) == (2500, "2500 entries")
        other = ExportRequest("po", str(tmp_path / "zh.po"), "en", "zh", ("ui.po",))
        with pytest.raises(ValueError, match="no unit of the chosen documents has both en and zh"):
            export(ws, other, lambda *_: None)
    finally:
        ws.close()
    check = subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(out)], capture_output=True)
    assert check.returncode == 0, check.stderr
    catalogue = polib.pofile(str(out))
    assert [(e.msgctxt, e.msgstr) for e in catalogue][2499] == ("u2499", "Buka berkas 2499")
    assert not (tmp_path / "zh.po").exists()


def test_the_dialogs_exports_say_one_in_the_singular(db_location: str, tmp_path: Path):
    """What the TUI's notice says it wrote (corpora.wording.counted): 1 unit, 1 entry."""
    _workspace(db_location, tmp_path, 1)
    ws = Workspace(db_location)
    try:
        for kind, said in (("tmx", "1 unit"), ("po", "1 entry")):
            request = ExportRequest(kind, str(tmp_path / f"one.{kind}"), "en", "id", ("ui.po",))
            assert export(ws, request, lambda *_: None) == (1, said)
    finally:
        ws.close()


def test_tmx_export_streams_every_unit_in_order(db_location: str, tmp_path: Path):
    _workspace(db_location, tmp_path, 2500)
    out = tmp_path / "out.tmx"
    result = CliRunner().invoke(main, ["--db", db_location, "export", str(out)])
    assert result.exit_code == 0, result.output
    units = list(read_tmx(out).units())
    assert len(units) == 2500
    assert [v.text for v in units[2499].variants] == ["Open file 2499", "Buka berkas 2499"]


def _catalogue_units(count: int) -> list[tuple[str, Unit]]:
    """Units a PO must keep apart: the same msgid again and again, in two documents,
    some obsolete, some plural with three forms (more than Indonesian's rule has)."""
    units = []
    for i in range(count):
        obsolete = i % 11 == 0  # msgfmt also takes an obsolete msgid for a live one's
        msgid = f"Old {i % 3}" if obsolete else f"Open {i % 7}"
        plurals = (f"{msgid}s",) if i % 5 == 0 else ()
        forms = (f"Buka {i}b", f"Buka {i}c") if plurals else ()
        source, target = (
            Variant("en", msgid, plurals=plurals),
            Variant("id", f"Buka {i}", plurals=forms),
        )
        units.append((f"d{i % 2}", Unit((source, target), obsolete=obsolete)))
    return units


def test_po_export_keeps_duplicates_apart_the_same_when_its_keys_go_to_disk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    units = _catalogue_units(3000)
    notes: list[str] = []
    write_po(units, tmp_path / "memory.po", source_lang="en", target_lang="id", note=notes.append)
    monkeypatch.setattr(export_spool, "IN_MEMORY", 5)  # the keys go to the temporary database
    monkeypatch.setattr(export_spool, "BLOCK", 3)  # and the entries to the spool, 3 at a time
    spilled: list[str] = []
    count = write_po(
        units, tmp_path / "disk.po", source_lang="en", target_lang="id", note=spilled.append
    )
    assert count == 3000
    text = (tmp_path / "disk.po").read_text(encoding="utf-8")
    assert text == (tmp_path / "memory.po").read_text(encoding="utf-8")
    assert (
        spilled
        == notes
        == [
            "600 plural entries had more forms than nplurals=1: "
            "their last form was kept for msgstr[0]"
        ]
    )
    # the first "Open 1" keeps no context, the next ones are told apart by their place
    assert 'msgctxt "d1:0"\nmsgid "Open 1"' not in text
    assert 'msgctxt "d0:4"\nmsgid "Open 1"' in text
    check = subprocess.run(
        ["msgfmt", "-c", "-o", "/dev/null", str(tmp_path / "disk.po")], capture_output=True
    )
    assert check.returncode == 0, check.stderr
    assert len(polib.pofile(str(tmp_path / "disk.po"))) == 3000  # obsolete ones too


def test_spool_gives_back_text_and_objects_in_order(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(export_spool, "BLOCK", 4)
    spool = export_spool.Spool()
    items: list[object] = ["a", "b", ("x", 1), "c", ("y", 2), "d", "e", "f", "g", "h"]
    for item in items:
        spool.append(item)
    # written out after every 4 items: text is joined within a block, not across
    assert list(spool) == ["ab", ("x", 1), "c", ("y", 2), "def", "gh"]


def test_po_and_text_of_a_long_document_stream(db_location: str, tmp_path: Path):
    _workspace(db_location, tmp_path, 2500)
    po, text = tmp_path / "ui.po", tmp_path / "doc.txt"
    for out in (po, text):
        args = ["--db", db_location, "export", str(out), "--document", "ui.po"]
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 0, result.output
        assert "wrote 2500 units" in result.output
    entries = list(polib.pofile(str(po)))  # a bilingual document: its own pair, en→id
    assert len(entries) == 2500
    assert (entries[-1].msgctxt, entries[-1].msgstr) == ("u2499", "Buka berkas 2499")
    ws = Workspace(db_location)
    try:
        whole = ws.documents.load("ui.po")
        assert whole is not None
        assert text.read_text(encoding="utf-8") == document_text(whole)
    finally:
        ws.close()


def test_the_plural_note_says_one_entry_in_the_singular(tmp_path: Path):
    """Indonesian's rule has one form: a single entry with three is merged, and said so
    in the singular; two padded entries in the plural."""
    source = Variant("en", "%d file", plurals=("%d files",))
    notes: list[str] = []
    units = [("d", Unit((source, Variant("id", "%d berkas", plurals=("a", "b")))))]
    write_po(units, tmp_path / "one.po", source_lang="en", target_lang="id", note=notes.append)
    assert notes == [
        "1 plural entry had more forms than nplurals=1: their last form was kept for msgstr[0]"
    ]
    notes.clear()  # Russian's three forms, which one entry has: two with two are padded
    forms = {1: ("x",), 2: ("y",), 3: ("z", "w")}
    ru = [(f"d{i}", Unit((source, Variant("ru", f"{i}", plurals=forms[i])))) for i in forms]
    write_po(ru, tmp_path / "ru.po", source_lang="en", target_lang="ru", note=notes.append)
    assert notes == [
        "2 plural entries had fewer forms than nplurals=3: their last form was repeated"
    ]
