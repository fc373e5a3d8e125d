"""Round trips of real TMX, XLIFF and SDLXLIFF files through a Padan workspace.

For each file: import it into a fresh workspace, export it in its own format and as
TMX, validate both with xmllint (TMX 1.4 DTD, OASIS XLIFF 1.2 transitional / 2.0 core
schema), read both back and compare with what the import read: the same units, the same
texts (whitespace included), the same inline codes in the same order (the same tags in
the file's own format; as many, in the same order, in TMX). translate-toolkit must read
the exported XLIFF 1.2 and TMX with as many units. An export is expected to validate
when the file imported does.

    python bench/interchange.py FILE_OR_FOLDER... [--verbose]
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import traceback
from collections import Counter
from pathlib import Path

from padan.workspace import Workspace
from tm.files import format_of, read_units
from tm.formats.tmx_read import read_tmx
from tm.formats.tmx_write import write_tmx
from tm.formats.xliff12_write import write_xliff12
from tm.formats.xliff20_write import write_xliff20
from tm.model import Unit

HERE = Path(__file__).resolve().parent.parent / "tests" / "fixtures"
SCHEMAS = {
    "xliff1": HERE / "xliff" / "schemas" / "xliff-core-1.2-transitional.xsd",
    "xliff2": HERE / "xliff" / "schemas" / "xliff_core_2.0.xsd",
}
DTD = HERE / "tmx" / "tmx14.dtd"
SUFFIXES = (".tmx", ".xlf", ".xliff", ".sdlxliff")


def _sig(units: list[Unit], own: bool) -> list[list[tuple[str, str, tuple[str, ...] | int]]]:
    return [
        [
            (v.lang, v.text, tuple(c.tag for c in v.codes) if own else len(v.codes))
            for v in u.variants
        ]
        for u in units
    ]


def _lint(path: Path, kind: str) -> str | None:
    if kind == "tmx":
        cmd = ["xmllint", "--noout", "--nonet", "--dtdvalid", str(DTD), str(path)]
    else:
        cmd = ["xmllint", "--noout", "--nonet", "--schema", str(SCHEMAS[kind]), str(path)]
    run = subprocess.run(cmd, capture_output=True, text=True)
    return None if run.returncode == 0 else run.stderr.strip().splitlines()[0][:200]


def _toolkit_count(path: Path, kind: str) -> int:
    from translate.storage import tmx, xliff

    store = (tmx.tmxfile if kind == "tmx" else xliff.xlifffile).parsefile(str(path))
    return sum(1 for u in store.units if not u.isheader())


def check(path: Path, tmp: Path) -> dict[str, object]:
    found = read_units(path)
    units = list(found.units)
    ws = Workspace(str(tmp / "ws.db"))
    try:
        ws.documents.import_units("doc", found.source_lang, units)
        stored = [u for _, u in ws.documents.units("doc")]
    finally:
        ws.close()
    fmt = format_of(path)
    src, tgt = found.source_lang, found.target_lang
    out: dict[str, object] = {"units": len(units)}
    codes = sum(len(v.codes) for u in units for v in u.variants)
    out["codes"] = codes
    # own format
    if fmt is not None and fmt.name == "tmx":
        own, kind = tmp / "own.tmx", "tmx"
        write_tmx(stored, own, source_lang=read_tmx(path).header.srclang)
        again = list(read_tmx(own).units())
    else:
        sdl = path.suffix.lower() == ".sdlxliff"
        version = (
            "2"
            if any(dict(u.extra).get("xliff:version", "").startswith("2") for u in units[:1])
            else "1"
        )
        own, kind = tmp / ("own.sdlxliff" if sdl else "own.xlf"), f"xliff{version}"
        writer = write_xliff20 if version == "2" else write_xliff12
        extra = {} if version == "2" else {"sdl": sdl}
        writer(stored, own, source_lang=src, target_lang=tgt, **extra)
        again = list(read_units(own).units)
    out["in_valid"] = _lint(path, kind)
    out["own_valid"] = _lint(own, kind)
    out["own_same"] = _sig(units, True) == _sig(again, True)
    if kind != "xliff2":  # translate-toolkit: as many units in ours as in the original
        out["own_toolkit_same"] = _toolkit_count(own, kind) == _toolkit_count(path, kind)
    # TMX
    as_tmx = tmp / "as.tmx"
    write_tmx(stored, as_tmx, source_lang=src)
    back = list(read_tmx(as_tmx).units())
    out["tmx_valid"] = _lint(as_tmx, "tmx")
    out["tmx_same"] = _sig(units, False) == _sig(back, False)
    out["tmx_toolkit"] = _toolkit_count(as_tmx, "tmx")
    return out


def main(args: list[str]) -> None:
    verbose = "--verbose" in args
    files = []
    for arg in (a for a in args if not a.startswith("--")):
        p = Path(arg)
        files += (
            sorted(f for f in p.rglob("*") if f.suffix.lower() in SUFFIXES) if p.is_dir() else [p]
        )
    tally: Counter[str] = Counter()
    for f in files:
        with tempfile.TemporaryDirectory() as tmp:
            try:
                r = check(f, Path(tmp))
            except Exception as exc:  # noqa: BLE001 - a report, not a program
                tally["error"] += 1
                print(f"ERROR {f}: {type(exc).__name__}: {str(exc)[:300]}")
                if verbose:
                    traceback.print_exc()
                continue
        tally["files"] += 1
        tally["units"] += int(r["units"])  # type: ignore[call-overload]
        tally["codes"] += int(r["codes"])  # type: ignore[call-overload]
        ok = True
        tally["in_valid"] += r["in_valid"] is None
        for key in ("own_valid", "tmx_valid"):
            if r[key] is None:
                tally[key] += 1
            elif key == "tmx_valid" or r["in_valid"] is None:  # valid in, invalid out
                ok = False
        for key in ("own_same", "tmx_same"):
            if r[key]:
                tally[key] += 1
            else:
                ok = False
        tally["own_toolkit_same"] += r.get("own_toolkit_same") is True
        tally["tmx_toolkit_same"] += r["tmx_toolkit"] == r["units"]
        if not ok or verbose:
            print(f"{'ok  ' if ok else 'LOSS'} {f}: {r}")
    print(dict(tally))


if __name__ == "__main__":
    main(sys.argv[1:])
