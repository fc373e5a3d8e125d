"""The header of a PO file: the fields every file Padan writes carries (term base
glossary or memory export), and the header text as ordered ``Name: value`` fields.

Kept in corpora/ because both termbase/ and tm/ write PO and may not import each other.
The fields are those `msgfmt -c` checks for, with the Language in gettext's form.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from corpora.langtags import to_po
from corpora.plurals import plural_rule

_CHARSET = re.compile(r"(charset\s*=\s*)[^\s;]+", re.I)


def po_metadata(project: str, target_lang: str, plural_forms: str | None = None) -> dict[str, str]:
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M+0000")
    language = to_po(target_lang)
    return {
        "Project-Id-Version": project,
        "POT-Creation-Date": now,
        "PO-Revision-Date": now,
        "Last-Translator": "Padan",
        "Language-Team": language,
        "Language": language,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": plural_forms or plural_rule(target_lang),
        "X-Generator": "Padan",
    }


def header_fields(text: str) -> list[tuple[str, str]]:
    """The ``Name: value`` lines of a header msgstr, in order (other lines are dropped,
    as gettext's own header parsing ignores them)."""
    fields = []
    for line in text.split("\n"):
        name, colon, value = line.partition(":")
        if colon and name.strip():
            fields.append((name.strip(), value.strip()))
    return fields


def header_text(fields: list[tuple[str, str]]) -> str:
    return "".join(f"{name}: {value}\n" for name, value in fields)


def with_field(text: str, name: str, value: str) -> str:
    """The header text with field ``name`` set to ``value`` (in place, or added last);
    the other lines are kept as they are."""
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if line.partition(":")[0].strip().lower() == name.lower():
            lines[i] = f"{name}: {value}"
            return "\n".join(lines)
    if text and not text.endswith("\n"):
        text += "\n"
    return f"{text}{name}: {value}\n"


def field_value(text: str, name: str) -> str | None:
    for key, value in header_fields(text):
        if key.lower() == name.lower():
            return value
    return None


def utf8_content_type(text: str) -> str:
    """The header text declaring UTF-8, the charset Padan writes every PO file in."""
    content_type = field_value(text, "Content-Type")
    if content_type is None:
        return with_field(text, "Content-Type", "text/plain; charset=UTF-8")
    if _CHARSET.search(content_type):
        return with_field(text, "Content-Type", _CHARSET.sub(r"\g<1>UTF-8", content_type))
    return with_field(text, "Content-Type", content_type + "; charset=UTF-8")
