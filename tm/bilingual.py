"""Source/target text pairs from bilingual files, for parallel term alignment.

PO/POT (polib: translated, non-fuzzy, non-obsolete entries, singular and plural forms),
TMX (every ``tu`` with a variant in both languages; inline markup dropped, its text
kept), and two line-aligned plain-text files given as ``SOURCE.txt:TARGET.txt``.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from corpora.errors import CorpusError
from corpora.langtags import normalize
from corpora.textfile import read_text
from tm.errors import TMError

_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def read_pairs(spec: str, source_lang: str, target_lang: str) -> list[tuple[str, str]]:
    """The (source, target) pairs in a PO, TMX, or ``a.txt:b.txt`` pair of text files."""
    if ":" in spec and not Path(spec).exists():
        left, right = spec.split(":", 1)
        return _text_pairs(Path(left), Path(right))
    path = Path(spec)
    suffix = path.suffix.lower()
    if suffix in (".po", ".pot"):
        return _po_pairs(path)
    if suffix == ".tmx":
        return _tmx_pairs(path, normalize(source_lang), normalize(target_lang))
    raise TMError(
        "cannot read translation units from this kind of file",
        path=path,
        hint="give a .po, .tmx, or two line-aligned text files as SOURCE.txt:TARGET.txt",
    )


def _po_pairs(path: Path) -> list[tuple[str, str]]:
    import polib

    if not path.is_file():
        raise TMError("file not found", path=path)
    try:
        catalog = polib.pofile(str(path))
    except (OSError, ValueError) as exc:
        raise TMError(f"not a readable PO file: {exc}", path=path) from exc
    pairs: list[tuple[str, str]] = []
    for entry in catalog.translated_entries():
        if entry.msgid_plural:
            forms = [entry.msgstr_plural[k] for k in sorted(entry.msgstr_plural)]
            pairs.append((entry.msgid, forms[0]))
            pairs.extend((entry.msgid_plural, form) for form in forms[1:])
        else:
            pairs.append((entry.msgid, entry.msgstr))
    return pairs


def _tmx_pairs(path: Path, source: str, target: str) -> list[tuple[str, str]]:
    from corpora.safexml import parse_xml

    tree = parse_xml(path)
    pairs: list[tuple[str, str]] = []
    for tu in tree.getroot().iter("tu"):
        texts: dict[str, str] = {}
        for tuv in tu.iter("tuv"):
            lang = tuv.get(_XML_LANG) or tuv.get("lang")
            seg = tuv.find("seg")
            if lang is None or seg is None:
                continue
            try:
                texts.setdefault(normalize(lang), "".join(_seg_text(seg)))
            except CorpusError as exc:
                raise TMError(exc.message, path=path, line=tuv.sourceline) from exc
        if source in texts and target in texts:
            pairs.append((texts[source], texts[target]))
    return pairs


def _seg_text(element) -> Iterable[str]:  # type: ignore[no-untyped-def]
    """The text of a TMX seg: its own text and that of sub-flows, without the native codes."""
    if element.text and element.tag in ("seg", "sub", "hi"):
        yield element.text
    for child in element:
        if child.tag in ("sub", "hi"):
            yield from _seg_text(child)
        if child.tail:
            yield child.tail


def _text_pairs(left: Path, right: Path) -> list[tuple[str, str]]:
    a = read_text(left).split("\n")
    b = read_text(right).split("\n")
    while a and not a[-1].strip():
        a.pop()
    while b and not b[-1].strip():
        b.pop()
    if len(a) != len(b):
        raise TMError(
            f"the two files are not line-aligned ({len(a)} lines against {len(b)} in {right})",
            path=left,
            line=min(len(a), len(b)) + 1,
        )
    return [(x, y) for x, y in zip(a, b, strict=True) if x.strip() and y.strip()]
