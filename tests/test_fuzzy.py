"""Fuzzy search and concordance of the translation memory (tm/fuzzy/)."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from tm.fuzzy import PENALTY, FuzzyIndex, Match, concordance, fold
from tm.fuzzy.grams import fold_many
from tm.fuzzy.shards import _lengths_within

FILES = [
    (1, "Cannot open the file %s"),
    (2, "Cannot open file %s"),
    (3, "Cannot read the file %s"),
    (4, "Cannot open the big file %s"),
    (5, "Save the document before closing"),
    (6, "Unknown option '%s'"),
]


def _lev(a: str, b: str) -> float:
    """The score a match should get before penalties: Levenshtein % on folded text."""
    return 100 * Levenshtein.normalized_similarity(fold(a), fold(b))


@pytest.fixture
def files() -> FuzzyIndex:
    return FuzzyIndex("en").build(FILES)


def test_exact_match_scores_100_and_comes_first(files: FuzzyIndex) -> None:
    matches = files.search("Cannot open the file %s", min_score=0)
    assert matches[0] == Match(1, "Cannot open the file %s", 100.0)
    assert all(m.score < 100 for m in matches[1:])
    # One word apart: 4/27 characters (85.2) before 4/23 (82.6, a tie, the older first).
    assert [m.segment_id for m in matches[1:4]] == [4, 2, 3]
    assert matches[1].score == pytest.approx(100 * (1 - 4 / 27))


def test_a_difference_of_case_or_whitespace_only_scores_99(files: FuzzyIndex) -> None:
    for query in ("cannot open the file %s", "Cannot open\tthe\nfile %s"):
        [match] = files.search(query, limit=1)
        assert (match.segment_id, match.score) == (1, 99.0)


def test_one_word_edit_scores_its_levenshtein_percentage(files: FuzzyIndex) -> None:
    query = "Cannot write the file %s"
    first = files.search(query)[0]
    assert first.segment_id in (1, 3)
    assert first.score == pytest.approx(_lev(query, first.text))
    assert 75 <= first.score < 90  # a 5-letter word of a 24-character segment


def test_spans_mark_exactly_the_replaced_word(files: FuzzyIndex) -> None:
    [match] = files.search("Cannot read the file %s", limit=1, min_score=0)
    assert match.segment_id == 3 and match.spans == ()
    [match] = files.search("Cannot shut the file %s", limit=1)
    word = match.text.split()[1]  # "open" or "read", whichever won the tie
    start = match.text.index(word)
    assert match.spans == ((start, start + len(word), "replace"),)
    assert match.query_spans == ((7, 11, "replace"),)  # "shut"


def test_spans_mark_an_inserted_and_a_missing_word() -> None:
    index = FuzzyIndex("en").build([(4, "Cannot open the big file %s")])
    [match] = index.search("Cannot open the file %s")
    assert match.spans == ((16, 19, "insert"),)  # "big", to delete from the translation
    [(start, end, kind)] = match.query_spans
    assert (end - start, kind) == (0, "delete") and start in (15, 16)

    index = FuzzyIndex("en").build([(2, "Cannot open file %s")])
    [match] = index.search("Cannot open the file %s")
    assert [kind for _, _, kind in match.spans] == ["delete"]
    assert match.query_spans == ((12, 15, "insert"),)  # "the", missing from the match


def test_a_misspelt_word_is_marked_whole() -> None:
    index = FuzzyIndex("en").build([(1, "Choose a colour for the text")])
    [match] = index.search("Choose a color for the text")
    assert match.spans == ((9, 15, "replace"),)  # "colour", not just its "u"
    assert match.query_spans == ((9, 14, "replace"),)


_LETTERS = "abcdefghijklm"  # memory words; replacements use other letters, so the
_OTHER = "nopqrstuvwxyz"  # edit script cannot borrow letters from the neighbours


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.text(_LETTERS, min_size=2, max_size=8), min_size=3, max_size=9, unique=True),
    st.text(_OTHER, min_size=1, max_size=8),
    st.data(),
)
def test_spans_of_a_word_replacement(words: list[str], new: str, data: st.DataObject) -> None:
    at = data.draw(st.integers(0, len(words) - 1))
    edited = [*words[:at], new, *words[at + 1 :]]
    stored, query = " ".join(words), " ".join(edited)
    index = FuzzyIndex("en").build([(1, stored)])
    [match] = index.search(query, min_score=0)
    start = len(" ".join(words[:at])) + (1 if at else 0)
    assert match.spans == ((start, start + len(words[at]), "replace"),)
    assert match.query_spans == ((start, start + len(new), "replace"),)


def test_min_score_and_limit_are_honoured(files: FuzzyIndex) -> None:
    query = "Cannot open the file %s"
    everything = files.search(query, limit=10, min_score=0)
    assert len(everything) == len(FILES)
    assert [m.score for m in everything] == sorted((m.score for m in everything), reverse=True)
    assert all(m.spans and m.query_spans for m in everything[1:])  # low scores too
    assert len(files.search(query, limit=2, min_score=0)) == 2
    high = files.search(query, limit=10, min_score=85)
    assert high and all(m.score >= 85 for m in high)
    assert {m.segment_id for m in high} == {m.segment_id for m in everything if m.score >= 85}
    assert len(high) < len(everything)
    assert files.search(query, limit=0) == []


def test_empty_index_and_empty_query() -> None:
    empty = FuzzyIndex("en")
    assert empty.search("anything", min_score=0) == []
    assert empty.concordance("anything") == []
    assert empty.nbytes() == 0 and len(empty) == 0
    index = FuzzyIndex("en").build(FILES)
    assert index.search("") == [] and index.search(" \n\t") == []
    assert index.search("zzqx", min_score=0) == []  # no gram in common with anything


def test_segments_added_one_by_one_are_searchable_and_merged() -> None:
    index = FuzzyIndex("en")
    for segment_id, text in FILES:
        index.add(segment_id, text)
        assert index.search(text, limit=1)[0].segment_id == segment_id
    assert len(index) == len(FILES)
    assert len(index._shards) < len(FILES)  # geometric merging, not one shard per add
    assert index.nbytes() > 0
    assert set(index.memory()) == {"arrays", "texts", "python"}


# -- recall -----------------------------------------------------------------------------


def _synthetic_memory(rng: random.Random, size: int) -> list[str]:
    """Distinct sentences of 5-12 words from a vocabulary of 400 made-up words."""
    vocabulary = [
        "".join(rng.choices("abcdefghiklmnoprstuy", k=rng.randint(2, 9))) for _ in range(400)
    ]
    memory: dict[str, None] = {}
    while len(memory) < size:
        memory[" ".join(rng.choices(vocabulary, k=rng.randint(5, 12)))] = None
    return list(memory)


def _perturb(rng: random.Random, text: str) -> str:
    words = text.split()
    at = rng.randrange(len(words))
    kind = rng.choice(("delete", "insert", "replace", "characters"))
    if kind == "delete":
        del words[at]
    elif kind == "insert":
        words.insert(at, "".join(rng.choices("abcdefghijklmnopqrstuvwxyz", k=5)))
    elif kind == "replace":
        words[at] = "".join(rng.choices("abcdefghijklmnopqrstuvwxyz", k=len(words[at])))
    else:
        word = words[at]
        cut = rng.randrange(len(word))
        words[at] = word[:cut] + rng.choice("xyz") + word[cut + 1 :]
    return " ".join(words)


def test_recall_at_5_equals_brute_force() -> None:
    rng = random.Random(7)
    memory = _synthetic_memory(rng, 2000)
    index = FuzzyIndex("en").build(enumerate(memory))
    folded = [fold(text) for text in memory]
    found = brute = 0
    for target in rng.sample(range(len(memory)), 100):
        query = _perturb(rng, memory[target])
        found += target in [m.segment_id for m in index.search(query, min_score=0)]
        best = process.extract(
            fold(query), folded, scorer=Levenshtein.normalized_similarity, limit=5
        )
        brute += target in [i for _, _, i in best]
    assert found >= 99
    assert found == brute


# -- penalties --------------------------------------------------------------------------


def test_contrast_pair_swap_is_penalised() -> None:
    stored = [(1, "闭源模型很强大")]
    plain = FuzzyIndex("zh").build(stored)
    [unpenalised] = plain.search("开源模型很强大")
    assert unpenalised.score == pytest.approx(100 * 6 / 7)  # 85.7: "nearly identical"
    assert unpenalised.flags == ()

    aware = FuzzyIndex("zh", contrasts=[("开源", "闭源")]).build(stored)
    assert aware.search("开源模型很强大") == []  # 65.7 is below the 75 % threshold
    [penalised] = aware.search("开源模型很强大", min_score=0)
    assert penalised.flags == ("contrast",)
    assert penalised.base_score == pytest.approx(unpenalised.score)
    assert penalised.score == pytest.approx(unpenalised.score - PENALTY)
    assert penalised.spans == ((0, 2, "replace"),)  # 闭源, the whole word


def test_contrast_pair_in_english_and_unrelated_edits_unpenalised() -> None:
    index = FuzzyIndex("en", contrasts=[("open source", "closed source")]).build(
        [(1, "This is an open source model"), (2, "This is an open source engine")]
    )
    swapped = index.search("This is an closed source model", min_score=0)
    assert swapped[0].segment_id == 1 and swapped[0].flags == ("contrast",)
    other = index.search("This is an open source module", min_score=0)
    assert other[0].segment_id == 1 and other[0].flags == ()


def test_a_changed_term_is_penalised() -> None:
    index = FuzzyIndex("zh", terms=["开源"]).build([(1, "闭源模型很强大"), (2, "开源模型真强大")])
    by_id = {m.segment_id: m for m in index.search("开源模型很强大", min_score=0)}
    assert by_id[1].flags == ("term",) and by_id[1].score == by_id[1].base_score - PENALTY
    assert by_id[2].flags == () and by_id[2].score == by_id[2].base_score  # term unchanged


def test_latin_terms_are_matched_on_word_boundaries() -> None:
    index = FuzzyIndex("en", terms=["AI"]).build(
        [(1, "Use the AI model"), (2, "Use the AIR model")]
    )
    by_id = {m.segment_id: m for m in index.search("Use the ML model", min_score=0)}
    assert by_id[1].flags == ("term",)
    [match] = index.search("Use the AIM model", min_score=80)
    assert match.segment_id == 2 and match.flags == ()  # "AI" is not a word of AIR or AIM


def test_negation_is_penalised_indonesian() -> None:
    stored = "Model ini mendukung bahasa Indonesia"
    query = "Model ini tidak mendukung bahasa Indonesia"
    [match] = FuzzyIndex("id").build([(1, stored)]).search(query, min_score=0)
    assert match.base_score == pytest.approx(_lev(query, stored))
    assert 80 <= match.base_score < 90  # plain Levenshtein: a near-identical match
    assert match.flags == ("negation",)
    assert match.score == pytest.approx(match.base_score - PENALTY)
    assert match.query_spans == ((10, 15, "insert"),)  # "tidak"


def test_negation_is_penalised_chinese() -> None:
    [match] = FuzzyIndex("zh").build([(1, "这个模型不强大")]).search("这个模型很强大", min_score=0)
    assert match.base_score == pytest.approx(100 * 6 / 7)
    assert match.flags == ("negation",) and match.score < 70
    assert match.spans == ((4, 5, "replace"),)


def test_negation_outside_the_difference_or_kept_is_not_penalised() -> None:
    index = FuzzyIndex("id").build([(1, "Model ini tidak mendukung bahasa Inggris")])
    [match] = index.search("Model ini tidak mendukung bahasa Indonesia", min_score=0)
    assert match.flags == ()  # both say "tidak": the difference is the language
    index = FuzzyIndex("en").build([(1, "You cannot open this file")])
    [match] = index.search("You can not open this file", min_score=0)
    assert match.flags == ()  # a negation in both spellings is still a negation
    index = FuzzyIndex("zh").build([(1, "未来的模型很强大")])
    [match] = index.search("现在的模型很强大", min_score=0)
    assert match.flags == ()  # 未来 "future" is not 未 "not"


def test_chinese_spans_are_words() -> None:
    [match] = FuzzyIndex("zh").build([(1, "模子很强大")]).search("模型很强大")
    assert match.score == pytest.approx(80.0)
    assert match.spans == ((0, 2, "replace"),)  # 模子, not only its 子


# -- concordance -------------------------------------------------------------------------

SEGMENTS = [
    (1, "开源代码的模型"),
    (2, "Model-model baru dirilis"),
    (3, "Modelnya sangat kuat"),
    (4, "Remodel dan modem"),
    (5, "Model open-source terbaru"),
    (6, "闭源代码"),
]


def test_concordance_finds_chinese_by_substring() -> None:
    # jieba cuts 开源代码 as 开/源代码: a token search would miss it.
    hits = concordance(SEGMENTS, "开源", "zh")
    assert [(h.segment_id, h.spans) for h in hits] == [(1, ((0, 2),))]


def test_concordance_sees_through_reduplication_and_clitics() -> None:
    hits = concordance(SEGMENTS, "model", "id")
    assert [(h.segment_id, h.spans) for h in hits] == [
        (2, ((0, 11),)),  # Model-model
        (3, ((0, 8),)),  # Modelnya
        (5, ((0, 5),)),
    ]  # never inside Remodel, never modem


def test_concordance_multiword_term_matches_hyphenated_spelling() -> None:
    hits = concordance(SEGMENTS, "open source", "id")
    assert [(h.segment_id, h.spans) for h in hits] == [(5, ((6, 17),))]


def test_concordance_in_english_sees_plurals_and_ignores_case() -> None:
    texts = [(1, "The Libraries are open"), (2, "A library"), (3, "Librarian")]
    assert [h.segment_id for h in concordance(texts, "library", "en")] == [1, 2]
    index = FuzzyIndex("en").build(texts)
    assert [h.spans for h in index.concordance("library")] == [((4, 13),), ((2, 9),)]


def test_index_concordance_agrees_with_the_scan() -> None:
    for lang, texts in (("id", SEGMENTS), ("zh", SEGMENTS)):
        index = FuzzyIndex(lang).build(texts)
        for word in ("开源", "代码", "model", "open source", "baru", "kuat", "modem", "absent"):
            assert index.concordance(word) == concordance(texts, word, lang), word


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet="aΣσςİI \t\n\u00a0'’b", max_size=12), max_size=6))
def test_folding_many_texts_at_once_folds_each_as_alone(texts: list[str]) -> None:
    # Final sigma depends on the neighbouring letters, İ lengthens in lower case: joining
    # the texts must change neither.
    assert fold_many(texts) == [fold(text) for text in texts]


@settings(max_examples=500, deadline=None)
@given(st.integers(1, 5000), st.sampled_from([0.0, 0.5, 0.75, 0.8, 0.9, 0.95, 1.0, 0.33]))
def test_length_bounds_are_the_float_conditions(length: int, cutoff: float) -> None:
    shortest, longest = _lengths_within(length, cutoff)
    for n in range(max(0, shortest - 3), shortest + 3):
        assert (n >= shortest) == (n >= cutoff * length)
    for n in range(max(0, longest - 3), min(longest + 3, 1 << 40)):
        assert (n <= longest) == (cutoff * n <= length)
