"""The segment table: a virtual list that draws only the rows on screen.

A document may have 100,000 segments; the table keeps a plain list of rows and asks a
``describe`` callback for the cells of the few rows it paints, so moving the cursor costs
the same whatever the document's size (and only the rows painted ask for their memory
match). The first line is the column header.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip


@dataclass(frozen=True)
class Cells:
    """What one row shows."""

    position: str
    edited: bool
    findings: int
    left: str
    right: str
    confirmed: bool = False
    match: str = ""  # the memory's best match score (bilingual documents)


MATCH_WIDTH = 4  # "100", " 92R" (repaired), "  —" (none)


class SegmentTable(ScrollView, can_focus=True):
    """Rows of segments with a cursor; posts :class:`Highlighted` when the cursor moves."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "cursor(-1)", "Up", show=False),
        Binding("down,j", "cursor(1)", "Down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("home", "first", "First", show=False),
        Binding("end", "last", "Last", show=False),
        Binding("enter", "screen.edit", "Edit", key_display="↵"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "segment-table--header",
        "segment-table--cursor",
        "segment-table--position",
        "segment-table--edited",
        "segment-table--finding",
        "segment-table--original",
        "segment-table--match",
    }

    DEFAULT_CSS = """
    SegmentTable { overflow-x: hidden; }
    SegmentTable > .segment-table--header { text-style: bold; color: $text-muted; }
    SegmentTable > .segment-table--cursor { background: $surface-lighten-2; }
    SegmentTable:focus > .segment-table--cursor { background: $accent 45%; }
    SegmentTable > .segment-table--position { color: $text-muted; }
    SegmentTable > .segment-table--edited { color: $warning; }
    SegmentTable > .segment-table--finding { color: $error; text-style: bold; }
    SegmentTable > .segment-table--original { color: $text-muted; }
    SegmentTable > .segment-table--match { color: $accent; }
    """

    class Highlighted(Message):
        def __init__(self, table: SegmentTable, index: int) -> None:
            super().__init__()
            self.table = table
            self.index = index

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.rows: Sequence[Any] = ()
        self.cursor = 0
        self.headers = ("#", "", "As imported", "Current")
        self.match_header = ""  # the memory match column's title; "": no such column
        self.empty_text = "No segments."
        self._describe: Callable[[Any], Cells] = lambda row: Cells("", False, 0, "", "")
        self._styles: dict[str, Style] | None = None
        self.complete = True  # False: the rows are a long document's first ones, for now
        self.to_last = False  # End was pressed before the last row was there

    # -- data ---------------------------------------------------------------------------

    def set_rows(
        self,
        rows: Sequence[Any],
        describe: Callable[[Any], Cells],
        headers: tuple[str, str, str, str] | None = None,
        cursor: int = 0,
        match_header: str = "",
    ) -> None:
        self.rows = rows
        self._describe = describe
        if headers:
            self.headers = headers
        self.match_header = match_header
        self.cursor = max(0, min(cursor, len(rows) - 1))
        self.virtual_size = Size(self.size.width, len(rows) + 1)
        self._scroll_cursor_into_view(center=True)
        self.refresh()
        self.post_message(self.Highlighted(self, self.cursor))

    def refresh_row(self, index: int) -> None:
        if 0 <= index < len(self.rows):
            self.refresh_line(index + 1)

    def rows_on_screen(self) -> range:
        """The indexes of the rows on screen."""
        top = round(self.scroll_offset.y)
        return range(top, min(len(self.rows), top + max(0, self.size.height - 1)))

    @property
    def current(self) -> Any | None:
        return self.rows[self.cursor] if 0 <= self.cursor < len(self.rows) else None

    def move_to(self, index: int, *, center: bool = False) -> None:
        self.to_last = False
        if not self.rows:
            return
        index = max(0, min(index, len(self.rows) - 1))
        old, self.cursor = self.cursor, index
        self.refresh_row(old)
        self.refresh_row(index)
        self._scroll_cursor_into_view(center=center)
        if old != index:
            self.post_message(self.Highlighted(self, index))

    def _scroll_cursor_into_view(self, center: bool = False) -> None:
        visible = max(1, self.size.height - 1)
        top = round(self.scroll_offset.y)
        if center and not (top <= self.cursor < top + visible):
            top = self.cursor - visible // 2
        elif self.cursor < top:
            top = self.cursor
        elif self.cursor >= top + visible:
            top = self.cursor - visible + 1
        top = max(0, min(top, len(self.rows) + 1 - self.size.height))
        if top != round(self.scroll_offset.y):
            self.scroll_to(y=top, animate=False)

    # -- keys and mouse -------------------------------------------------------------------

    def action_cursor(self, step: int) -> None:
        self.move_to(self.cursor + step)

    def action_page(self, step: int) -> None:
        self.move_to(self.cursor + step * max(1, self.size.height - 2))

    def action_first(self) -> None:
        self.move_to(0)

    def action_last(self) -> None:
        self.move_to(len(self.rows) - 1)
        self.to_last = not self.complete

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None or offset.y == 0:
            return
        self.move_to(round(self.scroll_offset.y) + offset.y - 1)

    def on_resize(self, event: events.Resize) -> None:
        self.virtual_size = Size(event.size.width, len(self.rows) + 1)
        self._scroll_cursor_into_view()

    # -- painting -------------------------------------------------------------------------

    def _widths(self, width: int) -> tuple[int, int, int, int, int]:
        pos = max(3, len(str(len(self.rows))) + 1)
        flags = 5
        match = MATCH_WIDTH if self.match_header else 0
        text = max(4, width - pos - flags - match - 2 - (1 if match else 0))
        left = text * 2 // 5
        return pos, flags, match, left, text - left

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles = None

    def on_focus(self) -> None:
        self._styles = None
        self.refresh()

    def on_blur(self) -> None:
        self._styles = None
        self.refresh()

    def _style(self, name: str) -> Style:
        styles = self._styles
        if styles is None:
            styles = self._styles = {
                part: self.get_component_rich_style(f"segment-table--{part}", partial=True)
                for part in (
                    "header",
                    "cursor",
                    "position",
                    "edited",
                    "finding",
                    "original",
                    "match",
                )
            }
        return styles[name]

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        if width <= 0:
            return Strip.blank(0)
        pos_w, flag_w, match_w, left_w, right_w = self._widths(width)
        base = self.rich_style
        if y == 0:
            style = base + self._style("header")
            titles = list(self.headers)
            widths = [pos_w, flag_w, left_w, right_w]
            if match_w:
                titles.insert(2, self.match_header.rjust(match_w))
                widths.insert(2, match_w)
            heads = [_fit(t, w) for t, w in zip(titles, widths, strict=True)]
            return Strip([Segment(" ".join(heads), style)]).adjust_cell_length(width, style)
        index = round(self.scroll_offset.y) + y - 1
        if index >= len(self.rows):
            if not self.rows and y == 1:
                text = _fit(" " + self.empty_text, width)
                return Strip([Segment(text, base)], width)
            return Strip.blank(width, base)
        cells = self._describe(self.rows[index])
        if index == self.cursor:
            base = base + self._style("cursor")
        flags = "✓" if cells.confirmed else "✎" if cells.edited else " "
        count = ""
        if cells.findings:
            count = f"⚑{cells.findings}" if cells.findings < 1000 else "⚑++"
        segments = [
            Segment(_fit(cells.position.rjust(pos_w - 1), pos_w), base + self._style("position")),
            Segment(flags, base + self._style("edited")),
            Segment(count, base + self._style("finding")),
            Segment(" " * (flag_w - 1 - len(count)) + " ", base),
        ]
        if match_w:
            segments += [
                Segment(_fit(cells.match.rjust(match_w), match_w), base + self._style("match")),
                Segment(" ", base),
            ]
        segments += [
            Segment(_fit(cells.left, left_w), base + self._style("original")),
            Segment(" ", base),
            Segment(_fit(cells.right, right_w), base),
        ]
        return Strip(segments).adjust_cell_length(width, base)


def _fit(text: str, width: int) -> str:
    """``text`` on one line, cut with an ellipsis or padded to exactly ``width`` cells."""
    text = text.replace("\n", " ").replace("\t", " ")
    if len(text) <= width and text.isascii():
        return text.ljust(width)
    if cell_len(text) <= width:
        return set_cell_size(text, width)
    return set_cell_size(text, width - 1) + "…"
