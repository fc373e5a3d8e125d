"""Control characters (a PO msgid's "\\a", an ANSI "\\033") in TMX and XLIFF exports: written
as inline elements that XML 1.0 can carry, read back as the characters, checked with
xmllint, the formats' DTD and schemas, translate-toolkit and msgfmt."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from conftest import FIXTURES
from padan.cli import main
from tm.errors import TMError
from tm.formats.tmx_read import read_tmx
from tm.formats.tmx_write import write_tmx
from tm.formats.xliff import read_xliff, write_xliff
from tm.model import InlineCode, Unit, Variant, placeholder

DTD = etree.DTD(str(FIXTURES / "tmx" / "tmx14.dtd"))
SCHEMAS = FIXTURES / "xliff" / "schemas"
CONTROLS = "".join(chr(c) for c in range(1, 0x20) if chr(c) not in "\t\n\r")
BOLD = (
    InlineCode("bpt", (("i", "1"), ("x", "1")), "&lt;b>"),
    InlineCode("ept", (("i", "1"),), "&lt;/b>"),
)
UNITS = [
    Unit((Variant("en", "Ring \a bell"), Variant("id", "Bunyi \a bel")), key="bel"),
    Unit((Variant("en", "every " + CONTROLS), Variant("id", CONTROLS + " semua")), key="all"),
    Unit(
        (
            Variant("en", f"\x1b[1m{placeholder(0)}bold\x07{placeholder(1)}\x1b", BOLD),
            Variant("id", f"{placeholder(0)}\x07tebal{placeholder(1)}\x1b[0m", BOLD),
        ),
        key="codes",
    ),
]


def _texts(units: list[Unit]) -> list[tuple[str, ...]]:
    return [tuple(v.text for v in u.variants) for u in units]


def _xmllint(path: Path, *args: str) -> None:
    xmllint = shutil.which("xmllint")
    assert xmllint, "xmllint (Debian package libxml2-utils) is needed"
    done = subprocess.run([xmllint, "--noout", *args, str(path)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_tmx_writes_them_as_padan_char_placeholders(tmp_path: Path):
    out = tmp_path / "m.tmx"
    write_tmx(UNITS, out, source_lang="en")
    _xmllint(out, "--dtdvalid", str(FIXTURES / "tmx" / "tmx14.dtd"))
    first = etree.parse(str(out)).find(".//seg")
    assert etree.tostring(first, encoding="unicode") == (
        '<seg>Ring <ph type="x-padan-char">U+0007</ph> bell</seg>'
    )
    back = list(read_tmx(out).units())
    assert _texts(back) == _texts(UNITS)
    assert [c.tag for c in back[2].variants[0].codes] == ["bpt", "ept"]  # codes kept apart
    from translate.storage import tmx

    assert [u.source for u in tmx.tmxfile.parsefile(str(out)).units][0] == "Ring U+0007 bell"


@pytest.mark.parametrize(
    ("version", "schema", "element"),
    [
        (
            "1.2",
            "xliff-core-1.2-strict.xsd",
            '<ph id="padan-char-1" ctype="x-padan-char">U+0007</ph>',
        ),
        ("2", "xliff_core_2.0.xsd", '<cp hex="0007"/>'),
    ],
)
def test_xliff_writes_them_as_the_versions_element(tmp_path, version, schema, element):
    out = tmp_path / "m.xlf"
    write_xliff(UNITS, out, source_lang="en", target_lang="id", version=version)
    _xmllint(out, "--schema", str(SCHEMAS / schema))
    assert f"Ring {element} bell" in out.read_text(encoding="utf-8").replace(
        ' xmlns="urn:oasis:names:tc:xliff:document:2.0"', ""
    )
    back = list(read_xliff(out).units)
    assert _texts(back) == _texts(UNITS)
    assert len(back[2].variants[1].codes) == 2
    if version == "1.2":
        from translate.storage import xliff

        store = xliff.xlifffile.parsefile(str(out))
        assert store.units[0].target == "Bunyi U+0007 bel"


def test_other_tools_cp_and_bad_cp(tmp_path: Path):
    head = (
        '<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" '
        'srcLang="en" trgLang="id">'
    )
    good = tmp_path / "good.xlf"
    good.write_text(
        f'{head}<file id="f"><unit id="u"><segment><source>a<cp hex="1b"/>b<cp hex="E9"/></source>'
        "</segment></unit></file></xliff>",
        encoding="utf-8",
    )
    assert _texts(list(read_xliff(good).units)) == [("a\x1bbé",)]
    bad = tmp_path / "bad.xlf"
    bad.write_text(
        f'{head}<file id="f"><unit id="u"><segment><source>a<cp hex="zz"/></source>'
        "</segment></unit></file></xliff>",
        encoding="utf-8",
    )
    with pytest.raises(TMError, match='cp hex="zz"'):
        list(read_xliff(bad).units)


def test_a_ph_of_that_type_holding_other_text_stays_a_code(tmp_path: Path):
    path = tmp_path / "m.tmx"
    path.write_text(
        '<tmx version="1.4"><header srclang="en" datatype="plaintext" segtype="sentence" '
        'adminlang="en" o-tmf="x" creationtool="x" creationtoolversion="1"/><body><tu>'
        '<tuv xml:lang="en"><seg>a<ph type="x-padan-char">bell</ph></seg></tuv></tu></body></tmx>',
        encoding="utf-8",
    )
    (unit,) = read_tmx(path).units()
    assert unit.variants[0].text == "a" + placeholder(0)


def test_nul_is_still_refused(tmp_path: Path):
    with pytest.raises(TMError, match="U\\+0000"):
        write_tmx([Unit((Variant("en", "a\x00b"),))], tmp_path / "m.tmx", source_lang="en")


def test_po_to_tmx_and_xliff_and_back_to_the_same_po(tmp_path: Path):
    """The user's path: a PO with C escapes, exported, re-imported elsewhere, exported as PO."""
    msgfmt = shutil.which("msgfmt")
    assert msgfmt, "msgfmt (GNU gettext) is needed"
    po = tmp_path / "bel.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Language: id\\n"\n\n'
        'msgid "Ring \\a bell"\nmsgstr "Bunyi \\a bel"\n\n'
        'msgid "bold \\033[1m on\\v"\nmsgstr "tebal \\033[1m hidup\\v"\n',
        encoding="utf-8",
    )

    def padan(db: Path, *args: str) -> None:
        result = CliRunner().invoke(main, ["--db", str(db), *args], catch_exceptions=False)
        assert result.exit_code == 0, result.output

    padan(tmp_path / "a.db", "import", str(po), "--from", "en")
    first = tmp_path / "first.po"
    padan(tmp_path / "a.db", "export", str(first), "--from", "en", "--to", "id")
    for name, extra in (("m.tmx", ()), ("m.xlf", ()), ("m2.xlf", ("--xliff", "2"))):
        out = tmp_path / name
        padan(tmp_path / "a.db", "export", str(out), "--from", "en", "--to", "id", *extra)
        _xmllint(out)
        db = tmp_path / f"{name}.db"
        padan(db, "import", str(out))
        again = tmp_path / f"{name}.po"
        padan(db, "export", str(again), "--from", "en", "--to", "id")
        assert subprocess.run([msgfmt, "-c", "-o", "/dev/null", str(again)]).returncode == 0
        body = again.read_text(encoding="utf-8").split("\n\n", 1)[1]
        assert body == first.read_text(encoding="utf-8").split("\n\n", 1)[1]
        assert 'msgid "Ring \\a bell"' in body and "\x1b[1m" in body


@pytest.mark.parametrize(
    ("version", "schema"), [("1.2", "xliff-core-1.2-strict.xsd"), ("2", "xliff_core_2.0.xsd")]
)
def test_pretranslating_an_xliff_with_them_finds_the_exact_match(tmp_path, version, schema):
    """The job's control characters are the memory's (not their labels' text), and the
    target written in place carries them as elements (lxml refuses them as text)."""
    db = str(tmp_path / "padan.db")

    def padan(*args: str) -> str:
        result = CliRunner().invoke(main, ["--db", db, *args], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        return result.output

    memory = tmp_path / "memory.xlf"
    write_xliff(UNITS[:2], memory, source_lang="en", target_lang="id", version=version)
    padan("import", str(memory))
    job = tmp_path / "job.xlf"
    write_xliff(
        [Unit(u.variants[:1], key=u.key) for u in UNITS[:2]],
        job,
        source_lang="en",
        target_lang="id",
        version=version,
    )
    out = tmp_path / "out.xlf"
    said = padan("pretranslate", str(job), "-o", str(out))
    assert "2 context" in said or "2 100%" in said
    _xmllint(out, "--schema", str(SCHEMAS / schema))
    assert _texts(list(read_xliff(out).units)) == _texts(UNITS[:2])
