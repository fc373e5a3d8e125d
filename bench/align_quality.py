"""Benchmark: parallel term alignment against real glossaries: Padan, Dice, eflomal.

The units are real software catalogues (glib 2.74.6, optionally bash 5.2: translated,
non-fuzzy, non-obsolete entries); the reference is the GNOME glossary of the same
language (msgid = English term, msgstr = its translations, separated by , ; 、 or /).
Neither is the bundled corpus. A glossary term is evaluable when it occurs (by match
form) in at least --min-count source units; it is a hit at k when one of the k best
proposals equals a reference translation (case- and spacing-insensitive; for Indonesian,
match forms may differ by clitic or reduplication).

git's zh_CN catalogue is measured against the glossary in its own header comments (terms
seen at least 3 times); see bench/data/SOURCES.md for where to put it. OmegaT's zh_CN
localisation is measured against that project's own glossary (OmegaT-L10N/zh_CN
``glossary/glossary.txt``): "omegat" is the project's translation memory (every 10th unit
of its ``project_save.tmx``), "omegat3" adds the community's OmegaT UI and website TMs
(Lilium27/omegat-l10n-zh-cn); the origins are in the shared data's SOURCES.md. eflomal (pip
``eflomal``, a Bayesian HMM word aligner) is the peer: its links, intersected both ways,
give each occurrence of a term the target words from the first to the last linked one.

    python bench/align_quality.py [--lang id|zh|both] [--min-count 2] [--git-po FILE]
                                  [--show] [--padan-only]

``--show`` lists Padan's misses at 1 under each row (term, reference, proposals with
their scores and unit counts), so that they can be read and classified.
"""

from __future__ import annotations

import argparse
import os
import re
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import polib

from corpora.tokenize import match_form, tokenize
from termbase.align_parallel import align_parallel, dice_baseline
from termbase.model import Proposal


def _shared_data() -> Path:
    """The team's shared data: $PADAN_SHARED_DATA, else the first ``shared/data`` beside
    the checkout or one of its parents (a worktree in /work/wt/NAME finds /work/shared)."""
    if os.environ.get("PADAN_SHARED_DATA"):
        return Path(os.environ["PADAN_SHARED_DATA"])
    for parent in Path(__file__).resolve().parents[1:]:
        if (parent / "shared" / "data").is_dir():
            return parent / "shared" / "data"
    return Path(__file__).resolve().parents[2] / "shared" / "data"  # absent: main() says so


DATA = _shared_data()
LANGS = {"id": "id", "zh": "zh_CN"}
_SEPARATORS = re.compile(r"[,;，；、/]")
_PARENTHESES = re.compile(r"[(（].*?[)）]")
_SPACING = re.compile(r"[\s\-]+")

Aligner = Callable[..., list[Proposal]]


@dataclass(frozen=True)
class Result:
    terms: int
    at1: int
    at3: int
    seconds: float


def units(path: Path) -> list[tuple[str, str]]:
    """(msgid, msgstr) of the translated, non-fuzzy, non-obsolete entries of a catalogue."""
    out = []
    for entry in polib.pofile(str(path)):
        if entry.obsolete or not entry.translated():
            continue
        target = entry.msgstr_plural[0] if entry.msgid_plural else entry.msgstr
        out.append((entry.msgid, target))
    return out


def glossary(path: Path) -> dict[str, set[str]]:
    """English term -> its reference translations (terms differing in case merged)."""
    refs: dict[str, set[str]] = defaultdict(set)
    display: dict[str, str] = {}
    for entry in polib.pofile(str(path)):
        if entry.obsolete or not entry.translated():
            continue
        term = display.setdefault(entry.msgid.lower(), entry.msgid)
        for part in _SEPARATORS.split(_PARENTHESES.sub("", entry.msgstr)):
            if part.strip():
                refs[term].add(part.strip())
    return refs


_GIT_ROW = re.compile(r"^#\s{2,}(\S.*?)\s*\|\s*(\S.*)$")
_SENSE = re.compile(r"\b[nv]\.\s*")
_GIT_SEPARATORS = re.compile(r"[,;，；、]")


def git_glossary(path: Path) -> dict[str, set[str]]:
    """The en→zh glossary in the header comments of git's po/zh_CN.po ("English | 中文").

    Senses ("n. 暂存区（即索引）; v. 暂存") and alternatives (拉，拉取) are all references;
    notes in parentheses are dropped; "working tree/worktree" gives both terms.
    """
    refs: dict[str, set[str]] = defaultdict(set)
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            if refs:
                break
            continue
        m = _GIT_ROW.match(line)
        if not m or m.group(1).startswith(("English", "---")):
            continue
        english = _PARENTHESES.sub("", m.group(1)).strip()
        for part in _GIT_SEPARATORS.split(_SENSE.sub("", _PARENTHESES.sub("", m.group(2)))):
            target = part.strip()
            if target:
                for term in english.split("/"):
                    refs[term.strip()].add(target)
    return refs


def omegat_glossary(path: Path) -> dict[str, set[str]]:
    """OmegaT's tab-separated glossary: English, Chinese, an optional comment; a term
    listed more than once (shortcut: 快捷键, 快捷方式) has all its translations."""
    refs: dict[str, set[str]] = defaultdict(set)
    for line in path.read_text(encoding="utf-8").splitlines():
        fields = line.split("\t")
        if line.startswith("#") or len(fields) < 2 or not fields[1].strip():
            continue
        refs[fields[0].strip()].add(fields[1].strip())
    return refs


def tmx_units(path: Path, target: str) -> list[tuple[str, str]]:
    """(English, ``target``) segment pairs of a TMX file (1.1's ``lang`` or 1.4's
    ``xml:lang``; inline tags dropped, their text kept)."""
    from lxml import etree

    lang_attrs = ("{http://www.w3.org/XML/1998/namespace}lang", "lang")
    out = []
    for tu in etree.parse(str(path)).getroot().iter("tu"):
        segs: dict[str, str] = {}
        for tuv in tu.iter("tuv"):
            lang = next((tuv.get(a) for a in lang_attrs if tuv.get(a)), "")
            seg = tuv.find("seg")
            if seg is not None:
                segs[lang.lower()[:2]] = "".join(seg.itertext())
        if segs.get("en") and segs.get(target):
            out.append((segs["en"], segs[target]))
    return out


OMEGAT_TMS = (
    "omegat-l10n-zh_CN_project_save.EXCERPT-every10th.tmx",
    "omegat-UI-tm-4.1_catalyst_en-US_zh-CN.tmx",
    "omegat-website-tm_catalyst_en-US_zh-CN.tmx",
)


def key(text: str, lang: str) -> tuple[str, ...]:
    """Match forms of the words of ``text``, ``open-source`` as ``open source``."""
    return tuple(
        match_form(part, lang)
        for tok in tokenize(text, lang)
        if tok.kind != "punct"
        for part in tok.text.split("-")
        if part
    )


def evaluable(terms: Sequence[str], pairs: Sequence[tuple[str, str]], min_count: int) -> list[str]:
    """The terms found, by match form, in at least ``min_count`` source units."""
    wanted = {key(t, "en"): t for t in terms}
    longest = max(len(k) for k in wanted)
    seen: dict[str, int] = defaultdict(int)
    for source, _ in pairs:
        forms = key(source, "en")
        found = {forms[i : i + n] for n in range(1, longest + 1) for i in range(len(forms) - n + 1)}
        for k in found & wanted.keys():
            seen[wanted[k]] += 1
    return [t for t in terms if seen[t] >= min_count]


def same(proposed: str, reference: str, lang: str) -> bool:
    """Equal up to case and spacing; for Indonesian, up to match form."""
    if _SPACING.sub(" ", proposed.strip().lower()) == _SPACING.sub(" ", reference.strip().lower()):
        return True
    if lang == "zh":
        return _SPACING.sub("", proposed) == _SPACING.sub("", reference)
    return key(proposed, lang) == key(reference, lang)


def evaluate(
    aligner: Aligner,
    pairs: Sequence[tuple[str, str]],
    refs: dict[str, set[str]],
    lang: str,
    min_count: int,
    show: bool = False,
) -> Result:
    terms = evaluable(list(refs), pairs, min_count)
    start = time.perf_counter()
    proposals = aligner(pairs, "en", lang, terms=terms, min_count=min_count, top=3)
    seconds = time.perf_counter() - start
    ranked: dict[str, list[Proposal]] = defaultdict(list)
    for p in proposals:
        ranked[p.source].append(p)
    at1 = at3 = 0
    misses = []
    for term in terms:
        hits = [any(same(p.target, r, lang) for r in refs[term]) for p in ranked[term]]
        at1 += bool(hits[:1] and hits[0])
        at3 += any(hits[:3])
        if not (hits[:1] and hits[0]):
            shown = ", ".join(f"{p.target} {p.score:.2f}/{p.count}" for p in ranked[term])
            misses.append(f"    {term} -> {'/'.join(sorted(refs[term]))}: {shown or '-'}")
    if show:
        print("\n".join(misses))
    return Result(len(terms), at1, at3, seconds)


def _words(text: str, lang: str) -> list[tuple[str, str]]:
    """(match form, surface) of the words of a text, compounds split as key() splits them."""
    return [
        (match_form(part, lang), part)
        for tok in tokenize(text, lang)
        if tok.kind != "punct"
        for part in tok.text.split("-")
        if part
    ]


def eflomal_aligner(
    pairs: Sequence[tuple[str, str]],
    source_lang: str,
    target_lang: str,
    *,
    terms: Sequence[str],
    min_count: int,
    top: int,
) -> list[Proposal]:
    """The peer: eflomal's word links (both directions, intersected, as is usual for
    precision), and for each occurrence of a term the target words linked to its words,
    from the first to the last; a term's proposals are those spans, most frequent first."""
    import tempfile

    import eflomal

    src = [_words(s, source_lang) for s, _ in pairs]
    trg = [_words(t, target_lang) for _, t in pairs]
    with tempfile.TemporaryDirectory() as tmp:
        fwd, rev = Path(tmp) / "fwd", Path(tmp) / "rev"
        eflomal.Aligner().align(
            [" ".join(f for f, _ in ws) or "∅" for ws in src],
            [" ".join(f for f, _ in ws) or "∅" for ws in trg],
            links_filename_fwd=str(fwd),
            links_filename_rev=str(rev),
        )
        links = [
            {tuple(map(int, x.split("-"))) for x in a.split()}
            & {tuple(map(int, x.split("-"))) for x in b.split()}
            for a, b in zip(fwd.read_text().splitlines(), rev.read_text().splitlines(), strict=True)
        ]
    wanted = {key(t, source_lang): t for t in terms}
    glue = "" if target_lang.startswith("zh") else " "
    found: dict[str, Counter[str]] = defaultdict(Counter)
    for words, targets, unit_links in zip(src, trg, links, strict=True):
        forms = tuple(f for f, _ in words)
        for n in range(1, 4):
            for i in range(len(forms) - n + 1):
                term = wanted.get(forms[i : i + n])
                if term is None:
                    continue
                linked = sorted(j for s, j in unit_links if i <= s < i + n)
                if linked:
                    span = targets[linked[0] : linked[-1] + 1]
                    found[term][glue.join(surface for _, surface in span)] += 1
    return [
        Proposal(term, source_lang, target, target_lang, n / sum(c.values()), n, "eflomal")
        for term, c in found.items()
        for target, n in c.most_common(top)
    ]


def _cells(r: Result) -> str:
    return f"{r.at1 / r.terms:6.1%} {r.at3 / r.terms:6.1%} {r.seconds:6.2f}s"


def _row(
    lang: str,
    name: str,
    pairs: Sequence[tuple[str, str]],
    refs: dict[str, set[str]],
    n: int,
    args: argparse.Namespace,
) -> None:
    padan = _cells(evaluate(align_parallel, pairs, refs, lang, n, args.show))
    cells = [padan]
    if not args.padan_only:
        cells.append(_cells(evaluate(dice_baseline, pairs, refs, lang, n)))
        try:
            cells.append(_cells(evaluate(eflomal_aligner, pairs, refs, lang, n)))
        except ImportError:
            cells.append(f"{'(pip install eflomal)':^21}")
    terms = len(evaluable(list(refs), pairs, n))
    print(f"{lang:4} {name:10} {len(pairs):5} {terms:5} | " + " | ".join(cells))


def _git_catalogue(given: Path | None) -> Path | None:
    """git's zh_CN catalogue: as given, else where bench/data/SOURCES.md says to put it."""
    for path in (given, DATA / "po" / "git_zh_CN.po"):
        if path and path.is_file():
            return path
    return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", choices=["id", "zh", "both"], default="both")
    parser.add_argument("--min-count", type=int, default=2)
    parser.add_argument("--git-po", type=Path, help="git's po/zh_CN.po (glossary in header)")
    parser.add_argument("--show", action="store_true", help="list Padan's misses at 1")
    parser.add_argument("--padan-only", action="store_true", help="skip Dice and eflomal")
    args = parser.parse_args()
    if not DATA.is_dir():
        raise SystemExit(f"{DATA}: no shared data there; set PADAN_SHARED_DATA to its folder")
    langs = ["id", "zh"] if args.lang == "both" else [args.lang]
    tokenize("预热", "zh")  # load jieba's dictionary outside the timings
    methods = f"{'P@1':>6} {'P@3':>6} {'time':>7}"
    print(f"{'':4} {'':10} {'':5} {'':5} | {'padan':^21} | {'dice baseline':^21} | {'eflomal':^21}")
    print(f"{'lang':4} {'data':10} {'units':>5} {'terms':>5} | {methods} | {methods} | {methods}")
    git = _git_catalogue(args.git_po)
    if git and args.lang in ("zh", "both"):
        pairs = units(git)
        refs = git_glossary(git)
        _row("zh", "git(>=3)", pairs, refs, 3, args)
    elif args.lang in ("zh", "both"):
        print("(git's po/zh_CN.po not found: pass --git-po, see bench/data/SOURCES.md)")
    if args.lang in ("zh", "both"):
        refs = omegat_glossary(DATA / "glossary" / "omegat-l10n-zh_CN-glossary.txt")
        tms = [tmx_units(DATA / "tmx" / name, "zh") for name in OMEGAT_TMS]
        _row("zh", "omegat", tms[0], refs, args.min_count, args)
        _row("zh", "omegat3", [u for tm in tms for u in tm], refs, args.min_count, args)
    for lang in langs:
        po = LANGS[lang]
        refs = glossary(DATA / "glossary" / f"gnome-glossary-{po}.po")
        glib = units(DATA / "po" / f"glib-2.74.6_{po}.po")
        bash = units(DATA / "po" / f"bash-5.2_{po}.po")
        for name, pairs in (("glib", glib), ("glib+bash", glib + bash)):
            _row(lang, name, pairs, refs, args.min_count, args)


if __name__ == "__main__":
    main()
