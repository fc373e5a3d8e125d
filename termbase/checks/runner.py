"""Run every check on a document or a set of bilingual units, with one term base.

Some checks look at one text (Indonesian damage, spun words, forbidden terms), some at a
whole corpus at once (casing of names, a source term rendered differently, a document's
spin score), so the runner takes all texts of a document or file together. Findings
carry the id of the text they concern in ``unit``.
"""

from __future__ import annotations

import gc
import multiprocessing
import re
from collections.abc import Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager

from termbase.checks import casing, indonesian, pofilter, spin, terms
from termbase.checks.finding import Finding
from termbase.model import Concept, Status

# Rule ids and what they mean (for --rule, SARIF rule metadata and the README).
RULES = {
    "id-space-hyphen": "space before the hyphen of an Indonesian reduplication or compound",
    "id-currency-space": "space after a currency sign",
    "id-glued-word": "a name glued to the next word",
    "id-doubled-word": "the same word twice",
    "casing": "a name spelt in another casing than elsewhere",
    "zh-spin": "a word replaced by a Chinese synonym spinner",
    "term-forbidden": "a forbidden term of the term base",
    "term-deprecated": "a deprecated term of the term base",
    "term-missing": "a source term whose target-language terms are all missing",
    "term-inconsistent": "the same source term rendered differently across units",
    **{
        f"pofilter-{name}": f"translate-toolkit pofilter check “{name}”" for name in pofilter.CHECKS
    },
}
_STANDALONE_NAME = re.compile(r"\b[A-Z][A-Za-z0-9]+\b")

Texts = Sequence[tuple[str, str]]  # (id, text)


def rule_selected(rule: str, wanted: Collection[str] | None) -> bool:
    """``wanted`` names rules or families: ``id`` selects ``id-*``, ``pofilter`` every
    pofilter check."""
    if not wanted:
        return True
    return any(rule == w or rule.startswith(w + "-") for w in wanted)


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
        names: set[str] = set()
        if lang == "id":
            for texts in docs:
                for _, text in texts:
                    names.update(_STANDALONE_NAME.findall(text))
        for texts in docs:
            spun = spin.check_document([t for _, t in texts]) if lang == "zh" else None
            for i, (text_id, text) in enumerate(texts):
                found: list[Finding] = []
                if lang == "id":
                    found += indonesian.check(text, names=names)
                if spun is not None:
                    found += spun[i]
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
        with _checked_units(self, translated, source_lang, target_lang, n) as per_unit:
            # the checks of whole documents run here meanwhile (or first, on one core)
            out = self.documents([targets], target_lang, term_checks=False)
            renderings = []
            for (unit_id, _, _), (found, rendered) in zip(translated, per_unit, strict=True):
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
            found += terms.missing(source, target, source_hits, target_hits, target_lang, unit_id)
            found += terms.unwanted(target, target_hits, target_lang, unit_id)
            if source_hits and target_hits:
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
# what forked workers check and with what: inherited, so only index ranges are sent
_WORKER: tuple[Checker, Sequence[tuple[str, str, str]], str, str] | None = None


# Findings travel back from the workers as plain tuples: pickle handles those in C,
# several times faster than named tuples (which it rebuilds through Python code).
_Values = tuple[object, ...]
_as_finding = tuple.__new__  # _as_finding(Finding, values): a Finding without a call


def _work(span: tuple[int, int]) -> list[tuple[list[_Values], list[terms.Rendering]]]:
    checker, units, source_lang, target_lang = _WORKER  # type: ignore[misc]
    out = []
    for unit in units[span[0] : span[1]]:
        found, rendered = checker._unit(unit, source_lang, target_lang)
        out.append(([tuple(f) for f in found], rendered))
    return out


@contextmanager
def _checked_units(
    checker: Checker,
    units: Sequence[tuple[str, str, str]],
    source_lang: str,
    target_lang: str,
    workers: int,
) -> Iterator[Iterator[_UnitResult]]:
    """The results of :meth:`Checker._unit` for ``units``, in order: computed as they are
    taken on one core, or by ``workers`` forked processes that start at once."""
    if workers <= 1:
        yield (checker._unit(u, source_lang, target_lang) for u in units)
        return
    global _WORKER
    _WORKER = (checker, units, source_lang, target_lang)
    size = max(500, len(units) // (workers * 8))
    chunks = [(i, min(i + size, len(units))) for i in range(0, len(units), size)]
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            yield (
                ([_as_finding(Finding, f) for f in found], rendered)
                for part in pool.imap(_work, chunks)
                for found, rendered in part
            )
    finally:
        _WORKER = None
