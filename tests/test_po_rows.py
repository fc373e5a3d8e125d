"""A PO file's rows made straight from its entries (tm/formats/po_rows.py) must be the
rows tm.store_rows makes of the units tm.formats.po reads from it, byte for byte."""

from pathlib import Path

import pytest

from conftest import FIXTURES
from tm.files import read_units
from tm.formats.po import po_stream
from tm.formats.po_rows import po_rows
from tm.store_rows import rows

# Headers of two domains, the second after that domain's first unit; a domain's units
# before its header; plurals (an empty msgid_plural too), contexts (an empty one),
# obsolete entries, previous strings, flags, comments, escapes, repeated identities.
VARIED = r"""# translator
#, fuzzy
msgid ""
msgstr ""
"Language: id\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\n"

#. extracted
#: a.c:1 b.c:2
#, c-format, no-wrap
#| msgctxt "old"
#| msgid "Old %d"
msgid "%d file"
msgid_plural "%d files"
msgstr[0] "%d berkas"
msgstr[1] "%d berkas banyak"

msgid "one"
msgid_plural ""
msgstr[0] "satu"
msgstr[1] ""

msgctxt ""
msgid "Open"
msgstr "Buka\t\"x\"\n"

msgctxt "menu"
msgid "Open"
msgstr ""

domain "other"

msgid "Before its header"
msgstr "Sebelum"

msgid ""
msgstr ""
"Language: id\n"

msgid "After"
msgstr "Sesudah"

domain "messages"

# a comment
msgid "Plain"
msgstr "Polos"

#~ msgid "Gone"
#~ msgstr "Hilang"

#~ msgctxt "c"
#~ msgid "Gone"
#~ msgstr "Lagi"
"""


def _both(path: Path, **langs: str) -> tuple[list, list]:
    direct = po_rows(po_stream(path, **langs))
    assert direct is not None
    stream = po_stream(path, **langs)
    return list(direct), list(rows(stream.units, stream.source_lang))


@pytest.mark.parametrize(
    "name",
    [
        "po/bash-5.2_id.po",
        "po/glib-2.74.6_id.po",
        "po/glib-2.74.6_zh_CN.po",
        "glossary/gnome-glossary-zh_CN.po",
        "django/conf-4.2.30-zh_Hans.po",
        "django/conf-3.2.25-id.po",
    ],
)
def test_rows_of_real_catalogues_are_those_of_their_units(name: str) -> None:
    direct, general = _both(FIXTURES / name, target_lang="zh" if "zh" in name else "id")
    assert len(general) > 50
    assert direct == general


def test_rows_of_every_kind_of_entry(tmp_path: Path) -> None:
    path = tmp_path / "varied.po"
    path.write_text(VARIED, encoding="utf-8")
    direct, general = _both(path)
    assert len(general) == 9
    assert any('"po-header"' in meta for _, meta, _ in general)  # both domains' headers
    assert sum('"po-domain"' in meta for _, meta, _ in general) == 2
    assert direct == general


def test_repeated_identities_are_numbered_alike(tmp_path: Path) -> None:
    path = tmp_path / "again.po"
    units = "".join(f'msgctxt "c{i % 2}"\nmsgid "x"\nmsgstr "y{i}"\n\n' for i in range(2))
    path.write_text('msgid ""\nmsgstr "Language: id\\n"\n\n' + units, encoding="utf-8")
    direct, general = _both(path, source_lang="en")
    assert direct == general


def test_a_catalogue_into_its_own_language_takes_the_general_path(tmp_path: Path) -> None:
    path = tmp_path / "en.po"
    path.write_text('msgid ""\nmsgstr "Language: en\\n"\n\nmsgid "a"\nmsgstr "b"\n')
    assert po_rows(po_stream(path)) is None
    found = read_units(path)
    assert found.rows is None
    assert [len(texts) for _, _, texts in rows(found.units, found.source_lang)] == [1]


def test_read_units_gives_a_po_files_rows(tmp_path: Path) -> None:
    path = tmp_path / "varied.po"
    path.write_text(VARIED, encoding="utf-8")
    found = read_units(path, target_lang="id")
    assert found.rows is not None
    direct = list(found.rows)
    again = read_units(path, target_lang="id")
    assert direct == list(rows(again.units, again.source_lang))
