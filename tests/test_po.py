import dataclasses
import json
import subprocess
from pathlib import Path

import polib
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import FIXTURES
from corpora.plurals import nplurals, plural_rule
from corpora.poheader import utf8_content_type
from tm.errors import TMError
from tm.formats.po import read_mo, read_po, write_mo, write_po, write_revision_po
from tm.formats.po_export import breaks_differ
from tm.model import PLACEHOLDER_BASE, InlineCode, Unit, Variant

PO = FIXTURES / "po"


def _msgfmt(path):
    return subprocess.run(
        ["msgfmt", "-c", "-o", "/dev/null", str(path)], capture_output=True, text=True
    )


@pytest.mark.parametrize(
    ("name", "target", "units", "contexts", "plurals", "obsolete", "fuzzy"),
    [
        ("glib-2.74.6_zh_CN.po", "zh", 1321, 74, 11, 110, 0),
        ("glib-2.74.6_id.po", "id", 1252, 72, 11, 41, 0),
        ("bash-5.2_id.po", "id", 692, 0, 1, 95, 41),  # counted with grep: 597 + 95 #~
    ],
)
def test_real_catalogues(name, target, units, contexts, plurals, obsolete, fuzzy):
    doc = read_po(PO / name)
    assert (doc.source_lang, doc.target_lang) == ("en", target)
    assert len(doc.units) == units
    assert sum(u.context is not None for u in doc.units) == contexts
    assert sum(bool(u.variants[0].plurals) for u in doc.units) == plurals
    assert sum(u.obsolete for u in doc.units) == obsolete
    assert sum("fuzzy" in u.flags for u in doc.units) == fuzzy


def _utf8_header(unit: Unit) -> Unit:
    extra = dict(unit.extra)
    if "po-header" not in extra:
        return unit
    header = json.loads(extra["po-header"])
    header["msgstr"] = utf8_content_type(header["msgstr"])
    extra["po-header"] = json.dumps(header, ensure_ascii=False)
    return dataclasses.replace(unit, extra=tuple(extra.items()))


@pytest.mark.parametrize("name", ["glib-2.74.6_zh_CN.po", "glib-2.74.6_id.po", "bash-5.2_id.po"])
def test_round_trip_loses_nothing_and_passes_msgfmt(tmp_path, name):
    doc = read_po(PO / name)
    out = tmp_path / "out.po"
    write_po(
        doc.units,
        out,
        source_lang="en",
        target_lang=doc.target_lang,
        header=doc.header,
        plural_forms=doc.plural_forms,
    )
    assert _msgfmt(out).returncode == 0, _msgfmt(out).stderr
    # every PO is written in UTF-8: the header says so, and nothing else changes
    assert [_utf8_header(u) for u in read_po(out).units] == [_utf8_header(u) for u in doc.units]
    assert (
        polib.pofile(str(out)).metadata["Language"]
        == polib.pofile(str(PO / name)).metadata["Language"]
    )


@pytest.mark.parametrize(
    ("po", "mo"),
    [
        ("glib-2.74.6_zh_CN.po", "/usr/share/locale/zh_CN/LC_MESSAGES/glib20.mo"),
        ("glib-2.74.6_id.po", "/usr/share/locale/id/LC_MESSAGES/glib20.mo"),
        ("bash-5.2_id.po", "/usr/share/locale/id/LC_MESSAGES/bash.mo"),
    ],
)
def test_installed_mo_equals_the_po(po, mo):
    assert Path(mo).is_file(), f"{mo} is part of this machine's gettext catalogues"

    def pairs(doc):
        return {
            (u.context, u.variants[0].text, u.variants[0].plurals): (
                u.variants[1].text,
                u.variants[1].plurals,
            )
            for u in doc.units
            if u.variants[0].text
            and u.variants[1].text
            and not u.obsolete
            and "fuzzy" not in u.flags
        }

    from_mo, from_po = pairs(read_mo(mo)), pairs(read_po(PO / po))
    # C escapes such as bash's "\atimed out waiting for input" are read as msgfmt reads them
    assert from_mo == from_po


def test_language_overrides(tmp_path):
    doc = read_po(PO / "glib-2.74.6_id.po", source_lang="en-US", target_lang="id-ID")
    assert (doc.source_lang, doc.target_lang) == ("en", "id")


def test_revised_document_as_po(tmp_path):
    out = tmp_path / "rev.po"
    write_revision_po(
        [("003:0", "开源模子", "开源模型"), ("003:1", "开源模子", "开源模子")], out, lang="zh"
    )
    assert _msgfmt(out).returncode == 0
    entries = polib.pofile(str(out))
    assert [(e.msgctxt, e.msgid, e.msgstr) for e in entries] == [
        ("003:0", "开源模子", "开源模型"),
        ("003:1", "开源模子", "开源模子"),
    ]
    assert entries.metadata["Language"] == "zh_CN"


def test_broken_po_and_lying_charset(tmp_path):
    broken = tmp_path / "broken.po"
    broken.write_text('msgid "a"\nmsgstr "b"\nfoo bar\n', encoding="utf-8")
    with pytest.raises(TMError, match="not a valid PO") as info:
        read_po(broken)
    assert info.value.line == 3
    lying = tmp_path / "lying.po"
    lying.write_bytes(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "open"\nmsgstr "开源"\n'.encode("gbk")
    )
    with pytest.raises(TMError, match="charset"):
        read_po(lying)
    with pytest.raises(TMError, match="not found"):
        read_po(tmp_path / "missing.po")


def test_mismatched_plural_count(tmp_path):
    path = tmp_path / "plural.po"
    path.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
        '"Plural-Forms: nplurals=1; plural=0;\\n"\n\n'
        'msgid "file"\nmsgid_plural "files"\nmsgstr[0] "berkas"\nmsgstr[1] "berkas"\n',
        encoding="utf-8",
    )
    with pytest.raises(TMError, match="2 plural forms where the header says nplurals=1"):
        read_po(path)


def test_nul_is_refused_and_the_file_untouched(tmp_path):
    out = tmp_path / "out.po"
    out.write_text("old")
    with pytest.raises(TMError, match="NUL"):
        write_po(
            [Unit((Variant("en", "a\x00b"), Variant("id", "x")))],
            out,
            source_lang="en",
            target_lang="id",
        )
    assert out.read_text() == "old"


_TEXT_CHARS = st.characters(
    max_codepoint=0xFFFFF,  # U+100000.. are inline-code placeholders too
    blacklist_categories=("Cs",),
    blacklist_characters="\x00\x04\ufdd0\ufdd1\ufdd2",  # NUL and EOT: refused (msgfmt too)
)
_TEXT = st.text(_TEXT_CHARS, min_size=1)


@settings(max_examples=50, deadline=None)
@given(msgid=_TEXT, msgstr=_TEXT, ctx=st.none() | _TEXT, comment=st.text(_TEXT_CHARS, max_size=20))
def test_any_unicode_round_trips(tmp_path_factory, msgid, msgstr, ctx, comment):
    path = tmp_path_factory.mktemp("po") / "h.po"
    comments = tuple(comment.split("\n")) if comment else ()
    unit = Unit((Variant("en", msgid), Variant("id", msgstr)), context=ctx, comments=comments)
    write_po([unit], path, source_lang="en", target_lang="id")
    [back] = read_po(path).units
    assert back.variants == unit.variants and back.context == ctx


@st.composite
def _catalogue(draw):
    """Units of one target language: contexts or none, plural units with as many target
    forms as gettext's rule for that language has, each (context, msgid) once."""
    lang = draw(st.sampled_from(["zh", "id", "fr", "ru"]))
    forms = nplurals(plural_rule(lang)) or 2
    units, seen = [], set()
    for _ in range(draw(st.integers(1, 5))):
        ctx, msgid = draw(st.none() | _TEXT), draw(_TEXT)
        if (ctx, msgid) in seen:
            continue
        seen.add((ctx, msgid))
        if draw(st.booleans()):
            source = Variant("en", msgid, plurals=(draw(_TEXT),))
            more = tuple(draw(_TEXT) for _ in range(forms - 1))
            target = Variant(lang, draw(_TEXT), plurals=more)
        else:
            source, target = Variant("en", msgid), Variant(lang, draw(_TEXT))
        units.append(Unit((source, target), context=ctx))
    return lang, units


@settings(max_examples=40, deadline=None)
@given(catalogue=_catalogue())
def test_plurals_and_contexts_round_trip_through_po_and_mo(tmp_path_factory, catalogue):
    lang, units = catalogue
    folder = tmp_path_factory.mktemp("pomo")
    po, mo = folder / "c.po", folder / "c.mo"
    write_po(units, po, source_lang="en", target_lang=lang)
    write_mo(units, mo, source_lang="en", target_lang=lang)

    def entries(found):
        return sorted(
            ((u.context or "", u.variants) for u in found.units if u.variants[0].text),
            key=repr,
        )

    want = sorted(((u.context or "", u.variants) for u in units), key=repr)
    assert entries(read_po(po)) == want
    # a translation whose line breaks at its ends are not its msgid's goes out fuzzy, as
    # msgfmt -c refuses it otherwise: the MO leaves it out, as msgfmt would
    to_review = {
        (ctx, v[0].text)
        for ctx, v in want
        if breaks_differ(v[0].text, (v[1].text, *v[1].plurals, *v[0].plurals))
    }
    fuzzy = {(u.context or "", u.variants[0].text) for u in read_po(po).units if "fuzzy" in u.flags}
    assert fuzzy == to_review
    assert entries(read_mo(mo)) == [(c, v) for c, v in want if (c, v[0].text) not in to_review]


def test_inline_codes_are_written_as_their_own_text(tmp_path):
    """PO has no inline markup: a unit from TMX is written with each code's content where
    its placeholder stood."""
    b, e = chr(PLACEHOLDER_BASE), chr(PLACEHOLDER_BASE + 1)
    codes = (InlineCode("bpt", content="<b>"), InlineCode("ept", content="</b>"))
    unit = Unit(
        variants=(
            Variant("en", f"Click {b}here{e}", codes=codes),
            Variant("id", f"Klik {b}di sini{e}", codes=codes),
        )
    )
    path = tmp_path / "codes.po"
    write_po([unit], path, source_lang="en", target_lang="id")
    [entry] = polib.pofile(str(path))
    assert (entry.msgid, entry.msgstr) == ("Click <b>here</b>", "Klik <b>di sini</b>")


def test_a_catalogue_of_a_language_into_itself_keeps_source_and_translation(tmp_path):
    """Django ships an en.po: its msgstrs are English too, and mostly empty. The source
    must not come out as its own translation."""
    po = tmp_path / "en.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Language: en\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "Colour"\nmsgstr "Color"\n\nmsgid "Untouched"\nmsgstr ""\n',
        encoding="utf-8",
    )
    units = [("en.po", u) for u in read_po(po).units]
    out = tmp_path / "out.po"
    write_po(units, str(out), source_lang="en", target_lang="en")
    _msgfmt(out)
    assert [(e.msgid, e.msgstr) for e in polib.pofile(str(out))] == [
        ("Colour", "Color"),
        ("Untouched", ""),
    ]


def test_a_catalogue_without_a_language_header_takes_it_from_gettexts_layout(tmp_path):
    """Older GNU catalogues (binutils' id.mo) say their language only by where they lie."""
    text = (
        'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\nmsgid "a"\nmsgstr "b"\n'
    )
    folder = tmp_path / "id" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    for path, lang in [
        (folder / "tool.po", "id"),
        (tmp_path / "zh_CN.po", "zh"),  # Padan's normal form
        (tmp_path / "tool.po", None),
    ]:
        path.write_text(text, encoding="utf-8")
        assert read_po(path).target_lang == lang, path
    mo = folder / "tool.mo"
    subprocess.run(["msgfmt", "-o", str(mo), str(folder / "tool.po")], check=True)
    assert read_mo(mo).target_lang == "id"
    out = tmp_path / "out.po"  # and the export says it, for the next tool
    write_po([("tool", u) for u in read_mo(mo).units], str(out), source_lang="en", target_lang="id")
    _msgfmt(out)
    assert polib.pofile(str(out)).metadata["Language"] == "id"


def test_gettexts_context_separator_inside_a_string_is_refused_as_msgfmt_refuses_it(tmp_path):
    po = tmp_path / "eot.po"
    po.write_bytes(b'msgid ""\nmsgstr "Language: id\\n"\n\nmsgid "a\x04b"\nmsgstr "c"\n')
    with pytest.raises(TMError) as caught:
        read_po(po)
    assert caught.value.line == 4 and "context separator" in caught.value.message
    assert subprocess.run(["msgfmt", "-o", "/dev/null", str(po)]).returncode != 0


@pytest.mark.parametrize(
    ("name", "text", "line", "hint"),
    [
        (
            "tool.po",
            'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
            'msgid "a"\nmsgstr ""\n\nmsgid "Save"\nmsgstr "Simpan"\n',
            7,
            '"Language: LANG"',
        ),
        (
            "tool.xlf",
            '<?xml version="1.0"?>\n<xliff version="1.2" '
            'xmlns="urn:oasis:names:tc:xliff:document:1.2">\n<file original="a" '
            'source-language="en" datatype="plaintext"><body>\n<trans-unit id="1">'
            "<source>Save</source><target>Simpan</target></trans-unit>\n</body></file></xliff>\n",
            4,
            'target-language="LANG"',
        ),
    ],
)
def test_translations_in_no_declared_language_are_refused_until_given(
    tmp_path, name, text, line, hint
):
    """Stored as undetermined ("und"), they paired with nothing, and the same file imported
    again with --to left them behind."""
    from tm.files import read_units

    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(TMError) as caught:
        list(read_units(str(path)).units)  # refused as read: an import stores nothing of it
    message = str(caught.value)
    assert f"{name}:{line}:" in message and "unknown language" in message
    assert "--to LANG" in message and hint in message
    given = read_units(str(path), target_lang="id")
    assert given.target_lang == "id"
    assert {v.lang for u in given.units for v in u.variants if v.text} == {"en", "id"}


def test_a_template_without_a_language_is_read_as_source_only(tmp_path):
    from tm.files import read_units

    path = tmp_path / "tool.pot"
    path.write_text(
        'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "Save"\nmsgstr ""\n',
        encoding="utf-8",
    )
    assert [u.variants[0].text for u in read_units(str(path)).units] == ["Save"]


def test_units_of_two_catalogues_in_one_stream_get_a_neutral_header(tmp_path):
    """Plain units (a TMX that carried two catalogues' headers): the second header read
    means no single catalogue's header is the file's."""
    units = [*read_po(PO / "bash-5.2_id.po").units, *read_po(PO / "glib-2.74.6_id.po").units]
    out = tmp_path / "out.po"
    write_po(units, out, source_lang="en", target_lang="id", note=lambda _: None)
    assert _msgfmt(out).returncode == 0, _msgfmt(out).stderr
    header = polib.pofile(str(out)).metadata
    assert header["Project-Id-Version"] == "Padan export"
    assert header["Plural-Forms"] == plural_rule("id")
    one = tmp_path / "one.po"
    write_po(units[:692], one, source_lang="en", target_lang="id")
    assert polib.pofile(str(one)).metadata["Project-Id-Version"] == "bash 5.1"
