"""The memory applied to new segments: placeables, word counts, repairs, offers, bands."""

from __future__ import annotations

import pytest

from padan.leverage import TermBaseLens
from termbase.model import Concept, Status, Term
from tm.analysis import Bands, parse_edges
from tm.leverage import Entry, Memory, Segment
from tm.placeables import placeables
from tm.repair import repair
from tm.wordcount import count_words

# -- placeables and words ------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Delete %(count)s %(name)s", [("code", "%(count)s"), ("code", "%(name)s")]),
        ("%1$s of %2$d, 100%% done", [("code", "%1$s"), ("code", "%2$d"), ("number", "100")]),
        ("Page {0} of {total}", [("code", "{0}"), ("code", "{total}")]),
        ('<a href="%(url)s">here</a>', [("code", '<a href="%(url)s">'), ("code", "</a>")]),
        ("3 files, 2.5 MB, 1,000 rows", [("number", "3"), ("number", "2.5"), ("number", "1,000")]),
        ("v1.5 and A4 and 50% off", [("number", "50")]),  # names are not quantities
    ],
)
def test_placeables(text, expected):
    assert [(p.kind, p.text) for p in placeables(text)] == expected


@pytest.mark.parametrize(
    "text, words",
    [
        ("Open the file", 3),
        ("Don't e-mail GPT-4 users 3 times.", 6),  # one word each, the number too
        ("Delete %(count)s selected %(verbose_name)s", 2),  # placeholders are not words
        ('<a href="/x/">Log in</a> again', 3),
        ("打开文件", 4),  # Chinese by characters
        ("使用 Django 框架", 5),  # 4 characters + 1 word
        ("   ", 0),
    ],
)
def test_word_count(text, words):
    assert count_words(text) == words


# -- repair ----------------------------------------------------------------------------------


def _concept(key, en, *others):
    terms = [Term(en, "en")] + [Term(t, lang) for lang, t in others]
    return Concept(key, tuple(terms))


ID_TERMS = [
    _concept("c1", "user", ("id", "pengguna")),
    _concept("c2", "group", ("id", "grup")),
    _concept("c3", "open source", ("id", "sumber terbuka")),
    _concept("c4", "model", ("id", "model"), ("zh", "模型")),
    _concept("c5", "dataset", ("id", "set data"), ("zh", "数据集")),
]


@pytest.fixture
def id_lens():
    return TermBaseLens(ID_TERMS, "en", "id")


def test_repair_patches_numbers_and_placeholders():
    fixed = repair(["Delete 7 files"], ["Delete 3 files"], ["Hapus 3 berkas"])
    assert fixed is not None and fixed.texts == ("Hapus 7 berkas",)
    assert [str(p) for p in fixed.patches] == ["3 → 7"]
    fixed = repair(["Delete %(name)s?"], ["Delete %(obj)s?"], ["Hapus %(obj)s?"])
    assert fixed is not None and fixed.texts == ("Hapus %(name)s?",)


def test_repair_puts_the_new_term_through_indonesian_clitics_and_reduplication(id_lens):
    fixed = repair(["Delete the group"], ["Delete the user"], ["Hapus penggunanya"], id_lens)
    assert fixed is not None and fixed.texts == ("Hapus grupnya",)
    fixed = repair(
        ["List the group"], ["List the user"], ["Pengguna-pengguna dicantumkan"], id_lens
    )
    assert fixed is not None and fixed.texts == ("Grup-grup dicantumkan",)  # capital kept


def test_repair_follows_the_case_of_the_replaced_word():
    lens = TermBaseLens([ID_TERMS[0], _concept("c7", "model", ("id", "Model"))], "en", "id")
    fixed = repair(["Model name"], ["User name"], ["Nama pengguna"], lens)
    assert fixed is not None and fixed.texts == ("Nama model",)  # headword case dropped
    fixed = repair(["Delete user"], ["Delete model"], ["Model dihapus"], lens)
    assert fixed is not None and fixed.texts == ("Pengguna dihapus",)  # sentence start


def test_repair_in_chinese_without_spaces():
    lens = TermBaseLens(ID_TERMS, "en", "zh")
    fixed = repair(["Train the dataset"], ["Train the model"], ["训练该模型"], lens)
    assert fixed is not None and fixed.texts == ("训练该数据集",)
    assert [p.kind for p in fixed.patches] == ["term"]


def test_repair_from_chinese_and_from_indonesian_sources():
    lens = TermBaseLens(ID_TERMS, "zh", "id")  # Chinese terms found inside unspaced text
    fixed = repair(["删除该数据集吗？"], ["删除该模型吗？"], ["Hapus model ini?"], lens)
    assert fixed is not None and fixed.texts == ("Hapus set data ini?",)
    lens = TermBaseLens(ID_TERMS, "id", "zh")  # Indonesian through -nya
    fixed = repair(["Hapus set datanya"], ["Hapus modelnya"], ["删除其模型"], lens)
    assert fixed is not None and fixed.texts == ("删除其数据集",)


def test_repair_never_crosses_another_difference(id_lens):
    # a negation, a changed word, a change of case: not placeables, not terms
    assert repair(["Do not delete 7 files"], ["Delete 3 files"], ["Hapus 3 berkas"]) is None
    assert repair(["Remove 7 files"], ["Delete 3 files"], ["Hapus 3 berkas"]) is None
    assert repair(["delete 7 files"], ["Delete 3 files"], ["Hapus 3 berkas"]) is None
    # the old value not in the target, or once too often: nothing to patch safely
    assert repair(["Delete 7 files"], ["Delete 3 files"], ["Hapus tiga berkas"]) is None
    assert repair(["Delete 7 files"], ["Delete 3 files"], ["Hapus 3 berkas (3)"]) is None
    # one old value that became two different ones
    assert repair(["%s of %d"], ["%s of %s"], ["%s dari %s"]) is None
    # nothing shared but what changes: no sentence left to trust
    assert repair(["group"], ["user"], ["pengguna"], id_lens) is None
    assert repair(["Add group"], ["user"], ["pengguna"], id_lens) is None
    assert repair(["%d"], ["%s"], ["%s"]) is None
    # the new concept has no Indonesian term
    lens = TermBaseLens([*ID_TERMS, _concept("c9", "folder")], "en", "id")
    assert repair(["Delete the folder"], ["Delete the user"], ["Hapus pengguna"], lens) is None


def test_repair_of_a_plural_message():
    fixed = repair(["%(num)d year", "%(num)d years"], ["%d year", "%d years"], ["%d tahun"])
    assert fixed is not None and fixed.texts == ("%(num)d tahun",)


# -- offers ----------------------------------------------------------------------------------


def _memory(*entries, lens=None, terms=()):
    return Memory(entries, "en", lens=lens, terms=terms)


def test_exact_context_and_other_context():
    memory = _memory(
        Entry("Open the file", "Buka berkas", before=None, after="Save"),
        Entry("May", "Mei", context="month"),
        Entry("May", "Boleh", context="verb"),
    )
    assert memory.lookup(Segment("Open the file", after="Save")).kind == "context"
    assert memory.lookup(Segment("Open the file", after="Quit")).kind == "exact"
    offer = memory.lookup(Segment("May", context="verb"))
    assert (offer.kind, offer.targets) == ("context", ("Boleh",))
    other = memory.lookup(Segment("May", context="abbreviation"))
    assert (other.kind, other.score) == ("fuzzy", 99.0)  # same text, another sense
    assert memory.lookup(Segment("May")).kind == "fuzzy"


def test_the_most_used_translation_wins():
    memory = _memory(Entry("Save", "Simpan"), Entry("Save", "Menyimpan"), Entry("Save", "Simpan"))
    offer = memory.lookup(Segment("Save"))
    assert offer.targets == ("Simpan",) and offer.notes == ("2 translations in the memory",)


def test_plural_messages_match_plural_messages_only():
    memory = _memory(
        Entry("%d file", "%d berkas", plural="%d files", target_plurals=("%d berkas",)),
        Entry("One file", "Satu berkas"),
    )
    offer = memory.lookup(Segment("%d file", plural="%d files"))
    assert offer.kind == "exact" and offer.targets == ("%d berkas", "%d berkas")
    offer = memory.lookup(Segment("%d file"), min_score=50)  # a singular cannot take it
    assert offer.kind == "fuzzy" and offer.targets == ("Satu berkas",)


def test_repaired_before_fuzzy_and_negation_penalised(id_lens):
    memory = _memory(
        Entry("Delete the user", "Hapus pengguna"),
        Entry("The server is not responding", "Server tidak merespons"),
        lens=id_lens,
    )
    offer = memory.lookup(Segment("Delete the group"))
    assert offer.kind == "repaired" and offer.targets == ("Hapus grup",)
    offer = memory.lookup(Segment("The server is responding"), min_score=50)
    assert offer.kind == "fuzzy" and "negation" in offer.notes and offer.score < 75
    assert offer.targets == ("Server tidak merespons",)  # offered as it is, never patched
    no_repair = Memory(memory_entries := [Entry("Delete the user", "Hapus pengguna")], "en",
                       lens=id_lens, repair=False)  # fmt: skip
    assert memory_entries and no_repair.lookup(Segment("Delete the group")).kind != "repaired"


# -- bands -----------------------------------------------------------------------------------


def test_bands_and_their_edges():
    bands = Bands()
    assert bands.rows() == [
        "context", "100%", "repetition", "repaired",
        "95–99", "85–94", "75–84", "50–74", "no match",
    ]  # fmt: skip
    assert [bands.fuzzy_row(s) for s in (99, 95, 94.9, 75, 74.9, 50, 49.9)] == [
        "95–99", "95–99", "85–94", "75–84", "50–74", "50–74", "no match",
    ]  # fmt: skip
    assert parse_edges("90,70").names() == ["90–99", "70–89"]
    for bad in ("70,90", "95,95", "100,50", "a,b"):
        with pytest.raises(ValueError):
            parse_edges(bad)


def test_term_statuses_decide_the_rendering():
    concept = Concept(
        "c1",
        (
            Term("user", "en"),
            Term("pemakai", "id", status=Status.DEPRECATED),
            Term("pengguna", "id"),
        ),
    )
    lens = TermBaseLens([concept, ID_TERMS[1]], "en", "id")
    assert lens.rendering("c1") == "pengguna"
    fixed = repair(["Delete the user"], ["Delete the group"], ["Hapus grup"], lens)
    assert fixed is not None and fixed.texts == ("Hapus pengguna",)
