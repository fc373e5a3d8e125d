"""The review state through export and re-import (issue 20, item 8): a translation a
reviewer confirmed, one edited by hand, one a bulk fix changed, one that needs review
and one as imported are written as XLIFF 1.2 and 2.0 states, PO's fuzzy flag and TMX's
``x-state`` prop; the files validate (schemas, DTD, msgfmt -c), translate-toolkit reads
the states, and importing the file into a new workspace gives the same states back."""

from __future__ import annotations

import subprocess
from pathlib import Path

import polib
import pytest
from cli_ok import padan_ok
from lxml import etree

from conftest import FIXTURES
from padan import review
from padan.review_state import confirmed_now
from padan.workspace import Workspace
from tm.files import read_units
from tm.formats.states import state_of

XLIFF = FIXTURES / "xliff" / "schemas"
STRICT = etree.XMLSchema(etree.parse(str(XLIFF / "xliff-core-1.2-strict.xsd")))
CORE20 = etree.XMLSchema(etree.parse(str(XLIFF / "xliff_core_2.0.xsd")))
DTD = etree.DTD(str(FIXTURES / "tmx" / "tmx14.dtd"))

CATALOGUE = """msgid ""
msgstr ""
"Language: id\\n"
"Content-Type: text/plain; charset=UTF-8\\n"

msgid "Open the file"
msgstr "Buka berkas"

msgid "Save the file"
msgstr "Simpan berkas"

#, fuzzy
#| msgid "Close the files"
msgid "Close the file"
msgstr "Tutup berkas-berkas"

#, fuzzy
msgid "Delete the file"
msgstr "Hapus berkas"

msgid "Print the file"
msgstr "Cetak  berkas"

msgid "Move the file"
msgstr "Pindahkan berkas"
"""

# What each entry becomes, by its msgid: confirmed; edited by hand; confirmed although
# it was fuzzy; left fuzzy; fixed by a bulk fix; untouched.
EXPECTED = {
    "Open the file": "reviewed",
    "Save the file": "translated",
    "Close the file": "reviewed",
    "Delete the file": "needs-review",
    "Print the file": "translated",
    "Move the file": "translated",
}
SPELLED = {
    "xlf": {"needs-review": "needs-review-translation", "reviewed": "signed-off"},
    "xlf2": {"needs-review": "initial"},
}


@pytest.fixture
def reviewed(db_location: str, tmp_path: Path) -> str:
    """A workspace with the catalogue imported, then reviewed as EXPECTED says."""
    po = tmp_path / "id.po"
    po.write_text(CATALOGUE, encoding="utf-8")
    padan_ok(db_location, "import", str(po), "--from", "en")
    ws = Workspace(db_location)
    try:
        sources = {v.unit_id: v.current for v in ws.documents.variants("en")}
        target = {sources[v.unit_id]: v for v in ws.documents.variants("id")}
        review.confirm(ws, target["Open the file"])
        review.confirm(ws, target["Close the file"])
        ws.documents.edit(target["Save the file"].id, "Simpan berkasnya")
        fixed = target["Print the file"]
        ws.documents.bulk_edit([(fixed.id, "Cetak berkas", fixed.version)], reason="bulk fix")
        # confirmed, then edited: the confirmation no longer holds
        review.confirm(ws, target["Move the file"])
        ws.documents.edit(target["Move the file"].id, "Pindahkan berkas ini")
    finally:
        ws.close()
    return db_location


def _states(path: Path) -> dict[str, str]:
    """msgid -> review state, as Padan reads the file back."""
    out = {}
    for unit in read_units(path, source_lang="en", target_lang="id").units:
        source, target = unit.pair("en", "id")
        if source is not None and target is not None:
            out[source.text] = state_of(unit, target)
    return out


def _exported(db: str, folder: Path, name: str, *args: str) -> Path:
    out = folder / name
    padan_ok(db, "export", str(out), "--from", "en", "--to", "id", *args)
    return out


def _written(path: Path, kind: str) -> dict[str, str]:
    """msgid -> the state as the file spells it."""
    if kind == "po":
        return {e.msgid: ("fuzzy" if "fuzzy" in e.flags else "") for e in polib.pofile(str(path))}
    tree = etree.parse(str(path))
    if kind == "xlf":
        ns = {"x": "urn:oasis:names:tc:xliff:document:1.2"}
        return {
            tu.findtext("x:source", namespaces=ns): tu.find("x:target", ns).get("state")
            for tu in tree.iterfind(".//x:trans-unit", ns)
        }
    if kind == "xlf2":
        ns = {"x": "urn:oasis:names:tc:xliff:document:2.0"}
        return {
            seg.findtext("x:source", namespaces=ns): seg.get("state")
            for seg in tree.iterfind(".//x:segment", ns)
        }
    return {
        tu.findtext("tuv[1]/seg"): tu.findtext("tuv[2]/prop[@type='x-state']")
        for tu in tree.iterfind(".//tu")
    }


@pytest.mark.parametrize(
    ("name", "kind", "args"),
    [
        ("out.xlf", "xlf", ("--xliff", "1.2")),
        ("out2.xlf", "xlf2", ("--xliff", "2")),
        ("out.po", "po", ()),
        ("out.tmx", "tmx", ()),
    ],
)
def test_states_survive_export_and_re_import(reviewed, new_db_location, tmp_path, name, kind, args):
    out = _exported(reviewed, tmp_path, name, *args)
    written = _written(out, kind)
    if kind == "po":
        subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(out)], check=True)
        assert written == {m: ("fuzzy" if s == "needs-review" else "") for m, s in EXPECTED.items()}
        # a fuzzy entry confirmed loses the flag and its previous msgid with it
        assert polib.pofile(str(out)).find("Close the file").previous_msgid is None
    else:
        schema = {"xlf": STRICT, "xlf2": CORE20, "tmx": DTD}[kind]
        assert schema.validate(etree.parse(str(out))), schema.error_log
        spelled = SPELLED.get(kind, {})
        if kind == "tmx":  # a plain translation needs no prop
            spelled = {"translated": None}
        assert written == {m: spelled.get(s, s) for m, s in EXPECTED.items()}
    # PO has no word for "reviewed": a confirmed entry comes back translated
    back = {m: "translated" if kind == "po" and s == "reviewed" else s for m, s in EXPECTED.items()}
    assert _states(out) == back
    # into a new workspace: the reviewed ones are confirmed there, the rest as they were
    other = new_db_location("other.db")
    padan_ok(other, "import", str(out), "--from", "en", "--to", "id")
    ws = Workspace(other)
    try:
        sources = {v.unit_id: v.current for v in ws.documents.variants("en")}
        confirmed = confirmed_now(ws)
        now = {sources[v.unit_id]: v.id in confirmed for v in ws.documents.variants("id")}
    finally:
        ws.close()
    assert now == {m: s == "reviewed" for m, s in back.items()}
    again = _exported(other, tmp_path, "again-" + name, *args)
    assert _states(again) == back


def test_translate_toolkit_reads_the_states(reviewed, tmp_path):
    from translate.storage import factory

    for name, args in (("tt.xlf", ("--xliff", "1.2")), ("tt.po", ()), ("tt.tmx", ())):
        out = _exported(reviewed, tmp_path, name, *args)
        store = factory.getobject(str(out))
        units = {u.source: u for u in store.units if u.source}
        assert set(units) == set(EXPECTED), name
        if name.endswith(".tmx"):
            continue  # translate-toolkit keeps no TMX props; the texts are what it reads
        if name.endswith(".po"):
            fuzzy = {m for m, u in units.items() if u.isfuzzy()}
            assert fuzzy == {m for m, s in EXPECTED.items() if s == "needs-review"}
            continue
        # translate-toolkit's ranks: needs review < translated < signed off (approved)
        rank = {m: u.get_state_n() for m, u in units.items()}
        assert units["Delete the file"].isreview()
        assert rank["Delete the file"] < rank["Save the file"] == rank["Move the file"]
        assert rank["Save the file"] < rank["Open the file"] == rank["Close the file"]
        assert units["Open the file"].isapproved() and not units["Open the file"].isfuzzy()


def test_unconfirmed_and_sdl_levels(reviewed, tmp_path):
    """Taking a confirmation back takes it out of the export; SDLXLIFF writes the levels."""
    ws = Workspace(reviewed)
    try:
        sources = {v.unit_id: v.current for v in ws.documents.variants("en")}
        target = {sources[v.unit_id]: v for v in ws.documents.variants("id")}
        review.unconfirm(ws, target["Open the file"].id)
    finally:
        ws.close()
    out = _exported(reviewed, tmp_path, "out.sdlxliff")
    tree = etree.parse(str(out))
    sdl = "{http://sdl.com/FileTypes/SdlXliff/1.0}"
    levels = [seg.get("conf") for seg in tree.iter(f"{sdl}seg")]
    assert levels == ["Translated", "Translated", "ApprovedTranslation", "Draft"] + [
        "Translated",
        "Translated",
    ]
    assert _states(out)["Open the file"] == "translated"


def test_tmx_with_any_source_keeps_the_states(reviewed, tmp_path):
    # a TMX of the whole memory (srclang *all*): each unit's first variant is its source,
    # so a fuzzy or reviewed translation still says so
    out = tmp_path / "all.tmx"
    padan_ok(reviewed, "export", str(out))
    tree = etree.parse(str(out))
    assert DTD.validate(tree), DTD.error_log
    assert tree.find("header").get("srclang") == "*all*"
    spelled = {m: None if s == "translated" else s for m, s in EXPECTED.items()}
    assert _written(out, "tmx") == spelled
    assert _states(out) == EXPECTED
