"""Chinese de-spinning: the spin score, the lexicon and its context rules."""

from __future__ import annotations

import polib
import pytest
from rapidfuzz.distance import Levenshtein

from corpora.bundled import bundled_documents
from corpora.segment import document_text
from termbase.checks.finding import apply_all
from termbase.checks.spin import SPUN_THRESHOLD, check, parse_lexicon, spin_score

SPUN = (
    "通过开源其模子,DeepSeek为任何猎奇的开辟者供给了进修和正在节约成本的立异根本长进行开辟的机遇。"
)


def _fix(text: str, **kw) -> str:
    return apply_all(text, [f for f in check(text, **kw) if f.sure])[0]


def test_the_spun_article_scores_high_and_the_others_low():
    scores = {d.name: spin_score(document_text(d)) for d in bundled_documents()}
    assert scores["003"] > 10 * SPUN_THRESHOLD
    assert all(score < SPUN_THRESHOLD / 10 for name, score in scores.items() if name != "003")


def test_a_spun_sentence_is_restored():
    assert _fix(SPUN, spun=True) == (
        "通过开源其模型,DeepSeek为任何好奇的开发者提供了学习和在节约成本的创新基础上进行开发的机会。"
    )


def test_ordinary_words_are_left_alone_in_clean_text():
    clean = "我们的目标是与合作伙伴一起利用系统的部分功能，发生问题时成立小组。"
    assert check(clean) == []
    # …but the same words are the spinner's output in a spun document
    assert _fix("合作的节奏", spun=True) == "竞争的节奏"


def test_chains_are_undone_once():
    # 使用→利用→操纵 and 应用→使用: each spun form goes back exactly one step
    assert _fix("操纵开源RISC-V开辟物联网使用，芯片利用", spun=True) == (
        "利用开源RISC-V开发物联网应用，芯片使用"
    )


def test_real_zhengzai_survives_and_idioms_are_kept():
    assert _fix("现在正正在改变，正在中国", spun=True) == "现在正在改变，在中国"
    assert _fix("他标新立异，平易近人。") == "他标新立异，平易近人。"
    assert _fix("平易近族的立异") == "民族的创新"


def test_inverted_meanings_only_in_spun_documents():
    assert _fix("开源劣势，靠赔本", spun=True) == "开源优势，靠赚钱"
    assert _fix("开源劣势，靠赔本", spun=False) == "开源劣势，靠赔本"


def test_ask_entries_are_suggested_but_not_sure():
    [f] = check("他驳倒了这篇文章", spun=True)
    assert f.suggestions == ("驳斥",) and not f.sure


def test_lexicon_rules_are_checked():
    with pytest.raises(ValueError, match="line 1|:1:"):
        parse_lexicon("模子\t模型\tmaybe\n", "x.tsv")
    with pytest.raises(ValueError, match="groups"):
        parse_lexicon("(模)子\t模型\talways\n", "x.tsv")


def test_clean_catalogues_are_nearly_untouched():
    """The zh_CN catalogues of glib: real, clean Chinese."""
    from conftest import FIXTURES

    lines = [
        e.msgstr for e in polib.pofile(str(FIXTURES / "po" / "glib-2.74.6_zh_CN.po")) if e.msgstr
    ]
    text = "\n".join(lines)
    assert spin_score(text) < SPUN_THRESHOLD / 10
    assert Levenshtein.distance(text, _fix(text)) <= 0.0005 * len(text)
    # the per-document gate is what protects it: read as spun, it would be damaged even
    # with the language model weighing every ordinary word
    assert Levenshtein.distance(text, _fix(text, spun=True)) > 0.002 * len(text)


def test_the_hand_restored_article_is_nearly_reached():
    """003 one sentence per line, against a reviewer's restoration (tests/fixtures/spin)."""
    from conftest import FIXTURES

    spun = (FIXTURES / "spin" / "003-spun.txt").read_text(encoding="utf-8")
    restored = (FIXTURES / "spin" / "003-restored.txt").read_text(encoding="utf-8")
    lines = spun.split("\n")
    spun_doc = spin_score(spun) >= SPUN_THRESHOLD
    fixed = "\n".join(_fix(line, spun=spun_doc) for line in lines)
    damage = Levenshtein.distance(spun, restored)
    assert Levenshtein.distance(fixed, restored) <= 0.1 * damage


def test_the_language_model_weighs_an_ordinary_word_in_its_sentence():
    # 城市 is the spinner's 都会 before a verb, the author's city elsewhere
    assert _fix("大多数工程师城市感到兴奋", spun=True) == "大多数工程师都会感到兴奋"
    assert _fix("北京这样的城市，也出现了极光", spun=True) == "北京这样的城市，也出现了极光"


def test_the_evidence_is_in_the_message():
    [f] = check("大多数工程师城市感到兴奋", spun=True)
    assert f.sure and "都会 " in f.message and "城市 " in f.message and "log10" in f.message


def test_a_chain_goes_one_step_when_the_middle_form_is_left_in_the_document():
    # a 利用 left in the document: the spinner rewrote 利用→操纵 before 使用→利用
    fixed = _fix("他们操纵开源芯片开展研究，芯片利用", spun=True)
    assert fixed.startswith("他们利用开源芯片")  # 操纵 went back one step only
    assert "芯片利用" not in fixed  # the 利用 left is restored (to 使用 or, two steps, 应用)


def test_a_word_the_spinner_also_replaces_is_restored_whatever_the_model_says():
    # a real 目标 became 方针, so a 目标 left in a spun document is the spinner's 目的
    [f] = check("没有功利目标，投入地去做一件事", spun=True)
    assert f.sure and f.suggestions == ("目的",)


def test_the_shipped_model_prefers_real_chinese():
    from termbase import zh_lm

    model = zh_lm.model()
    assert model.logprob(zh_lm.normalize("我们的开源模型")) > model.logprob(
        zh_lm.normalize("我们的开源模子")
    )


def test_a_spun_form_is_weighed_again_beside_its_neighbours_restored(monkeypatch):
    # 利用 before the spun 法式: in the text as it stands the model cannot tell 使用 from
    # 应用; beside 程序 (法式 restored) 应用程序 is the word
    from termbase.checks import spin
    from termbase.checks.finding import apply_all

    text = "利用法式需要再次调用 libpam"

    def fixed() -> str:
        return apply_all(text, [f for f in spin.check(text, spun=True) if f.sure])[0]

    assert fixed() == "应用程序需要再次调用 libpam"
    monkeypatch.setattr(spin, "_ROUNDS", 0)
    assert fixed() != "应用程序需要再次调用 libpam"


def test_a_signature_goes_two_steps_only_when_its_original_is_gone_from_the_document():
    # 可以→能够, then 能够→可以或许: with no 能够 left the model chooses between the two
    assert _fix("你可以或许在这里下载", spun=True) == "你可以在这里下载"
    # a 能够 left shows 能够→可以或许 ran first: 可以或许 went one step only
    assert _fix("可以或许在这里下载，能够吗", spun=True) == "能够在这里下载，可以吗"


def test_a_swapped_pair_is_sure_only_while_both_forms_are_left():
    # a spinner swapping 支持⇄支撑 at once leaves both, each the other's spun form
    assert _fix("支持这个项目，桥梁的支撑", spun=True) == "支撑这个项目，桥梁的支持"
    # one swapping them in turn leaves one form, which may be either: the model decides
    [first, second] = check("我们支持这个项目，也支持开源", spun=True)
    assert not first.sure and not second.sure and "支撑 " in first.message
