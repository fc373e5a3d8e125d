"""`padan check` and `padan fix`: the check pipeline over files or the workspace."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import click

from corpora.atomicfile import atomic_write
from padan.cli.common import (
    LANG,
    counted,
    open_workspace,
)
from padan.cli.root import LEAVE, main

_FAIL_ON = {"error": 3, "warning": 2, "never": 99}  # lowest Severity value that fails


def _checker(  # type: ignore[no-untyped-def]
    ctx: click.Context,
    termbase: str | None,
    rules: Sequence[str],
    source_lang: str | None = None,
    target_lang: str | None = None,
):
    """A checker with the term base of --termbase, else of the workspace when there is one."""
    from corpora.dbconn import is_url
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
        with open_workspace(ctx, readonly=True) as ws:
            return Checker(ws.terms.concepts(), rules)
    return Checker((), rules)


@main.command()
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False))
@click.option("--termbase", type=click.Path(dir_okay=False), help="TBX, TSV, CSV or PO glossary.")
@click.option("--lang", type=LANG, help="Language of plain-text files (default: guessed).")
@click.option("--from", "source_lang", type=LANG, help="Source language of PO/TMX/XLIFF files.")
@click.option("--to", "target_lang", type=LANG, help="Target language of PO/TMX/XLIFF files.")
@click.option("--encoding", help="Encoding of plain-text files (default: detected).")
@click.option("--rule", "rules", multiple=True, help="Only this rule or family (repeatable).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "junit", "sarif"]),
    default="text",
    help="Report as text, JSON, JUnit XML (CI test reports) or SARIF (code scanning).",
)
@click.option(
    "--fail-on",
    type=click.Choice(list(_FAIL_ON)),
    default="error",
    show_default=True,
    help="Exit 1 on findings of this severity or worse.",
)
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
    from padan.checkfiles import check_file
    from termbase.checks import report
    from termbase.checks.runner import RULES, collector_paused

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
            from importlib.metadata import version

            click.echo(report.as_sarif(found, RULES, version("padan")))
        else:
            click.echo(report.as_text(found))
        failed = any(r.finding.severity >= _FAIL_ON[fail_on] for r in found)
        if LEAVE in ctx.obj:  # before the collector, enabled again, walks the findings
            ctx.obj[LEAVE](int(failed))
    if failed:
        ctx.exit(1)


@main.command()
@click.argument("file", required=False, type=click.Path(dir_okay=False))
@click.option("--auto", is_flag=True, help="Only the suggestions Padan is sure of.")
@click.option("--rule", "rules", multiple=True, help="Only this rule or family (repeatable).")
@click.option("--dry-run", is_flag=True, help="Print the changes as a diff; change nothing.")
@click.option("--lang", type=LANG, help="Language of a plain-text FILE (default: guessed).")
@click.option("--from", "source_lang", type=LANG, help="Source language of a PO FILE.")
@click.option("--to", "target_lang", type=LANG, help="Target language of a PO FILE.")
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

    from padan.checkfiles import fix_text

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
        f"{counted(count, 'suggestion')} applied on {counted(lines, 'line')}; "
        f"{counted(edits, 'character edit')} in {counted(len(old), 'character')} ({share:.4f}%)",
        err=True,
    )


def _fix_po(file, checker, output, source_lang, target_lang, auto, dry_run) -> None:  # type: ignore[no-untyped-def]
    from padan.checkfiles import fix_po

    if not output and not dry_run:
        raise click.UsageError("give -o OUT.po (or --dry-run)")
    changes, count = fix_po(
        file,
        checker,
        output or file,
        source_lang=source_lang,
        target_lang=target_lang,
        sure=auto,
        dry_run=dry_run,
    )
    if dry_run:
        for old, new in changes:
            click.echo(f"- {old}\n+ {new}")
    click.echo(
        f"{counted(count, 'suggestion')} applied on {counted(len(changes), 'entry', 'entries')}",
        err=True,
    )


def _fix_workspace(ctx: click.Context, checker, auto: bool, dry_run: bool) -> None:  # type: ignore[no-untyped-def]
    from padan import review

    with open_workspace(ctx) as ws:
        found = review.findings(ws, check=checker)
        chosen = review.sure_only(found) if auto else found
        changes = review.preview(chosen)
        if dry_run:
            for variant, new in changes:
                click.echo(f"{variant.document}#{variant.position} ({variant.lang})")
                click.echo(f"- {variant.current}\n+ {new}")
            click.echo(f"{counted(len(changes), 'segment')} would change", err=True)
            return
        batch, count = review.apply_many(ws, chosen)
    if batch is None:
        click.echo("nothing to fix")
    else:
        click.echo(f"fixed {counted(count, 'segment')} in one bulk fix; `padan undo` takes it back")
