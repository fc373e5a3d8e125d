import pytest

from corpora.errors import CorpusError
from corpora.textfile import read_text

ZH = "开源模型改变了人工智能。\n第二行：算力。\n"
ID = "Model open source itu kuat.\r\nBaris kedua.\n"


def _write(tmp_path, name, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    "encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "gb18030", "gbk"]
)
def test_chinese_in_every_supported_encoding(tmp_path, encoding):
    path = _write(tmp_path, "zh.txt", ZH.encode(encoding))
    assert read_text(path) == ZH


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-8-sig"])
def test_indonesian_in_utf16_without_bom(tmp_path, encoding):
    path = _write(tmp_path, "id.txt", ID.encode(encoding))
    assert read_text(path) == ID.replace("\r\n", "\n")


@pytest.mark.parametrize("text", ["a b c\nd e f\n", "mode nova\n", "0a0b0c0d0e0f"])
def test_ascii_whose_bytes_look_like_utf16_chinese_is_ascii(tmp_path, text):
    # every other byte in N..z or "0" is also the high byte of a CJK character
    assert read_text(_write(tmp_path, "a.txt", text.encode())) == text


def test_newlines_are_normalised(tmp_path):
    assert read_text(_write(tmp_path, "id.txt", ID.encode())) == ID.replace("\r\n", "\n")


def test_explicit_encoding_wins(tmp_path):
    path = _write(tmp_path, "zh.txt", ZH.encode("gbk"))
    assert read_text(path, encoding="gbk") == ZH
    with pytest.raises(CorpusError, match=r"not valid utf-8 .* offset 0\)") as info:
        read_text(path, encoding="utf-8")
    assert (info.value.line, info.value.column) == (1, 1)
    assert "--encoding" in str(info.value)


def test_bad_byte_is_located(tmp_path):
    path = _write(tmp_path, "mixed.txt", b"baris satu\nbaris dua \xff\xfe\xfd rusak\n")
    with pytest.raises(CorpusError) as info:
        read_text(path)
    assert str(path) in str(info.value)
    assert (info.value.line, info.value.column) == (2, 11)


def test_binary_file_is_refused(tmp_path):
    path = _write(tmp_path, "image.txt", bytes(range(256)) * 8)
    with pytest.raises(CorpusError):
        read_text(path)


def test_nul_in_utf8_text(tmp_path):
    path = _write(tmp_path, "nul.txt", b"abc\ndef\x00ghi")
    with pytest.raises(CorpusError, match="NUL") as info:
        read_text(path)
    assert (info.value.line, info.value.column) == (2, 4)


def test_missing_folder_and_unknown_encoding(tmp_path):
    with pytest.raises(CorpusError, match="file not found"):
        read_text(tmp_path / "nope.txt")
    with pytest.raises(CorpusError, match="is a folder"):
        read_text(tmp_path)
    path = _write(tmp_path, "x.txt", b"x")
    with pytest.raises(CorpusError, match="unknown encoding"):
        read_text(path, encoding="klingon-8")


def test_size_limit(tmp_path):
    path = _write(tmp_path, "big.txt", b"a" * 2048)
    with pytest.raises(CorpusError, match="more than"):
        read_text(path, max_bytes=1024)
