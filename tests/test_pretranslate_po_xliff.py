"""`padan pretranslate` on an XLIFF made from a PO catalogue (Padan's export, 1.2 and 2.0,
or translate-toolkit's po2xliff) finds what pretranslating the PO itself finds and what
`padan analyze` counts: each unit looked up with its msgctxt (context-group x-po-msgctxt,
mda:meta msgctxt) and a plural group as one entry, every form of it filled."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from cli_ok import padan_ok
from lxml import etree
from test_xliff20_po import WITH_METADATA as CORE20  # the 2.0 core and Metadata module
from translate.convert import po2xliff

from conftest import FIXTURES

SCHEMAS = FIXTURES / "xliff" / "schemas"
NS12 = "urn:oasis:names:tc:xliff:document:1.2"
NS20 = "urn:oasis:names:tc:xliff:document:2.0"
RESERVED = re.compile("[\ufdd0-\ufdef]")
STRICT12 = etree.XMLSchema(etree.parse(str(SCHEMAS / "xliff-core-1.2-strict.xsd")))

CATALOGUE = r"""msgid ""
msgstr ""
"Language: de\n"
"MIME-Version: 1.0\n"
"Content-Type: text/plain; charset=UTF-8\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\n"

msgctxt "menu"
msgid "Open"
msgstr "Öffnen"

msgctxt "door state"
msgid "Open"
msgstr "Offen"

msgid "Save the file"
msgstr "Datei speichern"

#, c-format
msgid "%d file"
msgid_plural "%d files"
msgstr[0] "%d Datei"
msgstr[1] "%d Dateien"

msgctxt "menu"
msgid "Close"
msgstr "Schließen"
"""


def _targets(path: Path, ns: str) -> list[tuple[str | None, str | None]]:
    """(source, target) of each trans-unit or segment, in order."""
    tree = etree.parse(str(path))
    out = []
    for holder in tree.iter(f"{{{ns}}}trans-unit", f"{{{ns}}}segment"):
        source, target = holder.find(f"{{{ns}}}source"), holder.find(f"{{{ns}}}target")
        out.append((source.text, None if target is None else "".join(target.itertext())))
    return out


def _emptied(path: Path, ns: str, out: Path) -> None:
    tree = etree.parse(str(path))
    for target in list(tree.iter(f"{{{ns}}}target")):
        target.getparent().remove(target)
    tree.write(str(out), xml_declaration=True, encoding="UTF-8")


@pytest.mark.parametrize(("version", "ns"), [("1.2", NS12), ("2.0", NS20)])
def test_exported_catalogue_fills_as_the_po_does(tmp_path, version, ns):
    db, po = tmp_path / "c.db", tmp_path / "ui.po"
    po.write_text(CATALOGUE, encoding="utf-8")
    padan_ok(db, "import", str(po))
    xlf, job, out = tmp_path / "ui.xlf", tmp_path / "job.xlf", tmp_path / "out.xlf"
    padan_ok(db, "export", str(xlf), "--document", "ui.po", "--xliff", version)
    _emptied(xlf, ns, job)
    from_po = padan_ok(db, "pretranslate", str(po), "-o", str(tmp_path / "o.po"), "--overwrite")
    assert "(en→de): 5 context\n" in from_po
    report = padan_ok(db, "pretranslate", str(job), "-o", str(out))
    assert "(en→de): 5 context\n" in report
    analysis = json.loads(padan_ok(db, "analyze", str(job), "--json"))
    assert analysis["total"]["segments"]["context"] == 5
    # each msgctxt its own translation; both plural forms filled
    assert _targets(out, ns) == _targets(xlf, ns)
    assert ("%d files", "%d Dateien") in _targets(out, ns)
    assert ("Open", "Offen") in _targets(out, ns) and ("Open", "Öffnen") in _targets(out, ns)
    assert not RESERVED.search(out.read_text(encoding="utf-8"))
    (CORE20 if ns == NS20 else STRICT12).assertValid(etree.parse(str(out)))
    # --overwrite on the translated file changes no translation
    padan_ok(db, "pretranslate", str(xlf), "-o", str(out), "--overwrite")
    assert _targets(out, ns) == _targets(xlf, ns)
    states = {t.get("state") for t in etree.parse(str(out)).iter(f"{{{ns}}}target")}
    assert "needs-review-translation" not in states
    segments = {s.get("state") for s in etree.parse(str(out)).iter(f"{{{ns}}}segment")}
    assert "initial" not in segments


def test_real_catalogue_exported_matches_as_the_po(tmp_path):
    """GLib's Indonesian catalogue: msgctxt entries (GDateTime) and plural groups."""
    db, po = tmp_path / "g.db", FIXTURES / "po" / "glib-2.74.6_id.po"
    padan_ok(db, "import", str(po))
    xlf, out = tmp_path / "glib.xlf", tmp_path / "out.xlf"
    padan_ok(db, "export", str(xlf), "--document", po.name)
    from_po = padan_ok(db, "pretranslate", str(po), "-o", str(tmp_path / "o.po"), "--overwrite")
    count = re.search(r": (\d+) context\n", from_po)
    assert count
    report = padan_ok(db, "pretranslate", str(xlf), "-o", str(out), "--overwrite")
    assert f"(en→id): {count.group(1)} context\n" in report
    analysis = json.loads(padan_ok(db, "analyze", str(xlf), "--json"))
    assert analysis["total"]["segments"]["context"] == int(count.group(1))
    assert _targets(out, NS12) == _targets(xlf, NS12)
    STRICT12.assertValid(etree.parse(str(out)))


def test_po2xliff_file_counts_as_analyze(tmp_path):
    """translate-toolkit's po2xliff: its PO header trans-unit is no unit, its plural
    groups are; pretranslation counts what analysis counts."""
    po = FIXTURES / "django" / "conf-4.2.30-id.po"
    db, xlf, out = tmp_path / "d.db", tmp_path / "conf.xlf", tmp_path / "out.xlf"
    with po.open("rb") as source, xlf.open("wb") as sink:
        po2xliff.convertpo(source, sink, None)
    padan_ok(db, "import", str(po))
    report = padan_ok(db, "pretranslate", str(xlf), "-o", str(out), "--overwrite", "--to", "id")
    analysis = json.loads(padan_ok(db, "analyze", str(xlf), "--to", "id", "--json"))
    segments = analysis["total"]["segments"]
    context, exact = segments["context"], segments["100%"]
    assert context > 300
    assert f"(en→id): {context} context, {exact} 100%" in report
    assert "no match" not in report
    assert not RESERVED.search(out.read_text(encoding="utf-8"))


def _report_counts(report: str) -> dict[str, int]:
    """The counts of `padan pretranslate`'s report line, by kind."""
    line = report.splitlines()[0]
    return {k: int(n) for n, k in re.findall(r"(\d+) (context|100%|repaired|fuzzy|no match)", line)}


def test_units_marked_translate_no_are_apart_in_analyze_and_left_by_pretranslate(tmp_path):
    """po2xliff's XLIFF (1.1) of GLib's Indonesian catalogue, targets taken out, every 7th
    trans-unit and every plural group marked translate="no" (a unit inside says nothing:
    the group's word holds): analyze lists them apart from the bands, pretranslate leaves
    them empty, and what analyze counts in the bands is what pretranslate fills or finds
    no match for."""
    from translate.storage import xliff

    po = FIXTURES / "po" / "glib-2.74.6_id.po"
    db, xlf, job, out = (tmp_path / n for n in ("g.db", "glib.xlf", "job.xlf", "out.xlf"))
    with po.open("rb") as source, xlf.open("wb") as sink:
        po2xliff.convertpo(source, sink, None)
    tree = etree.parse(str(xlf))
    ns = etree.QName(tree.getroot()).namespace
    tu, group, target = (f"{{{ns}}}{name}" for name in ("trans-unit", "group", "target"))
    for element in list(tree.iter(target)):
        element.getparent().remove(element)
    plural_groups = [g for g in tree.iter(group) if g.get("restype") == "x-gettext-plurals"]
    singles = [
        t
        for t in tree.iter(tu)
        if t.getparent().tag != group and t.get("restype") != "x-gettext-domain-header"
    ]
    locked = singles[::7]
    for element in (*locked, *plural_groups):
        element.set("translate", "no")
    tree.write(str(job), xml_declaration=True, encoding="UTF-8")
    padan_ok(db, "import", str(po))
    analysis = json.loads(padan_ok(db, "analyze", str(job), "--json"))["total"]
    report = padan_ok(db, "pretranslate", str(job), "-o", str(out))
    apart = len(locked) + len(plural_groups)
    assert analysis["locked"]["segments"] == apart > 150
    assert analysis["total"]["segments"] == sum(_report_counts(report).values())
    assert analysis["total"]["segments"] + apart == len(singles) + len(plural_groups)
    filled = {u.getid() for u in xliff.xlifffile.parsefile(str(out)).units if u.target}
    assert len(filled) > 900 and not filled & {t.get("id") for t in locked}
    written = etree.parse(str(out))
    assert not [t for t in written.iter(target) if t.getparent().getparent().tag == group]
    assert f"not in the total): {apart} segments" in padan_ok(db, "analyze", str(job))
