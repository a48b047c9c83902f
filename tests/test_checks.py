"""Every finding code: a fixture that must raise it and a near miss that must not.
All fixture text is invented for these tests."""
import pytest

from dudao.checks.scheme import Scheme, default_scheme
from dudao.pipeline import analyze_text


def report(body_practices="", problems=True, measures=True, score="", head="", extra_sections="", year=2022,
           signoff=True):
    parts = [
        f"宁远县{year}年度人民政府履行教育职责自评报告",
        "宁远县人民政府",
        head or f"按照市教育督导委员会通知要求，县政府对照评价指标逐项开展自查，现将{year}年度履职情况报告如下。",
        "一、主要做法",
        "（一）落实教育优先发展。县委常委会、县政府常务会议全年专题研究教育工作六次，解决学校建设、教师编制等重点问题十四个。",
        "（二）加强教师队伍建设。全年公开招聘教师二百一十名，乡村教师生活补助按月足额发放，教师培训经费列入财政预算。",
        body_practices,
        extra_sections,
    ]
    numbers = iter("二三四五")
    if score:
        parts += [f"{next(numbers)}、自评结果", score]
    if problems:
        parts += [f"{next(numbers)}、存在问题", "（一）城区学位供给偏紧。新建小区集中入住，城区小学起始年级班额接近上限。",
                  "（二）乡村学校音体美教师不足。部分村小仍由其他学科教师兼课。"]
    if measures:
        parts += [f"{next(numbers)}、下一步工作打算", "加快城区学校建设，统筹补充紧缺学科教师，巩固提升学前教育普惠水平。"]
    if signoff:
        parts += ["宁远县人民政府", f"{year + 1}年3月10日"]
    return "\n".join(p for p in parts if p)


def codes(text, scheme=None):
    res = analyze_text(text, options={"scheme": scheme} if scheme else None)
    return [f["code"] for r in res["reports"] for f in r["findings"]], res


def test_clean_report_raises_nothing():
    found, _ = codes(report())
    assert found == []


def test_placeholder():
    assert "placeholder" in codes(report(body_practices="全县普惠性幼儿园覆盖率达x%，新建幼儿园xx所。"))[0]
    assert "placeholder" not in codes(report(body_practices="开展“1+X”证书试点，为卫生室配备X光机，建成5G智慧课堂。"))[0]


def _long_practices(n_chars):
    towns = "城关 东岗 西湾 南桥 北坪 清水 白马 石门 河口 柳林 桃源 高峰 新田 青山 龙泉 黄土".split()
    out, k = [], 0
    while sum(map(len, out)) < n_chars:
        t = towns[k % len(towns)]
        out.append(f"{t}镇第{k + 1}项工作：完成校舍维修{k + 3}处，更新课桌椅{k * 7 + 40}套，组织教师培训{k + 2}期，"
                   f"新建图书角{k + 5}个，家访学生{k * 11 + 60}户。")
        k += 1
    return "\n".join(out)


def test_over_length_counts_like_word():
    long_text = report(body_practices=_long_practices(5600))
    found, res = codes(long_text)
    assert "over_length" in found
    f = next(f for f in res["reports"][0]["findings"] if f["code"] == "over_length")
    assert "5000" in f["message"]
    assert "over_length" not in codes(report(body_practices=_long_practices(3000)))[0]


def test_limit_stated_in_the_text_applies():
    head = "（自评报告字数不超过3000字。）\n按照通知要求，县政府开展自查。"
    assert "over_length" in codes(report(head=head, body_practices=_long_practices(3300)))[0]
    assert "over_length" not in codes(report(head=head, body_practices=_long_practices(1500)))[0]


def test_missing_problems():
    found, _ = codes(report(problems=False))
    assert "missing_problems" in found and "missing_section" in found
    assert "missing_problems" not in codes(report())[0]


def test_an_opening_is_not_judged_for_what_it_lacks():
    opening = "\n".join(report(problems=False, measures=False, signoff=False).split("\n")[:5])
    found = codes(opening)[0]
    assert "missing_problems" not in found and "missing_section" not in found


def test_missing_section_measures():
    assert "missing_section" in codes(report(measures=False))[0]
    near = report(measures=False).replace("（二）乡村学校音体美教师不足。", "（二）乡村学校音体美教师不足。下一步将统筹招聘。")
    assert "missing_section" not in codes(near)[0]


def test_stale_year():
    stale = report(measures=False, signoff=False) + "\n2022年，我县将继续加大教育投入，推动教育高质量发展。"
    fresh = report(measures=False, signoff=False) + "\n2023年，我县将继续加大教育投入，推动教育高质量发展。"
    assert "stale_year" in codes(stale)[0]
    assert "stale_year" not in codes(fresh)[0]


def test_heading_numbering():
    broken = report().replace("二、存在问题", "四、存在问题")
    found, res = codes(broken)
    assert "heading_numbering" in found
    assert "heading_numbering" not in codes(report())[0]


def test_duplicate_and_garbled():
    text = report()
    copy = "\n".join(text[i:i + 7] + ("\ufffd" if i % 35 == 0 else "") for i in range(0, len(text), 7))
    found, res = codes(text + "\n" + copy)
    assert "duplicate_content" in found and "garbled_text" in found
    assert len(res["reports"]) == 1 and res["reports"][0]["text"] == text
    assert "duplicate_content" not in codes(text)[0]


def test_garbled_inline():
    found, res = codes(report(body_practices="全年投入资金锟斤拷三千万元用于校舍改造。"))
    assert "garbled_text" in found
    assert "锟斤拷" not in res["reports"][0]["text"]


def test_off_topic():
    factory = "本季度车间完成设备检修十二台次。\n一、主要工作\n严格执行首件检验和巡检制度，产品合格率稳步提升。\n二、不足\n质量数据统计仍不及时。"
    found, res = codes(factory)
    assert found == [] and res["reports"][0]["doc_type"] == "other"   # standalone: doc_type says it
    assert "off_topic" not in codes(report())[0]
    page = "\n".join(["第一篇：自评报告", report(), "第二篇：车间总结", factory])
    res = analyze_text(page)["reports"]
    assert [r["relevant"] for r in res] == [True, False]
    assert [f["code"] for f in res[1]["findings"]] == ["off_topic"]    # a part of a compilation


def test_score_arithmetic():
    bad = report(score="对照评价指标体系40个观测点，我县自评基础得分95分，另加分3分，自评总分99分。")
    good = report(score="对照评价指标体系40个观测点，我县自评基础得分95分，另加分3分，自评总分98分。")
    assert "score_arithmetic" in codes(bad)[0]
    assert "score_arithmetic" not in codes(good)[0]


def test_below_standard_and_scope():
    low = report(body_practices="全县公办园在园幼儿占比41.3%，普惠性幼儿园覆盖率86.2%。")
    ok = report(body_practices="全县公办园在园幼儿占比55.3%，普惠性幼儿园覆盖率86.2%。")
    found, res = codes(low)
    assert "below_standard" in found
    f = next(f for f in res["reports"][0]["findings"] if f["code"] == "below_standard")
    assert f["quote"].endswith("41.3%") and "50" in f["message"] and "督导评估办法" in f["source"]
    assert "below_standard" not in codes(ok)[0]
    # 初中 is held to 0.45, 小学 to 0.50: 0.48 fails only for 初中.
    junior = report(body_practices="全县初中校际综合差异系数为0.48，小学校际综合差异系数为0.42。")
    primary = report(body_practices="全县小学校际综合差异系数为0.48，初中校际综合差异系数为0.42。")
    assert "below_standard" in codes(junior)[0]
    assert "below_standard" not in codes(primary)[0]


def test_targets_are_not_held_to_standards():
    plan = report(body_practices="力争到2025年公办园在园幼儿占比达到45%以上。")
    assert "below_standard" not in codes(plan)[0]


def test_later_events():
    later = report(body_practices="截至2023年6月，全县已完成全部薄弱学校改造。")
    inside = report(body_practices="截至2022年6月，全县已完成全部薄弱学校改造。")
    assert "later_events" in codes(later)[0]
    assert "later_events" not in codes(inside)[0]


def test_inconsistent_figure():
    bad = report(body_practices="全县九年义务教育巩固率97.6%。\n（三）控辍保学。九年义务教育巩固率达98.1%，无因贫失学学生。")
    same = report(body_practices="全县九年义务教育巩固率97.6%。\n（三）控辍保学。九年义务教育巩固率保持在97.6%。")
    assert "inconsistent_figure" in codes(bad)[0]
    assert "inconsistent_figure" not in codes(same)[0]


def test_implausible_value():
    bad = report(body_practices="全县学前三年毛入园率116.4%。")
    explained = report(body_practices="全县学前三年毛入园率116.4%（含外来务工人员随迁子女）。")
    assert "implausible_value" in codes(bad)[0]
    assert "implausible_value" not in codes(explained)[0]


def test_spending_decline():
    falling = report(body_practices="2019-2021年，全县一般公共预算教育支出分别为8.12亿元、8.46亿元、8.31亿元。")
    rising = report(body_practices="2019-2021年，全县一般公共预算教育支出分别为8.12亿元、8.46亿元、8.91亿元。")
    assert "spending_decline" in codes(falling)[0]
    assert "spending_decline" not in codes(rising)[0]


def test_missing_self_score_only_when_the_scheme_asks():
    strict = Scheme(**(default_scheme().model_dump() | {"require_self_score": True}))
    assert "missing_self_score" in codes(report(), strict)[0]
    assert "missing_self_score" not in codes(report())[0]
    scored = report(score="对照评价指标，我县自评总分96分，自评等级为优秀。")
    assert "missing_self_score" not in codes(scored, strict)[0]


def test_every_finding_has_span_message_and_source():
    text = report(body_practices="全县公办园在园幼儿占比41.3%，普惠性幼儿园覆盖率达x%。", problems=False)
    _, res = codes(text)
    r = res["reports"][0]
    assert r["findings"]
    for f in r["findings"]:
        assert 0 <= f["start"] <= f["end"] <= len(r["text"])
        assert f["quote"] == r["text"][f["start"]:f["end"]]
        assert f["message"] and f["source"] and f["title"]


@pytest.mark.parametrize("bad", ["length_limit: -5", "grades: 3", "- a\n- b"])
def test_bad_scheme_file_gives_chinese_error(tmp_path, bad):
    from dudao.checks.scheme import load_scheme
    from dudao.errors import ConfigError
    p = tmp_path / "s.yaml"
    p.write_text(bad, encoding="utf-8")
    with pytest.raises(ConfigError, match="方案文件"):
        load_scheme(str(p))


def test_negative_growth_is_below_the_standard():
    # A falling growth rate breaks the 增长率 ≥ 0 standard; spending_decline is for a series.
    falling = report(body_practices="全年一般公共预算教育支出7.85亿元，同比下降3.2%。")
    found = codes(falling)[0]
    assert "below_standard" in found
    assert "below_standard" not in codes(report(body_practices="全年一般公共预算教育支出7.85亿元，同比增长3.2%。"))[0]


def test_the_evaluation_round_is_not_a_later_event():
    text = report(head="为做好2023年度对县人民政府履行教育职责评价工作，县政府组织开展自查。")
    assert "later_events" not in codes(text)[0]


def test_myopia_must_fall_half_a_point_a_year():
    slow = report(body_practices="全县中小学生总体近视率为52.4%，较上年下降0.2个百分点。")
    fast = report(body_practices="全县中小学生总体近视率为52.4%，较上年下降0.8个百分点。")
    assert "below_standard" in codes(slow)[0]
    assert "below_standard" not in codes(fast)[0]


def test_a_spending_fall_is_one_finding():
    # "比上年的X亿元下降2.1%" is one fact: a fall named with its years and amounts (spending_decline),
    # not a second 严重 below_standard for the same negative growth rate.
    body = "2020年，全县一般公共预算教育支出14.36亿元，比2019年的14.67亿元下降2.1%。"
    found = codes(report(body_practices=body))[0]
    assert "spending_decline" in found
    assert "below_standard" not in found


def test_heading_numbering_holds_on_real_pages():
    # earlier numbers written as paragraph items the heading finder does not take as headings
    items = "\n".join(f"{n}、全县{w}工作按计划推进，有关部门逐月调度，形成了{w}工作台账，相关资料整理齐全，"
                      f"并按季度向县政府报告{w}工作进展情况。" for n, w in zip(range(1, 5), ["学前", "义教", "高中", "职教"]))

    def with_process(body):
        return report(extra_sections="二、工作过程\n" + body + "5、汇总结果\n").replace("二、存在问题", "三、存在问题") \
            .replace("三、下一步工作打算", "四、下一步工作打算")
    assert "heading_numbering" not in codes(with_process(items + "\n"))[0]
    assert "heading_numbering" in codes(with_process("开展了工作。\n"))[0]
    # a heading broken off by page furniture (—2—三、…) still counts in the sequence
    def with_four(body):
        return report(extra_sections="二、工作过程\n开展了工作。\n" + body + "四、队伍建设\n教师补充到位。") \
            .replace("二、存在问题", "五、存在问题").replace("三、下一步工作打算", "六、下一步工作打算")
    assert "heading_numbering" not in codes(with_four("—2—三、经费保障\n经费足额到位。\n"))[0]
    assert "heading_numbering" in codes(with_four(""))[0]


def test_page_cut_mid_sentence_has_no_absence_findings():
    whole = report(problems=False, measures=False, signoff=False) + "\n下一步，我县将继续努力，奋力谱写教育新篇章。"
    assert "missing_problems" in codes(whole)[0]
    cut = whole[:-1].rsplit("，", 1)[0] + "，下一步将持续推进学校建设和教师"
    assert "missing_problems" not in codes(cut)[0]
    marked = whole + "\n（未完，全文共3210字，当前显示860字）"
    assert "missing_problems" not in codes(marked)[0]


def test_word_count_and_word_offset_count_character_by_character():
    """word_count and the over-length offset count CJK characters run by run; the result must be
    the one-match-per-character count."""
    import random

    from dudao.checks.registry import CJK_OR_FULLWIDTH, WORD_RUN, word_count
    from dudao.checks.rules import _offset_of_word

    def offset(text, k):
        seen = 0
        for m in CJK_OR_FULLWIDTH.finditer(text):
            seen += 1
            if seen >= k:
                return m.end()
        return len(text)

    rng = random.Random(3)
    alphabet = "教育督导ab1 ，。\n、“”—…（）％"
    for _ in range(2000):
        t = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 50)))
        assert word_count(t) == len(CJK_OR_FULLWIDTH.findall(t)) + len(WORD_RUN.findall(t)), t
        for k in (0, 1, 2, 7, 30, 80):
            assert _offset_of_word(t, k) == offset(t, k), (t, k)
