"""Review states across formats: one vocabulary, and each format's spelling of it.

A translation is in one of four states, from least to most trusted:

========================  ==========================  =========  ==========  ================
Padan                     XLIFF 1.2 target ``state``  XLIFF 2.0  PO          TMX tuv prop
========================  ==========================  =========  ==========  ================
``needs-review``          ``needs-review-translation``  initial  ``fuzzy``   ``x-state``
``translated``            ``translated``              translated  (no flag)  ``x-state``
``reviewed`` (confirmed)  ``signed-off``              reviewed   (no flag)   ``x-state``
``final``                 ``final``                   final      (no flag)   ``x-state``
========================  ==========================  =========  ==========  ================

Reading maps every state a file may hold to one of the four (1.2 ``new`` and ``needs-*``
targets, SDL's drafts and rejections, a 2.0 ``initial`` target and PO's ``fuzzy`` need
review; SDL's ``ApprovedTranslation`` is reviewed, ``ApprovedSignOff`` final). Writing
keeps the file's own spelling when it means the state the unit is in (a 1.2
``needs-review-l10n`` stays), else writes the format's spelling above. The state a
variant is in now rides as its prop ``x-state`` (what padan.export sets from the
workspace's review, and what a TMX carries); without one, the unit's own flags and
XLIFF state say it.
"""

from __future__ import annotations

from dataclasses import replace

from tm.model import Unit, Variant

NEEDS_REVIEW, TRANSLATED, REVIEWED, FINAL = "needs-review", "translated", "reviewed", "final"
ORDER = (NEEDS_REVIEW, TRANSLATED, REVIEWED, FINAL)  # least trusted first
STATE_PROP = "x-state"  # a variant's prop (a TMX tuv prop): its review state
XLIFF_STATE = "xliff:state"  # Unit.extra: the state as written (1.2 target, 2.0 segment)
SDL_CONF = "xliff:sdl-conf"  # Unit.extra: SDL's confirmation level of a segment

STATES_12 = frozenset(
    {"final", "needs-adaptation", "needs-l10n", "needs-review-adaptation"}
    | {"needs-review-l10n", "needs-review-translation", "needs-translation", "new"}
    | {"signed-off", "translated"}
)
STATES_20 = ("initial", "translated", "reviewed", "final")
# 1.2 states saying a target holds no translation yet, whatever text it has: Angular's
# extraction writes each new message so, its source copied into the target.
NOT_TRANSLATED_12 = frozenset({"new", "needs-translation"})
REVIEW_12 = frozenset(s for s in STATES_12 if s.startswith("needs-") or s == "new")
_READ = {
    **dict.fromkeys(REVIEW_12, NEEDS_REVIEW),
    "translated": TRANSLATED,
    "signed-off": REVIEWED,
    "final": FINAL,
    "initial": NEEDS_REVIEW,
    "reviewed": REVIEWED,
}
_SDL_READ = {
    "Draft": NEEDS_REVIEW,
    "RejectedTranslation": NEEDS_REVIEW,
    "RejectedSignOff": NEEDS_REVIEW,
    "Translated": TRANSLATED,
    "ApprovedTranslation": REVIEWED,
    "ApprovedSignOff": FINAL,
}
_12 = {NEEDS_REVIEW: "needs-review-translation", TRANSLATED: "translated"}
_12 |= {REVIEWED: "signed-off", FINAL: "final"}
_20 = {NEEDS_REVIEW: "initial", TRANSLATED: "translated", REVIEWED: "reviewed", FINAL: "final"}
_SDL = {NEEDS_REVIEW: "Draft", TRANSLATED: "Translated"}
_SDL |= {REVIEWED: "ApprovedTranslation", FINAL: "ApprovedSignOff"}


def _extra(unit: Unit) -> dict[str, str]:
    return dict(unit.extra) if unit.extra else {}


def read_state(unit: Unit) -> str:
    """The state of the unit's translation as its file gave it (flags, XLIFF state or SDL
    level); a unit from a file without states is translated."""
    if "fuzzy" in unit.flags:
        return NEEDS_REVIEW
    state = conf = ""
    for key, value in unit.extra:  # (a dict of an XLIFF unit's extras costs more)
        if key == XLIFF_STATE:
            state = value
        elif key == SDL_CONF:
            conf = value
    return _READ.get(state, _SDL_READ.get(conf, TRANSLATED))


def holds_no_translation(unit: Unit) -> bool:
    """The unit's file says its target is no translation yet (NOT_TRANSLATED_12); a draft
    for review (PO fuzzy, 1.2 needs-review-*, SDL Draft, 2.0 initial) does hold one."""
    return _extra(unit).get(XLIFF_STATE) in NOT_TRANSLATED_12


def state_of(unit: Unit, target: Variant | None) -> str:
    """The state the target variant is in: its ``x-state`` prop, else the unit's."""
    if target is not None:
        own = dict(target.props).get(STATE_PROP) if target.props else None
        if own in ORDER:
            return own
    return read_state(unit)


def with_state(variant: Variant, state: str | None) -> Variant:
    """The variant with its ``x-state`` prop set (None: removed)."""
    props = tuple(p for p in variant.props if p[0] != STATE_PROP)
    if state is not None:
        props += ((STATE_PROP, state),)
    return variant if props == variant.props else replace(variant, props=props)


def least(*states: str) -> str:
    return min(states, key=ORDER.index)


def state_12(unit: Unit, target: Variant | None = None) -> str:
    """The XLIFF 1.2 target state: as read when it means the state the target is in
    (custom ``x-`` states included), else the state's own spelling."""
    state = state_of(unit, target)
    read = _extra(unit).get(XLIFF_STATE, "")
    if (read in STATES_12 or read.startswith("x-")) and state == read_state(unit):
        return read
    return _12[state]


def state_20(unit: Unit, target: Variant | None = None) -> str:
    state = state_of(unit, target)
    read = _extra(unit).get(XLIFF_STATE, "")
    if read in STATES_20 and _READ[read] == state:
        return read
    return _20[state]


def sdl_conf(unit: Unit, target: Variant | None = None) -> str:
    state = state_of(unit, target)
    conf = _extra(unit).get(SDL_CONF, "")
    return conf if _SDL_READ.get(conf) == state else _SDL[state]


def changed(unit: Unit, target: Variant | None) -> bool:
    """The target's state is not the one its file gave (a writer filling the unit's own
    XLIFF element must then rewrite the element's state)."""
    return state_of(unit, target) != read_state(unit)
