"""The segment editor: the reference text above, the editable text below, both marked.

Recognised terms are coloured by status (usable ones in one style, deprecated and
forbidden ones in another) and findings are underlined, in the editable text too: the
marks are recomputed from the text at every keystroke, so they follow the typing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.document._document import Document
from textual.geometry import Size
from textual.message import Message
from textual.reactive import Reactive
from textual.widget import Widget
from textual.widgets import TextArea
from textual.widgets.text_area import Selection, TextAreaTheme

# (start, end, kind) in characters; kinds are the keys of MARK_STYLES.
Mark = tuple[int, int, str]

MARK_STYLES: dict[str, Style] = {
    "term": Style(color="#5fd7af", bold=True),
    "term-bad": Style(color="#ff5f5f", bold=True, italic=True),
    "finding": Style(underline=True, color="#ffaf5f"),
    "finding-current": Style(underline=True, bold=True, bgcolor="#5f3f00"),
}

_THEME = TextAreaTheme("padan", syntax_styles=dict(MARK_STYLES))


def marked_text(text: str, marks: Sequence[Mark], base: Style | str = "") -> Text:
    """``text`` as rich Text with the marks applied (for read-only views)."""
    out = Text(text, style=base)
    for start, end, kind in marks:
        out.stylize(MARK_STYLES[kind], start, end)
    return out


class MarkedArea(TextArea):
    """A TextArea whose highlights come from :attr:`marker` (text -> marks) instead of a
    syntax tree; Enter confirms the segment instead of inserting a line break."""

    # Home and End go to the start and end of the text's line, not of the line as wrapped
    # on screen (TextArea's own): a segment is mostly one line, and a translator who
    # presses End means to type after its last word. Ctrl+Home/End: the whole text's.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "leave", "Back"),
        Binding("home", "text_line_start", show=False),
        Binding("end", "text_line_end", show=False),
        Binding("shift+home", "text_line_start(True)", show=False),
        Binding("shift+end", "text_line_end(True)", show=False),
        Binding("ctrl+home", "text_start", show=False),
        Binding("ctrl+end", "text_end", show=False),
        Binding("ctrl+shift+home", "text_start(True)", show=False),
        Binding("ctrl+shift+end", "text_end(True)", show=False),
    ]

    # The editor's box has a fixed height: a new text (hence a new scrollable size) needs no
    # new layout of the whole screen, which would cost tens of milliseconds per segment.
    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)

    class Confirmed(Message):
        """Enter: save and go to the next segment."""

    class Left(Message):
        """Escape: back to the segment table."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", soft_wrap=True, id=id, compact=True, highlight_cursor_line=False)
        self.marker: Callable[[str], Sequence[Mark]] = lambda text: ()
        self.register_theme(_THEME)
        self.theme = "padan"

    def _build_highlight_map(self) -> None:
        self._line_cache.clear()
        highlights = self._highlights
        highlights.clear()
        try:
            marks = self.marker(self.text)
        except Exception:  # a marker must never break typing
            marks = ()
        if not marks:
            return
        lines = self.text.split("\n")
        starts = [0]
        for line in lines[:-1]:
            starts.append(starts[-1] + len(line) + 1)
        for start, end, kind in marks:
            for row, line_start in enumerate(starts):
                line = lines[row]
                line_end = line_start + len(line)
                if end <= line_start or start > line_end:
                    continue
                a = max(start, line_start) - line_start
                b = min(end, line_end) - line_start
                # highlights are in UTF-8 byte offsets of the line
                byte_a = len(line[:a].encode("utf-8"))
                byte_b = len(line[:b].encode("utf-8"))
                highlights[row].append((byte_a, byte_b, kind))

    def remark(self) -> None:
        """Recompute the marks (after the marker's data changed)."""
        self._build_highlight_map()
        self.refresh()

    def select_span(self, start: int, end: int) -> None:
        doc = self._text_document()
        self.selection = Selection(
            doc.get_location_from_index(start), doc.get_location_from_index(end)
        )

    def selected_span(self) -> tuple[int, int] | None:
        start, end = sorted(self.selection)
        if start == end:
            return None
        doc = self._text_document()
        return doc.get_index_from_location(start), doc.get_index_from_location(end)

    def _text_document(self) -> Document:
        """The area's document, which holds plain text (offsets and places convert)."""
        doc = self.document
        assert isinstance(doc, Document)
        return doc

    async def _on_key(self, event: events.Key) -> None:
        if event.key == "enter" and not self.read_only:
            event.stop()
            event.prevent_default()
            self.post_message(self.Confirmed())
            return
        await super()._on_key(event)

    def action_text_line_start(self, select: bool = False) -> None:
        self.move_cursor((self.cursor_location[0], 0), select=select)

    def action_text_line_end(self, select: bool = False) -> None:
        row = self.cursor_location[0]
        self.move_cursor((row, len(self.document.get_line(row))), select=select)

    def action_text_start(self, select: bool = False) -> None:
        self.move_cursor((0, 0), select=select)

    def action_text_end(self, select: bool = False) -> None:
        self.move_cursor(self.document.end, select=select)

    def action_leave(self) -> None:
        self.post_message(self.Left())


class Line(Widget):
    """Text of a fixed height that changes without a new layout of the screen (a Static
    asks for one at every update, which costs tens of milliseconds on a full screen)."""

    DEFAULT_CSS = "Line { height: 1; }"

    def __init__(
        self, content: str | Text = "", *, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(id=id, classes=classes)
        self._content: str | Text = content

    def render(self) -> str | Text:
        return self._content

    def set(self, content: str | Text) -> None:
        if content != self._content:
            self._content = content
            self.refresh()


class SegmentEditor(Vertical):
    """Title, reference text (as imported, or the source) and the editable text."""

    DEFAULT_CSS = """
    SegmentEditor { height: auto; }
    SegmentEditor > #editor-title { height: 1; color: $text-muted; }
    SegmentEditor > #editor-reference { height: 2; color: $text-muted; }
    SegmentEditor > MarkedArea { height: 5; }
    """

    def compose(self) -> ComposeResult:
        yield Line(id="editor-title")
        yield Line(id="editor-reference")
        yield MarkedArea(id="editor-text")

    @property
    def area(self) -> MarkedArea:
        return self.query_one(MarkedArea)

    def set_title(self, title: str | Text) -> None:
        self.query_one("#editor-title", Line).set(title)

    def show(self, title: str | Text, reference: Text, text: str, read_only: bool) -> None:
        self.query_one("#editor-title", Line).set(title)
        self.query_one("#editor-reference", Line).set(reference)
        area = self.area
        area.read_only = read_only
        if area.text != text:
            area.load_text(text)
        else:
            area.remark()
