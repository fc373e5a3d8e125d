"""Writing a language pair as a PO or MO catalogue that msgfmt -c accepts.

- The header is the one the units' catalogue came with (``po-header`` on a unit), with
  the charset set to UTF-8; with none, or when a domain's units come from several
  documents or catalogues (one's identity, translator and plural rule are not the
  others'), Padan's own with gettext's plural rule for the target language, or the rule
  the entries' form count asks for (id: 1 or 2).
- Every plural entry gets as many forms as the header's ``nplurals``: a translated form
  is never dropped silently; when forms must be merged or repeated, ``note`` says so.
- Two units msgfmt would take for the same message (same context and msgid in one
  domain, or an empty msgid that would pass for the header) are kept apart with a
  msgctxt: the unit's context with its id, or its document and position.
- Memory stays flat at any size: the units are read once, their entries wait in a
  temporary file until each domain's header is known, and the (msgctxt, msgid) already
  given are digests that go to disk (tm.formats.export_spool).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from itertools import chain, islice
from pathlib import Path

from corpora.atomicfile import atomic_write
from corpora.langtags import normalize
from corpora.plurals import nplurals, plural_rule
from corpora.poheader import (
    field_value,
    header_text,
    po_metadata,
    utf8_content_type,
    with_field,
)
from tm.errors import TMError
from tm.formats import mo_write
from tm.formats.export_spool import SeenKeys, Spool, digest
from tm.formats.po_parse import DEFAULT_DOMAIN, Entry
from tm.formats.po_write import format_domain, format_entry
from tm.formats.states import NEEDS_REVIEW, state_of
from tm.inline import plain_text
from tm.model import Unit, Variant

HEADER_KEY = "po-header"  # Unit.extra: the header entry of the unit's catalogue and domain
DOMAIN_KEY = "po-domain"  # Unit.extra: the domain directive the unit came under
Note = Callable[[str], None]
_RULE_FOR = {1: "nplurals=1; plural=0;", 2: "nplurals=2; plural=(n != 1);"}
_BLOCK = 1000  # units whose msgctxt and msgid are looked up together


def stderr_note(message: str) -> None:
    print(f"padan: note: {message}", file=sys.stderr)


def _plain(variant: Variant | None) -> str:
    """The text with each inline code's native data, as text, where its placeholder
    stood (a TMX or XLIFF ``ph`` holds it escaped: ``&lt;br/&gt;`` is ``<br/>``)."""
    return "" if variant is None else plain_text(variant.text, variant.codes)


def _lines(items: tuple[str, ...]) -> tuple[str, ...]:
    """Comment lines: a line break inside one would end the comment for every reader."""
    if not any("\n" in c or "\r" in c for c in items):
        return items
    return tuple(
        line for c in items for line in c.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    )


@dataclass
class _Domain:
    index: int
    header: str | None = None  # the first header (JSON) its units carry
    document: str | None = None  # the first document its units come from
    mixed: bool = False  # units of another document or catalogue too: no header is theirs
    plurals: bool = False  # any plural entry
    counts: set[int] = field(default_factory=set)  # forms of the translated plural entries
    count: int = 0
    spool: Spool = field(default_factory=Spool)  # text ready to write; Entry to fit first

    def add_origin(self, document: str, header: str | None) -> None:
        if document:
            self.document = self.document or document
            self.mixed = self.mixed or document != self.document
        if header is not None:
            self.header = self.header or header
            self.mixed = self.mixed or header != self.header

    def own_header(self) -> dict[str, object] | None:
        """The header of the catalogue all its units come from, if they do."""
        return None if self.mixed or self.header is None else json.loads(self.header)


def _entry(unit: Unit, src: str, tgt: str, domain: str) -> Entry:
    source, target = unit.pair(src, tgt)
    if source is None:
        raise TMError(f"unit {unit.key or unit.context or ''} has no {src} text")
    msgid = _plain(source)
    if source.plurals:
        msgstr: tuple[str, ...] = (_plain(target), *(target.plurals if target else ()))
        msgid_plural: str | None = source.plurals[0]
    else:
        msgstr, msgid_plural = (_plain(target),), None
    for char, name in (("\x00", "a NUL character"), ("\x04", "gettext's context separator")):
        if any(char in s for s in (msgid, *msgstr, unit.context or "", msgid_plural or "")):
            raise TMError(f"{name} in unit {unit.key or msgid[:30]!r}: PO cannot carry it")
    flags, previous = unit.flags, unit.previous
    if target is not None and target.text and not unit.obsolete:
        flags, previous = _review_flags(unit, target)
        if "fuzzy" not in flags and breaks_differ(msgid, (*msgstr, msgid_plural or "")):
            flags = ("fuzzy", *flags)
    return Entry(
        msgid=msgid,
        msgstr=msgstr,
        msgctxt=unit.context,
        msgid_plural=msgid_plural,
        flags=flags,
        comments=_lines(unit.comments),
        extracted=_lines(unit.extracted),
        references=unit.references,
        previous=previous,
        obsolete=unit.obsolete,
        domain=domain,
    )


def breaks_differ(msgid: str, msgstr: Iterable[str]) -> bool:
    """Whether a translation (or a msgid_plural) starts or ends with a line break where
    its msgid does not, or the other way round (an XLIFF target indented on lines of its
    own: ``\n\t\t{1}`` for ``{1}Home``), which msgfmt -c refuses in an entry not marked
    fuzzy. Such an entry goes out fuzzy: msgfmt leaves it out, and a translator sees it
    is to review."""
    starts, ends = msgid.startswith("\n"), msgid.endswith("\n")
    return any(
        text and (text.startswith("\n") != starts or text.endswith("\n") != ends) for text in msgstr
    )


def _review_flags(
    unit: Unit, target: Variant
) -> tuple[tuple[str, ...], tuple[tuple[str, str], ...]]:
    """The flags and previous strings of the target's review state: ``fuzzy`` (first, as
    msgmerge writes it) when it needs review; when it no longer does, neither the flag
    nor the previous msgid that only a fuzzy entry carries."""
    fuzzy = "fuzzy" in unit.flags
    if state_of(unit, target) == NEEDS_REVIEW:
        return (unit.flags if fuzzy else ("fuzzy", *unit.flags)), unit.previous
    if fuzzy:
        return tuple(f for f in unit.flags if f != "fuzzy"), ()
    return unit.flags, unit.previous


class _Collected:
    """The domains of a catalogue, in the order they first occur, each with its entries
    spooled to disk: the header and plural rule that go first depend on every entry."""

    def __init__(self, src: str, tgt: str, formatted: bool) -> None:
        self.src, self.tgt, self.formatted = src, tgt, formatted
        self.domains: dict[str, _Domain] = {}
        self.positions: dict[str, int] = {}
        self.seen = SeenKeys()  # (domain, obsolete, msgctxt, msgid) of the entries so far

    def add(self, block: Iterable[Unit | tuple[str, Unit]]) -> None:
        made = []
        for item in block:
            doc, unit = item if isinstance(item, tuple) else ("", item)
            position = self.positions.get(doc, 0)
            self.positions[doc] = position + 1
            extra = dict(unit.extra) if unit.extra else {}
            name = extra.get(DOMAIN_KEY, DEFAULT_DOMAIN)
            domain = self.domains.get(name)
            if domain is None:
                domain = self.domains[name] = _Domain(len(self.domains))
                self.seen.add([_key(domain, False, None, "")])  # the header's place
            domain.add_origin(doc, extra.get(HEADER_KEY))
            entry = _entry(unit, self.src, self.tgt, name)
            where = f"{doc}:{position}" if doc else str(position)
            made.append((domain, entry, unit.key or where))
        for domain, entry in self._apart(made):
            domain.count += 1
            if entry.msgid_plural is not None:
                domain.plurals = True
                if any(entry.msgstr):
                    domain.counts.add(len(entry.msgstr))
            if self.formatted and entry.msgid_plural is None:
                domain.spool.append("\n" + format_entry(entry))
            else:
                domain.spool.append(entry)

    def _apart(self, made: list[tuple[_Domain, Entry, str]]) -> list[tuple[_Domain, Entry]]:
        """Each entry with a msgctxt no other entry of its domain has: a second one gets
        the unit's context with its label (id, else document and position)."""
        keys = [_key(d, e.obsolete, e.msgctxt, e.msgid) for d, e, _ in made]
        taken = self.seen.known(keys)
        new: set[bytes] = set()
        out = []
        for (domain, entry, label), key in zip(made, keys, strict=True):
            if key in taken or key in new:
                context = label if entry.msgctxt is None else f"{entry.msgctxt} [{label}]"
                candidate, n = context, 1
                key = _key(domain, entry.obsolete, candidate, entry.msgid)
                while key in new or self.seen.known([key]):
                    n += 1
                    candidate = f"{context} #{n}"
                    key = _key(domain, entry.obsolete, candidate, entry.msgid)
                entry = replace(entry, msgctxt=candidate)
            new.add(key)
            out.append((domain, entry))
        self.seen.add(new)
        return out

    def close(self) -> None:
        self.seen.close()
        for domain in self.domains.values():
            domain.spool.close()


def _key(domain: _Domain, obsolete: bool, msgctxt: str | None, msgid: str) -> bytes:
    context = "-" if msgctxt is None else "+" + msgctxt
    return digest(f"{domain.index}\x00{int(obsolete)}\x00{context}\x00{msgid}")


def _collect(
    units: Iterable[Unit | tuple[str, Unit]], src: str, tgt: str, formatted: bool
) -> _Collected:
    collected = _Collected(src, tgt, formatted)
    stream = iter(units)
    try:
        while block := list(islice(stream, _BLOCK)):
            collected.add(block)
    except BaseException:
        collected.close()
        raise
    collected.seen.close()
    return collected


def _fallback_rule(counts: set[int], tgt: str) -> str:
    """Gettext's rule for the language, unless the translated entries all have another
    count of forms (``counts``) that a common rule gives (Indonesian catalogues use 1 or 2)."""
    rule = plural_rule(tgt)
    if len(counts) == 1:
        (count,) = counts
        if count != nplurals(rule) and count in _RULE_FOR:
            return _RULE_FOR[count]
    return rule


def _fitted(domain: _Domain, n: int, note: Note) -> Iterator[str | Entry]:
    """The domain's spooled items, every plural entry with ``n`` forms (n > 0);
    says how many translated entries changed."""
    merged = padded = 0
    for e in domain.spool:
        if n and isinstance(e, Entry) and e.msgid_plural is not None and len(e.msgstr) != n:
            forms = e.msgstr
            if not any(forms):
                forms = ("",) * n
            elif len(forms) > n:
                merged += 1
                forms = (*forms[: n - 1], forms[-1])
            else:
                padded += 1
                forms = forms + (forms[-1],) * (n - len(forms))
            e = replace(e, msgstr=forms)
        yield e
    if merged:
        note(
            f"{_entries(merged)} more forms than nplurals={n}: "
            f"their last form was kept for msgstr[{n - 1}]"
        )
    if padded:
        note(f"{_entries(padded)} fewer forms than nplurals={n}: their last form was repeated")


def _entries(count: int) -> str:
    return f"{count} plural {'entry' if count == 1 else 'entries'} had"


def _header(
    domain: _Domain,
    tgt: str,
    header: Iterable[tuple[str, str]] | None,
    plural_forms: str | None,
) -> Entry:
    # the header's comments and flags stay even when its fields are replaced
    own = domain.own_header()
    kept: dict[str, object] = own or {}
    if header is not None:
        text = header_text(list(header))
    elif own is not None:
        text = str(kept.get("msgstr", ""))
    else:
        fields = po_metadata("Padan export", tgt, _fallback_rule(domain.counts, tgt))
        text = header_text(list(fields.items()))
    text = utf8_content_type(text)
    if not field_value(text, "Language") and tgt != "und":  # an old catalogue's: say it
        text = with_field(text, "Language", tgt)
    rule = plural_forms or field_value(text, "Plural-Forms")
    if rule is None and domain.plurals:
        rule = _fallback_rule(domain.counts, tgt)
    if rule is not None and rule != field_value(text, "Plural-Forms"):
        text = with_field(text, "Plural-Forms", rule)

    def strings(name: str) -> tuple[str, ...]:
        value = kept.get(name, [])
        return tuple(str(v) for v in value) if isinstance(value, list) else ()

    return Entry(
        "",
        (text,),
        flags=strings("flags"),
        comments=strings("comments"),
        extracted=strings("extracted"),
    )


def _catalogue(
    units: Iterable[Unit | tuple[str, Unit]],
    source_lang: str,
    target_lang: str,
    header: Iterable[tuple[str, str]] | None,
    plural_forms: str | None,
    note: Note,
    formatted: bool = True,
) -> Iterator[tuple[str, Entry, int, Iterator[str | Entry]]]:
    """(domain, header, entry count, the entries as spooled and fitted) of each domain;
    the units are read before the first is given."""
    tgt = normalize(target_lang)
    collected = _collect(units, normalize(source_lang), tgt, formatted)
    try:
        if not collected.domains:
            collected.domains[DEFAULT_DOMAIN] = _Domain(0)
        for name, domain in collected.domains.items():
            head = _header(domain, tgt, header, plural_forms)
            n = nplurals(field_value(head.msgstr[0], "Plural-Forms"))
            yield name, head, domain.count, _fitted(domain, n or 0, note)
    finally:
        collected.close()


def write_po(
    units: Iterable[Unit | tuple[str, Unit]],
    path: str | Path,
    *,
    source_lang: str,
    target_lang: str,
    header: Iterable[tuple[str, str]] | None = None,
    plural_forms: str | None = None,
    note: Note = stderr_note,
) -> int:
    """Write the units (or (document, unit) pairs, whose document names a unit that
    needs a context) as a PO catalogue for one language pair; returns the entry count.
    ``header`` and ``plural_forms`` replace the header the units carry. Memory stays
    flat: the entries wait in a temporary file until the headers are known."""
    catalogue = _catalogue(units, source_lang, target_lang, header, plural_forms, note)
    count = 0
    with atomic_write(path) as f:
        for index, (name, head, size, items) in enumerate(catalogue):
            f.write(("\n" if index else "") + format_domain(name) + format_entry(head))
            for item in items:
                f.write(item if isinstance(item, str) else "\n" + format_entry(item))
            count += size
    return count


def write_mo(
    units: Iterable[Unit | tuple[str, Unit]],
    path: str | Path,
    *,
    source_lang: str,
    target_lang: str,
    note: Note = stderr_note,
) -> int:
    """Compile the units as msgfmt would compile their PO export (one domain: the
    first's header); returns the count of messages compiled, the header not counted."""
    catalogue = _catalogue(units, source_lang, target_lang, None, None, note, formatted=False)
    name, first, _, items = next(catalogue)
    count = 0

    def compiled() -> Iterator[Entry]:  # the keys and values are what the MO holds
        nonlocal count
        for group in chain([items], (rest for _, _, _, rest in catalogue)):
            for e in group:
                if isinstance(e, Entry) and mo_write.compiled(e):
                    count += 1
                    yield e

    mo_write.write_mo(first.msgstr[0], compiled(), path)
    return count


def write_revision_po(rows: Iterable[tuple[str, str, str]], path: str | Path, *, lang: str) -> int:
    """A revised monolingual document as PO: msgid = the rendering as imported, msgstr = now.

    ``rows`` are (context, imported text, current text); the context (document and
    position) keeps identical renderings apart.
    """
    lang = normalize(lang)
    text = header_text(list(po_metadata("Padan export", lang).items()))
    count = 0
    with atomic_write(path) as f:
        f.write(format_entry(Entry("", (text,))))
        for context, original, current in rows:
            f.write("\n" + format_entry(Entry(original, (current,), context)))
            count += 1
    return count
