"""Export, import into an empty term base, export again: the same file, for every format;
and what each format carries comes back."""

from __future__ import annotations

import subprocess

import pytest
from click.testing import CliRunner
from lxml import etree
from translate.storage import tbx

from conftest import FIXTURES
from corpora.db import Database
from padan.cli import main
from schematron import validate
from termbase.formats import read_glossary, write_glossary
from termbase.formats.tbx_read import read_tbx
from termbase.formats.tbx_write import write_tbx, xml_lang
from termbase.model import Concept, Status, Term
from termbase.store import SqlTermStore

SCHEMAS = FIXTURES / "tbx" / "schemas"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@pytest.fixture
def store(db):
    return SqlTermStore(db)


def test_notes_of_several_lines_and_wrapped_definitions_survive_tbx(tmp_path):
    concept = Concept(
        "astro-9",
        (Term("star cluster", "en", note="Related Term: open cluster\nRelated Term: globular"),),
        definition="A group of stars\n   bound by gravity.",
        note="G-Source: Oxford2003\nN-Source: Merriam-Webster2002",
    )
    first, second = tmp_path / "a.tbx", tmp_path / "b.tbx"
    write_tbx([concept], first)
    (back,) = read_tbx(first)
    assert back.note == concept.note and back.terms[0].note == concept.terms[0].note
    assert back.definition == "A group of stars bound by gravity."
    write_tbx([back], second)
    assert second.read_bytes() == first.read_bytes()
    doc = etree.parse(str(first))
    assert etree.RelaxNG(etree.parse(str(SCHEMAS / "TBXcoreStructV03.rng"))).validate(doc)
    assert validate(doc, SCHEMAS / "TBX-Basic_DCA.sch") == []


def _rich():
    return [
        Concept(
            "hf",
            (
                Term("Hugging Face", "en", pos="properNoun"),
                Term("Hugging Face", "id", Status.ADMITTED, pos="noun"),
                Term("wajah yang dipeluk", "id", Status.FORBIDDEN, "Hugging Face"),
                Term("pelukan", "id", Status.DEPRECATED),
            ),
            subject="AI",
            definition="a company hosting models",
            note="seen garbled in 000",
        ),
        Concept(
            "c2", (Term("file", "en"), Term("berkas", "id"), Term("fail", "id", Status.DEPRECATED))
        ),
        Concept("c3", (Term("file", "en"), Term("mengajukan", "id")), note="the verb"),
        Concept("c4", (Term("folder", "en"), Term("directory", "en"), Term("map", "id"))),
        Concept("c5", (Term("widget", "en"),), definition="untranslated"),
    ]


@pytest.mark.parametrize("suffix", [".tbx", ".tsv", ".csv", ".po"])
def test_export_import_export_gives_the_same_file(store, tmp_path, suffix):
    first, second = tmp_path / f"a{suffix}", tmp_path / f"b{suffix}"
    write_glossary(_rich(), first, source_lang="en", target_lang="id")
    assert store.import_concepts(read_glossary(first, target_lang="id")) > 0
    write_glossary(store.concepts(), second, source_lang="en", target_lang="id")
    assert second.read_text(encoding="utf-8") == first.read_text(encoding="utf-8")
    # and importing it again where it came from changes nothing either
    assert store.import_concepts(read_glossary(second, target_lang="id")) == 0
    write_glossary(store.concepts(), second, source_lang="en", target_lang="id")
    assert second.read_text(encoding="utf-8") == first.read_text(encoding="utf-8")


def _toolkit_terms(path):
    """(language, term) of every term translate-toolkit's TBX reader finds."""
    store = tbx.tbxfile.parsefile(str(path))
    return sorted(
        (lang_set.get(XML_LANG), term.text)
        for unit in store.units
        for lang_set in unit.getlanguageNodes()
        for term in unit.get_target_terms(lang_set.get(XML_LANG))
    )


def test_tbx_v2_is_read_term_by_term_by_translate_toolkit_and_by_padan(tmp_path):
    path = tmp_path / "v2.tbx"
    write_tbx(_rich(), path, version=2)
    assert subprocess.run(["xmllint", "--noout", str(path)]).returncode == 0
    written = sorted((xml_lang(t.lang), t.text) for c in _rich() for t in c.terms)
    assert _toolkit_terms(path) == written
    back = read_tbx(path)
    assert [c.terms for c in back] == [c.terms for c in _rich()]
    assert [(c.definition, c.note, c.subject) for c in back] == [
        (c.definition, c.note, c.subject) for c in _rich()
    ]
    statuses = [n.text for n in etree.parse(str(path)).iter("termNote")]
    assert "admittedTerm-admn-sts" in statuses and "deprecatedTerm-admn-sts" in statuses


def test_terms_export_writes_tbx_v2_on_request(tmp_path):
    db = str(tmp_path / "w.db")
    with Database(db) as database:
        SqlTermStore(database).import_concepts(_rich())
    out = tmp_path / "v2.tbx"
    result = CliRunner().invoke(
        main, ["--db", db, "terms", "export", str(out), "--tbx-version", "2"]
    )
    assert result.exit_code == 0, result.output
    assert len(_toolkit_terms(out)) == sum(len(c.terms) for c in _rich())
    wrong = CliRunner().invoke(main, ["--db", db, "terms", "export", "x.tsv", "--tbx-version", "2"])
    assert wrong.exit_code == 2 and "is for a .tbx file" in wrong.output


@pytest.mark.parametrize("version", [3, 2])
def test_a_part_of_speech_outside_tbx_basic_comes_back(tmp_path, version):
    concept = Concept(
        "c1",
        (
            Term("historique", "fr", pos="nom"),
            Term("Hugging Face", "en", pos="properNoun"),
            Term("open", "en", pos="Verb"),
        ),
    )
    path = tmp_path / "pos.tbx"
    write_tbx([concept], path, version=version)
    assert [t.pos for t in read_tbx(path)[0].terms] == ["nom", "properNoun", "verb"]
    if version == 3:
        assert validate(etree.parse(str(path)), SCHEMAS / "TBX-Basic_DCA.sch") == []


def test_an_export_says_how_many_entries_it_wrote_and_why_none(tmp_path):
    db = str(tmp_path / "w.db")
    with Database(db) as database:
        SqlTermStore(database).import_concepts(
            [Concept(terms=(Term("开源", "zh"), Term("sumber terbuka", "id")))]
        )

    def export(*args: str) -> str:
        result = CliRunner().invoke(main, ["--db", db, "terms", "export", *args])
        assert result.exit_code == 0, result.output
        return result.output

    said = export(str(tmp_path / "g.po"), "--to", "id")
    assert said.startswith("wrote 0 entries (en→id) of 1 concept to")
    assert "no concept has usable terms in both en and id" in said
    assert export(str(tmp_path / "g.tsv"), "--from", "zh", "--to", "id").startswith(
        "wrote 1 entry (zh→id) of 1 concept to"
    )
