"""A TMX unit whose tuid a stored unit has, with another source text, is another unit:
importing (or merging with --document) never replaces a stored source under its tuid."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest
from click.testing import CliRunner

from padan.cli import main

HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header srclang="en" '
    'datatype="plaintext" segtype="sentence" adminlang="en" o-tmf="x" creationtool="x" '
    'creationtoolversion="1"/><body>\n'
)


def _tmx(path: Path, *units: tuple[str, str, str]) -> str:
    body = "".join(
        f'<tu tuid="{tuid}"><tuv xml:lang="en"><seg>{en}</seg></tuv>'
        f'<tuv xml:lang="id"><seg>{id_}</seg></tuv></tu>\n'
        for tuid, en, id_ in units
    )
    path.write_text(HEAD + body + "</body></tmx>\n", encoding="utf-8")
    return str(path)


@pytest.fixture
def run(db_location):
    def invoke(*args: str) -> str:
        result = CliRunner().invoke(main, ["--db", db_location, *args], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        return result.output

    return invoke


def _pairs(run, tmp_path: Path) -> list[tuple[str, str]]:
    out = tmp_path / "out.po"
    run("export", str(out), "--from", "en", "--to", "id")
    return sorted((e.msgid, e.msgstr) for e in polib.pofile(str(out)))


def test_same_tuid_other_source_is_stored_beside(run, tmp_path: Path):
    ours = _tmx(
        tmp_path / "ours.tmx", ("1", "Open the file", "Buka berkas"), ("2", "Save", "Simpan")
    )
    theirs = _tmx(
        tmp_path / "theirs.tmx",
        ("1", "Close the window", "Tutup jendela"),  # numbered from 1 like ours
        ("2", "Save", "Simpan sekarang"),  # the same unit, a new translation
    )
    run("import", ours)
    said = run("import", theirs, "--document", "ours.tmx")
    assert "1 unit added, 1 updated" in said
    assert "kept apart from a stored unit with the same tuid and another source: 1" in said
    assert _pairs(run, tmp_path) == [
        ("Close the window", "Tutup jendela"),
        ("Open the file", "Buka berkas"),
        ("Save", "Simpan sekarang"),
    ]
    # again, and our own export of both (tuid 1 twice) back into the document: no duplicate
    assert "0 units added, 0 updated, 2 unchanged" in run(
        "import", theirs, "--document", "ours.tmx"
    )
    mine = tmp_path / "mine.tmx"
    run("export", str(mine))
    assert mine.read_text(encoding="utf-8").count('tuid="1"') == 2
    assert "0 units added, 0 updated, 3 unchanged" in run(
        "import", str(mine), "--document", "ours.tmx"
    )
    assert len(_pairs(run, tmp_path)) == 3


def test_a_source_edited_in_the_workspace_is_still_the_same_unit(run, db_location, tmp_path):
    from padan.workspace import Workspace

    ours = _tmx(tmp_path / "ours.tmx", ("1", "Open teh file", "Buka berkas"))
    run("import", ours)
    ws = Workspace(db_location)
    try:  # a reviewer corrects the source
        (typo,) = ws.documents.variants("en", "ours.tmx")
        ws.documents.edit(typo.id, "Open the file")
    finally:
        ws.close()
    for text in ("Open teh file", "Open the file"):  # as first imported, or as edited
        _tmx(tmp_path / "ours.tmx", ("1", text, "Buka berkas baru"))
        said = run("import", ours)
        assert "0 units added, 1 updated" in said and "kept apart" not in said
        assert len(_pairs(run, tmp_path)) == 1
