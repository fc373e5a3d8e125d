"""A PO file's text, decoded in the charset its header declares, in blocks of bounded size.

The file is read twice, a block at a time: first to refuse what cannot be decoded or
holds a reserved character (so that these faults are reported whatever syntax error lies
before them, as when the file was decoded whole), then to hand the parser its text. Both
passes hold one block (about :data:`BLOCK` bytes) and the entry it cuts through, never
the file.

A block ends just before a line that starts ``msgctxt``, ``msgid`` or a comment other
than ``#~``: the parser reads the text before such a line exactly as it would read it
followed by the rest of the file (see ``_ENTRY`` in :mod:`tm.formats.po_parse`, whose
look-ahead takes the end of a block for such a line).
"""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from pathlib import Path

from corpora.errors import CorpusError
from corpora.inputgate import Admitted, admit, po_gate
from tm.errors import TMError
from tm.model import PLACEHOLDERS

BLOCK = 1 << 20


def located(exc: CorpusError) -> TMError:
    return TMError(exc.message, path=exc.path, line=exc.line, column=exc.column, hint=exc.hint)


def _admitted(path: Path, max_bytes: int) -> Admitted:
    try:
        return admit(path, po_gate(max_bytes))
    except CorpusError as exc:
        raise located(exc) from exc


class _Place:
    """Line and column of the next character, counted over the text decoded so far."""

    def __init__(self) -> None:
        self.lines = 0  # newlines before
        self.column = 0  # characters since the last newline

    def of(self, text: str, index: int) -> tuple[int, int]:
        """The line and 1-based column of ``text[index]``, ``text`` following what was counted."""
        before = text[:index]
        newlines = before.count("\n")
        if newlines:
            return self.lines + newlines + 1, len(before) - before.rfind("\n")
        return self.lines + 1, self.column + index + 1

    def add(self, text: str) -> None:
        newlines = text.count("\n")
        self.lines += newlines
        self.column = len(text) - text.rfind("\n") - 1 if newlines else self.column + len(text)


def _decoded(admitted: Admitted) -> Iterator[str]:
    """The file's text, block by block as read (cut anywhere), checked as it goes."""
    charset = admitted.charset or "utf-8"  # an unknown one is an error, not a fallback
    decoder = codecs.getincrementaldecoder(charset)()
    utf8 = codecs.lookup(charset).name == "utf-8"
    last = b""  # the last bytes read before this block, where a character may have begun
    place = _Place()
    try:
        with admitted.path.open("rb") as f:
            while True:
                data = f.read(BLOCK)
                try:
                    text = decoder.decode(data, final=not data)
                except UnicodeDecodeError as exc:
                    raw = exc.object if isinstance(exc.object, bytes) else data
                    before = raw[: exc.start].decode(charset, "replace")
                    line, column = place.of(before, len(before))
                    raise TMError(
                        f"bytes that are not {exc.encoding} (the declared charset): {exc.reason}",
                        path=admitted.path,
                        line=line,
                        column=column,
                        hint="fix the Content-Type charset header or re-encode the file",
                    ) from exc
                reserved = None
                if not utf8 or _may_reserve(last + data[:3]) or _may_reserve(data):
                    reserved = PLACEHOLDERS.search(text)
                last = (last + data[-3:])[-3:]
                if reserved:
                    line, column = place.of(text, reserved.start())
                    raise TMError(
                        "text holds a reserved character (U+FDD0..U+FDEF)",
                        path=admitted.path,
                        line=line,
                        column=column,
                    )
                place.add(text)
                if text:
                    yield text
                if not data:
                    return
    except OSError as exc:
        raise TMError(f"cannot read: {exc.strerror or exc}", path=admitted.path) from exc


def _may_reserve(data: bytes) -> bool:
    """Whether UTF-8 bytes may encode a reserved character: U+FDD0..U+FDEF is EF B7 90..AF,
    U+100000..U+10FFFD starts with F4. Searched as bytes, many times faster than the
    decoded text by regex; the regex then says where, if anywhere."""
    return b"\xef\xb7" in data or b"\xf4" in data


def po_blocks(path: Path, max_bytes: int) -> Iterator[str]:
    """The text of the PO file at ``path`` (without a byte-order mark) in blocks that end
    where an entry or its comments start; raises TMError for a file that cannot be read,
    decoded or holds a reserved character now, rather than when the blocks are read."""
    admitted = _admitted(path, max_bytes)
    for _ in _decoded(admitted):  # the first pass: faults of the text, not of its syntax
        pass
    return _blocks(admitted)


def _blocks(admitted: Admitted) -> Iterator[str]:
    carry = ""
    first = True
    for text in _decoded(admitted):
        if first:
            text, first = text.removeprefix("\ufeff"), False
        start = len(carry)
        carry += text
        cut = _cut(carry, start)
        if cut:
            yield carry[:cut]
            carry = carry[cut:]
    if carry:
        yield carry


def _cut(text: str, start: int) -> int:
    """The last place in ``text`` (at ``start`` or after) where a block may end: the start of
    a line that starts ``msgctxt``, ``msgid`` or a comment other than ``#~``; 0 if none
    (one entry, or its comments, longer than a block: read on)."""
    end = len(text)
    while (newline := text.rfind("\n", max(start - 1, 0), end)) >= 0:
        line = newline + 1
        if text.startswith(("msgctxt", "msgid"), line) or (
            text.startswith("#", line) and text[line + 1 : line + 2] not in ("~", "")
        ):
            return line
        end = newline
    return 0
