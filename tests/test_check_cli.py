"""`padan check` and `padan fix` as CI and translators run them."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections import Counter

import polib
import pytest
from click.testing import CliRunner
from lxml import etree

from conftest import FIXTURES
from corpora.bundled import bundled_documents
from corpora.documents import load_document
from padan import review
from padan.cli import main
from padan.workspace import Workspace

SEEDS = {d.name: d for d in bundled_documents()}


def padan(*args: str, code: int = 0) -> str:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert result.exit_code == code, result.output
    return result.output


@pytest.fixture
def id_text(tmp_path):
    path = tmp_path / "001.txt"
    path.write_text("\n".join(s.text for s in SEEDS["001"].segments) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def zh_lines(tmp_path):
    """Article 003 with one sentence per line."""
    path = tmp_path / "003.txt"
    path.write_text("\n".join(s.text for s in SEEDS["003"].segments) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def glossary(tmp_path):
    path = tmp_path / "terms.tsv"
    path.write_text("Hugging Face\twajah yang dipeluk\n", encoding="utf-8")
    return path


def test_json_has_every_field_and_places_are_right(id_text, tmp_path):
    out = padan(
        "--db", str(tmp_path / "none.db"), "check", str(id_text), "--format", "json", code=1
    )
    items = json.loads(out)
    lines = id_text.read_text(encoding="utf-8").split("\n")
    assert {
        "rule",
        "severity",
        "file",
        "line",
        "column",
        "start",
        "end",
        "message",
        "suggestions",
    } <= set(items[0])
    for item in items:
        line = lines[item["line"] - 1]
        assert line[item["column"] - 1 : item["column"] - 1 + len(item["text"])] == item["text"]
    found = Counter((i["rule"], i["text"], tuple(i["suggestions"][:1])) for i in items)
    assert found[("id-glued-word", "Stargatedirancang", ("Stargate dirancang",))] == 1
    assert found[("id-currency-space", "$ ", ("$",))] == 3
    assert ("id-space-hyphen", " -", ("-",)) in found


def test_exit_codes_follow_fail_on(id_text, tmp_path):
    db = str(tmp_path / "none.db")
    padan("--db", db, "check", str(id_text), code=1)  # errors present
    padan("--db", db, "check", str(id_text), "--fail-on", "never", code=0)
    padan("--db", db, "check", str(id_text), "--rule", "casing", code=0)  # warnings only
    padan("--db", db, "check", str(id_text), "--rule", "casing", "--fail-on", "warning", code=1)
    clean = tmp_path / "clean.txt"
    clean.write_text("Model ini dirilis sebagai sumber terbuka.\n", encoding="utf-8")
    padan("--db", db, "check", str(clean), "--lang", "id", "--fail-on", "warning", code=0)
    padan("--db", db, "check", str(tmp_path / "missing.txt"), code=2)
    padan("--db", db, "check", str(clean), "--rule", "no-such-rule", code=2)
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    out = padan("--db", db, "check", str(empty), "--fail-on", "warning")
    assert out.endswith("0 findings: 0 errors, 0 warnings, 0 info\n"), out


def test_the_summary_words_each_count_in_its_number(tmp_path):
    one = tmp_path / "one.txt"
    one.write_text("Harganya $ 6 juta.\n", encoding="utf-8")
    out = padan("--db", str(tmp_path / "none.db"), "check", str(one), "--lang", "id", code=1)
    assert out.endswith("\n1 finding: 1 error, 0 warnings, 0 info\n"), out


@pytest.mark.parametrize(("options", "code"), [((), 1), (("--fail-on", "never"), 0)])
def test_the_program_ends_with_its_whole_report_and_status(id_text, tmp_path, options, code):
    # run as the program, padan check ends at once (os._exit) after its report: every
    # line must be out, and the status the one click's runner sees
    args = ["--db", str(tmp_path / "none.db"), "check", str(id_text), "--format", "json"]
    program = subprocess.run(
        [sys.executable, "-c", "from padan.cli import main; main()", *args, *options],
        capture_output=True,
        text=True,
    )
    assert program.returncode == code, program.stderr
    assert program.stdout == padan(*args, *options, code=code)
    assert len(json.loads(program.stdout)) > 10


def test_baseline_waives_known_findings_only(id_text, tmp_path):
    db = str(tmp_path / "none.db")
    baseline = tmp_path / "baseline.json"
    baseline.write_text(padan("--db", db, "check", str(id_text), "--format", "json", code=1))
    padan("--db", db, "check", str(id_text), "--baseline", str(baseline), "--fail-on", "warning")
    # a new problem on top of the known ones is still reported, by line
    id_text.write_text("Ada $ 5 juta.\n" + id_text.read_text(encoding="utf-8"), encoding="utf-8")
    out = padan(
        "--db", db, "check", str(id_text), "--baseline", str(baseline), "--format", "json", code=1
    )
    [item] = json.loads(out)
    assert item["line"] == 1 and item["rule"] == "id-currency-space"
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    padan("--db", db, "check", str(id_text), "--baseline", str(bad), code=2)


def test_term_base_from_the_workspace_or_a_tbx(tmp_path, db_location, new_db_location):
    db = db_location
    out = padan("--db", db, "terms", "add", "Hugging Face", "--lang", "id")
    key = re.search(r"\bc\d+\b", out).group()
    padan(
        "--db",
        db,
        "terms",
        "add",
        "wajah yang dipeluk",
        "--lang",
        "id",
        "--concept",
        key,
        "--status",
        "forbidden",
        "--replacement",
        "Hugging Face",
    )
    text = tmp_path / "t.txt"
    text.write_text("Model dari wajah yang dipeluk.\n", encoding="utf-8")
    found = json.loads(
        padan("--db", db, "check", str(text), "--lang", "id", "--format", "json", code=1)
    )
    # the term base's finding, beside Padan's own list of calques (id-calque)
    [item] = [f for f in found if f["rule"].startswith("term-")]
    assert (item["rule"], item["text"], item["suggestions"]) == (
        "term-forbidden",
        "wajah yang dipeluk",
        ["Hugging Face"],
    )
    tbx = tmp_path / "terms.tbx"
    padan("--db", db, "terms", "export", str(tbx), "--from", "id")
    other = new_db_location("other.db")
    out = padan(
        "--db",
        other,
        "check",
        str(text),
        "--lang",
        "id",
        "--termbase",
        str(tbx),
        "--format",
        "json",
        code=1,
    )
    assert [i["rule"] for i in json.loads(out) if i["rule"] != "id-calque"] == ["term-forbidden"]
    # without a term base only Padan's own list of calques speaks
    without = padan("--db", other, "check", str(text), "--lang", "id", "--format", "json")
    assert [i["rule"] for i in json.loads(without)] == ["id-calque"]


def test_junit_is_wellformed_with_one_case_per_finding(id_text, tmp_path):
    out = padan("--db", str(tmp_path / "n.db"), "check", str(id_text), "--format", "junit", code=1)
    root = etree.fromstring(out.encode())
    [suite] = root.findall("testsuite")
    failures = suite.findall("testcase/failure")
    assert len(failures) == int(suite.get("failures")) == int(root.get("failures")) > 5
    assert {f.get("type") for f in failures} >= {"id-space-hyphen", "id-currency-space"}


def test_sarif_results_point_at_the_text(id_text, tmp_path):
    out = padan("--db", str(tmp_path / "n.db"), "check", str(id_text), "--format", "sarif", code=1)
    log = json.loads(out)
    assert log["version"] == "2.1.0"
    run = log["runs"][0]
    rules = [r["id"] for r in run["tool"]["driver"]["rules"]]
    lines = id_text.read_text(encoding="utf-8").split("\n")
    for result in run["results"]:
        assert rules[result["ruleIndex"]] == result["ruleId"]
        assert result["level"] in ("error", "warning", "note")
        region = result["locations"][0]["physicalLocation"]["region"]
        line = lines[region["startLine"] - 1]
        assert 1 <= region["startColumn"] < region["endColumn"] <= len(line) + 1
        for change in result.get("fixes", []):
            [rep] = change["artifactChanges"][0]["replacements"]
            assert rep["deletedRegion"] == region


def test_po_files_are_checked_unit_by_unit(tmp_path):
    po = tmp_path / "x.po"
    catalog = polib.POFile()
    catalog.metadata = {"Language": "id", "Content-Type": "text/plain; charset=UTF-8"}
    catalog.append(polib.POEntry(msgid="Open %s: 3 files", msgstr="Buka %d: 4 berkas"))
    catalog.append(polib.POEntry(msgid="Saved", msgstr="Tersimpan"))
    catalog.save(str(po))
    items = json.loads(
        padan("--db", str(tmp_path / "n.db"), "check", str(po), "--format", "json", code=1)
    )
    assert {i["rule"] for i in items} == {"pofilter-printf", "pofilter-numbers"}
    assert {i["line"] for i in items} == {polib.pofile(str(po))[0].linenum}
    assert {i["unit"] for i in items} == {"Open %s: 3 files"}


def test_text_report_keeps_each_finding_on_one_line(tmp_path):
    # a multi-line msgid is the unit's label: its line breaks are written escaped
    po = tmp_path / "x.po"
    catalog = polib.POFile()
    catalog.metadata = {"Language": "id", "Content-Type": "text/plain; charset=UTF-8"}
    catalog.append(
        polib.POEntry(msgid="Usage:\n  run %s\u2028now", msgstr="Cara pakai:\n  jalankan")
    )
    catalog.save(str(po))
    out = padan("--db", str(tmp_path / "n.db"), "check", str(po), code=1)
    lines = out.splitlines()
    found = [line for line in lines if not line.startswith("    suggestion: ")][:-1]
    assert found and all(line.startswith(f"{po}:") for line in found), out
    assert "[Usage:\\n  run %s\\u2028now]" in found[0]


def test_a_catalogue_of_a_language_into_itself_checks_its_msgstrs(tmp_path):
    # en.po: the translation is the second English variant, never the msgid itself
    po = tmp_path / "en.po"
    catalog = polib.POFile()
    catalog.metadata = {"Language": "en", "Content-Type": "text/plain; charset=UTF-8"}
    catalog.append(polib.POEntry(msgid="Open %s: 3 files", msgstr="Open: 4 files"))
    catalog.append(polib.POEntry(msgid="Colour", msgstr="Color"))
    catalog.save(str(po))
    items = json.loads(
        padan("--db", str(tmp_path / "n.db"), "check", str(po), "--format", "json", code=1)
    )
    assert {i["rule"] for i in items} == {"pofilter-printf", "pofilter-numbers"}
    assert {i["unit"] for i in items} == {"Open %s: 3 files"}


@pytest.mark.parametrize(
    ("tail", "error"),
    [
        ('msgid "x"\nmsgstr "y" junk\n', r":45007:12: not a valid PO file: syntax error"),
        ('msgid "Open file 3"\nmsgstr "z"\n', r":45006: duplicate message definition"),
    ],
)
def test_a_large_po_checked_while_read_still_fails_at_its_place(tmp_path, tail, error):
    # enough units for the checking processes: the error comes after they started
    head = (
        'msgid ""\nmsgstr ""\n"Language: id\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
    )
    body = "".join(f'msgid "Open file {i}"\nmsgstr "Buka berkas {i}"\n\n' for i in range(15_000))
    po = tmp_path / "big.po"
    po.write_text(head + body + tail, encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(po)])
    assert result.exit_code == 2
    assert re.fullmatch(rf"padan: error: {re.escape(str(po))}{error}.*\n", result.output)


def test_fix_auto_on_the_spun_article(zh_lines, tmp_path):
    out = tmp_path / "fixed.txt"
    result = CliRunner().invoke(
        main,
        ["fix", str(zh_lines), "--auto", "--lang", "zh", "-o", str(out)],
        catch_exceptions=False,
    )
    assert result.exit_code == 0
    fixed = out.read_text(encoding="utf-8")
    assert "模子" not in fixed and "可以或许" not in fixed and "开辟者" not in fixed
    assert fixed.count("\n") == zh_lines.read_text(encoding="utf-8").count("\n")
    assert re.search(r"\d+ character edits in \d+ characters", result.output), result.output


def test_fix_dry_run_prints_a_diff_and_writes_nothing(id_text, tmp_path):
    before = id_text.read_text(encoding="utf-8")
    out = padan("fix", str(id_text), "--auto", "--dry-run", "--rule", "id-currency-space")
    assert "-" in out and "+" in out and "$6 juta" in out
    assert id_text.read_text(encoding="utf-8") == before


def test_fix_po_leaves_what_the_translation_copied_from_its_source(tmp_path):
    po = tmp_path / "x.po"
    catalog = polib.POFile()
    catalog.metadata = {"Language": "id", "Content-Type": "text/plain; charset=UTF-8"}
    for msgid, msgstr in [
        ("Try `grep grep' or `ls -list'", "Coba `grep grep' atau `ls -list'"),
        ("Set Fooline keys", "Atur kunci Fooline"),
        ("The FooLine editor", "Penyunting FooLine"),
        ("Bad bad input", "Masukan masukan buruk"),
    ]:
        catalog.append(polib.POEntry(msgid=msgid, msgstr=msgstr))
    catalog.save(str(po))
    out = padan("fix", str(po), "--dry-run")
    assert [line for line in out.splitlines() if line.startswith("+")] == [
        "+ Masukan-masukan buruk"
    ], out


def test_fix_po_keeps_the_catalogue_valid(tmp_path):
    src = FIXTURES / "po" / "glib-2.74.6_zh_CN.po"
    out = tmp_path / "fixed.po"
    padan("fix", str(src), "-o", str(out), "--rule", "zh-spin")
    subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(out)], check=True)
    assert len(polib.pofile(str(out))) == len(polib.pofile(str(src)))


def test_workspace_fix_is_one_undoable_bulk_fix(db_location):
    db = db_location
    ws = Workspace(db)
    ws.add_documents(bundled_documents())
    before = {v.id: v.current for v in ws.documents.variants("zh", "003")}
    ws.close()
    dry = padan("--db", db, "fix", "--auto", "--dry-run")
    assert int(re.search(r"(\d+) segments would change", dry).group(1)) > 20
    ws = Workspace(db)
    assert {v.id: v.current for v in ws.documents.variants("zh", "003")} == before
    ws.close()
    out = padan("--db", db, "fix", "--auto")
    fixed = re.fullmatch(r"fixed (\d+) segments in one bulk fix; `padan undo` takes it back\n", out)
    assert fixed, out
    ws = Workspace(db)
    after = {v.id: v.current for v in ws.documents.variants("zh", "003")}
    assert sum(before[i] != after[i] for i in before) > 20
    assert not any("模子" in t for t in after.values())
    revisions = {r.reason for i in before for r in ws.documents.history(i)}
    assert "bulk fix" in revisions
    ws.close()
    assert padan("--db", db, "undo") == f"undid {fixed.group(1)} changes\n"
    ws = Workspace(db)
    assert {v.id: v.current for v in ws.documents.variants("zh", "003")} == before
    ws.close()
    padan("--db", db, "redo")
    ws = Workspace(db)
    assert {v.id: v.current for v in ws.documents.variants("zh", "003")} == after
    ws.close()


def test_bundled_corpus_damage_and_casing_are_all_found(db_location):
    ws = Workspace(db_location)
    ws.add_documents(bundled_documents())
    found = Counter(
        (sf.finding.rule, sf.written, sf.finding.suggestions[0]) for sf in review.findings(ws)
    )
    for rule, text, suggestion in [
        ("id-glued-word", "Stargatedirancang", "Stargate dirancang"),
        ("id-currency-space", "$ ", "$"),
        ("casing", "Deepseek", "DeepSeek"),
        ("casing", "Openai", "OpenAI"),
        ("casing", "QWEN3", "Qwen3"),
        ("id-doubled-word", "wajah wajah", "wajah-wajah"),
    ]:
        assert found[(rule, text, suggestion)] >= 1, (rule, text)
    hyphen = {
        sf.variant.current[max(0, sf.finding.start - 10) : sf.finding.end + 12]
        for sf in review.findings(ws)
        if sf.finding.rule == "id-space-hyphen"
    }
    for damage in ("sia -sia", "Perusahaan -perusahaan", "kesia -siaan", "GPT -4"):
        assert any(damage in h for h in hyphen), damage
    ws.close()


def test_marking_a_garbled_rendering_finds_it_everywhere(tmp_path, db_location):
    ws = Workspace(db_location)
    ws.add_documents(bundled_documents())
    extra = tmp_path / "extra.txt"
    extra.write_text("Model baru ada di wajah yang dipeluk.\n\nPlatform wajah yang dipeluknya.\n")
    ws.add_documents([load_document(extra, "id")])
    review.mark_garbled(ws, "wajah yang dipeluk", "id", replacement="Hugging Face")
    hits = [sf for sf in review.findings(ws) if sf.finding.rule == "term-forbidden"]
    assert {sf.variant.document for sf in hits} == {"000", "extra"} and len(hits) == 3
    assert all(sf.finding.suggestions == ("Hugging Face",) for sf in hits)
    batch, count = review.apply_many(ws, hits)
    assert batch and count == len({sf.variant.id for sf in hits})
    assert not [sf for sf in review.findings(ws) if sf.finding.rule == "term-forbidden"]
    ws.close()


def test_units_the_file_locks_are_not_checked(tmp_path):
    # the same faulty translation (a doubled space, a number dropped) twice: only the unit
    # the translator may change is reported, not the translate="no" one nor the one in a
    # locked group
    unit = (
        '<trans-unit id="{0}"{1}><source>Delete 3 files</source>'
        "<target>Hapus  berkas</target></trans-unit>"
    )
    xlf = tmp_path / "locked.xlf"
    xlf.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<xliff xmlns="urn:oasis:names:tc:xliff:document:1.2" version="1.2">'
        '<file original="x" source-language="en" target-language="id" datatype="plaintext">'
        "<body>"
        + unit.format("open", "")
        + unit.format("no", ' translate="no"')
        + '<group id="g" translate="no">'
        + unit.format("inside", "")
        + "</group></body></file></xliff>\n",
        encoding="utf-8",
    )
    findings = json.loads(
        padan("--db", str(tmp_path / "none.db"), "check", str(xlf), "--format", "json")
    )
    assert findings and {f["unit"] for f in findings} == {"open"}
