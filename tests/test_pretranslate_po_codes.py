"""A memory made from an XLIFF with inline codes (Okapi's okapi-iws-test1_es.xlf) serving a
PO job: a PO has no codes, so the match's codes are written as text the way `padan export`
writes them in a PO (``<ph>{1}</ph>`` as ``{1}``), in the msgstr, the previous msgid and
the note; Padan's placeholder characters never reach a written file or the JSON output."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import polib
from cli_ok import padan_ok

from conftest import FIXTURES

OKAPI = FIXTURES / "xliff" / "okapi-iws-test1_es.xlf"
RESERVED = re.compile("[\ufdd0-\ufdef\U00100000-\U0010fffd]")
CODE = re.compile(r"\{\d+\}")  # the file's ph elements hold {1}, {2}...


def _job(tmp_path: Path) -> tuple[Path, Path]:
    """The workspace of the XLIFF, and its PO export (kept as export.po) with the
    translations taken out."""
    db = tmp_path / "ws.db"
    padan_ok(db, "import", str(OKAPI))
    po = tmp_path / "es.po"
    padan_ok(db, "export", str(po), "--from", "en", "--to", "es")
    catalogue = polib.pofile(str(po))
    catalogue.save(str(tmp_path / "export.po"))
    for entry in catalogue:
        entry.msgstr = ""
    catalogue.save(str(po))
    return db, po


def test_a_po_job_gets_the_matches_codes_as_text(tmp_path):
    """A memory opened for another format (a caller's, pretranslate(memory=...)) still
    gives a PO its codes as text, never as placeholder characters."""
    from padan.leverage import open_memory
    from padan.pretranslate import pretranslate
    from padan.workspace import Workspace

    db, po = _job(tmp_path)
    out = tmp_path / "out.po"
    ws = Workspace(str(db))
    try:
        pretranslate(ws, str(po), str(out), memory=open_memory(ws, "en", "es"))
    finally:
        ws.close()
    text = out.read_text(encoding="utf-8")
    assert not RESERVED.search(text)
    filled = [e for e in polib.pofile(str(out)) if e.msgstr and CODE.search(e.msgid)]
    assert filled
    for entry in filled:
        # the memory's source as the PO shows it, and each code of the match as its text
        assert entry.previous_msgid is not None
        assert CODE.findall(entry.previous_msgid)
        assert CODE.findall(entry.msgstr)
        assert any(c.startswith("padan: ") for c in entry.tcomment.splitlines())
    dated = next(e for e in filled if e.msgid.startswith("{10}Last Updated on Tuesday"))
    assert CODE.findall(dated.msgstr) == [f"{{{n}}}" for n in range(10, 16)]
    assert dated.previous_msgid == dated.msgid  # the same source but for the codes
    assert "fuzzy" in dated.flags


def test_search_json_holds_no_placeholder_character(tmp_path):
    db, _ = _job(tmp_path)
    found = json.loads(padan_ok(db, "search", "Home", "--json", "--min", "20"))
    with_codes = [m for m in found if "①" in m["text"]]
    assert with_codes  # '{1}{2}Home{3}{4}' is stored with four codes
    assert not RESERVED.search(json.dumps(found, ensure_ascii=False))
    hits = padan_ok(db, "concordance", "Home", "--lang", "en", "--json")
    assert "①" in hits and not RESERVED.search(hits)


def test_a_po_export_of_the_memory_is_pretranslated_back_to_itself(tmp_path):
    """A PO job meets the memory's codes as its own export writes them (padan.leverage
    .without_codes): '{1}{2}Home{3}{4}' is the memory's '①②Home③④', a match in context,
    where it was a repaired match of a source '25% similar' (one placeholder character
    against '{1}'), and every translation comes back as it was exported."""
    db, po = _job(tmp_path)
    out = tmp_path / "out.po"
    said = padan_ok(db, "pretranslate", str(po), "-o", str(out))
    assert "repaired" not in said
    exported = {(e.msgctxt, e.msgid): e.msgstr for e in polib.pofile(str(tmp_path / "export.po"))}
    filled = {(e.msgctxt, e.msgid): e for e in polib.pofile(str(out))}
    translated = [k for k, v in exported.items() if v]
    assert len(translated) > 80
    assert all(filled[key].msgstr == exported[key] for key in translated)
    assert "fuzzy" not in filled[(None, "Home")].flags  # Inicio: a match to use as it is
    # the memory's translation is the file's codes on indented lines of their own
    # ("\n\t\t\t\t\t{1}\n..."): in context, but for review, as msgfmt -c refuses such
    # line breaks in an entry not marked fuzzy
    home = filled[(None, "{1}{2}Home{3}{4}")]
    assert "fuzzy" in home.flags and "line breaks" in home.tcomment
    assert subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(out)]).returncode == 0
    rows = json.loads(padan_ok(db, "analyze", str(po), "--json"))["total"]["segments"]
    assert rows["repaired"] == 0 and rows["context"] + rows["100%"] >= len(translated) - 3


def test_a_po_document_in_the_app_meets_the_memory_with_codes_as_text(tmp_path):
    """The TUI's match of a row of a PO document (padan.rowmatch) is the one pretranslate
    gives the PO: '{1}{2}Home{3}{4}' finds the XLIFF's '①②Home③④' whole, and what Ctrl+E
    would insert is the translation with its codes as text."""
    from padan.rowmatch import RowQuery, open_row_matcher
    from padan.workspace import Workspace

    db, _ = _job(tmp_path)
    padan_ok(db, "import", str(tmp_path / "export.po"))
    ws = Workspace(str(db))
    try:
        units = [u for _, u in ws.documents.units("export.po")]
        matcher = open_row_matcher(ws, "export.po", "en", "es")
    finally:
        ws.close()
    home = next(i for i, u in enumerate(units, 1) if u.variants[0].text == "{1}{2}Home{3}{4}")
    offer = matcher.best(RowQuery(home, "{1}{2}Home{3}{4}", units[home - 1].variants[1].text))
    assert offer.score == 100
    assert CODE.findall(offer.targets[0]) == ["{1}", "{2}", "{3}", "{4}"]
    assert not RESERVED.search(offer.targets[0])
