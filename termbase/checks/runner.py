"""Run every check on a document or a set of bilingual units, with one term base.

Some checks look at one text (Indonesian damage, spun words, forbidden terms), some at a
whole corpus at once (casing of names, a source term rendered differently, a document's
spin score), so the runner takes all texts of a document or file together. Findings
carry the id of the text they concern in ``unit``.
"""

from __future__ import annotations

import gc
import itertools
import multiprocessing
import queue
import re
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager
from multiprocessing.process import BaseProcess
from typing import Any, TypeVar

from termbase.checks import casing, indonesian, pofilter, spin, terms  # noqa: F401  importing a check module registers it
from termbase.checks.finding import Finding
from termbase.checks.registry import RULES as _REGISTERED
from termbase.checks.registry import descriptions, language_checks, rule_selected
from termbase.model import Concept, Status

RULES = descriptions()  # rule id -> what it means, for --rule, SARIF and the README

Texts = Sequence[tuple[str, str]]  # (id, text)
T = TypeVar("T")  # what Checker.pairs_then makes of findings
# the rules whose flagged text a unit's source may hold verbatim (Rule.copied_from_source)
COPIED_FROM_SOURCE = frozenset(r.id for r in _REGISTERED.values() if r.copied_from_source)


class Checker:
    def __init__(self, concepts: Iterable[Concept] = (), rules: Collection[str] | None = None):
        self.index = terms.TermIndex(concepts)
        self._terms = self.index if self.index else None  # asked of every unit
        self.rules = set(rules) if rules else None
        self._pofilter = any(rule_selected(f"pofilter-{c}", self.rules) for c in pofilter.CHECKS)
        self._preferred = {
            t.text.lower(): t.text
            for c in self.index.concepts
            for t in c.terms
            if t.status == Status.PREFERRED and t.text.isascii()
        }

    def _keep(self, found: Iterable[Finding]) -> list[Finding]:
        return [f for f in found if rule_selected(f.rule, self.rules)]

    def document(self, texts: Texts, lang: str) -> list[Finding]:
        """Findings in the texts of one monolingual document (or one file's targets)."""
        return self.documents([texts], lang)

    def documents(
        self,
        docs: Sequence[Texts],
        lang: str,
        *,
        compare_names: bool = True,
        term_checks: bool = True,
    ) -> list[Finding]:
        """Findings in several documents of one language: spin is scored per document,
        names and casings are compared across all of them (unless ``compare_names`` is
        false, when the caller compares them across languages with :meth:`casing`).
        Text ids must be unique. ``term_checks`` false leaves out the term base's
        unwanted terms (:meth:`pairs` looks for them unit by unit)."""
        out: list[Finding] = []
        plain = [[text for _, text in texts] for texts in docs]
        by_check = [check.run(plain) for check in language_checks(lang)]
        unwanted = bool(self.index) and term_checks
        for d, texts in enumerate(docs):
            if unwanted:
                indices: Iterable[int] = range(len(texts))
            else:  # only the texts some check found something in: most have nothing
                indices = sorted({i for r in by_check for i, f in enumerate(r[d]) if f})
            for i in indices:
                text_id, text = texts[i]
                found = [f for results in by_check for f in results[d][i]]
                if unwanted:
                    found += terms.unwanted(text, self.index.find(text, lang), lang)
                out += (f._replace(unit=text_id) for f in found)
        if compare_names:
            out += self.casing([pair for texts in docs for pair in texts])
        return self._keep(out)

    def casing(self, texts: Texts) -> list[Finding]:
        """Names spelt in different casings across ``texts`` (of any languages)."""
        found = casing.check(texts, preferred=self._preferred)
        return self._keep(f._replace(unit=text_id) for text_id, f in found)

    def pairs(
        self,
        units: Iterable[tuple[str, str, str]],
        source_lang: str,
        target_lang: str,
        *,
        workers: int = 1,
    ) -> list[Finding]:
        """Findings in bilingual units (id, source, target): the target's own checks (less
        a form copied verbatim from the source: :func:`_not_copied`), the term base's and
        pofilter's.

        With ``workers`` > 1 and many units, the checks of single units run in that many
        forked processes, fed chunk by chunk as ``units`` yields them (so a file is
        checked while it is still being read), while this process checks the targets as
        a document (spin score, casing), then compares how the units render their source
        terms (inconsistency). Only for command-line use: forking a process that runs
        threads (the terminal UI) is not safe.
        """
        return self.pairs_then(units, source_lang, target_lang, _as_is, workers=workers)

    def pairs_then(
        self,
        units: Iterable[tuple[str, str, str]],
        source_lang: str,
        target_lang: str,
        then: Callable[[list[Finding]], list[T]],
        *,
        workers: int = 1,
    ) -> list[T]:
        """:meth:`pairs`, its findings given batch by batch to ``then`` (which places
        them in a file, say) in this process, each batch as soon as it is found: with
        workers, while the helpers still check. The results of ``then``, in the order
        :meth:`pairs` finds them."""
        with collector_paused():
            return self._pairs(units, source_lang, target_lang, workers, then)

    def _pairs(
        self,
        units: Iterable[tuple[str, str, str]],
        source_lang: str,
        target_lang: str,
        workers: int,
        then: Callable[[list[Finding]], list[T]],
    ) -> list[T]:
        translated: list[tuple[str, str, str]] = []  # untranslated: nothing to check yet
        done: dict[int, tuple[list[T], list[tuple[str, list[terms.Rendering]]]]] = {}
        with _checked_units(self, units, translated, source_lang, target_lang, workers) as chunks:
            # the checks of whole documents run here first: forked helpers already work
            targets = [(unit_id, target) for unit_id, _, target in translated]
            found = self.documents([targets], target_lang, term_checks=False)
            out = then(_not_copied(found, translated))
            for start, results in chunks:  # as they come, whoever checked them
                checked = translated[start : start + len(results)]
                found, renderings = [], []
                for (unit_id, _, _), (unit_found, rendered) in zip(checked, results, strict=True):
                    found += unit_found
                    if rendered:
                        renderings.append((unit_id, rendered))
                done[start] = (then(found), renderings)
        by_unit: list[tuple[str, list[terms.Rendering]]] = []
        for _, (placed, chunk_renderings) in sorted(done.items()):  # in the units' order
            out += placed
            by_unit += chunk_renderings
        if self.index:
            out += then(self._keep(terms.inconsistent(by_unit, self.index, target_lang)))
        return out

    def _unit(self, unit: tuple[str, str, str], source_lang: str, target_lang: str) -> _UnitResult:
        """The checks of one unit alone, and how it renders its source terms."""
        unit_id, source, target = unit
        found: list[Finding] = []
        rendered: list[terms.Rendering] = []
        index = self._terms
        source_hits = index.find(source, source_lang) if index is not None else None
        # the target's terms matter for the source's or, with unusable terms, alone
        if index is not None and (source_hits or index.unusable):
            target_hits = index.find(target, target_lang)
            if source_hits:
                found += terms.missing(
                    source, target, source_hits, target_hits, target_lang, unit_id
                )
            if target_hits:
                if index.unusable:
                    found += terms.unwanted(target, target_hits, target_lang, unit_id)
                if source_hits:
                    rendered = index.renderings(source_hits, target_hits)
        if self._pofilter:
            found += pofilter.check(source, target, target_lang, unit_id)
        return self._keep(found) if self.rules else found, rendered


def _as_is(found: list[Finding]) -> list[Finding]:
    return found


def _not_copied(found: list[Finding], units: Sequence[tuple[str, str, str]]) -> list[Finding]:
    """``found`` less the findings of :data:`COPIED_FROM_SOURCE` rules whose flagged text
    the unit's source has verbatim: `help help', Readline or "kill -signal" copied from
    the msgid are no damage, and fixing them would break what the translator kept."""
    concerned = {f.unit for f in found if f.rule in COPIED_FROM_SOURCE}
    if not concerned:
        return found
    by_id: dict[str | None, tuple[str, str, str]] = {u[0]: u for u in units if u[0] in concerned}
    return [
        f
        for f in found
        if f.rule not in COPIED_FROM_SOURCE or not _in_source(f, *by_id[f.unit][1:])
    ]


def _in_source(f: Finding, source: str, target: str) -> bool:
    """Whether the text ``f`` flags in ``target`` stands in ``source``, in the same case,
    once widened to whole words at an end that is not a space: " -" before a hyphenated
    word is " -signal", a space the source has before its option too."""
    start, end = f.start, f.end
    if not target[start : start + 1].isspace():
        while start and _in_word(target[start - 1]):
            start -= 1
    if not target[end - 1 : end].isspace():
        while end < len(target) and _in_word(target[end]):
            end += 1
    flagged = target[start:end]
    before = r"(?<!\w)" if _in_word(flagged[0]) else ""  # not inside a longer word
    after = r"(?!\w)" if _in_word(flagged[-1]) else ""
    return re.search(before + re.escape(flagged) + after, source) is not None


def _in_word(char: str) -> bool:
    return char.isalnum() or char == "_"  # as \w: an identifier is one word


@contextmanager
def collector_paused() -> Iterator[None]:
    """Checking makes millions of small objects and no reference cycles; Python's cycle
    collector, walking them again and again as they pile up, doubled the time taken."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


PARALLEL_FROM = 3_000  # units; below that, starting a process (15-30 ms) costs more than it saves
CHUNK = 1_000  # units a helper takes at a time: a few hundred milliseconds of work
_UnitResult = tuple[list[Finding], list[terms.Rendering]]
_Chunk = tuple[int, list[_UnitResult]]  # the index of its first unit, the results

# Findings travel back from the helpers as plain tuples: pickle handles those in C,
# several times faster than named tuples (which it rebuilds through Python code).
_as_finding = tuple.__new__  # _as_finding(Finding, values): a Finding without a call


def _check(
    checker: Checker, units: Sequence[tuple[str, str, str]], source_lang: str, target_lang: str
) -> list[_UnitResult]:
    return [checker._unit(u, source_lang, target_lang) for u in units]


def _help(checker: Checker, tasks: Any, results: Any, source_lang: str, target_lang: str) -> None:
    """A forked helper: check chunks until the end mark (None), sending each one's results;
    the end mark goes back to the queue, for the next process that looks (this one's
    queue writer is flushed as it exits)."""
    while (task := tasks.get()) is not None:
        start, units = task
        found = _check(checker, units, source_lang, target_lang)
        results.put((start, [([tuple(f) for f in fs], r) for fs, r in found]))
    tasks.put(None)


@contextmanager
def _checked_units(
    checker: Checker,
    units: Iterable[tuple[str, str, str]],
    translated: list[tuple[str, str, str]],
    source_lang: str,
    target_lang: str,
    workers: int,
) -> Iterator[Iterator[_Chunk]]:
    """The results of :meth:`Checker._unit` for the translated ``units`` by chunks, in no
    set order; on entering, ``translated`` holds those units, in order.

    On one core, or for few units, they are computed as they are taken. Otherwise
    ``workers - 1`` forked helpers start once :data:`PARALLEL_FROM` units are read and
    check chunks as they are read; once the caller has done its own work, this process
    takes chunks from the same queue: as many processes as cores, none idle at the end.
    """
    read = (u for u in units if u[2])
    translated += itertools.islice(read, PARALLEL_FROM)
    if workers <= 1 or len(translated) < PARALLEL_FROM:
        translated += read
        yield iter([(0, _check(checker, translated, source_lang, target_lang))])
        return
    context = multiprocessing.get_context("fork")
    tasks, results = context.Queue(), context.Queue()
    args = (checker, tasks, results, source_lang, target_lang)
    helpers = [context.Process(target=_help, args=args, daemon=True) for _ in range(workers - 1)]
    try:
        for helper in helpers:
            helper.start()
        count = 0
        for start in itertools.count(0, CHUNK):
            if start + CHUNK > len(translated):
                translated += itertools.islice(read, start + CHUNK - len(translated))
            if start >= len(translated):
                break
            tasks.put((start, translated[start : start + CHUNK]))
            count += 1
        tasks.put(None)  # the end mark: whoever takes it puts it back
        yield _gathered(checker, tasks, results, count, helpers, source_lang, target_lang)
    finally:
        for helper in helpers:
            helper.terminate()
            helper.join()
        tasks.cancel_join_thread()  # chunks nobody took are dropped, not waited for
        tasks.close()
        results.close()


def _gathered(
    checker: Checker,
    tasks: Any,
    results: Any,
    count: int,
    helpers: Sequence[BaseProcess],
    source_lang: str,
    target_lang: str,
) -> Iterator[_Chunk]:
    """The chunks this process takes from the queue as it checks them, and the helpers'
    results: those come in meanwhile between two of its own chunks (read while the
    helpers still work, not all at the end), then the rest as they arrive; ``count``
    chunks in all."""
    missing = count
    while True:
        try:
            # Empty only in the moment a helper holds the end mark, or if one died with
            # it: waiting for it until a timeout cost 0.2 s in every other run
            task = tasks.get(timeout=0.2)
        except queue.Empty:
            break
        if task is None:  # the end mark: every chunk is taken
            tasks.put(None)
            break
        start, units = task
        yield start, _check(checker, units, source_lang, target_lang)
        missing -= 1
        while missing:
            try:
                chunk = results.get_nowait()
            except queue.Empty:
                break
            yield _unpacked(chunk)
            missing -= 1
    while missing:
        alive = any(helper.is_alive() for helper in helpers)
        try:  # a helper that has ended may still have results on their way
            chunk = results.get(timeout=1)
        except queue.Empty:
            if alive:
                continue
            raise RuntimeError("a checking process ended before its work was done") from None
        yield _unpacked(chunk)
        missing -= 1


def _unpacked(chunk: tuple[int, list[Any]]) -> _Chunk:
    """A helper's chunk of results, its findings named tuples again."""
    start, packed = chunk
    return start, [([_as_finding(Finding, f) for f in fs], r) for fs, r in packed]
