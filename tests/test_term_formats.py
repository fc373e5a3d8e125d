"""Every registered term-base format: found by each of its extensions and by its content,
and read back as written (the usable source and target terms of each concept)."""

from __future__ import annotations

import pytest

from termbase.errors import TermbaseError
from termbase.formats import read_glossary, write_glossary
from termbase.formats.registry import FORMATS, format_of
from termbase.model import Concept, Status, Term

CONCEPTS = [
    Concept(
        id="c1",
        terms=(
            Term("open source", "en"),
            Term("sumber terbuka", "id"),
            Term("open-source", "id", Status.ADMITTED),
        ),
    ),
    Concept(id="c2", terms=(Term("file", "en"), Term("berkas", "id"))),
    Concept(id="c3", terms=(Term("file", "en"), Term("mengajukan, berkas", "id"))),  # homonym
]


def _pairs(concepts):
    """(source, target) of every usable target term, in order."""
    return sorted(
        (s.text, t.text)
        for c in concepts
        for s in c.terms_in("en")
        for t in c.terms_in("id")
        if t.status.usable
    )


def test_every_term_format_is_registered():
    assert [f.name for f in FORMATS] and {"tbx", "tsv", "csv", "po"} <= {f.name for f in FORMATS}


@pytest.mark.parametrize("fmt", FORMATS, ids=lambda f: f.name)
def test_each_format_is_found_by_each_of_its_extensions(fmt, tmp_path):
    for ext in fmt.extensions:
        assert format_of(tmp_path / f"terms{ext.upper()}") is fmt


@pytest.mark.parametrize("fmt", FORMATS, ids=lambda f: f.name)
def test_each_format_reads_back_what_it_wrote(fmt, tmp_path):
    path = tmp_path / f"terms{fmt.extensions[0]}"
    assert write_glossary(CONCEPTS, path, source_lang="en", target_lang="id") > 0
    back = read_glossary(path, source_lang="en", target_lang="id")
    assert _pairs(back) == _pairs(CONCEPTS)


@pytest.mark.parametrize("fmt", FORMATS, ids=lambda f: f.name)
def test_a_file_without_a_known_extension_is_known_by_its_content(fmt, tmp_path):
    path = tmp_path / f"terms{fmt.extensions[0]}"
    fmt.write(CONCEPTS, path, "en", "id")
    renamed = path.rename(tmp_path / "terms.data")
    assert format_of(renamed) is fmt
    assert _pairs(read_glossary(renamed, source_lang="en", target_lang="id")) == _pairs(CONCEPTS)


def test_content_of_no_format_is_refused(tmp_path):
    path = tmp_path / "terms.data"
    path.write_text("just a sentence\n", encoding="utf-8")
    with pytest.raises(TermbaseError, match="unknown term base format '.data'"):
        read_glossary(path)
