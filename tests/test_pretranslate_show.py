"""`padan pretranslate --show` labels each unit as it was written, in the words of the
report line above it: an exact match whose inline codes could not be placed goes out for
review, so it is shown and counted as fuzzy, not as exact (the memory's code holds other
content than the job's)."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from padan.cli import main

MEMORY = """msgid ""
msgstr ""
"Language: id\\n"
"Content-Type: text/plain; charset=UTF-8\\n"

msgid "Open the file"
msgstr "Buka berkas"

msgid "Save the file now"
msgstr "Simpan berkas sekarang"
"""
MEMORY_XLF = """<?xml version="1.0" encoding="UTF-8"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
<file original="mem" datatype="plaintext" source-language="en" target-language="id"><body>
<trans-unit id="m"><source>Open the file<ph id="1">{b}</ph></source>
<target>Buka berkas<ph id="1">{b}</ph></target></trans-unit>
</body></file></xliff>
"""
JOB = """<?xml version="1.0" encoding="UTF-8"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
<file original="job" datatype="plaintext" source-language="en" target-language="id"><body>
<trans-unit id="plain"><source>Open the file</source></trans-unit>
<trans-unit id="coded"><source>Open the file<ph id="1">{i}</ph></source></trans-unit>
<trans-unit id="near"><source>Save the files now</source></trans-unit>
</body></file></xliff>
"""
STATES = {"100%": "translated", "fuzzy": "needs-review-translation"}


@pytest.fixture
def pretranslated(tmp_path: Path) -> tuple[str, Path]:
    db = str(tmp_path / "padan.db")
    (tmp_path / "memory.po").write_text(MEMORY, encoding="utf-8")
    (tmp_path / "memory.xlf").write_text(MEMORY_XLF, encoding="utf-8")
    (tmp_path / "job.xlf").write_text(JOB, encoding="utf-8")
    for args in (
        ("import", str(tmp_path / "memory.po")),
        ("import", str(tmp_path / "memory.xlf")),
        ("pretranslate", str(tmp_path / "job.xlf"), "-o", str(tmp_path / "out.xlf"), "--show"),
    ):
        result = CliRunner().invoke(main, ["--db", db, *args], catch_exceptions=False)
        assert result.exit_code == 0, result.output
    return result.output, tmp_path / "out.xlf"


def test_shown_labels_are_the_written_states_and_the_reported_counts(pretranslated):
    output, out = pretranslated
    head, *lines = output.splitlines()
    shown = [
        m.groups() for m in map(re.compile(r"  (100%|fuzzy)( \d+%)?  line (\d+)").match, lines) if m
    ]
    assert [(label, line) for label, _, line in shown] == [
        ("100%", "4"),
        ("fuzzy", "5"),
        ("fuzzy", "6"),
    ]
    assert shown[1][1] == " 100%"  # the exact match, sent for review with its score
    reported = dict((label, int(n)) for n, label in re.findall(r"(\d+) (100%|fuzzy)", head))
    assert reported == Counter(label for label, _, _ in shown)
    ns = {"x": "urn:oasis:names:tc:xliff:document:1.2"}
    written = etree.parse(str(out))
    for (label, _, line), unit in zip(shown, ("plain", "coded", "near"), strict=True):
        target = written.find(f".//x:trans-unit[@id='{unit}']/x:target", ns)
        assert target is not None and target.get("state") == STATES[label], (unit, line)


JOB20 = """<?xml version="1.0" encoding="UTF-8"?>
<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="en" trgLang="id">
<file id="f"><unit id="u1">{segments}</unit>
<unit id="u2"><segment><source>Open the file</source></segment></unit></file></xliff>
"""
SEGMENTS = (  # on one line, as a tool writing no line breaks writes them
    '<segment id="a"><source>Open the file</source></segment>'
    '<segment id="b"><source>Save the file now</source></segment>'
    "<segment><source>Quit</source></segment>"
    "<segment><source>Save the file now</source></segment>"
)


def test_the_segments_of_one_xliff2_unit_are_told_apart(tmp_path: Path) -> None:
    db = str(tmp_path / "padan.db")
    (tmp_path / "memory.po").write_text(MEMORY, encoding="utf-8")
    (tmp_path / "job.xlf").write_text(JOB20.format(segments=SEGMENTS), encoding="utf-8")
    runner = CliRunner()
    runner.invoke(main, ["--db", db, "import", str(tmp_path / "memory.po")])
    args = ["pretranslate", str(tmp_path / "job.xlf"), "-o", str(tmp_path / "out.xlf"), "--show"]
    result = runner.invoke(main, ["--db", db, *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    labels = re.findall(r"^  \S+  (line .*?): ", result.output, re.M)
    # by its id, else its place in the unit; a unit of one segment needs none
    assert labels == ["line 3, segment a", "line 3, segment b", "line 3, segment 4", "line 4"]
