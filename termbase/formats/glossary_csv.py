"""Bilingual glossaries as CSV (RFC 4180, UTF-8, header row).

Padan writes ``concept,source,target,status,comment`` where ``concept`` is the concept id
and ``status`` the target term's status. Reading goes by the header row (see read_csv):
also one column per language with pos, description..., and a plain
``source,target[,comment]`` file without a header. Only usable target terms are written as
targets, as in TSV (termbase/formats/glossary_tsv.py).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from pathlib import Path

from corpora.atomicfile import atomic_write
from corpora.errors import CorpusError
from corpora.langtags import normalize
from termbase.errors import TermbaseError
from termbase.formats.glossary_tsv import (
    glossary_text,
    need_target,
    read_comment,
    simple_concept,
    usable_pairs,
)
from termbase.formats.registry import TermFormat, export_target, first_line, register
from termbase.model import Concept, Status, Term

CSV_HEADER = ["concept", "source", "target", "status", "comment"]


def _csv_rows(path: str | Path) -> list[tuple[int, list[str]]]:
    """(line where the record starts, cells) of every non-blank record, read strictly."""
    reader = csv.reader(io.StringIO(glossary_text(path, "CSV"), newline=""), strict=True)
    rows, start = [], 1
    try:
        for row in reader:
            if any(cell.strip() for cell in row):
                rows.append((start, row))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise TermbaseError(
            f"CSV syntax error: {exc}",
            path=path,
            line=start,
            hint="check the double quotes of the record starting on that line",
        ) from exc
    return rows


def _cells(n: int) -> str:
    return f"{n} cell" if n == 1 else f"{n} cells"


# Header cells naming a field rather than a language (lower case, spaces as written).
_FIELDS = {
    "concept": "concept",
    "concept id": "concept",
    "concept_id": "concept",
    "entry": "concept",
    "source": "source",
    "target": "target",
    "status": "status",
    "comment": "note",
    "comments": "note",
    "note": "note",
    "notes": "note",
    "remark": "note",
    "pos": "pos",
    "part of speech": "pos",
    "part_of_speech": "pos",
    "partofspeech": "pos",
    "description": "definition",
    "definition": "definition",
    "subject": "subject",
    "subject field": "subject",
    "domain": "subject",
}


def _header_columns(header: list[str]) -> tuple[dict[int, str], dict[int, str]] | None:
    """(column -> field, column -> language) of a header row, or None when the first
    row is data (a plain source,target[,comment] file)."""
    fields: dict[int, str] = {}
    langs: dict[int, str] = {}
    for i, cell in enumerate(header):
        name = " ".join(cell.strip().lower().split())
        if name in _FIELDS:
            fields[i] = _FIELDS[name]
            continue
        try:
            langs[i] = normalize(cell)
        except CorpusError:
            pass
    if "source" in fields.values() or len(langs) >= 2:
        return fields, langs
    return None


def read_csv(path: str | Path, source_lang: str | None, target_lang: str | None) -> list[Concept]:
    """A CSV glossary, read by its header row: Padan's own (concept, source, target,
    status, comment), one column per language (``en,zh_CN,pos,description``, the layout
    of published term collections: every language cell a term of the row's concept),
    or no header at all (source, target, comment). Columns of no known field are kept
    in the concept's note as ``header: value``."""
    rows = _csv_rows(path)
    header = rows[0][1]
    columns = _header_columns(header)
    if columns is None:
        return _plain_rows(path, rows, source_lang or "en", need_target(path, target_lang))
    fields, langs = columns
    if not langs:
        target_lang = need_target(path, target_lang)
    concepts = []
    for number, row in rows[1:]:
        if len(row) != len(header):
            raise TermbaseError(
                f"{_cells(len(row))} where the header has {len(header)}",
                path=path,
                line=number,
                hint="every row needs the header's columns: " + ",".join(header),
            )
        concept = _row_concept(row, header, fields, langs, source_lang, target_lang, path, number)
        if concept is not None:
            concepts.append(concept)
    return concepts


def _row_concept(
    row: list[str],
    header: list[str],
    fields: dict[int, str],
    langs: dict[int, str],
    source_lang: str | None,
    target_lang: str | None,
    path: str | Path,
    number: int,
) -> Concept | None:
    values: dict[str, str] = {}
    rest: list[str] = []
    for i, cell in enumerate(row):
        if i in fields:
            values.setdefault(fields[i], cell.strip())
        elif i not in langs and cell.strip():
            rest.append(f"{header[i].strip()}: {cell.strip()}")
    try:
        status = Status((values.get("status") or "preferred").lower())
    except ValueError as exc:
        raise TermbaseError(
            f"unknown status {values.get('status')!r}", path=path, line=number
        ) from exc
    pos = values.get("pos") or None
    terms: list[Term] = []
    comment: str | None = values.get("note")
    if langs:
        first = source_lang if source_lang in langs.values() else next(iter(langs.values()))
        for i, lang in sorted(langs.items(), key=lambda item: item[1] != first):
            text = row[i].strip()
            if text:
                own = Status.PREFERRED if lang == first else status
                terms.append(Term(text, lang, own, pos=pos))
    else:
        source, target = values.get("source", ""), values.get("target", "")
        if source:
            terms.append(Term(source, source_lang or "en", pos=pos))
        if target:
            terms.append(Term(target, target_lang or "", status, pos=pos))
        comment, avoid = read_comment(comment or "", target_lang or "")
        terms += avoid
    if not terms:
        return None
    note = "\n".join(filter(None, [comment, *rest])) or None
    return Concept(
        id=values.get("concept") or None,
        terms=tuple(terms),
        subject=values.get("subject") or None,
        definition=values.get("definition") or None,
        note=note,
    )


def _plain_rows(
    path: str | Path, rows: list[tuple[int, list[str]]], source_lang: str, target_lang: str
) -> list[Concept]:
    concepts = []
    for number, row in rows:
        if not row[0].strip():
            raise TermbaseError("empty source term", path=path, line=number)
        if len(row) > 3:
            raise TermbaseError(
                f"{_cells(len(row))} where source,target,comment has at most 3",
                path=path,
                line=number,
                hint="quote cells that contain commas, or name the columns in a header row",
            )
        target = row[1] if len(row) > 1 else ""
        comment = row[2] if len(row) > 2 else ""
        concepts.append(simple_concept(row[0], target, comment, source_lang, target_lang))
    return concepts


def write_csv(
    concepts: Iterable[Concept], path: str | Path, source_lang: str, target_lang: str
) -> int:
    rows = 0
    with atomic_write(path) as f:
        writer = csv.writer(f, lineterminator="\r\n")
        writer.writerow(CSV_HEADER)
        for concept in concepts:
            for source, target, comment in usable_pairs(concept, source_lang, target_lang):
                status = next(t.status for t in concept.terms_in(target_lang) if t.text == target)
                writer.writerow([concept.id or "", source, target, status.value, comment])
                rows += 1
    return rows


def _write_csv(
    concepts: Iterable[Concept], path: str | Path, source_lang: str, target_lang: str | None
) -> int:
    return write_csv(concepts, path, source_lang, export_target("CSV", path, target_lang))


def _sniff_csv(head: bytes) -> bool:
    line = first_line(head)
    return "," in line and "\t" not in line and not line.startswith(("<", "msgid"))


register(TermFormat("csv", (".csv",), read_csv, _write_csv, _sniff_csv))
