from corpora.boilerplate import boilerplate_flags, is_ad_sentence
from corpora.bundled import bundled_documents, manifest


def _flagged(doc_id):
    [doc] = [d for d in bundled_documents() if d.name == doc_id]
    return [s.text for s in doc.segments if s.boilerplate]


def test_page_furniture_of_001():
    # read off the end of 001: a section label, the disclaimer and the page chrome
    flagged = _flagged("001")
    assert flagged[0] == "Berita"
    assert flagged[1].startswith("Pandangan yang diungkapkan dalam artikel ini")
    assert flagged[2:] == [
        "Source link",
        "Related Articles",
        "Tinggalkan Balasan",
        "Alamat email Anda tidak akan dipublikasikan.",
        "Ruas yang wajib ditandai *",
        "Back to top button",
    ]


def test_disclaimer_and_author_bio_of_002():
    flagged = _flagged("002")
    assert flagged[0] == "Penolakan tanggung jawab"
    assert "Tentang Penulis" in flagged and "lebih artikel" in flagged
    assert sum(t.startswith("Konsultan pemasaran digital") for t in flagged) == 2
    # the article's own headings are content
    assert "Singkatnya" not in flagged and "Akar Open Source" not in flagged


def test_advert_at_the_end_of_003_only():
    flagged = _flagged("003")
    assert len(flagged) == 2
    assert flagged[0].startswith("雪贝财经组建了")
    assert flagged[1].endswith("答复“星球”。")


def test_clean_articles_have_no_boilerplate():
    assert _flagged("000") == []
    assert _flagged("004") == []


def test_rules_are_general():
    paras = [
        "News",
        "Real content here about open source.",
        "Disclaimer",
        "Not advice.",
        "About the author",
        "Jane writes about AI.",
    ]
    assert boilerplate_flags(paras, "en") == [True, False, True, True, True, True]
    assert boilerplate_flags(["Berita itu penting bagi kami semua."], "id") == [False]
    assert is_ad_sentence("欢迎关注我们的公众号，获取更多资讯。", "zh")
    assert not is_ad_sentence("开源社区的贡献者很多。", "zh")


def test_manifest_describes_every_bundled_file():
    entries = manifest()
    assert [e["id"] for e in entries] == ["000", "001", "002", "003", "004"]
    assert [e["lang"] for e in entries] == ["id", "id", "id", "zh", "id"]
    assert all(e["title"] and e["notes"] for e in entries)
    docs = bundled_documents()
    assert all(d.segments for d in docs)
    assert docs[3].segments[0].text.startswith("通过开源其模子")
