"""The registry of translation-memory formats: which reader a file needs, chosen by its
extension, else by its first bytes.

Readers give a :class:`Bilingual`: the languages the file declares (or the caller's
``--from``/``--to``, which win) and its units. Plain text is not here: it is a
monolingual document, read by corpora.documents. A new format registers one
:class:`UnitFormat` below; the command line, the checks and the TUI find it here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from corpora.langtags import normalize
from tm.errors import TMError
from tm.formats import po
from tm.formats.po_rows import po_rows
from tm.model import Unit
from tm.store_rows import Row

UNDETERMINED = "und"  # BCP 47: what the readers call a target in no declared language


@dataclass(frozen=True)
class Bilingual:
    source_lang: str
    target_lang: str | None
    units: Iterable[Unit]
    rows: Iterator[Row] | None = None
    """The same units made the rows an import stores, when the reader makes them itself
    (read these or :attr:`units`): a PO file's, whose units carry no review state."""


# (path, source language or None, target language or None) -> the file's units
Reader = Callable[[str | Path, str | None, str | None], Bilingual]
# (units, path, source language, target language) -> how many were written
Writer = Callable[[Iterable[Unit], str | Path, str, str], int]


@dataclass(frozen=True)
class UnitFormat:
    name: str
    extensions: tuple[str, ...]
    read: Reader
    sniff: Callable[[bytes], bool]  # the file's first bytes look like this format
    write: Writer | None = None  # None: Padan reads the format but does not write it


FORMATS: list[UnitFormat] = []
SNIFF_BYTES = 1024  # as far as a root element lies behind an XML prolog and comments


def register(fmt: UnitFormat) -> None:
    FORMATS.append(fmt)


def _read_po(path: str | Path, src: str | None, tgt: str | None) -> Bilingual:
    if Path(path).suffix.lower() != ".mo":
        # units as they are read, in memory bounded by the largest entry, not the file
        read = po.po_stream(path, source_lang=src, target_lang=tgt)
        if read.target_lang is not None:
            return Bilingual(read.source_lang, read.target_lang, read.units, po_rows(read))
    # a template, or a wrong Language header: read whole, to raise that fault now
    reader = po.read_mo if Path(path).suffix.lower() == ".mo" else po.read_po
    doc = reader(path, source_lang=src, target_lang=tgt)
    units: Iterable[Unit] = doc.units
    if doc.target_lang is None:
        units = _declared(path, units, 'add "Language: LANG" to the header')
    return Bilingual(doc.source_lang, doc.target_lang, units)


def _declared(path: str | Path, units: Iterable[Unit], declare: str) -> Iterator[Unit]:
    """The units, as they are read, refusing translations in no language the file
    declares (a PO without Language header or language in its name, an XLIFF without
    target-language): stored as undetermined ("und"), they would pair with nothing and
    stay behind once the file is imported again with --to."""
    for unit in units:
        if any(v.lang == UNDETERMINED and v.text for v in unit.variants):
            raise TMError(
                "translations in an unknown language: the file does not say which",
                path=path,
                line=unit.line,
                hint=f"give --to LANG, or {declare}",
            )
        yield unit


def _read_tmx(path: str | Path, src: str | None, tgt: str | None) -> Bilingual:
    from tm.formats import tmx_read  # imported when needed: checking a PO file needs none

    memory = tmx_read.read_tmx(path)
    if not src and not memory.header.srclang and not memory.header.srclang_all:
        raise TMError(
            "the TMX <header> has no srclang: the source language is unknown",
            path=path,
            hint='give --from LANG, or add srclang="en" to the header',
        )
    return Bilingual(src or memory.header.srclang or "en", tgt, memory.units())


def _read_xliff(path: str | Path, src: str | None, tgt: str | None) -> Bilingual:
    from tm.formats import xliff

    doc = xliff.read_xliff(path, source_lang=src, target_lang=tgt)
    units = doc.units
    if tgt is None:
        units = _declared(path, units, 'add target-language="LANG" to each <file>')
    return Bilingual(doc.source_lang, doc.target_lang, units)


_MO_MAGIC = (b"\xde\x12\x04\x95", b"\x95\x04\x12\xde")


# PO is text without a signature: it is known by its extension only.
def _write_po(units: Iterable[Unit], path: str | Path, src: str, tgt: str) -> int:
    return po.write_po(units, path, source_lang=src, target_lang=tgt)


def _write_xliff(units: Iterable[Unit], path: str | Path, src: str, tgt: str) -> int:
    from tm.formats import xliff

    return xliff.write_xliff(units, path, source_lang=src, target_lang=tgt)


def _sniff_xliff(head: bytes) -> bool:
    return b"<xliff" in head or b"<\x00x\x00l\x00i\x00f\x00f" in head  # UTF-8 or UTF-16


def _write_tmx(units: Iterable[Unit], path: str | Path, src: str, tgt: str) -> int:
    from tm.formats import tmx_write

    return tmx_write.write_tmx(units, path, source_lang=src)


register(UnitFormat("po", (".po", ".pot"), _read_po, lambda head: False, _write_po))
register(UnitFormat("mo", (".mo",), _read_po, lambda head: head[:4] in _MO_MAGIC))
register(UnitFormat("tmx", (".tmx",), _read_tmx, lambda head: b"<tmx" in head, _write_tmx))
register(
    UnitFormat("xliff", (".xlf", ".xliff", ".sdlxliff"), _read_xliff, _sniff_xliff, _write_xliff)
)
UNIT_FORMATS = tuple(ext for fmt in FORMATS for ext in fmt.extensions)
TEXT_EXTENSIONS = (".txt",)  # monolingual documents, never sniffed


def format_of(path: str | Path) -> UnitFormat | None:
    """The format of ``path``: by its extension; a file whose extension no format claims
    (``.xml``, none) by its first bytes. None: a plain-text document."""
    suffix = Path(path).suffix.lower()
    for fmt in FORMATS:
        if suffix in fmt.extensions:
            return fmt
    if suffix in TEXT_EXTENSIONS:
        return None
    try:
        with open(path, "rb") as f:
            head = f.read(SNIFF_BYTES)
    except OSError:
        return None  # the reader's input gate says what is wrong with it
    return next((fmt for fmt in FORMATS if fmt.sniff(head)), None)


def is_unit_file(path: str | Path) -> bool:
    return format_of(path) is not None


def read_units(
    path: str | Path, *, source_lang: str | None = None, target_lang: str | None = None
) -> Bilingual:
    """The units of a PO/POT/MO, TMX or XLIFF file."""
    fmt = format_of(path)
    if fmt is None:
        suffix = Path(path).suffix.lower()
        raise TMError(
            f"not a translation-memory file ({suffix or 'no extension'})",
            path=path,
            hint="Padan reads " + ", ".join(UNIT_FORMATS) + " and plain .txt documents",
        )
    src = normalize(source_lang) if source_lang else None
    tgt = normalize(target_lang) if target_lang else None
    return fmt.read(path, src, tgt)  # as given: messages name the file as the user did
