"""`padan pretranslate` of a plain text says that plain text is not a format it fills
(not that the output should take the extension the input already has)."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from padan.cli import main


def test_plain_text_is_refused_as_such(tmp_path: Path):
    text = tmp_path / "good.txt"
    text.write_text("Open the file.\n", encoding="utf-8")
    db = str(tmp_path / "w.db")
    for out in ("o.txt", "o.po"):
        result = CliRunner().invoke(
            main, ["--db", db, "pretranslate", str(text), "-o", str(tmp_path / out)]
        )
        assert result.exit_code == 2
        (line,) = result.output.strip().splitlines()
        assert "good.txt: plain text cannot be pretranslated" in line
        assert "extension" not in line
        assert not (tmp_path / out).exists()
