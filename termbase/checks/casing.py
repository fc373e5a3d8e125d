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

A name seen in one casing only can still be a flattened one: a capitalised word that is
neither English nor Indonesian but two common English words run together (Deepseek,
Openai) is offered in camel case, with a part the corpus writes as an acronym in
capitals (AI): see :func:`flattened`. The offer is never sure: Stargate and Redhat
are such words too.

Names are grouped case-insensitively, with a trailing version number set apart, so that
QWEN3 meets the Qwen of another document and is offered as Qwen3. Only names count:
words that are also written in lower case are ordinary words capitalised at a sentence
start. Units whose case carries their meaning (MB megabytes, Mb megabits) are left alone.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping

from corpora.tokenize import is_indonesian_root
from termbase.checks.finding import Finding, Severity
from termbase.checks.registry import Rule, register

_NAME = re.compile(r"(?<![A-Za-z0-9-])([A-Za-z]+[A-Z][A-Za-z]*|[A-Z][a-z]+)(\d*)(?![A-Za-z0-9-])")
_CAMEL = re.compile(r"[a-z][A-Z]")
# Units whose casing is their meaning: MB is megabytes and Mb megabits, MiB mebibytes.
_UNIT = re.compile(r"[kKMGTPEZY]i?[bB]")
_LOWER_WORD = re.compile(r"\b[a-z]+\b")
_ACRONYM = re.compile(r"\(([A-Z]{2,})\)")  # BAAI in "Academy of AI (BAAI)"
_CAPITALS = re.compile(r"\b[A-Z]{2,5}\b")  # AI, GPT: acronyms as the corpus writes them
_FLAT = re.compile(r"(?<![A-Za-z0-9_./@-])([A-Z][a-z]{5,})(?![A-Za-z0-9_@-])")
_COMMON = 4.5  # Zipf frequency of a common English word (wordfreq): deep, seek, open
_ACRONYM_SEEN = 3  # an acronym part must be written so this often in the corpus (AI)


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
    texts = list(texts)
    seen: dict[str, Counter[str]] = defaultdict(Counter)
    lower_words: set[str] = set()
    acronyms: set[str] = set()
    capitals: Counter[str] = Counter()
    named: list[tuple[str, list[re.Match[str]]]] = []  # the texts with names, read once
    for text_id, text in texts:
        names = list(_NAME.finditer(text))
        if names:
            named.append((text_id, names))
            for m in names:
                seen[m.group(1).lower()][m.group(1)] += 1
        lower_words.update(_LOWER_WORD.findall(text))
        capitals.update(_CAPITALS.findall(text))
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
    acronyms_only = Counter({a: n for a, n in capitals.items() if a.lower() not in lower_words})
    out += flattened(texts, set(canonical), acronyms_only)
    return out


def flattened(
    texts: Iterable[tuple[str, str]], known: set[str], capitals: Counter[str]
) -> list[tuple[str, Finding]]:
    """(text id, finding) for each word that looks like a two-word name whose internal
    capital machine translation dropped; ``known`` are the lower-cased names already
    given a casing, ``capitals`` the acronyms of the corpus (AI, GPT) with their counts:
    those never written in lower case as a word of their own (so not OR, AS, RE)."""
    out = []
    for text_id, text in texts:
        for m in _FLAT.finditer(text):
            word = m.group(1)
            camel = word.lower() not in known and _camel(word, capitals)
            if camel:
                out.append(
                    (
                        text_id,
                        Finding(
                            "casing",
                            Severity.WARNING,
                            m.start(),
                            m.end(),
                            f"“{word}” looks like a name whose capitals were flattened: “{camel}”?",
                            (camel,),
                        ),
                    )
                )
    return out


def _camel(word: str, capitals: Counter[str]) -> str | None:
    """Deepseek → DeepSeek, Openai → OpenAI; None for a word of English or Indonesian
    (Facebook, Stargate, Singapura) or one that does not split into two common English
    words of four letters or more, or one and a two-letter acronym. Measured on GNOME's
    Indonesian catalogues, shorter parts (Song|hai, Uni|forum) and lower-case words
    (dump|dir, real|loc: settings and functions) are nearly always false alarms."""
    from wordfreq import zipf_frequency

    lower = word.lower()
    if not word.istitle() or zipf_frequency(lower, "en") >= 2.0 or _is_indonesian(lower):
        return None
    best: tuple[float, str] | None = None
    for cut in range(4, len(lower) - 1):
        head, tail = lower[:cut], lower[cut:]
        acronym = len(tail) == 2 and capitals[tail.upper()] >= _ACRONYM_SEEN
        if not acronym and len(tail) < 4:
            continue
        weight = zipf_frequency(head, "en")
        if not acronym:
            weight = min(weight, zipf_frequency(tail, "en"))
        if weight >= _COMMON and (best is None or weight > best[0]):
            best = (weight, head.title() + (tail.upper() if acronym else tail.title()))
    return best[1] if best else None


def _is_indonesian(word: str) -> bool:
    from wordfreq import zipf_frequency

    return zipf_frequency(word, "id") > 0 or is_indonesian_root(word)


# Run by the runner over every language at once (names are compared across them).
register(
    Rule(
        "casing",
        "a name spelt in another casing than elsewhere",
        "casing",
        severity=Severity.WARNING,
    )
)
