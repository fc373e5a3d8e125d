"""Readable output of `padan search` and `padan concordance` (apart from the other
summaries: a search imports only what it prints)."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console
from rich.text import Text

from corpora.placeholders import shown
from padan.cli.common import counted
from termbase.recognize import kwic
from tm.fuzzy import Match

# spans are (start, end), or (start, end, kind) from a fuzzy match
Spans = Sequence[tuple[int, int] | tuple[int, int, str]]


def _console() -> Console:
    return Console(highlight=False, soft_wrap=True)


def _marked(text: str, spans: Spans, brackets: bool) -> Text:
    """``text`` with the spans highlighted, or bracketed where styles do not show (a pipe).

    A zero-width span (the query has text the match lacks) shows as a caret.
    """
    out = Text()
    pos = 0
    for start, end, *_ in sorted(spans):
        out.append(text[pos:start])
        piece = text[start:end] if end > start else "‸"
        out.append(f"[{piece}]" if brackets else piece, style="bold reverse")
        pos = end
    out.append(text[pos:])
    return out


def print_matches(rows: Sequence[tuple[str, int, Match, Sequence[tuple[str, str]]]]) -> None:
    """Fuzzy matches, best first, with what differs from the query highlighted, each
    followed by its translations (language: text)."""
    out = _console()
    if not rows:
        out.print("No match (lower --min to see weaker ones).")
        return
    for doc, position, m, translations in rows:
        flags = f"  ({', '.join(m.flags)}: penalised)" if m.flags else ""
        out.print(Text(f"{m.score:5.1f}  {doc}#{position}{flags}"))
        out.print(Text("       ") + _marked(shown(m.text), m.spans, not out.is_terminal))
        for lang, text in translations:
            out.print(Text(f"    → {lang}: {shown(text)}"))


def print_concordance(rows: Sequence[tuple[str, int, str, str, Sequence[tuple[int, int]]]]) -> None:
    out = _console()
    if not rows:
        out.print("Not found.")
        return
    for doc, position, lang, text, spans in rows:
        line = Text(f"{doc}#{position} {lang}: ")
        start, end = spans[0]
        line.append(kwic(shown(text), (start, end), width=40).replace("[", "").replace("]", ""))
        out.print(line)
    out.print(counted(len(rows), "segment"))
