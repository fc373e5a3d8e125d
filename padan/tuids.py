"""A TMX unit whose tuid a stored unit of the same document has, with another source text.

A translation memory is a set of source segments with their translations: a CAT tool
importing a TMX matches units by their source, and a tuid is only a label the tool that
wrote the file gave. Matching by tuid alone, a colleague's memory numbered from 1 like
ours (or one regenerated after edits) would overwrite our sources with theirs, silently.
So such a unit is another unit: it is stored beside the one that has the tuid, under an
identity made of the tuid and its source (a re-import of the same file finds it again),
and the import says which tuids it kept apart. A source equal to the stored one as
imported or as edited since is the same unit, updated as before.

XLIFF ids are not treated so: a trans-unit id names a place in a document, and a new
version of the document may change the source in that place.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence

from corpora.db import Database
from tm.store_rows import Row, encode

_KEYED = "key:"  # tm.store_rows.identity of a unit with an id (a tuid)
_NUMBERED = re.compile(r"(#\d+)+$")  # tm.store_rows.numbered: a tuid repeated in a file
_APART = "|source:"
_BATCH = 1000


def apart(db: Database, doc_id: int, source_lang: str, rows: Iterable[Row]) -> dict[str, str]:
    """The identity each clashing row of a file gets instead of its own (read in the
    import's transaction, before the rows are stored: a first pass over the spool)."""
    renamed: dict[str, str] = {}
    batch: list[Row] = []
    for row in rows:
        batch.append(row)
        if len(batch) == _BATCH:
            renamed.update(_clashes(db, doc_id, source_lang, batch))
            batch = []
    renamed.update(_clashes(db, doc_id, source_lang, batch))
    return renamed


def _clashes(
    db: Database, doc_id: int, lang: str, rows: Sequence[Row]
) -> Iterator[tuple[str, str]]:
    """(identity, identity apart) of the rows whose tuid is stored with another source,
    or whose tuid and source were kept apart before (a re-import, or our own export of
    both units, which numbers the second tuid #2)."""
    keyed = []
    for identity, _, texts in rows:
        source = next((text for tag, text, _ in texts if tag == lang), None)
        if identity.startswith(_KEYED) and source is not None:
            own = _NUMBERED.sub("", identity)
            keyed.append((identity, f"{own}{_APART}{encode(source)}", source))
    if not keyed:
        return
    where, params = db.one_of("u.identity", [i for row in keyed for i in row[:2]])
    stored: dict[str, set[str]] = {}
    for identity, original, current in db.query(
        "SELECT u.identity, v.original, v.current FROM units u "
        "JOIN variants v ON v.unit_id = u.id "
        f"WHERE u.document_id = ? AND v.lang = ? AND {where}",
        [doc_id, lang, *params],
    ):
        stored.setdefault(identity, set()).update((original, current))
    for identity, separate, source in keyed:
        known = stored.get(identity)
        if separate in stored or (known and source not in known):
            yield identity, separate


def renamed_rows(rows: Iterable[Row], renamed: dict[str, str]) -> Iterable[Row]:
    if not renamed:  # most files: the rows as they are, not a step more per row
        return rows
    return _renamed(rows, renamed)


def _renamed(rows: Iterable[Row], renamed: dict[str, str]) -> Iterator[Row]:
    for identity, meta, texts in rows:
        yield renamed.get(identity, identity), meta, texts


def tuid(separate: str) -> str:
    """The tuid of an identity apart."""
    return separate[len(_KEYED) :].partition(_APART)[0]
