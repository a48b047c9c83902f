from dudao.extract.placeholders import find_placeholders
from dudao.extract.sections import cn_to_int, find_sections, heading_roles, numbering_breaks, problem_items

REPORT = "\n".join([
    "某市某区2023年度政府履行教育职责自评报告",
    "某区人民政府",
    "按照市教育督导委员会的通知要求，区政府组织开展了自查自评，现将情况报告如下。",
    "一、基本情况",
    "全区有中小学五十二所，在校学生六万一千人。",
    "二、主要做法及成效",
    "（一）落实教育优先发展。区委常委会每季度专题研究教育，全年解决重点问题十二个。",
    "1.保障经费投入",
    "全年一般公共预算教育支出同比增长5.2%，实现两个只增不减。",
    "2.改善办学条件",
    "新建学校三所，新增学位四千二百个，消除大班额。",
    "（二）建设教师队伍。全年招聘教师三百名，交流轮岗教师占符合条件教师的16.5%。",
    "三、自评结果",
    "对照评价指标，我区自评得分93.5分。",
    "四、存在问题",
    "（一）学位供给仍然偏紧。城区新建小区集中交付，部分学校接近满负荷。",
    "（二）教师结构性矛盾突出。音体美和心理健康教师不足。",
    "五、下一步工作打算",
    "（一）加快学校建设。年内开工两所学校。",
    "（二）补足紧缺学科教师。",
])


def _secs(text):
    return find_sections(text)


def test_heading_levels_roles_and_spans():
    secs = _secs(REPORT)
    top = [(s["heading"], s["roles"]) for s in secs if s["level"] == 1]
    assert top == [("一、基本情况", ["overview"]), ("二、主要做法及成效", ["practices", "achievements"]),
                   ("三、自评结果", ["self_assessment"]), ("四、存在问题", ["problems"]),
                   ("五、下一步工作打算", ["measures"])]
    for s in secs:
        assert REPORT[s["start"]:s["end"]] == s["heading"]
    inline = next(s for s in secs if s["heading"].startswith("（一）落实"))
    assert inline["heading"] == "（一）落实教育优先发展" and inline["level"] == 2
    assert [s["level"] for s in secs if s["heading"].startswith(("1.", "2."))] == [3, 3]
    assert not numbering_breaks(secs)


def test_numbered_paragraph_is_not_a_heading():
    text = "一、主要做法\n1.全年投入资金3.6亿元用于学校建设、设备购置、校舍维修和教师培训等方面，并按季度拨付到各学校和幼儿园，保障各项工作正常运转。"
    assert [s["heading"] for s in _secs(text)] == ["一、主要做法"]


def test_problem_items_from_sub_headings():
    probs = problem_items(REPORT, _secs(REPORT))
    assert [p["text"] for p in probs] == ["学位供给仍然偏紧", "教师结构性矛盾突出"]
    for p in probs:
        assert REPORT[p["start"]:p["end"]] == p["text"]


def test_problem_items_inline_and_mixed_section():
    text = "\n".join([
        "一、主要做法", "全面落实各项政策。",
        "二、问题及改进措施",
        "对照要求，我县仍有不足。一是农村学校生源持续减少。二是职业教育专业设置与产业结合不紧。",
        "1.推进学校布局调整", "2.深化产教融合",
    ])
    probs = problem_items(text, _secs(text))
    assert [p["text"] for p in probs] == ["农村学校生源持续减少", "职业教育专业设置与产业结合不紧"]


def test_problem_clauses_after_cue():
    text = ("一、自评结果及存在问题\n我县还存在一些薄弱环节，主要表现在城区学校大班额尚未完全消除，乡村教师补充渠道单一，"
            "与群众对优质教育的期待还有差距。\n二、下一步打算\n继续努力。")
    probs = problem_items(text, _secs(text))
    assert [p["text"] for p in probs] == ["城区学校大班额尚未完全消除", "乡村教师补充渠道单一"]


def test_container_sub_heading():
    text = "\n".join(["一、主要做法", "略。", "二、存在问题及努力方向", "（一）存在问题",
                      "1.幼儿园公办学位不足。新区人口增长快。", "2.满意度有待提高。", "（二）努力方向",
                      "1.加快公办园建设。"])
    assert [p["text"] for p in problem_items(text, _secs(text))] == ["幼儿园公办学位不足", "满意度有待提高"]


def test_sibling_part_is_not_a_problem():
    text = "\n".join(["一、主要做法", "略。", "二、自评结果及存在问题", "（一）自评结果", "我县自评得分95分。", "（二）存在问题",
                      "1.城区学位偏紧。", "2.乡村教师老龄化。", "三、下一步打算", "（一）加快建设。"])
    assert [p["text"] for p in problem_items(text, _secs(text))] == ["城区学位偏紧", "乡村教师老龄化"]


def test_numbering_breaks():
    text = "\n".join(["一、甲部分", "正文内容较长一些的段落，说明情况。", "二、乙部分", "正文。", "四、丁部分", "正文。",
                      "（一）小节", "正文。", "2.条目", "正文。"])
    issues = numbering_breaks(_secs(text))
    assert [(i["section"]["heading"], i["expected"], i["found"]) for i in issues] == [
        ("四、丁部分", 3, 4), ("2.条目", 1, 2)]


def test_roles_vocabulary():
    assert heading_roles("三、存在问题及改进措施") == ["problems", "measures"]
    assert heading_roles("一、区情概况") == ["overview"]
    assert cn_to_int("十二") == 12 and cn_to_int("二十") == 20 and cn_to_int("七") == 7


def test_placeholders_found_and_real_content_kept():
    text = ("20xx年，xx县普惠性幼儿园覆盖率达x%，新建幼儿园x所，**区投入x-x万元。"
            "推进“1+X”证书试点，配备X光机和5G网络，教师c证持证率高，购置CK-200型报警器。")
    found = [p["text"] for p in find_placeholders(text)]
    assert found == ["20xx年", "xx县", "x%", "x所", "**区", "x-x万"]
    for p in find_placeholders(text):
        assert text[p["start"]:p["end"]] == p["text"]


def test_box_masks_are_placeholders():
    assert [p["text"] for p in find_placeholders("□□县人民政府，■■市教育局")] == ["□□县", "■■市"]
    assert find_placeholders("测评结果：□合格 ■优秀") == []


import pytest  # noqa: E402


@pytest.mark.parametrize("body", [
    "主要存在以下问题：1.城区学位供给紧张；2.教师队伍结构失衡；3.教育经费投入不足。",
    "一是城区学位供给紧张，二是教师队伍结构失衡，三是教育经费投入不足。",
    "第一，城区学位供给紧张。第二，教师队伍结构失衡。第三，教育经费投入不足。",
    "①城区学位供给紧张；②教师队伍结构失衡；③教育经费投入不足。",
    "虽然取得了一定成绩，但仍存在一些问题：城区学位供给紧张，教师队伍结构失衡，教育经费投入不足。",
])
def test_problem_lists_inside_a_paragraph(body):
    text = f"一、主要做法\n略。\n二、存在的问题\n{body}\n三、下一步打算\n1.加快建设。\n2.补充教师。"
    assert [p["text"] for p in problem_items(text, _secs(text))] == ["城区学位供给紧张", "教师队伍结构失衡", "教育经费投入不足"]


def test_part_headings_stand_above_numbered_ones():
    text = "\n".join(["某区2022年度履行教育职责自评报告", "第一部分 基本情况", "全区有学校五十所。",
                      "第二部分 主要做法及成效", "一、加强领导", "略。", "二、加大投入", "略。",
                      "第三部分 困难和不足", "我区还存在一些困难和不足，突出表现为：学位供给偏紧，部分学校班额偏大；"
                      "教师结构失衡，紧缺学科教师不足；职业教育基础薄弱，实训条件不足。",
                      "第四部分 下一步打算", "略。"])
    secs = _secs(text)
    assert [(s["heading"], s["level"]) for s in secs if s["level"] == 1] == [
        ("第一部分 基本情况", 1), ("第二部分 主要做法及成效", 1), ("第三部分 困难和不足", 1), ("第四部分 下一步打算", 1)]
    assert [s["level"] for s in secs if s["heading"].startswith(("一、", "二、"))] == [2, 2]
    assert [p["text"] for p in problem_items(text, secs)] == ["学位供给偏紧", "教师结构失衡", "职业教育基础薄弱"]


def test_numbering_in_one_pattern_equals_each_in_turn():
    """find_sections tries the numbering patterns as one alternation; it finds what trying each
    pattern in turn finds (level, span, marker), on every line of the example reports and on
    lines built to test the order (leading spaces, a marker two patterns could read)."""
    import random
    from pathlib import Path

    from dudao.extract.sections import _numbered, _rules
    lines = ["  一、基本情况", "（一）做法", "(2)学位", "第一部分 总体", "1.概况", "1.5亿元", "  （3）", "十一、",
             "\u3000\u3000（十）", "二十一.", "12、", "（12）", "一 、", "第十一部分：", "　(一)、"]
    for path in sorted((Path(__file__).parent.parent / "examples").glob("*.txt")):
        lines += path.read_text(encoding="utf-8", errors="replace").split("\n")
    rng = random.Random(5)
    alphabet = " \u3000第一二三十部分（()）、.．:：1234"
    lines += ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 12))) for _ in range(2000)]
    for line in lines:
        expect = None
        for level, pat in _rules()[0]:
            m = pat.match(line)
            if m:
                expect = (level, m.span(), m.group(1))
                break
        got = _numbered(line)
        assert (got and (got[0], got[1].span(), got[2])) == expect or (got is None and expect is None), line


def test_an_item_by_item_rectification_report():
    # "问题1：…" numbers an item (no 存在问题 part); "责任单位：…" is one of its fields, not a heading
    text = ("某县关于上轮督导反馈问题整改情况的报告\n一、整改落实情况\n问题1：城区学校大班额消除进度滞后\n"
            "责任单位：县教育体育局、县发展和改革局\n整改措施：新建城南小学，严格控制起始年级班额。\n"
            "完成情况：城南小学已于2024年9月投入使用，全县56人以上班级已全部消除。\n"
            "问题2：乡村教师周转宿舍不足\n责任单位：县住房和城乡建设局\n完成情况：新建周转宿舍60套，已分配入住。\n")
    heads = {h["heading"]: h for h in find_sections(text)}
    assert "问题1：城区学校大班额消除进度滞后" in heads and "问题2：乡村教师周转宿舍不足" in heads
    assert not any(h.startswith("责任单位") for h in heads)
    assert "problems" not in heads["问题1：城区学校大班额消除进度滞后"]["roles"]
    assert heads["问题1：城区学校大班额消除进度滞后"]["level"] > heads["一、整改落实情况"]["level"]
