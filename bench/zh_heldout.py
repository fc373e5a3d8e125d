"""Make the Chinese held-out material of bench/repair.py (run once; its output is committed).

Clean strings: the msgstrs of this machine's zh_CN Gettext catalogues
(/usr/share/locale/zh_CN/LC_MESSAGES/*.mo), which the language model of termbase/zh_lm.py
was NOT trained on; one line each, at least eight Han characters, each string once. The
catalogues are split by name (sorted, alternately) into a development half, used while
choosing the repair's margins, and a test half that only bench/repair.py reads.

Spun strings: the clean ones put through a spinner built from termbase/data/spin-zh.tsv
read forwards (original → spun form, lookarounds dropped; an entry that another entry's
single replacement already produces, such as 正在→正正在 from 在→正在, is left out). Like a
"伪原创" tool it runs plain str.replace rule after rule over the whole text, in an order
drawn at random with a fixed seed, so a rule's output can be rewritten by a later rule
(chains: 使用→利用→操纵) and replacements ignore word boundaries (都会→城市 inside 他们都会).

A third set, of another genre and spun in another rule order, keeps the margins from
fitting one genre: 2,000 Chinese sentences of TICO-19's en-zh memory (CC0; medical, news
and Wikipedia text on COVID-19), spun with seed 3. The margins are chosen on it and on the
development half together; the test half stays unread until the end.

    python bench/zh_heldout.py        # writes bench/data/zh-{dev,test,tico}-{clean,spun}.txt
"""

from __future__ import annotations

import glob
import os
import random
import re
import zipfile
from pathlib import Path

import polib
from lxml import etree

from termbase.checks.spin import lexicon

DATA = Path(__file__).parent / "data"
_HAN = re.compile(r"[\u4e00-\u9fff]")
_LOOKAROUND = re.compile(r"\(\?<?[=!][^)]*\)")
SIZE = 2000
SHARED = Path(os.environ.get("PADAN_SHARED_DATA", "/work/shared/data"))


def catalogue_strings(paths: list[str]) -> list[str]:
    seen: dict[str, None] = {}
    for path in paths:
        for entry in polib.mofile(path):
            for text in [entry.msgstr, *entry.msgstr_plural.values()]:
                text = " ".join(text.split())
                if len(_HAN.findall(text)) >= 8:
                    seen.setdefault(text)
    return list(seen)


def tico_strings(path: Path) -> list[str]:
    """The Chinese sides of TICO-19's en-zh memory, whitespace collapsed, each once."""
    with zipfile.ZipFile(path) as archive:
        tree = etree.fromstring(archive.read(archive.namelist()[0]))
    seen: dict[str, None] = {}
    for seg in tree.iterfind(".//tuv[@{http://www.w3.org/XML/1998/namespace}lang='zh']/seg"):
        text = " ".join("".join(seg.itertext()).split())
        if len(_HAN.findall(text)) >= 8:
            seen.setdefault(text)
    return list(seen)


def write(name: str, clean: list[str], seed: int) -> None:
    (DATA / f"zh-{name}-clean.txt").write_text("\n".join(clean) + "\n", encoding="utf-8")
    spun = spin(clean, seed)
    (DATA / f"zh-{name}-spun.txt").write_text("\n".join(spun) + "\n", encoding="utf-8")


def forward_rules() -> list[tuple[str, str]]:
    pairs = {(e.original, _LOOKAROUND.sub("", e.pattern)) for e in lexicon().entries}
    derived = {
        (o, s)
        for o, s in pairs
        for o2, s2 in pairs
        if (o2, s2) != (o, s) and o2 in o and o.replace(o2, s2) == s
    }
    return sorted(pairs - derived)


def spin(lines: list[str], seed: int) -> list[str]:
    rules = forward_rules()
    random.Random(seed).shuffle(rules)
    text = "\n".join(lines)
    for original, spun in rules:
        text = text.replace(original, spun)
    return text.split("\n")


def main() -> None:
    paths = sorted(glob.glob("/usr/share/locale/zh_CN/LC_MESSAGES/*.mo"))
    rng = random.Random(16)
    for half, seed in (("dev", 1), ("test", 2)):
        strings = catalogue_strings(paths[0 if half == "dev" else 1 :: 2])
        write(half, rng.sample(strings, SIZE), seed)
    tico = tico_strings(SHARED / "tmx" / "tico19_en-zh.tmx.zip")
    write("tico", random.Random(19).sample(tico, SIZE), 3)


if __name__ == "__main__":
    main()
