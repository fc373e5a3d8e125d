"""Term-base checks: missing, deprecated/forbidden and inconsistent terms."""

from __future__ import annotations

import os
from pathlib import Path

import polib
import pytest

from termbase.checks.runner import Checker
from termbase.checks.terms import TermIndex, inconsistent, missing, unwanted
from termbase.formats import read_glossary
from termbase.model import Concept, Status, Term
from termbase.recognize import find

FIXTURES = Path(__file__).resolve().parent / "fixtures"

OPEN_SOURCE = Concept(
    "c1",
    (
        Term("open source", "en"),
        Term("开源", "zh"),
        Term("sumber terbuka", "id"),
        Term("kode terbuka", "id", Status.DEPRECATED),
    ),
)
CLOSED_SOURCE = Concept("c2", (Term("closed source", "en"), Term("闭源", "zh")))
HUGGING_FACE = Concept(
    "c3",
    (
        Term("Hugging Face", "en"),
        Term("Hugging Face", "id"),
        Term("wajah yang dipeluk", "id", Status.FORBIDDEN, replacement="Hugging Face"),
    ),
)
MODEL = Concept("c4", (Term("model", "en"), Term("model", "id"), Term("模型", "zh")))
INDEX = TermIndex([OPEN_SOURCE, CLOSED_SOURCE, HUGGING_FACE, MODEL])


def _missing(source, target, source_lang, target_lang):
    source_hits, target_hits = INDEX.find(source, source_lang), INDEX.find(target, target_lang)
    return list(missing(source, target, source_hits, target_hits, target_lang))


def test_latin_terms_are_found_next_to_han_but_not_inside_words():
    index = TermIndex([Concept("ai", (Term("AI", "zh"), Term("model", "zh")))])
    text = "AI模型和xAI的model、models"
    assert [text[h.start : h.end] for h in index.find(text, "zh")] == ["AI", "model"]


def test_index_finds_chinese_without_spaces_and_prefers_the_longer_term():
    hits = INDEX.find("DeepSeek发布了开源模型和闭源模型", "zh")
    assert [(h.term.text, h.concept.id) for h in hits] == [
        ("开源", "c1"),
        ("模型", "c4"),
        ("闭源", "c2"),
        ("模型", "c4"),
    ]


def test_index_finds_one_character_and_mixed_script_chinese_terms_anywhere():
    index = TermIndex(
        [
            Concept("tree", (Term("树", "zh"),)),
            Concept("ai-model", (Term("AI模型", "zh"),)),
            Concept("model", (Term("模型", "zh"),)),
        ]
    )
    text = "树上的AI模型，不是ai模型；树"
    found = [(h.start, text[h.start : h.end]) for h in index.find(text, "zh")]
    assert found == [(0, "树"), (3, "AI模型"), (12, "模型"), (15, "树")]


def test_index_sees_through_indonesian_clitics_and_reduplication():
    text = "Model-modelnya dirilis sebagai sumber terbukanya."
    found = {(text[h.start : h.end], h.concept.id) for h in INDEX.find(text, "id")}
    assert found == {("Model-modelnya", "c4"), ("sumber terbukanya", "c1")}


def test_missing_term_is_found_and_a_rendering_through_a_clitic_counts():
    [f] = _missing("开源模型", "Model itu terbuka.", "zh", "id")
    assert f.rule == "term-missing" and "sumber terbuka" in f.message
    assert _missing("开源模型", "Modelnya bersifat sumber terbukanya.", "zh", "id") == []


def test_missing_ignores_concepts_without_a_target_term():
    # 闭源 has no Indonesian term: nothing to require
    assert _missing("闭源模型", "Model tertutup.", "zh", "id") == []


def test_forbidden_term_with_replacement_is_sure_and_deprecated_is_not():
    text = "Kode dari wajah yang dipeluk, dirilis sebagai kode terbuka."
    found = {f.rule: f for f in unwanted(text, INDEX.find(text, "id"), "id")}
    forbidden, deprecated = found["term-forbidden"], found["term-deprecated"]
    assert text[forbidden.start : forbidden.end] == "wajah yang dipeluk"
    assert forbidden.suggestions == ("Hugging Face",) and forbidden.sure
    assert deprecated.suggestions == ("sumber terbuka",) and not deprecated.sure
    assert forbidden.apply(text) == "Kode dari Hugging Face, dirilis sebagai kode terbuka."


def test_inconsistent_rendering_suggests_the_majority():
    concept = Concept(
        "c9", (Term("开源", "zh"), Term("sumber terbuka", "id"), Term("open source", "id"))
    )
    index = TermIndex([concept])
    units = [
        ("1", "开源模型", "model sumber terbuka"),
        ("2", "开源代码", "kode sumber terbuka"),
        ("3", "开源软件", "perangkat lunak open source"),
    ]
    rendered = [
        (i, index.renderings(index.find(s, "zh"), index.find(t, "id"))) for i, s, t in units
    ]
    [f] = inconsistent(rendered, index, "id")
    assert f.unit == "3" and f.suggestions == ("sumber terbuka",)
    assert (f.start, f.end) == (16, 27) and "in 2 other units for" in f.message
    assert inconsistent(rendered[:2], index, "id") == []


def test_runner_reports_term_and_pofilter_findings_per_unit():
    checker = Checker([OPEN_SOURCE, HUGGING_FACE])
    units = [
        (
            "a",
            "Open source model from Hugging Face, 3 files",
            "Model dari wajah yang dipeluk, 3 berkas",
        ),
        ("b", "Open source: %s", "Sumber terbuka: %d"),
        ("c", "A model", "Model dari wajah yang dipeluk"),  # a forbidden term alone
    ]
    found = {(f.unit, f.rule) for f in checker.pairs(units, "en", "id")}
    assert ("c", "term-forbidden") in found  # looked for though the source has no term
    assert ("a", "term-missing") in found  # open source not rendered
    assert ("a", "term-forbidden") in found
    assert ("b", "pofilter-printf") in found
    assert ("b", "term-missing") not in found


def test_rules_filter_by_name_and_family():
    units = [("b", "Open source: %s 3", "Sumber terbuka: %d 4")]
    only_printf = Checker([OPEN_SOURCE], rules=["pofilter-printf"]).pairs(units, "en", "id")
    assert {f.rule for f in only_printf} == {"pofilter-printf"}
    family = Checker([OPEN_SOURCE], rules=["pofilter"]).pairs(units, "en", "id")
    assert {f.rule for f in family} == {"pofilter-printf", "pofilter-numbers"}


def test_worker_processes_find_what_one_process_finds():
    from termbase.checks.runner import PARALLEL_FROM

    checker = Checker([OPEN_SOURCE, HUGGING_FACE, MODEL])
    sample = [
        ("Open source model %s", "Model sumber terbuka %d"),
        ("The model from Hugging Face", "Model dari wajah yang dipeluk"),
        ("Open source: 3 files", "Kode terbuka: 4 berkas"),
        ("open-source models", "model open source"),
        ("Open source", ""),  # untranslated: not checked, wherever it falls in a chunk
    ]
    units = [(str(i), *sample[i % len(sample)]) for i in range(PARALLEL_FROM + 2_345)]
    serial = checker.pairs(units, "en", "id")
    parallel = checker.pairs(units, "en", "id", workers=2)
    assert len(serial) > PARALLEL_FROM and parallel == serial  # the same, in the same order
    # units checked as they are read, by three processes
    assert checker.pairs(iter(units), "en", "id", workers=3) == serial


def test_pairs_then_gives_each_batch_of_findings_to_then_as_it_comes():
    from termbase.checks.runner import PARALLEL_FROM

    checker = Checker([OPEN_SOURCE, MODEL])
    sample = [("Open source model %s", "Model sumber terbuka %d"), ("Open source", "Kode")]
    units = [(str(i), *sample[i % len(sample)]) for i in range(PARALLEL_FROM + 1_234)]
    batches: list[int] = []

    def then(found: list) -> list[tuple[str, str]]:
        batches.append(len(found))
        return [(f.unit, f.rule) for f in found]

    placed = checker.pairs_then(iter(units), "en", "id", then, workers=2)
    assert placed == [(f.unit, f.rule) for f in checker.pairs(units, "en", "id")]
    assert len(batches) > 2 and sum(batches) == len(placed)  # chunk by chunk, none twice


def test_a_helper_leaves_the_end_mark_for_the_next_process():
    # else the process that gathers the results waits for it until a timeout
    import queue

    from termbase.checks import runner

    tasks, results = queue.SimpleQueue(), queue.SimpleQueue()
    tasks.put((0, [("1", "Open source", "Kode")]))
    tasks.put(None)
    runner._help(Checker([OPEN_SOURCE]), tasks, results, "en", "id")
    assert tasks.get_nowait() is None
    assert results.get_nowait()[0] == 0


def test_a_term_is_found_once_where_its_first_word_occurs_twice():
    text = "Wajah yang dipeluk merilis model; wajah pengguna tidak."
    hits = [(h.start, h.end) for h in INDEX.find(text, "id")]
    assert hits == [(0, 18), (27, 32)]  # wajah yang dipeluk, model


def _searched_one_by_one(concepts, text, lang):
    """What the index must find: every term searched alone with recognize.find (a term
    in capitals only so written), then the same rule for overlaps (the longest wins over
    another concept's term)."""
    hits = [
        (start, end, term.text, concept)
        for concept in concepts
        for term in concept.terms
        if term.lang == lang and term.text.strip()
        for start, end in find(term.text, text, lang)
        if not term.text.isupper() or text[start:end].startswith(term.text)
    ]
    hits.sort(key=lambda h: (h[0], h[0] - h[1]))
    kept = []
    for hit in hits:
        if kept and hit[0] < kept[-1][1] and hit[3] is not kept[-1][3]:
            continue
        kept.append(hit)
    return sorted((start, end, text) for start, end, text, _ in kept)


@pytest.mark.parametrize(("po_lang", "lang"), [("id", "id"), ("zh_CN", "zh")])
def test_index_finds_what_searching_each_term_finds_on_real_catalogues(po_lang, lang):
    concepts = read_glossary(FIXTURES / "glossary" / f"gnome-glossary-{po_lang}.po")
    index = TermIndex(concepts)
    pairs = [
        (e.msgid, e.msgstr)
        for e in polib.mofile(f"/usr/share/locale/{po_lang}/LC_MESSAGES/glib20.mo")
        if e.msgstr
    ][::3]
    assert len(pairs) > 300
    found = 0
    for source, target in pairs:
        for text, text_lang in ((source, "en"), (target, lang)):
            got = sorted((h.start, h.end, h.term.text) for h in index.find(text, text_lang))
            assert got == _searched_one_by_one(concepts, text, text_lang), text
            found += len(got)
    assert found > 1000


def test_a_term_in_capitals_is_an_acronym_found_only_in_capitals():
    # OR and AND of a glossary are the logical operators, not the words "or" and "and"
    logic = Concept("or", (Term("OR", "en"), Term("OR", "id")))
    disc = Concept("cd", (Term("CD", "en"), Term("CD", "id")))
    index = TermIndex([logic, disc, MODEL])
    text = "Open or close the model, OR both; a CD or cd-nya; CD-nya"
    found = [text[h.start : h.end] for h in index.find(text, "en")]
    assert found == ["model", "OR", "CD", "CD"]
    assert [text[h.start : h.end] for h in index.find(text, "id")] == [
        "model",
        "OR",
        "CD",
        "CD-nya",
    ]
    checker = Checker([logic])
    assert checker.pairs([("1", "Keep this or that", "Simpan ini atau itu")], "en", "id") == []
    [finding] = checker.pairs([("1", "A OR B", "A atau B")], "en", "id")
    assert finding.rule == "term-missing"


def test_a_unit_whose_source_has_the_flagged_text_verbatim_copied_it():
    # doubling, hyphenation, spacing and casing copied from the source are no damage
    units = [
        ("1", "Try `help help' for more", "Coba `help help' untuk lebih"),
        ("2", "It is a man page", "Itu halaman man man"),  # not in the source: found
        ("3", "not compatible with -shared", "tidak cocok dengan -shared"),
        ("4", "the shared library", "pustaka dengan -shared"),
        ("5", "Open the FooBar tool", "Buka alat FooBar"),
        ("6", "Open the Foobar tool", "Buka alat Foobar"),
        ("7", "Open the foobar tool", "Buka alat Foobar"),
        ("8", "Use the Foobar_x key", "Pakai Foobar"),  # part of an identifier only
        ("9", "costs US$ 5 or more", "harganya US$ 5 atau lebih"),
    ]
    found = {(f.unit, f.rule) for f in Checker().pairs(units, "en", "id")}
    assert found == {
        ("2", "id-doubled-word"),
        ("4", "id-space-hyphen"),
        ("7", "casing"),
        ("8", "casing"),
    }
    # term checks stay: the source's term is still missing from the copied target
    checker = Checker([Concept("c", (Term("help", "en"), Term("bantuan", "id")))])
    found = {f.rule for f in checker.pairs(units[:1], "en", "id")}
    assert found == {"term-missing"}


def test_a_helper_process_that_dies_is_an_error_not_a_hang(monkeypatch):
    from termbase.checks import runner

    def dies_with_a_chunk(checker, tasks, *rest) -> None:
        tasks.get()
        os._exit(3)

    monkeypatch.setattr(runner, "_help", dies_with_a_chunk)
    units = [(str(i), "Open source model", "Model sumber terbuka") for i in range(12_000)]
    with pytest.raises(RuntimeError, match="ended before its work was done"):
        Checker([OPEN_SOURCE, MODEL]).pairs(units, "en", "id", workers=2)


def test_ascii_texts_are_split_into_words_as_other_texts_are() -> None:
    # ASCII texts take a str.translate shortcut; it must give what the general path gives
    from termbase.checks.terms import _ASCII_WORDS, _NOT_LATIN_ALNUM, _lower

    text = "".join(chr(c) for c in range(128)) + " Open-Source_model, GPT-4o (v1.5)!"
    assert text.translate(_ASCII_WORDS) == _NOT_LATIN_ALNUM.sub(" ", _lower(text))
    index = TermIndex([OPEN_SOURCE, CLOSED_SOURCE])
    hits = index.find("Use OPEN source, not closed-source_code.", "en")
    assert [(h.start, h.end, h.concept.id) for h in hits] == [(4, 15, "c1"), (21, 34, "c2")]


def test_a_deprecated_casing_of_a_preferred_term_is_flagged_only_as_written():
    name = Concept(
        "ds", (Term("DeepSeek", "id"), Term("Deepseek", "id", Status.DEPRECATED, "DeepSeek"))
    )
    index = TermIndex([name])
    texts = ["DeepSeek merilis", "Deepseek merilis", "DeepSeeknya", "Deepseeknya", "DEEPSEEK"]
    flagged = [t for t in texts if list(unwanted(t, index.find(t, "id"), "id"))]
    assert flagged == ["Deepseek merilis", "Deepseeknya"]


def test_a_glossary_concept_without_an_id_is_not_named_by_a_bare_question_mark(tmp_path):
    glossary = tmp_path / "glossary.po"
    entries = [polib.POEntry(msgid="file", msgstr="berkas")]
    catalog = polib.POFile()
    catalog.metadata = {"Language": "id", "Content-Type": "text/plain; charset=UTF-8"}
    catalog.extend(entries)
    catalog.save(str(glossary))
    index = TermIndex(read_glossary(glossary))
    source, target = "Open the file", "Buka dokumen"
    found = list(missing(source, target, index.find(source, "en"), index.find(target, "id"), "id"))
    assert [f.message for f in found] == ["“file” is not rendered as “berkas”"]
