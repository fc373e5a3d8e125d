"""A PO catalogue through XLIFF 2.0 and back: context, flags, comments, references,
previous strings, plural forms, the fuzzy and obsolete marks survive, as
tm.formats.xliff20_po puts them, in files valid against the XLIFF 2.0 core and
Metadata module schemas."""

from pathlib import Path

import polib
from cli_ok import padan_ok
from click.testing import CliRunner
from lxml import etree
from test_xliff_po import _entries, _msgfmt_ok

from conftest import FIXTURES
from padan.cli import main

SCHEMAS = FIXTURES / "xliff" / "schemas"
CORE = etree.XMLSchema(etree.parse(str(SCHEMAS / "xliff_core_2.0.xsd")))
# the core with the Metadata module: the core's lax wildcards then check mda: markup too
WITH_METADATA = etree.XMLSchema(
    etree.XML(
        '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">'
        '<xs:import namespace="urn:oasis:names:tc:xliff:document:2.0"'
        f' schemaLocation="{(SCHEMAS / "xliff_core_2.0.xsd").as_uri()}"/>'
        '<xs:import namespace="urn:oasis:names:tc:xliff:metadata:2.0"'
        f' schemaLocation="{(SCHEMAS / "metadata.xsd").as_uri()}"/>'
        "</xs:schema>"
    )
)
NS = {"x": "urn:oasis:names:tc:xliff:document:2.0", "mda": "urn:oasis:names:tc:xliff:metadata:2.0"}

CATALOGUE = r"""msgid ""
msgstr ""
"Project-Id-Version: demo 1.0\n"
"Language: pl\n"
"MIME-Version: 1.0\n"
"Content-Type: text/plain; charset=UTF-8\n"
"Content-Transfer-Encoding: 8bit\n"
"Plural-Forms: nplurals=3; "
"plural=(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);\n"

# Checked with the style guide
# second line
#. Menu item: opens a file
#: src/menu.c:10 src/menu.c:42
#: data/ui.glade
#, c-format, no-wrap
msgctxt "menu"
msgid "Open %s"
msgstr "Otwórz %s"

#. Same text, another context
msgctxt "toolbar"
msgid "Open %s"
msgstr "Otwórz plik %s"

#, fuzzy
#| msgid "Close it"
msgid "Close"
msgstr "Zamknij"

#: src/files.c:7
#, c-format
msgid "One file"
msgid_plural "%d files"
msgstr[0] "%d plik"
msgstr[1] "%d pliki"
msgstr[2] "%d plików"

#~ msgid "Old"
#~ msgstr "Stary"

#, fuzzy
#~ msgid "Gone %d"
#~ msgid_plural "Gone %d times"
#~ msgstr[0] "Znikło %d"
#~ msgstr[1] "Znikło %d razy"
#~ msgstr[2] "Znikło %d razy"
"""

# a plural form left untranslated keeps its place (msgstr[2] stays the third form)
GAP = r"""
#, fuzzy
msgid "%d folder"
msgid_plural "%d folders"
msgstr[0] "%d folder"
msgstr[1] ""
msgstr[2] "%d folderów"
"""

# an entry not translated yet: no target in the XLIFF, an empty msgstr back in the PO
UNTRANSLATED = r"""
msgid "Not translated yet"
msgstr ""
"""


def _round_trip(tmp_path: Path, catalogue: str = CATALOGUE) -> tuple[Path, Path]:
    po = tmp_path / "demo.po"
    po.write_text(catalogue, encoding="utf-8")
    padan_ok(tmp_path / "a.db", "import", str(po))
    xlf = tmp_path / "demo.xlf"
    padan_ok(tmp_path / "a.db", "export", "--xliff", "2", str(xlf))
    return po, xlf


def test_po_structure_survives_xliff_20_and_back(tmp_path):
    po, xlf = _round_trip(tmp_path, CATALOGUE + GAP + UNTRANSLATED)
    tree = etree.parse(str(xlf))
    untranslated = tree.xpath("//x:unit[x:segment/x:source='Not translated yet']", namespaces=NS)
    assert untranslated[0].find("x:segment/x:target", NS) is None
    assert CORE.validate(tree), CORE.error_log
    assert WITH_METADATA.validate(tree), WITH_METADATA.error_log

    first = tree.find(".//x:unit", NS)
    metas = [(m.get("type"), m.text) for m in first.iterfind(".//mda:meta", NS)]
    assert metas == [
        ("msgctxt", "menu"),
        ("flag", "c-format"),
        ("flag", "no-wrap"),
        ("reference", "src/menu.c:10"),
        ("reference", "src/menu.c:42"),
        ("reference", "data/ui.glade"),
    ]
    notes = [(n.get("category"), n.text) for n in first.iterfind("x:notes/x:note", NS)]
    assert notes == [
        ("developer", "Menu item: opens a file"),
        ("translator", "Checked with the style guide"),
        ("translator", "second line"),
    ]
    plural = tree.find(".//x:group[@type='x-gettext:plurals']", NS)
    forms = plural.findall("x:unit", NS)
    assert [u.findtext("x:segment/x:target", namespaces=NS) for u in forms] == [
        "%d plik",
        "%d pliki",
        "%d plików",
    ]
    assert [u.findtext("x:segment/x:source", namespaces=NS) for u in forms] == [
        "One file",
        "%d files",
        "%d files",
    ]
    obsolete = tree.findall(".//x:unit[@type='x-gettext:obsolete']", NS)
    assert len(obsolete) == 4  # "Old", and the three forms of "Gone %d"
    gap = tree.xpath("//x:group[x:unit/x:segment/x:source='%d folder']/x:unit", namespaces=NS)
    # the untranslated form has no target, as XLIFF says "not translated yet"
    targets = [u.findtext("x:segment/x:target", namespaces=NS) for u in gap]
    assert targets == ["%d folder", None, "%d folderów"]
    assert all(u.get("translate") == "no" for u in obsolete)

    # into an empty workspace, and out as PO: the same entries
    padan_ok(tmp_path / "b.db", "import", str(xlf))
    back = tmp_path / "back.po"
    padan_ok(tmp_path / "b.db", "export", "--from", "en", "--to", "pl", str(back))
    _msgfmt_ok(back)
    assert _entries(back) == _entries(po)
    previous = [e.previous_msgid for e in polib.pofile(str(back))]
    assert previous == [e.previous_msgid for e in polib.pofile(str(po))]

    # and out as XLIFF 2.0 again: the same file
    again = tmp_path / "again.xlf"
    padan_ok(tmp_path / "b.db", "export", "--xliff", "2", str(again))
    assert again.read_bytes() == xlf.read_bytes()


def test_po_structure_from_xliff_20_to_xliff_12(tmp_path):
    po, xlf = _round_trip(tmp_path, CATALOGUE + GAP + UNTRANSLATED)
    padan_ok(tmp_path / "b.db", "import", str(xlf))
    out = tmp_path / "as12.xlf"
    padan_ok(tmp_path / "b.db", "export", "--xliff", "1.2", str(out))
    padan_ok(tmp_path / "c.db", "import", str(out))
    back = tmp_path / "back.po"
    padan_ok(tmp_path / "c.db", "export", "--from", "en", "--to", "pl", str(back))
    assert _entries(back) == _entries(po)


def test_plural_group_without_units_is_refused(tmp_path):
    xlf = tmp_path / "bad.xlf"
    xlf.write_text(
        '<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="en">\n'
        '<file id="f1"><unit id="u1"><segment><source>Hi</source></segment></unit>\n'
        '<group id="g1" type="x-gettext:plurals"/></file></xliff>\n',
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["--db", str(tmp_path / "d.db"), "import", str(xlf)])
    assert result.exit_code != 0
    assert "bad.xlf:3: a plural group without units" in result.output
    assert len(result.output.strip().splitlines()) == 1
