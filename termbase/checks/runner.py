"""Run every check on a document or a set of bilingual units, with one term base.

Some checks look at one text (Indonesian damage, spun words, forbidden terms), some at a
whole corpus at once (casing of names, a source term rendered differently, a document's
spin score), so the runner takes all texts of a document or file together. Findings
carry the id of the text they concern in ``unit``.
"""

from __future__ import annotations

import gc
import multiprocessing
import queue
from collections.abc import Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from multiprocessing.process import BaseProcess
from typing import Any

from termbase.checks import casing, indonesian, pofilter, spin, terms  # noqa: F401  importing a check module registers it
from termbase.checks.finding import Finding
from termbase.checks.registry import descriptions, language_checks, rule_selected
from termbase.model import Concept, Status

RULES = descriptions()  # rule id -> what it means, for --rule, SARIF and the README

Texts = Sequence[tuple[str, str]]  # (id, text)


class Checker:
    def __init__(self, concepts: Iterable[Concept] = (), rules: Collection[str] | None = None):
        self.index = terms.TermIndex(concepts)
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
        for d, texts in enumerate(docs):
            for i, (text_id, text) in enumerate(texts):
                found = [f for results in by_check for f in results[d][i]]
                if self.index and term_checks:
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
        units: Sequence[tuple[str, str, str]],
        source_lang: str,
        target_lang: str,
        *,
        workers: int = 1,
    ) -> list[Finding]:
        """Findings in bilingual units (id, source, target): the target's own checks, the
        term base's and pofilter's.

        With ``workers`` > 1 and many units, the checks of single units run in that many
        forked processes while this one checks the targets as a document (spin score,
        casing), then compares how the units render their source terms (inconsistency).
        Only for command-line use: forking a process that runs threads (the terminal UI)
        is not safe.
        """
        with collector_paused():
            return self._pairs(units, source_lang, target_lang, workers)

    def _pairs(
        self,
        units: Sequence[tuple[str, str, str]],
        source_lang: str,
        target_lang: str,
        workers: int,
    ) -> list[Finding]:
        translated = [u for u in units if u[2]]  # untranslated: nothing to check yet
        targets = [(unit_id, target) for unit_id, _, target in translated]
        n = workers if len(translated) >= PARALLEL_FROM else 1
        with _checked_units(self, translated, source_lang, target_lang, n) as chunks:
            # the checks of whole documents run here first: forked helpers already work
            out = self.documents([targets], target_lang, term_checks=False)
            by_start = dict(chunks)
        renderings = []
        for start, results in sorted(by_start.items()):  # in order, whoever checked them
            checked = translated[start : start + len(results)]
            for (unit_id, _, _), (found, rendered) in zip(checked, results, strict=True):
                out += found
                if rendered:
                    renderings.append((unit_id, rendered))
        if self.index:
            out += self._keep(terms.inconsistent(renderings, self.index, target_lang))
        return out

    def _unit(self, unit: tuple[str, str, str], source_lang: str, target_lang: str) -> _UnitResult:
        """The checks of one unit alone, and how it renders its source terms."""
        unit_id, source, target = unit
        found: list[Finding] = []
        rendered: list[terms.Rendering] = []
        if self.index:
            source_hits = self.index.find(source, source_lang)
            target_hits = self.index.find(target, target_lang)
            if source_hits:
                found += terms.missing(
                    source, target, source_hits, target_hits, target_lang, unit_id
                )
            if target_hits:
                found += terms.unwanted(target, target_hits, target_lang, unit_id)
                if source_hits:
                    rendered = self.index.renderings(source_hits, target_hits)
        if self._pofilter:
            found += pofilter.check(source, target, target_lang, unit_id)
        return self._keep(found) if self.rules else found, rendered


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


PARALLEL_FROM = 10_000  # units; below that, starting processes costs more than it saves
_UnitResult = tuple[list[Finding], list[terms.Rendering]]
_Chunk = tuple[int, list[_UnitResult]]  # the index of its first unit, the results
# What the forked helpers check and how they share the chunks: inherited, never sent.
_SHARED: _Shared | None = None


@dataclass
class _Shared:
    checker: Checker
    units: Sequence[tuple[str, str, str]]
    source_lang: str
    target_lang: str
    chunks: list[tuple[int, int]]  # (start, end) of each chunk of units
    taken: Any  # a shared counter: the next chunk to take
    results: Any  # a queue of (chunk number, its results with findings as tuples)

    def take(self) -> int | None:
        with self.taken.get_lock():
            number = self.taken.value
            self.taken.value += 1
        return number if number < len(self.chunks) else None

    def check(self, number: int) -> list[_UnitResult]:
        start, end = self.chunks[number]
        check = self.checker._unit
        return [check(u, self.source_lang, self.target_lang) for u in self.units[start:end]]


# Findings travel back from the helpers as plain tuples: pickle handles those in C,
# several times faster than named tuples (which it rebuilds through Python code).
_as_finding = tuple.__new__  # _as_finding(Finding, values): a Finding without a call


def _help() -> None:
    """A forked helper: check chunks until none is left, sending each one's results."""
    shared = _SHARED
    assert shared is not None
    while (number := shared.take()) is not None:
        packed = [([tuple(f) for f in found], r) for found, r in shared.check(number)]
        shared.results.put((number, packed))


@contextmanager
def _checked_units(
    checker: Checker,
    units: Sequence[tuple[str, str, str]],
    source_lang: str,
    target_lang: str,
    workers: int,
) -> Iterator[Iterator[_Chunk]]:
    """The results of :meth:`Checker._unit` for ``units`` by chunks, in no set order.

    On one core they are computed as they are taken. Otherwise ``workers - 1`` forked
    helpers start at once, and this process takes chunks from the same counter once the
    caller has done its own work: as many processes as cores, none idle at the end.
    """
    if workers <= 1:
        yield iter([(0, [checker._unit(u, source_lang, target_lang) for u in units])])
        return
    global _SHARED
    context = multiprocessing.get_context("fork")
    size = max(500, len(units) // (workers * 20))
    chunks = [(i, min(i + size, len(units))) for i in range(0, len(units), size)]
    shared = _Shared(
        checker, units, source_lang, target_lang, chunks, context.Value("i", 0), context.Queue()
    )
    _SHARED = shared
    helpers = [context.Process(target=_help, daemon=True) for _ in range(workers - 1)]
    try:
        for helper in helpers:
            helper.start()
        yield _gathered(shared, helpers)
    finally:
        _SHARED = None
        for helper in helpers:
            helper.terminate()
            helper.join()


def _gathered(shared: _Shared, helpers: Sequence[BaseProcess]) -> Iterator[_Chunk]:
    """This process's chunks as it checks them, then the helpers' as they arrive."""
    missing = len(shared.chunks)
    while (number := shared.take()) is not None:
        yield shared.chunks[number][0], shared.check(number)
        missing -= 1
    while missing:
        alive = any(helper.is_alive() for helper in helpers)
        try:  # a helper that has ended may still have results on their way
            number, packed = shared.results.get(timeout=1)
        except queue.Empty:
            if alive:
                continue
            raise RuntimeError("a checking process ended before its work was done") from None
        found = [([_as_finding(Finding, f) for f in fs], r) for fs, r in packed]
        yield shared.chunks[number][0], found
        missing -= 1
