"""Side panels (findings, terms, memory), the document list and the job bar."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.geometry import Size
from textual.message import Message
from textual.reactive import Reactive
from textual.widgets import Input, Label, OptionList, ProgressBar, Static
from textual.widgets.option_list import Option

from corpora.wording import counted
from padan.review import DocumentProgress, SegmentFinding, in_context
from termbase.checks.finding import Severity
from termbase.model import Concept, Status
from tm.fuzzy import Match
from tm.leverage import Offer
from tm.store import DocumentInfo, StoredVariant
from tui.widgets.editor import MARK_STYLES, Line

SEVERITY_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}
STATUS_STYLE = {
    Status.PREFERRED: "green",
    Status.ADMITTED: "green",
    Status.DEPRECATED: "yellow",
    Status.FORBIDDEN: "bold red",
}


class DocumentList(OptionList):
    """The workspace's documents with their segment and finding counts."""

    _shown: (
        tuple[Sequence[DocumentInfo], dict[str, int], bool, str | None, dict[str, DocumentProgress]]
        | None
    ) = None

    def on_resize(self) -> None:
        if self._shown:
            self.show(*self._shown)

    def show(
        self,
        documents: Sequence[DocumentInfo],
        counts: dict[str, int],
        checked: bool,
        current: str | None,
        progress: dict[str, DocumentProgress] | None = None,
    ) -> None:
        """Each document: name, language, segments, findings left; then how many segments
        are edited (✎) and confirmed (✓), and its title."""
        progress = progress or {}
        self._shown = (documents, counts, checked, current, progress)
        width = self.scrollable_content_region.width or 40
        highlighted = current
        if self.highlighted is not None and self.option_count:
            highlighted = self.get_option_at_index(self.highlighted).id or current
        self.clear_options()
        for doc in documents:
            line = Text(no_wrap=True, overflow="ellipsis")
            line.append(f"{doc.name} ", "bold")
            line.append(f"{doc.lang} ", "dim")
            line.append(f"{doc.segments:>5}")
            n = counts.get(doc.name, 0)
            if not checked:
                line.append("   …", "dim")
            elif n:
                line.append(f" ⚑{n}", "bold red")
            else:
                line.append(" ✓", "green")
            state = Text(no_wrap=True, overflow="ellipsis")
            done = progress.get(doc.name)
            if done is not None and (done.edited or done.confirmed):
                state.append(f"✎{done.edited} ✓{done.confirmed}/{done.segments} ", "yellow")
            title = Text.assemble(state, ((doc.title or doc.origin).replace("\n", " "), "dim"))
            title.truncate(width, overflow="ellipsis")  # one line each: the list wraps
            line.truncate(width, overflow="ellipsis")
            self.add_option(Option(Text.assemble(line, "\n", title), id=doc.name))
        if highlighted is not None:
            try:
                self.highlighted = self.get_option_index(highlighted)
            except Exception:
                pass


class FindingsList(OptionList):
    """An option list in a box of fixed size: new options need no new screen layout."""

    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)


class FindingsPanel(Vertical):
    """The findings of the current segment: message and suggestions, Enter applies one."""

    DEFAULT_CSS = """
    FindingsPanel { height: 1fr; }
    FindingsPanel > #findings-summary { height: 1; color: $text-muted; padding: 0 1; }
    FindingsPanel > OptionList { height: 1fr; border: none; padding: 0; }
    """

    class Chosen(Message):
        """A suggestion was chosen (Enter or click): apply it."""

        def __init__(self, sf: SegmentFinding, choice: int) -> None:
            super().__init__()
            self.sf, self.choice = sf, choice

    class Pointed(Message):
        """The highlighted finding changed."""

        def __init__(self, sf: SegmentFinding) -> None:
            super().__init__()
            self.sf = sf

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._items: list[tuple[SegmentFinding, int]] = []

    def compose(self) -> ComposeResult:
        yield Line(id="findings-summary")
        yield FindingsList(id="findings-list", compact=True)

    def show(
        self, findings: Sequence[SegmentFinding], current: SegmentFinding | None, summary: str
    ) -> None:
        self.query_one("#findings-summary", Line).set(summary)
        if not findings and not self._items:  # still none (most rows): no repaint per key
            return
        options = self.query_one(OptionList)
        options.clear_options()
        self._items = []
        for n, sf in enumerate(findings, 1):
            f = sf.finding
            head = Text(no_wrap=False)
            head.append(f"{n}. ", "dim")
            head.append(f.rule, SEVERITY_STYLE.get(f.severity, ""))
            head.append(f" · {f.severity.label}" + (" · sure" if f.sure else ""), "dim")
            head.append("\n")
            head.append(f.message)
            choices = list(range(len(f.suggestions))) or [-1]
            for j in choices:
                prompt = Text.assemble(head, "\n") if j <= 0 else Text()
                if j >= 0:
                    # the words around it, as written and as fixed: "sia -sia → sia-sia"
                    before, after = in_context(sf, j)
                    prompt.append(f"  {before.strip()} → ".replace("\n", " "), "dim")
                    prompt.append(
                        after.strip().replace("\n", " ") or "(delete)", MARK_STYLES["term"]
                    )
                else:
                    prompt.append("  (no suggestion: edit the text)", "dim italic")
                options.add_option(Option(prompt, id=f"{len(self._items)}"))
                self._items.append((sf, j))
        if current is not None:
            for i, (sf, _) in enumerate(self._items):
                if sf == current:
                    options.highlighted = i
                    break
        elif self._items:
            options.highlighted = 0

    def chosen(self) -> tuple[SegmentFinding, int] | None:
        options = self.query_one(OptionList)
        if options.highlighted is None or not self._items:
            return None
        return self._items[options.highlighted]

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        # only the user's moves: setting the highlight in show() posts this message later
        if event.option_list.has_focus and event.option_index < len(self._items):
            self.post_message(self.Pointed(self._items[event.option_index][0]))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        sf, choice = self._items[event.option_index]
        if choice >= 0:
            self.post_message(self.Chosen(sf, choice))


def concept_text(concept: Concept, highlight: str | None = None) -> Text:
    """A concept with its terms in every language and their statuses."""
    out = Text()
    out.append(concept.id or "(new)", "bold")
    if concept.subject:
        out.append(f"  {concept.subject}", "dim")
    out.append("\n")
    if concept.definition:
        out.append(f"  {concept.definition}\n", "italic dim")
    order = {s: i for i, s in enumerate(Status)}
    for term in sorted(concept.terms, key=lambda t: (t.lang, order[t.status], t.text)):
        style = STATUS_STYLE.get(term.status, "")
        out.append(f"  {term.lang:<3}", "dim")
        text_style = "reverse" if highlight and term.text.casefold() == highlight else ""
        out.append(term.text, text_style)
        out.append(f"  {term.status.value}", style)
        if term.replacement:
            out.append(f" → {term.replacement}", "green")
        out.append("\n")
    return out


class TermsPanel(VerticalScroll):
    """The concepts recognised in the current segment."""

    DEFAULT_CSS = """
    TermsPanel { height: 1fr; padding: 0 1; }
    """

    def compose(self) -> ComposeResult:
        yield Static("", id="terms-body", markup=False)

    def show(self, concepts: Sequence[Concept], empty_base: bool) -> None:
        if concepts:
            body = Text("\n").join(concept_text(c) for c in concepts)
        elif empty_base:
            body = Text(
                "The term base is empty.\nF9: review the alignment proposals, or select a "
                "garbled rendering and press F2.",
                style="dim",
            )
        else:
            body = Text("No term of the term base in this segment.\nF9: term base.", style="dim")
        self.query_one("#terms-body", Static).update(body)


def marked_spans(text: str, spans: Sequence[tuple[int, int]], style: str) -> Text:
    out = Text(text.replace("\n", " "))
    for start, end in spans:
        out.stylize(style, start, max(end, start + 1) if start < len(text) else end)
    return out


def describe_offer(offer: Offer) -> str:
    """An offer in a few words: ``100% exact``, ``92% repaired``, ``no match``."""
    if offer.kind == "none":
        return "no match"
    return f"{offer.score:.0f}% {'in context' if offer.kind == 'context' else offer.kind}"


def offer_origin(offer: Offer) -> str:
    """Where the offer comes from, numbered as the segment table numbers its rows (from 0;
    the memory's entries count units from 1)."""
    if offer.entry is None:
        return ""
    document, _, number = offer.entry.origin.rpartition("#")
    return f"{document}#{int(number) - 1}" if number.isdigit() else offer.entry.origin


class MemoryPanel(VerticalScroll):
    """The best match of the current segment (as `padan pretranslate` would fill it), its
    fuzzy matches, and concordance search."""

    DEFAULT_CSS = """
    MemoryPanel { height: 1fr; padding: 0 1; }
    MemoryPanel > Input { margin: 1 0 0 0; }
    MemoryPanel > .memory-title { color: $text-muted; text-style: bold; }
    """

    matches: list[tuple[StoredVariant, Match, StoredVariant | None]] = []
    _best: Text | None = None  # the best match to paint once the panel shows

    def compose(self) -> ComposeResult:
        yield Static("", id="memory-best", markup=False)
        yield Label("Fuzzy matches", classes="memory-title")
        yield Static("", id="memory-matches", markup=False)
        yield Input(placeholder="Concordance: a word or term (F3)", id="concordance", compact=True)
        yield Static("", id="memory-hits", markup=False)

    def show_best(self, offer: Offer | None, bilingual: bool = True) -> None:
        """The best (repaired) match Ctrl+E inserts; nothing for a monolingual document."""
        best = self.query_one("#memory-best", Static)
        if best.display != bilingual:
            best.display = bilingual
        if not bilingual:
            return
        body = Text()
        body.append("Best match: ", "bold")
        if offer is None:
            body.append("looking up…", "dim")
        elif not offer.targets:
            body.append("none of 50 % or more", "dim")
        else:
            body.append(describe_offer(offer), "bold")
            if offer.entry is not None:
                body.append(f" · {offer_origin(offer)}", "dim")
            body.append(" (Ctrl+E)\n", "dim")
            body.append(offer.targets[0].replace("\n", " "), "green")
            if offer.repair is not None and offer.repair.patches:
                body.append("\n  patched: ", "dim")
                body.append(", ".join(str(p) for p in offer.repair.patches), "yellow")
            for note in offer.notes:
                body.append(f"\n  {note}", "dim")
        # A Static's new text lays the whole screen out again (tens of milliseconds, at
        # every step of the cursor): behind another tab, it waits until the panel shows.
        if best.is_on_screen:
            self._best = None
            best.update(body)
        else:
            self._best = body

    def on_show(self) -> None:
        if self._best is not None:
            self.query_one("#memory-best", Static).update(self._best)
            self._best = None

    def show_matches(
        self, rows: Sequence[tuple[StoredVariant, Match, StoredVariant | None]] | None
    ) -> None:
        self.matches = list(rows or ())
        body = Text()
        if rows is None:
            body.append("searching…", "dim")
        elif not rows:
            body.append("No match of 50 % or more.", "dim")
        for variant, match, other in rows or ():
            body.append(f"{match.score:3.0f}% ", "bold")
            body.append(f"{variant.document}#{variant.position}", "dim")
            if match.flags:
                body.append(f" ({', '.join(match.flags)})", "yellow")
            body.append("\n")
            spans = [(a, b) for a, b, _ in match.spans]
            body.append_text(marked_spans(match.text, spans, "reverse yellow"))
            body.append("\n")
            if other is not None:
                body.append(f"  {other.lang}: ", "dim")
                body.append(other.current.replace("\n", " "), "green")
                body.append("\n")
        self.query_one("#memory-matches", Static).update(body)

    def show_hits(
        self,
        word: str,
        rows: Sequence[tuple[StoredVariant, Sequence[tuple[int, int]]]],
        limit: int = 50,
    ) -> None:
        body = Text()
        if not rows:
            body.append(f"“{word}”: not found.", "dim")
        else:
            body.append(f"“{word}”: {counted(len(rows), 'segment')}\n", "bold")
        for variant, spans in itertools.islice(rows, limit):
            body.append(f"{variant.document}#{variant.position} {variant.lang} ", "dim")
            body.append_text(marked_spans(variant.current, spans, "reverse green"))
            body.append("\n")
        if len(rows) > limit:
            body.append(f"… and {len(rows) - limit} more", "dim")
        self.query_one("#memory-hits", Static).update(body)


class JobBar(Horizontal):
    """What runs in the background, with its progress."""

    DEFAULT_CSS = """
    JobBar { height: 1; display: none; background: $panel; padding: 0 1; }
    JobBar.-busy { display: block; }
    JobBar > Label { width: auto; max-width: 50%; margin-right: 2; }
    JobBar > ProgressBar { width: 1fr; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._jobs: dict[int, str] = {}
        self._ids = itertools.count(1)

    def compose(self) -> ComposeResult:
        yield Label("", id="job-label")
        yield ProgressBar(show_eta=False, id="job-progress")

    def start(self, label: str, quiet: bool = False) -> int:
        token = next(self._ids)
        if not quiet:
            self._jobs[token] = label
            self._show(token, None, None)
        return token

    def update(self, token: int, step: str, done: int, total: int) -> None:
        if token in self._jobs and token == max(self._jobs):
            self._show(token, step, (done, total))

    def finish(self, token: int) -> None:
        self._jobs.pop(token, None)
        if self._jobs:
            self._show(max(self._jobs), None, None)
        else:
            self.remove_class("-busy")

    @property
    def busy(self) -> bool:
        return bool(self._jobs)

    def _show(self, token: int, step: str | None, progress: tuple[int, int] | None) -> None:
        self.add_class("-busy")
        label = self._jobs[token] + (f": {step}" if step else "")
        self.query_one("#job-label", Label).update(label)
        bar = self.query_one(ProgressBar)
        if progress and progress[1]:
            bar.update(total=progress[1], progress=progress[0])
        else:
            bar.update(total=None)
