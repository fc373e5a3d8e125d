"""Deciding proposals again, the other way or the same way, and adding empty terms."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from corpora.db import Database
from padan.cli import main
from termbase.errors import TermbaseError
from termbase.model import Concept, Proposal, Status, Term, Variant
from termbase.store import SqlTermStore


@pytest.fixture
def store(db):
    return SqlTermStore(db)


def _ids(store, *proposals):
    store.save_proposals(list(proposals))
    return {s.proposal.target_lang: s.id for s in store.proposals(None)}


def test_rejecting_an_accepted_proposal_takes_back_what_accepting_added(store):
    spun = Variant("模子", "zh", "模型", 19, "zh-spin")
    ids = _ids(
        store,
        Proposal("模型", "zh", "model", "id", 0.8, 20, "cognate", ("e",), (spun,)),
        Proposal("模型", "zh", "model", "en", 0.7, 20, "dictionary", ("e",)),
    )
    store.decide(ids["id"], True)
    assert store.proposal(ids["id"]).concept == "c1"
    made = store.decide(ids["id"], True)  # the same decision again changes nothing
    assert len(made.terms) == 3 and len(store.concepts()) == 1
    assert store.decide(ids["id"], False) == Concept(id="c1")
    assert store.concepts() == []
    assert store.proposal(ids["id"]).state == "rejected"


def test_rejecting_keeps_the_terms_that_were_there_before(store):
    store.add_concept(Concept(terms=(Term("开源", "zh"), Term("open source", "en"))))
    ids = _ids(store, Proposal("开源", "zh", "sumber terbuka", "id", 0.6, 9, "dictionary"))
    assert len(store.decide(ids["id"], True).terms) == 3
    left = store.decide(ids["id"], False)
    assert {t.text for t in left.terms} == {"开源", "open source"}
    # and the other way: accepting a rejected proposal accepts it
    assert len(store.decide(ids["id"], True).terms) == 3
    assert store.proposal(ids["id"]).state == "accepted"


def test_an_empty_term_is_refused(store):
    with pytest.raises(TermbaseError, match="empty"):
        store.add_concept(Concept(terms=(Term(" ", "id"),)))
    key = store.add_concept(Concept(terms=(Term("berkas", "id"),))).id
    with pytest.raises(TermbaseError, match="empty"):
        store.add_term(key, Term("", "en", Status.ADMITTED))
    assert len(store.get(key).terms) == 1


def test_the_command_line_says_what_each_decision_did(tmp_path):
    db = str(tmp_path / "w.db")
    with Database(db) as database:
        SqlTermStore(database).save_proposals(
            [Proposal("开源", "zh", "sumber terbuka", "id", 0.6, 9, "dictionary")]
        )

    def run(*args: str, code: int = 0) -> str:
        result = CliRunner().invoke(main, ["--db", db, "terms", *args])
        assert result.exit_code == code, result.output
        return result.output

    assert run("accept", "1").startswith("accepted 1: c1")
    assert run("accept", "1").startswith("1 was accepted already: c1")
    assert "removed c1" in run("reject", "1")
    assert run("reject", "1").strip() == "1 was rejected already"
    assert run("accept", "1").startswith("accepted 1 (rejected before):")
    assert "[accepted]" in run("proposals", "--state", "all")
    assert '"state": "accepted"' in run("proposals", "--state", "all", "--json")
    assert "no proposal 7" in run("reject", "7", code=2)
    assert "empty" in run("add", "  ", "--lang", "id", code=2)
    assert run("list").count("\n") == 1


def test_adding_a_term_the_concept_has_says_so_and_changes_nothing(tmp_path):
    db = str(tmp_path / "w.db")

    def run(*args: str) -> str:
        result = CliRunner().invoke(main, ["--db", db, "terms", *args])
        assert result.exit_code == 0, result.output
        return result.output

    run("add", "DeepSeek", "--lang", "id")
    said = run("add", "DeepSeek", "--lang", "id", "--concept", "c1", "--status", "deprecated")
    assert said.startswith("c1 has id: DeepSeek already (preferred)") and "set-status" in said
    assert "[preferred]" in run("show", "c1")


def test_aligning_one_language_pair_keeps_the_pending_proposals_of_another(store):
    store.save_proposals([Proposal("file", "en", "berkas", "id", 0.8, 5, "parallel")])
    store.save_proposals([Proposal("file", "en", "文件", "zh", 0.8, 5, "parallel")])
    assert {s.proposal.target for s in store.proposals()} == {"berkas", "文件"}
    store.save_proposals([Proposal("file", "en", "档案", "zh", 0.7, 5, "parallel")])
    assert {s.proposal.target for s in store.proposals()} == {"berkas", "档案"}


def test_rejecting_keeps_a_term_another_accepted_proposal_pairs(store):
    ids = _ids(
        store,
        Proposal("模型", "zh", "model", "id", 0.8, 20, "cognate"),
        Proposal("模型", "zh", "model", "en", 0.7, 20, "dictionary"),
    )
    store.decide(ids["id"], True)
    store.decide(ids["en"], True)
    left = store.decide(ids["id"], False)
    assert {(t.lang, t.text) for t in left.terms} == {("zh", "模型"), ("en", "model")}
