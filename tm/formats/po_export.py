"""Writing a language pair as a PO or MO catalogue that msgfmt -c accepts.

- The header is the one the units' catalogue came with (``po-header`` on a unit), with
  the charset set to UTF-8; with none, Padan's own with gettext's plural rule for the
  target language, or the rule the entries' form count asks for (id: 1 or 2).
- Every plural entry gets as many forms as the header's ``nplurals``: a translated form
  is never dropped silently; when forms must be merged or repeated, ``note`` says so.
- Two units msgfmt would take for the same message (same context and msgid in one
  domain, or an empty msgid that would pass for the header) are kept apart with a
  msgctxt: the unit's context with its id, or its document and position.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
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
from tm.formats.po_parse import DEFAULT_DOMAIN, Entry
from tm.formats.po_write import format_domain, format_entry
from tm.formats.states import NEEDS_REVIEW, state_of
from tm.model import PLACEHOLDER_BASE, PLACEHOLDERS, Unit, Variant

HEADER_KEY = "po-header"  # Unit.extra: the header entry of the unit's catalogue and domain
DOMAIN_KEY = "po-domain"  # Unit.extra: the domain directive the unit came under
Note = Callable[[str], None]
_RULE_FOR = {1: "nplurals=1; plural=0;", 2: "nplurals=2; plural=(n != 1);"}


def stderr_note(message: str) -> None:
    print(f"padan: note: {message}", file=sys.stderr)


def _plain(variant: Variant | None) -> str:
    """The text with each inline code's own content where its placeholder stood."""
    if variant is None:
        return ""
    codes = variant.codes
    if not codes:
        return variant.text
    return PLACEHOLDERS.sub(
        lambda m: codes[ord(m.group()) - PLACEHOLDER_BASE].content, variant.text
    )


def _lines(items: tuple[str, ...]) -> tuple[str, ...]:
    """Comment lines: a line break inside one would end the comment for every reader."""
    if not any("\n" in c or "\r" in c for c in items):
        return items
    return tuple(
        line for c in items for line in c.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    )


@dataclass
class _Domain:
    header: dict[str, object] | None = None
    entries: list[Entry] = field(default_factory=list)
    live: set[tuple[str | None, str]] = field(default_factory=lambda: {(None, "")})
    obsolete: set[tuple[str | None, str]] = field(default_factory=set)


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


def _apart(entry: Entry, unit: Unit, where: str, seen: set[tuple[str | None, str]]) -> Entry:
    """The entry with a msgctxt no other entry of its domain has."""
    if (entry.msgctxt, entry.msgid) not in seen:
        seen.add((entry.msgctxt, entry.msgid))
        return entry
    label = unit.key or where
    context = label if entry.msgctxt is None else f"{entry.msgctxt} [{label}]"
    candidate, n = context, 1
    while (candidate, entry.msgid) in seen:
        n += 1
        candidate = f"{context} #{n}"
    seen.add((candidate, entry.msgid))
    return replace(entry, msgctxt=candidate)


def _collect(units: Iterable[Unit | tuple[str, Unit]], src: str, tgt: str) -> dict[str, _Domain]:
    domains: dict[str, _Domain] = {}
    positions: dict[str, int] = {}
    for item in units:
        doc, unit = item if isinstance(item, tuple) else ("", item)
        position = positions.get(doc, 0)
        positions[doc] = position + 1
        extra = dict(unit.extra) if unit.extra else {}
        name = extra.get(DOMAIN_KEY, DEFAULT_DOMAIN)
        domain = domains.setdefault(name, _Domain())
        if domain.header is None and HEADER_KEY in extra:
            domain.header = json.loads(extra[HEADER_KEY])
        entry = _entry(unit, src, tgt, name)
        where = f"{doc}:{position}" if doc else str(position)
        seen = domain.obsolete if entry.obsolete else domain.live
        domain.entries.append(_apart(entry, unit, where, seen))
    return domains


def _fallback_rule(entries: list[Entry], tgt: str) -> str:
    """Gettext's rule for the language, unless the translated entries all have another
    count of forms that a common rule gives (Indonesian catalogues use 1 or 2)."""
    counts = {len(e.msgstr) for e in entries if e.msgid_plural is not None and any(e.msgstr)}
    rule = plural_rule(tgt)
    if len(counts) == 1:
        (count,) = counts
        if count != nplurals(rule) and count in _RULE_FOR:
            return _RULE_FOR[count]
    return rule


def _fit(entries: list[Entry], n: int, note: Note) -> list[Entry]:
    """Every plural entry with ``n`` forms; says how many translated entries changed."""
    merged = padded = 0
    out = []
    for e in entries:
        forms = e.msgstr
        if e.msgid_plural is not None and len(forms) != n:
            if not any(forms):
                forms = ("",) * n
            elif len(forms) > n:
                merged += 1
                forms = (*forms[: n - 1], forms[-1])
            else:
                padded += 1
                forms = forms + (forms[-1],) * (n - len(forms))
            e = replace(e, msgstr=forms)
        out.append(e)
    if merged:
        note(
            f"{merged} plural entries had more forms than nplurals={n}: "
            f"their last form was kept for msgstr[{n - 1}]"
        )
    if padded:
        note(
            f"{padded} plural entries had fewer forms than nplurals={n}: "
            "their last form was repeated"
        )
    return out


def _header(
    domain: _Domain,
    tgt: str,
    header: Iterable[tuple[str, str]] | None,
    plural_forms: str | None,
) -> Entry:
    # the header's comments and flags stay even when its fields are replaced
    kept: dict[str, object] = domain.header or {}
    if header is not None:
        text = header_text(list(header))
    elif domain.header is not None:
        text = str(kept.get("msgstr", ""))
    else:
        fields = po_metadata("Padan export", tgt, _fallback_rule(domain.entries, tgt))
        text = header_text(list(fields.items()))
    text = utf8_content_type(text)
    if not field_value(text, "Language") and tgt != "und":  # an old catalogue's: say it
        text = with_field(text, "Language", tgt)
    has_plurals = any(e.msgid_plural is not None for e in domain.entries)
    rule = plural_forms or field_value(text, "Plural-Forms")
    if rule is None and has_plurals:
        rule = _fallback_rule(domain.entries, tgt)
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
) -> list[tuple[str, Entry, list[Entry]]]:
    src, tgt = normalize(source_lang), normalize(target_lang)
    domains = _collect(units, src, tgt)
    if not domains:
        domains[DEFAULT_DOMAIN] = _Domain()
    out = []
    for name, domain in domains.items():
        head = _header(domain, tgt, header, plural_forms)
        n = nplurals(field_value(head.msgstr[0], "Plural-Forms"))
        entries = _fit(domain.entries, n, note) if n else domain.entries
        out.append((name, head, entries))
    return out


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
    ``header`` and ``plural_forms`` replace the header the units carry."""
    catalogue = _catalogue(units, source_lang, target_lang, header, plural_forms, note)
    count = 0
    with atomic_write(path) as f:
        for index, (name, head, entries) in enumerate(catalogue):
            f.write(("\n" if index else "") + format_domain(name) + format_entry(head))
            for e in entries:
                f.write("\n" + format_entry(e))
            count += len(entries)
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
    catalogue = _catalogue(units, source_lang, target_lang, None, None, note)
    entries = [e for _, _, group in catalogue for e in group]
    mo_write.write_mo(catalogue[0][1].msgstr[0], entries, path)
    return sum(1 for e in entries if mo_write.compiled(e))


def write_revision_po(rows: Iterable[tuple[str, str, str]], path: str | Path, *, lang: str) -> int:
    """A revised monolingual document as PO: msgid = the rendering as imported, msgstr = now.

    ``rows`` are (context, imported text, current text); the context (document and
    position) keeps identical renderings apart.
    """
    lang = normalize(lang)
    entries = [Entry(original, (current,), context) for context, original, current in rows]
    text = header_text(list(po_metadata("Padan export", lang).items()))
    with atomic_write(path) as f:
        f.write(format_entry(Entry("", (text,))))
        for e in entries:
            f.write("\n" + format_entry(e))
    return len(entries)
