"""Our TMX, read by a real CAT tool: OmegaT in console mode fills target files from it.

OmegaT exits 0 even when a memory fails to load, so the log is read for
TF_TM_LOAD_ERROR; a deliberately broken memory shows that the check can fail.
"""

import shutil
import subprocess

import polib
import pytest

from conftest import FIXTURES
from tm.formats.po import read_po
from tm.formats.tmx_write import write_tmx

PROJECT = """<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<omegat><project version="1.0">
<source_dir>__DEFAULT__</source_dir><source_dir_excludes/><target_dir>__DEFAULT__</target_dir>
<tm_dir>__DEFAULT__</tm_dir><glossary_dir>__DEFAULT__</glossary_dir>
<glossary_file>__DEFAULT__</glossary_file><dictionary_dir>__DEFAULT__</dictionary_dir>
<source_lang>EN-US</source_lang><target_lang>ID</target_lang>
<source_tok>org.omegat.tokenizer.LuceneEnglishTokenizer</source_tok>
<target_tok>org.omegat.tokenizer.LuceneIndonesianTokenizer</target_tok>
<sentence_seg>false</sentence_seg><support_default_translations>true</support_default_translations>
<remove_tags>false</remove_tags></project></omegat>
"""


def _project(tmp_path, sources):
    root = tmp_path / "proj"
    for folder in ("source", "target", "tm/auto", "glossary", "omegat", "dictionary"):
        (root / folder).mkdir(parents=True)
    (root / "omegat.project").write_text(PROJECT, encoding="utf-8")
    (root / "source" / "ui.txt").write_text("\n\n".join(sources) + "\n", encoding="utf-8")
    return root


def _translate(root):
    assert shutil.which("omegat"), "OmegaT (Debian package omegat) is needed: .ci/run installs it"
    result = subprocess.run(
        ["omegat", str(root), "--mode=console-translate"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    target = (root / "target" / "ui.txt").read_text(encoding="utf-8")
    return result.stdout + result.stderr, [line for line in target.split("\n") if line]


@pytest.fixture(scope="module")
def catalogue():
    path = FIXTURES / "po" / "glib-2.74.6_id.po"
    entries = [
        e
        for e in polib.pofile(str(path)).translated_entries()
        if "\n" not in e.msgid and not e.msgid_plural and not e.msgctxt and e.msgid != e.msgstr
    ][:30]
    return read_po(path).units, entries


def test_omegat_fills_targets_from_our_tmx(tmp_path, catalogue):
    units, entries = catalogue
    root = _project(tmp_path, [e.msgid for e in entries])
    write_tmx(units, root / "tm" / "auto" / "padan.tmx", source_lang="en")
    log, target = _translate(root)
    assert "TF_TM_LOAD_ERROR" not in log
    assert target == [e.msgstr for e in entries]


def test_a_broken_memory_is_seen_in_the_log(tmp_path, catalogue):
    _, entries = catalogue
    root = _project(tmp_path, [e.msgid for e in entries])
    (root / "tm" / "auto" / "broken.tmx").write_text(
        '<?xml version="1.0"?><tmx version="1.4"><header', encoding="utf-8"
    )
    log, target = _translate(root)
    assert "TF_TM_LOAD_ERROR" in log
    assert target == [e.msgid for e in entries]  # nothing translated
