"""Bilingual glossaries as OmegaT tab-separated text (and what CSV shares with it).

OmegaT TSV: ``source<TAB>target[<TAB>comment]`` per line, UTF-8, ``#`` comment lines.
A source listed several times (``shortcut`` as 快捷键 and as 缩略词) is several concepts:
OmegaT shows each line as its own entry, and the comment tells the senses apart.

Export writes one line per (source term, target term) of a concept: only usable target
terms (preferred, admitted) are written as targets; a deprecated or forbidden target is
mentioned in the comment ("not: wajah yang dipeluk"), so that a CAT tool never offers it,
after the concept's definition and note. Reading takes the comment as the concept's note
and each ``not: X`` in it as a deprecated target term, so that what Padan wrote comes
back and is written again the same.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from corpora.atomicfile import atomic_write
from corpora.errors import CorpusError
from corpora.textfile import read_text
from termbase.errors import TermbaseError
from termbase.formats.registry import TermFormat, export_target, first_line, register
from termbase.model import Concept, Status, Term

_UTF8_HINT = "save the file as UTF-8"
# One concept object per row: about 22 times the file size in memory for short rows
# (CSV too).
MAX_BYTES = 24 * 1024 * 1024


def glossary_text(path: str | Path, kind: str) -> str:
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


def usable_pairs(
    concept: Concept, source_lang: str, target_lang: str
) -> Iterator[tuple[str, str, str]]:
    sources = [t for t in concept.terms_in(source_lang) if t.status.usable]
    targets = [t for t in concept.terms_in(target_lang) if t.status.usable]
    avoid = [t.text for t in concept.terms_in(target_lang) if not t.status.usable]
    said = dict.fromkeys(filter(None, [concept.definition, concept.note]))
    comment = "; ".join([*said, *(f"{_NOT}{a}" for a in avoid)])
    for s in sources:
        for t in targets:
            yield s.text, t.text, comment


_NOT = "not: "  # a target term not to use, in a comment (see usable_pairs)


def read_comment(comment: str, target_lang: str) -> tuple[str | None, list[Term]]:
    """The note of a comment, and the deprecated target terms it names (``not: X``)."""
    said, avoid = [], []
    for part in comment.split("; ") if comment else []:
        named = part.removeprefix(_NOT).strip()
        if part.startswith(_NOT) and named:
            avoid.append(Term(named, target_lang, Status.DEPRECATED))
        else:
            said.append(part)
    return "; ".join(said) or None, avoid


def simple_concept(
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
    note, avoid = read_comment(comment, target_lang)
    return Concept(id=key or None, terms=(*terms, *avoid), note=note)


def read_tsv(path: str | Path, source_lang: str, target_lang: str) -> list[Concept]:
    """An OmegaT glossary: one concept per line."""
    concepts = []
    for number, line in enumerate(glossary_text(path, "glossary").split("\n"), 1):
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
            simple_concept(cells[0].strip(), cells[1].strip(), comment, source_lang, target_lang)
        )
    return concepts


def write_tsv(
    concepts: Iterable[Concept], path: str | Path, source_lang: str, target_lang: str
) -> int:
    lines = 0
    with atomic_write(path) as f:
        f.write("# Glossary in tab-separated format -*- coding: utf-8 -*-\n")
        for concept in concepts:
            for source, target, comment in usable_pairs(concept, source_lang, target_lang):
                cells = [_one_line(source), _one_line(target)]
                if comment:
                    cells.append(_one_line(comment))
                f.write("\t".join(cells) + "\n")
                lines += 1
    return lines


def _one_line(text: str) -> str:
    """Tabs and line breaks would break the format: they become spaces."""
    return " ".join(text.replace("\t", " ").splitlines())


def need_target(path: str | Path, target_lang: str | None) -> str:
    if not target_lang:
        raise TermbaseError(
            "a TSV or CSV glossary needs its target language",
            path=path,
            hint="give --to LANG (and --from LANG if the source is not en)",
        )
    return target_lang


def _read_tsv(path: str | Path, source_lang: str | None, target_lang: str | None) -> list[Concept]:
    return read_tsv(path, source_lang or "en", need_target(path, target_lang))


def _write_tsv(
    concepts: Iterable[Concept], path: str | Path, source_lang: str, target_lang: str | None
) -> int:
    return write_tsv(concepts, path, source_lang, export_target("TSV", path, target_lang))


def _sniff_tsv(head: bytes) -> bool:
    line = first_line(head)
    return "\t" in line and not line.startswith("<")


register(TermFormat("tsv", (".tsv", ".txt", ".utf8"), _read_tsv, _write_tsv, _sniff_tsv))
