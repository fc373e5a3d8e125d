"""Marking a garbled rendering: which concept it should have been, or its replacement."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import (
    Button,
    Input,
    Label,
    OptionList,
    Static,
)
from textual.widgets.option_list import Option

from termbase.model import Concept
from tui.screens.dialogs.base import FormDialog


@dataclass(frozen=True)
class MarkRequest:
    concept: str | None  # key of an existing concept; None: the replacement's concept
    replacement: str | None  # None: the chosen concept's preferred term


def _concept_line(concept: Concept) -> Text:
    line = Text(no_wrap=True, overflow="ellipsis")
    line.append(f"{concept.id} ", "bold")
    line.append(" | ".join(f"{t.lang}: {t.text}" for t in concept.terms[:4]))
    return line


class MarkGarbledScreen(FormDialog):
    """Which concept the selected text should have been, and its replacement."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel"),
        Binding("down", "move(1)", "Next", show=False),
        Binding("up", "move(-1)", "Previous", show=False),
    ]
    OK_BUTTON = "mark"

    def __init__(self, text: str, lang: str, where: str, concepts: Sequence[Concept]) -> None:
        super().__init__()
        self.text, self.lang, self.where = text, lang, where
        self.concepts = list(concepts)
        self._replacement_edited = False
        self._setting = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Mark as garbled", classes="dialog-title")
            message = Text()
            message.append(f"“{self.text}”", "bold red")
            message.append(
                f" ({self.lang}, {self.where}) becomes a forbidden term of the concept you "
                "choose, with its replacement; every occurrence is then offered as a bulk fix."
            )
            yield Static(message, markup=False)
            yield Label("What it should have been (a new term, or an existing concept)")
            yield Input(placeholder="e.g. Hugging Face", id="garbled-concept", compact=True)
            yield OptionList(id="garbled-matches", compact=True)
            yield Label(f"Replacement in {self.lang}")
            yield Input(id="garbled-replacement", compact=True)
            with Horizontal(classes="dialog-buttons"):
                yield Button("Mark", variant="primary", id="mark", compact=True)
                yield Button("Cancel", id="cancel", compact=True)

    def on_mount(self) -> None:
        self._refresh_matches("")
        self.query_one("#garbled-concept", Input).focus()

    def _matches(self, query: str) -> list[Concept]:
        q = query.strip().casefold()
        if not q:
            return self.concepts[:8]
        exact = [c for c in self.concepts if any(t.text.casefold() == q for t in c.terms)]
        partial = [
            c
            for c in self.concepts
            if c not in exact and any(q in t.text.casefold() for t in c.terms)
        ]
        return (exact + partial)[:8]

    def _refresh_matches(self, query: str) -> None:
        options = self.query_one("#garbled-matches", OptionList)
        options.clear_options()
        matches = self._matches(query)
        exact = bool(
            query.strip()
            and matches
            and any(t.text.casefold() == query.strip().casefold() for t in matches[0].terms)
        )
        for concept in matches:
            options.add_option(Option(_concept_line(concept), id=concept.id))
        if query.strip() and not exact:
            options.add_option(
                Option(Text.assemble(("new concept: ", "dim"), query.strip()), id="new")
            )
        if options.option_count:
            options.highlighted = 0
        self._follow()

    def _chosen(self) -> Concept | None:
        options = self.query_one("#garbled-matches", OptionList)
        if options.highlighted is None or not options.option_count:
            return None
        key = options.get_option_at_index(options.highlighted).id
        return next((c for c in self.concepts if c.id == key), None)

    def _follow(self) -> None:
        """Fill the replacement from the choice, unless the user typed one."""
        if self._replacement_edited:
            return
        concept = self._chosen()
        typed = self.query_one("#garbled-concept", Input).value.strip()
        value = typed
        if concept is not None:
            usable = [t for t in concept.terms_in(self.lang) if t.status.usable]
            value = usable[0].text if usable else typed or (concept.terms[0].text)
        self._setting = True
        self.query_one("#garbled-replacement", Input).value = value

    @on(Input.Changed, "#garbled-concept")
    def _concept_typed(self, event: Input.Changed) -> None:
        self._refresh_matches(event.value)

    @on(Input.Changed, "#garbled-replacement")
    def _replacement_typed(self, event: Input.Changed) -> None:
        if self._setting:
            self._setting = False
            return
        self._replacement_edited = True

    @on(OptionList.OptionHighlighted, "#garbled-matches")
    def _highlighted(self) -> None:
        self._follow()

    def action_move(self, step: int) -> None:
        options = self.query_one("#garbled-matches", OptionList)
        if options.option_count:
            current = options.highlighted or 0
            options.highlighted = max(0, min(options.option_count - 1, current + step))

    @on(OptionList.OptionSelected, "#garbled-matches")
    def _chosen_from_list(self) -> None:
        self._done()

    def _done(self) -> None:
        replacement = self.query_one("#garbled-replacement", Input).value.strip()
        concept = self._chosen()
        if not replacement and concept is None:
            self.notify("Type what the text should have been.", severity="warning")
            return
        if replacement.casefold() == self.text.casefold():
            self.notify("The replacement is the garbled text itself.", severity="warning")
            return
        self.dismiss(MarkRequest(concept.id if concept else None, replacement or None))
