"""XLIFF reading and writing: reading 1.0, 1.1, 1.2 and SDLXLIFF (tm.formats.xliff12_read), 2.x
(tm.formats.xliff20_read), told apart by the root's namespace and version.

The file's languages (1.2: the first ``<file>``'s ``source-language``/
``target-language``; 2.x: ``srcLang``/``trgLang`` on the root) are read first; the
caller's ``--from``/``--to`` win. Units are parsed as they are asked for, so a file of
any size reads in flat memory; a malformed file raises TMError at the place where it
breaks.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import chain
from pathlib import Path

from corpora.errors import CorpusError
from corpora.langtags import normalize
from tm.errors import TMError
from tm.formats import xliff12_read, xliff12_write, xliff20_read, xliff20_write
from tm.formats.inline_xml import local
from tm.formats.xliff_common import NS20, VERSION
from tm.formats.xml_stream import checked_file, parse
from tm.model import Unit


@dataclass(frozen=True)
class XliffDocument:
    source_lang: str
    target_lang: str | None
    units: Iterator[Unit]
    version: str  # "1.2", "2.0"...: the root's version attribute (or its namespace's)


def _lang(value: str | None, path: Path) -> str | None:
    try:
        return normalize(value) if value else None
    except CorpusError as exc:
        raise TMError(exc.message, path=path) from exc


def root_of(path: Path) -> tuple[str, str, str]:
    """(namespace, version, major version "1" or "2") of an XLIFF file's root."""
    for _, element in parse(path, events=("start",)):
        tag = element.tag if isinstance(element.tag, str) else ""
        ns = tag[1:].split("}", 1)[0] if tag.startswith("{") else ""
        if local(tag, ns) != "xliff":
            raise TMError(
                f"not an XLIFF file: the root element is <{local(tag, ns)}>, not <xliff>",
                path=path,
                line=element.sourceline,
                hint="check that this is the file you meant",
            )
        version = element.get("version") or ("2.0" if ns == NS20 else "1.2")
        major = "2" if ns.startswith(NS20[:-3]) and ns.endswith(":2.0") else version[:1]
        return ns, version, "2" if major == "2" else "1"
    raise TMError("no root element: not an XLIFF file", path=path)  # pragma: no cover


def read_xliff(
    path: str | Path, *, source_lang: str | None = None, target_lang: str | None = None
) -> XliffDocument:
    checked = checked_file(path)
    ns, version, major = root_of(checked)
    reader = xliff20_read if major == "2" else xliff12_read
    src_given, tgt_given = _lang(source_lang, checked), _lang(target_lang, checked)
    src_file, tgt_file = reader.languages(checked, ns)
    src = src_given or _lang(src_file, checked) or "en"
    tgt = tgt_given or _lang(tgt_file, checked)
    return XliffDocument(src, tgt, reader.units(checked, ns, src_given, tgt_given), version)


def write_xliff(
    units: Iterable[Unit],
    path: str | Path,
    *,
    source_lang: str,
    target_lang: str | None,
    version: str | None = None,
) -> int:
    """Write XLIFF: 2.0 when ``version`` starts with 2, 1.2 when with 1; None: the
    version of the file the first unit was read from (1.2 for units from elsewhere).
    A ``.sdlxliff`` path is written as SDLXLIFF (XLIFF 1.2 with SDL's segments)."""
    stream = iter(units)
    first = next(stream, None)
    chosen = version or (dict(first.extra).get(VERSION, "1.2") if first else "1.2")
    every = chain([first], stream) if first else iter(())
    if Path(path).suffix.lower() == ".sdlxliff":
        return xliff12_write.write_xliff12(
            every, path, source_lang=source_lang, target_lang=target_lang, sdl=True
        )
    if chosen.startswith("2"):
        return xliff20_write.write_xliff20(
            every, path, source_lang=source_lang, target_lang=target_lang
        )
    return xliff12_write.write_xliff12(
        every, path, source_lang=source_lang, target_lang=target_lang
    )
