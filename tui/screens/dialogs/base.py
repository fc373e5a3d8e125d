"""What every modal shares (Escape cancels, a title, Enter in a form submits), and the
yes/no confirmation."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import (
    Button,
    Input,
    Label,
    Static,
)


class Dialog(ModalScreen):  # type: ignore[type-arg]
    """A centred box; Escape cancels (dismisses with the screen's cancel value)."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]
    CANCEL: object = None

    def action_cancel(self) -> None:
        self.dismiss(self.CANCEL)


class FormDialog(Dialog):
    """A form: Enter in a field or the ``OK_BUTTON`` submits it (:meth:`_done` checks and
    dismisses), any other button cancels."""

    OK_BUTTON = "ok"

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self._done()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        if event.button.id == self.OK_BUTTON:
            self._done()
        else:
            self.dismiss(None)

    def _done(self) -> None:
        raise NotImplementedError


class ConfirmScreen(Dialog):
    """Yes or no."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,n", "cancel", "No"),
        Binding("y", "yes", "Yes"),
    ]
    CANCEL = False

    def __init__(self, title: str, message: str, yes: str = "Yes", no: str = "No") -> None:
        super().__init__()
        self.title_text, self.message, self.yes, self.no = title, message, yes, no

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.title_text, classes="dialog-title")
            yield Static(self.message, markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button(self.yes, variant="primary", id="yes", compact=True)
                yield Button(self.no, id="no", compact=True)

    def on_mount(self) -> None:
        self.query_one("#yes", Button).focus()

    def action_yes(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")
