"""English cognates of Indonesian words (teknologi/technology, inovasi/innovation).

Indonesian borrowed much of its technical vocabulary from Dutch and English with regular
spelling changes: -logi/-logy, -asi/-ation, -tas/-ty, -ik/-ic(s), -if/-ive, -ur/-ure,
eks-/ex-, k/c, f/ph. We undo those changes to make a few English spellings, then look for
the nearest real English word (wordfreq's list) with rapidfuzz. A rule or an identical
spelling is required, and so is high similarity: "bisa" never becomes "bias".
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz, process

# Indonesian ending -> English endings, most specific first.
_SUFFIXES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("logi", ("logy",)),
    ("grafi", ("graphy",)),
    ("sofi", ("sophy",)),
    ("isasi", ("ization", "isation")),
    ("asi", ("ation",)),
    ("usi", ("ution",)),
    ("si", ("tion", "sion", "sis")),
    ("tas", ("ty",)),
    ("isme", ("ism",)),
    ("itas", ("ity",)),
    ("tif", ("tive",)),
    ("if", ("ive",)),
    ("ik", ("ic", "ics")),
    ("ur", ("ure",)),
    ("en", ("ent",)),
)
_LETTERS: tuple[tuple[str, str], ...] = (("k", "c"), ("f", "ph"), ("i", "y"))
MIN_LENGTH = 5
MIN_SIMILARITY = 86.0
_VOCABULARY_SIZE = 80_000


@dataclass(frozen=True)
class Cognate:
    english: str
    similarity: float  # 0..100
    rule: str  # how the English form was reached


@lru_cache(maxsize=1)
def _english_by_initial() -> dict[str, list[str]]:
    from wordfreq import top_n_list

    table: dict[str, list[str]] = {}
    for word in top_n_list("en", _VOCABULARY_SIZE):
        if word.isalpha() and len(word) >= MIN_LENGTH - 1:
            table.setdefault(word[0], []).append(word)
    return table


def _spellings(word: str) -> list[tuple[str, str]]:
    """English-like spellings of an Indonesian word, with the rule that made each."""
    out: list[tuple[str, str]] = []
    for ending, replacements in _SUFFIXES:
        if word.endswith(ending) and len(word) > len(ending) + 2:
            stem = word[: -len(ending)]
            for repl in replacements:
                out.append((stem + repl, f"-{ending} → -{repl}"))
    if word.startswith("eks"):
        out += [("ex" + w[3:], _and(r, "eks- → ex-")) for w, r in out or [(word, "")]]
    bases = out[:] or [(word, "same spelling")]
    for spelled, rule in bases:
        for ind, eng in _LETTERS:
            if ind in spelled[:-2]:
                out.append((spelled.replace(ind, eng), _and(rule, f"{ind} → {eng}")))
    return out or [(word, "same spelling")]


def _and(rule: str, more: str) -> str:
    return more if rule in ("", "same spelling") else f"{rule}, {more}"


@lru_cache(maxsize=16384)
def english_cognate(word: str) -> Cognate | None:
    """The English cognate of an Indonesian word, or None when there is no convincing one."""
    word = word.lower()
    if len(word) < MIN_LENGTH or not word.isalpha():
        return None
    vocabulary = _english_by_initial()
    if word in vocabulary.get(word[0], ()):
        return Cognate(word, 100.0, "same spelling")
    best: Cognate | None = None
    for spelled, rule in _spellings(word):
        pool = vocabulary.get(spelled[0], [])
        found = process.extractOne(spelled, pool, scorer=fuzz.ratio, score_cutoff=MIN_SIMILARITY)
        if not found or ("-" not in rule and len(found[0]) < len(word)):
            continue  # a spelling change alone never makes a word shorter (akses/aces)
        if best is None or found[1] > best.similarity:
            best = Cognate(found[0], float(found[1]), rule)
    if best and best.rule == "same spelling":
        return None  # near-identical without a rule is a coincidence (bisa/bias)
    return best


# -- loanwords: an Indonesian word against a given English word ----------------------------
#
# Aligning comparable texts, the English candidates are few (the glosses of the other
# language's terms), so instead of searching the English vocabulary for a word's cognate,
# each English gloss is respelt the Indonesian way and compared with the word.

# English ending -> Indonesian ending, most specific first.
_RESPELL_ENDINGS: tuple[tuple[str, str], ...] = (
    ("ization", "isasi"),
    ("isation", "isasi"),
    ("ation", "asi"),
    ("ution", "usi"),
    ("tion", "si"),
    ("sion", "si"),
    ("ency", "ensi"),
    ("ence", "ensi"),
    ("ancy", "ansi"),
    ("ance", "ansi"),
    ("ity", "itas"),
    ("ty", "tas"),
    ("logy", "logi"),
    ("graphy", "grafi"),
    ("ics", "ika"),
    ("ic", "ik"),
    ("ical", "ikal"),
    ("ism", "isme"),
    ("ive", "if"),
    ("ure", "ur"),
    ("ory", "orium"),
    ("ary", "er"),
    ("y", "i"),
)
# Letter groups, in order: ch as in technology, c before e/i/y as s, then any other c.
_RESPELL_LETTERS: tuple[tuple[str, str], ...] = (
    ("ph", "f"),
    ("th", "t"),
    ("ch", "k"),
    ("qu", "kw"),
    ("x", "ks"),
    ("ce", "se"),
    ("ci", "si"),
    ("cy", "si"),
    ("c", "k"),
    ("y", "i"),
)
MIN_LOAN_SIMILARITY = 0.88
_SHORT = 4  # words this short must match exactly (bisa is no bias)


def _single_letters(word: str) -> str:
    """Doubled letters written once (commercial → comercial): Indonesian spells so."""
    out: list[str] = []
    for ch in word:
        if not out or out[-1] != ch:
            out.append(ch)
    return "".join(out)


@lru_cache(maxsize=65536)
def indonesian_spellings(english: str) -> frozenset[str]:
    """How Indonesian would write an English word: as it is (data, chip), and respelt
    (transparency → transparensi, infrastructure → infrastruktur, code → kode)."""
    word = english.lower()
    out = {word}
    for ending, repl in _RESPELL_ENDINGS:
        if word.endswith(ending) and len(word) > len(ending) + 2:
            word = word[: -len(ending)] + repl
            break
    for group, repl in _RESPELL_LETTERS:
        word = word.replace(group, repl)
    word = _single_letters(word)
    out.add(word)
    if word.endswith("e") and len(word) > 3:
        out.add(word[:-1])  # silent e: kode keeps it, produk (product) has none to drop
    return frozenset(out)


def loan_similarity(indonesian: str, english: str) -> float:
    """How surely an Indonesian word is the English one borrowed, 0..1 (0: not at all).

    1.0 for the same spelling; otherwise the best similarity of the Indonesian word to a
    respelling of the English one, when it reaches MIN_LOAN_SIMILARITY and both start
    alike.
    """
    ind, eng = indonesian.lower(), english.lower()
    if ind == eng:
        return 1.0
    if len(ind) <= _SHORT or len(eng) <= _SHORT - 1 or not ind.isalpha():
        return 1.0 if ind in indonesian_spellings(eng) else 0.0
    best = 0.0
    for spelled in indonesian_spellings(eng):
        if spelled[:2] != ind[:2]:
            continue
        best = max(best, fuzz.ratio(ind, spelled) / 100)
    return best if best >= MIN_LOAN_SIMILARITY else 0.0
