"""A PO plural entry in TMX, which has no plural forms: each further form is a ``tu`` of
its own, right after the entry's.

As translate-toolkit's po2tmx writes them, the form ``i`` tu pairs the plural source
(msgid_plural) with each translation's form ``i`` (msgstr[i]), so that a CAT tool matches
the plural source too. Unlike po2tmx, a translation in a language with one form (Chinese,
Indonesian: msgstr[0] serves every number) is given for the plural source as well, its
tuv marked ``x-plural-form`` 0 (the same form again). The tu is marked ``x-plural-form``
``i``; reading folds such tus back into the entry before them (same context, same
source language), so that PO → TMX → PO keeps the entry whole. Other tools see ordinary
units with a user-defined prop.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace

from tm.model import Unit, Variant

PLURAL_PROP = "x-plural-form"


def forms_apart(unit: Unit, source_lang: str | None) -> list[Unit]:
    """The units of a plural entry's further forms (none for any other unit)."""
    source = next((v for v in unit.variants if v.lang == source_lang), None)
    if source is None or not source.plurals:
        return []
    targets = [v for v in unit.variants if v is not source]
    count = max([1, *(len(v.plurals) for v in targets)])
    out = []
    for form in range(1, count + 1):
        variants = [Variant(source.lang, source.plurals[0], props=source.props)]
        for v in targets:
            if len(v.plurals) >= form:
                variants.append(replace(v, text=v.plurals[form - 1], codes=(), plurals=()))
            elif not v.plurals:  # one form for every number: that form again
                variants.append(replace(v, plurals=(), props=(*v.props, (PLURAL_PROP, "0"))))
        out.append(
            Unit(
                variants=tuple(variants),
                context=unit.context,
                props=((PLURAL_PROP, str(form)),),
                created=unit.created,
                changed=unit.changed,
                creator=unit.creator,
            )
        )
    return out


def folded(units: Iterable[Unit]) -> Iterator[Unit]:
    """``units`` with each further-form unit (see :func:`forms_apart`) folded back into
    the entry before it; a marked unit that does not follow its entry stays a unit."""
    entry: Unit | None = None
    forms = 0  # the further forms folded into ``entry``
    for unit in units:
        form = _form(unit)
        if entry is not None and form == forms + 1 and _continues(entry, unit):
            entry, forms = _fold(entry, unit, form), form
            continue
        if entry is not None:
            yield entry
        entry, forms = unit, 0
    if entry is not None:
        yield entry


def _form(unit: Unit) -> int | None:
    value = next((v for k, v in unit.props if k == PLURAL_PROP), None)
    return int(value) if value is not None and value.isdigit() else None


def _continues(entry: Unit, unit: Unit) -> bool:
    return (
        entry.context == unit.context
        and bool(entry.variants)
        and entry.variants[0].lang == unit.variants[0].lang
        and len(unit.props) == 1
    )


def _fold(entry: Unit, unit: Unit, form: int) -> Unit:
    """``entry`` with the plural source (from form 1) and each translation's form."""
    source, *targets = unit.variants
    variants = list(entry.variants)
    if form == 1:
        variants[0] = replace(variants[0], plurals=(source.text,))
    for target in targets:
        at = next(
            (i for i, v in enumerate(variants) if i and v.lang == target.lang),
            None,
        )
        if at is None or (PLURAL_PROP, "0") in target.props:
            continue
        had = variants[at]
        variants[at] = replace(had, plurals=(*had.plurals, target.text))
    return replace(entry, variants=tuple(variants))
