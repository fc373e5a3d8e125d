"""Reviewing a workspace: its findings, and fixing them as revisions of the memory.

The checks know texts, the memory knows variants; this joins them. A finding here is tied
to the variant and version it was found in, so applying it later can tell when someone
changed the text first (the store raises ConflictError instead of overwriting).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

from padan.workspace import Workspace
from termbase.checks.finding import Finding, apply_all
from termbase.checks.runner import Checker
from termbase.model import Concept, Status, Term
from tm.store import StoredVariant


@dataclass(frozen=True)
class SegmentFinding:
    variant: StoredVariant
    finding: Finding

    @property
    def written(self) -> str:
        """The text the finding is about."""
        return self.variant.current[self.finding.start : self.finding.end]

    def same_as(self, other: SegmentFinding) -> bool:
        """Equal findings: same rule, same text, same suggestion (for "apply to all")."""
        return (
            self.finding.rule == other.finding.rule
            and self.written == other.written
            and self.finding.suggestions[:1] == other.finding.suggestions[:1]
        )


def checker(ws: Workspace, rules: Collection[str] | None = None) -> Checker:
    return Checker(ws.terms.concepts(), rules)


def findings(
    ws: Workspace,
    document: str | None = None,
    rules: Collection[str] | None = None,
    check: Checker | None = None,
) -> list[SegmentFinding]:
    """Every finding in the workspace's documents (or one), in document order."""
    check = check or checker(ws, rules)
    found: list[Finding] = []
    lookup: dict[str, StoredVariant] = {}
    monolingual: dict[str, list[list[tuple[str, str]]]] = defaultdict(list)
    for info in ws.documents.documents():
        if document is not None and info.name != document:
            continue
        langs = ws.documents.languages_of(info.name)
        by_lang = {lang: ws.documents.variants(lang, info.name) for lang in langs}
        for variants in by_lang.values():
            lookup.update((str(v.id), v) for v in variants)
        if len(langs) == 1:
            texts = [(str(v.id), v.current) for v in by_lang[langs[0]]]
            monolingual[langs[0]].append(texts)
            continue
        source_lang = info.lang if info.lang in by_lang else langs[0]
        sources = {v.unit_id: v.current for v in by_lang[source_lang]}
        for lang in langs:
            if lang != source_lang:
                units = [(str(v.id), sources.get(v.unit_id, ""), v.current) for v in by_lang[lang]]
                found += check.pairs(units, source_lang, lang)
    # A name's casing is judged across the whole corpus, in every language.
    for lang, docs in monolingual.items():
        found += check.documents(docs, lang, compare_names=False)
    found += check.casing([pair for docs in monolingual.values() for d in docs for pair in d])
    out = [SegmentFinding(lookup[f.unit], f) for f in found if f.unit in lookup]
    out.sort(key=lambda sf: (sf.variant.document, sf.variant.position, sf.finding.start))
    return out


def equal_findings(one: SegmentFinding, among: Iterable[SegmentFinding]) -> list[SegmentFinding]:
    return [sf for sf in among if sf.same_as(one)]


def preview(chosen: Iterable[SegmentFinding]) -> list[tuple[StoredVariant, str]]:
    """What applying the findings' first suggestions would make of each variant."""
    by_variant: dict[int, list[SegmentFinding]] = defaultdict(list)
    for sf in chosen:
        if sf.finding.suggestions:
            by_variant[sf.variant.id].append(sf)
    out = []
    for group in by_variant.values():
        variant = group[0].variant
        new, _ = apply_all(variant.current, (sf.finding for sf in group))
        if new != variant.current:
            out.append((variant, new))
    out.sort(key=lambda pair: (pair[0].document, pair[0].position))
    return out


def apply_one(
    ws: Workspace, sf: SegmentFinding, choice: int = 0, author: str = ""
) -> StoredVariant:
    """Apply one suggestion as an "accepted suggestion" revision."""
    return ws.documents.edit(
        sf.variant.id,
        sf.finding.apply(sf.variant.current, choice),
        author=author,
        reason="accepted suggestion",
        expected_version=sf.variant.version,
    )


def apply_many(
    ws: Workspace, chosen: Iterable[SegmentFinding], author: str = ""
) -> tuple[str | None, int]:
    """Apply the findings as one bulk fix (one undo step); returns its batch and size."""
    changes = preview(chosen)
    if not changes:
        return None, 0
    batch = ws.documents.bulk_edit(
        [(v.id, new, v.version) for v, new in changes], author=author, reason="bulk fix"
    )
    return batch, len(changes)


def mark_garbled(
    ws: Workspace,
    text: str,
    lang: str,
    concept: str | None = None,
    replacement: str | None = None,
) -> Concept:
    """Record ``text`` as a garbled rendering: a forbidden term of ``concept`` (or of a new
    concept for ``replacement``), replaced by ``replacement`` or the concept's preferred
    term in ``lang``. From then on the checks find it everywhere."""
    if concept is None:
        if not replacement:
            raise ValueError("give the concept or the replacement")
        found = ws.terms.find(replacement, lang)
        if found:
            concept = found[0].id
        else:
            concept = ws.terms.add_concept(
                Concept(terms=(Term(replacement, lang, Status.PREFERRED),))
            ).id
    if replacement is None:
        known = ws.terms.get(concept)  # type: ignore[arg-type]
        usable = [t for t in (known.terms_in(lang) if known else ()) if t.status.usable]
        replacement = usable[0].text if usable else None
    return ws.terms.add_term(
        concept,  # type: ignore[arg-type]
        Term(text, lang, Status.FORBIDDEN, replacement=replacement),
    )


def diff_lines(old: str, new: str) -> list[tuple[str, str]]:
    """(kind, text) runs of a character diff: kind is "=", "-" or "+"."""
    out = []
    for op, a1, a2, b1, b2 in SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(("=", old[a1:a2]))
        else:
            if a2 > a1:
                out.append(("-", old[a1:a2]))
            if b2 > b1:
                out.append(("+", new[b1:b2]))
    return out


def sure_only(chosen: Sequence[SegmentFinding]) -> list[SegmentFinding]:
    return [sf for sf in chosen if sf.finding.sure]
