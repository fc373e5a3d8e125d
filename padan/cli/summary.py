"""Readable command-line output: the demo summary, candidates, proposals, concepts."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence

from rich.cells import cell_len
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from padan.cli.common import counted
from padan.workspace import DemoReport
from termbase.checks.spin import SPUN_THRESHOLD
from termbase.glosses import is_embedded_english
from termbase.model import Candidate, Concept, Proposal
from termbase.recognize import find, kwic
from tm.effort import Effort

TOP_TERMS = 15
TOP_CONCEPTS = 15

_LANG_NAMES = {"zh": "Chinese", "id": "Indonesian", "en": "English"}


def _console() -> Console:
    return Console(highlight=False, soft_wrap=True)


def _name(lang: str) -> str:
    return _LANG_NAMES.get(lang, lang)


def print_demo(
    report: DemoReport,
    db: str,
    findings: Mapping[tuple[str, str], Counter[str]],
    spin: Mapping[str, float],
) -> None:
    """The summary `padan demo` prints: documents, top terms, proposed equivalents, and
    the garbled renderings found (``findings`` counts by rule per document and language;
    ``spin`` is the spin score of each Chinese document)."""
    out = _console()
    out.print(
        f"[bold]Workspace {db}[/]: {counted(report.documents, 'document')} from the bundled corpus "
        f"({report.imported} new or changed)\n"
    )
    docs = Table("doc", "lang", "title", "segments", "boilerplate", box=None, pad_edge=False)
    for info in report.document_info:
        docs.add_row(
            info.name, info.lang, info.title[:60], str(info.segments), str(info.boilerplate)
        )
    out.print(docs)
    out.print()
    for lang, cands in report.candidates.items():
        terms = escape(" · ".join(f"{c.text} ({c.frequency})" for c in cands[:TOP_TERMS]))
        out.print(f"[bold]Top {_name(lang)} terms[/] by termhood: {terms}")
        english = [c.text for c in cands if lang != "en" and is_embedded_english(c.text)]
        if english:
            listed = escape(", ".join(english[:12]))
            out.print(f"  English terms inside the {_name(lang)} text: {listed}")
    out.print()
    out.print(
        "[bold]Proposed equivalents[/] (score, evidence kind; `padan terms proposals` "
        "shows the evidence):"
    )
    _print_grouped(out, report.proposals)
    out.print()
    _print_garbled(out, findings, spin)
    out.print(
        "\nNext: `padan terms proposals` to review, `padan terms accept ID` to confirm, "
        "`padan terms export glossary.tbx` to share; `padan tui` to review and fix the "
        "garbled renderings (or `padan fix --auto`, `padan undo`)."
    )


def _print_garbled(
    out: Console, findings: Mapping[tuple[str, str], Counter[str]], spin: Mapping[str, float]
) -> None:
    out.print(
        "[bold]Garbled renderings[/] (`padan check` rules; terms above were read with the "
        "sure repairs made, the stored text is unchanged):"
    )
    for doc, lang in sorted({*findings, *((doc, "zh") for doc in spin)}):
        rules = findings.get((doc, lang), Counter())
        line = ", ".join(f"{rule} {n}" for rule, n in rules.most_common()) or "nothing found"
        if lang == "zh" and doc in spin:
            spun = "spun" if spin[doc] >= SPUN_THRESHOLD else "not spun"
            line += f"; spin score {spin[doc]:.1f} ({spun}, threshold {SPUN_THRESHOLD:g})"
        out.print(f"  {doc} {lang}: {escape(line)}")


def _print_grouped(out: Console, proposals: Sequence[Proposal]) -> None:
    """One line per source term: its best targets in every other language."""
    groups: dict[tuple[str, str], list[Proposal]] = defaultdict(list)
    for p in proposals:
        if p.source_lang != "en":
            groups[(p.source_lang, p.source)].append(p)
    ranked = sorted(groups.items(), key=lambda kv: -_cross_language_score(kv[1]))
    for (lang, source), props in ranked[:TOP_CONCEPTS]:
        by_lang: dict[str, list[Proposal]] = defaultdict(list)
        for p in sorted(props, key=lambda p: -p.score):
            by_lang[p.target_lang].append(p)
        parts = [
            f"{target_lang}: "
            + " / ".join(f"{p.target} {p.score:.2f} {p.method}" for p in items[:2])
            for target_lang, items in sorted(by_lang.items())
        ]
        out.print(f"  {lang}: [bold]{escape(source)}[/] ↔ " + escape("   ".join(parts)))
        variants = _variants(props)
        if variants:
            out.print(f"      deprecated: {escape(variants)}", style="dim")


def _variants(props: Sequence[Proposal]) -> str:
    """The deprecated variants of a group's terms: "模子 → 模型 (19, zh-spin)"."""
    seen = {(v.text, v.replacement): v for p in props for v in p.variants}
    return ", ".join(f"{v.text} → {v.replacement} ({v.count}, {v.rule})" for v in seen.values())


def _cross_language_score(props: Sequence[Proposal]) -> float:
    """Rank source terms by their best proposal into another corpus language, then English."""
    cross = [p.score for p in props if p.target_lang != "en"]
    english = [p.score for p in props if p.target_lang == "en"]
    return max(cross, default=0.0) * 2 + max(english, default=0.0)


def print_candidates(lang: str, cands: Sequence[Candidate]) -> None:
    out = _console()
    table = Table(title=f"{_name(lang)} ({lang})", box=None)
    widest = max((cell_len(c.text) for c in cands), default=4)
    table.add_column("term", no_wrap=True, min_width=min(widest, 30))
    for name in ("score", "freq", "docs"):
        table.add_column(name, justify="right", no_wrap=True, min_width=len(name) + 1)
    table.add_column("in context", no_wrap=True, overflow="ellipsis", max_width=60)
    for c in cands:
        cells = (c.text, f"{c.score:.1f}", str(c.frequency), str(c.documents), _example(c))
        table.add_row(*(Text(cell) for cell in cells))  # Text: "[term]" is not markup
    out.print(table)


def _example(c: Candidate) -> str:
    """The first context as a key-word-in-context line."""
    if not c.contexts:
        return ""
    text = c.contexts[0].text
    spans = find(c.text, text, c.lang)
    return kwic(text, spans[0], width=25) if spans else text


def print_proposals(
    rows: Sequence[tuple[int | None, Proposal]], states: Sequence[str] | None = None
) -> None:
    """Proposals with their evidence; ``states``: each one's decision, shown unless
    pending."""
    out = _console()
    if not rows:
        out.print("No proposals.")
        return
    for i, (proposal_id, p) in enumerate(rows):
        label = f"#{proposal_id}" if proposal_id is not None else "-"
        state = states[i] if states else "pending"
        out.print(
            f"[bold]{label}[/] "
            + escape(
                f"{p.source_lang}: {p.source} → {p.target_lang}: {p.target}  "
                f"score {p.score:.2f}  count {p.count}  ({p.method})"
                + ("" if state == "pending" else f"  [{state}]")
            )
        )
        for v in p.variants:
            out.print(
                f"    deprecated {v.lang}: {v.text} → {v.replacement} "
                f"(seen {v.count}×, {v.rule}; accepting adds it)",
                markup=False,
            )
        for line in p.evidence[:4]:
            out.print(f"    {line}", markup=False)


def print_concept(c: Concept) -> None:
    out = _console()
    out.print(
        f"[bold]{escape(c.id or '')}[/]" + escape(f"  subject: {c.subject}" if c.subject else "")
    )
    if c.definition:
        out.print(f"  definition: {c.definition}", markup=False)
    if c.note:
        out.print(f"  note: {c.note}", markup=False)
    for t in c.terms:
        extra = f" → {t.replacement}" if t.replacement else ""
        pos = f" ({t.pos})" if t.pos else ""
        out.print(f"  {t.lang}: {t.text}{pos}  [{t.status.value}{extra}]", markup=False)
        for ctx in t.contexts[:2]:
            out.print(f"      “{ctx.text[:80]}” ({ctx.source})", markup=False)


def print_effort(rows: Sequence[tuple[str, str, Effort]]) -> None:
    """Post-editing effort per document and language."""
    table = Table("document", "lang", "segments", "edited", "char edits", "chrF", "TER", box=None)
    for name, lang, e in rows:
        share = f"{100 * e.char_edits / e.characters:.2f}%" if e.characters else "-"
        table.add_row(
            name,
            lang,
            str(e.segments),
            str(e.edited),
            f"{e.char_edits} ({share})",
            f"{e.chrf:.1f}",
            f"{e.ter:.1f}",
        )
    _console().print(table)
