"""The input gate: every file a reader takes passes here once, before the format's parser.

:func:`admit` checks, in this order, and refuses with one line naming the file (and the
place, when there is one):

1. the path exists and is a regular file (not a folder, a pipe or a device) that can be
   read;
2. its size is within what the format's reader may take (``Gate.max_bytes``), and it is
   not empty when the format has no empty form;
3. its first bytes are not a known binary format (an image, an archive, a database...);
4. by format: XML declares no entities in its prolog (external entities and entity bombs
   live there); a gettext PO file is not UTF-16, has no NUL byte outside its comments and
   declares a charset Python knows.

The reader gets an :class:`Admitted` (the path, its size, its first bytes, the declared
charset) and does not check again. Plain text is decoded by corpora/textfile.py right
after the gate; XML is parsed by corpora/safexml.py or tm/formats/xml_stream.py.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from pathlib import Path

from corpora.errors import CorpusError

HEAD_BYTES = 64 * 1024  # as far as an XML prolog, and a UTF-16 sample, are read
_CHUNK = 1 << 20
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
NUL_HINT = "a text file holds no NUL bytes: give the text itself, saved as UTF-8"
ENTITIES_REFUSED = (
    "entity declarations are not allowed: external entities and entity expansion "
    "are refused for safety"
)
_ENTITY_DECL = re.compile(r"<!ENTITY", re.IGNORECASE)
_PO_CHARSET = re.compile(rb'"?Content-Type:.+? charset=([\w_\-:\.]+)')


@dataclass(frozen=True)
class Gate:
    """What one kind of reader lets in."""

    what: str  # the kind of file as the size message names it: "an XML file"
    max_bytes: int
    empty: str | None = None  # what an empty file lacks ("XML document"); None: let it in
    expected: str | None = None  # "this is a PNG image, not {expected}"; None: a binary format
    xml: bool = False  # refuse entity declarations in the prolog
    gettext: bool = False  # refuse UTF-16 and NUL bytes outside comments; read the charset


def text_gate(max_bytes: int) -> Gate:
    return Gate("a text file", max_bytes, expected="text")


def xml_gate(max_bytes: int) -> Gate:
    return Gate("an XML file", max_bytes, "XML document", "XML", xml=True)


def po_gate(max_bytes: int) -> Gate:
    return Gate("a PO file", max_bytes, "PO content", "a PO file", gettext=True)


def mo_gate(max_bytes: int) -> Gate:
    return Gate("an MO file", max_bytes, "MO content")


@dataclass(frozen=True)
class Admitted:
    """A file the gate let in."""

    path: Path
    size: int
    head: bytes  # its first HEAD_BYTES
    charset: str | None = None  # gettext: the declared charset; None: none, or a template's

    def read_bytes(self) -> bytes:
        try:
            return self.path.read_bytes()
        except OSError as exc:
            raise cannot_read(self.path, exc) from exc


def admit(path: str | Path, gate: Gate) -> Admitted:
    """``path`` checked once for a reader of the kind ``gate`` describes."""
    path = Path(path)
    try:
        size = _check_path(path, gate)
        if size == 0 and gate.empty:
            raise empty_file(path, gate.empty)
        with path.open("rb") as f:
            head = f.read(HEAD_BYTES)
        if gate.expected:
            refuse_binary(path, head[:16], gate.expected)
        if gate.xml:
            _check_prolog(path, head)
        charset = None
        if gate.gettext:
            _check_gettext(path, head)
            charset = _po_charset(path)
    except OSError as exc:
        raise cannot_read(path, exc) from exc
    return Admitted(path, size, head, charset)


def _check_path(path: Path, gate: Gate) -> int:
    if not path.exists():
        raise CorpusError("file not found", path=path, hint="check the path and the file name")
    if path.is_dir():
        raise CorpusError("is a folder, not a file", path=path, hint="give the files in it")
    if not path.is_file():
        raise CorpusError("not a regular file", path=path, hint="give a file saved on disk")
    size = path.stat().st_size
    if size > gate.max_bytes:
        raise CorpusError(
            f"file is {size / 2**20:.0f} MiB, more than the {gate.max_bytes / 2**20:.0f} MiB "
            f"{gate.what} may have",
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


def binary_kind(head: bytes) -> tuple[str, str | None] | None:
    """What the first bytes of a file say it is, when that is a known binary format:
    (description, what to do or None)."""
    for magic, kind, hint in _MAGIC:
        if head.startswith(magic):
            return kind, hint
    return None


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


# -- XML ----------------------------------------------------------------------------------


def _check_prolog(path: Path, head: bytes) -> None:
    """Refuse entity declarations in the DOCTYPE (read from the first bytes)."""
    text = _prolog_text(head)
    m = _ENTITY_DECL.search(text)
    if m:
        line = text[: m.start()].count("\n") + 1
        raise CorpusError(
            ENTITIES_REFUSED,
            path=path,
            line=line,
            hint="remove the <!ENTITY> declarations from the DOCTYPE",
        )


def _prolog_text(head: bytes) -> str:
    """The first bytes as text: UTF-16 (with or without BOM) shows NUL bytes."""
    if head[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in head[:200]:
        le = head[:2] == b"\xff\xfe" or (len(head) > 1 and head[1] == 0)
        return head.decode("utf-16-le" if le else "utf-16-be", errors="replace")
    return head.decode("utf-8", errors="replace")


# -- gettext PO (read whole by a parser that checks none of this) ----------------------------


def _check_gettext(path: Path, head: bytes) -> None:
    """Not UTF-16 (gettext tools do not read it), no NUL byte except on ``#`` comment
    lines, which the format ignores. Read in chunks."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or utf16_without_bom(head):
        raise CorpusError(
            "this PO file is in UTF-16, which gettext tools do not read",
            path=path,
            hint="re-encode it as UTF-8, e.g. iconv -f UTF-16 -t UTF-8",
        )
    with path.open("rb") as f:
        while chunk := f.read(_CHUNK):
            if b"\x00" in chunk:
                _refuse_nul(path, b"#")
                return


def _refuse_nul(path: Path, comment: bytes) -> None:
    """The first NUL byte outside comment lines, with its place (a second, slower pass)."""
    with path.open("rb") as f:
        for number, line in enumerate(f, 1):
            nul = line.find(b"\x00")
            if nul < 0 or line.lstrip().startswith(comment):
                continue
            raise CorpusError(
                "NUL byte: this looks like a binary file, not text",
                path=path,
                line=number,
                column=len(line[:nul].decode("utf-8", "replace")) + 1,
                hint=NUL_HINT,
            )


def _po_charset(path: Path) -> str | None:
    """The charset a PO file declares (as polib finds it), checked to be one Python knows;
    None when there is none or it is the template's placeholder ``CHARSET``."""
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
    return None


# -- UTF-16 without a byte-order mark (also used by corpora/textfile.py to decode) -----------


def utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 without a BOM: NUL bytes (which UTF-8 and GB18030 text never holds) decode,
    in one of the two byte orders, to ordinary text.

    A UTF-16 text without a single ASCII character or a U+xx00 character has no NUL to
    go by: see :func:`utf16_cjk`.
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


def utf16_cjk(data: bytes) -> str | None:
    """UTF-16 without a BOM and without NUL bytes: Chinese text, whose every other byte is
    the high byte of a CJK character (0x4E..0x9F), of CJK punctuation (0x30) or of a
    full-width form (0xFF). Neither GB18030 (lead bytes from 0xB0 for hanzi, trail bytes
    from 0xA1) nor UTF-8 (0xE4..0xE9 followed by 0x80..0xBF) has that pattern."""
    sample = data[:65536]
    if len(sample) < 8 or len(sample) % 2:
        return None
    if sample.isascii():
        # ASCII letters N..z are the high bytes of CJK characters too ("a b c\n" reads
        # as 愠戠挊); the low bytes of real Chinese text are any byte, half of them >= 0x80
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
    return (ch.isascii() and (ch.isprintable() or ch in "\n\r\t")) or is_cjk(ch)


def is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3000" <= ch <= "\u303f" or "\uff00" <= ch <= "\uffef"
