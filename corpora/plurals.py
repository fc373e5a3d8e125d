"""Gettext plural rules: the rule a language gets when no catalogue gave one, and the
number of forms a ``Plural-Forms`` header declares.

Kept in corpora/ because both termbase/ and tm/ write PO. The rules are those of
gettext's table of languages (the manual's "Plural forms" section): a catalogue's own
header always wins over them.
"""

from __future__ import annotations

import re

_ONE = "nplurals=1; plural=0;"
_TWO = "nplurals=2; plural=(n != 1);"
_EAST_SLAVIC = (
    "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : "
    "n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);"
)
RULES: dict[str, str] = {
    **dict.fromkeys(("zh", "ja", "ko", "vi", "th", "id", "ms", "lo", "km", "my"), _ONE),
    **dict.fromkeys(("fr", "pt-BR", "fil", "tl"), "nplurals=2; plural=(n > 1);"),
    **dict.fromkeys(("ru", "uk", "be", "sr", "hr", "bs"), _EAST_SLAVIC),
    **dict.fromkeys(("cs", "sk"), "nplurals=3; plural=(n==1) ? 0 : (n>=2 && n<=4) ? 1 : 2;"),
    "pl": "nplurals=3; plural=(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);",
}
_NPLURALS = re.compile(r"nplurals\s*=\s*(\d+)")


def plural_rule(lang: str) -> str:
    """Gettext's rule for a language tag in Padan's normal form (zh, id, pt-BR...)."""
    return RULES.get(lang) or RULES.get(lang.split("-")[0]) or _TWO


def nplurals(plural_forms: str | None) -> int | None:
    """The number of forms a Plural-Forms value declares; None when it declares none."""
    m = _NPLURALS.search(plural_forms or "")
    return int(m.group(1)) if m else None
