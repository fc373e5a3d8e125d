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

SCHEMAS = FIXTURES / "tbx" / "schemas"


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
