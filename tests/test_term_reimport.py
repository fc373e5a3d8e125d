"""Importing a glossary again adds nothing; rows without an id join the concept they
clearly share terms with, never each other."""

from __future__ import annotations

import pytest

from conftest import FIXTURES
from termbase.formats import read_glossary, write_glossary
from termbase.model import Concept, Term
from termbase.store import SqlTermStore

GLOSSARY = FIXTURES / "glossary"


@pytest.fixture
def store(db):
    return SqlTermStore(db)


def _content(store):
    return sorted((t.lang, t.text, t.status.value) for c in store.concepts() for t in c.terms), len(
        store.concepts()
    )


@pytest.mark.parametrize(
    ("name", "target"),
    [
        ("gnome-glossary-id.po", None),
        ("omegat-l10n-zh_CN-glossary.txt", "zh-CN"),  # "shortcut" four times, four senses
        ("../tbx/Example_Astronomy_DCA_VALID.tbx", None),
    ],
)
def test_importing_a_real_glossary_twice_adds_nothing(store, name, target):
    concepts = read_glossary(GLOSSARY / name, target_lang=target)
    assert store.import_concepts(concepts) == len(concepts)
    once = _content(store)
    assert store.import_concepts(read_glossary(GLOSSARY / name, target_lang=target)) == 0
    assert _content(store) == once


@pytest.mark.parametrize("suffix", [".csv", ".tsv", ".po"])
def test_a_glossary_without_ids_imported_twice_adds_nothing(store, tmp_path, suffix):
    rows = [
        Concept(terms=(Term("file", "en"), Term("berkas", "id")), note="a document"),
        Concept(terms=(Term("file", "en"), Term("mengajukan", "id"))),
        Concept(terms=(Term("folder", "en"), Term("map", "id"))),
    ]
    path = tmp_path / f"glossary{suffix}"
    write_glossary(rows, path, source_lang="en", target_lang="id")
    # Padan's CSV and PO name the concept; a glossary from elsewhere does not
    concepts = [Concept(terms=c.terms, note=c.note) for c in read_glossary(path, target_lang="id")]
    assert store.import_concepts(concepts) == 3
    assert store.import_concepts(concepts) == 0
    assert len(store.concepts()) == 3


def test_a_row_joins_the_concept_sharing_its_term_unless_that_is_ambiguous(store):
    store.import_concepts([Concept("astro", (Term("star", "en"), Term("bintang", "id")))])
    store.import_concepts(
        [
            Concept(terms=(Term("star", "en"), Term("恒星", "zh"))),  # joins astro
            Concept(terms=(Term("bintang", "id"), Term("星", "zh"))),  # joins astro too
            Concept(terms=(Term("planet", "en"),)),
        ]
    )
    astro = store.get("astro")
    assert {t.text for t in astro.terms} == {"star", "bintang", "恒星", "星"}
    store.import_concepts([Concept("film", (Term("star", "en"), Term("bintang film", "id")))])
    # "star" is now in two concepts: a row with only "star" in common joins neither
    assert store.import_concepts([Concept(terms=(Term("star", "en"), Term("stella", "it")))]) == 1


def test_a_key_another_glossary_also_uses_names_the_same_concept_only_if_it_fits(store):
    gnome = read_glossary(GLOSSARY / "gnome-glossary-id.po")  # numbered c1, c2... here
    astro = read_glossary(FIXTURES / "tbx" / "Example_Astronomy_DCA_VALID.tbx")  # c1, c2...
    assert astro[0].id == "c1"
    store.import_concepts(gnome)
    store.import_concepts(astro)  # c1 here is "abort", there "open cluster"
    assert {t.text for t in store.get("c1").terms} == {"abort", "batal"}
    for concept in store.concepts("es"):  # no astronomy concept joined a GNOME one
        assert not concept.terms_in("id")
    assert store.import_concepts(astro) == 0
    # the same key with terms in other languages only: one term base in a file per language
    store.import_concepts([Concept("c1", (Term("中止", "zh"),))])
    assert {t.text for t in store.get("c1").terms} == {"abort", "batal", "中止"}


@pytest.mark.parametrize("suffix", [".po", ".csv"])
def test_the_rows_padan_writes_for_one_concept_are_read_back_as_one(store, tmp_path, suffix):
    synonyms = Concept(
        "astro-2",
        (Term("accretion disk", "en"), Term("accretion disc", "en"), Term("cakram", "id")),
    )
    untranslated = Concept("astro-3", (Term("black hole", "en"), Term("collapsar", "en")))
    path = tmp_path / f"glossary{suffix}"
    write_glossary([synonyms, untranslated], path, source_lang="en", target_lang="id")
    store.import_concepts(read_glossary(path, target_lang="id"))
    assert [len(c.terms) for c in store.concepts()] == ([3, 2] if suffix == ".po" else [3])
