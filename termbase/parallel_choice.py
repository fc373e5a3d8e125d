"""Choosing among the targets linked to a term in parallel text (see align_parallel).

Competitive linking counts, unit by unit, which target span a term was linked to. Two
kinds of span need a second look over all of the term's units:

- **A span nested in a longer one.** jieba cuts 包索引 as 包/索引 and 哈希值 as 哈希/值, so
  the shorter span often wins the link. When nearly every unit that linked the short
  span has it inside the same longer candidate (every occurrence of 索引 there is in
  包索引), the translators wrote the longer one: the links move to it (C-value's
  containment, checked over the occurrences rather than counted). A unit where the
  longer candidate holds the translation of a source word next to the term (桌面文件 of
  "desktop file") is a compound translated as one, and says nothing either way; the
  longer candidate must be nearly as associated with the term as the short one.
- **The source word kept as it is.** git's zh_CN writes `git rebase` as it is, a command
  name, and 变基 in prose. A Latin span in a Han-script target that is the term itself is
  strong evidence that the unit is accounted for, but not of a translation: it ranks
  behind a Han rendering unless it has KEPT_WEIGHT⁻¹ times its links.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Collection, Sequence

from corpora.tokenize import has_han

_CODE_CHAR = re.compile(r"[A-Za-z0-9_./\- ]")
EXTEND_SHARE = 0.8  # of the short span's linked units that must show the longer one
EXTEND_STRENGTH = 0.8  # of the short span's association with the term the longer must have
KEPT_WEIGHT = 0.5
ATTRIBUTIVE_SHARE = 0.9  # of a rendering's occurrences before a Han word that take 的
ATTRIBUTIVE_MIN = 3


def extend_nested(
    linked: dict[str, float],
    shown: dict[str, list[int]],
    targets: Sequence[str],
    candidates: Callable[[int], Collection[str]],
    joined: Callable[[int, Collection[str]], Collection[str]],
    wordlike: Callable[[str, Collection[int]], bool],
    strength: Callable[[str, str | None], float],
) -> None:
    """Move the links of a Han span to the longer candidate that holds it in nearly every
    unit where it was linked. ``shown`` maps a key to those units; ``candidates(u)`` gives
    unit ``u``'s candidate keys and ``joined(u, keys)`` those of ``keys`` that hold the
    translation of a source word next to the term. A unit where the span is inside one of
    the latter says nothing either way (父目录 of "parent directory" for 父 vs 父提交);
    only a longer candidate ``wordlike`` in the units that write it qualifies (not 法派生
    of 无法派生). A unit writing the longer one with the attributive 的 between the span
    and the rest (不可达的对象 for 不可达对象) holds it too: the particle is syntax, not part
    of the term; ``strength(key, that form)`` then counts both forms. Both mappings are
    changed in place."""
    for short in sorted(linked, key=len):
        units = shown.get(short, [])
        if short not in linked or not has_han(short) or len(units) < 2:
            continue
        nests = {u: _nesting(short, targets[u], candidates(u)) for u in set(units)}
        tally = Counter(k for keys in nests.values() for k in keys)
        floor = _needed(set(nests), set(nests))
        de = [u for u in nests if short + "的" in targets[u] or "的" + short in targets[u]]
        if not any(n + len(de) >= floor for n in tally.values()):
            continue  # no longer candidate is common enough, whatever the neighbours
        written: dict[int, Collection[str]] = dict(nests)  # keys a unit writes as such
        if de:
            written = {u: set(keys) for u, keys in nests.items()}
            wanted = [k for k, n in tally.items() if n + len(de) >= floor]
            _add_attributive(short, {u: nests[u] for u in de}, wanted, targets)
            tally = Counter(k for keys in nests.values() for k in keys)
        holding: dict[str, set[int]] = {}
        compound: set[int] = set()
        for u, keys in nests.items():
            held = set(joined(u, written[u])) if written[u] else set()
            for longer in keys:
                if longer not in held:
                    holding.setdefault(longer, set()).add(u)
            if held:
                compound.add(u)
        fitting = [
            (len(us), len(k), k)
            for k, us in holding.items()
            if len(us) >= _needed(set(nests), compound - us)
            and (lit := [u for u in us if k in written[u]])
            and wordlike(k, lit)
            and strength(k, _with_de(short, k) if len(lit) < len(us) else None)
            >= EXTEND_STRENGTH * strength(short, None)
        ]
        if not fitting:
            continue
        _, _, longer = max(fitting)
        moved = [u for u in units if u in holding[longer]]
        share = linked[short] * len(moved) / len(units)
        linked[longer] = linked.get(longer, 0.0) + share
        shown[longer] = shown.get(longer, []) + [u for u in moved if longer in written[u]]
        if len(moved) == len(units):
            del linked[short], shown[short]
        else:
            linked[short] -= share
            shown[short] = [u for u in units if u not in holding[longer]]


def shrink_compound(
    linked: dict[str, float],
    shown: dict[str, list[int]],
    targets: Sequence[str],
    term_units: Sequence[int],
    holders: Callable[[str], list[int]],
    beside: Callable[[int, str], bool],
    first: int,
) -> None:
    """Move the links of a Han span (one of the ``first`` most linked) to a part of it
    that nearly every one of the term's units holds, where the rest of the span
    translates a source word next to the term (``beside(u, rest)``): 多包索引链 linked
    for "chain" in "multi-pack-index chain" is the neighbour's 索引 and the term's 链,
    which the term's other units (提交图链, 增量链, 链长) share. The longer span must be
    in at most half of the term's units, the part in EXTEND_SHARE of them, and a
    candidate in some: ``holders(part)`` gives those units, which then show the part.
    Both mappings are changed in place."""
    if len(term_units) < 2:
        return
    texts: list[str] = []
    for long in sorted(sorted(linked, key=linked.__getitem__)[-first:], key=len, reverse=True):
        units = shown.get(long, [])
        if long not in linked or len(long) < 2 or not has_han(long) or len(units) < 2:
            continue
        texts = texts or [targets[u] for u in term_units]
        if 2 * sum(long in t for t in texts) > len(texts):
            continue
        common = [
            (held, len(part), part, rest)
            for i in range(1, len(long))
            for part, rest in ((long[i:], long[:i]), (long[:i], long[i:]))
            if has_han(part)
            and (held := sum(part in t for t in texts)) >= EXTEND_SHARE * len(texts)
        ]
        for _, _, part, rest in sorted(common, reverse=True):
            if 2 * sum(beside(u, rest) for u in units) < len(units):
                continue
            showing = holders(part)
            if showing:
                linked[part] = linked.get(part, 0.0) + linked.pop(long)
                del shown[long]
                shown[part] = shown.get(part, []) + [
                    u for u in showing if u not in shown.get(part, [])
                ]
                break


def _with_de(short: str, longer: str) -> str | None:
    """``longer`` with 的 between ``short`` and the rest, where ``short`` begins or ends
    it: 不可达的对象 for 不可达 in 不可达对象, 不可达的对象 for 对象 too."""
    if longer.startswith(short):
        return short + "的" + longer[len(short) :]
    if longer.endswith(short):
        return longer[: -len(short)] + "的" + short
    return None


def _add_attributive(
    short: str, nests: dict[int, list[str]], longer: Collection[str], targets: Sequence[str]
) -> None:
    """Add to the units' nests those ``longer`` keys written there with 的 (see
    extend_nested), where every occurrence of ``short`` is in one of the two forms."""
    forms = [(k, v) for k in longer if (v := _with_de(short, k)) and v != short + "的"]
    for u, keys in nests.items():
        text = targets[u]
        for key, form in forms:
            if (
                form in text
                and key not in keys
                and text.count(form) + text.count(key) == text.count(short)
            ):
                keys.append(key)


def _nesting(short: str, text: str, keys: Collection[str]) -> list[str]:
    """The keys holding ``short`` at each of its occurrences in ``text``."""
    count = text.count(short)
    return [k for k in keys if short in k and k != short and text.count(k) == count]


def _needed(units: set[int], silent: set[int]) -> float:
    """Units a longer span must hold: EXTEND_SHARE of those that are not ``silent``, at
    least half of all and at least two."""
    return max(2, len(units) / 2, EXTEND_SHARE * len(units - silent))


def order(
    linked: dict[str, float],
    rank: dict[str, float],
    term_key: str,
    target_lang: str,
    code: dict[str, float] | None = None,
) -> list[str]:
    """The linked keys, most links first, the term kept as it is weighing KEPT_WEIGHT in a
    Han-script target; association breaks ties. ``code`` gives, by key, the links where
    the span was copied with the code around it (``git bisect start``): they show the
    unit accounted for, not a translation, and do not count."""

    def weight(key: str) -> float:
        kept = target_lang.startswith("zh") and not has_han(key) and key == term_key
        links = linked[key] - (code or {}).get(key, 0.0)
        return links * (KEPT_WEIGHT if kept else 1.0)

    return sorted(linked, key=lambda k: (weight(k), rank.get(k, 0.0)), reverse=True)


def attributive(key: str, texts: Sequence[str]) -> bool:
    """Whether a Han rendering is an adjective that takes 的 before the word it
    qualifies: of its occurrences in ``texts`` followed by another Han character, at
    least ATTRIBUTIVE_SHARE (and ATTRIBUTIVE_MIN) are followed by 的 (过期的位图, never
    过期位图). Its dictionary form then has the 的 (stale → 过期的, Invalid → 无效的); a
    rendering that also compounds directly (可达对象 beside 可达的对象) is a modifier
    of its own and keeps its bare form, as do nouns (提交说明 beside 提交的作者)."""
    if not has_han(key) or not any(key + "的" in t for t in texts):
        return False
    de = han = 0
    for text in texts:
        start = text.find(key)
        while start >= 0:
            after = text[start + len(key) : start + len(key) + 1]
            de += after == "的"
            han += after != "的" and has_han(after)
            start = text.find(key, start + 1)
    return de >= ATTRIBUTIVE_MIN and de >= ATTRIBUTIVE_SHARE * (de + han)


def copied_with_code(source: str, target: str, span: tuple[int, int], words: int) -> bool:
    """Whether the Latin span of ``target`` stands in a run of more than ``words`` words
    of code (words, options, paths) that the source holds as it is: the command line
    ``git bisect start`` copied, not ``bisect`` kept as the translation."""
    start, end = span
    while start > 0 and _CODE_CHAR.match(target[start - 1]):
        start -= 1
    while end < len(target) and _CODE_CHAR.match(target[end]):
        end += 1
    run = target[start:end].strip()
    return len(run.split()) > words and run in source
