"""Domain objects of the term base: plain frozen dataclasses, never XML nodes or DB rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Status(StrEnum):
    """How a term may be used (TBX administrativeStatus without the "-admn-sts" suffix)."""

    PREFERRED = "preferred"
    ADMITTED = "admitted"
    DEPRECATED = "deprecated"
    FORBIDDEN = "forbidden"

    @property
    def usable(self) -> bool:
        # module-level names: looking up Status.PREFERRED on the enum class is slow, and
        # the checks ask this of every term they find
        return self is _PREFERRED or self is _ADMITTED


_PREFERRED, _ADMITTED = Status.PREFERRED, Status.ADMITTED


@dataclass(frozen=True)
class Context:
    """An example of a term in use and where it was seen."""

    text: str
    source: str = ""  # document name or file
    sentence: int | None = None  # position of the sentence/unit within the source


@dataclass(frozen=True)
class Term:
    text: str
    lang: str  # normal form, see corpora.langtags
    status: Status = Status.PREFERRED
    replacement: str | None = None  # what to write instead of a deprecated/forbidden term
    pos: str | None = None  # part of speech: noun, verb, adjective, properNoun, other...
    frequency: int = 0
    note: str | None = None
    contexts: tuple[Context, ...] = ()


@dataclass(frozen=True)
class Concept:
    """One meaning, with its terms in every language."""

    id: str | None = None  # stable key such as "c12" (TBX conceptEntry id); None before storing
    terms: tuple[Term, ...] = ()
    subject: str | None = None
    definition: str | None = None
    note: str | None = None

    def terms_in(self, lang: str) -> tuple[Term, ...]:
        return tuple(t for t in self.terms if t.lang == lang)

    def languages(self) -> list[str]:
        seen: dict[str, None] = {}
        for t in self.terms:
            seen.setdefault(t.lang, None)
        return list(seen)


@dataclass(frozen=True)
class Variant:
    """A form the text shows where its repaired reading has a term: a spun 模子 for 模型.

    Accepting a proposal makes it a deprecated term of the concept, with ``replacement``,
    so that the checks flag it wherever it appears.
    """

    text: str
    lang: str
    replacement: str
    count: int = 0  # occurrences seen
    rule: str = ""  # the check whose repair read it as the replacement (zh-spin)


@dataclass(frozen=True)
class Candidate:
    """A term candidate found by extraction."""

    text: str
    lang: str
    score: float  # termhood; higher is more term-like
    frequency: int
    documents: int  # in how many documents it occurs
    contexts: tuple[Context, ...] = ()
    variants: tuple[Variant, ...] = ()  # forms only the current text shows (deprecated)


@dataclass(frozen=True)
class Proposal:
    """A proposed equivalence between two terms, waiting for a person to confirm it."""

    source: str
    source_lang: str
    target: str
    target_lang: str
    score: float  # 0..1, comparable within one method
    count: int  # how many units/contexts support it
    method: str  # "parallel", "anchor", "dictionary", "cognate", "context"
    evidence: tuple[str, ...] = field(default=())  # KWIC lines or example units
    variants: tuple[Variant, ...] = ()  # deprecated forms of either term, see Variant
