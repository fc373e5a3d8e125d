"""Which reader or writer a translation-memory file needs, chosen by its extension.

Readers give a :class:`Bilingual`: the languages the file declares (or the caller's
``--from``/``--to``, which win) and its units. Plain text is not here: it is a
monolingual document, read by corpora.documents.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from corpora.langtags import normalize
from tm.errors import TMError
from tm.formats import po, tmx_read, xliff
from tm.model import Unit

UNIT_FORMATS = (".po", ".pot", ".mo", ".tmx", ".xlf", ".xliff")


@dataclass(frozen=True)
class Bilingual:
    source_lang: str
    target_lang: str | None
    units: Iterable[Unit]


def is_unit_file(path: str | Path) -> bool:
    return Path(path).suffix.lower() in UNIT_FORMATS


def read_units(
    path: str | Path, *, source_lang: str | None = None, target_lang: str | None = None
) -> Bilingual:
    """The units of a PO/POT/MO, TMX or XLIFF file."""
    suffix = Path(path).suffix.lower()
    src = normalize(source_lang) if source_lang else None
    tgt = normalize(target_lang) if target_lang else None
    if suffix in (".po", ".pot", ".mo"):
        reader = po.read_mo if suffix == ".mo" else po.read_po
        doc = reader(path, source_lang=src, target_lang=tgt)
        return Bilingual(doc.source_lang, doc.target_lang, doc.units)
    if suffix == ".tmx":
        memory = tmx_read.read_tmx(path)
        if not src and not memory.header.srclang and not memory.header.srclang_all:
            raise TMError(
                "the TMX <header> has no srclang: the source language is unknown",
                path=path,
                hint='give --from LANG, or add srclang="en" to the header',
            )
        return Bilingual(src or memory.header.srclang or "en", tgt, memory.units())
    if suffix in (".xlf", ".xliff"):
        doc = xliff.read_xliff(path, source_lang=src, target_lang=tgt)
        return Bilingual(doc.source_lang, doc.target_lang, doc.units)
    raise TMError(
        f"not a translation-memory file ({suffix or 'no extension'})",
        path=path,
        hint="Padan reads " + ", ".join(UNIT_FORMATS) + " and plain .txt documents",
    )
