"""Match analysis: segments and words of a job counted in match bands, as a CAT tool's
"analyse" report gives them before a job starts.

Each segment falls in the first row that applies:

- ``context``: an exact match with the same msgctxt or the same neighbours (101 %);
- ``100%``: an exact match;
- ``repetition``: the same source text (and plural) as an earlier segment of the job, in
  any of its files; the first occurrence is counted in its own band (CAT tools' order:
  exact matches before repetitions, repetitions before fuzzy matches);
- ``repaired``: a memory match patched for its numbers, placeholders or terms;
- the fuzzy bands, by score, with configurable lower edges (default 95, 85, 75, 50:
  ``95–99``, ``85–94``, ``75–84``, ``50–74``);
- ``no match``.

Words are counted by tm.wordcount (Chinese by characters), source text and plural.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from tm.leverage import Offer

DEFAULT_EDGES = (95, 85, 75, 50)
HEAD_ROWS = ("context", "100%", "repetition", "repaired")
NO_MATCH = "no match"


@dataclass(frozen=True)
class Bands:
    """The fuzzy bands, by their lower edges, highest first: (95, 85) makes 95–99, 85–94."""

    edges: tuple[int, ...] = DEFAULT_EDGES

    def __post_init__(self) -> None:
        if not self.edges or list(self.edges) != sorted(set(self.edges), reverse=True):
            raise ValueError("band edges must be distinct and given highest first")
        if self.edges[0] > 99 or self.edges[-1] < 1:
            raise ValueError("band edges must lie between 1 and 99")

    @property
    def lowest(self) -> int:
        return self.edges[-1]

    def names(self) -> list[str]:
        tops = [99, *(e - 1 for e in self.edges[:-1])]
        return [
            f"{low}–{top}" if low != top else f"{low}"
            for low, top in zip(self.edges, tops, strict=True)
        ]

    def rows(self) -> list[str]:
        return [*HEAD_ROWS, *self.names(), NO_MATCH]

    def fuzzy_row(self, score: float) -> str:
        for edge, name in zip(self.edges, self.names(), strict=True):
            if score >= edge:
                return name
        return NO_MATCH

    def row(self, offer: Offer, repeated: bool) -> str:
        """The row of a segment given its offer and whether its source came earlier."""
        if offer.kind == "context":
            return "context"
        if offer.kind == "exact":
            return "100%"
        if repeated:
            return "repetition"
        if offer.kind == "repaired":
            return "repaired"
        return self.fuzzy_row(offer.score) if offer.kind == "fuzzy" else NO_MATCH


def parse_edges(text: str) -> Bands:
    """Bands from "95,85,75,50"."""
    try:
        edges = tuple(int(part) for part in text.split(","))
    except ValueError:
        raise ValueError(f"band edges must be whole numbers, as in 95,85,75,50: {text!r}") from None
    return Bands(edges)


@dataclass
class Tally:
    """Segments and words per row, for one file or the whole job."""

    rows: Sequence[str]
    segments: dict[str, int] = field(default_factory=dict)
    words: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for row in self.rows:
            self.segments.setdefault(row, 0)
            self.words.setdefault(row, 0)

    def add(self, row: str, words: int) -> None:
        self.segments[row] += 1
        self.words[row] += words

    def merge(self, other: Tally) -> None:
        for row in self.rows:
            self.segments[row] += other.segments[row]
            self.words[row] += other.words[row]

    @property
    def total_segments(self) -> int:
        return sum(self.segments.values())

    @property
    def total_words(self) -> int:
        return sum(self.words.values())
