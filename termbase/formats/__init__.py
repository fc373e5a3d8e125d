"""Term base files: TBX (read v2/v3, write v3 TBX-Basic), OmegaT TSV, CSV, glossary PO."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from corpora.errors import CorpusError
from corpora.langtags import normalize
from termbase.errors import TermbaseError
from termbase.formats import glossary_tsv, po_glossary, tbx_read, tbx_write
from termbase.model import Concept

_KNOWN = ".tbx, .tsv, .txt, .utf8, .csv, .po"


def _kind(path: str | Path) -> str:
    suffix = Path(path).suffix.lower()
    kinds = {
        ".tbx": "tbx",
        ".tsv": "tsv",
        ".txt": "tsv",
        ".utf8": "tsv",
        ".csv": "csv",
        ".po": "po",
        ".pot": "po",
    }
    if suffix not in kinds:
        raise TermbaseError(
            f"unknown term base format {suffix or '(no extension)'!r}",
            path=path,
            hint=f"use one of {_KNOWN}",
        )
    return kinds[suffix]


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
    kind = _kind(path)
    source_lang = _normal(source_lang, path)
    target_lang = _normal(target_lang, path)
    if kind == "tbx":
        return tbx_read.read_tbx(path)
    if kind == "po":
        return po_glossary.read_po_glossary(path, source_lang, target_lang)
    if kind == "csv":  # its header may name the languages
        return glossary_tsv.read_csv(path, source_lang, target_lang)
    if not target_lang:
        raise TermbaseError(
            "a TSV or CSV glossary needs its target language",
            path=path,
            hint="give --to LANG (and --from LANG if the source is not en)",
        )
    return glossary_tsv.read_tsv(path, source_lang or "en", target_lang)


def write_glossary(
    concepts: Sequence[Concept], path: str | Path, *, source_lang: str, target_lang: str | None
) -> int:
    kind = _kind(path)
    source_lang = _normal(source_lang, path) or "en"
    target_lang = _normal(target_lang, path)
    if kind == "tbx":
        return tbx_write.write_tbx(concepts, path, source_lang=source_lang)
    if not target_lang:
        raise TermbaseError(
            f"{kind.upper()} export needs a target language", path=path, hint="give --to LANG"
        )
    writer = {
        "tsv": glossary_tsv.write_tsv,
        "csv": glossary_tsv.write_csv,
        "po": po_glossary.write_po_glossary,
    }[kind]
    return writer(concepts, path, source_lang, target_lang)
