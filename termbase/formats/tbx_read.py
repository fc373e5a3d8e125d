"""Reading TBX: v3 (ISO 30042:2019, DCA and DCT styles) and v2 / LISA martif (tig, ntig).

The structure is the same in every version, under different names:

    v3  tbx/text/body/conceptEntry/langSec/termSec/term
    v2  martif/text/body/termEntry/langSet/(tig | ntig/termGrp)/term

Data categories are ``termNote``/``descrip`` elements with a ``type`` in the DCA style,
and elements named after the category in the DCT style (``<basic:partOfSpeech>``). Padan's
own notes (see tbx_write) bring back the forbidden status and replacements.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from lxml import etree

from corpora.errors import CorpusError
from corpora.langtags import normalize
from corpora.safexml import local_name, parse_xml
from termbase.errors import TermbaseError
from termbase.formats.registry import TermFormat, register
from termbase.formats.tbx_write import FORBIDDEN_NOTE, POS_NOTE, REPLACEMENT_NOTE, write_tbx
from termbase.model import Concept, Context, Status, Term

_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_STATUS = {
    "preferredterm-admn-sts": Status.PREFERRED,
    "preferred": Status.PREFERRED,
    "admittedterm-admn-sts": Status.ADMITTED,
    "admitted": Status.ADMITTED,
    "deprecatedterm-admn-sts": Status.DEPRECATED,
    "supersededterm-admn-sts": Status.DEPRECATED,
    "deprecated": Status.DEPRECATED,
    "obsolete": Status.DEPRECATED,
    "superseded": Status.DEPRECATED,
    "forbidden": Status.FORBIDDEN,
    "notrecommended": Status.DEPRECATED,
    # normativeAuthorization (TBX v2)
    "preferredterm": Status.PREFERRED,
    "admittedterm": Status.ADMITTED,
    "deprecatedterm": Status.DEPRECATED,
    "supersededterm": Status.DEPRECATED,
}
_STATUS_TYPES = ("administrativeStatus", "normativeAuthorization")


def read_tbx(path: str | Path) -> list[Concept]:
    """Every concept of a TBX file, v2 or v3."""
    try:
        root = parse_xml(path).getroot()
    except CorpusError as exc:
        raise TermbaseError(
            exc.message, path=exc.path, line=exc.line, column=exc.column, hint=exc.hint
        ) from exc
    if local_name(root) not in ("tbx", "martif"):
        raise TermbaseError(
            f"not a TBX file: the root element is <{local_name(root)}>",
            path=path,
            line=root.sourceline,
            hint="TBX files start with <tbx> (v3) or <martif> (v2)",
        )
    default_lang = root.get(_XML_LANG) or root.get("lang")
    # lxml picks the entries by name ({*}: in any namespace or none), not Python
    entries = root.iter("{*}conceptEntry", "{*}termEntry")
    concepts = [_concept(entry, Path(path), default_lang) for entry in entries]
    texts = [e for e in root if local_name(e) == "text"]
    if not concepts and texts and not any(local_name(e) == "body" for e in texts[0]):
        return []  # an empty term base, as tbx_write writes it
    if not concepts:
        raise TermbaseError(
            "no <termEntry> or <conceptEntry>: the file holds no concepts",
            path=path,
            line=root.sourceline,
            hint="check that this is the file you meant",
        )
    return concepts


def _children(element: etree._Element, *names: str) -> list[etree._Element]:
    return [c for c in element if local_name(c) in names]


def _text(element: etree._Element) -> str:
    if not len(element):  # text alone, as most are: no iterator to make
        return " ".join((element.text or "").split())
    return " ".join("".join(element.itertext()).split())


def _category(element: etree._Element) -> str | None:
    """The data category of an element: its type (DCA) or its own name (DCT)."""
    name = local_name(element)
    if name in ("termNote", "descrip", "admin", "ref", "xref", "transac", "transacNote"):
        kind = element.get("type")
        return None if kind is None else str(kind)
    return name


def _categories(holder: etree._Element) -> list[tuple[str, etree._Element]]:
    """(category, element) of the data categories of a level, including those in *Grp."""
    out = []
    for child in holder:
        name = local_name(child)
        if name.endswith("Grp") and name not in ("termGrp", "transacGrp"):
            out += [(c, e) for c, e in _categories(child) if c]
        elif name not in ("langSec", "langSet", "termSec", "tig", "ntig", "term", "termGrp"):
            category = _category(child)
            if category:
                out.append((category, child))
    return out


def _concept(entry: etree._Element, path: Path, default_lang: str | None) -> Concept:
    subject = definition = None
    notes = []
    for category, element in _categories(entry):
        if category == "subjectField":
            subject = _text(element)
        elif category == "definition" and definition is None:
            definition = _text(element)
        elif category == "note":
            notes.append(_text(element))
    terms: list[Term] = []
    for lang_sec in _children(entry, "langSec", "langSet"):
        lang_tag = lang_sec.get(_XML_LANG) or lang_sec.get("lang") or default_lang
        if not lang_tag:
            raise TermbaseError(
                f"<{local_name(lang_sec)}> without xml:lang",
                path=path,
                line=lang_sec.sourceline,
                hint='add the language, e.g. xml:lang="id"',
            )
        try:
            lang = normalize(lang_tag)
        except CorpusError as exc:
            raise TermbaseError(
                exc.message, path=path, line=lang_sec.sourceline, hint=exc.hint
            ) from exc
        for category, element in _categories(lang_sec):
            if category == "definition" and definition is None:
                definition = _text(element)
        for bare in _children(lang_sec, "term"):
            raise TermbaseError(
                f"<term> directly inside <{local_name(lang_sec)}>",
                path=path,
                line=bare.sourceline,
                hint="put it in a <tig> (TBX v2) or a <termSec> (TBX v3)",
            )
        for term_sec in _children(lang_sec, "termSec", "tig", "ntig"):
            term = _term(term_sec, lang, path)
            if term is not None:
                terms.append(term)
    if not terms:
        raise TermbaseError(
            f"<{local_name(entry)}> without any term",
            path=path,
            line=entry.sourceline,
            hint="each entry needs at least one <term> with text",
        )
    return Concept(
        id=entry.get("id"),
        terms=tuple(terms),
        subject=subject,
        definition=definition,
        note="\n".join(notes) or None,
    )


def _term(term_sec: etree._Element, lang: str, path: Path) -> Term | None:
    holder = term_sec
    if local_name(term_sec) == "ntig":
        groups = _children(term_sec, "termGrp")
        holder = groups[0] if groups else term_sec
    term_elements = _children(holder, "term")
    if not term_elements:
        return None
    text = _text(term_elements[0])
    if not text:
        return None
    status, pos, replacement, forbidden = Status.PREFERRED, None, None, False
    own_pos = None  # a part of speech TBX-Basic has no value for
    notes: list[str] = []
    contexts: list[Context] = []
    pairs = _categories(holder) + (_categories(term_sec) if holder is not term_sec else [])
    for category, element in pairs:
        value = _text(element)
        if category in _STATUS_TYPES:
            status = _STATUS.get(value.lower().replace(" ", ""), Status.ADMITTED)
        elif category == "partOfSpeech":
            pos = value
        elif category == "context":
            contexts.append(Context(value, str(path.name)))
        elif category == "note":
            if value == FORBIDDEN_NOTE:
                forbidden = True
            elif value.startswith(REPLACEMENT_NOTE):
                replacement = value[len(REPLACEMENT_NOTE) :]
            elif value.startswith(POS_NOTE):
                own_pos = value[len(POS_NOTE) :]
            else:
                notes.append(value)
    return Term(
        text=text,
        lang=lang,
        status=Status.FORBIDDEN if forbidden else status,
        replacement=replacement,
        pos=own_pos or pos,
        note="\n".join(notes) or None,
        contexts=tuple(contexts),
    )


# TBX registers here, reader and writer: a term base of any languages, so the --from and
# --to of a command do not narrow what is read, and the export needs no target language.
def _read(path: str | Path, source_lang: str | None, target_lang: str | None) -> list[Concept]:
    return read_tbx(path)


def _write(
    concepts: Sequence[Concept], path: str | Path, source_lang: str, target_lang: str | None
) -> int:
    return write_tbx(concepts, path, source_lang=source_lang)


def _sniff(head: bytes) -> bool:
    # UTF-8 or UTF-16 (the root's name with NUL bytes between its letters)
    return any(
        root in head for root in (b"<tbx", b"<martif", b"<\x00t\x00b\x00x", b"<\x00m\x00a\x00r")
    )


register(TermFormat("tbx", (".tbx",), _read, _write, _sniff))
