import subprocess

import polib
import pytest
from click.testing import CliRunner

from conftest import FIXTURES
from padan.cli import main
from termbase.errors import TermbaseError
from termbase.formats import read_glossary, write_glossary
from termbase.model import Concept, Status, Term

GLOSSARY = FIXTURES / "glossary"


def _concepts():
    return [
        Concept(
            id="c1",
            definition="software whose source is public",
            terms=(
                Term("open source", "en"),
                Term("sumber terbuka", "id"),
                Term("open source", "id", Status.ADMITTED),
                Term("pengacara open source", "id", Status.FORBIDDEN),
            ),
        ),
        Concept(id="c2", terms=(Term("file", "en"), Term("berkas", "id"))),
        Concept(id="c3", terms=(Term("file", "en"), Term("mengajukan", "id"))),  # homonym
    ]


def test_omegat_glossary_with_repeated_sources():
    concepts = read_glossary(GLOSSARY / "omegat-l10n-zh_CN-glossary.txt", target_lang="zh_CN")
    shortcut = [c for c in concepts if c.terms[0].text == "shortcut"]
    assert [c.terms[1].text for c in shortcut] == ["缩略词", "快捷方式", "快捷键", "简写"]
    assert shortcut[0].note.startswith("在autotext功能中出现")
    assert shortcut[2].note is None
    assert all(c.terms[1].lang == "zh" for c in concepts)


@pytest.mark.parametrize("suffix", [".tsv", ".csv"])
def test_tsv_and_csv_round_trip_usable_terms_only(tmp_path, suffix):
    path = tmp_path / f"g{suffix}"
    assert write_glossary(_concepts(), path, source_lang="en", target_lang="id") == 4
    back = read_glossary(path, source_lang="en", target_lang="id")
    pairs = [(c.terms[0].text, c.terms[1].text) for c in back]
    assert pairs == [
        ("open source", "sumber terbuka"),
        ("open source", "open source"),
        ("file", "berkas"),
        ("file", "mengajukan"),
    ]
    assert "pengacara open source" not in path.read_text(encoding="utf-8").split("\t")[1::2]
    assert "not: pengacara open source" in path.read_text(encoding="utf-8")


def test_csv_keeps_concept_ids_and_statuses(tmp_path):
    path = tmp_path / "g.csv"
    write_glossary(_concepts(), path, source_lang="en", target_lang="id")
    back = read_glossary(path, source_lang="en", target_lang="id")
    assert [c.id for c in back] == ["c1", "c1", "c2", "c3"]
    assert back[1].terms[1].status is Status.ADMITTED


def test_broken_tsv_line_is_reported(tmp_path):
    path = tmp_path / "g.tsv"
    path.write_text("# header\nopen source\tsumber terbuka\nno tab here\n", encoding="utf-8")
    with pytest.raises(TermbaseError, match="source<TAB>target") as info:
        read_glossary(path, target_lang="id")
    assert info.value.line == 3


def test_po_glossary_export_passes_msgfmt_and_reads_back(tmp_path):
    path = tmp_path / "g.po"
    assert write_glossary(_concepts(), path, source_lang="en", target_lang="zh-CN") == 3
    result = subprocess.run(
        ["msgfmt", "-c", "-o", "/dev/null", str(path)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    catalog = polib.pofile(str(path))
    assert catalog.metadata["Language"] == "zh_CN"
    # homonyms stay apart through msgctxt = concept id
    assert [(e.msgctxt, e.msgid) for e in catalog] == [
        ("c1", "open source"),
        ("c2", "file"),
        ("c3", "file"),
    ]


def test_po_glossary_export_with_translations(tmp_path):
    path = tmp_path / "g.po"
    write_glossary(_concepts(), path, source_lang="en", target_lang="id")
    back = read_glossary(path)
    assert [(c.id, [(t.text, t.status) for t in c.terms[1:]]) for c in back] == [
        (
            "c1",
            [
                ("sumber terbuka", Status.PREFERRED),
                ("open source", Status.ADMITTED),
                # a forbidden rendering is named "not:" and comes back to avoid, as from TSV
                ("pengacara open source", Status.DEPRECATED),
            ],
        ),
        ("c2", [("berkas", Status.PREFERRED)]),
        ("c3", [("mengajukan", Status.PREFERRED)]),
    ]
    assert back[0].definition == "software whose source is public"


def _msgfmt_errors(path):
    result = subprocess.run(
        ["msgfmt", "-c", "-o", "/dev/null", str(path)], capture_output=True, text=True
    )
    return result.stderr if result.returncode else ""


def test_po_glossary_writes_one_entry_per_concept_and_source_term(tmp_path):
    """Several renderings of a concept (two glossaries joined) are one entry, not two
    with the same msgctxt and msgid, which msgfmt refuses."""
    path = tmp_path / "g.po"
    concept = Concept(
        "net",
        (
            Term("Internet", "en"),
            Term("internet", "en", Status.ADMITTED),
            Term("因特网", "zh", Status.ADMITTED),
            Term("互联网", "zh"),
            Term("英特网", "zh", Status.DEPRECATED),
            Term("网际网", "zh"),
        ),
    )
    assert write_glossary([concept], path, source_lang="en", target_lang="zh") == 2
    assert _msgfmt_errors(path) == ""
    catalog = polib.pofile(str(path))
    assert [(e.msgid, e.msgstr) for e in catalog] == [
        ("Internet", "互联网"),
        ("internet", "互联网"),
    ]
    (back, _) = read_glossary(path)
    assert {(t.text, t.status) for t in back.terms if t.lang == "zh"} == {
        ("互联网", Status.PREFERRED),
        ("网际网", Status.PREFERRED),
        ("因特网", Status.ADMITTED),
        ("英特网", Status.DEPRECATED),  # named "not:" so that no tool offers it
    }
    assert "not: 英特网" in catalog[0].tcomment


def test_joined_glossaries_export_to_a_po_msgfmt_accepts(tmp_path):
    runner = CliRunner()
    db = str(tmp_path / "tb.db")
    for name, *langs in [
        ("gnome-glossary-zh_CN.po",),
        ("omegat-l10n-zh_CN-glossary.txt", "--from", "en", "--to", "zh"),
    ]:
        result = runner.invoke(main, ["--db", db, "terms", "import", str(GLOSSARY / name), *langs])
        assert result.exit_code == 0, result.output
    out = tmp_path / "g.po"
    result = runner.invoke(main, ["--db", db, "terms", "export", str(out), "--to", "zh"])
    assert result.exit_code == 0, result.output
    assert _msgfmt_errors(out) == ""
    entries = [(e.msgctxt, e.msgid) for e in polib.pofile(str(out))]
    assert len(entries) == len(set(entries))
    # a concept both glossaries name keeps both renderings
    assert any(e.msgstr and e.tcomment.startswith("also: ") for e in polib.pofile(str(out)))


@pytest.mark.parametrize(
    ("name", "lang", "entries", "translated", "fuzzy"),
    [("gnome-glossary-id.po", "id", 901, 790, 98), ("gnome-glossary-zh_CN.po", "zh", 890, 802, 0)],
)
def test_gnome_glossaries(name, lang, entries, translated, fuzzy):
    concepts = read_glossary(GLOSSARY / name)  # language from the file name
    assert len(concepts) == entries
    firsts = [next(t for t in c.terms if t.lang == lang) for c in concepts if c.terms_in(lang)]
    assert len(firsts) == translated
    assert sum(t.status is Status.ADMITTED for t in firsts) == fuzzy


def test_a_chinese_list_of_renderings_is_a_term_and_its_alternatives():
    concepts = {c.terms[0].text: c for c in read_glossary(GLOSSARY / "gnome-glossary-zh_CN.po")}
    zh = [(t.text, t.status) for t in concepts["Accelerator"].terms_in("zh")]
    assert zh == [("加速键", Status.PREFERRED), ("加速器", Status.ADMITTED)]
    assert [t.text for t in concepts["Application"].terms_in("zh")] == ["应用程序", "程序", "应用"]
    # 95 lists in all: no term is left holding a separator
    terms = [t.text for c in concepts.values() for t in c.terms_in("zh")]
    assert not [t for t in terms if any(mark in t for mark in ",，;；、")]
    # a comma in an Indonesian rendering is the term's own
    indonesian = {c.terms[0].text: c for c in read_glossary(GLOSSARY / "gnome-glossary-id.po")}
    assert [t.text for t in indonesian["Hello World"].terms_in("id")] == ["Hello, World!"]


def test_unknown_format_and_missing_language(tmp_path):
    with pytest.raises(TermbaseError, match="unknown term base format"):
        read_glossary(tmp_path / "g.xlsx")
    with pytest.raises(TermbaseError, match="target language"):
        read_glossary(GLOSSARY / "omegat-l10n-zh_CN-glossary.txt")


def test_broken_po_names_the_line(tmp_path):
    path = tmp_path / "broken.po"
    path.write_text('msgid "a"\nmsgstr "b"\nfoo bar\n', encoding="utf-8")
    with pytest.raises(TermbaseError, match="not a valid PO file") as info:
        read_glossary(path, target_lang="id")
    assert info.value.line == 3
