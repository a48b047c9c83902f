"""A report's stated self-score checked against a framework: findings with spans (team-written texts)."""
import dudao
from dudao.checks.catalogue import catalogue
from dudao.framework import load_framework
from dudao.framework.report import check_report_score

OVER = """北山县人民政府关于2023年度履行教育职责情况的自评报告

一、基本情况
北山县辖8个乡镇，有义务教育学校31所，在校生2.1万人。

二、主要做法
县委、县政府坚持教育优先发展，全年专题研究教育工作3次。

三、自评结果
对照评价指标体系16个观测点逐项自查。其中，第3观测点因发现2个56人以上大班额，扣8分；第12观测点因1起违规办学被通报，扣2分。合计扣10分，基础得分90分。另获国家级教育工作表彰2项，申报加分6分。自评总分96分，自评等次为优秀。

四、存在问题
城乡学校办学条件仍有差距。

五、下一步打算
2024年将继续推进大班额化解。
"""

GRADE = """临江区2022年度政府履行教育职责自评报告

一、工作开展情况
区政府落实教育经费投入，新建幼儿园2所。

二、自评情况
对照14个观测点逐项自评，第30观测点因教师培训完成率未达标扣2分，第5观测点因教师工资未达公务员水平扣4分。合计扣6分，基础得分94分，自评总分86分，自评等次为优秀。

三、存在问题
教师队伍结构性缺员。
"""

CLEAN = """南湖县2023年度履行教育职责自评报告

一、自评结果
对照14个观测点逐项自查，第4观测点因公用经费拨付不及时扣2分，合计扣2分，基础得分98分；获国家级表彰加分2分，自评总分100分，自评等次为优秀。

二、存在问题
农村学校教师补充困难。
"""


def _report(text):
    return dudao.analyze_text(text)[0].model_dump(mode="json")


def _check(text):
    rep = _report(text)
    found = check_report_score(rep, load_framework("county_example"))
    for f in found:
        assert f["code"] in catalogue() and f["quote"] == rep["text"][f["start"]:f["end"]]
    return {f["code"]: f for f in found}


def test_count_over_max_bonus_cap_and_total():
    f = _check(OVER)
    assert set(f) == {"framework_points_count", "framework_deduction_over_max", "framework_bonus_over_cap",
                      "framework_total_mismatch"}
    assert f["framework_points_count"]["quote"] == "16个观测点" and f["framework_points_count"]["data"]["expected"] == 14
    # 第3观测点 is the third point of the framework in order: A2-1 (6 points)
    d = f["framework_deduction_over_max"]
    assert d["data"]["point_id"] == "A2-1" and d["quote"].startswith("第3观测点") and d["severity"] == "error"
    assert f["framework_bonus_over_cap"]["quote"] == "加分6分"
    t = f["framework_total_mismatch"]
    assert t["data"]["expected"] == 95 and t["quote"] == "自评总分96分"


def test_grade_above_band_unknown_point_and_base():
    f = _check(GRADE)
    assert f["framework_grade_mismatch"]["data"]["expected"] == "良好"
    assert f["framework_grade_mismatch"]["severity"] == "warning"
    assert f["framework_unknown_point"]["data"]["label"] == "第30观测点"
    # 100 − 6 = 94 is right; 94 + 0 ≠ 86
    assert f["framework_total_mismatch"]["data"] == {**f["framework_total_mismatch"]["data"], "expected": 94, "stated": 86}
    assert "framework_points_count" not in f


def test_consistent_report_has_no_findings():
    assert _check(CLEAN) == {}


def test_no_self_score_no_findings():
    assert check_report_score({"text": "无", "self_score": None}, load_framework("county_example")) == []


CV_CLAIM = """东岭县2024年度义务教育优质均衡发展自评报告

一、资源配置情况
全县共有义务教育学校6所。经测算，全县小学、初中校际差异系数分别为0.21、0.12，均达到国家标准。

二、存在问题
村小体育场地不足。
"""


def test_claimed_cv_compared_with_school_data():
    from conftest import EXAMPLES
    from dudao.framework.balance import assess, read_schools
    from dudao.framework.report import check_report_balance
    schools, _ = read_schools(EXAMPLES / "frameworks" / "学校数据.xlsx")
    result = assess(schools)
    rep = _report(CV_CLAIM)
    found = check_report_balance(rep, result)
    # 小学: the seven CVs of the example lie in 0.03–0.16, so 0.21 cannot be any of them nor their mean;
    # 初中: 0.02–0.15, 0.12 fits
    assert [(f["data"]["stage"], f["data"]["claimed"]) for f in found] == [("小学", "0.21")]
    assert found[0]["quote"] == rep["text"][found[0]["start"]:found[0]["end"]] and "0.21" in found[0]["quote"]
