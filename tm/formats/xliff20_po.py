"""A PO entry's structure in XLIFF 2.0, schema-valid, both ways.

XLIFF 2.0 has no gettext fields either; Padan uses what the core and its Metadata module
(``urn:oasis:names:tc:xliff:metadata:2.0``, the place Okapi gives XLIFF 1.2's context
groups in XLIFF 2) offer, on a ``unit`` (or a plural ``group``), before its notes:

- ``msgctxt``, flags but ``fuzzy`` (which is the segment's ``state="initial"``),
  ``#:`` references and ``#|`` previous strings: ``<mda:metadata><mda:metaGroup
  category="x-gettext">`` of ``<mda:meta type=...>``: ``msgctxt``; one ``flag`` each;
  one ``reference`` each, in order; ``previous-msgctxt``, ``previous-msgid``,
  ``previous-msgid_plural``;
- ``#.`` extracted comments: ``<note category="developer">``; ``#`` translator
  comments: ``<note category="translator">``; notes of no category are the unit's notes;
- ``msgid_plural``: a ``<group type="x-gettext:plurals">`` (the group ``id`` is the
  entry's) of one unit per plural form, in order (ids ``N-0``, ``N-1``...): the msgid
  is the first form's source, the msgid_plural every other's, ``msgstr[i]`` the i-th
  target;
- an obsolete entry (``#~``), no text to translate: ``translate="no"`` (a CAT tool shows
  it locked) and ``type="x-gettext:obsolete"`` on its unit(s), Padan's mark.

``type`` is the core's user-defined value (``prefix:value``); everything else is core
or Metadata module markup, so files validate against the XLIFF 2.0 core schema.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from lxml import etree

from tm.formats.inline_xml import checked, local
from tm.formats.xliff_common import q, text_of
from tm.model import Unit

MDA = "urn:oasis:names:tc:xliff:metadata:2.0"
PLURALS = "x-gettext:plurals"
OBSOLETE = "x-gettext:obsolete"
_CATEGORY = "x-gettext"
_CONTEXT, _FLAG, _REFERENCE, _PREVIOUS = "msgctxt", "flag", "reference", "previous-"
_DEVELOPER, _TRANSLATOR = "developer", "translator"


def annotate(holder: etree._Element, unit: Unit, ns: str) -> None:
    """Put the unit's PO structure and notes first in ``holder`` (a unit or a plural
    group, still without them), where the schema wants them: modules, then notes."""
    metas = [(_CONTEXT, unit.context)] if unit.context is not None else []
    metas += [(_FLAG, f) for f in unit.flags if f != "fuzzy"]
    metas += [(_REFERENCE, r) for r in unit.references]
    metas += [(_PREVIOUS + name, text) for name, text in unit.previous]
    typed: list[tuple[str | None, str]] = [(_DEVELOPER, n) for n in unit.extracted]
    typed += [(_TRANSLATOR, n) for n in unit.comments] + [(None, n) for n in unit.notes]
    head: list[etree._Element] = []
    if metas:
        metadata = etree.Element(f"{{{MDA}}}metadata", nsmap={"mda": MDA})
        group = etree.SubElement(metadata, f"{{{MDA}}}metaGroup", category=_CATEGORY)
        for kind, text in metas:
            etree.SubElement(group, f"{{{MDA}}}meta", type=kind).text = checked(text, kind)
        head.append(metadata)
    if typed:
        notes = etree.Element(q(ns, "notes"))
        for category, text in typed:
            note = etree.SubElement(notes, q(ns, "note"))
            if category:
                note.set("category", category)
            note.text = checked(text, "a note")
        head.append(notes)
    for index, element in enumerate(head):
        holder.insert(index, element)


def form_id(group_id: str, form: int) -> str:
    return f"{group_id}-{form}"


def read_entry(holders: Iterable[etree._Element], ns: str) -> dict[str, Any]:
    """The Unit fields the conventions above put in ``holders`` (a unit, or a plural
    group and its first unit): their own children only."""
    context: str | None = None
    found: dict[str, list[Any]] = {
        "flags": [],
        "references": [],
        "previous": [],
        "extracted": [],
        "comments": [],
        "notes": [],
    }
    obsolete = False
    for holder in holders:
        obsolete = obsolete or holder.get("type") == OBSOLETE
        for child in holder:
            if child.tag == f"{{{MDA}}}metadata":
                for meta in child.iterfind(f"{{{MDA}}}metaGroup[@category='{_CATEGORY}']/*"):
                    kind, text = meta.get("type") or "", text_of(meta)
                    if kind == _CONTEXT:
                        context = text
                    elif kind == _FLAG:
                        found["flags"].append(text)
                    elif kind == _REFERENCE:
                        found["references"].append(text)
                    elif kind.startswith(_PREVIOUS):
                        found["previous"].append((kind[len(_PREVIOUS) :], text))
            elif local(child.tag, ns) == "notes":
                for note in child.iterchildren(q(ns, "note")):
                    kind = {_DEVELOPER: "extracted", _TRANSLATOR: "comments"}
                    found[kind.get(note.get("category") or "", "notes")].append(text_of(note))
    return {
        "context": context,
        "obsolete": obsolete,
        **{name: tuple(values) for name, values in found.items()},
    }
