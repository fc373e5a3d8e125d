"""`padan tui`: the Textual app over a workspace.

The app itself is small: it opens the session, applies the user's key map, offers every
action in the command palette under a plain name, and shows the main screen
(:mod:`tui.screens.main`), where the work is.
"""

from __future__ import annotations

import os
import time
import traceback
from collections.abc import Iterable
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import ClassVar

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.dom import DOMNode
from textual.message import Message
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Input, TextArea

from tui.keys import ACTIONS, Keymap, load_keymap
from tui.screens.help import HelpScreen
from tui.screens.main import MainScreen
from tui.screens.session import Session

_NAVIGATION = frozenset({"up", "down", "left", "right", "pageup", "pagedown", "home", "end"})
HOLD_LIMIT = 6.0  # seconds keys wait at most behind a key still being handled (a screen
# opening on a loaded machine can take seconds; released earlier, they reach the old screen)
SETTLE_POLL = 0.005  # seconds between looks at whether that key is handled


class PadanApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "Padan"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", "Quit", show=False, priority=True),
    ]

    def __init__(self, location: str, keys_file: str | Path | None = None) -> None:
        super().__init__()
        self.location = location
        self.keymap_config: Keymap = load_keymap(keys_file)
        self.session = Session(location)
        self._quitting = False  # waiting for a save before quitting
        self._held: list[events.Key] | None = None  # keys waiting behind a focus move
        self._hold_started = 0.0
        self._hold_from: Widget | None = None  # where the key that holds them went
        self._travelling: events.Key | None = None  # that key, until its handling ends
        self._watched: list[DOMNode] = []  # the widgets it goes through
        self.session.preload()

    def get_default_screen(self) -> Screen:  # type: ignore[type-arg]
        return MainScreen(self.session)

    @property
    def main(self) -> MainScreen:
        return self.get_default_screen_instance()

    def get_default_screen_instance(self) -> MainScreen:
        for screen in self.screen_stack:
            if isinstance(screen, MainScreen):
                return screen
        raise LookupError("no main screen")

    def on_mount(self) -> None:
        if self.keymap_config.keys:
            self.set_keymap(self.keymap_config.keys)
        for problem in self.keymap_config.problems:
            self.notify(problem, title="Keys file", severity="warning", timeout=10)

    # -- keys in order --------------------------------------------------------------------
    # Textual hands a key to the widget focused when the key *arrives*; a binding such as
    # Tab runs only when the key has bubbled up to the app, so a letter typed right after
    # Tab went to the old widget and was lost (and one typed after End, before the end).
    # Keys that follow a bound key wait until it is handled, then go where the focus is.

    async def on_event(self, event: events.Event) -> None:
        if not isinstance(event, events.Key):
            await super().on_event(event)
            return
        if event.is_forwarded:  # back from the widgets: the app's own bindings run now
            await super().on_event(event)
            if event is self._travelling:
                self._travelling = None
            return
        if self._held is not None:
            self._held.append(event)
            return
        target = self.focused or self.screen
        await super().on_event(event)
        if self._holds_next(event):
            self._held, self._hold_from = [], target
            self._hold_started = time.monotonic()
            if event.is_forwarded:  # on its way through the widgets, not a priority key
                self._follow(event, target)
            self.set_timer(SETTLE_POLL, self._settle)

    def _holds_next(self, key: events.Key) -> bool:
        """Whether the keys after ``key`` must wait until it is handled: a key bound to an
        action (Tab, Enter, a function key, the term base's "/", or Home in a text box)
        acts only once it has bubbled up to the app, while a letter typed into a text box
        is inserted at once. Only the arrows in a list, and letters typed, go straight on."""
        text_box = isinstance(self.focused, (Input, TextArea))
        if key.is_printable:
            return not text_box and key.key in self.active_bindings
        return text_box or key.key not in _NAVIGATION

    def _follow(self, key: events.Key, target: Widget | Screen) -> None:  # type: ignore[type-arg]
        """Watch ``key`` through the widgets it bubbles up, to know when one stops it. An
        empty message queue is not enough: a widget still running the key's handler has
        taken it off its queue, and the keys behind it went to the old focus."""
        self._travelling = key
        self._watched = [node for node in target.ancestors_with_self if node is not self]
        for node in self._watched:
            node.message_signal.subscribe(self, partial(self._handled, node), immediate=True)

    def _handled(self, node: DOMNode, message: Message) -> None:
        """``node``, on the key's way, is done with a message (Textual's signal, sent after
        the handlers ran and the message bubbled on): the key's way ends if it stopped
        there, unless at the screen, which marks a key stopped as it hands it back to the
        app that forwarded it (then the app's own handling, in :meth:`on_event`, ends it)."""
        if message is self._travelling and message._stop_propagation:
            if node.parent is not self or not node.is_attached:
                self._travelling = None

    def _settle(self) -> None:
        """Let the held keys go once the key and every message it set off are handled:
        the key has reached the app or a widget stopped it, and nothing waits along the
        way from the widget it went to, nor at the new focus."""
        if not self.screen_stack:  # closing
            self._release()
            return
        nodes = set()
        for widget in (self._hold_from, self.focused, self.screen):
            if widget is not None and widget.is_attached:
                nodes.update(widget.ancestors_with_self)
        moved = self.focused is not self._hold_from and self.focused is not None
        busy = not moved and (
            self._travelling is not None or any(node.message_queue_size for node in nodes)
        )
        if busy and time.monotonic() - self._hold_started < HOLD_LIMIT:
            self.set_timer(SETTLE_POLL, self._settle)
            return
        for key in self._release():
            self.post_message(events.Key(key.key, key.character))

    def _release(self) -> list[events.Key]:
        """End the hold; the keys it held."""
        for node in self._watched:
            node.message_signal.unsubscribe(self)
        held = self._held or []
        self._held = self._hold_from = self._travelling = None
        self._watched = []
        return held

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:  # type: ignore[type-arg]
        """The palette lists the actions of the screen it was opened on, and runs them
        there: the term base's on the term base, the main screen's on the main screen."""
        if isinstance(screen, MainScreen):
            for action in ACTIONS:
                yield SystemCommand(
                    action.title,
                    action.help,
                    partial(screen.call_later, screen.run_action, action.action),
                )
        else:
            for binding in screen_bindings(screen):
                yield SystemCommand(
                    binding.description,
                    binding.tooltip or binding.description,
                    partial(screen.call_later, screen.run_action, binding.action),
                )
        yield from super().get_system_commands(screen)

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.keymap_config))

    async def action_quit(self) -> None:
        """Quit once every key typed before Ctrl+Q is in the editor and its text saved;
        Ctrl+Q again, while a save waits for the database, quits at once."""
        if self._quitting:
            self.exit()
            return
        try:
            main: MainScreen | None = self.main
        except LookupError:
            main = None
        if main is None or not main.is_mounted:
            self.exit()
            return
        main.after_keys(partial(self._quit, main))

    def _quit(self, main: MainScreen) -> None:
        main.save()
        if main.when_saved(self.exit):
            self.exit()
        else:
            self._quitting = True
            self.notify("Saving before quitting… (Ctrl+Q again quits without waiting)")

    def on_unmount(self) -> None:
        self.session.close()

    def _handle_exception(self, error: Exception) -> None:
        """A bug must not throw a translator out with a traceback: it is written to the
        log file and shown as a notification, and the app goes on. Headless (tests), the
        exception ends the app as usual, so that tests see it."""
        if self.is_headless:
            super()._handle_exception(error)
            return
        log = error_log()
        try:
            log.parent.mkdir(parents=True, exist_ok=True)
            with log.open("a", encoding="utf-8") as f:
                f.write(f"--- {datetime.now().isoformat(timespec='seconds')}\n")
                f.write("".join(traceback.format_exception(error)))
        except OSError:
            pass
        self.notify(
            f"Something went wrong: {error} (details in {log})", severity="error", timeout=15
        )


def screen_bindings(screen: Screen) -> list[Binding]:  # type: ignore[type-arg]
    """The named bindings of a screen (its own actions, for the palette)."""
    out = []
    for item in screen.BINDINGS:
        if isinstance(item, Binding) and item.description and not item.action.startswith("app."):
            out.append(item)
    return out


def error_log() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "padan" / "tui-errors.log"


def run(location: str, keys_file: str | None = None) -> None:
    PadanApp(location, keys_file).run()
