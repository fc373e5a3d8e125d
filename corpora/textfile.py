"""Reading plain-text files whatever their encoding, or saying exactly why not.

Tried in order: a byte-order mark (UTF-8, UTF-16 LE/BE), UTF-16 without a BOM (seen in
the pattern of NUL bytes), UTF-8, then GB18030 (a superset of GBK and GB2312) when the
result is plausibly Chinese. A file that none of these read cleanly is refused with the
line and column of the first undecodable byte: guessing further (Latin-1 reads anything)
would store garbage without a word.
"""

from __future__ import annotations

import codecs
from pathlib import Path

from corpora.errors import CorpusError

MAX_BYTES = 200 * 1024 * 1024
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_HINT = "give the encoding with --encoding, e.g. --encoding gb18030"


def read_text(path: str | Path, encoding: str | None = None, max_bytes: int = MAX_BYTES) -> str:
    """The text of ``path`` with newlines normalised to ``\\n`` and no BOM."""
    path = Path(path)
    data = _read_bytes(path, max_bytes)
    text = _decode(path, data, encoding)
    if "\x00" in text:
        line, column = _position(text, text.index("\x00"))
        raise CorpusError(
            "NUL character: this looks like a binary file",
            path=path,
            line=line,
            column=column,
        )
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _read_bytes(path: Path, max_bytes: int) -> bytes:
    if not path.exists():
        raise CorpusError("file not found", path=path)
    if path.is_dir():
        raise CorpusError("is a folder, not a file", path=path)
    size = path.stat().st_size
    if size > max_bytes:
        raise CorpusError(
            f"file is {size / 2**20:.0f} MiB, more than the {max_bytes / 2**20:.0f} MiB a "
            "text document may have",
            path=path,
            hint="split it into smaller documents",
        )
    try:
        return path.read_bytes()
    except OSError as exc:
        raise CorpusError(f"cannot read: {exc.strerror}", path=path) from exc


def _decode(path: Path, data: bytes, encoding: str | None) -> str:
    if encoding:
        return _strict(path, data, encoding)
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return _strict(path, data, codec)
    utf16 = _utf16_without_bom(data)
    if utf16:
        return _strict(path, data, utf16)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as utf8_error:
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError:
            text = ""
        if text and _mostly_chinese(text):
            return text
        raise _decode_error(path, data, "utf-8", utf8_error) from utf8_error


def _strict(path: Path, data: bytes, encoding: str) -> str:
    try:
        codecs.lookup(encoding)
    except LookupError as exc:
        raise CorpusError(f"unknown encoding {encoding!r}", path=path) from exc
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise _decode_error(path, data, encoding, exc) from exc


def _decode_error(path: Path, data: bytes, encoding: str, exc: UnicodeDecodeError) -> CorpusError:
    before = data[: exc.start].decode(encoding, errors="replace")
    line, column = _position(before, len(before))
    return CorpusError(
        f"not valid {encoding} (byte 0x{data[exc.start]:02x} at offset {exc.start})",
        path=path,
        line=line,
        column=column,
        hint=_HINT,
    )


def _position(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    return line, column


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 without a BOM: NUL bytes (which UTF-8 and GB18030 text never holds) decode,
    in one of the two byte orders, to ordinary text.

    A UTF-16 text without a single ASCII character or a U+xx00 character has no NUL to
    go by and needs --encoding.
    """
    sample = data[:65536]
    if len(sample) < 2 or len(sample) % 2 or 0 not in sample:
        return None
    best, best_score = None, (0.9, 0)
    for codec in ("utf-16-le", "utf-16-be"):
        try:
            text = sample.decode(codec)
        except UnicodeDecodeError:
            continue
        # Read in the wrong order, ASCII turns into U+xx00 ideographs: ties go to ASCII.
        score = (sum(_ordinary(ch) for ch in text) / len(text), sum(ch.isascii() for ch in text))
        if score > best_score:
            best, best_score = codec, score
    return best


def _ordinary(ch: str) -> bool:
    return (ch.isascii() and (ch.isprintable() or ch in "\n\r\t")) or _is_cjk(ch)


def _is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3000" <= ch <= "\u303f" or "\uff00" <= ch <= "\uffef"


def _mostly_chinese(text: str) -> bool:
    """GB18030 decodes most byte strings; accept it only when it yields Chinese."""
    letters = [ch for ch in text if not ch.isspace() and not ch.isascii()]
    if not letters:
        return False
    return sum(_is_cjk(ch) for ch in letters) / len(letters) > 0.9
