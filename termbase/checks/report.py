"""Findings as text for people and as JSON, JUnit XML and SARIF for CI, and baselines.

A baseline is the JSON report of an earlier run: the findings it lists are waived. They
are matched by file, rule, unit, the text found and the message, not by line, so that a
baseline survives edits elsewhere in the file.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import NamedTuple

from lxml import etree

from corpora.errors import CorpusError
from corpora.wording import counted
from termbase.checks.finding import Finding, Severity

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LABEL = {severity: severity.label for severity in Severity}
_SARIF_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
# The line breaks str.splitlines knows, escaped: a unit label or a message quoting a
# multi-line msgid would otherwise split its finding over lines without a file:line.
_BREAKS = "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"
_BREAK = re.compile(f"[{_BREAKS}]")
_ESCAPED = {c: repr(c)[1:-1] for c in _BREAKS}


def _one_line(text: str) -> str:
    # searched first: str.translate costs 5 us a line, 1.2 s for a 200,000-finding report
    return _BREAK.sub(lambda m: _ESCAPED[m.group()], text) if _BREAK.search(text) else text


class Reported(NamedTuple):
    """A finding with the text it was found in (for the matched text and baselines); a
    named tuple, as a large file's report holds hundreds of thousands."""

    finding: Finding
    text: str
    unit_label: str | None = None  # a readable name of the unit: tuid, msgctxt|msgid, line

    @property
    def found(self) -> str:
        return self.text[self.finding.start : self.finding.end]

    def key(self) -> tuple[str | None, str, str | None, str, str]:
        f = self.finding
        return (f.file, f.rule, self.unit_label, self.found, f.message)

    def as_json(self) -> dict[str, object]:
        f = self.finding
        return {
            "rule": f.rule,
            "severity": _LABEL[f.severity],
            "file": f.file,
            "line": f.line,
            "column": f.column,
            "unit": self.unit_label,
            "start": f.start,
            "end": f.end,
            "text": self.found,
            "message": f.message,
            "suggestions": list(f.suggestions),
            "sure": f.sure,
        }


def read_baseline(path: str | Path) -> Counter[tuple[object, ...]]:
    try:
        items = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise CorpusError(f"cannot read the baseline: {exc.strerror}", path=path) from exc
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise CorpusError(
            f"not a JSON baseline: {exc}",
            path=path,
            hint="write one with padan check --format json > FILE",
        ) from exc
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise CorpusError("a baseline is a JSON list of findings", path=path)
    return Counter(
        (i.get("file"), i.get("rule"), i.get("unit"), i.get("text"), i.get("message"))
        for i in items
    )


def waive(found: Iterable[Reported], baseline: Counter[tuple[object, ...]]) -> list[Reported]:
    """The findings the baseline does not list (each baseline entry waives one finding)."""
    left = Counter(baseline)
    out = []
    for r in found:
        key = r.key()
        if left[key] > 0:
            left[key] -= 1
        else:
            out.append(r)
    return out


def _place(f: Finding) -> str:
    parts = [f.file or "-"]
    if f.line is not None:
        parts.append(str(f.line))
        if f.column is not None:
            parts.append(str(f.column))
    return ":".join(parts)


def as_text(found: Sequence[Reported]) -> str:
    lines: list[str] = []
    append = lines.append
    label = _LABEL
    # A large file's report has 100,000s of lines: the common places inlined, and each
    # line made of its place (the same for a unit's findings, which come together) and
    # its finding (the same message often recurs), each escaped once.
    last: tuple[object, ...] = ()
    head = ""
    ends: dict[tuple[Severity, str, str], str] = {}
    for r in found:
        f = r[0]
        place = (f[7], f[8], f[9], r[2])
        if place != last:
            last = place
            file, line, column = f[7] or "-", f[8], f[9]  # as _place writes them
            if line is None:
                where = file
            elif column is None:
                where = f"{file}:{line}"
            else:
                where = f"{file}:{line}:{column}"
            if column is None and r[2]:
                where = f"{where} [{r[2]}]"
            head = _one_line(f"{where}: ")
        end = ends.get((f[1], f[4], f[0]))
        if end is None:
            end = ends[(f[1], f[4], f[0])] = _one_line(f"{label[f[1]]}: {f[4]} ({f[0]})")
        append(head + end)
        if f[5]:
            append(_one_line("    suggestion: " + " | ".join(f"“{s}”" for s in f[5])))
    counts = Counter(r[0][1] for r in found)
    append(
        f"{counted(len(found), 'finding')}: {counted(counts[Severity.ERROR], 'error')}, "
        f"{counted(counts[Severity.WARNING], 'warning')}, {counts[Severity.INFO]} info"
    )
    return "\n".join(lines)


_ENCODER = json.JSONEncoder(ensure_ascii=False)


def as_json(found: Sequence[Reported]) -> str:
    """A JSON array with one finding per line: easy to grep and diff, and written by
    json's C encoder (an indented dump goes through its Python one, ten times slower)."""
    if not found:
        return "[]"
    lines = ",\n".join(_ENCODER.encode(r.as_json()) for r in found)
    return f"[\n{lines}\n]"


def as_junit(found: Sequence[Reported], files: Sequence[str]) -> str:
    """One test suite per file, one failing test case per finding; a file without
    findings gets one passing case, so that CI shows it was checked."""
    root = etree.Element("testsuites", name="padan check")
    for file in files:
        mine = [r for r in found if r.finding.file == file]
        suite = etree.SubElement(
            root, "testsuite", name=file, tests=str(max(1, len(mine))), failures=str(len(mine))
        )
        if not mine:
            etree.SubElement(suite, "testcase", classname=file, name="no findings")
        for r in mine:
            f = r.finding
            case = etree.SubElement(suite, "testcase", classname=file, name=f"{_place(f)} {f.rule}")
            failure = etree.SubElement(case, "failure", message=f.message, type=f.rule)
            failure.text = f"{f.severity.label}: “{r.found}”" + (
                f" → “{f.suggestions[0]}”" if f.suggestions else ""
            )
    root.set("tests", str(sum(int(s.get("tests") or 0) for s in root)))
    root.set("failures", str(len(found)))
    return str(etree.tostring(root, encoding="unicode", pretty_print=True))


def as_sarif(found: Sequence[Reported], rules: dict[str, str], version: str) -> str:
    used = sorted({r.finding.rule for r in found})
    results = []
    for r in found:
        f = r.finding
        region: dict[str, object] = {}
        if f.line is not None:
            region["startLine"] = f.line
            if f.column is not None:
                region["startColumn"] = f.column
                region["endColumn"] = f.column + (f.end - f.start)
        location: dict[str, object] = {"artifactLocation": {"uri": f.file or ""}}
        if region:
            location["region"] = region
        result: dict[str, object] = {
            "ruleId": f.rule,
            "ruleIndex": used.index(f.rule),
            "level": _SARIF_LEVEL[f.severity],
            "message": {"text": f.message},
            "locations": [{"physicalLocation": location}],
        }
        if f.suggestions and region and f.column is not None:
            result["fixes"] = [
                {
                    "description": {"text": f"replace with “{f.suggestions[0]}”"},
                    "artifactChanges": [
                        {
                            "artifactLocation": {"uri": f.file or ""},
                            "replacements": [
                                {
                                    "deletedRegion": region,
                                    "insertedContent": {"text": f.suggestions[0]},
                                }
                            ],
                        }
                    ],
                }
            ]
        results.append(result)
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "padan",
                        "version": version,
                        "rules": [
                            {"id": rule, "shortDescription": {"text": rules.get(rule, rule)}}
                            for rule in used
                        ],
                    }
                },
                "results": results,
            }
        ],
    }
    return json.dumps(log, ensure_ascii=False, indent=2)
