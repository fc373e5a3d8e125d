import pytest

from corpora.documents import guess_language, load_document
from corpora.errors import CorpusError


def test_language_is_guessed():
    assert guess_language("开源模型改变了人工智能行业，很多公司发布了模型。") == "zh"
    assert guess_language("Model ini tidak hanya untuk pengembang yang ada di dalam.") == "id"
    assert guess_language("This is the model that the developers of the project use.") == "en"
    assert guess_language("DeepSeek R1 GPT-4 Qwen3") is None


def test_load_document_segments_and_names(tmp_path):
    path = tmp_path / "artikel-1.txt"
    path.write_text("Judul\nModel open source itu kuat. Ini tidak mahal.\nSource link\n")
    doc = load_document(path)
    assert (doc.name, doc.lang) == ("artikel-1", "id")
    assert [s.text for s in doc.segments] == [
        "Judul",
        "Model open source itu kuat.",
        "Ini tidak mahal.",
        "Source link",
    ]
    assert [s.boilerplate for s in doc.segments] == [False, False, False, True]
    assert load_document(path, lang="zh_CN").lang == "zh"


def test_unknown_language_asks_for_lang(tmp_path):
    path = tmp_path / "names.txt"
    path.write_text("DeepSeek R1 GPT-4\n")
    with pytest.raises(CorpusError, match="language") as info:
        load_document(path)
    assert "--lang" in str(info.value)
