"""Safe XML parsing for every reader of TBX, TMX and XLIFF files.

lxml is told not to resolve entities, load DTDs or touch the network, and on top of that
any document whose DOCTYPE declares entities is refused outright: that is where both
external-entity attacks (reading /etc/passwd) and entity-expansion bombs live, and no
legitimate terminology or memory file needs them.
"""

from __future__ import annotations

import re
from pathlib import Path

from lxml import etree

from corpora.errors import CorpusError

MAX_BYTES = 512 * 1024 * 1024
_PROLOG_BYTES = 64 * 1024
_ENTITY_DECL = re.compile(r"<!ENTITY", re.IGNORECASE)


SAFE = {"resolve_entities": False, "no_network": True, "load_dtd": False, "huge_tree": False}
# Characters XML 1.0 cannot carry at all, whatever the escaping.
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def parser() -> etree.XMLParser:
    return etree.XMLParser(**SAFE)


def first_illegal(text: str) -> str | None:
    """The first character of ``text`` that XML 1.0 cannot carry, as U+XXXX, or None."""
    m = _ILLEGAL.search(text)
    return f"U+{ord(m.group()):04X}" if m else None


def check_prolog(path: Path, head: bytes) -> None:
    """Refuse entity declarations in the DOCTYPE (read from the first bytes of the file)."""
    text = _prolog_text(head)
    m = _ENTITY_DECL.search(text)
    if m:
        line = text[: m.start()].count("\n") + 1
        raise CorpusError(
            "entity declarations are not allowed (external entities and entity expansion "
            "are refused for safety)",
            path=path,
            line=line,
            hint="remove the <!ENTITY> declarations from the DOCTYPE",
        )


def _prolog_text(head: bytes) -> str:
    """The first bytes as text: UTF-16 (with or without BOM) shows NUL bytes."""
    if head[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in head[:200]:
        le = head[:2] == b"\xff\xfe" or (len(head) > 1 and head[1] == 0)
        return head.decode("utf-16-le" if le else "utf-16-be", errors="replace")
    return head.decode("utf-8", errors="replace")


def existing(path: str | Path, max_bytes: int = MAX_BYTES) -> Path:
    """The path, checked to be a readable file of acceptable size."""
    path = Path(path)
    if not path.exists():
        raise CorpusError("file not found", path=path)
    if not path.is_file():
        raise CorpusError("not a file", path=path)
    size = path.stat().st_size
    if size > max_bytes:
        raise CorpusError(
            f"file is {size / 2**20:.0f} MiB, more than the {max_bytes / 2**20:.0f} MiB allowed",
            path=path,
        )
    if size == 0:
        raise CorpusError("empty file: no XML document", path=path, line=1)
    return path


def parse_xml(path: str | Path, *, max_bytes: int = MAX_BYTES) -> etree._ElementTree:
    """Parse a whole XML file safely; errors name the file, line and column."""
    path = existing(path, max_bytes)
    with path.open("rb") as f:
        check_prolog(path, f.read(_PROLOG_BYTES))
    try:
        return etree.parse(str(path), parser())
    except etree.XMLSyntaxError as exc:
        line, column = exc.position if exc.position else (None, None)
        raise CorpusError(f"malformed XML: {exc.msg}", path=path, line=line, column=column) from exc
    except OSError as exc:
        raise CorpusError(f"cannot read: {exc}", path=path) from exc


def local_name(element: etree._Element) -> str:
    """The tag without its namespace: {urn:iso:std:iso:30042:ed-2}termSec -> termSec."""
    tag = element.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""
