"""The same name spelt in different casings across a corpus (Deepseek/DeepSeek).

Machine translation flattens the internal capitals of brand names (DeepSeek → Deepseek,
OpenAI → Openai) or shouts them (Qwen3 → QWEN3), and does so more often than not, so the
commonest spelling is no guide. The canonical casing is, in order:

1. the term base's spelling, when it has the name with a capital (a term in lower case
   is an ordinary word and tells nothing of casing), else the spelling of Padan's list of
   brand and product names (termbase/data/names-casing.txt: OpenAI, ChatGPT, Qwen), where
   a variant the list accepts (NVIDIA, Nvidia) is left alone. The list alone makes a
   fix sure only for a shouted name (QWEN3): people write Javascript or Github on
   purpose, so those are offered unless the corpus or the term base has the casing;
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
start, and a capitalised word at the start of a text or a sentence is no evidence of a
spelling (an ARG of a usage line is not "Arg" because a message begins "Arg salah"):
there only a flattened name (Deepseek) or the term base's spelling is found. Units whose
case carries their meaning (MB megabytes, Mb megabits) are left alone.
A listed name with an internal capital (ChatGPT, GitHub) is also found in lower case
(chatgpt), which no ordinary word is, except in an address or a file name (chatgpt.com).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from functools import lru_cache
from importlib import resources

from corpora.tokenize import is_indonesian_root
from termbase.checks.finding import Finding, Severity
from termbase.checks.registry import Rule, register

# a word of letters (and a version number) standing alone: not part of an identifier
# (PANGO_RC_FILE, G_DBUS), a hyphenated word or an alphanumeric code
_NAME = re.compile(r"(?<![\w-])([A-Za-z]+[A-Z][A-Za-z]*|[A-Z][a-z]+)(\d*)(?![\w-])", re.A)
_CAMEL = re.compile(r"[a-z][A-Z]")
_LETTER = re.compile(r"[A-Za-z]")
# Units whose casing is their meaning: MB is megabytes and Mb megabits, MiB mebibytes.
_UNIT = re.compile(r"[kKMGTPEZY]i?[bB]")
_LOWER_WORD = re.compile(r"\b[a-z]+\b")
_ACRONYM = re.compile(r"\(([A-Z]{2,})\)")  # BAAI in "Academy of AI (BAAI)"
_CAPITALS = re.compile(r"\b[A-Z]{2,5}\b")  # AI, GPT: acronyms as the corpus writes them
_FLAT = re.compile(r"(?<![A-Za-z0-9_./@-])([A-Z][a-z]{5,})(?![A-Za-z0-9_@-])")
# a lower-case word standing alone: not part of an address, a path, an option or a handle
_LOWER_NAME = re.compile(r"(?<![\w./@:#-])([a-z][a-z]*[a-z])(\d*)(?![\w@/]|[.:-]\w)")
_OPENERS = " \t\n\"'“‘«([-*•"
_SENTENCE_END = ".!?:;…\n"
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


@lru_cache(maxsize=1)
def known_names() -> dict[str, tuple[str, ...]]:
    """Padan's list of names: lower-cased name → its accepted spellings, canonical first."""
    data = resources.files("termbase") / "data" / "names-casing.txt"
    out = {}
    for line in data.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            spellings = tuple(s.strip() for s in line.split("|"))
            out[spellings[0].lower()] = spellings
    return out


def check(
    texts: Iterable[tuple[str, str]],
    *,
    preferred: Mapping[str, str] = {},
    names: Mapping[str, tuple[str, ...]] | None = None,
) -> list[tuple[str, Finding]]:
    """(text id, finding) for each name written in a casing other than its canonical one.

    ``texts`` are (id, text) pairs of one corpus; ``preferred`` maps a lower-cased name to
    the term base's spelling; ``names`` is the list of known names (Padan's by default).
    """
    # every pattern below needs an ASCII letter: the texts without one (most of a Chinese
    # corpus's) are set aside by one quick scan rather than read by each
    texts = [(text_id, text) for text_id, text in texts if _LETTER.search(text)]
    listed = known_names() if names is None else names
    # A term written all in lower case (head, copy, postgresql) is an ordinary word whose
    # case follows the sentence: it says nothing of how a name is capitalised, and made
    # every HEAD, COPY and PostgreSQL of clean catalogues a "sure" finding.
    preferred = {k: v for k, v in preferred.items() if not v.islower()}
    # the term base's spelling first, then the list's; a listed variant is accepted
    accepted = {k: v for k, v in listed.items() if k not in preferred}
    chosen = set(preferred)  # the term base's: sure wherever the name is met
    preferred = {**{k: v[0] for k, v in accepted.items()}, **preferred}
    seen: dict[str, Counter[str]] = defaultdict(Counter)
    initial: dict[str, Counter[str]] = defaultdict(Counter)  # capitalised by position
    lower_words: set[str] = set()
    acronyms: set[str] = set()
    capitals: Counter[str] = Counter()
    named: list[tuple[str, str, list[re.Match[str]]]] = []  # the texts with names, read once
    for text_id, text in texts:
        found = list(_NAME.finditer(text))
        if found:
            named.append((text_id, text, found))
            for m in found:
                form = m.group(1)
                seen[form.lower()][form] += 1
                if form.istitle() and _sentence_start(text, m.start()):
                    initial[form.lower()][form] += 1
        lower_words.update(_LOWER_WORD.findall(text))
        capitals.update(_CAPITALS.findall(text))
        if "(" in text:
            acronyms.update(_ACRONYM.findall(text))
    canonical = {}
    for key, forms in seen.items():
        if key in accepted and not set(forms) - set(accepted[key]) - {
            _capitalised(accepted[key][0])
        }:
            continue  # every spelling is one the list accepts
        if key not in preferred and (key in lower_words or len(forms) < 2):
            continue
        if any(_UNIT.fullmatch(f) for f in forms):
            continue
        # a capital a sentence start gave is no spelling: the others choose, if any
        spelt = forms - initial[key] if key in initial else forms
        spelt = spelt or forms
        canonical[key] = preferred.get(key) or max(
            spelt, key=lambda f: (_rank(f, acronyms), spelt[f], f)
        )
    out = []
    for text_id, text, matches in named:
        for m in matches:
            form, number = m.group(1), m.group(2)
            best = canonical.get(form.lower())
            if form in accepted.get(form.lower(), ()) or form == _capitalised(best or ""):
                continue  # a listed variant; iPhone capitalised at a sentence start
            if best and form.istitle() and not _CAMEL.search(best) and form.lower() not in chosen:
                if _sentence_start(text, m.start()):
                    continue  # "Arg salah" beside ARG: only a flattened name is wrong there
            if best and best != form:
                where = "elsewhere" if best in seen[form.lower()] else "by its makers"
                # capitals against a plain capitalised spelling (ID and Id, NEWS and News)
                # are as often a keyword or an acronym as a shouted name: sure only when
                # the term base or the list spells it
                shouted = form.isupper() and best.istitle() and form.lower() not in preferred
                sure = not shouted and (
                    form.lower() in chosen
                    or best in seen[form.lower()]
                    or (form.isupper() and not best.isupper())
                )
                message = f"“{form}{number}” is written “{best}{number}” {where}"
                out.append((text_id, _finding(m, message, best + number, sure)))
    acronyms_only = Counter({a: n for a, n in capitals.items() if a.lower() not in lower_words})
    out += flattened(texts, set(canonical) | set(preferred), acronyms_only)
    out += lower_case(texts, preferred)
    return out


def _sentence_start(text: str, start: int) -> bool:
    """Whether a word at ``start`` begins its text or a sentence: capitalised there, a
    word says nothing of how it is spelt ("Arg salah" beside "PERINTAH [ARG…]")."""
    before = text[:start].rstrip(_OPENERS)
    return not before or before[-1] in _SENTENCE_END


def _finding(m: re.Match[str], message: str, suggestion: str, sure: bool = False) -> Finding:
    """A casing warning over the match ``m``."""
    return Finding("casing", Severity.WARNING, m.start(), m.end(), message, (suggestion,), sure)


def _capitalised(name: str) -> str:
    return name[:1].upper() + name[1:]


def lower_case(
    texts: Iterable[tuple[str, str]], preferred: Mapping[str, str]
) -> list[tuple[str, Finding]]:
    """(text id, finding) for each known name with an internal capital written all in
    lower case (chatgpt → ChatGPT); ``preferred`` maps lower-cased names to spellings."""
    camel = {k: v for k, v in preferred.items() if _CAMEL.search(v) or v[:1].islower() and v != k}
    out = []
    for text_id, text in texts:
        for m in _LOWER_NAME.finditer(text):
            best = camel.get(m.group(1))
            if best:
                message = f"“{m.group()}” is the name “{best}{m.group(2)}” in lower case"
                # never sure: a package can be written so (pip install pytorch)
                out.append((text_id, _finding(m, message, best + m.group(2))))
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
                message = f"“{word}” looks like a name whose capitals were flattened: “{camel}”?"
                out.append((text_id, _finding(m, message, camel)))
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
        copied_from_source=True,
    )
)
