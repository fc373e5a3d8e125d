"""`padan pretranslate` on XLIFF sources with inline codes: the memory made from the same
file, translated, fills the file emptied of its targets with context matches written with
their codes as the file's own elements (never Padan's placeholder characters), valid
against the schema, and reported as `padan analyze` counts them."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from conftest import FIXTURES
from padan.cli import main

SCHEMAS = FIXTURES / "xliff" / "schemas"
NS12 = "urn:oasis:names:tc:xliff:document:1.2"
NS20 = "urn:oasis:names:tc:xliff:document:2.0"
RESERVED = re.compile("[\ufdd0-\ufdef]")

XLIFF12 = """<?xml version="1.0" encoding="UTF-8"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
  <file original="ui.txt" source-language="en" target-language="id" datatype="plaintext">
    <body>
      <trans-unit id="g">
        <source>Click <g id="1">Save</g> to keep the file.</source>
        <target>Klik <g id="1">Simpan</g> untuk menyimpan berkas.</target>
      </trans-unit>
      <trans-unit id="ph">
        <source>Press <ph id="1">&lt;br/&gt;</ph> twice to open the file.</source>
        <target>Tekan <ph id="1">&lt;br/&gt;</ph> dua kali untuk membuka berkas.</target>
      </trans-unit>
      <trans-unit id="moved">
        <source><x id="1"/> items in <g id="2">the folder</g></source>
        <target><g id="2">Folder itu</g> berisi <x id="1"/> butir</target>
      </trans-unit>
    </body>
  </file>
</xliff>
"""

XLIFF20 = """<?xml version="1.0" encoding="UTF-8"?>
<xliff version="2.0" xmlns="urn:oasis:names:tc:xliff:document:2.0" srcLang="en" trgLang="id">
  <file id="f1">
    <unit id="pc">
      <originalData><data id="d1">&lt;b&gt;</data><data id="d2">&lt;/b&gt;</data></originalData>
      <segment><source>Click <pc id="1" dataRefStart="d1" dataRefEnd="d2">Save</pc> to keep
 the file.</source><target>Klik <pc id="1" dataRefStart="d1" dataRefEnd="d2">Simpan</pc> untuk
 menyimpan berkas.</target></segment>
    </unit>
    <unit id="ph">
      <originalData><data id="d1">&lt;br/&gt;</data></originalData>
      <segment><source>Press <ph id="1" dataRef="d1"/> twice to open the file.</source>
        <target>Tekan <ph id="1" dataRef="d1"/> dua kali untuk membuka berkas.</target></segment>
    </unit>
    <unit id="moved">
      <originalData><data id="d1">{n}</data><data id="d2">&lt;i&gt;</data>
        <data id="d3">&lt;/i&gt;</data></originalData>
      <segment><source><ph id="1" dataRef="d1"/> items in <pc id="2" dataRefStart="d2"
        dataRefEnd="d3">the folder</pc></source><target><pc id="2" dataRefStart="d2"
        dataRefEnd="d3">Folder itu</pc> berisi <ph id="1" dataRef="d1"/> butir</target></segment>
    </unit>
  </file>
</xliff>
"""


def _invoke(db: str, *args: str) -> str:
    result = CliRunner().invoke(main, ["--db", db, *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def _targets(path: Path, ns: str) -> dict[str, bytes]:
    """Each unit's target as XML, attributes Padan sets on it left out."""
    tree = etree.parse(str(path))
    out = {}
    for unit in tree.iter(f"{{{ns}}}trans-unit", f"{{{ns}}}unit"):
        target = next(unit.iter(f"{{{ns}}}target"))
        for name in ("state", "state-qualifier", "{http://www.w3.org/XML/1998/namespace}lang"):
            target.attrib.pop(name, None)
        target.tail = None
        out[unit.get("id")] = etree.tostring(target)
    return out


@pytest.mark.parametrize(
    ("text", "ns", "schema"),
    [(XLIFF12, NS12, "xliff-core-1.2-strict.xsd"), (XLIFF20, NS20, "xliff_core_2.0.xsd")],
    ids=["1.2", "2.0"],
)
def test_codes_are_placed_as_the_files_elements(tmp_path, text, ns, schema):
    db = str(tmp_path / "padan.db")
    done, job, out = tmp_path / "done.xlf", tmp_path / "job.xlf", tmp_path / "out.xlf"
    done.write_text(text, encoding="utf-8")
    job.write_text(re.sub(r"<target>.*?</target>", "", text, flags=re.S), encoding="utf-8")
    _invoke(db, "import", str(done))
    report = _invoke(db, "pretranslate", str(job), "-o", str(out), "--show")
    assert "(en→id): 3 context\n" in report
    assert not RESERVED.search(report)
    assert "Press ① twice" in report and "→ Tekan ① dua kali" in report  # codes numbered
    written = out.read_text(encoding="utf-8")
    assert not RESERVED.search(written)
    etree.XMLSchema(etree.parse(str(SCHEMAS / schema))).assertValid(etree.parse(str(out)))
    assert _targets(out, ns) == _targets(done, ns)
    if ns == NS12:
        states = {t.get("state") for t in etree.parse(str(out)).iter(f"{{{ns}}}target")}
        assert states == {"translated"}
    else:
        states = {s.get("state") for s in etree.parse(str(out)).iter(f"{{{ns}}}segment")}
        assert states == {"translated"}
    analysis = json.loads(_invoke(db, "analyze", str(job), "--json"))
    assert analysis["total"]["segments"]["context"] == 3


def test_codes_without_counterpart_go_out_plain_for_review(tmp_path):
    """The memory's code holds other content than the job's: the exact match is written
    without codes, marked for review, and still without placeholder characters."""
    db = str(tmp_path / "padan.db")
    done, job, out = tmp_path / "done.xlf", tmp_path / "job.xlf", tmp_path / "out.xlf"
    done.write_text(XLIFF12, encoding="utf-8")
    other = XLIFF12.replace("&lt;br/&gt;", "&lt;hr/&gt;")
    job.write_text(re.sub(r"<target>.*?</target>", "", other, flags=re.S), encoding="utf-8")
    _invoke(db, "import", str(done))
    report = _invoke(db, "pretranslate", str(job), "-o", str(out))
    assert "2 context, 1 fuzzy" in report
    tree = etree.parse(str(out))
    unit = tree.find(f".//{{{NS12}}}trans-unit[@id='ph']")
    target = unit.find(f"{{{NS12}}}target")
    assert (target.text, len(target)) == ("Tekan  dua kali untuk membuka berkas.", 0)
    assert target.get("state") == "needs-review-translation"
    assert "inline codes not placed" in unit.findtext(f"{{{NS12}}}note")
    assert not RESERVED.search(out.read_text(encoding="utf-8"))
