"""A long document's first units, read at once (a millisecond) so that a screen can show
them while the whole document (a second for 100,000 units) is still being read."""

from __future__ import annotations

from padan.workspace import Workspace
from tm.store_schema import VARIANT_SQL, StoredVariant

_FIRST_SQL = VARIANT_SQL + (
    " WHERE u.id IN (SELECT id FROM units WHERE document_id = "
    "(SELECT id FROM documents WHERE name = ?) ORDER BY position LIMIT ?) ORDER BY u.position"
)


def first_variants(ws: Workspace, name: str, units: int) -> list[StoredVariant]:
    """The variants, in every language, of document ``name``'s first ``units`` units."""
    return [StoredVariant(*row) for row in ws.db.query(_FIRST_SQL, (name, units))]
