from termbase.align_parallel import align_parallel
from termbase.parallel_choice import attributive, extend_nested, order, shrink_compound


def _cands(targets, joined=()):
    """Every substring of a unit is a candidate; those holding a ``joined`` one (the
    translation of a source word next to the term) are the neighbour's."""

    def candidates(u):
        text = targets[u]
        return {text[i:j] for i in range(len(text)) for j in range(i + 2, len(text) + 1)}

    def neighbours(u, keys):
        return [k for k in keys if any(j in k for j in joined)]

    return candidates, neighbours


def _wordlike(*keys):
    return lambda key, units: key in keys


def _strength(**scores):
    return lambda key, variant=None: scores.get(key, 100.0)


def test_a_span_always_inside_a_longer_word_moves_to_it():
    targets = ["读取包索引失败", "写入包索引", "包索引损坏", "没有包索引", "包索引太大"]
    linked, shown = {"索引": 5.0}, {"索引": [0, 1, 2, 3, 4]}
    extend_nested(linked, shown, targets, *_cands(targets), _wordlike("包索引"), _strength())
    assert linked == {"包索引": 5.0} and shown == {"包索引": [0, 1, 2, 3, 4]}


def test_a_span_seldom_inside_the_longer_one_stays():
    targets = ["读取包索引失败", "写入索引", "索引损坏", "没有索引", "索引太大"]
    linked, shown = {"索引": 5.0}, {"索引": [0, 1, 2, 3, 4]}
    extend_nested(linked, shown, targets, *_cands(targets), lambda k, us: True, _strength())
    assert linked == {"索引": 5.0}


def test_nearly_always_moves_those_units_and_keeps_the_rest():
    targets = ["包索引一", "包索引二", "包索引三", "包索引四", "索引五"]
    linked, shown = {"索引": 5.0}, {"索引": [0, 1, 2, 3, 4]}
    extend_nested(linked, shown, targets, *_cands(targets), _wordlike("包索引"), _strength())
    assert linked == {"包索引": 4.0, "索引": 1.0}
    assert shown["索引"] == [4]


def test_a_longer_span_much_less_associated_with_the_term_is_no_longer_form():
    targets = ["而非本地文件", "而非本地文件", "而非本地文件", "本地路径"]
    linked, shown = {"本地": 4.0}, {"本地": [0, 1, 2, 3]}
    strength = _strength(本地=100.0, 非本地=55.0)
    extend_nested(linked, shown, targets, *_cands(targets), _wordlike("非本地"), strength)
    assert linked == {"本地": 4.0}


def test_units_where_the_span_is_part_of_a_translated_source_compound_say_nothing():
    # "parent commit" -> 父提交 where 提交 is commit's; "parent directory" -> 父目录 where
    # 目录 is directory's: only the units where "parent" stands alone decide.
    targets = ["忽略父提交", "父提交列表", "父提交太长", "父目录", "父编号", "父提交对象"]
    linked, shown = {"父": 6.0}, {"父": [0, 1, 2, 3, 4, 5]}
    candidates = _cands(targets, joined=("目录", "编号"))
    extend_nested(linked, shown, targets, *candidates, _wordlike("父提交"), _strength())
    assert linked == {"父提交": 4.0, "父": 2.0}
    unjoined = _cands(targets)  # the same units read without the compounds: 4/6 < 0.8
    linked, shown = {"父": 6.0}, {"父": [0, 1, 2, 3, 4, 5]}
    extend_nested(linked, shown, targets, *unjoined, _wordlike("父提交"), _strength())
    assert linked == {"父": 6.0}


def test_the_term_kept_as_it_is_ranks_behind_a_chinese_rendering():
    linked = {"rebase": 39.0, "变基": 30.0, "分支": 3.0}
    assert order(linked, {}, "rebase", "zh")[0] == "变基"
    assert order({"rebase": 39.0, "变基": 10.0}, {}, "rebase", "zh")[0] == "rebase"
    assert order(linked, {}, "rebase", "id")[0] == "rebase"  # same script: no discount


def test_parallel_alignment_prefers_the_translation_to_the_kept_command_name():
    pairs = [
        ("Cannot rebase onto multiple branches.", "无法变基到多个分支。"),
        ("Run git rebase --continue to go on.", "运行 git rebase --continue 继续。"),
        ("rebase in progress", "变基正在进行"),
        ("Could not rebase the branch", "无法变基该分支"),
        ("Use git rebase to rebase the branch.", "使用 git rebase 来变基该分支。"),
        ("The branch was deleted.", "分支已删除。"),
        ("Multiple branches found.", "找到多个分支。"),
    ]
    best = [p.target for p in align_parallel(pairs, "en", "zh", terms=["rebase"], top=2)]
    assert best[0] == "变基"


# "chain" in "multi-pack-index chain" (0-2), "commit-graph chain" (3-4), "delta chain" (5)
# and alone (6): 索引链 is index's 索引 with chain's 链; 链 is in every unit.
CHAIN = [
    "写入多包索引链",
    "无法打开多包索引链",
    "多包索引链太小",
    "提交图链损坏",
    "打开提交图链",
    "增量链深度",
    "链长",
]


def _beside(rest, *units):
    return lambda u, key: key == rest and u in units


def test_a_span_holding_a_neighbours_translation_shrinks_to_the_part_every_unit_has():
    linked, shown = {"索引链": 3.0, "链": 1.0}, {"索引链": [0, 1, 2], "链": [5]}

    def holders(key):  # the units where 链 is a candidate (jieba cut it as a word)
        return [2, 5, 6] if key == "链" else []

    shrink_compound(linked, shown, CHAIN, range(7), holders, _beside("索引", 0, 1, 2), 3)
    assert linked == {"链": 4.0}
    assert shown == {"链": [5, 2, 6]}


def test_no_shrink_where_the_rest_is_the_terms_own_or_the_long_span_is_common():
    def holders(key):
        return [6]

    linked, shown = {"索引链": 3.0}, {"索引链": [0, 1, 2]}
    shrink_compound(linked, shown, CHAIN, range(7), holders, _beside("图", 0, 1, 2), 3)
    assert linked == {"索引链": 3.0}  # no neighbour translates 索引
    most = CHAIN[:3] + ["多包索引链"] * 4  # 索引链 in every unit: it is the translation
    shrink_compound(linked, shown, most, range(7), holders, _beside("索引", 0, 1, 2), 3)
    assert linked == {"索引链": 3.0}


def test_a_longer_word_written_with_the_attributive_de_holds_the_span_too():
    # 不可达的对象 and 不可达对象 are one term; 的 is the particle between modifier and head.
    targets = [
        "显示不可达的对象",
        "保留不可达的对象",
        "打包不可达对象",
        "删除不可达对象",
        "不可达的对象",
    ]
    linked, shown = {"不可达": 5.0}, {"不可达": [0, 1, 2, 3, 4]}
    seen = []

    def strength(key, variant=None):
        seen.append((key, variant))
        return 100.0

    extend_nested(linked, shown, targets, *_cands(targets), _wordlike("不可达对象"), strength)
    assert linked == {"不可达对象": 5.0}
    assert shown == {"不可达对象": [2, 3]}  # the units that write it show it
    assert ("不可达对象", "不可达的对象") in seen  # its association counts both forms
    others = [
        "显示不可达的东西",
        "保留不可达的内容",
        "打包不可达对象",
        "删除不可达对象",
        "不可达的数据",
    ]
    linked, shown = {"不可达": 5.0}, {"不可达": [0, 1, 2, 3, 4]}
    extend_nested(linked, shown, others, *_cands(others), _wordlike("不可达对象"), strength)
    assert linked == {"不可达": 5.0}  # 的 before another head is no form of 不可达对象


def test_a_rendering_taking_de_before_every_word_is_an_adjective():
    stale = ["无法删除过期的位图", "已删除过期的仓库", "锁文件已过期", "过期的引用"]
    assert attributive("过期", stale)  # 过期的 before every word; 已过期 at the end
    reachable = ["显示可达的对象", "可达的提交", "标记可达对象", "可达的引用"]
    assert not attributive("可达", reachable)  # 可达对象: it also compounds directly
    assert not attributive("过期", stale[:2])  # too few to tell


def test_parallel_alignment_proposes_the_adjective_with_de():
    pairs = [
        ("Invalid file", "无效的文件"),
        ("Invalid name", "无效的名称"),
        ("The key is invalid", "键无效"),
        ("Invalid value", "无效的值"),
        ("Invalid path", "无效的路径"),
        ("Open the file.", "打开文件。"),
        ("The name is empty.", "名称为空。"),
    ]
    assert align_parallel(pairs, "en", "zh", terms=["invalid"])[0].target == "无效的"
    pairs += [("Invalid data", "无效数据"), ("Invalid user", "无效用户")]
    assert align_parallel(pairs, "en", "zh", terms=["invalid"])[0].target == "无效"
