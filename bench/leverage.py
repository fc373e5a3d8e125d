"""Benchmark: pre-translating a release's new messages from the previous release's memory.

Data: Django's own gettext catalogues for Indonesian (id) and Simplified Chinese
(zh_Hans), as shipped in its wheels on the package index (``django/conf/locale`` and
every ``django/contrib/*/locale``, django.po and djangojs.po; Django is BSD-3-Clause,
its translations are made on Transifex under the same licence). The wheels are fetched
with ``pip download`` into --data (default ~/.cache/padan-bench/django) the first time.

For each pair of consecutive LTS releases (1.11 → 2.2 → 3.2 → 4.2 → 5.2) and each
language:

- the memory is every catalogue of the older release, imported into a fresh workspace
  (one document per catalogue);
- the job is, per catalogue of the newer release, its messages whose (msgctxt, msgid) the
  older catalogue lacks, with their translations removed; the reference is the newer
  release's own translation of them (entries it leaves empty or fuzzy are not scored).

Each job file is pre-translated by

- Padan (padan.pretranslate, in process; --min 75), with no term base, with the GNOME
  glossary of the language as term base (shared/data/glossary), and with the terms that
  Padan's own `terms align` proposes from the memory (all proposals scoring >= 0.8
  accepted), each with and without repaired matches;
- translate-toolkit's ``pretranslate`` (in process; ``-t`` the older catalogue,
  ``--tm`` all the older catalogues merged by ``msgcat --use-first``, similarity 75);
- GNU ``msgmerge`` with the same merged memory as compendium (``-C``).

Printed per tool: entries filled as translated and their precision (identical to the
reference, all plural forms), entries filled for review (fuzzy; Padan: and repaired)
with the chrF of those fills against the reference, typing saved (1 - character edits
from the fill to the reference over the reference's length, an empty fill costing the
whole reference, summed over every scored entry), and time. Then Padan's analysis of the
job files (segments and words per band).

    python bench/leverage.py [--data DIR] [--langs id zh_Hans] [--min 75]
"""

from __future__ import annotations

import argparse
import glob
import subprocess
import sys
import tempfile
import time
import zipfile
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import polib
from rapidfuzz.distance import Levenshtein
from sacrebleu.metrics import CHRF

from padan.leverage import analyze, open_memory
from padan.pretranslate import pretranslate
from padan.workspace import Workspace
from termbase.formats import read_glossary
from tm.analysis import Bands
from tm.files import read_units
from tm.wordcount import count_words

RELEASES = ("1.11.29", "2.2.28", "3.2.25", "4.2.30", "5.2.19")
LANGS = {"id": "id", "zh_Hans": "zh"}
GLOSSARY = {
    "id": "glossary/gnome-glossary-id.po",
    "zh_Hans": "glossary/gnome-glossary-zh_CN.po",
}
SHARED = Path(__file__).resolve().parent.parent.parent / "shared" / "data"
ALIGN_ACCEPT = 0.8


# -- data -----------------------------------------------------------------------------------


def fetch(data: Path, version: str) -> Path:
    """The extracted locale files of Django ``version`` (wheel fetched with pip)."""
    root = data / version
    if root.is_dir():
        return root
    data.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [sys.executable, "-m", "pip", "download", f"django=={version}", "--no-deps",
         "--only-binary=:all:", "-q", "-d", str(data)],
        check=True,
    )  # fmt: skip
    wheel = next(w for w in data.glob("*.whl") if f"-{version}-" in w.name)
    with zipfile.ZipFile(wheel) as z:
        for name in z.namelist():
            if (
                "/locale/" in name
                and name.endswith(".po")
                and any(f"/locale/{lang}/" in name for lang in LANGS)
            ):
                z.extract(name, root)
    return root


def catalogues(root: Path, lang: str) -> dict[str, Path]:
    """{"conf/django.po": path, "contrib/admin/djangojs.po": path, ...}"""
    out = {}
    for path in glob.glob(f"{root}/django/**/locale/{lang}/LC_MESSAGES/*.po", recursive=True):
        app = path.split("/django/", 1)[1].split("/locale/")[0]
        out[f"{app}/{Path(path).name}"] = Path(path)
    return dict(sorted(out.items()))


@dataclass
class Job:
    path: Path
    old: Path | None
    references: dict[tuple[str | None, str], tuple[str, ...]]
    words: dict[tuple[str | None, str], int]


def make_job(old: Path | None, new: Path, out: Path, *, whole: bool = False) -> Job | None:
    """The new catalogue's messages the old one lacks (``whole``: all of them),
    untranslated; None if there are none."""
    known = set()
    if old is not None and not whole:
        known = {(e.msgctxt, e.msgid) for e in polib.pofile(str(old)) if not e.obsolete}
    catalogue = polib.pofile(str(new))
    job = polib.POFile(wrapwidth=0)
    job.header, job.metadata = catalogue.header, catalogue.metadata
    references: dict[tuple[str | None, str], tuple[str, ...]] = {}
    for entry in catalogue:
        key = (entry.msgctxt, entry.msgid)
        if entry.obsolete or key in known:
            continue
        if entry.translated():
            forms = (
                tuple(entry.msgstr_plural[i] for i in sorted(entry.msgstr_plural))
                if entry.msgid_plural
                else (entry.msgstr,)
            )
            references[key] = forms
        entry.msgstr = ""
        entry.msgstr_plural = dict.fromkeys(entry.msgstr_plural, "")
        entry.flags = [f for f in entry.flags if f != "fuzzy"]
        entry.previous_msgid = entry.previous_msgctxt = entry.previous_msgid_plural = None
        job.append(entry)
    if not len(job):
        return None
    job.save(str(out))
    words = {(e.msgctxt, e.msgid): count_words(e.msgid) for e in job}
    return Job(out, old, references, words)


# -- scoring ------------------------------------------------------------------------------

Key = tuple[str | None, str]


@dataclass
class Score:
    """One tool's fills of the scored entries, against the references."""

    entries: int = 0
    words: int = 0
    exact: int = 0
    exact_right: int = 0
    review: Counter[str] = field(default_factory=Counter)  # fuzzy / repaired counts
    fills: dict[str, dict[Key, tuple[str, str]]] = field(
        default_factory=lambda: defaultdict(dict)
    )  # kind -> {key: (fill, reference)}, review fills only
    edits: int = 0
    chars: int = 0
    seconds: float = 0.0

    def add(self, job: Job, out: Path, kind_of: dict[Key, str], tag: str) -> None:
        filled = {(e.msgctxt, e.msgid): e for e in polib.pofile(str(out)) if not e.obsolete}
        for key, ref in job.references.items():
            self.entries += 1
            self.words += job.words[key]
            entry = filled.get(key)
            forms = _forms(entry) if entry is not None else ()
            text, ref_text = "\n".join(forms), "\n".join(ref)
            self.chars += len(ref_text)
            done = entry is not None and bool(text.strip())
            self.edits += (
                min(Levenshtein.distance(text, ref_text), len(ref_text)) if done else len(ref_text)
            )
            if not done:
                continue
            if "fuzzy" not in entry.flags:
                self.exact += 1
                self.exact_right += forms == ref
                continue
            kind = kind_of.get(key, "fuzzy")
            self.review[kind] += 1
            self.fills[kind][(f"{tag}:{job.path.name}:{key[0]}", key[1])] = (text, ref_text)

    def chrf(self, kinds: tuple[str, ...]) -> str:
        pairs = [pair for k in kinds for pair in self.fills[k].values()]
        return _chrf(pairs)


def _chrf(pairs: list[tuple[str, str]]) -> str:
    if not pairs:
        return "-"
    return f"{CHRF().corpus_score([h for h, _ in pairs], [[r for _, r in pairs]]).score:.1f}"


def _forms(entry: polib.POEntry) -> tuple[str, ...]:
    if entry.msgid_plural:
        return tuple(entry.msgstr_plural[i] for i in sorted(entry.msgstr_plural))
    return (entry.msgstr,)


# -- the tools ------------------------------------------------------------------------------


def run_padan(
    ws: Workspace,
    jobs: list[Job],
    tgt: str,
    repair: bool,
    min_score: float,
    score: Score,
    tag: str,
    suffix: str,
) -> None:
    start = time.perf_counter()
    memory = open_memory(ws, "en", tgt, repair=repair)  # once for all files, as tt's TM
    outs = []
    for job in jobs:
        out = job.path.with_suffix(f".{suffix}.po")
        report = pretranslate(ws, str(job.path), str(out), min_score=min_score, memory=memory)
        outs.append((job, out, {(f.context, f.source): f.offer.kind for f in report.filled}))
    score.seconds += time.perf_counter() - start
    for job, out, kinds in outs:
        score.add(job, out, kinds, tag)


def run_tt(jobs: list[Job], memory: Path, min_score: float, score: Score, tag: str) -> None:
    from translate.tools import pretranslate as tt

    tt.tmmatcher = None  # tt keeps the first TM it loads for the life of the process
    start = time.perf_counter()
    for job in jobs:
        with open(job.path, "rb") as src, open(job.path.with_suffix(".tt.po"), "wb") as dst:
            template = open(job.old, "rb") if job.old else None
            try:
                tt.pretranslate_file(src, dst, template, tm=str(memory), min_similarity=min_score)
            finally:
                if template:
                    template.close()
    score.seconds += time.perf_counter() - start
    for job in jobs:
        score.add(job, job.path.with_suffix(".tt.po"), {}, tag)


def run_msgmerge(jobs: list[Job], memory: Path, score: Score, tag: str) -> None:
    start = time.perf_counter()
    for job in jobs:
        empty = job.path.with_suffix(".def.po")  # no translations of its own: all from -C
        header = polib.pofile(str(job.path))
        blank = polib.POFile()
        blank.header, blank.metadata = header.header, header.metadata
        blank.save(str(empty))
        out = job.path.with_suffix(".mm.po")
        subprocess.run(
            ["msgmerge", "-q", "--previous", "-C", str(memory), "-o", str(out), str(empty),
             str(job.path)],
            check=True,
        )  # fmt: skip
    score.seconds += time.perf_counter() - start
    for job in jobs:
        score.add(job, job.path.with_suffix(".mm.po"), {}, tag)


# -- workspaces ----------------------------------------------------------------------------


def workspace(db: Path, memory: dict[str, Path], lang: str, terms: str, shared: Path) -> Workspace:
    """A workspace holding ``memory`` (one document per catalogue) and a term base:
    "none", "gnome" (the GNOME glossary) or "aligned" (Padan's own proposals)."""
    ws = Workspace(str(db))
    with ws.db.transaction():
        for name, path in memory.items():
            found = read_units(path)
            ws.documents.import_units(name, found.source_lang, found.units, origin=str(path))
    tgt = LANGS[lang]
    if terms == "gnome":
        ws.terms.import_concepts(read_glossary(str(shared / GLOSSARY[lang]), source_lang="en"))
    elif terms == "aligned":
        pairs = []
        for path in memory.values():
            for unit in read_units(path).units:
                s, t = unit.variant("en"), unit.variant(tgt)
                if s and t and t.text.strip() and "fuzzy" not in unit.flags:
                    pairs.append((s.text, t.text))
        ws.align_parallel(pairs, "en", tgt)
        for stored in ws.terms.proposals("pending"):
            if stored.proposal.score >= ALIGN_ACCEPT:
                ws.terms.decide(stored.id, True)
    return ws


# -- main ----------------------------------------------------------------------------------

TERM_BASES = ("none", "gnome", "aligned")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=Path.home() / ".cache/padan-bench/django")
    parser.add_argument("--langs", nargs="+", default=list(LANGS))
    parser.add_argument("--min", dest="min_score", type=float, default=75.0)
    parser.add_argument("--shared", type=Path, default=SHARED, help="shared/data (glossaries)")
    args = parser.parse_args()
    roots = {v: fetch(args.data, v) for v in RELEASES}
    scores: dict[tuple[str, str, str], Score] = defaultdict(Score)  # (scenario, lang, tool)
    bands = Bands()
    distribution: dict[str, Counter[str]] = defaultdict(Counter)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for lang in args.langs:
            tgt = LANGS[lang]
            for old_v, new_v in zip(RELEASES, RELEASES[1:], strict=False):
                old, new = catalogues(roots[old_v], lang), catalogues(roots[new_v], lang)
                tag = f"{lang}-{old_v}-{new_v}"
                merged = work / f"{tag}-memory.po"
                subprocess.run(
                    ["msgcat", "--use-first", "-o", str(merged), *map(str, old.values())],
                    check=True,
                )
                dbs = {
                    t: workspace(work / f"{tag}-{t}.db", old, lang, t, args.shared)
                    for t in TERM_BASES
                }
                for scenario in ("new", "whole"):
                    jobs = []
                    for name, path in new.items():
                        stem = f"{tag}-{scenario}-{name.replace('/', '-')}"
                        job = make_job(old.get(name), path, work / stem, whole=scenario == "whole")
                        if job is not None:
                            jobs.append(job)
                    configs = [(t, r) for t in TERM_BASES for r in (False, True)]
                    if scenario == "whole":
                        configs = [("gnome", True)]
                    for terms, repair in configs:
                        tool = f"Padan, term base {terms}, repair {'on' if repair else 'off'}"
                        run_padan(
                            dbs[terms],
                            jobs,
                            tgt,
                            repair,
                            args.min_score,
                            scores[(scenario, lang, tool)],
                            tag,
                            f"{terms}-{repair}",
                        )
                    run_tt(
                        jobs,
                        merged,
                        args.min_score,
                        scores[(scenario, lang, "translate-toolkit pretranslate")],
                        tag,
                    )
                    run_msgmerge(jobs, merged, scores[(scenario, lang, "msgmerge -C")], tag)
                    if scenario == "new":
                        result = analyze(dbs["gnome"], [str(j.path) for j in jobs], bands=bands)
                        for row in bands.rows():
                            distribution[lang][row + " seg"] += result.total.segments[row]
                            distribution[lang][row + " words"] += result.total.words[row]
                    print(
                        f"{tag} {scenario}: {len(jobs)} job files, "
                        f"{sum(len(j.references) for j in jobs)} scored entries",
                        file=sys.stderr,
                    )
                for ws in dbs.values():
                    ws.close()
    _print(scores, distribution, bands, args)


def _print(scores, distribution, bands, args) -> None:
    print(f"Django {' → '.join(RELEASES)}, id and zh_Hans; min score {args.min_score:.0f}.\n")
    head = (
        "lang",
        "tool",
        "scored",
        "exact",
        "precision",
        "repaired",
        "chrF rep.",
        "fuzzy",
        "chrF fuzzy",
        "chrF review",
        "typing saved",
        "seconds",
    )
    for scenario, title in (
        ("new", "New and changed messages of each release"),
        ("whole", "Whole catalogues of each release (exact-match precision at scale)"),
    ):
        print(f"{title}:\n")
        print("| " + " | ".join(head) + " |")
        print("|" + "---|" * len(head))
        for (sc, lang, tool), s in scores.items():
            if sc != scenario:
                continue
            row = (
                lang,
                tool,
                str(s.entries),
                str(s.exact),
                f"{100 * s.exact_right / s.exact:.1f}%" if s.exact else "-",
                str(s.review["repaired"]),
                s.chrf(("repaired",)),
                str(s.review["fuzzy"]),
                s.chrf(("fuzzy",)),
                s.chrf(("fuzzy", "repaired")),
                f"{100 * (1 - s.edits / s.chars):.1f}%" if s.chars else "-",
                f"{s.seconds:.2f}",
            )
            print("| " + " | ".join(row) + " |")
        print()
    print(
        "The repaired entries, filled with repair off (fuzzy match, or nothing: an empty "
        "fill) and on, chrF against the reference:\n"
    )
    print("| lang | term base | repaired | chrF repair off | chrF repair on |")
    print("|---|---|---|---|---|")
    for lang in args.langs:
        for terms in TERM_BASES:
            on = scores.get(("new", lang, f"Padan, term base {terms}, repair on"))
            off = scores.get(("new", lang, f"Padan, term base {terms}, repair off"))
            if on is None or off is None:
                continue
            repaired = on.fills["repaired"]
            before = {k: v for kind in ("fuzzy", "repaired") for k, v in off.fills[kind].items()}
            pairs_off = [(before.get(k, ("", ref))[0], ref) for k, (_, ref) in repaired.items()]
            pairs_on = list(repaired.values())
            cells = (lang, terms, str(len(repaired)), _chrf(pairs_off), _chrf(pairs_on))
            print("| " + " | ".join(cells) + " |")
    print("\nPadan's analysis of the new messages (term base: GNOME glossary), segments / words:\n")
    print("| lang | " + " | ".join(bands.rows()) + " |")
    print("|" + "---|" * (len(bands.rows()) + 1))
    for lang, counts in distribution.items():
        cells = [f"{counts[r + ' seg']} / {counts[r + ' words']}" for r in bands.rows()]
        print(f"| {lang} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
