"""The command line, run as a user runs it: through click's runner on a temporary workspace."""

from __future__ import annotations

import json
import subprocess

import click
import pytest
from click.testing import CliRunner
from lxml import etree

from conftest import FIXTURES
from padan.cli import main

RNG = FIXTURES / "tbx" / "schemas" / "TBXcoreStructV03.rng"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@pytest.fixture
def run(db_location):
    db = db_location

    def invoke(*args: str, code: int = 0):
        result = CliRunner().invoke(main, ["--db", db, *args], catch_exceptions=False)
        assert result.exit_code == code, result.output
        return result

    return invoke


@pytest.fixture(scope="module")
def demo_workspace(module_db_location):
    db = module_db_location
    result = CliRunner().invoke(main, ["--db", db, "demo"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return db, result.output


def test_every_command_has_help_text():
    def walk(group: click.Group, path: list[str]):
        for name, cmd in group.commands.items():
            assert cmd.help, f"padan {' '.join(path + [name])} has no help text"
            if isinstance(cmd, click.Group):
                walk(cmd, path + [name])

    walk(main, [])


def test_demo_summary_shows_the_key_terms_and_equivalents(demo_workspace):
    _, out = demo_workspace
    assert "5 documents" in out
    top_lines = [line for line in out.splitlines() if line.startswith("Top ")]
    zh_line = next(line for line in top_lines if "Chinese" in line)
    assert "开源" in zh_line and "人工智能" in zh_line
    assert "open-weight" in out
    kaiyuan = next(line for line in out.splitlines() if "开源 ↔" in line)
    assert "sumber terbuka" in kaiyuan and "open source" in kaiyuan


def test_demo_summary_says_where_the_garbled_renderings_are(demo_workspace):
    _, out = demo_workspace
    garbled = out.split("Garbled renderings", 1)[1].split("\nNext:", 1)[0]
    lines = {line.split(":", 1)[0].strip(): line for line in garbled.splitlines()[1:] if line}
    assert "zh-spin" in lines["003 zh"] and "(spun, threshold" in lines["003 zh"]
    assert "id-space-hyphen" in lines["000 id"] and "casing" in lines["000 id"]
    assert "id-currency-space 3" in lines["001 id"]
    assert not any("zh-spin" in line for key, line in lines.items() if key != "003 zh")


def test_demo_is_idempotent(demo_workspace):
    db, _ = demo_workspace
    again = CliRunner().invoke(main, ["--db", db, "demo"], catch_exceptions=False)
    assert "(0 new or changed)" in again.output


def test_extract_json_schema(demo_workspace):
    db, _ = demo_workspace
    result = CliRunner().invoke(
        main, ["--db", db, "terms", "extract", "--lang", "zh-CN", "--top", "5", "--json"]
    )
    items = json.loads(result.output)
    assert len(items) == 5
    assert set(items[0]) == {
        "text",
        "lang",
        "score",
        "frequency",
        "documents",
        "contexts",
        "variants",
    }
    assert all(i["lang"] == "zh" for i in items)
    assert items[0]["score"] >= items[-1]["score"]


def test_align_json_and_accept_builds_a_concept(demo_workspace):
    db, _ = demo_workspace
    runner = CliRunner()
    out = runner.invoke(main, ["--db", db, "terms", "proposals", "--top", "500", "--json"]).output
    proposals = json.loads(out)
    assert {"id", "source", "target", "score", "count", "evidence", "method"} <= set(proposals[0])
    target = next(p for p in proposals if p["source"] == "开源" and p["target"] == "sumber terbuka")
    accepted = runner.invoke(main, ["--db", db, "terms", "accept", str(target["id"])])
    assert accepted.exit_code == 0
    shown = runner.invoke(main, ["--db", db, "terms", "show", "sumber terbuka", "--json"])
    [concept] = json.loads(shown.output)
    assert {t["text"] for t in concept["terms"]} == {"开源", "sumber terbuka"}


def test_demo_proposes_no_spun_form_and_accepting_deprecates_it(tmp_path):
    db = str(tmp_path / "own.db")  # accepting changes the term base: not the shared one
    runner = CliRunner()
    runner.invoke(main, ["--db", db, "demo"], catch_exceptions=False)
    out = runner.invoke(main, ["--db", db, "terms", "proposals", "--top", "2000", "--json"]).output
    proposals = json.loads(out)
    sides = {p["source"] for p in proposals} | {p["target"] for p in proposals}
    assert not sides & {"模子", "开辟者", "手艺", "立异"}  # spun forms of 003
    model = next(p for p in proposals if p["source"] == "模型" and p["target_lang"] == "id")
    [spun] = [v for v in model["variants"] if v["text"] == "模子"]
    assert spun["replacement"] == "模型" and spun["rule"] == "zh-spin"
    assert any("模子" in e for e in model["evidence"])  # evidence shows the stored text
    runner.invoke(main, ["--db", db, "terms", "accept", str(model["id"])], catch_exceptions=False)
    shown = runner.invoke(main, ["--db", db, "terms", "show", "模型", "--json"])
    [concept] = json.loads(shown.output)
    deprecated = [t for t in concept["terms"] if t["status"] == "deprecated"]
    assert [(t["text"], t["replacement"]) for t in deprecated] == [("模子", "模型")]


def test_add_show_set_status(run):
    out = run("terms", "add", "Hugging Face", "--lang", "en", "--pos", "properNoun").output
    key = out.split()[0]
    run(
        "terms",
        "add",
        "wajah yang dipeluk",
        "--lang",
        "id-ID",
        "--concept",
        key,
        "--status",
        "forbidden",
        "--replacement",
        "Hugging Face",
    )
    shown = run("terms", "show", key).output
    assert "wajah yang dipeluk" in shown and "forbidden → Hugging Face" in shown
    run("terms", "set-status", key, "id", "wajah yang dipeluk", "deprecated")
    assert "[deprecated" in run("terms", "show", "wajah yang dipeluk").output


def test_unknown_concept_is_a_one_line_error(run):
    result = run("terms", "show", "c404", code=2)
    assert result.output.strip().startswith("padan: error:")
    assert len(result.output.strip().splitlines()) == 1


def test_import_text_files_and_bad_input(run, tmp_path):
    good = tmp_path / "artikel.txt"
    good.write_text(
        "Model open source itu bagus. Pengembang suka model open source.\n", encoding="utf-8"
    )
    out = run("import", str(good), "--lang", "id").output
    assert out.strip() == "artikel: id, 2 segments (2 content)"
    assert run("import", str(good), "--lang", "id").output.strip().endswith(", unchanged")
    missing = run("import", str(tmp_path / "nope.txt"), code=2)
    assert "nope.txt" in missing.output and "Traceback" not in missing.output


def test_parallel_align_from_text_files_with_terms(run, tmp_path):
    en = tmp_path / "en.txt"
    id_ = tmp_path / "id.txt"
    terms = tmp_path / "terms.txt"
    en_lines = [
        "Open the file.",
        "Save the file now.",
        "The file is open source.",
        "Delete the folder.",
        "Open the folder.",
        "The folder is empty.",
    ]
    id_lines = [
        "Buka berkas.",
        "Simpan berkas sekarang.",
        "Berkas itu sumber terbuka.",
        "Hapus map.",
        "Buka map.",
        "Map itu kosong.",
    ]
    en.write_text("\n".join(en_lines), encoding="utf-8")
    id_.write_text("\n".join(id_lines), encoding="utf-8")
    terms.write_text("file\nfolder\n", encoding="utf-8")
    out = run(
        "terms",
        "align",
        f"{en}:{id_}",
        "--from",
        "en",
        "--to",
        "id",
        "--terms",
        str(terms),
        "--json",
    ).output
    proposals = json.loads(out)
    assert {p["source"] for p in proposals} <= {"file", "folder"}
    # ascending by score, so each source keeps its best target
    best = {p["source"]: p["target"] for p in sorted(proposals, key=lambda p: p["score"])}
    assert best["file"] == "berkas" and best["folder"] == "map"
    assert run("terms", "align", str(en), "--from", "en", "--to", "id", code=2)


def test_terms_export_import_round_trip_and_validation(run, tmp_path, new_db_location):
    run("terms", "add", "open source", "--lang", "en", "--definition", "public source code")
    run("terms", "add", "sumber terbuka", "--lang", "id", "--concept", "c1")
    run("terms", "add", "开源", "--lang", "zh", "--concept", "c1")
    tbx = tmp_path / "g.tbx"
    assert "wrote 1 concept to" in run("terms", "export", str(tbx)).output
    lint = subprocess.run(
        ["xmllint", "--noout", "--relaxng", str(RNG), str(tbx)], capture_output=True, text=True
    )
    assert lint.returncode == 0, lint.stderr
    po = tmp_path / "g.po"
    run("terms", "export", str(po), "--from", "en", "--to", "zh_CN")
    assert subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(po)]).returncode == 0
    other = new_db_location("other.db")
    result = CliRunner().invoke(main, ["--db", other, "terms", "import", str(tbx)])
    assert result.exit_code == 0, result.output
    assert result.output == f"imported 1 concept from {tbx}\n"  # a count in its number
    again = CliRunner().invoke(main, ["--db", other, "terms", "import", str(tbx)]).output
    assert again == f"imported 1 concept from {tbx} (0 new, 1 joined a concept already there)\n"
    shown = CliRunner().invoke(main, ["--db", other, "terms", "show", "开源", "--json"])
    [concept] = json.loads(shown.output)
    assert {t["text"] for t in concept["terms"]} == {"open source", "sumber terbuka", "开源"}
    assert concept["definition"] == "public source code"


def test_export_errors_are_one_line(run, tmp_path):
    out = run("terms", "export", str(tmp_path / "g.xlsx"), code=2).output
    assert out.startswith("padan: error:") and "unknown term base format" in out
    out = run("terms", "export", str(tmp_path / "g.csv"), code=2).output
    assert "--to LANG" in out


def test_search_marks_the_spun_words(demo_workspace):
    db, _ = demo_workspace
    query = "开源模型的支持者认为,开源能够加快科学和创新,改善透明度,分散管理,并加强市场竞争力。"
    result = CliRunner().invoke(main, ["--db", db, "search", query, "--min", "50", "--json"])
    [best, *_] = json.loads(result.output)
    assert (best["document"], best["lang"]) == ("003", "zh")
    marked = {best["text"][s:e] for s, e, _ in best["spans"]}
    assert {"模子", "立异"} <= marked
    assert 75 < best["score"] < 90
    plain = CliRunner().invoke(main, ["--db", db, "search", query, "--min", "50"]).output
    assert "[模子]" in plain


def test_concordance_sees_inside_words_and_inflections(demo_workspace):
    db, _ = demo_workspace
    zh = json.loads(CliRunner().invoke(main, ["--db", db, "concordance", "开源", "--json"]).output)
    assert any("开源代码" in hit["text"] for hit in zh)  # jieba alone splits 开/源代码
    found = (
        CliRunner()
        .invoke(main, ["--db", db, "concordance", "model", "--lang", "id", "--json"])
        .output
    )
    texts = [hit["text"] for hit in json.loads(found)]
    assert any("model -model" in t or "model-model" in t for t in texts)


def test_import_memories_and_export_them(run, tmp_path):
    po = str(FIXTURES / "po" / "glib-2.74.6_id.po")
    out = run("import", po, str(FIXTURES / "xliff" / "sample.xlf")).output
    assert "1252 units added" in out and "3 units added" in out
    assert "1252 unchanged" in run("import", po).output  # no duplicates on re-import
    tmx = tmp_path / "all.tmx"
    # 1252 + 3 units, less glib's 41 obsolete entries: not live memory, not in a TMX
    assert "wrote 1214 units" in run("export", str(tmx)).output
    lint = subprocess.run(
        ["xmllint", "--noout", "--dtdvalid", str(FIXTURES / "tmx" / "tmx14.dtd"), str(tmx)],
        capture_output=True,
    )
    assert lint.returncode == 0, lint.stderr
    pair = tmp_path / "pair.po"
    run("export", str(pair), "--from", "en", "--to", "id")
    assert subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(pair)]).returncode == 0


def test_revised_document_exports(demo_workspace, tmp_path):
    db, _ = demo_workspace
    po, txt = tmp_path / "003.po", tmp_path / "003.txt"
    for target in (po, txt):
        result = CliRunner().invoke(main, ["--db", db, "export", str(target), "--document", "003"])
        assert result.exit_code == 0, result.output
    assert subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(po)]).returncode == 0
    assert txt.read_text(encoding="utf-8").startswith("通过开源其模子,DeepSeek")


def test_bad_memory_file_changes_nothing(run, tmp_path):
    good = str(FIXTURES / "xliff" / "sample.xlf")
    bad = tmp_path / "bad.tmx"
    bad.write_text(
        '<?xml version="1.0"?><tmx version="1.4"><header srclang="en"/><body><tu>'
        '<tuv xml:lang="en"><seg>x</seg></tuv></tu><tu><tuv><seg>y</seg></tuv></tu>'
        "</body></tmx>"
    )
    out = run("import", good, str(bad), code=2).output
    assert "bad.tmx" in out and "without a language" in out
    assert "sample.xlf" not in run("stats").output  # all or nothing


def test_stats_measure_post_editing(run, tmp_path, db_location):
    from padan.workspace import Workspace

    doc = tmp_path / "artikel.txt"
    doc.write_text("Biaya kurang dari $ 6 juta.\nUpaya itu sia -sia.\n", encoding="utf-8")
    run("import", str(doc), "--lang", "id")
    ws = Workspace(db_location)
    first = ws.documents.variants("id", "artikel")[0]
    ws.documents.edit(first.id, "Biaya kurang dari $6 juta.", author="test")
    ws.close()
    [row] = json.loads(run("stats", "--json").output)
    assert (row["document"], row["segments"], row["edited"], row["char_edits"]) == (
        "artikel",
        2,
        1,
        1,
    )
    assert row["ter"] > 0


def test_tico19_pair_merges_into_one_trilingual_memory(run, tmp_path):
    import zipfile

    files = []
    for name in ("tico19_en-id.tmx.zip", "tico19_en-zh.tmx.zip"):
        with zipfile.ZipFile(FIXTURES / "tmx" / name) as z:
            [member] = z.namelist()
            files.append(str(tmp_path / member))
            (tmp_path / member).write_bytes(z.read(member))
    out = run("import", *files, "--document", "tico19").output
    # 19 tuids have another English text in the en-zh memory ("'cause" for "cause"):
    # those units are kept apart (padan/tuids.py), never a source replaced
    assert "3071 units added" in out and "19 units added, 3052 updated" in out
    assert "another source: CMU_1:47, CMU_1:48," in out and "and 14 more" in out
    tmx = tmp_path / "tri.tmx"
    run("export", str(tmx), "--document", "tico19")
    tus = etree.parse(str(tmx)).findall(".//tu")
    assert len(tus) == 3090
    langs = [{tuv.get(XML_LANG) for tuv in tu.findall("tuv")} for tu in tus]
    assert sum(found == {"en-US", "id-ID", "zh-CN"} for found in langs) == 3052
