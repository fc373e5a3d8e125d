"""Gettext catalogues (PO, POT, MO) as translation units.

Every PO entry becomes a :class:`Unit`: the source variant holds ``msgid`` (and
``msgid_plural`` in ``plurals``), the target variant ``msgstr`` (or ``msgstr[0]`` and the
other plural forms). An untranslated entry still has a target variant, with empty text,
so that writing the catalogue back loses nothing. Context, flags, comments, references,
previous strings (``#|``) and obsolete entries (``#~``) are kept on the unit.

What belongs to the catalogue rather than to an entry rides in ``Unit.extra`` (stored
with the unit's meta, and carried through TMX as a prop): the header entry, as JSON, on
the first unit of each domain (``po-header``), and the ``domain`` directive a unit came
under (``po-domain``). Writing a language pair back uses that header, so its plural rule
and fields survive; see :mod:`tm.formats.po_export`.

Inline codes have no place in PO: a unit coming from TMX or XLIFF is written with each
code's own text in place of its placeholder.
"""

from __future__ import annotations

import itertools
import json
import re
import struct
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import polib

from corpora.errors import CorpusError
from corpora.inputgate import admit, mo_gate
from corpora.langtags import normalize
from corpora.plurals import nplurals, plural_forms_fault
from corpora.poheader import field_value, header_fields, header_text
from tm.errors import TMError
from tm.formats.po_export import DOMAIN_KEY, HEADER_KEY, write_mo, write_po, write_revision_po
from tm.formats.po_parse import DEFAULT_DOMAIN, Entry, PoParser
from tm.formats.po_text import located, po_blocks
from tm.model import Unit, Variant

__all__ = [
    "PoDocument",
    "po_document",
    "po_entries",
    "po_stream",
    "read_mo",
    "read_po",
    "write_mo",
    "write_po",
    "write_revision_po",
]
MAX_BYTES = 256 * 1024 * 1024  # an MO file is read whole; a PO file a block at a time
_Key = tuple[str, str | None, str]  # a message: domain, msgctxt, msgid
_hash = hash  # of a message key (tests make hashes collide through it)
_MO_MAGIC = {0x950412DE: "<", 0xDE120495: ">"}


@dataclass(frozen=True)
class PoDocument:
    source_lang: str
    target_lang: str | None  # None for a template (POT) with no Language header
    header: tuple[tuple[str, str], ...]
    plural_forms: str | None
    units: tuple[Unit, ...]


def _language(value: str | None, path: Path) -> str | None:
    if not value:
        return None
    try:
        return normalize(value)
    except CorpusError as exc:
        raise TMError(f"bad Language header {value!r}", path=path, hint="give --to LANG") from exc


_LOCALE = re.compile(r"[a-z]{2,3}(?:[_-][A-Za-z]{2,4})?")


def _path_language(path: Path) -> str | None:
    """The language of a catalogue without a Language header (older GNU catalogues), as
    gettext's layout names it: ``id/LC_MESSAGES/bash.mo``, or a file named ``zh_CN.po``.
    Never a template's: ``app.pot`` names its domain, not a language."""
    if path.suffix.lower() == ".pot":
        return None
    parts = path.parts
    if len(parts) >= 3 and parts[-2] == "LC_MESSAGES" and _LOCALE.fullmatch(parts[-3]):
        return normalize(parts[-3])
    if _LOCALE.fullmatch(path.stem):
        return normalize(path.stem)
    return None


def _mo_entries(path: Path) -> list[Entry]:
    """A compiled catalogue's messages, the header first, through polib's MO reader."""
    try:
        _check_mo(path)
    except CorpusError as exc:
        raise located(exc) from exc
    try:
        catalog = polib.mofile(str(path))
    except UnicodeDecodeError as exc:
        raise TMError(
            f"bytes that are not {exc.encoding} (the declared charset): {exc.reason}",
            path=path,
            hint="compile it again from a PO file in its declared charset",
        ) from exc
    except (OSError, ValueError, LookupError, struct.error, IndexError, KeyError) as exc:
        raise TMError(f"not a valid MO file: {' '.join(str(exc).split())}", path=path) from exc
    entries = [Entry("", (header_text(list(catalog.metadata.items())),))]
    for e in catalog:
        plural = e.msgid_plural or None
        forms = tuple(e.msgstr_plural[k] for k in sorted(e.msgstr_plural)) if plural else None
        entries.append(Entry(e.msgid, forms or (e.msgstr,), e.msgctxt, plural))
    return entries


def _check_mo(path: Path) -> None:
    """A compiled catalogue whose tables and strings all lie inside the file: polib
    reads whatever a truncated file still has and says nothing."""
    data = admit(path, mo_gate(MAX_BYTES)).read_bytes()
    broken = "truncated or damaged MO file"
    hint = "compile it again with msgfmt"
    if len(data) < 28:
        raise CorpusError(
            f"{broken}: {len(data)} bytes, shorter than an MO header", path=path, hint=hint
        )
    order = _MO_MAGIC.get(struct.unpack("<I", data[:4])[0])
    if order is None:
        raise CorpusError(
            "not an MO file (wrong magic number)", path=path, hint="give a compiled .mo file"
        )
    revision, count, originals, translations = struct.unpack(order + "4I", data[4:20])
    if revision >> 16 not in (0, 1):
        raise CorpusError(f"MO format revision {revision >> 16} is unknown", path=path, hint=hint)
    for table in (originals, translations):
        if table + 8 * count > len(data):
            raise CorpusError(
                f"{broken}: its string table ends past the end of the file", path=path, hint=hint
            )
        for i in range(count):
            length, offset = struct.unpack_from(order + "2I", data, table + 8 * i)
            if offset + length > len(data):
                raise CorpusError(
                    f"{broken}: string {i} ends past the end of the file", path=path, hint=hint
                )


def header_json(entry: Entry) -> str:
    """The header entry as stored in ``Unit.extra``."""
    kept = {
        "msgstr": entry.msgstr[0],
        "comments": list(entry.comments),
        "extracted": list(entry.extracted),
        "flags": list(entry.flags),
    }
    return json.dumps({k: v for k, v in kept.items() if v}, ensure_ascii=False, sort_keys=True)


def _unit(e: Entry, src: str, tgt: str | None) -> Unit:
    """The entry as a unit; an untranslated entry of a catalogue in no language (a
    template) has no target variant: an empty text in no language is nothing to store."""
    if e.msgid_plural is not None:
        source = Variant(src, e.msgid, plurals=(e.msgid_plural,))
        target = Variant(tgt or "und", e.msgstr[0], plurals=e.msgstr[1:])
    else:
        source, target = Variant(src, e.msgid), Variant(tgt or "und", e.msgstr[0])
    return Unit(
        variants=(source,) if tgt is None and not any(e.msgstr) else (source, target),
        context=e.msgctxt,
        flags=e.flags,
        comments=e.comments,
        extracted=e.extracted,
        references=e.references,
        previous=e.previous,
        obsolete=e.obsolete,
        extra=((DOMAIN_KEY, e.domain),) if e.domain != DEFAULT_DOMAIN else (),
        line=e.line,
    )


def _header_fault(header: Entry, path: Path) -> TMError | None:
    """A header whose Plural-Forms msgfmt would reject: writing it on would make every
    exported catalogue fail ``msgfmt -c``."""
    rule = field_value(header.msgstr[0], "Plural-Forms")
    if rule is None or "INTEGER" in rule:  # absent, or xgettext's template placeholder
        return None
    fault = plural_forms_fault(rule)
    if fault is None:
        return None
    return TMError(
        fault,
        path=path,
        line=header.line or None,
        hint='fix the header, e.g. "Plural-Forms: nplurals=2; plural=(n != 1);"',
    )


class Catalogue:
    """The checks msgfmt makes across a catalogue's entries (duplicate messages, the
    context separator, plural counts), entry by entry as they are read, and the header
    entry of each domain.

    A fault found here is kept and raised by :meth:`end`, once the whole file is parsed:
    a syntax error anywhere in the file is reported first, as when it was read whole.
    """

    def __init__(self, path: Path, *, from_file: bool = False) -> None:
        self.path = path
        self.headers: dict[str, Entry] = {}
        self.header: str | None = None  # the first header's msgstr, of any domain (_opened)
        # The messages seen: by their whole key, or, for a file that can be read again
        # (from_file), by its hash only, so that memory does not grow with the file's text
        # (a hash seen twice sends :meth:`_first` back to the file for the first entry).
        self._seen: dict[_Key, int] = {}
        self._hashes: set[int] | None = set() if from_file else None
        self._fault: TMError | None = None
        self.language_fault: TMError | None = None  # raised first, as it was before

    def admit(self, e: Entry) -> bool:
        """Whether ``e`` is a unit: every entry but the first header of its domain."""
        if e.is_header and e.domain not in self.headers:
            self.headers[e.domain] = e
            if self._fault is None:
                self._fault = _header_fault(e, self.path)
            return False
        if self._fault is None:
            self._fault = self._check(e)
        return True

    def languages(self, source_lang: str | None, target_lang: str | None) -> tuple[str, str | None]:
        """The source and target languages: as given, else en and the Language header of
        the first header entry. None when none tells it, or when the header's Language is
        wrong: that fault is raised by :meth:`end`, once the file is read, as before."""
        src = normalize(source_lang) if source_lang else "en"
        if target_lang:
            return src, normalize(target_lang)
        try:
            return src, _language(field_value(self.header or "", "Language"), self.path) or (
                _path_language(self.path)
            )
        except TMError as exc:
            self.language_fault = exc
            return src, None

    def end(self) -> None:
        if self.language_fault is not None:
            raise self.language_fault
        if self._fault is not None:
            raise self._fault

    def _check(self, e: Entry) -> TMError | None:
        path = self.path
        if not e.obsolete:
            key = (e.domain, e.msgctxt, e.msgid)
            first = self._seen.get(key)
            if first is None and self._hashes is not None:
                digest = _hash(key)
                if digest in self._hashes:
                    first = self._first(key, e.line)
                else:
                    self._hashes.add(digest)
            if first is not None:
                return TMError(
                    f"duplicate message definition of {e.msgid[:40]!r}",
                    path=path,
                    line=e.line or None,
                    hint=(f"first defined at line {first}; " if first else "")
                    + "keep one of them, e.g. with msgcat --use-first",
                )
            if self._hashes is None:
                self._seen[key] = e.line
            # one search of them joined: cheaper than a generator over them
            strings = "\x00".join((e.msgctxt or "", e.msgid, e.msgid_plural or "", *e.msgstr))
            if "\x04" in strings:
                return TMError(  # MO's context separator: the entry could not be compiled
                    "context separator <EOT> within string", path=path, line=e.line or None
                )
        if e.msgid_plural is not None and any(e.msgstr):
            head = self.headers.get(e.domain)
            n = nplurals(field_value(head.msgstr[0], "Plural-Forms")) if head else None
            if n is not None and len(e.msgstr) != n:
                return TMError(
                    f"{len(e.msgstr)} plural forms where the header says nplurals={n}",
                    path=path,
                    line=e.line or None,
                    hint="give one msgstr[N] per plural form, or fix the Plural-Forms header",
                )
        return None

    def _first(self, key: _Key, before: int) -> int | None:
        """The line of the first message with ``key`` before line ``before``, read again
        from the file; None when another key has the same hash (then ``key`` is kept
        whole)."""
        headers: set[str] = set()
        for e in po_entries(self.path):
            if e.line >= before:
                break
            if e.is_header and e.domain not in headers:
                headers.add(e.domain)
            elif not e.obsolete and (e.domain, e.msgctxt, e.msgid) == key:
                return e.line
        self._seen[key] = before
        return None


@dataclass(frozen=True)
class PoStream:
    """A PO file whose units are read as they are asked for (once): its languages and
    header come from its first header entry, read (with the entries before it) first.
    Faults across entries are raised when the units are read to the end."""

    source_lang: str
    target_lang: str | None
    header: tuple[tuple[str, str], ...]
    plural_forms: str | None
    units: Iterator[Unit]
    entries: Iterator[tuple[Entry, Entry | None]]
    """The same, unread (read this or :attr:`units`): each unit's entry, with the header
    entry its unit keeps (the first unit of each domain), for a reader that needs no
    :class:`Unit` (an import makes rows of them, tm/formats/po_rows.py)."""


def po_stream(
    path: str | Path,
    entries: Iterable[Entry] | None = None,
    *,
    source_lang: str | None = None,
    target_lang: str | None = None,
) -> PoStream:
    """The units of the PO file at ``path`` (or of its ``entries``), as they are read:
    memory holds one entry at a time (and whatever comes before the first header)."""
    path = Path(path)
    catalogue, read = _opened(path, entries)
    header = catalogue.header or ""
    src, tgt = catalogue.languages(source_lang, target_lang)
    paired = _paired(catalogue, read)
    return PoStream(
        src,
        tgt,
        tuple(header_fields(header)),
        field_value(header, "Plural-Forms"),
        _units(paired, src, tgt),
        paired,
    )


def po_checked(
    path: str | Path, *, source_lang: str | None = None, target_lang: str | None = None
) -> tuple[str, str | None, Iterator[Entry]]:
    """The languages of the PO file at ``path`` and its entries that are units, as they
    are read, with the checks across entries that :func:`read_po` makes (raised once the
    last is read): for a reader that needs no :class:`Unit`."""
    path = Path(path)
    catalogue, read = _opened(path, None)
    src, tgt = catalogue.languages(source_lang, target_lang)

    def units() -> Iterator[Entry]:
        admit = catalogue.admit
        for e in read:
            if admit(e):
                yield e
        catalogue.end()

    return src, tgt, units()


def _opened(path: Path, entries: Iterable[Entry] | None) -> tuple[Catalogue, Iterator[Entry]]:
    """A catalogue that knows the file's first header (the entries up to it are read
    now, the first header not yet admitted), and every entry, those read included."""
    read = iter(po_entries(path) if entries is None else entries)
    catalogue = Catalogue(path, from_file=entries is None)
    before: list[Entry] = []
    for e in read:
        before.append(e)
        if e.is_header:
            catalogue.header = e.msgstr[0]
            break
    return catalogue, itertools.chain(before, read)


def _units(
    paired: Iterable[tuple[Entry, Entry | None]], src: str, tgt: str | None
) -> Iterator[Unit]:
    for e, header in paired:
        unit = _unit(e, src, tgt)
        yield unit if header is None else _with_header(unit, header)


def _paired(catalogue: Catalogue, entries: Iterable[Entry]) -> Iterator[tuple[Entry, Entry | None]]:
    """The entries that are units, the first of each domain with its header entry. A
    domain's first unit read before its header waits for it, and the units after it
    with it, so that they keep their order."""
    held: list[tuple[Entry, Entry | None]] = []
    waiting: dict[str, int] = {}  # domain -> index in held of its first unit
    started: set[str] = set()  # domains whose first unit is read
    for e in entries:
        if not catalogue.admit(e):
            index = waiting.pop(e.domain, None)
            if index is not None:
                held[index] = (held[index][0], e)
                if not waiting:
                    yield from held
                    held.clear()
            continue
        header = None
        if e.domain not in started:
            started.add(e.domain)
            header = catalogue.headers.get(e.domain)
            if header is None:
                waiting[e.domain] = len(held)
        if waiting:
            held.append((e, header))
        else:
            yield e, header
    yield from held
    catalogue.end()


def _with_header(unit: Unit, header: Entry) -> Unit:
    return replace(unit, extra=tuple(sorted((*unit.extra, (HEADER_KEY, header_json(header))))))


def read_po(
    path: str | Path, *, source_lang: str | None = None, target_lang: str | None = None
) -> PoDocument:
    """A PO or POT file. The msgid language defaults to en, the target to the Language header."""
    return po_document(path, po_entries(path), source_lang=source_lang, target_lang=target_lang)


def po_entries(path: str | Path) -> Iterator[Entry]:
    """The entries of a PO file as they are parsed, before the checks across entries that
    :func:`po_document` makes (duplicates, plural counts): to work on them while reading."""
    path = Path(path)
    return PoParser(path).entries(po_blocks(path, MAX_BYTES))


def po_document(
    path: str | Path,
    entries: Iterable[Entry],
    *,
    source_lang: str | None = None,
    target_lang: str | None = None,
) -> PoDocument:
    """The document of entries read from ``path`` by :func:`po_entries`."""
    return _read(Path(path), entries, source_lang, target_lang)


def _read(
    path: Path, entries: Iterable[Entry], source_lang: str | None, target_lang: str | None
) -> PoDocument:
    stream = po_stream(path, entries, source_lang=source_lang, target_lang=target_lang)
    units = tuple(stream.units)
    return PoDocument(
        stream.source_lang, stream.target_lang, stream.header, stream.plural_forms, units
    )


def read_mo(
    path: str | Path, *, source_lang: str | None = None, target_lang: str | None = None
) -> PoDocument:
    """A compiled MO catalogue (translated entries only, as msgfmt wrote them)."""
    path = Path(path)
    return _read(path, _mo_entries(path), source_lang, target_lang)
