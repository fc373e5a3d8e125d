"""The bundled corpus: five articles about open-source AI, listed in data/manifest.json."""

from __future__ import annotations

import json
from importlib.resources import files

from corpora.langtags import normalize
from corpora.model import Document
from corpora.segment import segment_text


def manifest() -> list[dict[str, str]]:
    entries: list[dict[str, str]] = json.loads(
        (files("corpora") / "data" / "manifest.json").read_text(encoding="utf-8")
    )
    return entries


def bundled_documents() -> list[Document]:
    """Every bundled article, segmented, with boilerplate flagged."""
    docs = []
    for entry in manifest():
        text = (files("corpora") / "data" / entry["file"]).read_text(encoding="utf-8")
        lang = normalize(entry["lang"])
        docs.append(
            Document(
                name=entry["id"],
                lang=lang,
                segments=tuple(segment_text(text, lang)),
                title=entry["title"],
                origin="bundled:" + entry["file"],
                notes=entry["notes"],
            )
        )
    return docs
