"""What a check reports: a finding with its place, message and suggested replacements."""

from __future__ import annotations

from collections.abc import Iterable
from enum import IntEnum
from typing import NamedTuple


class Severity(IntEnum):
    INFO = 1
    WARNING = 2
    ERROR = 3

    @property
    def label(self) -> str:
        return self.name.lower()


class Finding(NamedTuple):
    """One problem in one text: rule, severity, span, message, and replacements for the span.

    ``start``/``end`` are character offsets in the checked text; ``line``/``column`` (1-based)
    place it in the file it came from when there is one. Applying a suggestion means
    replacing ``text[start:end]`` with it. A named tuple rather than a frozen dataclass:
    checking a large file makes, and sends between processes, findings by the hundred
    thousand, and a tuple is built four times faster.
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

    def located(self, file: str, line: int | None, column: int | None = None) -> Finding:
        """The finding placed in a file (faster than ``_replace``, which checking a large
        file would call for every finding)."""
        return Finding(
            self.rule,
            self.severity,
            self.start,
            self.end,
            self.message,
            self.suggestions,
            self.sure,
            file,
            line,
            self.column if column is None else column,
            self.unit,
        )

    def apply(self, text: str, choice: int = 0) -> str:
        return text[: self.start] + self.suggestions[choice] + text[self.end :]


def apply_all(text: str, findings: Iterable[Finding]) -> tuple[str, list[Finding]]:
    """Apply the first suggestion of each finding; returns the text and the findings used.

    Findings whose span overlaps one already applied are left out (they are found again
    on the next run if still needed). Spans refer to ``text`` as given.
    """
    used: list[Finding] = []
    for f in sorted((f for f in findings if f.suggestions), key=lambda f: (f.start, -f.end)):
        if used and f.start < used[-1].end:
            continue
        used.append(f)
    for f in reversed(used):
        text = f.apply(text)
    return text, used
