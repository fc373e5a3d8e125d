"""TMX reading and writing on real memories: the LISA compliance kit, OmegaT, Catalyst,
TICO-19 and Weblate files, cross-checked with the TMX 1.4 DTD and translate-toolkit."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import zipfile
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from lxml import etree

from conftest import FIXTURES
from corpora.langtags import normalize
from tm.errors import TMError
from tm.formats.tmx_read import read_tmx
from tm.formats.tmx_write import write_tmx
from tm.model import PLACEHOLDER_BASE, InlineCode, Unit, Variant

TMX = FIXTURES / "tmx"
KIT = TMX / "tmx-compliance-kit"
DTD = etree.DTD(str(TMX / "tmx14.dtd"))
CATALYST_UI = TMX / "omegat-UI-tm-4.1_catalyst_en-US_zh-CN.tmx"
CATALYST_WEB = TMX / "omegat-website-tm_catalyst_en-US_zh-CN.tmx"
P = [chr(PLACEHOLDER_BASE + i) for i in range(33)]  # the placeholders, for readable asserts

PLAIN_SAMPLES = sorted(TMX.glob("*.tmx")) + sorted(KIT.glob("*.tmx"))


def _units(path: Path) -> list[Unit]:
    return list(read_tmx(path).units())


def _v(unit: Unit, lang: str) -> Variant:
    """The unit's variant in lang, which the test knows is there."""
    variant = unit.variant(lang)
    assert variant is not None, (unit.key, lang)
    return variant


def _texts(units: list[Unit], lang: str) -> list[str]:
    return [_v(u, lang).text for u in units]


@pytest.fixture(scope="module")
def tico(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The two TICO-19 memories, extracted from their zips (3,071 units each)."""
    folder = tmp_path_factory.mktemp("tico19")
    paths = {}
    for pair in ("en-id", "en-zh"):
        with zipfile.ZipFile(TMX / f"tico19_{pair}.tmx.zip") as z:
            paths[pair] = Path(z.extract(f"all.{pair}.tmx", folder))
    return paths


def _write_and_validate(units: list[Unit], path: Path, source_lang: str | None) -> int:
    count = write_tmx(units, path, source_lang=source_lang)
    assert DTD.validate(etree.parse(str(path))), DTD.error_log.filter_from_errors()
    return count


# -- the LISA compliance kit ---------------------------------------------------------------


def _expected_lines(txt: Path) -> list[str]:
    """A kit .txt: one line per tu, UTF-8 (BOM or not) or UTF-16 with BOM."""
    raw = txt.read_bytes()
    utf16 = raw[:2] in (b"\xff\xfe", b"\xfe\xff")
    text = raw.decode("utf-16") if utf16 else raw.decode("utf-8-sig")
    assert text.endswith("\n")
    return text[:-1].split("\n")


def _kit_expectations() -> list[tuple[str, str | None, Path]]:
    """(tmx stem, language or None for the header's srclang, expected .txt)."""
    cases = []
    for txt in sorted(KIT.glob("ImportTest*.txt")):
        stem, _, lang = txt.stem.partition("_")
        cases.append((stem, lang or None, txt))
    return cases


@pytest.mark.parametrize(
    "stem,lang,txt", _kit_expectations(), ids=[c[2].name for c in _kit_expectations()]
)
def test_compliance_kit_extraction_equals_expected_text(stem: str, lang: str | None, txt: Path):
    doc = read_tmx(KIT / f"{stem}.tmx")
    wanted = normalize(lang) if lang else doc.header.srclang
    got = [next(v.plain() for v in u.variants if v.lang == wanted) for u in doc.units()]
    assert got == _expected_lines(txt)


def test_compliance_kit_has_eighteen_expectations():
    assert len(_kit_expectations()) == 18  # 9 files x (srclang + one target language)


def test_kit_encodings_read_the_same_text():
    """1D (UTF-8 BOM), 1E (UTF-8), 1F (UTF-16 LE), 1G (UTF-16 BE), 1H (us-ascii + refs)."""
    texts = {t: _texts(_units(KIT / f"ImportTest1{t}.tmx"), "en-GB") for t in "DEFGH"}
    assert len(set(map(tuple, texts.values()))) == 1
    assert texts["G"][1] == "\u00ff=U+00FF, \u2122=U+2122, \u2019=U+2019"


def test_kit_whitespace_and_odd_attribute_syntax():
    """1A keeps tabs and spaces from character references; 1B has single quotes, odd case
    and newlines inside tags."""
    assert _texts(_units(KIT / "ImportTest1A.tmx"), "fr-CA") == [
        "Premier segment avec [\t\t   ]",
        "Second segment avec [  \t\t]",
    ]
    [unit] = _units(KIT / "ImportTest1B.tmx")
    assert [(v.lang, v.text) for v in unit.variants] == [
        ("en", "Text of the segment"),
        ("fr-CA", "Texte du segment"),
    ]


def test_kit_inline_codes_2a():
    units = _units(KIT / "ImportTest2A.tmx")  # UTF-16
    assert len(units) == 7
    assert [u.key for u in units] == ["1", "2", "3", "4", "5", None, None]
    en = _v(units[0], "en")
    assert en.text == f"The big {P[0]}black{P[1]} {P[2]}cat{P[3]} sleeps."
    assert en.plain() == "The big black cat sleeps."
    assert en.codes[0] == InlineCode("bpt", (("i", "1"), ("x", "1"), ("type", "bold")), "&lt;b&gt;")
    assert en.codes[1] == InlineCode("ept", (("i", "1"),), "&lt;/b&gt;")
    special = _v(units[1], "en")
    assert special.plain() == ('Test for special characters = <=lt, >=gt, &=amp, "=quot.')
    picture = _v(units[5], "fr-CA")
    assert picture.codes == (
        InlineCode(
            "ph", (("x", "1"), ("type", "image"), ("assoc", "p")), '&lt;img src="img.png"/&gt;'
        ),
    )
    highlighted = units[6]
    assert [v.lang for v in highlighted.variants] == ["fr-CA", "en"]  # order as in the file
    assert highlighted.variants[1].codes == (
        InlineCode("hi", (("x", "1"), ("type", "special-part")), "a part highlighted"),
    )


def test_kit_2c_sub_inside_ph_and_all_metadata():
    doc = read_tmx(KIT / "ImportTest2C.tmx")
    header = doc.header
    assert (header.creationtool, header.creationtoolversion, header.segtype) == (
        "myTool",
        "v10",
        "block",
    )
    assert (header.o_tmf, header.datatype, header.adminlang) == ("Text", "html", "en-us")
    assert header.creationdate == "2002-05-23T09:12:00Z"
    assert header.notes == ("Text of header note 1", "Text of header note 2")
    assert header.props == (("myPropeType", "Data"),)
    assert header.extra == (
        ("changedate", "20020523T091200Z"),
        ("changeid", "ys"),
        ("creationid", "ys"),
        ("o-encoding", "iso-8859-1"),
    )
    [unit] = doc.units()
    assert (unit.key, unit.creator, unit.created, unit.changed) == (
        "tu001",
        "ys",
        "2002-05-23T09:12:00Z",
        "2002-05-23T09:12:00Z",
    )
    assert unit.notes == ("Text of tu note 1", "Text of tu note 2")
    extra = dict(unit.extra)
    assert extra["usagecount"] == "100" and extra["srclang"] == "en-us"
    assert extra["tuv/fr/creationid"] == "ys" and extra["tuv/en-GB/usagecount"] == "100"
    assert len(unit.extra) == 10 + 3 * 9
    fr = _v(unit, "fr")
    assert fr.text == f"{P[0]}{P[1]}Cliquez {P[2]} pour {P[3]}.{P[4]}"
    assert fr.codes[2].content == '&lt;IMG SRC="here.png" ALT="<sub>Commencez ici !</sub>"&gt;'
    assert fr.codes[3] == InlineCode("hi", (("type", "verb"), ("x", "4")), "commencer")
    assert fr.props == (("myPropeType", "Data"), ("myPropeType", "Data"))
    assert fr.notes == ("Text of tuv fr note 1", "Text of tuv fr note 1")
    assert fr.created == "2002-05-23T09:12:00Z"


def test_kit_tu_srclang_is_kept():
    doc = read_tmx(KIT / "ImportTest1J_many.tmx")
    assert doc.header.srclang == "es-ES"
    units = list(doc.units())
    assert [u.extra for u in units] == [(("srclang", "en-us"),)] * 2 + [()]
    assert [len(u.variants) for u in units] == [2, 2, 2]


# -- other real memories -------------------------------------------------------------------


def test_catalyst_ui_memory_utf16_single_quotes():
    doc = read_tmx(CATALYST_UI)
    assert doc.header.creationtool == "Catalyst"
    assert doc.header.creationtoolversion == "Alchemy Catalyst 10.0"
    assert doc.header.o_tmf == "Catalyst Format"
    assert (doc.header.srclang, doc.header.version) == ("en", "1.4")
    units = list(doc.units())
    assert len(units) == 1545
    assert [u.key for u in units] == [str(i) for i in range(1, 1546)]
    assert all([v.lang for v in u.variants] == ["en", "zh"] for u in units)
    assert _v(units[6], "zh").text.startswith(
        "用法：java -jar OmegaT.jar [<选项>] [<项目路径>]\\n\\n选项："
    )
    # Catalyst cut 33 English sources at a .properties line continuation ("\" + newline):
    # the Chinese is the whole message, the English only its first line.
    cut = [u.key for u in units if _v(u, "en").text.endswith("\\")]
    assert len(cut) == 33 and cut[:3] == ["7", "8", "36"]
    assert _v(units[6], "en").text == (
        "Usage: java -jar OmegaT.jar [<options>] [<project path>]\\n\\"
    )


def test_catalyst_website_memory_oddities():
    units = _units(CATALYST_WEB)
    assert len(units) == 496
    by_key = {u.key: u for u in units}
    assert _v(by_key["5"], "en").text == " {% for author in site.data.credits.website %} "
    assert [v.text for v in by_key["281"].variants] == ["\xa0", "\xa0"]
    # Russian UTF-8 read as Windows-1252 before it reached the memory (mojibake, with a C1
    # control character), kept as it is.
    assert _v(by_key["78"], "en").text.startswith("Ð’ Ð¿Ð¾Ð¼Ð¾Ñ‰ÑŒ")
    assert "\x81" in _v(by_key["78"], "en").text


def test_omegat_tmx11_lang_and_astral_plane():
    doc = read_tmx(TMX / "omegat-test_test-SMP.tmx")
    assert (doc.header.version, doc.header.segtype) == ("1.1", "paragraph")
    [unit] = doc.units()
    assert [(v.lang, v.text) for v in unit.variants] == [("en", "𝐀𝐁𝐂"), ("be", "𝐃𝐄𝐅")]


def test_omegat_project_save_variant_attributes():
    doc = read_tmx(TMX / "omegat-test_project_CN_JP_project_save.tmx")
    assert doc.header.srclang == "zh"
    [unit] = doc.units()
    zh, ja = unit.variants
    assert (zh.lang, zh.text, zh.created) == ("zh", "太平寺中的文笔塔", None)
    assert (ja.lang, ja.text) == ("ja-JP", "太平寺の中心的なペン塔")
    assert (ja.created, ja.changed) == ("2024-11-07T12:26:21Z", "2024-11-07T12:26:21Z")
    assert unit.extra == (
        ("tuv/ja-JP/changeid", "Hiroshi Miura"),
        ("tuv/ja-JP/creationid", "Hiroshi Miura"),
    )


def test_omegat_inline_codes_level2():
    units = _units(TMX / "omegat-test_test-level2.tmx")
    assert len(units) == 4
    be = _v(units[1], "be")
    assert be.text == f"First {P[0]} tr."
    assert be.codes == (InlineCode("ph", (("x", "1"),), "{\\test internal /&gt;}"),)
    en = _v(units[2], "en")
    assert en.text == f"2 {P[0]} zz {P[1]}xx{P[2]}"
    assert [c.tag for c in en.codes] == ["it", "bpt", "ept"]
    empty = _v(units[3], "en")
    assert empty.codes[0] == InlineCode("bpt", (("i", "5"), ("type", "n")), "")


def test_omegat_invalid_order_of_codes_is_still_read():
    """Named "invalid" because its codes do not pair up; it is well-formed TMX all the same."""
    [unit] = _units(TMX / "omegat-test_invalid.tmx")
    en = _v(unit, "en")
    assert [c.tag for c in en.codes] == ["ept", "it", "bpt", "bpt"]
    assert en.plain().strip() == ""
    assert en.text.count("\n") == 5


def test_omegat_multiple_variants_and_upper_case_codes():
    units = _units(TMX / "omegat-test_test-multiple-tuv14.tmx")
    assert [len(u.variants) for u in units] == [8, 3, 3]
    assert [v.lang for v in units[0].variants] == [
        "en", "es", "es-AR", "es-BO", "fr-CA", "fr-CA", "fr", "de",
    ]  # fmt: skip
    assert [v.text for v in units[0].variants if v.lang == "fr-CA"] == [
        "fr_CA Bonjour le monde\xa0!",
        "fr_CA Bonjour tout le monde\xa0!",
    ]


def test_weblate_memory_header_lacking_attributes():
    doc = read_tmx(TMX / "weblate-test_memory.tmx")
    assert (doc.header.srclang, doc.header.adminlang, doc.header.creationtool) == (
        "de-DE",
        "en",
        None,
    )
    [unit] = doc.units()
    assert [(v.lang, v.text) for v in unit.variants] == [
        ("de-DE", "Wenn die Logfunktion installiert ist"),
        ("en", "If the log function is installed"),
        ("cs-CZ", "Pokud je nainstalované logování"),
    ]


def test_tico19_memories_share_tuids(tico: dict[str, Path]):
    en_id = _units(tico["en-id"])
    en_zh = _units(tico["en-zh"])
    assert len(en_id) == len(en_zh) == 3071
    assert [u.key for u in en_id] == [u.key for u in en_zh]
    assert len({u.key for u in en_id}) == 3071
    same = sum(a.variant("en") == b.variant("en") for a, b in zip(en_id, en_zh, strict=True))
    assert same == 3052
    first = en_id[0]
    assert first.key == "CMU_1:1"
    assert first.props == (
        ("note", "http://www.speech.cs.cmu.edu/haitian/text/1600_medical_domain_sentences.en"),
    )
    assert _texts(en_id[:1], "id") == ["sudah berapa lama gejala-gejala ini berlangsung?"]
    assert _texts(en_zh[:1], "zh") == ["这些症状已持续多长时间？"]


# -- round trips ---------------------------------------------------------------------------


@pytest.mark.parametrize("sample", PLAIN_SAMPLES, ids=lambda p: p.name)
def test_round_trip_real_samples(sample: Path, tmp_path: Path):
    doc = read_tmx(sample)
    units = list(doc.units())
    out = tmp_path / "out.tmx"
    assert _write_and_validate(units, out, doc.header.srclang) == len(units)
    assert _units(out) == units


def test_round_trip_tico19(tico: dict[str, Path], tmp_path: Path):
    for path in tico.values():
        units = _units(path)
        out = tmp_path / path.name
        assert _write_and_validate(units, out, "en") == 3071
        assert _units(out) == units


def test_trilingual_memory_from_tico19(tico: dict[str, Path], tmp_path: Path):
    """en/id/zh units joined by tuid write and read back as one memory."""
    zh_by_key = {u.key: _v(u, "zh") for u in _units(tico["en-zh"])}
    joined = [Unit((*u.variants, zh_by_key[u.key]), key=u.key) for u in _units(tico["en-id"])]
    out = tmp_path / "tico-en-id-zh.tmx"
    assert _write_and_validate(joined, out, "en") == 3071
    back = _units(out)
    assert back == joined
    assert {tuple(v.lang for v in u.variants) for u in back} == {("en", "id", "zh")}


def test_written_header(tmp_path: Path):
    out = tmp_path / "h.tmx"
    write_tmx([Unit((Variant("id", "sumber terbuka"),))], out, source_lang="id", tool_version="9")
    header = etree.parse(str(out)).getroot().find("header")
    assert header is not None
    assert {k: v for k, v in header.attrib.items() if k != "creationdate"} == {
        "creationtool": "Padan",
        "creationtoolversion": "9",
        "segtype": "sentence",
        "o-tmf": "Padan",
        "adminlang": "en-US",
        "srclang": "id-ID",
        "datatype": "plaintext",
    }
    assert re.fullmatch(r"\d{8}T\d{6}Z", header.get("creationdate", ""))
    write_tmx([], out, source_lang=None)
    assert read_tmx(out).header.srclang is None
    assert etree.parse(str(out)).getroot()[0].get("srclang") == "*all*"


@pytest.mark.parametrize(
    "sample",
    [CATALYST_UI, CATALYST_WEB, KIT / "ImportTest2A.tmx", KIT / "ImportTest2C.tmx"],
    ids=lambda p: p.name,
)
def test_translate_toolkit_reads_our_output(sample: Path, tmp_path: Path):
    from translate.storage import tmx

    units = _units(sample)
    out = tmp_path / "out.tmx"
    write_tmx(units, out, source_lang="en")
    theirs = tmx.tmxfile.parsefile(str(out)).units
    assert len(theirs) == len(units)
    # translate-toolkit takes the header's srclang as source, the other variant as target,
    # and renders inline elements as their content.
    assert [u.source for u in theirs] == [_rendered(_variant(u, True)) for u in units]
    assert [u.target for u in theirs] == [_rendered(_variant(u, False)) for u in units]


def _variant(unit: Unit, english: bool) -> Variant:
    return next(v for v in unit.variants if (v.lang == "en") == english)


def test_xmllint_validates_our_output(tmp_path: Path):
    """A second, independent DTD validator (libxml2's command line) on inline codes."""
    xmllint = shutil.which("xmllint")
    assert xmllint, "xmllint (Debian package libxml2-utils) is needed"
    out = tmp_path / "out.tmx"
    write_tmx(
        _units(KIT / "ImportTest2C.tmx") + _units(KIT / "ImportTest2A.tmx"), out, source_lang="en"
    )
    result = subprocess.run(
        [xmllint, "--noout", "--dtdvalid", str(TMX / "tmx14.dtd"), str(out)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr


_PEAK_RSS = """
import resource, sys
from tm.formats.tmx_read import read_tmx
assert sum(1 for _ in read_tmx(sys.argv[1]).units()) == int(sys.argv[2])
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def test_streamed_reading_keeps_memory_flat(tmp_path: Path):
    """Reading ten times more units costs no more memory (each tu is freed once read).

    Measured as the peak resident size of a child process, since lxml's tree lives
    outside Python's allocator; without freeing, 40,000 units take about 30 MiB more.
    """
    peaks = []
    for n in (4_000, 40_000):
        path = tmp_path / f"{n}.tmx"
        units = (
            Unit((Variant("en", f"segment {i} of the memory"), Variant("id", f"segmen {i}")))
            for i in range(n)
        )
        write_tmx(units, path, source_lang="en")
        child = subprocess.run(
            [sys.executable, "-c", _PEAK_RSS, str(path), str(n)],
            capture_output=True,
            text=True,
            check=True,
            env={"PYTHONPATH": str(Path(__file__).resolve().parents[1])},
        )
        peaks.append(int(child.stdout) / 1024)  # KiB -> MiB
    assert peaks[1] - peaks[0] < 8, f"peak resident MiB: {peaks}"


def _rendered(variant: Variant) -> str:
    text = variant.text
    for i, code in enumerate(variant.codes):
        inner = etree.fromstring(f"<x>{code.content}</x>").xpath("string()")
        text = text.replace(P[i], str(inner))
    return text


# -- properties ----------------------------------------------------------------------------

_CONTROLS = [chr(c) for c in range(1, 0x20) if chr(c) not in "\t\n\r"]  # in a seg: as elements
_BAD_FOR_XML = ["\x00", *_CONTROLS, "\ufffe", "\uffff"]
_xml_char = st.one_of(
    st.sampled_from(list("<&>\"']]>\r\n\t \xa0")),
    st.characters(
        max_codepoint=0xFFFFF,  # U+100000.. are placeholders too (corpora.placeholders)
        exclude_categories=("Cs",),
        exclude_characters=_BAD_FOR_XML + P[:32],
    ),
)
_xml_text = st.text(_xml_char, max_size=40)
_seg_text = st.text(st.one_of(_xml_char, st.sampled_from(_CONTROLS)), max_size=40)
_langs = st.sampled_from(["en", "id", "zh", "zh-Hant", "fr-CA"])
_dates = st.one_of(
    st.none(),
    st.datetimes(min_value=datetime(1000, 1, 1), max_value=datetime(2999, 12, 31)).map(
        lambda d: d.strftime("%Y-%m-%dT%H:%M:%SZ")
    ),
)
_pairs = st.lists(st.tuples(_xml_text, _xml_text), max_size=2).map(tuple)
_notes = st.lists(_xml_text, max_size=2).map(tuple)


def _escaped(text: str) -> str:
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
    )


@st.composite
def _variants(draw: st.DrawFn) -> Variant:
    pieces = draw(st.lists(_seg_text, min_size=1, max_size=4))
    codes = []
    for i in range(len(pieces) - 1):
        inner = draw(_xml_text)
        tag, attrs = draw(
            st.sampled_from(
                [
                    ("ph", (("x", str(i + 1)),)),
                    ("bpt", (("i", str(i)), ("type", "bold"))),
                    ("it", (("pos", "end"),)),
                    ("hi", ()),
                ]
            )
        )
        extra_attr = draw(st.one_of(st.just(()), st.tuples(st.tuples(st.just("type"), _xml_text))))
        content = _escaped(inner)
        if tag != "hi" and draw(st.booleans()):  # tmx14.dtd: sub in bpt/ept/it/ph/ut only
            sub = _escaped(draw(_xml_text))
            content += f"<sub>{sub}</sub>" if sub else "<sub/>"  # as lxml writes it
        codes.append(InlineCode(tag, attrs + extra_attr if tag != "bpt" else attrs, content))
    text = "".join(p + (P[i] if i < len(codes) else "") for i, p in enumerate(pieces))
    return Variant(
        lang=draw(_langs),
        text=text,
        codes=tuple(codes),
        props=draw(_pairs),
        notes=draw(_notes),
        created=draw(_dates),
        changed=draw(_dates),
    )


_extra_keys = st.sampled_from(
    ["usagecount", "changeid", "segtype", "x-custom", "odd/key", "tuv/en/changeid"]
    + ["tuv/en/x-weird", "tuv/fr-CA#2/usagecount", "tuv/id/lastusagedate"]
)
_units_strategy = st.builds(
    Unit,
    variants=st.lists(_variants(), min_size=1, max_size=3).map(tuple),
    key=st.one_of(st.none(), _xml_text),
    props=_pairs,
    notes=_notes,
    created=_dates,
    changed=_dates,
    creator=st.one_of(st.none(), _xml_text),
    extra=st.dictionaries(_extra_keys, _xml_text, max_size=4).map(
        lambda d: tuple(sorted(d.items()))
    ),
)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(units=st.lists(_units_strategy, max_size=4))
def test_property_any_text_round_trips(units: list[Unit], tmp_path_factory):
    out = tmp_path_factory.mktemp("prop") / "p.tmx"
    assert _write_and_validate(units, out, "en") == len(units)
    assert _units(out) == units


_bad_char = st.sampled_from(_BAD_FOR_XML + ["\ud800", "\udfff"])


@settings(max_examples=60, deadline=None)
@given(
    before=_xml_text,
    bad=_bad_char,
    after=_xml_text,
    where=st.sampled_from(["text", "note", "prop", "key", "code"]),
)
def test_property_xml_illegal_characters_refused(
    before: str, bad: str, after: str, where: str, tmp_path_factory
):
    assume(where != "text" or bad not in _CONTROLS)  # a segment's are written as elements
    folder = tmp_path_factory.mktemp("bad")
    target = folder / "memory.tmx"
    good = [Unit((Variant("en", "open source"), Variant("id", "sumber terbuka")), key="ok")]
    write_tmx(good, target, source_lang="en")
    original = target.read_bytes()
    s = before + bad + after
    variant = {
        "text": Variant("id", s),
        "note": Variant("id", "x", notes=(s,)),
        "prop": Variant("id", "x", props=(("x-type", s),)),
        "key": Variant("id", "x"),
        "code": Variant("id", P[0], codes=(InlineCode("ph", (), _escaped(s)),)),
    }[where]
    bad_unit = Unit((Variant("en", "x"), variant), key=s if where == "key" else None)
    with pytest.raises(TMError) as err:
        write_tmx([*good, bad_unit], target, source_lang="en")
    assert f"U+{ord(bad):04X}" in str(err.value)
    assert (f"unit {s!r}" if where == "key" else "unit #2") in str(err.value)
    assert target.read_bytes() == original
    assert sorted(p.name for p in folder.iterdir()) == ["memory.tmx"]  # no temporary left


# -- refusals ------------------------------------------------------------------------------


def _tmx(body: str, prolog: str = "") -> str:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n{prolog}<tmx version="1.4">\n'
        '<header creationtool="t" creationtoolversion="1" segtype="sentence" o-tmf="t" '
        'adminlang="en" srclang="en" datatype="plaintext"/>\n'
        f"<body>\n{body}\n</body>\n</tmx>\n"
    )


def test_xxe_refused(tmp_path: Path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET", encoding="utf-8")
    path = tmp_path / "xxe.tmx"
    prolog = f'<!DOCTYPE tmx [\n  <!ENTITY xxe SYSTEM "file://{secret}">\n]>\n'
    path.write_text(
        _tmx('<tu><tuv xml:lang="en"><seg>&xxe;</seg></tuv></tu>', prolog), encoding="utf-8"
    )
    with pytest.raises(TMError) as err:
        read_tmx(path)
    assert (err.value.path, err.value.line) == (str(path), 3)
    assert "entity" in str(err.value) and "TOP SECRET" not in str(err.value)


def test_billion_laughs_refused(tmp_path: Path):
    lol = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)
    ]
    path = tmp_path / "laughs.tmx"
    prolog = "<!DOCTYPE tmx [\n" + "\n".join(lol) + "\n]>\n"
    path.write_text(
        _tmx('<tu><tuv xml:lang="en"><seg>&lol9;</seg></tuv></tu>', prolog), encoding="utf-8"
    )
    with pytest.raises(TMError) as err:
        read_tmx(path)
    assert err.value.line == 3


def test_entity_declared_beyond_the_prolog_check_is_refused(tmp_path: Path):
    """An internal subset padded past the bytes scanned up front is caught once parsed."""
    padding = "<!-- " + "x" * 70_000 + " -->"
    prolog = f'<!DOCTYPE tmx [\n{padding}\n<!ENTITY e "expanded">\n]>\n'
    path = tmp_path / "padded.tmx"
    path.write_text(
        _tmx('<tu><tuv xml:lang="en"><seg>&e;</seg></tuv></tu>', prolog), encoding="utf-8"
    )
    with pytest.raises(TMError, match="entity declarations"):
        read_tmx(path)


def test_utf16_entity_declaration_refused(tmp_path: Path):
    path = tmp_path / "xxe16.tmx"
    prolog = '<!DOCTYPE tmx [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
    text = _tmx('<tu><tuv xml:lang="en"><seg>&x;</seg></tuv></tu>', prolog)
    path.write_bytes(text.replace("UTF-8", "UTF-16").encode("utf-16"))
    with pytest.raises(TMError, match="entity") as err:
        read_tmx(path)
    assert err.value.line == 2


def test_truncated_file_fails_with_its_line(tico: dict[str, Path], tmp_path: Path):
    data = tico["en-id"].read_bytes()
    path = tmp_path / "truncated.tmx"
    path.write_bytes(data[: len(data) // 2])
    doc = read_tmx(path)  # the header is whole
    read = 0
    with pytest.raises(TMError) as err:
        for _ in doc.units():
            read += 1
    assert read == 1565  # of 1566 whole: the last waits for plural forms that may follow
    assert (err.value.path, err.value.line, err.value.column) == (str(path), 9400, 84)
    assert err.value.message == "malformed XML: Premature end of data in tag prop line 9400"


def test_malformed_xml_names_line_and_column(tmp_path: Path):
    path = tmp_path / "bad.tmx"
    path.write_text(_tmx('<tu><tuv xml:lang="en"><seg>a</sg></tuv></tu>'), encoding="utf-8")
    with pytest.raises(TMError) as err:
        list(read_tmx(path).units())
    assert (err.value.line, err.value.column) == (5, 35)  # lxml: after </sg>


def test_missing_empty_and_foreign_files(tmp_path: Path):
    with pytest.raises(TMError, match="file not found"):
        read_tmx(tmp_path / "nope.tmx")
    (tmp_path / "empty.tmx").write_bytes(b"")
    with pytest.raises(TMError, match="empty"):
        read_tmx(tmp_path / "empty.tmx")
    (tmp_path / "x.tmx").write_text("<xliff version='1.2'/>", encoding="utf-8")
    with pytest.raises(TMError, match="root element is <xliff>"):
        read_tmx(tmp_path / "x.tmx")


def test_variant_without_language(tmp_path: Path):
    path = tmp_path / "nolang.tmx"
    path.write_text(
        _tmx('<tu>\n<tuv xml:lang="en"><seg>a</seg></tuv>\n<tuv><seg>b</seg></tuv></tu>'),
        encoding="utf-8",
    )
    with pytest.raises(TMError, match="without a language") as err:
        list(read_tmx(path).units())
    assert err.value.line == 7


def test_reserved_characters_and_too_many_codes_refused(tmp_path: Path):
    path = tmp_path / "reserved.tmx"
    path.write_text(
        _tmx('<tu><tuv xml:lang="en">\n<seg>a\ufdd5b</seg></tuv></tu>'), encoding="utf-8"
    )
    with pytest.raises(TMError, match="U\\+FDD5") as err:
        list(read_tmx(path).units())
    assert err.value.line == 6
    many = "".join(f'<ph x="{i}"/>' for i in range(40))  # SDL and web pages hold more
    path.write_text(_tmx(f'<tu><tuv xml:lang="en"><seg>{many}</seg></tuv></tu>'), encoding="utf-8")
    [unit] = read_tmx(path).units()
    variant = unit.variants[0]
    assert len(variant.codes) == 40 and variant.text[32] == "\U00100000"
    assert [c.attrs for c in variant.codes] == [(("x", str(i)),) for i in range(40)]
    out = tmp_path / "out.tmx"
    write_tmx([unit], out, source_lang="en")
    assert list(read_tmx(out).units()) == [unit]


def test_unparseable_dates_are_kept_verbatim(tmp_path: Path):
    path = tmp_path / "dates.tmx"
    path.write_text(
        _tmx(
            '<tu creationdate="2020-01-01" changedate="20200101T000000Z">'
            '<tuv xml:lang="en" creationdate="yesterday"><seg>a</seg></tuv></tu>'
        ),
        encoding="utf-8",
    )
    [unit] = read_tmx(path).units()
    assert (unit.created, unit.changed) == (None, "2020-01-01T00:00:00Z")
    assert unit.extra == (("creationdate", "2020-01-01"), ("tuv/en/creationdate", "yesterday"))
    out = tmp_path / "again.tmx"
    _write_and_validate([unit], out, "en")
    assert _units(out) == [unit]


def test_writer_refuses_broken_placeholder_contract(tmp_path: Path):
    target = tmp_path / "w.tmx"
    cases = {
        "a placeholder but no inline code": Variant("en", f"a{P[0]}"),
        "placeholders none for 1 inline codes": Variant("en", "a", codes=(InlineCode("ph"),)),
        "placeholders U+FDD1 for 1": Variant("en", f"a{P[1]}", codes=(InlineCode("ph"),)),
        "needs the attribute i": Variant("en", P[0], codes=(InlineCode("bpt"),)),
        "is not XML": Variant("en", P[0], codes=(InlineCode("ph", (), "<b>"),)),
        "<b> is not allowed in <ph>": Variant("en", P[0], codes=(InlineCode("ph", (), "<b/>"),)),
        "<sub> is not allowed in <seg>": Variant("en", P[0], codes=(InlineCode("sub"),)),
        "<sub> is not allowed in <hi>": Variant(
            "en", P[0], codes=(InlineCode("hi", (), "<sub>x</sub>"),)
        ),
        "not ISO 8601": Variant("en", "a", created="yesterday"),
        "no variant": None,
    }
    for message, variant in cases.items():
        unit = Unit((variant,) if variant else (), key="k1")
        with pytest.raises(TMError, match=re.escape(message)) as err:
            write_tmx([unit], target, source_lang="en")
        assert "unit 'k1'" in str(err.value)
        assert not target.exists()


# -- through a workspace: alternatives, duplicate languages, codes -------------------------


def test_every_translation_of_one_source_survives_import_and_export(tmp_path: Path):
    """Olifant's sample: 9 units, 3 sources, 7 translations of one of them."""
    from padan.workspace import Workspace

    sample = FIXTURES / "tmx" / "olifant-tmxtest-attributes.tmx"
    units = list(read_tmx(sample).units())
    assert len(units) == 9 and len({u.variants[0].text for u in units}) == 3
    ws = Workspace(str(tmp_path / "ws.db"))
    try:
        result = ws.documents.import_units("olifant", "en", units)
        assert (result.added, result.updated) == (9, 0)
        again = ws.documents.import_units("olifant", "en", units)  # no duplicates either
        assert (again.added, again.updated, again.unchanged) == (0, 0, 9)
        stored = [u for _, u in ws.documents.units("olifant")]
    finally:
        ws.close()
    out = tmp_path / "out.tmx"
    assert write_tmx(stored, out, source_lang="en") == 9
    assert DTD.validate(etree.parse(str(out))), DTD.error_log.filter_from_errors()
    back = list(read_tmx(out).units())
    assert [[v.text for v in u.variants] for u in back] == [
        [v.text for v in u.variants] for u in units
    ]
    assert [u.props for u in back] == [u.props for u in units]  # Txt::FileName, GroupName
    assert [[v.codes for v in u.variants] for u in back] == [
        [v.codes for v in u.variants] for u in units
    ]


def test_two_variants_of_one_language_in_a_tu_are_kept(tmp_path: Path):
    from padan.workspace import Workspace

    units = list(read_tmx(FIXTURES / "tmx" / "omegat-test_test-multiple-tuv14.tmx").units())
    ws = Workspace(str(tmp_path / "ws.db"))
    try:
        ws.documents.import_units("multi", "en", units)
        stored = [u for _, u in ws.documents.units("multi")]
    finally:
        ws.close()
    assert [[(v.lang, v.text) for v in u.variants] for u in stored] == [
        [(v.lang, v.text) for v in u.variants] for u in units
    ]
    fr_ca = [v.text for v in stored[0].variants if v.lang == "fr-CA"]
    assert fr_ca == ["fr_CA Bonjour le monde\xa0!", "fr_CA Bonjour tout le monde\xa0!"]


def test_context_prop_is_the_units_context_and_a_stray_plural_form_stays_a_unit(tmp_path: Path):
    """translate-toolkit's x-context is a PO context; a unit marked as a further plural
    form folds into the entry before it only when it continues that entry."""
    tu = '<tu>{}<tuv xml:lang="en"><seg>{}</seg></tuv><tuv xml:lang="id"><seg>{}</seg></tuv></tu>'
    form = '<prop type="x-plural-form">1</prop>'
    path = tmp_path / "p.tmx"
    body = [
        tu.format(form, "%d files", "%d berkas"),  # first in the file: nothing to fold into
        tu.format('<prop type="x-context">verb</prop>', "Open", "Buka"),
        tu.format('<prop type="x-context">menu</prop>' + form, "Opens", "Membuka"),
        tu.format("", "%d file", "%d berkas"),
        tu.format(form, "%d files", "%d berkas"),
    ]
    path.write_text(_tmx("\n".join(body)), encoding="utf-8")
    units = list(read_tmx(path).units())
    assert [(u.context, u.variants[0].text, u.props) for u in units] == [
        (None, "%d files", (("x-plural-form", "1"),)),
        ("verb", "Open", ()),
        ("menu", "Opens", (("x-plural-form", "1"),)),  # another context: not a form of it
        (None, "%d file", ()),
    ]
    assert units[-1].variants[0].plurals == ("%d files",)
    assert units[-1].variants[1].plurals == ("%d berkas",)  # no x-plural-form 0: a form
