"""What a check reports: a finding with its place, message and suggested replacements."""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum


class Severity(IntEnum):
    INFO = 1
    WARNING = 2
    ERROR = 3

    @property
    def label(self) -> str:
        return self.name.lower()


@dataclass(frozen=True)
class Finding:
    """One problem in one text: rule, severity, span, message, and replacements for the span.

    ``start``/``end`` are character offsets in the checked text; ``line``/``column`` (1-based)
    place it in the file it came from when there is one. Applying a suggestion means
    replacing ``text[start:end]`` with it.
    """

    rule: str
    severity: Severity
    start: int
    end: int
    message: str
    suggestions: tuple[str, ...] = ()
    sure: bool = False  # the first suggestion is safe to apply without a person (fix --auto)
    file: str | None = None
    line: int | None = None
    column: int | None = None
    unit: str | None = None  # the unit or segment it concerns, when known

    def apply(self, text: str, choice: int = 0) -> str:
        return text[: self.start] + self.suggestions[choice] + text[self.end :]
