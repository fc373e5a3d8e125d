"""Mechanical damage that machine translation leaves in Indonesian text.

Found without any term-base entry:

- ``id-space-hyphen``: a space before the hyphen of a reduplication or compound
  (``sia -sia``, ``Perusahaan -perusahaan``, ``kesia -siaan``, ``GPT -4``). A dash between
  clauses has spaces on both sides and is left alone.
- ``id-currency-space``: a space after a currency sign (``$ 6 juta``).
- ``id-glued-word``: a name (seen alone elsewhere, or an English word) glued to the next
  Indonesian word (``Stargatedirancang``). Names that merely end like a word
  (``Singapura``, ``Hongaria``, ``Nanodetik``) are left alone: see :func:`_glued`.
- ``id-doubled-word``: the same word twice (``wajah wajah``), which is either a
  reduplication that lost its hyphen or a stutter, or the same words twice (``Model
  Proprietary Model Proprietary``), a stutter.
- ``id-calque``: a literal rendering from English listed in termbase/data/calques-id.tsv:
  a name translated word by word (``wajah yang dipeluk``: Hugging Face) or a word given
  the wrong one of its senses (``trotoar ekspor``: export curbs, ``pengacara open source``:
  an advocate). Sure only where the list says the pattern has no other reading.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator, Sequence
from functools import lru_cache
from importlib import resources

from corpora.tokenize import group_key, is_indonesian_root, match_form
from termbase.checks.finding import Finding, Severity
from termbase.checks.registry import Rule, register, register_language_check

_SPACE_HYPHEN = re.compile(r"([^\W_]+) -([^\W_]+)")
_CURRENCY = re.compile(r"(US\$|Rp\.?|[$€£¥]) (?=\d)")
# a word, or up to four words, then the same again
_DOUBLED = re.compile(r"\b((?:[^\W\d_]{2,} ){0,3}[^\W\d_]{2,}) \1\b", re.IGNORECASE)
_CAPITALISED = re.compile(r"\b[A-Z][^\W_]{7,}\b")
_MIN_PART = 4


def check(text: str, *, names: Collection[str] = ()) -> list[Finding]:
    """Findings in one Indonesian text; ``names`` are words seen standing alone elsewhere."""
    found = [*_space_hyphen(text), *_currency(text), *_doubled(text), *_calques(text)]
    found += _glued(text, names)
    return sorted(found, key=lambda f: (f.start, f.rule))


def _is_reduplication(left: str, right: str) -> bool:
    """sia/sia, Perusahaan/perusahaan, kesia/siaan, model/modelnya, berhati/hati."""
    a, b = left.lower(), right.lower()
    if a == b or match_form(a, "id") == match_form(b, "id"):
        return True
    # ke-...-an and ber-/ter- forms: the repeated part ends the left word and starts the right
    return any(a.endswith(b[:n]) and len(b[:n]) >= 3 for n in range(len(b), 2, -1))


def _may_be_compound(right: str) -> bool:
    """A word that can end a compound split by machine translation (politik -maker)."""
    if len(right) < 3 or not (right.islower() or right.istitle()):  # -cf, -hR, -COLUMN
        return False
    return _is_word(right) or _is_english(right)


def _is_option(text: str, m: re.Match[str]) -> bool:
    """A word option rather than a split compound: given a value (-march=CPU), or after
    a command, a word in lower case commoner in English than in Indonesian (kill
    -signal, sort -reverse; not ke -grup). Machine translation splits a compound it
    half translated, so the word before the hyphen is Indonesian (politik -maker)."""
    left = m.group(1)
    if text.startswith("=", m.end()):
        return True
    return left.islower() and _is_english(left) and _zipf(left, "en") > _zipf(left, "id")


def _space_hyphen(text: str) -> Iterator[Finding]:
    for m in _SPACE_HYPHEN.finditer(text):
        left, right = m.group(1), m.group(2)
        start = m.start(1) + len(left)
        sure = (min(len(left), len(right)) > 1 and _is_reduplication(left, right)) or (
            right.isdigit() and _is_name(left)
        )
        if not sure and (not _may_be_compound(right) or _is_option(text, m)):
            continue  # a command-line option (-t, -mcpu, -fPIC) or a negative number
        yield Finding(
            "id-space-hyphen",
            Severity.ERROR if sure else Severity.WARNING,
            start,
            start + 2,
            f"space before the hyphen in “{left} -{right}”",
            ("-",),
            sure=sure,
        )


def _currency(text: str) -> Iterator[Finding]:
    for m in _CURRENCY.finditer(text):
        yield Finding(
            "id-currency-space",
            Severity.ERROR,
            m.start(),
            m.end(),
            f"space after the currency sign in “{text[m.start() : m.end() + 3]}…”",
            (m.group(1),),
            sure=True,
        )


def _doubled(text: str) -> Iterator[Finding]:
    for m in _DOUBLED.finditer(text):
        word = m.group(1)
        again = text[m.end() - len(word) : m.end()]
        # "Wajah wajah" starts a sentence; "--schemadir SCHEMADIR" is an option and its
        # placeholder, not a stutter
        if again != word and again.capitalize() != word:
            continue
        suggestions: tuple[str, ...]
        if " " in word:  # words: no reduplication writes them so
            message, suggestions = f"“{word}” twice: a stutter", (word,)
        else:
            message = f"“{word}” twice: a reduplication without its hyphen, or a stutter"
            suggestions = (f"{word}-{again}", word)
        yield Finding("id-doubled-word", Severity.WARNING, m.start(), m.end(), message, suggestions)


def _is_word(part: str) -> bool:
    """An Indonesian word: a root, or an affixed form whose stem is a root."""
    part = part.lower()
    return is_indonesian_root(part) or (
        group_key(part, "id") != part and is_indonesian_root(group_key(part, "id"))
    )


def _zipf(word: str, lang: str) -> float:
    from wordfreq import zipf_frequency

    return zipf_frequency(word, lang)


def _is_name(word: str) -> bool:
    """GPT in “GPT -4”, not bernilai (has the value) in “bernilai -1”."""
    return word != word.lower() and not _is_word(word)


def _is_english(word: str) -> bool:
    return _zipf(word, "en") >= 2.0 and not _is_word(word)


def _is_glued_tail(tail: str) -> bool:
    """A word that machine translation glues to the name before it: a common word of the
    sentence (yang, untuk) or an affixed one (dirancang). A short bare root at the end
    of a long capitalised word is far more often part of a name (Hong|aria,
    Bist|rica, Nano|detik)."""
    if not _is_word(tail):
        return False
    frequency = _zipf(tail, "id")
    return frequency >= 5.5 or (frequency >= 3.0 and group_key(tail, "id") != tail)


def _glued(text: str, names: Collection[str]) -> Iterator[Finding]:
    """Words made of a name and a word. Measured on the Indonesian catalogues of a
    GNOME desktop (52,000 strings), where every such word is a real name, the rule
    without the frequency tests made 413 false reports."""
    for m in _CAPITALISED.finditer(text):
        word = m.group()
        # a root, an English word, or written in Indonesian text (Singapura, Validasi)
        if _is_word(word) or _is_english(word) or _zipf(word, "id") > 0:
            continue
        for cut in range(len(word) - _MIN_PART, _MIN_PART - 1, -1):
            head, tail = word[:cut], word[cut:]
            if tail.islower() and _is_glued_tail(tail) and (head in names or _is_english(head)):
                yield Finding(
                    "id-glued-word",
                    Severity.ERROR,
                    m.start(),
                    m.end(),
                    f"“{head}” glued to “{tail}”",
                    (f"{head} {tail}",),
                    sure=True,
                )
                break


@lru_cache(maxsize=1)
def calques() -> tuple[tuple[re.Pattern[str], str, bool, str], ...]:
    """(pattern, right text, sure, note) for each line of termbase/data/calques-id.tsv."""
    source = "termbase/data/calques-id.tsv"
    data = resources.files("termbase") / "data" / "calques-id.tsv"
    out = []
    for number, line in enumerate(data.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) != 4 or fields[2] not in ("sure", "ask"):
            raise ValueError(f"{source}:{number}: expected pattern, right text, sure|ask, note")
        regex = re.compile(rf"(?<![\w-])(?:{fields[0]})(?![\w-])", re.IGNORECASE)
        out.append((regex, fields[1], fields[2] == "sure", fields[3]))
    return tuple(out)


def _calques(text: str) -> Iterator[Finding]:
    for regex, right, sure, note in calques():
        for m in regex.finditer(text):
            span = "span" if "span" in regex.groupindex else 0
            start, end = m.span(span)
            wrong = text[start:end]
            fixed = right[:1].upper() + right[1:] if wrong[:1].isupper() else right
            yield Finding(
                "id-calque",
                Severity.WARNING,
                start,
                end,
                f"“{wrong}” looks translated word by word from English: {note}",
                (fixed,),
                sure=sure,
            )


_STANDALONE_NAME = re.compile(r"\b[A-Z][A-Za-z0-9]+\b")


def check_documents(docs: Sequence[Sequence[str]]) -> list[list[list[Finding]]]:
    """The findings of each text of a language's documents; a name is a word seen
    standing alone anywhere in them."""
    names = {n for texts in docs for text in texts for n in _STANDALONE_NAME.findall(text)}
    return [[check(text, names=names) for text in texts] for texts in docs]


_ID = frozenset({"id"})
register(
    Rule(
        "id-space-hyphen",
        "space before the hyphen of an Indonesian reduplication or compound",
        "id",
        _ID,
        Severity.WARNING,
        copied_from_source=True,
    ),
    Rule(
        "id-currency-space",
        "space after a currency sign",
        "id",
        _ID,
        Severity.ERROR,
        copied_from_source=True,
    ),
    Rule(
        "id-glued-word",
        "a name glued to the next word",
        "id",
        _ID,
        Severity.ERROR,
        copied_from_source=True,
    ),
    Rule(
        "id-doubled-word",
        "the same word or words twice",
        "id",
        _ID,
        Severity.WARNING,
        copied_from_source=True,
    ),
    # a calque is a choice of words in the target language, which no source copies
    Rule("id-calque", "a literal translation from English", "id", _ID, Severity.WARNING),
)
register_language_check("indonesian", _ID, check_documents)
