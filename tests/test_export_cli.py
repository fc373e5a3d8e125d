"""`padan export` picks what the user named: a bilingual document's own language pair,
and a one-line error (exit 2, no file) for a document or language the workspace has not."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import polib
import pytest
from click.testing import CliRunner

from conftest import FIXTURES
from padan.cli import main


@pytest.fixture
def run(db_location):
    def invoke(*args: str, code: int = 0):
        result = CliRunner().invoke(main, ["--db", db_location, *args], catch_exceptions=False)
        assert result.exit_code == code, result.output
        return result

    return invoke


@pytest.fixture
def workspace(run, tmp_path: Path) -> Path:
    """A monolingual text, an en→id catalogue (GNU bash's) and an en→zh memory beside it."""
    (tmp_path / "notes.txt").write_text("Model terbuka itu dirilis.\n", encoding="utf-8")
    run("import", str(tmp_path / "notes.txt"), "--lang", "id")
    run("import", str(FIXTURES / "po" / "bash-5.2_id.po"))
    run("import", str(FIXTURES / "tmx" / "omegat-test_test-level2.tmx"))
    return tmp_path


def _msgfmt(path: Path) -> None:
    msgfmt = shutil.which("msgfmt")
    assert msgfmt, "msgfmt (GNU gettext) is needed"
    assert subprocess.run([msgfmt, "-c", "-o", "/dev/null", str(path)]).returncode == 0


def test_a_bilingual_document_exports_its_own_pair(run, workspace: Path):
    original = polib.pofile(str(FIXTURES / "po" / "bash-5.2_id.po"))
    translated = {e.msgid: e.msgstr for e in original.translated_entries()}
    for extra in ((), ("--from", "en"), ("--to", "id")):
        out = workspace / f"bash{len(extra)}.po"
        run("export", str(out), "--document", "bash-5.2_id.po", *extra)
        _msgfmt(out)
        exported = polib.pofile(str(out))
        assert exported.metadata["Language"] == "id"
        got = {e.msgid: e.msgstr for e in exported.translated_entries()}
        assert got == translated  # the catalogue's own translations, not revisions


def test_a_monolingual_document_still_exports_its_revisions(run, workspace: Path):
    out = workspace / "notes.po"
    run("export", str(out), "--document", "notes")
    (entry,) = polib.pofile(str(out))
    assert entry.msgctxt == "notes:0" and entry.msgid == entry.msgstr


ALL = ("out.po", "out.mo", "out.tmx", "out.xlf")


@pytest.mark.parametrize(
    ("args", "message", "kinds"),
    [
        (("--document", "bash.po"), "no document 'bash.po'", ALL),
        # an XLIFF for a new target language is a translation job
        (("--document", "bash-5.2_id.po", "--to", "zh"), "has no text in zh", ALL[:2]),
        # a source language without text: no unit would have the source a TMX declares
        (("--from", "fr", "--to", "id"), "the workspace has no text in fr", ALL),
        (("--from", "fr"), "the workspace has no text in fr", ("out.tmx",)),
        (("--document", "notes", "--from", "en"), "has no text in en", ALL),
    ],
)
def test_unknown_document_or_language_is_one_line_and_writes_nothing(
    run, workspace: Path, args, message, kinds
):
    for name in kinds:
        out = workspace / name
        result = run("export", str(out), *args, code=2)
        assert message in result.output and len(result.output.strip().splitlines()) == 1
        assert not out.exists()


@pytest.mark.parametrize("suffix", [".po", ".mo"])
def test_a_pair_from_several_catalogues_gets_a_header_of_its_own(run, tmp_path: Path, suffix):
    """bash's catalogue declares 2 plural forms, glib's 1: neither's identity, translator
    or plural rule is the pair's; the target language's rule is (gettext's for id)."""
    po = FIXTURES / "po"
    run("import", str(po / "bash-5.2_id.po"), str(po / "glib-2.74.6_id.po"))
    out = tmp_path / f"pair{suffix}"
    run("export", str(out), "--from", "en", "--to", "id")
    catalogue = polib.mofile(str(out)) if suffix == ".mo" else polib.pofile(str(out))
    header = catalogue.metadata
    assert "bash" not in header["Project-Id-Version"] and "glib" not in header["Project-Id-Version"]
    assert header["Last-Translator"] == "Padan"
    assert header["Plural-Forms"] == "nplurals=1; plural=0;"
    assert header["Language"] == "id"
    if suffix == ".po":
        _msgfmt(out)
        assert not catalogue.header  # no catalogue's copyright comments either
        glib = polib.pofile(str(po / "glib-2.74.6_id.po"))
        plural = next(e for e in glib.translated_entries() if e.msgid_plural)
        (written,) = (e for e in catalogue if e.msgid == plural.msgid)
        assert written.msgstr_plural == plural.msgstr_plural  # nothing copied into [1]


def test_one_catalogue_keeps_its_own_header(run, tmp_path: Path):
    out = tmp_path / "glib.po"
    run("import", str(FIXTURES / "po" / "glib-2.74.6_id.po"))
    run("export", str(out), "--from", "en", "--to", "id")
    header = polib.pofile(str(out)).metadata
    assert header["Project-Id-Version"].startswith("glib")
    assert header["Plural-Forms"].startswith("nplurals=1")


def test_xliff_of_several_targets_asks_for_one_naming_the_file(run, workspace):
    out = workspace / "all.xlf"
    result = run("export", str(out), "--from", "en", code=2)
    line = result.output.strip()
    assert "\n" not in line and str(out) in line and "--to" in line
    assert not out.exists()


def test_analyze_takes_one_output_format(run, workspace):
    result = run("analyze", str(FIXTURES / "po" / "bash-5.2_id.po"), "--json", "--csv", code=2)
    assert "--json and --csv" in result.output


def test_tmx_leaves_obsolete_entries_out_and_po_keeps_them(run, workspace: Path):
    """A TMX is live memory to a CAT tool: bash's 95 `#~` entries are not in it, as
    translate-toolkit's po2tmx leaves them out; the catalogue's PO keeps them."""
    from translate.storage import tmx

    original = polib.pofile(str(FIXTURES / "po" / "bash-5.2_id.po"))
    live = {e.msgid for e in original if not e.obsolete}
    plurals = [e.msgid_plural for e in original if not e.obsolete and e.msgid_plural]
    obsolete = {e.msgid for e in original.obsolete_entries()}
    out = workspace / "bash.tmx"
    run("export", str(out), "--document", "bash-5.2_id.po")
    sources = [u.source for u in tmx.tmxfile.parsefile(str(out)).units]
    assert len(obsolete - live) == 95  # one of them is a live entry's plural source
    assert not set(sources) & (obsolete - live - set(plurals))
    # every live entry, its plural source again (Indonesian has one form), nothing else
    assert plurals and len(sources) == len(live) + len(plurals)
    po = workspace / "bash.po"
    run("export", str(po), "--document", "bash-5.2_id.po")
    assert {e.msgid for e in polib.pofile(str(po)).obsolete_entries()} == obsolete


@pytest.mark.parametrize(("target", "document"), [("id", "bash-5.2_id.po"), ("be", None)])
def test_tmx_of_a_pair_holds_the_units_translated_into_it_and_only_the_pair(
    run, workspace: Path, target: str, document: str | None
):
    """`--to` makes a bilingual TMX: a unit of another pair is not in it, nor is a
    translation into another language (the memory holds en→id and en→be units, and an
    Indonesian text)."""
    from lxml import etree

    every = workspace / "every.tmx"
    run("export", str(every), "--from", "en")
    pair = workspace / "pair.tmx"
    run("export", str(pair), "--from", "en", "--to", target)
    lang = "{http://www.w3.org/XML/1998/namespace}lang"

    def units(path: Path) -> list[list[tuple[str, str]]]:
        tree = etree.parse(str(path))
        return [
            [(tuv.get(lang), "".join(tuv.find("seg").itertext())) for tuv in tu.iter("tuv")]
            for tu in tree.iter("tu")
        ]

    def translated(unit: list[tuple[str, str]]) -> bool:
        return any(x.startswith(target) and seg.strip() for x, seg in unit)

    wanted = [  # (the Indonesian text of notes.txt has no English: not a unit of the pair)
        u for u in units(every) if translated(u) and u[0][0].startswith("en")
    ]
    assert wanted and len(wanted) < len(units(every))
    got = units(pair)
    assert len(got) == len(wanted)
    assert all(len(u) == 2 and u[0][0].startswith("en") and u[1][0].startswith(target) for u in got)
    assert all(seg.strip() for u in got for _, seg in u)  # no empty translation
    if document:  # the same units as the document's own TMX, but its untranslated message
        own = workspace / "own.tmx"
        run("export", str(own), "--document", document)
        assert len(units(own)) == len(got) + 1


@pytest.mark.parametrize("catalogue", ["glib-2.74.6_id.po", "bash-5.2_id.po"])
def test_tmx_keeps_contexts_and_plural_forms_through_a_round_trip(
    run, db_location, tmp_path: Path, catalogue: str
):
    """glib's contexts (72) and plural entries (one form), bash's plurals (two forms):
    the TMX holds each context as translate-toolkit's x-context and each further form
    as a unit of its own, and a workspace that imports it exports the catalogue's
    entries again."""
    from translate.storage import tmx

    def entries(po: polib.POFile) -> set[tuple]:
        return {
            (e.msgctxt, e.msgid, e.msgid_plural, e.msgstr, tuple(sorted(e.msgstr_plural.items())))
            for e in po.translated_entries()
        }

    original = polib.pofile(str(FIXTURES / "po" / catalogue))
    run("import", str(FIXTURES / "po" / catalogue))
    out = tmp_path / "memory.tmx"
    run("export", str(out), "--from", "en", "--to", "id")
    dtd = FIXTURES / "tmx" / "tmx14.dtd"
    assert subprocess.run(["xmllint", "--noout", "--dtdvalid", str(dtd), str(out)]).returncode == 0
    read = tmx.tmxfile.parsefile(str(out)).units
    contexts = {(e.msgctxt, e.msgid) for e in original.translated_entries() if e.msgctxt}
    assert contexts <= {(u.getcontext(), u.source) for u in read}
    for entry in (e for e in original.translated_entries() if e.msgid_plural):
        forms = [entry.msgstr_plural[i] for i in sorted(entry.msgstr_plural)]
        found = {u.target for u in read if u.source == entry.msgid_plural}
        assert set(forms[1:] or forms) <= found  # the plural source, with its forms

    again = tmp_path / "again.db"
    runner = CliRunner()
    for args in (
        ["import", str(out)],
        ["export", str(tmp_path / "back.po"), "--from", "en", "--to", "id"],
    ):
        result = runner.invoke(main, ["--db", str(again), *args], catch_exceptions=False)
        assert result.exit_code == 0, result.output
    assert entries(polib.pofile(str(tmp_path / "back.po"))) == entries(original)


@pytest.mark.parametrize(
    "choice", [("--from", "en", "--to", "id"), ("--document", "bash-5.2_id.po")]
)
def test_a_po_of_a_pair_reads_each_documents_languages_once(run, workspace, monkeypatch, choice):
    """The pair, its check and the documents with text in its target come from one read
    of each document's languages (a query each), not one for the pair and one more for
    the documents whose untranslated units are entries."""
    from collections import Counter

    from tm.store import TMStore

    calls: Counter[str] = Counter()
    languages_of = TMStore.languages_of

    def counted(self: TMStore, name: str) -> list[str]:
        calls[name] += 1
        return languages_of(self, name)

    monkeypatch.setattr(TMStore, "languages_of", counted)
    out = workspace / "pair.po"
    run("export", str(out), *choice)
    assert calls and set(calls.values()) == {1}, calls
    entries, bash = polib.pofile(str(out)), polib.pofile(str(FIXTURES / "po" / "bash-5.2_id.po"))
    assert len(entries) == len(bash)  # its untranslated message too: bash's is bilingual
    assert len(entries.untranslated_entries()) == len(bash.untranslated_entries()) == 1


def test_a_translation_with_other_line_breaks_than_its_source_goes_out_fuzzy(run, tmp_path):
    """Okapi's test XLIFF holds 90 targets of codes on indented lines of their own
    ('\\n\\t\\t\\t\\t\\t{1}\\n...' for '{1}{2}Home{3}{4}'), which msgfmt -c refuses in an
    entry not marked fuzzy: they go out fuzzy, the others as they were."""
    run("import", str(FIXTURES / "xliff" / "okapi-iws-test1_es.xlf"))
    out = tmp_path / "es.po"
    run("export", str(out), "--from", "en", "--to", "es")
    _msgfmt(out)
    catalogue = polib.pofile(str(out))
    fuzzy = catalogue.fuzzy_entries()
    assert fuzzy and all(e.msgstr.startswith("\n") and not e.msgid.startswith("\n") for e in fuzzy)
    assert [(e.msgid, e.msgstr) for e in catalogue.translated_entries()] == [
        ("Home", "Inicio"),
        ("Contact Us", "Contáctenos"),
    ]
