from collections import Counter

from corpora.bundled import bundled_documents
from termbase.checks.casing import check


def _found(texts, **kw):
    return Counter(
        (dict(texts)[tid][f.start : f.end], f.suggestions[0]) for tid, f in check(texts, **kw)
    )


def test_every_casing_variant_of_the_bundled_corpus():
    texts = [(f"{d.name}#{s.position}", s.text) for d in bundled_documents() for s in d.segments]
    found = _found(texts)
    # Deepseek (14) outnumbers DeepSeek (5): the internal capital decides, not the count
    assert found[("Deepseek", "DeepSeek")] == 14
    assert found[("Openai", "OpenAI")] == 5
    assert found[("QWEN3", "Qwen3")] == 1  # meets "Qwen" of the Chinese article
    assert found[("Baai", "BAAI")] == 1  # "(BAAI)" defines the acronym
    assert found[("ASay", "Asay")] == 1
    assert ("DeepSeek", "Deepseek") not in found


def test_sentence_initial_words_and_single_spellings_are_left_alone():
    texts = [("1", "Model itu bagus."), ("2", "Ini model yang bagus."), ("3", "Pakai Linux.")]
    assert check(texts) == []


def test_term_base_spelling_wins_and_is_sure():
    texts = [("1", "NVIDIA chips"), ("2", "Nvidia chips")]
    [(tid, finding)] = check(texts, preferred={"nvidia": "NVIDIA"})
    assert tid == "2" and finding.suggestions == ("NVIDIA",) and finding.sure
