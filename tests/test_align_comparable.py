from termbase.align_comparable import align_comparable
from termbase.cedict import glosses
from termbase.cognates import english_cognate
from termbase.extract import Sentence, extract
from termbase.glosses import english_key, is_embedded_english
from termbase.lexicon import english_of
from termbase.recognize import find, kwic

ZH = [
    "通过开源其模型,DeepSeek为开发者提供了机会。",
    "开源人工智能的定义仍在发展中,DeepSeek发布了代码。",
    "开源模型的支持者认为,开源能够加快创新。",
    "很多公司选择开源,人工智能社区欢迎DeepSeek。",
]
ID = [
    "Deepseek memicu gerakan open source dunia dan komunitas teknologi.",
    "Gerakan sumber terbuka tumbuh karena komunitas open source bekerja sama.",
    "Model open source dari Deepseek mengubah teknologi kecerdasan buatan.",
    "Strategi sumber terbuka membantu komunitas dan teknologi lokal.",
    "Sumber terbuka bukan lagi usaha sampingan bagi Deepseek.",
]


def _run():
    sentences = {
        "zh": [Sentence("zh-doc", i, s) for i, s in enumerate(ZH)],
        "id": [Sentence("id-doc", i, s) for i, s in enumerate(ID)],
    }
    candidates = {lang: extract(s, lang, top=None) for lang, s in sentences.items()}
    return align_comparable(sentences, candidates)


def _find(props, source, target, target_lang):
    return [
        p
        for p in props
        if p.source == source and p.target == target and p.target_lang == target_lang
    ]


def test_dictionary_links_kaiyuan_to_english_and_to_sumber_terbuka():
    props = _run()
    [to_english] = _find(props, "开源", "open source", "en")
    assert to_english.method == "dictionary" and to_english.score > 0.5
    assert any("CC-CEDICT" in e for e in to_english.evidence)
    [to_loan] = _find(props, "开源", "open source", "id")  # English inside Indonesian
    [to_native] = _find(props, "开源", "sumber terbuka", "id")
    assert to_native.score < to_loan.score  # composed from word glosses: less sure
    assert any("GNOME glossary" in e for e in to_native.evidence)
    assert any("[sumber terbuka]" in e or "[Sumber terbuka]" in e for e in to_native.evidence)


def test_identical_latin_names_are_anchors():
    props = _run()
    # the Indonesian text writes Deepseek: the name takes its owner's camel case on both
    # sides, and the other casing comes along as a deprecated variant
    assert not _find(props, "DeepSeek", "Deepseek", "id")
    [anchor] = _find(props, "DeepSeek", "DeepSeek", "id")
    assert anchor.method == "anchor"
    assert anchor.count >= 2
    assert [(v.text, v.lang, v.replacement, v.rule) for v in anchor.variants] == [
        ("Deepseek", "id", "DeepSeek", "casing")
    ]


def test_cognates_and_dictionaries_give_english_equivalents():
    props = _run()
    [tech] = _find(props, "teknologi", "technology", "en")
    assert tech.method in ("cognate", "dictionary")
    assert _find(props, "komunitas", "community", "en")


def test_loanwords_match_the_glosses_of_the_other_language():
    zh = ["公司的透明度很重要。", "透明度和出口管制都重要。", "出口管制影响芯片公司。"]
    id_ = [
        "Transparansi perusahaan penting.",
        "Transparansi dan kontrol ekspor penting.",
        "Kontrol ekspor pada perusahaan chip itu.",
    ]
    sentences = {
        "zh": [Sentence("z", i, s) for i, s in enumerate(zh)],
        "id": [Sentence("i", i, s) for i, s in enumerate(id_)],
    }
    candidates = {lang: extract(s, lang, top=None) for lang, s in sentences.items()}
    props = align_comparable(sentences, candidates)
    [transparency] = _find(props, "透明度", "Transparansi", "id")
    assert transparency.method == "cognate"
    assert any("transparency" in e for e in transparency.evidence)  # the English pivot
    # two words, each borrowed, in Indonesian order
    assert _find(props, "出口管制", "kontrol ekspor", "id") or _find(
        props, "出口管制", "Kontrol ekspor", "id"
    )
    # a dictionary word that is no loan: perusahaan = company (WikDict)
    assert _find(props, "公司", "perusahaan", "id")


def test_every_proposal_has_evidence_and_a_bounded_score():
    for p in _run():
        assert p.evidence
        assert 0 < p.score <= 1
        assert p.source_lang != p.target_lang


def test_cedict_follows_abbreviations_and_keeps_acronyms():
    texts = [g.text for g in glosses("开源")]
    assert "open source" in texts  # via "abbr. for 开放源码"
    assert "AI" in [g.text for g in glosses("人工智能")]
    assert glosses("不存在的词语") == []


def test_cognate_rules_and_false_friends():
    assert english_cognate("teknologi").english == "technology"
    assert english_cognate("inovasi").english == "innovation"
    assert english_cognate("infrastruktur").english == "infrastructure"
    assert english_cognate("eksklusif").english == "exclusive"
    for false_friend in ("bisa", "sumber", "akses", "perusahaan"):
        assert english_cognate(false_friend) is None


def test_indonesian_word_glosses_via_stem_are_less_sure():
    exact = english_of("sumber")[0]
    assert exact.english == "source" and "GNOME" in exact.evidence
    glosses = {g.english: g for g in english_of("terbuka")}
    assert glosses["public"].evidence.startswith("WikDict")  # listed as written
    assert "stem of terbuka" in glosses["open"].evidence  # through buka
    assert glosses["open"].confidence < exact.confidence
    assert english_of("kecerdasan buatan")[0].english == "artificial intelligence"  # whole


def test_embedded_english_detection():
    assert is_embedded_english("open-weight")
    assert is_embedded_english("open source")
    assert not is_embedded_english("sumber terbuka")
    assert not is_embedded_english("AS")  # an acronym, not the English word "as"
    assert english_key("Open-Sources") == english_key("open source")


def test_recognizer_does_not_rely_on_jieba_and_sees_inflections():
    assert find("开源", "开源代码很多", "zh") == [(0, 2)]
    assert len(find("open source", "open-source dan Open Source", "id")) == 2
    assert len(find("model", "model-modelnya dan modelnya", "id")) == 2
    assert find("AS", "dari AS, bukan alas", "id") == [(5, 7)]
    assert kwic("a" * 50 + "XYZ" + "b" * 50, (50, 53), width=5) == "…aaaaa[XYZ]bbbbb…"


def test_a_memory_alone_is_extracted_in_every_language_and_aligned(tmp_path):
    """A workspace holding only an imported memory (one document, units in zh and id):
    every language is extracted, and comparable alignment runs on the units without a
    separate extraction first."""
    from padan.workspace import Workspace
    from tm.model import Unit, Variant

    ws = Workspace(str(tmp_path / "units.db"))
    try:
        units = [Unit((Variant("zh", z), Variant("id", i))) for z, i in zip(ZH, ID, strict=False)]
        ws.documents.import_units("memory.tmx", "zh", units)
        assert ws.languages() == ["zh", "id"]
        proposals = ws.align_comparable()
        assert _find(proposals, "开源", "sumber terbuka", "id") or _find(
            proposals, "开源", "open source", "id"
        )
        assert {lang for lang in ("zh", "id") if ws.terms.candidates(lang)} == {"zh", "id"}
        assert set(ws.extract_terms()) == {"zh", "id"}
    finally:
        ws.close()


def test_cedict_read_backwards_finds_a_chinese_word_seen_once():
    """投资者 occurs once, so extraction does not keep it; investor recurs in Indonesian,
    and CC-CEDICT glosses 投资者 as "investor": the pair is proposed with that line."""
    zh = ["投资者看好这家公司。", "公司发布了模型。", "模型很好,政府想控制它。"]
    id_ = [
        "Investor menyukai model itu.",
        "Para investor membeli saham.",
        "Investor ingin kontrol.",
    ]
    sentences = {
        "zh": [Sentence("z", i, s) for i, s in enumerate(zh)],
        "id": [Sentence("i", i, s) for i, s in enumerate(id_)],
    }
    candidates = {lang: extract(s, lang, top=None) for lang, s in sentences.items()}
    # as if beyond the top of a larger corpus
    candidates["zh"] = [c for c in candidates["zh"] if c.text != "投资者"]
    props = align_comparable(sentences, candidates)
    [found] = [p for p in props if p.source == "投资者" and p.target.lower() == "investor"]
    assert found.method == "dictionary"
    assert any(e.startswith("CC-CEDICT 投资者") for e in found.evidence)
    assert any("[投资者]" in e for e in found.evidence)  # where it was found
    # a verb that CC-CEDICT glosses the same way is not searched for: 控制 "to control"
    assert not [p for p in props if p.source == "控制" and p.target_lang == "id"]
