"""Documents and their segments: plain frozen dataclasses."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Segment:
    """One sentence (or heading, or line) of a document, in document order."""

    text: str
    position: int  # 0-based index of the segment in its document
    paragraph: int  # 0-based index of the paragraph it belongs to
    boilerplate: bool = False  # ads, "Source link", bios...: kept, but not term evidence


@dataclass(frozen=True)
class Document:
    name: str
    lang: str  # normal form, see corpora.langtags
    segments: tuple[Segment, ...]
    title: str = ""
    origin: str = ""  # where the text came from (file path, bundled corpus id, URL)
    notes: str = ""

    def content(self) -> tuple[Segment, ...]:
        """The segments that are not boilerplate."""
        return tuple(s for s in self.segments if not s.boilerplate)
