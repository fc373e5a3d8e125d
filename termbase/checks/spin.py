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
once. In a spun document a language model of clean Chinese (:mod:`termbase.zh_lm`) then
weighs each spun form in its sentence against its original and, where the original is
itself a spun form (使用→利用→操纵), against the original's original:

- a ``spun`` form is restored unless the model finds the text as it stands likelier by
  :data:`KEEP_MARGIN` (only a form the spinner does not itself replace can be the
  author's: 消息, not 目标, which the spinner turns into 方针), and goes a second step back
  only when no middle form is left in the document and the model finds the second step
  likelier by :data:`CHAIN_MARGIN`;
- a ``context`` form (城市 from 都会, 部分 from 部门: the spinner's output, but as often the
  author's own word) is restored only when the original is likelier by
  :data:`RESTORE_MARGIN`;
- a signature whose original is itself a spun form (可以或许 from 能够, which the spinner
  makes of 可以) goes back to whichever of the two the model finds likelier, when no middle
  form is left in the document;
- a form the spinner also rewrites is its output, unless the two are swapped (支持⇄支撑)
  and only one is left, which a spinner that swaps in turn leaves of either;
- an ``ask`` form (加快 from 加速, 起点 from 终点) is offered, and sure only when the original
  is likelier by :data:`ASK_MARGIN`.

The scores go into the finding's message, so that a reviewer sees what decided. The
margins are log10 ratios, chosen on the development half of bench/zh_heldout.py and
its TICO-19 set, never on the test half.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from termbase import zh_lm
from termbase.checks.finding import Finding, Severity, apply_all
from termbase.checks.registry import Rule, register, register_language_check

SPUN_THRESHOLD = 1.0  # signatures per 1,000 Han characters above which a text is spun
_HAN_RUN = re.compile(r"[\u3400-\u9fff]+")
_LOOKAROUND = re.compile(r"\(\?<?[=!][^)]*\)")
_SCOPES = ("always", "spun", "context", "ask")
# 0.5 scores best on dev and TICO with the models' mixture, but a whole article the
# spinner went over (003) then keeps more of its output: 0.75 between
KEEP_MARGIN = 0.75
CHAIN_MARGIN = 1.0
RESTORE_MARGIN = 0.0
ASK_MARGIN = 2.0
_ROUNDS = 2  # re-weighings in restored context; a third changes nothing on the dev set


@dataclass(frozen=True)
class Entry:
    pattern: str
    original: str
    scope: str  # always | spun | context | ask
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
    by_form: dict[str, Entry]  # the entries whose pattern is a plain string, by it
    originals: frozenset[str]  # the words the spinner replaces

    def earlier(self, original: str) -> str | None:
        """The original of ``original`` when it is itself a spun form (利用 → 使用)."""
        entry = self.by_form.get(original)
        return entry.original if entry and entry.scope != "always" else None

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
        if len(fields) < 3 or fields[2] not in _SCOPES:
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
    by_form = {e.pattern: e for e in entries if re.fullmatch(r"[\u3400-\u9fff]+", e.pattern)}
    originals = frozenset(e.original for e in entries)
    return Lexicon(tuple(entries), starts, by_first, by_form, originals)


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


def check(
    text: str,
    *,
    spun: bool | None = None,
    lex: Lexicon | None = None,
    model: zh_lm.Scorer | None = None,
) -> list[Finding]:
    """Spun words in ``text`` with the original as suggestion.

    ``spun`` says whether the document the text belongs to is spun (see :func:`spin_score`,
    computed on the whole document, not one line); by default the text itself decides.
    ``model`` is the language model that weighs the alternatives (the shipped one by
    default, read only when a document is spun).
    """
    if spun is None:
        return check_document([text], lex, model=model)[0]
    lex = lex or lexicon()
    matches = list(lex.matches(text))
    return _findings(text, matches, spun, lex, model, {m.group() for m, _ in matches})


def check_document(
    texts: Sequence[str], lex: Lexicon | None = None, *, model: zh_lm.Scorer | None = None
) -> list[list[Finding]]:
    """The findings of each text of one document, whose spin score (over all its texts)
    decides whether the spun forms that are also ordinary words are restored."""
    lex = lex or lexicon()
    found = [list(lex.matches(text)) for text in texts]
    han = _han_count("\n".join(texts))  # one scan: a line break splits no run of Han
    signatures = sum(1 for matches in found for _, e in matches if e.scope == "always")
    spun = bool(han) and 1000.0 * signatures / han >= SPUN_THRESHOLD
    present = {m.group() for matches in found for m, _ in matches}
    pairs = zip(texts, found, strict=True)
    # most texts have no spun form: nothing to weigh
    return [
        _findings(t, matches, spun, lex, model, present) if matches else [] for t, matches in pairs
    ]


def _han_count(text: str) -> int:
    return sum(map(len, _HAN_RUN.findall(text)))


def _findings(
    text: str,
    matches: list[tuple[re.Match[str], Entry]],
    spun: bool,
    lex: Lexicon,
    model: zh_lm.Scorer | None,
    present: set[str],
) -> list[Finding]:
    """``present``: the spun forms found anywhere in the document.

    A spun form's neighbours are often spun too (间接切换利用法式窗口), and the model reads
    them: each form is weighed once in the text as it stands, then again in the text with
    the other sure restorations made (直接切换_程序窗口), which decides."""
    if not spun:
        return [_finding(m, e, e.original, True, "") for m, e in matches if e.scope == "always"]
    model = model or zh_lm.model()
    weighed = [_needs_model(e, lex, present) for _, e in matches]
    found: list[Finding | None] = [
        _weigh(text, m.start(), m.end(), m, e, lex, model, present)
        if weighed[i]
        else _finding(m, e, e.original, True, "")
        for i, (m, e) in enumerate(matches)
    ]
    for _ in range(_ROUNDS):
        sure = [f for f in found if f and f.sure]
        again = [
            _weigh(*_restored(text, m, sure), m, e, lex, model, present) if weighed[i] else found[i]
            for i, (m, e) in enumerate(matches)
        ]
        if again == found:
            break
        found = again
    return [f for f in found if f]


def _needs_model(entry: Entry, lex: Lexicon, present: set[str]) -> bool:
    """Whether the model decides: for a form that is also a word, and for a signature
    whose original may itself be spun (能够, spun from 可以, and then 可以或许)."""
    return entry.scope != "always" or _earlier(entry, lex, present) is not None


def _earlier(entry: Entry, lex: Lexicon, present: set[str]) -> str | None:
    """The original's original when the form may be two steps from it.

    操纵 may be 利用 spun once or 使用 spun twice (使用→利用→操纵); a 利用 left in the
    document shows the spinner rewrote 利用 before 使用, so 操纵 went one step only."""
    if entry.original in present:
        return None
    earlier = lex.earlier(entry.original)
    return earlier if earlier and earlier != _LOOKAROUND.sub("", entry.pattern) else None


def _restored(text: str, m: re.Match[str], sure: list[Finding]) -> tuple[str, int, int]:
    """``text`` with the sure findings other than ``m``'s applied, and ``m``'s span in it."""
    before = [f for f in sure if f.end <= m.start()]
    after = [
        f._replace(start=f.start - m.end(), end=f.end - m.end()) for f in sure if f.start >= m.end()
    ]
    left, _ = apply_all(text[: m.start()], before)
    right, _ = apply_all(text[m.end() :], after)
    return left + m.group() + right, len(left), len(left) + len(m.group())


def _weigh(
    text: str,
    start: int,
    end: int,
    m: re.Match[str],
    entry: Entry,
    lex: Lexicon,
    model: zh_lm.Scorer,
    present: set[str],
) -> Finding | None:
    """The finding for a form that is also an ordinary word, as the model judges it in
    ``text``, where it stands at ``start:end``."""
    form, original = m.group(), entry.original
    earlier = _earlier(entry, lex, present)
    options = (
        [original] + ([] if entry.scope == "always" else [form]) + ([earlier] if earlier else [])
    )
    judged = zh_lm.compare(model, text, start, end, options)
    score = dict(judged.scores)
    evidence = f"; in context (log10): {judged.evidence()}"
    if entry.scope == "always":
        # not a word, so only which original is in question; with no middle form left in
        # the document the chain did run, and either word may have started it
        if earlier and score[earlier] > score[original]:
            return _finding(m, entry, earlier, True, evidence, f"{original}, then {earlier}")
        return _finding(m, entry, original, True, evidence)
    if entry.scope == "context":
        if score[original] - score[form] < RESTORE_MARGIN:
            return None
        return _finding(m, entry, original, True, evidence)
    if entry.scope == "ask":
        return _finding(m, entry, original, score[original] - score[form] >= ASK_MARGIN, evidence)
    if earlier and earlier in score and score[earlier] - score[original] >= CHAIN_MARGIN:
        return _finding(m, entry, earlier, True, evidence, f"{original}, then {earlier}")
    # the model does not overrule: a form the spinner itself replaces (a real 目标 became
    # 方针, so a 目标 left is its output), nor a pattern of several words (复杂的资本) or one
    # requiring a context (部分 before 总裁), written for that context; a form it does not
    # replace (消息) may be the author's, and there the model says
    rewritten = form in lex.originals and not _collapsed(form, original, lex, present)
    sure = rewritten or _written_for_context(entry) or score[form] - score[original] < KEEP_MARGIN
    return _finding(m, entry, original, sure, evidence)


def _collapsed(form: str, original: str, lex: Lexicon, present: set[str]) -> bool:
    """Whether the spinner turns each of two words into the other (支持⇄支撑) and, having
    done it one after the other, left only one of them: that one may then be either. A
    spinner that swaps at once leaves both, each the other's spun form."""
    entry = lex.by_form.get(original)
    return entry is not None and entry.original == form and original not in present


def _written_for_context(entry: Entry) -> bool:
    return _literal_length(entry.pattern) > 3 or "(?=" in entry.pattern or "(?<=" in entry.pattern


def _finding(
    m: re.Match[str], entry: Entry, restored: str, sure: bool, evidence: str, via: str = ""
) -> Finding:
    return Finding(
        "zh-spin",
        Severity.ERROR if entry.scope == "always" else Severity.WARNING,
        m.start(),
        m.end(),
        f"“{m.group()}” looks spun from “{via or restored}” ({entry.note}){evidence}",
        (restored,),
        sure=sure,
    )


def check_documents(docs: Sequence[Sequence[str]]) -> list[list[list[Finding]]]:
    """The findings of each text of a language's documents, each document scored alone."""
    return [check_document(texts) for texts in docs]


register(Rule("zh-spin", "a word replaced by a Chinese synonym spinner", "zh", frozenset({"zh"})))
register_language_check("spin", {"zh"}, check_documents)
