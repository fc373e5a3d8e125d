"""Modal dialogs: confirmations, the bulk-fix preview, marking a garbled rendering, a
conflict on save, export, and the term-base forms. Each returns a typed result."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import (
    Button,
    Input,
    Label,
    OptionList,
    RadioButton,
    RadioSet,
    Select,
    SelectionList,
    Static,
)
from textual.widgets.option_list import Option

from padan.jobs import ExportRequest
from padan.review import diff_lines
from termbase.model import Concept, Status, Term
from tm.store import DocumentInfo, StoredVariant


class Dialog(ModalScreen):  # type: ignore[type-arg]
    """A centred box; Escape cancels (dismisses with the screen's cancel value)."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]
    CANCEL: object = None

    def action_cancel(self) -> None:
        self.dismiss(self.CANCEL)


class FormDialog(Dialog):
    """A form: Enter in a field or the ``OK_BUTTON`` submits it (:meth:`_done` checks and
    dismisses), any other button cancels."""

    OK_BUTTON = "ok"

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self._done()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        if event.button.id == self.OK_BUTTON:
            self._done()
        else:
            self.dismiss(None)

    def _done(self) -> None:
        raise NotImplementedError


class ConfirmScreen(Dialog):
    """Yes or no."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,n", "cancel", "No"),
        Binding("y", "yes", "Yes"),
    ]
    CANCEL = False

    def __init__(self, title: str, message: str, yes: str = "Yes", no: str = "No") -> None:
        super().__init__()
        self.title_text, self.message, self.yes, self.no = title, message, yes, no

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.title_text, classes="dialog-title")
            yield Static(self.message, markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button(self.yes, variant="primary", id="yes", compact=True)
                yield Button(self.no, id="no", compact=True)

    def on_mount(self) -> None:
        self.query_one("#yes", Button).focus()

    def action_yes(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")


def _elide(piece: str, first: bool, last: bool, context: int) -> str:
    """An unchanged run, cut down to ``context`` characters on each side of a change."""
    if context <= 0 or len(piece) <= 2 * context + 1:
        return piece
    if first and last:
        return piece[:context] + "…" + piece[-context:]
    if first:
        return "…" + piece[-context:]
    if last:
        return piece[:context] + "…"
    return piece[:context] + "…" + piece[-context:]


def diff_text(old: str, new: str, context: int = 0) -> tuple[Text, Text]:
    """The old and the new text, with what is taken out and put in marked;
    with ``context``, long unchanged runs are cut to that many characters around changes."""
    minus, plus = Text(overflow="fold"), Text(overflow="fold")
    runs = diff_lines(old, new)
    for i, (kind, piece) in enumerate(runs):
        piece = piece.replace("\n", "⏎")
        if kind == "=":
            piece = _elide(piece, i == 0, i == len(runs) - 1, context)
            minus.append(piece)
            plus.append(piece)
        elif kind == "-":
            minus.append(piece, "bold white on dark_red")
        else:
            plus.append(piece, "bold black on green")
    return minus, plus


def diff_table(changes: Sequence[tuple[StoredVariant, str]], context: int = 24) -> Table:
    """One diff per segment: its place, then ``-`` the text now and ``+`` the text after."""
    table = Table(box=None, show_header=False, pad_edge=False, expand=True, padding=(0, 1, 0, 0))
    table.add_column("sign", width=1, no_wrap=True)
    table.add_column("text", ratio=1, overflow="fold")
    for variant, new in changes:
        table.add_row("", Text(f"{variant.document}#{variant.position} ({variant.lang})",
                               style="bold"))
        minus, plus = diff_text(variant.current, new, context=context)
        table.add_row(Text("-", style="red"), minus)
        table.add_row(Text("+", style="green"), plus)
    return table


class BulkFixScreen(Dialog):
    """Every change a bulk fix would make, one diff per segment; Enter applies them all."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,n", "cancel", "Cancel"),
        Binding("y", "apply", "Apply"),
    ]
    CANCEL = False
    SHOWN = 500  # diffs drawn; the count always covers every change

    def __init__(self, title: str, changes: Sequence[tuple[StoredVariant, str]]) -> None:
        super().__init__()
        self.heading = title
        self.changes = list(changes)

    def compose(self) -> ComposeResult:
        docs = sorted({v.document for v, _ in self.changes})
        count = len(self.changes)
        with Vertical(classes="dialog wide"):
            yield Label(self.heading, classes="dialog-title")
            yield Static(
                f"{count} segment(s) in {len(docs)} document(s) ({', '.join(docs)}) will change."
                " One bulk fix: Ctrl+Z takes all of it back.",
                id="bulk-count",
                markup=False,
            )
            with VerticalScroll(id="bulk-diffs"):
                yield Static(diff_table(self.changes[: self.SHOWN]), markup=False)
                if count > self.SHOWN:
                    yield Static(f"… and {count - self.SHOWN} more", classes="dim")
            with Horizontal(classes="dialog-buttons"):
                yield Button(f"Apply to {count} segment(s) (y)", variant="primary", id="apply",
                             compact=True)
                yield Button("Cancel (Esc)", id="cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#apply", Button).focus()
        self._fit()

    def on_resize(self) -> None:
        self._fit()

    def _fit(self) -> None:
        """Room for the diffs: the screen less the dialog's other lines."""
        self.query_one("#bulk-diffs").styles.max_height = max(3, self.app.size.height - 11)

    def action_apply(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "apply")


class ConflictScreen(Dialog):
    """Someone saved the segment first: reload theirs, or keep (overwrite with) ours."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel"),
        Binding("r", "choose('reload')", "Reload"),
        Binding("k", "choose('overwrite')", "Keep mine"),
    ]
    CANCEL = "cancel"

    def __init__(self, message: str, theirs: StoredVariant, mine: str) -> None:
        super().__init__()
        self.message, self.variant, self.mine = message, theirs, mine

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("The segment changed under you", classes="dialog-title")
            yield Static(self.message, markup=False)
            yield Static("theirs (-) and yours (+):", classes="dim")
            yield Static(diff_table([(self.variant, self.mine)], context=40), markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button("Reload theirs", variant="primary", id="reload", compact=True)
                yield Button("Keep mine", variant="warning", id="overwrite", compact=True)
                yield Button("Cancel", id="cancel", compact=True)

    def action_choose(self, choice: str) -> None:
        self.dismiss(choice)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id or "cancel")


@dataclass(frozen=True)
class MarkRequest:
    concept: str | None  # key of an existing concept; None: the replacement's concept
    replacement: str


def _concept_line(concept: Concept) -> Text:
    line = Text(no_wrap=True, overflow="ellipsis")
    line.append(f"{concept.id} ", "bold")
    line.append(" | ".join(f"{t.lang}: {t.text}" for t in concept.terms[:4]))
    return line


class MarkGarbledScreen(FormDialog):
    """Which concept the selected text should have been, and its replacement."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel"),
        Binding("down", "move(1)", "Next", show=False),
        Binding("up", "move(-1)", "Previous", show=False),
    ]
    OK_BUTTON = "mark"

    def __init__(self, text: str, lang: str, where: str, concepts: Sequence[Concept]) -> None:
        super().__init__()
        self.text, self.lang, self.where = text, lang, where
        self.concepts = list(concepts)
        self._replacement_edited = False
        self._setting = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Mark as garbled", classes="dialog-title")
            message = Text()
            message.append(f"“{self.text}”", "bold red")
            message.append(
                f" ({self.lang}, {self.where}) becomes a forbidden term of the concept you "
                "choose, with its replacement; every occurrence is then offered as a bulk fix."
            )
            yield Static(message, markup=False)
            yield Label("What it should have been (a new term, or an existing concept)")
            yield Input(placeholder="e.g. Hugging Face", id="garbled-concept", compact=True)
            yield OptionList(id="garbled-matches", compact=True)
            yield Label(f"Replacement in {self.lang}")
            yield Input(id="garbled-replacement", compact=True)
            with Horizontal(classes="dialog-buttons"):
                yield Button("Mark", variant="primary", id="mark", compact=True)
                yield Button("Cancel", id="cancel", compact=True)

    def on_mount(self) -> None:
        self._refresh_matches("")
        self.query_one("#garbled-concept", Input).focus()

    def _matches(self, query: str) -> list[Concept]:
        q = query.strip().casefold()
        if not q:
            return self.concepts[:8]
        exact = [c for c in self.concepts if any(t.text.casefold() == q for t in c.terms)]
        partial = [
            c for c in self.concepts
            if c not in exact and any(q in t.text.casefold() for t in c.terms)
        ]
        return (exact + partial)[:8]

    def _refresh_matches(self, query: str) -> None:
        options = self.query_one("#garbled-matches", OptionList)
        options.clear_options()
        matches = self._matches(query)
        exact = bool(
            query.strip() and matches
            and any(t.text.casefold() == query.strip().casefold() for t in matches[0].terms)
        )
        for concept in matches:
            options.add_option(Option(_concept_line(concept), id=concept.id))
        if query.strip() and not exact:
            options.add_option(Option(Text.assemble(("new concept: ", "dim"), query.strip()),
                                      id="new"))
        if options.option_count:
            options.highlighted = 0
        self._follow()

    def _chosen(self) -> Concept | None:
        options = self.query_one("#garbled-matches", OptionList)
        if options.highlighted is None or not options.option_count:
            return None
        key = options.get_option_at_index(options.highlighted).id
        return next((c for c in self.concepts if c.id == key), None)

    def _follow(self) -> None:
        """Fill the replacement from the choice, unless the user typed one."""
        if self._replacement_edited:
            return
        concept = self._chosen()
        typed = self.query_one("#garbled-concept", Input).value.strip()
        value = typed
        if concept is not None:
            usable = [t for t in concept.terms_in(self.lang) if t.status.usable]
            value = usable[0].text if usable else typed or (concept.terms[0].text)
        self._setting = True
        self.query_one("#garbled-replacement", Input).value = value

    @on(Input.Changed, "#garbled-concept")
    def _concept_typed(self, event: Input.Changed) -> None:
        self._refresh_matches(event.value)

    @on(Input.Changed, "#garbled-replacement")
    def _replacement_typed(self, event: Input.Changed) -> None:
        if self._setting:
            self._setting = False
            return
        self._replacement_edited = True

    @on(OptionList.OptionHighlighted, "#garbled-matches")
    def _highlighted(self) -> None:
        self._follow()

    def action_move(self, step: int) -> None:
        options = self.query_one("#garbled-matches", OptionList)
        if options.option_count:
            current = options.highlighted or 0
            options.highlighted = max(0, min(options.option_count - 1, current + step))

    @on(OptionList.OptionSelected, "#garbled-matches")
    def _chosen_from_list(self) -> None:
        self._done()

    def _done(self) -> None:
        replacement = self.query_one("#garbled-replacement", Input).value.strip()
        concept = self._chosen()
        if not replacement and concept is None:
            self.notify("Type what the text should have been.", severity="warning")
            return
        if replacement.casefold() == self.text.casefold():
            self.notify("The replacement is the garbled text itself.", severity="warning")
            return
        self.dismiss(MarkRequest(concept.id if concept else None, replacement or None))


ANY = "*"  # TMX: any variant may be the source
NONE = "-"  # PO: no target language, i.e. a revision PO


class ExportScreen(Dialog):
    """TMX, PO or TBX: language pair, documents and file."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "export", "Export"),
    ]

    def __init__(
        self,
        kind: str,
        documents: Sequence[DocumentInfo],
        languages: Sequence[str],
        folder: Path,
        current: str | None = None,
    ) -> None:
        super().__init__()
        self.kind = kind
        self.documents = list(documents)
        self.languages = list(dict.fromkeys([*languages, "zh", "id", "en"]))
        self.folder = folder
        self.current = current
        self._path_edited = False
        self._setting = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Export", classes="dialog-title")
            with RadioSet(id="export-kind"):
                for kind, label in (("tmx", "TMX memory"), ("po", "PO catalogue"),
                                    ("tbx", "TBX term base")):
                    yield RadioButton(label, value=kind == self.kind, id=f"kind-{kind}")
            sources, targets = self._languages_for(self.kind)
            with Horizontal(classes="export-langs"):
                yield Label("From ")
                yield Select(sources, id="export-from", allow_blank=False, compact=True)
                yield Label("  To ")
                yield Select(targets, id="export-to", allow_blank=False, compact=True)
            yield Label("Documents (space toggles)", id="export-docs-label")
            yield SelectionList[str](
                *[
                    (f"{d.name} {d.lang} · {d.segments} segments · {d.title[:40]}", d.name, True)
                    for d in self.documents
                ],
                id="export-docs",
                compact=True,
            )
            yield Label("File")
            yield Input(id="export-path", compact=True)
            yield Static("", id="export-note", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button("Export", variant="primary", id="export", compact=True)
                yield Button("Cancel", id="cancel", compact=True)

    def on_mount(self) -> None:
        self._kind_changed()
        self.query_one("#export-path", Input).focus()

    def _languages_for(self, kind: str) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
        langs = [(lang, lang) for lang in self.languages]
        if kind == "tmx":
            return [("any", ANY), *langs], [("—", NONE)]
        if kind == "po":
            return langs, [("— (revisions)", NONE), *langs]
        return langs, [("—", NONE)]

    def _kind_changed(self) -> None:
        sources, targets = self._languages_for(self.kind)
        src, tgt = self.query_one("#export-from", Select), self.query_one("#export-to", Select)
        src.set_options(sources)
        tgt.set_options(targets)
        if self.kind == "tmx":
            src.value = ANY
        elif self.kind == "tbx":
            src.value = "en"
        elif self.current:
            doc = next((d for d in self.documents if d.name == self.current), None)
            if doc is not None:
                src.value = doc.lang
        tgt.value = NONE
        tgt.disabled = self.kind != "po"
        self.query_one("#export-docs", SelectionList).disabled = self.kind == "tbx"
        self._default_path()
        self._note()

    def _default_path(self) -> None:
        if self._path_edited:
            path = Path(self.query_one("#export-path", Input).value)
            value = str(path.with_suffix("." + self.kind))
        else:
            value = str(self.folder / f"padan-export.{self.kind}")
        self._setting = True
        self.query_one("#export-path", Input).value = value

    def _note(self) -> None:
        src = self.query_one("#export-from", Select).value
        tgt = self.query_one("#export-to", Select).value
        if self.kind == "tmx":
            note = "Every variant of the chosen documents, with its provenance (x-origin)."
        elif self.kind == "tbx":
            note = "The whole term base as TBX v3 (TBX-Basic); forbidden terms as notes."
        elif tgt == NONE or tgt == src:
            note = (f"Revisions of the chosen documents' {src} text: msgid = as imported, "
                    "msgstr = now, msgctxt = document:position (other languages left out).")
        else:
            note = f"Units of the chosen documents with both {src} and {tgt} text."
        self.query_one("#export-note", Static).update(note)

    @on(RadioSet.Changed, "#export-kind")
    def _radio(self, event: RadioSet.Changed) -> None:
        self.kind = (event.pressed.id or "kind-tmx").removeprefix("kind-")
        self._kind_changed()

    @on(Select.Changed)
    def _select(self) -> None:
        self._note()

    @on(Input.Changed, "#export-path")
    def _path(self) -> None:
        if self._setting:
            self._setting = False
            return
        self._path_edited = True

    @on(Input.Submitted, "#export-path")
    def _submitted(self) -> None:
        self.action_export()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "export":
            self.action_export()
        else:
            self.dismiss(None)

    def action_export(self) -> None:
        path = self.query_one("#export-path", Input).value.strip()
        if not path:
            self.notify("Give the file to write.", severity="warning")
            return
        src = self.query_one("#export-from", Select).value
        tgt = self.query_one("#export-to", Select).value
        docs = tuple(self.query_one("#export-docs", SelectionList).selected)
        if self.kind != "tbx" and not docs:
            self.notify("Choose at least one document.", severity="warning")
            return
        self.dismiss(
            ExportRequest(
                self.kind,
                str(Path(path).expanduser()),
                None if src in (ANY, Select.BLANK) else str(src),
                None if tgt in (NONE, Select.BLANK) or tgt == src else str(tgt),
                docs,
            )
        )


class TermScreen(FormDialog):
    """Add a term: text, language, status and replacement."""

    def __init__(self, title: str, languages: Sequence[str], lang: str | None = None,
                 text: str = "") -> None:
        super().__init__()
        self.heading = title
        self.languages = list(dict.fromkeys([*languages, "zh", "id", "en"]))
        self.lang = lang or self.languages[0]
        self.text = text

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.heading, classes="dialog-title")
            yield Label("Term")
            yield Input(self.text, id="term-text", compact=True)
            with Horizontal(classes="export-langs"):
                yield Label("Language ")
                yield Select([(lang, lang) for lang in self.languages], value=self.lang,
                             allow_blank=False, id="term-lang", compact=True)
                yield Label("  Status ")
                yield Select([(s.value, s.value) for s in Status], value=Status.PREFERRED.value,
                             allow_blank=False, id="term-status", compact=True)
            yield Label("Replacement (deprecated and forbidden terms)")
            yield Input(id="term-replacement", compact=True)
            with Horizontal(classes="dialog-buttons"):
                yield Button("Add", variant="primary", id="ok", compact=True)
                yield Button("Cancel", id="cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#term-text", Input).focus()

    def _done(self) -> None:
        text = self.query_one("#term-text", Input).value.strip()
        if not text:
            self.notify("Type the term.", severity="warning")
            return
        replacement = self.query_one("#term-replacement", Input).value.strip() or None
        self.dismiss(
            Term(
                text,
                str(self.query_one("#term-lang", Select).value),
                Status(str(self.query_one("#term-status", Select).value)),
                replacement,
            )
        )


class StatusScreen(FormDialog):
    """A term's new status, and its replacement."""

    def __init__(self, term: Term) -> None:
        super().__init__()
        self.term = term

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(f"Status of “{self.term.text}” ({self.term.lang})",
                        classes="dialog-title")
            yield Select([(s.value, s.value) for s in Status], value=self.term.status.value,
                         allow_blank=False, id="status-value", compact=True)
            yield Label("Replacement (deprecated and forbidden terms)")
            yield Input(self.term.replacement or "", id="status-replacement", compact=True)
            with Horizontal(classes="dialog-buttons"):
                yield Button("Change", variant="primary", id="ok", compact=True)
                yield Button("Cancel", id="cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#status-value", Select).focus()

    def _done(self) -> None:
        status = Status(str(self.query_one("#status-value", Select).value))
        replacement = self.query_one("#status-replacement", Input).value.strip() or None
        self.dismiss((status, replacement))
