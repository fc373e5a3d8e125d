"""Storage of the term base in the workspace database.

:class:`TermStore` is the interface the rest of Padan uses; :class:`SqlTermStore`
implements it on :class:`corpora.db.Database`, which speaks both SQLite and PostgreSQL.
Every method that writes runs in one transaction.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Any, Protocol

from corpora.db import Database
from corpora.langtags import normalize
from termbase.errors import TermbaseError
from termbase.model import Candidate, Concept, Context, Proposal, Status, Term, Variant

MIGRATIONS = [
    """
    CREATE TABLE concepts (
        id {pk},
        key TEXT NOT NULL UNIQUE,
        subject TEXT,
        definition TEXT,
        note TEXT
    );
    CREATE TABLE terms (
        id {pk},
        concept_id INTEGER NOT NULL REFERENCES concepts(id) ON DELETE CASCADE,
        lang TEXT NOT NULL,
        text TEXT NOT NULL,
        status TEXT NOT NULL,
        replacement TEXT,
        pos TEXT,
        frequency INTEGER NOT NULL DEFAULT 0,
        note TEXT,
        UNIQUE (concept_id, lang, text)
    );
    CREATE INDEX terms_by_text ON terms (lang, text);
    CREATE TABLE term_contexts (
        id {pk},
        term_id INTEGER NOT NULL REFERENCES terms(id) ON DELETE CASCADE,
        text TEXT NOT NULL,
        source TEXT NOT NULL,
        sentence INTEGER
    );
    CREATE TABLE candidates (
        id {pk},
        lang TEXT NOT NULL,
        text TEXT NOT NULL,
        score REAL NOT NULL,
        frequency INTEGER NOT NULL,
        documents INTEGER NOT NULL,
        contexts TEXT NOT NULL,
        UNIQUE (lang, text)
    );
    CREATE TABLE proposals (
        id {pk},
        source_lang TEXT NOT NULL,
        source TEXT NOT NULL,
        target_lang TEXT NOT NULL,
        target TEXT NOT NULL,
        score REAL NOT NULL,
        count INTEGER NOT NULL,
        method TEXT NOT NULL,
        evidence TEXT NOT NULL,
        state TEXT NOT NULL DEFAULT 'pending',
        UNIQUE (source_lang, source, target_lang, target, method)
    )
    """,
    # Deprecated variants (spun or garbled forms) of a candidate or a proposal's terms.
    """
    ALTER TABLE candidates ADD COLUMN variants TEXT NOT NULL DEFAULT '[]';
    ALTER TABLE proposals ADD COLUMN variants TEXT NOT NULL DEFAULT '[]'
    """,
    # What accepting a proposal added ({"concept": key, "terms": [[lang, text]...]}), so
    # that rejecting it afterwards takes exactly that back.
    """
    ALTER TABLE proposals ADD COLUMN added TEXT
    """,
]

_KEY_RE = re.compile(r"^[A-Za-z_][\w.-]*$")


@dataclass(frozen=True)
class StoredProposal:
    id: int
    proposal: Proposal
    state: str  # pending, accepted, rejected
    concept: str | None = None  # the concept an accepted proposal's terms joined


class TermStore(Protocol):
    """What Padan needs from a term base, whatever holds it."""

    def add_concept(self, concept: Concept) -> Concept: ...
    def import_concepts(self, concepts: Iterable[Concept]) -> int: ...
    def get(self, key: str) -> Concept | None: ...
    def concepts(self, lang: str | None = None) -> list[Concept]: ...
    def find(self, text: str, lang: str | None = None) -> list[Concept]: ...
    def add_term(self, key: str, term: Term) -> Concept: ...
    def set_status(
        self, key: str, lang: str, text: str, status: Status, replacement: str | None = None
    ) -> Concept: ...
    def save_candidates(self, lang: str, candidates: Sequence[Candidate]) -> None: ...
    def candidates(self, lang: str, top: int | None = None) -> list[Candidate]: ...
    def save_proposals(self, proposals: Sequence[Proposal]) -> int: ...
    def proposals(
        self, state: str | None = "pending", source_lang: str | None = None
    ) -> list[StoredProposal]: ...
    def proposal(self, proposal_id: int) -> StoredProposal | None: ...
    def decide(self, proposal_id: int, accept: bool) -> Concept | None: ...


class SqlTermStore:
    """The term base in a workspace database (SQLite or PostgreSQL)."""

    def __init__(self, db: Database) -> None:
        self.db = db
        db.migrate("termbase", MIGRATIONS)

    # -- concepts ------------------------------------------------------------------------

    def add_concept(self, concept: Concept) -> Concept:
        return self._load(self._add(concept))

    def _add(self, concept: Concept) -> int:
        with self.db.transaction():
            self.db.serialize("termbase")
            key = self._new_key(concept.id)
            concept_id = self.db.insert(
                "INSERT INTO concepts (key, subject, definition, note) VALUES (?, ?, ?, ?)",
                (key, concept.subject, concept.definition, concept.note),
            )
            for term in concept.terms:
                self._insert_term(concept_id, term)
        return concept_id

    def import_concepts(self, concepts: Iterable[Concept]) -> int:
        """Add every concept, all or nothing; returns how many were new.

        Importing the same glossary again adds nothing. A concept with a key (a TBX id,
        a CSV concept column, a PO msgctxt) is the concept of that key when that one
        fits it (see _same). One without (a TSV, PO or plain CSV row) joins the concept
        that was there before the import sharing the most of its terms (same language
        and text) when that one is clear: it has all of them, or no other shares as
        many. Rows of one file never join each other: a source listed twice with
        different targets is two senses (OmegaT's homonyms). Rows of one file with the
        same key (Padan's PO and CSV write a row per source and target term) are one
        concept.
        """
        new = 0
        seen: dict[str, int] = {}  # a key of the file -> its concept: rows of one concept
        with self.db.transaction():
            self.db.serialize("termbase")
            before = int(self.db.scalar("SELECT COALESCE(MAX(id), 0) FROM concepts"))
            for concept in concepts:
                existing = seen.get(concept.id or "") or self._same(concept, before)
                if existing:
                    self._merge(existing, concept)
                else:
                    existing = self._add(concept)
                    new += 1
                if concept.id:
                    seen[concept.id] = existing
        return new

    def _same(self, concept: Concept, before: int) -> int | None:
        """The stored concept that ``concept`` is, if any (see import_concepts).

        A key alone is no proof: Padan numbers the concepts of glossaries without ids
        c1, c2..., as other tools number theirs. So the concept of that key must also
        share a term, or have none in the languages brought (a term base kept in one file
        per language). A concept whose key is not its own is one imported before under
        another key only when that one has all of its terms.
        """
        pairs = {(normalize(t.lang), t.text) for t in concept.terms}
        if concept.id:
            row_id = self._row_id(concept.id)
            if row_id is not None and (
                self._shared(pairs, row_id, row_id) or not self._languages(row_id, pairs)
            ):
                return row_id
        ranked = self._shared(pairs, 1, before).most_common(2)
        if not ranked:
            return None
        (best, count), rest = ranked[0], ranked[1:]
        if count == len(pairs) or not concept.id and (not rest or rest[0][1] < count):
            return best
        return None

    def _languages(self, concept_id: int, pairs: set[tuple[str, str]]) -> bool:
        """Whether the concept has a term in a language of ``pairs``."""
        langs = sorted({lang for lang, _ in pairs})
        if not langs:
            return False
        marks = ",".join("?" * len(langs))
        return bool(
            self.db.scalar(
                f"SELECT COUNT(*) FROM terms WHERE concept_id = ? AND lang IN ({marks})",
                [concept_id, *langs],
            )
        )

    def _shared(self, pairs: set[tuple[str, str]], low: int, high: int) -> Counter[int]:
        """How many of the (language, text) ``pairs`` each concept of row id ``low`` to
        ``high`` has."""
        if not pairs or high < low:
            return Counter()
        where = " OR ".join("(lang = ? AND text = ?)" for _ in pairs)
        return Counter(
            r[0]
            for r in self.db.query(
                f"SELECT concept_id FROM terms WHERE concept_id BETWEEN ? AND ? AND ({where})"
                " ORDER BY concept_id",
                [low, high, *(x for pair in pairs for x in pair)],
            )
        )

    def _merge(self, concept_id: int, concept: Concept) -> None:
        """Add ``concept``'s terms that the stored one lacks, and the fields it leaves
        empty (what a person wrote there is kept)."""
        for term in concept.terms:
            self._upsert_term(concept_id, term)
        for column in ("subject", "definition", "note"):
            value = getattr(concept, column)
            if value:
                self.db.execute(
                    f"UPDATE concepts SET {column} = ? WHERE id = ? AND {column} IS NULL",
                    (value, concept_id),
                )

    def get(self, key: str) -> Concept | None:
        row_id = self._row_id(key)
        return self._load(row_id) if row_id else None

    def concepts(self, lang: str | None = None) -> list[Concept]:
        if lang:
            rows = self.db.query(
                "SELECT DISTINCT concept_id FROM terms WHERE lang = ? ORDER BY concept_id",
                (normalize(lang),),
            )
        else:
            rows = self.db.query("SELECT id FROM concepts ORDER BY id")
        return self._load_many([r[0] for r in rows])

    def find(self, text: str, lang: str | None = None) -> list[Concept]:
        """Concepts having a term equal to ``text`` (case-insensitive), or whose key it is."""
        params: list[object] = [text.lower()]
        sql = "SELECT DISTINCT concept_id FROM terms WHERE LOWER(text) = ?"
        if lang:
            sql += " AND lang = ?"
            params.append(normalize(lang))
        ids = [r[0] for r in self.db.query(sql, params)]
        key_id = self._row_id(text)
        if key_id and key_id not in ids:
            ids.insert(0, key_id)
        return self._load_many(ids)

    def add_term(self, key: str, term: Term) -> Concept:
        with self.db.transaction():
            self.db.serialize("termbase")
            concept_id = self._require(key)
            self._upsert_term(concept_id, term)
        return self._load(concept_id)

    def set_status(
        self, key: str, lang: str, text: str, status: Status, replacement: str | None = None
    ) -> Concept:
        with self.db.transaction():
            concept_id = self._require(key)
            cur = self.db.execute(
                "UPDATE terms SET status = ?, replacement = ? "
                "WHERE concept_id = ? AND lang = ? AND text = ?",
                (status.value, replacement, concept_id, normalize(lang), text),
            )
            if cur.rowcount == 0:
                raise TermbaseError(
                    f"concept {key} has no {normalize(lang)} term {text!r}",
                    hint="see `padan terms show " + key + "`",
                )
        return self._load(concept_id)

    # -- extraction results ----------------------------------------------------------------

    def save_candidates(self, lang: str, candidates: Sequence[Candidate]) -> None:
        lang = normalize(lang)
        with self.db.transaction():
            self.db.serialize("termbase")
            self.db.execute("DELETE FROM candidates WHERE lang = ?", (lang,))
            self.db.executemany(
                "INSERT INTO candidates (lang, text, score, frequency, documents, contexts, "
                "variants) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        lang,
                        c.text,
                        c.score,
                        c.frequency,
                        c.documents,
                        _contexts_json(c.contexts),
                        _variants_json(c.variants),
                    )
                    for c in candidates
                ],
            )

    def candidates(self, lang: str, top: int | None = None) -> list[Candidate]:
        sql = (
            "SELECT text, score, frequency, documents, contexts, variants FROM candidates "
            "WHERE lang = ? ORDER BY score DESC, text"
        )
        params: list[object] = [normalize(lang)]
        if top is not None:
            sql += " LIMIT ?"
            params.append(top)
        rows = self.db.query(sql, params)
        return [
            Candidate(
                text, normalize(lang), score, freq, docs, _contexts_from(ctx), _variants_from(var)
            )
            for text, score, freq, docs, ctx, var in rows
        ]

    # -- alignment proposals ---------------------------------------------------------------

    def save_proposals(self, proposals: Sequence[Proposal]) -> int:
        """Store new proposals; a proposal already decided keeps its decision, and the
        pending ones of other language pairs stay."""
        with self.db.transaction():
            self.db.serialize("termbase")
            # a new run replaces the pending proposals of its methods in its language pairs
            for method, source_lang, target_lang in {
                (p.method, p.source_lang, p.target_lang) for p in proposals
            }:
                self.db.execute(
                    "DELETE FROM proposals WHERE method = ? AND source_lang = ? "
                    "AND target_lang = ? AND state = 'pending'",
                    (method, source_lang, target_lang),
                )
            decided = {
                (r[0], r[1], r[2], r[3], r[4])
                for r in self.db.query(
                    "SELECT source_lang, source, target_lang, target, method FROM proposals"
                )
            }
            fresh = [
                p
                for p in proposals
                if (p.source_lang, p.source, p.target_lang, p.target, p.method) not in decided
            ]
            self.db.executemany(
                "INSERT INTO proposals (source_lang, source, target_lang, target, score, count, "
                "method, evidence, variants) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        p.source_lang,
                        p.source,
                        p.target_lang,
                        p.target,
                        p.score,
                        p.count,
                        p.method,
                        json.dumps(list(p.evidence), ensure_ascii=False),
                        _variants_json(p.variants),
                    )
                    for p in fresh
                ],
            )
        return len(fresh)

    def proposals(
        self, state: str | None = "pending", source_lang: str | None = None
    ) -> list[StoredProposal]:
        sql = (
            "SELECT id, source_lang, source, target_lang, target, score, count, method, "
            "evidence, state, variants, added FROM proposals WHERE 1 = 1"
        )
        params: list[object] = []
        if state:
            sql += " AND state = ?"
            params.append(state)
        if source_lang:
            sql += " AND source_lang = ?"
            params.append(normalize(source_lang))
        sql += " ORDER BY score DESC, id"
        return self._stored(sql, params)

    def proposal(self, proposal_id: int) -> StoredProposal | None:
        found = self._stored(
            "SELECT id, source_lang, source, target_lang, target, score, count, method, "
            "evidence, state, variants, added FROM proposals WHERE id = ?",
            [proposal_id],
        )
        return found[0] if found else None

    def _stored(self, sql: str, params: Sequence[object]) -> list[StoredProposal]:
        return [
            StoredProposal(
                row[0],
                Proposal(
                    source=row[2],
                    source_lang=row[1],
                    target=row[4],
                    target_lang=row[3],
                    score=row[5],
                    count=row[6],
                    method=row[7],
                    evidence=tuple(json.loads(row[8])),
                    variants=_variants_from(row[10]),
                ),
                row[9],
                json.loads(row[11])["concept"] if row[11] else None,
            )
            for row in self.db.query(sql, params)
        ]

    def decide(self, proposal_id: int, accept: bool) -> Concept | None:
        """Accept (the two terms join one concept) or reject a proposal; returns the
        concept it joined or left (None: rejected, and no concept changed).

        Deciding again as before changes nothing. Rejecting an accepted proposal takes
        out of its concept the terms that accepting it added (the concept goes when
        nothing is left); accepting a rejected one is accepting it.
        """
        with self.db.transaction():
            self.db.serialize("termbase")
            rows = self.db.query(
                "SELECT source_lang, source, target_lang, target, variants, state, added "
                "FROM proposals WHERE id = ?",
                (proposal_id,),
            )
            if not rows:
                raise TermbaseError(f"no proposal {proposal_id}", hint="see `padan terms align`")
            source_lang, source, target_lang, target, variants, state, added = rows[0]
            if accept and state == "accepted":
                concept_id = self._concept_of(source, source_lang)
                return self._load(concept_id) if concept_id else None
            if not accept:
                self.db.execute(
                    "UPDATE proposals SET state = 'rejected', added = NULL WHERE id = ?",
                    (proposal_id,),
                )
                return self._take_back(json.loads(added)) if added else None
            # the spun or garbled forms join the concept as deprecated, with their
            # replacement: the checks then flag them wherever they appear
            terms = [Term(source, source_lang), Term(target, target_lang)] + [
                Term(v.text, v.lang, Status.DEPRECATED, v.replacement, frequency=v.count)
                for v in _variants_from(variants)
            ]
            concept_id = self._concept_of(source, source_lang) or self._concept_of(
                target, target_lang
            )
            if concept_id is None:
                concept = self.add_concept(Concept(terms=tuple(terms)))
                new = terms
            else:
                new = [t for t in terms if self._upsert_term(concept_id, t)]
                concept = self._load(concept_id)
            record = {"concept": concept.id, "terms": [[t.lang, t.text] for t in new]}
            self.db.execute(
                "UPDATE proposals SET state = 'accepted', added = ? WHERE id = ?",
                (json.dumps(record, ensure_ascii=False), proposal_id),
            )
        return concept

    def _take_back(self, record: dict[str, Any]) -> Concept | None:
        """Remove the terms an acceptance added, but those another accepted proposal
        pairs (模型 stays for 模型 → model of English when 模型 → model of Indonesian is
        rejected); the concept too if none is left."""
        concept_id = self._row_id(record["concept"])
        if concept_id is None:
            return None
        paired = {
            pair
            for row in self.db.query(
                "SELECT source_lang, source, target_lang, target FROM proposals "
                "WHERE state = 'accepted'"
            )
            for pair in ((row[0], row[1]), (row[2], row[3]))
        }
        for lang, text in record["terms"]:
            if (lang, text) in paired:
                continue
            self.db.execute(
                "DELETE FROM terms WHERE concept_id = ? AND lang = ? AND text = ?",
                (concept_id, lang, text),
            )
        if self.db.scalar("SELECT COUNT(*) FROM terms WHERE concept_id = ?", (concept_id,)):
            return self._load(concept_id)
        self.db.execute("DELETE FROM concepts WHERE id = ?", (concept_id,))
        return Concept(id=record["concept"])

    # -- internals -------------------------------------------------------------------------

    def _concept_of(self, text: str, lang: str) -> int | None:
        found: int | None = self.db.scalar(
            "SELECT MIN(concept_id) FROM terms WHERE lang = ? AND LOWER(text) = ?",
            (lang, text.lower()),
        )
        return found

    def _row_id(self, key: str) -> int | None:
        found: int | None = self.db.scalar("SELECT id FROM concepts WHERE key = ?", (key,))
        return found

    def _require(self, key: str) -> int:
        row_id = self._row_id(key)
        if row_id is None:
            raise TermbaseError(f"no concept {key!r}", hint="see `padan terms list`")
        return row_id

    def _new_key(self, wanted: str | None) -> str:
        if wanted and _KEY_RE.match(wanted) and self._row_id(wanted) is None:
            return wanted
        n = int(self.db.scalar("SELECT COUNT(*) FROM concepts")) + 1
        while self._row_id(f"c{n}") is not None:
            n += 1
        return f"c{n}"

    def _insert_term(self, concept_id: int, term: Term) -> None:
        if not term.text.strip():
            raise TermbaseError(
                f"an empty {normalize(term.lang)} term: a term needs some text",
                hint="give the term's text",
            )
        term_id = self.db.insert(
            "INSERT INTO terms (concept_id, lang, text, status, replacement, pos, frequency, note) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                concept_id,
                normalize(term.lang),
                term.text,
                Status(term.status).value,
                term.replacement,
                term.pos,
                term.frequency,
                term.note,
            ),
        )
        self.db.executemany(
            "INSERT INTO term_contexts (term_id, text, source, sentence) VALUES (?, ?, ?, ?)",
            [(term_id, c.text, c.source, c.sentence) for c in term.contexts],
        )

    def _upsert_term(self, concept_id: int, term: Term) -> bool:
        """Add ``term`` to the concept unless it has it; whether it was added."""
        exists = self.db.scalar(
            "SELECT id FROM terms WHERE concept_id = ? AND lang = ? AND text = ?",
            (concept_id, normalize(term.lang), term.text),
        )
        if exists is None:
            self._insert_term(concept_id, term)
        return exists is None

    def _load(self, concept_id: int) -> Concept:
        return self._load_many([concept_id])[0]

    def _load_many(self, ids: Sequence[int]) -> list[Concept]:
        if not ids:
            return []
        marks = ",".join("?" * len(ids))
        heads = {
            r[0]: r
            for r in self.db.query(
                f"SELECT id, key, subject, definition, note FROM concepts WHERE id IN ({marks})",
                ids,
            )
        }
        term_rows = self.db.query(
            "SELECT id, concept_id, lang, text, status, replacement, pos, frequency, note "
            f"FROM terms WHERE concept_id IN ({marks}) ORDER BY id",
            ids,
        )
        contexts: dict[int, list[Context]] = {}
        if term_rows:
            term_marks = ",".join("?" * len(term_rows))
            for term_id, text, source, sentence in self.db.query(
                "SELECT term_id, text, source, sentence FROM term_contexts "
                f"WHERE term_id IN ({term_marks}) ORDER BY id",
                [r[0] for r in term_rows],
            ):
                contexts.setdefault(term_id, []).append(Context(text, source, sentence))
        terms: dict[int, list[Term]] = {}
        for tid, cid, lang, text, status, repl, pos, freq, note in term_rows:
            terms.setdefault(cid, []).append(
                Term(
                    text, lang, Status(status), repl, pos, freq, note, tuple(contexts.get(tid, ()))
                )
            )
        return [
            Concept(
                id=heads[i][1],
                terms=tuple(terms.get(i, ())),
                subject=heads[i][2],
                definition=heads[i][3],
                note=heads[i][4],
            )
            for i in ids
            if i in heads
        ]


def _contexts_json(contexts: Sequence[Context]) -> str:
    return json.dumps(
        [{"text": c.text, "source": c.source, "sentence": c.sentence} for c in contexts],
        ensure_ascii=False,
    )


def _contexts_from(text: str) -> tuple[Context, ...]:
    return tuple(Context(**item) for item in json.loads(text))


def _variants_json(variants: Sequence[Variant]) -> str:
    return json.dumps([asdict(v) for v in variants], ensure_ascii=False)


def _variants_from(text: str) -> tuple[Variant, ...]:
    return tuple(Variant(**item) for item in json.loads(text))
