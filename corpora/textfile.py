"""Reading plain-text files whatever their encoding, or saying exactly why not.

Tried in order: a byte-order mark (UTF-8, UTF-16 LE/BE), UTF-16 without a BOM (seen in
the pattern of NUL bytes, or for text without ASCII in the high bytes of CJK characters),
UTF-8, then GB18030 (a superset of GBK and GB2312) when the result is plausibly Chinese.
A file that none of these read cleanly is refused with the line and column of the first
undecodable byte: guessing further (Latin-1 reads anything) would store garbage without
a word. Binary files (an image, an archive, anything with NUL bytes that is not UTF-16)
are refused before decoding, naming what they look like.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from corpora.errors import CorpusError

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
_NUL_HINT = "a text file holds no NUL bytes: give the text itself, saved as UTF-8"
# Signatures of binary formats people mistake for text (or save under a text extension).
_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image", None),
    (b"\xff\xd8\xff", "a JPEG image", None),
    (b"GIF8", "a GIF image", None),
    (b"%PDF-", "a PDF document", None),
    (b"\x1f\x8b", "gzip-compressed data", "decompress it first, e.g. with gunzip"),
    (b"PK\x03\x04", "a ZIP archive", "extract the file from it first"),
    (b"\xfd7zXZ\x00", "xz-compressed data", "decompress it first, e.g. with unxz"),
    (b"BZh9", "bzip2-compressed data", "decompress it first, e.g. with bunzip2"),
    (b"\xde\x12\x04\x95", "a compiled MO catalogue", "give it a .mo extension"),
    (b"\x95\x04\x12\xde", "a compiled MO catalogue", "give it a .mo extension"),
    (b"SQLite format 3\x00", "an SQLite database", None),
    (b"\x7fELF", "an executable", None),
)


def binary_kind(head: bytes) -> tuple[str, str | None] | None:
    """What the first bytes of a file say it is, when that is a known binary format:
    (description, what to do or None)."""
    for magic, kind, hint in _MAGIC:
        if head.startswith(magic):
            return kind, hint
    return None


def check_path(path: Path, max_bytes: int, what: str) -> int:
    """The size of ``path``, checked to be an existing file of at most ``max_bytes``
    (``what`` names the kind of file in the message)."""
    if not path.exists():
        raise CorpusError("file not found", path=path, hint="check the path and the file name")
    if path.is_dir():
        raise CorpusError("is a folder, not a file", path=path, hint="give the files in it")
    if not path.is_file():
        raise CorpusError("not a regular file", path=path, hint="give a file saved on disk")
    size = path.stat().st_size
    if size > max_bytes:
        raise CorpusError(
            f"file is {size / 2**20:.0f} MiB, more than the {max_bytes / 2**20:.0f} MiB "
            f"{what} may have",
            path=path,
            hint="split it into smaller files",
        )
    return size


def cannot_read(path: Path, exc: OSError) -> CorpusError:
    return CorpusError(
        f"cannot read: {exc.strerror or exc}",
        path=path,
        hint="check the permissions of the file and its folder",
    )


def empty_file(path: Path, what: str) -> CorpusError:
    return CorpusError(
        f"empty file: no {what}", path=path, hint="was it saved or copied completely?"
    )


def refuse_binary(path: str | Path, head: bytes, expected: str) -> None:
    """Raise when ``head`` starts like a known binary format instead of ``expected``."""
    found = binary_kind(head)
    if found:
        kind, hint = found
        raise CorpusError(
            f"this is {kind}, not {expected}",
            path=path,
            line=1,
            column=1,
            hint=hint or "check that this is the file you meant",
        )


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
    path = Path(path)
    data = _read_bytes(path, max_bytes)
    refuse_binary(path, data[:16], "text")
    text = _decode(path, data, encoding, hint)
    if "\x00" in text:
        line, column = _position(text, text.index("\x00"))
        raise CorpusError(
            "NUL character: this looks like a binary file",
            path=path,
            line=line,
            column=column,
            hint=_NUL_HINT,
        )
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _read_bytes(path: Path, max_bytes: int) -> bytes:
    check_path(path, max_bytes, "a text file")
    try:
        return path.read_bytes()
    except OSError as exc:
        raise cannot_read(path, exc) from exc


def _decode(path: Path, data: bytes, encoding: str | None, hint: str = _HINT) -> str:
    if encoding:
        return _strict(path, data, encoding, hint)
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return _strict(path, data, codec, hint)
    utf16 = _utf16_without_bom(data) or _utf16_cjk(data)
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
            hint=_NUL_HINT,
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


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 without a BOM: NUL bytes (which UTF-8 and GB18030 text never holds) decode,
    in one of the two byte orders, to ordinary text.

    A UTF-16 text without a single ASCII character or a U+xx00 character has no NUL to
    go by: see :func:`_utf16_cjk`.
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


def _utf16_cjk(data: bytes) -> str | None:
    """UTF-16 without a BOM and without NUL bytes: Chinese text, whose every other byte is
    the high byte of a CJK character (0x4E..0x9F), of CJK punctuation (0x30) or of a
    full-width form (0xFF). Neither GB18030 (lead bytes from 0xB0 for hanzi, trail bytes
    from 0xA1) nor UTF-8 (0xE4..0xE9 followed by 0x80..0xBF) has that pattern."""
    sample = data[:65536]
    if len(sample) < 8 or len(sample) % 2:
        return None
    for codec, high in (("utf-16-le", sample[1::2]), ("utf-16-be", sample[0::2])):
        if sum(0x4E <= b <= 0x9F or b in (0x30, 0xFF) for b in high) < 0.95 * len(high):
            continue
        try:
            text = sample.decode(codec)
        except UnicodeDecodeError:
            continue
        if sum(_ordinary(ch) for ch in text) >= 0.95 * len(text):
            return codec
    return None


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


# -- checks for text formats read by other parsers (PO) ------------------------------------

_CHUNK = 1 << 20
_PO_CHARSET = re.compile(rb'"?Content-Type:.+? charset=([\w_\-:\.]+)')


def check_text_file(
    path: str | Path, expected: str, max_bytes: int = MAX_BYTES, *, comment: bytes | None = None
) -> Path:
    """Before a parser that reads whole files sees ``path``: a readable, non-empty file of
    acceptable size, not binary, not UTF-16, without NUL bytes (except on lines starting
    with ``comment``, which the format ignores). Read in chunks."""
    path = Path(path)
    if check_path(path, max_bytes, f"a {expected} file") == 0:
        raise empty_file(path, f"{expected} content")
    try:
        with path.open("rb") as f:
            head = f.read(_CHUNK)
            refuse_binary(path, head[:16], f"a {expected} file")
            if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or (
                _utf16_without_bom(head)
            ):
                raise CorpusError(
                    f"this {expected} file is in UTF-16, which gettext tools do not read",
                    path=path,
                    hint="re-encode it as UTF-8, e.g. iconv -f UTF-16 -t UTF-8",
                )
            chunk = head
            while chunk:
                if b"\x00" in chunk:
                    _refuse_nul(path, comment)
                    break
                chunk = f.read(_CHUNK)
    except OSError as exc:
        raise cannot_read(path, exc) from exc
    return path


def _refuse_nul(path: Path, comment: bytes | None) -> None:
    """The first NUL byte outside comment lines, with its place (a second, slower pass)."""
    with path.open("rb") as f:
        for number, line in enumerate(f, 1):
            nul = line.find(b"\x00")
            if nul < 0 or (comment and line.lstrip().startswith(comment)):
                continue
            raise CorpusError(
                "NUL byte: this looks like a binary file, not text",
                path=path,
                line=number,
                column=len(line[:nul].decode("utf-8", "replace")) + 1,
                hint=_NUL_HINT,
            )


def po_charset(path: str | Path) -> str | None:
    """The charset a PO file declares (as polib finds it), checked to be one Python knows;
    None when there is none or it is the template's placeholder ``CHARSET``."""
    path = Path(path)
    try:
        with path.open("rb") as f:
            for number, line in enumerate(f, 1):
                m = _PO_CHARSET.search(line)
                if not m:
                    continue
                name = m.group(1).decode("ascii", "replace")
                if name.upper() == "CHARSET":
                    return None
                try:
                    codecs.lookup(name)
                except LookupError:
                    raise CorpusError(
                        f"unknown charset {name!r} in the Content-Type header",
                        path=path,
                        line=number,
                        column=line.index(m.group(1)) + 1,
                        hint="declare the file's real encoding, e.g. charset=UTF-8",
                    ) from None
                return name
    except OSError as exc:
        raise cannot_read(path, exc) from exc
    return None
