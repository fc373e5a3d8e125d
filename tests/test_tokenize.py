import corpora.tokenize as tokenize_module
from corpora.tokenize import add_words, group_key, match_form, tokenize, words


def test_latin_words_and_compounds_stay_whole_inside_chinese():
    text = "DeepSeek的GPT-4与RISC-V和open-weight模型，AI算力"
    toks = words(text, "zh")
    for whole in ("DeepSeek", "GPT-4", "RISC-V", "open-weight", "AI"):
        assert whole in toks
    assert "算力" in toks


def test_latin_words_and_compounds_stay_whole_inside_indonesian():
    toks = words("model open-weight dari AS dan GPT-4 Openai senilai 1.000.000 dolar", "id")
    assert {"open-weight", "AS", "GPT-4", "Openai"} <= set(toks)
    assert "1.000.000" not in toks  # numbers are not words
    assert [t.kind for t in tokenize("1.000.000", "id")] == ["number"]


def test_full_stop_is_not_part_of_a_word():
    assert [t.text for t in tokenize("pakai model.", "id")] == ["pakai", "model", "."]


def test_offsets_point_into_the_text():
    text = "开源代码和open source"
    for tok in tokenize(text, "zh"):
        assert text[tok.start : tok.end] == tok.text


def test_jieba_splits_kaiyuan_daima_until_taught(monkeypatch):
    # jieba alone reads 开源代码 as 开/源代码: the reason term recognition never relies on it.
    # Taught in a tokenizer of this test's own: the process's one stays as it was.
    monkeypatch.setattr(tokenize_module, "_jieba_tokenizer", None)
    assert "开源" not in words("开源代码", "zh")
    add_words(["开源代码"])
    assert words("开源代码", "zh") == ["开源代码"]


def test_sastrawi_collision_pengembang_pengembangan_kept_apart():
    assert match_form("pengembang", "id") != match_form("pengembangan", "id")
    # ...although Sastrawi puts them in one group
    assert group_key("pengembang", "id") == group_key("pengembangan", "id") == "kembang"
    assert match_form("terbuka", "id") != match_form("keterbukaan", "id")


def test_clitics_and_reduplication_are_seen_through():
    assert match_form("pengembangnya", "id") == "pengembang"
    assert match_form("model-model", "id") == "model"
    assert match_form("Perusahaan-perusahaan", "id") == "perusahaan"
    assert match_form("inovasinya", "id") == "inovasi"
    assert match_form("bukuku", "id") == "buku"


def test_root_words_ending_like_clitics_are_left_alone():
    for word in ("punya", "hanya", "sekolah", "langkah", "ilmu", "waktu"):
        assert match_form(word, "id") == word


def test_english_plural_and_possessive():
    assert match_form("models", "en") == match_form("model", "en")
    assert match_form("Deepseek's", "id") == "deepseek"
    assert match_form("AS", "id") == "as"  # case-folded for matching only


def test_a_han_run_is_cut_as_the_current_dictionary_cuts_it(monkeypatch):
    # Cuts are remembered: teaching a word, or another tokenizer, must not leave old cuts.
    monkeypatch.setattr(tokenize_module, "_jieba_tokenizer", None)
    before = words("他们用源代码写开源代码。", "zh")
    assert "开源代码" not in before and words("他们用源代码写开源代码。", "zh") == before
    add_words(["开源代码"])
    assert "开源代码" in words("他们用源代码写开源代码。", "zh")
    monkeypatch.setattr(tokenize_module, "_jieba_tokenizer", None)  # a fresh, untaught one
    assert words("他们用源代码写开源代码。", "zh") == before
