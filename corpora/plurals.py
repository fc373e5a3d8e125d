"""Gettext plural rules: the rule a language gets when no catalogue gave one, and the
number of forms a ``Plural-Forms`` header declares.

Kept in corpora/ because both termbase/ and tm/ write PO. The rules are those of
gettext's table of languages (the manual's "Plural forms" section): a catalogue's own
header always wins over them.
"""

from __future__ import annotations

import gettext
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
_FORMS = re.compile(r"\s*nplurals\s*=\s*(\S+?)\s*;\s*plural\s*=\s*(.+?)\s*;?\s*$", re.S)
# msgfmt evaluates the expression for these n to find out-of-range forms (msgl-check.c)
_SAMPLE_N = range(1001)


def plural_rule(lang: str) -> str:
    """Gettext's rule for a language tag in Padan's normal form (zh, id, pt-BR...)."""
    return RULES.get(lang) or RULES.get(lang.split("-")[0]) or _TWO


def nplurals(plural_forms: str | None) -> int | None:
    """The number of forms a Plural-Forms value declares; None when it declares none."""
    m = _NPLURALS.search(plural_forms or "")
    return int(m.group(1)) if m else None


def plural_forms_fault(plural_forms: str) -> str | None:
    """What ``msgfmt -c`` would reject in a Plural-Forms value, or None when it is sound:
    a missing or non-positive nplurals, an expression that does not parse (C syntax, as
    gettext reads it), or one giving a form outside 0..nplurals-1 or dividing by zero."""
    m = _FORMS.match(plural_forms)
    if m is None:
        return f'Plural-Forms {plural_forms!r} is not "nplurals=INTEGER; plural=EXPRESSION;"'
    count, expression = m.groups()
    if not count.isdigit() or int(count) == 0:
        return f"invalid nplurals value {count!r} in Plural-Forms"
    try:
        rule = gettext.c2py(expression)  # the stdlib's parser of gettext's C expressions
    except (ValueError, RecursionError):
        return f"invalid plural expression {expression!r} in Plural-Forms"
    try:
        largest = max(rule(n) for n in _SAMPLE_N)
    except ZeroDivisionError:
        return f"plural expression {expression!r} can divide by zero"
    if largest >= int(count):
        return (
            f"nplurals = {count} but plural expression {expression!r} can produce "
            f"values as large as {largest}"
        )
    return None
