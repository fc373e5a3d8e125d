"""Bilingual glossaries as OmegaT tab-separated text and as CSV.

OmegaT TSV: ``source<TAB>target[<TAB>comment]`` per line, UTF-8, ``#`` comment lines.
A source listed several times (``shortcut`` as 快捷键 and as 缩略词) is several concepts:
OmegaT shows each line as its own entry, and the comment tells the senses apart.

CSV (RFC 4180, UTF-8, header row): ``concept,source,target,status,comment`` where
``concept`` is the concept id and ``status`` the target term's status. Reading also
accepts a plain ``source,target[,comment]`` file with or without that header.

Export writes one line per (source term, target term) of a concept: only usable target
terms (preferred, admitted) are written as targets; a deprecated or forbidden target is
mentioned in the comment ("not: wajah yang dipeluk"), so that a CAT tool never offers it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from pathlib import Path

from corpora.atomicfile import atomic_write
from corpora.errors import CorpusError
from corpora.textfile import read_text
from termbase.errors import TermbaseError
from termbase.model import Concept, Status, Term

CSV_HEADER = ["concept", "source", "target", "status", "comment"]
_UTF8_HINT = "save the file as UTF-8"
# One concept object per row: about 22 times the file size in memory for short rows.
MAX_BYTES = 24 * 1024 * 1024


def _read(path: str | Path, kind: str) -> str:
    """The text of a glossary (UTF-8, UTF-16 or GB18030), not empty."""
    try:
        text = read_text(path, max_bytes=MAX_BYTES, hint=_UTF8_HINT)
    except CorpusError as exc:
        raise TermbaseError(
            exc.message, path=exc.path, line=exc.line, column=exc.column, hint=exc.hint
        ) from exc
    if not text.strip():
        raise TermbaseError(
            f"empty file: no {kind} rows", path=path, hint="was it saved or copied completely?"
        )
    return text


def _pairs(concept: Concept, source_lang: str, target_lang: str) -> Iterator[tuple[str, str, str]]:
    sources = [t for t in concept.terms_in(source_lang) if t.status.usable]
    targets = [t for t in concept.terms_in(target_lang) if t.status.usable]
    avoid = [t.text for t in concept.terms_in(target_lang) if not t.status.usable]
    comment = "; ".join(filter(None, [concept.definition, *(f"not: {a}" for a in avoid)]))
    for s in sources:
        for t in targets:
            yield s.text, t.text, comment


def _concept(
    source: str,
    target: str,
    comment: str,
    source_lang: str,
    target_lang: str,
    key: str | None = None,
    status: Status = Status.PREFERRED,
) -> Concept:
    terms = [Term(source, source_lang)]
    if target:
        terms.append(Term(target, target_lang, status))
    return Concept(id=key or None, terms=tuple(terms), note=comment or None)


def read_tsv(path: str | Path, source_lang: str, target_lang: str) -> list[Concept]:
    """An OmegaT glossary: one concept per line."""
    concepts = []
    for number, line in enumerate(_read(path, "glossary").split("\n"), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if len(cells) < 2 or not cells[0].strip():
            raise TermbaseError(
                "expected source<TAB>target[<TAB>comment]",
                path=path,
                line=number,
                hint="OmegaT glossaries separate columns with a tab",
            )
        comment = cells[2].strip() if len(cells) > 2 else ""
        concepts.append(
            _concept(cells[0].strip(), cells[1].strip(), comment, source_lang, target_lang)
        )
    return concepts


def write_tsv(
    concepts: Iterable[Concept], path: str | Path, source_lang: str, target_lang: str
) -> int:
    lines = 0
    with atomic_write(path) as f:
        f.write("# Glossary in tab-separated format -*- coding: utf-8 -*-\n")
        for concept in concepts:
            for source, target, comment in _pairs(concept, source_lang, target_lang):
                cells = [_one_line(source), _one_line(target)]
                if comment:
                    cells.append(_one_line(comment))
                f.write("\t".join(cells) + "\n")
                lines += 1
    return lines


def _one_line(text: str) -> str:
    """Tabs and line breaks would break the format: they become spaces."""
    return " ".join(text.replace("\t", " ").splitlines())


def _csv_rows(path: str | Path) -> list[tuple[int, list[str]]]:
    """(line where the record starts, cells) of every non-blank record, read strictly."""
    reader = csv.reader(io.StringIO(_read(path, "CSV"), newline=""), strict=True)
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


def read_csv(path: str | Path, source_lang: str, target_lang: str) -> list[Concept]:
    rows = _csv_rows(path)
    header = [c.strip().lower() for c in rows[0][1]]
    concepts = []
    if header[:2] == ["concept", "source"]:
        for number, row in rows[1:]:
            if len(row) != len(header):
                raise TermbaseError(
                    f"{_cells(len(row))} where the header has {len(header)}",
                    path=path,
                    line=number,
                    hint="every row needs the header's columns: " + ",".join(header),
                )
            cells = dict(zip(header, row, strict=True))
            try:
                status = Status(cells.get("status") or "preferred")
            except ValueError as exc:
                raise TermbaseError(
                    f"unknown status {cells.get('status')!r}", path=path, line=number
                ) from exc
            concepts.append(
                _concept(
                    cells.get("source", ""),
                    cells.get("target", ""),
                    cells.get("comment", ""),
                    source_lang,
                    target_lang,
                    cells.get("concept"),
                    status,
                )
            )
        return concepts
    start = 1 if header[:2] == ["source", "target"] else 0
    for number, row in rows[start:]:
        if not row[0].strip():
            raise TermbaseError("empty source term", path=path, line=number)
        if len(row) > 3:
            raise TermbaseError(
                f"{_cells(len(row))} where source,target,comment has at most 3",
                path=path,
                line=number,
                hint="quote cells that contain commas",
            )
        target = row[1] if len(row) > 1 else ""
        comment = row[2] if len(row) > 2 else ""
        concepts.append(_concept(row[0], target, comment, source_lang, target_lang))
    return concepts


def write_csv(
    concepts: Iterable[Concept], path: str | Path, source_lang: str, target_lang: str
) -> int:
    rows = 0
    with atomic_write(path) as f:
        writer = csv.writer(f, lineterminator="\r\n")
        writer.writerow(CSV_HEADER)
        for concept in concepts:
            for source, target, comment in _pairs(concept, source_lang, target_lang):
                status = next(t.status for t in concept.terms_in(target_lang) if t.text == target)
                writer.writerow([concept.id or "", source, target, status.value, comment])
                rows += 1
    return rows
