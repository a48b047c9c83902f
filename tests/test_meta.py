"""Tests for dudao.extract.meta: work year, round year, issuer, publish date, document numbers.

Fixtures are invented sentences (other provinces, years and phrasings than the seeds); the seed
test at the end compares with the hand-made gold and is skipped when ../shared is missing.
"""
from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from dudao.extract.meta import extract_meta, find_citations, find_doc_numbers
from seedkit import gold_reports, squash as _squash

SHARED = Path(os.environ.get("DUDAO_SHARED", Path(__file__).resolve().parents[1].parent / "shared"))


def _norm_ref(s):  # as ../shared/eval/score.py compares document numbers
    return re.sub(r"\s+", "", s).replace("[", "〔").replace("]", "〕").replace("（", "(").replace("）", ")")


# --- work year ----------------------------------------------------------------------------------
@pytest.mark.parametrize("text, year", [
    ("宁川县2022年度县人民政府履行教育职责自评报告\n宁川县人民政府\n\n全县教育工作稳步推进。", 2022),
    ("2019年度丰和市人民政府履行教育职责自评报告\n\n丰和市地处江南，2020年，全市新增学位3000个。", 2019),
    ("——2023年度临溪区人民政府履行教育职责自查报告\n临溪区人民政府\n正文。", 2023),
    ("云溪县2018年履行教育职责情况汇报\n一、基本情况\n2019年新建学校两所。", 2018),
    ("关于2020年度履行教育职责情况的自查报告\n正文。", 2020),
])
def test_work_year_from_title(text, year):
    r = extract_meta(text)
    assert r["work_year"] == year
    assert r["years"]["source"] == "title"


def test_work_year_title_ignores_round_year_after_dui():
    # a scheme title "2022年对…评价" names the round, not the work year
    text = "2022年对县级人民政府履行教育职责督导评价自评报告\n正文。2021年，全县新增学位1200个，2021年投入经费2亿元。"
    r = extract_meta(text)
    assert r["work_year"] == 2021
    assert r["round_year"] == 2022


@pytest.mark.parametrize("text, year", [
    ("各位领导：\n现将我区2018年度履行教育职责工作情况汇报如下。2019年我区还将继续努力。", 2018),
    ("按照省督导评价体系要求，结合2022年开展的各项工作，我县认真开展自查。2023年，全县将继续推进。", 2022),
    ("回顾2021年全年工作，全旗教育事业取得新进展。", 2021),
    ("我市根据通知要求组织自查，现就2017年度市政府履行教育职责情况报告如下：", 2017),
])
def test_work_year_from_phrase(text, year):
    r = extract_meta(text)
    assert r["work_year"] == year
    assert r["years"]["source"] == "phrase"


def test_work_year_from_opening_sentence():
    text = ("一、基本情况\n2019年，我县坚持教育优先发展，全面落实各项工作任务，取得了较好成效，"
            "群众满意度稳步提升，教育事业发展态势良好。\n2020年新建幼儿园一所。\n")
    r = extract_meta(text)
    assert r["work_year"] == 2019
    assert r["years"]["source"] == "opening"


def test_work_year_opening_plan_is_not_a_fact():
    text = ("一、基本情况\n2024年，我县将继续坚持教育优先发展，全面落实各项工作任务，推动教育事业高质量发展。"
            "\n2023年新建幼儿园2所，2023年投入经费1亿元。\n")
    assert extract_meta(text)["work_year"] == 2023


def test_work_year_dominant_ignores_titles_numbers_ranges_plans():
    text = ("一、基本情况\n全县共有学校80所。2023年新建幼儿园2所，2023年投入经费3亿元，2023年全县学前三年毛入园率达92%。"
            "印发《2021年教育工作要点》《关于2021年度教师培训的通知》。出台《教育发展规划（2021—2025年）》"
            "(云政发〔2021〕3号)，到2025年实现优质均衡。2024年，我县将继续推进。下一步，2024年要巩固成果。"
            "2021—2022年完成校舍改造。\n")
    r = extract_meta(text)
    assert r["work_year"] == 2023
    assert r["years"]["source"] == "dominant"
    assert set(r["years"]["counts"]) == {2023}


def test_work_year_template_with_placeholder_years_is_none():
    text = ("根据《XX省人民政府教育督导委员会关于开展2022年对县级人民政府履行教育职责评价的通知》要求，我县开展自查。"
            "20xx年全县投入x亿元，20xx年新建学校x所，20XX年新增学位x个。")
    r = extract_meta(text)
    assert r["work_year"] is None  # not the year of the cited notice
    assert r["round_year"] == 2022


def test_work_year_template_title_with_real_year_counts():
    text = "2022年xx县人民政府履行教育职责自评报告\n20xx年全县投入x亿元。"
    assert extract_meta(text)["work_year"] == 2022


def test_work_year_from_meta_title_when_text_has_none():
    r = extract_meta("一、基本情况\n正文没有年份。", {"title": "丰和县2021年度履行教育职责自评报告"})
    assert r["work_year"] == 2021


def test_work_year_phrase_only_in_the_opening():
    body = "全县教育工作稳步推进。" * 400
    text = "一、基本情况\n" + body + "2022年新建学校3所，2022年新增学位800个。现将2018年度工作情况报告如下。"
    assert extract_meta(text)["work_year"] == 2022


def test_work_year_none_without_years():
    assert extract_meta("正文没有任何年份，只有做法和成效。")["work_year"] is None


def test_date_line_year_is_not_a_fact():
    assert extract_meta("报告正文。\n某某县人民政府\n2022年4月\n")["work_year"] is None


# --- round year ---------------------------------------------------------------------------------
@pytest.mark.parametrize("text, year", [
    ("根据《XX省教育督导委员会关于开展2018年度对县级人民政府履行教育职责督导评价工作的通知》，我县开展自评。", 2018),
    ("按照省政府教育督导委员会办公室《关于开展对设区市人民政府2022年度履行教育职责评价的通知》要求", 2022),
    ("根据《2020年度县级人民政府履行教育职责督导评价实施方案》，我县开展自评。", 2020),
    ("印发《关于印发<2021年对县（市、区）人民政府履行教育职责督导评价实施方案>的通知》，我区高度重视。", 2021),
    ("为迎接2023年省政府对市县人民政府履行教育职责评价，我市提前部署。", 2023),
])
def test_round_year(text, year):
    assert extract_meta(text)["round_year"] == year


@pytest.mark.parametrize("text", [
    "对照省督导评价体系，结合此次督导考评要求，现将情况报告如下。",
    "对照《对市县级人民政府履行教育职责督导评价体系》逐项自查。",
    "2021年对全县各镇（街道）履行教育职责情况开展督导考核，实现全覆盖。",
    "2021年度临溪区人民政府履行教育职责自评报告",  # a self-report title, not a round
    "将课后服务情况作为20xx年对县(区)人民政府履行教育职责评价的重要内容。",
    "我县在2019年度省对县履行教育职责评价中获评优秀。",  # a past round's result
])
def test_round_year_none(text):
    assert extract_meta(text)["round_year"] is None


def test_round_year_prefers_the_cited_notice():
    text = ("根据《关于开展2022年对县级人民政府履行教育职责评价的通知》要求，开展自查。"
            "我县曾在2020年对乡镇人民政府履行教育职责进行督导评价。")
    r = extract_meta(text)
    assert r["round_year"] == 2022


# --- issuer -------------------------------------------------------------------------------------
def test_issuer_line_at_top_and_span():
    text = "丰和市2021年度履行教育职责自评报告\n江州市丰和区人民政府\n\n正文。"
    r = extract_meta(text)
    assert r["issuer"] == "江州市丰和区人民政府"
    s, e = r["issuer_span"]
    assert text[s:e] == r["issuer"]
    assert r["issuer_source"] == "line"


def test_issuer_line_at_end_preferred_over_publisher_office():
    text = "云溪县2020年履行教育职责情况汇报\n正文。\n云溪县人民政府\n2021年4月\n"
    r = extract_meta(text, {"publisher": "云溪县政府办", "date": "2021-04-20"})
    assert r["issuer"] == "云溪县人民政府"
    assert r["issuer_span"] is not None


def test_issuer_joint_line_keeps_the_government():
    text = "中共云溪县委 云溪县人民政府\n关于2019年度履行教育职责情况的自查报告\n正文。"
    assert extract_meta(text)["issuer"] == "云溪县人民政府"


@pytest.mark.parametrize("text", [
    "青川市人民政府教育督导委员会\n关于教育工作的报告\n省人民政府：\n正文。",  # a committee; an addressee
    "xx县人民政府\n2021年xx县履行教育职责自评报告\n正文。",  # a placeholder
    "辖市（区）人民政府履行教育职责自评报告\n正文提到省人民政府的要求。",  # a category name
])
def test_issuer_none(text):
    assert extract_meta(text)["issuer"] is None


def test_issuer_from_title():
    text = "2022年度青川县人民政府履行教育职责自评报告\n正文。"
    r = extract_meta(text)
    assert r["issuer"] == "青川县人民政府"
    assert text[slice(*r["issuer_span"])] == "青川县人民政府"


def test_issuer_from_self_check_subject():
    text = ("县（市、区）人民政府履行教育职责自评报告\n根据省里的通知要求，结合2022年开展的工作，"
            "宁川县人民政府对照评价指标逐项开展自查自评，现将情况报告如下。")
    r = extract_meta(text)
    assert r["issuer"] == "宁川县人民政府"
    assert r["issuer_source"] == "self_check"


def test_issuer_from_publisher():
    assert extract_meta("正文。", {"publisher": "清河区人民政府办公室"})["issuer"] == "清河区人民政府"
    assert extract_meta("正文。", {"publisher": "清河区人民政府"})["issuer"] == "清河区人民政府"
    assert extract_meta("正文。", {"publisher": "清河区教育局"})["issuer"] is None
    r = extract_meta("正文。", {"publisher": "清河区政府办"})
    assert r["issuer"] == "清河区人民政府" and r["issuer_span"] is None


# --- publish date -------------------------------------------------------------------------------
@pytest.mark.parametrize("meta, iso", [
    ({"date": "2021-06-03"}, "2021-06-03"),
    ({"date": "2021/6/3"}, "2021-06-03"),
    ({"date": "2021-06-03 09:30:00"}, "2021-06-03"),
    ({"date": "2021年6月3日"}, "2021-06-03"),
])
def test_publish_date_from_meta(meta, iso):
    r = extract_meta("正文。\n2020年5月\n", meta)
    assert r["publish_date"] == iso
    assert r["publish_month"] == iso[:7]


def test_publish_date_from_table_left_in_text():
    text = "索引号 | 11320000/2022-00011 | 主题分类 | |\n发布单位 | 宁川县政府办 | 发文日期 | 2022-03-18 |\n正文。"
    r = extract_meta(text)
    assert r["publish_date"] == "2022-03-18"
    assert r["issuer"] == "宁川县人民政府"  # the office's government, from the table


@pytest.mark.parametrize("tail, iso, month", [
    ("宁川县人民政府\n2023年3月8日\n", "2023-03-08", "2023-03"),
    ("\n二〇二二年四月十五日\n", "2022-04-15", "2022-04"),
    ("宁川县人民政府\n（2022年11月2日）", "2022-11-02", "2022-11"),
    ("宁川县人民政府\n2022年4月\n", None, "2022-04"),
])
def test_publish_date_from_date_line(tail, iso, month):
    r = extract_meta("正文，2021年新建学校2所。\n" + tail)
    assert r["publish_date"] == iso
    assert r["publish_month"] == month


def test_publish_date_none_without_date():
    r = extract_meta("正文。2021年5月，全县召开教育大会。")
    assert r["publish_date"] is None and r["publish_month"] is None


# --- document numbers and citations -------------------------------------------------------------
def test_doc_numbers_forms_spans_and_lead_words():
    text = ("依据苏教督〔2022〕3号、黔教督办发[2021] 12号、国发（2015）67号和教督 〔2017〕 6号文件，"
            "以及湘政教督【2020】4号、赣教督字﹝2019﹞8号、国办发(2019)第5号，根据教督〔2017〕6号文件精神，"
            "重申苏教督[2022]3号，另见教督〔2022〕3号。")
    refs = find_doc_numbers(text)
    got = [r["text"] for r in refs]
    assert got == ["苏教督〔2022〕3号", "黔教督办发[2021] 12号", "国发（2015）67号", "教督 〔2017〕 6号",
                   "湘政教督【2020】4号", "赣教督字﹝2019﹞8号", "国办发(2019)第5号", "教督〔2022〕3号"]
    for r in refs:
        assert text[r["start"]:r["end"]] == r["text"]


def test_doc_numbers_not_ranges_or_plain_years():
    text = "出台《三年行动计划（2021-2023年）》，2021年（含）以来，共建成学校（2020）所。"
    assert find_doc_numbers(text) == []


def test_scheme_refs_in_extract_meta():
    text = "按照《关于开展2022年对县级人民政府履行教育职责评价的通知》（黔教督委〔2022〕5号）要求，开展自查。"
    r = extract_meta(text)
    assert [x["text"] for x in r["scheme_refs"]] == ["黔教督委〔2022〕5号"]
    assert r["round_year"] == 2022


def test_citations_nested_and_angle():
    text = "印发《关于印发<2021年对县（市、区）人民政府履行教育职责督导评价实施方案>的通知》，参照〈义务教育法〉。"
    cites = find_citations(text)
    texts = [c["text"] for c in cites]
    assert texts[0].startswith("《关于印发<") and texts[0].endswith("的通知》")
    assert "<2021年对县（市、区）人民政府履行教育职责督导评价实施方案>" in texts
    assert "〈义务教育法〉" in texts
    for c in cites:
        assert text[c["start"]:c["end"]] == c["text"]


def test_citations_double_nested_book_marks():
    text = "转发《省教育厅关于印发《学校安全管理办法》的通知》。"
    texts = [c["text"] for c in find_citations(text)]
    assert texts == ["《省教育厅关于印发《学校安全管理办法》的通知》", "《学校安全管理办法》"]


def test_result_shape():
    r = extract_meta("")
    for key in ("work_year", "round_year", "issuer", "issuer_span", "publish_date", "scheme_refs",
                "citations", "years"):
        assert key in r
    assert r["scheme_refs"] == [] and r["citations"] == []


# --- seeds against the gold ---------------------------------------------------------------------
def _seed_reports():
    return gold_reports()


def _site_meta(text):
    """The metadata dict a government site would give, read from the table at the top."""
    m = re.search(r"发布单位\s*\|\s*(\S+)\s*\|\s*发文日期\s*\|\s*(\d{4}-\d{2}-\d{2})", text)
    return {"publisher": m.group(1), "date": m.group(2)} if m else None


_SEEDS = [r for r in _seed_reports() if r[1]["relevant"]]


@pytest.mark.skipif(not _SEEDS, reason="../shared/corpus 不存在")
@pytest.mark.parametrize("name, gold, text", _SEEDS, ids=[r[0] for r in _SEEDS])
@pytest.mark.parametrize("with_meta", [True, False])
def test_seed_against_gold(name, gold, text, with_meta):
    assert text is not None, "anchor not found"
    r = extract_meta(text, _site_meta(text) if with_meta else None)
    assert r["work_year"] == gold["work_year"]
    assert r["round_year"] == gold["round_year"]
    assert r["issuer"] == gold["issuer"]
    assert r["publish_date"] == gold["publish_date"]
    got = [_norm_ref(x["text"]) for x in r["scheme_refs"]]
    for ref in gold["scheme_refs"]:
        assert _norm_ref(ref) in got
    for x in r["scheme_refs"] + r["citations"]:
        assert text[x["start"]:x["end"]] == x["text"]
    if r["issuer_span"]:
        assert text[slice(*r["issuer_span"])] == r["issuer"]


def test_doc_numbers_with_broken_brackets_kept_as_written():
    text = "依据《验收标准》（青教督2007[18]号）和《通知》（教督〔2021 12号），以及闽政办[2006]15号、皖教督〔2019〕号精神。"
    refs = [r["text"] for r in find_doc_numbers(text)]
    assert refs == ["青教督2007[18]号", "教督〔2021 12号", "闽政办[2006]15号", "皖教督〔2019〕号"]
    for r in find_doc_numbers(text):
        assert text[r["start"]:r["end"]] == r["text"]


def test_round_from_the_notice_answered_and_page_title_year():
    text = ("岳溪县人民政府2015年度教育工作督导评估自查报告\n根据市督导室《关于开展2015年度县（市、区）政府教育工作"
            "督导评估的通知》要求，我县开展了自查。")
    assert extract_meta(text)["round_year"] == 2015
    page = ("2019年某市履行教育职责自查报告 - 文档下载 - 某某文库\n某市人民政府关于2017年度履行教育职责情况的自查报告\n"
            "按照省督导委员会通知要求，我市开展了自查。")
    assert extract_meta(page)["work_year"] == 2017
