"""Fuzzy matching and concordance over the segments of one language.

:class:`FuzzyIndex` finds, for a query segment, the stored segments a translator would want
offered as translation-memory matches, scored the way CAT tools score them, and marks where
each match differs from the query. :func:`concordance` (and :meth:`FuzzyIndex.concordance`)
finds every segment that contains a word or term.

How a search works, and why:

1. **Candidates from a character n-gram index, not a scan.** Each segment is case-folded,
   padded with a space at each end and cut into overlapping character n-grams: trigrams,
   or bigrams for Chinese, Japanese and Korean. For alphabetic text bigrams are too common
   to select anything ("e ", "th"). A Chinese word is mostly two characters, and in a
   short Chinese segment one changed character leaves trigrams almost nothing in common
   (开源模型 → 开放模型 keeps only "模型 ", the end of every segment ending in 模型) while
   bigrams keep three of five. On 200,000 Chinese catalogue strings both sizes found the
   originals equally well (bench/fuzzy.py --lang zh), trigrams ~1.4x faster and bigrams
   with a 25 % smaller index; bigrams are kept for the short segments. An n-gram is packed
   into one int64 (21 bits per code point), so no Python dictionary of grams is needed:
   the vocabulary is a sorted int64 array searched with ``np.searchsorted``, and the
   postings are CSR (offsets into one int32 array of row numbers, sorted within a gram).
2. **Counting shared grams with numpy, rarest grams only.** The postings of the query's
   rarest grams, up to :data:`SEED_POSTINGS` entries in all shards together (the same
   grams counted in every shard), are concatenated, sorted and
   run-length counted; the common grams (" th", "the" are in a fifth of an English
   memory) would multiply the work by 10-50 and add little: a row is ranked by how many
   of these rare grams it shares, less a little for each character of length difference
   (:data:`LENGTH_WEIGHT`), after a length filter: a Levenshtein similarity of ``s`` is
   impossible between texts whose lengths differ by more than ``1 - s`` of the longer.
3. **Re-ranking with the real score.** The best :data:`SHORTLIST` rows are scored with
   rapidfuzz's Levenshtein distance on the case-folded text: ``100 * (1 - distance /
   longer length)``, the percentage of OmegaT, translate-toolkit and most CAT tools. The
   score is at character level in every language, Chinese included: jieba segments the
   same phrase differently depending on its neighbours, so a word-level distance jumps by
   two or three words for a one-character edit. Measured by exhaustive search over
   200,000 Chinese catalogue strings with 200 one-edit queries: at character level 99 %
   of the originals were in the top 5 and they scored 87 ± 9; at jieba-word level 98.5 %,
   85 ± 13, and twice as many fell under 75 (10.5 % against 5.5 %). Words still matter
   for display and for penalties: differing spans are widened to whole tokens (jieba
   words for Han text).
4. **Penalties for a small edit that changes the meaning.** A match that differs from the
   query only by a negation (不, tidak, not...), by one side of a contrast pair (开源 ↔
   闭源) or by a protected term scores 75-88 on plain Levenshtein, i.e. it looks like an
   almost-right match whose translation needs a touch-up, when the translation says the
   opposite. Such a match loses :data:`PENALTY` points and says why in ``Match.flags``.

Score contract: 100 means identical text; 99 means identical after case folding and
whitespace (the translation may need recasing); below that, the Levenshtein percentage on
the folded text, minus any penalty.

Modules: grams.py (folding, packed n-grams), shards.py (building, merging, the shortlist
of one shard), index.py (:class:`FuzzyIndex`: score, penalties, spans), diff.py (what
differs, and whether it changes the meaning), words.py (concordance), stored.py (the
index kept in the workspace database, updated as it changes). :func:`open_index` opens
a workspace's.
"""

from __future__ import annotations

from collections.abc import Iterable

from corpora.db import Database
from tm.fuzzy.diff import NEGATIONS, Span, SpanKind
from tm.fuzzy.grams import fold, gram_size
from tm.fuzzy.index import PENALISED_FROM, PENALTY, FuzzyIndex, Match
from tm.fuzzy.shards import SHORTLIST
from tm.fuzzy.stored import StoredFuzzyIndex, sync
from tm.fuzzy.words import Occurrence, concordance

__all__ = [
    "NEGATIONS",
    "PENALISED_FROM",
    "PENALTY",
    "SHORTLIST",
    "FuzzyIndex",
    "Match",
    "Occurrence",
    "StoredFuzzyIndex",
    "Span",
    "SpanKind",
    "concordance",
    "fold",
    "gram_size",
    "open_index",
    "sync",
]


def open_index(
    db: Database,
    lang: str,
    *,
    contrasts: Iterable[tuple[str, str]] = (),
    terms: Iterable[str] = (),
) -> StoredFuzzyIndex:
    """The fuzzy index of the ``lang`` variants of a workspace (either backend): keep one
    to search many times."""
    return StoredFuzzyIndex(db, lang, contrasts=contrasts, terms=terms)
