"""Glossaries as gettext PO files.

Export: one entry per (concept, source term) with ``msgctxt`` = the concept id (so that
homonyms stay separate entries), ``msgid`` = source term, ``msgstr`` = its usable target
term (a preferred one first), the definition as an extracted comment (``#.``). msgfmt
allows one entry per context and msgid, so the concept's other usable target terms are
named in translator comments, ``# also: X`` (preferred) or ``# admitted: X``, and its
deprecated and forbidden ones as ``# not: X`` (so that no CAT tool offers them), all read
back (``not:`` as deprecated, as from a TSV). The file passes ``msgfmt -c``.

Import reads GNOME-style glossaries: ``msgid`` the English term, ``msgstr`` its
translation (in Chinese, Japanese or Korean, a list such as ``加速键,加速器`` is the
preferred term and admitted alternatives), ``#.`` comments the definition; the target
language comes from the ``Language`` header or, as GNOME names its files, from the file
name (``id.po``). A
fuzzy translation is kept as an *admitted* term (a translator proposed it, nobody
confirmed it); an empty one gives a concept with the source term only.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import Path

import polib

from corpora.atomicfile import atomic_write
from corpora.errors import CorpusError
from corpora.inputgate import admit, po_gate
from corpora.langtags import normalize, to_po
from corpora.poheader import po_metadata
from termbase.errors import TermbaseError
from termbase.formats.registry import TermFormat, export_target, register
from termbase.model import Concept, Status, Term

_LINE = re.compile(r"\(line (\d+)\)")
MAX_PO_BYTES = 48 * 1024 * 1024  # polib: about ten times the file size in memory


def write_po_glossary(
    concepts: Iterable[Concept], path: str | Path, source_lang: str, target_lang: str
) -> int:
    catalog = polib.POFile(wrapwidth=0)
    catalog.metadata = {
        **po_metadata("Padan glossary", target_lang),
        "X-Source-Language": to_po(source_lang),
    }
    for i, concept in enumerate(concepts, 1):
        cid = concept.id or f"c{i}"
        targets = sorted(
            (t for t in concept.terms_in(target_lang) if t.status.usable),
            key=lambda t: t.status is not Status.PREFERRED,
        )
        avoided = [t for t in concept.terms_in(target_lang) if not t.status.usable]
        others = "\n".join(
            [f"{_SYNONYM[t.status]}{t.text}" for t in targets[1:]]
            + [f"{_NOT}{t.text}" for t in avoided]  # named so that no tool offers them
        )
        for source in (t for t in concept.terms_in(source_lang) if t.status.usable):
            catalog.append(
                polib.POEntry(
                    msgctxt=cid,
                    msgid=source.text,
                    msgstr=targets[0].text if targets else "",
                    comment=concept.definition or "",
                    tcomment=others,
                )
            )
    with atomic_write(path) as f:
        f.write(str(catalog) + "\n")
    return len(catalog)


def read_po_glossary(
    path: str | Path, source_lang: str | None = None, target_lang: str | None = None
) -> list[Concept]:
    catalog = _parse(Path(path))
    target = target_lang or catalog.metadata.get("Language") or _lang_from_name(Path(path))
    if not target:
        raise TermbaseError("the PO file has no Language header", path=path, hint="give --to LANG")
    try:
        src, tgt = normalize(source_lang or "en"), normalize(target)
    except CorpusError as exc:
        raise TermbaseError(exc.message, path=path, hint=exc.hint) from exc
    concepts = []
    for entry in catalog:
        if entry.obsolete or not entry.msgid:
            continue
        terms = [Term(entry.msgid, src)]
        if entry.msgstr:
            first, *others = _alternatives(entry.msgstr, tgt)
            terms.append(Term(first, tgt, Status.ADMITTED if entry.fuzzy else Status.PREFERRED))
            terms.extend(Term(other, tgt, Status.ADMITTED) for other in others)
            terms.extend(_synonyms(entry.tcomment, tgt))
        definition = entry.comment.strip().strip('"').strip() or None
        concepts.append(
            Concept(id=entry.msgctxt or None, terms=tuple(terms), definition=definition)
        )
    return concepts


_SYNONYM = {Status.PREFERRED: "also: ", Status.ADMITTED: "admitted: "}
_NOT = "not: "  # a deprecated or forbidden target term, as the TSV and CSV exports name it
_LIST = re.compile(r"[,，;；、]")
_UNSPACED = frozenset({"zh", "ja", "ko"})


def _alternatives(msgstr: str, lang: str) -> list[str]:
    """The renderings of a translation that lists several: GNOME's Chinese glossary
    writes ``加速键,加速器`` (the first preferred). Only in a language written without
    spaces, where a comma or an enumeration mark never stands inside a term; elsewhere a
    comma is the term's own ("Hello, World!")."""
    if lang.split("-")[0] not in _UNSPACED or not _LIST.search(msgstr):
        return [msgstr]
    parts = [part.strip() for part in _LIST.split(msgstr)]
    return list(dict.fromkeys(parts)) if all(parts) else [msgstr]


def _synonyms(comment: str, lang: str) -> list[Term]:
    """The other target terms that write_po_glossary names in translator comments
    (``not: X``, a term to avoid, comes back deprecated, as from a TSV or CSV)."""
    terms = []
    for line in comment.splitlines():
        for status, prefix in (*_SYNONYM.items(), (Status.DEPRECATED, _NOT)):
            text = line.removeprefix(prefix).strip()
            if line.startswith(prefix) and text:
                terms.append(Term(text, lang, status))
    return terms


def _lang_from_name(path: Path) -> str | None:
    """GNOME names catalogues after their language: glossary/id.po, gnome-glossary-zh_CN.po."""
    tail = path.stem.rsplit("-", 1)[-1]
    try:
        return normalize(tail)
    except CorpusError:
        return None


def _parse(path: Path) -> polib.POFile:
    try:
        admit(path, po_gate(MAX_PO_BYTES))  # an unknown charset too: no fallback to UTF-8
    except CorpusError as exc:
        raise TermbaseError(
            exc.message, path=exc.path, line=exc.line, column=exc.column, hint=exc.hint
        ) from exc
    try:
        return polib.pofile(str(path), wrapwidth=0)
    except UnicodeDecodeError as exc:
        raise TermbaseError(
            f"bytes that are not {exc.encoding} (the declared charset): {exc.reason}",
            path=path,
            hint="fix the Content-Type charset header or re-encode the file",
        ) from exc
    except (OSError, ValueError, LookupError) as exc:
        text = " ".join(str(exc).split())
        m = _LINE.search(text)
        raise TermbaseError(
            "not a valid PO file: syntax error" if m else f"not a valid PO file: {text}",
            path=path,
            line=int(m.group(1)) if m else None,
        ) from exc


def _write(
    concepts: Sequence[Concept], path: str | Path, source_lang: str, target_lang: str | None
) -> int:
    return write_po_glossary(concepts, path, source_lang, export_target("PO", path, target_lang))


_ENTRY = re.compile(rb'^\s*msgid\s+"', re.MULTILINE)
register(
    TermFormat(
        "po", (".po", ".pot"), read_po_glossary, _write, lambda head: bool(_ENTRY.search(head))
    )
)
