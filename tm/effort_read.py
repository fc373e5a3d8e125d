"""Post-editing effort of a whole workspace, read from the TM store's tables.

One query per language streams each variant's document and imported text, with its
current text only where it differs, in batches: the unchanged texts (nearly all of them)
are counted a batch at a time (:meth:`tm.effort.EffortTally.add_batch`), and only the
edited pairs are scored. Memory is bounded by a batch, not by the workspace; the queries
read one snapshot.
"""

from __future__ import annotations

from itertools import groupby, islice
from operator import itemgetter

from corpora.db import Database
from tm.effort import Effort, EffortTally

BATCH = 4096  # rows counted at a time

_TEXTS = (
    "SELECT u.document_id, v.original, "
    "CASE WHEN v.current = v.original THEN NULL ELSE v.current END "
    "FROM variants v JOIN units u ON u.id = v.unit_id WHERE v.lang = ?"
)
_DOCUMENT = itemgetter(0)


def effort_by_document(db: Database) -> list[tuple[str, str, Effort]]:
    """(document, language, effort since import) of every document and language it has
    text in, by document name and language."""
    tallies: dict[tuple[str, str], EffortTally] = {}
    with db.snapshot():
        names = dict(db.query("SELECT id, name FROM documents"))
        for (lang,) in db.query("SELECT DISTINCT lang FROM variants"):
            rows = db.stream(_TEXTS, (lang,), size=BATCH)
            # Rows come in store order: a document's variants mostly one run after another.
            while batch := list(islice(rows, BATCH)):
                for doc_id, run in groupby(batch, _DOCUMENT):
                    key = (names[doc_id], lang)
                    tally = tallies.get(key) or tallies.setdefault(key, EffortTally(lang))
                    tally.add_batch([row[1:] for row in run])
    return [(name, lang, tallies[(name, lang)].result()) for name, lang in sorted(tallies)]
