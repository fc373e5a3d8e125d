from termbase.extract import Sentence
from termbase.reading import Reading, Repair, readings


def test_spans_of_the_reading_map_back_to_the_current_text():
    r = Reading("ab xx cd", "ab yyyy cd", (Repair(3, 5, "yyyy", "rule"),))
    back = {span: r.current[slice(*r.to_current(*span))] for span in [(0, 2), (3, 7), (0, 10)]}
    assert back == {(0, 2): "ab", (3, 7): "xx", (0, 10): "ab xx cd"}
    assert r.to_current(8, 10) == (6, 8)  # after the repair, shifted back
    assert r.to_current(4, 5) == (3, 5)  # inside a repair: its whole current form


def test_current_form_refuses_a_repair_across_the_edge():
    # 项目标 read as 项目的: 项目 is not a variant spelt 项目标
    r = Reading("项目标准", "项目的准", (Repair(0, 3, "项目的", "zh-spin"),))
    assert r.current_form(0, 2) is None
    assert r.current_form(0, 3) == "项目标"
    assert r.rule_at(0, 3) == "zh-spin"


def test_sure_repairs_only_and_the_stored_text_untouched():
    spun = [Sentence("d", 0, "通过开源其模子，开辟者可以或许利用这个模子。")]
    (r,) = readings(spun, "zh")
    assert r.current == spun[0].text
    # 可以或许 is 能够 spun, or 可以 spun twice (可以→能够→可以或许): either reads right
    assert "模型" in r.text and "模子" not in r.text and "可以或许" not in r.text
    assert all(rep.rule == "zh-spin" for rep in r.repairs)
    clean = [Sentence("d", 0, "开源模型很好。")]
    assert readings(clean, "zh")[0].repairs == ()


def test_indonesian_mechanical_damage_is_read_repaired():
    (r,) = readings([Sentence("d", 0, "Perusahaan -perusahaan itu sia -sia.")], "id")
    assert r.text == "Perusahaan-perusahaan itu sia-sia."
