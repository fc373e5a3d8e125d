"""Safe XML parsing for every reader of TBX, TMX and XLIFF files.

lxml is told not to resolve entities, load DTDs or touch the network, and on top of that
any document whose DOCTYPE declares entities is refused outright (by the input gate,
corpora/inputgate.py, before parsing, and here again on the parsed DOCTYPE): that is where
both external-entity attacks (reading /etc/passwd) and entity-expansion bombs live, and no
legitimate terminology or memory file needs them.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TypedDict

from lxml import etree

from corpora.errors import CorpusError
from corpora.inputgate import ENTITIES_REFUSED, Admitted, admit, cannot_read, xml_gate

MAX_BYTES = 4 * 1024 * 1024 * 1024  # streamed readers (TMX, XLIFF): memory stays flat
# Readers that build the whole tree and its objects (TBX, XLIFF) need about 16 times the
# file size: 32 MiB stays near 500 MB.
TREE_MAX_BYTES = 32 * 1024 * 1024
DAMAGED_HINT = "the file is damaged or truncated; repair it or export it again"
_LXML_PLACE = re.compile(r",? line \d+(, column \d+)?$")  # lxml repeats the place


class _ParserOptions(TypedDict):
    resolve_entities: bool
    no_network: bool
    load_dtd: bool
    huge_tree: bool


SAFE: _ParserOptions = {
    "resolve_entities": False,
    "no_network": True,
    "load_dtd": False,
    "huge_tree": False,
}
# Characters XML 1.0 cannot carry at all, whatever the escaping.
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def parser() -> etree.XMLParser:
    return etree.XMLParser(**SAFE)


def first_illegal(text: str) -> str | None:
    """The first character of ``text`` that XML 1.0 cannot carry, as U+XXXX, or None."""
    m = _ILLEGAL.search(text)
    return f"U+{ord(m.group()):04X}" if m else None


def syntax_message(exc: etree.XMLSyntaxError) -> str:
    """lxml's message on one line, without the place it repeats; libxml2's safety limits
    (which it words as advice to lift them) said plainly."""
    text = _LXML_PLACE.sub("", " ".join(str(exc.msg).split())).strip()
    if "entity amplification" in text.lower():
        # libxml2 >= 2.13 stops an entity bomb hidden past the scanned prolog by itself
        return ENTITIES_REFUSED
    if "XML_PARSE_HUGE" in text:
        if "depth" in text.lower():
            return "elements nested more than 256 deep: refused for safety"
        if "text node" in text.lower():
            return "more than 10 MB of text in one element: refused for safety"
        return "XML over libxml2's safety limits: " + text.split(",")[0]
    return "malformed XML: " + text


def syntax_hint(exc: etree.XMLSyntaxError) -> str:
    if "entity amplification" in str(exc.msg).lower():
        return "remove the <!ENTITY> declarations from the DOCTYPE"
    if "XML_PARSE_HUGE" in str(exc.msg):
        return "this is not a normal TMX, TBX or XLIFF file; check where it came from"
    return DAMAGED_HINT


def refuse_entity_references(tree: etree._ElementTree, path: Path) -> None:
    """After a parse that expanded nothing: entity declarations hidden beyond the prolog
    scanned, and references to entities no loaded DTD defines (an external DTD is never
    fetched, so ``&nbsp;`` from one would silently vanish from the text)."""
    dtd = tree.docinfo.internalDTD
    if dtd is not None and any(True for _ in dtd.entities()):  # type: ignore[attr-defined,unused-ignore]  # lxml-stubs lack DTD.entities
        raise CorpusError(
            ENTITIES_REFUSED,
            path=path,
            hint="remove the <!ENTITY> declarations from the DOCTYPE",
        )
    for entity in tree.getroot().iter(etree.Entity):
        raise undefined_entity(entity, path)


def undefined_entity(entity: etree._Entity, path: Path) -> CorpusError:
    return CorpusError(
        f"undefined entity &{entity.name};",
        path=path,
        line=entity.sourceline,
        hint="Padan loads no DTD: write the character itself or a character reference "
        "such as &#160;",
    )


def parse_xml(
    source: str | Path | Admitted, *, max_bytes: int = TREE_MAX_BYTES
) -> etree._ElementTree:
    """Parse a whole XML file safely (through the input gate unless ``source`` passed it);
    errors name the file, line and column."""
    admitted = source if isinstance(source, Admitted) else admit(source, xml_gate(max_bytes))
    path = admitted.path
    try:
        tree = etree.parse(str(path), parser())
    except etree.XMLSyntaxError as exc:
        line, column = exc.position if exc.position else (None, None)
        raise CorpusError(
            syntax_message(exc), path=path, line=line, column=column, hint=syntax_hint(exc)
        ) from exc
    except OSError as exc:
        raise cannot_read(path, exc) from exc
    refuse_entity_references(tree, path)
    return tree


def local_name(element: etree._Element) -> str:
    """The tag without its namespace: {urn:iso:std:iso:30042:ed-2}termSec -> termSec."""
    tag = element.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""
