"""A PO catalogue through XLIFF 1.2 and back: context, flags, comments, references, plural
forms, the fuzzy and obsolete marks survive, as translate-toolkit's po2xliff conventions
put them (tm.formats.xliff12_po), and translate-toolkit reads Padan's XLIFF as PO-XLIFF."""

import subprocess
from pathlib import Path

import polib
from cli_ok import padan_ok
from lxml import etree
from translate.convert import po2xliff
from translate.storage import factory, poxliff

from conftest import FIXTURES

STRICT = etree.XMLSchema(
    etree.parse(str(FIXTURES / "xliff" / "schemas" / "xliff-core-1.2-strict.xsd"))
)
NS = {"x": "urn:oasis:names:tc:xliff:document:1.2"}

CATALOGUE = r"""msgid ""
msgstr ""
"Project-Id-Version: demo 1.0\n"
"Language: id\n"
"MIME-Version: 1.0\n"
"Content-Type: text/plain; charset=UTF-8\n"
"Content-Transfer-Encoding: 8bit\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\n"

# Checked with the style guide
#. Menu item: opens a file
#: src/menu.c:10 src/menu.c:42
#: data/ui.glade
#, c-format
msgctxt "menu"
msgid "Open %s"
msgstr "Buka %s"

#: src/menu.c:10 src/close.c:5
#, fuzzy
msgid "Close"
msgstr "Tutup"

msgid "One file"
msgid_plural "%d files"
msgstr[0] "Satu berkas"
msgstr[1] "%d berkas"

msgid "Not translated yet"
msgstr ""

#~ msgid "Old"
#~ msgstr "Lama"
"""


def _entries(path: Path) -> list[tuple[object, ...]]:
    return [
        (
            e.msgctxt,
            e.msgid,
            e.msgid_plural,
            e.msgstr,
            dict(e.msgstr_plural),
            sorted(e.flags),
            e.comment,
            e.tcomment,
            e.occurrences,
            e.obsolete,
        )
        for e in polib.pofile(str(path))
    ]


def _msgfmt_ok(path: Path) -> None:
    done = subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(path)], capture_output=True)
    assert done.returncode == 0, done.stderr.decode()


def test_po_structure_survives_xliff_and_back(tmp_path):
    po = tmp_path / "demo.po"
    po.write_text(CATALOGUE, encoding="utf-8")
    padan_ok(tmp_path / "a.db", "import", str(po))
    xlf = tmp_path / "demo.xlf"
    padan_ok(tmp_path / "a.db", "export", str(xlf))

    tree = etree.parse(str(xlf))
    assert STRICT.validate(tree), STRICT.error_log
    assert tree.find(".//x:file", NS).get("datatype") == "po"
    group = tree.find(".//x:group[@restype='x-gettext-plurals']", NS)
    assert [tu.get("id") for tu in group.findall("x:trans-unit", NS)] == ["3[0]", "3[1]"]
    untranslated = tree.find(".//x:trans-unit[x:source='Not translated yet']", NS)
    assert untranslated.find("x:target", NS) is None  # XLIFF's "not translated yet"
    obsolete = tree.find(".//x:trans-unit[@restype='x-gettext-obsolete']", NS)
    assert obsolete.get("translate") == "no"

    # translate-toolkit picks its PO-XLIFF reader and sees what a PO reader would
    store = factory.getobject(str(xlf))
    assert isinstance(store, poxliff.PoXliffFile)
    first, _, plural, *_ = store.units
    # one location group per reference, named uniquely in the file as the schema wants
    # (po2xliff's repeated "po-reference" is invalid; translate-toolkit then sees none)
    first_tu = tree.find(".//x:trans-unit", NS)
    locations = first_tu.findall("x:context-group[@purpose='location']", NS)
    assert [g.get("name") for g in locations] == [f"po-reference#{n}:1" for n in (1, 2, 3)]
    assert first.getnotes("developer") == "Menu item: opens a file"
    assert plural.hasplural()
    assert list(plural.source.strings) == ["One file", "%d files"]
    assert list(plural.target.strings) == ["Satu berkas", "%d berkas"]

    # into an empty workspace, and out as PO: the same entries
    padan_ok(tmp_path / "b.db", "import", str(xlf))
    back = tmp_path / "back.po"
    padan_ok(tmp_path / "b.db", "export", "--from", "en", "--to", "id", str(back))
    _msgfmt_ok(back)
    assert _entries(back) == _entries(po)

    # and out as XLIFF again: the same file, the header's date aside
    again = tmp_path / "again.xlf"
    padan_ok(tmp_path / "b.db", "export", str(again))
    assert again.read_bytes() == xlf.read_bytes()


def test_reads_translate_toolkits_po2xliff(tmp_path):
    po = tmp_path / "demo.po"
    po.write_text(CATALOGUE, encoding="utf-8")
    xlf = tmp_path / "tt.xlf"
    with po.open("rb") as source, xlf.open("wb") as out:
        assert po2xliff.convertpo(source, out, None) == 1

    out = padan_ok(tmp_path / "c.db", "import", str(xlf))
    # 5 entries (po2xliff writes the obsolete one as any other); its header is no unit
    assert "5 units added" in out
    back = tmp_path / "back.po"
    padan_ok(tmp_path / "c.db", "export", "--from", "en", "--to", "id", str(back))
    _msgfmt_ok(back)
    entries = polib.pofile(str(back))
    assert entries.metadata["Plural-Forms"] == "nplurals=2; plural=(n != 1);"
    plural = entries.find("One file")
    assert plural.msgid_plural == "%d files"
    assert plural.msgstr_plural == {0: "Satu berkas", 1: "%d berkas"}
    opened = entries.find("Open %s")
    assert opened.occurrences == [("src/menu.c", "10"), ("src/menu.c", "42"), ("data/ui.glade", "")]
    assert opened.comment == "Menu item: opens a file"
    assert entries.find("Close").fuzzy
    # and the entry not translated yet is one, untranslated
    assert entries.find("Not translated yet").msgstr == ""


def test_a_real_catalogue_through_xliff_is_valid_and_comes_back(tmp_path):
    # glib's catalogue: hundreds of references, contexts, plurals and obsolete entries
    po = FIXTURES / "po" / "glib-2.74.6_id.po"
    padan_ok(tmp_path / "a.db", "import", str(po))
    xlf = tmp_path / "glib.xlf"
    padan_ok(tmp_path / "a.db", "export", "--document", po.name, str(xlf))
    assert STRICT.validate(etree.parse(str(xlf))), STRICT.error_log
    padan_ok(tmp_path / "b.db", "import", str(xlf))
    back = tmp_path / "back.po"
    padan_ok(tmp_path / "b.db", "export", "--from", "en", "--to", "id", str(back))
    _msgfmt_ok(back)
    assert _entries(back) == _entries(po)
