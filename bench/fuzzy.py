"""Benchmark: fuzzy translation-memory search, Padan's index against brute force.

Builds a memory of --size segments from the msgids of this machine's Gettext catalogues
(/usr/share/locale/*/LC_MESSAGES/*.mo; with --lang zh or id, the msgstrs of that
language's catalogues instead), deduplicated and, to reach the size, replicated with
small edits (a number changed, a word replaced, two words swapped). Then it perturbs
--queries of the segments of 4 words or more with one random small edit (a word deleted,
inserted or replaced, or a few characters changed) and times, per query, these ways of
finding the 5 best matches:

- Padan's FuzzyIndex (tm/fuzzy/), with min_score 0 (the 5 best, whatever their score:
  the same task as brute force) and with its TM default of 75 (penalties included);
- the same index stored in a SQLite workspace (tm/fuzzy/stored.py: what the TUI's memory
  panel and ``padan search`` read), kept open as the panel keeps it: 5 best, and min_score
  75 as the panel asks;
- rapidfuzz brute force: ``process.extract(query, choices, scorer=fuzz.ratio, limit=5)``;
- rapidfuzz exhaustive search with Padan's own score (Levenshtein % on folded text): the
  ceiling of what an index using that score can find (among equal scores, the first in
  the memory's order, which is shuffled);
- translate-toolkit's ``translate.search.match.matcher``, a Python loop over the memory
  sorted by length: far too slow for the full memory, so it runs, with Padan and brute
  force for comparison, on the first --tt-size segments with --tt-queries queries of
  their own.

It prints median and p95 milliseconds per query and recall@5 (the segment a query was
made from is among the 5 results), plus Padan's build time and memory. Goal at 1,000,000
segments: median < 10 ms, at least 5x faster than brute force, recall@5 >= 0.99. The
memory holds ~13 near-duplicates of each sentence at that size, so an edit sometimes
makes a sibling as good a match or a better one: the exhaustive row shows how much recall
that costs any method using the score, and each of Padan's misses is put down to a
sibling scoring higher, a tie, or the index (see :func:`misses`).

    python bench/fuzzy.py --size 1000000 --queries 200 [--seed 1] [--lang en]
"""

from __future__ import annotations

import argparse
import glob
import logging
import os
import random
import re
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import polib
from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from corpora.db import Database
from tm.fuzzy import FuzzyIndex, StoredFuzzyIndex, fold, sync

_WORD_RE = re.compile(r"\w+")
_NUMBER_RE = re.compile(r"\d+")
QUERY_WORDS = 4
_LETTERS = "abcdefghijklmnopqrstuvwxyz"
_HAN_LETTERS = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动"


# -- the memory --------------------------------------------------------------------------


def catalogue_texts(lang: str) -> list[str]:
    """Distinct msgids (English) or msgstrs (other languages) of the installed catalogues."""
    if lang == "en":
        pattern = "/usr/share/locale/*/LC_MESSAGES/*.mo"
    else:
        pattern = f"/usr/share/locale/{lang}*/LC_MESSAGES/*.mo"
    texts: dict[str, None] = {}
    for path in sorted(glob.glob(pattern)):
        try:
            catalogue = polib.mofile(path)
        except (OSError, ValueError, UnicodeDecodeError):
            continue  # a damaged catalogue: skip it, as gettext itself would
        for entry in catalogue:
            text = entry.msgid if lang == "en" else entry.msgstr
            if text.strip():
                texts[text] = None
    return list(texts)


@dataclass(frozen=True)
class Editor:
    """Random small edits, by word for alphabetic text and by jieba word for Chinese."""

    rng: random.Random
    vocabulary: Sequence[str]
    lang: str

    def word_spans(self, text: str) -> list[tuple[int, int]]:
        if self.lang == "zh":
            from corpora.tokenize import tokenize

            return [(t.start, t.end) for t in tokenize(text, "zh") if t.is_word]
        return [m.span() for m in _WORD_RE.finditer(text)]

    def variant(self, text: str) -> str | None:
        """A near-duplicate for the memory: a number changed, a word replaced, or swapped."""
        spans = self.word_spans(text)
        edits: list[Callable[[str, list[tuple[int, int]]], str | None]] = [
            self._replace_word,
            self._swap_words,
        ]
        if _NUMBER_RE.search(text):
            edits.append(self._change_number)
        return self.rng.choice(edits)(text, spans)

    def perturb(self, text: str) -> str:
        """A query made from ``text``: one word deleted, inserted or replaced, or 1-3
        characters changed; never the text itself, never empty."""
        edits = [self._delete_word, self._insert_word, self._replace_word, self._characters]
        while True:
            edited = self.rng.choice(edits)(text, self.word_spans(text))
            if edited and edited.strip() and edited != text:
                return edited

    def _change_number(self, text: str, spans: list[tuple[int, int]]) -> str | None:
        numbers = list(_NUMBER_RE.finditer(text))
        m = self.rng.choice(numbers)
        return text[: m.start()] + str(self.rng.randrange(1000)) + text[m.end() :]

    def _replace_word(self, text: str, spans: list[tuple[int, int]]) -> str | None:
        if not spans:
            return None
        start, end = self.rng.choice(spans)
        return text[:start] + self.rng.choice(self.vocabulary) + text[end:]

    def _swap_words(self, text: str, spans: list[tuple[int, int]]) -> str | None:
        if len(spans) < 2:
            return None
        (a0, a1), (b0, b1) = sorted(self.rng.sample(spans, 2))
        return text[:a0] + text[b0:b1] + text[a1:b0] + text[a0:a1] + text[b1:]

    def _delete_word(self, text: str, spans: list[tuple[int, int]]) -> str | None:
        if len(spans) < 2:
            return None
        start, end = self.rng.choice(spans)
        if text[end : end + 1] == " ":  # the word and one space around it
            end += 1
        elif text[start - 1 : start] == " ":
            start -= 1
        return text[:start] + text[end:]

    def _insert_word(self, text: str, spans: list[tuple[int, int]]) -> str | None:
        at = self.rng.choice([s for s, _ in spans] or [0])
        space = "" if self.lang == "zh" else " "
        return text[:at] + self.rng.choice(self.vocabulary) + space + text[at:]

    def _characters(self, text: str, spans: list[tuple[int, int]]) -> str | None:
        letters = _HAN_LETTERS if self.lang == "zh" else _LETTERS
        for _ in range(self.rng.randint(1, 3)):
            at = self.rng.randrange(len(text) + 1)
            kind = self.rng.choice(("insert", "delete", "replace"))
            if kind == "insert" or at == len(text):
                text = text[:at] + self.rng.choice(letters) + text[at:]
            elif kind == "delete":
                text = text[:at] + text[at + 1 :]
            else:
                text = text[:at] + self.rng.choice(letters) + text[at + 1 :]
        return text


def vocabulary(texts: list[str], lang: str, rng: random.Random) -> list[str]:
    """Words to insert or substitute: jieba words of 5,000 texts for Chinese (a regex
    word would be a whole run of Han characters), every regex word otherwise."""
    if lang != "zh":
        return sorted({w for text in texts for w in _WORD_RE.findall(text)})
    from corpora.tokenize import words

    sample = rng.sample(texts, min(5_000, len(texts)))
    return sorted({w for text in sample for w in words(text, "zh")})


def build_memory(originals: list[str], size: int, editor: Editor) -> list[str]:
    """``size`` distinct segments: the originals, then edited copies of them, shuffled."""
    rng = editor.rng
    if size <= len(originals):
        memory = rng.sample(originals, size)
    else:
        seen = set(originals)
        memory = list(originals)
        while len(memory) < size:
            variant = editor.variant(rng.choice(originals))
            if variant and variant.strip() and variant not in seen:
                seen.add(variant)
                memory.append(variant)
    rng.shuffle(memory)
    return memory


# -- the methods -------------------------------------------------------------------------

Hit = tuple[int, float]  # index in the memory, score given by the method
Search = Callable[[str], list[Hit]]  # query -> the 5 best


@dataclass(frozen=True)
class Result:
    name: str
    times_ms: list[float]
    hits: list[list[Hit]]  # per query
    recall: float

    def row(self) -> str:
        median = statistics.median(self.times_ms)
        p95 = _percentile(self.times_ms, 95)
        return f"{self.name:<40} {median:>10.2f} {p95:>10.2f} {self.recall:>10.3f}"


def _percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def run(name: str, search: Search, queries: list[tuple[str, int]]) -> Result:
    times: list[float] = []
    hits: list[list[Hit]] = []
    for query, _ in queries:
        start = time.perf_counter()
        hits.append(search(query))
        times.append(1000 * (time.perf_counter() - start))
    found = sum(
        target in [i for i, _ in h[:5]] for (_, target), h in zip(queries, hits, strict=True)
    )
    return Result(name, times, hits, found / len(queries))


def padan(memory: list[str], lang: str) -> tuple[FuzzyIndex, float]:
    start = time.perf_counter()
    index = FuzzyIndex(lang).build(enumerate(memory))
    return index, time.perf_counter() - start


def padan_search(index: FuzzyIndex, min_score: float) -> Search:
    """Padan's 5 best, each with its score before penalties (comparable with exhaustive)."""
    return lambda query: [
        (m.segment_id, m.base_score) for m in index.search(query, limit=5, min_score=min_score)
    ]


def padan_reach(index: FuzzyIndex) -> Search:
    """Padan's 5 best by the score before penalties, among its 20 best: what the index
    reached, whatever the penalties then did with it (comparable with exhaustive)."""

    def search(query: str) -> list[Hit]:
        found = index.search(query, limit=20, min_score=0)
        best = sorted(found, key=lambda m: -m.base_score)[:5]  # stable: ties keep their order
        return [(m.segment_id, m.base_score) for m in best]

    return search


@contextmanager
def stored_index(memory: list[str], lang: str) -> Iterator[tuple[StoredFuzzyIndex, float]]:
    """The memory as the variants (id = position + 1) of a temporary SQLite workspace, its
    index stored there; yields the index and the seconds the sync took."""
    with tempfile.TemporaryDirectory() as folder:
        db = Database(Path(folder) / "memory.db")
        try:  # the columns the stored index reads: not the whole workspace schema
            db.execute(
                "CREATE TABLE variants (id INTEGER PRIMARY KEY, lang TEXT NOT NULL, "
                "current TEXT NOT NULL)"
            )
            with db.transaction():
                db.copy(
                    "variants",
                    ("id", "lang", "current"),
                    ((i + 1, lang, t) for i, t in enumerate(memory)),
                )
            start = time.perf_counter()
            sync(db)
            seconds = time.perf_counter() - start
            yield StoredFuzzyIndex(db, lang), seconds
        finally:
            db.close()


def stored_search(index: StoredFuzzyIndex, min_score: float) -> Search:
    return lambda query: [
        (m.segment_id - 1, m.base_score) for m in index.search(query, limit=5, min_score=min_score)
    ]


def brute_force(memory: list[str]) -> Search:
    return lambda query: [
        (i, score) for _, score, i in process.extract(query, memory, scorer=fuzz.ratio, limit=5)
    ]


def exhaustive(memory: list[str]) -> Search:
    """Padan's own score (Levenshtein % on folded text) over the whole memory: the ceiling."""
    folded = [fold(text) for text in memory]
    return lambda query: [
        (i, 100 * score)
        for _, score, i in process.extract(
            fold(query), folded, scorer=Levenshtein.normalized_similarity, limit=5
        )
    ]


def translate_toolkit(memory: list[str]) -> tuple[Search, float]:
    """translate-toolkit's matcher over a PO store whose units translate to themselves.

    ``max_length`` is raised from its default of 70 characters, past which the matcher
    neither looks at longer candidates nor compares more than 70 characters, so that its
    recall is comparable with the others'.
    """
    from translate.search.match import matcher
    from translate.storage import po

    start = time.perf_counter()
    store = po.pofile()
    for text in memory:
        store.addsourceunit(text).target = text
    tm = matcher(store, max_candidates=5, min_similarity=75, max_length=10_000)
    built = time.perf_counter() - start
    ids = {text: i for i, text in enumerate(memory)}
    return lambda query: [(ids[str(u.source)], 0.0) for u in tm.matches(query)], built


def same_best(padan_result: Result, exhaustive_result: Result) -> float:
    """Share of queries where Padan's best score equals the exhaustive search's."""
    same = sum(
        abs(max((s for _, s in mine), default=0) - max((s for _, s in best), default=0)) < 1e-6
        for mine, best in zip(padan_result.hits, exhaustive_result.hits, strict=True)
    )
    return same / len(padan_result.hits)


def same_scores(padan_result: Result, exhaustive_result: Result, least: float = 75) -> float:
    """Share of queries where Padan's scores of at least ``least`` (the matches a TM shows)
    are the exhaustive search's: no segment scoring higher than one it offered was left
    out (recall measured against the score rather than against the original)."""
    same = sum(
        [round(s, 6) for _, s in mine if s >= least] == [round(s, 6) for _, s in best if s >= least]
        for mine, best in zip(padan_result.hits, exhaustive_result.hits, strict=True)
    )
    return same / len(padan_result.hits)


def misses(
    memory: list[str], queries: list[tuple[str, int]], found: Result, ceiling: Result
) -> dict[str, int]:
    """Why ``found`` left out the original of a query, by the exhaustive search's 5 best:

    - ``beaten``: 5 other segments score strictly higher than the original, so no search
      using the score can rank it in the top 5 (the query is closer to edited copies of
      it: a deletion that undoes the word a copy had inserted gives back that copy);
    - ``tied``: the original scores as much as the 5th best, and as many segments as
      that share the score: which of them make the top 5 is the order of equal scores;
    - ``index``: a higher score than the 5th offered was left out.
    """
    why = {"beaten": 0, "tied": 0, "index": 0}
    for (query, target), mine, best in zip(queries, found.hits, ceiling.hits, strict=True):
        if target in [i for i, _ in mine[:5]]:
            continue
        own = 100 * Levenshtein.normalized_similarity(fold(query), fold(memory[target]))
        fifth = best[4][1] if len(best) == 5 else -1.0
        offered = mine[4][1] if len(mine) == 5 else -1.0
        if fifth > own + 1e-9:
            why["beaten"] += 1
        elif offered >= own - 1e-9:
            why["tied"] += 1
        else:
            why["index"] += 1
    return why


def reachable(memory: list[str], queries: list[tuple[str, int]], min_score: float) -> float:
    """Share of queries whose original scores at least ``min_score`` (before penalties)."""
    return sum(
        100 * Levenshtein.normalized_similarity(fold(q), fold(memory[t])) >= min_score
        for q, t in queries
    ) / len(queries)


def make_queries(memory: list[str], count: int, editor: Editor) -> list[tuple[str, int]]:
    """``count`` perturbed segments, each with the index of the segment it was made from.

    Only segments of at least :data:`QUERY_WORDS` words are perturbed: a one-word edit of
    a language name or a two-word label leaves nothing a translation memory should find
    (the original scores far below the 75 % threshold of every TM tool). All segments stay
    in the memory as distractors.
    """
    eligible = [i for i, text in enumerate(memory) if len(editor.word_spans(text)) >= QUERY_WORDS]
    targets = editor.rng.sample(eligible, count)
    return [(editor.perturb(memory[t]), t) for t in targets]


# -- report ------------------------------------------------------------------------------


def _mib(n: int) -> str:
    return f"{n / 2**20:.1f} MiB"


def _table(results: list[Result]) -> None:
    print(f"{'method':<40} {'median ms':>10} {'p95 ms':>10} {'recall@5':>10}")
    for result in results:
        print(result.row())


def full_memory(memory: list[str], queries: list[tuple[str, int]], lang: str) -> None:
    index, build_s = padan(memory, lang)
    parts = index.memory()
    print(
        f"padan index: built in {build_s:.1f} s; memory {_mib(sum(parts.values()))} = "
        f"numpy arrays {_mib(parts['arrays'])} + texts {_mib(parts['texts'])} + "
        f"Python objects {_mib(parts['python'])}"
    )
    top5 = run("padan FuzzyIndex, 5 best (min_score 0)", padan_search(index, 0), queries)
    tm = run("padan FuzzyIndex, min_score 75", padan_search(index, 75), queries)
    reach = run("padan FuzzyIndex, 5 best before penalties", padan_reach(index), queries)
    del index
    with stored_index(memory, lang) as (on_disk, sync_s):
        on_disk.search(queries[0][0])  # opening: the panel's index stays open
        stored5 = run("padan stored in SQLite, 5 best", stored_search(on_disk, 0), queries)
        panel = run("padan stored in SQLite, min_score 75", stored_search(on_disk, 75), queries)
    print(f"stored index (SQLite): synced in {sync_s:.1f} s")
    brute = run("rapidfuzz extract fuzz.ratio (brute)", brute_force(memory), queries)
    ceiling = run("rapidfuzz extract Levenshtein (exhaust.)", exhaustive(memory), queries)
    _table([top5, tm, stored5, panel, brute, ceiling])
    speedup = statistics.median(brute.times_ms) / statistics.median(top5.times_ms)
    print(
        f"padan (5 best) is {speedup:.1f}x faster than brute force (median); its best match "
        f"scores as high as the exhaustive search's for {same_best(top5, ceiling):.1%} of "
        f"queries; the original scores >= 75 (the ceiling of min_score 75, before "
        f"penalties) for {reachable(memory, queries, 75):.1%}"
    )
    why = misses(memory, queries, top5, ceiling)
    print(
        f"padan's top 5 scores of 75 or more are the exhaustive search's for "
        f"{same_scores(reach, ceiling):.1%} of queries (before penalties); of its "
        f"{sum(why.values())} misses of the original: {why['beaten']} have 5 segments "
        f"scoring above the original (no method using the score can find it), {why['tied']} "
        f"tie with the 5th best and lost on the order of equal scores, {why['index']} were "
        f"missed by the index"
    )


def subset_with_translate_toolkit(
    memory: list[str], size: int, count: int, editor: Editor, lang: str
) -> None:
    subset = memory[:size]
    queries = make_queries(subset, min(count, len(subset)), editor)
    tt_search, tt_build = translate_toolkit(subset)
    index, build_s = padan(subset, lang)
    print(
        f"\nsubset: first {len(subset):,} segments, {len(queries)} queries of their own "
        "(translate-toolkit's matcher is a Python loop, too slow for the whole memory); "
        f"build: translate-toolkit {tt_build:.1f} s, padan {build_s:.1f} s"
    )
    _table(
        [
            run("padan FuzzyIndex, 5 best (min_score 0)", padan_search(index, 0), queries),
            run("padan FuzzyIndex, min_score 75", padan_search(index, 75), queries),
            run("rapidfuzz extract fuzz.ratio (brute)", brute_force(subset), queries),
            run("translate-toolkit matcher (min 75)", tt_search, queries),
        ]
    )
    print(f"the original scores >= 75 for {reachable(subset, queries, 75):.1%} of these queries")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000, help="segments in the memory")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--lang", default="en", help="en (msgids), or zh / id (msgstrs)")
    parser.add_argument("--tt-size", type=int, default=20_000, help="translate-toolkit cap")
    parser.add_argument("--tt-queries", type=int, default=50)
    args = parser.parse_args()
    logging.getLogger("jieba").setLevel(logging.WARNING)
    rng = random.Random(args.seed)

    start = time.perf_counter()
    originals = catalogue_texts(args.lang)
    editor = Editor(rng, vocabulary(originals, args.lang, rng), args.lang)
    memory = build_memory(originals, args.size, editor)
    queries = make_queries(memory, args.queries, editor)
    print(
        f"memory: {len(memory):,} {args.lang} segments ({len(originals):,} distinct "
        f"catalogue texts, the rest edited copies), {len(queries)} queries, seed {args.seed}; "
        f"prepared in {time.perf_counter() - start:.1f} s; every method runs on one core "
        f"of {os.cpu_count()}"
    )
    full_memory(memory, queries, args.lang)
    subset_with_translate_toolkit(memory, args.tt_size, args.tt_queries, editor, args.lang)


if __name__ == "__main__":
    main()
