"""Term base files: TBX (read v2/v3, write v3 TBX-Basic), OmegaT TSV, CSV, glossary PO.

Each format registers itself in :mod:`termbase.formats.registry` when its module is
imported below; ``read_glossary`` and ``write_glossary`` find it there by the file's
extension, else by its content.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from corpora.errors import CorpusError
from corpora.langtags import normalize
from termbase.errors import TermbaseError
from termbase.formats import glossary_csv, glossary_tsv, po_glossary, tbx_read  # noqa: F401
from termbase.formats.registry import format_of
from termbase.model import Concept


def _normal(lang: str | None, path: str | Path) -> str | None:
    if lang is None:
        return None
    try:
        return normalize(lang)
    except CorpusError as exc:
        raise TermbaseError(exc.message, path=path, hint=exc.hint) from exc


def read_glossary(
    path: str | Path, *, source_lang: str | None = None, target_lang: str | None = None
) -> list[Concept]:
    fmt = format_of(path)
    return fmt.read(path, _normal(source_lang, path), _normal(target_lang, path))


def write_glossary(
    concepts: Sequence[Concept], path: str | Path, *, source_lang: str, target_lang: str | None
) -> int:
    fmt = format_of(path)
    return fmt.write(concepts, path, _normal(source_lang, path) or "en", _normal(target_lang, path))
