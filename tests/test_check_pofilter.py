"""Padan runs translate-toolkit's checks one by one, skipping those that cannot fail on a
unit; its verdicts must stay those of pofilter's own run_filters."""

from __future__ import annotations

import glob

import polib
from translate.filters import checks
from translate.storage import pypo

from termbase.checks import pofilter

CATALOGUES = sorted(glob.glob("/usr/share/locale/zh_CN/LC_MESSAGES/*.mo"))


def _units(step: int) -> list[tuple[str, str]]:
    pairs = [(e.msgid, e.msgstr) for path in CATALOGUES for e in polib.mofile(path) if e.msgstr]
    return pairs[::step]


def test_verdicts_equal_run_filters_on_real_catalogues():
    units = _units(step=4)
    assert len(units) > 5_000, CATALOGUES
    reference = checks.StandardChecker(checkerconfig=checks.CheckerConfig(targetlanguage="zh_CN"))
    mismatches = []
    failed = 0
    for source, target in units:
        unit = pypo.pounit(source)
        unit.target = target
        expected = set(reference.run_filters(unit)) & set(pofilter.CHECKS)
        got = {f.rule.removeprefix("pofilter-") for f in pofilter.check(source, target, "zh")}
        failed += bool(got)
        if got != expected:
            mismatches.append((source, target, sorted(expected), sorted(got)))
    assert not mismatches, mismatches[:5]
    assert failed > 100  # the sample does exercise failing checks


# One unit for each precondition Padan skips when neither string shows a trace of it.
CRAFTED = [
    ("Save 3 files.", "   "),  # blank: hides numbers and endpunc
    (" Save 3 files.", "保存 4 个文件。"),  # startwhitespace
    ("Name: ", "名称："),  # endwhitespace
    ("Name: 3.", "Nama: 4."),
    ("Open 3 files", "#-#-#-#-#  a.po  #-#-#-#-#\n打开 4 个文件"),  # compendium conflict
    ("Open 3 files", "_: comment\\n\n"),  # a KDE comment only: untranslated
    ("Open %s", "打开 %d"),
]


def _reference(source: str, target: str, lang: str) -> set[str]:
    checker = checks.StandardChecker(checkerconfig=checks.CheckerConfig(targetlanguage=lang))
    unit = pypo.pounit(source)
    unit.target = target
    return set(checker.run_filters(unit)) & set(pofilter.CHECKS)


def test_skipped_preconditions_still_hide_what_they_hide():
    for lang, po_lang in (("zh", "zh_CN"), ("id", "id")):
        for source, target in CRAFTED:
            got = {f.rule.removeprefix("pofilter-") for f in pofilter.check(source, target, lang)}
            assert got == _reference(source, target, po_lang), (lang, source, target)
    assert not list(pofilter.check("Save 3 files.", "   ", "zh"))
    assert {f.rule for f in pofilter.check("Name: 3.", "Nama: 4.", "id")} == {"pofilter-numbers"}
