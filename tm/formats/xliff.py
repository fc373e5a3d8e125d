"""XLIFF 1.2, read through translate-toolkit's reader.

The file's ``source-language``/``target-language`` give the languages (the caller's
``--from``/``--to`` win). Inline markup (g, x, bx, ex, ph) is flattened to the text
translate-toolkit renders for it; an entity declaration is refused before the file
reaches translate-toolkit's parser. A unit not approved, or in a needs-review state, is
marked ``fuzzy`` as in PO.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from corpora.errors import CorpusError
from corpora.langtags import normalize
from corpora.safexml import local_name, parse_xml
from tm.errors import TMError
from tm.model import Unit, Variant


@dataclass(frozen=True)
class XliffDocument:
    source_lang: str
    target_lang: str | None
    units: tuple[Unit, ...]


def _lang(value: str | None, path: Path) -> str | None:
    try:
        return normalize(value) if value else None
    except CorpusError as exc:
        raise TMError(exc.message, path=path) from exc


def read_xliff(
    path: str | Path, *, source_lang: str | None = None, target_lang: str | None = None
) -> XliffDocument:
    from lxml import etree
    from translate.storage import xliff

    path = Path(path)
    # Our own safe parse first: size, binary, entities, syntax errors with their place,
    # and the root element; translate-toolkit then reads the file it has seen.
    try:
        root = parse_xml(path).getroot()
    except CorpusError as exc:
        raise TMError(
            exc.message, path=exc.path, line=exc.line, column=exc.column, hint=exc.hint
        ) from exc
    if local_name(root) != "xliff":
        raise TMError(
            f"not an XLIFF file: the root element is <{local_name(root)}>, not <xliff>",
            path=path,
            line=root.sourceline,
            hint="check that this is the file you meant",
        )
    del root
    try:
        store = xliff.xlifffile.parsefile(str(path))  # type: ignore[no-untyped-call]
    except etree.XMLSyntaxError as exc:  # pragma: no cover - parse_xml saw it first
        line, column = exc.position if exc.position else (None, None)
        raise TMError(f"malformed XML: {exc.msg}", path=path, line=line, column=column) from exc
    except (ValueError, AttributeError, StopIteration, AssertionError, KeyError) as exc:
        detail = " ".join(str(exc).split()) or "no <file> element"
        raise TMError(
            f"not an XLIFF 1.2 file: {detail}", path=path, hint="Padan reads XLIFF 1.2"
        ) from exc
    src = _lang(source_lang, path) or _lang(store.getsourcelanguage(), path) or "en"
    tgt = _lang(target_lang, path) or _lang(store.gettargetlanguage(), path)
    units = []
    for unit in store.getunits():
        if unit.isheader():
            continue
        variants = [Variant(src, str(unit.source or ""))]
        if tgt and unit.target is not None:
            variants.append(Variant(tgt, str(unit.target)))
        notes = unit.getnotes()
        units.append(
            Unit(
                variants=tuple(variants),
                key=(unit.getid() or "").replace("\x04", ":") or None,  # file\x04id
                flags=("fuzzy",) if _fuzzy(unit) else (),
                notes=(notes,) if notes else (),
            )
        )
    return XliffDocument(src, tgt, tuple(units))


def _fuzzy(unit: Any) -> bool:  # a translate-toolkit xliffunit (untyped)
    """Marked as needing work: approved="no", or a target state needs-*. translate-toolkit's
    isfuzzy() says fuzzy for every unit not approved="yes", which Symfony's and most
    exports never write: their catalogues must not come out fuzzy."""
    if unit.xmlelement.get("approved") == "no":
        return True
    target = unit.xmlelement.find(unit.namespaced("target"))
    return target is not None and (target.get("state") or "").startswith("needs-")
