from dataclasses import replace

import pytest

from corpora.model import Document, Segment
from tm.errors import TMError
from tm.model import InlineCode, Unit, Variant
from tm.store import ConflictError, ImportResult, TMStore


@pytest.fixture
def store(db):
    return TMStore(db)


def _units():
    return [
        Unit(
            (Variant("en", "Open the file"), Variant("id", "Buka berkas")),
            context="menu",
            flags=("c-format",),
            references=("src/main.c:10",),
        ),
        Unit(
            (Variant("en", "Save \ufdd0now\ufdd1"), Variant("id", "Simpan \ufdd0sekarang\ufdd1")),
            key="tu-2",
            props=(("x-origin", "imported"),),
        ),
    ]


def _doc():
    segs = (Segment("Model open source.", 0, 0), Segment("Source link", 1, 1, True))
    return Document("000", "id", segs, "Judul", "bundled:000.txt")


def test_monolingual_document_round_trip(store):
    assert store.save(_doc())
    assert not store.save(_doc())  # same text: nothing to do
    loaded = store.load("000")
    assert loaded.segments == _doc().segments
    assert [s.text for _, s in store.segments("id")] == ["Model open source."]
    [info] = store.documents()
    assert (info.segments, info.boilerplate) == (2, 1)


def test_units_keep_their_metadata_and_inline_codes(store):
    codes = (InlineCode("bpt", (("i", "1"),), "&lt;b&gt;"), InlineCode("ept", (("i", "1"),), ""))
    units = _units()
    units[1] = Unit(
        tuple(Variant(v.lang, v.text, codes) for v in units[1].variants),
        key="tu-2",
        props=(("x-origin", "imported"),),
    )
    store.import_units("ui.po", "en", units)
    stored = [u for _, u in store.units("ui.po")]
    imported = ("x-origin", "imported")
    assert stored == [
        replace(u, variants=tuple(replace(v, props=(*v.props, imported)) for v in u.variants))
        for u in units
    ]


def test_exported_units_say_where_their_text_comes_from(store):
    store.import_units("ui.po", "en", _units())
    a, b = store.variants("id")
    store.edit(a.id, "Buka file", author="ana")
    store.bulk_edit([(b.id, "Simpan sekarang", None)], reason="bulk fix")
    origins = [(v.lang, dict(v.props)["x-origin"]) for _, u in store.units() for v in u.variants]
    assert origins == [("en", "imported"), ("id", "edited"), ("en", "imported"), ("id", "fixed")]
    store.undo()
    assert dict(next(iter(store.units()))[1].variants[1].props)["x-origin"] == "edited"


def test_reimport_adds_no_duplicates_and_keeps_edits(store):
    first = store.import_units("ui.po", "en", _units())
    assert (first.added, first.updated, first.unchanged) == (2, 0, 0)
    again = store.import_units("ui.po", "en", _units())
    assert (again.added, again.updated, again.unchanged) == (0, 0, 2)
    assert len(list(store.units("ui.po"))) == 2
    target = store.variants("id", "ui.po")[0]
    store.edit(target.id, "Buka file", author="ana")
    changed = _units()
    changed[0] = Unit(
        (Variant("en", "Open the file"), Variant("id", "Buka berkasnya")), context="menu"
    )
    result = store.import_units("ui.po", "en", changed)
    assert result.updated == 1
    after = store.variant(target.id)
    assert after.original == "Buka berkasnya" and after.current == "Buka file"  # edit kept


def test_every_edit_is_a_revision_and_undo_redo(store):
    store.import_units("ui.po", "en", _units())
    v = store.variants("id")[0]
    store.edit(v.id, "Buka file", author="ana")
    store.edit(v.id, "Buka dokumen", author="budi", reason="accepted suggestion")
    history = store.history(v.id)
    assert [(r.old, r.new, r.author, r.reason) for r in history] == [
        ("Buka berkas", "Buka file", "ana", "manual edit"),
        ("Buka file", "Buka dokumen", "budi", "accepted suggestion"),
    ]
    store.undo()
    assert store.variant(v.id).current == "Buka file"
    store.redo()
    assert store.variant(v.id).current == "Buka dokumen"
    store.undo()
    store.undo()
    assert store.variant(v.id).current == "Buka berkas"
    assert store.undo() == []  # nothing left


def test_bulk_fix_is_one_undo(store):
    store.import_units("ui.po", "en", _units())
    ids = [v.id for v in store.variants("id")]
    store.bulk_edit([(i, "X", None) for i in ids], reason="bulk fix")
    assert {store.variant(i).current for i in ids} == {"X"}
    group = store.undo()
    assert len(group) == 2
    assert store.variant(ids[0]).current == "Buka berkas"
    store.redo()
    assert {store.variant(i).current for i in ids} == {"X"}


def test_stale_edit_is_a_conflict_not_an_overwrite(store):
    store.import_units("ui.po", "en", _units())
    v = store.variants("id")[0]
    store.edit(v.id, "Buka file", expected_version=v.version)  # first translator
    with pytest.raises(ConflictError, match="changed by someone else"):
        store.edit(v.id, "Buka map", expected_version=v.version)  # second, stale
    assert store.variant(v.id).current == "Buka file"


def test_bulk_edit_with_a_conflict_changes_nothing(store):
    store.import_units("ui.po", "en", _units())
    a, b = store.variants("id")
    store.edit(b.id, "changed meanwhile")
    with pytest.raises(ConflictError):
        store.bulk_edit([(a.id, "X", a.version), (b.id, "X", b.version)], reason="bulk fix")
    assert store.variant(a.id).current == "Buka berkas"


def test_unknown_reason_is_refused(store):
    store.import_units("ui.po", "en", _units())
    v = store.variants("id")[0]
    with pytest.raises(TMError, match="unknown reason"):
        store.edit(v.id, "x", reason="because")


def test_variants_with_their_translations_in_one_read(store):
    units = [*_units(), Unit((Variant("en", "No translation yet"),))]
    store.import_units("ui.po", "en", units)
    sources = store.variants("en", "ui.po")
    targets = {v.unit_id: v for v in store.variants("id", "ui.po")}
    found = store.with_translations([v.id for v in sources], "id_ID")
    assert found == {v.id: (v, targets.get(v.unit_id)) for v in sources}
    assert found[sources[2].id][1] is None
    with pytest.raises(TMError):
        store.with_translations([sources[0].id, 10**9], "id")


def _counts(result: ImportResult) -> tuple[int, int, int]:
    return (result.added, result.updated, result.unchanged)


def _pair(en: str, id_: str, **kw: object) -> Unit:
    return Unit((Variant("en", en), Variant("id", id_)), **kw)  # type: ignore[arg-type]


def test_reimport_sorts_each_unit_in_sql_as_row_by_row(store):
    """New, changed, edited, re-described and repeated units in one re-import: each
    gets the row-by-row outcome, and the counts say which is which."""
    first = [
        _pair("Open", "Buka", context="a"),
        _pair("Close", "Tutup", context="b"),
        _pair("Save", "Simpan", context="c"),
        _pair("Copy", "Salin", key="k"),
        _pair("Copy", "Salinan", key="k"),  # the same identity again: a unit of its own
        _pair("Paste", "Tempel", key="k#2"),  # collides with the numbered one: kept apart
    ]
    assert _counts(store.import_units("ui.po", "en", first)) == (6, 0, 0)
    by_text = {v.current: v for v in store.variants("id", "ui.po")}
    assert len(by_text) == 6
    store.edit(by_text["Tutup"].id, "Tutup!", author="ana")
    again = [
        _pair("Open", "Bukalah", context="a"),  # changed, not edited: follows the file
        _pair("Close", "Menutup", context="b"),  # changed, but edited: the edit stays
        _pair("Save", "Simpan", context="c", comments=("new note",)),  # only its notes
        _pair("Copy", "Salin", key="k"),
        _pair("Copy", "Salinan", key="k"),
        _pair("Paste", "Tempel", key="k#2"),
        _pair("Cut", "Potong", context="d"),  # new
        Unit((Variant("en", "Find"), Variant("id", "Cari"), Variant("fr", "Chercher")), key="k"),
    ]
    assert _counts(store.import_units("ui.po", "en", again)) == (2, 2, 4)
    opened = store.variant(by_text["Buka"].id)
    assert (opened.original, opened.current, opened.version) == ("Bukalah", "Bukalah", 2)
    assert [(r.old, r.new, r.reason) for r in store.history(opened.id)] == [
        ("Buka", "Bukalah", "import")
    ]
    closed = store.variant(by_text["Tutup"].id)
    assert (closed.original, closed.current) == ("Menutup", "Tutup!")
    assert [r.reason for r in store.history(closed.id)] == ["manual edit"]
    units = [u for _, u in store.units("ui.po")]
    assert [u.variants[0].text for u in units] == [
        "Open",
        "Close",
        "Save",
        "Copy",
        "Copy",
        "Paste",
        "Cut",
        "Find",
    ]
    assert units[2].comments == ("new note",)
    assert [v.lang for v in units[-1].variants] == ["en", "id", "fr"]
    positions = [v.position for v in store.variants("en", "ui.po")]
    assert positions == list(range(8))
    assert _counts(store.import_units("ui.po", "en", again)) == (0, 0, 8)


def test_languages_are_every_language_with_a_variant(store):
    """TMStore.languages reads the languages a seek at a time (a loose index scan): the
    same as reading every variant, whatever the documents and the codes' order."""
    assert store.languages() == []
    store.save(_doc())
    store.import_units("m", "en", _units())
    store.import_units("n", "zh-Hant", [Unit((Variant("zh-Hant", "開源"), Variant("de", "offen")))])
    every = sorted(r[0] for r in store.db.query("SELECT DISTINCT lang FROM variants"))
    assert every == ["de", "en", "id", "zh-Hant"]
    assert store.languages() == every
