"""`padan search` as a concordance/fuzzy look-up: each match with its stored translations,
and its numeric options checked by click."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from padan.cli import main

PO = """msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Language: {lang}\\n"

msgid "Open the file in a new window"
msgstr "{open}"

msgid "Close every window"
msgstr "{close}"
"""


@pytest.fixture
def run(db_location, tmp_path: Path):
    def invoke(*args: str, code: int = 0):
        result = CliRunner().invoke(main, ["--db", db_location, *args], catch_exceptions=False)
        assert result.exit_code == code, result.output
        return result

    for lang, open_, close in (
        ("id", "Buka berkas di jendela baru", "Tutup semua jendela"),
        ("zh_CN", "在新窗口中打开文件", ""),
    ):
        po = tmp_path / f"{lang}.po"
        po.write_text(PO.format(lang=lang, open=open_, close=close), encoding="utf-8")
        invoke("import", str(po), "--document", "app")  # one unit per msgid, both targets
    return invoke


def test_json_gives_every_translation_of_each_match(run):
    out = json.loads(run("search", "Open the file in a new tab", "--lang", "en", "--json").output)
    assert out[0]["text"] == "Open the file in a new window"
    assert sorted((t["lang"], t["text"]) for t in out[0]["translations"]) == [
        ("id", "Buka berkas di jendela baru"),
        ("zh", "在新窗口中打开文件"),
    ]


def test_to_picks_the_language_and_text_output_shows_it(run):
    out = run("search", "Open the file in a new tab", "--lang", "en", "--to", "zh_CN").output
    lines = out.splitlines()
    assert "→ zh: 在新窗口中打开文件" in lines[2] and "jendela" not in out
    data = json.loads(
        run(
            "search", "Close all windows", "--lang", "en", "--min", "40", "--to", "zh", "--json"
        ).output
    )
    # untranslated into zh: nothing to offer, and no place taken from a translated match
    assert "Close every window" not in [m["text"] for m in data]
    assert all(m["translations"] for m in data)


def test_to_keeps_the_limit_for_matches_translated_into_it(run):
    """The best match has no zh translation: --limit 1 still shows the one that has."""
    out = run(
        "search", "Close every window", "--lang", "en", "--min", "30", "--limit", "1", "--to", "zh"
    ).output
    assert "在新窗口中打开文件" in out and "Close every window" not in out
    said = run("search", "Close every window", "--lang", "en", "--min", "90", "--to", "zh")
    assert said.output.startswith(
        "No match translated into zh: 1 match without a translation into zh"
    )


@pytest.mark.parametrize(
    ("option", "value", "said"),
    [("--min", "101", "0<=x<=100"), ("--min", "-1", "0<=x<=100"), ("--limit", "0", "x>=1")],
)
def test_out_of_range_options_are_usage_errors(run, option, value, said):
    result = run("search", "window", option, value, code=2)
    assert f"Invalid value for '{option}'" in result.output and said in result.output
