"""Loading a plain-text document: read, guess the language if need be, segment."""

from __future__ import annotations

import re
from pathlib import Path

from corpora.errors import CorpusError
from corpora.langtags import normalize
from corpora.model import Document
from corpora.segment import segment_text
from corpora.textfile import read_text

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
_WORD = re.compile(r"[^\W\d_]+")
_FUNCTION_WORDS = {
    "id": frozenset("yang dan di dengan untuk tidak ini itu dari dalam ke akan pada juga".split()),
    "en": frozenset("the and of to is in that for it with as was on are be this".split()),
}


def guess_language(text: str) -> str | None:
    """zh when Han characters dominate the letters, else id or en by function words."""
    sample = text[:20000]
    letters = sum(1 for ch in sample if ch.isalpha())
    if letters and len(_HAN.findall(sample)) / letters > 0.3:
        return "zh"
    words = [w.lower() for w in _WORD.findall(sample)]
    scores = {lang: sum(w in fw for w in words) for lang, fw in _FUNCTION_WORDS.items()}
    best = max(scores, key=lambda lang: scores[lang])
    others = [v for lang, v in scores.items() if lang != best]
    if scores[best] >= 3 and scores[best] >= 2 * max(others):
        return best
    return None


def load_document(
    path: str | Path,
    lang: str | None = None,
    encoding: str | None = None,
    name: str | None = None,
) -> Document:
    """Read a text file as a segmented document named after the file."""
    path = Path(path)
    text = read_text(path, encoding)
    if not text.strip():
        raise CorpusError(
            "empty file: no text to import" if not text else "no text, only white space",
            path=path,
            hint="give a file with text in it",
        )
    language = normalize(lang) if lang else guess_language(text)
    if language is None:
        raise CorpusError("cannot tell the language of this text", path=path, hint="give --lang")
    return Document(
        name=name or path.stem,
        lang=language,
        segments=tuple(segment_text(text, language)),
        origin=str(path),
    )
