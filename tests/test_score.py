"""Tests for dudao.extract.score: the self-assessed score and its arithmetic.

Fixtures are invented sentences in other phrasings than the seeds; the seed test compares with
the hand-made gold the way ../shared/eval/score.py does and is skipped when ../shared is missing.
"""
from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from dudao.extract.score import _cn_number, extract_self_score, score_consistency
from seedkit import gold_reports, squash as _squash

SHARED = Path(os.environ.get("DUDAO_SHARED", Path(__file__).resolve().parents[1].parent / "shared"))


def close(a, b):
    return a is not None and b is not None and abs(a - b) <= 1e-6 * max(1.0, abs(a), abs(b))


def check_spans(text, r):
    """Every span points at text holding the value it claims."""
    for key, (s, e) in r["spans"].items():
        piece = text[s:e]
        assert piece, key
        if key in ("total", "base", "bonus", "deducted"):
            assert "分" in piece
        if key == "grade":
            assert r["grade"] in piece
    for item in r["items"] + r["unlabelled"]:
        piece = text[item["start"]:item["end"]]
        assert piece.endswith("分") or "|" in piece  # a sentence, or a row of a score table
        if item["label"]:
            assert re.sub(r"\s+", "", piece).startswith(re.sub(r"\s+", "", item["label"]))
        if item["reason"]:
            assert item["reason"] in piece


# --- numbers ------------------------------------------------------------------------------------
@pytest.mark.parametrize("raw, value", [
    ("96.5", 96.5), ("９６．５", 96.5), ("一点八", 1.8), ("二", 2), ("两", 2), ("十", 10), ("十二", 12),
    ("二十四", 24), ("九十五点五", 95.5), ("一百", 100), ("一百零四点二", 104.2), ("零点五", 0.5),
])
def test_cn_number(raw, value):
    assert close(_cn_number(raw), value)


@pytest.mark.parametrize("raw", ["", "xx", "某", "三个"])
def test_cn_number_rejects(raw):
    assert _cn_number(raw) is None


# --- the four shapes of a stated score, in other phrasings --------------------------------------
def test_base_then_each_bonus_then_total_derives_bonus():
    text = ("对照评价细则，我县自评得分95分。去年我县两项改革经验被省教育厅推广，按规定各加1.5分，"
            "最终自评总分为98分。")
    r = extract_self_score(text)
    assert (r["total"], r["base"], r["bonus"], r["deducted"]) == (98, 95, 3, None)
    assert score_consistency(r) == []
    check_spans(text, r)


def test_points_deducted_bonus_total_grade():
    text = ("经逐项自查，全区38个评估点中，33个评估点得满分，5个评估点有扣分，扣分合计2.4分；"
            "创新项目加分共计4分，自评总得分101.6分，等次为优秀。")
    r = extract_self_score(text)
    assert r["points_count"] == 38
    assert (r["total"], r["base"], r["bonus"], r["deducted"]) == (101.6, None, 4, 2.4)
    assert r["grade"] == "优秀"
    assert score_consistency(r) == []
    check_spans(text, r)


def test_score_then_separate_bonus_is_the_base():
    text = "除群众满意度外，全部30个指标点自查得分为91分，此外依据加分项目规定，自查加分1.5分。"
    r = extract_self_score(text)
    assert r["points_count"] == 30
    assert (r["total"], r["base"], r["bonus"]) == (None, 91, 1.5)
    assert score_consistency(r) == []


def test_grade_total_and_itemised_deductions():
    text = ("对照评价体系的26个观测点，我市自评等级为B等，自评得分93.5分。其中，第4观测点因部分学校大班额未消除，"
            "扣2分；第11观测点因教师培训经费未足额列支，扣1.5分；第20观测点因校舍安全隐患整改滞后，扣3分。")
    r = extract_self_score(text)
    assert r["points_count"] == 26 and r["grade"] == "B"
    assert r["total"] == 93.5 and r["base"] is None
    assert r["deducted"] == 6.5  # the sum of the items: no total deduction is stated
    labels = [(i["label"], i["delta"]) for i in r["items"]]
    assert labels == [("第4观测点", -2), ("第11观测点", -1.5), ("第20观测点", -3)]
    assert r["items"][0]["reason"] == "部分学校大班额未消除"
    assert score_consistency(r) == []
    check_spans(text, r)


# --- other phrasings ----------------------------------------------------------------------------
def test_chinese_numerals():
    text = "对照二十个指标点进行自查，扣一点八分，加二分，自查总分一百点二分。"
    r = extract_self_score(text)
    assert (r["points_count"], r["deducted"], r["bonus"], r["total"]) == (20, 1.8, 2, 100.2)
    assert score_consistency(r) == []


def test_plain_score_with_full_marks():
    r = extract_self_score("经自评，我县得分为93.5分（满分100分）。")
    assert r["total"] == 93.5 and r["full_score"] == 100


def test_bare_total_before_own_score_is_full_marks():
    r = extract_self_score("本次评价总分120分，我县自评得分111分，评定等级为A级。")
    assert r["total"] == 111 and r["full_score"] == 120 and r["grade"] == "A"
    assert r["base"] is None


def test_explicit_base_bonus_total():
    r = extract_self_score("对照评价细则，我区自评基础分94分，创新工作加分3分，自评总分97分，等次为良好。")
    assert (r["base"], r["bonus"], r["total"], r["grade"]) == (94, 3, 97, "良好")
    assert score_consistency(r) == []


def test_bonus_included_in_score():
    r = extract_self_score("自评得分96.5分（含加分2分）。")
    assert r["total"] == 96.5 and r["bonus"] == 2 and r["base"] is None
    r = extract_self_score("自评得分为102分，其中加分项得分3分。")
    assert r["total"] == 102 and r["bonus"] == 3


def test_each_bonus_with_counted_items():
    r = extract_self_score("县政府自评得分98分，另有2项创新工作获省级表彰，各加1分。")
    assert r["base"] == 98 and r["bonus"] == 2 and r["total"] is None


def test_each_bonus_without_count_or_total_stays_unknown():
    r = extract_self_score("县政府自评得分98分，另有创新工作获省级表彰，各加1分。")
    assert r["base"] == 98 and r["bonus"] is None


def test_item_label_forms_and_unlabelled_reason():
    text = ("我旗自评得分97分。其中指标2.3因生均公用经费未达标扣0.5分；B4.1观测点因大班额未消除扣1分；"
            "因校舍安全隐患整改不及时扣1.5分。")
    r = extract_self_score(text)
    # only labelled amounts are items; the unlabelled one still counts in the deduction
    assert [(i["label"], i["delta"]) for i in r["items"]] == [("指标2.3", -0.5), ("B4.1观测点", -1)]
    assert [(i["label"], i["delta"]) for i in r["unlabelled"]] == [(None, -1.5)]
    assert r["unlabelled"][0]["reason"] == "校舍安全隐患整改不及时"
    assert r["deducted"] == 3
    assert score_consistency(r) == []
    check_spans(text, r)


def test_example_items_do_not_make_the_deduction():
    r = extract_self_score("我县自评得分95分，第3测评点因大班额扣1分等。")
    assert r["total"] == 95 and r["deducted"] is None


@pytest.mark.parametrize("text, grade", [
    ("全县自评结果为良好。", "良好"),
    ("自我评价得分为八十九分，等级为合格等次。", "合格"),
    ("自评等级：优秀。自评得分99分。", "优秀"),
    ("经自查，我市自评为C级，自评得分72分。", "C"),
    ("我区自评总分58分，自评结果为不合格。", "不合格"),
])
def test_grades(text, grade):
    assert extract_self_score(text)["grade"] == grade


def test_points_as_total_deduction_and_grade_letter():
    r = extract_self_score("通过自评，共32个测评点，其中28个测评点得满分，扣分合计3.5分，自评总分96.5分，自评等次为B等。")
    assert (r["points_count"], r["deducted"], r["total"], r["grade"]) == (32, 3.5, 96.5, "B")
    assert score_consistency(r) == []


def test_score_stated_across_lines():
    text = "三、自评情况\n我县自评得分94分，合计扣6分。\n其中：第2测评点因经费未达标扣4分；\n第9测评点因师资不足扣2分。\n四、问题"
    r = extract_self_score(text)
    assert r["total"] == 94 and r["deducted"] == 6
    assert [i["label"] for i in r["items"]] == ["第2测评点", "第9测评点"]
    assert score_consistency(r) == []


@pytest.mark.parametrize("text, total", [
    ("三、自评结果\n我市得分96分，等次为优秀。", 96),
    ("我县认真开展自查。全县得分95分，扣5分。", 95),
    ("自评分为95分。", 95),
    ("自评得分：96分。", 96),
    ("我市对照《评价细则》进行了自评，得分为92.5分。", 92.5),
])
def test_score_after_a_self_evaluation_heading_or_sentence(text, total):
    assert extract_self_score(text)["total"] == total


def test_points_named_in_the_previous_sentence_of_the_paragraph():
    assert extract_self_score("本次评价共设45个观测点。经认真自查，我区自评得分97分。")["points_count"] == 45
    assert extract_self_score("本次评价共设45个观测点。\n经认真自查，我区自评得分97分。")["points_count"] is None


@pytest.mark.parametrize("text, expect", [
    ("经自评，我市履行教育职责自评得分为96.35分，评估等级为A等。", {"total": 96.35, "grade": "A"}),
    ("根据《评价细则》，我区自评总分为95.2分（满分100分），其中扣分项4.8分。",
     {"total": 95.2, "deducted": 4.8, "full_score": 100}),
    ("自评情况：A类指标得分58分，B类指标得分30分，C类指标得分8分，自评总分96分。", {"total": 96, "base": None}),
    ("自评结果：总分97.5分，等级优秀。", {"total": 97.5, "grade": "优秀"}),
    ("加分项：我县获国家级表彰加1分，获省级推广加0.5分，自评共加1.5分，自评总分98分。", {"total": 98, "bonus": 1.5}),
])
def test_more_phrasings(text, expect):
    r = extract_self_score(text)
    for k, v in expect.items():
        assert r[k] == v, k
    assert score_consistency(r) == []


def test_total_with_parts_in_brackets():
    r = extract_self_score("自评总分为96.5分（其中基础分94.5分，发展性指标加分2分）。")
    assert (r["total"], r["base"], r["bonus"]) == (96.5, 94.5, 2)
    assert r["items"] == []
    assert r["unlabelled"][0]["reason"] == "发展性指标"
    assert score_consistency(r) == []


# --- the score paragraph as a whole: items before the total, tables, no deduction ---------------
def test_itemised_deductions_and_bonus_lead_up_to_the_total():
    # only the last sentence speaks of 自评; the ones before it build up the score
    text = ("四、评价结果\n按照评估方案的4个一级指标、18个二级指标、44个测评点，全旗开展了逐项自查。"
            "41个测评点得满分，3个测评点有扣分：第7测评点因部分乡镇中心校寄宿床位不足，扣1.5分；"
            "第16测评点因特殊教育随班就读资源教室未建成，扣0.5分；第30测评点因校园食品安全检查记录缺失，扣1分。"
            "上述共扣3分，基础得分97分。我旗被评为全区学校体育工作先进旗，申请加分1分。"
            "最终自评总分98分，评价等次为优秀。\n五、存在问题")
    r = extract_self_score(text)
    assert (r["total"], r["base"], r["bonus"], r["deducted"]) == (98, 97, 1, 3)
    assert r["points_count"] == 44 and r["grade"] == "优秀"
    assert [(i["label"], i["delta"]) for i in r["items"]] == [
        ("第7测评点", -1.5), ("第16测评点", -0.5), ("第30测评点", -1)]
    assert r["items"][0]["reason"] == "部分乡镇中心校寄宿床位不足"
    assert score_consistency(r) == []
    check_spans(text, r)


def test_leading_amounts_of_another_paragraph_stay_out():
    text = "全县新建校舍3万平方米，年终考核加2分。\n经自评，我县自评得分95分。"
    r = extract_self_score(text)
    assert r["total"] == 95 and r["bonus"] is None and r["base"] is None


def test_unlabelled_bonus_is_no_item():
    text = ("经自查，全区扣分合计2分，其中第5评估点因学前教育专任教师学历达标率偏低扣1分，第22评估点因"
            "控辍保学台账不全扣1分。我区获评省级智慧教育示范区，加1.5分。自评总分99.5分。")
    r = extract_self_score(text)
    assert [(i["label"], i["delta"]) for i in r["items"]] == [("第5评估点", -1), ("第22评估点", -1)]
    assert [i["delta"] for i in r["unlabelled"]] == [1.5]
    assert (r["total"], r["bonus"], r["deducted"]) == (99.5, 1.5, 2)
    assert score_consistency(r) == []
    check_spans(text, r)


_TABLE = ("五、自评情况\n对照评价细则逐项打分，我区自评得分为96分，得分情况见下表。\n"
          "附表 自评得分明细\n"
          "评价指标 | 标准分 | 得分 | 说明\n"
          "B1 政策落实 | 20 | 20 | 无\n"
          "B2 经费投入 | 25 | 23.5 | 生均经费增长未达要求，扣1.5分\n"
          "B3 办学条件 | 30 | 27.5 | 部分学校运动场地不足\n"
          "B4 队伍建设 | 25 | 25 | —\n"
          "总计 | 100 | 96 | 共扣4分\n"
          "六、存在问题\n")


def test_score_table_rows_are_the_items():
    r = extract_self_score(_TABLE)
    assert r["total"] == 96 and r["full_score"] == 100
    assert [(i["label"], i["delta"]) for i in r["items"]] == [("B2 经费投入", -1.5), ("B3 办学条件", -2.5)]
    assert [i["reason"] for i in r["items"]] == ["生均经费增长未达要求", "部分学校运动场地不足"]
    assert r["deducted"] == 4
    assert score_consistency(r) == []
    check_spans(_TABLE, r)


def test_score_table_total_row_when_the_text_states_none():
    text = ("三、自评结果\n我镇对照评估细则逐项自查，各项指标自评情况如下。\n"
            "项目 | 满分 | 自评分 | 扣分原因\n一、组织领导 | 10 | 9 | 会议记录不全\n"
            "二、保障条件 | 40 | 40 | \n合计 | 50 | 49 | \n")
    r = extract_self_score(text)
    assert r["total"] == 49 and r["full_score"] == 50
    assert [(i["label"], i["delta"]) for i in r["items"]] == [("一、组织领导", -1)]
    assert score_consistency(r) == []


def test_score_table_with_a_numbering_column():
    text = ("经自评，全市自评总分为97分。\n序号 | 一级指标 | 分值 | 自评得分\n1 | 教育经费 | 30 | 27\n"
            "2 | 教师队伍 | 70 | 70\n")
    r = extract_self_score(text)
    assert [(i["label"], i["delta"]) for i in r["items"]] == [("教育经费", -3)]
    assert r["total"] == 97 and r["deducted"] == 3


def test_text_items_win_over_a_table_and_other_tables_are_ignored():
    text = ("我县自评得分97分，第3观测点因校舍面积不足扣2分；第8观测点因教师培训不足扣1分。\n"
            + "以下为各乡镇学校经费预算。" * 40 + "\n"
            "乡镇 | 分值 | 得分\n东关镇 | 10 | 8\n西关镇 | 10 | 9\n")
    r = extract_self_score(text)
    assert [i["label"] for i in r["items"]] == ["第3观测点", "第8观测点"]
    assert r["deducted"] == 3 and r["total"] == 97


def test_points_stated_whole_in_the_opening_sentence():
    text = ("区政府对照全部38个测评点认真开展自评。其中35个测评点得满分，3个测评点扣分：第2测评点因故扣1分；"
            "第9测评点因故扣1分；第30测评点因故扣0.5分。共扣2.5分，自评得分97.5分。")
    r = extract_self_score(text)
    assert r["points_count"] == 38
    assert [i["label"] for i in r["items"]] == ["第2测评点", "第9测评点", "第30测评点"]
    assert (r["total"], r["deducted"]) == (97.5, 2.5)


def test_point_parts_add_up_when_no_whole_is_stated():
    r = extract_self_score("经自查，27个评估点为满分，2个评估点扣分，共扣1分，自评得分99分。")
    assert r["points_count"] == 29 and r["deducted"] == 1


@pytest.mark.parametrize("text", [
    "对照36个观测点逐项自评，各观测点均未扣分，基础得分100分，申报加分1分，自评总分101分。",
    "经自查，全部30个测评点均为满分，自评得分100分。",
])
def test_nothing_deducted(text):
    r = extract_self_score(text)
    assert r["deducted"] == 0 and r["items"] == []
    assert all(i["delta"] > 0 for i in r["unlabelled"])  # at most the unlabelled bonus
    assert score_consistency(r) == []
    check_spans(text, r)


def test_full_marks_elsewhere_with_unstated_deductions_stay_unknown():
    r = extract_self_score("经自查，2个测评点有扣分，其余测评点均为满分，自评得分98分。")
    assert r["deducted"] is None


# --- key points, qualified totals, caps, kind-first labels, quoted names, four-level grades -------
def test_key_point_counts_and_labels():
    text = ("经自查，全县在25个评估要点中，22个评估要点为满分，3个评估要点扣分：第4个评估要点“控辍保学”，"
            "因台账不完整，扣1分；第10个评估要点“教师待遇保障”，因绩效工资发放滞后，扣2.5分；"
            "第21个评估要点“校园安全”，因消防设施老化，扣0.5分。上述共扣4分，基础得分96分。"
            "我县职业教育集团化办学经验被全省推广，申报加分1分。自评总分97分，自评等次为优秀。")
    r = extract_self_score(text)
    assert r["points_count"] == 25
    assert [(i["label"], i["delta"]) for i in r["items"]] == [
        ("第4个评估要点", -1), ("第10个评估要点", -2.5), ("第21个评估要点", -0.5)]
    assert r["items"][1]["reason"] == "绩效工资发放滞后"
    assert (r["total"], r["base"], r["bonus"], r["deducted"], r["grade"]) == (97, 96, 1, 4, "优秀")
    assert score_consistency(r) == []
    check_spans(text, r)


def test_qualified_self_score_is_the_total_and_a_count_is_no_label():
    text = ("经自评，我县评价满分100分，自评得分95.2分，合计扣4.8分；另申报加分项2项，自评加分1.5分，"
            "最终自评得分96.7分，自评等级为“优秀”。")
    r = extract_self_score(text)
    assert (r["total"], r["base"], r["bonus"], r["deducted"]) == (96.7, 95.2, 1.5, 4.8)
    assert r["full_score"] == 100 and r["grade"] == "优秀"
    assert r["items"] == []  # "加分项2项" counts two items, it labels none
    assert score_consistency(r) == []
    check_spans(text, r)


def test_points_of_the_self_evaluation_in_the_paragraph_before():
    text = ("区政府成立自评工作组，组织有关部门对照34个测评点逐项自查、逐一佐证。\n"
            "经自评，我区自评得分96分，评价等次为优秀。")
    assert extract_self_score(text)["points_count"] == 34
    # another paragraph's points that are not those of the self-evaluation stay out
    text = "省里的评价方案共设34个测评点。\n经自评，我区自评得分96分。"
    assert extract_self_score(text)["points_count"] is None


def test_capped_full_marks_and_a_bare_aggregate_total():
    text = ("对照全部25个观测点，我县自评基础得分86分（满分90分，群众满意度10分由市级统一调查，不纳入自评），"
            "加分项自评2分，合计88分。扣分的观测点有2个：第7观测点“学位供给”扣2.5分，主要是城区学位紧张；"
            "第19观测点“教师交流”扣1.5分，主要是交流比例偏低。")
    r = extract_self_score(text)
    assert (r["total"], r["base"], r["bonus"], r["full_score"]) == (88, 86, 2, 90)
    assert r["points_count"] == 25 and r["deducted"] == 4
    assert [(i["label"], i["delta"]) for i in r["items"]] == [("第7观测点", -2.5), ("第19观测点", -1.5)]
    assert score_consistency(r) == []  # 90 − 4 = 86: the cap, not 100, is the full score
    check_spans(text, r)


def test_small_bare_aggregate_is_no_total():
    r = extract_self_score("经自查，扣分的测评点有2个，合计3分，自评得分97分。")
    assert r["total"] == 97


def test_kind_before_number_labels_and_aggregate_earlier_in_the_clause():
    text = ("经综合评定，我县自评总分为96分。扣分的测评点共2个，累计扣4分：指标第3项“经费投入”扣1.5分，"
            "原因是教育费附加未足额安排；测评点第18项“校舍安全”扣2.5分，原因是个别校舍存在安全隐患。")
    r = extract_self_score(text)
    assert r["deducted"] == 4 and r["total"] == 96
    assert [(i["label"], i["delta"]) for i in r["items"]] == [("指标第3项", -1.5), ("测评点第18项", -2.5)]
    assert score_consistency(r) == []
    check_spans(text, r)


def test_quoted_indicator_name_holding_an_aggregate_character():
    text = ("经自评，我市基础分95分，合计扣5分，其中：第6测评点“公共服务供给”扣2分，原因是托育资源不足；"
            "第19测评点“城乡教师共享机制”扣3分，原因是交流轮岗比例偏低。此外，我市获评省级教育信息化示范市，加1分。"
            "自评总分为96分。")
    r = extract_self_score(text)
    assert r["deducted"] == 5
    assert [(i["label"], i["delta"]) for i in r["items"]] == [("第6测评点", -2), ("第19测评点", -3)]
    assert (r["total"], r["base"], r["bonus"]) == (96, 95, 1)
    assert score_consistency(r) == []
    check_spans(text, r)


@pytest.mark.parametrize("text, grade", [
    ("经自评，我县履职等次为“好”，自评得分93分。", "好"),
    ("自评等级：较好。自评得分88分。", "较好"),
    ("经自查，我镇自评结果为“差”等次，自评得分55分。", "差"),
    ("全市自评总分85分，自评等次为一般。", "一般"),
])
def test_four_level_grades(text, grade):
    assert extract_self_score(text)["grade"] == grade


@pytest.mark.parametrize("text", [
    "经自评，我县自评得分92分，等级为好的学校占比逐年提高。",
    "经自评，我县自评得分92分，办学等次为好转趋势。",
])
def test_one_character_grade_words_in_other_words(text):
    assert extract_self_score(text)["grade"] is None


# --- placeholders and near misses ---------------------------------------------------------------
@pytest.mark.parametrize("text", [
    "自评得分xxx分，加x分。",
    "对照指标体系，我市自评得分为XX分，扣＊分。",
    "在全省政务新媒体考评中，综合得分362分，排名全市第二。",
    "开展网站自查，总得分375分，居全区第一。",
    "学校自评工作扎实，家长满意度得分92分。",
    "群众对本地教育的满意度调查结果为81.5分，较上年提高。",
    "我县自评工作十分扎实，群众满意。",
    "全县中小学生体质测试平均得分85分。",
    "学校开展自查自评，3所学校评为优秀。",
    "开展学校自评。学生体质测试平均得分85分。",
    "开展学校自评工作。3所学校获评优秀等次。",
    "学校自评等级为好的占比较高。",
    "",
])
def test_no_score(text):
    assert extract_self_score(text) is None


def test_placeholder_values_are_none_but_real_parts_stay():
    r = extract_self_score("我市自评得分xx分，自评等级为优秀等。")
    assert r["total"] is None and r["base"] is None and r["grade"] == "优秀"
    assert r["placeholders"] == 1


# --- consistency --------------------------------------------------------------------------------
def test_inconsistent_base_bonus_total():
    r = extract_self_score("经逐项自查，自评基础分94分，加分项合计加3分，自评总分98分。")
    problems = score_consistency(r)
    assert len(problems) == 1
    p = problems[0]
    assert p["code"] == "score_arithmetic" and p["expected"] == 97 and p["stated"] == 98
    assert "不一致" in p["message"]


def test_inconsistent_full_minus_deducted_plus_bonus():
    r = extract_self_score("本次评价共有40个评估点，其中3个评估点扣分，共扣2.5分，另加分1分，自评总分为97.5分。")
    problems = score_consistency(r)
    assert [p["expected"] for p in problems] == [98.5]


def test_inconsistent_item_sum():
    r = extract_self_score("我市自评得分96分，共扣4分。其中，第3观测点因校舍面积不足扣1分；第9观测点因教师培训经费未足额安排扣2分。")
    problems = score_consistency(r)
    assert len(problems) == 1
    assert problems[0]["expected"] == 3 and problems[0]["stated"] == 4


def test_inconsistent_total_and_items():
    r = extract_self_score("自评得分90分。其中，第5测评点因大班额扣2分；第7测评点因经费不足扣3分。")
    problems = score_consistency(r)
    assert [(p["expected"], p["stated"]) for p in problems] == [(95, 90)]


def test_consistency_uses_stated_full_score_and_parameter():
    r = extract_self_score("本次评价满分120分，我县自评得分115分，其中扣5分。")
    assert score_consistency(r) == []
    r = {"total": 145, "base": None, "bonus": None, "deducted": 5, "items": [], "spans": {}}
    assert score_consistency(r, full_score=150) == []
    assert score_consistency(r)[0]["expected"] == 95


def test_consistency_of_nothing():
    assert score_consistency(None) == []
    assert score_consistency({"total": 95}) == []


# --- seeds against the gold ---------------------------------------------------------------------
def _seed_reports():
    return gold_reports()


_SEEDS = _seed_reports()


@pytest.mark.skipif(not _SEEDS, reason="../shared/corpus 不存在")
@pytest.mark.parametrize("name, gold, text", _SEEDS, ids=[r[0] for r in _SEEDS])
def test_seed_against_gold(name, gold, text):
    assert text is not None, "anchor not found"
    r = extract_self_score(text)
    gs = gold.get("self_score")
    if not gold["relevant"] or gs is None:
        assert r is None or (r["total"] is None and r["base"] is None)
        return
    assert r is not None
    for k in ("total", "base", "bonus", "deducted", "points_count"):
        if gs.get(k) is not None:
            assert close(r[k], float(gs[k])), k
        else:
            assert r[k] is None, k
    if gs.get("grade"):
        assert (r["grade"] or "").startswith(gs["grade"])
    for item in gs.get("items", []):
        digits = re.sub(r"\D", "", item["label"])
        assert any(close(float(i["delta"] or 0), item["delta"]) and digits in _squash(i["label"] or "")
                   for i in r["items"]), item
    assert score_consistency(r) == []  # the seeds' stated scores add up: no false alarm
    check_spans(text, r)


@pytest.mark.skipif(not (SHARED / "corpus" / "seeds").is_dir(), reason="../shared/corpus 不存在")
def test_seed_files_whole_do_not_crash():
    # Speed is measured by benchmarks/extractors.py, not asserted here.
    texts = [p.read_text(encoding="utf-8") for p in sorted((SHARED / "corpus" / "seeds").glob("*.txt"))]
    for t in texts + ["\n".join(texts) * 2]:
        r = extract_self_score(t)
        if r is not None:
            check_spans(t, r)


def test_base_from_arithmetic():
    # the score before the bonus, or the full marks less the deductions, is the base
    r = extract_self_score("经自评，应得分100分，实得分96.4分，扣3.6分；另有加分1.5分，总计97.9分。")
    assert (r["total"], r["base"], r["bonus"], r["deducted"]) == (97.9, 96.4, 1.5, 3.6)
    r = extract_self_score("经自查，满分100分，我县扣减2.5分，得97.5分；创新项目加分1分，自评总分为98.5分。")
    assert (r["total"], r["base"]) == (98.5, 97.5)
    # a stated score that fits neither is not taken as the base
    r = extract_self_score("经自查，我县扣减2.5分，其中一项得8分；创新项目加分1分，自评总分为98.5分。")
    assert r["base"] is None


def test_detail_paragraph_items_and_a_bonus_told_twice():
    text = ("经自查，我县30个观测点中28个得满分，基本指标共扣2分，自评得分98分；加分项目自评加1分；自评总分99分。\n"
            "二、指标情况\n各项指标完成情况良好。\n"
            "扣分情况：第4观测点（学位供给）扣1分，原因是城区学校班额偏大；第12观测点（教师培训）扣1分。"
            "加分情况：我县获评省级示范县，加1分。")
    r = extract_self_score(text)
    assert (r["total"], r["base"], r["bonus"], r["deducted"]) == (99, 98, 1, 2)
    assert [(i["label"], i["delta"]) for i in r["items"]] == [("第4观测点", -1), ("第12观测点", -1)]


def test_points_counted_in_items_total_without_score_word_and_a_breakdown():
    r = extract_self_score("我县对照30项评价指标开展自查，基础分自评88分；另因创建示范县加2分，合计自评90分。")
    assert (r["points_count"], r["base"], r["bonus"], r["total"]) == (30, 88, 2, 90)
    r = extract_self_score("经评定，我县基础得分94分，加分3分（其中特色项目加2分、示范创建加1分），自评总分97分。")
    assert (r["base"], r["bonus"], r["total"]) == (94, 3, 97)
