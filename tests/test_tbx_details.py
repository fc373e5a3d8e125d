"""TBX details (issue 18): an empty term base, parts of speech in any case, script
subtags, and CSV glossaries read by their header row."""

from lxml import etree

from conftest import FIXTURES
from schematron import validate
from termbase.formats import read_glossary
from termbase.formats.tbx_read import read_tbx
from termbase.formats.tbx_write import write_tbx
from termbase.model import Concept, Status, Term

TBX = FIXTURES / "tbx"
RNG = etree.RelaxNG(etree.parse(str(TBX / "schemas" / "TBXcoreStructV03.rng")))
SCH = TBX / "schemas" / "TBX-Basic_DCA.sch"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def test_an_empty_term_base_exports_valid_tbx_that_reads_back(tmp_path):
    path = tmp_path / "empty.tbx"
    assert write_tbx([], path) == 0
    doc = etree.parse(str(path))
    assert RNG.validate(doc), RNG.error_log
    assert validate(doc, SCH) == []
    assert read_tbx(path) == []


def test_part_of_speech_in_any_case_and_script_subtags(tmp_path):
    concepts = [
        Concept(
            terms=(
                Term("model", "en", pos="Noun"),
                Term("開源", "zh-Hant", pos="VERB"),
                Term("开源", "zh", pos="properNoun"),
                Term("Model", "sr-Latn", pos="Adjective"),
            )
        )
    ]
    path = tmp_path / "pos.tbx"
    write_tbx(concepts, path)
    doc = etree.parse(str(path))
    assert RNG.validate(doc), RNG.error_log
    assert validate(doc, SCH) == []
    pos = [e.text for e in doc.iter("{*}termNote") if e.get("type") == "partOfSpeech"]
    assert pos == ["noun", "verb", "noun", "adjective"]
    langs = [e.get(XML_LANG) for e in doc.iter("{*}langSec")]
    assert langs == ["en-US", "zh-Hant", "zh-CN", "sr-Latn"]
    assert [t.lang for t in read_tbx(path)[0].terms] == ["en", "zh-Hant", "zh", "sr-Latn"]


def test_csv_with_a_language_per_column_is_read_by_its_header(tmp_path):
    path = tmp_path / "terms.csv"
    path.write_text(
        "en,zh_CN,pos,description,source\n"
        'open source,开源,noun,"software anyone may read, change and share",MS\n'
        "fine-tune,微调,verb,,\n"
        ",只有中文,noun,,\n",
        encoding="utf-8",
    )
    concepts = read_glossary(path)  # no --to: the header names the languages
    assert [[(t.text, t.lang, t.pos) for t in c.terms] for c in concepts] == [
        [("open source", "en", "noun"), ("开源", "zh", "noun")],
        [("fine-tune", "en", "verb"), ("微调", "zh", "verb")],
        [("只有中文", "zh", "noun")],
    ]
    assert concepts[0].definition == "software anyone may read, change and share"
    assert concepts[0].note is None and concepts[1].definition is None


def test_csv_source_given_and_unknown_columns_kept(tmp_path):
    path = tmp_path / "terms.csv"
    path.write_text(
        "id,en,Status,Domain,Reviewer\nsumber terbuka,open source,admitted,software,Rina\n",
        encoding="utf-8",
    )
    [concept] = read_glossary(path, source_lang="en")
    assert [(t.text, t.lang, t.status) for t in concept.terms] == [
        ("open source", "en", Status.PREFERRED),
        ("sumber terbuka", "id", Status.ADMITTED),
    ]
    assert concept.subject == "software" and concept.note == "Reviewer: Rina"
