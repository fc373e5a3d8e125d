"""Export, import into an empty term base, export again: the same file, for every format;
and what each format carries comes back."""

from __future__ import annotations

import pytest
from lxml import etree

from conftest import FIXTURES
from schematron import validate
from termbase.formats import read_glossary, write_glossary
from termbase.formats.tbx_read import read_tbx
from termbase.formats.tbx_write import write_tbx
from termbase.model import Concept, Status, Term
from termbase.store import SqlTermStore

SCHEMAS = FIXTURES / "tbx" / "schemas"


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
