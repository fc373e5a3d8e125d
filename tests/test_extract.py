from termbase.extract import Sentence, extract

ID_TEXT = [
    "Model open source dari DeepSeek memicu gerakan open-source dunia.",
    "Gerakan sumber terbuka tumbuh karena model open source mudah diakses.",
    "Para pengembang memakai model-model open-weight yang besar.",
    "Pengembangnya bilang rilis open-weight itu murah dan besar.",
    "Tahun ini banyak orang berkata bahwa sumber terbuka adalah masa depan.",
    "Tahun lalu orang berkata hal yang sama tentang sumber terbuka.",
]


def _sentences(lines, source="doc"):
    return [Sentence(source, i, line) for i, line in enumerate(lines)]


def _texts(cands):
    return [c.text for c in cands]


def test_recurring_terms_found_with_their_frequencies():
    cands = {c.text: c for c in extract(_sentences(ID_TEXT), "id", top=None)}
    assert cands["open source"].frequency == 3  # "open source" twice, "open-source" once
    assert cands["open-weight"].frequency == 2
    assert cands["sumber terbuka"].frequency == 3
    assert cands["pengembang"].frequency == 2  # pengembangnya counts as pengembang


def test_hyphen_and_space_spellings_are_one_term():
    texts = _texts(extract(_sentences(ID_TEXT), "id", top=None))
    assert "open source" in texts
    assert "open-source" not in texts and "open source" in texts


def test_termhood_beats_raw_frequency():
    ranked = _texts(extract(_sentences(ID_TEXT), "id", top=None))
    # "berkata" ("said") is as frequent as open-weight but is general language
    assert ranked.index("open-weight") < ranked.index("berkata")
    assert ranked.index("sumber terbuka") < ranked.index("berkata")


def test_stopwords_never_start_or_end_a_term():
    for text in _texts(extract(_sentences(ID_TEXT), "id", top=None)):
        words = text.lower().split()
        assert words[0] not in {"yang", "dan", "itu", "dari", "para"}
        assert words[-1] not in {"yang", "dan", "itu", "dari", "para"}


def test_nested_fragment_does_not_ride_on_its_container():
    ranked = _texts(extract(_sentences(ID_TEXT), "id", top=None))
    # "source" only ever occurs inside "open source": no occurrence of its own
    assert "source" not in ranked
    assert "open source" in ranked


def test_chinese_terms_and_embedded_english():
    zh = [
        "开源模型改变了人工智能行业。",
        "很多公司发布开源模型，人工智能发展很快。",
        "DeepSeek的开源模型支持RISC-V。",
        "他们说RISC-V和开源软件会赢。",
    ]
    cands = {c.text: c for c in extract(_sentences(zh), "zh", top=None)}
    assert cands["开源模型"].frequency == 3
    assert cands["人工智能"].frequency == 2
    assert cands["RISC-V"].frequency == 2
    assert all(len(t) > 1 for t in cands)  # no single Han characters


def test_contexts_name_their_source():
    docs = _sentences(ID_TEXT[:3], "a") + _sentences(ID_TEXT[3:], "b")
    cand = next(c for c in extract(docs, "id", top=None) if c.text == "open-weight")
    assert cand.documents == 2
    assert {ctx.source for ctx in cand.contexts} == {"a", "b"}
    assert all("open-weight" in ctx.text for ctx in cand.contexts)


def test_min_frequency_and_top():
    cands = extract(_sentences(ID_TEXT), "id", top=3)
    assert len(cands) == 3
    once = [c for c in extract(_sentences(ID_TEXT), "id", top=None) if c.frequency < 2]
    # seen once: a name or a single word, never a chance phrase ("rilis open-weight")
    assert "DeepSeek" in _texts(once)
    assert all(" " not in c.text for c in once)
    assert not any(c.text in ("murah", "dunia") for c in once)  # general words


def test_a_rare_word_seen_once_is_kept_and_a_common_one_is_not():
    zh = [
        "硅谷的公司很多。",
        "开源模型很好。",
        "开源模型改变了公司。",
    ]
    texts = _texts(extract(_sentences(zh), "zh", top=None))
    assert "硅谷" in texts  # once, but general Chinese seldom says it
    assert "很多" not in texts and "改变" not in texts


def test_spun_text_is_read_repaired_and_the_spun_form_is_a_variant():
    spun = [
        "通过开源其模子，开辟者可以或许利用这个模子。",
        "这个模子是开源的，开辟者都喜欢模子。",
        "模子的手艺曾经很成熟。",
    ]
    cands = {c.text: c for c in extract(_sentences(spun), "zh", top=None)}
    assert "模子" not in cands and "开辟者" not in cands
    model = cands["模型"]
    assert model.frequency == 5
    assert [(v.text, v.replacement, v.count) for v in model.variants] == [("模子", "模型", 5)]
    assert model.variants[0].rule == "zh-spin"
    # evidence shows the text as it stands
    assert all("模子" in ctx.text and "模型" not in ctx.text for ctx in model.contexts)
    plain = {c.text for c in extract(_sentences(spun), "zh", top=None, repair=False)}
    assert "模子" in plain


def test_one_string_cut_two_ways_is_one_candidate():
    # jieba may cut 开源模型 whole in one sentence and as 开源+模型 in another
    sentences = [
        Sentence("d", i, s)
        for i, s in enumerate(
            ["开源模型很好。", "我们的开源模型。", "开源模型发布了。", "开源 模型。"]
        )
    ]
    texts = [c.text for c in extract(sentences, "zh", top=None)]
    assert len(texts) == len(set(texts))


def test_chinese_function_words_weigh_less_than_nouns():
    # 尤其 (adverb) and 芯片 (noun) occur equally often; general language uses 尤其 more,
    # and jieba's dictionary says it is an adverb
    from termbase.extract import word_class_weight

    text = [
        "这个芯片重要。",
        "尤其在今天。",
        "新的芯片便宜。",
        "尤其在夜里。",
        "我们的芯片。",
        "尤其是你。",
    ]
    ranked = {
        c.text: c.score for c in extract([Sentence("d", i, s) for i, s in enumerate(text)], "zh")
    }
    assert ranked["尤其"] < ranked["芯片"] / 5
    assert word_class_weight("尤其") < word_class_weight("使得") < word_class_weight("芯片") == 1


def test_languages_extracted_in_worker_processes_give_the_same_candidates(monkeypatch):
    import termbase.extract as extract_module
    from termbase.extract import extract_languages

    zh = ["开源模型改变了人工智能行业。", "很多公司发布开源模型，人工智能发展很快。"] * 3
    en = ["Open source models changed the industry.", "Open source models are cheap."] * 3
    sentences = {"zh": _sentences(zh), "id": _sentences(ID_TEXT), "en": _sentences(en)}
    seen: list[tuple[str, int, int]] = []
    alone = extract_languages(sentences, top=None)
    monkeypatch.setattr(extract_module, "PROCESS_SENTENCES", 1)
    monkeypatch.setattr(extract_module, "worker_count", lambda: 2)
    shared = extract_languages(sentences, top=None, progress=lambda *a: seen.append(a))
    assert list(shared) == ["zh", "id", "en"]  # the caller's order, not the work's
    assert shared == alone
    assert _texts(alone["id"])[:1] and "开源模型" in _texts(alone["zh"])
    assert {(lang, n, n) for lang, n in (("zh", 6), ("id", 6), ("en", 6))} <= set(seen)


def test_a_language_without_a_general_word_list_is_ranked_without_contrast():
    """wordfreq has no list for und, mul, qaa or a rare language: its text is still
    extracted, by C-value and unithood alone."""
    for lang in ("xx", "und", "mul", "qaa"):
        ranked = _texts(extract(_sentences(ID_TEXT), lang, top=None))
        assert "sumber terbuka" in ranked and "open-weight" in ranked


def test_cli_extracts_and_aligns_a_workspace_with_a_language_without_a_word_list(tmp_path):
    from click.testing import CliRunner

    from padan.cli import main

    text = tmp_path / "good.txt"
    text.write_text("\n".join(ID_TEXT) + "\n", encoding="utf-8")
    db = str(tmp_path / "l.db")
    runner = CliRunner()
    assert runner.invoke(main, ["--db", db, "import", "--lang", "qaa", str(text)]).exit_code == 0
    for command in (["terms", "extract"], ["terms", "align"]):
        result = runner.invoke(main, ["--db", db, *command])
        assert result.exit_code == 0, result.output
    assert "sumber terbuka" in runner.invoke(main, ["--db", db, "terms", "extract"]).output


def test_a_span_written_twice_counts_once_and_makes_no_term():
    # a garbled rendering's stutter: the span it doubles is counted once there, and no
    # candidate is cut from across the two copies
    lines = [
        "Jalur monetisasi Model Proprietary Model Proprietary GRATIS.",
        "Perusahaan menjual akses ke Model Proprietary mereka.",
    ]
    cands = {c.text.lower(): c for c in extract(_sentences(lines), "id", top=None)}
    assert cands["model proprietary"].frequency == 2
    doubled = [t for t in cands if t.count("model") > 1 or "proprietary model" in t]
    assert doubled == []
