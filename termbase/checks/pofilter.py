"""translate-toolkit's pofilter checks on bilingual units, reported as Padan findings.

These checks (numbers, printf and brace formats, URLs, tags, end punctuation...) are
well tested against many languages' conventions, so Padan runs them rather than its own.
Only the checks that judge a translation are run: pofilter's spelling, length and
KDE/credits checks are noise for Chinese and Indonesian and cost time.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache

from translate.filters import checks
from translate.filters.decorators import Category
from translate.storage.base import TranslationUnit

from corpora.langtags import to_po
from termbase.checks.finding import Finding, Severity
from tm.model import is_placeholder

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


@lru_cache(maxsize=16)
def _checker(target_lang: str) -> checks.StandardChecker:
    config = checks.CheckerConfig(targetlanguage=to_po(target_lang))
    return checks.StandardChecker(checkerconfig=config, limitfilters=list(CHECKS))


def _plain(text: str) -> str:
    return "".join(ch for ch in text if not is_placeholder(ch))


def check(source: str, target: str, target_lang: str) -> Iterator[Finding]:
    """pofilter's findings for one unit; each spans the whole target."""
    unit = TranslationUnit(_plain(source))
    unit.target = _plain(target)
    for name, info in _checker(target_lang).run_filters(unit, categorised=True).items():
        yield Finding(
            f"pofilter-{name}",
            _SEVERITY.get(info["category"], Severity.INFO),
            0,
            len(target),
            str(info["message"]).strip() or name,
        )
