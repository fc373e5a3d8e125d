"""A PO entry's structure in XLIFF 1.2, as translate-toolkit's po2xliff writes it.

XLIFF 1.2 has no fields for gettext's context, comments, references, plural forms or
obsolete mark, so tools agreed on conventions, which translate-toolkit's PO-XLIFF reader
(``translate.storage.poxliff``) and Okapi follow:

- ``msgctxt``: ``<context-group name="po-entry" purpose="information">`` holding
  ``<context context-type="x-po-msgctxt">``; Padan puts the entry's flags but ``fuzzy``
  (which is the target's state) in the same group, as ``x-po-flags``, comma-separated;
- ``#:`` references: one ``<context-group name="po-reference" purpose="location">`` each,
  with ``sourcefile`` and ``linenumber`` contexts;
- ``#.`` extracted comments: ``<note from="developer">``; ``#`` translator comments:
  ``<note from="po-translator">``;
- ``msgid_plural``: a ``<group restype="x-gettext-plurals">`` of one trans-unit per
  plural form, ids ``N[0]``, ``N[1]``...: the msgid is the first form's source, the
  msgid_plural every other's, and each ``msgstr[i]`` the i-th target.

The strict schema wants every context group's name unique in its ``file``, which
po2xliff's repeated names break: Padan names them ``po-entry:ID`` and
``po-reference#N:ID`` (the N-th reference of the unit or group ``ID``), and reads any name
that starts ``po-entry`` or ``po-reference``. translate-toolkit's XLIFF reader finds the
references by their purpose; its PO-XLIFF reader, which wants the exact names, does not.

An obsolete entry (``#~``) is no text to translate: its trans-unit says
``translate="no"`` (a CAT tool shows it locked) and ``restype="x-gettext-obsolete"``,
Padan's own mark, by which its reader gives the obsolete mark back.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from lxml import etree

from tm.formats.inline_xml import checked, local
from tm.formats.xliff_common import q, text_of
from tm.model import Unit

PLURALS = "x-gettext-plurals"
DOMAIN_HEADER = "x-gettext-domain-header"  # po2xliff's trans-unit of the PO header
OBSOLETE = "x-gettext-obsolete"
_ENTRY, _REFERENCE = "po-entry", "po-reference"
_MSGCTXT, _FLAGS = "x-po-msgctxt", "x-po-flags"
_DEVELOPER, _TRANSLATOR = "developer", "po-translator"
_FORM = re.compile(r"\[(\d+)\]$")


def structure(unit: Unit, ns: str, holder_id: str) -> list[etree._Element]:
    """The context groups and typed notes of a PO unit, in the schema's order for a
    trans-unit or a group (context groups, then notes); ``holder_id`` is the id of that
    trans-unit or group."""
    out: list[etree._Element] = []
    flags = [f for f in unit.flags if f != "fuzzy"]
    if unit.context is not None or flags:
        name = f"{_ENTRY}:{holder_id}"
        group = etree.Element(q(ns, "context-group"), name=name, purpose="information")
        if unit.context is not None:
            context = etree.SubElement(group, q(ns, "context"), {"context-type": _MSGCTXT})
            context.text = checked(unit.context, "the context")
        if flags:
            context = etree.SubElement(group, q(ns, "context"), {"context-type": _FLAGS})
            context.text = checked(", ".join(flags), "the flags")
        out.append(group)
    for n, reference in enumerate(unit.references, 1):
        name = f"{_REFERENCE}#{n}:{holder_id}"
        group = etree.Element(q(ns, "context-group"), name=name, purpose="location")
        source_file, line = _split_reference(reference)
        etree.SubElement(group, q(ns, "context"), {"context-type": "sourcefile"}).text = checked(
            source_file, "a reference"
        )
        if line:
            etree.SubElement(group, q(ns, "context"), {"context-type": "linenumber"}).text = line
        out.append(group)
    for sender, notes in ((_DEVELOPER, unit.extracted), (_TRANSLATOR, unit.comments)):
        for note in notes:
            element = etree.Element(q(ns, "note"), {"from": sender})
            element.text = checked(note, "a comment")
            out.append(element)
    return out


def _split_reference(reference: str) -> tuple[str, str]:
    """``file:line`` as po2xliff cuts it; a reference without a line number is a file."""
    head, _, tail = reference.rpartition(":")
    return (head, tail) if head and tail.isdigit() else (reference, "")


def form_id(unit_id: str, form: int) -> str:
    return f"{unit_id}[{form}]"


@dataclass(frozen=True)
class Entry:
    """What a trans-unit (or plural group) says of its PO entry."""

    context: str | None = None
    flags: tuple[str, ...] = ()
    references: tuple[str, ...] = ()
    extracted: tuple[str, ...] = ()
    comments: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()  # notes of no PO kind: Unit.notes
    obsolete: bool = False


def read_entry(holders: Iterable[etree._Element], ns: str) -> Entry:
    """The PO structure the conventions above put in ``holders`` (a trans-unit, or a
    plural group and its first trans-unit): their own children only."""
    context: str | None = None
    flags: list[str] = []
    references: list[str] = []
    extracted: list[str] = []
    comments: list[str] = []
    notes: list[str] = []
    obsolete = False
    for holder in holders:
        obsolete = obsolete or holder.get("restype") == OBSOLETE
        for child in holder:
            name = local(child.tag, ns)
            if name == "note":
                sender = child.get("from")
                kind = {_DEVELOPER: extracted, _TRANSLATOR: comments}.get(sender or "", notes)
                kind.append(text_of(child))
            elif name == "context-group" and (child.get("name") or "").startswith(_ENTRY):
                for c in child:
                    if c.get("context-type") == _MSGCTXT:
                        context = text_of(c)
                    elif c.get("context-type") == _FLAGS:
                        flags += [f.strip() for f in text_of(c).split(",") if f.strip()]
            elif name == "context-group" and (child.get("name") or "").startswith(_REFERENCE):
                parts = {c.get("context-type"): text_of(c) for c in child}
                if parts.get("sourcefile"):
                    line = parts.get("linenumber")
                    references.append(
                        f"{parts['sourcefile']}:{line}" if line else parts["sourcefile"]
                    )
    return Entry(
        context,
        tuple(flags),
        tuple(references),
        tuple(extracted),
        tuple(comments),
        tuple(notes),
        obsolete,
    )


def form_of(unit_id: str | None) -> int | None:
    """The plural form a trans-unit id of a plural group names (``N[1]`` -> 1)."""
    m = _FORM.search(unit_id or "")
    return int(m.group(1)) if m else None
