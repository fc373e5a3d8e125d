"""Readable output of `padan analyze` and `padan pretranslate`."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console
from rich.table import Table
from rich.text import Text

from corpora.placeholders import shown
from padan.cli.common import counted
from padan.leverage import Locked
from padan.pretranslate import PretranslateReport
from tm.analysis import Tally

_KINDS = (
    ("context", "context"),
    ("exact", "100%"),
    ("repaired", "repaired"),
    ("fuzzy", "fuzzy"),
    ("none", "no match"),
    ("kept", "kept (already translated)"),
)
_LABELS = dict(_KINDS)


def _console() -> Console:
    return Console(highlight=False, soft_wrap=True)


def _percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}" if whole else "0.0"


def print_analysis(
    tallies: Sequence[tuple[str, Tally, Locked]], rows: Sequence[str], convention: str
) -> None:
    out = _console()
    for name, tally, locked in tallies:
        table = Table(
            "band", "segments", "words", "% words", title=name, title_justify="left", box=None
        )
        for row in rows:
            table.add_row(
                row,
                str(tally.segments[row]),
                str(tally.words[row]),
                _percent(tally.words[row], tally.total_words),
            )
        table.add_row("total", str(tally.total_segments), str(tally.total_words), "100.0")
        out.print(table)
        if locked.segments:
            out.print(
                Text(
                    "locked, not to translate (not in the total): "
                    f"{counted(locked.segments, 'segment')}, {counted(locked.words, 'word')}"
                )
            )
        out.print()
    out.print(Text(f"Words: {convention}."))


def print_pretranslation(report: PretranslateReport, out_path: str, show: bool) -> None:
    out = _console()
    counts = ", ".join(f"{report.counts[k]} {label}" for k, label in _KINDS if report.counts[k])
    pair = f"{report.source_lang}→{report.target_lang}"
    out.print(Text(f"wrote {out_path} ({pair}): {counts or 'nothing to fill'}"))
    for filled in report.filled:  # each as written and counted above
        if not show and filled.kind != "repaired":
            continue
        score = f" {filled.offer.score:.0f}%" if filled.kind in ("fuzzy", "repaired") else ""
        out.print(Text(f"  {_LABELS[filled.kind]}{score}  {shown(filled.label)}"))
        if filled.offer.repair and filled.offer.repair.patches:
            patches = ", ".join(str(p) for p in filled.offer.repair.patches)
            out.print(Text(f"      patched: {shown(patches)}"))
        out.print(Text(f"      → {shown(filled.text)}"))
