"""translate-toolkit's pofilter checks on bilingual units, reported as Padan findings.

These checks (numbers, printf and brace formats, URLs, tags, end punctuation...) are
well tested against many languages' conventions, so Padan runs them rather than its own.
Only the checks that judge a translation are run: pofilter's spelling, length and
KDE/credits checks are noise for Chinese and Indonesian and cost time.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache

from translate.filters import checks
from translate.filters.decorators import Category
from translate.lang import data

from corpora.langtags import to_po
from termbase.checks.finding import Finding, Severity
from tm.model import PLACEHOLDER_BASE, PLACEHOLDER_MAX

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
_PLACEHOLDERS = re.compile(f"[{chr(PLACEHOLDER_BASE)}-{chr(PLACEHOLDER_MAX)}]")
_SEVERITY = {Category.CRITICAL: Severity.ERROR, Category.FUNCTIONAL: Severity.WARNING}
# A check that compares things of which neither string holds a trace cannot fail, so it
# is skipped: calling the checks one by one like this, rather than through pofilter's
# run_filters, is what makes them cheap enough to run on every unit (tests compare the
# verdicts with run_filters on real catalogues).
_TRIGGERS: dict[str, Callable[[str], object]] = {
    # preconditions of other checks, run whether reported or not
    "untranslated": lambda s: not s or "_:" in s,  # empty, or only a KDE comment
    "blank": lambda s: s.isspace(),
    "startwhitespace": lambda s: s[:1].isspace(),
    "endwhitespace": lambda s: s[-1:].isspace(),
    "compendiumconflicts": lambda s: "#-#-#-#-#" in s,
    # the reported checks
    "numbers": re.compile(r"\d").search,
    "printf": lambda s: "%" in s,
    "pythonbraceformat": lambda s: "{" in s,
    "urls": lambda s: "http" in s or "www." in s or "ftp:" in s,
    "emails": lambda s: "@" in s,
    "xmltags": lambda s: "<" in s,
    "newlines": lambda s: "\n" in s or "\r" in s,
    "tabs": lambda s: "\t" in s,
    "escapes": lambda s: "\\" in s,
    "brackets": re.compile(r"[()\[\]{}]").search,
    "doublespacing": lambda s: "  " in s,
}


@dataclass(frozen=True)
class _Step:
    """One check of the plan: pofilter's method, when it can fail, what its failure
    hides, and how it is reported (``rule`` None: a precondition only; translate-toolkit
    files a check under its category when it first runs, so that is looked up late)."""

    name: str
    run: Callable[[str, str], object]
    trigger: Callable[[str], object] | None
    hides: frozenset[str]
    rule: str | None
    categories: Mapping[str, object]

    @property
    def severity(self) -> Severity:
        return _SEVERITY.get(self.categories.get(self.name), Severity.INFO)  # type: ignore[call-overload]


@lru_cache(maxsize=16)
def _plan(target_lang: str) -> tuple[_Step, ...]:
    """The checks in the order to run them: pofilter runs the checks that are
    preconditions of others first (endwhitespace before endpunc...), reported or not."""
    config = checks.CheckerConfig(targetlanguage=to_po(target_lang))
    checker = checks.StandardChecker(checkerconfig=config, limitfilters=list(CHECKS))
    first = tuple(n for n in checker.preconditions if hasattr(checker, n))
    return tuple(
        _Step(
            name,
            getattr(checker, name),
            _TRIGGERS.get(name),
            frozenset(checker.preconditions.get(name, ())),
            f"pofilter-{name}" if name in CHECKS else None,
            checker.categories,
        )
        for name in first + tuple(n for n in CHECKS if n not in first)
    )


def _plain(text: str) -> str:
    return _PLACEHOLDERS.sub("", text)


def check(source: str, target: str, target_lang: str, unit: str | None = None) -> Iterator[Finding]:
    """pofilter's findings for one unit (of id ``unit``); each spans the whole target."""
    str1, str2 = data.normalize(_plain(source)) or "", data.normalize(_plain(target)) or ""
    hidden: frozenset[str] = frozenset()
    for step in _plan(target_lang):
        trigger = step.trigger
        if (trigger and not trigger(str1) and not trigger(str2)) or step.name in hidden:
            continue
        try:
            if step.run(str1, str2):
                continue
            message = ""
        except checks.FilterFailure as exc:
            message = str(exc)
        # pofilter's preconditions: an untranslated unit is not also checked for numbers...
        hidden |= step.hides
        if step.rule:
            yield Finding(
                step.rule, step.severity, 0, len(target), message.strip() or step.name, unit=unit
            )
