"""What the XLIFF 1.2 and 2.0 readers and writers share: the ``Unit.extra`` keys that
carry a file's structure, and small element helpers.

A unit read from XLIFF carries, under ``xliff:`` keys, what writing the same file back
needs and the model has no field for: the unit element with its texts taken out
(``xliff:skeleton``: attributes, notes, alt-trans, matches, SDL's seg-defs, other tools'
extensions), the file's attributes and header on the file's first unit, the document's
root on the first unit of all, the groups around the unit. TMX and PO leave them out.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

from corpora.atomicfile import atomic_write
from corpora.errors import CorpusError
from corpora.langtags import normalize, to_xml_lang
from tm.errors import TMError
from tm.formats import states
from tm.formats.states import XLIFF_STATE
from tm.model import Unit, Variant

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
NS12 = "urn:oasis:names:tc:xliff:document:1.2"
NS20 = "urn:oasis:names:tc:xliff:document:2.0"
SDL_NS = "http://sdl.com/FileTypes/SdlXliff/1.0"
# Unit.extra keys
ROOT = "xliff:root"  # the document's first unit: {"attrs": ..., "nsmap": ...} of <xliff>
VERSION = "xliff:version"  # likewise: the version attribute
FILE = "xliff:file"  # every unit: the rank of its <file> in the document
FILE_HEAD = "xliff:file-head"  # the file's first unit: its attributes and what precedes units
GROUPS = "xliff:groups"  # the groups around the unit: [[rank, attributes, children], ...]
SKELETON = "xliff:skeleton"  # the unit element, texts taken out (first segment of a unit)
UNIT = "xliff:unit"  # a segment's unit id (units of several segments)
SEGMENT = "xliff:segment"  # a segment's id or mid within its unit
STATE = XLIFF_STATE  # the state as written (1.2 target state, 2.0 segment state)
SUBSTATE = "xliff:substate"
SDL_CONF = states.SDL_CONF  # SDL's confirmation level of a segment


def language(tag: str | None, element: etree._Element, path: Path) -> str | None:
    if not tag:
        return None
    try:
        return normalize(tag)
    except CorpusError as exc:
        raise TMError(exc.message, path=path, line=element.sourceline, hint=exc.hint) from exc


def closed(element: etree._Element) -> bool:
    """Under translate="no": the nearest ``translate``, on the element or around it,
    decides (a unit may say yes in a group that says no)."""
    said = (e.get("translate") for e in (element, *element.iterancestors()))
    return next((v for v in said if v is not None), "yes") == "no"


def q(ns: str, tag: str) -> str:
    return f"{{{ns}}}{tag}" if ns else tag


def serialize(element: etree._Element) -> str:
    return str(etree.tostring(element, encoding="unicode", with_tail=False))


def dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


def nsmap(element: etree._Element) -> dict[str, str]:
    return {k or "": v for k, v in element.nsmap.items()}


def empty(element: etree._Element) -> None:
    element.text = None
    for child in list(element):
        element.remove(child)


def has_content(element: etree._Element) -> bool:
    return bool(element.text) or len(element) > 0


def text_of(element: etree._Element) -> str:
    return "".join(element.itertext())


def preceding(element: etree._Element) -> list[str]:
    """The siblings before ``element`` (a file's header, notes, modules), serialized."""
    out = []
    sibling = element.getprevious()
    while sibling is not None:
        if isinstance(sibling.tag, str):
            out.append(serialize(sibling))
        sibling = sibling.getprevious()
    return out[::-1]


@dataclass
class Place:
    """Where a reader is: the languages, and what its next unit must carry (the root on
    the document's first unit, the file's head on its file's first, the groups)."""

    source: str
    target: str | None
    file_no: int = 0
    file_head: dict[str, Any] | None = None  # for the file's first unit
    root: str | None = None  # for the document's first unit
    groups: list[list[Any]] = field(default_factory=list)  # [rank, attrs, children]
    group_no: int = 0

    def at_root(self, element: etree._Element) -> None:
        self.root = dumps({"attrs": dict(element.attrib), "nsmap": nsmap(element)})

    def at_file(self, element: etree._Element) -> None:
        self.file_no += 1
        self.file_head = {"attrs": dict(element.attrib)}

    def at_group(self, element: etree._Element) -> None:
        self.group_no += 1
        self.groups.append([self.group_no, dict(element.attrib), None])

    def common(self) -> list[tuple[str, str]]:
        """The extras every unit carries, and those its file's or document's first does."""
        extra = [(FILE, str(self.file_no))]
        if self.groups:
            extra.append((GROUPS, dumps(self.groups)))
        if self.file_head is not None:
            extra.append((FILE_HEAD, dumps(self.file_head)))
            self.file_head = None
        if self.root is not None:
            version = json.loads(self.root)["attrs"].get("version", "")
            extra += [(ROOT, self.root), (VERSION, version)]
            self.root = None
        return extra


def own_root(first: Unit | None, major: str) -> tuple[dict[str, str], dict[str | None, str]] | None:
    """The attributes and namespaces of the root the first unit was read under, when it
    was read from a file of this major version ("1" or "2")."""
    extra = extras(first) if first else {}
    root = loads(extra.get(ROOT)) if extra.get(VERSION, "").startswith(major) else None
    if not root:
        return None
    return dict(root["attrs"]), {(k or None): v for k, v in root["nsmap"].items()}


def set_lang(attrs: dict[str, str], name: str, lang: str) -> None:
    """Keep the file's own spelling of the language when it names the same one."""
    try:
        same = name in attrs and normalize(attrs[name]) == lang
    except CorpusError:
        same = False
    if not same:
        attrs[name] = to_xml_lang(lang)


def what(unit: Unit, variant: Variant) -> str:
    """A unit's name in an error message."""
    return f"unit {unit.key!r} ({variant.lang})" if unit.key else f"a unit ({variant.lang})"


def extras(unit: Unit) -> dict[str, str]:
    return dict(unit.extra) if unit.extra else {}


def batches(units: Iterable[Unit]) -> Iterator[list[Unit]]:
    """The units of one XLIFF unit together: a segment of a unit that was read with
    several joins the one before it (same ``xliff:unit``, no skeleton of its own)."""
    batch: list[Unit] = []
    current: str | None = None
    for unit in units:
        extra = extras(unit)
        joins = batch and UNIT in extra and SKELETON not in extra and extra[UNIT] == current
        if not joins and batch:
            yield batch
            batch = []
        batch.append(unit)
        current = extra.get(UNIT)
    if batch:
        yield batch


def target_variant(unit: Unit, src: str, tgt: str | None) -> Variant | None:
    """The ``tgt`` variant (Unit.pair: in a catalogue of a language into itself, the
    second variant of it); with no target language, the unit's first other one."""
    if tgt:
        return unit.pair(src, tgt)[1]
    return next((v for v in unit.variants if v.lang != src), None)


def loads(value: str | None) -> Any:
    return json.loads(value) if value else None


class Structure:
    """Where an XLIFF writer puts the next unit: in the current ``file`` (its ``body`` in
    1.2) and the groups the unit was read in."""

    def __init__(self, root: etree._Element, ns: str) -> None:
        self.root, self.ns = root, ns
        self.file: str | None = None
        self.body: etree._Element = root
        self.groups: list[tuple[int, etree._Element]] = []

    def parent(self) -> etree._Element:
        return self.groups[-1][1] if self.groups else self.body

    def add(self, parent: etree._Element, element: etree._Element) -> etree._Element:
        if not len(parent) and not (parent.text or "").strip():
            parent.text = "\n"
        parent.append(element)
        element.tail = "\n"
        return element

    def open_file(self, rank: str, attrs: dict[str, str], before: list[etree._Element]) -> None:
        """A new ``file``, with what precedes its units (1.2 header; 2.0 skeleton, notes)."""
        self.groups = []
        self.file = rank
        file = self.add(self.root, etree.Element(q(self.ns, "file"), attrs))
        for element in before:
            self.add(file, element)
        self.body = file
        if self.ns != NS20 and not self.ns.endswith(":2.0"):
            self.body = self.add(file, etree.Element(q(self.ns, "body")))

    def set_groups(self, groups: list[list[Any]] | None) -> None:
        wanted = [(int(g[0]), g[1], g[2] if len(g) > 2 else None) for g in groups or []]
        same = 0
        while same < min(len(wanted), len(self.groups)) and (
            wanted[same][0] == self.groups[same][0]
        ):
            same += 1
        del self.groups[same:]
        for rank, attrs, children in wanted[same:]:
            group = self.add(self.parent(), etree.Element(q(self.ns, "group"), attrs))
            for child in children or ():
                self.add(group, etree.fromstring(child, etree.XMLParser(resolve_entities=False)))
            self.groups.append((rank, group))


def write_tree(root: etree._Element, path: str | Path) -> None:
    """Write an XLIFF document atomically; errors as TMError naming the file."""
    try:
        with atomic_write(path, encoding=None) as f:
            etree.ElementTree(root).write(f, xml_declaration=True, encoding="UTF-8")
    except CorpusError as exc:
        raise TMError(exc.message, path=exc.path, hint=exc.hint) from exc
    except OSError as exc:
        raise TMError(f"cannot write: {exc.strerror or exc}", path=path) from exc
