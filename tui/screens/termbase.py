"""The term base screen: concepts (of the current segment, or searched), their terms in
every language with statuses, adding terms and changing statuses, and the alignment
proposals with their evidence, to accept or reject."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, OptionList, Static, TabbedContent, TabPane
from textual.widgets.option_list import Option

from termbase.model import Concept, Status, Term
from termbase.store import StoredProposal
from tui.screens.dialogs.base import ConfirmScreen
from tui.screens.dialogs.terms import StatusScreen, TermScreen
from tui.screens.session import Session
from tui.widgets.panels import STATUS_STYLE, concept_text


def _concept_option(concept: Concept) -> Option:
    line = Text(no_wrap=True, overflow="ellipsis")
    line.append(f"{concept.id:<6}", "bold")
    for i, term in enumerate(concept.terms[:4]):
        if i:
            line.append(" | ", "dim")
        line.append(f"{term.lang}: ", "dim")
        line.append(term.text, STATUS_STYLE.get(term.status, ""))
    return Option(line, id=concept.id)


def _proposal_option(stored: StoredProposal) -> Option:
    p = stored.proposal
    line = Text(no_wrap=True, overflow="ellipsis")
    line.append(f"{stored.id:>4} ", "dim")
    line.append(f"{p.score:.2f} ", "bold")
    line.append(f"{p.source_lang}: ", "dim")
    line.append(p.source)
    line.append(" ↔ ", "dim")
    line.append(f"{p.target_lang}: ", "dim")
    line.append(p.target)
    line.append(f"  {p.method}", "dim italic")
    return Option(line, id=str(stored.id))


class TermBaseScreen(Screen[None]):
    AUTO_FOCUS = "#tb-concepts"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", tooltip="Back to the segments"),
        Binding(
            "f9",
            "switch",
            "Switch",
            key_display="F9",
            tooltip="Switch between the concepts and the alignment proposals",
        ),
        Binding("slash", "search", "Search", tooltip="Search concepts by a term in any language"),
        Binding("a", "add_term", "Add", tooltip="Add a term to the concept (or a new one)"),
        Binding("s", "status", "Status", tooltip="Change the status of the highlighted term"),
        Binding("y", "decide(True)", "Accept", tooltip="Accept the highlighted proposal"),
        Binding(
            "x",
            "decide(False)",
            "Reject",
            tooltip="Reject the highlighted proposal (asks first; Ctrl+Z takes it back)",
        ),
        Binding(
            "ctrl+z",
            "undo_reject",
            "Undo reject",
            show=False,
            tooltip="Take back the last rejection",
            priority=True,
        ),
        Binding("f1", "app.help", "Help", show=False),
        *(
            Binding(k, f"elsewhere('{k}')", show=False)
            for k in (
                "f2",
                "f3",
                "f4",
                "shift+f4",
                "f5",
                "f6",
                "f7",
                "f8",
                "shift+f8",
                "f10",
                "ctrl+y",
            )
        ),
    ]

    def __init__(
        self,
        session: Session,
        concepts: Sequence[Concept],
        changed: Callable[[], None],
        initial: str = "tab-concepts",
    ) -> None:
        super().__init__()
        self.session = session
        self.segment_concepts = list(concepts)
        self.changed = changed
        self.initial = initial
        self.shown: list[Concept] = []
        self.proposals: list[StoredProposal] = []
        self.rejected: list[StoredProposal] = []  # written when the screen closes
        self.dirty = False

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False, icon="≋")
        with TabbedContent(id="tb-tabs", initial=self.initial):
            with TabPane("Concepts", id="tab-concepts"), Horizontal():
                with Vertical(id="tb-left"):
                    yield Input(
                        placeholder="Search concepts: a term in any language ( / )",
                        id="tb-search",
                        compact=True,
                    )
                    yield Static("", id="tb-list-title", markup=False)
                    yield OptionList(id="tb-concepts", compact=True)
                with Vertical(id="tb-right"):
                    with VerticalScroll(id="tb-detail-scroll"):
                        yield Static("", id="tb-detail", markup=False)
                    yield Static("Terms (s: change status, a: add a term)", classes="dim")
                    yield OptionList(id="tb-terms", compact=True)
            with TabPane("Proposals", id="tab-proposals"), Horizontal():
                with Vertical(id="tb-left-proposals"):
                    yield Static("", id="tb-proposals-title", markup=False)
                    yield OptionList(id="tb-proposals", compact=True)
                with VerticalScroll(id="tb-evidence-scroll"):
                    yield Static("", id="tb-evidence", markup=False)
        yield Footer(compact=True)

    def on_resize(self) -> None:
        self.query_one(Footer).show_command_palette = self.size.width >= 100

    def on_mount(self) -> None:
        self.sub_title = "Term base"
        if self.segment_concepts:
            self._list(self.segment_concepts, "Concepts of the current segment")
        else:
            self._list(self.session.ws.concepts(), "Every concept")
        self._load_proposals()
        if self.initial == "tab-proposals":
            self.call_after_refresh(self.show_tab, "tab-proposals")

    def show_tab(self, tab: str) -> None:
        self.query_one(TabbedContent).active = tab
        self.query_one("#tb-proposals" if tab == "tab-proposals" else "#tb-concepts").focus()

    @on(TabbedContent.TabActivated, "#tb-tabs")
    def _tab_activated(self, event: TabbedContent.TabActivated) -> None:
        lists = {"tab-proposals": "#tb-proposals", "tab-concepts": "#tb-concepts"}
        target = self.query_one(lists.get(event.pane.id or "", "#tb-concepts"))
        if (
            self.focused is None
            or target not in self.focused.ancestors_with_self
            and (event.pane not in self.focused.ancestors)
        ):
            target.focus()

    # -- concepts ---------------------------------------------------------------------------

    def _list(self, concepts: Sequence[Concept], title: str, keep: str | None = None) -> None:
        self.shown = list(concepts)
        self.query_one("#tb-list-title", Static).update(
            Text(f"{title}: {len(self.shown)}", style="bold")
        )
        options = self.query_one("#tb-concepts", OptionList)
        options.clear_options()
        options.add_options([_concept_option(c) for c in self.shown])
        if self.shown:
            index = next((i for i, c in enumerate(self.shown) if c.id == keep), 0)
            options.highlighted = index
        self._detail()

    def _concept(self) -> Concept | None:
        options = self.query_one("#tb-concepts", OptionList)
        if options.highlighted is None or not self.shown:
            return None
        return self.shown[options.highlighted]

    def _detail(self) -> None:
        concept = self._concept()
        detail = self.query_one("#tb-detail", Static)
        terms = self.query_one("#tb-terms", OptionList)
        terms.clear_options()
        if concept is None:
            detail.update(Text("No concept. a: add a term as a new concept.", style="dim"))
            return
        detail.update(concept_text(concept))
        for i, term in enumerate(concept.terms):
            line = Text(no_wrap=True)
            line.append(f"{term.lang:<3} ", "dim")
            line.append(term.text)
            line.append(f"  {term.status.value}", STATUS_STYLE.get(term.status, ""))
            if term.replacement:
                line.append(f" → {term.replacement}", "green")
            terms.add_option(Option(line, id=str(i)))
        if concept.terms:
            terms.highlighted = 0

    @on(OptionList.OptionHighlighted, "#tb-concepts")
    def _concept_highlighted(self) -> None:
        self._detail()

    @on(Input.Changed, "#tb-search")
    def _search_changed(self, event: Input.Changed) -> None:
        query = event.value.strip().casefold()
        if not query:
            if self.segment_concepts:
                self._list(self.segment_concepts, "Concepts of the current segment")
            else:
                self._list(self.session.ws.concepts(), "Every concept")
            return
        found = [
            c
            for c in self.session.ws.concepts()
            if (c.id or "").casefold() == query or any(query in t.text.casefold() for t in c.terms)
        ]
        self._list(found, f"Concepts matching “{event.value.strip()}”")

    @on(Input.Submitted, "#tb-search")
    def _search_done(self) -> None:
        self.query_one("#tb-concepts", OptionList).focus()

    def action_search(self) -> None:
        self.show_tab("tab-concepts")
        self.query_one("#tb-search", Input).focus()

    def _reload(self, keep: str | None) -> None:
        self.dirty = True
        title = str(self.query_one("#tb-list-title", Static).render()).split(":")[0]
        ids = [c.id for c in self.shown]
        if keep and keep not in ids:
            ids.append(keep)
        fresh = [c for c in (self.session.ws.concept(i) for i in ids if i) if c is not None]
        self._list(fresh, title or "Concepts", keep)

    def action_add_term(self) -> None:
        concept = self._concept()
        langs = self.session.ws.languages()
        title = f"Add a term to {concept.id}" if concept else "Add a term (a new concept)"

        def answer(term: Term | None) -> None:
            if term is None:
                return
            try:
                if concept is not None:
                    result = self.session.ws.add_term(concept.id or "", term)
                else:
                    result = self.session.ws.add_concept(Concept(terms=(term,)))
            except Exception as exc:
                self.notify(f"Not added: {exc}", severity="error")
                return
            self.notify(f"Added “{term.text}” ({term.lang}, {term.status.value}) to {result.id}.")
            self._reload(result.id)

        self.app.push_screen(TermScreen(title, langs, latin=_latin_lang(concept, langs)), answer)

    def action_status(self) -> None:
        concept = self._concept()
        terms = self.query_one("#tb-terms", OptionList)
        if concept is None or terms.highlighted is None or not concept.terms:
            self.notify("Choose a concept and one of its terms first.")
            return
        term = concept.terms[terms.highlighted]

        def answer(result: tuple[Status, str | None] | None) -> None:
            if result is None:
                return
            status, replacement = result
            try:
                self.session.ws.set_status(
                    concept.id or "", term.lang, term.text, status, replacement
                )
            except Exception as exc:
                self.notify(f"Not changed: {exc}", severity="error")
                return
            self.notify(f"“{term.text}” is now {status.value}.")
            self._reload(concept.id)

        self.app.push_screen(StatusScreen(term), answer)

    # -- proposals --------------------------------------------------------------------------

    def _load_proposals(self, keep_index: int = 0) -> None:
        staged = {p.id for p in self.rejected}
        self.proposals = [p for p in self.session.ws.proposals("pending") if p.id not in staged]
        self.query_one("#tb-proposals-title", Static).update(
            Text(f"Pending proposals: {len(self.proposals)} (y: accept, x: reject)", style="bold")
        )
        options = self.query_one("#tb-proposals", OptionList)
        options.clear_options()
        options.add_options([_proposal_option(p) for p in self.proposals])
        if self.proposals:
            options.highlighted = min(keep_index, len(self.proposals) - 1)
        self._evidence()

    def _proposal(self) -> StoredProposal | None:
        options = self.query_one("#tb-proposals", OptionList)
        if options.highlighted is None or not self.proposals:
            return None
        return self.proposals[options.highlighted]

    def _evidence(self) -> None:
        stored = self._proposal()
        body = Text()
        if stored is None:
            body.append("No pending proposal.", "dim")
        else:
            p = stored.proposal
            body.append(f"{p.source} ({p.source_lang}) ↔ {p.target} ({p.target_lang})\n", "bold")
            body.append(f"score {p.score:.2f} · {p.count} supporting · {p.method}\n\n", "dim")
            for line in p.evidence:
                body.append("• ")
                _kwic(body, line)
                body.append("\n")
        self.query_one("#tb-evidence", Static).update(body)

    @on(OptionList.OptionHighlighted, "#tb-proposals")
    def _proposal_highlighted(self) -> None:
        self._evidence()

    def action_decide(self, accept: bool) -> None:
        if self.query_one(TabbedContent).active != "tab-proposals":
            self.show_tab("tab-proposals")
            return
        stored = self._proposal()
        if stored is None:
            self.notify("No proposal chosen.")
            return
        p = stored.proposal
        if not accept:

            def answer(yes: bool | None) -> None:
                if yes:
                    self._reject(stored)

            self.app.push_screen(
                ConfirmScreen(
                    "Reject this proposal?",
                    f"{p.source} ({p.source_lang}) ≠ {p.target} ({p.target_lang}). Ctrl+Z takes "
                    "it back while the term base is open.",
                    yes="Reject (y)",
                    no="Keep (n)",
                ),
                answer,
            )
            return
        try:
            concept = self.session.ws.decide(stored.id, True)
        except Exception as exc:
            self.notify(f"Not decided: {exc}", severity="error")
            return
        self.notify(f"Accepted: {p.source} = {p.target} ({concept.id if concept else ''}).")
        self.dirty = True
        self._load_proposals(self._index())
        if concept is not None:
            self._reload(concept.id)

    def _index(self) -> int:
        return self.query_one("#tb-proposals", OptionList).highlighted or 0

    def _reject(self, stored: StoredProposal) -> None:
        self.rejected.append(stored)
        p = stored.proposal
        self.notify(f"Rejected: {p.source} ≠ {p.target}. Ctrl+Z takes it back.")
        self._load_proposals(self._index())

    def action_undo_reject(self) -> None:
        if not self.rejected:
            self.notify(
                "Nothing to take back here (text changes are undone on the main "
                "screen: Esc, then Ctrl+Z)."
            )
            return
        stored = self.rejected.pop()
        self.notify(f"Rejection taken back: {stored.proposal.source} ↔ {stored.proposal.target}.")
        self.show_tab("tab-proposals")
        self._load_proposals()
        ids = [p.id for p in self.proposals]
        if stored.id in ids:
            self.query_one("#tb-proposals", OptionList).highlighted = ids.index(stored.id)

    def action_switch(self) -> None:
        tabs = self.query_one(TabbedContent)
        self.show_tab("tab-proposals" if tabs.active == "tab-concepts" else "tab-concepts")

    def action_elsewhere(self, key: str) -> None:
        self.notify(
            f"{key.upper()} works on the segments: Esc goes back. Here: y accept, "
            "x reject, a add a term, s status, / search, F9 concepts/proposals.",
            timeout=6,
        )

    def _write_rejections(self) -> None:
        for stored in self.rejected:
            try:
                self.session.ws.decide(stored.id, False)
            except Exception as exc:
                self.notify(f"Not rejected: {exc}", severity="error")
        self.rejected.clear()

    def action_back(self) -> None:
        self.app.pop_screen()

    def on_unmount(self) -> None:
        self._write_rejections()
        if self.dirty:
            self.changed()


def _latin_lang(concept: Concept | None, langs: Sequence[str]) -> str | None:
    """The language a term not in Chinese script most likely is: one the concept has no
    term in yet, else the workspace's first other than Chinese."""
    latin = [lang for lang in (*langs, "id", "en") if lang != "zh"]
    if concept is not None:
        have = {t.lang for t in concept.terms}
        missing = [lang for lang in latin if lang not in have]
        if missing:
            return missing[0]
    return latin[0] if latin else None


def _kwic(out: Text, line: str) -> None:
    """An evidence line with its bracketed keyword marked."""
    start, end = line.find("["), line.find("]")
    if 0 <= start < end:
        out.append(line[:start])
        out.append(line[start + 1 : end], "bold reverse")
        out.append(line[end + 1 :])
    else:
        out.append(line)
