"""``padan check`` and ``padan fix`` on files, without a workspace.

A plain-text file is checked line by line (one segment per line, as translators and CI
scripts keep them), so findings have a line and column. PO, TMX and XLIFF files are
checked unit by unit, for each target language they hold; findings carry the line where
the unit starts and offsets within its target text.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path

from corpora.documents import guess_language
from corpora.errors import CorpusError
from corpora.langtags import normalize
from corpora.textfile import read_text
from termbase.checks.finding import Finding, apply_all
from termbase.checks.report import Reported
from termbase.checks.runner import Checker
from tm.files import format_of, read_units
from tm.formats.po import po_checked, read_po, write_po
from tm.formats.po_layout import keep_layout
from tm.formats.po_parse import Entry
from tm.model import Unit

_CORES = os.cpu_count() or 1


@dataclass(frozen=True)
class CheckedFile:
    path: str
    reported: list[Reported]


def _text_lines(path: str, lang: str | None, encoding: str | None) -> tuple[str, list[str]]:
    text = read_text(path, encoding)
    if not text.strip():
        return normalize(lang) if lang else "und", []  # nothing to check, nothing wrong
    language = normalize(lang) if lang else guess_language(text)
    if language is None:
        raise CorpusError("cannot tell the language of this text", path=path, hint="give --lang")
    return language, text.split("\n")


def _check_text(path: str, checker: Checker, lang: str | None, encoding: str | None) -> CheckedFile:
    language, lines = _text_lines(path, lang, encoding)
    texts = [(str(n), line) for n, line in enumerate(lines, 1) if line.strip()]
    by_line = dict(texts)
    out = []
    for f in checker.document(texts, language):
        line = int(f.unit)  # type: ignore[arg-type]
        located = f.located(path, line, f.start + 1)
        out.append(Reported(located, by_line[f.unit], None))  # type: ignore[index]
    return CheckedFile(path, _ordered(out))


def _label(unit: Unit) -> str:
    if unit.key:
        return unit.key
    return _short_label(unit.context, unit.variants[0].text if unit.variants else "")


def _short_label(context: str | None, source: str) -> str:
    short = source if len(source) <= 40 else source[:39] + "…"
    return f"{context}|{short}" if context else short


def _check_units(
    path: str, checker: Checker, source_lang: str | None, target_lang: str | None
) -> CheckedFile:
    memory = read_units(path, source_lang=source_lang, target_lang=target_lang)
    # A unit the file locks (translate="no", a Trados locked segment) is nobody's to
    # change: analyze and pretranslate leave it alone, and so do the checks.
    units = [u for u in memory.units if not (u.obsolete or u.locked)]
    src = memory.source_lang
    targets = [memory.target_lang] if memory.target_lang else []
    if not targets:
        targets = sorted({v.lang for u in units for v in u.variants if v.lang != src})
    out = []
    for tgt in targets:
        rows = []
        for i, unit in enumerate(units):
            s, t = unit.pair(src, tgt)  # en.po: the msgstr, not the msgid again
            if s is not None and t is not None:
                rows.append((str(i), s.text, t.text))
        texts = {row[0]: row[2] for row in rows}
        placed = partial(_reported, path, place_of=partial(_unit_place, units, texts))
        out += checker.pairs_then(rows, src, tgt, placed, workers=_CORES)
    return CheckedFile(path, _ordered(out))


def _unit_place(
    units: Sequence[Unit], texts: dict[str, str], key: str
) -> tuple[int | None, str, str]:
    unit = units[int(key)]
    return unit.line, _label(unit), texts[key]


def _check_po(
    path: str, checker: Checker, source_lang: str | None, target_lang: str | None
) -> CheckedFile | None:
    """A PO file checked while it is read: its entries go to the checking processes as
    the parser yields them, without being made units. The file is still read as
    :func:`read_units` reads it, every error included. None when its target language is
    unknown (no Language, none given): :func:`_check_units` checks it then."""
    src, tgt, read = po_checked(path, source_lang=source_lang, target_lang=target_lang)
    if tgt is None:
        return None
    entries: dict[str, Entry] = {}

    def rows() -> Iterator[tuple[str, str, str]]:
        for e in read:
            if not (e.obsolete or e.is_header):
                key = str(e.line)  # unique, and the unit's line
                entries[key] = e
                yield key, e.msgid, e.msgstr[0]

    def place(key: str) -> tuple[int | None, str, str]:
        e = entries[key]
        return e.line, _short_label(e.msgctxt, e.msgid), e.msgstr[0]

    # placed batch by batch, as the checks find them: while the helpers still check
    placed = partial(_reported, path, place_of=place)
    return CheckedFile(path, _ordered(checker.pairs_then(rows(), src, tgt, placed, workers=_CORES)))


def _reported(
    path: str,
    found: list[Finding],
    place_of: Callable[[str], tuple[int | None, str, str]],
) -> list[Reported]:
    """Findings placed at the line of their unit: ``place_of`` gives, by the unit's id,
    that line, the unit's label and its target text."""
    out = []
    places: dict[str, tuple[int | None, str, str]] = {}  # a unit may have many findings
    for f in found:
        key: str = f[10]  # type: ignore[assignment]  # its unit
        place = places.get(key)
        if place is None:
            place = places[key] = place_of(key)
        # Finding.located and Reported(...) built in C: a large file has 100,000s of these
        located = _new(Finding, (*f[:7], path, place[0], f[9], key))
        out.append(_new(Reported, (located, place[2], place[1])))
    return out


_new = tuple.__new__


def _ordered(found: list[Reported]) -> list[Reported]:
    return sorted(found, key=lambda r: (r.finding.line or 0, r.finding.start, r.finding.rule))


def check_file(
    path: str,
    checker: Checker,
    *,
    lang: str | None = None,
    source_lang: str | None = None,
    target_lang: str | None = None,
    encoding: str | None = None,
) -> CheckedFile:
    if not Path(path).exists():
        raise CorpusError("no such file", path=path)
    fmt = format_of(path)
    if fmt is not None and fmt.name == "po":
        streamed = _check_po(path, checker, source_lang, target_lang or lang)
        if streamed is not None:
            return streamed
    if fmt is not None:
        return _check_units(path, checker, source_lang, target_lang or lang)
    return _check_text(path, checker, lang, encoding)


def _chosen(found: Sequence[Finding], sure: bool) -> list[Finding]:
    return [f for f in found if f.suggestions and (f.sure or not sure)]


def fix_text(
    path: str, checker: Checker, *, lang: str | None, encoding: str | None, sure: bool
) -> tuple[list[str], list[str], int]:
    """The lines of a text file before and after applying suggestions, and how many."""
    language, lines = _text_lines(path, lang, encoding)
    texts = [(str(n), line) for n, line in enumerate(lines, 1) if line.strip()]
    by_line: dict[str, list[Finding]] = {}
    for f in _chosen(checker.document(texts, language), sure):
        by_line.setdefault(f.unit, []).append(f)  # type: ignore[arg-type]
    fixed, count = list(lines), 0
    for key, found in by_line.items():
        fixed[int(key) - 1], used = apply_all(lines[int(key) - 1], found)
        count += len(used)
    return lines, fixed, count


def fix_po(
    path: str,
    checker: Checker,
    out: str,
    *,
    source_lang: str | None,
    target_lang: str | None,
    sure: bool,
    dry_run: bool,
) -> tuple[list[tuple[str, str]], int]:
    """Apply suggestions to the msgstrs of a PO file and write it to ``out``; returns the
    (old, new) texts changed and the count of suggestions applied."""
    doc = read_po(path, source_lang=source_lang, target_lang=target_lang)
    if not doc.target_lang:
        raise CorpusError("the PO file names no Language", path=path, hint="give --to LANG")
    units = list(doc.units)
    rows = [
        (str(i), u.variants[0].text, u.variants[1].text)
        for i, u in enumerate(units)
        if not u.obsolete
    ]
    by_unit: dict[str, list[Finding]] = {}
    for f in _chosen(checker.pairs(rows, doc.source_lang, doc.target_lang), sure):
        by_unit.setdefault(f.unit, []).append(f)  # type: ignore[arg-type]
    changes, count = [], 0
    for key, found in by_unit.items():
        unit = units[int(key)]
        source, target = unit.variants
        new, used = apply_all(target.text, found)
        if new != target.text:
            changes.append((target.text, new))
            units[int(key)] = replace(unit, variants=(source, replace(target, text=new)))
            count += len(used)
    if not dry_run:
        write_po(
            units,
            out,
            source_lang=doc.source_lang,
            target_lang=doc.target_lang,
            header=doc.header,
            plural_forms=doc.plural_forms,
        )
        keep_layout(path, out)  # the entries left alone keep their lines
    return changes, count
