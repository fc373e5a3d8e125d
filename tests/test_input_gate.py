"""Every reader passes its file through the input gate exactly once."""

from __future__ import annotations

import pytest

import corpora.inputgate as gate
from corpora.errors import CorpusError
from termbase.formats import read_glossary
from termbase.formats.registry import FORMATS as TERM_FORMATS
from termbase.model import Concept, Term
from tm.files import FORMATS as UNIT_FORMATS
from tm.files import read_units
from tm.model import Unit, Variant

UNITS = [Unit((Variant("en", "Open the file"), Variant("id", "Buka berkas")), key="1")]
CONCEPTS = [Concept(id="c1", terms=(Term("file", "en"), Term("berkas", "id")))]


@pytest.fixture
def checks(monkeypatch):
    """The paths the gate checked."""
    seen = []
    check = gate._check_path

    def counted(path, kind):
        seen.append(path.name)
        return check(path, kind)

    monkeypatch.setattr(gate, "_check_path", counted)
    return seen


@pytest.mark.parametrize("fmt", [f for f in UNIT_FORMATS if f.write], ids=lambda f: f.name)
def test_a_memory_file_passes_the_gate_once(fmt, tmp_path, checks):
    path = tmp_path / f"memory{fmt.extensions[0]}"
    fmt.write(UNITS, path, "en", "id")
    assert len(list(read_units(path, source_lang="en", target_lang="id").units)) == 1
    assert checks == [path.name]


def test_a_compiled_catalogue_passes_the_gate_once(tmp_path, checks):
    from tm.formats.po import write_mo

    path = tmp_path / "id.mo"
    write_mo(UNITS, path, source_lang="en", target_lang="id")
    assert len(list(read_units(path).units)) == 1
    assert checks == [path.name]


@pytest.mark.parametrize("fmt", TERM_FORMATS, ids=lambda f: f.name)
def test_a_term_file_passes_the_gate_once(fmt, tmp_path, checks):
    path = tmp_path / f"terms{fmt.extensions[0]}"
    fmt.write(CONCEPTS, path, "en", "id")
    assert len(read_glossary(path, source_lang="en", target_lang="id")) == 1
    assert checks == [path.name]


def test_what_the_gate_refuses_never_reaches_the_reader(tmp_path):
    path = tmp_path / "memory.tmx"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    with pytest.raises(CorpusError, match="this is a PNG image, not XML"):
        gate.admit(path, gate.xml_gate(1 << 20))
