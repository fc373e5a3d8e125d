"""The layers hold at run time too: the domain imports without the UI libraries, the app
talks to the workspace rather than its stores, and every command of the command line says
what it does."""

from __future__ import annotations

import ast
import pkgutil
import subprocess
import sys
from pathlib import Path

import click

import corpora
import termbase
import tm
import tui
from padan.cli import main

DOMAIN = (corpora, termbase, tm)


def _domain_modules() -> list[str]:
    names = []
    for package in DOMAIN:
        names.append(package.__name__)
        names += [m.name for m in pkgutil.walk_packages(package.__path__, package.__name__ + ".")]
    return names


def test_the_domain_imports_neither_textual_nor_rich():
    modules = _domain_modules()
    assert {"corpora.db", "tm.store", "termbase.checks.runner", "tm.formats.po"} <= set(modules)
    script = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "[]"


STORES = {"documents", "terms", "db"}  # the Workspace's stores and its connection


def _is_workspace(node: ast.expr) -> bool:
    """``ws``, ``….ws`` or ``Workspace(…)``: how the app names a workspace."""
    if isinstance(node, ast.Call):
        return isinstance(node.func, ast.Name) and node.func.id == "Workspace"
    return (isinstance(node, ast.Name) and node.id == "ws") or (
        isinstance(node, ast.Attribute) and node.attr == "ws"
    )


def store_reaches(source: str) -> list[int]:
    """The lines of ``source`` that reach through a workspace into one of its stores."""
    return sorted(
        node.lineno
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Attribute) and node.attr in STORES and _is_workspace(node.value)
    )


def test_the_guard_finds_a_reach_into_a_store():
    old = (
        "rows = ws.documents.variants(lang, name)\n"
        "store = self.session.ws.documents\n"
        "n = Workspace(path).terms.concepts()\n"
        "ok = [self.session.documents[0], concept.terms, ws.variants(lang, name)]\n"
    )
    assert store_reaches(old) == [1, 2, 3]


def test_the_app_uses_the_workspace_not_its_stores():
    files = sorted(Path(tui.__file__).parent.rglob("*.py"))
    assert len(files) > 10
    found = [
        f"{path.name}:{line}"
        for path in files
        for line in store_reaches(path.read_text(encoding="utf-8"))
    ]
    assert found == []


def _commands(group: click.Group, prefix: str = "padan") -> list[tuple[str, click.Command]]:
    found: list[tuple[str, click.Command]] = []
    for name, command in group.commands.items():
        found.append((f"{prefix} {name}", command))
        if isinstance(command, click.Group):
            found += _commands(command, f"{prefix} {name}")
    return found


def test_every_command_has_help_text():
    commands = _commands(main)
    assert {"padan check", "padan terms import", "padan undo"} <= {n for n, _ in commands}
    missing = [name for name, command in commands if not (command.help or "").strip()]
    assert missing == []


def test_every_option_says_what_it_does():
    missing = [
        f"{name} {param.opts[0]}"
        for name, command in _commands(main)
        for param in command.params
        if isinstance(param, click.Option) and not param.help and param.opts[0] != "--help"
    ]
    assert missing == []
