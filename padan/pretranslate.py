"""Pre-translation: fill the untranslated units of a PO, TMX or XLIFF file from the
workspace's memory (translate-toolkit's ``pretranslate``, OmegaT's ``tm/auto``).

- An exact or context match is written as translated.
- A fuzzy or repaired match is written marked for review (PO ``fuzzy`` with the memory's
  source as the previous msgid, ``#| msgid``; XLIFF 1.2 ``needs-review-translation``,
  2.x ``initial``; TMX ``x-state`` ``needs-review``, tm.formats.states) with
  its score, origin and, for a repaired one, its patches in a comment or note.
- A unit that has a translation keeps it unless ``overwrite``.
- Inline codes: a match is used as it is only when its codes can be given the new
  source's codes (same content); otherwise it is written without them, for review.

PO and TMX go through the format registry's writers; XLIFF 1.2 and 2.x are filled in
place (padan.pretranslate_xliff), so the rest of the file stays as it was. Languages
are paired through Unit.pair: a catalogue of a language into itself (Django's en.po)
is filled, not taken as translated by its own source.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path

from corpora.errors import CorpusError, LocatedError
from corpora.langtags import normalize, to_po
from corpora.plurals import nplurals, plural_rule
from corpora.poheader import field_value, with_field
from padan.leverage import (
    countable,
    languages,
    open_memory,
    segments_of,
    to_translate,
    without_codes,
)
from padan.workspace import Workspace
from tm.files import format_of, read_units
from tm.formats.po_export import HEADER_KEY, breaks_differ
from tm.formats.po_layout import keep_layout
from tm.inline import plain_text
from tm.leverage import Memory, Offer
from tm.model import PLACEHOLDER_BASE, PLACEHOLDERS, InlineCode, Unit, Variant

NOTE_PREFIX = "padan: "
NOT_PLACED = "; inline codes not placed"  # a match written without its codes
AS_TEXT = "; inline codes written as text"  # a match's codes in a PO, which has none
BREAKS = "; line breaks at its start or end unlike the source's"  # msgfmt -c would refuse it


@dataclass(frozen=True)
class Filled:
    """One unit filled: where it is, its source and what the memory gave."""

    label: str
    source: str
    context: str | None
    offer: Offer
    text: str  # the translation written
    kind: str  # as written: the offer's kind, "fuzzy" when a match went out for review


@dataclass
class PretranslateReport:
    source_lang: str
    target_lang: str
    counts: Counter[str] = field(default_factory=Counter)  # by kind, "kept", "none"
    filled: list[Filled] = field(default_factory=list)


def describe(offer: Offer, codes: tuple[InlineCode, ...] = ()) -> str:
    """The note a filled unit carries: kind, score, origin, patches and warnings; a patch's
    inline codes (the memory's, the new source's ``codes``) as their text, as PO shows
    them: a note holds no codes."""
    origin = offer.entry.origin if offer.entry else ""
    if offer.kind == "context":
        text = "context match"
    elif offer.kind == "exact":
        text = "100% match"
    elif offer.kind == "repaired":
        text = f"repaired match (source {offer.score:.0f}% similar)"
    else:
        text = f"fuzzy match {offer.score:.0f}%"
    text += f" from {origin}" if origin else ""
    old_codes = offer.entry.target_codes if offer.entry else ()
    patches = [
        (plain_text(p.old, old_codes), plain_text(p.new, codes))
        for p in (offer.repair.patches if offer.repair else ())
    ]
    patches = [p for p in patches if p[0] != p[1]]  # a code into its own text: no change seen
    if patches:
        text += "; patched: " + ", ".join(f"{old} → {new}" for old, new in patches)
    if offer.notes:
        text += "; " + "; ".join(offer.notes)
    return NOTE_PREFIX + text


def pretranslate(
    ws: Workspace,
    path: str,
    out: str,
    *,
    source_lang: str | None = None,
    target_lang: str | None = None,
    min_score: float = 75,
    overwrite: bool = False,
    repair: bool = True,
    memory: Memory | None = None,
) -> PretranslateReport:
    """Fill ``path``'s units from the memory and write the result to ``out``.

    ``memory``: the workspace's memory for the file's language pair, opened once by a
    caller that fills several files (open_memory); by default it is opened here.
    """
    fmt, out_fmt = format_of(path), format_of(out)
    if fmt is None:  # plain text has no units to fill: its translations are not in it
        raise LocatedError(
            "plain text cannot be pretranslated: Padan fills PO, TMX and XLIFF files",
            path=path,
            hint="give a .po, .tmx or .xlf file",
        )
    if out_fmt is None or fmt.name != out_fmt.name:
        raise LocatedError(
            "the output must be a file of the input's format",
            path=out,
            hint=f"name it with the extension of {Path(path).name}",
        )
    if fmt.name == "xliff":
        from padan.pretranslate_xliff import fill_xliff

        return fill_xliff(
            ws, path, out, source_lang=source_lang, target_lang=target_lang,
            min_score=min_score, overwrite=overwrite, repair=repair, memory=memory,
        )  # fmt: skip
    if fmt.write is None:
        raise LocatedError(f"Padan cannot write {fmt.name} files", path=out)
    found = read_units(path, source_lang=source_lang, target_lang=target_lang)
    src, tgt = languages(found, path, target_lang)
    if memory is None:
        memory = open_memory(ws, src, tgt, repair=repair, plain=without_codes(path))
    report = PretranslateReport(src, tgt)
    units = list(found.units)
    as_comment = fmt.name == "po"
    for i, (unit, segment) in enumerate(zip(units, segments_of(units, src), strict=True)):
        if segment is None or not countable(segment):  # (nothing locks a PO or TMX unit)
            continue
        if not to_translate(unit, src, tgt) and not overwrite:
            report.counts["kept"] += 1
            continue
        offer = memory.lookup(segment, min_score=min_score)
        if offer.kind == "none":
            report.counts["none"] += 1
            continue
        units[i] = filled_unit(unit, src, tgt, offer, as_comment=as_comment)
        demoted = offer.complete and "fuzzy" in units[i].flags  # its codes could not be placed
        kind = "fuzzy" if demoted else offer.kind
        report.counts[kind] += 1
        written = units[i].pair(src, tgt)[1]
        label = unit_label(unit, segment.source)
        text = written.text if written else ""
        report.filled.append(Filled(label, segment.source, unit.context, offer, text, kind))
    if fmt.name == "po":
        units = [_declare_language(u, tgt) for u in units]
    fmt.write(units, out, src, tgt)
    if fmt.name == "po":
        keep_layout(path, out)  # the entries left alone keep their lines
    return report


def _declare_language(unit: Unit, tgt: str) -> Unit:
    """The unit, with the catalogue header it may carry saying the target language (and its
    plural rule, when the header had another language's or a template's placeholder):
    a template filled for Indonesian must not say ``Language: en``."""
    extra = dict(unit.extra)
    if HEADER_KEY not in extra:
        return unit
    header = json.loads(extra[HEADER_KEY])
    text = str(header.get("msgstr", ""))
    language = field_value(text, "Language") or ""
    try:
        same = bool(language.strip()) and normalize(language) == tgt
    except CorpusError:
        same = False
    if same:
        return unit
    text = with_field(text, "Language", to_po(tgt))
    if nplurals(field_value(text, "Plural-Forms")) is None or language.strip():
        text = with_field(text, "Plural-Forms", plural_rule(tgt))
    header["msgstr"] = text
    extra[HEADER_KEY] = json.dumps(header, ensure_ascii=False)
    return replace(unit, extra=tuple(extra.items()))


def filled_unit(unit: Unit, src: str, tgt: str, offer: Offer, *, as_comment: bool) -> Unit:
    """``unit`` with the offer's translation, its state and its note."""
    source, old = unit.pair(src, tgt)
    assert source is not None and offer.entry is not None
    texts = list(offer.targets)
    placed = place_codes(texts[0], offer.entry.target_codes, source.codes)
    review = not offer.complete
    note = describe(offer, source.codes)
    if placed is None:
        if as_comment:  # a PO has no codes: the match's as text, as export writes them
            placed, note = (plain_text(texts[0], offer.entry.target_codes), ()), note + AS_TEXT
        else:
            placed, note = (PLACEHOLDERS.sub("", texts[0]), ()), note + NOT_PLACED
        review = True
    text, codes = placed
    if as_comment and breaks_differ(source.text, (text, *texts[1:])):
        review, note = True, note + BREAKS
    target = (
        replace(old, text=text, codes=codes, plurals=tuple(texts[1:]))
        if old
        else Variant(tgt, text, codes=codes, plurals=tuple(texts[1:]))
    )
    variants = tuple(target if v is old else v for v in unit.variants)
    if old is None:
        variants += (target,)
    flags = tuple(f for f in unit.flags if f != "fuzzy") + (("fuzzy",) if review else ())
    comments = tuple(c for c in unit.comments if not c.startswith(NOTE_PREFIX))
    notes = tuple(n for n in unit.notes if not n.startswith(NOTE_PREFIX))
    if review and as_comment:
        comments += (note,)
    elif review:
        notes += (note,)
    previous = unit.previous
    if review and as_comment:
        entry = offer.entry
        previous = tuple(
            (k, v)
            for k, v in (
                ("msgctxt", entry.context),
                ("msgid", plain_text(entry.source, entry.source_codes)),
                ("msgid_plural", entry.plural),
            )
            if v is not None
        )
    return replace(
        unit, variants=variants, flags=flags, comments=comments, notes=notes, previous=previous
    )


def place_codes(
    text: str, codes: tuple[InlineCode, ...], new_codes: tuple[InlineCode, ...]
) -> tuple[str, tuple[InlineCode, ...]] | None:
    """``text`` (with placeholders for ``codes``) rewritten to point at ``new_codes``:
    each code goes to an unused new code of the same tag and content. None when one has
    no counterpart."""
    if not PLACEHOLDERS.search(text):
        return text, ()
    used: set[int] = set()
    mapping: dict[str, str] = {}
    for char in dict.fromkeys(PLACEHOLDERS.findall(text)):
        index = ord(char) - PLACEHOLDER_BASE
        if index >= len(codes):
            return None
        code = codes[index]
        j = next(
            (
                j
                for j, c in enumerate(new_codes)
                if j not in used and (c.tag, c.content) == (code.tag, code.content)
            ),
            None,
        )
        if j is None:
            return None
        used.add(j)
        mapping[char] = chr(PLACEHOLDER_BASE + j)
    return PLACEHOLDERS.sub(lambda m: mapping[m.group()], text), new_codes


def unit_label(unit: Unit, source: str, segment: str | None = None) -> str:
    """Where a filled unit is and the start of its source, for the report. ``segment``:
    its id among the segments of one XLIFF unit, which all start on the unit's line."""
    short = source if len(source) <= 50 else source[:49] + "…"
    where = f"line {unit.line}" if unit.line else (unit.key or "")
    if segment is not None and unit.line:
        where += f", segment {segment}"
    return f"{where}: {short}" if where else short
