import subprocess
import zipfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from conftest import FIXTURES
from corpora.textfile import read_text
from tm.errors import TMError
from tm.formats.tmx import read_tmx, write_tmx
from tm.model import InlineCode, Unit, Variant

TMX = FIXTURES / "tmx"
KIT = TMX / "tmx-compliance-kit"
DTD = etree.DTD(str(TMX / "tmx14.dtd"))


def _units(path):
    return list(read_tmx(path).units())


@pytest.mark.parametrize(
    ("test", "lang", "target"),
    [
        ("1A", "fr-CA", "fr-CA"),
        ("1B", "fr-CA", "fr-CA"),
        ("1C", "fr-CA", "fr-CA"),
        ("1D", "en-GB", "en-GB"),
        ("1E", "en-GB", "en-GB"),
        ("1F", "en-GB", "en-GB"),
        ("1G", "en-GB", "en-GB"),
        ("1H", "en-GB", "en-GB"),
        ("1I", "ja-JP", "ja-JP"),
    ],
)
def test_lisa_compliance_kit_text_extraction(test, lang, target):
    units = _units(KIT / f"ImportTest{test}.tmx")
    # the expectations are UTF-8 with a BOM, or UTF-16 for Japanese
    expected_source = read_text(KIT / f"ImportTest{test}.txt").splitlines()
    expected_target = read_text(KIT / f"ImportTest{test}_{lang.lower()}.txt").splitlines()
    assert [u.variant("en").plain() for u in units] == expected_source
    assert [u.variant(target).plain() for u in units if u.variant(target)] == expected_target


def test_inline_codes_are_kept_round_trippable(tmp_path):
    [unit, *_] = _units(KIT / "ImportTest2A.tmx")
    source = unit.variant("en")
    assert source.codes and all(isinstance(c, InlineCode) for c in source.codes)
    out = tmp_path / "out.tmx"
    write_tmx(_units(KIT / "ImportTest2A.tmx"), out, source_lang="en")
    assert _units(out) == _units(KIT / "ImportTest2A.tmx")


@pytest.mark.parametrize(
    ("name", "count", "srclang"),
    [
        ("omegat-UI-tm-4.1_catalyst_en-US_zh-CN.tmx", 1545, "en"),  # UTF-16, single quotes
        ("omegat-test_test-SMP.tmx", 1, "en"),  # astral plane
        ("omegat-test_project_CN_JP_project_save.tmx", 1, "zh"),  # TMX 1.1 lang=
        ("weblate-test_memory.tmx", 1, "de-DE"),
    ],
)
def test_real_memories_read_round_trip_and_validate(tmp_path, name, count, srclang):
    memory = read_tmx(TMX / name)
    units = list(memory.units())
    assert (len(units), memory.header.srclang) == (count, srclang)
    out = tmp_path / "out.tmx"
    assert write_tmx(units, out, source_lang=memory.header.srclang) == count
    assert DTD.validate(etree.parse(str(out))), DTD.error_log
    assert _units(out) == units


def test_catalyst_chinese_text():
    units = _units(TMX / "omegat-UI-tm-4.1_catalyst_en-US_zh-CN.tmx")
    assert {v.lang for u in units for v in u.variants} == {"en", "zh"}
    assert any(
        "\U00010000" <= ch
        for u in _units(TMX / "omegat-test_test-SMP.tmx")
        for v in u.variants
        for ch in v.text
    )


def test_tico19_memories_share_their_tuids(tmp_path):
    def read_zip(name):
        with zipfile.ZipFile(TMX / name) as z:
            [member] = [n for n in z.namelist() if n.endswith(".tmx")]
            path = tmp_path / member.rsplit("/", 1)[-1]
            path.write_bytes(z.read(member))
        return {u.key: u for u in read_tmx(path).units()}

    en_id, en_zh = read_zip("tico19_en-id.tmx.zip"), read_zip("tico19_en-zh.tmx.zip")
    assert len(en_id) == len(en_zh) == 3071
    assert set(en_id) == set(en_zh)
    same = sum(en_id[k].variant("en").text == en_zh[k].variant("en").text for k in en_id)
    assert same == 3052


def test_header_has_every_required_attribute(tmp_path):
    out = tmp_path / "out.tmx"
    write_tmx(
        [
            Unit(
                (Variant("zh", "开源"), Variant("id", "sumber terbuka")),
                key="t1",
                props=(("x-origin", "imported"),),
            )
        ],
        out,
        source_lang="zh",
    )
    header = etree.parse(str(out)).find("header")
    assert set(header.attrib) >= {
        "creationtool",
        "creationtoolversion",
        "segtype",
        "o-tmf",
        "adminlang",
        "srclang",
        "datatype",
    }
    assert header.get("srclang") == "zh-CN" and header.get("o-tmf") == "Padan"
    assert DTD.validate(etree.parse(str(out)))


def test_translate_toolkit_reads_our_output(tmp_path):
    from translate.storage import tmx as tt_tmx

    out = tmp_path / "out.tmx"
    units = _units(TMX / "omegat-UI-tm-4.1_catalyst_en-US_zh-CN.tmx")
    write_tmx(units, out, source_lang="en")
    store = tt_tmx.tmxfile.parsefile(str(out))
    assert len(store.units) == len(units)
    assert str(store.units[5].source) == units[5].variant("en").plain()


def test_xmllint_validates_our_output(tmp_path):
    out = tmp_path / "out.tmx"
    write_tmx(_units(KIT / "ImportTest2A.tmx"), out, source_lang="en")
    result = subprocess.run(
        ["xmllint", "--noout", "--dtdvalid", str(TMX / "tmx14.dtd"), str(out)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('<!DOCTYPE tmx [<!ENTITY x SYSTEM "file:///etc/passwd">]><tmx/>', "entity declarations"),
        (
            '<tmx version="1.4"><header srclang="en"/><body><tu><tuv><seg>x</seg></tuv></tu>'
            "</body></tmx>",
            "without xml:lang",
        ),
        (
            '<tmx version="1.4"><header srclang="en"/><body><tu><tuv xml:lang="en"><seg>x',
            "malformed XML",
        ),
    ],
)
def test_bad_memories(tmp_path, content, message):
    path = tmp_path / "bad.tmx"
    path.write_text('<?xml version="1.0"?>\n' + content, encoding="utf-8")
    with pytest.raises(TMError, match=message) as info:
        list(read_tmx(path).units())
    assert info.value.path == str(path) and info.value.line is not None


def test_illegal_character_leaves_the_target_untouched(tmp_path):
    out = tmp_path / "out.tmx"
    out.write_text("previous")
    with pytest.raises(TMError, match="U\\+0001"):
        write_tmx(
            [Unit((Variant("en", "ok"),)), Unit((Variant("en", "bad\x01"),))], out, source_lang="en"
        )
    assert out.read_text() == "previous"


_TEXT = st.text(
    st.characters(
        blacklist_categories=("Cs", "Cc"),
        blacklist_characters="\ufffe\uffff" + "".join(chr(c) for c in range(0xFDD0, 0xFDF0)),
    )
)


@settings(max_examples=60, deadline=None)
@given(texts=st.lists(st.tuples(_TEXT, _TEXT), min_size=1, max_size=5))
def test_any_unicode_round_trips(tmp_path_factory, texts):
    path = tmp_path_factory.mktemp("tmx") / "h.tmx"
    units = [
        Unit((Variant("en", a), Variant("id", b)), key=str(i)) for i, (a, b) in enumerate(texts)
    ]
    write_tmx(units, path, source_lang="en")
    assert _units(path) == units


def test_streamed_reading_keeps_memory_flat(tmp_path):
    path = tmp_path / "big.tmx"
    units = (
        Unit((Variant("en", f"segment {i}"), Variant("id", f"segmen {i}"))) for i in range(20000)
    )
    assert write_tmx(units, path, source_lang="en") == 20000
    import tracemalloc

    tracemalloc.start()
    count = sum(1 for _ in read_tmx(path).units())
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert count == 20000
    assert peak < 5 * 2**20, f"peak {peak} bytes while streaming {path.stat().st_size} bytes"
