"""A rewritten catalogue keeps the original's own lines where an entry did not change.

Padan writes PO entries its own way (strings unwrapped, references on one line), while
catalogues come wrapped by msgmerge, Poedit or Weblate, each a little differently. A
command that rewrites a file it was given (``padan fix -o``, ``padan pretranslate``)
should change only the entries it changed, so that the translator's diff, and version
control, show those alone. After such a file is written, each of its entries that parses
exactly as the original's entry at the same place (every field: strings, comments,
flags, references, domain) is put back as the original's lines, comments and blank lines
after it included. Entries are compared as parsed, never as text, so an original line
comes back only where it means the same. When the two files do not hold the same
number of entries, the new file stays as written.
"""

from __future__ import annotations

from dataclasses import replace
from itertools import accumulate
from pathlib import Path

from corpora.atomicfile import atomic_write
from tm.formats.po import MAX_BYTES
from tm.formats.po_parse import Entry, PoParser
from tm.formats.po_text import po_blocks


def keep_layout(original: str | Path, written: str | Path) -> int:
    """Rewrite ``written`` with the original's lines for its unchanged entries; returns
    how many entries kept their original lines."""
    old_text, old = _read(Path(original))
    new_text, new = _read(Path(written))
    if len(old) != len(new) or not new:
        return 0
    old_chunks, new_chunks = _chunks(old_text, old), _chunks(new_text, new)
    kept = 0
    parts: list[str] = []
    for a, b, old_chunk, new_chunk in zip(old, new, old_chunks, new_chunks, strict=True):
        same = replace(a, line=0) == replace(b, line=0)
        kept += same
        parts.append(old_chunk if same else new_chunk)
    if kept:
        if not parts[-1].endswith("\n"):  # the original's last entry had no final newline
            parts[-1] += "\n"
        with atomic_write(written) as f:
            f.write("".join(parts))
    return kept


def _read(path: Path) -> tuple[str, list[Entry]]:
    text = "".join(po_blocks(path, MAX_BYTES))
    return text, list(PoParser(path).entries([text]))


def _chunks(text: str, entries: list[Entry]) -> list[str]:
    """Each entry's lines: from its first comment line up to the next entry's (the blank
    lines and any ``domain`` line after it included); the first from the file's start."""
    lines = text.split("\n")
    offsets = [0, *accumulate(len(line) + 1 for line in lines)]
    starts = [0] + [_first_line(lines, e.line - 1) for e in entries[1:]]
    bounds = [offsets[s] for s in starts] + [len(text)]
    return [text[bounds[i] : bounds[i + 1]] for i in range(len(entries))]


def _first_line(lines: list[str], keyword: int) -> int:
    """The index of an entry's first line: its keyword line (0-based), less the comment
    lines right above it (not an obsolete entry's strings, which end the entry before)."""
    first = keyword
    while first > 0 and _comment(lines[first - 1]):
        first -= 1
    return first


def _comment(line: str) -> bool:
    if not line.startswith("#"):
        return False
    if line.startswith("#~"):
        rest = line[2:].lstrip()
        return not (rest.startswith("msg") or rest.startswith('"'))
    return True
