"""`padan terms ...`: extract, align, edit, import and export the term base."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import click

from corpora.errors import LocatedError
from corpora.langtags import normalize
from padan.cli.common import (
    LANG,
    candidate_json,
    concept_json,
    counted,
    emit_json,
    json_option,
    open_workspace,
    proposal_json,
)
from padan.cli.progress import progress_reporter
from padan.cli.root import main
from termbase.model import Concept, Proposal, Status, Term

if TYPE_CHECKING:
    from padan.workspace import Workspace
    from termbase.store import StoredProposal


@main.group()
def terms() -> None:
    """Extract, align, edit, import and export the term base."""


@terms.command("extract")
@click.option(
    "--lang", type=LANG, help="Only this language (default: every language in the workspace)."
)
@click.option("--top", default=30, show_default=True, help="How many candidates to show.")
@json_option
@click.pass_context
def terms_extract(ctx: click.Context, lang: str | None, top: int, as_json: bool) -> None:
    """Find recurring domain terms in the workspace's documents, ranked by termhood."""
    with open_workspace(ctx) as ws, progress_reporter(enabled=not as_json) as report:
        found = ws.extract_terms([lang] if lang else None, progress=report)
    if as_json:
        emit_json([candidate_json(c) for cands in found.values() for c in cands[:top]])
        return
    if not found:
        click.echo("The workspace has no documents: run `padan demo` or `padan import`.")
    for language, cands in found.items():
        from padan.cli.summary import print_candidates

        print_candidates(language, cands[:top])


@terms.command("align")
@click.argument("files", nargs=-1)
@click.option("--from", "source_lang", type=LANG, help="Source language of the files.")
@click.option("--to", "target_lang", type=LANG, help="Target language of the files.")
@click.option(
    "--terms", "terms_file", type=click.Path(dir_okay=False), help="Source terms, one per line."
)
@click.option("--top", default=40, show_default=True, help="How many proposals to show.")
@json_option
@click.pass_context
def terms_align(
    ctx: click.Context,
    files: Sequence[str],
    source_lang: str | None,
    target_lang: str | None,
    terms_file: str | None,
    top: int,
    as_json: bool,
) -> None:
    """Propose equivalents of terms across languages.

    With FILES (PO, TMX, XLIFF, or SOURCE.txt:TARGET.txt line-aligned pairs): parallel
    alignment by association statistics, in the language pair the files declare unless
    --from and --to say it. Without: the workspace's translation units in parallel, each
    memory in its own language pair, and its plain documents as comparable texts.
    """
    from corpora.textfile import read_text
    from tm.bilingual import read_pairs

    with open_workspace(ctx) as ws, progress_reporter(enabled=not as_json) as report:
        if files:
            src, tgt = _file_pair(files, source_lang, target_lang)
            pairs = [pair for f in files for pair in read_pairs(f, src, tgt)]
            wanted = None
            if terms_file:
                lines = read_text(terms_file).splitlines()
                wanted = [t.strip() for t in lines if t.strip() and not t.startswith("#")]
            proposals = ws.align_parallel(pairs, src, tgt, wanted, report)
        else:
            if terms_file:
                raise click.UsageError("--terms needs FILES to align")
            proposals = ws.align(report)
        stored = {_identity(s.proposal): s.id for s in ws.terms.proposals(state=None)}
    proposals = sorted(proposals, key=lambda p: -p.score)
    ids = [stored.get(_identity(p)) for p in proposals]
    if as_json:
        emit_json([proposal_json(p, i) for p, i in zip(proposals, ids, strict=True)][:top])
        return
    from padan.cli.summary import print_proposals

    print_proposals(list(zip(ids, proposals, strict=True))[:top])


def _identity(p: Proposal) -> tuple[str, str, str, str, str]:
    """What tells stored proposals apart (the same words are proposed in each pair)."""
    return (p.source_lang, p.source, p.target_lang, p.target, p.method)


def _file_pair(
    files: Sequence[str], source_lang: str | None, target_lang: str | None
) -> tuple[str, str]:
    """The language pair to align: --from and --to, else what the files declare (a PO's
    Language header, a TMX's srclang, an XLIFF's languages), the same in every file."""
    from tm.files import is_unit_file, read_units

    if source_lang and target_lang:
        return source_lang, target_lang
    declared = {}
    for f in files:
        if not is_unit_file(f):
            raise click.UsageError(f"give --from and --to: {f} does not say its languages")
        found = read_units(f, source_lang=source_lang, target_lang=target_lang)
        declared[f] = (found.source_lang, found.target_lang)
    pairs = set(declared.values())
    if len(pairs) > 1:
        raise click.UsageError(
            "the files are in different language pairs ("
            + ", ".join(f"{f}: {s}→{t}" for f, (s, t) in declared.items())
            + "): align one pair at a time"
        )
    src, tgt = pairs.pop()
    if tgt is None:
        raise click.UsageError(f"give --to: {files[0]} does not say its target language")
    return normalize(src), normalize(tgt)


@terms.command("proposals")
@click.option(
    "--state",
    type=click.Choice(["pending", "accepted", "rejected", "all"]),
    default="pending",
    show_default=True,
    help="Which proposals to list.",
)
@click.option("--top", default=40, show_default=True, help="How many proposals to show.")
@json_option
@click.pass_context
def terms_proposals(ctx: click.Context, state: str, top: int, as_json: bool) -> None:
    """List stored alignment proposals, best first."""
    with open_workspace(ctx, readonly=True) as ws:
        stored = ws.terms.proposals(None if state == "all" else state)[:top]
    if as_json:
        emit_json([{**proposal_json(s.proposal, s.id), "state": s.state} for s in stored])
        return
    from padan.cli.summary import print_proposals

    print_proposals([(s.id, s.proposal) for s in stored], [s.state for s in stored])


@terms.command("accept")
@click.argument("ids", nargs=-1, type=int, required=True)
@click.pass_context
def terms_accept(ctx: click.Context, ids: Sequence[int]) -> None:
    """Confirm proposals: their two terms join one concept."""
    with open_workspace(ctx) as ws:
        for proposal_id in ids:
            before = _proposal(ws, proposal_id)
            concept = ws.terms.decide(proposal_id, True)
            line = _concept_line(concept) if concept else "its terms are no longer there"
            if before.state == "accepted":
                click.echo(f"{proposal_id} was accepted already: {line}")
            else:
                was = " (rejected before)" if before.state == "rejected" else ""
                click.echo(f"accepted {proposal_id}{was}: {line}")


@terms.command("reject")
@click.argument("ids", nargs=-1, type=int, required=True)
@click.pass_context
def terms_reject(ctx: click.Context, ids: Sequence[int]) -> None:
    """Reject proposals; they are not proposed again. An accepted proposal's terms
    leave its concept (those that accepting it added)."""
    with open_workspace(ctx) as ws:
        for proposal_id in ids:
            before = _proposal(ws, proposal_id)
            if before.state == "rejected":
                click.echo(f"{proposal_id} was rejected already")
                continue
            old = ws.terms.get(before.concept) if before.concept else None
            concept = ws.terms.decide(proposal_id, False)
            if before.state != "accepted":
                click.echo(f"rejected {proposal_id}")
            elif old is None:
                click.echo(f"rejected {proposal_id}, accepted before: its concept keeps its terms")
            else:
                click.echo(f"rejected {proposal_id}, accepted before: {_taken_back(old, concept)}")


def _proposal(ws: Workspace, proposal_id: int) -> StoredProposal:
    found = ws.terms.proposal(proposal_id)
    if found is None:
        raise LocatedError(f"no proposal {proposal_id}", hint="see `padan terms proposals`")
    return found


def _taken_back(old: Concept, new: Concept | None) -> str:
    kept = {(t.lang, t.text) for t in new.terms} if new else set()
    gone = [f"{t.lang}: {t.text}" for t in old.terms if (t.lang, t.text) not in kept]
    if not gone:
        return f"{old.id} keeps its terms (they were there before)"
    if not kept:
        return f"removed {old.id} ({' | '.join(gone)}), which accepting it had made"
    return f"took {' | '.join(gone)} out of {old.id}"


def _concept_line(c: Concept) -> str:
    return f"{c.id}  " + " | ".join(f"{t.lang}: {t.text}" for t in c.terms)


@terms.command("list")
@click.option("--lang", type=LANG, help="Only concepts with a term in this language.")
@json_option
@click.pass_context
def terms_list(ctx: click.Context, lang: str | None, as_json: bool) -> None:
    """List the concepts of the term base."""
    with open_workspace(ctx, readonly=True) as ws:
        concepts = ws.terms.concepts(lang)
    if as_json:
        emit_json([concept_json(c) for c in concepts])
        return
    if not concepts:
        click.echo("The term base is empty: accept proposals, `padan terms add` or import one.")
    for c in concepts:
        click.echo(_concept_line(c))


@terms.command("show")
@click.argument("key_or_term")
@json_option
@click.pass_context
def terms_show(ctx: click.Context, key_or_term: str, as_json: bool) -> None:
    """Show a concept (by id such as c12, or by one of its terms) with every detail."""
    with open_workspace(ctx, readonly=True) as ws:
        concepts = ws.terms.find(key_or_term)
    if not concepts:
        raise LocatedError(f"no concept or term {key_or_term!r}", hint="see `padan terms list`")
    if as_json:
        emit_json([concept_json(c) for c in concepts])
        return
    from padan.cli.summary import print_concept

    for c in concepts:
        print_concept(c)


_STATUSES = click.Choice([s.value for s in Status])


@terms.command("add")
@click.argument("term")
@click.option("--lang", type=LANG, required=True, help="Language of TERM.")
@click.option("--concept", "key", help="Add to this concept (default: a new concept).")
@click.option(
    "--status", type=_STATUSES, default="preferred", show_default=True, help="Status of TERM."
)
@click.option("--replacement", help="What to write instead (deprecated/forbidden terms).")
@click.option("--pos", help="Part of speech (noun, verb, adjective, properNoun...).")
@click.option("--definition", help="Definition of a new concept.")
@click.option("--subject", help="Subject field of a new concept.")
@click.pass_context
def terms_add(
    ctx: click.Context,
    term: str,
    lang: str,
    key: str | None,
    status: str,
    replacement: str | None,
    pos: str | None,
    definition: str | None,
    subject: str | None,
) -> None:
    """Add a term, to an existing concept or as a new one."""
    new = Term(term.strip(), lang, Status(status), replacement, pos)
    with open_workspace(ctx) as ws:
        had = ws.terms.get(key) if key else None
        same = [t for t in had.terms if (t.lang, t.text) == (new.lang, new.text)] if had else []
        if same:
            click.echo(
                f"{key} has {new.lang}: {new.text} already ({same[0].status.value}); "
                f"`padan terms set-status {key} {new.lang} '{new.text}' STATUS` changes it"
            )
            return
        if key:
            concept = ws.terms.add_term(key, new)
        else:
            concept = ws.terms.add_concept(
                Concept(terms=(new,), definition=definition, subject=subject)
            )
    click.echo(_concept_line(concept))


@terms.command("set-status")
@click.argument("key")
@click.argument("lang", type=LANG)
@click.argument("term")
@click.argument("status", type=_STATUSES)
@click.option("--replacement", help="What to write instead (deprecated/forbidden terms).")
@click.pass_context
def terms_set_status(
    ctx: click.Context, key: str, lang: str, term: str, status: str, replacement: str | None
) -> None:
    """Change the status of TERM (in LANG) of concept KEY."""
    with open_workspace(ctx) as ws:
        concept = ws.terms.set_status(key, lang, term, Status(status), replacement)
    from padan.cli.summary import print_concept

    print_concept(concept)


@terms.command("import")
@click.argument("file")  # the readers say what is wrong with it, on one line
@click.option("--from", "source_lang", type=LANG, help="Source language (TSV/CSV/PO; default en).")
@click.option(
    "--to", "target_lang", type=LANG, help="Target language (TSV/CSV; PO: its Language header)."
)
@click.pass_context
def terms_import(
    ctx: click.Context, file: str, source_lang: str | None, target_lang: str | None
) -> None:
    """Import a term base: TBX (v2 or v3), OmegaT TSV, CSV, or a glossary PO."""
    from termbase.formats import read_glossary

    concepts = read_glossary(file, source_lang=source_lang, target_lang=target_lang)
    with open_workspace(ctx) as ws:
        new = ws.terms.import_concepts(concepts)
    joined = len(concepts) - new
    there = "a concept" if joined == 1 else "concepts"
    click.echo(
        f"imported {counted(len(concepts), 'concept')} from {file}"
        + (f" ({new} new, {joined} joined {there} already there)" if joined else "")
    )


@terms.command("export")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option(
    "--from",
    "source_lang",
    type=LANG,
    default="en",
    show_default=True,
    help="Source language (TSV/CSV/PO).",
)
@click.option("--to", "target_lang", type=LANG, help="Target language (TSV/CSV/PO).")
@click.option(
    "--tbx-version",
    type=click.Choice(["3", "2"]),
    default="3",
    show_default=True,
    help="TBX: 3 (ISO 30042:2019), or 2 (martif) for tools that read only that one.",
)
@click.pass_context
def terms_export(
    ctx: click.Context, file: str, source_lang: str, target_lang: str | None, tbx_version: str
) -> None:
    """Export the term base: TBX (TBX-Basic), OmegaT TSV, CSV, or a glossary PO."""
    from termbase.formats import write_glossary
    from termbase.formats.registry import format_of
    from termbase.formats.tbx_write import write_tbx

    with open_workspace(ctx, readonly=True) as ws:
        concepts = ws.terms.concepts()
    if format_of(file).name == "tbx":
        write_tbx(concepts, file, source_lang=source_lang, version=int(tbx_version))
        click.echo(f"wrote {counted(len(concepts), 'concept')} to {file}")
        return
    if tbx_version != "3":
        raise click.UsageError("--tbx-version is for a .tbx file")
    src, tgt = source_lang, target_lang
    rows = write_glossary(concepts, file, source_lang=src, target_lang=tgt)
    entries, of = counted(rows, "entry", "entries"), counted(len(concepts), "concept")
    click.echo(f"wrote {entries} ({src}→{tgt}) of {of} to {file}")
    if concepts and not rows:
        click.echo(
            f"no concept has usable terms in both {src} and {tgt}: "
            "--from and --to choose the languages (see `padan terms list`)"
        )
