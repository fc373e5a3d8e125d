"""Chinese text rewritten by a "伪原创" synonym spinner, and the words it replaced.

A spinner swaps words for look-alikes by plain string replacement (模型→模子,
技术→手艺, 在→正在, 作→做), often several times over (使用→利用, 利用→操纵) and across
word boundaries (项目的→项目标). Undoing it needs two kinds of knowledge, kept as data
in ``termbase/data/spin-zh.tsv``:

- spun forms that are not words of ordinary Chinese (可以或许, 工做, 平易近, 不雅): they are
  the spinner's signatures, give the document its spin score, and are restored anywhere;
- spun forms that are also ordinary words (目标, 部分, 合作, 利用, 发生): restoring these in a
  clean text would damage it, so they are restored only in a document whose score says
  it was spun. There the spinner has, by construction, replaced every real occurrence
  too (a real 合作 became 合做), so what remains is its output; a few need context,
  written into the pattern as lookarounds.

Every pattern goes into one regular expression, longest first, and the text is read
once, so a chain is undone one step (操纵→利用, not on to 使用).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from termbase.checks.finding import Finding, Severity
from termbase.checks.registry import Rule, register, register_language_check

SPUN_THRESHOLD = 1.0  # signatures per 1,000 Han characters above which a text is spun
_HAN_RUN = re.compile(r"[\u3400-\u9fff]+")
_LOOKAROUND = re.compile(r"\(\?<?[=!][^)]*\)")


@dataclass(frozen=True)
class Entry:
    pattern: str
    original: str
    scope: str  # always | spun | ask
    note: str


@dataclass(frozen=True)
class Lexicon:
    """The entries, and for each first character the alternatives starting with it.

    Trying 250 alternatives at every position is slow even for a regex engine, so the
    text is scanned for the characters a spun form can start with, and only the forms
    starting there are tried; longest first, the scan goes on after a match.
    """

    entries: tuple[Entry, ...]
    starts: re.Pattern[str]
    by_first: dict[str, tuple[re.Pattern[str], tuple[Entry, ...]]]

    def matches(self, text: str) -> Iterator[tuple[re.Match[str], Entry]]:
        pos = 0
        while start := self.starts.search(text, pos):
            i = start.start()
            regex, entries = self.by_first[text[i]]
            m = regex.match(text, i)
            if m:
                yield m, entries[m.lastindex - 1]  # type: ignore[operator]
                pos = m.end()
            else:
                pos = i + 1


def _literal_length(pattern: str) -> int:
    return len(_LOOKAROUND.sub("", pattern))


def parse_lexicon(text: str, source: str = "spin lexicon") -> Lexicon:
    entries = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) < 3 or fields[2] not in ("always", "spun", "ask"):
            raise ValueError(f"{source}:{number}: expected pattern, original, scope, note")
        pattern = fields[0]
        if re.compile(pattern).groups:
            raise ValueError(f"{source}:{number}: use (?:...) groups only in {pattern!r}")
        entries.append(Entry(pattern, fields[1], fields[2], fields[3] if len(fields) > 3 else ""))
    entries.sort(key=lambda e: -_literal_length(e.pattern))
    groups: dict[str, list[Entry]] = {}
    for e in entries:
        groups.setdefault(_LOOKAROUND.sub("", e.pattern)[0], []).append(e)
    by_first = {
        first: (re.compile("|".join(f"({e.pattern})" for e in group)), tuple(group))
        for first, group in groups.items()
    }
    starts = re.compile(f"[{re.escape(''.join(sorted(groups)))}]")
    return Lexicon(tuple(entries), starts, by_first)


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    data = resources.files("termbase") / "data" / "spin-zh.tsv"
    return parse_lexicon(data.read_text(encoding="utf-8"), "termbase/data/spin-zh.tsv")


def spin_score(text: str, lex: Lexicon | None = None) -> float:
    """Spinner signatures per 1,000 Han characters: 0 for clean text, high when spun."""
    lex = lex or lexicon()
    han = _han_count(text)
    if not han:
        return 0.0
    signatures = sum(1 for _, e in lex.matches(text) if e.scope == "always")
    return 1000.0 * signatures / han


def check(text: str, *, spun: bool | None = None, lex: Lexicon | None = None) -> list[Finding]:
    """Spun words in ``text`` with the original as suggestion.

    ``spun`` says whether the document the text belongs to is spun (see :func:`spin_score`,
    computed on the whole document, not one line); by default the text itself decides.
    """
    if spun is None:
        return check_document([text], lex)[0]
    return _findings(list((lex or lexicon()).matches(text)), spun)


def check_document(texts: Sequence[str], lex: Lexicon | None = None) -> list[list[Finding]]:
    """The findings of each text of one document, whose spin score (over all its texts)
    decides whether the spun forms that are also ordinary words are restored."""
    lex = lex or lexicon()
    found = [list(lex.matches(text)) for text in texts]
    han = sum(map(_han_count, texts))
    signatures = sum(1 for matches in found for _, e in matches if e.scope == "always")
    spun = bool(han) and 1000.0 * signatures / han >= SPUN_THRESHOLD
    return [_findings(matches, spun) for matches in found]


def _han_count(text: str) -> int:
    return sum(map(len, _HAN_RUN.findall(text)))


def _findings(matches: list[tuple[re.Match[str], Entry]], spun: bool) -> list[Finding]:
    out = []
    for m, entry in matches:
        if entry.scope != "always" and not spun:
            continue
        out.append(
            Finding(
                "zh-spin",
                Severity.ERROR if entry.scope == "always" else Severity.WARNING,
                m.start(),
                m.end(),
                f"“{m.group()}” looks spun from “{entry.original}” ({entry.note})",
                (entry.original,),
                sure=entry.scope != "ask",
            )
        )
    return out


def check_documents(docs: Sequence[Sequence[str]]) -> list[list[list[Finding]]]:
    """The findings of each text of a language's documents, each document scored alone."""
    return [check_document(texts) for texts in docs]


register(Rule("zh-spin", "a word replaced by a Chinese synonym spinner", "zh", frozenset({"zh"})))
register_language_check("spin", {"zh"}, check_documents)
