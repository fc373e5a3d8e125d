"""The `padan` command line: a thin layer of click commands over the workspace.

Errors about input (LocatedError and its package roots) become one line on stderr and
exit status 2; nothing prints a traceback for bad input.

Commands import what they need when they run (tui.summary's rich tables and numpy,
the checks, the workspace), so that `padan check` in a pre-commit hook starts fast.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path

import click

from corpora.atomicfile import atomic_write
from corpora.db import default_location
from corpora.errors import LocatedError
from corpora.langtags import normalize
from corpora.segment import document_text
from termbase.model import Candidate, Concept, Proposal, Status, Term
from tui.progress import progress_reporter

EXIT_INPUT = 2


class PadanGroup(click.Group):
    """Turns input errors anywhere below into one line and exit status 2."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except LocatedError as exc:
            click.echo(f"padan: error: {exc}", err=True)
            ctx.exit(EXIT_INPUT)


@contextmanager
def _workspace(ctx: click.Context) -> Iterator[object]:
    from tui.workspace import Workspace

    ws = Workspace(ctx.obj["db"])
    try:
        yield ws
    finally:
        ws.close()


def _lang(value: str | None) -> str | None:
    return normalize(value) if value else None


def _emit_json(items: object) -> None:
    click.echo(json.dumps(items, ensure_ascii=False, indent=2))


def _candidate_json(c: Candidate) -> dict[str, object]:
    return asdict(c)


def _proposal_json(p: Proposal, proposal_id: int | None = None) -> dict[str, object]:
    out: dict[str, object] = {"id": proposal_id} if proposal_id is not None else {}
    out.update(asdict(p))
    out["evidence"] = list(p.evidence)
    return out


def _concept_json(c: Concept) -> dict[str, object]:
    return asdict(c)


@click.group(cls=PadanGroup)
@click.option(
    "--db",
    metavar="PATH_OR_URL",
    default=None,
    help="Workspace database: a SQLite file or postgresql://... "
    "[default: $PADAN_DB, else ./padan.db]",
)
@click.version_option(package_name="padan")
@click.pass_context
def main(ctx: click.Context, db: str | None) -> None:
    """Padan: terminology and translation memory for Chinese, Indonesian and English."""
    ctx.ensure_object(dict)
    ctx.obj["db"] = db or default_location()


@main.command()
@click.pass_context
def demo(ctx: click.Context) -> None:
    """Build the workspace from the bundled corpus and summarise what was found."""
    from termbase.checks.spin import spin_score
    from tui import review

    with _workspace(ctx) as ws, progress_reporter() as report:
        result = ws.demo(report)
        found: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
        for f in review.findings(ws):
            found[(f.variant.document, f.variant.lang)][f.finding.rule] += 1
        docs = ws.documents
        spin = {
            info.name: spin_score("\n".join(v.current for v in docs.variants("zh", info.name)))
            for info in docs.documents()
            if "zh" in docs.languages_of(info.name)
        }
    from tui.summary import print_demo

    print_demo(result, ctx.obj["db"], found, spin)


@main.command("import")
@click.argument("files", nargs=-1, required=True)  # readers say what is wrong, on one line
@click.option("--lang", help="Language of plain-text files (guessed when omitted).")
@click.option(
    "--from", "source_lang", help="Source language of PO/TMX/XLIFF (default: the file's)."
)
@click.option("--to", "target_lang", help="Target language of PO/TMX/XLIFF (default: the file's).")
@click.option("--encoding", help="Text encoding (detected when omitted: UTF-8/16, GB18030).")
@click.option(
    "--document",
    "name",
    help="Import units into this document (default: one per file); files sharing unit ids "
    "(TMX tuids) then merge into multilingual units.",
)
@click.pass_context
def import_(
    ctx: click.Context,
    files: Sequence[str],
    lang: str | None,
    source_lang: str | None,
    target_lang: str | None,
    encoding: str | None,
    name: str | None,
) -> None:
    """Import documents (.txt) and translation units (.po .pot .mo .tmx .xlf): all or nothing.

    Re-importing a file adds no duplicates: units already there are updated, and a text
    a translator edited since keeps the edit.
    """
    from corpora.documents import load_document
    from tm.files import is_unit_file, read_units

    done: list[str] = []  # shown once committed: a later file's error undoes them all
    with _workspace(ctx) as ws, progress_reporter() as report, ws.db.transaction():
        for file in files:
            if is_unit_file(file):
                found = read_units(file, source_lang=source_lang, target_lang=target_lang)
                result = ws.documents.import_units(
                    name or Path(file).name,
                    found.source_lang,
                    found.units,
                    origin=file,
                    progress=lambda n, file=file: report(f"importing {file}", n, 0),
                )
                langs = found.source_lang + (f"→{found.target_lang}" if found.target_lang else "")
                done.append(
                    f"{file}: {langs}, {result.added} units added, {result.updated} updated, "
                    f"{result.unchanged} unchanged"
                )
            else:
                doc = load_document(file, lang=_lang(lang), encoding=encoding, name=name)
                changed = ws.add_documents([doc], report)
                content = len(doc.content())
                done.append(
                    f"{doc.name}: {doc.lang}, {len(doc.segments)} segments ({content} content)"
                    + ("" if changed else ", unchanged")
                )
    for line in done:
        click.echo(line)


@main.command("export")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--from", "source_lang", help="Source language (TMX srclang; PO msgid).")
@click.option("--to", "target_lang", help="Target language (PO msgstr).")
@click.option("--document", "name", help="Only this document (required for .txt).")
@click.pass_context
def export(
    ctx: click.Context,
    file: str,
    source_lang: str | None,
    target_lang: str | None,
    name: str | None,
) -> None:
    """Export the translation memory: TMX 1.4b, PO (a language pair, or a revised
    document as imported → current), or the current plain text of a document."""
    from tm.formats.po import write_po, write_revision_po
    from tm.formats.tmx_write import write_tmx

    suffix = Path(file).suffix.lower()
    with _workspace(ctx) as ws:
        if suffix == ".tmx":
            units = (u for _, u in ws.documents.units(name))
            count = write_tmx(units, file, source_lang=_lang(source_lang))
        elif suffix == ".po" and source_lang and target_lang:
            src, tgt = normalize(source_lang), normalize(target_lang)
            units = (u for _, u in ws.documents.units(name) if u.variant(src) and u.variant(tgt))
            count = write_po(units, file, source_lang=src, target_lang=tgt)
        elif suffix == ".po" and name:
            doc = _document(ws, name)
            rows = [
                (f"{name}:{v.position}", v.original, v.current)
                for v in ws.documents.variants(doc.lang, name)
            ]
            count = write_revision_po(rows, file, lang=doc.lang)
        elif suffix == ".txt" and name:
            doc = _document(ws, name)
            with atomic_write(file) as f:
                f.write(document_text(doc))
            count = len(doc.segments)
        else:
            raise click.UsageError(
                "export FILE.tmx, FILE.po --from L --to L, FILE.po --document NAME, "
                "or FILE.txt --document NAME"
            )
    click.echo(f"wrote {count} units to {file}")


def _document(ws, name: str):  # type: ignore[no-untyped-def]
    doc = ws.documents.load(name)
    if doc is None:
        raise LocatedError(f"no document {name!r}", hint="see `padan stats` for the documents")
    return doc


@main.group()
def terms() -> None:
    """Extract, align, edit, import and export the term base."""


@terms.command("extract")
@click.option("--lang", help="Only this language (default: every language in the workspace).")
@click.option("--top", default=30, show_default=True, help="How many candidates to show.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (see README for the schema).")
@click.pass_context
def terms_extract(ctx: click.Context, lang: str | None, top: int, as_json: bool) -> None:
    """Find recurring domain terms in the workspace's documents, ranked by termhood."""
    with _workspace(ctx) as ws, progress_reporter(enabled=not as_json) as report:
        found = ws.extract_terms([_lang(lang)] if lang else None, progress=report)
    if as_json:
        _emit_json([_candidate_json(c) for cands in found.values() for c in cands[:top]])
        return
    if not found:
        click.echo("The workspace has no documents: run `padan demo` or `padan import`.")
    for language, cands in found.items():
        from tui.summary import print_candidates

        print_candidates(language, cands[:top])


@terms.command("align")
@click.argument("files", nargs=-1)
@click.option("--from", "source_lang", help="Source language of the files.")
@click.option("--to", "target_lang", help="Target language of the files.")
@click.option(
    "--terms", "terms_file", type=click.Path(dir_okay=False), help="Source terms, one per line."
)
@click.option("--top", default=40, show_default=True, help="How many proposals to show.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (see README for the schema).")
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

    With FILES (PO, TMX, or SOURCE.txt:TARGET.txt line-aligned pairs): parallel alignment
    by association statistics. Without: comparable alignment of the workspace's documents.
    """
    from corpora.textfile import read_text
    from tm.bilingual import read_pairs

    with _workspace(ctx) as ws, progress_reporter(enabled=not as_json) as report:
        if files:
            if not source_lang or not target_lang:
                raise click.UsageError("parallel alignment needs --from and --to")
            src, tgt = normalize(source_lang), normalize(target_lang)
            pairs = [pair for f in files for pair in read_pairs(f, src, tgt)]
            wanted = None
            if terms_file:
                lines = read_text(terms_file).splitlines()
                wanted = [t.strip() for t in lines if t.strip() and not t.startswith("#")]
            proposals = ws.align_parallel(pairs, src, tgt, wanted, report)
        else:
            if terms_file:
                raise click.UsageError("--terms needs FILES to align")
            proposals = ws.align_comparable(report)
        stored = {
            (s.proposal.source, s.proposal.target, s.proposal.method): s.id
            for s in ws.terms.proposals(state=None)
        }
    proposals = sorted(proposals, key=lambda p: -p.score)
    ids = [stored.get((p.source, p.target, p.method)) for p in proposals]
    if as_json:
        _emit_json([_proposal_json(p, i) for p, i in zip(proposals, ids, strict=True)][:top])
        return
    from tui.summary import print_proposals

    print_proposals(list(zip(ids, proposals, strict=True))[:top])


@terms.command("proposals")
@click.option(
    "--state",
    type=click.Choice(["pending", "accepted", "rejected", "all"]),
    default="pending",
    show_default=True,
)
@click.option("--top", default=40, show_default=True)
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def terms_proposals(ctx: click.Context, state: str, top: int, as_json: bool) -> None:
    """List stored alignment proposals, best first."""
    with _workspace(ctx) as ws:
        stored = ws.terms.proposals(None if state == "all" else state)[:top]
    if as_json:
        _emit_json([_proposal_json(s.proposal, s.id) for s in stored])
        return
    from tui.summary import print_proposals

    print_proposals([(s.id, s.proposal) for s in stored])


@terms.command("accept")
@click.argument("ids", nargs=-1, type=int, required=True)
@click.pass_context
def terms_accept(ctx: click.Context, ids: Sequence[int]) -> None:
    """Confirm proposals: their two terms join one concept."""
    with _workspace(ctx) as ws:
        for proposal_id in ids:
            concept = ws.terms.decide(proposal_id, True)
            assert concept is not None
            click.echo(f"accepted {proposal_id}: {_concept_line(concept)}")


@terms.command("reject")
@click.argument("ids", nargs=-1, type=int, required=True)
@click.pass_context
def terms_reject(ctx: click.Context, ids: Sequence[int]) -> None:
    """Reject proposals; they are not proposed again."""
    with _workspace(ctx) as ws:
        for proposal_id in ids:
            ws.terms.decide(proposal_id, False)
            click.echo(f"rejected {proposal_id}")


def _concept_line(c: Concept) -> str:
    return f"{c.id}  " + " | ".join(f"{t.lang}: {t.text}" for t in c.terms)


@terms.command("list")
@click.option("--lang", help="Only concepts with a term in this language.")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def terms_list(ctx: click.Context, lang: str | None, as_json: bool) -> None:
    """List the concepts of the term base."""
    with _workspace(ctx) as ws:
        concepts = ws.terms.concepts(_lang(lang))
    if as_json:
        _emit_json([_concept_json(c) for c in concepts])
        return
    if not concepts:
        click.echo("The term base is empty: accept proposals, `padan terms add` or import one.")
    for c in concepts:
        click.echo(_concept_line(c))


@terms.command("show")
@click.argument("key_or_term")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def terms_show(ctx: click.Context, key_or_term: str, as_json: bool) -> None:
    """Show a concept (by id such as c12, or by one of its terms) with every detail."""
    with _workspace(ctx) as ws:
        concepts = ws.terms.find(key_or_term)
    if not concepts:
        raise LocatedError(f"no concept or term {key_or_term!r}", hint="see `padan terms list`")
    if as_json:
        _emit_json([_concept_json(c) for c in concepts])
        return
    from tui.summary import print_concept

    for c in concepts:
        print_concept(c)


_STATUSES = click.Choice([s.value for s in Status])


@terms.command("add")
@click.argument("term")
@click.option("--lang", required=True, help="Language of TERM.")
@click.option("--concept", "key", help="Add to this concept (default: a new concept).")
@click.option("--status", type=_STATUSES, default="preferred", show_default=True)
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
    new = Term(term, normalize(lang), Status(status), replacement, pos)
    with _workspace(ctx) as ws:
        if key:
            concept = ws.terms.add_term(key, new)
        else:
            concept = ws.terms.add_concept(
                Concept(terms=(new,), definition=definition, subject=subject)
            )
    click.echo(_concept_line(concept))


@terms.command("set-status")
@click.argument("key")
@click.argument("lang")
@click.argument("term")
@click.argument("status", type=_STATUSES)
@click.option("--replacement", help="What to write instead (deprecated/forbidden terms).")
@click.pass_context
def terms_set_status(
    ctx: click.Context, key: str, lang: str, term: str, status: str, replacement: str | None
) -> None:
    """Change the status of TERM (in LANG) of concept KEY."""
    with _workspace(ctx) as ws:
        concept = ws.terms.set_status(key, lang, term, Status(status), replacement)
    from tui.summary import print_concept

    print_concept(concept)


@terms.command("import")
@click.argument("file")  # the readers say what is wrong with it, on one line
@click.option("--from", "source_lang", help="Source language (TSV/CSV/PO; default en).")
@click.option("--to", "target_lang", help="Target language (TSV/CSV; PO: its Language header).")
@click.pass_context
def terms_import(
    ctx: click.Context, file: str, source_lang: str | None, target_lang: str | None
) -> None:
    """Import a term base: TBX (v2 or v3), OmegaT TSV, CSV, or a glossary PO."""
    from termbase.formats import read_glossary

    concepts = read_glossary(file, source_lang=_lang(source_lang), target_lang=_lang(target_lang))
    with _workspace(ctx) as ws:
        count = ws.terms.import_concepts(concepts)
    click.echo(f"imported {count} concepts from {file}")


@terms.command("export")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--from", "source_lang", default="en", show_default=True)
@click.option("--to", "target_lang", help="Target language (TSV/CSV/PO).")
@click.pass_context
def terms_export(ctx: click.Context, file: str, source_lang: str, target_lang: str | None) -> None:
    """Export the term base: TBX (v3, TBX-Basic), OmegaT TSV, CSV, or a glossary PO."""
    from termbase.formats import write_glossary

    with _workspace(ctx) as ws:
        concepts = ws.terms.concepts()
    write_glossary(
        concepts, file, source_lang=normalize(source_lang), target_lang=_lang(target_lang)
    )
    click.echo(f"wrote {len(concepts)} concepts to {file}")


@main.command()
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def stats(ctx: click.Context, as_json: bool) -> None:
    """Post-editing effort per document and language: what changed since import (chrF, TER)."""
    from tm.effort import effort

    with _workspace(ctx) as ws:
        rows = []
        for info in ws.documents.documents():
            for lang in ws.documents.languages_of(info.name):
                variants = ws.documents.variants(lang, info.name)
                rows.append(
                    (info.name, lang, effort([(v.original, v.current) for v in variants], lang))
                )
    if as_json:
        _emit_json([{"document": name, "lang": lang, **asdict(e)} for name, lang, e in rows])
        return
    from tui.summary import print_effort

    print_effort(rows)


@main.command()
@click.argument("hypothesis")  # read_text says what is wrong with it, on one line
@click.argument("reference")
@click.option("--lang", help="Language of the texts (zh switches to Chinese tokenization).")
@click.option("--json", "as_json", is_flag=True)
def score(hypothesis: str, reference: str, lang: str | None, as_json: bool) -> None:
    """Score a line-aligned text file against a reference: BLEU, chrF, TER."""
    from corpora.documents import guess_language
    from corpora.textfile import read_text
    from tm.effort import score as score_texts

    hyp = read_text(hypothesis, hint="save it as UTF-8").rstrip("\n").split("\n")
    ref_text = read_text(reference, hint="save it as UTF-8")
    ref = ref_text.rstrip("\n").split("\n")
    language = _lang(lang) or guess_language(ref_text) or "en"
    result = score_texts(hyp, ref, language)
    if as_json:
        _emit_json({"lang": language, **asdict(result)})
        return
    click.echo(
        f"{result.segments} lines ({language}): BLEU {result.bleu:.2f}  chrF {result.chrf:.2f}  "
        f"TER {result.ter:.2f}"
    )


@main.command()
@click.argument("text")
@click.option("--lang", help="Language to search (default: guessed from TEXT).")
@click.option("--min", "min_score", default=75.0, show_default=True, help="Lowest score shown.")
@click.option("--limit", default=5, show_default=True)
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def search(
    ctx: click.Context, text: str, lang: str | None, min_score: float, limit: int, as_json: bool
) -> None:
    """Fuzzy-search the translation memory: best matches with their differences marked."""
    from corpora.documents import guess_language
    from tm.fuzzy import FuzzyIndex
    from tm.fuzzy_pg import PgFuzzyIndex

    rows = []
    with _workspace(ctx) as ws:
        guessed = _lang(lang) or guess_language(text)
        for language in [guessed] if guessed else ws.languages():
            terms = [t.text for c in ws.terms.concepts(language) for t in c.terms_in(language)]
            if ws.db.dialect == "postgresql":  # the server's trigram index finds candidates
                index: FuzzyIndex = PgFuzzyIndex(ws.db, language, terms=terms)
            else:  # SQLite: index the language's segments in memory
                index = FuzzyIndex(language, terms=terms)
                index.build((v.id, v.current) for v in ws.documents.variants(language))
            for m in index.search(text, limit=limit, min_score=min_score):
                rows.append((ws.documents.variant(m.segment_id), m))
    rows.sort(key=lambda row: -row[1].score)
    rows = rows[:limit]
    if as_json:
        _emit_json(
            [
                {
                    "document": v.document,
                    "position": v.position,
                    "lang": v.lang,
                    "text": m.text,
                    "score": round(m.score, 1),
                    "spans": [list(s) for s in m.spans],
                    "flags": list(m.flags),
                }
                for v, m in rows
            ]
        )
        return
    from tui.summary import print_matches

    print_matches([(v.document, v.position, m) for v, m in rows])


@main.command()
@click.argument("word")
@click.option("--lang", help="Language (default: every language of the workspace).")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def concordance(ctx: click.Context, word: str, lang: str | None, as_json: bool) -> None:
    """Every segment containing WORD (Chinese inside words, Indonesian through -nya)."""
    from tm.fuzzy import concordance as find_all

    with _workspace(ctx) as ws:
        langs = [_lang(lang)] if lang else ws.languages()
        hits = []
        for language in langs:
            variants = {v.id: v for v in ws.documents.variants(language)}
            for occ in find_all(((i, v.current) for i, v in variants.items()), word, language):
                hits.append((variants[occ.segment_id], occ))
    if as_json:
        _emit_json(
            [
                {
                    "document": v.document,
                    "position": v.position,
                    "lang": v.lang,
                    "text": o.text,
                    "spans": [list(s) for s in o.spans],
                }
                for v, o in hits
            ]
        )
        return
    from tui.summary import print_concordance

    print_concordance([(v.document, v.position, v.lang, o.text, o.spans) for v, o in hits])


# -- checks and fixes ----------------------------------------------------------------------

_FAIL_ON = {"error": 3, "warning": 2, "never": 99}  # lowest Severity value that fails


def _checker(  # type: ignore[no-untyped-def]
    ctx: click.Context,
    termbase: str | None,
    rules: Sequence[str],
    source_lang: str | None = None,
    target_lang: str | None = None,
):
    """A checker with the term base of --termbase, else of the workspace when there is one."""
    from corpora.db import is_url
    from termbase.checks.runner import RULES, Checker
    from termbase.formats import read_glossary

    unknown = [r for r in rules if not any(k == r or k.startswith(r + "-") for k in RULES)]
    if unknown:
        raise click.BadParameter(
            f"unknown rule {unknown[0]!r}; rules: {', '.join(RULES)}", param_hint="--rule"
        )
    if termbase:
        concepts = read_glossary(termbase, source_lang=source_lang, target_lang=target_lang)
        return Checker(concepts, rules)
    location = ctx.obj["db"]
    if is_url(location) or Path(location).exists():
        with _workspace(ctx) as ws:
            return Checker(ws.terms.concepts(), rules)
    return Checker((), rules)


@main.command()
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False))
@click.option("--termbase", type=click.Path(dir_okay=False), help="TBX, TSV, CSV or PO glossary.")
@click.option("--lang", help="Language of plain-text files (default: guessed).")
@click.option("--from", "source_lang", help="Source language of PO/TMX/XLIFF files.")
@click.option("--to", "target_lang", help="Target language of PO/TMX/XLIFF files.")
@click.option("--encoding", help="Encoding of plain-text files (default: detected).")
@click.option("--rule", "rules", multiple=True, help="Only this rule or family (repeatable).")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json", "junit", "sarif"]), default="text"
)
@click.option("--fail-on", type=click.Choice(list(_FAIL_ON)), default="error", show_default=True)
@click.option("--baseline", type=click.Path(dir_okay=False), help="JSON report of waived findings.")
@click.pass_context
def check(
    ctx: click.Context,
    files: Sequence[str],
    termbase: str | None,
    lang: str | None,
    source_lang: str | None,
    target_lang: str | None,
    encoding: str | None,
    rules: Sequence[str],
    fmt: str,
    fail_on: str,
    baseline: str | None,
) -> None:
    """Check files (plain text line by line; PO, TMX, XLIFF unit by unit) against the term
    base and the rules. Exit status: 0 clean, 1 findings at or above --fail-on, 2 bad
    input or usage."""
    from importlib.metadata import version

    from termbase.checks import report
    from termbase.checks.runner import RULES, collector_paused
    from tui.checkfiles import check_file

    if not files:
        raise click.UsageError("give the files to check")
    checker = _checker(ctx, termbase, rules, source_lang, target_lang or lang)
    found = []
    with collector_paused():  # units and findings by the hundred thousand, no cycles
        for file in files:
            found += check_file(
                file,
                checker,
                lang=lang,
                source_lang=source_lang,
                target_lang=target_lang,
                encoding=encoding,
            ).reported
        if baseline:
            found = report.waive(found, report.read_baseline(baseline))
        if fmt == "json":
            click.echo(report.as_json(found))
        elif fmt == "junit":
            click.echo(report.as_junit(found, list(files)), nl=False)
        elif fmt == "sarif":
            click.echo(report.as_sarif(found, RULES, version("padan")))
        else:
            click.echo(report.as_text(found))
    if any(r.finding.severity >= _FAIL_ON[fail_on] for r in found):
        ctx.exit(1)


@main.command()
@click.argument("file", required=False, type=click.Path(dir_okay=False))
@click.option("--auto", is_flag=True, help="Only the suggestions Padan is sure of.")
@click.option("--rule", "rules", multiple=True, help="Only this rule or family (repeatable).")
@click.option("--dry-run", is_flag=True, help="Print the changes as a diff; change nothing.")
@click.option("--lang", help="Language of a plain-text FILE (default: guessed).")
@click.option("--from", "source_lang", help="Source language of a PO FILE.")
@click.option("--to", "target_lang", help="Target language of a PO FILE.")
@click.option("--encoding", help="Encoding of a plain-text FILE.")
@click.option("--termbase", type=click.Path(dir_okay=False), help="TBX, TSV, CSV or PO glossary.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Where to write FILE fixed.")
@click.pass_context
def fix(
    ctx: click.Context,
    file: str | None,
    auto: bool,
    rules: Sequence[str],
    dry_run: bool,
    lang: str | None,
    source_lang: str | None,
    target_lang: str | None,
    encoding: str | None,
    termbase: str | None,
    output: str | None,
) -> None:
    """Apply the checks' suggestions: to the workspace as one bulk fix (undo with `padan
    undo`), or to FILE (.txt line by line, or .po), written to -o OUT."""
    checker = _checker(ctx, termbase, rules, source_lang, target_lang or lang)
    if file is None:
        _fix_workspace(ctx, checker, auto, dry_run)
    elif Path(file).suffix.lower() == ".po":
        _fix_po(file, checker, output, source_lang, target_lang, auto, dry_run)
    else:
        _fix_text(file, checker, output, lang, encoding, auto, dry_run)


def _edits(old: str, new: str) -> int:
    from rapidfuzz.distance import Levenshtein

    return Levenshtein.distance(old, new)


def _fix_text(file, checker, output, lang, encoding, auto, dry_run) -> None:  # type: ignore[no-untyped-def]
    import difflib

    from tui.checkfiles import fix_text

    before, after, count = fix_text(file, checker, lang=lang, encoding=encoding, sure=auto)
    old, new = "\n".join(before), "\n".join(after)
    if dry_run:
        diff = difflib.unified_diff(before, after, file, output or file, lineterm="")
        click.echo("\n".join(diff))
    elif output:
        with atomic_write(output) as f:
            f.write(new)
    else:
        click.echo(new, nl=False)
    edits = _edits(old, new)
    lines = sum(a != b for a, b in zip(before, after, strict=True))
    share = 100 * edits / max(1, len(old))
    click.echo(
        f"{count} suggestion(s) applied on {lines} line(s); "
        f"{edits} character edit(s) in {len(old)} characters ({share:.4f}%)",
        err=True,
    )


def _fix_po(file, checker, output, source_lang, target_lang, auto, dry_run) -> None:  # type: ignore[no-untyped-def]
    from tui.checkfiles import fix_po

    if not output and not dry_run:
        raise click.UsageError("give -o OUT.po (or --dry-run)")
    changes, count = fix_po(
        file,
        checker,
        output or file,
        source_lang=_lang(source_lang),
        target_lang=_lang(target_lang),
        sure=auto,
        dry_run=dry_run,
    )
    if dry_run:
        for old, new in changes:
            click.echo(f"- {old}\n+ {new}")
    click.echo(f"{count} suggestion(s) applied on {len(changes)} entr(ies)", err=True)


def _fix_workspace(ctx: click.Context, checker, auto: bool, dry_run: bool) -> None:  # type: ignore[no-untyped-def]
    from tui import review

    with _workspace(ctx) as ws:
        found = review.findings(ws, check=checker)
        chosen = review.sure_only(found) if auto else found
        changes = review.preview(chosen)
        if dry_run:
            for variant, new in changes:
                click.echo(f"{variant.document}#{variant.position} ({variant.lang})")
                click.echo(f"- {variant.current}\n+ {new}")
            click.echo(f"{len(changes)} segment(s) would change", err=True)
            return
        batch, count = review.apply_many(ws, chosen)
    if batch is None:
        click.echo("nothing to fix")
    else:
        click.echo(f"fixed {count} segment(s) in one bulk fix; `padan undo` takes it back")


@main.command()
@click.pass_context
def undo(ctx: click.Context) -> None:
    """Take back the last change: one edit, or a whole bulk fix."""
    with _workspace(ctx) as ws:
        group = ws.documents.undo()
    click.echo(f"undid {len(group)} change(s)" if group else "nothing to undo")


@main.command()
@click.pass_context
def redo(ctx: click.Context) -> None:
    """Apply again the change last undone."""
    with _workspace(ctx) as ws:
        group = ws.documents.redo()
    click.echo(f"redid {len(group)} change(s)" if group else "nothing to redo")


@main.command("tui")
@click.option(
    "--keys",
    "keys_file",
    type=click.Path(dir_okay=False),
    help="TOML file remapping the app's keys [default: $XDG_CONFIG_HOME/padan/keys.toml].",
)
@click.pass_context
def tui_command(ctx: click.Context, keys_file: str | None) -> None:
    """Open the terminal UI on the workspace (an empty one is offered the bundled corpus)."""
    from tui.app import run

    run(ctx.obj["db"], keys_file)
