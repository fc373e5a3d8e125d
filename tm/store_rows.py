"""How a unit and its variants are kept as rows: identity, metadata as JSON, and back.

These run once per unit and variant of an import (a million times for a large memory),
so they skip what is empty before building anything, and share one JSON encoder.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

from corpora.langtags import normalize
from tm.model import InlineCode, Unit, Variant


def _unencodable(obj: object) -> object:
    raise TypeError(f"Object of type {type(obj).__name__} is not JSON serializable")


# What json.dumps(obj, ensure_ascii=False) writes (stored texts are compared with it on
# re-import), without the encoder json builds on every call (half the time of a unit).
_c_encoder = getattr(json.encoder, "c_make_encoder", None)
_chunks = (
    None
    if _c_encoder is None
    else _c_encoder(
        None, _unencodable, json.encoder.encode_basestring, None, ": ", ", ", False, False, True
    )
)
_slow = json.JSONEncoder(ensure_ascii=False, check_circular=False).encode


def encode(obj: object) -> str:
    return _slow(obj) if _chunks is None else "".join(_chunks(obj, 0))


def identity(unit: Unit, source_lang: str, index: int) -> str:
    """What makes a unit the same unit on re-import: its id, else its context and source.

    Several units of one file may share it (a TMX holding three translations of one
    source): import_units numbers the later ones, so that each stays a unit of its own.
    """
    if unit.key:
        return "key:" + unit.key
    for source in unit.variants:
        if source.lang == source_lang:
            break
    else:
        if not unit.variants:
            return f"pos:{index}"
        source = unit.variants[0]
    plural = "\x00".join(source.plurals)
    return encode([unit.context, source.text, plural, unit.obsolete])


Row = tuple[str, str, tuple[tuple[str, str, str], ...]]
"""A unit as an import stores it: (identity, meta, ((lang, text, meta) per variant))."""


def rows(units: Iterable[Unit], source_lang: str) -> Iterator[Row]:
    """Units as the rows an import stores (tm.store_batch), in file order (see
    :func:`numbered`). Built before the import's transaction (the JSON is most of an
    import's Python work), and small to spool: strings in tuples pickle ten times faster
    than Unit objects."""
    source_lang = normalize(source_lang)
    return numbered(
        (
            identity(unit, source_lang, index),
            unit_meta(unit, more),
            tuple((lang, v.text, variant_meta(v)) for lang, v in variants),
        )
        for index, unit in enumerate(units)
        for variants, more in (split_variants(unit),)
    )


def numbered(found: Iterable[Row]) -> Iterator[Row]:
    """The rows, a unit whose identity came before in the file a unit of its own (a TMX
    may hold three translations of one source): the later ones are numbered #2, #3..."""
    seen: set[int] = set()  # hashes of identities given: 64 bits, for a file of millions
    again: dict[int, int] = {}
    for ident, meta, texts in found:
        digest = hash(ident)
        while digest in seen:  # numbered; a literal "x#2" in the file is numbered further
            again[digest] = number = again.get(digest, 1) + 1
            ident, digest = f"{ident}#{number}", hash(f"{ident}#{number}")
        seen.add(digest)
        yield ident, meta, texts


def unit_meta(unit: Unit, more: list[list[object]] | None = None) -> str:
    meta: dict[str, object] = {}
    if unit.key:
        meta["key"] = unit.key
    if unit.context:
        meta["context"] = unit.context
    for name, items in (
        ("flags", unit.flags),
        ("comments", unit.comments),
        ("extracted", unit.extracted),
        ("references", unit.references),
    ):
        if items:
            meta[name] = list(items)
    if unit.previous:
        meta["previous"] = [list(p) for p in unit.previous]
    if unit.obsolete:
        meta["obsolete"] = True
    if unit.props:
        meta["props"] = [list(p) for p in unit.props]
    if unit.notes:
        meta["notes"] = list(unit.notes)
    for name, value in (
        ("created", unit.created),
        ("changed", unit.changed),
        ("creator", unit.creator),
    ):
        if value:
            meta[name] = value
    if unit.extra:
        meta["extra"] = [list(p) for p in unit.extra]
    if more:
        meta["more"] = more
    return encode(meta) if meta else "{}"


def split_variants(unit: Unit) -> tuple[list[tuple[str, Variant]], list[list[object]]]:
    """The unit's first variant of each language with its normal tag (stored as variants,
    one per language), and the further ones of a language already seen (a TMX tu may
    hold two fr-CA variants) as [position, lang, text, meta], kept with the unit and
    written back."""
    first: list[tuple[str, Variant]] = []
    more: list[list[object]] = []
    langs: set[str] = set()
    for position, v in enumerate(unit.variants):
        lang = normalize(v.lang)
        if lang in langs:
            more.append([position, lang, v.text, variant_meta(v)])
        else:
            langs.add(lang)
            first.append((lang, v))
    return first, more


def variant_meta(v: Variant) -> str:
    if not (v.codes or v.plurals or v.props or v.notes or v.created or v.changed):
        return "{}"  # most variants: plain text
    meta = {
        "codes": [[c.tag, [list(a) for a in c.attrs], c.content] for c in v.codes],
        "plurals": list(v.plurals),
        "props": [list(p) for p in v.props],
        "notes": list(v.notes),
        "created": v.created,
        "changed": v.changed,
    }
    return encode({k: val for k, val in meta.items() if val})


def _pairs(items: list) -> tuple[tuple[str, str], ...]:  # type: ignore[type-arg]
    return tuple((a, b) for a, b in items)


def unit_from(meta_json: str, variants: tuple[Variant, ...]) -> Unit:
    m = json.loads(meta_json)
    if m.get("more"):
        merged = list(variants)
        for position, lang, text, v_meta in m["more"]:
            merged.insert(min(position, len(merged)), variant_from(lang, text, v_meta))
        variants = tuple(merged)
    return Unit(
        variants=variants,
        key=m.get("key"),
        context=m.get("context"),
        flags=tuple(m.get("flags", ())),
        comments=tuple(m.get("comments", ())),
        extracted=tuple(m.get("extracted", ())),
        references=tuple(m.get("references", ())),
        previous=_pairs(m.get("previous", [])),
        obsolete=bool(m.get("obsolete", False)),
        props=_pairs(m.get("props", [])),
        notes=tuple(m.get("notes", ())),
        created=m.get("created"),
        changed=m.get("changed"),
        creator=m.get("creator"),
        extra=_pairs(m.get("extra", [])),
    )


def variant_from(lang: str, text: str, meta_json: str) -> Variant:
    m = json.loads(meta_json)
    return Variant(
        lang=lang,
        text=text,
        codes=tuple(InlineCode(t, _pairs(a), c) for t, a, c in m.get("codes", [])),
        plurals=tuple(m.get("plurals", ())),
        props=_pairs(m.get("props", [])),
        notes=tuple(m.get("notes", ())),
        created=m.get("created"),
        changed=m.get("changed"),
    )
