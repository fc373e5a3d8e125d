import pytest

from tm.effort import effort, score
from tm.errors import TMError


def test_identical_text_scores_perfectly():
    s = score(["Model open source itu kuat."], ["Model open source itu kuat."], "id")
    assert (s.bleu, s.chrf, s.ter) == (100.0, 100.0, 0.0)


def test_chinese_is_scored_per_character():
    s = score(["开源模子很强大"], ["开源模型很强大"], "zh")
    # one character of seven differs: character-level TER is 1/7
    assert s.ter == pytest.approx(100 / 7, abs=0.01)
    assert 0 < s.bleu < 100
    # without Chinese handling TER would see one 7-character token and say 100
    assert score(["开源模子很强大"], ["开源模型很强大"], "en").ter == 100.0


def test_effort_counts_edits():
    e = effort([("sia -sia", "sia-sia"), ("sama", "sama")], "id")
    assert (e.segments, e.edited, e.char_edits) == (2, 1, 1)
    assert e.chrf == 100.0  # chrF ignores spaces: a spacing fix costs nothing there
    assert e.ter > 0  # ...but TER counts the re-joined word
    e = effort([("di wajah yang dipeluk", "di Hugging Face")], "id")
    assert e.chrf < 50 and e.ter == pytest.approx(100 * 3 / 3)
    empty = effort([], "id")
    assert (empty.segments, empty.chrf, empty.ter) == (0, 100.0, 0.0)


def test_mismatched_lengths_are_an_error():
    with pytest.raises(TMError, match="2 hypothesis lines against 1"):
        score(["a", "b"], ["a"], "en")


def test_effort_equals_sacrebleu_on_every_pair():
    """Unchanged pairs are counted, not scored: the corpus scores must still be the ones
    sacrebleu gives on all the pairs (random edits, spaces, Chinese, empty texts)."""
    import random

    rng = random.Random(3)
    words = ["model", "sumber", "terbuka", "开源", "模型", "很", "强大", "AI", "-", ".", " "]
    for lang in ("id", "zh"):
        pairs = []
        for _ in range(300):
            text = "".join(rng.choice(words) + rng.choice(["", " ", "  "]) for _ in range(8))
            if rng.random() < 0.3:
                edited = list(text)
                edited[rng.randrange(len(edited))] = rng.choice("xy 模")
                pairs.append((text, "".join(edited)))
            else:
                pairs.append((text, text))
        pairs += [("", ""), ("a", "")]
        e = effort(pairs, lang)
        s = score([a for a, _ in pairs], [b for _, b in pairs], lang)
        assert (e.chrf, e.ter) == (s.chrf, s.ter)
        assert e.edited == sum(a != b for a, b in pairs) < len(pairs) / 2


def _random_pairs(seed: int, count: int) -> list[tuple[str, str]]:
    """Texts and edits of them: characters or words replaced, inserted, dropped, moved."""
    import random

    rng = random.Random(seed)
    words = ["model", "sumber", "terbuka", "开源", "模型", "强大", "AI", "-", ".", "a", "aa"]
    pairs = []
    for _ in range(count):
        tokens = [rng.choice(words) for _ in range(rng.randrange(0, 12))]
        text = " ".join(tokens)
        edit = rng.randrange(5)
        if edit == 0 and text:
            i = rng.randrange(len(text))
            edited = text[:i] + rng.choice("xy 模a") + text[i + rng.randrange(2) :]
        elif edit == 1:
            edited = " ".join([*tokens, rng.choice(words)])
        elif edit == 2 and tokens:
            edited = " ".join(tokens[:-1] if rng.random() < 0.5 else tokens[1:])
        elif edit == 3 and len(tokens) > 2:
            i, j = sorted(rng.sample(range(len(tokens)), 2))
            moved = tokens[:i] + tokens[i + 1 : j] + [tokens[i]] + tokens[j:]
            edited = " ".join(moved)
        else:
            edited = " ".join(rng.choice(words) if rng.random() < 0.2 else t for t in tokens)
        pairs.append((text, edited))
    return pairs


def test_chrf_statistics_equal_sacrebleus_for_each_pair():
    from sacrebleu.metrics.chrf import CHRF

    from tm.effort import chrf_stats

    metric = CHRF()
    for hyp, ref in _random_pairs(5, 2000) + [("", "a"), ("abc", ""), ("aaaa", "aaaaaa")]:
        [expected] = metric._extract_corpus_statistics([hyp], [[ref]])
        assert chrf_stats(hyp, ref, metric.char_order) == expected, (hyp, ref)


def test_ter_of_each_pair_equals_sacrebleus():
    """Single edits take a shortcut past the shift search; the figure must not change."""
    from sacrebleu.metrics.ter import TER

    from tm.effort import _ter_stats, _ter_tokens

    metric = TER()
    for lang in ("id", "zh"):
        for hyp, ref in _random_pairs(7, 1500):
            if not ref.strip():
                continue  # sacrebleu's TER of an empty reference is a special case
            spaced = _ter_tokens(hyp, lang), _ter_tokens(ref, lang)
            [expected] = metric._extract_corpus_statistics([spaced[0]], [[spaced[1]]])
            assert list(_ter_stats(hyp, ref, lang)) == expected, (hyp, ref, lang)
