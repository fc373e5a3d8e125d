import pytest

from corpora.errors import CorpusError
from corpora.langtags import checked, normalize, to_po, to_xml_lang


@pytest.mark.parametrize(
    "tag", ["zh", "zh-CN", "zh_CN", "zh-Hans", "zh-Hans-CN", "ZH-cn", "zh_CN.UTF-8"]
)
def test_simplified_chinese_spellings_are_one_language(tag):
    assert normalize(tag) == "zh"


@pytest.mark.parametrize(
    ("tag", "norm"),
    [("id", "id"), ("id-ID", "id"), ("in", "id"), ("en", "en"), ("en-US", "en"), ("en_US", "en")],
)
def test_indonesian_and_english(tag, norm):
    assert normalize(tag) == norm


def test_distinctions_are_kept():
    assert normalize("zh-TW") == "zh-Hant" != normalize("zh")
    assert normalize("en-GB") == "en-GB" != normalize("en")
    assert normalize("pt_br") == "pt-BR"
    assert normalize("zh_CN") == normalize("zh-Hans")


def test_each_format_gets_its_own_convention():
    assert to_xml_lang("zh_CN") == "zh-CN"
    assert to_po("zh-CN") == "zh_CN"
    assert to_xml_lang("id") == "id-ID"
    assert to_po("id-ID") == "id"
    assert to_po("zh-Hant") == "zh_TW"


@pytest.mark.parametrize("bad", ["", "12", "zh CN", "x", "chinese!"])
def test_garbage_is_refused_with_a_hint(bad):
    with pytest.raises(CorpusError, match="not a language tag"):
        normalize(bad)


@pytest.mark.parametrize(
    ("tag", "norm"),
    [("zh-Hans", "zh"), ("zh_CN", "zh"), ("id", "id"), ("en-US", "en"), ("und", "und")]
    + [("pt_BR", "pt-BR"), ("sr-Latn", "sr-Latn"), ("es-419", "es-419"), ("cn", "zh")],
)
def test_a_tag_given_by_a_person_that_names_a_language_passes(tag, norm):
    assert checked(tag) == norm


@pytest.mark.parametrize("tag", ["xx", "zz", "qz", "xxx", "en-Qqqq", "xx-CN"])
def test_a_well_formed_tag_that_names_no_language_is_refused(tag):
    normalize(tag)  # a file may say it: readers keep it
    with pytest.raises(CorpusError, match=f"'{tag}' names no language"):
        checked(tag)
