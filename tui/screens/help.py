"""The help screen: every action with its keys (as remapped), and the keys of each area."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from tui.keys import ACTIONS, Keymap

# Keys that belong to one area and are not remappable actions.
AREA_KEYS: tuple[tuple[str, str, str], ...] = (
    ("Segments", "↑ ↓ PgUp PgDn Home End", "move in the segment table"),
    ("Segments", "Tab / Shift+Tab", "next / previous area"),
    ("Editor", "Enter", "save the segment and go to the next one"),
    ("Editor", "Esc", "back to the segment table"),
    ("Editor", "Shift+arrows", "select text (then F2 marks it as garbled)"),
    ("Findings panel", "↑ ↓, Enter", "choose a suggestion, apply it"),
    ("Term base (F9)", "a / s", "add a term / change the status of the highlighted term"),
    ("Term base (F9)", "y / x", "accept / reject the highlighted proposal (x asks first)"),
    ("Term base (F9)", "Ctrl+Z", "take back the last rejection"),
    ("Term base (F9)", "F9", "switch between concepts and proposals"),
    ("Term base (F9)", "/ , Esc", "search concepts, back"),
    ("Dialogs", "Enter / y, Esc / n", "confirm, cancel"),
    ("General", "Ctrl+P", "command palette: every action by name"),
    ("General", "Ctrl+Q", "quit once every key typed is saved (again: quit at once)"),
)


def key_label(keys: str) -> str:
    """``shift+f8,ctrl+b`` → ``Shift+F8, Ctrl+B``."""
    names = {"question_mark": "?", "down": "↓", "up": "↑", "enter": "Enter", "escape": "Esc"}

    def one(key: str) -> str:
        parts = key.strip().split("+")
        *mods, last = parts
        last = names.get(last, last.upper() if len(last) <= 3 else last.capitalize())
        return "+".join([*(m.capitalize() for m in mods), last])

    return ", ".join(one(k) for k in keys.split(","))


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,f1,q,question_mark", "close", "Close"),
    ]

    def __init__(self, keymap: Keymap) -> None:
        super().__init__()
        self.keymap = keymap

    def compose(self) -> ComposeResult:
        table = Table(box=None, show_header=False, pad_edge=False, expand=True)
        table.add_column("keys", style="bold cyan", no_wrap=True)
        table.add_column("action", style="bold", no_wrap=True)
        table.add_column("what it does", ratio=1)
        group = None
        for action in ACTIONS:
            if action.group != group:
                group = action.group
                table.add_row(Text(group, style="bold underline"), "", "")
            table.add_row(key_label(self.keymap.keys_of(action.id)), action.title, action.help)
        area = None
        for name, keys, what in AREA_KEYS:
            if name != area:
                area = name
                table.add_row(Text(name, style="bold underline"), "", "")
            table.add_row(keys, "", what)
        with Vertical(classes="dialog wide", id="help"):
            yield Label("Padan keys", classes="dialog-title")
            yield Static(
                "Every action is also in the command palette (Ctrl+P) by name. Remap keys in "
                '~/.config/padan/keys.toml or with --keys FILE: next-finding = "f8,ctrl+n".',
                markup=False,
                classes="dim",
            )
            with VerticalScroll():
                yield Static(table)

    def action_close(self) -> None:
        self.dismiss(None)
