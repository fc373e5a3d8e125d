"""Export use cases shared by `padan export` and the TUI's export dialog: which units
or revision rows go out, and the writer of each kind. The callers keep only
their own policy (what the command line's arguments mean, what the dialog refuses)."""

from __future__ import annotations

from collections.abc import Container, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import NamedTuple

from corpora.atomicfile import atomic_write
from padan.review_state import confirmed_now, exported
from padan.workspace import Progress, Workspace
from tm.errors import TMError
from tm.formats.po import write_mo, write_po, write_revision_po
from tm.formats.po_export import Note, stderr_note
from tm.formats.tmx_write import write_tmx
from tm.formats.xliff import write_xliff
from tm.model import Unit
from tm.store import DocumentInfo


def _quiet(step: str, done: int, total: int) -> None:
    pass


def units_of(
    ws: Workspace, documents: Sequence[str] | None, report: Progress = _quiet
) -> Iterator[Unit]:
    """The units of ``documents`` (None: every document, in store order), streamed."""
    return (unit for _, unit in named_units_of(ws, documents, report))


def named_units_of(
    ws: Workspace, documents: Sequence[str] | None, report: Progress = _quiet
) -> Iterator[tuple[str, Unit]]:
    """(document name, unit) of ``documents`` (None: every document), streamed, each
    translation with its review state (padan.review_state)."""
    infos = ws.documents.documents()
    source = {d.name: d.lang for d in infos}
    confirmed = confirmed_now(ws)
    if documents is None:
        for name, unit in ws.documents.units(None):
            yield name, exported(unit, source.get(name), confirmed)
        return
    wanted = set(documents)
    docs = [d for d in infos if d.name in wanted]
    total = sum(d.segments for d in docs)
    done = 0
    for doc in docs:
        for _, unit in ws.documents.units(doc.name):
            done += 1
            report("units", done, total)
            yield doc.name, exported(unit, doc.lang, confirmed)


def language_pairs(
    units: Iterator[tuple[str, Unit]],
    source_lang: str,
    target_lang: str,
    bilingual: Container[str] = (),
) -> Iterator[tuple[str, Unit]]:
    """The (document, unit) with text in both languages (the entries of a PO for that
    pair), streamed; the document gives a context to a source text that occurs in
    several units. In a ``bilingual`` document (one with text in the target language:
    a catalogue, a TMX or XLIFF file), a unit with source text only is not translated
    yet: it is an entry too, its msgstr empty, as the catalogue had it."""
    for name, unit in units:
        source, target = unit.pair(source_lang, target_lang)
        if source is not None and (target is not None or name in bilingual):
            yield name, unit


def bilingual_in(ws: Workspace, documents: Sequence[str] | None, target_lang: str) -> set[str]:
    """The documents (of ``documents``; None: all) with text in ``target_lang``."""
    return _read_languages(ws, documents).with_text_in(target_lang)


def export_pairs(
    units: Iterable[tuple[str, Unit]],
    path: str,
    source_lang: str,
    target_lang: str,
    note: Note = stderr_note,
) -> int:
    """A PO catalogue of the pair, or its compiled MO when ``path`` ends in .mo; ``note``
    hears of plural forms merged to fit the catalogue's rule."""
    writer = write_mo if path.lower().endswith(".mo") else write_po
    return writer(units, path, source_lang=source_lang, target_lang=target_lang, note=note)


def export_tmx(
    ws: Workspace,
    path: str,
    documents: Sequence[str] | None,
    source_lang: str | None,
    report: Progress = _quiet,
    target_lang: str | None = None,
) -> int:
    """TMX of ``documents`` (None: every one); with ``target_lang``, only the units
    translated into it, each with only its source and target variants (a bilingual
    memory, as a CAT tool's job takes one). A language in which they have no text is a
    TMError (every unit would lack the source its header declares, or none be left)."""
    source = source_lang if source_lang != "*all*" else None
    wanted = [lang for lang in (source, target_lang) if lang]
    if wanted:
        present_languages(ws, documents, path, *wanted)
    units = units_of(ws, documents, report)
    if target_lang:
        units = _pair_only(units, source, target_lang)
    return write_tmx(units, path, source_lang=source_lang)


def _pair_only(units: Iterable[Unit], source: str | None, target: str) -> Iterator[Unit]:
    """The units translated into ``target`` (an empty target, a catalogue's untranslated
    entry, is none: a CAT tool would offer it as a translation); with a ``source``,
    those with text in it too, reduced to the pair's two variants (:meth:`Unit.pair`, as
    a PO of the pair takes them); without, with every variant."""
    for unit in units:
        if source is None:
            translation = unit.variant(target)
            if translation is not None and translation.text.strip():
                yield unit
            continue
        source_text, target_text = unit.pair(source, target)
        if source_text is not None and target_text is not None and target_text.text.strip():
            yield replace(unit, variants=(source_text, target_text))


def known_documents(ws: Workspace, documents: Sequence[str], path: str) -> None:
    """TMError naming the first of ``documents`` the workspace has not (before any file
    is written: an export of a misspelt name would be empty)."""
    names = {d.name for d in ws.documents.documents()}
    for name in documents:
        if name not in names:
            raise TMError(
                f"no document {name!r}", path=path, hint="see `padan stats` for the documents"
            )


@dataclass(frozen=True)
class _Languages:
    """The documents an export takes, with the languages each has text in: read once (a
    query per document) for every question an export asks of them."""

    infos: list[DocumentInfo]
    of: dict[str, list[str]]  # document name -> its languages

    @property
    def present(self) -> list[str]:
        return sorted({lang for langs in self.of.values() for lang in langs})

    def with_text_in(self, lang: str) -> set[str]:
        return {name for name, langs in self.of.items() if lang in langs}


def _read_languages(ws: Workspace, documents: Sequence[str] | None) -> _Languages:
    infos = [d for d in ws.documents.documents() if documents is None or d.name in documents]
    return _Languages(infos, {d.name: ws.documents.languages_of(d.name) for d in infos})


def present_languages(
    ws: Workspace, documents: Sequence[str] | None, path: str, *langs: str | None
) -> list[str]:
    """The languages ``documents`` (None: every one) have text in; a TMError naming
    ``path`` when one of ``langs`` is not among them (before any file is written)."""
    return _present(ws, documents, path, langs).present


def _present(
    ws: Workspace, documents: Sequence[str] | None, path: str, langs: Sequence[str | None]
) -> _Languages:
    """The documents' languages (:func:`present_languages`'s check made)."""
    read = _read_languages(ws, documents)
    present = read.present
    for lang in langs:
        if lang and lang not in present:
            raise TMError(
                f"{_where(documents)} has no text in {lang}",
                path=path,
                hint=f"its languages: {', '.join(present) or 'none'}",
            )
    return read


def _where(documents: Sequence[str] | None) -> str:
    return f"document {documents[0]!r}" if documents and len(documents) == 1 else "the workspace"


class PoPair(NamedTuple):
    """The pair a PO export writes, and the documents with text in its target (those
    whose units without a translation are entries too: language_pairs' ``bilingual``)."""

    source: str
    target: str | None
    bilingual: set[str]


def po_languages(
    ws: Workspace,
    documents: Sequence[str] | None,
    source_lang: str | None,
    target_lang: str | None,
    path: str,
) -> PoPair:
    """The pair a PO export of ``documents`` (None: every one) writes: the languages
    given, the rest from the document (its source language, and its one other language).
    A target None: the document is monolingual, its PO is its revisions. A language in
    which the documents have no text is a TMError, as is a choice among several targets."""
    read = _present(ws, documents, path, (source_lang, target_lang))
    src, tgt = _pair(read.infos, documents, source_lang, target_lang, read.present, path)
    return PoPair(src, tgt, read.with_text_in(tgt) if tgt else set())


def xliff_languages(
    ws: Workspace,
    documents: Sequence[str] | None,
    source_lang: str | None,
    target_lang: str | None,
    path: str,
) -> tuple[str, str | None]:
    """The pair an XLIFF export writes, as for PO (None: source only), but a target
    language the documents have no text in yet is a new translation job."""
    read = _present(ws, documents, path, (source_lang,))
    src, tgt = _pair(read.infos, documents, source_lang, target_lang, read.present, path)
    return src or "en", tgt


def _pair(
    infos: Sequence[DocumentInfo],
    documents: Sequence[str] | None,
    source_lang: str | None,
    target_lang: str | None,
    present: Sequence[str],
    path: str,
) -> tuple[str, str | None]:
    src = source_lang or (infos[0].lang if infos else "")
    if target_lang:
        return src, target_lang
    others = [lang for lang in present if lang != src]
    if len(others) > 1:
        raise TMError(
            f"{_where(documents)} has text in {', '.join(others)} besides {src}",
            path=path,
            hint="give the target language with --to LANG",
        )
    return src, others[0] if others else None


def export_xliff(
    ws: Workspace,
    path: str,
    documents: Sequence[str] | None,
    source_lang: str | None,
    target_lang: str | None,
    version: str | None = None,
    report: Progress = _quiet,
) -> int:
    """XLIFF 1.2, 2.0 (``version``; None: the version the units were read in, else
    1.2) or SDLXLIFF (a .sdlxliff path) of the pair; units without a target are
    written untranslated; a ``source_lang`` in which they have no text is a TMError."""
    src, tgt = xliff_languages(ws, documents, source_lang, target_lang, path)
    units = units_of(ws, documents, report)
    return write_xliff(units, path, source_lang=src, target_lang=tgt, version=version)


def revision_rows(
    ws: Workspace, documents: Sequence[str], lang: str
) -> Iterator[tuple[str, str, str]]:
    """(document:position, as imported, now) of each ``lang`` segment of ``documents``,
    streamed."""
    for name in documents:
        for position, _, original, current in ws.documents.texts(name, lang):
            yield f"{name}:{position}", original, current


def export_revisions(rows: Iterable[tuple[str, str, str]], path: str, lang: str) -> int:
    return write_revision_po(rows, path, lang=lang)


def export_text(ws: Workspace, name: str, lang: str, path: str) -> int:
    """The current text of a document, a line per paragraph, its sentences joined as
    written (corpora.segment.document_text), written as read; returns the segment count."""
    joiner = "" if lang.split("-", 1)[0] == "zh" else " "
    count = 0
    paragraph: int | None = None
    with atomic_write(path) as f:
        for _, number, _, text in ws.documents.texts(name, lang):
            if count == 0 or number != paragraph:
                f.write(("\n" if count else "") + text)
                paragraph = number
            else:
                f.write(joiner + text)
            count += 1
        f.write("\n")
    return count
