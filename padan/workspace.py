"""A workspace: one database holding documents and the term base, and the jobs run on it.

This is glue for the command line and the app: it feeds documents from the translation
memory side to the term base side (which never import each other), and reports progress
through callbacks so that the caller decides how to show it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from corpora.bundled import bundled_documents
from corpora.db import DEFAULT_WAIT, Database
from corpora.model import Document
from termbase.model import Candidate, Concept, Proposal, Status, Term
from termbase.store import SqlTermStore, StoredProposal
from tm.store import DocumentInfo, Revision, StoredVariant, TMStore

# Extraction and alignment (numpy, rapidfuzz, jieba...) are imported by the jobs that run
# them: every command opens a workspace, and importing what it needs took 0.35-0.51 s with
# them, 0.22 s without.
if TYPE_CHECKING:
    from termbase.extract import Sentence

Progress = Callable[[str, int, int], None]  # (step, done, total)

EXTRACT_TOP = 300  # candidates kept per language
ALIGN_TOP = 300  # candidates per language considered by comparable alignment


def steps(progress: Progress, step: str, total: int) -> Callable[[int], None]:
    """``progress`` as the count-only callback the domain's long loops take."""
    return lambda done: progress(step, done, total)


def _quiet(step: str, done: int, total: int) -> None:
    """The progress callback that shows nothing."""


def _silent(message: str) -> None:
    """Waits for another writer go unsaid unless the caller listens."""


@dataclass(frozen=True)
class DemoReport:
    imported: int  # documents new or changed
    documents: int
    document_info: list[DocumentInfo]
    candidates: dict[str, list[Candidate]]
    proposals: list[Proposal]


def _schema(db: Database) -> None:
    """Every table of a workspace (a new one gets them all before it appears)."""
    TMStore(db)
    SqlTermStore(db)


class Workspace:
    """``readonly``: for commands that only read (see :class:`corpora.db.Database`);
    ``wait`` and ``on_wait``: how long a writer waits for another, and who hears it."""

    def __init__(
        self,
        location: str | None = None,
        *,
        readonly: bool = False,
        wait: float = DEFAULT_WAIT,
        on_wait: Callable[[str], None] | None = None,
    ) -> None:
        self._on_wait = on_wait
        self.db = Database(
            location, readonly=readonly, wait=wait, on_wait=on_wait or _silent, schema=_schema
        )
        try:
            self.documents = TMStore(self.db)
            self.terms = SqlTermStore(self.db)
        except BaseException:
            self.db.close()
            raise

    def close(self) -> None:
        self.db.close()

    def for_thread(self) -> Workspace:
        """The same workspace on a connection of its own, opened as this one was: a
        connection serves only the thread that opened it. The caller closes it."""
        return Workspace(
            self.db.location, readonly=self.db.readonly, wait=self.db.wait, on_wait=self._on_wait
        )

    # -- documents -------------------------------------------------------------------------

    def add_documents(self, docs: Iterable[Document], progress: Progress = _quiet) -> int:
        """Store documents; returns how many were new or changed. All or nothing."""
        docs = list(docs)
        changed = 0
        with self.db.transaction():
            for i, doc in enumerate(docs, 1):
                changed += self.documents.save(doc)
                progress("documents", i, len(docs))
        return changed

    def document_list(self) -> list[DocumentInfo]:
        return self.documents.documents()

    def document_languages(self, name: str) -> list[str]:
        """The languages document ``name`` has text in."""
        return self.documents.languages_of(name)

    def variants(self, lang: str, name: str | None = None) -> list[StoredVariant]:
        """The texts in ``lang`` (of document ``name`` only, if given)."""
        return self.documents.variants(lang, name)

    def first_variants(self, name: str, units: int) -> list[StoredVariant]:
        """The texts, in every language, of document ``name``'s first ``units`` units."""
        return self.documents.first_variants(name, units)

    def variant(self, variant_id: int) -> StoredVariant:
        """One text as stored now; :class:`tm.store.TMError` if there is none."""
        return self.documents.variant(variant_id)

    def edit(
        self, variant_id: int, new: str, *, author: str, reason: str, expected_version: int
    ) -> StoredVariant:
        """Change a text unless someone changed it after ``expected_version``
        (:class:`tm.store.ConflictError`)."""
        return self.documents.edit(
            variant_id, new, author=author, reason=reason, expected_version=expected_version
        )

    def undo(self, *, author: str) -> list[Revision]:
        """Take back the latest change (one edit or a whole batch); [] if none is left."""
        return self.documents.undo(author=author)

    def redo(self, *, author: str) -> list[Revision]:
        """Apply again the change undone last; [] if none is left."""
        return self.documents.redo(author=author)

    def languages(self) -> list[str]:
        """Every language with text in the workspace: Chinese, Indonesian, English first.

        Not only the documents' own languages: an imported memory is one document whose
        units hold every language of the file. Alignment proposes from the earlier
        language to the later one.
        """
        order = {"zh": 0, "id": 1, "en": 2}
        return sorted(self.documents.languages(), key=lambda lang: (order.get(lang, 3), lang))

    def sentences(self, lang: str) -> list[Sentence]:
        from termbase.extract import Sentence

        return [
            Sentence(name, seg.position, seg.text) for name, seg in self.documents.segments(lang)
        ]

    # -- term base --------------------------------------------------------------------------

    def concepts(self, lang: str | None = None) -> list[Concept]:
        return self.terms.concepts(lang)

    def concept(self, key: str) -> Concept | None:
        return self.terms.get(key)

    def add_concept(self, concept: Concept) -> Concept:
        return self.terms.add_concept(concept)

    def add_term(self, key: str, term: Term) -> Concept:
        """Add ``term`` to concept ``key``."""
        return self.terms.add_term(key, term)

    def set_status(
        self, key: str, lang: str, text: str, status: Status, replacement: str | None = None
    ) -> Concept:
        return self.terms.set_status(key, lang, text, status, replacement)

    def proposals(self, state: str | None = "pending") -> list[StoredProposal]:
        return self.terms.proposals(state)

    def decide(self, proposal_id: int, accept: bool) -> Concept | None:
        """Accept (into the term base) or reject a proposal."""
        return self.terms.decide(proposal_id, accept)

    # -- term base jobs --------------------------------------------------------------------

    def teach_tokenizer(self) -> None:
        """Add the term base's Chinese terms to jieba's dictionary."""
        from corpora.tokenize import add_words

        add_words(t.text for c in self.terms.concepts("zh") for t in c.terms if t.lang == "zh")

    def extract_terms(
        self,
        langs: Sequence[str] | None = None,
        top: int = EXTRACT_TOP,
        progress: Progress = _quiet,
    ) -> dict[str, list[Candidate]]:
        from termbase.extract import extract_languages

        self.teach_tokenizer()
        sentences = {lang: self.sentences(lang) for lang in langs or self.languages()}
        out = extract_languages(
            sentences,
            top=top,
            progress=lambda lang, done, total: progress(f"extracting {lang}", done, total),
        )
        for lang, found in out.items():
            self.terms.save_candidates(lang, found)
        return out

    def align_comparable(self, progress: Progress = _quiet) -> list[Proposal]:
        """Propose equivalents between the stored candidates of every language; a language
        never extracted (a memory just imported) is extracted first."""
        from termbase.align_comparable import align_comparable

        langs = self.languages()
        candidates = {lang: self.terms.candidates(lang, ALIGN_TOP) for lang in langs}
        missing = [lang for lang, found in candidates.items() if not found]
        if missing:
            candidates.update(self.extract_terms(missing, progress=progress))
        sentences = {lang: self.sentences(lang) for lang in langs}
        confirmed = [
            (
                (s.proposal.source_lang, s.proposal.source),
                (s.proposal.target_lang, s.proposal.target),
            )
            for s in self.terms.proposals("accepted")
        ]
        steps = iter(range(1, 5))
        proposals = align_comparable(
            sentences, candidates, confirmed, lambda name: progress(name, next(steps), 4)
        )
        self.terms.save_proposals(proposals)
        return proposals

    def align(self, progress: Progress = _quiet) -> list[Proposal]:
        """Propose equivalents from what the workspace holds: its translation units
        (memories imported from PO, TMX, XLIFF) aligned in parallel, each in its own
        language pair (the document's language is the source); its plain documents
        aligned as comparable texts when they are in more than one language."""
        from termbase.align_parallel import align_parallel

        memories = self.unit_pairs()
        plain = {
            d.lang
            for d in self.documents.documents()
            if len(self.documents.languages_of(d.name)) == 1
        }
        proposals = [  # every pair, saved in one go
            p
            for (src, tgt), pairs in memories.items()
            for p in align_parallel(
                pairs, src, tgt, progress=lambda done, total: progress("aligning", done, total)
            )
        ]
        self.terms.save_proposals(proposals)
        if not memories or len(plain) > 1:
            proposals += self.align_comparable(progress)
        return proposals

    def unit_pairs(self) -> dict[tuple[str, str], list[tuple[str, str]]]:
        """(source, target) texts of the translation units, by language pair; the units
        of plain documents hold one language and give none."""
        source_of = {d.name: d.lang for d in self.documents.documents()}
        out: dict[tuple[str, str], list[tuple[str, str]]] = {}
        for name, unit in self.documents.units():
            source = unit.variant(source_of[name])
            if source is None or not source.text or unit.obsolete:
                continue
            for target in unit.variants:
                if target is not source and target.text:
                    pairs = out.setdefault((source.lang, target.lang), [])
                    pairs.append((source.plain(), target.plain()))
                    pairs.extend(zip(source.plurals, target.plurals, strict=False))
        return out

    def align_parallel(
        self,
        pairs: Sequence[tuple[str, str]],
        source_lang: str,
        target_lang: str,
        terms: Sequence[str] | None = None,
        progress: Progress = _quiet,
    ) -> list[Proposal]:
        from termbase.align_parallel import align_parallel

        proposals = align_parallel(
            pairs,
            source_lang,
            target_lang,
            terms=terms,
            progress=lambda done, total: progress("aligning", done, total),
        )
        self.terms.save_proposals(proposals)
        return proposals

    def demo(self, progress: Progress = _quiet) -> DemoReport:
        """The main job: bundled corpus → documents → term candidates → proposals."""
        docs = bundled_documents()
        imported = self.add_documents(docs, progress)
        candidates = self.extract_terms(progress=progress)
        proposals = self.align_comparable(progress)
        return DemoReport(imported, len(docs), self.documents.documents(), candidates, proposals)
