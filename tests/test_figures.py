"""dudao.extract.figures: canonical indicator figures, their scope and kind.

The fixture sentences are invented for these tests (other provinces, years, figures and
wordings than the seed reports); the seed test at the end scores the real seeds against the gold
annotations the way ../shared/eval/score.py does.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from dudao.extract.figures import canonical_names, extract_figures, extract_indicators
from dudao.resources import load_yaml
from seedkit import seed_parts, squash as _squash

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


def run(text, **kw):
    kw.setdefault("include_changes", True)
    figs = extract_indicators(text, **kw)
    for f in figs:
        assert text[f["start"]:f["end"]] == f["quote"], f
    return figs


def actual(text, **kw):
    return [(f["name"], f["scope"], f["value"], f["unit"]) for f in run(text, **kw) if f["kind"] == "actual"]


def kinds(text, name, **kw):
    return [(f["value"], f["kind"]) for f in run(text, **kw) if f["name"] == name]


# --------------------------------------------------------------------------------------------
# plain figures and aliases
# --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text,expected", [
    ("2022年，全县普惠性幼儿园覆盖率达到91.3%。", ("普惠性幼儿园覆盖率", 91.3, "%")),
    ("全市普惠园覆盖率为88.6%。", ("普惠性幼儿园覆盖率", 88.6, "%")),
    ("全区公办园在园幼儿占比达到57.2%。", ("公办园在园幼儿占比", 57.2, "%")),
    ("全县学前三年毛入园率达103.5%（含非户籍儿童，下同）。", ("学前三年毛入园率", 103.5, "%")),
    ("学前教育三年入园率为96.4%。", ("学前三年毛入园率", 96.4, "%")),
    ("全市九年义务教育巩固率达99.2%。", ("义务教育巩固率", 99.2, "%")),
    ("本年度义务教育优质均衡比例上升到76.5%。", ("义务教育优质均衡比例", 76.5, "%")),
    ("全市骨干教师比例达到27.3%。", ("骨干教师占比", 27.3, "%")),
    ("学生体质健康标准测试合格率为93.6%。", ("学生体质健康合格率", 93.6, "%")),
    ("全区中小学生总体近视率为49.8%。", ("近视率", 49.8, "%")),
    ("三类残疾儿童少年义务教育入学率达98.6%。", ("残疾儿童少年入学率", 98.6, "%")),
    ("群众对我县教育工作的满意度为88.1分。", ("社会公众满意度", 88.1, "分")),
    ("随迁子女在公办学校就读的比例为89.3%。", ("随迁子女公办学校就读比例", 89.3, "%")),
    ("全年新增学位3150余个。", ("新增学位", 3150, "个")),
    ("全区新增3000个公办学位。", ("新增学位", 3000, "个")),
])
def test_single_figures(text, expected):
    got = [(n, v, u) for n, s, v, u in actual(text, work_year=2022)]
    assert got == [expected]


def test_quote_is_the_phrase():
    text = "今年以来，全市普惠性幼儿园覆盖率达93.2%，较好完成目标。"
    f = run(text, work_year=2022)[0]
    assert f["quote"] == "普惠性幼儿园覆盖率达93.2%"


def test_qualifier_kept():
    f = run("学生体质健康测试合格率达到94%以上。")[0]
    assert f["value"] == 94 and f.get("qualifier") == "以上" and f["kind"] == "actual"


# --------------------------------------------------------------------------------------------
# non-aliases and near misses
# --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "全市普惠性幼儿园园区比例为88%，等级幼儿园比例达到97.5%。",
    "全市公办幼儿园覆盖率达76%。",
    "普通高中生均一般公共预算教育支出为2.35万元。",
    "全县财政性教育经费投入9.6亿元，一般公共预算收入28.4亿元。",
    "一般公共预算教育支出占一般公共预算支出的比例为18.5%。",
    "学生体质健康优良率为56.3%。",
    "全县小学入学率100%，初中升学率98.2%，高中阶段毛入学率96%。",
    "家长满意度为96.2%，学生满意度为97%。",
    "家长对课后服务满意度达98%。",
    "特教学校公用经费按普通学校生均标准的8倍拨付。",
    "优质均衡7项差异系数中有1项未达标。",
    "全县课后服务学校覆盖率100%。",
    "学位供给仍然偏紧，缺口约1200个。",
])
def test_near_misses_are_not_indicators(text):
    assert actual(text, work_year=2022) == []


def test_per_pupil_spending_is_not_the_budget_nor_running_costs():
    text = "小学、初中生均一般公共预算教育支出分别为1.42万元、1.87万元，同比增长3.1%、2.6%。"
    assert actual(text, work_year=2022) == []


# --------------------------------------------------------------------------------------------
# lists
# --------------------------------------------------------------------------------------------

def test_stage_enumeration_several_clauses_before():
    text = ("普高、中职、初中、小学、幼儿园各学段，生均一般公共预算教育支出分别为3.1万元、2.9万元、"
            "2.2万元、1.6万元、0.7万元，比上年增长4.1%、3.2%、2.5%、1.8%、6.6%；生均公用经费分别为"
            "1520元、1710元、1320元、980元、650元。")
    assert actual(text, work_year=2022) == [
        ("生均公用经费", "普通高中", 1520, "元"), ("生均公用经费", "中职", 1710, "元"),
        ("生均公用经费", "初中", 1320, "元"), ("生均公用经费", "小学", 980, "元"),
        ("生均公用经费", "学前", 650, "元")]


def test_teacher_groups():
    text = "2022学年，专任教师、骨干教师交流轮岗比例分别为15.2%、26.8%。"
    assert actual(text, work_year=2022) == [
        ("教师交流轮岗比例", "专任教师", 15.2, "%"), ("教师交流轮岗比例", "骨干教师", 26.8, "%")]


def test_year_series_is_actual_with_year_scopes():
    text = "2020-2022年，全市一般公共预算教育支出分别为18.3亿元、19.1亿元、20.4亿元，逐年增长。"
    assert actual(text, work_year=2022) == [
        ("一般公共预算教育支出", "2020", 18.3, "亿元"), ("一般公共预算教育支出", "2021", 19.1, "亿元"),
        ("一般公共预算教育支出", "2022", 20.4, "亿元")]
    text = "2021年、2022年一般公共预算教育支出分别为5.6亿元、6.1亿元。"
    assert [s for _, s, _, _ in actual(text, work_year=2022)] == ["2021", "2022"]


def test_stage_segments_for_disability_enrolment():
    text = "2022学年，学前段、义务教育段和高中段的残疾儿童入学率分别达92.5%、99.4%、88.7%。"
    assert actual(text, work_year=2022) == [
        ("残疾儿童少年入学率", "学前", 92.5, "%"), ("残疾儿童少年入学率", "义务教育", 99.4, "%"),
        ("残疾儿童少年入学率", "高中", 88.7, "%")]


def test_coefficients_by_stage():
    text = "2022年，全县小学、初中综合差异系数分别为0.42和0.35，均达到国家标准。"
    assert actual(text, work_year=2022) == [
        ("校际差异系数", "小学", 0.42, ""), ("校际差异系数", "初中", 0.35, "")]


def test_labelled_items_with_per_pupil_unit():
    text = "我市生均公用经费基准定额为小学800元/生·年，初中1000元/生·年，特殊教育学校6000元/生·年。"
    assert actual(text, work_year=2022) == [
        ("生均公用经费", "小学", 800, "元"), ("生均公用经费", "初中", 1000, "元"),
        ("生均公用经费", "特殊教育", 6000, "元")]
    text = "本区公用经费基准定额为幼儿园650元/生/年，小学720元/生/年，中学950元/生/年。"
    assert [s for _, s, _, _ in actual(text, work_year=2022)] == ["学前", "小学", "中学"]


def test_new_places_carry_over_the_list():
    text = "全年新增公办幼儿园学位1800个、小学学位2400个、初中学位900个。"
    assert actual(text, work_year=2022) == [
        ("新增学位", "学前", 1800, "个"), ("新增学位", "小学", 2400, "个"), ("新增学位", "初中", 900, "个")]


def test_physical_health_pass_rates_not_good_rates():
    text = ("2022年全县开展学生体质健康抽测，其中小学合格率为97.2%，优良率55.6%；"
            "初中合格率为95.1%，优良率51.3%。")
    assert actual(text, work_year=2022) == [
        ("学生体质健康合格率", "小学", 97.2, "%"), ("学生体质健康合格率", "初中", 95.1, "%")]


def test_pass_rate_needs_physical_health_context():
    assert actual("全县教师资格考试合格率为82%。") == []


def test_coordinated_names_share_out_the_values():
    text = "全县普惠性幼儿园覆盖率和公办园在园幼儿占比分别达到92%和55%。"
    assert actual(text) == [("普惠性幼儿园覆盖率", None, 92, "%"), ("公办园在园幼儿占比", None, 55, "%")]
    text = "小学巩固率、初中巩固率分别为99.5%、98.7%。"
    assert actual(text) == [("义务教育巩固率", "小学", 99.5, "%"), ("义务教育巩固率", "初中", 98.7, "%")]
    text = "普惠性幼儿园覆盖率、公办园在园幼儿占比均达到100%。"
    assert actual(text) == [("普惠性幼儿园覆盖率", None, 100, "%"), ("公办园在园幼儿占比", None, 100, "%")]


def test_three_names_three_values():
    text = "全县学前三年毛入园率、普惠性幼儿园覆盖率、公办园在园幼儿占比分别达到95.2%、88.6%、52.1%。"
    assert actual(text) == [("学前三年毛入园率", None, 95.2, "%"), ("普惠性幼儿园覆盖率", None, 88.6, "%"),
                            ("公办园在园幼儿占比", None, 52.1, "%")]


def test_per_pupil_labels_with_every_pupil_every_year():
    text = "全县义务教育学校生均公用经费标准小学每生每年650元、初中每生每年850元。"
    assert actual(text) == [("生均公用经费", "小学", 650, "元"), ("生均公用经费", "初中", 850, "元")]


def test_trend_clause_then_level():
    assert actual("学生体质健康合格率逐年提高，2022年达到94.3%。", work_year=2022) == [
        ("学生体质健康合格率", None, 94.3, "%")]
    assert actual("一般公共预算教育支出逐年只增不减，2022年达8.6亿元。", work_year=2022) == [
        ("一般公共预算教育支出", None, 8.6, "亿元")]


def test_stage_inside_the_name_is_not_a_scope():
    assert actual("全县小学入学率100%，九年义务教育巩固率99.2%。") == [("义务教育巩固率", None, 99.2, "%")]


# --------------------------------------------------------------------------------------------
# growth, changes, restatements, comparisons
# --------------------------------------------------------------------------------------------

def test_growth_after_the_budget_amount():
    text = "2022年，全区一般公共预算教育支出8.45亿元，比上年增长6.3%，生均公用经费增长2.1%。"
    assert actual(text, work_year=2022) == [
        ("一般公共预算教育支出", None, 8.45, "亿元"), ("一般公共预算教育支出增长率", None, 6.3, "%")]
    text = "一般公共预算教育支出12.3亿元，占一般公共预算支出的17.8%，较上年增加1.2亿元，增长10.8%。"
    assert ("一般公共预算教育支出增长率", None, 10.8, "%") in actual(text, work_year=2022)
    text = "全市一般公共预算教育支出为15.2亿元，比上年的13.9亿元增长9.35%。"
    assert ("一般公共预算教育支出增长率", None, 9.35, "%") in actual(text, work_year=2022)


def test_growth_of_per_pupil_spending_is_not_budget_growth():
    text = "全市生均一般公共预算教育支出同比增长4.6%。"
    assert actual(text) == []


def test_changes_are_not_levels():
    for text in ("学生视力不良率较上年度下降0.9%以上。",
                 "全区儿童青少年近视率比2021年降低0.75个百分点。",
                 "普惠性幼儿园覆盖率较2021年提升了3.4%。"):
        got = run(text, work_year=2022)
        assert [f for f in got if f["kind"] == "actual"] == [], text
        assert got and all(f["kind"] == "change" and f["name"].endswith("变化") for f in got), got


def test_changes_left_out_by_default():
    text = "2022年全区儿童青少年总体近视率为51.2%，比2021年降低1.1个百分点。"
    figs = extract_indicators(text, work_year=2022)
    assert [(f["name"], f["kind"]) for f in figs] == [("近视率", "actual")]
    assert {f["kind"] for f in extract_figures(text, work_year=2022)} >= {"actual", "change"}


def test_level_then_change():
    text = "2022年全区儿童青少年总体近视率为51.2%，比2021年降低1.1个百分点。"
    figs = run(text, work_year=2022)
    assert [(f["name"], f["value"], f["kind"]) for f in figs] == [
        ("近视率", 51.2, "actual"), ("近视率变化", -1.1, "change")]


def test_from_to_takes_the_new_level():
    text = "全县公办园在园幼儿占比由45.2%提高到52.7%。"
    assert actual(text) == [("公办园在园幼儿占比", None, 52.7, "%")]
    text = "全县学前三年毛入园率由2019年的82.3%提高到2022年的91.1%，增长了8.8个百分点。"
    assert actual(text, work_year=2022) == [("学前三年毛入园率", None, 91.1, "%")]


def test_from_to_for_the_next_stage_takes_its_new_level_too():
    text = "经第三方重新测算，全市小学综合差异系数由0.61降至0.44，初中由0.52降至0.39。"
    assert actual(text) == [("校际差异系数", "小学", 0.44, ""), ("校际差异系数", "初中", 0.39, "")]


def test_bounds_missed_after_the_figures_are_targets():
    text = "全市小学综合差异系数为0.61、初中为0.52，分别高于小学0.50、初中0.45的督导评估要求。"
    figs = run(text)
    assert [(f["scope"], f["value"], f["kind"]) for f in figs] == [
        ("小学", 0.61, "actual"), ("初中", 0.52, "actual"), ("小学", 0.5, "target"), ("初中", 0.45, "target")]
    # right after its name, the figure is the measurement itself
    assert [(f["value"], f["kind"]) for f in run("全市小学综合差异系数超过0.6。")] == [(0.6, "actual")]
    assert [(f["value"], f["kind"]) for f in run("全市九年义务教育巩固率低于93%。")] == [(93.0, "actual")]


def test_a_ceiling_named_as_a_requirement_after_the_figure_is_a_target():
    # "5所以内学校的要求": the bound of a requirement, its noun between 以内 and 的要求
    text = "全区人均负责学校9.3所，远超每名责任督学负责5所以内学校的要求。"
    assert [(f["value"], f["kind"]) for f in extract_figures(text)] == [(9.3, "actual"), (5.0, "target")]
    assert [(f["value"], f["kind"]) for f in extract_figures("每名责任督学负责学校5所以内。")] == [(5.0, "actual")]


def test_the_fitness_pass_rate_in_the_standards_grades():
    text = "全市中小学生按国家标准测试，达到及格等级以上的占92.4%。数学抽测及格以上的占80%。"
    assert actual(text) == [("学生体质健康合格率", None, 92.4, "%")]


def test_a_level_still_applied_is_the_regions_figure():
    text = "县级普通高中生均公用经费拨款仍执行每生每年650元标准。"
    assert [(f["value"], f["kind"]) for f in run(text)] == [(650.0, "actual")]


def test_restatement_on_another_scale_is_one_figure():
    text = ("一、自评情况\n第20测评点因群众对教育的满意度为83.45分未达标，扣1分。\n"
            "三、存在问题\n第三方调查显示，社会公众对教育工作总满意度为8.345分，全省平均值8.62分。\n")
    figs = run(text, work_year=2022)
    sat = [f for f in figs if f["name"] == "社会公众满意度"]
    assert [(f["value"], f["kind"]) for f in sat] == [(83.45, "actual"), (8.62, "comparison")]
    assert sat[0]["restated"][0]["value"] == pytest.approx(8.345)
    r = sat[0]["restated"][0]
    assert text[r["start"]:r["end"]].endswith("8.345分")


def test_same_figure_twice_is_one():
    text = "全市普惠性幼儿园覆盖率达92.4%。……总之，普惠性幼儿园覆盖率达92.4%，位居全省前列。"
    assert actual(text) == [("普惠性幼儿园覆盖率", None, 92.4, "%")]


def test_comparison_figures():
    text = "骨干教师占专任教师比例达21.5%，全省平均值为18.2%。"
    assert kinds(text, "骨干教师占比") == [(21.5, "actual"), (18.2, "comparison")]
    text = "全省平均满意度为85.3分，我县满意度为88.1分。"
    assert kinds(text, "社会公众满意度") == [(85.3, "comparison"), (88.1, "actual")]


# --------------------------------------------------------------------------------------------
# placeholders
# --------------------------------------------------------------------------------------------

def test_blank_placeholders():
    figs = run("普惠性幼儿园覆盖率达___%，公办园在园幼儿占比□%。")
    assert [(f["name"], f["value"]) for f in figs] == [("普惠性幼儿园覆盖率", None), ("公办园在园幼儿占比", None)]


def test_placeholders_have_no_value():
    text = "目前，全州普惠性幼儿园覆盖率达x%，公办园幼儿占比x%，学前教育三年入园率达x%。"
    figs = run(text)
    assert [(f["name"], f["value"], f["unit"]) for f in figs] == [
        ("普惠性幼儿园覆盖率", None, "%"), ("公办园在园幼儿占比", None, "%"), ("学前三年毛入园率", None, "%")]


# --------------------------------------------------------------------------------------------
# scopes from the clause
# --------------------------------------------------------------------------------------------

def test_consolidation_rate_scope_from_clause_chain():
    text = "小学适龄儿童入学率达100%，在校生巩固率、毕业率均为100%；初中入学率达99.6%，在校生巩固率98.9%。"
    assert actual(text) == [("义务教育巩固率", "小学", 100, "%"), ("义务教育巩固率", "初中", 98.9, "%")]


def test_after_school_service_scopes():
    text = ("全市初中生课后服务参与率为87.5%。全县共有3.1万名小学生、1.2万名初中生参加课后服务，"
            "参与率达90.1%。城区小学生参加课后服务的比例为95.4%。")
    assert actual(text) == [("课后服务参与率", "初中", 87.5, "%"), ("课后服务参与率", None, 90.1, "%"),
                            ("课后服务参与率", "小学", 95.4, "%")]


def test_migrant_children_scope():
    text = "2022年，全市接收进城务工人员随迁子女1.2万人，义务教育阶段在公办学校就读比例达93.5%。"
    assert actual(text, work_year=2022) == [("随迁子女公办学校就读比例", "义务教育", 93.5, "%")]
    # without migrant children in the sentence a public-school share is something else
    assert actual("全县学生在公办学校就读比例为86%。") == []


def test_tutoring_reduction_scope():
    text = "全市义务教育阶段线下学科类校外培训机构压减率达95.2%。"
    assert actual(text) == [("学科类校外培训机构压减率", "义务教育", 95.2, "%")]


def test_new_places_scope_and_blockers():
    text = "全年新增中小学学位3600个，新增普通高中学位数500个。"
    assert actual(text) == [("新增学位", None, 3600, "个"), ("新增学位", "普通高中", 500, "个")]


# --------------------------------------------------------------------------------------------
# targets
# --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text,name", [
    ("确保公办园在园幼儿占比达到55%以上。", "公办园在园幼儿占比"),
    ("力争学前教育生均公用经费达到1200元以上。", "生均公用经费"),
    ("到2026年，普惠性幼儿园覆盖率达到92%。", "普惠性幼儿园覆盖率"),
    ("预计新增学位1500个。", "新增学位"),
    ("拟新建幼儿园2所，可新增学位540个。", "新增学位"),
    ("“十四五”期间，全县规划新建学校8所，新增学位9000个。", "新增学位"),
    ("公办园在园幼儿占比没有达到50%以前，新建配套幼儿园全部作为公办园举办。", "公办园在园幼儿占比"),
    ("我区将新增学位2400个。", "新增学位"),
    ("义务教育阶段生均公用经费不低于小学650元、初中850元。", "生均公用经费"),
    ("计划总投资5亿元，建成后可增加学位3200个。", "新增学位"),
])
def test_targets_are_not_actual(text, name):
    figs = [f for f in run(text, work_year=2022) if f["name"] == name]
    assert figs and all(f["kind"] == "target" for f in figs), figs


def test_plan_period_carries_over_the_paragraph():
    text = "十四五期间，全县规划新建学校8所。新增学位9000个，公办园在园幼儿占比达到60%。\n2022年新增学位1500个。"
    assert kinds(text, "新增学位", work_year=2022) == [(9000, "target"), (1500, "actual")]
    assert kinds(text, "公办园在园幼儿占比", work_year=2022) == [(60, "target")]


def test_past_plan_period_is_fact():
    assert kinds("“十三五”期间，全市累计新增学位12000个。", "新增学位", work_year=2022) == [(12000, "actual")]


def test_plan_in_a_document_title_is_not_a_plan():
    text = "深入实施《学前教育发展三年行动计划（2023—2025年）》，全市普惠性幼儿园覆盖率达89.6%。"
    assert kinds(text, "普惠性幼儿园覆盖率", work_year=2022) == [(89.6, "actual")]


def test_purpose_clause_is_not_a_goal():
    text = "为确保学前教育普及普惠，我市新建幼儿园6所，新增学位1620个。"
    assert kinds(text, "新增学位", work_year=2022) == [(1620, "actual")]


def test_measures_section_without_sections_argument():
    text = ("二、主要成效\n全县新增学位2300个，学科类校外培训机构压减率为88.6%。\n"
            "四、下一步工作打算\n（一）补齐学前短板。全县普惠性幼儿园覆盖率提高到93%，新增学位1200个。"
            "目前已新增学位600个。\n")
    figs = run(text, work_year=2022)
    assert [(f["name"], f["value"], f["kind"]) for f in figs] == [
        ("新增学位", 2300, "actual"), ("学科类校外培训机构压减率", 88.6, "actual"),
        ("普惠性幼儿园覆盖率", 93, "target"), ("新增学位", 1200, "target"), ("新增学位", 600, "actual")]


def test_problems_and_measures_heading_splits_by_subheading():
    text = ("三、存在问题及下步打算\n（一）存在问题\n全市骨干教师占比为12.4%，低于全省平均水平。\n"
            "（二）下步打算\n骨干教师占比提高到15%。\n")
    assert kinds(text, "骨干教师占比", work_year=2022) == [(12.4, "actual"), (15, "target")]


def test_year_cited_inside_a_measures_clause_is_not_a_fact():
    text = ("四、下一步工作打算\n（一）补短板。对照2021年督导反馈意见，公办园在园幼儿占比达到55%。"
            "2021年，全县公办园在园幼儿占比为48%。\n")
    assert kinds(text, "公办园在园幼儿占比", work_year=2021) == [(55, "target"), (48, "actual")]


def test_next_step_paragraph():
    text = "下一步，我县将加快公办园建设。新增学位1200个，公办园在园幼儿占比提高到55%。\n2021年新增学位800个。"
    assert kinds(text, "新增学位", work_year=2021) == [(1200, "target"), (800, "actual")]
    assert kinds(text, "公办园在园幼儿占比", work_year=2021) == [(55, "target")]


def test_scoring_rules_and_quoted_standards_are_not_facts():
    assert kinds("普惠性幼儿园覆盖率达到80%以上的得2分。", "普惠性幼儿园覆盖率") == [(80, "target")]
    assert [k for _, k in kinds("（国家标准：普惠性幼儿园覆盖率达到80%）", "普惠性幼儿园覆盖率")] != ["actual"]
    assert kinds("力争公办园在园幼儿占比达到50%的目标。", "公办园在园幼儿占比") == [(50, "target")]


def test_rotation_share_after_a_count():
    # the subject names teachers as a whole: the 专任教师 share
    text = "全年交流轮岗教师215人，占符合交流条件教师的14.8%。"
    assert actual(text) == [("教师交流轮岗比例", "专任教师", 14.8, "%")]


# --------------------------------------------------------------------------------------------
# other phrasings of the genre (rules generalised from the bundled examples; wording invented)
# --------------------------------------------------------------------------------------------

def test_rotation_share_and_backbone_share_of_those_rotated():
    text = "本学年全区交流轮岗教师268人，占应交流教师的13.1%，其中骨干教师71人，占交流教师总数的26.5%。"
    assert actual(text, work_year=2023) == [
        ("教师交流轮岗比例", "专任教师", 13.1, "%"), ("教师交流轮岗比例", "骨干教师", 26.5, "%")]
    text = "全市轮岗交流教师1,024人，占符合条件教师总数的11.7%，其中骨干教师占交流教师总数的22%。"
    assert actual(text, work_year=2023) == [
        ("教师交流轮岗比例", "专任教师", 11.7, "%"), ("教师交流轮岗比例", "骨干教师", 22, "%")]
    text = "全县交流教师300人，其中骨干教师交流68人，占交流总数的22.7%。"
    assert actual(text, work_year=2023) == [("教师交流轮岗比例", "骨干教师", 22.7, "%")]


def test_rotation_share_in_a_template():
    figs = run("全年交流轮岗教师xx人，占符合交流条件教师的x%。")
    assert [(f["name"], f["scope"], f["value"], f["kind"]) for f in figs] == [
        ("教师交流轮岗比例", "专任教师", None, "actual")]


@pytest.mark.parametrize("text,expected", [
    # principals are no teacher group
    ("全县交流轮岗校长12人，占符合条件校长的15%。", [("教师交流轮岗比例", None, 15, "%")]),
    # the backbone share of all teachers is 骨干教师占比's business, not a rotation share
    ("全县骨干教师680人，其中骨干教师占专任教师总数的18%。", [("骨干教师占比", None, 18, "%")]),
    # a count alone is no share
    ("全年交流轮岗教师203人，其中骨干教师58人。", []),
])
def test_rotation_near_misses(text, expected):
    assert actual(text, work_year=2023) == expected


@pytest.mark.parametrize("text,scope", [
    ("全县义务教育阶段学校课后服务实现全覆盖，学生参与率达到93.8%。", "义务教育"),
    ("义务教育学校全面开展“5+2”课后服务，课后服务参与率91.2%；", "义务教育"),
    ("落实“双减”要求，全旗义务教育学校课后服务全覆盖，学生课后服务参与率为97.1%。", "义务教育"),
    # several stages or a blocker before: the rate is the whole
    ("全区中小学课后服务全覆盖，学生参与率达90%。", None),
    ("全县小学和初中课后服务全覆盖，学生参与率为88%。", None),
    # the figure's own clause wins over the sentence
    ("义务教育学校课后服务全覆盖，初中生课后服务参与率为86.3%。", "初中"),
])
def test_after_school_scope_from_the_sentence(text, scope):
    assert actual(text, work_year=2023) == [("课后服务参与率", scope, pytest.approx(float(re.findall(r"[\d.]+(?=%)", text)[-1])), "%")]


def test_rate_with_a_lost_decimal_point_is_kept():
    text = "全市义务教育学校课后服务实现全覆盖，学生参与率达953%。"
    assert actual(text, work_year=2023) == [("课后服务参与率", "义务教育", 953, "%")]
    # too far out even for a lost decimal point, or not written right after the name
    assert actual("全市课后服务参与率达9530%。") == []
    assert actual("全市课后服务参与率逐年提高，参与学生人数增至上年的250%。") == []


def test_placeholder_coefficients_have_no_value():
    figs = run("全区小学、初中校际综合差异系数分别为0.xx、0.xx。")
    assert [(f["name"], f["scope"], f["value"], f["unit"]) for f in figs] == [
        ("校际差异系数", "小学", None, ""), ("校际差异系数", "初中", None, "")]


def test_placeholder_places_follow_the_kind_rules():
    text = ("二、主要成效\n全年新建公办幼儿园x所，新增学位xxxx个。新增义务教育学位xxxx个。\n"
            "五、下一步工作打算\n计划新建公办幼儿园x所，新增学位xxxx个。\n")
    figs = [f for f in run(text) if f["name"] == "新增学位"]
    assert [(f["scope"], f["value"], f["kind"]) for f in figs] == [
        ("学前", None, "actual"), ("义务教育", None, "actual"), ("学前", None, "target")]


def test_budget_against_the_previous_year_gives_two_years():
    text = "2021年，全市一般公共预算教育支出23.5亿元，受基建项目收尾影响，比上年的24.1亿元下降2.5%。"
    assert actual(text, work_year=2021) == [
        ("一般公共预算教育支出", "2021", 23.5, "亿元"), ("一般公共预算教育支出", "2020", 24.1, "亿元"),
        ("一般公共预算教育支出增长率", None, -2.5, "%")]
    # no year in the sentence: the work year; an explicit base year is taken as written
    text = "全区一般公共预算教育支出98000万元，较2019年的91000万元增长7.7%。"
    assert actual(text, work_year=2021) == [
        ("一般公共预算教育支出", "2021", 98000, "万元"), ("一般公共预算教育支出", "2019", 91000, "万元"),
        ("一般公共预算教育支出增长率", None, 7.7, "%")]


def test_growth_quote_starts_after_the_base_figure():
    text = "2022年全县一般公共预算教育支出6.2亿元，比上年的5.9亿元增长5.1%。"
    figs = run(text, work_year=2022)
    assert [f["quote"] for f in figs] == ["一般公共预算教育支出6.2亿元", "比上年的5.9亿元", "增长5.1%"]


@pytest.mark.parametrize("text,work_year,expected", [
    # one year only: no year scope
    ("2021年，全县一般公共预算教育支出7.3亿元，同比增长4.4%。", 2021,
     [("一般公共预算教育支出", None, 7.3, "亿元"), ("一般公共预算教育支出增长率", None, 4.4, "%")]),
    # a change in money is no level of another year
    ("全县一般公共预算教育支出9.8亿元，比上年增加0.7亿元。", 2021, [("一般公共预算教育支出", None, 9.8, "亿元")]),
    # no year known at all: no year invented
    ("全县一般公共预算教育支出9.8亿元，比上年的9.1亿元增长7.7%。", None,
     [("一般公共预算教育支出", None, 9.8, "亿元"), ("一般公共预算教育支出增长率", None, 7.7, "%")]),
])
def test_budget_year_scope_near_misses(text, work_year, expected):
    assert actual(text, work_year=work_year) == expected


def test_single_figures_of_another_year_keep_no_year_scope():
    text = "下一步，力争2025年底普惠性幼儿园覆盖率达到92%以上。计划2024年新增学位2000个。"
    figs = run(text, work_year=2023)
    assert [(f["name"], f["scope"], f["kind"]) for f in figs] == [
        ("普惠性幼儿园覆盖率", None, "target"), ("新增学位", None, "target")]


@pytest.mark.parametrize("text,expected", [
    ("学前教育按在园幼儿每生每年450元拨付公用经费。", ("生均公用经费", "学前", 450, "元")),
    ("普通高中生均公用经费按1200元标准核拨，按时足额到位。", ("生均公用经费", "普通高中", 1200, "元")),
    ("特殊教育学校按照生均6500元标准给予公用经费保障。", ("生均公用经费", "特殊教育", 6500, "元")),
])
def test_funding_quotas_are_the_regions_own(text, expected):
    assert actual(text, work_year=2022) == [expected]


@pytest.mark.parametrize("text", [
    # a subsidy to private kindergartens, a total, a quoted floor
    "对普惠性民办幼儿园按每生每年400元给予公用经费补助。",
    "全年拨付义务教育公用经费5620万元。",
    "小学生均公用经费按不低于650元标准拨付。",
    "寄宿制学校按每生每年200元拨付公用经费。",
    "在此基础上，农村学校按每生每年100元增加公用经费。",
])
def test_funding_quota_near_misses(text):
    assert actual(text, work_year=2022) == []


@pytest.mark.parametrize("text,expected", [
    ("全年新增普惠性学位2240个。", [("新增学位", "学前", 2240, "个")]),
    ("年内新建公办幼儿园5所，新增学位1350个。", [("新增学位", "学前", 1350, "个")]),
    # two stages in the sentence: the places are the whole
    ("启动第二小学、城南幼儿园建设，新增学位3000个。", [("新增学位", None, 3000, "个")]),
    ("新建特殊教育学校1所，新增学位200个。", [("新增学位", None, 200, "个")]),
    # schools of no named stage beside the kindergartens
    ("新建学校5所、幼儿园3所，新增学位4000个。", [("新增学位", None, 4000, "个")]),
    # but the 学校 of 义务教育学校 names its stage
    ("改扩建义务教育学校9所，新增学位5400个。", [("新增学位", "义务教育", 5400, "个")]),
])
def test_new_places_scope_from_the_sentence(text, expected):
    assert actual(text, work_year=2022) == expected


def test_threshold_qualifier():
    assert kinds("生均公用经费不低于650元。", "生均公用经费") == [(650, "target")]


def test_teacher_participation_is_not_pupil_participation():
    assert actual("全区课后服务实现全覆盖，教师参与率达100%。") == []


def test_sections_argument_is_used():
    text = "五、努力方向\n公办园在园幼儿占比达到52%，普惠性幼儿园覆盖率达到90%。\n"
    plain = "公办园在园幼儿占比达到52%，普惠性幼儿园覆盖率达到90%。"
    sections = [{"heading": "五、努力方向", "level": 1, "roles": ["measures"], "start": 0, "end": 6}]
    assert {f["kind"] for f in run(text, sections=sections)} == {"target"}
    # a section list without a measures section: the same sentence is a fact
    other = [{"heading": "五、工作成效", "level": 1, "roles": ["achievements"], "start": 0, "end": 6}]
    assert {f["kind"] for f in run(text.replace("努力方向", "工作成效"), sections=other)} == {"actual"}
    assert {f["kind"] for f in run(plain)} == {"actual"}


# --------------------------------------------------------------------------------------------
# phrasings of the blind set (rules generalised from it; wording, regions and figures invented)
# --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text,expected", [
    # a name closing its clause: the next clause opens with the stage and the figure
    ("本县严格执行生均公用经费基准定额，小学每生每年720元、初中每生每年940元，按季度拨付到校。",
     [("生均公用经费", "小学", 720, "元"), ("生均公用经费", "初中", 940, "元")]),
    ("全旗落实义务教育生均公用经费，小学710元，初中910元。",
     [("生均公用经费", "小学", 710, "元"), ("生均公用经费", "初中", 910, "元")]),
    ("全面落实公用经费基准定额，初中生均为1050元。", [("生均公用经费", "初中", 1050, "元")]),
    ("全县学生体质健康合格率，小学96.1%、初中93.4%。",
     [("学生体质健康合格率", "小学", 96.1, "%"), ("学生体质健康合格率", "初中", 93.4, "%")]),
    # near misses: the next clause is about something else, or names no stage the indicator takes
    ("我县提高生均公用经费，小学生人数增至1.2万人。", []),
    ("足额落实生均公用经费，小学新建食堂3个。", []),
    ("生均公用经费及时拨付，幼儿园保教费每生每年2400元。", []),
    ("全面落实生均公用经费，寄宿制学校每生每年另加200元。", []),
    ("普惠性幼儿园覆盖率，学前85%。", []),
])
def test_name_closing_its_clause_takes_the_next_labelled_figures(text, expected):
    assert actual(text, work_year=2022) == expected


@pytest.mark.parametrize("text,expected", [
    ("本年度新增学位5200个，其中小学学位2100个、初中学位1400个。",
     [("新增学位", None, 5200, "个"), ("新增学位", "小学", 2100, "个"), ("新增学位", "初中", 1400, "个")]),
    ("全区新增2800个学位，其中初中900个。", [("新增学位", None, 2800, "个"), ("新增学位", "初中", 900, "个")]),
    # a share of no stage, or not of places, is none of the indicator's figures
    ("全市新增学位3000个，其中公办学位2600个。", [("新增学位", None, 3000, "个")]),
    ("全市新增学位3000个，其中幼儿园教师120名。", [("新增学位", None, 3000, "个")]),
    ("全年新增学位4100个，其中新建幼儿园5个。", [("新增学位", None, 4100, "个")]),
    # no total of places before: "其中" is not about places added
    ("全县新建学校4所，其中幼儿园学位600个。", []),
])
def test_new_places_share_by_stage(text, expected):
    assert actual(text, work_year=2022) == expected


def test_new_places_share_follows_the_kind_of_the_total():
    assert kinds("计划新增学位6000个，其中幼儿园学位1500个。", "新增学位", work_year=2022) == [
        (6000, "target"), (1500, "target")]


@pytest.mark.parametrize("text,expected", [
    # the survey named earlier in the sentence, the region's score after it
    ("在2022年全市群众教育满意度测评中，我县得分89.34分，位列第三。", [("社会公众满意度", None, 89.34, "分")]),
    # another body's survey, or an evaluation that is no survey
    ("在家长满意度调查中，我县得分95.1分。", []),
    ("在课后服务满意度问卷中，我区得分97分。", []),
    ("在省级教育督导评估中，我县得分92分。", []),
    # the scheme's points stated in passing do not stand for the result
    ("社会公众满意度（满分100分）为91.6分。", [("社会公众满意度", None, 91.6, "分")]),
    ("社会公众满意度测评得分9.1分（满分10分）。", [("社会公众满意度", None, 9.1, "分")]),
    ("群众满意度为92.4分，由第三方机构测评。", [("社会公众满意度", None, 92.4, "分")]),
])
def test_satisfaction_score_after_the_survey(text, expected):
    assert actual(text, work_year=2022) == expected


@pytest.mark.parametrize("text", [
    "评价指标总分100分（满分100分，其中群众满意度8分由市级统一测评）。",
    "群众满意度12分不计入自评总分。",
    "社会满意度分值为10分。",
])
def test_satisfaction_points_of_a_scheme_are_not_a_result(text):
    figs = [f for f in run(text, work_year=2022) if f["name"] == "社会公众满意度"]
    assert figs and all(f["kind"] == "target" for f in figs), figs


def test_points_word_inside_a_parenthesis_is_no_threshold():
    assert kinds("学生体质健康合格率（分值5分）达到95.2%。", "学生体质健康合格率", work_year=2022) == [
        (95.2, "actual")]


@pytest.mark.parametrize("text,expected", [
    ("当年交流轮岗专任教师402人，占应交流教师总数的13.9%。", [("教师交流轮岗比例", "专任教师", 13.9, "%")]),
    ("全县交流专任教师180名，占比12.2%。", [("教师交流轮岗比例", "专任教师", 12.2, "%")]),
    # a count alone is no share
    ("全县交流轮岗专任教师402人。", []),
])
def test_rotation_share_of_full_time_teachers(text, expected):
    assert actual(text, work_year=2023) == expected


@pytest.mark.parametrize("text,expected", [
    ("全县小学、初中校际差异系数分别控制在0.50、0.45以内。", [(0.5, "target"), (0.45, "target")]),
    ("全县小学、初中综合差异系数均控制在0.48和0.42以内。", [(0.48, "target")]),
    ("全县初中综合差异系数保持在0.40以下。", [(0.4, "target")]),
    # kept at a value, with no ceiling word: the value reached
    ("全县小学综合差异系数控制在0.38，较上年缩小0.02。", [(0.38, "actual")]),
    ("全县小学、初中综合差异系数分别为0.38和0.31，均控制在国家标准以内。", [(0.38, "actual"), (0.31, "actual")]),
])
def test_coefficients_kept_under_a_ceiling_are_thresholds(text, expected):
    assert kinds(text, "校际差异系数", work_year=2022) == expected


def test_myopia_change_against_the_yearly_standard():
    text = "因全县儿童青少年总体近视率较上年仅下降0.4个百分点，未达到每年降低0.5个百分点以上的要求，扣2分。"
    figs = extract_figures(text, work_year=2022)
    change = [f for f in figs if f["name"] == "近视率变化"]
    assert [(f["value"], f["unit"], f["kind"]) for f in change] == [(-0.4, "个百分点", "change")]
    # the standard quoted after it is no change that happened
    std = [f for f in figs if f["value"] == 0.5]
    assert [f["kind"] for f in std] == ["target"]
    # a rise is a positive change
    figs = extract_figures("全市中小学生总体近视率较上年上升0.6个百分点。", work_year=2022)
    assert [(f["name"], f["value"], f["kind"]) for f in figs] == [("近视率变化", 0.6, "change")]


# --------------------------------------------------------------------------------------------
# extract_figures and the vocabulary file
# --------------------------------------------------------------------------------------------

def test_extract_figures_names_other_quantities():
    text = "全县等级幼儿园比例达到97.5%，普惠性幼儿园覆盖率达91%，新建幼儿园4所。"
    figs = extract_figures(text, work_year=2022)
    by = {f["name"]: f for f in figs}
    assert by["等级幼儿园比例"]["value"] == 97.5 and not by["等级幼儿园比例"]["canonical"]
    assert by["普惠性幼儿园覆盖率"]["canonical"]
    for f in figs:
        assert text[f["start"]:f["end"]] == f["quote"]


def test_vocabulary_file_layout():
    data = load_yaml("indicators")
    spec_names = {"学前三年毛入园率", "普惠性幼儿园覆盖率", "公办园在园幼儿占比", "义务教育巩固率", "校际差异系数",
                  "义务教育优质均衡比例", "一般公共预算教育支出", "一般公共预算教育支出增长率", "生均公用经费",
                  "骨干教师占比", "教师交流轮岗比例", "学生体质健康合格率", "近视率", "课后服务参与率",
                  "学科类校外培训机构压减率", "社会公众满意度", "随迁子女公办学校就读比例", "残疾儿童少年入学率",
                  "新增学位"}
    assert set(canonical_names()) == spec_names
    for name, d in data["indicators"].items():
        assert d["aliases"] and d["units"], name
        assert "standard" not in d, name   # standards live in standards.yaml only
    for name, rules in load_yaml("standards").items():
        if name not in ("held_kinds", "eastern_provinces"):
            assert name in spec_names or name in ("近视率变化", "班额"), name
            for s in rules:
                assert {"op", "value", "scope", "source"} <= set(s) and s["source"], (name, s)
    assert data["scope_words"]["普高"] == "普通高中"
    assert data["scope_words"]["中小学"] is None


def test_empty_and_figure_free_text():
    assert extract_indicators("") == []
    assert extract_indicators("坚持立德树人，办好人民满意的教育。") == []


# --------------------------------------------------------------------------------------------
# seeds against gold (scored the way ../shared/eval/score.py scores indicators)
# --------------------------------------------------------------------------------------------

_UNIT_SCALE = {"元": 1, "万元": 1e4, "亿元": 1e8, "千元": 1e3, "个": 1, "%": 1, "分": 1, "": 1}


def _norm(value, unit):
    return None if value is None else float(value) * _UNIT_SCALE.get((unit or "").strip(), 1)



def _seed_reports(name: str, text: str) -> list[str]:
    return seed_parts(text)


def _gold():
    gold_dir = SHARED / "corpus" / "gold"
    seeds_dir = SHARED / "corpus" / "seeds"
    if not gold_dir.is_dir() or not seeds_dir.is_dir():
        pytest.skip("../shared corpus not available")
    golds = {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted(gold_dir.glob("*.json"))}
    names = {i["name"] for g in golds.values() for r in g["reports"] for i in r.get("indicators", [])}
    return golds, names, seeds_dir


def _score(gold_report, figs, all_names, log, tag):
    """(recall hits, recall total, precision hits, precision total) as score.py counts them."""
    actual = [f for f in figs if f.get("kind", "actual") == "actual"]
    used = set()
    rec = [0, 0]
    for gi in gold_report.get("indicators", []):
        gv = _norm(gi["value"], gi["unit"])
        if gv is None:
            bad = [f for f in actual if f["name"] == gi["name"] and f["value"] is not None]
            if bad:
                log.append(f"{tag}: value invented for placeholder {gi['name']}: {bad[0]['quote']}")
                rec[1] += 1
            continue
        rec[1] += 1
        hit = None
        for k, f in enumerate(actual):
            if k in used or f["name"] != gi["name"]:
                continue
            fv = _norm(f["value"], f["unit"])
            if fv is not None and abs(fv - gv) <= 1e-6 * max(1.0, abs(fv), abs(gv)):
                hit = k
                break
        if hit is None:
            log.append(f"{tag}: missed {gi['name']}={gi['value']}{gi['unit']} ({gi['quote']})")
            continue
        rec[0] += 1
        used.add(hit)
        if gi.get("scope") and _squash(gi["scope"]) not in _squash(actual[hit].get("scope") or ""):
            log.append(f"{tag}: scope of {gi['name']}={gi['value']}: {actual[hit].get('scope')} != {gi['scope']}")
    prec = [0, 0]
    for k, f in enumerate(actual):
        if f["value"] is None or f["name"] not in all_names:
            continue
        prec[1] += 1
        if k in used:
            prec[0] += 1
        else:
            log.append(f"{tag}: extra {f['name']}={f['value']}{f['unit']} [{f['quote']}]")
    return rec[0], rec[1], prec[0], prec[1]


def test_seeds_against_gold():
    golds, names, seeds_dir = _gold()
    r_hit = r_tot = p_hit = p_tot = 0
    log: list[str] = []
    for stem, gold in golds.items():
        text = (seeds_dir / f"{stem}.txt").read_text(encoding="utf-8")
        parts = _seed_reports(stem, text)
        for g in gold["reports"]:
            if not g["relevant"]:
                continue
            anchor = _squash(g["anchor"])
            part = next((p for p in parts if anchor in _squash(p)), None)
            assert part is not None, f"{stem}: report {g['anchor'][:20]} not found by the test's split"
            figs = extract_indicators(part, work_year=g.get("work_year"))
            for f in figs:
                assert part[f["start"]:f["end"]] == f["quote"]
            a, b, c, d = _score(g, figs, names, log, f"{stem}/{g['anchor'][:12]}")
            r_hit, r_tot, p_hit, p_tot = r_hit + a, r_tot + b, p_hit + c, p_tot + d
    recall = r_hit / max(1, r_tot)
    precision = p_hit / max(1, p_tot)
    print(f"\nseed indicators: recall {r_hit}/{r_tot} = {recall:.3f}, precision {p_hit}/{p_tot} = {precision:.3f}")
    print("\n".join(log))
    assert recall >= 0.95, log
    assert precision >= 0.95, log


def test_seeds_through_pipeline():
    """The same score through dudao.pipeline (its own cleaning, splitting, sections, work year)."""
    golds, names, seeds_dir = _gold()
    try:
        from dudao.pipeline import analyze_text
    except ImportError:
        pytest.skip("dudao.pipeline not available")
    r_hit = r_tot = p_hit = p_tot = 0
    log: list[str] = []
    for stem, gold in golds.items():
        text = (seeds_dir / f"{stem}.txt").read_text(encoding="utf-8")
        try:
            out = analyze_text(text, source=f"{stem}.txt")
        except Exception as e:  # another module failing is not this module's test
            pytest.skip(f"pipeline failed on {stem}: {type(e).__name__}: {e}")
        reports = out.get("reports", [])
        for g in gold["reports"]:
            if not g["relevant"]:
                continue
            anchor = _squash(g["anchor"])
            rep = next((r for r in reports if anchor in _squash(r.get("text", ""))), None)
            if rep is None:
                pytest.skip(f"pipeline did not find report {g['anchor'][:20]} in {stem}")
            for f in rep.get("indicators", []):
                assert rep["text"][f["start"]:f["end"]] == f["quote"]
            a, b, c, d = _score(g, rep.get("indicators", []), names, log, f"{stem}/{g['anchor'][:12]}")
            r_hit, r_tot, p_hit, p_tot = r_hit + a, r_tot + b, p_hit + c, p_tot + d
    recall = r_hit / max(1, r_tot)
    precision = p_hit / max(1, p_tot)
    print(f"\npipeline indicators: recall {r_hit}/{r_tot} = {recall:.3f}, precision {p_hit}/{p_tot} = {precision:.3f}")
    print("\n".join(log))
    assert recall >= 0.95, log
    assert precision >= 0.95, log


# --------------------------------------------------------------------------------------------
# robustness
# --------------------------------------------------------------------------------------------

try:
    from hypothesis import given, settings
    from hypothesis import strategies as st
except ImportError:  # pragma: no cover
    given = None

if given is not None:
    _PIECES = ["普惠性幼儿园覆盖率", "公办园在园幼儿占比", "生均公用经费", "一般公共预算教育支出", "新增", "学位",
               "巩固率", "差异系数", "满意度", "课后服务", "参与率", "随迁子女", "公办学校就读率", "分别为", "达",
               "为", "、", "，", "。", "；", "\n", "（", "）", "小学", "初中", "中小学", "2021年", "2019-2022年",
               "x%", "95.5%", "12.3亿元", "800元/生/年", "0.42", "3000个", "较上年", "增长", "下降", "个百分点",
               "预计", "确保", "已", "省平均值", "8.2分", "四、下一步工作打算\n", "由", "提高到", "三点二亿",
               "第3", "〔2022〕5号", "以上", "余", "和"]

    @settings(max_examples=300, deadline=None)
    @given(st.lists(st.sampled_from(_PIECES), max_size=40), st.one_of(st.none(), st.integers(2015, 2025)))
    def test_random_text_never_breaks(pieces, year):
        text = "".join(pieces)
        for f in extract_indicators(text, work_year=year):
            assert text[f["start"]:f["end"]] == f["quote"]
            assert f["kind"] in ("actual", "target", "comparison", "change")
            assert f["value"] is None or isinstance(f["value"], float)
        for f in extract_figures(text, work_year=year):
            assert text[f["start"]:f["end"]] == f["quote"]


def test_growth_after_a_year_series_and_after_a_year():
    text = "2021—2023年，全县一般公共预算教育支出分别为7.02亿元、7.31亿元、7.66亿元，2023年同比增长4.8%。"
    got = [(f["name"], f["scope"], f["value"]) for f in extract_indicators(text, work_year=2023) if f["kind"] == "actual"]
    assert got[-1] == ("一般公共预算教育支出增长率", None, 4.8) and len(got) == 4
    one = "全县一般公共预算教育支出7.66亿元，2023年较上年增长4.8%。"
    assert ("一般公共预算教育支出增长率", None, 4.8) in [
        (f["name"], f["scope"], f["value"]) for f in extract_indicators(one, work_year=2023)]


def test_boundaries_equal_a_scan_of_each_kind():
    import random
    import re as _re

    from dudao.extract.figures import _BOUNDARIES, _boundaries
    rng = random.Random(2)
    texts = ["".join(rng.choice("。！？!?\n，,；;：:ab中2\ud800\U00020000\uffff") for _ in range(rng.randint(0, 50)))
             for _ in range(300)]
    for t in texts:
        assert _boundaries(t) == [[m.start() for m in _re.finditer(f"[{_re.escape(b)}]", t)] for b in _BOUNDARIES]


def test_year_patterns_from_an_offset_equal_on_a_slice():
    """context_kind matches the compiled year patterns from an offset rather than on a slice of
    the window: same result, as neither looks behind its start."""
    import random
    import re as _re

    from dudao.extract import figures as F
    rng = random.Random(4)
    alphabet = "2025年至到—-～ 底末前之以截止在于，。全县达到"
    for _ in range(2000):
        w = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 16)))
        k = rng.randint(0, len(w))
        a = F._YEAR_RANGE_ON.match(w, k)
        b = _re.match(r"\s*年?\s*(?:[-－—–~～至到]+)\s*((?:19|20)\d{2})", w[k:])
        assert (a and a.group(1)) == (b and b.group(1)), (w, k)
        assert bool(F._YEAR_LEAD.fullmatch(w, k)) == bool(_re.fullmatch(r"\s*(?:截至|截止|至|到|在|于)?\s*", w[k:]))
