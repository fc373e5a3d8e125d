"""Dialogs that show changes as differences: the bulk-fix previews (one suggestion
everywhere, every sure fix rule by rule) and a conflict on save."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import (
    Button,
    Label,
    SelectionList,
    Static,
)

from corpora.wording import counted
from padan.review import RuleFix, diff_lines
from tm.store import StoredVariant
from tui.screens.dialogs.base import Dialog


def _elide(piece: str, first: bool, last: bool, context: int) -> str:
    """An unchanged run, cut down to ``context`` characters on each side of a change."""
    if context <= 0 or len(piece) <= 2 * context + 1:
        return piece
    if first and last:
        return piece[:context] + "…" + piece[-context:]
    if first:
        return "…" + piece[-context:]
    if last:
        return piece[:context] + "…"
    return piece[:context] + "…" + piece[-context:]


def diff_text(old: str, new: str, context: int = 0) -> tuple[Text, Text]:
    """The old and the new text, with what is taken out and put in marked;
    with ``context``, long unchanged runs are cut to that many characters around changes."""
    minus, plus = Text(overflow="fold"), Text(overflow="fold")
    runs = diff_lines(old, new)
    for i, (kind, piece) in enumerate(runs):
        piece = piece.replace("\n", "⏎")
        if kind == "=":
            piece = _elide(piece, i == 0, i == len(runs) - 1, context)
            minus.append(piece)
            plus.append(piece)
        elif kind == "-":
            minus.append(piece, "bold white on dark_red")
        else:
            plus.append(piece, "bold black on green")
    return minus, plus


def diff_table(changes: Sequence[tuple[StoredVariant, str]], context: int = 24) -> Table:
    """One diff per segment: its place, then ``-`` the text now and ``+`` the text after."""
    table = Table(box=None, show_header=False, pad_edge=False, expand=True, padding=(0, 1, 0, 0))
    table.add_column("sign", width=1, no_wrap=True)
    table.add_column("text", ratio=1, overflow="fold")
    for variant, new in changes:
        table.add_row(
            "", Text(f"{variant.document}#{variant.position} ({variant.lang})", style="bold")
        )
        minus, plus = diff_text(variant.current, new, context=context)
        table.add_row(Text("-", style="red"), minus)
        table.add_row(Text("+", style="green"), plus)
    return table


class _Preview(Dialog):
    """Changes shown before they are made: diffs in ``#bulk-diffs``, which fill the room
    the screen leaves; y or the first button applies them, n or Escape cancels."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,n", "cancel", "Cancel"),
        Binding("y", "apply", "Apply"),
    ]

    def _buttons(self, apply: str) -> ComposeResult:
        with Horizontal(classes="dialog-buttons"):
            yield Button(apply, variant="primary", id="apply", compact=True)
            yield Button("Cancel (Esc)", id="cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#apply", Button).focus()
        self._fit()

    def on_resize(self) -> None:
        self._fit()

    def _fit(self, other_lines: int = 11) -> None:
        """Room for the diffs: the screen less the dialog's other lines."""
        self.query_one("#bulk-diffs").styles.max_height = max(3, self.app.size.height - other_lines)

    def action_apply(self) -> None:
        raise NotImplementedError

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "apply":
            self.action_apply()
        else:
            self.action_cancel()


class BulkFixScreen(_Preview):
    """Every change a bulk fix would make, one diff per segment; Enter applies them all."""

    CANCEL = False
    SHOWN = 500  # diffs drawn; the count always covers every change

    def __init__(self, title: str, changes: Sequence[tuple[StoredVariant, str]]) -> None:
        super().__init__()
        self.heading = title
        self.changes = list(changes)

    def compose(self) -> ComposeResult:
        docs = sorted({v.document for v, _ in self.changes})
        count = len(self.changes)
        with Vertical(classes="dialog wide"):
            yield Label(self.heading, classes="dialog-title")
            yield Static(
                f"{counted(count, 'segment')} in {counted(len(docs), 'document')} "
                f"({', '.join(docs)}) will change."
                " One bulk fix: Ctrl+Z takes all of it back.",
                id="bulk-count",
                markup=False,
            )
            with VerticalScroll(id="bulk-diffs"):
                yield Static(diff_table(self.changes[: self.SHOWN]), markup=False)
                if count > self.SHOWN:
                    yield Static(f"… and {count - self.SHOWN} more", classes="dim")
            yield from self._buttons(f"Apply to {counted(count, 'segment')} (y)")

    def action_apply(self) -> None:
        self.dismiss(True)


class ConflictScreen(Dialog):
    """Someone saved the segment first: reload theirs, or keep (overwrite with) ours."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel"),
        Binding("r", "choose('reload')", "Reload"),
        Binding("k", "choose('overwrite')", "Keep mine"),
    ]
    CANCEL = "cancel"

    def __init__(self, message: str, theirs: StoredVariant, mine: str) -> None:
        super().__init__()
        self.message, self.variant, self.mine = message, theirs, mine

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("The segment changed under you", classes="dialog-title")
            yield Static(self.message, markup=False)
            yield Static("theirs (-) and yours (+):", classes="dim")
            yield Static(diff_table([(self.variant, self.mine)], context=40), markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button("Reload theirs", variant="primary", id="reload", compact=True)
                yield Button("Keep mine", variant="warning", id="overwrite", compact=True)
                yield Button("Cancel", id="cancel", compact=True)

    def action_choose(self, choice: str) -> None:
        self.dismiss(choice)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id or "cancel")


class SureFixScreen(_Preview):
    """Every sure suggestion, rule by rule with its diffs; the rules ticked are applied as
    one bulk fix (one undo)."""

    CANCEL = None
    SHOWN = 40  # diffs drawn per rule; the counts cover every change

    def __init__(self, fixes: Sequence[RuleFix]) -> None:
        super().__init__()
        self.fixes = list(fixes)

    def compose(self) -> ComposeResult:
        segments = len({v.id for f in self.fixes for v, _ in f.changes})
        with Vertical(classes="dialog wide"):
            yield Label("Apply all sure fixes", classes="dialog-title")
            yield Static(
                f"{counted(segments, 'segment')} {'changes' if segments == 1 else 'change'}, "
                "as `padan fix --auto` would change them. One "
                "bulk fix: Ctrl+Z takes all of it back. Space unticks a rule.",
                id="bulk-count",
                markup=False,
            )
            yield SelectionList[str](
                *[
                    (
                        f"{f.rule}: {counted(len(f.findings), 'finding')} "
                        f"in {counted(len(f.changes), 'segment')}",
                        f.rule,
                        True,
                    )
                    for f in self.fixes
                ],
                id="sure-rules",
                compact=True,
            )
            with VerticalScroll(id="bulk-diffs"):
                for fix in self.fixes:
                    yield Static(
                        Text(f"{fix.rule} ({len(fix.changes)})", style="bold underline"),
                        markup=False,
                    )
                    yield Static(diff_table(fix.changes[: self.SHOWN]), markup=False)
                    if len(fix.changes) > self.SHOWN:
                        yield Static(f"… and {len(fix.changes) - self.SHOWN} more", classes="dim")
            yield from self._buttons("Apply the ticked rules (y)")

    def _fit(self, other_lines: int = 12) -> None:
        rules = min(len(self.fixes), 6)
        self.query_one("#sure-rules").styles.height = rules
        super()._fit(other_lines + rules)

    def action_apply(self) -> None:
        chosen = list(self.query_one("#sure-rules", SelectionList).selected)
        if not chosen:
            self.notify("Tick at least one rule (Space).", severity="warning")
            return
        self.dismiss(chosen)
