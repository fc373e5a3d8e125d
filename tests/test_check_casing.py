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


def test_units_whose_case_is_their_meaning_are_left_alone():
    # glib's catalogue writes both: EB is exabytes, Eb exabits; MiB is not Mib
    texts = [("1", "%.1f EB"), ("2", "%.1f Eb"), ("3", "%.1f MiB"), ("4", "%.1f Mib")]
    assert check(texts) == []


def test_message_names_both_spellings_with_their_version_number():
    texts = [("1", "Qwen2 and Qwen3 are out"), ("2", "QWEN3 is out")]
    [(tid, finding)] = check(texts)
    assert tid == "2" and finding.suggestions == ("Qwen3",)
    assert "“QWEN3” is written “Qwen3” elsewhere" in finding.message


def test_a_name_seen_in_one_flattened_casing_is_offered_in_camel_case_but_not_sure():
    # one document alone: no DeepSeek to compare with, yet Deep+seek is two English words
    texts = [("1", "Rilis Deepseek dan Openai mengubah AI."), ("2", "AI dan AI lagi.")]
    found = {dict(texts)[t][f.start : f.end]: f for t, f in check(texts, names={})}
    assert found["Deepseek"].suggestions == ("DeepSeek",)
    assert found["Openai"].suggestions == ("OpenAI",)
    assert not any(f.sure for f in found.values())


def test_real_words_and_place_names_are_not_split():
    texts = [("1", "Facebook, Stargate, Singapura, Firefox, Hongaria dan autostart. AS OR")]
    assert check(texts) == []


def test_a_listed_name_is_given_its_own_casing_even_when_seen_once():
    texts = [("1", "Alibaba merilis QWEN3; ekspansi di luar chatgpt lambat (chatgpt.com).")]
    found = {dict(texts)[t][f.start : f.end]: f for t, f in check(texts)}
    assert found["QWEN3"].suggestions == ("Qwen3",) and found["QWEN3"].sure
    assert "by its makers" in found["QWEN3"].message
    # lower case: the name, but not sure (a package is written so); not in an address
    assert [f.suggestions for t, f in check(texts) if f.start > 30] == [("ChatGPT",)]
    assert not found["chatgpt"].sure


def test_a_variant_the_list_accepts_is_left_alone():
    names = {"nvidia": ("NVIDIA", "Nvidia")}
    texts = [("1", "chip H800 NVIDIA"), ("2", "Jensen Huang dari Nvidia"), ("3", "nvidia.com")]
    assert check(texts, names=names) == []
    assert [f.suggestions for _, f in check([("1", "NVidia dan Nvidia")], names=names)] == [
        ("NVIDIA",)
    ]


def test_a_lower_case_term_says_nothing_of_casing():
    # a term base of ordinary words (head, copy) must not make shouted keywords or a
    # product's own casing wrong
    texts = [("1", "git reset HEAD~1"), ("2", "COPY the table"), ("3", "PostgreSQL 16")]
    preferred = {"head": "head", "copy": "copy", "postgresql": "postgresql"}
    assert check(texts, preferred=preferred) == []
    assert check([("1", "Postgresql 16")], preferred={"postgresql": "PostgreSQL"})


def test_a_capital_at_a_sentence_start_is_no_spelling():
    # "Arg salah" is capitalised by its place: the usage line's ARG stays as written
    assert check([("1", "PERINTAH [ARG…]"), ("2", "Arg salah\n")]) == []
    assert check([("1", "Jalankan PERINTAH [ARG…]"), ("2", "Galat. Arg salah")]) == []
    # mid-sentence, the same word is a spelling of its own, and the two disagree
    found = check([("1", "PERINTAH [ARG…]"), ("2", "Nilai Arg salah")])
    assert [(i, f.suggestions) for i, f in found] == [("1", ("Arg",))]
    # a flattened name at a sentence start is still found
    found = check([("1", "DeepSeek merilis model"), ("2", "Deepseek merilis model")])
    assert [(i, f.suggestions) for i, f in found] == [("2", ("DeepSeek",))]


def test_capitals_against_a_capitalised_word_are_offered_not_sure():
    texts = [("1", "Stock Id"), ("2", "ID pengguna tidak sah"), ("3", "Kunci ID rusak")]
    found = check(texts)
    assert [(i, f.suggestions, f.sure) for i, f in found] == [(n, ("Id",), False) for n in "23"]


def test_identifiers_are_no_names():
    texts = [("1", "Setel PANGO_RC_FILE"), ("2", "Pakai Pango"), ("3", "G_DBUS_DEBUG dan Dbus")]
    assert check(texts) == []
