"""A catalogue of a language into itself (Django's en.po: English source, English
wording): every path pairs the source with the second variant of that language
(Unit.pair), never with itself: the XLIFF writers, pre-translation and its memory,
and the bilingual pairs of term alignment."""

from __future__ import annotations

from pathlib import Path

import polib
from cli_ok import padan_ok
from lxml import etree

from tm.bilingual import read_pairs
from tm.formats.xliff import read_xliff, write_xliff
from tm.model import Unit, Variant

HEAD = 'msgid ""\nmsgstr ""\n"Language: en\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
MEMORY = HEAD + 'msgid "Open the file"\nmsgstr "Open the document"\n'
JOB = HEAD + 'msgid "Open the file"\nmsgstr ""\n\nmsgid "Close the file"\nmsgstr ""\n'


def test_xliff_export_pairs_the_second_variant(tmp_path: Path):
    units = [Unit((Variant("en", "Open the file"), Variant("en", "Open the document")), key="1")]
    for version in ("1.2", "2.0"):
        out = tmp_path / f"en-{version}.xlf"
        write_xliff(units, out, source_lang="en", target_lang="en", version=version)
        ns = "urn:oasis:names:tc:xliff:document:" + version
        targets = [t.text for t in etree.parse(str(out)).iter(f"{{{ns}}}target")]
        assert targets == ["Open the document"], version
        (back,) = read_xliff(out).units
        assert [v.text for v in back.variants] == ["Open the file", "Open the document"]


def test_pretranslate_fills_an_english_catalogue(db_location: str, tmp_path: Path):
    (tmp_path / "en.po").write_text(MEMORY, encoding="utf-8")
    (tmp_path / "job.po").write_text(JOB, encoding="utf-8")
    padan_ok(db_location, "import", str(tmp_path / "en.po"), "--from", "en", "--to", "en")
    out = tmp_path / "out.po"
    report = padan_ok(
        db_location, "pretranslate", str(tmp_path / "job.po"), "-o", str(out), "--to", "en"
    )
    assert "kept" not in report  # the source is not its own translation
    entries = {e.msgid: e.msgstr for e in polib.pofile(str(out))}
    assert entries == {"Open the file": "Open the document", "Close the file": ""}


def test_bilingual_pairs_of_an_english_catalogue(tmp_path: Path):
    (tmp_path / "en.po").write_text(MEMORY, encoding="utf-8")
    assert read_pairs(str(tmp_path / "en.po"), "en", "en") == [
        ("Open the file", "Open the document")
    ]
