import pytest

from conftest import FIXTURES
from tm.errors import TMError
from tm.formats.xliff import read_xliff

SAMPLE = FIXTURES / "xliff" / "sample.xlf"


def test_languages_units_notes_and_states():
    doc = read_xliff(SAMPLE)
    assert (doc.source_lang, doc.target_lang) == ("en", "id")
    texts = [(u.key, [v.text for v in u.variants], u.flags) for u in doc.units]
    assert texts == [
        ("ui.txt:open", ["Open the file", "Buka berkas"], ()),
        ("ui.txt:save", ["Save", "Simpan"], ("fuzzy",)),  # needs review
        ("ui.txt:new", ["New folder"], ()),  # untranslated: no target variant
    ]
    assert doc.units[0].notes == ("menu item",)


def test_overrides_and_refusals(tmp_path):
    assert read_xliff(SAMPLE, target_lang="zh_CN").target_lang == "zh"
    evil = tmp_path / "evil.xlf"
    evil.write_text(
        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><xliff/>'
    )
    with pytest.raises(TMError, match="entity declarations"):
        read_xliff(evil)
    broken = tmp_path / "broken.xlf"
    broken.write_text('<?xml version="1.0"?>\n<xliff version="1.2"><file>')
    with pytest.raises(TMError, match="malformed XML"):
        read_xliff(broken)
