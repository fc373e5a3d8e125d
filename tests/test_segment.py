from corpora.segment import paragraphs, segment_text, sentences


def test_indonesian_sentences_keep_abbreviations_numbers_and_names():
    text = (
        "Biaya R1 kurang dari $ 6 juta, atau 1.000.000 dolar per 3.5 bulan. "
        "Ia memakai GPT-4 dll. Kemudian Dr. Asay bicara di U.S. Army. "
        "“Ini gerakan,” katanya. Versi v1.5 keluar!"
    )
    assert sentences(text, "id") == [
        "Biaya R1 kurang dari $ 6 juta, atau 1.000.000 dolar per 3.5 bulan.",
        "Ia memakai GPT-4 dll. Kemudian Dr. Asay bicara di U.S. Army.",
        "“Ini gerakan,” katanya.",
        "Versi v1.5 keluar!",
    ]


def test_closing_quote_stays_with_its_sentence():
    text = "他说：“开源其实是一种智商税。”“开源模型打不过闭源模型。”然后呢？好！"
    assert sentences(text, "zh") == [
        "他说：“开源其实是一种智商税。”",
        "“开源模型打不过闭源模型。”",
        "然后呢？",
        "好！",
    ]
    assert sentences("“Model ini kuat.” Lalu dia pergi.", "id") == [
        "“Model ini kuat.”",
        "Lalu dia pergi.",
    ]


def test_paragraphs_and_positions():
    segs = segment_text("Satu. Dua.\n\nTiga.\n", "id")
    assert [(s.text, s.position, s.paragraph) for s in segs] == [
        ("Satu.", 0, 0),
        ("Dua.", 1, 0),
        ("Tiga.", 2, 1),
    ]
    assert paragraphs("  a \n\n b\n") == ["a", "b"]


def test_no_split_without_a_following_capital():
    assert sentences("harga naik 3. tapi turun lagi", "id") == ["harga naik 3. tapi turun lagi"]
