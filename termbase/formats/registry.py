"""The registry of term-base formats: which reader or writer a file needs, chosen by its
extension, else by its first bytes (as tm/files.py does for memory formats).

Each format module registers one :class:`TermFormat` when it is imported (the package's
``__init__`` imports them all); a new format is a module that does the same, and
``tests/test_term_formats.py`` then round-trips it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from termbase.errors import TermbaseError
from termbase.model import Concept

# (path, source language or None, target language or None) -> the file's concepts
Reader = Callable[[str | Path, str | None, str | None], list[Concept]]
# (concepts, path, source language, target language or None) -> how many were written
Writer = Callable[[Sequence[Concept], str | Path, str, str | None], int]


@dataclass(frozen=True)
class TermFormat:
    name: str
    extensions: tuple[str, ...]
    read: Reader
    write: Writer
    sniff: Callable[[bytes], bool]  # the file's first bytes look like this format


FORMATS: list[TermFormat] = []
SNIFF_BYTES = 1024  # as far as a root element lies behind an XML prolog and comments


def register(fmt: TermFormat) -> None:
    FORMATS.append(fmt)


def format_of(path: str | Path) -> TermFormat:
    """The format of ``path``: by its extension; a file whose extension no format claims
    (``.xml``, none) by its first bytes."""
    suffix = Path(path).suffix.lower()
    for fmt in FORMATS:
        if suffix in fmt.extensions:
            return fmt
    try:
        with open(path, "rb") as f:
            head = f.read(SNIFF_BYTES)
    except OSError:
        head = b""  # a file that cannot be read is not known by its content
    for fmt in FORMATS:
        if head and fmt.sniff(head):
            return fmt
    known = ", ".join(ext for fmt in FORMATS for ext in fmt.extensions)
    raise TermbaseError(
        f"unknown term base format {suffix or '(no extension)'!r}",
        path=path,
        hint=f"use one of {known}",
    )


def export_target(name: str, path: str | Path, target_lang: str | None) -> str:
    """The target language a bilingual export needs."""
    if not target_lang:
        raise TermbaseError(
            f"{name} export needs a target language", path=path, hint="give --to LANG"
        )
    return target_lang


def first_line(head: bytes) -> str:
    """The first line of a file's first bytes that is not blank nor a ``#`` comment."""
    text = head.removeprefix(b"\xef\xbb\xbf").decode("utf-8", "replace")
    return next((ln for ln in text.splitlines() if ln.strip() and ln[0] != "#"), "")
