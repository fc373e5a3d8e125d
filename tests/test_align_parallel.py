"""Parallel term alignment: a hand-made en/id/zh set, and real catalogues against GNOME."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

import termbase.parallel_grams as grams_module
from corpora.tokenize import Token, tokenize
from termbase.align_parallel import align_parallel, dice_baseline

FIXTURES = Path(__file__).resolve().parent / "fixtures"
BENCH = Path(__file__).resolve().parents[1] / "bench" / "align_quality.py"

# (English, Indonesian, Chinese): files, folders and open source, with "the"/"yang"/"的"
# and "user"/"pengguna"/"用户" everywhere, 开源 inside 开源代码 (jieba: 开/源代码), a bare
# "source"/"sumber", an "open" that is no "open source", and whole-message units.
UNITS = [
    ("Open the file.", "Buka berkas itu.", "打开文件。"),
    ("The file was saved to the folder.", "Berkas itu disimpan ke folder.", "文件已保存到文件夹。"),
    ("Delete the file from the folder.", "Hapus berkas dari folder.", "从文件夹中删除文件。"),
    (
        "The user can rename the file.",
        "Pengguna dapat mengubah nama berkas.",
        "用户可以重命名文件。",
    ),
    (
        "Open source software is free to share.",
        "Perangkat lunak sumber terbuka bebas dibagikan.",
        "开源软件可以自由分享。",
    ),
    (
        "The user downloads the open source code.",
        "Pengguna mengunduh kode sumber terbuka.",
        "用户下载开源代码。",
    ),
    (
        "Open source code is published on the website.",
        "Kode sumber terbuka diterbitkan di situs web.",
        "开源代码发布在网站上。",
    ),
    (
        "The community reviews open source code every week.",
        "Komunitas meninjau kode sumber terbuka setiap minggu.",
        "社区每周审查开源代码。",
    ),
    (
        "The company released an open source model.",
        "Perusahaan itu merilis model sumber terbuka.",
        "该公司发布了一个开源模型。",
    ),
    (
        "Open source projects need many contributors.",
        "Proyek sumber terbuka membutuhkan banyak kontributor.",
        "开源项目需要许多贡献者。",
    ),
    (
        "The user cannot open the folder.",
        "Pengguna tidak dapat membuka folder.",
        "用户无法打开文件夹。",
    ),
    (
        "Copy the file to another folder.",
        "Salin berkas ke folder lain.",
        "将文件复制到另一个文件夹。",
    ),
    ("The file is too large.", "Berkas terlalu besar.", "文件太大。"),
    (
        "The user shares the file with the team.",
        "Pengguna membagikan berkas dengan tim.",
        "用户与团队共享文件。",
    ),
    ("Each file has a name.", "Setiap berkas memiliki nama.", "每个文件都有名称。"),
    ("The folder is empty.", "Folder itu kosong.", "文件夹是空的。"),
    ("File", "Berkas", "文件"),
    ("Open source", "Sumber terbuka", "开源"),
    (
        "The user prefers open source tools.",
        "Pengguna lebih suka alat sumber terbuka.",
        "用户更喜欢开源工具。",
    ),
    ("The source of the error is unknown.", "Sumber galat tidak diketahui.", "错误的来源未知。"),
    ("The door is open.", "Pintu itu terbuka.", "门是开着的。"),
    (
        "The user opened the file that the team created.",
        "Pengguna membuka berkas yang dibuat oleh tim.",
        "用户打开了团队创建的文件。",
    ),
    (
        "The model that the user trained is open source.",
        "Model yang dilatih pengguna adalah sumber terbuka.",
        "用户训练的模型是开源的。",
    ),
    (
        "The user writes code that the team reviews.",
        "Pengguna menulis kode yang ditinjau tim.",
        "用户编写团队审查的代码。",
    ),
    (
        "The team saves every file in the folder.",
        "Tim menyimpan setiap berkas di folder.",
        "团队把每个文件保存在文件夹中。",
    ),
    (
        "An open-source license protects the code.",
        "Lisensi sumber terbuka melindungi kode.",
        "开源许可证保护代码。",
    ),
    (
        "Open source code helps the user learn.",
        "Kode sumber terbuka membantu pengguna belajar.",
        "开源代码帮助用户学习。",
    ),
    ("The files are in the folder.", "Berkas-berkas ada di folder.", "文件都在文件夹里。"),
]
EN_ID = [(en, id_) for en, id_, _ in UNITS]
EN_ZH = [(en, zh) for en, _, zh in UNITS]


def _best(proposals, source):
    ranked = [p for p in proposals if p.source == source]
    assert ranked, f"no proposal for {source!r}"
    return ranked[0]


def test_file_is_berkas_and_open_source_is_sumber_terbuka():
    proposals = align_parallel(EN_ID, "en", "id", terms=["file", "open source"])
    assert _best(proposals, "file").target.lower() == "berkas"
    assert _best(proposals, "open source").target.lower() == "sumber terbuka"


def test_open_source_is_kaiyuan_chinese():
    proposals = align_parallel(EN_ZH, "en", "zh", terms=["open source", "file", "folder"])
    assert _best(proposals, "open source").target == "开源"
    assert _best(proposals, "file").target == "文件"
    assert _best(proposals, "folder").target == "文件夹"


def _char_segmentation(text: str, lang: str) -> list[Token]:
    """tokenize as a segmenter that knows no Chinese word: one token per Han character."""
    out: list[Token] = []
    for tok in tokenize(text, lang):
        if tok.kind == "han":
            out.extend(
                Token(ch, tok.start + i, tok.start + i + 1, "han") for i, ch in enumerate(tok.text)
            )
        else:
            out.append(tok)
    return out


def test_kaiyuan_is_found_when_the_segmentation_never_makes_it_a_word(monkeypatch):
    monkeypatch.setattr(grams_module, "tokenize", _char_segmentation)
    assert [t.text for t in grams_module.unit_tokens("开源代码", "zh")] == ["开", "源", "代", "码"]
    proposals = align_parallel(EN_ZH, "en", "zh", terms=["open source"])
    assert _best(proposals, "open source").target == "开源"


def test_terms_restrict_the_output_and_match_inflected_forms():
    proposals = align_parallel(EN_ID, "en", "id", terms=["Files", "Open-Source"])
    assert {p.source for p in proposals} == {"Files", "Open-Source"}
    assert _best(proposals, "Files").target.lower() == "berkas"
    assert _best(proposals, "Open-Source").target.lower() == "sumber terbuka"


def test_general_words_are_never_proposed():
    for pairs, lang, general in (
        (EN_ID, "id", {"yang", "pengguna"}),
        (EN_ZH, "zh", {"的", "用户"}),
    ):
        proposals = align_parallel(pairs, "en", lang)
        assert proposals
        assert not any(p.target.lower() == "yang" or p.target == "的" for p in proposals)
        # "user" is the only source whose translation "pengguna"/"用户" may be.
        wrong = [p for p in proposals if p.target.lower() in general and "user" not in p.source]
        assert not [p for p in wrong if p is _best(proposals, p.source)]


def test_proposals_carry_count_score_and_evidence():
    proposals = align_parallel(EN_ID, "en", "id", terms=["file", "open source"], top=2)
    best = _best(proposals, "open source")
    assert best.method == "parallel" and best.source_lang == "en" and best.target_lang == "id"
    assert best.count == 11  # units holding both "open source" and "sumber terbuka"
    assert 0.5 < best.score <= 1.0
    assert all(0.0 < p.score <= 1.0 for p in proposals)
    assert len(best.evidence) == 3
    # The whole-message unit comes first; every line is "source ⇒ target" around the pair.
    assert best.evidence[0] == "[Open source] ⇒ [Sumber terbuka]"
    assert all(" ⇒ " in line and "[" in line for line in best.evidence)
    assert len([p for p in proposals if p.source == "file"]) <= 2


def test_progress_is_reported_to_the_end():
    seen: list[tuple[int, int]] = []
    align_parallel(EN_ID, "en", "id", terms=["file"], progress=lambda d, t: seen.append((d, t)))
    assert seen[-1] == (2 * len(EN_ID), 2 * len(EN_ID))
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


def test_dice_baseline_has_the_same_shape():
    proposals = dice_baseline(EN_ID, "en", "id", terms=["file"], top=3)
    assert 1 <= len(proposals) <= 3
    assert all(p.source == "file" and 0 < p.score <= 1 and p.count >= 1 for p in proposals)


# -- real data: glib catalogues scored against the GNOME glossaries ------------------------


def _bench():
    spec = importlib.util.spec_from_file_location("align_quality", BENCH)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("lang, po", [("id", "id"), ("zh", "zh_CN")])
def test_beats_the_dice_baseline_on_glib_against_the_gnome_glossary(lang, po):
    bench = _bench()
    pairs = bench.units(FIXTURES / "po" / f"glib-2.74.6_{po}.po")
    refs = bench.glossary(FIXTURES / "glossary" / f"gnome-glossary-{po}.po")
    padan = bench.evaluate(align_parallel, pairs, refs, lang, 2)
    dice = bench.evaluate(dice_baseline, pairs, refs, lang, 2)
    assert padan.terms == dice.terms > 150
    # Measured: id 64.8% vs 53.4%, zh 72.3% vs 60.1%.
    assert padan.at1 / padan.terms >= dice.at1 / dice.terms + 0.08
    assert padan.at1 / padan.terms >= 0.6


def test_worker_processes_give_the_same_proposals(monkeypatch):
    import termbase.parallel_index as index_module
    import termbase.parallel_scores as scores_module

    alone = align_parallel(EN_ZH, "en", "zh")
    monkeypatch.setattr(index_module, "PROCESS_UNITS", 1)
    monkeypatch.setattr(scores_module, "PROCESS_TERMS", 1)
    monkeypatch.setattr(index_module, "CHUNK", 5)
    monkeypatch.setattr(index_module, "worker_count", lambda: 2)
    monkeypatch.setattr(scores_module, "worker_count", lambda: 2)
    shared = align_parallel(EN_ZH, "en", "zh")
    assert len(alone) > 10
    assert shared == alone


def test_a_term_inside_a_hyphenated_compound_or_an_option_is_no_occurrence():
    pairs = [
        ("Write the pack index.", "写入包索引。"),
        ("The pack index is corrupt.", "包索引已损坏。"),
        ("Check the pack index.", "检查包索引。"),
        ("Read the multi-pack-index.", "读取多包索引。"),
        ("The multi-pack-index is large.", "多包索引很大。"),
        ("Verify the multi-pack-index file.", "校验多包索引文件。"),
        ("Remove the multi-pack-index.", "删除多包索引。"),
        ("Use --pack-index-version=2.", "使用 --pack-index-version=2。"),
        *EN_ZH,
    ]
    proposals = align_parallel(pairs, "en", "zh", terms=["pack index"])
    assert _best(proposals, "pack index").target == "包索引"
    assert _best(proposals, "pack index").count == 3


def test_a_term_in_capitals_is_a_name_of_its_own_unless_never_written_otherwise():
    pairs = [
        ("Move HEAD to the commit.", "将 HEAD 移到该提交。"),
        ("HEAD is detached.", "HEAD 已分离。"),
        ("Reset HEAD first.", "先重置 HEAD。"),
        ("Update HEAD now.", "现在更新 HEAD。"),
        ("Show HEAD.", "显示 HEAD。"),
        ("HEAD moved.", "HEAD 已移动。"),
        ("Print HEAD.", "打印 HEAD。"),
        ("The head of the list.", "列表的头。"),
        ("The head moved.", "头移动了。"),
        ("Drop the old head.", "丢弃旧的头。"),
        ("Read the ASCII text.", "读取 ASCII 文本。"),
        ("Only ASCII is allowed.", "只允许 ASCII。"),
        *EN_ZH,
    ]
    proposals = align_parallel(pairs, "en", "zh", terms=["head", "ascii"])
    assert _best(proposals, "head").target == "头"
    assert _best(proposals, "head").count == 3
    assert _best(proposals, "ascii").target == "ASCII"  # only ever in capitals: the term


def test_a_longer_span_holding_a_neighbours_translation_is_no_longer_form():
    # 桌面文件 always holds 桌面, but its 文件 is the "file" next to "desktop".
    pairs = [
        ("Open the desktop file.", "打开桌面文件。"),
        ("The desktop file is missing.", "桌面文件丢失。"),
        ("Read the desktop file.", "读取桌面文件。"),
        ("Save the desktop file.", "保存桌面文件。"),
        ("Close the file.", "关闭文件。"),
        ("The file is empty.", "文件为空。"),
        *EN_ZH,
    ]
    proposals = align_parallel(pairs, "en", "zh", terms=["desktop", "file"])
    assert _best(proposals, "desktop").target == "桌面"


def test_the_term_copied_inside_a_command_line_is_no_kept_translation():
    pairs = [
        ("Run git bisect start first.", "先运行 git bisect start。"),
        ("Use git bisect reset to stop.", "使用 git bisect reset 停止。"),
        ("Try git bisect good.", "尝试 git bisect good。"),
        ("Try git bisect bad.", "尝试 git bisect bad。"),
        ("Then git bisect skip.", "然后 git bisect skip。"),
        ("See git bisect log.", "参见 git bisect log。"),
        ("Or git bisect replay.", "或者 git bisect replay。"),
        ("The bisect failed.", "二分查找失败。"),
        ("The bisect found the commit.", "二分查找找到了该提交。"),
        ("Stop the bisect.", "停止二分查找。"),
        *EN_ZH,
    ]
    proposals = align_parallel(pairs, "en", "zh", terms=["bisect"])
    assert _best(proposals, "bisect").target == "二分查找"


def test_a_term_kept_mostly_as_code_is_aligned_in_its_prose():
    # "git pull" is copied as code inside a long advice repeated by six messages, whose
    # every word then co-occurs with "pull" more often than its translation 拉取 does;
    # only the prose units show how "pull" is translated.
    advice = (
        "If you want to integrate the remote changes, use '{}' before pushing again.",
        "如果您希望先与远程变更合并，请在再次推送前执行 '{}' 命令。",
    )
    code = [
        (f"Updates were rejected because {why}. {advice[0]}", f"更新被拒绝，因为{zh}。{advice[1]}")
        for why, zh in (
            ("the tip is behind", "分支的最新提交落后"),
            ("a pushed tip is behind", "推送的分支落后"),
            ("the remote has new work", "远程仓库包含新的提交"),
            ("the tracking branch moved", "远程跟踪分支已被更新"),
            ("the ref was updated", "该引用已被其他仓库更新"),
            ("another push came first", "另一次推送先完成"),
        )
    ]
    code = [
        (source.format(command), target.format(command))
        for (source, target), command in zip(code, ["git pull", "pull --rebase"] * 3, strict=True)
    ]
    prose = [
        ("Cannot pull from the remote.", "无法从远程拉取。"),
        ("The pull failed.", "拉取失败。"),
    ]
    proposals = align_parallel([*code, *prose, *EN_ZH], "en", "zh", terms=["pull"])
    assert _best(proposals, "pull").target == "拉取"
    assert "[拉取]" in _best(proposals, "pull").evidence[0]
