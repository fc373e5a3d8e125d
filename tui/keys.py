"""The app's actions, their default keys and names, and the user's remapping of them.

Every action the translator can take is listed once here: its id (used in the keys
file), the screen action it runs, the keys it is bound to, the name shown in the command
palette and the help screen. The keys file is TOML, one ``id = "key[,key...]"`` per line
(at top level or under ``[keys]``), read from ``--keys FILE`` or
``$XDG_CONFIG_HOME/padan/keys.toml`` (``~/.config/padan/keys.toml``)::

    [keys]
    next-finding = "f8,ctrl+n"
    apply-suggestion = "ctrl+r"
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

from textual.binding import Binding


@dataclass(frozen=True)
class KeyAction:
    id: str  # binding id, the name in keys.toml
    action: str  # action of the main screen (textual action string)
    keys: str  # default keys, comma-separated (textual key names)
    title: str  # plain name in the command palette and the help screen
    help: str  # one line: what it does
    group: str  # heading in the help screen
    footer: str = ""  # short label shown in the footer ("" = not shown)
    priority: bool = False  # wins over the focused widget's own keys (the editor's ctrl+z)
    display: str = ""  # the key as the footer shows it (short), when not the first key


ACTIONS: tuple[KeyAction, ...] = (
    # Findings and fixes
    KeyAction(
        "next-finding",
        "next_finding",
        "f8,ctrl+n",
        "Next finding",
        "Go to the next finding (in this document, then the next ones)",
        "Findings",
        "Next",
    ),
    KeyAction(
        "previous-finding",
        "previous_finding",
        "shift+f8,ctrl+b",
        "Previous finding",
        "Go to the previous finding",
        "Findings",
    ),
    KeyAction(
        "apply-suggestion",
        "apply_suggestion",
        "f4,ctrl+r",
        "Apply suggestion",
        "Apply the highlighted suggestion of the current finding",
        "Findings",
        "Apply",
    ),
    KeyAction(
        "apply-all",
        "apply_all",
        "shift+f4,ctrl+t",
        "Apply to all",
        "Preview, then apply the suggestion to every equal finding (one bulk fix)",
        "Findings",
        "All",
        display="⇧F4",
    ),
    KeyAction(
        "sure-fixes",
        "sure_fixes",
        "f7",
        "Apply all sure fixes",
        "Preview rule by rule, then apply every suggestion Padan is sure of (as "
        "`padan fix --auto`), as one bulk fix",
        "Findings",
        "Sure",
        priority=True,
    ),
    KeyAction(
        "undo",
        "undo",
        "ctrl+z",
        "Undo",
        "Take back the last change: one edit or a whole bulk fix",
        "Findings",
        priority=True,
    ),
    KeyAction(
        "redo",
        "redo",
        "ctrl+y",
        "Redo",
        "Apply again the change last undone",
        "Findings",
        priority=True,
    ),
    KeyAction(
        "mark-garbled",
        "mark_garbled",
        "f2,ctrl+g",
        "Mark as garbled",
        "Record the selected text as a garbled rendering of a concept, then fix it everywhere",
        "Findings",
    ),
    KeyAction(
        "recheck", "recheck", "f5", "Recheck", "Run the checks on every document again", "Findings"
    ),
    # Segments
    KeyAction(
        "next-segment",
        "next_segment",
        "ctrl+down",
        "Next segment",
        "Save and go to the next segment",
        "Segments",
    ),
    KeyAction(
        "previous-segment",
        "previous_segment",
        "ctrl+up",
        "Previous segment",
        "Save and go to the previous segment",
        "Segments",
    ),
    KeyAction(
        "save",
        "save",
        "ctrl+s",
        "Save segment",
        "Save the segment now (it is also saved when you leave it or pause)",
        "Segments",
    ),
    KeyAction(
        "edit",
        "edit",
        "enter",
        "Edit segment",
        "Move into the editor (Esc: back to the segments)",
        "Segments",
    ),
    KeyAction(
        "filter",
        "filter",
        "ctrl+f",
        "Filter segments",
        "Show all segments, those with findings, edited ones, by rule or by text",
        "Segments",
    ),
    KeyAction("documents", "documents", "ctrl+o", "Documents", "Choose a document", "Segments"),
    KeyAction(
        "next-panel",
        "next_panel",
        "ctrl+l",
        "Side panel",
        "Into the side panel; again: the next one (findings, terms, memory)",
        "Segments",
    ),
    KeyAction(
        "confirm",
        "confirm",
        "f6",
        "Confirm segment",
        "Save the segment, mark it confirmed (reviewed) and go to the next one not "
        "confirmed; again on a confirmed one: take the confirmation back",
        "Segments",
        "Confirm",
        priority=True,
    ),
    # Term base and memory
    KeyAction(
        "search-memory",
        "search_memory",
        "f3",
        "Search memory",
        "Concordance search of the memory (the selected text, or what you type)",
        "Term base and memory",
    ),
    KeyAction(
        "insert-match",
        "insert_match",
        "ctrl+e",
        "Insert best match",
        "Put the memory's best match into the editor (repaired where only numbers, codes "
        "or terms differ): the TM% column's",
        "Term base and memory",
        priority=True,
    ),
    KeyAction(
        "term-base",
        "term_base",
        "f9",
        "Term base",
        "Concepts of this segment; search, add terms, statuses, proposals",
        "Term base and memory",
        "Terms",
    ),
    # Export
    KeyAction(
        "export-tmx",
        "export('tmx')",
        "f10",
        "Export TMX",
        "Write a TMX 1.4b memory of chosen documents: every language, or a pair",
        "Export",
    ),
    KeyAction(
        "export-po",
        "export('po')",
        "shift+f10",
        "Export PO",
        "Write a PO catalogue: a language pair, or revisions (as imported → now)",
        "Export",
    ),
    KeyAction(
        "export-tbx",
        "export('tbx')",
        "shift+f9",
        "Export TBX",
        "Write the term base as TBX (TBX-Basic)",
        "Export",
    ),
    # General
    KeyAction("help", "help", "f1,question_mark", "Help", "This list of keys", "General", "Help"),
)

BY_ID = {a.id: a for a in ACTIONS}


def bindings() -> list[Binding]:
    """The bindings of the main screen, with their ids so that a keymap can move them."""
    return [
        Binding(
            a.keys,
            a.action,
            a.footer or a.title,
            show=bool(a.footer),
            id=a.id,
            priority=a.priority,
            tooltip=a.help,
            key_display=a.display or _short(a.keys),
        )
        for a in ACTIONS
    ]


def _short(keys: str) -> str:
    """The first key as the footer shows it: ``f8,ctrl+n`` → ``F8``."""
    first = keys.split(",")[0].strip()
    return first.upper() if first.startswith("f") and first[1:].isdigit() else first


def default_path() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "padan" / "keys.toml"


@dataclass(frozen=True)
class Keymap:
    keys: dict[str, str]  # id -> keys, only the remapped ones
    problems: list[str]  # what was wrong with the file, to show to the user

    def keys_of(self, action_id: str) -> str:
        return self.keys.get(action_id) or BY_ID[action_id].keys


def load_keymap(path: str | Path | None = None) -> Keymap:
    """The remapped keys of ``path`` (or of the default keys file, when it exists).

    A missing default file is no problem; a broken file is reported, never fatal.
    """
    explicit = path is not None
    file = Path(path) if path is not None else default_path()
    if not file.exists():
        return Keymap({}, [f"{file}: no such keys file"] if explicit else [])
    try:
        data = tomllib.loads(file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        return Keymap({}, [f"{file}: {exc} (default keys used)"])
    table = data.get("keys", data)
    keys: dict[str, str] = {}
    problems: list[str] = []
    if not isinstance(table, dict):
        return Keymap({}, [f'{file}: [keys] must be a table of action = "key"'])
    for name, value in table.items():
        if name not in BY_ID:
            problems.append(f"{file}: unknown action {name!r} (see the help screen, F1)")
        elif isinstance(value, list) and all(isinstance(v, str) for v in value):
            keys[name] = ",".join(v.strip() for v in value)
        elif isinstance(value, str) and value.strip():
            keys[name] = ",".join(k.strip() for k in value.split(","))
        else:
            problems.append(f'{file}: {name} must be a key such as "f8" or "ctrl+n"')
    return Keymap(keys, problems)
