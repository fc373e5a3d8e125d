"""Inline codes outside XML: a PO export writes their native data as text, and what a
person reads (search, concordance, pretranslate --show) shows them numbered, never as
Padan's reserved placeholder characters."""

import polib
from cli_ok import padan_ok

from corpora.placeholders import PLACEHOLDERS, placeholder, shown

CODES = """<?xml version="1.0" encoding="UTF-8"?>
<xliff xmlns="urn:oasis:names:tc:xliff:document:1.2" version="1.2">
<file original="x" datatype="plaintext" source-language="en" target-language="id"><body>
<trans-unit id="1"><source>Click <g id="1">Save</g> to keep the file.</source>
<target>Klik <g id="1">Simpan</g> untuk menyimpan berkas.</target></trans-unit>
<trans-unit id="2"><source>Press <ph id="1">&lt;br/&gt;</ph> twice to open the file.</source>
<target>Tekan <ph id="1">&lt;br/&gt;</ph> dua kali untuk membuka berkas.</target></trans-unit>
</body></file></xliff>
"""


def test_shown_numbers_codes_one_character_each():
    text = f"Press {placeholder(0)} to {placeholder(1)}go{placeholder(2)}"
    assert shown(text) == "Press ① to ②go③"
    assert len(shown(text)) == len(text)  # a search's marked spans stay in place
    assert shown(placeholder(25)) == "◆" and shown("plain") == "plain"


def test_po_export_writes_a_codes_native_data_as_text(tmp_path):
    xlf = tmp_path / "codes.xlf"
    xlf.write_text(CODES, encoding="utf-8")
    padan_ok(tmp_path / "ws.db", "import", str(xlf))
    po = tmp_path / "codes.po"
    padan_ok(tmp_path / "ws.db", "export", "--from", "en", "--to", "id", str(po))
    entries = {e.msgid: e.msgstr for e in polib.pofile(str(po))}
    assert entries == {
        "Click Save to keep the file.": "Klik Simpan untuk menyimpan berkas.",
        "Press <br/> twice to open the file.": "Tekan <br/> dua kali untuk membuka berkas.",
    }


def test_search_and_concordance_show_codes_numbered(tmp_path):
    xlf = tmp_path / "codes.xlf"
    xlf.write_text(CODES, encoding="utf-8")
    db = tmp_path / "ws.db"
    padan_ok(db, "import", str(xlf))
    found = padan_ok(db, "search", "Press twice to open the file")
    assert "Tekan ① dua kali" in found and not PLACEHOLDERS.search(found)
    lines = padan_ok(db, "concordance", "file")
    assert "Click ①Save② to keep" in lines and not PLACEHOLDERS.search(lines)
