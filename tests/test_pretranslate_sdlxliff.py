"""`padan pretranslate` on SDLXLIFF (SDL Trados Studio) fills each ``<mrk mtype="seg">``
segment of a trans-unit from its own match, in the target's mrk of the same mid, with
the segment's ``sdl:seg`` saying how (conf, origin, percent), as `padan analyze` counts
the segments; locked segments are left alone. Checked on Trados files from Okapi's test
suite, against the XLIFF 1.2 transitional schema (xmllint) and translate-toolkit's reader."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from cli_ok import padan_ok
from lxml import etree
from translate.storage import xliff

from conftest import FIXTURES
from tm.files import read_units

XLIFF = FIXTURES / "xliff"
HOME_BIG = XLIFF / "okapi-home_big15998.sdlxliff"  # untranslated, en-US -> es-ES
TEST_TXT = XLIFF / "okapi-test.txt_en-US_fr-FR.sdlxliff"  # translated, a locked segment
NS = "{urn:oasis:names:tc:xliff:document:1.2}"
SDL = "{http://sdl.com/FileTypes/SdlXliff/1.0}"

MEMORY = r"""msgid ""
msgstr ""
"Language: es_ES\n"
"MIME-Version: 1.0\n"
"Content-Type: text/plain; charset=UTF-8\n"

msgid "HTML By Bad Example:"
msgstr "HTML con malos ejemplos:"

msgid "BIG Systems Corp. Home Page"
msgstr "Página de inicio de BIG Systems Corp."

msgid "<BR>Do they work?"
msgstr "<BR>¿Funcionan?"

msgid "<BR>He wears a 72 shirt."
msgstr "<BR>Lleva una camisa de talla 72."

msgid "<BR>He is really big, truly."
msgstr "<BR>Es realmente grande, de verdad."
"""


def _counts(report: str) -> dict[str, int]:
    line = report.splitlines()[0]
    return {k: int(n) for n, k in re.findall(r"(\d+) (context|100%|repaired|fuzzy|no match)", line)}


def _valid(path: Path) -> None:
    """SDL's files are valid against the transitional schema (not the strict one, whose
    wildcards want a schema for sdl:seg-defs); so must the filled one be."""
    xmllint = shutil.which("xmllint")
    assert xmllint, "xmllint (libxml2-utils) is needed"
    schema = XLIFF / "schemas" / "xliff-core-1.2-transitional.xsd"
    done = subprocess.run(
        [xmllint, "--noout", "--schema", str(schema), str(path)], capture_output=True
    )
    assert done.returncode == 0, done.stderr


def _segs(path: Path, unit_id: str) -> tuple[dict[str, str], dict[str, dict[str, str]]]:
    """A trans-unit's target text by mid, and its sdl:seg attributes by id."""
    (tu,) = [t for t in etree.parse(str(path)).iter(f"{NS}trans-unit") if t.get("id") == unit_id]
    target = tu.find(f"{NS}target")
    texts = {m.get("mid"): "".join(m.itertext()) for m in target.iter(f"{NS}mrk")}
    return texts, {s.get("id"): dict(s.attrib) for s in tu.iter(f"{SDL}seg")}


def test_each_segment_is_filled_from_its_own_match(tmp_path):
    db, memory, out = tmp_path / "w.db", tmp_path / "memory.po", tmp_path / "out.sdlxliff"
    memory.write_text(MEMORY, encoding="utf-8")
    padan_ok(db, "import", str(memory))
    analysis = json.loads(padan_ok(db, "analyze", str(HOME_BIG), "--json"))["total"]
    report = padan_ok(db, "pretranslate", str(HOME_BIG), "-o", str(out))
    # what analyze counts is what pretranslate fills or finds nothing for, segment by segment
    assert analysis["total"]["segments"] == sum(_counts(report).values()) == 23
    assert _counts(report) == {"100%": 3, "repaired": 1, "fuzzy": 1, "no match": 18}
    assert analysis["locked"]["segments"] == 5  # translate="no" units of markup only
    _valid(out)
    title, title_levels = _segs(out, "3191d6fb-fc9b-417d-905a-6ef728f70a88")
    assert title == {"1": "HTML con malos ejemplos:", "2": "Página de inicio de BIG Systems Corp."}
    assert {k: (v["conf"], v["origin"], v["percent"]) for k, v in title_levels.items()} == {
        "1": ("Translated", "tm", "100"),
        "2": ("Translated", "tm", "100"),
    }
    body, levels = _segs(out, "7e99b0a6-d665-451d-994c-db8173917d49")
    assert body["6"] == "<BR>Lleva una camisa de talla 73." and body["13"] == "<BR>¿Funcionan?"
    assert levels["6"]["conf"] == levels["7"]["conf"] == "Draft"  # repaired, fuzzy: review
    assert int(levels["7"]["percent"]) < 100 and levels["13"]["conf"] == "Translated"
    untouched = [mid for mid, text in body.items() if not text]
    assert len(untouched) == 18 and all(
        levels[m] == {"id": m, "origin": "not-translated"} for m in untouched
    )
    # translate-toolkit sees the targets; Padan reads the drafts back as needing review
    units = {u.getid(): u.target for u in xliff.xlifffile.parsefile(str(out)).units if u.target}
    assert "HTML con malos ejemplos: Página de inicio de BIG Systems Corp." in units.values()
    fuzzy = {
        u.key.split(":")[1]: "fuzzy" in u.flags
        for u in read_units(str(out)).units
        if len(u.variants) > 1
    }
    assert fuzzy == {"1": False, "2": False, "6": True, "7": True, "13": False}


@pytest.fixture
def job(tmp_path: Path) -> Path:
    """Okapi's Trados file as Trados hands it out untranslated: its target's segments
    empty, each sdl:seg "not-translated", the locked segment 4 still locked."""
    tree = etree.parse(str(TEST_TXT))
    for mrk in tree.iter(f"{NS}mrk"):
        if mrk.getparent().tag == f"{NS}target":
            mrk.text = None
    for seg in tree.iter(f"{SDL}seg"):
        kept = {k: v for k, v in seg.attrib.items() if k in ("id", "locked")}
        seg.clear()
        seg.attrib.update({**kept, "origin": "not-translated"})
    path = tmp_path / "job.sdlxliff"
    tree.write(str(path), xml_declaration=True, encoding="utf-8")
    return path


def test_a_locked_segment_is_left_alone_and_counted_apart(tmp_path, job):
    db, out = tmp_path / "w.db", tmp_path / "out.sdlxliff"
    padan_ok(db, "import", str(TEST_TXT))  # the memory: the file translated
    analysis = json.loads(padan_ok(db, "analyze", str(job), "--json"))["total"]
    report = padan_ok(db, "pretranslate", str(job), "-o", str(out))
    assert analysis["locked"]["segments"] == 3  # segment 4, and two translate="no" units
    assert analysis["total"]["segments"] == sum(_counts(report).values()) == 4
    _valid(out)
    texts, levels = _segs(out, "0414250d-cb61-4ed9-9a07-ad2e7587498a")
    assert texts["1"] == "Première phrase" and texts["5"] == "Et match CM."
    assert levels["1"]["text-match"] == "SourceAndTarget"  # its neighbours match: context
    assert texts["4"] == "" and levels["4"] == {
        "id": "4",
        "origin": "not-translated",
        "locked": "true",
    }
    assert texts["3"] == "" and "conf" not in levels["3"]  # a draft in the memory: no match
    # --overwrite replaces translations, never a locked segment's
    again = tmp_path / "again.sdlxliff"
    padan_ok(db, "pretranslate", str(TEST_TXT), "-o", str(again), "--overwrite")
    texts, levels = _segs(again, "0414250d-cb61-4ed9-9a07-ad2e7587498a")
    assert texts["4"] == "Modifier " and levels["4"]["conf"] == "ApprovedSignOff"


def test_show_labels_each_segment_of_a_trans_unit_by_its_mid(tmp_path):
    db, memory, out = tmp_path / "w.db", tmp_path / "memory.po", tmp_path / "out.sdlxliff"
    memory.write_text(MEMORY, encoding="utf-8")
    padan_ok(db, "import", str(memory))
    report = padan_ok(db, "pretranslate", str(HOME_BIG), "-o", str(out), "--show")
    labels = re.findall(r"^  \S+(?: \d+%)?  (line \d+(?:, segment \S+)?):", report, re.M)
    assert labels == [
        "line 7, segment 1",  # two segments of one trans-unit, each its own label
        "line 7, segment 2",
        "line 13, segment 6",
        "line 13, segment 7",
        "line 13, segment 13",
    ]
