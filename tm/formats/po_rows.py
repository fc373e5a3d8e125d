"""A PO file's entries made the rows an import stores, without a :class:`Unit` between.

An import of a catalogue spent a third of its reading time building a Unit and two
Variants per entry, only to turn them into JSON strings (tm.store_rows.rows). Here each
entry becomes its row directly, the same row (tests/test_po_rows.py compares them on
every PO file the tests hold): identity, the unit's meta and both variants' meta, as
tm.store_rows writes them for the Unit tm.formats.po makes of the entry.
"""

from __future__ import annotations

from collections.abc import Iterator
from json.encoder import encode_basestring

from corpora.langtags import normalize
from tm.formats.po import PoStream, header_json
from tm.formats.po_export import DOMAIN_KEY, HEADER_KEY
from tm.formats.po_parse import DEFAULT_DOMAIN, Entry
from tm.store_rows import Row, encode, numbered


def po_rows(stream: PoStream) -> Iterator[Row] | None:
    """The rows of the units of ``stream`` (its entries unread), in file order; None when
    its units need the general path: a template (no target language) or a catalogue
    into its own language (the second variant of a language goes to the unit's meta)."""
    if stream.target_lang is None:
        return None
    src, tgt = normalize(stream.source_lang), normalize(stream.target_lang)
    if src == tgt:
        return None
    return numbered(_row(e, header, src, tgt) for e, header in stream.entries)


def _row(e: Entry, header: Entry | None, src: str, tgt: str) -> Row:
    plural = e.msgid_plural
    ctx = e.msgctxt
    # The common rows formatted around json's own string encoder (what encode writes of a
    # string), without a list or dict encoded: a third of the time a row took.
    if plural is None and not e.obsolete:  # encode([ctx, msgid, "", false])
        quoted = "null" if ctx is None else encode_basestring(ctx)
        ident = f'[{quoted}, {encode_basestring(e.msgid)}, "", false]'
    else:
        ident = encode([ctx, e.msgid, plural or "", e.obsolete])
    if plural is None:
        texts = ((src, e.msgid, "{}"), (tgt, e.msgstr[0], "{}"))
    else:
        forms = e.msgstr[1:]
        texts = (
            (src, e.msgid, encode({"plurals": [plural]})),
            (tgt, e.msgstr[0], encode({"plurals": list(forms)}) if forms else "{}"),
        )
    if not (
        e.flags
        or e.comments
        or e.extracted
        or e.references
        or e.previous
        or e.obsolete
        or header is not None
        or e.domain != DEFAULT_DOMAIN
    ):  # most entries: a context at most
        return ident, f'{{"context": {encode_basestring(ctx)}}}' if ctx else "{}", texts
    meta: dict[str, object] = {}
    if e.msgctxt:
        meta["context"] = e.msgctxt
    for name, items in (
        ("flags", e.flags),
        ("comments", e.comments),
        ("extracted", e.extracted),
        ("references", e.references),
    ):
        if items:
            meta[name] = list(items)
    if e.previous:
        meta["previous"] = [list(p) for p in e.previous]
    if e.obsolete:
        meta["obsolete"] = True
    extra = [(DOMAIN_KEY, e.domain)] if e.domain != DEFAULT_DOMAIN else []
    if header is not None:
        extra = sorted([*extra, (HEADER_KEY, header_json(header))])
    if extra:
        meta["extra"] = [list(p) for p in extra]
    return ident, encode(meta), texts
