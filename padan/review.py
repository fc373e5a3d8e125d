"""Reviewing a workspace: its findings, and fixing them as revisions of the memory.

The checks know texts, the memory knows variants; this joins them. A finding here is tied
to the variant and version it was found in, so applying it later can tell when someone
changed the text first (the store raises ConflictError instead of overwriting).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from difflib import SequenceMatcher

from corpora.tokenize import has_han
from padan.review_state import REVIEW_MIGRATIONS, has_states
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


# -- suggestions in context --------------------------------------------------------------


def in_context(sf: SegmentFinding, choice: int = 0) -> tuple[str, str]:
    """The words around a finding as written and as the suggestion makes them: ``sia -sia``
    and ``sia-sia``, rather than the bare replacement ``-``."""
    text, f = sf.variant.current, sf.finding
    if has_han(text[f.start : f.end]) or has_han(text[max(0, f.start - 1) : f.end + 1]):
        # no spaces between words: a few characters on each side
        a, b = max(0, f.start - CONTEXT_CHARS), min(len(text), f.end + CONTEXT_CHARS)
    else:
        a, b = _widen(text, f.start, -1), _widen(text, f.end, 1)
    new = f.suggestions[choice] if 0 <= choice < len(f.suggestions) else text[f.start : f.end]
    return text[a:b], text[a : f.start] + new + text[f.end : b]


CONTEXT_CHARS = 2  # characters shown on each side in Chinese (no spaces to stop at)
CONTEXT_MAX = 24  # characters at most on each side


def _widen(text: str, i: int, step: int) -> int:
    """From ``i``, the end of the word touching it (or of the next word, when none
    touches), ``step`` -1 to the left and 1 to the right."""

    def char(j: int) -> str:
        return text[j - 1] if step < 0 else text[j]

    def inside(j: int) -> bool:
        return 0 < j if step < 0 else j < len(text)

    limit = i + step * CONTEXT_MAX
    j = i
    while inside(j) and char(j).isspace() and j != limit:
        j += step
    while inside(j) and not char(j).isspace() and j != limit:
        j += step
    return j


# -- sure fixes, rule by rule ------------------------------------------------------------


@dataclass(frozen=True)
class RuleFix:
    """What applying a rule's sure suggestions would change."""

    rule: str
    findings: list[SegmentFinding]
    changes: list[tuple[StoredVariant, str]]


def sure_fixes(found: Iterable[SegmentFinding]) -> list[RuleFix]:
    """The sure suggestions of every rule (as ``padan fix --auto`` applies them), grouped
    by rule, the rules with most changes first."""
    by_rule: dict[str, list[SegmentFinding]] = defaultdict(list)
    for sf in found:
        if sf.finding.sure and sf.finding.suggestions:
            by_rule[sf.finding.rule].append(sf)
    fixes = [RuleFix(rule, chosen, preview(chosen)) for rule, chosen in by_rule.items()]
    return sorted((f for f in fixes if f.changes), key=lambda f: (-len(f.changes), f.rule))


# -- review state ------------------------------------------------------------------------


@dataclass(frozen=True)
class DocumentProgress:
    segments: int
    edited: int
    confirmed: int


def confirm(ws: Workspace, variant: StoredVariant, author: str = "") -> None:
    """Mark the variant's text, at its version, as confirmed by a reviewer. A later change
    of the text (a new version) leaves it unconfirmed again."""
    ws.db.migrate("padan.review", REVIEW_MIGRATIONS)
    with ws.db.transaction():
        ws.db.execute("DELETE FROM review_states WHERE variant_id = ?", (variant.id,))
        ws.db.execute(
            "INSERT INTO review_states (variant_id, version, author, at) VALUES (?, ?, ?, ?)",
            (variant.id, variant.version, author, datetime.now(UTC).isoformat(timespec="seconds")),
        )


def unconfirm(ws: Workspace, variant_id: int) -> None:
    if has_states(ws):
        ws.db.execute("DELETE FROM review_states WHERE variant_id = ?", (variant_id,))


def confirmed(ws: Workspace, document: str | None = None) -> dict[int, int]:
    """Variant id -> the version confirmed (confirmed now only if it is the current one)."""
    if not has_states(ws):
        return {}
    sql = "SELECT r.variant_id, r.version FROM review_states r"
    params: list[object] = []
    if document is not None:
        sql += (
            " JOIN variants v ON v.id = r.variant_id JOIN units u ON u.id = v.unit_id "
            "JOIN documents d ON d.id = u.document_id WHERE d.name = ?"
        )
        params.append(document)
    return {int(r[0]): int(r[1]) for r in ws.db.query(sql, params)}


def progress(ws: Workspace) -> dict[str, DocumentProgress]:
    """Per document: its segments (variants), those edited, those confirmed as they are."""
    join = (
        " LEFT JOIN review_states r ON r.variant_id = v.id AND r.version = v.version"
        if has_states(ws)
        else ""
    )
    confirmed_count = "COUNT(r.variant_id)" if join else "0"
    rows = ws.db.query(
        "SELECT d.name, COUNT(v.id), SUM(CASE WHEN v.current != v.original THEN 1 ELSE 0 END), "
        f"{confirmed_count} FROM documents d JOIN units u ON u.document_id = d.id "
        f"JOIN variants v ON v.unit_id = u.id{join} GROUP BY d.name"
    )
    return {r[0]: DocumentProgress(int(r[1]), int(r[2] or 0), int(r[3] or 0)) for r in rows}
