"""The memory panel shows each match with its translation into the open document's
target language, whichever document of the same source language was open before."""

from __future__ import annotations

from pathlib import Path

from tui_pilot import pilot, until
from tui_pilot import ready as shared_ready

from padan.workspace import Workspace
from tm.files import read_units
from tui.app import PadanApp
from tui.widgets.panels import MemoryPanel

SIZE = (100, 30)
MSGIDS = ["Open the file in the editor", "Save the file before closing", "Close the window"]


def _po(path: Path, lang: str, translations: list[str]) -> Path:
    entries = "".join(
        f'msgid "{m}"\nmsgstr "{t}"\n\n' for m, t in zip(MSGIDS, translations, strict=True)
    )
    header = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
    header += f'"Language: {lang}\\n"\n'
    path.write_text(f"{header}\n{entries}", encoding="utf-8")
    return path


@pilot
async def test_the_panel_shows_translations_into_the_open_documents_language(tmp_path):
    db = str(tmp_path / "padan.db")
    files = [
        _po(tmp_path / "a.po", "id", ["Buka berkas", "Simpan berkas", "Tutup jendela"]),
        _po(tmp_path / "b.po", "zh_CN", ["打开文件", "保存文件", "关闭窗口"]),
        _po(tmp_path / "c.po", "id", ["Buka berkas ini", "Simpan berkasnya", "Tutup"]),
        _po(tmp_path / "d.po", "zh_CN", ["打开该文件", "先保存文件", "关闭"]),
    ]
    ws = Workspace(db)
    for file in files:
        found = read_units(str(file))
        ws.documents.import_units(file.name, found.source_lang, found.units)
    ws.close()
    app = PadanApp(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await shared_ready(pilot, settle=0.1)
        panel = screen.query_one(MemoryPanel)
        for document, lang in (("a.po", "id"), ("b.po", "zh")):
            screen.open_document(document)
            await until(pilot, lambda d=document: screen.doc == d and screen.shown is not None)
            panel.matches = []
            screen.action_search_memory()
            await until(pilot, lambda: bool(panel.matches))
            shown = {other.lang.split("-")[0] for _, _, other in panel.matches if other}
            assert shown == {lang}, (document, shown)
