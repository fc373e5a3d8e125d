"""Every registered translation-memory format: found by its extension and by its first
bytes, and, where Padan writes it, read back as written."""

from __future__ import annotations

import pytest

from tm.files import FORMATS, format_of, read_units
from tm.model import Unit, Variant

UNITS = [
    Unit((Variant("en", "Open the file"), Variant("zh", "打开文件")), key="1"),
    Unit((Variant("en", "Model open-weight"), Variant("zh", "开放权重模型")), key="2"),
    Unit((Variant("en", "Save %s as…"), Variant("zh", "将 %s 另存为…")), key="3"),
]


@pytest.mark.parametrize("fmt", FORMATS, ids=lambda f: f.name)
def test_each_format_is_found_by_each_of_its_extensions(fmt, tmp_path):
    for ext in fmt.extensions:
        assert format_of(tmp_path / f"memory{ext.upper()}") is fmt


@pytest.mark.parametrize("fmt", [f for f in FORMATS if f.write], ids=lambda f: f.name)
def test_each_written_format_reads_back_what_was_written(fmt, tmp_path):
    path = tmp_path / f"memory{fmt.extensions[0]}"
    assert fmt.write(UNITS, path, "en", "zh") == len(UNITS)
    found = read_units(path, source_lang="en", target_lang="zh")
    pairs = [(u.variant("en").text, u.variant("zh").text) for u in found.units]
    assert pairs == [(u.variant("en").text, u.variant("zh").text) for u in UNITS]


@pytest.mark.parametrize("fmt", [f for f in FORMATS if f.write], ids=lambda f: f.name)
def test_a_file_without_a_known_extension_is_known_by_its_content(fmt, tmp_path):
    path = tmp_path / f"memory{fmt.extensions[0]}"
    fmt.write(UNITS, path, "en", "zh")
    renamed = path.rename(tmp_path / "memory.data")
    sniffed = format_of(renamed)
    if fmt.name == "po":  # text without a signature: a plain-text document
        assert sniffed is None
    else:
        assert sniffed is fmt
        assert len(list(read_units(renamed, target_lang="zh").units)) == len(UNITS)


def test_a_txt_file_is_a_document_whatever_it_holds(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text('<?xml version="1.0"?><tmx version="1.4"></tmx>', encoding="utf-8")
    assert format_of(path) is None
