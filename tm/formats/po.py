"""Gettext catalogues (PO, POT, MO) as translation units, through polib.

Every PO entry becomes a :class:`Unit`: the source variant holds ``msgid`` (and
``msgid_plural`` in ``plurals``), the target variant ``msgstr`` (or ``msgstr[0]`` and the
other plural forms). An untranslated entry still has a target variant, with empty text,
so that writing the catalogue back loses nothing. Context, flags, comments, references,
previous strings (``#|``) and obsolete entries (``#~``) are kept.

Inline codes have no place in PO: a unit coming from TMX or XLIFF is written with each
code's own text in place of its placeholder.
"""

from __future__ import annotations

import re
import struct
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import polib

from corpora.atomicfile import atomic_write
from corpora.errors import CorpusError
from corpora.langtags import normalize
from corpora.poheader import po_metadata
from corpora.textfile import cannot_read, check_path, check_text_file, empty_file, po_charset
from tm.errors import TMError
from tm.model import PLACEHOLDER_BASE, PLACEHOLDERS, Unit, Variant

_LINE = re.compile(r"\(line (\d+)\)")
_SYNTAX_DETAIL = re.compile(r"\(line \d+\):\s*(.+)$")
MAX_BYTES = 48 * 1024 * 1024  # polib holds a catalogue whole: about ten times its size
_MO_MAGIC = {0x950412DE: "<", 0xDE120495: ">"}
_NPLURALS = re.compile(r"nplurals\s*=\s*(\d+)")


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


def _parse(path: Path, mo: bool) -> polib._BaseFile:
    try:
        if mo:
            _check_mo(path)
        else:
            check_text_file(path, "PO", MAX_BYTES, comment=b"#")
            po_charset(path)  # an unknown one is an error, not a silent fallback to UTF-8
    except CorpusError as exc:
        raise TMError(
            exc.message, path=exc.path, line=exc.line, column=exc.column, hint=exc.hint
        ) from exc
    try:
        catalog = polib.mofile(str(path)) if mo else polib.pofile(str(path), wrapwidth=0)
    except UnicodeDecodeError as exc:
        raise _charset_error(path, mo, exc) from exc
    except (OSError, ValueError, LookupError, struct.error, IndexError, KeyError) as exc:
        text = " ".join(str(exc).split())
        m = _LINE.search(text)
        detail = _SYNTAX_DETAIL.search(text)
        what = "MO" if mo else "PO"
        raise TMError(
            f"not a valid {what} file: syntax error" + (f", {detail.group(1)}" if detail else "")
            if m
            else f"not a valid {what} file: {text}",
            path=path,
            line=int(m.group(1)) if m else None,
            hint="check the quoting and keywords on that line; msgfmt -c reports the same"
            if m
            else None,
        ) from exc
    if not mo:
        _refuse_duplicates(catalog, path)
    return catalog


def _charset_error(path: Path, mo: bool, exc: UnicodeDecodeError) -> TMError:
    """The place of the first byte the declared charset cannot decode."""
    # The offset in the exception is within a buffer of polib's: find the line again.
    line, column = (None, None) if mo else _find_undecodable(path, exc.encoding)
    return TMError(
        f"bytes that are not {exc.encoding} (the declared charset): {exc.reason}",
        path=path,
        line=line,
        column=column,
        hint="fix the Content-Type charset header or re-encode the file",
    )


def _find_undecodable(path: Path, encoding: str) -> tuple[int | None, int | None]:
    with path.open("rb") as f:
        for number, raw in enumerate(f, 1):
            try:
                raw.decode(encoding)
            except UnicodeDecodeError as exc:
                return number, len(raw[: exc.start].decode(encoding, "replace")) + 1
    return None, None


def _refuse_duplicates(catalog: polib.POFile, path: Path) -> None:
    """Two entries with the same context and msgid: msgfmt refuses them, and on import
    the second would silently overwrite the first."""
    seen: dict[tuple[str | None, str], int | None] = {}
    for entry in catalog:
        if entry.obsolete:
            continue
        key = (entry.msgctxt, entry.msgid)
        if key in seen:
            first = seen[key]
            raise TMError(
                f"duplicate message definition of {entry.msgid[:40]!r}",
                path=path,
                line=getattr(entry, "linenum", None),
                hint=(f"first defined at line {first}; " if first else "")
                + "keep one of them, e.g. with msgcat --use-first",
            )
        seen[key] = getattr(entry, "linenum", None)


def _check_mo(path: Path) -> None:
    """A compiled catalogue whose tables and strings all lie inside the file: polib
    reads whatever a truncated file still has and says nothing."""
    if check_path(path, MAX_BYTES, "an MO file") == 0:
        raise empty_file(path, "MO content")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise cannot_read(path, exc) from exc
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


def _unit(entry: polib._BaseEntry, src: str, tgt: str, nplurals: int | None, path: Path) -> Unit:
    if entry.msgid_plural:
        forms = [entry.msgstr_plural[k] for k in sorted(entry.msgstr_plural)]
        if nplurals is not None and any(forms) and len(forms) != nplurals:
            raise TMError(
                f"{len(forms)} plural forms where the header says nplurals={nplurals}",
                path=path,
                line=getattr(entry, "linenum", None),
                hint="give one msgstr[N] per plural form, or fix the Plural-Forms header",
            )
        target = Variant(tgt, forms[0] if forms else "", plurals=tuple(forms[1:]))
        source = Variant(src, entry.msgid, plurals=(entry.msgid_plural,))
    else:
        target = Variant(tgt, entry.msgstr)
        source = Variant(src, entry.msgid)
    # Most entries have no previous strings, references or flags: the tests below
    # spare building empty tuples for 100,000 entries of a large catalogue.
    previous: tuple[tuple[str, str], ...] = ()
    if entry.previous_msgctxt or entry.previous_msgid or entry.previous_msgid_plural:
        previous = tuple(
            (name, value)
            for name, value in (
                ("msgctxt", entry.previous_msgctxt),
                ("msgid", entry.previous_msgid),
                ("msgid_plural", entry.previous_msgid_plural),
            )
            if value
        )
    occurrences = entry.occurrences
    return Unit(
        variants=(source, target),
        context=entry.msgctxt,
        flags=tuple(entry.flags) if entry.flags else (),
        comments=tuple(entry.tcomment.split("\n")) if entry.tcomment else (),
        extracted=tuple(entry.comment.split("\n")) if entry.comment else (),
        references=tuple(f"{f}:{n}" if n else f for f, n in occurrences) if occurrences else (),
        previous=previous,
        obsolete=bool(entry.obsolete),
        line=getattr(entry, "linenum", None),
    )


def _read(
    path: str | Path, mo: bool, source_lang: str | None, target_lang: str | None
) -> PoDocument:
    path = Path(path)
    catalog = _parse(path, mo)
    src = normalize(source_lang) if source_lang else "en"
    tgt = (
        normalize(target_lang) if target_lang else _language(catalog.metadata.get("Language"), path)
    )
    plural_forms = catalog.metadata.get("Plural-Forms")
    m = _NPLURALS.search(plural_forms or "")
    nplurals = int(m.group(1)) if m else None
    units = tuple(_unit(e, src, tgt or "und", nplurals, path) for e in catalog)
    for unit in units:
        for variant in unit.variants:
            if PLACEHOLDERS.search(variant.text):
                raise TMError("text holds a reserved character (U+FDD0..U+FDEF)", path=path)
    return PoDocument(src, tgt, tuple(catalog.metadata.items()), plural_forms, units)


def read_po(
    path: str | Path, *, source_lang: str | None = None, target_lang: str | None = None
) -> PoDocument:
    """A PO or POT file. The msgid language defaults to en, the target to the Language header."""
    return _read(path, False, source_lang, target_lang)


def read_mo(
    path: str | Path, *, source_lang: str | None = None, target_lang: str | None = None
) -> PoDocument:
    """A compiled MO catalogue (translated entries only, as msgfmt wrote them)."""
    return _read(path, True, source_lang, target_lang)


def _plain(variant: Variant | None) -> str:
    """The text with each inline code's own content where its placeholder stood."""
    if variant is None:
        return ""
    codes = variant.codes
    return PLACEHOLDERS.sub(
        lambda m: codes[ord(m.group()) - PLACEHOLDER_BASE].content, variant.text
    )


def _lines(comments: tuple[str, ...]) -> str:
    """Comment lines as polib writes them: a CR would end the line for every reader."""
    return "\n".join(comments).replace("\r\n", "\n").replace("\r", "\n")


def _entry(unit: Unit, src: str, tgt: str) -> polib.POEntry:
    source, target = unit.variant(src), unit.variant(tgt)
    if source is None:
        raise TMError(f"unit {unit.key or unit.context or ''} has no {src} text")
    entry = polib.POEntry(
        msgctxt=unit.context,
        msgid=_plain(source),
        flags=list(unit.flags),
        tcomment=_lines(unit.comments),
        comment=_lines(unit.extracted),
        occurrences=[tuple(r.rsplit(":", 1)) if ":" in r else (r, "") for r in unit.references],
        obsolete=unit.obsolete,
    )
    previous = dict(unit.previous)
    entry.previous_msgctxt = previous.get("msgctxt")
    entry.previous_msgid = previous.get("msgid")
    entry.previous_msgid_plural = previous.get("msgid_plural")
    if source.plurals:
        entry.msgid_plural = source.plurals[0]
        forms = [_plain(target), *(target.plurals if target else ())]
        entry.msgstr_plural = dict(enumerate(forms))
    else:
        entry.msgstr = _plain(target)
    if "\x00" in entry.msgid + entry.msgstr + (entry.msgctxt or ""):
        raise TMError(
            f"a NUL character in unit {unit.key or entry.msgid[:30]!r}: PO cannot carry it"
        )
    return entry


def write_po(
    units: Iterable[Unit],
    path: str | Path,
    *,
    source_lang: str,
    target_lang: str,
    header: Iterable[tuple[str, str]] | None = None,
    plural_forms: str | None = None,
) -> int:
    """Write the units as a PO catalogue for one language pair; returns the entry count."""
    src, tgt = normalize(source_lang), normalize(target_lang)
    catalog = polib.POFile(wrapwidth=0)
    catalog.metadata = {**po_metadata("Padan export", tgt, plural_forms), **dict(header or ())}
    for unit in units:
        catalog.append(_entry(unit, src, tgt))
    with atomic_write(path) as f:
        f.write(str(catalog) + "\n")
    return len(catalog)


def write_revision_po(rows: Iterable[tuple[str, str, str]], path: str | Path, *, lang: str) -> int:
    """A revised monolingual document as PO: msgid = the rendering as imported, msgstr = now.

    ``rows`` are (context, imported text, current text); the context (document and
    position) keeps identical renderings apart.
    """
    lang = normalize(lang)
    catalog = polib.POFile(wrapwidth=0)
    catalog.metadata = po_metadata("Padan export", lang)
    for context, original, current in rows:
        catalog.append(polib.POEntry(msgctxt=context, msgid=original, msgstr=current))
    with atomic_write(path) as f:
        f.write(str(catalog) + "\n")
    return len(catalog)
