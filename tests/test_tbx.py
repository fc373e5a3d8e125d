import shutil
import subprocess

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from conftest import FIXTURES
from schematron import validate
from termbase.errors import TermbaseError
from termbase.formats.tbx_read import read_tbx
from termbase.formats.tbx_write import write_tbx
from termbase.model import Concept, Context, Status, Term

TBX = FIXTURES / "tbx"
RNG = etree.RelaxNG(etree.parse(str(TBX / "schemas" / "TBXcoreStructV03.rng")))
SCH = TBX / "schemas" / "TBX-Basic_DCA.sch"


def _sample():
    return [
        Concept(
            id="open-source",
            subject="software",
            definition="software whose source code anyone may read, change and share",
            note="from the bundled corpus",
            terms=(
                Term("开源", "zh", pos="verb"),
                Term("open source", "en", pos="noun", contexts=(Context("open source AI", "x"),)),
                Term("open-source", "en", Status.ADMITTED, pos="adjective"),
                Term("sumber terbuka", "id", note="preferred in formal text"),
                Term("open source", "id", Status.ADMITTED),
                Term("pengacara open source", "id", Status.FORBIDDEN, "pendukung open source"),
                Term("kode terbuka", "id", Status.DEPRECATED, "sumber terbuka"),
            ),
        ),
        Concept(
            terms=(
                Term("Hugging Face", "en", pos="noun"),
                Term("wajah yang dipeluk", "id", Status.FORBIDDEN),
            )
        ),
    ]


def _strip_sources(concepts, name):
    """Contexts read back name the TBX file as their source."""
    return [
        Concept(
            c.id,
            tuple(
                Term(
                    t.text,
                    t.lang,
                    t.status,
                    t.replacement,
                    t.pos,
                    0,
                    t.note,
                    tuple(Context(x.text, name) for x in t.contexts),
                )
                for t in c.terms
            ),
            c.subject,
            c.definition,
            c.note,
        )
        for c in concepts
    ]


def test_round_trip_keeps_everything(tmp_path):
    path = tmp_path / "out.tbx"
    assert write_tbx(_sample(), path) == 2
    back = read_tbx(path)
    expected = _strip_sources(_sample(), "out.tbx")
    assert back[0] == expected[0]
    assert back[1].id == "c2"  # a concept without id gets one
    assert back[1].terms == expected[1].terms


def test_export_validates_against_rng_and_schematron(tmp_path):
    path = tmp_path / "out.tbx"
    write_tbx(_sample(), path)
    doc = etree.parse(str(path))
    assert RNG.validate(doc), RNG.error_log
    assert validate(doc, SCH) == []
    langs = {e.get("{http://www.w3.org/XML/1998/namespace}lang") for e in doc.iter("{*}langSec")}
    assert langs == {"zh-CN", "en-US", "id-ID"}


def test_the_validators_do_reject_a_broken_file(tmp_path):
    path = tmp_path / "out.tbx"
    write_tbx(_sample(), path)
    text = path.read_text(encoding="utf-8")
    bad = tmp_path / "bad.tbx"
    bad.write_text(
        text.replace("preferredTerm-admn-sts", "forbiddenTerm-admn-sts", 1), encoding="utf-8"
    )
    assert any("administrativeStatus" in f for f in validate(etree.parse(str(bad)), SCH))
    worse = tmp_path / "worse.tbx"
    worse.write_text(text.replace("<termSec>", "<termSec><bogus/>", 1), encoding="utf-8")
    assert not RNG.validate(etree.parse(str(worse)))


def test_ltac_valid_example_passes_our_schematron_runner():
    assert validate(etree.parse(str(TBX / "Example_Astronomy_DCA_VALID.tbx")), SCH) == []


def test_tbx_v3_sample():
    concepts = read_tbx(TBX / "Example_Astronomy_DCA_VALID.tbx")
    assert len(concepts) == 45
    first = concepts[0]
    assert first.id == "c1" and first.subject == "General"
    en = {t.text: t for t in first.terms_in("en")}
    assert en["open cluster"].status is Status.PREFERRED and en["open cluster"].pos == "noun"
    assert en["galactic cluster"].status is Status.DEPRECATED
    assert first.definition.startswith("A group of stars formed together")
    assert en["open cluster"].contexts[0].text.startswith("Over 1100 open clusters")
    statuses = [t.status for c in concepts for t in c.terms]
    assert statuses.count(Status.ADMITTED) == 16


@pytest.mark.parametrize(
    ("name", "count", "lang", "text"),
    [
        ("ibm_tbx.tbx", 5, "fr", "historique de navigation"),  # ntig/termGrp
        ("oracle_TBX.tbx", 2, "pt", "PRE"),  # tig
        ("test01.tbx", 1, "hu", "Alfa simítási tényező"),
        ("test02_win1254.tbx", 1, "tr", "tr term with: éá and İı"),  # windows-1254
        ("omegat-test_sampleTBXfile.tbx", 1, "hu", "hu translation"),
        ("maryland.tbx", 1, "it", "scriba"),
    ],
)
def test_tbx_v2_samples(name, count, lang, text):
    concepts = read_tbx(TBX / name)
    assert len(concepts) == count
    assert text in [t.text for t in concepts[0].terms_in(lang)]


def test_weblate_obsolete_is_deprecated():
    concepts = read_tbx(TBX / "weblate-test_fr-extended-metadata.tbx")
    assert [t.status for t in concepts[0].terms] == [Status.DEPRECATED, Status.DEPRECATED]
    assert concepts[1].terms[0].note == "Do not translate error codes."


def test_malformed_tbx_names_line_and_column():
    with pytest.raises(TermbaseError, match="malformed XML") as info:
        read_tbx(TBX / "poorly_formed_xml.tbx")
    assert (info.value.line, info.value.column) == (42, 16)


def test_not_tbx_and_missing(tmp_path):
    other = tmp_path / "x.tbx"
    other.write_text("<tmx version='1.4'><body/></tmx>")
    with pytest.raises(TermbaseError, match="not a TBX file"):
        read_tbx(other)
    with pytest.raises(TermbaseError, match="not found"):
        read_tbx(tmp_path / "missing.tbx")


@pytest.mark.parametrize(
    "doctype",
    [
        '<!DOCTYPE tbx [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
        '<!DOCTYPE tbx [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>',
    ],
)
def test_entities_are_refused(tmp_path, doctype):
    path = tmp_path / "evil.tbx"
    path.write_text(
        f'<?xml version="1.0"?>\n{doctype}\n<tbx><text><body><conceptEntry id="c1">'
        '<langSec xml:lang="en"><termSec><term>&xxe;&b;</term></termSec></langSec>'
        "</conceptEntry></body></text></tbx>"
    )
    with pytest.raises(TermbaseError, match="entity declarations are not allowed") as info:
        read_tbx(path)
    assert info.value.line == 2


def test_control_characters_give_an_error_and_no_file(tmp_path):
    path = tmp_path / "out.tbx"
    path.write_text("previous export")
    with pytest.raises(TermbaseError, match="U\\+0007"):
        write_tbx([Concept(terms=(Term("bell\x07", "en"),))], path)
    assert path.read_text() == "previous export"  # untouched
    assert [p.name for p in tmp_path.iterdir()] == ["out.tbx"]  # no temporary left


_TEXT = st.text(
    st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffe\uffff"),
    min_size=1,
).filter(lambda s: s.strip() and s == " ".join(s.split()))


@settings(max_examples=60, deadline=None)
@given(terms=st.lists(_TEXT, min_size=1, max_size=4), definition=_TEXT)
def test_any_unicode_round_trips(tmp_path_factory, terms, definition):
    path = tmp_path_factory.mktemp("h") / "h.tbx"
    concept = Concept(id="c1", terms=tuple(Term(t, "id") for t in terms), definition=definition)
    write_tbx([concept], path)
    assert read_tbx(path) == [concept]


def test_xmllint_accepts_the_export(tmp_path):
    assert shutil.which("xmllint"), "xmllint (Debian libxml2-utils) is needed: .ci/run installs it"
    path = tmp_path / "out.tbx"
    write_tbx(_sample(), path)
    result = subprocess.run(
        [
            "xmllint",
            "--noout",
            "--relaxng",
            str(TBX / "schemas" / "TBXcoreStructV03.rng"),
            str(path),
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
