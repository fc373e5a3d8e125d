"""Writing TBX v3 in the TBX-Basic dialect, DCA style (ISO 30042:2019), or on request
the same as TBX v2 (``martif``, ISO 30042:2008), the one older tools read.

The output validates against the TBX core structure RNG and the TBX-Basic DCA
schematron. TBX-Basic has no data category for some things Padan keeps, so they travel
as notes on the term, which any TBX tool shows to a person and Padan reads back:

- a *forbidden* term is written ``deprecatedTerm-admn-sts`` (the nearest status
  TBX-Basic allows) with the note ``padan:forbidden``;
- a replacement is the note ``padan:replacement=TEXT``.

Parts of speech are matched without regard to case ("Noun" is a noun); those outside
TBX-Basic's list (adjective, noun, other, verb, adverb) are written as ``other``, except
``properNoun`` which is a ``noun``; the value itself then travels as the note
``padan:partOfSpeech=VALUE``. A language with a script subtag keeps it (zh-Hant,
sr-Latn); Simplified Chinese, Indonesian and English get their usual regions. An empty
term base is a TBX whose ``text`` has no ``body`` (the core schema wants a body to hold
at least one concept).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from lxml import etree

from corpora.atomicfile import atomic_write
from corpora.langtags import to_xml_lang
from corpora.safexml import first_illegal
from termbase.errors import TermbaseError
from termbase.model import Concept, Status, Term

NS = "urn:iso:std:iso:30042:ed-2"
FORBIDDEN_NOTE = "padan:forbidden"
REPLACEMENT_NOTE = "padan:replacement="
POS_NOTE = "padan:partOfSpeech="
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_STATUS = {
    Status.PREFERRED: "preferredTerm-admn-sts",
    Status.ADMITTED: "admittedTerm-admn-sts",
    Status.DEPRECATED: "deprecatedTerm-admn-sts",
    Status.FORBIDDEN: "deprecatedTerm-admn-sts",
}
_POS = {"adjective", "noun", "other", "verb", "adverb"}
_SCHEMAS = (  # where validators find the schemas, as in the LTAC samples
    'href="https://raw.githubusercontent.com/LTAC-Global/TBX_Core_RNG/master/'
    'TBXcoreStructV03.rng" type="application/xml" '
    'schematypens="http://relaxng.org/ns/structure/1.0"',
    'href="https://raw.githubusercontent.com/LTAC-Global/TBX-Basic_dialect/master/'
    'DCA/TBX-Basic_DCA.sch" type="application/xml" '
    'schematypens="http://purl.oclc.org/dsdl/schematron"',
)
_XML_NAME = re.compile(r"^[A-Za-z_][\w.-]*$")


def _el(
    parent: etree._Element,
    name: str,
    text: str | None = None,
    attrs: dict[str, str] | None = None,
    **kw: str,
) -> etree._Element:
    element = etree.SubElement(parent, f"{{{NS}}}{name}", {**(attrs or {}), **kw})
    if text is not None:
        element.text = text
    return element


def _checked(text: str, where: str) -> str:
    bad = first_illegal(text)
    if bad:
        raise TermbaseError(
            f"{where} holds the character {bad}, which XML cannot carry",
            hint="remove the control character from the term base",
        )
    return text


def _pos(pos: str) -> str:
    key = pos.strip().lower()
    if key in _POS:
        return key
    return "noun" if key in ("propernoun", "proper noun") else "other"


def xml_lang(lang: str) -> str:
    """How a language is written in xml:lang: its script kept (zh-Hant, not zh-TW)."""
    if any(len(p) == 4 and p.isalpha() for p in lang.split("-")[1:]):
        return lang
    return to_xml_lang(lang)


def _concept_ids(concepts: list[Concept]) -> list[str]:
    """Valid, unique XML ids: the concept's own where it is one, else c1, c2..."""
    used: set[str] = set()
    ids = []
    for i, c in enumerate(concepts, 1):
        cid = c.id if c.id and _XML_NAME.match(c.id) and c.id not in used else f"c{i}"
        while cid in used:
            cid += "_"
        used.add(cid)
        ids.append(cid)
    return ids


def _term_sec(lang_sec: etree._Element, term: Term, where: str) -> None:
    sec = _el(lang_sec, "termSec")
    _el(sec, "term", _checked(term.text, where))
    if term.pos:
        _el(sec, "termNote", _pos(term.pos), type="partOfSpeech")
    _el(sec, "termNote", _STATUS[term.status], type="administrativeStatus")
    for ctx in term.contexts:
        _el(sec, "descrip", _checked(ctx.text, where), type="context")
    _notes(sec, term.note, where)
    if term.status is Status.FORBIDDEN:
        _el(sec, "note", FORBIDDEN_NOTE)
    if term.replacement:
        _el(sec, "note", REPLACEMENT_NOTE + _checked(term.replacement, where))
    if term.pos and _pos(term.pos) != term.pos.strip().lower():
        _el(sec, "note", POS_NOTE + _checked(term.pos.strip(), where))


def _notes(parent: etree._Element, note: str | None, where: str) -> None:
    """A note line by line, one ``note`` each: tbx_read joins a level's notes with line
    breaks and reads the breaks inside one as spaces (layout)."""
    for line in (note or "").splitlines():
        if line.strip():
            _el(parent, "note", _checked(line.strip(), where))


def build_tbx(concepts: Iterable[Concept], source_lang: str = "en") -> etree._ElementTree:
    root = _tbx_root(list(concepts), source_lang)
    tree = etree.ElementTree(root)
    for pi in _SCHEMAS:
        root.addprevious(etree.ProcessingInstruction("xml-model", pi))
    return tree


def _tbx_root(concepts: list[Concept], source_lang: str) -> etree._Element:
    root = etree.Element(
        f"{{{NS}}}tbx",
        {"type": "TBX-Basic", "style": "dca", _XML_LANG: xml_lang(source_lang)},
        nsmap={None: NS},
    )
    header = _el(root, "tbxHeader")
    file_desc = _el(header, "fileDesc")
    _el(_el(file_desc, "sourceDesc"), "p", "Exported by Padan")
    text = _el(root, "text")
    body = _el(text, "body") if concepts else text
    for cid, concept in zip(_concept_ids(concepts), concepts, strict=True):
        where = f"concept {cid}"
        entry = _el(body, "conceptEntry", id=cid)
        if concept.subject:
            _el(entry, "descrip", _checked(concept.subject, where), type="subjectField")
        if concept.definition:
            # prose: a reader takes its line breaks for layout, as tbx_read does
            definition = " ".join(concept.definition.split())
            _el(entry, "descrip", _checked(definition, where), type="definition")
        _notes(entry, concept.note, where)
        for lang in concept.languages():
            lang_sec = _el(entry, "langSec", attrs={_XML_LANG: xml_lang(lang)})
            for term in concept.terms_in(lang):
                _term_sec(lang_sec, term, where)
    return root


# TBX v2 (ISO 30042:2008, LISA's TBX-Basic): the same structure under other names, in no
# namespace. Older tools read only this one (translate-toolkit, OmegaT, most CAT tools).
_V2_NAMES = {
    "tbx": "martif",
    "tbxHeader": "martifHeader",
    "conceptEntry": "termEntry",
    "langSec": "langSet",
    "termSec": "tig",
}


def build_tbx_v2(concepts: Iterable[Concept], source_lang: str = "en") -> etree._ElementTree:
    """The TBX v2 ``martif`` form of :func:`build_tbx`, without its v3 schema links."""
    root = _tbx_root(list(concepts), source_lang)
    for element in root.iter(etree.Element):
        name = etree.QName(element).localname
        element.tag = _V2_NAMES.get(name, name)
    del root.attrib["style"]
    etree.cleanup_namespaces(root)
    return etree.ElementTree(root)


def write_tbx(
    concepts: Iterable[Concept], path: str | Path, *, source_lang: str = "en", version: int = 3
) -> int:
    """Write concepts as TBX-Basic (v3, or v2 for older tools) to ``path`` atomically;
    returns how many were written."""
    concepts = list(concepts)
    tree = (build_tbx_v2 if version == 2 else build_tbx)(concepts, source_lang)
    with atomic_write(path, encoding=None) as f:
        tree.write(f, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return len(concepts)
