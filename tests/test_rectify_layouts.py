"""One test per layout of a 问题清单 (invented letters): every item is found, and its span is its text."""
from __future__ import annotations

import re

import pytest

from dudao.api import analyze_text
from dudao.rectify import extract_problems

# Three invented problems, each a head clause and an explanation.
HEADS = ["乡镇幼儿园保育员配备不足", "寄宿制学校生活教师缺口较大", "校园视频监控联网率偏低"]
BODIES = ["全县42所乡镇园中有17所未按两教一保配备。", "按标准应配备生活教师96人，实有51人。",
          "视频监控与公安机关联网的学校仅占63%，低于100%的要求。"]
OPEN = "某县人民政府：\n评价组于去年十月对你县进行了评价，发现以下问题：\n"
CLOSE = "\n请你县认真研究，于明年六月底前报送整改情况。\n某市教育督导委员会办公室\n"


def _numbered(marks: list[str], sep: str = "") -> str:
    return OPEN + "".join(f"{m}{h}。{sep}{b}\n" for m, h, b in zip(marks, HEADS, BODIES)) + CLOSE


LAYOUTS = {
    "cn_paren": _numbered(["（一）", "（二）", "（三）"]),
    "cn": _numbered(["一、", "二、", "三、"]),
    "shi_lines": _numbered(["一是", "二是", "三是"]),
    "arabic_dot": _numbered(["1.", "2.", "3."]),
    "arabic_comma": _numbered(["1、", "2、", "3、"]),
    "arabic_half": _numbered(["1）", "2）", "3）"]),
    "arabic_half_ascii": _numbered(["1) ", "2) ", "3) "]),
    "arabic_paren_ascii": _numbered(["(1)", "(2)", "(3)"]),
    "arabic_paren": _numbered(["（1）", "（2）", "（3）"]),
    "circled": _numbered(["①", "②", "③"]),
    "bracket_cn": _numbered(["【问题一】", "【问题二】", "【问题三】"]),
    "bracket_arabic": _numbered(["【问题1】", "【问题2】", "【问题3】"]),
    "wenti_arabic": _numbered(["问题1：", "问题2：", "问题3："]),
    "wenti_cn": _numbered(["问题一：", "问题二：", "问题三："]),
    "wenti_paren": _numbered(["问题（一）", "问题（二）", "问题（三）"]),
    "di_ge": _numbered(["第一个问题：", "第二个问题：", "第三个问题："]),
    # the head on its own line, explained on the next
    "head_lines": _numbered(["（一）", "（二）", "（三）"], "\n"),
    "inline": OPEN + "主要问题：" + "；".join(f"{m}{h}，{b.rstrip('。')}" for m, h, b in
                                             zip(["一是", "二是", "三是"], HEADS, BODIES)) + "。" + CLOSE,
    "inline_paren": OPEN + "存在的不足：" + "".join(f"（{k}）{h}，{b}" for k, h, b in
                                               zip((1, 2, 3), HEADS, BODIES)) + CLOSE,
    "inline_cn_paren": OPEN + "督导发现以下问题：" + "；".join(f"{m}{h}，{b.rstrip('。')}" for m, h, b in
                                                 zip(["（一）", "（二）", "（三）"], HEADS, BODIES)) + "。" + CLOSE,
}


@pytest.mark.parametrize("name", sorted(LAYOUTS))
def test_layout(name):
    text = LAYOUTS[name]
    probs = extract_problems(text)
    assert len(probs) == 3, [p["text"] for p in probs]
    for p, head, body in zip(probs, HEADS, BODIES):
        assert text[p["start"]:p["end"]] == p["text"]
        assert p["text"].startswith(head)
        assert body.rstrip("。")[:10] in p["text"]
        assert "请你县" not in p["text"] and "办公室" not in p["text"]


def _check(text, probs, heads=HEADS):
    assert [p["text"][:len(h)] for p, h in zip(probs, heads)] == list(heads) and len(probs) == len(heads)
    for p in probs:
        assert text[p["start"]:p["end"]] == p["text"]


@pytest.mark.parametrize("row", [
    lambda k, h, b: f"| {k} | {h}。{b} | 明年6月 |",      # markdown
    lambda k, h, b: f"{k} | {h}。{b} | 明年6月",          # dudao's docx reader: cells joined by " | "
    lambda k, h, b: f"{k}\t{h}。{b}\t明年6月",            # tab-separated
    lambda k, h, b: f"{k}、\t学前教育\t{h}。{b}\t教体局",  # a category column before the problem
])
def test_table(row):
    header = row("序号", "问题描述", "").replace("。", "")
    if header.startswith("|"):   # a markdown table has a rule line under its header
        header += "\n" + "|".join(["", "---", "---", "---", ""])
    text = OPEN + "问题清单\n" + header + "\n" + "\n".join(
        row(k, h, b) for k, h, b in zip((1, 2, 3), HEADS, BODIES)) + CLOSE
    probs = extract_problems(text)
    _check(text, probs)
    assert all("明年6月" not in p["text"] and "教体局" not in p["text"] for p in probs)


def test_category_headings_over_numbered_items():
    text = (OPEN + "一、学前教育方面\n1.乡镇幼儿园保育员配备不足。全县仅配齐21所。\n"
            "二、保障方面\n1.寄宿制学校生活教师缺口较大。实有51人。\n2.校园视频监控联网率偏低。仅占63%。\n" + CLOSE)
    _check(text, extract_problems(text))


def test_items_followed_by_demand_lines():
    text = OPEN + "".join(f"{k}.{h}。{b}\n整改建议：制定补充计划，限期配齐。\n整改时限：明年底前。\n"
                          for k, h, b in zip((1, 2, 3), HEADS, BODIES)) + CLOSE
    probs = extract_problems(text)
    _check(text, probs)
    assert all("整改建议" not in p["text"] and "整改时限" not in p["text"] for p in probs)
    for p in probs:   # the lines are the problem's demands and deadlines
        assert [d["text"] for d in p["demands"]][-2:] == ["制定补充计划，限期配齐。", "明年底前。"]
        assert any("年底前" in d["text"] for d in p["deadlines"])
        for d in p["demands"] + p["deadlines"]:
            assert text[d["start"]:d["end"]] == d["text"]


def test_pdf_text_with_mid_sentence_breaks_and_page_numbers():
    text = (OPEN + "（一）乡镇幼儿园保育员配备不足。全县42所乡镇园中有17所未按两\n教一保配备，保育工作由教师兼任。\n"
            "（二）寄宿制学校生活教师缺口较大。按标准应配备生活教师96人，实\n- 2 -\n有51人。\n"
            "（三）校园视频监控联网率偏低。视频监控与公安机关联网的学校仅占\n63%。\n" + CLOSE)
    probs = extract_problems(text)
    _check(text, probs)
    assert probs[0]["text"].endswith("由教师兼任。") and probs[1]["text"].endswith("有51人。")
    assert probs[2]["text"].endswith("63%。")


def test_run_in_list_inside_an_item_is_one_problem_per_item():
    text = (OPEN + "（一）办学保障存在短板。一是乡镇幼儿园保育员配备不足，17所未按两教一保配备；"
            "二是寄宿制学校生活教师缺口较大，实有51人。\n（二）校园视频监控联网率偏低。联网学校仅占63%。\n" + CLOSE)
    _check(text, extract_problems(text))


def test_unnumbered_paragraphs_under_a_problems_heading():
    text = ("某县人民政府：\n现将评价意见反馈如下。\n一、主要成绩\n你县教育投入持续增长。\n二、存在的主要问题\n"
            + "".join(f"{h}。{b}\n" for h, b in zip(HEADS, BODIES)) + "三、整改要求\n请于明年六月底前整改到位。\n")
    probs = extract_problems(text)
    _check(text, probs)
    assert all("投入持续增长" not in p["text"] for p in probs)


def test_table_problem_column_named_by_its_header_under_a_rule_line():
    demand = "制定专项补充方案，明确责任单位和完成时限，逐校核查配备情况并按月报送进展，确保按期配齐到位"
    text = (OPEN + "| 序号 | 存在问题 | 整改要求 |\n| :--: | --- | --- |\n"
            + "\n".join(f"| {k} | {h}。 | {demand} |" for k, h in zip((1, 2, 3), HEADS)) + CLOSE)
    probs = extract_problems(text)
    assert [p["text"] for p in probs] == [h + "。" for h in HEADS]
    for p in probs:
        assert text[p["start"]:p["end"]] == p["text"]


def test_headings_stating_problems_take_in_their_numbered_details():
    text = (OPEN + "三、存在的主要问题\n" + "".join(
        f"（{n}）{h}\n1.{b}\n2.该问题已连续两年被指出。\n" for n, h, b in zip("一二三", HEADS, BODIES))
        + "四、整改建议\n（一）制定专项方案。\n" + CLOSE)
    probs = extract_problems(text)
    _check(text, probs)
    for p, h, b in zip(probs, HEADS, BODIES):
        assert p["title"] == h and b in p["text"] and "整改建议" not in p["text"]


def test_a_lone_problem_under_a_container_heading():
    text = ("某县人民政府：\n一、存在问题\n1.乡镇幼儿园保育员配备不足，全县17所未按两教一保配备。\n"
            "二、整改要求\n请于明年六月底前整改到位。\n")
    probs = extract_problems(text)
    assert [p["text"] for p in probs] == ["乡镇幼儿园保育员配备不足，全县17所未按两教一保配备。"]
    assert text[probs[0]["start"]:probs[0]["end"]] == probs[0]["text"]


def test_table_whose_cells_the_cleaner_split_by_single_spaces():
    # a docx table read as tab-separated text, its tabs made single spaces by the cleaner
    text = (OPEN + "二、问题清单\n序号 存在问题 整改建议 整改时限\n"
            + "\n".join(f"{k} {h}，{b} 制定补充计划。 明年6月" for k, h, b in zip((1, 2, 3), HEADS, BODIES))
            + "\n三、整改要求\n" + CLOSE)
    probs = extract_problems(text)
    _check(text, probs)
    assert [p["text"] for p in probs] == [f"{h}，{b}" for h, b in zip(HEADS, BODIES)]



def test_an_item_opening_with_a_year_right_after_its_number():
    # "1.2019年…" reads as an item, not as the decimal 1.2019; "1.5万人" inside an item stays a number
    text = (OPEN + "1.2019年全县生均公用经费较上年减少58元，未落实只增不减要求。\n"
            "2.乡镇幼儿园保育员配备不足，缺口达1.5万人次培训。\n3.校园视频监控联网率偏低。\n" + CLOSE)
    found = extract_problems(text)
    assert [text[p["start"]:p["end"]] for p in found] == [p["text"] for p in found]
    assert len(found) == 3 and found[0]["text"].startswith("2019年全县") and "1.5万人次" in found[1]["text"]


@pytest.mark.parametrize("style", ["spaces", "markdown", "spaces_cleaned", "tabs_cleaned"])
def test_table_whose_problem_cells_wrap_onto_the_next_lines(style):
    # a pdf or docx table whose cells wrap: the line after a row carries the rest of each cell in its
    # column; the problem runs on to the end of its part there (the other columns' text between)
    rows = [("乡镇幼儿园保育员配备不足，全县", "42所乡镇园中有17所未按两教一保配备。", "制定补充计划，", "按标准补齐。", "明年6月"),
            ("寄宿制学校生活教师缺口较大，", "应配96人，实有51人。", "核定编制，", "招聘补齐。", "明年9月"),
            ("校园视频监控联网率偏低，", "仅占63%。", "全部联网。", "", "年底")]
    if style.startswith("spaces"):
        head = "序号    存在问题                            整改要求            完成时限\n"
        body = "".join(f"{k}       {a:<30}{c:<16}{t}\n        {b:<30}{d}\n" for k, (a, b, c, d, t) in enumerate(rows, 1))
    elif style == "tabs_cleaned":
        head = "序号\t存在问题\t整改要求\t完成时限\n"
        body = "".join(f"{k}\t{a}\t{c}\t{t}\n\t{b}\t{d}\t\n" for k, (a, b, c, d, t) in enumerate(rows, 1))
    else:
        head = "| 序号 | 存在问题 | 整改要求 | 完成时限 |\n|---|---|---|---|\n"
        body = "".join(f"| {k} | {a} | {c} | {t} |\n|   | {b} | {d} |   |\n" for k, (a, b, c, d, t) in enumerate(rows, 1))
    text = OPEN + "二、问题清单\n" + head + body + "三、整改要求\n" + CLOSE
    if style.endswith("_cleaned"):
        # as dudao reads a file: the cleaner makes runs of spaces and tabs single, drops indentation
        text = analyze_text(text)[0].text
    probs = extract_problems(text)
    _check(text, probs)
    assert len(probs) == 3
    for p, (a, b, *_rest) in zip(probs, rows):
        assert p["text"].startswith(a.rstrip("，")[:8]) and p["text"].endswith(b), p["text"]
    assert any(f["unit"] == "%" and f["value"] == 63 for f in probs[2]["figures"])


def test_the_paragraph_after_a_table_is_no_wrapped_cell():
    # rows one per line, problem cells with no full stop, then the letter goes on: only a table that
    # wraps between two rows takes a following line into a cell
    text = (OPEN + "二、问题清单\n序号 存在问题 整改建议 整改时限\n"
            + "\n".join(f"{k} {h} 制定补充计划 明年6月" for k, h in zip((1, 2, 3), HEADS))
            + "\n请你县对照问题清单逐项整改，整改完成后报送整改报告。\n" + CLOSE)
    probs = extract_problems(analyze_text(text)[0].text)
    assert [p["text"] for p in probs] == HEADS


@pytest.mark.parametrize("lead", ["但对照要求，你县还存在以下问题：", "同时，下列问题需要你县认真整改。",
                                  "但仍有一些短板和不足，主要是："])
def test_problems_run_into_one_paragraph_after_a_lead_in_without_numbers(lead):
    items = "；".join(f"{h}，{b.rstrip('。')}" for h, b in zip(HEADS, BODIES))
    text = ("某县人民政府：\n评价组于去年十月对你县进行了评价。你县教育投入持续增长，办学条件明显改善。"
            f"{lead}{items}。\n　　请你县认真研究，于明年六月底前报送整改情况。\n"
            "某市教育督导委员会办公室\n")
    probs = extract_problems(text)
    _check(text, probs)
    assert all("请你县" not in p["text"] and "投入持续增长" not in p["text"] for p in probs)


def test_achievements_run_into_a_paragraph_are_no_problems():
    text = ("某县人民政府：\n评价组于去年十月对你县进行了评价，主要成绩如下：教育投入持续增长；"
            "办学条件明显改善；教师队伍不断壮大。\n某市教育督导委员会办公室\n")
    assert extract_problems(text) == []


def test_problems_under_category_headings_before_numbered_demands():
    # "二、存在问题" over category headings, then demands numbered like the categories: the run-in
    # items under the categories are the problems, not the demands that name them
    text = ("某县人民政府：\n一、主要成效\n你县教育投入持续增加。\n二、存在问题\n（一）保障方面：\n"
            + "".join(f"{m}{h}，{b}\n" for m, h, b in zip(("一是", "二是"), HEADS[:2], BODIES[:2]))
            + "（二）安全方面：\n一是" + HEADS[2] + "，" + BODIES[2] + "\n三、整改要求\n"
            + "（一）县政府要针对反馈问题逐项制定整改措施，建立整改台账。\n（二）对保育员不足问题要限期补齐。\n"
            + "（三）加大视频监控联网力度，解决安防短板问题。\n（四）请于明年六月底前报送整改报告。\n")
    probs = extract_problems(text)
    _check(text, probs)
    assert [p["text"] for p in probs] == [f"{h}，{b}" for h, b in zip(HEADS, BODIES)]


def test_table_naming_problems_in_its_second_named_column():
    # "评价内容" names the indicator, "存在问题" the problem: the problem is read from the second
    text = (OPEN + "序号 评价内容 存在问题 整改建议\n"
            + "\n".join(f"{k} 保障条件 {h}，{b} 制定补充计划" for k, h, b in zip((1, 2, 3), HEADS, BODIES))
            + "\n" + CLOSE)
    probs = extract_problems(text)
    _check(text, probs)
    assert [p["text"] for p in probs] == [f"{h}，{b}" for h, b in zip(HEADS, BODIES)]


def test_a_run_in_list_going_on_in_the_next_paragraph():
    text = ("某县人民政府：\n评价组发现你县主要存在以下问题。第一，" + HEADS[0] + "。" + BODIES[0] + "第二，" + HEADS[1]
            + "。" + BODIES[1] + "\n在校园安全方面：第三，" + HEADS[2] + "。" + BODIES[2]
            + "\n请你县于明年一月底前报送整改方案。\n")
    probs = extract_problems(text)
    _check(text, probs)
    assert [p["text"] for p in probs] == [f"{h}。{b}" for h, b in zip(HEADS, BODIES)]


def test_a_coefficients_standard_cited_as_a_bare_decimal():
    text = (OPEN + "（一）校际差距出现反弹，全县小学综合差异系数为0.68，超出国家基本均衡0.65的标准要求。\n"
            "（二）" + HEADS[1] + "，" + BODIES[1] + "\n" + CLOSE)
    probs = extract_problems(text)
    assert len(probs) == 2 and probs[0]["text"].startswith("校际差距出现反弹")
    cited = [s for s in probs[0]["standards"] if s.get("source") == "反馈意见"]
    assert [(s["value"], text[s["start"]:s["end"]]) for s in cited] == [(0.65, "超出国家基本均衡0.65")]


def test_a_standard_named_at_length_before_its_figure():
    # the figure's quote begins past "低于县域…", so the cue is read in the words before the number;
    # "高于规定学历教师数为3.6人" names a kind of teacher, no standard
    text = (OPEN + "（一）农村小学每百名学生拥有网络多媒体教室1.4间，低于县域义务教育优质均衡发展督导评估标准规定的2.3间。\n"
            "（二）全县小学每百名学生拥有高于规定学历教师数为3.6人，低于4.2人的标准。\n" + CLOSE)
    probs = extract_problems(text)
    cited = [[s["value"] for s in p["standards"] if s.get("source") == "反馈意见"] for p in probs]
    assert cited == [[2.3], [4.2]]


def test_a_lone_item_stating_a_tendency():
    # "存在“小学化”倾向" states the problem; its count comes past the opening words
    text = ("某县人民政府：\n二、存在的主要问题\n（一）学前教育方面\n（1）乡镇中心幼儿园和小学附设学前班存在“小学化”倾向，"
            "部分学前班使用小学一年级教材、给幼儿布置书面家庭作业，全县小学附设学前班仍有20个。\n（二）义务教育方面\n"
            "（1）" + HEADS[1] + "，" + BODIES[1] + "\n（2）" + HEADS[2] + "，" + BODIES[2] + "\n三、整改要求\n请于明年六月底前整改。\n")
    probs = extract_problems(text)
    assert [p["text"][:8] for p in probs] == ["乡镇中心幼儿园和", HEADS[1][:8], HEADS[2][:8]]
    for p in probs:
        assert text[p["start"]:p["end"]] == p["text"]


def test_a_list_goes_on_in_the_next_paragraph_only_in_its_own_numbering():
    # "第一…第二" then "三是…": another list's item, not the third of this one
    text = ("某县人民政府：\n评价组发现你县主要存在以下问题。第一，" + HEADS[0] + "。" + BODIES[0] + "第二，" + HEADS[1]
            + "。" + BODIES[1] + "\n同时，三是要加强校园安全管理，定期开展隐患排查。\n请你县于明年一月底前报送整改方案。\n")
    probs = extract_problems(text)
    assert [p["text"] for p in probs] == [f"{h}。{b}" for h, b in zip(HEADS[:2], BODIES[:2])]


@pytest.mark.parametrize("marks", [["①", "②", "③"], ["A1", "A2", "A3"]])
def test_table_numbered_by_circled_numbers_or_indicator_codes(marks):
    # "| ① | 问题 | … |" and a space-aligned "A1   教师编制   问题" (an indicator's code per row)
    text = (OPEN + "| 序号 | 存在问题 | 整改时限 |\n|---|---|---|\n"
            + "\n".join(f"| {m} | {h}，{b} | 明年6月 |" for m, h, b in zip(marks, HEADS, BODIES)) + CLOSE)
    _check(text, extract_problems(text))
    text = (OPEN + "编号   评价指标     发现问题\n"
            + "\n".join(f"{m}     学前教育     {h}，{b}" for m, h, b in zip(marks, HEADS, BODIES)) + CLOSE)
    _check(text, extract_problems(text))
    if marks[0] == "A1":   # as dudao reads it, the spacing made single (a circled number then reads
        text = analyze_text(text)[0].text   # as a numbered line: docs/rectify.md, eighth round)
        _check(text, extract_problems(text))


def test_a_cleaned_table_with_a_rule_line_whose_last_column_wraps():
    # a pdf's space-aligned table (序号 | 类型 | 时限 | 问题描述) under a dashed rule, the problem in its
    # last column wrapping onto an indented line; the cleaner makes the spacing single
    rows = [("乡镇幼儿园保育员配备不足，全县42所乡镇园中有", "17所未按两教一保配备。"),
            ("寄宿制学校生活教师缺口较大，按标准应配备生活教", "师96人，实有51人。"),
            ("校园视频监控联网率偏低，与公安机关联网的学校仅", "占63%，低于100%的要求。")]
    body = "".join(f"{k}     学前教育    明年6月      {a}\n                              {b}\n"
                   for k, (a, b) in enumerate(rows, 1))
    text = analyze_text(OPEN + "序号  问题类型    整改时限      问题描述\n" + "-" * 60 + "\n" + body + CLOSE)[0].text
    probs = extract_problems(text)
    _check(text, probs)
    assert [p["text"].replace("\n", "") for p in probs] == [a + b for a, b in rows]


def test_a_cleaned_two_column_table_of_numbers_and_problems():
    # "序号    问题描述" over a dashed rule, each problem wrapping onto indented lines; once the
    # cleaner makes the spacing single, the header has two words only
    rows = [("乡镇幼儿园保育员配备不足。全县42所乡镇园（含分园）", "中有17所未按两教一保配备。"),
            ("寄宿制学校生活教师缺口较大，按标准应配备生活教", "师96人，实有51人。"),
            ("校园视频监控联网率偏低，与公安机关联网的学校仅", "占63%，低于100%的要求。")]
    body = "".join(f"{k}       {a}\n        {b}\n" for k, (a, b) in enumerate(rows, 1))
    text = analyze_text(OPEN + "一、问题清单\n序号    问题描述\n" + "-" * 40 + "\n" + body
                        + "二、整改要求\n请逐项整改。\n" + CLOSE)[0].text
    probs = extract_problems(text)
    _check(text, probs)
    assert [p["text"].replace("\n", "") for p in probs] == [a + b for a, b in rows]


def test_a_table_with_a_category_column_and_the_number_inside_the_problem_cell():
    text = (OPEN + "| 类别 | 问题清单 | 整改要求 | 时限 |\n| --- | --- | --- | --- |\n"
            + "\n".join(f"| 条件保障 | {k}.{h}，{b} | 逐项整改 | 明年6月 |" for k, h, b in zip((1, 2, 3), HEADS, BODIES))
            + CLOSE)
    probs = extract_problems(text)
    _check(text, probs)
    assert [p["text"] for p in probs] == [f"{h}，{b}" for h, b in zip(HEADS, BODIES)]


def test_an_item_opening_with_a_school_year_right_after_its_number():
    text = (OPEN + "1.2022—2023学年全县交流轮岗教师仅占符合条件教师的7.8%。\n"
            "2.乡镇幼儿园保育员配备不足。\n3.校园视频监控联网率偏低。\n" + CLOSE)
    found = extract_problems(text)
    assert len(found) == 3 and found[0]["text"].startswith("2022—2023学年")


@pytest.mark.parametrize("cleaned", [False, True])
def test_a_space_aligned_table_whose_category_cell_spans_rows(cleaned):
    # "类别  序号  问题描述": the category named once for its rows, the next row's line indented to the
    # numbers' column (or, once cleaned, opening on its number), cells wrapping under the problem
    # column; a Chinese character is two columns wide in the pdf's fixed-width layout
    rows = [("条件保障", "乡镇幼儿园保育员配备不足，全县42所", "乡镇园中有17所未按两教一保配备。"),
            ("", "寄宿制学校生活教师缺口较大，应配", "96人，实有51人。"),
            ("安全管理", "校园视频监控联网率偏低，仅占", "63%。")]
    body = "".join(f"{c}{' ' * (14 - 2 * len(c))}{k}      {a}\n{' ' * 21}{b}\n"
                   for k, (c, a, b) in enumerate(rows, 1))
    text = OPEN + "二、问题清单\n类别          序号   问题描述\n" + body + "\n三、整改要求\n" + CLOSE
    if cleaned:
        text = analyze_text(text)[0].text
    probs = extract_problems(text)
    _check(text, probs)
    assert [re.sub(r"\s", "", p["text"]) for p in probs] == [a + b for _, a, b in rows]


def test_items_under_a_problems_heading_stating_them_in_words_no_cue_knows():
    # two of five items open on a known cue (不足, 偏低); the other three state their problem in
    # words of their own; under "二、存在的问题" all five are the list
    heads = ["乡镇幼儿园保育员配备不足", "亲情电话“装而不用”", "代理家长结对负担过重", "寄宿生课余生活单调",
             "校园视频监控联网率偏低"]
    bodies = ["全县42所乡镇园中有17所未按两教一保配备。", "各校亲情电话只在工作日白天开放，外出务工家长下班后打不进来。",
              "每名代理家长平均结对留守儿童12.6名。", "周末留校学生主要在宿舍内闲坐或玩手机。",
              "与公安机关联网的学校仅占63%。"]
    text = ("某县人民政府：\n一、基本情况\n你县现有乡镇寄宿制学校15所。\n二、存在的问题\n"
            + "".join(f"（{k}）{h}。{b}\n" for k, (h, b) in enumerate(zip(heads, bodies), 1))
            + "三、整改意见\n请县政府对照上述问题认真研究，于明年六月底前整改到位。\n某市教育督导室\n")
    probs = extract_problems(text)
    _check(text, probs, heads)
