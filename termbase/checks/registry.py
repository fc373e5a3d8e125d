"""The check registry: every rule Padan reports, and the checks that run on a language.

A check module registers its rules (id, what it means, family, languages, severity) and,
when it looks at a language's documents, the function that does so, as sacrebleu's
metrics register themselves. The runner, ``padan check --rule``, SARIF's rule metadata and
the TUI's rule filter all read this one table, so adding a rule means writing its module
and registering it there, not editing the runner.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass

from termbase.checks.finding import Finding, Severity


@dataclass(frozen=True)
class Rule:
    id: str  # "<family>-<name>", or the family itself: --rule FAMILY selects them all
    description: str
    family: str
    languages: frozenset[str] = frozenset()  # the languages it judges; empty: any
    severity: Severity | None = None  # the usual one; None: set finding by finding
    # The rule judges the form of the text (casing, spacing, a doubled word): in a
    # bilingual unit whose source has the flagged text verbatim, that form was copied
    # from it (a command `help help', a name Readline), not damaged, and is no finding.
    copied_from_source: bool = False


# One language's documents, each a sequence of texts -> the findings of each text.
DocumentsCheck = Callable[[Sequence[Sequence[str]]], list[list[list[Finding]]]]


@dataclass(frozen=True)
class LanguageCheck:
    name: str
    languages: frozenset[str]
    run: DocumentsCheck


RULES: dict[str, Rule] = {}
LANGUAGE_CHECKS: list[LanguageCheck] = []


def register(*rules: Rule) -> None:
    for rule in rules:
        if rule.id in RULES:
            raise ValueError(f"rule {rule.id!r} is registered twice")
        RULES[rule.id] = rule


def register_language_check(name: str, languages: Collection[str], run: DocumentsCheck) -> None:
    LANGUAGE_CHECKS.append(LanguageCheck(name, frozenset(languages), run))


def language_checks(lang: str) -> list[LanguageCheck]:
    return [c for c in LANGUAGE_CHECKS if lang in c.languages]


def descriptions() -> dict[str, str]:
    """Rule id -> what it means, sorted by id (for --rule, SARIF and the README)."""
    return {rule_id: RULES[rule_id].description for rule_id in sorted(RULES)}


def rule_selected(rule: str, wanted: Collection[str] | None) -> bool:
    """``wanted`` names rules or families: ``id`` selects ``id-*``, ``pofilter`` every
    pofilter check."""
    if not wanted:
        return True
    return any(rule == w or rule.startswith(w + "-") for w in wanted)
