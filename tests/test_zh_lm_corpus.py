"""bench/zh_lm_corpus.py: the Debian text the Chinese model is trained on, and its origin notes."""

from __future__ import annotations

import gzip
import importlib.util
import zipfile
from pathlib import Path
from types import ModuleType

import polib

from termbase.zh_lm_train import read_lines

ROOT = Path(__file__).resolve().parents[1]


def _corpus() -> ModuleType:
    path = ROOT / "bench" / "zh_lm_corpus.py"
    spec = importlib.util.spec_from_file_location("zh_lm_corpus", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_catalogue_strings_lose_accelerators_and_placeholders(tmp_path):
    po = polib.POFile()
    po.append(polib.POEntry(msgid="_Open", msgstr="打开文件(_O)"))
    po.append(polib.POEntry(msgid="%d new", msgstr="您有 %d 条新消息"))
    po.append(polib.POEntry(msgid="x", msgstr="<b>{name}</b> 已删除"))
    po.append(polib.POEntry(msgid="OK", msgstr="好"))  # one Han character: says too little
    po.save_as_mofile(str(tmp_path / "a.mo"))
    found = sorted(_corpus().catalogue(tmp_path / "a.mo"))
    assert found == sorted(["打开文件", "您有 条新消息", "已删除"])


def test_language_pack_values_are_read_and_comments_skipped(tmp_path):
    xpi = tmp_path / "langpack.xpi"
    with zipfile.ZipFile(xpi, "w") as z:
        ftl = "# 注释 = 注释注释\nsave-page = 保存页面为…\n    .accesskey = A\n"
        z.writestr("browser/a.ftl", ftl)
        z.writestr("chrome/b.properties", "deleteMsg=删除此消息\n")
    assert list(_corpus().langpack(xpi)) == ["保存页面为…", "删除此消息"]


def test_a_line_sharing_a_long_stretch_with_held_out_text_is_dropped(tmp_path):
    corpus = _corpus()
    held = tmp_path / "held.txt"
    held.write_text("无法打开文件，因为磁盘空间不足或者权限不够\n", encoding="utf-8")
    windows = corpus.held_out_windows([held])
    assert corpus.overlaps("错误：因为磁盘空间不足或者权限不够。", windows)
    assert not corpus.overlaps("无法打开文件，请重试。", windows)


def test_every_package_is_named_with_its_version_and_licence_in_the_notice():
    notice = (ROOT / "termbase" / "data" / "NOTICE-zh-lm.md").read_text(encoding="utf-8")
    table = [line for line in notice.splitlines() if line.startswith("| ")]
    rows = {line.split("|")[1].strip(): line for line in table}
    for package, version, licence in _corpus().PACKAGES:
        assert package in rows, package
        assert version in rows[package] and licence in rows[package], package


def test_a_gzipped_line_file_is_read_as_it_is_short_strings_too(tmp_path):
    lines = tmp_path / "ui.txt.gz"
    with gzip.open(lines, "wt", encoding="utf-8") as f:
        f.write("删除消息\n*保存*\n")
    assert list(read_lines([tmp_path])) == ["删除消息", "*保存*"]
