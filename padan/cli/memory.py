"""Commands over the workspace's documents and memory: demo, import, export, stats,
undo, redo, and the TUI. Each imports what it needs when it runs, so that `padan check`
in a pre-commit hook starts fast."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path

import click

from padan.cli.common import (
    LANG,
    counted,
    emit_json,
    find_document,
    json_option,
    open_workspace,
)
from padan.cli.progress import progress_reporter
from padan.cli.root import main


@main.command()
@click.pass_context
def demo(ctx: click.Context) -> None:
    """Build the workspace from the bundled corpus and summarise what was found."""
    from padan import review
    from termbase.checks.spin import spin_score

    with open_workspace(ctx) as ws, progress_reporter() as report:
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
    from padan.cli.summary import print_demo

    print_demo(result, ctx.obj["db"], found, spin)


@main.command("import")
@click.argument("files", nargs=-1, required=True)  # readers say what is wrong, on one line
@click.option("--lang", type=LANG, help="Language of plain-text files (guessed when omitted).")
@click.option(
    "--from",
    "source_lang",
    type=LANG,
    help="Source language of PO/TMX/XLIFF (default: the file's).",
)
@click.option(
    "--to", "target_lang", type=LANG, help="Target language of PO/TMX/XLIFF (default: the file's)."
)
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
    """Import documents (.txt) and translation units (.po .pot .mo .tmx .xlf .sdlxliff).

    Every file is read and checked first: a bad one imports none. Then all are stored in
    one transaction: an import that fails or is interrupted (Ctrl+C) stores none of them.
    Re-importing a file adds no duplicates: units already there are updated, and a text a
    translator edited since keeps the edit.
    """
    from padan.importing import import_files

    with open_workspace(ctx) as ws, progress_reporter() as report:
        stored = import_files(
            ws,
            files,
            lang=lang,
            source_lang=source_lang,
            target_lang=target_lang,
            encoding=encoding,
            name=name,
            report=report,
        )
        for done in stored:  # said once every file is committed
            item, result = done.staged, done.units
            if result is not None:
                langs = item.source_lang + (f"→{item.target_lang}" if item.target_lang else "")
                line = (
                    f"{item.file}: {langs}, {counted(result.added, 'unit')} added, "
                    f"{result.updated} updated, {result.unchanged} unchanged"
                )
                if done.apart:  # never a source replaced under the same tuid: said why
                    line += (
                        "; kept apart from a stored unit with the same tuid and another "
                        f"source: {', '.join(done.apart[:5])}"
                        + (f" and {len(done.apart) - 5} more" if len(done.apart) > 5 else "")
                    )
            else:
                line = (
                    f"{item.document}: {item.source_lang}, {counted(item.count, 'segment')} "
                    f"({item.content} content)" + ("" if done.changed else ", unchanged")
                )
            click.echo(line)


@main.command("export")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--from", "source_lang", type=LANG, help="Source language (TMX srclang; PO msgid).")
@click.option(
    "--to", "target_lang", type=LANG, help="Target language (PO msgstr; TMX: only that pair)."
)
@click.option("--document", "name", help="Only this document (required for .txt).")
@click.option(
    "--xliff",
    "xliff_version",
    type=click.Choice(["1.2", "2", "2.0"]),
    help="XLIFF version of FILE.xlf [default: the version the units were read in, else 1.2].",
)
@click.pass_context
def export(
    ctx: click.Context,
    file: str,
    source_lang: str | None,
    target_lang: str | None,
    name: str | None,
    xliff_version: str | None,
) -> None:
    """Export the translation memory: TMX 1.4b, XLIFF 1.2 or 2.0 (.xlf, .xliff), SDLXLIFF
    (.sdlxliff), PO (a language pair, or a revised document as imported → current), MO
    (a language pair, compiled), or the current plain text of a document."""
    from padan import export as out

    suffix = Path(file).suffix.lower()
    with open_workspace(ctx, readonly=True) as ws:
        documents = [name] if name else None
        if documents:
            out.known_documents(ws, documents, file)
        src, tgt = source_lang, target_lang
        pair = (
            out.po_languages(ws, documents, src, tgt, file)
            if suffix in (".po", ".mo") and (name or (src and tgt))
            else None
        )
        if suffix == ".tmx":
            count = out.export_tmx(ws, file, documents, src, target_lang=tgt)
        elif suffix in (".xlf", ".xliff", ".sdlxliff"):
            count = out.export_xliff(ws, file, documents, src, tgt, xliff_version)
        elif pair and pair.target:  # a language pair: given, or a bilingual document's own
            src, tgt = pair.source, pair.target
            units = out.named_units_of(ws, documents)
            count = out.export_pairs(
                out.language_pairs(units, src, tgt, pair.bilingual), file, src, tgt
            )
        elif pair and suffix == ".po" and name:  # a monolingual document: its revisions
            rows = out.revision_rows(ws, [name], pair.source)
            count = out.export_revisions(rows, file, pair.source)
        elif suffix == ".txt" and name:
            count = out.export_text(ws, name, find_document(ws, name).lang, file)
        else:
            raise click.UsageError(
                "export FILE.tmx, FILE.xlf, FILE.sdlxliff, FILE.po or FILE.mo --from L --to L, "
                "FILE.po or FILE.mo --document NAME (a bilingual document: its pair), "
                "FILE.po --document NAME (a monolingual one: its revisions), "
                "or FILE.txt --document NAME"
            )
    click.echo(f"wrote {counted(count, 'unit')} to {file}")


@main.command()
@json_option
@click.pass_context
def stats(ctx: click.Context, as_json: bool) -> None:
    """Post-editing effort per document and language: what changed since import (chrF, TER)."""
    from padan.lookup import effort_by_document

    with open_workspace(ctx, readonly=True) as ws:
        rows = effort_by_document(ws)
    if as_json:
        emit_json([{"document": name, "lang": lang, **asdict(e)} for name, lang, e in rows])
        return
    from padan.cli.summary import print_effort

    print_effort(rows)


@main.command()
@click.pass_context
def undo(ctx: click.Context) -> None:
    """Take back the last change: one edit, or a whole bulk fix."""
    _step_history(ctx, redo=False)


@main.command()
@click.pass_context
def redo(ctx: click.Context) -> None:
    """Apply again the change last undone."""
    _step_history(ctx, redo=True)


def _step_history(ctx: click.Context, redo: bool) -> None:
    with open_workspace(ctx) as ws:
        group = ws.documents.redo() if redo else ws.documents.undo()
    verb, word = ("redid", "redo") if redo else ("undid", "undo")
    click.echo(f"{verb} {counted(len(group), 'change')}" if group else f"nothing to {word}")


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
