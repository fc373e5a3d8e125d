"""The review state of a workspace's translations, and its way through files.

A reviewer confirms a variant at its version (F6 in the TUI; padan.review): the
confirmation holds until the text changes. Exported, each translation says its state
(tm.formats.states: needs review, translated, reviewed, final) in the file's own terms;
imported, a file's reviewed and final segments are confirmed again, so that the state
survives an export and a re-import.

What a translation's state is on export:

- confirmed now: reviewed (final when its file said final and the text is as imported);
- else edited by hand since import: translated (the person saw the whole text);
- else (as imported, or changed by an accepted suggestion or bulk fix): its file's state,
  but at most translated, since reviewed or final is what a confirmation says.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator
from dataclasses import replace
from datetime import UTC, datetime

from padan.workspace import Workspace
from tm.formats.states import (
    FINAL,
    ORDER,
    REVIEWED,
    STATE_PROP,
    TRANSLATED,
    least,
    read_state,
    state_of,
    with_state,
)
from tm.model import Unit, Variant

REVIEW_MIGRATIONS = [
    """
    CREATE TABLE review_states (
        variant_id INTEGER PRIMARY KEY REFERENCES variants(id) ON DELETE CASCADE,
        version INTEGER NOT NULL,
        author TEXT NOT NULL DEFAULT '',
        at TEXT NOT NULL
    )
    """,
]


def has_states(ws: Workspace) -> bool:
    db = ws.db
    exists = (
        "SELECT name FROM sqlite_master WHERE name = 'review_states'"
        if db.dialect == "sqlite"
        else "SELECT to_regclass('review_states')"
    )
    return db.scalar(exists) is not None


def confirm_all(ws: Workspace, variant_ids: Collection[int], author: str = "") -> None:
    """Confirm the variants at their current versions (a file's signed-off segments)."""
    if not variant_ids:
        return
    ws.db.migrate("padan.review", REVIEW_MIGRATIONS)
    at = datetime.now(UTC).isoformat(timespec="seconds")
    ids = sorted(variant_ids)
    with ws.db.transaction():
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            where, params = ws.db.one_of("variant_id", chunk)
            ws.db.execute(f"DELETE FROM review_states WHERE {where}", params)
            where, params = ws.db.one_of("id", chunk)
            ws.db.execute(
                "INSERT INTO review_states (variant_id, version, author, at) "
                f"SELECT id, version, ?, ? FROM variants WHERE {where}",
                [author, at, *params],
            )


def confirmed_now(ws: Workspace) -> set[int]:
    """The variants confirmed at their current version."""
    if not has_states(ws):
        return set()
    return {
        int(r[0])
        for r in ws.db.query(
            "SELECT r.variant_id FROM review_states r "
            "JOIN variants v ON v.id = r.variant_id AND v.version = r.version"
        )
    }


def _roles(unit: Unit, source_lang: str | None) -> Iterator[tuple[bool, Variant]]:
    """(is the source, variant): the first variant of the source language is the source,
    the others are translations (a second one of it too: a catalogue into itself)."""
    seen = False
    for v in unit.variants:
        source = not seen and v.lang == source_lang
        seen = seen or source
        yield source, v


def _props(v: Variant) -> tuple[str | None, str]:
    """The variant's own state (its ``x-state`` prop, if a known state) and origin."""
    own, origin = None, "imported"
    for kind, value in v.props:
        if kind == STATE_PROP:
            own = value if value in ORDER else None
        elif kind == "x-origin":
            origin = value
    return own, origin


def exported(unit: Unit, source_lang: str | None, confirmed: Collection[int]) -> Unit:
    """The unit as a file should have it: each translation whose state (see the module)
    is not the one its unit's flags and XLIFF state say with an ``x-state`` prop; the
    source only when it was confirmed itself. (Most units come back as they are: an
    export streams millions.)"""
    read = read_state(unit)
    variants, moved = [], False
    for source, v in _roles(unit, source_lang):
        own, origin = _props(v)
        if v.ref is not None and v.ref in confirmed:
            final = (own or read) == FINAL and origin == "imported"
            state: str | None = FINAL if final else REVIEWED
        elif source:
            state = None
        elif origin == "edited":
            state = TRANSLATED
        else:
            state = least(own or read, TRANSLATED)
        if own is None and state == (None if source else read):
            variants.append(v)
        else:
            variants.append(with_state(v, state))
            moved = True
    return replace(unit, variants=tuple(variants)) if moved else unit


def signed_off(unit: Unit, source_lang: str | None) -> bool:
    """Whether a unit read from a file has a translation the file says is reviewed or
    final (the import then looks for it in the store, to confirm it)."""
    return any(
        not source and state_of(unit, v) in (REVIEWED, FINAL)
        for source, v in _roles(unit, source_lang)
    )


def adopt(ws: Workspace, units: Iterable[Unit], source_lang: str | None, author: str = "") -> int:
    """Confirm the translations of stored ``units`` (as the store gives them back) that
    their file said were reviewed or final and nobody changed since; returns how many."""
    ids = [
        v.ref
        for unit in units
        for source, v in _roles(unit, source_lang)
        if not source
        and v.ref is not None
        and _props(v)[1] == "imported"
        and state_of(unit, v) in (REVIEWED, FINAL)
    ]
    confirm_all(ws, ids, author)
    return len(ids)
