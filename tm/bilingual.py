"""Source/target text pairs for parallel term alignment.

From any translation-memory file (PO, MO, TMX, XLIFF: see tm.files), every unit with a
variant in both languages and both texts non-empty; or from two line-aligned plain-text
files given as ``SOURCE.txt:TARGET.txt``.
"""

from __future__ import annotations

from pathlib import Path

from corpora.langtags import normalize
from corpora.textfile import read_text
from tm.errors import TMError
from tm.files import is_unit_file, read_units


def read_pairs(spec: str, source_lang: str, target_lang: str) -> list[tuple[str, str]]:
    """The (source, target) pairs of a memory file or of ``a.txt:b.txt``."""
    if ":" in spec and not Path(spec).exists():
        left, right = spec.split(":", 1)
        return _text_pairs(Path(left), Path(right))
    if not is_unit_file(spec):
        raise TMError(
            "cannot read translation units from this kind of file",
            path=spec,
            hint="give a .po, .mo, .tmx or .xlf file, or two line-aligned text files as "
            "SOURCE.txt:TARGET.txt",
        )
    src, tgt = normalize(source_lang), normalize(target_lang)
    found = read_units(spec, source_lang=src, target_lang=tgt)
    pairs = []
    for unit in found.units:
        source, target = unit.pair(src, tgt)
        if source and target and source.text and target.text and not unit.obsolete:
            pairs.append((source.plain(), target.plain()))
            pairs.extend(zip(source.plurals, target.plurals, strict=False))
    return pairs


def _text_pairs(left: Path, right: Path) -> list[tuple[str, str]]:
    a = read_text(left).rstrip("\n").split("\n")
    b = read_text(right).rstrip("\n").split("\n")
    if len(a) != len(b):
        raise TMError(
            f"the two files are not line-aligned ({len(a)} lines against {len(b)} in {right})",
            path=left,
            line=min(len(a), len(b)) + 1,
        )
    return [(x, y) for x, y in zip(a, b, strict=True) if x.strip() and y.strip()]
