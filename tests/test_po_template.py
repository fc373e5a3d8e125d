"""A PO template (.pot: no Language, no translations) is source text only: importing it
stores no empty target in no language ("und"), which `padan stats` would list."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from padan.cli import main
from padan.workspace import Workspace
from tm.files import read_units

POT = """msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Plural-Forms: nplurals=INTEGER; plural=EXPRESSION;\\n"

#: main.c:10
msgid "Open"
msgstr ""

msgid "%d file"
msgid_plural "%d files"
msgstr[0] ""
msgstr[1] ""
"""


@pytest.fixture
def run(db_location):
    def invoke(*args: str) -> str:
        result = CliRunner().invoke(main, ["--db", db_location, *args], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        return result.output

    return invoke


def test_template_units_are_source_only(tmp_path: Path):
    (tmp_path / "app.pot").write_text(POT, encoding="utf-8")
    units = list(read_units(str(tmp_path / "app.pot")).units)
    assert [[v.lang for v in u.variants] for u in units] == [["en"], ["en"]]
    assert units[1].variants[0].plurals == ("%d files",)


def test_imported_template_has_no_und_language(run, db_location, tmp_path: Path):
    (tmp_path / "app.pot").write_text(POT, encoding="utf-8")
    run("import", str(tmp_path / "app.pot"))
    stats = json.loads(run("stats", "--json"))
    assert [(row["document"], row["lang"]) for row in stats] == [("app.pot", "en")]
    ws = Workspace(db_location)
    try:
        assert ws.languages() == ["en"]
    finally:
        ws.close()
    # filled from the memory into Indonesian: the template's entries, now with Language
    run("import", str(tmp_path / "app.pot"))  # again: nothing new
    out = tmp_path / "id.po"
    run("pretranslate", str(tmp_path / "app.pot"), "-o", str(out), "--to", "id")
    text = out.read_text(encoding="utf-8")  # Indonesian has one plural form
    assert '"Language: id\\n"' in text and 'msgstr[0] ""\n' in text and "msgstr[1]" not in text
    assert subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(out)]).returncode == 0


def test_stats_leave_out_the_empty_und_rows_of_an_older_import(run, db_location):
    from tm.model import Unit, Variant

    ws = Workspace(db_location)
    try:  # as an import of a template before this version stored it
        units = [Unit((Variant("en", "Open"), Variant("und", "")))]
        ws.documents.import_units("old.pot", "en", units)
    finally:
        ws.close()
    stats = json.loads(run("stats", "--json"))
    assert [(row["document"], row["lang"]) for row in stats] == [("old.pot", "en")]
