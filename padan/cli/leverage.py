"""Commands that apply the memory to new files: analyze, pretranslate."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import TYPE_CHECKING

import click

from padan.cli.common import LANG, emit_json, json_option, open_workspace
from padan.cli.root import main

if TYPE_CHECKING:
    from padan.leverage import Locked
    from tm.analysis import Tally


@main.command()
@click.argument("files", nargs=-1, required=True)
@click.option("--from", "source_lang", type=LANG, help="Source language (default: each file's).")
@click.option("--to", "target_lang", type=LANG, help="Target language (default: each file's).")
@click.option(
    "--bands",
    default="95,85,75,50",
    show_default=True,
    help="Lower edges of the fuzzy bands, highest first.",
)
@click.option(
    "--untranslated",
    is_flag=True,
    help="Count only the units pretranslate fills (no translation; drafts are kept).",
)
@click.option("--no-repair", is_flag=True, help="Count no repaired matches.")
@json_option
@click.option("--csv", "as_csv", is_flag=True, help="Print CSV: file, band, segments, words.")
@click.pass_context
def analyze(
    ctx: click.Context,
    files: Sequence[str],
    source_lang: str | None,
    target_lang: str | None,
    bands: str,
    untranslated: bool,
    no_repair: bool,
    as_json: bool,
    as_csv: bool,
) -> None:
    """Count the segments and words of FILES in match bands against the memory.

    Rows: context match (same msgctxt or neighbours), 100%, repetitions within the job,
    repaired matches, the fuzzy bands, no match. Chinese is counted by characters.
    """
    from padan.leverage import analyze as run
    from tm.analysis import parse_edges

    if as_json and as_csv:
        raise click.UsageError("--json and --csv: choose one")

    try:
        parsed = parse_edges(bands)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--bands") from None
    with open_workspace(ctx) as ws:
        result = run(
            ws,
            files,
            bands=parsed,
            source_lang=source_lang,
            target_lang=target_lang,
            untranslated=untranslated,
            repair=not no_repair,
        )
    rows = parsed.rows()
    tallies: list[tuple[str, Tally, Locked]] = [(f.path, f.tally, f.locked) for f in result.files]
    tallies.append(("total", result.total, result.locked))
    if as_json:

        def counts(t: Tally, locked: Locked) -> dict[str, object]:
            return {
                "segments": {r: t.segments[r] for r in rows},
                "words": {r: t.words[r] for r in rows},
                "total": {"segments": t.total_segments, "words": t.total_words},
                "locked": {"segments": locked.segments, "words": locked.words},
            }

        emit_json(
            {
                "convention": result.convention,
                "bands": rows,
                "files": [{"file": f.path, **counts(f.tally, f.locked)} for f in result.files],
                "total": counts(result.total, result.locked),
            }
        )
        return
    if as_csv:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(["file", "band", "segments", "words"])
        for name, t, locked in tallies:
            writer.writerows([name, r, t.segments[r], t.words[r]] for r in rows)
            writer.writerow([name, "total", t.total_segments, t.total_words])
            writer.writerow([name, "locked", locked.segments, locked.words])
        click.echo(buffer.getvalue(), nl=False)
        return
    from padan.cli.summary_leverage import print_analysis

    print_analysis(tallies if len(tallies) > 2 else tallies[:1], rows, result.convention)


@main.command()
@click.argument("file")
@click.option("-o", "--output", "out", required=True, help="Where to write the filled file.")
@click.option(
    "--min", "min_score", default=75.0, show_default=True, help="Lowest fuzzy score used."
)
@click.option("--from", "source_lang", type=LANG, help="Source language (default: the file's).")
@click.option("--to", "target_lang", type=LANG, help="Target language (default: the file's).")
@click.option("--overwrite", is_flag=True, help="Replace translations the file already has.")
@click.option("--no-repair", is_flag=True, help="Offer no repaired matches.")
@click.option("--show", is_flag=True, help="List every unit filled, with its patches.")
@click.pass_context
def pretranslate(
    ctx: click.Context,
    file: str,
    out: str,
    min_score: float,
    source_lang: str | None,
    target_lang: str | None,
    overwrite: bool,
    no_repair: bool,
    show: bool,
) -> None:
    """Fill the untranslated units of a PO, TMX or XLIFF file from the memory.

    Exact matches are written as translated; fuzzy and repaired ones marked for review
    (PO fuzzy, XLIFF needs-review) with their score and origin in a comment or note.
    """
    from padan.pretranslate import pretranslate as run

    with open_workspace(ctx) as ws:
        report = run(
            ws,
            file,
            out,
            source_lang=source_lang,
            target_lang=target_lang,
            min_score=min_score,
            overwrite=overwrite,
            repair=not no_repair,
        )
    from padan.cli.summary_leverage import print_pretranslation

    print_pretranslation(report, out, show)
