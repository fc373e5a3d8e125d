"""Translation units as plain frozen dataclasses (never XML nodes or database rows).

A unit is TMX's ``tu``, an XLIFF segment or a PO entry: one variant per language (a TMX
``tu`` may hold a second one of a language). Inline markup (TMX ``bpt``/``ept``/``ph``/
``it``/``ut``/``hi``/``sub``, XLIFF 1.2 ``g``/``x``/``bx``/``ex``..., XLIFF 2.0 ``pc``/
``ph``/``sc``/``ec``...) is kept round-trippable: the variant text holds one placeholder
character per inline code, in order, and ``codes`` holds the codes as the file wrote
them, so that checks and search see text while writers restore the markup. An element
around text (XLIFF ``g``, ``pc``, ``mrk``) is two codes, ``g`` and ``/g`` (tm.inline).
Placeholders are reserved characters (corpora.placeholders); readers refuse input
containing them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from corpora.placeholders import (
    MAX_CODES,
    PLACEHOLDER_BASE,
    PLACEHOLDER_MAX,
    PLACEHOLDERS,
    code_index,
    placeholder,
)

__all__ = [
    "MAX_CODES",
    "PLACEHOLDERS",
    "PLACEHOLDER_BASE",
    "PLACEHOLDER_MAX",
    "InlineCode",
    "Unit",
    "Variant",
    "code_index",
    "placeholder",
]


@dataclass(frozen=True)
class InlineCode:
    """One inline element: its tag, attributes and raw content (native code or XML)."""

    tag: str  # bpt, ept, ph, it, ut, hi, sub, g, x, bx, ex...
    attrs: tuple[tuple[str, str], ...] = ()
    content: str = ""  # serialized inner XML of the element, kept verbatim


@dataclass(frozen=True)
class Variant:
    lang: str  # normal form, see corpora.langtags
    text: str  # with placeholders for inline codes
    codes: tuple[InlineCode, ...] = ()
    plurals: tuple[str, ...] = ()  # further plural forms (PO msgid_plural / msgstr[1..])
    props: tuple[tuple[str, str], ...] = ()  # TMX tuv prop (type, value), in order
    notes: tuple[str, ...] = ()
    created: str | None = None  # ISO 8601 UTC
    changed: str | None = None
    # The stored variant's id (tm.store), for the application layer to join its own
    # data (review states) to a unit read back; never written to a file.
    ref: int | None = field(default=None, compare=False)

    def plain(self) -> str:
        """The text without inline-code placeholders."""
        return PLACEHOLDERS.sub("", self.text)


@dataclass(frozen=True)
class Unit:
    variants: tuple[Variant, ...]
    key: str | None = None  # tuid (TMX) / id; PO units are identified by context + msgid
    context: str | None = None  # PO msgctxt
    flags: tuple[str, ...] = ()  # PO flags: fuzzy, c-format...
    comments: tuple[str, ...] = ()  # translator comments (PO "# ")
    extracted: tuple[str, ...] = ()  # extracted comments (PO "#.")
    references: tuple[str, ...] = ()  # source references (PO "#:")
    previous: tuple[tuple[str, str], ...] = ()  # PO "#|" fields (msgctxt/msgid/msgid_plural)
    obsolete: bool = False
    props: tuple[tuple[str, str], ...] = ()  # TMX tu props (type, value), in order
    notes: tuple[str, ...] = ()
    created: str | None = None  # ISO 8601 UTC
    changed: str | None = None
    creator: str | None = None
    extra: tuple[tuple[str, str], ...] = field(default=())  # other attributes kept verbatim
    # The file says it is not to translate (XLIFF translate="no" on it or around it, an
    # SDL locked segment): analysis and pre-translation leave it alone. Read, not stored
    # (the XLIFF skeleton keeps the attribute).
    locked: bool = field(default=False, compare=False)
    # Where the unit starts in the file it was read from, for reports; not stored.
    line: int | None = field(default=None, compare=False)

    def variant(self, lang: str) -> Variant | None:
        return next((v for v in self.variants if v.lang == lang), None)

    def pair(self, source_lang: str, target_lang: str) -> tuple[Variant | None, Variant | None]:
        """The source and target variants of a language pair. A catalogue of a language
        into itself (an English en.po) holds its translation as a second variant of
        that language: the source is not its own translation."""
        source = self.variant(source_lang)
        if source_lang != target_lang:
            return source, self.variant(target_lang)
        same = [v for v in self.variants if v.lang == source_lang]
        return source, same[1] if len(same) > 1 else None
