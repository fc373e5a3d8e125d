"""Fuzzy search on PostgreSQL ranks as on SQLite: the same stored index on both."""

from __future__ import annotations

import json
import random

import pytest
from click.testing import CliRunner

from conftest import FIXTURES
from corpora.bundled import bundled_documents
from corpora.db import Database
from padan.cli import main
from tm.fuzzy import FuzzyIndex, open_index
from tm.model import Unit, Variant
from tm.store import TMStore

pytestmark = pytest.mark.postgres

MEMORIES = [FIXTURES / "po" / "glib-2.74.6_id.po", FIXTURES / "po" / "glib-2.74.6_zh_CN.po"]
TERMS = {"id": ["sumber terbuka", "berkas"], "zh": ["开源", "文件"], "en": ["file"]}


@pytest.fixture(scope="module")
def twins(pg_server, tmp_path_factory):
    """The same memory in an SQLite file and in a PostgreSQL database."""
    locations = [str(tmp_path_factory.mktemp("fz") / "padan.db"), pg_server.create_database()]
    for location in locations:
        runner = CliRunner()
        for path in MEMORIES:
            result = runner.invoke(main, ["--db", location, "import", str(path)])
            assert result.exit_code == 0, result.output
        with Database(location) as db:
            store = TMStore(db)
            with db.transaction():
                for doc in bundled_documents():
                    store.save(doc)
    yield locations
    pg_server.drop_database(locations[1])


def _queries(texts: list[str], lang: str, n: int, seed: int) -> list[str]:
    """Stored segments edited the ways a new source text differs from an old one."""
    rng = random.Random(seed)
    negation = {"zh": "不", "id": "tidak ", "en": "not "}[lang]
    out = []
    for text in rng.sample([t for t in texts if len(t) > 8], n):
        kind = rng.randrange(5)
        at = rng.randrange(len(text))
        if kind == 0:
            text = text[:at] + text[at + 1 :]
        elif kind == 1:
            text = text[:at] + "x" + text[at + 1 :]
        elif kind == 2:
            space = text.rfind(" ", 0, at) + 1
            text = text[:space] + negation + text[space:]
        elif kind == 3:
            words = text.split(" ")
            if len(words) > 2:
                del words[rng.randrange(len(words))]
            text = " ".join(words)
        else:
            text = text.upper()
        out.append(text)
    return out


def _key(store: TMStore, match) -> tuple:  # type: ignore[no-untyped-def]
    v = store.variant(match.segment_id)
    return (v.document, v.position, v.lang, match.text, round(match.score, 6), match.spans,
            match.query_spans, match.flags)  # fmt: skip


@pytest.mark.parametrize("lang", ["id", "zh", "en"])
def test_same_matches_on_both_backends(twins, lang):
    lite, pg = (Database(location) for location in twins)
    lite_store, pg_store = TMStore(lite), TMStore(pg)
    texts = [v.current for v in lite_store.variants(lang)]
    assert sorted(texts) == sorted(v.current for v in pg_store.variants(lang))
    local = open_index(lite, lang, terms=TERMS[lang])
    server = open_index(pg, lang, terms=TERMS[lang])
    assert len(server) == len(texts)
    compared = found = 0
    for min_score in (50, 75, 90, 95):
        for query in _queries(texts, lang, 40, seed=min_score):
            expected = [_key(lite_store, m) for m in local.search(query, min_score=min_score)]
            got = [_key(pg_store, m) for m in server.search(query, min_score=min_score)]
            assert got == expected, query
            compared += 1
            found += bool(expected)
    assert found > compared / 2  # the queries do find things
    lite.close()
    pg.close()


def test_search_command_prints_the_same_on_both(twins):
    query = "开源模型的支持者认为,开源能够加快科学和创新,改善透明度,分散管理,并加强市场竞争力。"
    outputs = []
    for location in twins:
        result = CliRunner().invoke(
            main, ["--db", location, "search", query, "--min", "50", "--json"]
        )
        assert result.exit_code == 0, result.output
        outputs.append(json.loads(result.output))
    assert outputs[0] == outputs[1]
    assert outputs[0][0]["document"] == "003"


def test_equal_copies_rank_the_same_on_both_backends(pg_server, tmp_path):
    """Hundreds of copies of one text tie on every score: both backends must offer the
    same ones (the oldest), whatever their shortlists hold."""
    copies = [
        Unit((Variant("en", f"Copy {i}: {text}"), Variant("id", text)))
        for i in range(400)
        for text in ("Berkas tidak dapat dibuka", "Berkas tak dapat dibuka")
    ]
    results = []
    for location in (str(tmp_path / "padan.db"), pg_server.create_database()):
        with Database(location) as db:
            store = TMStore(db)
            store.import_units("other", "en", [Unit((Variant("en", "x"), Variant("id", "y")))])
            store.import_units("copies", "en", copies)
            found = open_index(db, "id").search("Berkas tidak dapat dibuka!", limit=8)
            results.append([(store.variant(m.segment_id).position, m.score) for m in found])
    assert results[0] == results[1]
    assert [position for position, _ in results[0]] == [0, 2, 4, 6, 8, 10, 12, 14]


def test_concordance_on_the_server_equals_the_local_one(twins):
    lite, pg = (Database(location) for location in twins)
    for lang, word in [("id", "model"), ("zh", "开源"), ("id", "berkas"), ("en", "file")]:
        local = FuzzyIndex(lang).build((v.id, v.current) for v in TMStore(lite).variants(lang))
        expected = sorted((o.text, o.spans) for o in local.concordance(word))
        assert expected
        assert sorted((o.text, o.spans) for o in open_index(pg, lang).concordance(word)) == expected
    lite.close()
    pg.close()
