"""The PO reader reads a file a block at a time: what it gives must not depend on where
the blocks end, and the units it streams must be those read_po gives, errors included."""

import pytest

import tm.formats.po as po
import tm.formats.po_text as po_text
from conftest import FIXTURES
from tm.errors import TMError
from tm.files import read_units
from tm.formats.po import po_entries, read_po

PO = FIXTURES / "po"
# Plurals, contexts, obsolete entries, previous strings, flags and comments between them.
MIXED = """# translator
#, fuzzy
msgid ""
msgstr ""
"Language: id\\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\\n"

#. extracted
#: a.c:1 b.c:2
#, c-format
#| msgid "Old %d"
msgid "%d file"
msgid_plural "%d files"
msgstr[0] "%d berkas"
msgstr[1] "%d berkas"

msgctxt "menu"
msgid "Open"
msgstr ""
"Buka"
"\\n"

#~ msgid "Gone"
#~ msgstr "Hilang"

msgid "Last"
msgstr "Akhir"
"""


@pytest.mark.parametrize("name", ["glib-2.74.6_zh_CN.po", "bash-5.2_id.po"])
@pytest.mark.parametrize("block", [1, 7, 200, 4096])
def test_entries_do_not_depend_on_where_blocks_end(monkeypatch, tmp_path, name, block):
    path = PO / name
    whole = list(po_entries(path))
    mixed = tmp_path / "mixed.po"
    mixed.write_text(MIXED, encoding="utf-8")
    mixed_whole = list(po_entries(mixed))
    monkeypatch.setattr(po_text, "BLOCK", block)
    assert list(po_entries(path)) == whole
    assert list(po_entries(mixed)) == mixed_whole
    kinds = [(e.msgid_plural is not None, e.msgctxt, e.obsolete, e.previous) for e in mixed_whole]
    assert kinds[1:] == [
        (True, None, False, (("msgid", "Old %d"),)),
        (False, "menu", False, ()),
        (False, None, True, ()),
        (False, None, False, ()),
    ]
    assert mixed_whole[2].msgstr == ("Buka\n",)


def test_a_syntax_error_is_placed_the_same_in_any_block(monkeypatch, tmp_path):
    bad = tmp_path / "bad.po"
    bad.write_text(MIXED + 'msgid "x\nmsgstr "y"\n', encoding="utf-8")
    with pytest.raises(TMError) as whole:
        list(po_entries(bad))
    monkeypatch.setattr(po_text, "BLOCK", 5)
    with pytest.raises(TMError) as small:
        list(po_entries(bad))
    assert str(small.value) == str(whole.value)
    assert "bad.po:28:" in str(whole.value)


def test_a_bad_byte_late_in_the_file_is_reported_before_an_earlier_syntax_error(
    monkeypatch, tmp_path
):
    path = tmp_path / "late.po"
    late = MIXED.replace('msgid "Open"', 'msgid "Open') + 'msgid "\xe9"\nmsgstr "x"\n'
    path.write_bytes(late.encode("utf-8").replace("\xe9".encode(), b"\xff"))
    monkeypatch.setattr(po_text, "BLOCK", 16)
    with pytest.raises(TMError, match=r"late\.po:28:8: bytes that are not utf-8"):
        po_entries(path)


def test_streamed_units_are_read_pos(tmp_path):
    path = tmp_path / "mixed.po"
    path.write_text(MIXED, encoding="utf-8")
    for source in (path, PO / "glib-2.74.6_id.po"):
        doc = read_po(source)
        read = read_units(source)
        assert (read.source_lang, read.target_lang) == (doc.source_lang, doc.target_lang)
        assert not isinstance(read.units, tuple)  # read as asked for
        assert list(read.units) == list(doc.units)


def test_a_header_after_the_first_unit_still_goes_with_it(tmp_path):
    path = tmp_path / "late-header.po"
    path.write_text(
        'msgid "a"\nmsgstr "b"\n\nmsgid "c"\nmsgstr "d"\n\nmsgid ""\nmsgstr "Language: id\\n"\n',
        encoding="utf-8",
    )
    units = list(read_units(path).units)
    assert units == list(read_po(path).units)
    assert [u.variants[0].text for u in units] == ["a", "c"]
    assert "po-header" in dict(units[0].extra)


@pytest.mark.parametrize("collide", [False, True])
def test_duplicates_are_found_when_hashes_collide(monkeypatch, tmp_path, collide):
    """Streamed, a file's messages are remembered by hash: every hash alike, each repeat
    sends the reader back to the file, and only a true duplicate is an error."""
    if collide:
        monkeypatch.setattr(po, "_hash", lambda key: 0)
    clean = tmp_path / "clean.po"
    clean.write_text(MIXED + '\nmsgctxt "other"\nmsgid "Open"\nmsgstr "x"\n', encoding="utf-8")
    assert len(list(read_units(clean).units)) == 5
    dup = tmp_path / "dup.po"
    dup.write_text(MIXED + '\nmsgid "Last"\nmsgstr "x"\n\nmsgid "New"\nmsgstr "y"\n')
    with pytest.raises(TMError, match=r"dup\.po:29: duplicate .*first defined at line 26"):
        list(read_units(dup).units)
    assert str(pytest.raises(TMError, read_po, dup).value) == str(
        pytest.raises(TMError, lambda: list(read_units(dup).units)).value
    )


@pytest.mark.parametrize("reserved", ["\ufdd0", "\ufdef", "\U00100000", "\U0010fffd"])
@pytest.mark.parametrize("charset", ["UTF-8", "utf8", "GB18030"])
def test_a_reserved_character_is_found_wherever_a_block_cuts_it(
    monkeypatch, tmp_path, reserved, charset
):
    # UTF-8 blocks are first searched as bytes: the character may straddle two blocks
    path = tmp_path / "reserved.po"
    text = MIXED.replace(
        "Language: id", f"Language: id\\nContent-Type: text/plain; charset={charset}"
    )
    text = text.replace('msgstr "Akhir"', f'msgstr "Akh{reserved}ir"')
    data = text.encode(charset)
    path.write_bytes(data)
    line = text[: text.index(reserved)].count("\n") + 1
    column = len(text[: text.index(reserved)].rsplit("\n", 1)[-1]) + 1
    for block in (1, 2, 3, 5, 7, len(data) - 3, len(data) - 2, 4096):
        monkeypatch.setattr(po_text, "BLOCK", block)
        with pytest.raises(TMError, match=rf"reserved\.po:{line}:{column}: text holds a reserved"):
            po_entries(path)
    path.write_bytes(text.replace(reserved, "\ufdf0\U000fffff\ufdcf").encode(charset))
    assert [e.msgstr for e in po_entries(path)][-1] == ("Akh\ufdf0\U000fffff\ufdcfir",)
