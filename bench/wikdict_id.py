"""Make termbase/data/wikdict-id-en.tsv.gz from FreeDict's English–Indonesian dictionary.

Input: the dictd text of Debian's package dict-freedict-eng-ind (FreeDict + WikDict,
built from Wiktionary; CC BY-SA 3.0), unpacked with `zcat freedict-eng-ind.dict.dz`.
Output: one line per Indonesian word or phrase, its English headwords after a tab,
separated by ``;`` in dictionary order. Pronunciations, parts of speech and English
definitions are dropped; affixes (<suffix>, <prefix>) are left out.

    apt-get download dict-freedict-eng-ind && dpkg-deb -x dict-freedict-eng-ind_*.deb x
    zcat x/usr/share/dictd/freedict-eng-ind.dict.dz > eng-ind.txt
    python bench/wikdict_id.py eng-ind.txt termbase/data/wikdict-id-en.tsv.gz
"""

from __future__ import annotations

import gzip
import re
import sys

_HEAD = re.compile(r"^(\S.*?) (?:/[^<]*/ )?<(\w+)>$")
_SENSE = re.compile(r"^\s*\d+\.\s*(.*)$")
_TRAILING = re.compile(r"\s*\d+\.$")


def parse(lines: list[str]) -> dict[str, list[str]]:
    table: dict[str, list[str]] = {}
    head: str | None = None
    first = False
    for line in lines:
        m = _HEAD.match(line)
        if m:
            word, pos = m.group(1), m.group(2)
            if pos in ("suffix", "prefix", "infix"):
                head = None
            else:  # proper nouns keep their capitals
                head = word if pos == "pn" else word.lower()
            first = True
            continue
        if head is None:
            continue
        sense = _SENSE.match(line)
        if sense or first:
            text = _TRAILING.sub("", sense.group(1) if sense else line).strip()
            for target in text.split(","):
                target = target.strip().lower()
                if target and head not in table.setdefault(target, []):
                    table[target].append(head)
        first = False
    return table


def main() -> None:
    source, out = sys.argv[1], sys.argv[2]
    with open(source, encoding="utf-8") as f:
        lines = f.read().splitlines()
    start = next(i for i, line in enumerate(lines) if _HEAD.match(line))
    table = parse(lines[start:])
    with gzip.open(out, "wt", encoding="utf-8") as f:
        f.write("# Indonesian\tEnglish; from FreeDict eng-ind (WikDict), CC BY-SA 3.0\n")
        for target in sorted(table):
            f.write(f"{target}\t{';'.join(table[target])}\n")


if __name__ == "__main__":
    main()
