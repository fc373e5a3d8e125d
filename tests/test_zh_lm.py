"""The character language model that weighs spun Chinese: training, reading, scoring."""

from __future__ import annotations

import gzip
import math

import polib
from click.testing import CliRunner

from padan.cli import main
from termbase import zh_lm
from termbase.zh_lm_train import main as train_main
from termbase.zh_lm_train import prose, train

TEXT = [
    "我们使用开源模型来开发新的应用程序。",
    "开发者可以使用这个模型。",
    "这个应用程序的开发者在北京。",
    "开源模型的开发者越来越多。",
] * 3


def _model(order: int = 3) -> zh_lm.CharLM:
    lines, _ = train(TEXT, order, min_count=1)
    return zh_lm.read_model(lines, "test")


def test_the_probabilities_after_a_context_sum_to_one():
    model = _model()
    chars = {c for line in TEXT for c in zh_lm.normalize(line)}
    for context in ("开发", "模型", "使用"):
        total = sum(10 ** model.logprob(c, context) for c in chars)
        assert math.isclose(total, 1.0, rel_tol=0.02), context


def test_seen_text_scores_above_shuffled_text():
    model = _model()
    assert model.logprob("开发者可以使用") > model.logprob("者使发可用以开")


def test_compare_ranks_the_options_in_context():
    judged = zh_lm.compare(_model(), "开发者可以利用这个模型", 5, 7, ["利用", "使用"])
    assert judged.best == "使用" and judged.margin > 0 and "使用" in judged.evidence()


def test_markdown_is_reduced_to_prose():
    md = "# 标题\n```\ncode 代码代码代码代码\n```\n这是[一个链接](http://x.org)里的中文句子。\n"
    assert list(prose(md)) == ["这是一个链接里的中文句子。"]


def test_the_trainer_writes_a_model_the_reader_reads(tmp_path):
    src = tmp_path / "a.md"
    src.write_text("\n".join(TEXT), encoding="utf-8")
    out = tmp_path / "m.tsv.gz"
    assert train_main([str(out), str(src), "--order", "3", "--min-count", "1"]) == 0
    with gzip.open(out) as f:
        model = zh_lm.read_model(f)
    assert model.order == 3 and model.logprob("开发者") > model.logprob("者发开")


def test_fix_auto_changes_nothing_in_clean_chinese(tmp_path):
    """The clean-text control: the zh_CN catalogue of glib through `padan fix --auto`."""
    from conftest import FIXTURES

    po = polib.pofile(str(FIXTURES / "po" / "glib-2.74.6_zh_CN.po"))
    clean = "\n".join(" ".join(e.msgstr.split()) for e in po if e.msgstr) + "\n"
    src, out = tmp_path / "clean.txt", tmp_path / "out.txt"
    src.write_text(clean, encoding="utf-8")
    result = CliRunner().invoke(main, ["fix", "--auto", "--lang", "zh", str(src), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8") == clean


def test_a_mixture_is_a_distribution_between_its_models():
    """Each character's probability is the weighted mean of the models' (issue 16)."""
    a = _model()
    b = zh_lm.read_model(train(TEXT[1:2] * 5 + TEXT[:4], 2, min_count=1)[0], "other")
    mix = zh_lm.Mixture((a, b), (0.5, 0.5))
    chars = {c for line in TEXT for c in zh_lm.normalize(line)}
    total = sum(10 ** mix.logprob(c, "开发") for c in chars)
    assert math.isclose(total, 1.0, rel_tol=0.02)
    text = "可以使用这个"
    lo, hi = sorted([a.logprob(text), b.logprob(text)])
    assert lo < mix.logprob(text) < hi


def test_the_shipped_models_are_documentation_and_interface_strings():
    shipped = zh_lm.model()
    assert len(shipped.models) == 2 and math.isclose(sum(shipped.weights), 1.0)
    docs, ui = shipped.models
    # the interface model has read 消息 as dialogs use it, the documentation hardly
    assert ui.logprob("删除消息") - ui.logprob("删除信息") > docs.logprob(
        "删除消息"
    ) - docs.logprob("删除信息")
