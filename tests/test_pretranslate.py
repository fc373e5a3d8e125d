"""`padan analyze` and `padan pretranslate` on real catalogues (Django's, tests/fixtures/
django) and small hand-made files, through the command line as a user runs them."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess

import polib
import pytest
from click.testing import CliRunner
from lxml import etree

from conftest import FIXTURES
from padan.cli import main
from tm.files import read_units

DJANGO = FIXTURES / "django"
BASH_ID = FIXTURES / "po" / "bash-5.2_id.po"
XLIFF_SCHEMA = FIXTURES / "xliff" / "schemas" / "xliff-core-1.2-strict.xsd"


def _invoke(db: str, *args: str, code: int = 0):
    result = CliRunner().invoke(main, ["--db", db, *args], catch_exceptions=False)
    assert result.exit_code == code, result.output
    return result


@pytest.fixture
def sqlite_db(tmp_path):
    return str(tmp_path / "padan.db")


def _job(old: str, new: str, out) -> None:
    """The messages of ``new`` that ``old`` lacks, untranslated (as after msgmerge)."""
    known = {(e.msgctxt, e.msgid) for e in polib.pofile(str(DJANGO / old))}
    catalogue = polib.pofile(str(DJANGO / new))
    job = polib.POFile(wrapwidth=0)
    job.header, job.metadata = catalogue.header, catalogue.metadata
    for entry in catalogue:
        if (entry.msgctxt, entry.msgid) in known or entry.obsolete:
            continue
        entry.msgstr = ""
        entry.msgstr_plural = dict.fromkeys(entry.msgstr_plural, "")
        job.append(entry)
    job.save(str(out))


@pytest.mark.parametrize("lang", ["zh_Hans", "id"])
def test_django_new_messages_pretranslated_and_msgfmt_clean(sqlite_db, tmp_path, lang):
    _invoke(sqlite_db, "import", str(DJANGO / f"conf-3.2.25-{lang}.po"))
    job = tmp_path / "job.po"
    _job(f"conf-3.2.25-{lang}.po", f"conf-4.2.30-{lang}.po", job)
    out = tmp_path / "out.po"
    result = _invoke(sqlite_db, "pretranslate", str(job), "-o", str(out), "--show")
    subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(out)], check=True)
    filled = {(e.msgctxt, e.msgid): e for e in polib.pofile(str(out))}
    # 4.2 says "%(num)d year" where 3.2 said "%d year": repaired, marked for review
    year = filled[(None, "%(num)d year")]
    assert year.msgstr_plural[0].startswith("%(num)d") and "fuzzy" in year.flags
    assert year.previous_msgid == "%d year"
    assert any(c.startswith("padan: repaired match") and "%d → %(num)d" in c
               for c in year.tcomment.split("\n"))  # fmt: skip
    assert "patched: %d → %(num)d" in result.output
    truth = {(e.msgctxt, e.msgid): e for e in polib.pofile(str(DJANGO / f"conf-4.2.30-{lang}.po"))}
    repaired = [e for e in filled.values() if "padan: repaired" in e.tcomment]
    assert len(repaired) >= 6  # year, month, week, day, hour, minute
    for entry in repaired:  # each is what the Django translators wrote, spacing aside
        want = truth[(entry.msgctxt, entry.msgid)].msgstr_plural[0]
        assert entry.msgstr_plural[0].replace(" ", "") == want.replace(" ", "")
    untouched = [e for e in filled.values() if not e.translated() and "fuzzy" not in e.flags]
    assert untouched and all(not e.msgstr and not e.tcomment for e in untouched)


def test_whole_catalogue_exact_matches_are_translated_and_the_rest_kept(sqlite_db, tmp_path):
    _invoke(sqlite_db, "import", str(DJANGO / "conf-3.2.25-id.po"))
    job = tmp_path / "django.po"
    shutil.copy(DJANGO / "conf-4.2.30-en.po", job)  # Django's own untranslated catalogue
    out = tmp_path / "id.po"
    _invoke(sqlite_db, "pretranslate", str(job), "-o", str(out), "--to", "id")
    subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(out)], check=True)
    memory = {(e.msgctxt, e.msgid): e for e in polib.pofile(str(DJANGO / "conf-3.2.25-id.po"))}
    truth = {(e.msgctxt, e.msgid): e for e in polib.pofile(str(DJANGO / "conf-4.2.30-id.po"))}
    exact = [e for e in polib.pofile(str(out)) if e.translated()]
    assert len(exact) > 250
    right = 0
    for entry in exact:  # an exact match is the memory's translation of that very message
        key = (entry.msgctxt, entry.msgid)
        assert key in memory and entry.msgstr == memory[key].msgstr
        right += entry.msgstr == truth[key].msgstr
    assert right / len(exact) > 0.95  # what Django's translators kept in 4.2

    # a second run keeps what the first wrote; --overwrite replaces it
    polished = polib.pofile(str(out))
    polished[0].msgstr = "MY OWN"
    polished.save(str(out))
    again = tmp_path / "again.po"
    _invoke(sqlite_db, "pretranslate", str(out), "-o", str(again))
    assert polib.pofile(str(again))[0].msgstr == "MY OWN"
    _invoke(sqlite_db, "pretranslate", str(out), "-o", str(again), "--overwrite")
    assert polib.pofile(str(again))[0].msgstr == memory[(None, polished[0].msgid)].msgstr


# -- the analysis, counted by hand ---------------------------------------------------------

MEMORY_PO = """msgid ""
msgstr ""
"Language: id\\n"
"Content-Type: text/plain; charset=UTF-8\\n"

msgid "Open the file"
msgstr "Buka berkas"

msgid "Save the file"
msgstr "Simpan berkas"

msgctxt "menu"
msgid "Close"
msgstr "Tutup"

msgid "Delete 3 files"
msgstr "Hapus 3 berkas"

msgid "The server is not responding"
msgstr "Server tidak merespons"
"""

JOB_PO = """msgid ""
msgstr ""
"Language: id\\n"
"Content-Type: text/plain; charset=UTF-8\\n"

msgid "Open the file"
msgstr ""

msgid "Save the file"
msgstr ""

msgid "Save the files"
msgstr ""

msgctxt "menu"
msgid "Close"
msgstr ""

msgid "Delete 7 files"
msgstr ""

msgctxt "other"
msgid "Delete 7 files"
msgstr ""

msgid "The server is responding"
msgstr ""

msgid "Completely unrelated sentence here"
msgstr ""
"""

# By hand: "Open the file" has the memory's neighbours (none before, "Save the file"
# after): context, 3 words. "Save the file" is followed by another text than in the
# memory: 100%, 3. "Save the files": one letter more, 92.9: 85-94, 3. "Close" under the
# memory's msgctxt: context, 1. "Delete 7 files": only the number differs: repaired, 3;
# again under another msgctxt: repetition, 3. "The server is responding": 85.7 less the
# 20 points of the negation it lacks: 50-74, 4. The last: no match, 4.
EXPECTED = {
    "context": (2, 4),
    "100%": (1, 3),
    "repetition": (1, 3),
    "repaired": (1, 3),
    "95–99": (0, 0),
    "85–94": (1, 3),
    "75–84": (0, 0),
    "50–74": (1, 4),
    "no match": (1, 4),
}


@pytest.fixture
def small(tmp_path, db_location):
    (tmp_path / "memory.po").write_text(MEMORY_PO, encoding="utf-8")
    (tmp_path / "job.po").write_text(JOB_PO, encoding="utf-8")
    _invoke(db_location, "import", str(tmp_path / "memory.po"))
    return db_location, tmp_path


def test_analysis_matches_the_hand_count(small):
    db, folder = small
    data = json.loads(_invoke(db, "analyze", str(folder / "job.po"), "--json").output)
    counted = {r: (data["total"]["segments"][r], data["total"]["words"][r]) for r in data["bands"]}
    assert counted == EXPECTED
    assert data["total"]["total"] == {"segments": 8, "words": 24}
    assert "Chinese character counts as one word" in data["convention"]


def test_analysis_csv_text_and_band_edges(small):
    db, folder = small
    job = str(folder / "job.po")
    rows = list(csv.reader(io.StringIO(_invoke(db, "analyze", job, job, "--csv").output)))
    assert rows[0] == ["file", "band", "segments", "words"]
    # the second copy of the file repeats the first: all but its context/100% rows
    assert ["total", "repetition", "6", "20"] in rows
    text = _invoke(db, "analyze", job, "--bands", "90,60").output
    assert "90–99" in text and "60–89" in text and "Chinese character" in text
    out = _invoke(db, "analyze", job, "--bands", "60,90", code=2).output
    assert "highest first" in out


def test_pretranslate_marks_fuzzy_with_score_and_origin(small):
    db, folder = small
    out = folder / "out.po"
    result = _invoke(db, "pretranslate", str(folder / "job.po"), "-o", str(out), "--min", "50")
    assert "2 context, 1 100%, 2 repaired, 2 fuzzy, 1 no match" in result.output
    entries = {(e.msgctxt, e.msgid): e for e in polib.pofile(str(out))}
    assert entries[(None, "Open the file")].msgstr == "Buka berkas"
    assert "fuzzy" not in entries[(None, "Open the file")].flags
    files = entries[(None, "Save the files")]
    assert files.msgstr == "Simpan berkas" and "fuzzy" in files.flags
    assert files.previous_msgid == "Save the file"
    assert "padan: fuzzy match 93% from memory.po#2" in files.tcomment
    server = entries[(None, "The server is responding")]
    assert "negation" in server.tcomment and server.msgstr == "Server tidak merespons"
    assert entries[(None, "Delete 7 files")].msgstr == "Hapus 7 berkas"
    assert not entries[(None, "Completely unrelated sentence here")].msgstr
    subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(out)], check=True)
    # what is left to translate: the unmatched unit (the fills to review are drafts, which
    # another pretranslate keeps)
    left = json.loads(_invoke(db, "analyze", str(out), "--untranslated", "--json").output)
    assert left["total"]["total"] == {"segments": 1, "words": 4}
    # --min 75 leaves the negated match out; --no-repair the number patch
    _invoke(db, "pretranslate", str(folder / "job.po"), "-o", str(out), "--no-repair")
    entries = {(e.msgctxt, e.msgid): e for e in polib.pofile(str(out))}
    assert not entries[(None, "The server is responding")].msgstr
    assert entries[(None, "Delete 7 files")].msgstr == "Hapus 3 berkas"  # fuzzy 92.9
    assert "fuzzy" in entries[(None, "Delete 7 files")].flags


def test_a_template_filled_declares_its_language(small):
    db, folder = small
    template, out = folder / "messages.pot", folder / "id.po"
    template.write_text(
        'msgid ""\nmsgstr ""\n"Language: \\n"\n"Content-Type: text/plain; charset=CHARSET\\n"\n'
        '"Plural-Forms: nplurals=INTEGER; plural=EXPRESSION;\\n"\n\n'
        '#, python-format\nmsgid "Delete %(n)d file"\nmsgid_plural "Delete %(n)d files"\n'
        'msgstr[0] ""\nmsgstr[1] ""\n\nmsgid "Open the file"\nmsgstr ""\n',
        encoding="utf-8",
    )
    _invoke(db, "pretranslate", str(template), "-o", str(out), "--to", "id")
    subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(out)], check=True)
    catalogue = polib.pofile(str(out))
    assert catalogue.metadata["Language"] == "id"
    assert "INTEGER" not in catalogue.metadata["Plural-Forms"]
    assert catalogue.find("Open the file").msgstr == "Buka berkas"


# -- XLIFF and TMX ---------------------------------------------------------------------------

XLIFF_JOB = """<?xml version="1.0" encoding="UTF-8"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
  <file original="ui.txt" source-language="en" datatype="plaintext">
    <body>
      <trans-unit id="open">
        <source>Open the file</source>
      </trans-unit>
      <trans-unit id="files">
        <source>Save the files</source>
        <target/>
      </trans-unit>
      <trans-unit id="bold">
        <source>Open the <g id="1">file</g></source>
      </trans-unit>
      <trans-unit id="kept">
        <source>Save the file</source>
        <target state="final">Simpan arsip</target>
      </trans-unit>
      <trans-unit id="none">
        <source>Completely unrelated sentence here</source>
      </trans-unit>
    </body>
  </file>
</xliff>
"""


def test_pretranslate_xliff_in_place_and_valid(small):
    db, folder = small
    job, out = folder / "job.xlf", folder / "out.xlf"
    job.write_text(XLIFF_JOB, encoding="utf-8")
    result = _invoke(db, "pretranslate", str(job), "-o", str(out), "--to", "id")
    assert "1 100%, 2 fuzzy, 1 no match, 1 kept" in result.output
    schema = etree.XMLSchema(etree.parse(str(XLIFF_SCHEMA)))
    tree = etree.parse(str(out))
    schema.assertValid(tree)
    ns = {"x": "urn:oasis:names:tc:xliff:document:1.2"}
    units = {u.get("id"): u for u in tree.iterfind(".//x:trans-unit", ns)}

    def target(unit_id):
        return units[unit_id].find("x:target", ns)

    assert (target("open").text, target("open").get("state")) == ("Buka berkas", "translated")
    assert target("files").get("state") == "needs-review-translation"
    assert "fuzzy match 93%" in units["files"].find("x:note", ns).text
    # the source's codes count as a difference: a fuzzy match, whose target has no codes
    assert target("bold").get("state") == "needs-review-translation"
    assert "fuzzy match 87%" in units["bold"].find("x:note", ns).text
    assert target("kept").text == "Simpan arsip" and target("none") is None
    assert tree.find("x:file", ns).get("target-language") == "id-ID"
    back = read_units(out)  # Padan reads it back: filled, with the review states
    flags = {
        u.key: (u.variant("id").text if u.variant("id") else None, u.flags) for u in back.units
    }
    assert flags["open"] == ("Buka berkas", ())
    assert flags["files"] == ("Simpan berkas", ("fuzzy",))


XLIFF2_JOB = """<?xml version="1.0" encoding="UTF-8"?>
<xliff version="2.0" xmlns="urn:oasis:names:tc:xliff:document:2.0" srcLang="en">
  <file id="f1">
    <unit id="open">
      <segment><source>Open the file</source></segment>
    </unit>
    <unit id="two">
      <notes><note category="author">two segments</note></notes>
      <segment id="s1"><source>Save the files</source><target/></segment>
      <segment id="s2" state="final"><source>Save the file</source>
        <target>Simpan arsip</target></segment>
    </unit>
    <unit id="bold">
      <originalData><data id="d1">&lt;b&gt;</data><data id="d2">&lt;/b&gt;</data></originalData>
      <segment><source>Open the <pc id="1" dataRefStart="d1"
        dataRefEnd="d2">file</pc></source></segment>
    </unit>
    <group id="g" translate="no">
      <unit id="frozen"><segment><source>Open the file</source></segment></unit>
    </group>
    <unit id="none">
      <segment><source>Completely unrelated sentence here</source></segment>
    </unit>
  </file>
</xliff>
"""


def test_pretranslate_xliff2_in_place_and_valid(small):
    db, folder = small
    job, out = folder / "job2.xlf", folder / "out2.xlf"
    job.write_text(XLIFF2_JOB, encoding="utf-8")
    result = _invoke(db, "pretranslate", str(job), "-o", str(out), "--to", "id")
    assert "1 100%, 2 fuzzy, 1 no match, 1 kept" in result.output
    schema = etree.XMLSchema(etree.parse(str(XLIFF_SCHEMA.with_name("xliff_core_2.0.xsd"))))
    tree = etree.parse(str(out))
    schema.assertValid(tree)
    ns = {"x": "urn:oasis:names:tc:xliff:document:2.0"}
    assert tree.getroot().get("trgLang") == "id-ID"
    units = {u.get("id"): u for u in tree.iterfind(".//x:unit", ns)}

    def segment(unit_id, index=0):
        return units[unit_id].findall("x:segment", ns)[index]

    assert segment("open").get("state") == "translated"
    assert segment("open").findtext("x:target", namespaces=ns) == "Buka berkas"
    assert units["open"].find("x:notes", ns) is None  # an exact match needs no note
    files = segment("two")
    assert (files.get("state"), files.findtext("x:target", namespaces=ns)) == (
        "initial",
        "Simpan berkas",
    )
    notes = [n.text for n in units["two"].iterfind("x:notes/x:note", ns)]
    assert notes[0] == "two segments" and notes[1].startswith("segment s1: padan: fuzzy match 93%")
    assert segment("two", 1).findtext("x:target", namespaces=ns) == "Simpan arsip"  # kept
    assert segment("two", 1).get("state") == "final"
    assert segment("bold").get("state") == "initial"  # the codes make it a fuzzy match
    assert "fuzzy match 87%" in units["bold"].findtext("x:notes/x:note", namespaces=ns)
    assert segment("frozen").find("x:target", ns) is None
    assert segment("none").find("x:target", ns) is None
    # Padan reads it back: the exact match translated, the fuzzy one needing review
    back = {u.key: u for u in read_units(out).units}
    assert back["open"].flags == () and back["two:s1"].flags == ("fuzzy",)
    # again with --overwrite: the note is replaced, not repeated
    _invoke(db, "pretranslate", str(out), "-o", str(job), "--overwrite")
    again = etree.parse(str(job))
    schema.assertValid(again)
    two = again.find(".//x:unit[@id='two']", ns)
    assert len(two.findall("x:notes/x:note[@category='padan']", ns)) == 1


def test_pretranslate_tmx(small):
    db, folder = small
    job, out = folder / "job.tmx", folder / "out.tmx"
    job.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header creationtool="t" '
        'creationtoolversion="1" segtype="sentence" o-tmf="t" adminlang="en" srclang="en" '
        'datatype="plaintext"/><body>'
        '<tu tuid="1"><tuv xml:lang="en"><seg>Open the file</seg></tuv></tu>'
        '<tu tuid="2"><tuv xml:lang="en"><seg>Delete 7 files</seg></tuv></tu>'
        "</body></tmx>",
        encoding="utf-8",
    )
    _invoke(db, "pretranslate", str(job), "-o", str(out), "--to", "id")
    units = {u.key: u for u in read_units(out).units}
    assert units["1"].variant("id").text == "Buka berkas"
    assert units["2"].variant("id").text == "Hapus 7 berkas"
    assert any("repaired match" in n and "3 → 7" in n for n in units["2"].notes)


def test_bad_input_is_one_line_and_exit_2(small):
    db, folder = small
    job = str(folder / "job.po")
    missing = _invoke(db, "pretranslate", str(folder / "nope.po"), "-o", job, code=2).output
    assert missing.startswith("padan: error: ") and missing.count("\n") == 1
    wrong = _invoke(db, "pretranslate", job, "-o", str(folder / "out.tmx"), code=2).output
    assert "input's format" in wrong
    template = folder / "template.pot"
    template.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
                        'msgid "Open the file"\nmsgstr ""\n', encoding="utf-8")  # fmt: skip
    out = _invoke(db, "pretranslate", str(template), "-o", str(folder / "t.pot"), code=2).output
    assert "target language" in out and "--to" in out
    before = (folder / "job.po").read_bytes()
    _invoke(db, "analyze", job, str(folder / "broken.po"), code=2)
    assert (folder / "job.po").read_bytes() == before


def test_pretranslate_xliff2_a_unit_saying_yes_in_a_file_saying_no(tmp_path, sqlite_db):
    """The nearest translate attribute decides: Okapi's sample file says translate="no"
    and its units translate="yes"; they are filled, as analyze counts them."""
    job, out = FIXTURES / "xliff" / "okapi-xliff2-everything-core.xlf", tmp_path / "out.xlf"
    _invoke(sqlite_db, "import", str(job))
    result = _invoke(sqlite_db, "pretranslate", str(job), "-o", str(out), "--overwrite")
    assert "(en→fr): 2 context, 3 no match" in result.output
    data = json.loads(_invoke(sqlite_db, "analyze", str(job), "--json").output)
    assert data["total"]["segments"]["context"] == 2
    schema = etree.XMLSchema(etree.parse(str(XLIFF_SCHEMA.with_name("xliff_core_2.0.xsd"))))
    schema.assertValid(etree.parse(str(out)))


def test_a_new_messages_copied_source_is_no_translation_in_the_memory(tmp_path):
    """Angular's extraction writes each new message with its source copied into a target
    of state "new": a memory made of the file offers its translations, not those copies."""
    db = str(tmp_path / "padan.db")
    angular = FIXTURES / "xliff" / "angular-algorea-messages.fr.xlf"
    _invoke(db, "import", str(angular))
    data = json.loads(_invoke(db, "analyze", str(angular), "--json").output)
    exact = data["total"]["segments"]["context"] + data["total"]["segments"]["100%"]
    assert exact == 694  # the translated units, each its own match; not the 70 new ones


def _filled_and_unmatched(output: str) -> int:
    line = output.splitlines()[0]
    return sum(int(n) for n, _ in re.findall(r"(\d+) (context|100%|repaired|fuzzy|no match)", line))


@pytest.mark.parametrize("suffix", [".po", ".xlf"])
def test_analyze_untranslated_counts_what_pretranslate_fills(tmp_path, suffix):
    """bash's id catalogue (41 fuzzy drafts, 1 untranslated) against a memory of its own
    translations, as PO and as XLIFF (drafts: needs-review-translation): both commands
    leave the drafts to their translator and take the untranslated message."""
    db = str(tmp_path / "padan.db")
    _invoke(db, "import", str(BASH_ID))
    job = tmp_path / f"job{suffix}"
    if suffix == ".po":
        shutil.copy(BASH_ID, job)
    else:
        _invoke(db, "export", str(job), "--document", BASH_ID.name)
    drafts = {u.variants[0].text: u for u in read_units(str(job)).units if "fuzzy" in u.flags}
    assert len(drafts) == 41
    analysis = json.loads(_invoke(db, "analyze", str(job), "--untranslated", "--json").output)
    out = tmp_path / f"out{suffix}"
    report = _invoke(db, "pretranslate", str(job), "-o", str(out), "--min", "50").output
    assert analysis["total"]["total"]["segments"] == _filled_and_unmatched(report) == 1
    assert "596 kept" in report
    kept = {u.variants[0].text: u for u in read_units(str(out)).units if "fuzzy" in u.flags}
    assert {s: u.variants for s, u in kept.items()} == {s: u.variants for s, u in drafts.items()}


def test_a_new_angular_message_is_to_translate_for_both(tmp_path):
    """Angular's new messages (state "new", their source copied into the target) are
    what both commands take: 70 counted, 70 filled or unmatched, none kept."""
    db = str(tmp_path / "padan.db")
    angular = FIXTURES / "xliff" / "angular-algorea-messages.fr.xlf"
    _invoke(db, "import", str(angular))
    analysis = json.loads(_invoke(db, "analyze", str(angular), "--untranslated", "--json").output)
    out = tmp_path / "out.xlf"
    report = _invoke(db, "pretranslate", str(angular), "-o", str(out), "--min", "50").output
    assert analysis["total"]["total"]["segments"] == _filled_and_unmatched(report) == 70
    assert "694 kept" in report
    # each filled one leaves its state new; the unmatched keep theirs, as analyze said
    still = [u for u in read_units(str(out)).units if dict(u.extra).get("xliff:state") == "new"]
    assert len(still) == analysis["total"]["segments"]["no match"] < 70
