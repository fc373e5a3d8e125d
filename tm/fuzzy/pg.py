"""Fuzzy matching on a PostgreSQL workspace: the server finds candidates, Padan ranks them.

:class:`PgFuzzyIndex` is a :class:`tm.fuzzy.index.FuzzyIndex` whose shortlist comes from
the server instead of an n-gram index of Padan's: the variants table carries a pg_trgm GIN
index on the current text, and the ``%`` operator (trigram similarity above a threshold)
fetches the candidates of one language, best by ``similarity()`` first. Everything after
the shortlist is the local index's own code — Levenshtein percentage on the folded text,
100/99 for identical texts, penalties for negations, contrasts and terms, the marked
spans, ties broken by segment id in the shortlist and in the ranking — so a match scores
and ranks the same on both backends, equal copies of a text included. Nothing is loaded
into memory but the candidates: the team's memory stays on the server and every search
sees the colleagues' latest edits.

The threshold follows the lowest score asked for. A Levenshtein similarity ``s`` allows
``d = (1 - s) * len(query)`` edits (counted on the query's length: a longer candidate
has its extra text in one run, which costs few trigrams); one edited character removes
at most three of the query's ``T`` trigrams (pg_trgm's, counted by the server) and adds
at most three, so the two share at least ``(T - 3d) / (T + 3d)`` of their trigrams:
0.71 for a one-character edit in a short string at 95 %, about 0.14 at 75 %, nothing
below ~67 %, where :data:`MIN_THRESHOLD` is used. Like the local index's shortlist this
is a heuristic for edits that come in words, not a bound for scattered ones. Rows whose
length alone rules them out are filtered on the server as the local index filters them.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from corpora.db import Database, redact
from tm.errors import TMError
from tm.fuzzy.grams import fold, gram_size
from tm.fuzzy.index import FuzzyIndex, Pool
from tm.fuzzy.shards import SHORTLIST
from tm.fuzzy.words import Occurrence, WordFinder

MIGRATIONS = [
    # pg_trgm ships with PostgreSQL (contrib) and is a trusted extension: the owner of the
    # database may create it. The index makes `%` a look-up instead of a scan.
    "CREATE EXTENSION IF NOT EXISTS pg_trgm;"
    "CREATE INDEX IF NOT EXISTS variants_current_trgm ON variants USING gin (current gin_trgm_ops);"
    # Lengths too: ANDed with the trigram index's bitmap, they spare the server most of its
    # rechecks (computing a similarity costs ~10 us a row).
    "CREATE INDEX IF NOT EXISTS variants_length ON variants (lang, char_length(current))",
]

MIN_THRESHOLD = 0.05
"""Lowest trigram similarity asked of a candidate, whatever the lowest score asked for."""

_CANDIDATES = f"""
    SELECT v.id, v.current FROM variants v
    WHERE v.lang = ? AND v.current % ? AND char_length(v.current) BETWEEN ? AND ?
    ORDER BY similarity(v.current, ?) DESC, v.id
    LIMIT {SHORTLIST}
"""


def threshold(min_score: float, trigrams: int, length: int) -> float:
    """The pg_trgm similarity asked of a candidate for a query of ``length`` characters
    and ``trigrams`` distinct trigrams to score ``min_score``."""
    changed = 3 * (1 - min_score / 100) * length
    if trigrams <= changed:
        return MIN_THRESHOLD
    return max(MIN_THRESHOLD, (trigrams - changed) / (trigrams + changed) - 1e-6)


def _lengths(length: int, cutoff: float) -> tuple[int, int]:
    """The lengths ``n`` the local index lets through: ``n >= cutoff * length`` and
    ``cutoff * n <= length``, as whole numbers (so that the server can use an index)."""
    shortest = math.ceil(cutoff * length)
    while shortest > 0 and shortest - 1 >= cutoff * length:
        shortest -= 1
    while shortest < cutoff * length:
        shortest += 1
    if cutoff <= 0:
        return shortest, 2**62
    longest = math.floor(length / cutoff)
    while cutoff * (longest + 1) <= length:
        longest += 1
    while longest > 0 and cutoff * longest > length:
        longest -= 1
    return shortest, longest


class PgFuzzyIndex(FuzzyIndex):
    """Fuzzy search over the variants of one language of a PostgreSQL workspace.

    The table is the index: there is nothing to :meth:`add` or :meth:`build`.
    """

    _ties_by_id = True

    def __init__(
        self,
        db: Database,
        lang: str,
        *,
        contrasts: Iterable[tuple[str, str]] = (),
        terms: Iterable[str] = (),
    ) -> None:
        if db.dialect != "postgresql":
            raise ValueError("PgFuzzyIndex needs a PostgreSQL workspace; use FuzzyIndex")
        super().__init__(lang, contrasts=contrasts, terms=terms)
        self.db = db
        db.migrate("tm.fuzzy_pg", MIGRATIONS)
        ctype = db.scalar("SELECT datctype FROM pg_database WHERE datname = current_database()")
        if ctype in ("C", "POSIX") and gram_size(lang) == 2:
            # pg_trgm takes its letters from the database's LC_CTYPE: under C, no Han,
            # kana or hangul character is one, and such text has no trigrams at all.
            raise TMError(
                f"this database's LC_CTYPE is {ctype}: pg_trgm finds no trigrams in {lang} text",
                path=redact(db.location),
                hint="create the database with a UTF-8 locale (createdb --locale C.UTF-8 "
                "--template template0) and move the workspace there with pg_dump/pg_restore",
            )

    def reopen(self, db: Database) -> None:
        """Search through another connection to the same workspace from now on."""
        self.db = db

    def add(self, segment_id: int, text: str) -> None:
        raise TypeError("PgFuzzyIndex searches the workspace's variants; it takes no segments")

    def build(self, items: Iterable[tuple[int, str]]) -> FuzzyIndex:
        raise TypeError("PgFuzzyIndex searches the workspace's variants; it takes no segments")

    def __len__(self) -> int:
        return int(self.db.scalar("SELECT COUNT(*) FROM variants WHERE lang = ?", (self.lang,)))

    def _shortlist(self, folded: str, cutoff: float) -> Pool:
        """Up to :data:`SHORTLIST` candidates from the server, by segment id.

        Ties in similarity go to the lowest id, and the pool is in id order, as the
        stored index on SQLite keeps them, so that equal scores rank the same way on both
        backends (the older segment first).
        """
        length = len(folded)
        text = folded.strip()
        trigrams = self.db.scalar("SELECT array_length(show_trgm(?), 1)", (text,)) or 0
        with self.db.transaction():  # set_config(..., true) lasts until the end of it
            self.db.execute(
                "SELECT set_config('pg_trgm.similarity_threshold', ?, true)",
                (str(threshold(100 * cutoff, trigrams, length)),),
            )
            shortest, longest = _lengths(length, cutoff)
            rows = self.db.query(_CANDIDATES, (self.lang, text, shortest, longest, text))
        rows.sort()
        return Pool([r[0] for r in rows], [r[1] for r in rows], [fold(r[1]) for r in rows])

    def concordance(self, word: str) -> list[Occurrence]:
        """Every variant of the language containing ``word``, in document order.

        The server narrows the rows with ILIKE on what any inflection of the word keeps
        (pg_trgm's index serves ILIKE too); the word finder then decides, as locally.
        """
        finder = WordFinder(word, self.lang)
        sql = (
            "SELECT v.id, v.current FROM variants v JOIN units u ON u.id = v.unit_id "
            "JOIN documents d ON d.id = u.document_id WHERE v.lang = ?"
        )
        params: list[object] = [self.lang]
        for piece in finder.required:
            # ILIKE on a "C" column folds ASCII letters only; Han has no case at all.
            if piece.isascii():
                operator = "ILIKE"
            elif piece.lower() == piece.upper() and not any(c.isspace() for c in piece):
                operator = "LIKE"
            else:
                continue
            escaped = piece.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            sql += f" AND v.current {operator} ? ESCAPE '\\'"
            params.append(f"%{escaped}%")
        sql += " ORDER BY d.name, u.position"
        found = []
        for variant_id, text in self.db.query(sql, params):
            spans = finder.find(text)
            if spans:
                found.append(Occurrence(variant_id, text, spans))
        return found
