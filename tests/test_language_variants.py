"""A memory in one variant of a language serves a job in another (es for es-MX, fr for
fr-FR), below the job's own tag and marked for review, as CAT tools offer a TM of another
sub-language; never across scripts (zh for zh-Hant). On OmegaT's test memory of one
English sentence in ES, ES-AR, ES-BO, FR, FR-CA, FR-FR and DE, and GLib's zh_CN catalogue."""

from __future__ import annotations

import json

import polib
import pytest
from cli_ok import padan_ok

from conftest import FIXTURES
from corpora.langtags import same_language, variants
from tm.leverage import Entry, Memory, Segment

MULTI = FIXTURES / "tmx" / "omegat-test_test-multiple-tuv14.tmx"
GLIB_ZH = FIXTURES / "po" / "glib-2.74.6_zh_CN.po"
SENTENCES = ("Hello World!", "Hello Worlds.", "This is an english sentence.")


def _job(path, language, msgids=SENTENCES):
    catalogue = polib.POFile()
    catalogue.metadata = {"Language": language, "Content-Type": "text/plain; charset=UTF-8"}
    for msgid in msgids:
        catalogue.append(polib.POEntry(msgid=msgid, msgstr=""))
    catalogue.save(str(path))
    return path


@pytest.fixture
def multi_db(tmp_path):
    db = tmp_path / "padan.db"
    padan_ok(db, "import", str(MULTI))
    return db


def _filled(db, job, out):
    padan_ok(db, "pretranslate", str(job), "-o", str(out))
    return {e.msgid: e for e in polib.pofile(str(out))}


def test_tags_of_one_language_and_script():
    assert same_language("es", "es-ES") and same_language("es-MX", "es-419")
    assert same_language("pt-BR", "pt-PT")
    assert not same_language("zh", "zh-Hant")  # Simplified and Traditional
    assert not same_language("sr", "sr-Latn")  # Serbian is Cyrillic unless it says Latin
    assert not same_language("es", "en") and not same_language("und", "und-Latn")
    known = ["en", "es", "es-AR", "es-BO", "fr", "fr-CA", "zh", "zh-Hant"]
    assert variants("es-MX", known) == ["es", "es-AR", "es-BO"]  # the base language first
    assert variants("es", known) == ["es-AR", "es-BO"]
    assert variants("zh-Hant", known) == [] and variants("zh", known) == []


def test_a_base_language_memory_serves_a_regional_job_for_review(multi_db, tmp_path):
    filled = _filled(multi_db, _job(tmp_path / "es_MX.po", "es_MX"), tmp_path / "out.po")
    hello = filled["Hello World!"]
    assert hello.msgstr == "¡Hola Mundo!"  # the ES one, not ES-AR's or ES-BO's
    assert "fuzzy" in hello.flags
    assert "fuzzy match 99%" in hello.tcomment and "translated into es" in hello.tcomment
    sentence = filled["This is an english sentence."]
    assert sentence.msgstr == "Es una oración en inglés." and "fuzzy" in sentence.flags


def test_the_jobs_own_region_comes_first_and_is_used_as_it_is(multi_db, tmp_path):
    filled = _filled(multi_db, _job(tmp_path / "es_AR.po", "es_AR"), tmp_path / "out.po")
    hello = filled["Hello World!"]
    assert hello.msgstr == "(es_AR) ¡Hola Mundo!" and "fuzzy" not in hello.flags
    filled = _filled(multi_db, _job(tmp_path / "fr_FR.po", "fr_FR"), tmp_path / "out.po")
    worlds = filled["Hello Worlds."]  # in FR-FR and in FR: FR-FR's
    assert worlds.msgstr == "fr_FR 2 Bonjour les mondes." and "fuzzy" not in worlds.flags
    hello = filled["Hello World!"]  # in FR-CA and in FR, not FR-FR: the base language's
    assert hello.msgstr == "fr Bonjour tout le monde\u00a0!" and "fuzzy" in hello.flags
    # and the other way round: a memory in regions serves the base language
    filled = _filled(multi_db, _job(tmp_path / "fr.po", "fr"), tmp_path / "out.po")
    assert "fuzzy" not in filled["Hello World!"].flags  # FR's own
    assert filled["This is an english sentence."].msgstr == ""


def test_analyze_counts_a_variant_match_in_a_fuzzy_band(multi_db, tmp_path):
    job = _job(tmp_path / "de_AT.po", "de_AT", SENTENCES[2:])
    report = json.loads(padan_ok(multi_db, "analyze", str(job), "--json"))
    assert report["total"]["segments"]["95–99"] == 1
    assert report["total"]["segments"]["100%"] == 0


def test_search_shows_the_closest_variants_translation(multi_db):
    out = padan_ok(multi_db, "search", "Hello World!", "--lang", "en", "--to", "es-MX")
    assert "→ es: ¡Hola Mundo!" in out
    out = padan_ok(multi_db, "search", "Hello World!", "--lang", "en-GB", "--to", "es-AR")
    assert "→ es-AR: (es_AR) ¡Hola Mundo!" in out  # en-GB finds the en sentence


def test_simplified_never_serves_traditional(tmp_path):
    db = tmp_path / "padan.db"
    padan_ok(db, "import", str(GLIB_ZH))
    msgids = [e.msgid for e in polib.pofile(str(GLIB_ZH)) if e.translated()][:20]
    for language, expected in (("zh_TW", 0), ("zh_HK", 0), ("zh_Hans", 20)):
        job = _job(tmp_path / f"{language}.po", language, msgids)
        filled = _filled(db, job, tmp_path / "out.po")
        assert sum(bool(e.msgstr) for e in filled.values()) == expected, language
    out = padan_ok(db, "search", msgids[0], "--lang", "en", "--to", "zh-TW")
    assert "No match translated into zh-Hant" in out


def test_a_variant_costs_its_penalty_against_the_jobs_own_tag():
    own = Entry("Open the files", "Abrir los archivos")
    other = Entry("Open the file", "Abrir el archivo (es)", variant="es")
    memory = Memory([own, other], "en")
    offer = memory.lookup(Segment("Open the file"))
    assert offer.entry is other and offer.kind == "fuzzy" and offer.score == 99
    assert offer.notes[0] == "translated into es"
    # the same text in another case, in the job's own tag (99), before a variant's (98)
    memory = Memory([Entry("open the file", "abrir el archivo"), other], "en")
    offer = memory.lookup(Segment("Open the file"))
    assert offer.entry.target == "abrir el archivo" and offer.score == 99


def test_the_tuis_memory_panel_falls_back_as_search_does(multi_db):
    """The panel's fuzzy matches (padan.jobs): a row of an en-GB → es-MX document finds
    the en sentence and shows its es translation, as `search --lang en-GB --to es-MX`."""
    from dataclasses import replace

    from padan.jobs import fuzzy_matches, memory_index
    from padan.workspace import Workspace

    ws = Workspace(str(multi_db))
    try:
        stored = next(v for v in ws.documents.variants("en") if v.current == SENTENCES[0])
        row = replace(stored, id=-1, lang="en-GB", current="Hello World")
        rows = fuzzy_matches(ws, memory_index(ws, "en-GB", "es-MX", []), row)
        assert rows and rows[0][0].id == stored.id
        assert rows[0][2] is not None and (rows[0][2].lang, rows[0][2].current) == (
            "es",
            "¡Hola Mundo!",
        )
        own = fuzzy_matches(ws, memory_index(ws, "en", "es-AR", []), row)
        assert own[0][2] is not None and own[0][2].lang == "es-AR"  # the job's own tag first
    finally:
        ws.close()


def test_concordance_of_a_language_finds_its_other_variants(multi_db):
    found = json.loads(padan_ok(multi_db, "concordance", "Mundo", "--lang", "es-MX", "--json"))
    assert {hit["lang"] for hit in found} >= {"es", "es-AR"}
    assert not json.loads(padan_ok(multi_db, "concordance", "Mundo", "--lang", "fr", "--json"))
