"""Exports read the workspace as a stream (a server-side cursor on PostgreSQL): the
dialog's PO export of a language pair, and a TMX export read back whole."""

from __future__ import annotations

import subprocess
from pathlib import Path

import polib
import pytest
from click.testing import CliRunner

from padan.cli import main
from padan.jobs import ExportRequest, export
from padan.workspace import Workspace
from tm.formats.tmx_read import read_tmx

HEAD = 'msgid ""\nmsgstr ""\n"Language: id\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'


def _workspace(db: str, tmp_path: Path, count: int) -> None:
    entries = "".join(
        f'msgctxt "u{i}"\nmsgid "Open file {i}"\nmsgstr "Buka berkas {i}"\n\n' for i in range(count)
    )
    (tmp_path / "ui.po").write_text(HEAD + entries, encoding="utf-8")
    result = CliRunner().invoke(main, ["--db", db, "import", str(tmp_path / "ui.po")])
    assert result.exit_code == 0, result.output


def test_dialog_po_export_of_a_pair_streams_every_unit(db_location: str, tmp_path: Path):
    _workspace(db_location, tmp_path, 2500)  # more than one fetch of the stream
    out = tmp_path / "out.po"
    ws = Workspace(db_location)
    try:
        request = ExportRequest("po", str(out), "en", "id", ("ui.po",))
        assert export(ws, request, lambda *_: None) == (2500, "entries")
        other = ExportRequest("po", str(tmp_path / "zh.po"), "en", "zh", ("ui.po",))
        with pytest.raises(ValueError, match="no unit of the chosen documents has both en and zh"):
            export(ws, other, lambda *_: None)
    finally:
        ws.close()
    check = subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(out)], capture_output=True)
    assert check.returncode == 0, check.stderr
    catalogue = polib.pofile(str(out))
    assert [(e.msgctxt, e.msgstr) for e in catalogue][2499] == ("u2499", "Buka berkas 2499")
    assert not (tmp_path / "zh.po").exists()


def test_tmx_export_streams_every_unit_in_order(db_location: str, tmp_path: Path):
    _workspace(db_location, tmp_path, 2500)
    out = tmp_path / "out.tmx"
    result = CliRunner().invoke(main, ["--db", db_location, "export", str(out)])
    assert result.exit_code == 0, result.output
    units = list(read_tmx(out).units())
    assert len(units) == 2500
    assert [v.text for v in units[2499].variants] == ["Open file 2499", "Buka berkas 2499"]
