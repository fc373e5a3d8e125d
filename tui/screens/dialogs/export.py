"""The export dialog: TMX, PO or TBX, which documents, which languages."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import (
    Button,
    Input,
    Label,
    RadioButton,
    RadioSet,
    Select,
    SelectionList,
    Static,
)

from padan.jobs import ExportRequest
from tm.store import DocumentInfo
from tui.screens.dialogs.base import ConfirmScreen, FormDialog

ANY = "*"  # TMX: any variant may be the source
NONE = "-"  # no target language: a TMX of every language, a revision PO


class ExportScreen(FormDialog):
    """TMX, PO or TBX: language pair, documents and file."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "export", "Export"),
    ]
    OK_BUTTON = "export"

    def __init__(
        self,
        kind: str,
        documents: Sequence[DocumentInfo],
        languages: Sequence[str],
        folder: Path,
        current: str | None = None,
        previous: ExportRequest | None = None,
        problem: str = "",
        *,
        pair: tuple[str, str] | None = None,
    ) -> None:
        """``previous``: the request to offer again (after an error, said in ``problem``);
        ``pair``: the current document's languages when it is bilingual, which its PO
        export offers (rather than its revisions) and its TMX export (a bilingual memory
        of the pair, as `padan export FILE.tmx --from L --to L` writes)."""
        super().__init__()
        self.pair = pair
        self.previous = previous
        self.problem = problem
        self.kind = kind
        self.documents = list(documents)
        self.languages = list(dict.fromkeys([*languages, *(pair or ()), "zh", "id", "en"]))
        self.folder = folder
        self.current = current
        self._path_edited = False
        self._setting = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Export", classes="dialog-title")
            with RadioSet(id="export-kind"):
                for kind, label in (
                    ("tmx", "TMX memory"),
                    ("po", "PO catalogue"),
                    ("tbx", "TBX term base"),
                ):
                    yield RadioButton(label, value=kind == self.kind, id=f"kind-{kind}")
            sources, targets = self._languages_for(self.kind)
            with Horizontal(classes="export-langs", id="export-langs"):
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
        if self.previous is not None:
            self._restore(self.previous)
        self.query_one("#export-path", Input).focus()

    def _restore(self, request: ExportRequest) -> None:
        """The values of the request that failed, to correct rather than type again."""
        src, tgt = self.query_one("#export-from", Select), self.query_one("#export-to", Select)
        with src.prevent(Select.Changed), tgt.prevent(Select.Changed):
            src.value = request.source_lang or (ANY if self.kind == "tmx" else src.value)
            tgt.value = request.target_lang or NONE
        docs = self.query_one("#export-docs", SelectionList)
        docs.deselect_all()
        for name in request.documents:
            docs.select(name)
        self._setting = True
        self._path_edited = True
        self.query_one("#export-path", Input).value = request.path
        self._note()

    def _languages_for(self, kind: str) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
        langs = [(lang, lang) for lang in self.languages]
        if kind == "tmx":
            return [("any", ANY), *langs], [("— (every language)", NONE), *langs]
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
        if self.kind in ("po", "tmx") and self.pair:
            src.value, tgt.value = self.pair
        tgt.disabled = self.kind == "tbx"
        tbx = self.kind == "tbx"  # the whole term base: no documents, no language pair
        for part in ("#export-langs", "#export-docs", "#export-docs-label"):
            self.query_one(part).display = not tbx
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
        if self.kind == "tmx" and tgt not in (NONE, src):
            variants = "every variant" if src == ANY else f"its {src} and {tgt} variants alone"
            note = (
                f"Units of the chosen documents translated into {tgt}, each with "
                f"{variants} and their provenance (x-origin)."
            )
        elif self.kind == "tmx":
            note = "Every variant of the chosen documents, with its provenance (x-origin)."
        elif self.kind == "tbx":
            note = "The whole term base as TBX v3 (TBX-Basic); forbidden terms as notes."
        elif tgt == NONE or tgt == src:
            note = (
                f"Revisions of the chosen documents' {src} text: msgid = as imported, "
                "msgstr = now, msgctxt = document:position (other languages left out)."
            )
        else:
            note = f"Units of the chosen documents with both {src} and {tgt} text."
        if self.problem:  # what went wrong the last time, until the dialog closes
            note = f"Not exported: {self.problem}\n{note}"
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

    def _done(self) -> None:
        self.action_export()

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
        request = ExportRequest(
            self.kind,
            str(Path(path).expanduser()),
            None if src in (ANY, Select.BLANK) else str(src),
            None if tgt in (NONE, Select.BLANK) or tgt == src else str(tgt),
            docs,
        )
        folder = Path(request.path).parent
        if folder.is_dir():
            self.dismiss(request)
            return

        def answer(yes: bool | None) -> None:
            if not yes:
                return
            try:
                folder.mkdir(parents=True)
            except OSError as exc:
                self.notify(f"Cannot create {folder}: {exc.strerror or exc}", severity="error")
                return
            self.dismiss(request)

        self.app.push_screen(
            ConfirmScreen(
                "No such folder",
                f"{folder} does not exist. Create it and export there?",
                yes="Create it (y)",
                no="No (n)",
            ),
            answer,
        )
