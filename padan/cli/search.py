"""Commands that look things up: score, search, concordance."""

from __future__ import annotations

from dataclasses import asdict

import click

from corpora.placeholders import shown
from padan.cli.common import (
    LANG,
    counted,
    emit_json,
    json_option,
    open_workspace,
)
from padan.cli.root import main


@main.command()
@click.argument("hypothesis")  # read_text says what is wrong with it, on one line
@click.argument("reference")
@click.option(
    "--lang", type=LANG, help="Language of the texts (zh switches to Chinese tokenization)."
)
@json_option
def score(hypothesis: str, reference: str, lang: str | None, as_json: bool) -> None:
    """Score a line-aligned text file against a reference: BLEU, chrF, TER."""
    from corpora.documents import guess_language
    from corpora.textfile import read_text
    from tm.effort import score as score_texts

    hyp = read_text(hypothesis, hint="save it as UTF-8").rstrip("\n").split("\n")
    ref_text = read_text(reference, hint="save it as UTF-8")
    ref = ref_text.rstrip("\n").split("\n")
    language = lang or guess_language(ref_text) or "en"
    result = score_texts(hyp, ref, language)
    if as_json:
        emit_json({"lang": language, **asdict(result)})
        return
    click.echo(
        f"{counted(result.segments, 'line')} ({language}): BLEU {result.bleu:.2f}  "
        f"chrF {result.chrf:.2f}  TER {result.ter:.2f}"
    )


@main.command()
@click.argument("text")
@click.option("--lang", type=LANG, help="Language to search (default: guessed from TEXT).")
@click.option(
    "--min",
    "min_score",
    type=click.FloatRange(0, 100),
    default=75.0,
    show_default=True,
    help="Lowest score shown (0-100).",
)
@click.option(
    "--limit",
    type=click.IntRange(min=1),
    default=5,
    show_default=True,
    help="How many matches to show (at least 1).",
)
@click.option(
    "--to", "to", type=LANG, help="Show the translations in this language (default: every one)."
)
@json_option
@click.pass_context
def search(
    ctx: click.Context,
    text: str,
    lang: str | None,
    min_score: float,
    limit: int,
    to: str | None,
    as_json: bool,
) -> None:
    """Fuzzy-search the translation memory: best matches with their differences marked,
    each with its stored translations (with --to, only the matches translated into it)."""
    from padan import lookup

    target = to
    with open_workspace(ctx, readonly=True) as ws:
        guessed = lang or _guess_language(text)
        langs = lookup.with_variants(ws, guessed) if guessed else ws.languages()
        wanted = limit
        while True:  # with --to, a match without that translation takes no place: look further
            rows = lookup.search(ws, text, langs, min_score=min_score, limit=wanted)
            targets = lookup.translations(ws, [v for v, _ in rows], target)
            found = len(rows)
            if target:
                rows = [(v, m) for v, m in rows if targets[v.id]][:limit]
            if len(rows) >= limit or found < wanted:
                break
            wanted *= 4
    if target and not rows and found and not as_json:
        click.echo(
            f"No match translated into {target}: {counted(found, 'match', 'matches')} without "
            f"a translation into {target} (leave out --to to see them)."
        )
        return
    if as_json:
        emit_json(
            [
                {
                    "document": v.document,
                    "position": v.position,
                    "lang": v.lang,
                    "text": shown(m.text),
                    "score": round(m.score, 1),
                    "spans": [list(s) for s in m.spans],
                    "flags": list(m.flags),
                    "translations": [
                        {"lang": t.lang, "text": shown(t.current)} for t in targets[v.id]
                    ],
                }
                for v, m in rows
            ]
        )
        return
    from padan.cli.summary_search import print_matches

    print_matches(
        [(v.document, v.position, m, [(t.lang, t.current) for t in targets[v.id]]) for v, m in rows]
    )


@main.command()
@click.argument("word")
@click.option(
    "--lang",
    type=LANG,
    help="Language, with its other variants (es-ES: es too; default: every language).",
)
@json_option
@click.pass_context
def concordance(ctx: click.Context, word: str, lang: str | None, as_json: bool) -> None:
    """Every segment containing WORD (Chinese inside words, Indonesian through -nya)."""
    from padan import lookup

    with open_workspace(ctx, readonly=True) as ws:
        langs = lookup.with_variants(ws, lang) if lang else ws.languages()
        hits = lookup.concordance(ws, word, langs)
    if as_json:
        emit_json(
            [
                {
                    "document": v.document,
                    "position": v.position,
                    "lang": v.lang,
                    "text": shown(o.text),
                    "spans": [list(s) for s in o.spans],
                }
                for v, o in hits
            ]
        )
        return
    from padan.cli.summary_search import print_concordance

    print_concordance([(v.document, v.position, v.lang, o.text, o.spans) for v, o in hits])


def _guess_language(text: str) -> str | None:
    from corpora.documents import guess_language  # not imported when --lang is given

    return guess_language(text)
