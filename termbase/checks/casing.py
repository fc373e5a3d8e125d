"""The same name spelt in different casings across a corpus (Deepseek/DeepSeek).

Machine translation flattens the internal capitals of brand names (DeepSeek → Deepseek,
OpenAI → Openai) or shouts them (Qwen3 → QWEN3), and does so more often than not, so the
commonest spelling is no guide. The canonical casing is, in order:

1. the term base's spelling, when it has the name;
2. a spelling with an internal capital after a small letter (DeepSeek, OpenAI): writers
   never add one by accident;
3. an all-capital spelling written in parentheses after the words it abbreviates
   ("Beijing Academy of Artificial Intelligence (BAAI)");
4. otherwise a mixed-case spelling over an all-capital one, and a single capital over a
   doubled one (Asay over ASay).

Names are grouped case-insensitively, with a trailing version number set apart, so that
QWEN3 meets the Qwen of another document and is offered as Qwen3. Only names count:
words that are also written in lower case are ordinary words capitalised at a sentence
start. Units whose case carries their meaning (MB megabytes, Mb megabits) are left alone.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping

from termbase.checks.finding import Finding, Severity
from termbase.checks.registry import Rule, register

_NAME = re.compile(r"(?<![A-Za-z0-9-])([A-Za-z]+[A-Z][A-Za-z]*|[A-Z][a-z]+)(\d*)(?![A-Za-z0-9-])")
_CAMEL = re.compile(r"[a-z][A-Z]")
# Units whose casing is their meaning: MB is megabytes and Mb megabits, MiB mebibytes.
_UNIT = re.compile(r"[kKMGTPEZY]i?[bB]")
_LOWER_WORD = re.compile(r"\b[a-z]+\b")
_ACRONYM = re.compile(r"\(([A-Z]{2,})\)")  # BAAI in "Academy of AI (BAAI)"


def _rank(form: str, acronyms: set[str]) -> int:
    """How much a spelling looks like the name's own (see the module docstring)."""
    if _CAMEL.search(form):
        return 4
    if form.isupper() and form in acronyms:
        return 3
    if not form.isupper() and not (len(form) > 1 and form[:2].isupper()):
        return 2
    return 1


def check(
    texts: Iterable[tuple[str, str]], *, preferred: Mapping[str, str] = {}
) -> list[tuple[str, Finding]]:
    """(text id, finding) for each name written in a casing other than its canonical one.

    ``texts`` are (id, text) pairs of one corpus; ``preferred`` maps a lower-cased name to
    the term base's spelling.
    """
    seen: dict[str, Counter[str]] = defaultdict(Counter)
    lower_words: set[str] = set()
    acronyms: set[str] = set()
    named: list[tuple[str, list[re.Match[str]]]] = []  # the texts with names, read once
    for text_id, text in texts:
        names = list(_NAME.finditer(text))
        if names:
            named.append((text_id, names))
            for m in names:
                seen[m.group(1).lower()][m.group(1)] += 1
        lower_words.update(_LOWER_WORD.findall(text))
        if "(" in text:
            acronyms.update(_ACRONYM.findall(text))
    canonical = {}
    for key, forms in seen.items():
        if key in lower_words or (len(forms) < 2 and key not in preferred):
            continue
        if any(_UNIT.fullmatch(f) for f in forms):
            continue
        canonical[key] = preferred.get(key) or max(
            forms, key=lambda f: (_rank(f, acronyms), forms[f], f)
        )
    out = []
    for text_id, names in named:
        for m in names:
            form, number = m.group(1), m.group(2)
            best = canonical.get(form.lower())
            if best and best != form:
                out.append(
                    (
                        text_id,
                        Finding(
                            "casing",
                            Severity.WARNING,
                            m.start(),
                            m.end(),
                            f"“{form}{number}” is written “{best}{number}” elsewhere",
                            (best + number,),
                            sure=form.lower() in preferred,
                        ),
                    )
                )
    return out


# Run by the runner over every language at once (names are compared across them).
register(
    Rule(
        "casing",
        "a name spelt in another casing than elsewhere",
        "casing",
        severity=Severity.WARNING,
    )
)
