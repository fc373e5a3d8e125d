"""Reading plain-text files whatever their encoding, or saying exactly why not.

Tried in order: a byte-order mark (UTF-8, UTF-16 LE/BE), UTF-16 without a BOM (seen in
the pattern of NUL bytes, or for text without ASCII in the high bytes of CJK characters),
UTF-8, then GB18030 (a superset of GBK and GB2312) when the result is plausibly Chinese.
A file that none of these read cleanly is refused with the line and column of the first
undecodable byte: guessing further (Latin-1 reads anything) would store garbage without
a word. The file passes the input gate (corpora/inputgate.py: exists, size, known binary
formats) before it is decoded; NUL bytes outside UTF-16 are refused here.
"""

from __future__ import annotations

import codecs
from pathlib import Path

from corpora.errors import CorpusError
from corpora.inputgate import NUL_HINT, admit, is_cjk, text_gate, utf16_cjk, utf16_without_bom

# A document is read, segmented and compared whole, at about seven times its size in
# memory: a bigger text is a corpus, to be split into documents.
MAX_BYTES = 64 * 1024 * 1024
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
ENCODING_HINT = "give the encoding with --encoding, e.g. --encoding gb18030"
_HINT = ENCODING_HINT


def read_text(
    path: str | Path,
    encoding: str | None = None,
    max_bytes: int = MAX_BYTES,
    *,
    hint: str = ENCODING_HINT,
) -> str:
    """The text of ``path`` with newlines normalised to ``\\n`` and no BOM.

    ``hint`` is what an encoding error tells the user to do (callers without an
    --encoding option say something else).
    """
    admitted = admit(path, text_gate(max_bytes))
    path, data = admitted.path, admitted.read_bytes()
    text = _decode(path, data, encoding, hint)
    if "\x00" in text:
        line, column = _position(text, text.index("\x00"))
        raise CorpusError(
            "NUL character: this looks like a binary file",
            path=path,
            line=line,
            column=column,
            hint=NUL_HINT,
        )
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _decode(path: Path, data: bytes, encoding: str | None, hint: str = _HINT) -> str:
    if encoding:
        return _strict(path, data, encoding, hint)
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return _strict(path, data, codec, hint)
    utf16 = utf16_without_bom(data) or utf16_cjk(data)
    if utf16:
        return _strict(path, data, utf16, hint)
    nul = data.find(b"\x00")
    if nul >= 0:
        before = data[:nul].decode("utf-8", errors="replace")
        line, column = _position(before, len(before))
        raise CorpusError(
            "NUL byte: this looks like a binary file, not text",
            path=path,
            line=line,
            column=column,
            hint=NUL_HINT,
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as utf8_error:
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError:
            text = ""
        if text and _mostly_chinese(text):
            return text
        raise _decode_error(path, data, "utf-8", utf8_error, hint) from utf8_error


def _strict(path: Path, data: bytes, encoding: str, hint: str = _HINT) -> str:
    try:
        codecs.lookup(encoding)
    except LookupError as exc:
        raise CorpusError(
            f"unknown encoding {encoding!r}", path=path, hint="e.g. utf-8, utf-16 or gb18030"
        ) from exc
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise _decode_error(path, data, encoding, exc, hint) from exc


def _decode_error(
    path: Path, data: bytes, encoding: str, exc: UnicodeDecodeError, hint: str = _HINT
) -> CorpusError:
    before = data[: exc.start].decode(encoding, errors="replace")
    line, column = _position(before, len(before))
    return CorpusError(
        f"not valid {encoding} (byte 0x{data[exc.start]:02x} at offset {exc.start})",
        path=path,
        line=line,
        column=column,
        hint=hint,
    )


def _position(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    return line, column


def _mostly_chinese(text: str) -> bool:
    """GB18030 decodes most byte strings; accept it only when it yields Chinese."""
    letters = [ch for ch in text if not ch.isspace() and not ch.isascii()]
    if not letters:
        return False
    return sum(is_cjk(ch) for ch in letters) / len(letters) > 0.9
