"""translate-toolkit's pofilter checks on bilingual units, reported as Padan findings.

These checks (numbers, printf and brace formats, URLs, tags, end punctuation...) are
well tested against many languages' conventions, so Padan runs them rather than its own.
Only the checks that judge a translation are run: pofilter's spelling, length and
KDE/credits checks are noise for Chinese and Indonesian and cost time.

Calling pofilter's checks one by one, and only those that can fail on a unit, is what
makes them cheap enough to run on every unit: a check that compares things of which
neither string holds a trace (numbers, ``%``, brackets, trailing punctuation...) is
skipped, and so is one whose verdict a few counts decide when they say it passes
(newlines, brackets, double spaces). One scan of the two strings says which checks can
fail; tests compare the verdicts with pofilter's own ``run_filters`` on real catalogues
and on random strings.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

from translate.filters import checks
from translate.filters.checks.standard import printf_pat
from translate.filters.decorators import Category
from translate.lang import common

from corpora.langtags import to_po
from corpora.placeholders import PLACEHOLDERS
from termbase.checks.finding import Finding, Severity
from termbase.checks.registry import Rule, register

CHECKS = (
    "untranslated",
    "unchanged",
    "numbers",
    "printf",
    "pythonbraceformat",
    "urls",
    "emails",
    "xmltags",
    "newlines",
    "tabs",
    "escapes",
    "brackets",
    "endpunc",
    "doublespacing",
    "variables",
)
_SEVERITY = {Category.CRITICAL: Severity.ERROR, Category.FUNCTIONAL: Severity.WARNING}

# The traces that let a check fail: characters found in one scan of both strings, and
# words looked for with ``in`` (faster than as alternatives of the regex).
_TRACE = re.compile(r"[%{}()\[\]@<\n\r\t\\]")
_TRACE_WORDS = ("http", "www.", "ftp:", "  ", "_:", "#-#-#-#-#")
_TRACED = {
    "%": ("printf",),
    "{": ("pythonbraceformat", "brackets"),
    **{c: ("brackets",) for c in "}()[]"},
    **{s: ("urls",) for s in ("http", "www.", "ftp:")},
    "@": ("emails",),
    "<": ("xmltags",),
    "\n": ("newlines",),
    "\r": ("newlines",),
    "\t": ("tabs",),
    "\\": ("escapes",),
    "  ": ("doublespacing",),
    "_:": ("untranslated",),  # a KDE comment alone counts as untranslated
    "#-#-#-#-#": ("compendiumconflicts",),
}
# The characters str.isdigit accepts beyond the regex \d (superscripts, subscripts,
# circled digits...), as a regex class: the numbers check counts them as digits (a test
# keeps this class equal to what this Python's Unicode data says).
OTHER_DIGITS = (
    "\u00b2-\u00b3\u00b9\u1369-\u1371\u19da\u2070\u2074-\u2079\u2080-\u2089\u2460-\u2468"
    "\u2474-\u247c\u2488-\u2490\u24ea\u24f5-\u24fd\u24ff\u2776-\u277e\u2780-\u2788\u278a-\u2792"
    "\U00010a40-\U00010a43\U00010e60-\U00010e68\U00011052-\U0001105a\U0001f100-\U0001f10a"
)
_OTHER_DIGIT = re.compile(f"[{OTHER_DIGITS}]")  # slow to scan for: asked of non-ASCII only
# Characters a number of pofilter's numbers check is made of (digits, "." and "°"), from
# a digit on.
_NUMBER_RUN = re.compile(r"\d[\d.°]*")


@dataclass(frozen=True)
class _Step:
    """One check of the plan: pofilter's method, what its failure hides, and how it is
    reported (``rule`` None: a precondition only; translate-toolkit files a check under
    its category when it first runs, so that is looked up late)."""

    name: str
    run: Callable[[str, str], object]
    hides: frozenset[str]
    rule: str | None
    categories: Mapping[str, object]

    @property
    def severity(self) -> Severity:
        category = self.categories.get(self.name)
        if not isinstance(category, int):
            return Severity.INFO
        return _SEVERITY.get(category, Severity.INFO)


class _Plan:
    """The checks for one target language, in pofilter's order (the preconditions of
    others first: endwhitespace before endpunc...), and which of them a unit needs."""

    def __init__(self, target_lang: str) -> None:
        config = checks.CheckerConfig(targetlanguage=to_po(target_lang))
        checker = checks.StandardChecker(checkerconfig=config, limitfilters=list(CHECKS))
        # the preconditions of the checks run, before them (pofilter's order)
        first = tuple(
            n
            for n, hides in checker.preconditions.items()
            if hasattr(checker, n) and (n in CHECKS or set(hides) & set(CHECKS))
        )
        plain = not (checker.accfilters or checker.removevarfilter or checker.varfilters)
        by_ends = _BY_ENDS if plain and _ends_decide(config) else ()
        self.steps = tuple(
            _Step(
                name,
                _ByEnds(getattr(checker, name)) if name in by_ends else getattr(checker, name),
                frozenset(checker.preconditions.get(name, ())),
                f"pofilter-{name}" if name in CHECKS else None,
                checker.categories,
            )
            for name in first + tuple(n for n in CHECKS if n not in first)
        )
        self._bit = {step.name: 1 << i for i, step in enumerate(self.steps)}
        self._traced = {trace: self._bits(names) for trace, names in _TRACED.items()}
        self._traced_words = tuple((trace, self._traced[trace]) for trace in _TRACE_WORDS)
        self._numbers = self._bits(("numbers",))
        self._printf = self._bits(("printf",))
        self._by_need: dict[int, tuple[_Step, ...]] = {}
        self._credits = frozenset(config.credit_sources)
        # What the two strings as wholes show (empty, edges, equal...) and the checks
        # that lets fail. The shortcuts for the checks below read their code: they hold
        # while no accelerator marker, variable pattern or letter-led punctuation rule
        # is configured, as for pofilter's standard checker; otherwise the check always
        # runs.
        sound = {
            "unchanged": plain,
            "endpunc": plain and not any(k[:1].isalnum() for k in config.lang.puncdict),
            "variables": plain and not config.varmatches,  # nothing to compare: never fails
            # digits are compared as written (no native digits turned into Latin ones)
            "numbers": not config.lang.numbertuple
            and getattr(config.lang.numbertranslate, "__func__", None)
            is getattr(common.Common.numbertranslate, "__func__", None),
        }
        self._numbers_shortcut = sound["numbers"]
        # checks whose verdict a few counts decide (their code, read): skipped when the
        # counts say they pass; brackets and double spaces compare the strings unfiltered
        exact: dict[str, Callable[[str, str], bool]] = {"newlines": _newlines_pass}
        if plain:
            exact |= {"brackets": _brackets_pass, "doublespacing": _doublespacing_pass}
        self._exact = tuple((self._bit[n], passes) for n, passes in exact.items() if n in self._bit)
        self._edge = {
            "empty": self._bits(("untranslated",)),
            "start space": self._bits(("startwhitespace", "blank")),
            "end space": self._bits(("endwhitespace",)),
            "credits": self._bits(("credits",)),
            "same": self._bits(("unchanged",)),
            "end punctuation": self._bits(("endpunc",)),
        }
        shortcut = {n for names in _TRACED.values() for n in names}
        shortcut |= {"untranslated", "startwhitespace", "blank", "endwhitespace"}
        shortcut |= {"credits", *(name for name, holds in sound.items() if holds)}
        # a check with no shortcut runs on every unit
        self._always = self._bits(s.name for s in self.steps if s.name not in shortcut)

    def _bits(self, names: Iterable[str]) -> int:
        out = 0
        for name in names:
            out |= self._bit.get(name, 0)
        return out

    def needed(self, str1: str, str2: str) -> tuple[_Step, ...]:
        """The steps that can fail on this pair of (normalised) strings."""
        need = self._always
        traced, edge = self._traced, self._edge
        both = f"{str1}\0{str2}"
        for trace in set(_TRACE.findall(both)):
            need |= traced[trace]
        for trace, bits in self._traced_words:
            if trace in both:
                need |= bits
        for bit, passes in self._exact:
            if need & bit and passes(str1, str2):
                need ^= bit
        if need & self._printf and not _printf_can_fail(str1, str2):
            need ^= self._printf
        if self._numbers_shortcut and _numbers_can_fail(str1, str2):
            need |= self._numbers
        if not (str1 and str2):
            need |= edge["empty"]
        if str1[:1].isspace() or str2[:1].isspace():  # blank is all whitespace
            need |= edge["start space"]
        if str1[-1:].isspace() or str2[-1:].isspace():
            need |= edge["end space"]
        end1, end2 = str1.rstrip(), str2.rstrip()
        if not (end1[-1:].isalnum() and end2[-1:].isalnum()):
            need |= edge["end punctuation"]  # a letter or digit survives punctranslate
        if end1.lstrip().lower() == end2.lstrip().lower():  # case and edges aside
            need |= edge["same"]
        if self._credits and str1 in self._credits:
            need |= edge["credits"]
        steps = self._by_need.get(need)
        if steps is None:
            if len(self._by_need) > 4096:
                self._by_need.clear()
            steps = tuple(s for s in self.steps if need & self._bit[s.name])
            self._by_need[need] = steps
        return steps


# The checks of the strings' ends: their verdict depends only on what follows the last
# letter or digit of each string (see _ends_decide).
_BY_ENDS = ("endpunc", "endwhitespace")
_LAST_ALNUM = re.compile(r".*[^\W_]", re.DOTALL)  # \w is a letter, a digit or "_"


def _ends_decide(config: checks.CheckerConfig) -> bool:
    """Whether pofilter's endpunc and endwhitespace checks, for this language, judge only
    the ends of the strings after their last letter or digit. They compare the trailing
    punctuation or whitespace of the two strings, the source's after the language's
    punctranslate (Common's: plain replacements, then rules on the last characters). With
    no letter or digit in what it replaces, in what it replaces it with, nor among the
    punctuation compared, a letter or digit is never replaced, no replacement reaches
    across one, and the comparison of the trailing characters stops at one: so the
    verdict on the ends is the verdict on the strings. (Languages that have their own
    punctranslate, like French, run the checks on the whole strings.)"""
    lang = config.lang
    marks = "".join(k + v for k, v in lang.puncdict.items()) + config.endpunctuation + ":"
    return getattr(lang.punctranslate, "__func__", None) is getattr(
        common.Common.punctranslate, "__func__", None
    ) and not any(c.isalnum() for c in marks)


def _end(text: str) -> str:
    """What follows the last letter or digit of ``text`` (all of it if none)."""
    last = _LAST_ALNUM.match(text)
    return text[last.end() :] if last else text


_UNKNOWN = checks.FilterFailure("not yet run")


class _ByEnds:
    """A check of the strings' ends, run on those ends only and remembered by them: a
    catalogue has few different ends (".", ": ", "...\n"), so most units need no run."""

    def __init__(self, run: Callable[[str, str], object]) -> None:
        self._run = run
        # (end of str1, end of str2) -> None if the check passes, else its failure
        self._known: dict[tuple[str, str], checks.FilterFailure | None] = {}

    def __call__(self, str1: str, str2: str) -> bool:
        ends = (_end(str1), _end(str2))
        failure = self._known.get(ends, _UNKNOWN)  # one look-up: another thread may clear
        if failure is _UNKNOWN:
            try:
                failure = None if self._run(*ends) else checks.FilterFailure("")
            except checks.FilterFailure as exc:
                failure = exc
            if len(self._known) > 4096:  # ends of strings with no letter can be many
                self._known.clear()
            self._known[ends] = failure
        if failure is None:
            return True
        raise type(failure)(failure.messages)  # a new one: a raised one keeps its traceback


def _newlines_pass(str1: str, str2: str) -> bool:
    """pofilter's newlines check passes: as many \\n and \\r, and a \\n at either end of
    ``str1`` also in ``str2``."""
    return (
        str1.count("\n") == str2.count("\n")
        and str1.count("\r") == str2.count("\r")
        and (str2[-1:] == "\n" or str1[-1:] != "\n")
        and (str2[:1] == "\n" or str1[:1] != "\n")
    )


def _brackets_pass(str1: str, str2: str) -> bool:
    """pofilter's brackets check passes: as many of each bracket."""
    return all(str1.count(b) == str2.count(b) for b in "[]{}()")


def _doublespacing_pass(str1: str, str2: str) -> bool:
    """pofilter's doublespacing check passes: as many double spaces."""
    return str1.count("  ") == str2.count("  ")


def _numbers_can_fail(str1: str, str2: str) -> bool:
    """False when pofilter's numbers check passes for sure. It counts in both strings
    each number of ``str1``: a string of digits, "." and "°" starting with a digit. An
    occurrence of one lies inside a run of those characters, from its first digit on,
    so where the two strings have the same runs the counts are the same. (Digits that
    regex \\d does not know, like ², are left to the check itself.)"""
    if not str1.isascii() and _OTHER_DIGIT.search(str1):
        return True
    runs = _NUMBER_RUN.findall(str1)
    return bool(runs) and sorted(runs) != sorted(_NUMBER_RUN.findall(str2))


def _printf_can_fail(str1: str, str2: str) -> bool:
    """False when pofilter's printf check passes for sure: no printf variable in either
    string (a lone %), or the same variables in the same order, none named (a named one
    may recur with another type)."""
    vars1 = [m.group() for m in printf_pat.finditer(str1)]
    vars2 = [m.group() for m in printf_pat.finditer(str2)]
    if not (vars1 or vars2):
        return False
    return vars1 != vars2 or "%(" in str1 or "%(" in str2


@lru_cache(maxsize=16)
def _plan(target_lang: str) -> _Plan:
    return _Plan(target_lang)


_nfc = unicodedata.normalize


def _plain(text: str) -> str:
    if text.isascii():  # placeholders are private-use characters
        return text
    return PLACEHOLDERS.sub("", text)


# pofilter joins some placeholder names from a set, in an order that follows the hash seed
_LISTED = re.compile(r"(placeholders (?:in|absent in) translation: )(\{[^}]*\}(?:, \{[^}]*\})*)")
_NAME = re.compile(r"\{[^}]*\}")


def _in_order(message: str) -> str:
    """``message`` with pofilter's placeholder lists sorted, the same in every run."""
    return _LISTED.sub(lambda m: m[1] + ", ".join(sorted(_NAME.findall(m[2]))), message)


def check(source: str, target: str, target_lang: str, unit: str | None = None) -> list[Finding]:
    """pofilter's findings for one unit (of id ``unit``); each spans the whole target."""
    # as pofilter's data.normalize does it, without its Python call
    str1, str2 = _nfc("NFC", _plain(source)), _nfc("NFC", _plain(target))
    out: list[Finding] = []
    steps = _plan(target_lang).needed(str1, str2)
    if not steps:  # most units
        return out
    hidden: frozenset[str] = frozenset()
    for step in steps:
        if step.name in hidden:
            continue
        try:
            if step.run(str1, str2):
                continue
            message = ""
        except checks.FilterFailure as exc:
            message = _in_order(str(exc))
        # pofilter's preconditions: an untranslated unit is not also checked for numbers...
        hidden |= step.hides
        if step.rule:
            message = message.strip() or step.name
            # built in C, as a named tuple's own constructor is Python code
            out.append(
                _finding(Finding, (step.rule, step.severity, 0, len(target), message, *_TAIL, unit))
            )
    return out


_finding = tuple.__new__
# the default fields between a finding's message and its unit (suggestions ... column)
_TAIL = tuple(Finding._field_defaults[f] for f in Finding._fields[5:-1])


# Severity by translate-toolkit's category of the check, known once it has run.
register(
    *(
        Rule(f"pofilter-{name}", f"translate-toolkit pofilter check “{name}”", "pofilter")
        for name in CHECKS
    )
)
