import pytest

from termbase.checks.indonesian import check


def _rules(text, **kw):
    return [(f.rule, text[f.start : f.end], f.suggestions[0], f.sure) for f in check(text, **kw)]


@pytest.mark.parametrize(
    ("text", "fixed"),
    [
        ("upaya itu sia -sia saja", "upaya itu sia-sia saja"),
        ("Perusahaan -perusahaan Cina", "Perusahaan-perusahaan Cina"),
        ("menekankan kesia -siaan mencoba", "menekankan kesia-siaan mencoba"),
        ("ke GPT -4 Openai", "ke GPT-4 Openai"),
        ("biaya kurang dari $ 6 juta", "biaya kurang dari $6 juta"),
        ("senilai Rp 500 miliar", "senilai Rp500 miliar"),
    ],
)
def test_mechanical_damage_is_found_and_fixed_surely(text, fixed):
    [finding] = check(text)
    assert finding.sure
    assert finding.apply(text) == fixed


def test_a_dash_between_clauses_is_not_damage():
    assert check("Deepseek tidak hanya meluncur - ia memicu gerakan") == []
    assert check("harga $6 juta dan model-model baru") == []


def test_compound_with_space_is_found_but_not_sure():
    found = _rules("keputusan politik -maker.")
    assert ("id-space-hyphen", " -", "-", False) in found
    # and as a half-translated policy-maker, a calque that asks
    assert ("id-calque", "keputusan politik -maker", "pembuat kebijakan", False) in found


def test_glued_name():
    text = "Proyek Stargatedirancang untuk menjaga"
    [finding] = check(text)
    assert finding.rule == "id-glued-word" and finding.sure
    assert finding.apply(text) == "Proyek Stargate dirancang untuk menjaga"


def test_ordinary_long_words_are_not_glued_names():
    text = "Singkatnya, Kebalikannya, Penerapannya, Netscape merilis Pengembangan"
    assert [f for f in check(text) if f.rule == "id-glued-word"] == []


def test_names_that_end_like_a_word_are_not_glued():
    # from the GNOME Indonesian catalogues: each ends in a root (aria, pura, tera, detik)
    # after a head seen alone elsewhere (Hong Kong, Singa, Nano)
    text = "Hongaria, Singapura, Sumatera, Malagasi, Bistrica dan Nanodetik"
    names = {"Hong", "Singa", "Suma", "Mala", "Bist", "Nano"}
    assert [f for f in check(text, names=names) if f.rule == "id-glued-word"] == []
    # while a name glued to a common or affixed word still is
    found = check("Qwen3yang baru, Metamerilis", names={"Qwen3", "Meta"})
    assert [f.suggestions[0] for f in found] == ["Qwen3 yang", "Meta merilis"]


def test_negative_numbers_and_options_are_not_sure_damage():
    # glib's Indonesian catalogues: “jangkauan -32” (range -32...), “v -V” (options)
    for text in ("nilai dalam jangkauan -32 sampai 32", "Gunakan -1 untuk", "opsi v -V"):
        assert not any(f.sure for f in check(text)), text
    assert [f.sure for f in check("model GPT -4 dirilis")] == [True]


def test_command_line_options_are_not_split_compounds():
    # glib's and gcc's Indonesian catalogues
    for text in ("seperti -t", "tar -cf berkas", "dengan -fPIC", "gunakan -mcpu=CPU", "-COLUMN"):
        assert [f for f in check(f"Pilihan {text}") if f.rule == "id-space-hyphen"] == [], text


def test_word_options_after_a_command_or_with_a_value_are_not_split_compounds():
    # an option spelt as an English word: after a command (an English word in lower
    # case) or given a value
    for text in ("jalankan sort -reverse", "ketik make -silent", "gunakan -output=berkas"):
        assert [f for f in check(f"Pilihan {text}") if f.rule == "id-space-hyphen"] == [], text
    # half translated compounds still are: the word before the hyphen is Indonesian
    for text in ("para pembuat -kebijakan", "argumen ke -grup"):
        assert [f.rule for f in check(text)] == ["id-space-hyphen"], text


def test_an_option_and_its_placeholder_are_not_a_doubled_word():
    # glib's Indonesian catalogue: "--schemadir SCHEMADIR"
    assert check("Gunakan --schemadir SCHEMADIR untuk skema") == []
    [finding] = check("Wajah wajah itu")
    assert finding.suggestions == ("Wajah-wajah", "Wajah")


def test_doubled_word_offers_reduplication_or_single():
    text = "meluncurkan model di wajah wajah, ia"
    [finding] = [f for f in check(text) if f.rule != "id-calque"]
    assert finding.rule == "id-doubled-word" and not finding.sure
    assert finding.suggestions == ("wajah-wajah", "wajah")


def test_sure_fixes_of_the_bundled_renderings_make_no_new_garble():
    from corpora.bundled import bundled_documents
    from termbase.checks.finding import apply_all
    from termbase.checks.runner import Checker

    checker = Checker((), ())
    for doc in bundled_documents():
        if doc.name not in ("000", "001"):
            continue
        texts = [(str(s.position), s.text) for s in doc.segments]
        before = checker.document(texts, "id")
        fixed = []
        for key, text in texts:
            sure = [f for f in before if f.unit == key and f.sure]
            fixed.append((key, apply_all(text, sure)[0]))
        assert fixed != texts
        after = checker.document(fixed, "id")
        spans = {(f.rule, dict(texts)[f.unit][f.start : f.end]) for f in before}
        assert {(f.rule, dict(fixed)[f.unit][f.start : f.end]) for f in after} <= spans


def test_calques_are_found_with_the_right_text():
    from termbase.checks.indonesian import check

    text = (
        "Model itu diunggah ke Wajah Memeluk. Trotoar pada chip AS makin ketat, kata "
        "pengacara privasi itu, dan keripik H100 langka."
    )
    found = {text[f.start : f.end]: f for f in check(text) if f.rule == "id-calque"}
    assert found["Wajah Memeluk"].suggestions == ("Hugging Face",)
    assert found["Trotoar"].suggestions == ("Pembatasan",) and found["Trotoar"].sure
    assert found["pengacara"].suggestions == ("pendukung",)
    assert found["keripik"].suggestions == ("chip",)


def test_the_words_of_a_calque_in_their_own_sense_are_left_alone():
    from termbase.checks.indonesian import check

    text = (
        "Pejalan kaki berjalan di trotoar jalan. Pengacara terdakwa membela kliennya. "
        "Petani kehilangan tanah pertanian. Wajah-wajah baru. Keripik singkong renyah."
    )
    assert [f for f in check(text) if f.rule == "id-calque"] == []


def test_a_calque_that_depends_on_the_writer_only_asks():
    from termbase.checks.indonesian import check

    [f] = [f for f in check("Modelnya dirilis di wajah wajah.") if f.rule == "id-calque"]
    assert f.suggestions == ("Hugging Face",) and not f.sure


def test_words_written_twice_are_a_stutter():
    # from the bundled corpus: a phrase written twice, offered once (no reduplication
    # writes several words so), and a phrase merely repeated later is left alone
    text = "jalur monetisasi Model Proprietary Model Proprietary GRATIS"
    [finding] = [f for f in check(text) if f.rule == "id-doubled-word"]
    assert text[finding.start : finding.end] == "Model Proprietary Model Proprietary"
    assert finding.suggestions == ("Model Proprietary",) and not finding.sure
    assert check("model terbuka dan model terbuka lain") == []
