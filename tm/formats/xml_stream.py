"""Streamed, safe XML parsing shared by the TMX and XLIFF readers.

Memories and XLIFF files run to hundreds of megabytes, so they are parsed with lxml's
``iterparse`` and each converted element is freed: memory stays flat however big the
file. Entities are never resolved, no DTD is loaded, nothing is fetched from the
network; a DOCTYPE declaring entities is refused (by the input gate before parsing, and
again on the parsed DOCTYPE for declarations hidden beyond the scanned prolog).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from lxml import etree

from corpora.errors import CorpusError
from corpora.inputgate import admit, xml_gate
from corpora.safexml import MAX_BYTES, syntax_hint, syntax_message
from tm.errors import TMError


def checked_file(path: str | Path) -> Path:
    """The path of an XML file the input gate let in, else TMError."""
    try:
        return admit(path, xml_gate(MAX_BYTES)).path
    except CorpusError as exc:
        raise TMError(
            exc.message, path=exc.path, line=exc.line, column=exc.column, hint=exc.hint
        ) from exc


def parse(path: Path, **options: object) -> Iterator[tuple[str, etree._Element]]:
    """lxml's iterparse with every unsafe feature off; XML errors become TMError."""
    events = etree.iterparse(
        str(path),
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
        **options,
    )
    first = True
    try:
        for event, element in events:
            if first:
                refuse_entities(element, path)
                first = False
            yield event, element
    except etree.XMLSyntaxError as exc:
        line, column = exc.position if exc.position else (None, None)
        raise TMError(
            syntax_message(exc),
            path=path,
            line=line,
            column=column,
            hint=syntax_hint(exc),
        ) from exc
    except OSError as exc:
        raise TMError(f"cannot read: {exc.strerror or exc}", path=path) from exc


def refuse_entities(element: etree._Element, path: Path) -> None:
    """Second line of defence: entity declarations beyond the prolog bytes the gate read."""
    dtd = element.getroottree().docinfo.internalDTD
    if dtd is not None and any(True for _ in dtd.entities()):  # type: ignore[attr-defined,unused-ignore]
        raise TMError(
            "entity declarations are not allowed: external entities and entity expansion "
            "are refused for safety",
            path=path,
            hint="remove the <!ENTITY> declarations from the DOCTYPE",
        )


def release(element: etree._Element) -> None:
    """Free a converted element and the siblings already converted before it."""
    element.clear(keep_tail=False)
    parent = element.getparent()
    if parent is not None:
        while element.getprevious() is not None:
            del parent[0]
