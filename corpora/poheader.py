"""The header every PO file Padan writes carries, term base glossary or memory export.

Kept in corpora/ because both termbase/ and tm/ write PO and may not import each other.
The fields are those `msgfmt -c` checks for, with the Language in gettext's form.
"""

from __future__ import annotations

from datetime import UTC, datetime

from corpora.langtags import to_po

PLURAL_FORMS = {
    "zh": "nplurals=1; plural=0;",
    "id": "nplurals=1; plural=0;",
    "en": "nplurals=2; plural=(n != 1);",
}


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
        "Plural-Forms": plural_forms
        or PLURAL_FORMS.get(target_lang.split("-")[0], "nplurals=2; plural=(n != 1);"),
        "X-Generator": "Padan",
    }
