"""Translation units as plain frozen dataclasses (never XML nodes or database rows).

A unit is TMX's ``tu`` or a PO entry: one variant per language. Inline markup (TMX
``bpt``/``ept``/``ph``/``it``/``ut``/``hi``/``sub``, XLIFF ``g``/``x``...) is kept
round-trippable: the variant text holds one placeholder character per inline code, in
order, and ``codes`` holds the codes themselves, so that checks and search see text while
writers restore the markup. Placeholders are the Unicode noncharacters U+FDD0..U+FDEF,
which are reserved for a program's internal use and never occur in real text; readers
refuse input containing them, and a segment with more than 32 inline codes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from corpora.placeholders import PLACEHOLDER_BASE, PLACEHOLDER_MAX, PLACEHOLDERS

__all__ = ["PLACEHOLDERS", "PLACEHOLDER_BASE", "PLACEHOLDER_MAX", "InlineCode", "Unit", "Variant"]


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
    # Where the unit starts in the file it was read from, for reports; not stored.
    line: int | None = field(default=None, compare=False)

    def variant(self, lang: str) -> Variant | None:
        return next((v for v in self.variants if v.lang == lang), None)
