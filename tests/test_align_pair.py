"""`padan terms align` finds the language pair of what it aligns by itself: a PO's
Language header, the pair of the memories imported into the workspace."""

from __future__ import annotations

import json

import polib
import pytest
from click.testing import CliRunner

from padan.cli import main

UNITS = [
    ("Open the file.", "Buka berkas."),
    ("Save the file now.", "Simpan berkas sekarang."),
    ("The file is open source.", "Berkas itu sumber terbuka."),
    ("Delete the folder.", "Hapus map."),
    ("Open the folder.", "Buka map."),
    ("The folder is empty.", "Map itu kosong."),
]


def _po(path, lang, units=UNITS):
    catalog = polib.POFile()
    catalog.metadata = {"Language": lang, "Content-Type": "text/plain; charset=UTF-8"}
    catalog.extend(polib.POEntry(msgid=s, msgstr=t) for s, t in units)
    catalog.save(str(path))
    return str(path)


@pytest.fixture
def run(tmp_path):
    db = str(tmp_path / "w.db")

    def invoke(*args: str, code: int = 0) -> str:
        result = CliRunner().invoke(main, ["--db", db, *args])
        assert result.exit_code == code, result.output
        return result.output

    return invoke


def _best(output):
    proposals = json.loads(output)
    assert {(p["source_lang"], p["target_lang"]) for p in proposals} == {("en", "id")}
    return {p["source"]: p["target"] for p in sorted(proposals, key=lambda p: p["score"])}


def test_a_po_file_is_aligned_in_the_pair_it_declares(run, tmp_path):
    best = _best(run("terms", "align", _po(tmp_path / "id.po", "id"), "--json"))
    assert best["file"] == "berkas" and best["folder"] == "map"
    other = _po(tmp_path / "zh.po", "zh_CN", [("Open the file.", "打开文件。")])
    assert "different language pairs" in run(
        "terms", "align", str(tmp_path / "id.po"), other, code=2
    )


def test_a_workspace_of_imported_po_files_is_aligned_in_their_pair(run, tmp_path):
    run("import", _po(tmp_path / "id.po", "id"))
    best = _best(run("terms", "align", "--json"))
    assert best["file"] == "berkas" and best["folder"] == "map"
    assert {p["method"] for p in json.loads(run("terms", "proposals", "--json"))} == {"parallel"}


def test_each_proposal_shown_has_its_own_stored_id_in_every_pair(run, tmp_path):
    # the same words in two pairs (a catalogue copied into another language as it is)
    run("import", _po(tmp_path / "id.po", "id"), _po(tmp_path / "ms.po", "ms"))
    shown = json.loads(run("terms", "align", "--json", "--top", "500"))
    stored = {p["id"]: p for p in json.loads(run("terms", "proposals", "--json", "--top", "500"))}
    same = [p for p in shown if (p["source"], p["target"]) == ("file", "berkas")]
    assert {p["target_lang"] for p in same} == {"id", "ms"}
    for p in shown:
        mine = stored[p["id"]]
        assert (mine["source_lang"], mine["target_lang"]) == (p["source_lang"], p["target_lang"])
