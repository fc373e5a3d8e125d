import pytest

from termbase.errors import TermbaseError
from termbase.model import Candidate, Concept, Context, Proposal, Status, Term, Variant
from termbase.store import SqlTermStore


@pytest.fixture
def store(db):
    return SqlTermStore(db)


def _open_source():
    return Concept(
        terms=(
            Term("开源", "zh"),
            Term("open source", "en"),
            Term("sumber terbuka", "id", contexts=(Context("gerakan sumber terbuka", "000", 3),)),
        ),
        definition="software whose source is published",
    )


def test_concept_round_trip(store):
    saved = store.add_concept(_open_source())
    assert saved.id == "c1"
    assert store.get("c1") == saved
    assert saved.terms_in("id")[0].contexts[0].source == "000"


def test_find_by_term_is_case_insensitive_and_by_key(store):
    store.add_concept(_open_source())
    assert [c.id for c in store.find("Open Source")] == ["c1"]
    assert [c.id for c in store.find("c1")] == ["c1"]
    assert store.find("sumber terbuka", "zh") == []


def test_set_status_with_replacement(store):
    store.add_concept(_open_source())
    store.add_term("c1", Term("pengacara open source", "id", Status.FORBIDDEN))
    c = store.set_status("c1", "id", "pengacara open source", Status.FORBIDDEN, "sumber terbuka")
    bad = next(t for t in c.terms if t.text == "pengacara open source")
    assert bad.status is Status.FORBIDDEN and bad.replacement == "sumber terbuka"
    with pytest.raises(TermbaseError, match="no id term"):
        store.set_status("c1", "id", "nothing", Status.ADMITTED)
    with pytest.raises(TermbaseError, match="no concept"):
        store.set_status("c9", "id", "x", Status.ADMITTED)


def test_imported_keys_are_kept_and_merged(store):
    store.import_concepts([Concept(id="astro-1", terms=(Term("star", "en"),))])
    store.import_concepts([Concept(id="astro-1", terms=(Term("bintang", "id"),))])
    assert {t.text for t in store.get("astro-1").terms} == {"star", "bintang"}


def test_import_is_all_or_nothing(store):
    good = Concept(terms=(Term("a", "en"),))
    bad = Concept(terms=(Term("b", "en", status="nonsense"),))  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        store.import_concepts([good, bad])
    assert store.concepts() == []


def test_candidates_replace_per_language(store):
    store.save_candidates("id", [Candidate("model", "id", 3.0, 5, 2, (Context("x", "d", 1),))])
    store.save_candidates("id", [Candidate("AI", "id", 9.0, 9, 3)])
    assert [c.text for c in store.candidates("id")] == ["AI"]


def test_accepting_a_proposal_builds_a_concept_and_decisions_stick(store):
    p1 = Proposal("开源", "zh", "sumber terbuka", "id", 0.6, 10, "dictionary", ("e",))
    p2 = Proposal("开源", "zh", "open source", "en", 0.9, 39, "dictionary", ("e",))
    store.save_proposals([p1, p2])
    ids = {s.proposal.target: s.id for s in store.proposals()}
    store.decide(ids["open source"], True)
    concept = store.decide(ids["sumber terbuka"], True)
    assert {(t.lang, t.text) for t in concept.terms} == {
        ("zh", "开源"),
        ("en", "open source"),
        ("id", "sumber terbuka"),
    }
    # a new alignment run does not bring decided proposals back as pending
    assert store.save_proposals([p1, p2]) == 0
    assert store.proposals() == []
    assert len(store.proposals("accepted")) == 2


def test_variants_are_stored_and_accepting_deprecates_them(store):
    spun = Variant("模子", "zh", "模型", 19, "zh-spin")
    store.save_candidates("zh", [Candidate("模型", "zh", 3.0, 20, 1, (), (spun,))])
    assert store.candidates("zh")[0].variants == (spun,)
    p = Proposal("模型", "zh", "model", "id", 0.8, 20, "cognate", ("e",), (spun,))
    store.save_proposals([p])
    (stored,) = store.proposals()
    assert stored.proposal == p
    concept = store.decide(stored.id, True)
    assert concept is not None
    deprecated = [t for t in concept.terms if t.status == Status.DEPRECATED]
    assert [(t.text, t.replacement, t.frequency) for t in deprecated] == [("模子", "模型", 19)]
    assert {t.text for t in concept.terms if t.status == Status.PREFERRED} == {"模型", "model"}
