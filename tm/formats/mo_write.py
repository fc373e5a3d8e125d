"""Compiled gettext catalogues (MO), written as msgfmt writes them.

Our own rather than polib's ``save_as_mofile`` because msgfmt's rules of what goes in
are the point: the header, and only the entries that are translated (every plural form),
not fuzzy and not obsolete. Keys are ``msgctxt EOT msgid [NUL msgid_plural]``, values
the translation or its plural forms joined by NUL, all UTF-8, sorted by key bytes so
that the runtime's binary search finds them; no hash table (its size is 0, which GNU
libintl and msgunfmt accept).
"""

from __future__ import annotations

import sqlite3
import struct
from collections.abc import Iterable, Iterator
from pathlib import Path

from corpora.atomicfile import atomic_write
from tm.formats.po_parse import Entry

MAGIC = 0x950412DE
_HEADER = struct.Struct("<7I")
_OFFSET = struct.Struct("<2I")
_CACHE_KIB = 8192  # the sort's page cache


def compiled(entry: Entry) -> bool:
    """Whether msgfmt puts the entry in the MO file."""
    if entry.is_header:
        return True
    return not entry.obsolete and "fuzzy" not in entry.flags and all(entry.msgstr)


def _pairs(header: str, entries: Iterable[Entry]) -> Iterator[tuple[bytes, bytes]]:
    yield b"", header.encode("utf-8")
    for e in entries:
        if e.is_header or not compiled(e):
            continue
        key = e.msgid if e.msgid_plural is None else f"{e.msgid}\x00{e.msgid_plural}"
        if e.msgctxt is not None:
            key = f"{e.msgctxt}\x04{key}"
        yield key.encode("utf-8"), "\x00".join(e.msgstr).encode("utf-8")


def write_mo(header: str, entries: Iterable[Entry], path: str | Path) -> None:
    """Sorted in a private temporary SQLite database (BLOBs sort as bytes, as the
    runtime's binary search wants): memory stays flat however many entries; the file is
    then written in four passes over the sorted keys (offsets, offsets, keys, values)."""
    sort = sqlite3.connect("")  # "": a temporary file, removed on close
    try:
        sort.execute(f"PRAGMA cache_size = -{_CACHE_KIB}")
        sort.execute("PRAGMA journal_mode = OFF")
        sort.execute("PRAGMA synchronous = OFF")
        sort.execute("CREATE TABLE mo (k BLOB PRIMARY KEY, v BLOB NOT NULL) WITHOUT ROWID")
        sort.executemany("INSERT OR REPLACE INTO mo VALUES (?, ?)", _pairs(header, entries))
        count, key_bytes = sort.execute("SELECT count(*), sum(length(k)) FROM mo").fetchone()
        originals = _HEADER.size
        translations = originals + 8 * count
        offset = translations + 8 * count
        with atomic_write(path, encoding=None) as f:
            f.write(_HEADER.pack(MAGIC, 0, count, originals, translations, 0, offset))
            for column, start in (("k", offset), ("v", offset + key_bytes + count)):
                for (length,) in sort.execute(f"SELECT length({column}) FROM mo ORDER BY k"):
                    f.write(_OFFSET.pack(length, start))
                    start += length + 1
            for column in ("k", "v"):
                for (data,) in sort.execute(f"SELECT {column} FROM mo ORDER BY k"):
                    f.write(data + b"\x00")
    finally:
        sort.close()
