"""XLIFF 1.2, SDLXLIFF and XLIFF 2.0: reading real files of several tools, and the
round trip through a workspace into the same format and into TMX, validated against
the OASIS schemas and the TMX DTD, and read back by translate-toolkit."""

from pathlib import Path

import pytest
from lxml import etree

from conftest import FIXTURES
from padan.workspace import Workspace
from tm.errors import TMError
from tm.files import format_of, read_units
from tm.formats.tmx_read import read_tmx
from tm.formats.tmx_write import write_tmx
from tm.formats.xliff import read_xliff, write_xliff
from tm.model import InlineCode, Unit, Variant, placeholder

XLIFF = FIXTURES / "xliff"
SAMPLE = XLIFF / "sample.xlf"
IWS = XLIFF / "okapi-iws-test1_es.xlf"
SDL = XLIFF / "okapi-test.txt_en-US_fr-FR.sdlxliff"
SDL16 = XLIFF / "okapi-test.txt_en-US_fr-FR.utf16.sdlxliff"
ANGULAR = XLIFF / "angular-algorea-messages.fr.xlf"
XLIFF2 = XLIFF / "okapi-xliff2-everything-core.xlf"
REAL = sorted(p for p in XLIFF.iterdir() if p.suffix in (".xlf", ".sdlxliff"))
P = [placeholder(i) for i in range(8)]


def _schema(name: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(XLIFF / "schemas" / name)))


STRICT = _schema("xliff-core-1.2-strict.xsd")
TRANSITIONAL = _schema("xliff-core-1.2-transitional.xsd")
CORE20 = _schema("xliff_core_2.0.xsd")
DTD = etree.DTD(str(FIXTURES / "tmx" / "tmx14.dtd"))


def _valid(schema: etree.XMLSchema | etree.DTD, path: Path) -> None:
    assert schema.validate(etree.parse(str(path))), schema.error_log


def _units(path: Path) -> list[Unit]:
    return list(read_units(path).units)


def _shape(units: list[Unit], tags: bool = True) -> list[list[tuple[str, str, object]]]:
    """What must survive a round trip: languages, exact texts, the codes in order."""
    return [
        [
            (v.lang, v.text, tuple(c.tag for c in v.codes) if tags else len(v.codes))
            for v in u.variants
        ]
        for u in units
    ]


def _through_workspace(units: list[Unit], source_lang: str, tmp_path: Path) -> list[Unit]:
    ws = Workspace(str(tmp_path / "ws.db"))
    try:
        ws.documents.import_units("doc", source_lang, units)
        return [u for _, u in ws.documents.units("doc")]
    finally:
        ws.close()


# -- reading -------------------------------------------------------------------------------


def test_sample_units_codes_states_and_untranslated():
    doc = read_xliff(SAMPLE)
    assert (doc.source_lang, doc.target_lang, doc.version) == ("en", "id", "1.2")
    units = list(doc.units)
    assert [(u.key, [v.text for v in u.variants], u.flags) for u in units] == [
        ("open", [f"Open the {P[0]}file{P[1]}", f"Buka {P[0]}berkas{P[1]}"], ()),
        ("save", ["Save", "Simpan"], ("fuzzy",)),  # needs-review-translation
        ("new", ["New folder"], ()),  # untranslated: no target variant
    ]
    assert units[0].variants[0].codes == (InlineCode("g", (("id", "1"),)), InlineCode("/g"))
    assert units[0].variants[0].plain() == "Open the file"
    assert units[0].notes == ("menu item",)
    assert dict(units[1].extra)["xliff:state"] == "needs-review-translation"


def test_angular_codes_and_whitespace_are_kept():
    units = _units(ANGULAR)
    assert len(units) == 766
    xs = [c for u in units for v in u.variants for c in v.codes]
    assert len(xs) == 334 and {c.tag for c in xs} == {"x"}
    assert any(("equiv-text", "{{ currentLanguage }}") in c.attrs for c in xs)
    # every source's text as lxml reads it, spaces and line breaks included
    tree = etree.parse(str(ANGULAR))
    ns = {"x": "urn:oasis:names:tc:xliff:document:1.2"}
    expected = ["".join(s.itertext()) for s in tree.iterfind(".//x:trans-unit/x:source", ns)]
    ours = [t for t in (u.variants[0].plain() for u in units) if t]
    assert ours == [e for e in expected if e]
    spaced = [t for t in ours if t != t.strip()]
    assert len(spaced) > 50  # " The application has been updated ... reloaded. "
    # a new message's target is its source copied (Angular's extraction): a draft, no
    # translation, as read_state and the exports take it
    new = [u for u in units if dict(u.extra).get("xliff:state") == "new"]
    assert len(new) == 70 and all(u.flags == ("fuzzy",) for u in new)


def test_iws_untranslated_units_have_the_source_only():
    units = _units(IWS)
    assert len(units) == 140
    source_only = [u for u in units if len(u.variants) == 1]
    assert len(source_only) == 48  # the empty <target/> elements


@pytest.mark.parametrize("path", [SDL, SDL16])
def test_sdlxliff_segments_and_confirmation_levels(path):
    assert format_of(path) is not None and format_of(path).name == "xliff"
    doc = read_xliff(path)
    assert (doc.source_lang, doc.target_lang) == ("en", "fr-FR")
    units = list(doc.units)
    segments = [u for u in units if dict(u.extra).get("xliff:unit") == units[1].key.split(":")[0]]
    assert [u.variants[0].text for u in segments[:2]] == [
        "First sentence.",
        "Second longer sentence.",
    ]
    assert segments[1].variants[1].text == "Seconde phrase, plus longue."
    assert dict(segments[0].extra)["xliff:sdl-conf"] == "Translated"
    assert units[0].variants[0].codes == (InlineCode("x", (("id", "0"),)),)


def test_xliff2_segments_codes_and_data():
    doc = read_xliff(XLIFF2)
    assert (doc.source_lang, doc.target_lang, doc.version) == ("en", "fr", "2.0")
    units = list(doc.units)
    assert [u.key for u in units[:2]] == ["tu1:1", "tu1:2"]  # one unit per segment
    assert units[0].variants[1].text == "Exemple de segment."
    assert dict(units[0].extra)["xliff:state"] == "translated"
    coded = [c for u in units for v in u.variants for c in v.codes]
    assert {c.tag for c in coded} >= {"pc", "/pc", "ph"}
    assert any(c.content for c in coded)  # originalData went along as native data


# -- round trips ---------------------------------------------------------------------------


@pytest.mark.parametrize("path", REAL, ids=lambda p: p.name)
def test_round_trip_same_format_and_tmx(path, tmp_path):
    found = read_units(path)
    units = list(found.units)
    stored = _through_workspace(units, found.source_lang, tmp_path)
    own = tmp_path / ("own" + path.suffix)
    assert write_xliff(stored, own, source_lang=found.source_lang, target_lang=found.target_lang)
    again = list(read_units(own).units)
    assert _shape(again) == _shape(units)
    version = read_xliff(own).version
    if TRANSITIONAL.validate(etree.parse(str(path))) or path.name.startswith("okapi-xliff2"):
        _valid(CORE20 if version.startswith("2") else TRANSITIONAL, own)
    as_tmx = tmp_path / "as.tmx"
    assert write_tmx(stored, as_tmx, source_lang=found.source_lang) == len(units)
    _valid(DTD, as_tmx)
    assert _shape(list(read_tmx(as_tmx).units()), tags=False) == _shape(units, tags=False)
    from translate.storage import tmx

    assert len(tmx.tmxfile.parsefile(str(as_tmx)).units) == len(units)


def test_written_xliff_is_read_by_translate_toolkit(tmp_path):
    from translate.storage import xliff

    units = _units(IWS)
    out = tmp_path / "out.xlf"
    write_xliff(units, out, source_lang="en", target_lang="es")
    store = xliff.xlifffile.parsefile(str(out))
    assert len(store.units) == 140
    assert sum(1 for u in store.units if u.target) == 92


def test_tmx_units_as_xliff_12_and_20_validate_strictly(tmp_path):
    """Alternatives, TMX codes, whitespace and source-only units, written from scratch."""
    units = list(read_tmx(FIXTURES / "tmx" / "olifant-tmxtest-attributes.tmx").units())
    units.append(Unit((Variant("en", "  Only the source, spaced  "),)))
    for version, schema in (("1.2", STRICT), ("2", CORE20)):
        out = tmp_path / f"olifant{version}.xlf"
        assert write_xliff(units, out, source_lang="en", target_lang="fr-FR", version=version) == 10
        _valid(schema, out)
        back = list(read_xliff(out).units)
        assert _shape(back, tags=False) == _shape(units, tags=False)
        assert len({u.variants[1].text for u in back[1:8]}) == 7  # every translation kept
        assert back[-1].variants == (Variant("en", "  Only the source, spaced  "),)
        bold = back[8].variants[0]
        assert bold.plain() == "Close the application." and len(bold.codes) == 2
        if version == "1.2":
            assert [c.tag for c in bold.codes] == ["bpt", "ept"]  # native data: <b>
            assert bold.codes[0].content == "&lt;b&gt;"
        else:
            assert [c.tag for c in bold.codes] == ["pc", "/pc"]
            assert bold.codes[0].content == "&lt;b&gt;"  # via originalData


def test_states_map_between_versions(tmp_path):
    units = [
        Unit((Variant("en", s), Variant("id", s)), key=s, extra=(("xliff:state", s),))
        for s in ("new", "translated", "needs-review-translation", "signed-off", "final")
    ]
    out = tmp_path / "states.xlf"
    write_xliff(units, out, source_lang="en", target_lang="id", version="2")
    _valid(CORE20, out)
    states = [dict(u.extra)["xliff:state"] for u in read_xliff(out).units]
    assert states == ["initial", "translated", "initial", "reviewed", "final"]
    back = tmp_path / "back.xlf"
    write_xliff(
        list(read_xliff(out).units), back, source_lang="en", target_lang="id", version="1.2"
    )
    _valid(STRICT, back)
    again = [dict(u.extra)["xliff:state"] for u in read_xliff(back).units]
    # a target in 1.2's "new" state needs review, like 2.0's "initial" one
    assert again == [
        "needs-review-translation",
        "translated",
        "needs-review-translation",
        "signed-off",
        "final",
    ]


def test_re_export_keeps_the_version_read(tmp_path):
    units = list(read_xliff(XLIFF2).units)
    out = tmp_path / "again.xlf"
    write_xliff(units, out, source_lang="en", target_lang="fr")
    assert read_xliff(out).version == "2.0"
    _valid(CORE20, out)


def test_sdlxliff_written_from_tmx_units(tmp_path):
    units = [
        Unit(
            (Variant("en", f"Save {P[0]}now"), Variant("id", f"Simpan {P[0]}sekarang")),
            key="k1",
            flags=("fuzzy",),
        )
    ]
    units = [
        Unit(
            tuple(
                Variant(v.lang, v.text, (InlineCode("ph", (("x", "1"),), "&lt;br/&gt;"),))
                for v in units[0].variants
            ),
            key="k1",
            flags=("fuzzy",),
        )
    ]
    out = tmp_path / "out.sdlxliff"
    assert write_xliff(units, out, source_lang="en", target_lang="id") == 1
    _valid(TRANSITIONAL, out)
    [back] = read_xliff(out).units
    assert back.variants[1].text == f"Simpan {P[0]}sekarang"
    assert dict(back.extra)["xliff:sdl-conf"] == "Draft" and back.flags == ("fuzzy",)


# -- refusals ------------------------------------------------------------------------------


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
        list(read_xliff(broken).units)
    other = tmp_path / "other.xlf"
    other.write_text("<tmx/>")
    with pytest.raises(TMError, match="root element is <tmx>"):
        read_xliff(other)


def test_padan_export_xliff_by_version_and_as_sdlxliff(tmp_path):
    from click.testing import CliRunner

    from padan.cli import main

    db = str(tmp_path / "ws.db")

    def padan(*args: str) -> str:
        result = CliRunner().invoke(main, ["--db", db, *args], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        return result.output

    padan("import", str(IWS))
    assert "wrote 140 units" in padan("export", str(tmp_path / "a.xlf"))
    _valid(TRANSITIONAL, tmp_path / "a.xlf")
    padan("export", str(tmp_path / "b.xlf"), "--xliff", "2")
    _valid(CORE20, tmp_path / "b.xlf")
    assert read_xliff(tmp_path / "b.xlf").version == "2.0"
    padan("export", str(tmp_path / "c.sdlxliff"))
    padan("export", str(tmp_path / "d.tmx"))
    for name in ("a.xlf", "b.xlf", "c.sdlxliff"):
        assert _shape(_units(tmp_path / name), tags=False) == _shape(_units(IWS), tags=False)
    tmx_units = list(read_tmx(tmp_path / "d.tmx").units())
    assert sum(1 for u in tmx_units if len(u.variants) == 1) == 48  # untranslated: source only


def test_a_segmented_unit_without_target_gets_only_its_translated_segments(tmp_path):
    """Trados's file with its target taken out (as a job before translation), one segment
    translated: the target written has the seg-source's shape, that segment's text, and
    the other segments empty (they held the source text before)."""
    from dataclasses import replace

    tree = etree.parse(str(SDL))
    ns = "{urn:oasis:names:tc:xliff:document:1.2}"
    for target in list(tree.iter(f"{ns}target")):
        target.getparent().remove(target)
    job, out = tmp_path / "job.sdlxliff", tmp_path / "out.sdlxliff"
    tree.write(str(job), xml_declaration=True, encoding="utf-8")
    units = _units(job)
    second = next(i for i, u in enumerate(units) if u.key and u.key.endswith(":2"))
    units[second] = replace(
        units[second], variants=(*units[second].variants, Variant("fr-FR", "Deuxième phrase."))
    )
    write_xliff(units, out, source_lang="en", target_lang="fr-FR")
    (target,) = etree.parse(str(out)).iter(f"{ns}target")
    segments = {m.get("mid"): "".join(m.itertext()) for m in target.iter(f"{ns}mrk")}
    assert segments == {"1": "", "2": "Deuxième phrase.", "3": "", "4": "", "5": ""}
    assert "".join(target.itertext()) == " Deuxième phrase.  "  # the spaces between kept
    _valid(TRANSITIONAL, out)
