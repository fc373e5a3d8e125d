"""How messages word a count, the same in every layer (the command line, the TUI)."""

from __future__ import annotations


def counted(n: int, noun: str, plural: str | None = None) -> str:
    """``n`` and the noun in its number, as messages say a count: 1 concept, 0 concepts,
    2 entries."""
    return f"{n} {noun if n == 1 else plural or noun + 's'}"
