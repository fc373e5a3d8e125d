"""The error every Padan package derives its own root from.

A located error names the file and the place in it, and says what to do, so that the
command line can print it as one line and exit non-zero without a traceback.
"""

from __future__ import annotations

from pathlib import Path


class LocatedError(Exception):
    """An error about an input, with where it happened and what to do about it."""

    def __init__(
        self,
        message: str,
        *,
        path: str | Path | None = None,
        line: int | None = None,
        column: int | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line
        self.column = column
        self.hint = hint

    def __str__(self) -> str:
        where = ""
        if self.path:
            where = self.path
            if self.line is not None:
                where += f":{self.line}"
                if self.column is not None:
                    where += f":{self.column}"
            where += ": "
        text = f"{where}{self.message}"
        if self.hint:
            text += f" ({self.hint})"
        return text


class CorpusError(LocatedError):
    """Root of errors raised by corpora/: documents, text files, segmentation, the database."""
