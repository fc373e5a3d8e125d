"""The term-base forms: add a term, change a term's status."""

from __future__ import annotations

from collections.abc import Sequence

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import (
    Button,
    Input,
    Label,
    Select,
)

from corpora.tokenize import has_han
from termbase.model import Status, Term
from tui.screens.dialogs.base import FormDialog


class TermScreen(FormDialog):
    """Add a term: text, language, status and replacement."""

    def __init__(
        self,
        title: str,
        languages: Sequence[str],
        lang: str | None = None,
        text: str = "",
        latin: str | None = None,
    ) -> None:
        super().__init__()
        self.heading = title
        self.languages = list(dict.fromkeys([*languages, "zh", "id", "en"]))
        self.lang = lang or self.languages[0]
        self.text = text
        self.latin = latin  # the language guessed for a term not in Chinese script
        self._lang_chosen = lang is not None  # the user's choice is never overridden

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.heading, classes="dialog-title")
            yield Label("Term")
            yield Input(self.text, id="term-text", compact=True)
            with Horizontal(classes="export-langs"):
                yield Label("Language ")
                yield Select(
                    [(lang, lang) for lang in self.languages],
                    value=self.lang,
                    allow_blank=False,
                    id="term-lang",
                    compact=True,
                )
                yield Label("  Status ")
                yield Select(
                    [(s.value, s.value) for s in Status],
                    value=Status.PREFERRED.value,
                    allow_blank=False,
                    id="term-status",
                    compact=True,
                )
            yield Label("Replacement (deprecated and forbidden terms)")
            yield Input(id="term-replacement", compact=True)
            with Horizontal(classes="dialog-buttons"):
                yield Button("Add", variant="primary", id="ok", compact=True)
                yield Button("Cancel", id="cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#term-text", Input).focus()

    @on(Input.Changed, "#term-text")
    def _guess_lang(self, event: Input.Changed) -> None:
        """Chinese script says zh; other letters say the likely Latin-script language."""
        text = event.value.strip()
        if self._lang_chosen or not text:
            return
        guess = "zh" if has_han(text) else self.latin
        select = self.query_one("#term-lang", Select)
        if guess and guess in self.languages and select.value != guess:
            select.value = guess

    @on(Select.Changed, "#term-lang")
    def _lang_changed(self, event: Select.Changed) -> None:
        if event.select.has_focus_within:  # chosen by the user, not guessed
            self._lang_chosen = True

    def _done(self) -> None:
        text = self.query_one("#term-text", Input).value.strip()
        if not text:
            self.notify("Type the term.", severity="warning")
            return
        replacement = self.query_one("#term-replacement", Input).value.strip() or None
        self.dismiss(
            Term(
                text,
                str(self.query_one("#term-lang", Select).value),
                Status(str(self.query_one("#term-status", Select).value)),
                replacement,
            )
        )


class StatusScreen(FormDialog):
    """A term's new status, and its replacement."""

    def __init__(self, term: Term) -> None:
        super().__init__()
        self.term = term

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(f"Status of “{self.term.text}” ({self.term.lang})", classes="dialog-title")
            yield Select(
                [(s.value, s.value) for s in Status],
                value=self.term.status.value,
                allow_blank=False,
                id="status-value",
                compact=True,
            )
            yield Label("Replacement (deprecated and forbidden terms)")
            yield Input(self.term.replacement or "", id="status-replacement", compact=True)
            with Horizontal(classes="dialog-buttons"):
                yield Button("Change", variant="primary", id="ok", compact=True)
                yield Button("Cancel", id="cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#status-value", Select).focus()

    def _done(self) -> None:
        status = Status(str(self.query_one("#status-value", Select).value))
        replacement = self.query_one("#status-replacement", Input).value.strip() or None
        self.dismiss((status, replacement))
