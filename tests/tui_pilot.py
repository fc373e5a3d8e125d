"""Driving the app in pilot tests: each test in its own event loop, waiting for a state."""

from __future__ import annotations

import asyncio
import functools

from textual import events

from padan.workspace import Workspace
from tui.screens.main import MainScreen


def pilot(fn):  # type: ignore[no-untyped-def]
    """Run an async test in its own event loop (no asyncio plugin needed)."""

    @functools.wraps(fn)
    def run(*args, **kwargs):  # type: ignore[no-untyped-def]
        return asyncio.run(fn(*args, **kwargs))

    return run


async def until(pilot, condition, timeout: float = 30.0) -> None:  # type: ignore[no-untyped-def]
    waited = 0.0
    while not condition():
        await pilot.pause(0.05)
        waited += 0.05
        assert waited < timeout, "timed out"


async def ready(pilot, settle: float = 0.0) -> MainScreen:  # type: ignore[no-untyped-def]
    """The main screen once its documents are loaded and checked."""
    screen = pilot.app.main
    await until(pilot, lambda: screen.ready and screen.session.checked)
    if settle:
        await pilot.pause(settle)
    return screen


def burst(app, keys: list[str]) -> None:  # type: ignore[no-untyped-def]
    """Send keys as a terminal does when they arrive together: no pause in between."""
    for key in keys:
        char = key if len(key) == 1 else None
        app._driver.send_message(events.Key(key, char))


def stored(db: str, variant_id: int) -> str:
    """The variant's text in the database, as another process reads it."""
    ws = Workspace(db)
    try:
        return ws.documents.variant(variant_id).current
    finally:
        ws.close()
