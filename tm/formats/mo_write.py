"""Compiled gettext catalogues (MO), written as msgfmt writes them.

Our own rather than polib's ``save_as_mofile`` because msgfmt's rules of what goes in
are the point: the header, and only the entries that are translated (every plural form),
not fuzzy and not obsolete. Keys are ``msgctxt EOT msgid [NUL msgid_plural]``, values
the translation or its plural forms joined by NUL, all UTF-8, sorted by key bytes so
that the runtime's binary search finds them; no hash table (its size is 0, which GNU
libintl and msgunfmt accept).
"""

from __future__ import annotations

import struct
from collections.abc import Iterable
from pathlib import Path

from corpora.atomicfile import atomic_write
from tm.formats.po_parse import Entry

MAGIC = 0x950412DE
_HEADER = struct.Struct("<7I")


def compiled(entry: Entry) -> bool:
    """Whether msgfmt puts the entry in the MO file."""
    if entry.is_header:
        return True
    return not entry.obsolete and "fuzzy" not in entry.flags and all(entry.msgstr)


def mo_bytes(header: str, entries: Iterable[Entry]) -> bytes:
    pairs = {b"": header.encode("utf-8")}
    for e in entries:
        if e.is_header or not compiled(e):
            continue
        key = e.msgid if e.msgid_plural is None else f"{e.msgid}\x00{e.msgid_plural}"
        if e.msgctxt is not None:
            key = f"{e.msgctxt}\x04{key}"
        pairs[key.encode("utf-8")] = "\x00".join(e.msgstr).encode("utf-8")
    keys = sorted(pairs)
    count = len(keys)
    originals = _HEADER.size
    translations = originals + 8 * count
    offset = translations + 8 * count
    table_o, table_t, blob = [], [], bytearray()
    for original in keys:
        table_o.append((len(original), offset + len(blob)))
        blob += original + b"\x00"
    for original in keys:
        value = pairs[original]
        table_t.append((len(value), offset + len(blob)))
        blob += value + b"\x00"
    out = bytearray(_HEADER.pack(MAGIC, 0, count, originals, translations, 0, offset))
    for length, at in table_o + table_t:
        out += struct.pack("<2I", length, at)
    return bytes(out + blob)


def write_mo(header: str, entries: Iterable[Entry], path: str | Path) -> None:
    data = mo_bytes(header, entries)
    with atomic_write(path, encoding=None) as f:
        f.write(data)
